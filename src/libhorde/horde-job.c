/* horde-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-client-private.h"
#include "horde-enums.h"
#include "horde-error.h"
#include "horde-job-private.h"
#include "horde-models.h"
#include "horde-util-private.h"

/* after the client's own retries failed, while the server is unreachable */
#define OUTAGE_FIRST_MS 2000
#define OUTAGE_MAX_MS 30000

/**
 * HordeJob:
 *
 * One request on the Horde, from submission to results: the life every job
 * shares, whatever it generates.
 *
 * [method@Horde.Job.run_async] submits the request, polls its progress (at
 * a pace that follows the server's own estimate of the time left and stays
 * under its rate limits), takes the results once the request is done, and
 * ends. Progress properties ([property@Horde.Job:state],
 * [property@Horde.Job:queue-position], [property@Horde.Job:wait-time] and
 * the counts) notify as answers come, so that a user interface can bind to
 * them.
 *
 * Cancelling (the #GCancellable given to run, or [method@Horde.Job.cancel]),
 * a [property@Horde.Job:timeout] and a faulted request all delete the
 * request on the server, which stops the spending of kudos, and keep the
 * results finished before; a cancel also waits for those workers were
 * making, which the server still finishes and charges (see
 * [method@Horde.Job.cancel]). A job can resume a request submitted earlier
 * from its id. The client tracks the job from its submission while its
 * request is on the server, so that [method@Horde.Client.clean_up_async]
 * and [method@Horde.Client.cancel_all_async] reach it, unless it is marked
 * with [property@Horde.Job:keep].
 *
 * [method@Horde.Job.run_sync] returns once the request is deleted when
 * @cancellable is cancelled, but waits for the generations being made
 * (as a cancel does); a caller that must end at once (a signal) calls
 * [method@Horde.Job.cancel] twice instead, as Python's run_sync() does on
 * Ctrl+C.
 *
 * A request the Horde ends without a result is a failure, said in words:
 * faulted, or done after workers failed it (the server does not always
 * fault such a request: it may say done, with nothing in it and the
 * number of failures in [property@Horde.Job:restarted]). Both end the run
 * with %HORDE_ERROR_FAULTED in %HORDE_JOB_STATE_FAILED.
 *
 * [property@Horde.Job:kudos] is what the server charged, and
 * [property@Horde.Job:expires-at] when it will forget a request no worker
 * takes up.
 *
 * Before it runs, [method@Horde.Job.estimate_async] asks the server what
 * the request would cost (a dry run), for the kinds of requests that have
 * one: images and texts.
 *
 * The kinds of jobs are [class@Horde.ImageJob], [class@Horde.TextJob] and
 * [class@Horde.AlchemyJob]; each adds its request and its results.
 */

typedef struct
{
  HordeClient *client;
  char *id;
  HordeJobState state;
  guint timeout;

  HordeJobProgress progress;
  gboolean polled;                /* progress holds a poll's answer */
  gpointer last_poll;             /* the model of the last poll's answer */
  GStrv warnings;

  GCancellable *cancellable;      /* ours: stops the run, whoever asks */
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GTask *task;                    /* the run under way */
  GError *abort_reason;           /* why the run deletes its request */
  GSource *timeout_source;
  GCancellable *tracked;          /* what the client cancels in cancel_all */
  gboolean keep;                  /* cancel_all leaves the request alone */
  gboolean deleted;               /* the server answered our DELETE */
  GDateTime *expires_at;

  /* following a cancelled request until its last generations are made */
  gpointer cancel_answer;         /* the answer to the DELETE */
  GCancellable *follow_cancellable;
  GSource *follow_bound;
  gboolean stop_following;        /* cancelled twice: do not follow */
  gboolean on_server;             /* the request may still be there */
  GError *connection_error;       /* while the server cannot be reached */
  guint outage_streak;
  guint unknown_streak;
} HordeJobPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (HordeJob, horde_job, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (HordeJob)
                                  g_type_add_class_private (g_define_type_id, sizeof (HordeJobVFuncs)))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ID,
  PROP_STATE,
  PROP_TIMEOUT,
  PROP_QUEUE_POSITION,
  PROP_WAIT_TIME,
  PROP_WAITING,
  PROP_PROCESSING,
  PROP_FINISHED,
  PROP_RESTARTED,
  PROP_KUDOS,
  PROP_IS_POSSIBLE,
  PROP_FAULTED,
  PROP_WARNINGS,
  PROP_ON_SERVER,
  PROP_CONNECTION_ERROR,
  PROP_EXPIRES_AT,
  PROP_KEEP,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void run_poll (HordeJob *self);
static void run_abort (HordeJob *self);
static void run_check (HordeJob *self);
static void run_fetch (HordeJob *self);
static void set_expires_at (HordeJob *self, GDateTime *when);

#define VFUNCS(self) (horde_job_class_get_vfuncs (HORDE_JOB_GET_CLASS (self)))

HordeJobVFuncs *
horde_job_class_get_vfuncs (gpointer klass)
{
  return G_TYPE_CLASS_GET_PRIVATE (klass, HORDE_TYPE_JOB, HordeJobVFuncs);
}

static void
untrack (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GCancellable) tracked = g_steal_pointer (&priv->tracked);

  if (tracked != NULL)
    horde_client_untrack_job (priv->client, tracked);
}

/* Whether the server answered the DELETE of this job's request: what
 * horde_client_clean_up_async() reports */
gboolean
horde_job_was_deleted (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  return priv->deleted;
}

/* The client holds @cancellable (the run's, or the follow-up's once the
 * request is deleted) until the job settles, and cancels it in cancel_all */
static void
track (HordeJob     *self,
       GCancellable *cancellable)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GCancellable) before = NULL;

  if (priv->tracked == cancellable)
    return;

  /* the new one first: between the two, the client must not think that
   * its last job settled */
  before = g_steal_pointer (&priv->tracked);
  horde_client_track_job (priv->client, self, cancellable);
  priv->tracked = g_object_ref (cancellable);
  if (before != NULL)
    horde_client_untrack_job (priv->client, before);
}

static void
horde_job_dispose (GObject *object)
{
  untrack (HORDE_JOB (object));

  G_OBJECT_CLASS (horde_job_parent_class)->dispose (object);
}

static void
horde_job_finalize (GObject *object)
{
  HordeJob *self = (HordeJob *)object;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_clear_object (&priv->client);
  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->last_poll, horde_model_unref);
  g_clear_pointer (&priv->warnings, g_strfreev);
  g_clear_object (&priv->cancellable);
  g_clear_error (&priv->abort_reason);
  g_clear_error (&priv->connection_error);
  g_clear_pointer (&priv->expires_at, g_date_time_unref);
  g_clear_pointer (&priv->cancel_answer, horde_model_unref);
  g_clear_object (&priv->follow_cancellable);

  G_OBJECT_CLASS (horde_job_parent_class)->finalize (object);
}

static void
horde_job_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HordeJob *self = HORDE_JOB (object);
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, priv->timeout);
      break;
    case PROP_QUEUE_POSITION:
      g_value_set_int64 (value, priv->progress.queue_position);
      break;
    case PROP_WAIT_TIME:
      g_value_set_int64 (value, priv->progress.wait_time);
      break;
    case PROP_WAITING:
      g_value_set_int64 (value, priv->progress.waiting);
      break;
    case PROP_PROCESSING:
      g_value_set_int64 (value, priv->progress.processing);
      break;
    case PROP_FINISHED:
      g_value_set_int64 (value, priv->progress.finished);
      break;
    case PROP_RESTARTED:
      g_value_set_int64 (value, priv->progress.restarted);
      break;
    case PROP_KUDOS:
      g_value_set_double (value, priv->progress.kudos);
      break;
    case PROP_IS_POSSIBLE:
      g_value_set_boolean (value, priv->progress.is_possible);
      break;
    case PROP_FAULTED:
      g_value_set_boolean (value, priv->progress.faulted);
      break;
    case PROP_WARNINGS:
      g_value_set_boxed (value, priv->warnings);
      break;
    case PROP_ON_SERVER:
      g_value_set_boolean (value, priv->on_server);
      break;
    case PROP_CONNECTION_ERROR:
      g_value_set_boxed (value, priv->connection_error);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, priv->expires_at);
      break;
    case PROP_KEEP:
      g_value_set_boolean (value, priv->keep);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_job_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HordeJob *self = HORDE_JOB (object);
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      priv->client = g_value_dup_object (value);
      break;
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      horde_job_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_KEEP:
      horde_job_set_keep (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_job_class_init (HordeJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeJobVFuncs *vfuncs = horde_job_class_get_vfuncs (klass);

  object_class->dispose = horde_job_dispose;
  object_class->finalize = horde_job_finalize;
  object_class->get_property = horde_job_get_property;
  object_class->set_property = horde_job_set_property;

  vfuncs->min_poll_ms = 1000;

  /**
   * HordeJob:client:
   *
   * The client the job sends with.
   */
  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, HORDE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:id:
   *
   * The id of the request on the server, once submitted. Keep it to resume
   * the job after a restart.
   */
  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:state:
   *
   * Where the job is in its life.
   */
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HORDE_TYPE_JOB_STATE, HORDE_JOB_STATE_NEW,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:timeout:
   *
   * Seconds the job may take from submission to done before it deletes its
   * request and fails with %HORDE_ERROR_TIMEOUT; 0 waits as long as it takes.
   */
  properties [PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:queue-position:
   *
   * The request's position in the server's queue.
   */
  properties [PROP_QUEUE_POSITION] =
    g_param_spec_int64 ("queue-position", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:wait-time:
   *
   * The server's estimate of the seconds until the request is done.
   */
  properties [PROP_WAIT_TIME] =
    g_param_spec_int64 ("wait-time", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:waiting:
   *
   * How many generations (images, texts, forms) of the request wait for a
   * worker.
   */
  properties [PROP_WAITING] =
    g_param_spec_int64 ("waiting", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:processing:
   *
   * How many generations of the request workers are making.
   */
  properties [PROP_PROCESSING] =
    g_param_spec_int64 ("processing", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:finished:
   *
   * How many generations of the request are finished on the server.
   */
  properties [PROP_FINISHED] =
    g_param_spec_int64 ("finished", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:restarted:
   *
   * How many times a worker dropped or failed a generation of the request,
   * which then went back to the queue.
   */
  properties [PROP_RESTARTED] =
    g_param_spec_int64 ("restarted", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:kudos:
   *
   * What the server charged for the request so far, in kudos: its answer
   * to the submission says what it expects the request to cost, and every
   * answer after it (each poll, the full status, the answer to a cancel)
   * what it has charged until then (the fixed tax on a request, then each
   * generation as a worker delivers it). Once the run has ended, this is
   * the final charge, a cancelled request's included: a generation a
   * worker was making at the cancel is still charged when it is finished,
   * and the job follows the request until then (see
   * [method@Horde.Job.cancel]). The server may settle the account itself
   * later. Alchemy answers carry no kudos: it stays 0 there.
   */
  properties [PROP_KUDOS] =
    g_param_spec_double ("kudos", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:is-possible:
   *
   * %FALSE when no worker now online can serve the request. A warning, not
   * an end: a worker that can may come online.
   */
  properties [PROP_IS_POSSIBLE] =
    g_param_spec_boolean ("is-possible", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:faulted:
   *
   * %TRUE when the Horde gave up on the request.
   */
  properties [PROP_FAULTED] =
    g_param_spec_boolean ("faulted", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:warnings:
   *
   * The warnings the server gave when it accepted the request, such as "no
   * available worker can fulfil this request".
   */
  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:on-server:
   *
   * Whether the request may still be on the server, waiting, running or
   * holding results: %TRUE from the moment it has an id until its results
   * were fetched, it was deleted, or the server said it no longer knows it.
   *
   * A run that ends while this is %TRUE (the network failed, or a cancel
   * could not reach the server) left the request behind: keep
   * [property@Horde.Job:id] to resume or delete it later.
   */
  properties [PROP_ON_SERVER] =
    g_param_spec_boolean ("on-server", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:connection-error:
   *
   * Why the server cannot be reached, while it cannot; %NULL otherwise.
   *
   * Once a request is on the server, losing the connection does not end
   * the run: the job keeps asking, backing off up to half a minute between
   * attempts, until the server answers, the [property@Horde.Job:timeout]
   * passes or the run is cancelled. Network failures, timeouts, server
   * errors (5xx) and rate limiting that outlast the client's own retries
   * count as such.
   */
  properties [PROP_CONNECTION_ERROR] =
    g_param_spec_boxed ("connection-error", NULL, NULL, G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:expires-at:
   *
   * When the server will forget the request unless a worker takes it up,
   * as the job estimates it, or %NULL when it cannot tell (a job resumed
   * from an id, before it sees a worker take up or finish a generation) or
   * once the run has ended.
   *
   * The server keeps a request 20 minutes after its submission, and
   * 20 minutes after a worker last took up or finished one of its
   * generations; polling does not extend it. This is what its warning "No
   * available workers can fulfill this request. It will expire in 20
   * minutes unless a worker appears." counts from: while
   * [property@Horde.Job:is-possible] is %FALSE, an application can say "it
   * expires at 17:20 unless a worker comes". A request that expires ends
   * the run with %HORDE_ERROR_NOT_FOUND or %HORDE_ERROR_EXPIRED.
   *
   * The time is in UTC, counted from the moments the job learnt of these
   * events, so it may be late by the time between two polls (a worker
   * that takes a request up refreshes it before the job sees it).
   */
  properties [PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeJob:keep:
   *
   * Whether the job's server request is left on the server by
   * [method@Horde.Client.clean_up_async] and
   * [method@Horde.Client.cancel_all_async]: a script or an application
   * that quits deletes every request it started except the ones it marks
   * to keep (to fetch their results later from their id, with
   * `new_for_id`). It does not change what cancelling the job itself does.
   */
  properties [PROP_KEEP] =
    g_param_spec_boolean ("keep", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_job_init (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
  priv->progress.is_possible = TRUE;
}

/* -------------------------------------------------------------------------
 * Accessors
 */

/**
 * horde_job_get_client:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:client].
 *
 * Returns: (transfer none): the client the job sends with
 */
HordeClient *
horde_job_get_client (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), NULL);
  return priv->client;
}

/**
 * horde_job_get_id:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:id].
 *
 * Returns: (nullable): the id of the request on the server, or %NULL
 *   before it is submitted
 */
const char *
horde_job_get_id (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), NULL);
  return priv->id;
}

/**
 * horde_job_get_state:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:state].
 *
 * Returns: where the job is in its life
 */
HordeJobState
horde_job_get_state (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), HORDE_JOB_STATE_NEW);
  return priv->state;
}

/**
 * horde_job_get_timeout:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:timeout].
 *
 * Returns: the timeout in seconds, or 0 for none
 */
guint
horde_job_get_timeout (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->timeout;
}

/**
 * horde_job_set_timeout:
 * @self: a #HordeJob
 * @timeout: seconds, or 0 for none
 *
 * Sets [property@Horde.Job:timeout]; set it before running.
 */
void
horde_job_set_timeout (HordeJob *self,
                       guint     timeout)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_if_fail (HORDE_IS_JOB (self));

  if (priv->timeout == timeout)
    return;

  priv->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TIMEOUT]);
}

/**
 * horde_job_get_keep:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:keep].
 *
 * Returns: whether a clean-up of the client leaves the request alone
 */
gboolean
horde_job_get_keep (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);

  return priv->keep;
}

/**
 * horde_job_set_keep:
 * @self: a #HordeJob
 * @keep: whether to leave the request on the server at a clean-up
 *
 * Sets [property@Horde.Job:keep]: with %TRUE,
 * [method@Horde.Client.clean_up_async] and
 * [method@Horde.Client.cancel_all_async] leave the job's server request
 * alone. A job they already cancelled is not brought back.
 */
void
horde_job_set_keep (HordeJob *self,
                    gboolean  keep)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_if_fail (HORDE_IS_JOB (self));

  keep = !!keep;
  if (priv->keep == keep)
    return;

  priv->keep = keep;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KEEP]);
  /* a clean-up that waits for this job alone is done */
  if (priv->client != NULL)
    horde_client_job_keep_changed (priv->client);
}

/**
 * horde_job_get_queue_position:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:queue-position].
 *
 * Returns: the position in the server's queue, as of the last poll
 */
gint64
horde_job_get_queue_position (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.queue_position;
}

/**
 * horde_job_get_wait_time:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:wait-time].
 *
 * Returns: the server's estimate of the seconds left, as of the last poll
 */
gint64
horde_job_get_wait_time (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.wait_time;
}

/**
 * horde_job_get_waiting:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:waiting].
 *
 * Returns: how many generations wait for a worker, as of the last poll
 */
gint64
horde_job_get_waiting (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.waiting;
}

/**
 * horde_job_get_processing:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:processing].
 *
 * Returns: how many generations workers are making, as of the last poll
 */
gint64
horde_job_get_processing (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.processing;
}

/**
 * horde_job_get_finished:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:finished].
 *
 * Returns: how many generations are finished on the server, as of the
 *   last poll
 */
gint64
horde_job_get_finished (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.finished;
}

/**
 * horde_job_get_restarted:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:restarted].
 *
 * Returns: how many times a generation went back to the queue
 */
gint64
horde_job_get_restarted (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.restarted;
}

/**
 * horde_job_get_kudos:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:kudos].
 *
 * Returns: what the server charged so far (the final charge once the run
 *   has ended), or the expected cost before the first poll
 */
double
horde_job_get_kudos (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), 0);
  return priv->progress.kudos;
}

/**
 * horde_job_get_is_possible:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:is-possible].
 *
 * Returns: %FALSE when no worker online can serve the request
 */
gboolean
horde_job_get_is_possible (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), TRUE);
  return priv->progress.is_possible;
}

/**
 * horde_job_get_faulted:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:faulted].
 *
 * Returns: %TRUE when the Horde gave up on the request
 */
gboolean
horde_job_get_faulted (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);
  return priv->progress.faulted;
}

/**
 * horde_job_get_warnings:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:warnings].
 *
 * Returns: (transfer none) (nullable): the server's warnings about the
 *   request, in words
 */
const char * const *
horde_job_get_warnings (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), NULL);
  return (const char * const *) priv->warnings;
}

/**
 * horde_job_get_on_server:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:on-server].
 *
 * Returns: whether the request may still be on the server
 */
gboolean
horde_job_get_on_server (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);
  return priv->on_server;
}

/**
 * horde_job_get_connection_error:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:connection-error].
 *
 * Returns: (nullable) (transfer none): why the server cannot be reached
 *   while the job keeps trying, or %NULL
 */
const GError *
horde_job_get_connection_error (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), NULL);
  return priv->connection_error;
}

/**
 * horde_job_get_expires_at:
 * @self: a #HordeJob
 *
 * Gets [property@Horde.Job:expires-at].
 *
 * Returns: (nullable) (transfer none): when the server will forget the
 *   request unless a worker takes it up, as estimated by the job, or %NULL
 */
GDateTime *
horde_job_get_expires_at (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_val_if_fail (HORDE_IS_JOB (self), NULL);
  return priv->expires_at;
}

/**
 * horde_job_cancel:
 * @self: a #HordeJob
 *
 * Cancels the run: the same as cancelling the #GCancellable given to
 * [method@Horde.Job.run_async]. The server request is deleted, the results
 * finished before are kept, and the run ends with %G_IO_ERROR_CANCELLED in
 * %HORDE_JOB_STATE_CANCELLED.
 *
 * A generation a worker was already making is not stopped by the server:
 * the worker finishes it seconds later, the server charges it and serves
 * it. When the server's answer to the cancel says generations are being
 * made, images and texts (not alchemy, whose forms the server drops at
 * the cancel) follow the request in %HORDE_JOB_STATE_CANCELLING until
 * none is, then fetch its status once and keep every generation that was
 * paid for; [property@Horde.Job:kudos] is then the final charge. When
 * nothing is being made, the run ends at once, without another request.
 *
 * The follow-up lasts at most five minutes, and never beyond the job's
 * [property@Horde.Job:timeout]. Calling this function again during it, or
 * [method@Horde.Client.cancel_all_async] (an application that quits),
 * stops it at once: the run ends with what the cancel's answer held. A
 * job whose [property@Horde.Job:timeout] passes does not follow its
 * request: a timeout is a promise to end by then.
 */
void
horde_job_cancel (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_return_if_fail (HORDE_IS_JOB (self));

  /* a second cancel: the user will not wait for the last generations */
  if (g_cancellable_is_cancelled (priv->cancellable))
    {
      priv->stop_following = TRUE;
      if (priv->follow_cancellable != NULL)
        g_cancellable_cancel (priv->follow_cancellable);
    }

  g_cancellable_cancel (priv->cancellable);
}

/* -------------------------------------------------------------------------
 * For the job classes
 */

/* Takes @when (transfer full, nullable) */
static void
set_expires_at (HordeJob  *self,
                GDateTime *when)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (priv->expires_at == NULL && when == NULL)
    return;

  g_clear_pointer (&priv->expires_at, g_date_time_unref);
  priv->expires_at = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EXPIRES_AT]);
}

/* Takes the answer to the submission: the id, the expected kudos and the
 * warnings (transfer full) */
void
horde_job_set_submitted (HordeJob    *self,
                         const char  *id,
                         double       kudos,
                         char       **warnings)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_free (priv->id);
  priv->id = g_strdup (id);
  g_strfreev (priv->warnings);
  priv->warnings = warnings;
  priv->progress.kudos = kudos;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WARNINGS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KUDOS]);
  set_expires_at (self, g_date_time_add_seconds (now, HORDE_JOB_EXPIRY_SECONDS));
  g_object_thaw_notify (G_OBJECT (self));
}

/* The warnings of a HordeRequestAsync, in words */
char **
horde_job_warnings_from_async (gpointer request_async)
{
  HordeRequestAsync *answer = request_async;
  HordeRequestSingleWarning * const *warnings;
  gsize n_warnings = 0;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  warnings = horde_request_async_get_warnings (answer, &n_warnings);
  for (gsize i = 0; i < n_warnings; i++)
    {
      const char *message = horde_request_single_warning_get_message (warnings[i]);
      const char *code = horde_request_single_warning_get_code (warnings[i]);

      if (message != NULL || code != NULL)
        g_strv_builder_add (builder, message ? message : code);
    }
  if (n_warnings == 0 && horde_request_async_get_message (answer) != NULL)
    g_strv_builder_add (builder, horde_request_async_get_message (answer));

  return g_strv_builder_end (builder);
}

/* -------------------------------------------------------------------------
 * Running
 */

static void
set_state (HordeJob      *self,
           HordeJobState  state)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
set_on_server (HordeJob *self,
               gboolean  on_server)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (priv->on_server == on_server)
    return;

  priv->on_server = on_server;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ON_SERVER]);
}

static void
set_connection_error (HordeJob     *self,
                      const GError *error)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (error == NULL)
    priv->outage_streak = 0;
  if (priv->connection_error == NULL && error == NULL)
    return;

  g_clear_error (&priv->connection_error);
  if (error != NULL)
    priv->connection_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTION_ERROR]);
}

/* The progress properties notify where @before and now differ */
static void
progress_changed (HordeJob               *self,
                  const HordeJobProgress *before,
                  gboolean                polled_before)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  const HordeJobProgress *now = &priv->progress;

  g_object_freeze_notify (G_OBJECT (self));
#define NOTIFY_CHANGED(field, prop) \
  if (before->field != now->field) \
    g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
  NOTIFY_CHANGED (queue_position, PROP_QUEUE_POSITION);
  NOTIFY_CHANGED (wait_time, PROP_WAIT_TIME);
  NOTIFY_CHANGED (waiting, PROP_WAITING);
  NOTIFY_CHANGED (processing, PROP_PROCESSING);
  NOTIFY_CHANGED (finished, PROP_FINISHED);
  NOTIFY_CHANGED (restarted, PROP_RESTARTED);
  NOTIFY_CHANGED (kudos, PROP_KUDOS);
  NOTIFY_CHANGED (is_possible, PROP_IS_POSSIBLE);
  NOTIFY_CHANGED (faulted, PROP_FAULTED);
#undef NOTIFY_CHANGED

  /* the server keeps a request 20 minutes after a worker took up or
   * finished one of its generations; a job resumed from an id knows
   * nothing of what happened before its first poll */
  if ((polled_before || priv->expires_at != NULL) &&
      (now->processing > before->processing || now->finished > before->finished))
    {
      g_autoptr(GDateTime) moment = g_date_time_new_now_utc ();

      set_expires_at (self, g_date_time_add_seconds (moment, HORDE_JOB_EXPIRY_SECONDS));
    }

  /* while it is cancelled or downloaded, the state is the job's own */
  if (!now->done &&
      (priv->state == HORDE_JOB_STATE_WAITING || priv->state == HORDE_JOB_STATE_PROCESSING))
    set_state (self, now->processing > 0 || now->finished > 0
                     ? HORDE_JOB_STATE_PROCESSING : HORDE_JOB_STATE_WAITING);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Takes the answer of a fetch or a DELETE: its counts and kudos */
static void
set_status_progress (HordeJob *self,
                     gpointer  answer)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  HordeJobVFuncs *vfuncs = VFUNCS (self);
  HordeJobProgress before = priv->progress;

  if (vfuncs->read_status != NULL)
    vfuncs->read_status (self, answer, &priv->progress);
  else
    vfuncs->read_poll (self, answer, &priv->progress);
  progress_changed (self, &before, priv->polled);
}

/* Takes a poll's answer: the progress properties notify where they changed */
static void
set_progress (HordeJob *self,
              gpointer  answer)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  HordeJobProgress before = priv->progress;
  gboolean polled_before = priv->polled;

  g_clear_pointer (&priv->last_poll, horde_model_unref);
  priv->last_poll = horde_model_ref (answer);
  priv->polled = TRUE;
  VFUNCS (self)->read_poll (self, answer, &priv->progress);

  progress_changed (self, &before, polled_before);
}

static gboolean
run_cancelled (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  return g_cancellable_is_cancelled (priv->cancellable);
}

/* Ends the run: the task returns @error (or success), and the job lets go of
 * everything that belonged to the run. */
static void
run_complete (HordeJob      *self,
              HordeJobState  state,
              GError        *error)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GTask) task = g_steal_pointer (&priv->task);

  if (priv->timeout_source != NULL)
    {
      g_source_destroy (priv->timeout_source);
      g_clear_pointer (&priv->timeout_source, g_source_unref);
    }
  if (priv->caller_handler != 0)
    {
      g_cancellable_disconnect (priv->caller_cancellable, priv->caller_handler);
      priv->caller_handler = 0;
    }
  g_clear_object (&priv->caller_cancellable);
  if (priv->follow_bound != NULL)
    {
      g_source_destroy (priv->follow_bound);
      g_clear_pointer (&priv->follow_bound, g_source_unref);
    }
  g_clear_pointer (&priv->cancel_answer, horde_model_unref);
  untrack (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_connection_error (self, NULL);
  set_expires_at (self, NULL);
  set_state (self, state);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_fail (HordeJob *self,
          GError   *error)
{
  run_complete (self, HORDE_JOB_STATE_FAILED, error);
}

/* What a run that deleted its request returns */
static GError *
abort_error (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (priv->abort_reason != NULL)
    return g_error_copy (priv->abort_reason);

  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The job was cancelled"));
}

static HordeJobState
aborted_state (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  return priv->abort_reason == NULL ? HORDE_JOB_STATE_CANCELLED : HORDE_JOB_STATE_FAILED;
}

static void
results_taken (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (priv->state == HORDE_JOB_STATE_CANCELLING)
    run_complete (self, aborted_state (self), abort_error (self));
  else if (run_cancelled (self))
    run_complete (self, HORDE_JOB_STATE_CANCELLED, abort_error (self));
  else if (!ok)
    run_fail (self, g_steal_pointer (&error));
  else
    run_complete (self, HORDE_JOB_STATE_DONE, NULL);
}

/* The results of a fetch, a DELETE or the last poll */
static void
run_take_results (HordeJob *self,
                  gpointer  answer)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  gboolean cancelling = priv->state == HORDE_JOB_STATE_CANCELLING;

  if (!cancelling)
    set_state (self, HORDE_JOB_STATE_DOWNLOADING);

  /* once the request is deleted, its results are what is left of it:
   * take them even when the run is being cancelled */
  VFUNCS (self)->take_results_async (self, answer, cancelling ? NULL : priv->cancellable,
                                     results_taken, g_object_ref (self));
}

/* The server no longer knows the request: nothing is left there */
static gboolean
server_forgot (const GError *error)
{
  return g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND) ||
         g_error_matches (error, HORDE_ERROR, HORDE_ERROR_EXPIRED);
}

static void
outage_wait_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  if (!horde_sleep_finish (result, NULL))
    run_abort (self);
  else if (priv->state == HORDE_JOB_STATE_DOWNLOADING)
    run_fetch (self);
  else
    run_check (self);
}

/* A poll or the final fetch failed (takes @error) */
static void
run_call_failed (HordeJob *self,
                 GError   *error)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  guint delay;

  if (run_cancelled (self))
    {
      g_error_free (error);
      run_abort (self);
      return;
    }

  if (!horde_error_is_transient (error))
    {
      if (server_forgot (error))
        set_on_server (self, FALSE);
      run_fail (self, error);
      return;
    }

  /* the request lives on at the server: ask again later, rather than
   * give up on what it may already have made */
  delay = horde_backoff_ms (OUTAGE_FIRST_MS, OUTAGE_MAX_MS, priv->outage_streak++);
  g_debug ("%s %s: %s; asking again in %u ms", G_OBJECT_TYPE_NAME (self), priv->id, error->message, delay);
  set_connection_error (self, error);
  g_error_free (error);
  horde_sleep_async (delay, priv->cancellable, outage_wait_done, g_object_ref (self));
}

/* -------------------------------------------------------------------------
 * After a cancel: the generations being made are finished, and paid for
 *
 * On the real server a DELETE sets the request's n to 0 and answers with
 * its status; a generation a worker was making goes on, is charged when the
 * worker delivers it, and /status serves it (horde/apis/v2/stable.py,
 * ImageAsyncStatus.delete; kobold.py the same for texts). The request is
 * kept until it expires: /check says done once nothing is being made.
 */

/* Ends the follow-up with @answer's results (a fetch, the last poll or the
 * DELETE's answer) */
static void
follow_end (HordeJob *self,
            gpointer  answer)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  gpointer results = horde_model_ref (answer);

  if (priv->follow_bound != NULL)
    {
      g_source_destroy (priv->follow_bound);
      g_clear_pointer (&priv->follow_bound, g_source_unref);
    }
  set_connection_error (self, NULL);
  run_take_results (self, results);
  horde_model_unref (results);
}

static void
follow_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gpointer status = horde_client_call_finish (priv->client, result, NULL, &error);

  if (status == NULL)
    {
      g_debug ("Could not fetch the cancelled request %s: %s", priv->id, error->message);
      follow_end (self, priv->cancel_answer);
      return;
    }

  set_status_progress (self, status);
  follow_end (self, status);
  horde_model_unref (status);
}

/* Nothing is being made any more: the results, once */
static void
follow_fetch (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  HordeJobVFuncs *vfuncs = VFUNCS (self);
  gpointer request;

  /* the last poll holds the results */
  if (vfuncs->create_fetch_request == NULL)
    {
      follow_end (self, priv->last_poll);
      return;
    }

  request = vfuncs->create_fetch_request (self);
  horde_client_call_async (priv->client, request, priv->follow_cancellable, follow_fetched, g_object_ref (self));
  horde_model_unref (request);
}

static void follow_poll (HordeJob *self,
                         guint     delay);

static void
followed (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gpointer answer = horde_client_call_finish (priv->client, result, NULL, &error);
  HordeJobProgress *progress = &priv->progress;

  if (answer == NULL)
    {
      /* stopped, forgotten, refused: what the DELETE answered is all */
      if (g_cancellable_is_cancelled (priv->follow_cancellable) || !horde_error_is_transient (error))
        {
          g_debug ("Stopped following the cancelled request %s: %s", priv->id, error->message);
          follow_end (self, priv->cancel_answer);
          return;
        }

      set_connection_error (self, error);
      follow_poll (self, horde_backoff_ms (OUTAGE_FIRST_MS, OUTAGE_MAX_MS, priv->outage_streak++));
      return;
    }

  set_connection_error (self, NULL);
  set_progress (self, answer);
  horde_model_unref (answer);

  /* a fresh answer after a DELETE waits for nothing (n is 0): one that
   * still counts waiting generations came from the server's cache */
  if (progress->done || (progress->processing == 0 && progress->waiting == 0))
    {
      follow_fetch (self);
      return;
    }

  if (progress->wait_time <= 0)
    priv->unknown_streak++;
  else
    priv->unknown_streak = 0;
  follow_poll (self, horde_poll_delay_for_ms (TRUE, TRUE, progress->wait_time, progress->processing,
                                              0, priv->unknown_streak));
}

static void
follow_wait_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  gpointer request;

  if (!horde_sleep_finish (result, NULL))
    {
      follow_end (self, priv->cancel_answer);
      return;
    }

  request = VFUNCS (self)->create_poll_request (self);
  horde_client_call_async (priv->client, request, priv->follow_cancellable, followed, g_object_ref (self));
  horde_model_unref (request);
}

/* The server caches /check for a second: an answer computed before the
 * DELETE must not be taken for one after it */
#define FOLLOW_MIN_POLL_MS 1250

static void
follow_poll (HordeJob *self,
             guint     delay)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  delay = MAX (delay, MAX (FOLLOW_MIN_POLL_MS, VFUNCS (self)->min_poll_ms));
  horde_sleep_async (delay, priv->follow_cancellable, follow_wait_done, g_object_ref (self));
}

static gboolean
follow_bound_reached (gpointer user_data)
{
  HordeJob *self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_debug ("Gave up following the cancelled request %s", priv->id);
  g_clear_pointer (&priv->follow_bound, g_source_unref);
  g_cancellable_cancel (priv->follow_cancellable);

  return G_SOURCE_REMOVE;
}

/* Whether the run follows its deleted request, from the DELETE's answer
 * (already read into the progress) */
static gboolean
should_follow (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  return VFUNCS (self)->follows_cancel &&
         priv->abort_reason == NULL &&         /* a user's cancel */
         !priv->stop_following &&
         !priv->progress.faulted &&
         priv->progress.processing > 0;
}

static void
run_follow (HordeJob *self,
            gpointer  cancel_answer)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  priv->cancel_answer = horde_model_ref (cancel_answer);
  priv->follow_cancellable = g_cancellable_new ();
  priv->unknown_streak = 0;
  priv->outage_streak = 0;

  /* cancel_all now stops the follow-up (and cancels it at once when it is
   * under way) */
  track (self, priv->follow_cancellable);

  priv->follow_bound = g_timeout_source_new (HORDE_JOB_FOLLOW_MAX_MS);
  g_source_set_callback (priv->follow_bound, follow_bound_reached, self, NULL);
  g_source_attach (priv->follow_bound, g_main_context_get_thread_default ());

  follow_poll (self, 0);
}

static void
deleted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gpointer status = horde_client_call_finish (priv->client, result, NULL, &error);

  if (status == NULL)
    {
      /* the request may live on until it expires (on-server stays TRUE);
       * the error that stopped the run is still the one to report */
      if (server_forgot (error))
        set_on_server (self, FALSE);
      else
        g_debug ("Could not delete the request %s: %s", priv->id, error->message);
      run_complete (self, aborted_state (self), abort_error (self));
      return;
    }

  /* the counts of the answer first: whoever learns that the request is
   * deleted learns what it held */
  set_status_progress (self, status);
  priv->deleted = TRUE;
  set_on_server (self, FALSE);

  if (should_follow (self))
    run_follow (self, status);
  else
    run_take_results (self, status);
  horde_model_unref (status);
}

/* Deletes the server request, then keeps what it had finished */
static void
run_abort (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  gpointer request;

  set_state (self, HORDE_JOB_STATE_CANCELLING);

  if (priv->id == NULL)
    {
      run_complete (self, aborted_state (self), abort_error (self));
      return;
    }

  request = VFUNCS (self)->create_delete_request (self);
  horde_client_call_async (priv->client, request, NULL, deleted, g_object_ref (self));
  horde_model_unref (request);
}

/* The server is done with the request: nothing is left to delete */
static void
run_server_done (HordeJob *self)
{
  set_connection_error (self, NULL);
  untrack (self);
  set_on_server (self, FALSE);
}

static void
status_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  GError *error = NULL;
  gpointer status = horde_client_call_finish (priv->client, result, NULL, &error);

  if (status == NULL)
    {
      run_call_failed (self, error);
      return;
    }

  run_server_done (self);
  set_status_progress (self, status);
  run_take_results (self, status);
  horde_model_unref (status);
}

static void
run_fetch (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  HordeJobVFuncs *vfuncs = VFUNCS (self);
  gpointer request = vfuncs->create_fetch_request ? vfuncs->create_fetch_request (self) : NULL;

  set_state (self, HORDE_JOB_STATE_DOWNLOADING);

  /* the last poll holds the results */
  if (request == NULL)
    {
      run_server_done (self);
      run_take_results (self, priv->last_poll);
      return;
    }

  horde_client_call_async (priv->client, request, priv->cancellable, status_fetched, g_object_ref (self));
  horde_model_unref (request);
}

static void
checked (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  GError *error = NULL;
  gpointer answer = horde_client_call_finish (priv->client, result, NULL, &error);

  if (answer == NULL)
    {
      run_call_failed (self, error);
      return;
    }

  set_connection_error (self, NULL);
  set_progress (self, answer);
  horde_model_unref (answer);

  if (priv->progress.faulted)
    {
      HordeJobVFuncs *vfuncs = VFUNCS (self);

      g_clear_error (&priv->abort_reason);
      if (vfuncs->create_fault_error != NULL)
        priv->abort_reason = vfuncs->create_fault_error (self);
      else
        priv->abort_reason = g_error_new (HORDE_ERROR, HORDE_ERROR_FAULTED,
                                          _("The Horde could not complete the request (%d of its generations finished)"),
                                          (int) priv->progress.finished);
      run_abort (self);
      return;
    }

  /* the real server ends a request whose generations all failed with
   * done, not faulted (it faults a request only after more failures): a
   * silent success with nothing in it unless it is said here */
  if (priv->progress.done && priv->progress.finished == 0 && priv->progress.restarted > 0)
    {
      g_clear_error (&priv->abort_reason);
      priv->abort_reason = g_error_new (HORDE_ERROR, HORDE_ERROR_FAULTED,
                                        g_dngettext (GETTEXT_PACKAGE,
                                                     "Workers failed this request %d time, and it produced nothing",
                                                     "Workers failed this request %d times, and it produced nothing",
                                                     (gulong) MIN (priv->progress.restarted, G_MAXINT)),
                                        (int) MIN (priv->progress.restarted, G_MAXINT));
      run_abort (self);
      return;
    }

  if (priv->progress.done)
    {
      run_fetch (self);
      return;
    }

  /* cancelled while the poll was answered */
  if (run_cancelled (self))
    {
      run_abort (self);
      return;
    }

  if (priv->progress.wait_time <= 0)
    priv->unknown_streak++;
  else
    priv->unknown_streak = 0;

  run_poll (self);
}

static void
run_check (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  gpointer request = VFUNCS (self)->create_poll_request (self);

  horde_client_call_async (priv->client, request, priv->cancellable, checked, g_object_ref (self));
  horde_model_unref (request);
}

static void
poll_wait_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;

  if (!horde_sleep_finish (result, NULL))
    {
      run_abort (self);
      return;
    }

  run_check (self);
}

static void
run_poll (HordeJob *self)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  HordeJobProgress *progress = &priv->progress;
  guint delay;

  delay = horde_poll_delay_for_ms (priv->polled, progress->is_possible, progress->wait_time,
                                   progress->processing, progress->waiting, priv->unknown_streak);
  /* some finished or under way and more to come: results may be shown
   * before the end */
  if (VFUNCS (self)->partial_poll_ms > 0 && priv->polled && progress->is_possible &&
      progress->finished + progress->processing > 0 &&
      progress->waiting + progress->processing > 0 &&
      progress->finished + progress->processing + progress->waiting > 1)
    delay = MIN (delay, VFUNCS (self)->partial_poll_ms);
  delay = MAX (delay, VFUNCS (self)->min_poll_ms);
  horde_sleep_async (delay, priv->cancellable, poll_wait_done, g_object_ref (self));
}

static void
submitted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeJob) self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  GError *error = NULL;
  gpointer answer = horde_client_call_finish (priv->client, result, NULL, &error);

  if (answer == NULL)
    {
      run_fail (self, error);
      return;
    }

  if (!VFUNCS (self)->accept_submission (self, answer, &error))
    {
      horde_model_unref (answer);
      run_fail (self, error);
      return;
    }
  horde_model_unref (answer);

  set_on_server (self, TRUE);
  track (self, priv->cancellable);
  set_state (self, HORDE_JOB_STATE_WAITING);

  /* cancelled while the submission was on its way: the request exists
   * now, so delete it */
  if (run_cancelled (self))
    {
      run_abort (self);
      return;
    }

  run_poll (self);
}

static gboolean
timeout_expired (gpointer user_data)
{
  HordeJob *self = user_data;
  HordeJobPrivate *priv = horde_job_get_instance_private (self);

  g_clear_pointer (&priv->timeout_source, g_source_unref);

  /* cancelled before: the timeout ends the follow-up, not the cancel */
  if (priv->follow_cancellable != NULL)
    {
      g_cancellable_cancel (priv->follow_cancellable);
      return G_SOURCE_REMOVE;
    }

  g_clear_error (&priv->abort_reason);
  priv->abort_reason = g_error_new (HORDE_ERROR, HORDE_ERROR_TIMEOUT,
                                    g_dngettext (GETTEXT_PACKAGE, "The job did not finish within %u second",
                                                 "The job did not finish within %u seconds", priv->timeout),
                                    priv->timeout);
  g_cancellable_cancel (priv->cancellable);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

/**
 * horde_job_run_async:
 * @self: a #HordeJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the job has ended
 * @user_data: data for @callback
 *
 * Runs the job: submits the request (unless the job resumes an id), follows
 * it to the end and takes its results. A job runs once.
 *
 * Cancelling @cancellable deletes the request on the server; the run ends
 * once the server answered, keeping the results finished before.
 */
void
horde_job_run_async (HordeJob            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  gpointer request;
  GError *error = NULL;

  g_return_if_fail (HORDE_IS_JOB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_job_run_async);
  /* cancellation is ours to report, once the server request is deleted */
  g_task_set_check_cancellable (task, FALSE);

  if (priv->task != NULL || priv->state != HORDE_JOB_STATE_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The job has already run; make a new one to run it again");
      return;
    }

  priv->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      priv->caller_cancellable = g_object_ref (cancellable);
      priv->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                    g_object_ref (priv->cancellable), g_object_unref);
    }

  if (priv->timeout > 0)
    {
      /* not g_timeout_source_new_seconds(): it may fire up to a quarter
       * second early, and a timeout is a promise of at least that long */
      if (priv->timeout <= G_MAXUINT / 1000)
        priv->timeout_source = g_timeout_source_new (priv->timeout * 1000);
      else
        priv->timeout_source = g_timeout_source_new_seconds (priv->timeout);
      g_source_set_callback (priv->timeout_source, timeout_expired, self, NULL);
      g_source_attach (priv->timeout_source, g_main_context_get_thread_default ());
    }

  if (priv->id != NULL)
    {
      set_on_server (self, TRUE);
      track (self, priv->cancellable);
      set_state (self, HORDE_JOB_STATE_WAITING);
      if (run_cancelled (self))
        run_abort (self);
      else
        run_poll (self);
      return;
    }

  request = VFUNCS (self)->create_submit_request (self, &error);
  if (request == NULL)
    {
      run_fail (self, error);
      return;
    }

  set_state (self, HORDE_JOB_STATE_SUBMITTING);
  /* tracked from now on: a clean-up while the submission is on its way
   * cancels the job, which deletes the request once it has its id */
  track (self, priv->cancellable);
  /* never cancel the submission itself: a request the server accepted while
   * we stopped listening would run on, unseen, spending kudos */
  horde_client_call_async (priv->client, request, NULL, submitted, g_object_ref (self));
  horde_model_unref (request);
}

/**
 * horde_job_run_finish:
 * @self: a #HordeJob
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Job.run_async].
 *
 * Returns: %TRUE when every result arrived; on %FALSE, the results that
 *   did are kept by the job, and @error says why the rest did not:
 *   %G_IO_ERROR_CANCELLED, %HORDE_ERROR_FAULTED (the Horde faulted the
 *   request, or ended it with no result after workers failed it),
 *   %HORDE_ERROR_TIMEOUT, an error of the server or of the network
 */
gboolean
horde_job_run_finish (HordeJob      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_start (HordeClient         *client,
           gpointer             job,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  horde_job_run_async (job, cancellable, callback, user_data);
}

/**
 * horde_job_run_sync:
 * @self: a #HordeJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the job and waits for its end, blocking the calling thread. The
 * progress properties notify from this thread meanwhile.
 *
 * Returns: %TRUE when every result arrived; see
 *   [method@Horde.Job.run_finish]
 */
gboolean
horde_job_run_sync (HordeJob      *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);

  result = horde_client_run_sync (priv->client, run_start, self, cancellable);

  return horde_job_run_finish (self, result, error);
}

/* -------------------------------------------------------------------------
 * Estimating
 */

static void
estimated (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(HordeRequestAsync) answer = horde_client_call_finish (HORDE_CLIENT (object), result, NULL, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else if (!horde_request_async_has_kudos (answer))
    g_task_return_new_error (task, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                             _("The server’s estimate has no kudos in it"));
  else
    {
      double *kudos = g_new (double, 1);

      *kudos = horde_request_async_get_kudos (answer);
      g_task_return_pointer (task, kudos, g_free);
    }
}

/**
 * horde_job_estimate_async:
 * @self: a #HordeJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the estimate
 * @user_data: data for @callback
 *
 * Asks the server what the job's request would cost, without running it:
 * the request is sent as a dry run, which queues nothing and spends no
 * kudos. The job itself is left as it was; it can run afterwards.
 *
 * Image and text requests have a dry run. An alchemy job
 * ([class@Horde.AlchemyJob]) fails with %G_IO_ERROR_NOT_SUPPORTED, as does
 * a job resumed from an id, which has no request to send.
 */
void
horde_job_estimate_async (HordeJob            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  gpointer dry = NULL;
  GError *error = NULL;

  g_return_if_fail (HORDE_IS_JOB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_job_estimate_async);

  if (VFUNCS (self)->create_dry_run_request == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               /* TRANSLATORS: %s is the type of the job, such as HordeAlchemyJob */
                               _("A %s cannot be estimated: the Horde has no dry run for its requests"),
                               G_OBJECT_TYPE_NAME (self));
      return;
    }

  dry = VFUNCS (self)->create_dry_run_request (self, &error);
  if (dry == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                     _("A job resumed from an id has no request to estimate"));
      g_task_return_error (task, error);
      return;
    }

  horde_client_call_async (priv->client, dry, cancellable, estimated, g_steal_pointer (&task));
  horde_model_unref (dry);
}

/**
 * horde_job_estimate_finish:
 * @self: a #HordeJob
 * @result: the #GAsyncResult given to the callback
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Job.estimate_async].
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_job_estimate_finish (HordeJob      *self,
                           GAsyncResult  *result,
                           double        *kudos,
                           GError       **error)
{
  g_autofree double *value = NULL;

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_job_estimate_async, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;

  if (kudos != NULL)
    *kudos = *value;
  return TRUE;
}

static void
estimate_start (HordeClient         *client,
                gpointer             job,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  horde_job_estimate_async (job, cancellable, callback, user_data);
}

/**
 * horde_job_estimate_sync:
 * @self: a #HordeJob
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.Job.estimate_async], blocking the calling thread.
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_job_estimate_sync (HordeJob      *self,
                         double        *kudos,
                         GCancellable  *cancellable,
                         GError       **error)
{
  HordeJobPrivate *priv = horde_job_get_instance_private (self);
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_JOB (self), FALSE);

  result = horde_client_run_sync (priv->client, estimate_start, self, cancellable);

  return horde_job_estimate_finish (self, result, kudos, error);
}

GError *
horde_job_check_n_results (gsize n,
                           gsize expected)
{
  if (n <= expected)
    return NULL;

  return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The server answered with %zu results to a request for %zu",
                                   "The server answered with %zu results to a request for %zu",
                                   expected),
                      n, expected);
}

/* horde-image-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-client-private.h"
#include "horde-enums.h"
#include "horde-error.h"
#include "horde-generated-image.h"
#include "horde-image-job.h"
#include "horde-util-private.h"

/* after the client's own retries failed, while the server is unreachable */
#define OUTAGE_FIRST_MS 2000
#define OUTAGE_MAX_MS 30000

/**
 * HordeImageJob:
 *
 * One image generation request on the Horde, from submission to images.
 *
 * [method@Horde.ImageJob.run_async] submits the request, polls its progress
 * (at a pace that follows the server's own estimate of the time left and
 * stays under its rate limits), fetches the full status once when the
 * request is done and downloads and decodes the images, which appear in
 * [method@Horde.ImageJob.get_images] as they arrive. Progress properties
 * ([property@Horde.ImageJob:state], [property@Horde.ImageJob:queue-position],
 * [property@Horde.ImageJob:wait-time] and the counts) notify as answers come,
 * so that a user interface can bind to them.
 *
 * Cancelling (the #GCancellable given to run, or
 * [method@Horde.ImageJob.cancel]), a [property@Horde.ImageJob:timeout] and a
 * faulted request all delete the request on the server, which stops the
 * spending of kudos, and keep the images finished before. A job can resume
 * a request submitted earlier from its id ([ctor@Horde.ImageJob.new_for_id]).
 *
 * This is horde_sdk's getting-started example in C:
 *
 * ```c
 * g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
 * g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
 * const char *models[] = { "Deliberate", NULL };
 *
 * horde_model_generation_input_stable_builder_set_width (params, 512);
 * horde_model_generation_input_stable_builder_set_height (params, 768);
 * horde_model_generation_input_stable_builder_set_sampler_name (params, "k_euler_a");
 * horde_model_generation_input_stable_builder_set_clip_skip (params, 1);
 * horde_model_generation_input_stable_builder_set_n (params, 2);
 * horde_image_generate_async_request_builder_set_prompt (builder, "A cat in a hat");
 * horde_image_generate_async_request_builder_set_models (builder, models);
 * horde_image_generate_async_request_builder_set_params (builder,
 *     horde_model_generation_input_stable_builder_end (params, NULL));
 *
 * request = horde_image_generate_async_request_builder_end (builder, &error);
 * job = horde_image_job_new (client, request);
 * if (horde_image_job_run_sync (job, NULL, &error))
 *   images = horde_image_job_get_images (job);
 * ```
 */

struct _HordeImageJob
{
  GObject parent_instance;

  HordeClient *client;
  HordeImageGenerateAsyncRequest *request;
  char *id;
  HordeJobState state;
  guint timeout;

  HordeRequestAsync *submitted;
  HordeRequestStatusCheck *check;
  GStrv warnings;
  GListStore *images;

  GCancellable *cancellable;      /* ours: stops the run, whoever asks */
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GTask *task;                    /* the run under way */
  GError *abort_reason;           /* why the run deletes its request */
  GError *download_error;
  GSource *timeout_source;
  gboolean tracked;
  gboolean on_server;             /* the request may still be there */
  GError *connection_error;       /* while the server cannot be reached */
  guint outage_streak;
  guint unknown_streak;
  guint downloads_pending;
  GPtrArray *downloaded;          /* HordeGeneratedImage, by position */
};

G_DEFINE_FINAL_TYPE (HordeImageJob, horde_image_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REQUEST,
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
  PROP_IMAGES,
  PROP_ON_SERVER,
  PROP_CONNECTION_ERROR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void run_poll (HordeImageJob *self);
static void run_abort (HordeImageJob *self);
static void run_check (HordeImageJob *self);
static void run_fetch (HordeImageJob *self);

/**
 * horde_image_job_new:
 * @client: the client to send with
 * @request: the request to submit
 *
 * Makes a job that submits @request when it runs.
 *
 * Returns: (transfer full): a new #HordeImageJob
 */
HordeImageJob *
horde_image_job_new (HordeClient                    *client,
                     HordeImageGenerateAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return g_object_new (HORDE_TYPE_IMAGE_JOB,
                       "client", client,
                       "request", request,
                       NULL);
}

/**
 * horde_image_job_new_for_id:
 * @client: the client to send with
 * @id: the id of a request submitted earlier
 *
 * Makes a job that follows a request already on the server, as after a
 * restart: running it polls, fetches and downloads, without submitting.
 *
 * Returns: (transfer full): a new #HordeImageJob
 */
HordeImageJob *
horde_image_job_new_for_id (HordeClient *client,
                            const char  *id)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (HORDE_TYPE_IMAGE_JOB,
                       "client", client,
                       "id", id,
                       NULL);
}

static void
horde_image_job_dispose (GObject *object)
{
  HordeImageJob *self = (HordeImageJob *)object;

  if (self->tracked)
    {
      horde_client_untrack_job (self->client, self->cancellable);
      self->tracked = FALSE;
    }

  G_OBJECT_CLASS (horde_image_job_parent_class)->dispose (object);
}

static void
horde_image_job_finalize (GObject *object)
{
  HordeImageJob *self = (HordeImageJob *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->submitted, horde_request_async_unref);
  g_clear_pointer (&self->check, horde_request_status_check_unref);
  g_clear_pointer (&self->warnings, g_strfreev);
  g_clear_object (&self->images);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->abort_reason);
  g_clear_error (&self->download_error);
  g_clear_error (&self->connection_error);
  g_clear_pointer (&self->downloaded, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_image_job_parent_class)->finalize (object);
}

static void
horde_image_job_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_QUEUE_POSITION:
      g_value_set_int64 (value, horde_image_job_get_queue_position (self));
      break;
    case PROP_WAIT_TIME:
      g_value_set_int64 (value, horde_image_job_get_wait_time (self));
      break;
    case PROP_WAITING:
      g_value_set_int64 (value, horde_image_job_get_waiting (self));
      break;
    case PROP_PROCESSING:
      g_value_set_int64 (value, horde_image_job_get_processing (self));
      break;
    case PROP_FINISHED:
      g_value_set_int64 (value, horde_image_job_get_finished (self));
      break;
    case PROP_RESTARTED:
      g_value_set_int64 (value, horde_image_job_get_restarted (self));
      break;
    case PROP_KUDOS:
      g_value_set_double (value, horde_image_job_get_kudos (self));
      break;
    case PROP_IS_POSSIBLE:
      g_value_set_boolean (value, horde_image_job_get_is_possible (self));
      break;
    case PROP_FAULTED:
      g_value_set_boolean (value, horde_image_job_get_faulted (self));
      break;
    case PROP_WARNINGS:
      g_value_set_boxed (value, self->warnings);
      break;
    case PROP_IMAGES:
      g_value_set_object (value, self->images);
      break;
    case PROP_ON_SERVER:
      g_value_set_boolean (value, self->on_server);
      break;
    case PROP_CONNECTION_ERROR:
      g_value_set_boxed (value, self->connection_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_image_job_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_REQUEST:
      self->request = g_value_dup_boxed (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      horde_image_job_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_image_job_class_init (HordeImageJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = horde_image_job_dispose;
  object_class->finalize = horde_image_job_finalize;
  object_class->get_property = horde_image_job_get_property;
  object_class->set_property = horde_image_job_set_property;

  /**
   * HordeImageJob:client:
   *
   * The client the job sends with.
   */
  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, HORDE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:request:
   *
   * The request the job submits; %NULL for a job resumed from an id.
   */
  properties [PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:id:
   *
   * The id of the request on the server, once submitted. Keep it to resume
   * the job after a restart.
   */
  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:state:
   *
   * Where the job is in its life.
   */
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HORDE_TYPE_JOB_STATE, HORDE_JOB_STATE_NEW,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:timeout:
   *
   * Seconds the job may take from submission to done before it deletes its
   * request and fails with %HORDE_ERROR_TIMEOUT; 0 waits as long as it takes.
   */
  properties [PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:queue-position:
   *
   * The request's position in the server's queue.
   */
  properties [PROP_QUEUE_POSITION] =
    g_param_spec_int64 ("queue-position", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:wait-time:
   *
   * The server's estimate of the seconds until the request is done.
   */
  properties [PROP_WAIT_TIME] =
    g_param_spec_int64 ("wait-time", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:waiting:
   *
   * How many images of the request wait for a worker.
   */
  properties [PROP_WAITING] =
    g_param_spec_int64 ("waiting", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:processing:
   *
   * How many images of the request workers are making.
   */
  properties [PROP_PROCESSING] =
    g_param_spec_int64 ("processing", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:finished:
   *
   * How many images of the request are finished on the server.
   */
  properties [PROP_FINISHED] =
    g_param_spec_int64 ("finished", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:restarted:
   *
   * How many times a worker dropped or failed an image of the request, which
   * then went back to the queue.
   */
  properties [PROP_RESTARTED] =
    g_param_spec_int64 ("restarted", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:kudos:
   *
   * The kudos the request has cost so far, or its expected cost before the
   * first poll.
   */
  properties [PROP_KUDOS] =
    g_param_spec_double ("kudos", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:is-possible:
   *
   * %FALSE when no worker now online can serve the request. A warning, not
   * an end: a worker that can may come online.
   */
  properties [PROP_IS_POSSIBLE] =
    g_param_spec_boolean ("is-possible", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:faulted:
   *
   * %TRUE when the Horde gave up on the request.
   */
  properties [PROP_FAULTED] =
    g_param_spec_boolean ("faulted", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:warnings:
   *
   * The warnings the server gave when it accepted the request, such as "no
   * available worker can fulfil this request".
   */
  properties [PROP_WARNINGS] =
    g_param_spec_boxed ("warnings", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:images:
   *
   * The images received so far, a #GListModel of [class@Horde.GeneratedImage].
   */
  properties [PROP_IMAGES] =
    g_param_spec_object ("images", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:on-server:
   *
   * Whether the request may still be on the server, waiting, running or
   * holding results: %TRUE from the moment it has an id until its results
   * were fetched, it was deleted, or the server said it no longer knows it.
   *
   * A run that ends while this is %TRUE (the network failed, or a cancel
   * could not reach the server) left the request behind: keep
   * [property@Horde.ImageJob:id] to resume or delete it later.
   */
  properties [PROP_ON_SERVER] =
    g_param_spec_boolean ("on-server", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:connection-error:
   *
   * Why the server cannot be reached, while it cannot; %NULL otherwise.
   *
   * Once a request is on the server, losing the connection does not end
   * the run: the job keeps asking, backing off up to half a minute between
   * attempts, until the server answers, the
   * [property@Horde.ImageJob:timeout] passes or the run is cancelled.
   * Network failures, timeouts, server errors (5xx) and rate limiting that
   * outlast the client's own retries count as such.
   */
  properties [PROP_CONNECTION_ERROR] =
    g_param_spec_boxed ("connection-error", NULL, NULL, G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_image_job_init (HordeImageJob *self)
{
  self->images = g_list_store_new (HORDE_TYPE_GENERATED_IMAGE);
  self->cancellable = g_cancellable_new ();
}

/* -------------------------------------------------------------------------
 * Accessors
 */

/**
 * horde_image_job_get_client:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:client].
 *
 * Returns: (transfer none): the client the job sends with
 */
HordeClient *
horde_image_job_get_client (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->client;
}

/**
 * horde_image_job_get_request:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:request].
 *
 * Returns: (transfer none) (nullable): the request, or %NULL for a job
 *   resumed from an id
 */
HordeImageGenerateAsyncRequest *
horde_image_job_get_request (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->request;
}

/**
 * horde_image_job_get_id:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:id].
 *
 * Returns: (nullable): the id of the request on the server, or %NULL
 *   before it is submitted
 */
const char *
horde_image_job_get_id (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->id;
}

/**
 * horde_image_job_get_state:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:state].
 *
 * Returns: where the job is in its life
 */
HordeJobState
horde_image_job_get_state (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), HORDE_JOB_STATE_NEW);
  return self->state;
}

/**
 * horde_image_job_get_timeout:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:timeout].
 *
 * Returns: the timeout in seconds, or 0 for none
 */
guint
horde_image_job_get_timeout (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return self->timeout;
}

/**
 * horde_image_job_set_timeout:
 * @self: a #HordeImageJob
 * @timeout: seconds, or 0 for none
 *
 * Sets [property@Horde.ImageJob:timeout]; set it before running.
 */
void
horde_image_job_set_timeout (HordeImageJob *self,
                             guint          timeout)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TIMEOUT]);
}

#define CHECK_FIELD(field, fallback) \
  (self->check != NULL && horde_request_status_check_has_##field (self->check) \
   ? horde_request_status_check_get_##field (self->check) : (fallback))

/**
 * horde_image_job_get_queue_position:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:queue-position].
 *
 * Returns: the position in the server's queue, as of the last poll
 */
gint64
horde_image_job_get_queue_position (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (queue_position, 0);
}

/**
 * horde_image_job_get_wait_time:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:wait-time].
 *
 * Returns: the server's estimate of the seconds left, as of the last poll
 */
gint64
horde_image_job_get_wait_time (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (wait_time, 0);
}

/**
 * horde_image_job_get_waiting:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:waiting].
 *
 * Returns: how many images wait for a worker, as of the last poll
 */
gint64
horde_image_job_get_waiting (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (waiting, 0);
}

/**
 * horde_image_job_get_processing:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:processing].
 *
 * Returns: how many images workers are making, as of the last poll
 */
gint64
horde_image_job_get_processing (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (processing, 0);
}

/**
 * horde_image_job_get_finished:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:finished].
 *
 * Returns: how many images are finished on the server, as of the last poll
 */
gint64
horde_image_job_get_finished (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (finished, 0);
}

/**
 * horde_image_job_get_restarted:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:restarted].
 *
 * Returns: how many times an image went back to the queue
 */
gint64
horde_image_job_get_restarted (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return CHECK_FIELD (restarted, 0);
}

/**
 * horde_image_job_get_kudos:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:kudos].
 *
 * Returns: the kudos spent so far, or expected before the first poll
 */
double
horde_image_job_get_kudos (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);

  if (self->check != NULL && horde_request_status_check_has_kudos (self->check))
    return horde_request_status_check_get_kudos (self->check);
  if (self->submitted != NULL)
    return horde_request_async_get_kudos (self->submitted);
  return 0;
}

/**
 * horde_image_job_get_is_possible:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:is-possible].
 *
 * Returns: %FALSE when no worker online can serve the request
 */
gboolean
horde_image_job_get_is_possible (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), TRUE);
  return self->check == NULL || horde_request_status_check_get_is_possible (self->check);
}

/**
 * horde_image_job_get_faulted:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:faulted].
 *
 * Returns: %TRUE when the Horde gave up on the request
 */
gboolean
horde_image_job_get_faulted (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return self->check != NULL && horde_request_status_check_get_faulted (self->check);
}

/**
 * horde_image_job_get_warnings:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:warnings].
 *
 * Returns: (transfer none) (nullable): the server's warnings about the
 *   request, in words
 */
const char * const *
horde_image_job_get_warnings (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return (const char * const *) self->warnings;
}

/**
 * horde_image_job_get_submit_response:
 * @self: a #HordeImageJob
 *
 * The answer of the server to the submission.
 *
 * Returns: (transfer none) (nullable): the server's answer to the
 *   submission: id, expected kudos, message and coded warnings
 */
HordeRequestAsync *
horde_image_job_get_submit_response (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->submitted;
}

/**
 * horde_image_job_get_last_check:
 * @self: a #HordeImageJob
 *
 * The last answer of the server about the progress of the request.
 *
 * Returns: (transfer none) (nullable): the last progress answer
 */
HordeRequestStatusCheck *
horde_image_job_get_last_check (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->check;
}

/**
 * horde_image_job_get_images:
 * @self: a #HordeImageJob
 *
 * The images received, in the order of the request's generations; they
 * appear as they are downloaded, and stay after a cancel or failure.
 *
 * Returns: (transfer none): a #GListModel of [class@Horde.GeneratedImage]
 */
GListModel *
horde_image_job_get_images (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return G_LIST_MODEL (self->images);
}

/**
 * horde_image_job_get_on_server:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:on-server].
 *
 * Returns: whether the request may still be on the server
 */
gboolean
horde_image_job_get_on_server (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return self->on_server;
}

/**
 * horde_image_job_get_connection_error:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:connection-error].
 *
 * Returns: (nullable) (transfer none): why the server cannot be reached
 *   while the job keeps trying, or %NULL
 */
const GError *
horde_image_job_get_connection_error (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->connection_error;
}

/**
 * horde_image_job_cancel:
 * @self: a #HordeImageJob
 *
 * Cancels the run: the same as cancelling the #GCancellable given to
 * [method@Horde.ImageJob.run_async]. The server request is deleted, the
 * images finished before are kept, and the run ends with
 * %G_IO_ERROR_CANCELLED.
 */
void
horde_image_job_cancel (HordeImageJob *self)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));

  g_cancellable_cancel (self->cancellable);
}

/* -------------------------------------------------------------------------
 * Running
 */

static void
set_state (HordeImageJob *self,
           HordeJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
set_on_server (HordeImageJob *self,
               gboolean       on_server)
{
  if (self->on_server == on_server)
    return;

  self->on_server = on_server;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ON_SERVER]);
}

static void
set_connection_error (HordeImageJob *self,
                      const GError  *error)
{
  if (error == NULL)
    self->outage_streak = 0;
  if (self->connection_error == NULL && error == NULL)
    return;

  g_clear_error (&self->connection_error);
  if (error != NULL)
    self->connection_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTION_ERROR]);
}

static void
set_check (HordeImageJob           *self,
           HordeRequestStatusCheck *check)
{
  g_autoptr(HordeRequestStatusCheck) old = g_steal_pointer (&self->check);
  struct {
    guint prop;
    gint64 before;
    gint64 (*get) (HordeImageJob *);
  } counts[] = {
    { PROP_QUEUE_POSITION, horde_image_job_get_queue_position (self), horde_image_job_get_queue_position },
    { PROP_WAIT_TIME, horde_image_job_get_wait_time (self), horde_image_job_get_wait_time },
    { PROP_WAITING, horde_image_job_get_waiting (self), horde_image_job_get_waiting },
    { PROP_PROCESSING, horde_image_job_get_processing (self), horde_image_job_get_processing },
    { PROP_FINISHED, horde_image_job_get_finished (self), horde_image_job_get_finished },
    { PROP_RESTARTED, horde_image_job_get_restarted (self), horde_image_job_get_restarted },
  };
  double kudos = horde_image_job_get_kudos (self);
  gboolean possible = horde_image_job_get_is_possible (self);
  gboolean faulted = horde_image_job_get_faulted (self);

  self->check = horde_request_status_check_ref (check);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    if (counts[i].get (self) != counts[i].before)
      g_object_notify_by_pspec (G_OBJECT (self), properties [counts[i].prop]);
  if (horde_image_job_get_kudos (self) != kudos)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KUDOS]);
  if (horde_image_job_get_is_possible (self) != possible)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IS_POSSIBLE]);
  if (horde_image_job_get_faulted (self) != faulted)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FAULTED]);

  if (!horde_request_status_check_get_done (check))
    set_state (self, horde_request_status_check_get_processing (check) > 0 ||
                     horde_request_status_check_get_finished (check) > 0
                     ? HORDE_JOB_STATE_PROCESSING : HORDE_JOB_STATE_WAITING);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_submitted (HordeImageJob     *self,
               HordeRequestAsync *submitted)
{
  HordeRequestSingleWarning * const *warnings;
  gsize n_warnings = 0;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  self->submitted = horde_request_async_ref (submitted);
  self->id = g_strdup (horde_request_async_get_id (submitted));

  warnings = horde_request_async_get_warnings (submitted, &n_warnings);
  for (gsize i = 0; i < n_warnings; i++)
    {
      const char *message = horde_request_single_warning_get_message (warnings[i]);
      const char *code = horde_request_single_warning_get_code (warnings[i]);

      if (message != NULL || code != NULL)
        g_strv_builder_add (builder, message ? message : code);
    }
  if (n_warnings == 0 && horde_request_async_get_message (submitted) != NULL)
    g_strv_builder_add (builder, horde_request_async_get_message (submitted));
  self->warnings = g_strv_builder_end (builder);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WARNINGS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KUDOS]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
run_cancelled (HordeImageJob *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

/* Ends the run: the task returns @error (or success), and the job lets go of
 * everything that belonged to the run. */
static void
run_complete (HordeImageJob *self,
              HordeJobState  state,
              GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->caller_handler != 0)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
      self->caller_handler = 0;
    }
  g_clear_object (&self->caller_cancellable);
  if (self->tracked)
    {
      self->tracked = FALSE;
      horde_client_untrack_job (self->client, self->cancellable);
    }

  g_object_freeze_notify (G_OBJECT (self));
  set_connection_error (self, NULL);
  set_state (self, state);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_fail (HordeImageJob *self,
          GError        *error)
{
  run_complete (self, HORDE_JOB_STATE_FAILED, error);
}

/* What a run that deleted its request returns */
static GError *
abort_error (HordeImageJob *self)
{
  if (self->abort_reason != NULL)
    return g_error_copy (self->abort_reason);

  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The job was cancelled"));
}

typedef struct {
  HordeImageJob *job;
  guint index;
  HordeGenerationStable *generation;
} Download;

static Download *
download_new (HordeImageJob         *job,
              guint                  index,
              HordeGenerationStable *generation)
{
  Download *download = g_new0 (Download, 1);

  download->job = g_object_ref (job);
  download->index = index;
  download->generation = horde_generation_stable_ref (generation);

  return download;
}

static void
download_free (Download *download)
{
  g_object_unref (download->job);
  horde_generation_stable_unref (download->generation);
  g_free (download);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Download, download_free)

static HordeJobState
aborted_state (HordeImageJob *self)
{
  return self->abort_reason == NULL ? HORDE_JOB_STATE_CANCELLED : HORDE_JOB_STATE_FAILED;
}

static void
run_downloads_done (HordeImageJob *self)
{
  /* all of them, in the order of the generations */
  for (guint i = 0; i < self->downloaded->len; i++)
    if (self->downloaded->pdata[i] != NULL)
      g_list_store_append (self->images, self->downloaded->pdata[i]);
  g_clear_pointer (&self->downloaded, g_ptr_array_unref);

  if (self->state == HORDE_JOB_STATE_CANCELLING)
    {
      run_complete (self, aborted_state (self), abort_error (self));
      return;
    }

  if (run_cancelled (self))
    {
      run_complete (self, HORDE_JOB_STATE_CANCELLED, abort_error (self));
      return;
    }

  if (self->download_error != NULL)
    {
      run_fail (self, g_steal_pointer (&self->download_error));
      return;
    }

  run_complete (self, HORDE_JOB_STATE_DONE, NULL);
}

static void
download_settled (HordeImageJob *self,
                  guint          index,
                  HordeGeneratedImage *image,
                  GError        *error)
{
  if (image != NULL)
    self->downloaded->pdata[index] = image;

  if (error != NULL)
    {
      if (self->download_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->download_error = g_error_new (error->domain, error->code,
                                            _("Image %u of %u: %s"), index + 1,
                                            self->downloaded->len, error->message);
      g_error_free (error);
    }

  if (--self->downloads_pending == 0)
    run_downloads_done (self);
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Download *download = task_data;
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  GError *error = NULL;
  HordeGeneratedImage *image = horde_generated_image_new_from_bytes (bytes, download->generation, &error);

  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, g_object_unref);
}

static void
decode_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Download *download = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  HordeGeneratedImage *image = g_task_propagate_pointer (G_TASK (result), &error);

  download_settled (download->job, download->index, image, error);
}

/* Decodes in a worker thread: a large image takes a while */
static void
decode_start (Download *download,
              GBytes   *bytes)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, decode_done, NULL);

  g_task_set_source_tag (task, decode_start);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  g_object_set_data_full (G_OBJECT (task), "bytes", g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_in_thread);
}

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = horde_client_download_finish (HORDE_CLIENT (object), result, NULL, &error);

  if (bytes == NULL)
    {
      download_settled (download->job, download->index, NULL, error);
      return;
    }

  decode_start (g_steal_pointer (&download), bytes);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* Fetches (r2 URL) or decodes (base64) each generation, all at once */
static void
run_download (HordeImageJob         *self,
              HordeGenerationStable * const *generations,
              gsize                  n_generations)
{
  if (self->state != HORDE_JOB_STATE_CANCELLING)
    set_state (self, HORDE_JOB_STATE_DOWNLOADING);

  self->downloaded = g_ptr_array_new_with_free_func (unref_if_set);
  g_ptr_array_set_size (self->downloaded, n_generations);

  if (n_generations == 0)
    {
      run_downloads_done (self);
      return;
    }

  self->downloads_pending = n_generations;
  for (gsize i = 0; i < n_generations; i++)
    {
      const char *img = horde_generation_stable_get_img (generations[i]);
      Download *download = download_new (self, i, generations[i]);

      if (img == NULL || *img == '\0')
        {
          download_free (download);
          download_settled (self, i, NULL,
                            g_error_new_literal (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                                                 _("The server sent no image")));
        }
      else if (g_str_has_prefix (img, "https://") || g_str_has_prefix (img, "http://"))
        {
          /* once the request is deleted, its images are what is left of it:
           * fetch them even when the run is being cancelled */
          horde_client_download_async (self->client, img,
                                       self->state == HORDE_JOB_STATE_CANCELLING ? NULL : self->cancellable,
                                       fetch_done, download);
        }
      else
        {
          gsize len = 0;
          g_autofree guchar *data = g_base64_decode (img, &len);
          g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);

          decode_start (download, bytes);
        }
    }
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
  g_autoptr(HordeImageJob) self = user_data;

  if (!horde_sleep_finish (result, NULL))
    run_abort (self);
  else if (self->state == HORDE_JOB_STATE_DOWNLOADING)
    run_fetch (self);
  else
    run_check (self);
}

/* A poll or the final fetch failed (takes @error) */
static void
run_call_failed (HordeImageJob *self,
                 GError        *error)
{
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
  delay = horde_backoff_ms (OUTAGE_FIRST_MS, OUTAGE_MAX_MS, self->outage_streak++);
  g_debug ("Image request %s: %s; asking again in %u ms", self->id, error->message, delay);
  set_connection_error (self, error);
  g_error_free (error);
  horde_sleep_async (delay, self->cancellable, outage_wait_done, g_object_ref (self));
}

static void
deleted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeRequestStatusStable) status = horde_client_call_finish (self->client, result, NULL, &error);
  HordeGenerationStable * const *generations;
  gsize n = 0;

  if (status == NULL)
    {
      /* the request may live on until it expires (on-server stays TRUE);
       * the error that stopped the run is still the one to report */
      if (server_forgot (error))
        set_on_server (self, FALSE);
      else
        g_debug ("Could not delete the image request %s: %s", self->id, error->message);
      run_complete (self, aborted_state (self), abort_error (self));
      return;
    }

  set_on_server (self, FALSE);
  generations = horde_request_status_stable_get_generations (status, &n);
  run_download (self, generations, n);
}

/* Deletes the server request, then keeps what it had finished */
static void
run_abort (HordeImageJob *self)
{
  g_autoptr(HordeDeleteImageGenerateRequest) request = NULL;

  set_state (self, HORDE_JOB_STATE_CANCELLING);

  if (self->id == NULL)
    {
      run_complete (self, aborted_state (self), abort_error (self));
      return;
    }

  request = horde_delete_image_generate_request_new (self->id);
  horde_client_call_async (self->client, request, NULL, deleted, g_object_ref (self));
}

static void
status_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;
  GError *error = NULL;
  g_autoptr(HordeRequestStatusStable) status = horde_client_call_finish (self->client, result, NULL, &error);
  HordeGenerationStable * const *generations;
  gsize n = 0;

  if (status == NULL)
    {
      run_call_failed (self, error);
      return;
    }

  set_connection_error (self, NULL);

  /* the server is done with it: nothing is left to delete */
  if (self->tracked)
    {
      self->tracked = FALSE;
      horde_client_untrack_job (self->client, self->cancellable);
    }
  set_on_server (self, FALSE);

  generations = horde_request_status_stable_get_generations (status, &n);
  run_download (self, generations, n);
}

static void
run_fetch (HordeImageJob *self)
{
  g_autoptr(HordeImageGenerateStatusRequest) request = horde_image_generate_status_request_new (self->id);

  set_state (self, HORDE_JOB_STATE_DOWNLOADING);
  horde_client_call_async (self->client, request, self->cancellable, status_fetched, g_object_ref (self));
}

static void
checked (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;
  GError *error = NULL;
  g_autoptr(HordeRequestStatusCheck) check = horde_client_call_finish (self->client, result, NULL, &error);

  if (check == NULL)
    {
      run_call_failed (self, error);
      return;
    }

  set_connection_error (self, NULL);
  set_check (self, check);

  if (horde_request_status_check_get_faulted (check))
    {
      g_clear_error (&self->abort_reason);
      self->abort_reason = g_error_new (HORDE_ERROR, HORDE_ERROR_FAULTED,
                                        _("The Horde could not complete the request (%d of its images finished)"),
                                        (int) horde_request_status_check_get_finished (check));
      run_abort (self);
      return;
    }

  if (horde_request_status_check_get_done (check))
    {
      run_fetch (self);
      return;
    }

  if (horde_request_status_check_get_wait_time (check) <= 0)
    self->unknown_streak++;
  else
    self->unknown_streak = 0;

  run_poll (self);
}

static void
run_check (HordeImageJob *self)
{
  g_autoptr(HordeImageGenerateCheckRequest) request = horde_image_generate_check_request_new (self->id);

  horde_client_call_async (self->client, request, self->cancellable, checked, g_object_ref (self));
}

static void
poll_wait_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;

  if (!horde_sleep_finish (result, NULL))
    {
      run_abort (self);
      return;
    }

  run_check (self);
}

static void
run_poll (HordeImageJob *self)
{
  horde_sleep_async (horde_poll_delay_ms (self->check, self->unknown_streak),
                     self->cancellable, poll_wait_done, g_object_ref (self));
}

static void
submitted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;
  GError *error = NULL;
  g_autoptr(HordeRequestAsync) answer = horde_client_call_finish (self->client, result, NULL, &error);

  if (answer == NULL)
    {
      run_fail (self, error);
      return;
    }

  if (horde_request_async_get_id (answer) == NULL)
    {
      run_fail (self, horde_image_generate_async_request_get_dry_run (self->request)
                      ? g_error_new_literal (HORDE_ERROR, HORDE_ERROR_FAILED,
                                             _("The request is a dry run: estimate it instead of running it"))
                      : g_error_new_literal (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                                             _("The server accepted the request but gave no id for it")));
      return;
    }

  set_submitted (self, answer);
  set_on_server (self, TRUE);
  horde_client_track_job (self->client, self->cancellable);
  self->tracked = TRUE;
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
  HordeImageJob *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  g_clear_error (&self->abort_reason);
  self->abort_reason = g_error_new (HORDE_ERROR, HORDE_ERROR_TIMEOUT,
                                    g_dngettext (GETTEXT_PACKAGE, "The job did not finish within %u second",
                                                 "The job did not finish within %u seconds", self->timeout),
                                    self->timeout);
  g_cancellable_cancel (self->cancellable);

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
 * horde_image_job_run_async:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the job has ended
 * @user_data: data for @callback
 *
 * Runs the job: submits the request (unless the job resumes an id), follows
 * it to the end and downloads its images. A job runs once.
 *
 * Cancelling @cancellable deletes the request on the server; the run ends
 * once the server answered, keeping the images finished before.
 */
void
horde_image_job_run_async (HordeImageJob       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_image_job_run_async);
  /* cancellation is ours to report, once the server request is deleted */
  g_task_set_check_cancellable (task, FALSE);

  if (self->task != NULL || self->state != HORDE_JOB_STATE_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The job has already run; make a new one to run it again");
      return;
    }

  self->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                    g_object_ref (self->cancellable), g_object_unref);
    }

  if (self->timeout > 0)
    {
      self->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (self->timeout_source, timeout_expired, self, NULL);
      g_source_attach (self->timeout_source, g_main_context_get_thread_default ());
    }

  if (self->id != NULL)
    {
      set_on_server (self, TRUE);
      horde_client_track_job (self->client, self->cancellable);
      self->tracked = TRUE;
      set_state (self, HORDE_JOB_STATE_WAITING);
      if (run_cancelled (self))
        run_abort (self);
      else
        run_poll (self);
      return;
    }

  set_state (self, HORDE_JOB_STATE_SUBMITTING);
  /* never cancel the submission itself: a request the server accepted while
   * we stopped listening would run on, unseen, spending kudos */
  horde_client_call_async (self->client, self->request, NULL, submitted, g_object_ref (self));
}

/**
 * horde_image_job_run_finish:
 * @self: a #HordeImageJob
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.ImageJob.run_async].
 *
 * Returns: %TRUE when every image arrived; on %FALSE, the images that did
 *   are in [method@Horde.ImageJob.get_images], and @error says why the rest
 *   did not: %G_IO_ERROR_CANCELLED, %HORDE_ERROR_FAULTED,
 *   %HORDE_ERROR_TIMEOUT, an error of the server or of the network
 */
gboolean
horde_image_job_run_finish (HordeImageJob  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
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
  horde_image_job_run_async (job, cancellable, callback, user_data);
}

/**
 * horde_image_job_run_sync:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the job and waits for its end, blocking the calling thread. The
 * progress properties notify from this thread meanwhile.
 *
 * Returns: %TRUE when every image arrived; see
 *   [method@Horde.ImageJob.run_finish]
 */
gboolean
horde_image_job_run_sync (HordeImageJob  *self,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);

  result = horde_client_run_sync (self->client, run_start, self, cancellable);

  return horde_image_job_run_finish (self, result, error);
}

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
                             "The server's estimate has no kudos in it");
  else
    {
      double *kudos = g_new (double, 1);

      *kudos = horde_request_async_get_kudos (answer);
      g_task_return_pointer (task, kudos, g_free);
    }
}

/**
 * horde_image_job_estimate_async:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the estimate
 * @user_data: data for @callback
 *
 * Asks the server what the job's request would cost, without running it:
 * the request sent as a dry run, which queues nothing.
 */
void
horde_image_job_estimate_async (HordeImageJob       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) dry = NULL;
  GError *error = NULL;

  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_image_job_estimate_async);

  if (self->request == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "A job resumed from an id has no request to estimate");
      return;
    }

  builder = horde_image_generate_async_request_builder_new_from (self->request);
  horde_image_generate_async_request_builder_set_dry_run (builder, TRUE);
  dry = horde_image_generate_async_request_builder_end (builder, &error);
  if (dry == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  horde_client_call_async (self->client, dry, cancellable, estimated, g_steal_pointer (&task));
}

/**
 * horde_image_job_estimate_finish:
 * @self: a #HordeImageJob
 * @result: the #GAsyncResult given to the callback
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.ImageJob.estimate_async].
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_image_job_estimate_finish (HordeImageJob  *self,
                                 GAsyncResult   *result,
                                 double         *kudos,
                                 GError        **error)
{
  g_autofree double *value = NULL;

  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

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
  horde_image_job_estimate_async (job, cancellable, callback, user_data);
}

/**
 * horde_image_job_estimate_sync:
 * @self: a #HordeImageJob
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.ImageJob.estimate_async], blocking the calling thread.
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_image_job_estimate_sync (HordeImageJob  *self,
                               double         *kudos,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);

  result = horde_client_run_sync (self->client, estimate_start, self, cancellable);

  return horde_image_job_estimate_finish (self, result, kudos, error);
}

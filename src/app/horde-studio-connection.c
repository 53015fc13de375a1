/* horde-studio-connection.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libhorde.h>

#include "horde-studio-connection.h"
#include "horde-studio-messages.h"

/* Whether the server answers, as the app's requests find out. What sends
 * to the server reports how it went; while it cannot be reached, the
 * connection asks for another try ("retry") after a backoff that grows
 * from 2 s to a minute, and counts the seconds down for the window to
 * show.
 *
 * Until the first answer or failure the connection is "checking", which
 * the window shows at once. The app's own requests may take long to fail
 * (the client retries a network failure with backoff, and waits 30 s for
 * a silent server, up to its 2 min deadline): a quick check of its own,
 * a heartbeat without retries and with a short deadline, finds out
 * sooner, at the start and at each retry. */

#define FIRST_RETRY_S 2
#define MAX_RETRY_S 60
/* a refused connection or an unknown host fails at once; this is for a
 * network that swallows packets */
#define CHECK_TIMEOUT_S 5

struct _HordeStudioConnection
{
  GObject parent_instance;

  gboolean reachable;
  gboolean checking;              /* nothing known yet */
  HordeClient *client;            /* for the quick check */
  GCancellable *check_cancellable;
  char *problem;                  /* in words, while unreachable */
  guint failures;                 /* in a row */
  gint64 retry_at;                /* monotonic µs; 0: none planned */
  guint tick;                     /* counts retry-in down */
};

G_DEFINE_FINAL_TYPE (HordeStudioConnection, horde_studio_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REACHABLE,
  PROP_CHECKING,
  PROP_PROBLEM,
  PROP_RETRY_IN,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  RETRY,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

HordeStudioConnection *
horde_studio_connection_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_CONNECTION, NULL);
}

gboolean
horde_studio_connection_get_reachable (HordeStudioConnection *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_CONNECTION (self), TRUE);
  return self->reachable;
}

/* Whether nothing is known yet: no request has answered or failed since
 * the start */
gboolean
horde_studio_connection_get_checking (HordeStudioConnection *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_CONNECTION (self), FALSE);
  return self->checking;
}

static void
stop_checking (HordeStudioConnection *self)
{
  if (!self->checking)
    return;
  self->checking = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECKING]);
}

/* What is wrong, in words, while the server cannot be reached; else NULL */
const char *
horde_studio_connection_get_problem (HordeStudioConnection *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_CONNECTION (self), NULL);
  return self->problem;
}

/* Seconds until the next try; 0 when none is planned or it is under way */
guint
horde_studio_connection_get_retry_in (HordeStudioConnection *self)
{
  gint64 left;

  g_return_val_if_fail (HORDE_STUDIO_IS_CONNECTION (self), 0);

  if (self->retry_at == 0)
    return 0;
  left = self->retry_at - g_get_monotonic_time ();
  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

static void
stop_countdown (HordeStudioConnection *self)
{
  g_clear_handle_id (&self->tick, g_source_remove);
  self->retry_at = 0;
}

static void
checked (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HordeStudioConnection) self = user_data;
  g_autoptr(HordeHeartbeat) heartbeat = NULL;
  g_autoptr(GError) error = NULL;

  heartbeat = horde_client_send_heartbeat_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->check_cancellable);
  /* only a failure to reach the server counts: any answer, even a
   * refusal, is the app's own requests' to report */
  if (error == NULL || !horde_error_is_transient (error))
    return;
  g_debug ("Quick check of the server: %s", error->message);
  horde_studio_connection_report (self, error);
}

/* The quick check: a heartbeat to the app's server, without retries and
 * with a short deadline */
static void
check (HordeStudioConnection *self)
{
  g_autoptr(HordeClient) probe = NULL;
  g_autoptr(HordeHeartbeatRequest) request = NULL;

  if (self->client == NULL || self->check_cancellable != NULL)
    return;

  probe = horde_client_new ();
  horde_client_set_base_url (probe, horde_client_get_base_url (self->client));
  horde_client_set_client_agent (probe, horde_client_get_client_agent (self->client));
  horde_client_set_allow_insecure (probe, horde_client_get_allow_insecure (self->client));
  horde_client_set_timeout (probe, CHECK_TIMEOUT_S);
  horde_client_set_deadline (probe, CHECK_TIMEOUT_S);
  horde_client_set_max_retries (probe, 0);
  request = horde_heartbeat_request_new ();
  self->check_cancellable = g_cancellable_new ();
  horde_client_send_heartbeat_request_async (probe, request, self->check_cancellable, checked, g_object_ref (self));
}

static void
retry (HordeStudioConnection *self)
{
  g_signal_emit (self, signals [RETRY], 0);
  check (self);
}

static gboolean
tick (gpointer user_data)
{
  HordeStudioConnection *self = user_data;

  if (horde_studio_connection_get_retry_in (self) > 0)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
      return G_SOURCE_CONTINUE;
    }

  self->tick = 0;
  self->retry_at = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
  retry (self);
  return G_SOURCE_REMOVE;
}

/**
 * horde_studio_connection_report:
 * @self: a #HordeStudioConnection
 * @error: (nullable): how a request to the server failed, or %NULL when
 *   the server answered
 *
 * Tells what a request found out about the server.
 *
 * Returns: %TRUE when @error says the server cannot be reached (and a
 *   retry is planned); %FALSE for an answer or any other failure
 */
gboolean
horde_studio_connection_report (HordeStudioConnection *self,
                                const GError          *error)
{
  g_autofree char *problem = NULL;
  guint delay;

  g_return_val_if_fail (HORDE_STUDIO_IS_CONNECTION (self), FALSE);

  /* an answer, a failure: either way something is known */
  g_object_freeze_notify (G_OBJECT (self));
  stop_checking (self);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL && !horde_error_is_transient (error))
    return FALSE;

  if (error == NULL)
    {
      if (self->reachable)
        return FALSE;

      stop_countdown (self);
      self->failures = 0;
      self->reachable = TRUE;
      g_clear_pointer (&self->problem, g_free);
      g_object_freeze_notify (G_OBJECT (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REACHABLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROBLEM]);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
      g_object_thaw_notify (G_OBJECT (self));
      return FALSE;
    }

  problem = horde_studio_describe_error (error, NULL);
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_steal_pointer (&problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROBLEM]);
    }
  if (self->reachable)
    {
      self->reachable = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REACHABLE]);
    }

  /* several requests fail at once when the server goes away: one retry */
  if (self->retry_at == 0)
    {
      delay = MIN ((guint) FIRST_RETRY_S << MIN (self->failures, 6u), MAX_RETRY_S);
      self->failures++;
      self->retry_at = g_get_monotonic_time () + delay * G_USEC_PER_SEC;
      self->tick = g_timeout_add_seconds (1, tick, self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/* Tries again now, rather than when the countdown ends */
void
horde_studio_connection_retry_now (HordeStudioConnection *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_CONNECTION (self));

  stop_countdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
  retry (self);
}

/**
 * horde_studio_connection_check:
 * @self: a #HordeStudioConnection
 * @client: the client whose server the app uses
 *
 * Checks at once whether @client's server can be reached, with a short
 * deadline, and again at each retry while it cannot; what the check finds
 * out is reported as a request's failure would be.
 */
void
horde_studio_connection_check (HordeStudioConnection *self,
                               HordeClient           *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_CONNECTION (self));
  g_return_if_fail (HORDE_IS_CLIENT (client));

  g_set_object (&self->client, client);
  check (self);
}

static void
horde_studio_connection_finalize (GObject *object)
{
  HordeStudioConnection *self = (HordeStudioConnection *)object;

  stop_countdown (self);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->client);
  g_free (self->problem);

  G_OBJECT_CLASS (horde_studio_connection_parent_class)->finalize (object);
}

static void
horde_studio_connection_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HordeStudioConnection *self = HORDE_STUDIO_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_REACHABLE:
      g_value_set_boolean (value, self->reachable);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_RETRY_IN:
      g_value_set_uint (value, horde_studio_connection_get_retry_in (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_connection_class_init (HordeStudioConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_connection_finalize;
  object_class->get_property = horde_studio_connection_get_property;

  properties [PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RETRY_IN] =
    g_param_spec_uint ("retry-in", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioConnection::retry:
   * @self: the connection
   *
   * Time to ask the server again: whoever probes it (the compose pane's
   * refresh) does, and reports how it went.
   */
  signals [RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
horde_studio_connection_init (HordeStudioConnection *self)
{
  self->reachable = TRUE;
  self->checking = TRUE;
}

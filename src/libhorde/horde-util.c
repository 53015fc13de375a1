/* horde-util.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include <libsoup/soup.h>

#include "horde-util-private.h"

/* libhorde's messages are translated in a domain of their own, bound to
 * where they are installed when the library is loaded, as libsoup does;
 * a program may bind it elsewhere afterwards (the UI tests bind the build
 * tree's). */
__attribute__ ((constructor)) static void
horde_init_translations (void)
{
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

typedef struct {
  GSource *timeout;
  GSource *cancelled;
} Sleep;

static void
sleep_clear_sources (Sleep *sleep)
{
  if (sleep->timeout)
    {
      g_source_destroy (sleep->timeout);
      g_clear_pointer (&sleep->timeout, g_source_unref);
    }
  if (sleep->cancelled)
    {
      g_source_destroy (sleep->cancelled);
      g_clear_pointer (&sleep->cancelled, g_source_unref);
    }
}

static void
sleep_free (gpointer data)
{
  sleep_clear_sources (data);
  g_free (data);
}

static gboolean
sleep_done (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);

  /* the sources hold the task: destroying them drops those references */
  sleep_clear_sources (g_task_get_task_data (task));

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled (GCancellable *cancellable,
                 gpointer      user_data)
{
  return sleep_done (user_data);
}

/* Waits @msec in the thread-default main context, or until @cancellable
 * fires, whichever comes first. */
void
horde_sleep_async (guint                msec,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_main_context_get_thread_default ();
  Sleep *sleep = g_new0 (Sleep, 1);

  g_task_set_source_tag (task, horde_sleep_async);
  g_task_set_task_data (task, sleep, sleep_free);

  sleep->timeout = g_timeout_source_new (msec);
  g_source_set_callback (sleep->timeout, sleep_done, g_object_ref (task), g_object_unref);
  g_source_attach (sleep->timeout, context);

  if (cancellable != NULL)
    {
      sleep->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (sleep->cancelled, G_SOURCE_FUNC (sleep_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (sleep->cancelled, context);
    }
}

gboolean
horde_sleep_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
horde_uri_is_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Exponential backoff from @base_ms, at most @cap_ms, with "equal jitter":
 * half fixed, half random, so that clients that failed together do not
 * come back together. */
guint
horde_backoff_ms (guint base_ms,
                  guint cap_ms,
                  guint attempt)
{
  guint64 ms = MIN ((guint64) base_ms << MIN (attempt, 16u), cap_ms);

  return (guint) (ms / 2 + g_random_int_range (0, (gint32) (ms / 2) + 1));
}

#define POLL_FIRST_MS        1000
#define POLL_MIN_MS           750
#define POLL_MARGIN_MS        250
#define POLL_MAX_MS         20000
#define POLL_RENDER_MAX_MS   3000
#define POLL_IMPOSSIBLE_MS  30000

/* How long to wait before the next /check, from what the last one said.
 *
 * The server estimates how long the request still needs (wait_time).
 * Within POLL_MAX_MS of the end, sleep just past the estimate, so that the
 * next answer is usually the one that says done: two checks for most
 * requests (one to learn the estimate, one to see the end), and the end
 * noticed within a fraction of a second. Farther away, sleep at most
 * POLL_MAX_MS, and stop short of the estimate so that the last stretch is
 * judged on a fresh one; this also keeps the queue position current.
 *
 * The real server says wait_time 0 when it has no estimate: while queued
 * with no worker, and during a render. With nobody working on the request,
 * back off (1.5 times a poll) up to POLL_MAX_MS; while a worker renders,
 * up to POLL_RENDER_MAX_MS, so that the end is still seen soon.
 *
 * When no worker online can serve the request (is_possible false, nobody
 * processing), nothing will change until a worker comes, and the request
 * waits for its expiry (20 minutes on the server): poll every
 * POLL_IMPOSSIBLE_MS. Polling does not move the server's expiry, so
 * slower polls lose nothing; a worker that comes is seen within that. */
guint
horde_poll_delay_for_ms (gboolean known,
                         gboolean is_possible,
                         gint64   wait_time,
                         gint64   processing,
                         gint64   waiting,
                         guint    unknown_streak)
{
  gint64 wait_ms;
  double backoff;

  if (!known)
    return POLL_FIRST_MS;

  if (!is_possible && processing <= 0)
    return POLL_IMPOSSIBLE_MS;

  wait_ms = wait_time * 1000;

  if (wait_ms <= 0)
    {
      backoff = POLL_FIRST_MS * pow (1.5, MIN (unknown_streak, 16u));
      if (processing > 0)
        return (guint) MIN (POLL_RENDER_MAX_MS, backoff);
      if (waiting == 0)
        return POLL_FIRST_MS;
      return (guint) MIN (POLL_MAX_MS, backoff);
    }

  if (wait_ms + POLL_MARGIN_MS <= POLL_MAX_MS)
    return (guint) MAX (POLL_MIN_MS, wait_ms + POLL_MARGIN_MS);

  return (guint) MIN (POLL_MAX_MS, wait_ms - MAX (2000, wait_ms / 10));
}

/* The same, from the answer of a /check (or NULL before the first) */
guint
horde_poll_delay_ms (HordeRequestStatusCheck *check,
                     guint                    unknown_streak)
{
  if (check == NULL)
    return horde_poll_delay_for_ms (FALSE, TRUE, 0, 0, 0, unknown_streak);

  return horde_poll_delay_for_ms (TRUE,
                                  horde_request_status_check_get_is_possible (check),
                                  horde_request_status_check_get_wait_time (check),
                                  horde_request_status_check_get_processing (check),
                                  horde_request_status_check_get_waiting (check),
                                  unknown_streak);
}

/* How long a `Retry-After` header asks to wait, in milliseconds, counted
 * from @now: delay-seconds or an HTTP date; -1 when @value is absent or
 * unreadable. */
gint64
horde_retry_after_ms (const char *value,
                      GDateTime  *now)
{
  g_autoptr(GDateTime) when = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return (gint64) seconds * 1000;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;

  return MAX (0, g_date_time_difference (when, now) / 1000);
}

/* test-internals.c: the client's pacing and the job's polling policy
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>

#include "horde-rate-limiter-private.h"
#include "horde-util-private.h"

#define S G_USEC_PER_SEC

static void
test_rate_limiter (void)
{
  g_autoptr(HordeRateLimiter) limiter = horde_rate_limiter_new ();
  static const int key_a, key_b;
  gint64 now = 1000 * S;
  gint64 at;

  /* 3 in a second: three go at once, the fourth waits for the window */
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_a, 3, 1, now), ==, now);
  at = horde_rate_limiter_reserve (limiter, &key_a, 3, 1, now);
  g_assert_cmpint (at, >=, now + S);
  g_assert_cmpint (at, <=, now + S * 12 / 10);

  /* callers queue up rather than race for the same slot */
  g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_a, 3, 1, now), ==, at);
  g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_a, 3, 1, now), ==, at);
  g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_a, 3, 1, now), >, at);

  /* another operation has a window of its own */
  g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_b, 10, 60, now), ==, now);

  /* once the window has passed, no wait */
  g_assert_cmpint (horde_rate_limiter_reserve (limiter, &key_b, 10, 60, now + 120 * S), ==, now + 120 * S);
}

static HordeRequestStatusCheck *
check (const char *json)
{
  HordeRequestStatusCheck *c = horde_request_status_check_new_from_json (json, -1, NULL);

  g_assert_nonnull (c);
  return c;
}

static void
test_poll_delay (void)
{
  g_autoptr(HordeRequestStatusCheck) far = check ("{\"wait_time\": 120, \"waiting\": 1}");
  g_autoptr(HordeRequestStatusCheck) beyond = check ("{\"wait_time\": 21, \"waiting\": 1}");
  g_autoptr(HordeRequestStatusCheck) mid = check ("{\"wait_time\": 10, \"waiting\": 1}");
  g_autoptr(HordeRequestStatusCheck) near = check ("{\"wait_time\": 3, \"processing\": 1}");
  g_autoptr(HordeRequestStatusCheck) any = check ("{\"wait_time\": 0, \"processing\": 1}");
  g_autoptr(HordeRequestStatusCheck) unknown = check ("{\"wait_time\": 0, \"waiting\": 2, \"processing\": 0}");

  /* before the first answer: a second, the server caches status that long */
  g_assert_cmpuint (horde_poll_delay_ms (NULL, 0), ==, 1000);

  /* far from the end: never longer than 20 s, and short of the estimate */
  g_assert_cmpuint (horde_poll_delay_ms (far, 0), ==, 20000);
  g_assert_cmpuint (horde_poll_delay_ms (beyond, 0), ==, 18900);

  /* within 20 s: just past the estimate, so the next answer says done */
  g_assert_cmpuint (horde_poll_delay_ms (mid, 0), ==, 10250);
  g_assert_cmpuint (horde_poll_delay_ms (near, 0), ==, 3250);
  g_assert_cmpuint (horde_poll_delay_ms (any, 0), ==, 1000);

  /* queued with no estimate: back off, to at most 10 s */
  g_assert_cmpuint (horde_poll_delay_ms (unknown, 0), ==, 1000);
  g_assert_cmpuint (horde_poll_delay_ms (unknown, 1), ==, 1500);
  g_assert_cmpuint (horde_poll_delay_ms (unknown, 2), ==, 2250);
  g_assert_cmpuint (horde_poll_delay_ms (unknown, 30), ==, 10000);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
  gint64 ended;
} Sleep;

static void
slept (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  Sleep *s = user_data;

  s->ok = horde_sleep_finish (result, &s->error);
  s->ended = g_get_monotonic_time ();
  s->done = TRUE;
}

static void
test_sleep (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Sleep a = { 0 }, b = { 0 };
  gint64 start = g_get_monotonic_time ();

  horde_sleep_async (100, NULL, slept, &a);
  horde_sleep_async (10000, cancellable, slept, &b);
  while (!a.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (a.ok);
  g_assert_cmpint (a.ended - start, >=, 100 * 1000);

  /* a cancelled sleep ends at once */
  g_cancellable_cancel (cancellable);
  while (!b.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (b.ok);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (b.ended - start, <, 5 * S);
  g_clear_error (&b.error);
}

static void
test_loopback (void)
{
  const struct { const char *url; gboolean loopback; } cases[] = {
    { "http://127.0.0.1:8000/api", TRUE },
    { "http://127.1.2.3/api", TRUE },
    { "http://[::1]:80/api", TRUE },
    { "http://localhost/api", TRUE },
    { "http://192.168.1.2/api", FALSE },
    { "http://aihorde.net/api", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (cases[i].url, G_URI_FLAGS_NONE, NULL);

      g_assert_nonnull (uri);
      g_assert_cmpint (horde_uri_is_loopback (uri), ==, cases[i].loopback);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/internals/rate-limiter", test_rate_limiter);
  g_test_add_func ("/internals/poll-delay", test_poll_delay);
  g_test_add_func ("/internals/sleep", test_sleep);
  g_test_add_func ("/internals/loopback", test_loopback);

  return g_test_run ();
}

/* test-internals.c: the client's pacing, the job's polling policy, and the facts of an error a binding rebuilt
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <libhorde.h>

#include "horde-client-private.h"
#include "horde-error-private.h"
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

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gpointer answer = horde_client_call_finish (HORDE_CLIENT (object), result, NULL, NULL);

  g_assert_null (answer);
  (*(guint *) user_data)--;
}

/* The early looks at images of all the jobs of a client share one budget,
 * which never takes a turn the operation's pacing would make wait */
static void
test_spare_turns (void)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(HordeImageGenerateStatusRequest) a = horde_image_generate_status_request_new ("a");
  g_autoptr(HordeImageGenerateStatusRequest) b = horde_image_generate_status_request_new ("b");
  g_autoptr(HordeImageGenerateCheckRequest) other = horde_image_generate_check_request_new ("a");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint pending = 0;

  /* five a minute, whichever request (job) asks */
  for (int i = 0; i < 5; i++)
    g_assert_true (horde_client_take_spare_turn (client, i % 2 ? a : b, 5, 60));
  g_assert_false (horde_client_take_spare_turn (client, a, 5, 60));
  g_assert_false (horde_client_take_spare_turn (client, b, 5, 60));
  /* another operation has a budget of its own */
  g_assert_true (horde_client_take_spare_turn (client, other, 5, 60));

  /* when the pacing of the operation has no turn free now, no spare one:
   * a fresh client whose /status window is full */
  g_clear_object (&client);
  client = horde_client_new ();
  horde_client_set_max_retries (client, 0);
  horde_client_set_base_url (client, "http://127.0.0.1:9/api");
  for (int i = 0; i < 10; i++)
    horde_client_call_async (client, a, cancellable, call_done, &pending);
  pending = 10;
  g_assert_false (horde_client_take_spare_turn (client, a, 100, 60));

  g_cancellable_cancel (cancellable);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
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
  static const struct {
    const char *what;
    gboolean known;
    gboolean is_possible;
    gint64 wait_time;
    gint64 processing;
    gint64 waiting;
    guint unknown_streak;
    guint delay_ms;
  } cases[] = {
    /* before the first answer: a second, the server caches status that long */
    { "first", FALSE, TRUE, 0, 0, 0, 0, 1000 },
    { "first, whatever else", FALSE, FALSE, 500, 0, 3, 9, 1000 },
    /* far from the end: never longer than 20 s, and short of the estimate */
    { "far", TRUE, TRUE, 120, 0, 1, 0, 20000 },
    { "beyond 20 s", TRUE, TRUE, 21, 0, 1, 0, 18900 },
    /* within 20 s: just past the estimate, so the next answer says done */
    { "mid", TRUE, TRUE, 10, 0, 1, 0, 10250 },
    { "near", TRUE, TRUE, 3, 1, 0, 0, 3250 },
    { "nearly done", TRUE, TRUE, 0, 1, 0, 0, 1000 },
    /* a render with no estimate (the real server says 0): back off
     * gently, to at most 3 s, so that its end is seen soon */
    { "render, no estimate", TRUE, TRUE, 0, 1, 0, 1, 1500 },
    { "render, no estimate, long", TRUE, TRUE, 0, 1, 0, 30, 3000 },
    /* queued with no estimate and nobody processing: back off to 20 s */
    { "queued, no estimate", TRUE, TRUE, 0, 0, 2, 0, 1000 },
    { "queued, no estimate, 2nd", TRUE, TRUE, 0, 0, 2, 1, 1500 },
    { "queued, no estimate, 3rd", TRUE, TRUE, 0, 0, 2, 2, 2250 },
    { "queued, no estimate, long", TRUE, TRUE, 0, 0, 2, 30, 20000 },
    { "queued, no estimate, endless", TRUE, TRUE, 0, 0, 2, G_MAXUINT, 20000 },
    /* nothing waits nor runs, not done yet: look again soon */
    { "between", TRUE, TRUE, 0, 0, 0, 5, 1000 },
    /* no worker online can serve it: it waits for a worker or its expiry,
     * whatever the estimate says */
    { "impossible", TRUE, FALSE, 0, 0, 1, 0, 30000 },
    { "impossible, estimate", TRUE, FALSE, 2, 0, 1, 0, 30000 },
    { "impossible, far", TRUE, FALSE, 600, 0, 1, 0, 30000 },
    /* ... unless a worker is on it after all */
    { "impossible, rendering", TRUE, FALSE, 3, 1, 0, 0, 3250 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint delay = horde_poll_delay_for_ms (cases[i].known, cases[i].is_possible, cases[i].wait_time,
                                             cases[i].processing, cases[i].waiting, cases[i].unknown_streak);

      g_test_message ("%s", cases[i].what);
      g_assert_cmpuint (delay, ==, cases[i].delay_ms);
    }
}

/* the same, from /check answers as the server sends them */
static void
test_poll_delay_check (void)
{
  g_autoptr(HordeRequestStatusCheck) far = check ("{\"wait_time\": 120, \"waiting\": 1}");
  g_autoptr(HordeRequestStatusCheck) unknown = check ("{\"wait_time\": 0, \"waiting\": 2, \"processing\": 0}");
  g_autoptr(HordeRequestStatusCheck) impossible =
    check ("{\"wait_time\": 0, \"waiting\": 1, \"processing\": 0, \"is_possible\": false}");

  g_assert_cmpuint (horde_poll_delay_ms (NULL, 0), ==, 1000);
  g_assert_cmpuint (horde_poll_delay_ms (far, 0), ==, 20000);
  g_assert_cmpuint (horde_poll_delay_ms (unknown, 2), ==, 2250);
  /* is_possible is true unless the answer says otherwise */
  g_assert_cmpuint (horde_poll_delay_ms (impossible, 0), ==, 30000);
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

/* A language binding hands back a GError it rebuilt from domain, code and
 * message: the getters find the facts libhorde recorded for the error it
 * made, and none for a message or code it never made, or one pushed out of
 * the bounded table by newer errors. */
static void
test_error_rebuilt (void)
{
  const char *body = "{\"message\": \"Not enough kudos\", \"rc\": \"KudosUpfront\"}";
  const char *fields_body = "{\"message\": \"Input payload validation failed\", "
                            "\"errors\": {\"params.width\": \"'wide' is not of type 'integer'\"}}";
  g_autoptr(GError) made = horde_error_new_for_answer (403, "Forbidden", body, strlen (body));
  g_autoptr(GError) made_fields = horde_error_new_for_answer (400, "Bad Request", fields_body, strlen (fields_body));
  g_autoptr(GError) rebuilt = g_error_new_literal (made->domain, made->code, made->message);
  g_autoptr(GError) rebuilt_fields = g_error_new_literal (made_fields->domain, made_fields->code, made_fields->message);
  g_autoptr(GError) edited = g_error_new (made->domain, made->code, "%s (edited)", made->message);
  g_autoptr(GError) recoded = g_error_new_literal (made->domain, HORDE_ERROR_FAILED, made->message);
  g_autoptr(GError) copied = NULL;
  g_autoptr(GError) late = NULL;
  const char *late_body = "{\"rc\": \"TimeoutIP\"}";
  g_autoptr(GError) late_made = horde_error_new_for_answer (403, "Forbidden", late_body, strlen (late_body));

  g_assert_cmpuint (horde_error_get_status (rebuilt), ==, 403);
  g_assert_cmpstr (horde_error_get_rc (rebuilt), ==, "KudosUpfront");
  g_assert_cmpint (horde_error_get_rc_enum (rebuilt), ==, HORDE_RC_KUDOS_UPFRONT);
  g_assert_cmpint (horde_error_get_rc_enum (made), ==, HORDE_RC_KUDOS_UPFRONT);
  g_assert_cmpstr (horde_error_get_server_message (rebuilt), ==, "Not enough kudos");
  g_assert_null (horde_error_get_field_errors (rebuilt));
  /* what was found stays with the error and its copies */
  copied = g_error_copy (rebuilt);
  g_assert_cmpstr (horde_error_get_rc (copied), ==, "KudosUpfront");

  g_assert_cmpuint (horde_error_get_status (rebuilt_fields), ==, 400);
  g_assert_null (horde_error_get_rc (rebuilt_fields));
  g_assert_cmpint (horde_error_get_rc_enum (rebuilt_fields), ==, HORDE_RC_UNKNOWN);
  g_assert_cmpstr (g_hash_table_lookup (horde_error_get_field_errors (rebuilt_fields), "params.width"), ==,
                   "'wide' is not of type 'integer'");

  g_assert_cmpuint (horde_error_get_status (edited), ==, 0);
  g_assert_null (horde_error_get_rc (edited));
  g_assert_null (horde_error_get_server_message (edited));
  g_assert_null (horde_error_get_rc (recoded));

  /* bounded: 64 newer errors push it out */
  late = g_error_new_literal (late_made->domain, late_made->code, late_made->message);
  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *rc = g_strdup_printf ("R%u", i);
      g_autofree char *text = g_strdup_printf ("{\"message\": \"error %u\", \"rc\": \"%s\"}", i, rc);
      g_autoptr(GError) newer = horde_error_new_for_answer (400, "Bad Request", text, strlen (text));

      /* a code this version does not know: the string still says it */
      g_assert_cmpint (horde_error_get_rc_enum (newer), ==, HORDE_RC_UNKNOWN);
      g_assert_cmpstr (horde_error_get_rc (newer), ==, rc);
    }
  g_assert_null (horde_error_get_rc (late));
  g_assert_cmpint (horde_error_get_rc_enum (late), ==, HORDE_RC_UNKNOWN);
  g_assert_cmpuint (horde_error_get_status (late), ==, 0);
  /* the errors libhorde made keep their own facts, the ones found before too */
  g_assert_cmpstr (horde_error_get_rc (late_made), ==, "TimeoutIP");
  g_assert_cmpint (horde_error_get_rc_enum (late_made), ==, HORDE_RC_TIMEOUT_IP);
  g_assert_cmpstr (horde_error_get_rc (rebuilt), ==, "KudosUpfront");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/internals/rate-limiter", test_rate_limiter);
  g_test_add_func ("/internals/spare-turns", test_spare_turns);
  g_test_add_func ("/internals/poll-delay", test_poll_delay);
  g_test_add_func ("/internals/poll-delay-check", test_poll_delay_check);
  g_test_add_func ("/internals/sleep", test_sleep);
  g_test_add_func ("/internals/loopback", test_loopback);
  g_test_add_func ("/internals/error-rebuilt", test_error_rebuilt);

  return g_test_run ();
}

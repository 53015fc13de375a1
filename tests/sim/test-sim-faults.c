/* test-sim-faults.c: horde-sim's fault injection, seen from a client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <string.h>

static void
add_faults (Sim        *sim,
            const char *spec)
{
  g_autoptr(SimReply) reply = sim_request (sim, "POST", "/_sim/faults", NULL, spec);

  g_assert_cmpuint (reply->status, ==, 200);
}

static gboolean
body_is_json (SimReply *reply)
{
  return reply->json != NULL;
}

static void
test_status (void)
{
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits",
                        "--faults", "status:503@POST /api/v2/generate/async,count=1", NULL);
  g_autoptr(SimReply) first = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}");
  g_autoptr(SimReply) second = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}");
  g_autoptr(SimReply) other = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  g_autoptr(JsonObject) stats = sim_get_object (sim, "/_sim/stats");

  sim_assert_error (first, 503, "ServiceUnavailable");
  g_assert_cmpuint (second->status, ==, 202);
  g_assert_cmpuint (other->status, ==, 200);
  /* the faulted POST never reached the queue */
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (stats, "jobs")), ==, 1);
  sim_stop (sim);
}

static void
test_status_retry_after (void)
{
  Sim *sim = sim_start ("--faults", "status:429,count=2,retry_after=1", "--no-rate-limits", NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SimReply) limited = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);

      sim_assert_error (limited, 429, NULL);  /* a rate limit: no rc */
      g_assert_cmpstr (soup_message_headers_get_one (limited->headers, "Retry-After"), ==, "1");
    }
  {
    g_autoptr(SimReply) ok = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
    g_autoptr(SimReply) control = sim_request (sim, "GET", "/_sim/control", NULL, NULL);

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpuint (control->status, ==, 200);
  }
  sim_stop (sim);
}

static void
test_status_options (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) before = NULL;
  g_autoptr(SimReply) hit = NULL;
  g_autoptr(SimReply) after = NULL;
  g_autoptr(SimReply) untouched = NULL;
  JsonObject *object;

  /* the first request passes, the second fails, the rule is then used up */
  add_faults (sim, "status:500@GET /api/v2/status/heartbeat,after=1,count=1,rc=Boom,message=it broke, badly");
  before = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  hit = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  after = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  untouched = sim_request (sim, "GET", "/v2/status/news", NULL, NULL);
  g_assert_cmpuint (before->status, ==, 200);
  object = sim_reply_object (hit);
  g_assert_cmpuint (hit->status, ==, 500);
  g_assert_cmpstr (json_object_get_string_member (object, "rc"), ==, "Boom");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "it broke, badly");
  g_assert_null (soup_message_headers_get_one (hit->headers, "Retry-After"));
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpuint (untouched->status, ==, 200);
  sim_stop (sim);
}

static void
test_glob (void)
{
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", "--faults", "status:418@/api/v2/generate/check/*", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}");
  g_autofree char *check = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autofree char *status = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(SimReply) checked = sim_request (sim, "GET", check, NULL, NULL);
  g_autoptr(SimReply) fetched = sim_request (sim, "GET", status, NULL, NULL);

  g_assert_cmpuint (checked->status, ==, 418);
  g_assert_cmpuint (fetched->status, ==, 200);
  sim_stop (sim);
}

static void
test_html (void)
{
  Sim *sim = sim_start ("--faults", "html:502,count=1", NULL);
  g_autoptr(SimReply) page = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);

  g_assert_cmpuint (page->status, ==, 502);
  g_assert_false (body_is_json (page));
  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==, "text/html");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (page->body, NULL), g_bytes_get_size (page->body), "502 Bad Gateway"));
  sim_stop (sim);
}

static void
test_latency (void)
{
  Sim *sim = sim_start ("--faults", "latency:300@GET /api/v2/status/heartbeat", NULL);
  g_autoptr(SimReply) slow = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  g_autoptr(SimReply) fast = sim_request (sim, "GET", "/v2/status/news", NULL, NULL);

  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_true (body_is_json (slow));
  g_assert_cmpfloat (slow->seconds, >=, 0.29);
  g_assert_cmpuint (fast->status, ==, 200);
  g_assert_cmpfloat (fast->seconds, <, 0.29);
  sim_stop (sim);
}

static void
test_drop (void)
{
  Sim *sim = sim_start ("--faults", "drop@/api/v2/find_user,count=1", NULL);
  g_autoptr(SoupSession) fresh = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(SimReply) dropped = sim_request_session (sim, fresh, "GET", "/v2/find_user", SIM_ANON, NULL);
  g_autoptr(SimReply) again = sim_request (sim, "GET", "/v2/find_user", SIM_ANON, NULL);

  g_assert_cmpuint (dropped->status, ==, 0);
  g_assert_nonnull (dropped->error);
  g_test_message ("dropped: %s", dropped->error->message);
  g_assert_false (g_error_matches (dropped->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_cmpfloat (dropped->seconds, <, 5);
  g_assert_cmpuint (again->status, ==, 200);
  sim_stop (sim);
}

static void
test_stall (void)
{
  Sim *sim = sim_start ("--faults", "stall@/api/v2/status/performance", NULL);
  g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(SimReply) stalled = sim_request_session (sim, impatient, "GET", "/v2/status/performance", NULL, NULL);
  g_autoptr(SimReply) stalled_again = sim_request_session (sim, impatient, "GET", "/v2/status/performance", NULL, NULL);
  g_autoptr(SimReply) others = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);

  g_assert_cmpuint (stalled->status, ==, 0);
  g_assert_error (stalled->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpfloat (stalled->seconds, >=, 0.9);
  g_assert_error (stalled_again->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  /* the server keeps serving everyone else, and stops cleanly */
  g_assert_cmpuint (others->status, ==, 200);
  sim_stop (sim);
}

static void
test_malformed_and_truncate (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) real = sim_request (sim, "GET", "/v2/workers", NULL, NULL);
  g_autoptr(SimReply) malformed = NULL;
  g_autoptr(SimReply) truncated = NULL;

  add_faults (sim, "malformed@/api/v2/status/heartbeat;truncate@/api/v2/workers");
  malformed = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  truncated = sim_request (sim, "GET", "/v2/workers", NULL, NULL);

  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_false (body_is_json (malformed));
  g_assert_cmpuint (truncated->status, ==, 200);
  g_assert_false (body_is_json (truncated));
  /* half the real answer, with a Content-Length to match */
  g_assert_cmpuint (g_bytes_get_size (truncated->body), ==, g_bytes_get_size (real->body) / 2);
  g_assert_cmpint (soup_message_headers_get_content_length (truncated->headers), ==, g_bytes_get_size (truncated->body));
  g_assert_true (memcmp (g_bytes_get_data (truncated->body, NULL), g_bytes_get_data (real->body, NULL),
                         g_bytes_get_size (truncated->body)) == 0);
  sim_stop (sim);
}

static void
test_corrupt_image (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "10", "--no-rate-limits", "--faults", "corrupt-image", NULL);
  const char *bodies[] = {
    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}, \"r2\": false}",
    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}, \"r2\": true}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, bodies[i]);
      g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
      g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
      g_autoptr(JsonObject) status = sim_get_object (sim, path);
      JsonObject *generation = json_array_get_object_element (json_object_get_array_member (status, "generations"), 0);
      g_autoptr(GBytes) image = sim_image_bytes (sim, generation);

      g_assert_cmpint (json_object_get_int_member (check, "finished"), ==, 1);
      g_assert_cmpuint (g_bytes_get_size (image), >, 0);
      g_assert_false (sim_webp_size (image, NULL, NULL));
    }
  sim_stop (sim);
}

static void
test_expire_r2 (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "10", "--no-rate-limits", "--faults", "expire-r2,count=1", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) status = sim_get_object (sim, path);
  JsonObject *generation = json_array_get_object_element (json_object_get_array_member (status, "generations"), 0);
  const char *url = json_object_get_string_member (generation, "img");
  g_autoptr(SimReply) expired = sim_request (sim, "GET", url, NULL, NULL);
  g_autoptr(SimReply) fine = sim_request (sim, "GET", url, NULL, NULL);

  g_assert_cmpuint (expired->status, ==, 403);
  g_assert_cmpstr (soup_message_headers_get_content_type (expired->headers, NULL), ==, "application/xml");
  g_assert_cmpuint (fine->status, ==, 200);
  sim_stop (sim);
}

static void
test_control (void)
{
  Sim *sim = sim_start ("--no-rate-limits", "--faults", "status:500", NULL);
  g_autoptr(SimReply) faulted = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  g_autoptr(SimReply) listed = sim_request (sim, "GET", "/_sim/faults", NULL, NULL);
  g_autoptr(SimReply) bad = sim_request (sim, "POST", "/_sim/faults", NULL, "status:abc");
  g_autoptr(SimReply) listed_again = sim_request (sim, "GET", "/_sim/faults", NULL, NULL);
  g_autoptr(SimReply) cleared = sim_request (sim, "DELETE", "/_sim/faults", NULL, NULL);
  g_autoptr(SimReply) healthy = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);
  JsonArray *rules;
  JsonObject *rule;

  /* /_sim is never faulted by rules without a path */
  g_assert_cmpuint (faulted->status, ==, 500);
  g_assert_cmpuint (listed->status, ==, 200);
  rules = json_node_get_array (listed->json);
  g_assert_cmpuint (json_array_get_length (rules), ==, 1);
  rule = json_array_get_object_element (rules, 0);
  g_assert_cmpstr (json_object_get_string_member (rule, "rule"), ==, "status:500");
  g_assert_cmpint (json_object_get_int_member (rule, "fired"), ==, 1);
  sim_assert_error (bad, 400, "BadRequest");
  g_assert_nonnull (strstr (json_object_get_string_member (sim_reply_object (bad), "message"), "status:abc"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed_again->json)), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (cleared->json)), ==, 0);
  g_assert_cmpuint (healthy->status, ==, 200);
  sim_stop (sim);
}

static void
test_bad_spec_exits (void)
{
  const char * const args[] = { "--faults", "latency:5;status:5000@/api", NULL };
  g_autofree char *errors = NULL;

  g_assert_cmpint (sim_run_failing (args, &errors), ==, 1);
  g_assert_nonnull (strstr (errors, "status:5000@/api"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/faults/status", test_status);
  g_test_add_func ("/sim/faults/status-retry-after", test_status_retry_after);
  g_test_add_func ("/sim/faults/status-options", test_status_options);
  g_test_add_func ("/sim/faults/glob", test_glob);
  g_test_add_func ("/sim/faults/html", test_html);
  g_test_add_func ("/sim/faults/latency", test_latency);
  g_test_add_func ("/sim/faults/drop", test_drop);
  g_test_add_func ("/sim/faults/stall", test_stall);
  g_test_add_func ("/sim/faults/malformed-and-truncate", test_malformed_and_truncate);
  g_test_add_func ("/sim/faults/corrupt-image", test_corrupt_image);
  g_test_add_func ("/sim/faults/expire-r2", test_expire_r2);
  g_test_add_func ("/sim/faults/control", test_control);
  g_test_add_func ("/sim/faults/bad-spec-exits", test_bad_spec_exits);

  return g_test_run ();
}

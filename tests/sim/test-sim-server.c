/* test-sim-server.c: horde-sim's command line, HTTP plumbing, rate limits,
 * statistics, request log and users
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <signal.h>
#include <string.h>

#define USERS \
  "[{\"key\": \"alice-key-0001\", \"username\": \"alice\", \"kudos\": 750.5, \"trusted\": true, \"id\": 5}]"

static void
test_base_url (void)
{
  Sim *sim = sim_startv (NULL);
  g_autoptr(GRegex) regex = g_regex_new ("^http://127\\.0\\.0\\.1:[0-9]+/api$", 0, 0, NULL);
  g_autoptr(SimReply) heartbeat = sim_request (sim, "GET", "/v2/status/heartbeat", NULL, NULL);

  g_assert_true (g_regex_match (regex, sim->base_url, 0, NULL));
  g_assert_cmpuint (heartbeat->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (heartbeat), "message"), ==, "OK");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (heartbeat), "version"), ==, "5.1.5");
  sim_stop (sim);
}

static void
test_sigint (void)
{
  Sim *sim = sim_startv (NULL);
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (sim->process, SIGINT);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
  /* sim_stop's SIGTERM finds it gone: still a clean exit */
  sim_stop (sim);
}

static void
test_command_line (void)
{
  const char * const remote[] = { "--host", "0.0.0.0", NULL };
  const char * const bad_option[] = { "--workers", "many", NULL };
  const char * const extra[] = { "stray", NULL };
  const char * const missing_users[] = { "--users", "/nonexistent/users.json", NULL };
  const char * const version[] = { "--version", NULL };
  g_autofree char *errors = NULL;
  g_autofree char *errors2 = NULL;
  g_autofree char *errors3 = NULL;
  g_autofree char *errors4 = NULL;
  g_autofree char *errors5 = NULL;
  Sim *allowed;

  g_assert_cmpint (sim_run_failing (remote, &errors), ==, 1);
  g_assert_nonnull (strstr (errors, "non-loopback"));
  g_assert_nonnull (strstr (errors, "--allow-remote"));
  g_assert_cmpint (sim_run_failing (bad_option, &errors2), ==, 1);
  g_assert_cmpint (sim_run_failing (extra, &errors3), ==, 1);
  g_assert_cmpint (sim_run_failing (missing_users, &errors4), ==, 1);
  g_assert_nonnull (strstr (errors4, "/nonexistent/users.json"));
  g_assert_cmpint (sim_run_failing (version, &errors5), ==, 0);

  allowed = sim_start ("--host", "0.0.0.0", "--allow-remote", NULL);
  g_assert_true (g_str_has_prefix (allowed->base_url, "http://127.0.0.1:"));
  sim_stop (allowed);
}

static void
test_not_found (void)
{
  Sim *sim = sim_startv (NULL);
  g_autoptr(SimReply) unknown = sim_request (sim, "GET", "/v2/no/such/thing", NULL, NULL);
  g_autoptr(SimReply) outside = sim_request (sim, "GET", "/index.html", NULL, NULL);
  g_autoptr(SimReply) method = sim_request (sim, "PUT", "/v2/generate/async", SIM_ANON, "{}");
  g_autoptr(SimReply) check = sim_request (sim, "GET", "/v2/generate/check/00000000-0000-0000-0000-000000000000", NULL, NULL);
  g_autoptr(SimReply) text = sim_request (sim, "GET", "/v2/generate/text/status/nope", NULL, NULL);

  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_nonnull (json_object_get_string_member (sim_reply_object (unknown), "message"));
  g_assert_cmpuint (outside->status, ==, 404);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (outside->json));
  g_assert_cmpuint (method->status, ==, 405);
  g_assert_nonnull (json_object_get_string_member (sim_reply_object (method), "message"));
  sim_assert_error (check, 404, "RequestNotFound");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (check), "message"), ==,
                   "Image Waiting Prompt (Check) with ID '00000000-0000-0000-0000-000000000000' not found.");
  sim_assert_error (text, 404, "RequestNotFound");
  sim_stop (sim);
}

/* Fires @count requests; the last must be the first one refused. */
static void
assert_limit (Sim        *sim,
              const char *method,
              const char *path,
              const char *body,
              guint       allowed,
              const char *message)
{
  for (guint i = 0; i <= allowed; i++)
    {
      g_autoptr(SimReply) reply = sim_request (sim, method, path, SIM_ANON, body);

      if (i < allowed)
        {
          g_assert_cmpuint (reply->status, <, 300);
          continue;
        }
      g_assert_cmpuint (reply->status, ==, 429);
      g_assert_cmpstr (json_object_get_string_member (sim_reply_object (reply), "message"), ==, message);
      g_assert_false (json_object_has_member (sim_reply_object (reply), "rc"));
      g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Retry-After"));
      g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (reply->headers, "Retry-After"), NULL, 10), >=, 1);
    }
}

static void
test_rate_limits (void)
{
  Sim *sim = sim_start ("--workers", "0", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}");
  g_autofree char *check = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autofree char *status = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(SimReply) retry = NULL;
  gint64 seconds;

  assert_limit (sim, "GET", check, NULL, 10, "10 per 1 second");
  assert_limit (sim, "GET", status, NULL, 10, "10 per 1 minute");
  assert_limit (sim, "GET", "/v2/status/news", NULL, 90, "90 per 1 minute");
  retry = sim_request (sim, "GET", status, NULL, NULL);
  seconds = g_ascii_strtoll (soup_message_headers_get_one (retry->headers, "Retry-After"), NULL, 10);
  g_assert_cmpint (seconds, >, 1);
  g_assert_cmpint (seconds, <=, 60);
  /* after waiting out the window, generate/async takes 2 more */
  g_usleep (1000 * 1000);
  assert_limit (sim, "POST", "/v2/generate/async", "{\"prompt\": \"x\", \"dry_run\": true}", 2, "2 per 1 second");
  sim_stop (sim);
}

static void
test_no_rate_limits (void)
{
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", NULL);

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(SimReply) reply = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"dry_run\": true}");
      g_autoptr(SimReply) news = sim_request (sim, "GET", "/v2/status/news", NULL, NULL);

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpuint (news->status, ==, 200);
    }
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(SimReply) news = sim_request (sim, "GET", "/v2/status/news", NULL, NULL);

      g_assert_cmpuint (news->status, ==, 200);
    }
  sim_stop (sim);
}

static void
test_stats (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "100", "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  g_autofree char *check = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autofree char *status = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) done = sim_wait_done (sim, "/v2/generate/check", id);
  g_autoptr(JsonObject) full = sim_get_object (sim, status);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", status, NULL, NULL);
  g_autoptr(SimReply) unknown = sim_request (sim, "GET", "/v2/generate/check/nope", NULL, NULL);
  g_autoptr(JsonObject) stats = sim_get_object (sim, "/_sim/stats");
  JsonObject *requests = json_object_get_object_member (stats, "requests");
  JsonObject *by_route = json_object_get_object_member (requests, "by_route");
  JsonObject *job = json_object_get_object_member (json_object_get_object_member (stats, "jobs"), id);
  JsonObject *job_requests = json_object_get_object_member (job, "requests");
  gint64 checks = json_object_get_int_member (by_route, "GET /api/v2/generate/check/{id}");
  double created = json_object_get_double_member (job, "created");
  double finished = json_object_get_double_member (job, "finished");
  double noticed = json_object_get_double_member (job, "noticed");

  g_assert_cmpint (json_object_get_int_member (by_route, "POST /api/v2/generate/async"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (by_route, "GET /api/v2/generate/status/{id}"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (by_route, "DELETE /api/v2/generate/status/{id}"), ==, 1);
  g_assert_cmpint (checks, >=, 2);
  /* the POST, the checks, the status, the DELETE; /_sim is not counted */
  g_assert_cmpint (json_object_get_int_member (requests, "total"), ==, 1 + checks + 1 + 1);
  g_assert_cmpint (json_object_get_int_member (job_requests, "check"), ==, checks - 1);
  g_assert_cmpint (json_object_get_int_member (job_requests, "status"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (job_requests, "delete"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "image");
  g_assert_cmpfloat (finished - created, >=, 0.09);
  g_assert_cmpfloat (finished - created, <, 5);
  g_assert_cmpfloat (noticed, >=, finished);
  g_assert_cmpfloat (noticed - finished, <, 1);
  g_assert_cmpuint (unknown->status, ==, 404);
  sim_stop (sim);
}

static void
test_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *id = NULL;
  guint job_lines = 0;
  int fd = g_file_open_tmp ("horde-sim-log-XXXXXX.jsonl", &path, &error);
  Sim *sim;

  g_assert_no_error (error);
  close (fd);
  sim = sim_start ("--workers", "1", "--job-time", "20", "--no-rate-limits", "--log", path, NULL);
  id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  json_object_unref (sim_wait_done (sim, "/v2/generate/check", id));
  sim_reply_free (sim_request (sim, "GET", "/v2/nothing", NULL, NULL));
  sim_stop (sim);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], &error);
      JsonObject *line;

      g_assert_no_error (error);
      line = json_node_get_object (node);
      g_assert_cmpfloat (json_object_get_double_member (line, "time"), >, 1.6e9);
      g_assert_nonnull (json_object_get_string_member (line, "method"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (line, "path"), "/api/"));
      g_assert_cmpint (json_object_get_int_member (line, "status"), >=, 200);
      g_assert_cmpfloat (json_object_get_double_member (line, "duration_ms"), >=, 0);
      g_assert_true (json_object_has_member (line, "job"));
      if (!json_object_get_null_member (line, "job"))
        {
          g_assert_cmpstr (json_object_get_string_member (line, "job"), ==, id);
          job_lines++;
        }
    }
  /* the POST and every check */
  g_assert_cmpuint (job_lines, ==, g_strv_length (lines) - 1);
  g_unlink (path);
}

static void
test_users (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--users", users, "--no-rate-limits", NULL);
  g_autoptr(SimReply) alice = sim_request (sim, "GET", "/v2/find_user", "alice-key-0001", NULL);
  g_autoptr(SimReply) anon = sim_request (sim, "GET", "/v2/find_user", SIM_ANON, NULL);
  g_autoptr(SimReply) unknown = sim_request (sim, "GET", "/v2/find_user", "nobody-key", NULL);
  g_autoptr(SimReply) keyless = sim_request (sim, "GET", "/v2/find_user", NULL, NULL);
  g_autoptr(SimReply) by_id = sim_request (sim, "GET", "/v2/users/5", NULL, NULL);
  g_autoptr(SimReply) no_id = sim_request (sim, "GET", "/v2/users/77", NULL, NULL);
  g_autoptr(SimReply) added = sim_request (sim, "POST", "/_sim/users", NULL,
                                           "{\"key\": \"dave-key-000004\", \"username\": \"dave\", \"kudos\": 12, \"trusted\": false}");
  g_autoptr(SimReply) duplicate = sim_request (sim, "POST", "/_sim/users", NULL,
                                               "{\"key\": \"dave-key-000004\", \"username\": \"dave2\"}");
  g_autoptr(SimReply) invalid = sim_request (sim, "POST", "/_sim/users", NULL, "{\"username\": \"nokey\"}");
  g_autoptr(SimReply) dave = sim_request (sim, "GET", "/v2/find_user", "dave-key-000004", NULL);
  JsonObject *object = sim_reply_object (alice);

  g_assert_cmpuint (alice->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "username"), ==, "alice#5");
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (object, "kudos"), ==, 750.5);
  g_assert_true (json_object_get_boolean_member (object, "trusted"));
  g_assert_cmpint (json_object_get_int_member (object, "concurrency"), ==, 30);
  g_assert_true (json_object_has_member (object, "kudos_details"));
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "records"), "request"));
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (anon), "username"), ==, "Anonymous#0");
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (anon), "kudos"), ==, 0);
  sim_assert_error (unknown, 404, "UserNotFound");
  sim_assert_error (keyless, 401, "InvalidAPIKey");
  g_assert_cmpuint (by_id->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (by_id), "username"), ==, "alice#5");
  sim_assert_error (no_id, 404, "UserNotFound");
  g_assert_cmpuint (added->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (added), "username"), ==, "dave#6");
  g_assert_cmpuint (duplicate->status, ==, 409);
  g_assert_cmpuint (invalid->status, ==, 400);
  g_assert_cmpuint (dave->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dave), "kudos"), ==, 12);
  sim_stop (sim);
  g_unlink (users);
}

static void
test_bad_users_file (void)
{
  g_autofree char *users = sim_write_users ("[{\"key\": \"k\"}]");
  const char * const args[] = { "--users", users, NULL };
  g_autofree char *errors = NULL;

  g_assert_cmpint (sim_run_failing (args, &errors), ==, 1);
  g_assert_nonnull (strstr (errors, "username"));
  g_unlink (users);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/server/base-url", test_base_url);
  g_test_add_func ("/sim/server/sigint", test_sigint);
  g_test_add_func ("/sim/server/command-line", test_command_line);
  g_test_add_func ("/sim/server/not-found", test_not_found);
  g_test_add_func ("/sim/server/rate-limits", test_rate_limits);
  g_test_add_func ("/sim/server/no-rate-limits", test_no_rate_limits);
  g_test_add_func ("/sim/server/stats", test_stats);
  g_test_add_func ("/sim/server/log", test_log);
  g_test_add_func ("/sim/server/users", test_users);
  g_test_add_func ("/sim/server/bad-users-file", test_bad_users_file);

  return g_test_run ();
}

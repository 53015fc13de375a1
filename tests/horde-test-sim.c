/* horde-test-sim.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tests talk to the real simulator binary, over loopback, as any user of
 * the library would talk to a Horde; its control endpoints (outside /api)
 * inject faults and report what the client did.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>

#include "horde-test-sim.h"

#include <unistd.h>

struct _HordeTestSim {
  GSubprocess *process;
  char *url;        /* http://127.0.0.1:PORT/api */
  char *root;       /* http://127.0.0.1:PORT */
  SoupSession *session;
};

/* A test that fails aborts: its simulator must not outlive it, holding
 * the test's output open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

HordeTestSim *
horde_test_sim_start (const char *first_arg,
                      ...)
{
  const char *binary = g_getenv ("HORDE_SIM");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  HordeTestSim *sim;
  va_list args;

  g_assert_nonnull (binary);

  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  sim = g_new0 (HordeTestSim, 1);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/api"));

  sim->url = g_steal_pointer (&line);
  sim->root = g_strndup (sim->url, strlen (sim->url) - strlen ("/api"));
  sim->session = soup_session_new ();

  return sim;
}

const char *
horde_test_sim_get_url (HordeTestSim *sim)
{
  return sim->url;
}

static GBytes *
control (HordeTestSim *sim,
         const char   *method,
         const char   *path,
         const char   *content_type,
         const char   *body)
{
  g_autofree char *url = g_strconcat (sim->root, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  answer = soup_session_send_and_read (sim->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_error ("%s %s: HTTP %u: %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));

  return answer;
}

void
horde_test_sim_set_faults (HordeTestSim *sim,
                           const char   *spec)
{
  g_autoptr(GBytes) answer = NULL;

  if (spec == NULL)
    answer = control (sim, "DELETE", "/_sim/faults", NULL, NULL);
  else
    answer = control (sim, "POST", "/_sim/faults", "text/plain", spec);
}

void
horde_test_sim_control (HordeTestSim *sim,
                        const char   *json)
{
  g_autoptr(GBytes) answer = control (sim, "POST", "/_sim/control", "application/json", json);
}

JsonNode *
horde_test_sim_stats (HordeTestSim *sim)
{
  g_autoptr(GBytes) answer = control (sim, "GET", "/_sim/stats", NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* Requests the server saw for a route, such as "GET /api/v2/find_user" */
gint64
horde_test_sim_count (HordeTestSim *sim,
                      const char   *route)
{
  g_autoptr(JsonNode) stats = horde_test_sim_stats (sim);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats), "requests");
  JsonObject *by_route = json_object_get_object_member (requests, "by_route");

  return json_object_has_member (by_route, route) ? json_object_get_int_member (by_route, route) : 0;
}

/* Requests of one kind (check, status, delete) the server saw for a job */
gint64
horde_test_sim_job_count (HordeTestSim *sim,
                          const char   *job_id,
                          const char   *kind)
{
  g_autoptr(JsonNode) stats = horde_test_sim_stats (sim);
  JsonObject *jobs = json_object_get_object_member (json_node_get_object (stats), "jobs");
  JsonObject *job, *requests;

  if (!json_object_has_member (jobs, job_id))
    return -1;
  job = json_object_get_object_member (jobs, job_id);
  requests = json_object_get_object_member (job, "requests");

  return json_object_has_member (requests, kind) ? json_object_get_int_member (requests, kind) : 0;
}

void
horde_test_sim_stop (HordeTestSim *sim)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);

  g_clear_object (&sim->process);
  g_clear_object (&sim->session);
  g_free (sim->url);
  g_free (sim->root);
  g_free (sim);
}

static gboolean
give_up (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
horde_test_wait_for (gboolean *done,
                     guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, give_up, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return *done;
}

HordeClient *
horde_test_sim_new_client (HordeTestSim *sim)
{
  HordeClient *client = horde_client_new ();

  horde_client_set_base_url (client, horde_test_sim_get_url (sim));
  return client;
}

void
horde_test_run_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HordeTestRun *run = user_data;

  run->ok = horde_job_run_finish (HORDE_JOB (object), result, &run->error);
  run->done = TRUE;
}

char *
horde_test_write_users (const char *json)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("horde-test-users-XXXXXX.json", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  return path;
}

void
horde_test_send_op (HordeClient *client,
                    const char  *method,
                    const char  *path,
                    const char  *body,
                    const char  *id,
                    GValue      *answer)
{
  const HordeOperation *op = horde_operation_lookup (method, path);
  g_autoptr(GHashTable) parameters = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GValue) request = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (op);
  if (id != NULL)
    g_hash_table_insert (parameters, "id", (gpointer) id);
  horde_operation_new_request (op, body, parameters, &request, &error);
  g_assert_no_error (error);
  horde_client_send_sync (client, &request, answer, NULL, &error);
  g_assert_no_error (error);
}

/* test-sim-load.c: many concurrent clients against one horde-sim
 *
 * 100 clients run 10 image jobs each (submit, poll check, fetch status)
 * on one asynchronous SoupSession.  Every job must complete without an
 * error, and the simulator's resident memory must stay bounded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <string.h>

#define N_CLIENTS 100
#define JOBS_PER_CLIENT 10
#define POLL_MS 25

typedef struct _Load Load;

typedef struct {
  Load  *load;
  guint  jobs_done;
  char  *id;
} Client;

struct _Load {
  Sim        *sim;
  GMainLoop  *loop;
  Client      clients[N_CLIENTS];
  guint       clients_running;
  guint       jobs_done;
  guint       requests;
  guint       failures;
  guint64     max_rss_kb;
};

typedef void (*Next) (Client *client, JsonObject *answer);

typedef struct {
  Client *client;
  Next    next;
  guint   expected;
} Pending;

static void submit (Client *client);

static guint64
rss_kb (Sim *sim)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (sim->process));
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static void
client_failed (Client     *client,
               const char *what)
{
  g_test_message ("client %u: %s", (guint) (client - client->load->clients), what);
  client->load->failures++;
  if (--client->load->clients_running == 0)
    g_main_loop_quit (client->load->loop);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = NULL;

  if (body != NULL && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    node = json_parser_get_root (parser);
  if (body == NULL)
    client_failed (pending->client, error->message);
  else if (soup_message_get_status (msg) != pending->expected)
    client_failed (pending->client, soup_message_get_reason_phrase (msg));
  else if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    client_failed (pending->client, "answer is not a JSON object");
  else
    pending->next (pending->client, json_node_get_object (node));
  g_free (pending);
}

static void
send (Client     *client,
      const char *method,
      const char *path,
      const char *body,
      guint       expected,
      Next        next)
{
  g_autofree char *url = g_strconcat (client->load->sim->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Pending *pending = g_new0 (Pending, 1);

  pending->client = client;
  pending->next = next;
  pending->expected = expected;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "apikey", SIM_ANON);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  client->load->requests++;
  soup_session_send_and_read_async (client->load->sim->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, pending);
}

static void
got_status (Client     *client,
            JsonObject *status)
{
  JsonArray *generations = json_object_get_array_member (status, "generations");
  g_autofree guint8 *image = NULL;
  gsize length = 0;
  int width = 0, height = 0;

  if (json_array_get_length (generations) != 1)
    {
      client_failed (client, "expected one generation");
      return;
    }
  image = g_base64_decode (json_object_get_string_member (json_array_get_object_element (generations, 0), "img"), &length);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (image, length);

    if (!sim_webp_size (bytes, &width, &height) || width != 64 || height != 64)
      {
        client_failed (client, "not a 64x64 WebP");
        return;
      }
  }
  client->load->jobs_done++;
  g_clear_pointer (&client->id, g_free);
  if (++client->jobs_done == JOBS_PER_CLIENT)
    {
      if (--client->load->clients_running == 0)
        g_main_loop_quit (client->load->loop);
      return;
    }
  submit (client);
}

static void got_check (Client *client, JsonObject *check);

static gboolean
poll_cb (gpointer data)
{
  Client *client = data;
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", client->id);

  send (client, "GET", path, NULL, 200, got_check);
  return G_SOURCE_REMOVE;
}

static void
got_check (Client     *client,
           JsonObject *check)
{
  g_autofree char *path = NULL;

  if (json_object_get_boolean_member (check, "faulted"))
    {
      client_failed (client, "faulted");
      return;
    }
  if (!json_object_get_boolean_member (check, "done"))
    {
      g_timeout_add (POLL_MS, poll_cb, client);
      return;
    }
  path = g_strdup_printf ("/v2/generate/status/%s", client->id);
  send (client, "GET", path, NULL, 200, got_status);
}

static void
submitted (Client     *client,
           JsonObject *answer)
{
  client->id = g_strdup (json_object_get_string_member (answer, "id"));
  g_timeout_add (POLL_MS, poll_cb, client);
}

static void
submit (Client *client)
{
  g_autofree char *body = g_strdup_printf ("{\"prompt\": \"load test %u/%u\", \"params\": {\"width\": 64,"
                                           " \"height\": 64, \"steps\": 8}, \"r2\": false}",
                                           (guint) (client - client->load->clients), client->jobs_done);

  send (client, "POST", "/v2/generate/async", body, 202, submitted);
}

static gboolean
sample_rss_cb (gpointer data)
{
  Load *load = data;

  load->max_rss_kb = MAX (load->max_rss_kb, rss_kb (load->sim));
  return G_SOURCE_CONTINUE;
}

static void
test_load (void)
{
  Load load = { 0 };
  guint64 limit_mb = g_ascii_strtoull (g_getenv ("SIM_RSS_LIMIT_MB") ? g_getenv ("SIM_RSS_LIMIT_MB") : "200", NULL, 10);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(JsonObject) stats = NULL;
  guint sampler;

  load.sim = sim_start ("--workers", "24", "--job-time", "5", "--no-rate-limits", "--seed", "1", NULL);
  load.loop = g_main_loop_new (NULL, FALSE);
  load.clients_running = N_CLIENTS;
  sampler = g_timeout_add (100, sample_rss_cb, &load);
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      load.clients[i].load = &load;
      submit (&load.clients[i]);
    }
  g_main_loop_run (load.loop);
  g_source_remove (sampler);
  sample_rss_cb (&load);

  g_test_message ("%u jobs, %u requests in %.2f s; server RSS peaked at %" G_GUINT64_FORMAT " kB",
                  load.jobs_done, load.requests, (g_get_monotonic_time () - start) / 1e6, load.max_rss_kb);
  g_assert_cmpuint (load.failures, ==, 0);
  g_assert_cmpuint (load.jobs_done, ==, N_CLIENTS * JOBS_PER_CLIENT);
  g_assert_cmpuint (load.max_rss_kb, >, 0);
  g_assert_cmpuint (load.max_rss_kb, <, limit_mb * 1024);

  stats = sim_get_object (load.sim, "/_sim/stats");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "requests"), "total"), ==,
                   load.requests);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (stats, "jobs")), ==, N_CLIENTS * JOBS_PER_CLIENT);
  sim_stop (load.sim);
  for (guint i = 0; i < N_CLIENTS; i++)
    g_free (load.clients[i].id);
  g_main_loop_unref (load.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/load/100-clients", test_load);

  return g_test_run ();
}

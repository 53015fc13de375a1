/* test-conformance.c: end-to-end flows that any AI Horde must pass
 *
 * The same flows run against horde-sim (the default: this program starts
 * one on 127.0.0.1 with a port of its own) or against another Horde named
 * by the environment, so that what the suite confirms is the server's
 * behaviour, not our reading of the spec:
 *
 *   HORDE_CONFORMANCE_URL           the server's API base URL (…/api)
 *   HORDE_CONFORMANCE_API_KEY       a requester's key (with some kudos)
 *   HORDE_CONFORMANCE_WORKER_KEY    a registered user's key for the worker
 *                                   flows (the example image worker runs
 *                                   under it)
 *   HORDE_CONFORMANCE_MODERATOR_KEY a moderator's key, for the filter flow
 *   HORDE_CONFORMANCE_IMAGE_MODEL   the image model (default stable_diffusion)
 *   HORDE_CONFORMANCE_TEXT_MODEL    the text model (default: the first one
 *                                   a worker serves)
 *   HORDE_CONFORMANCE_TIMEOUT       seconds a job may take (default 120)
 *
 * Nothing is skipped silently: against another Horde, a flow that needs
 * what that server lacks (a key, a worker for a model) says so in its
 * output (TAP "# SKIP" with the reason); against horde-sim every flow runs.
 *
 * The flows: read operations through `horde … --json` compared field by
 * field with the raw answer; image requests with base64 and with r2
 * images; a cancel that keeps what was paid for; text; alchemy; the
 * project's example image worker serving a request and giving one back;
 * the error answers a client must tell apart.
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <json-glib/json-glib.h>
#include <libhorde.h>
#include <libsoup/soup.h>
#include <math.h>
#include <webp/encode.h>

#include "horde-test-sim.h"

/* The sim's users: a requester with kudos, and the worker's owner */
#define SIM_REQUESTER_KEY "conformance-requester1"
#define SIM_WORKER_KEY    "conformance-worker-key"
#define SIM_MODERATOR_KEY "conformance-moderator1"
#define ANONYMOUS_KEY     "0000000000"
#define CLIENT_AGENT      "horde-conformance:1:local"

typedef struct {
  HordeTestSim *sim;          /* NULL against another Horde */
  char         *url;
  char         *api_key;      /* NULL: none given */
  char         *worker_key;   /* NULL: none given */
  char         *moderator_key;  /* NULL: none given */
  char         *image_model;
  char         *text_model;   /* NULL: the first one served */
  guint         timeout;
  char         *cli;
  char         *example_worker;
  SoupSession  *session;
  char         *tmp;
} Target;

static Target target;

/* ---- the target ---------------------------------------------------------- */

static gboolean
against_sim (void)
{
  return target.sim != NULL;
}

/* Against another Horde, a flow that needs what the server lacks says why
 * and ends; against horde-sim the lack is a failure. */
static gboolean
cannot_run (const char *why)
{
  if (against_sim ())
    g_error ("horde-sim should serve this flow, but %s", why);
  g_test_skip_printf ("cannot run against %s: %s", target.url, why);
  return TRUE;
}

/* Whether the target has the keys a flow needs: the requester's, and the
 * worker's when @worker; if not, the flow says why and ends */
static gboolean
has_keys (gboolean worker)
{
  if (target.api_key == NULL)
    return !cannot_run ("HORDE_CONFORMANCE_API_KEY is not set");
  if (worker && target.worker_key == NULL)
    return !cannot_run ("HORDE_CONFORMANCE_WORKER_KEY is not set");
  return TRUE;
}

static void
start_target (void)
{
  const char *url = g_getenv ("HORDE_CONFORMANCE_URL");
  const char *timeout = g_getenv ("HORDE_CONFORMANCE_TIMEOUT");
  g_autoptr(GError) error = NULL;

  target.cli = g_strdup (g_getenv ("HORDE_CLI"));
  target.example_worker = g_strdup (g_getenv ("HORDE_EXAMPLE_IMAGE_WORKER"));
  target.image_model = g_strdup (g_getenv ("HORDE_CONFORMANCE_IMAGE_MODEL"));
  if (target.image_model == NULL || *target.image_model == '\0')
    {
      g_free (target.image_model);
      target.image_model = g_strdup ("stable_diffusion");
    }
  target.text_model = g_strdup (g_getenv ("HORDE_CONFORMANCE_TEXT_MODEL"));
  if (target.text_model != NULL && *target.text_model == '\0')
    g_clear_pointer (&target.text_model, g_free);
  target.timeout = timeout != NULL ? (guint) g_ascii_strtoull (timeout, NULL, 10) : 0;
  if (target.timeout == 0)
    target.timeout = 120;
  target.tmp = g_dir_make_tmp ("horde-conformance-XXXXXX", &error);
  g_assert_no_error (error);

  if (url != NULL && *url != '\0')
    {
      const char *key = g_getenv ("HORDE_CONFORMANCE_API_KEY");
      const char *worker_key = g_getenv ("HORDE_CONFORMANCE_WORKER_KEY");
      const char *moderator_key = g_getenv ("HORDE_CONFORMANCE_MODERATOR_KEY");

      target.url = g_strdup (url);
      target.api_key = key != NULL && *key != '\0' ? g_strdup (key) : NULL;
      target.worker_key = worker_key != NULL && *worker_key != '\0' ? g_strdup (worker_key) : NULL;
      target.moderator_key = moderator_key != NULL && *moderator_key != '\0' ? g_strdup (moderator_key) : NULL;
      g_test_message ("running against %s", target.url);
    }
  else
    {
      g_autofree char *users = g_build_filename (target.tmp, "users.json", NULL);
      const char *users_json =
        "[{\"key\": \"" SIM_REQUESTER_KEY "\", \"username\": \"Requester\", \"id\": 5151, \"kudos\": 100000},"
        " {\"key\": \"" SIM_WORKER_KEY "\", \"username\": \"Worker\", \"id\": 5252, \"kudos\": 0},"
        " {\"key\": \"" SIM_MODERATOR_KEY "\", \"username\": \"Moderator\", \"id\": 5353, \"kudos\": 0,"
        "  \"moderator\": true}]";

      g_file_set_contents (users, users_json, -1, &error);
      g_assert_no_error (error);
      /* one image worker of its own, so that a cancel finds a request
       * half done; the example worker's agent is made known to serve r2 */
      target.sim = horde_test_sim_start ("--users", users, "--workers", "1", "--job-time", "700",
                                         "--seed", "7", NULL);
      target.url = g_strdup (horde_test_sim_get_url (target.sim));
      target.api_key = g_strdup (SIM_REQUESTER_KEY);
      target.worker_key = g_strdup (SIM_WORKER_KEY);
      target.moderator_key = g_strdup (SIM_MODERATOR_KEY);
      g_test_message ("running against horde-sim at %s", target.url);
    }

  target.session = soup_session_new_with_options ("timeout", 60, "user-agent", CLIENT_AGENT, NULL);
}

static void
stop_target (void)
{
  g_clear_pointer (&target.sim, horde_test_sim_stop);
  g_clear_object (&target.session);
  if (target.tmp != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (target.tmp);
      g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                     NULL, NULL);
      GFileInfo *info;

      while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

          g_file_delete (child, NULL, NULL);
          g_object_unref (info);
        }
      g_file_delete (dir, NULL, NULL);
    }
  g_free (target.tmp);
  g_free (target.url);
  g_free (target.api_key);
  g_free (target.worker_key);
  g_free (target.moderator_key);
  g_free (target.image_model);
  g_free (target.text_model);
  g_free (target.cli);
  g_free (target.example_worker);
}

static HordeClient *
new_client (const char *key)
{
  HordeClient *client = horde_client_new ();

  horde_client_set_base_url (client, target.url);
  if (key != NULL)
    horde_client_set_api_key (client, key);
  return client;
}

/* ---- raw HTTP, without libhorde ----------------------------------------- */

/* One request to the target; its answer parsed as JSON (NULL when it is
 * not JSON), its status in @status.  Rate limits are waited out. */
static JsonNode *
raw_call (const char *method,
          const char *path,
          const char *key,
          const char *body,
          guint      *status)
{
  g_autofree char *url = g_strconcat (target.url, path, NULL);

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (method, url);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (msg);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Client-Agent", CLIENT_AGENT);
      if (key != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "apikey", key);
      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      answer = soup_session_send_and_read (target.session, msg, NULL, &error);
      g_assert_no_error (error);
      *status = soup_message_get_status (msg);
      if (*status == 429)
        {
          g_usleep (1100 * 1000);
          continue;
        }
      if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) ||
          json_parser_get_root (parser) == NULL)
        return NULL;
      return json_node_copy (json_parser_get_root (parser));
    }
  g_error ("%s %s: still rate limited after 20 tries", method, path);
}

/* A GET that must answer 200 with JSON */
static JsonNode *
raw_get (const char *path,
         const char *key)
{
  guint status = 0;
  JsonNode *node = raw_call ("GET", path, key, NULL, &status);

  if (status != 200 || node == NULL)
    g_error ("GET %s answered HTTP %u%s", path, status, node == NULL ? ", not JSON" : "");
  return node;
}

static gint64
member_int (JsonNode   *node,
            const char *name)
{
  JsonObject *object = json_node_get_object (node);
  JsonNode *member = json_object_get_member (object, name);

  g_assert_nonnull (member);
  return (gint64) json_node_get_double (member);
}

/* Whether a worker online serves @model of @type (image, text) */
static gboolean
model_is_served (const char *type,
                 const char *model)
{
  g_autofree char *path = g_strdup_printf ("/v2/status/models?type=%s", type);
  g_autoptr(JsonNode) models = raw_get (path, NULL);
  JsonArray *array = json_node_get_array (models);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "name", ""), model) == 0 &&
          json_object_get_int_member_with_default (entry, "count", 0) > 0)
        return TRUE;
    }
  return FALSE;
}

/* The text model to use: the one given, or the first one served */
static char *
text_model (void)
{
  g_autoptr(JsonNode) models = NULL;
  JsonArray *array;

  if (target.text_model != NULL)
    return model_is_served ("text", target.text_model) ? g_strdup (target.text_model) : NULL;
  models = raw_get ("/v2/status/models?type=text", NULL);
  array = json_node_get_array (models);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (json_object_get_int_member_with_default (entry, "count", 0) > 0)
        return g_strdup (json_object_get_string_member (entry, "name"));
    }
  return NULL;
}

/* Whether a worker serves the image model; if not, the flow says so */
static gboolean
image_model_is_served (void)
{
  g_autofree char *why = NULL;

  if (model_is_served ("image", target.image_model))
    return TRUE;
  why = g_strdup_printf ("no worker online serves the image model %s", target.image_model);
  return !cannot_run (why);
}

/* ---- running jobs --------------------------------------------------------- */

static void
run_job (HordeJob     *job,
         GCancellable *cancellable,
         HordeTestRun *run)
{
  horde_job_run_async (job, cancellable, horde_test_run_done, run);
  if (!horde_test_wait_for (&run->done, target.timeout + 60))
    g_error ("job %s did not end within %u s", horde_job_get_id (job), target.timeout + 60);
}

static HordeImageJob *
image_job (HordeClient *client,
           const char  *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request =
    horde_image_generate_async_request_new_from_json (json, -1, &error);
  HordeImageJob *job;

  g_assert_no_error (error);
  job = horde_image_job_new (client, request);
  horde_job_set_timeout (HORDE_JOB (job), target.timeout);
  return job;
}

static char *
image_request_json (const char *prompt,
                    int         width,
                    int         height,
                    int         n,
                    gboolean    r2,
                    const char *worker_id)
{
  g_autofree char *workers = worker_id != NULL ? g_strdup_printf (", \"workers\": [\"%s\"]", worker_id)
                                               : g_strdup ("");

  return g_strdup_printf ("{\"prompt\": \"%s\", \"params\": {\"width\": %d, \"height\": %d, \"steps\": 10,"
                          " \"n\": %d, \"sampler_name\": \"k_euler_a\"}, \"nsfw\": false,"
                          " \"censor_nsfw\": false, \"r2\": %s, \"models\": [\"%s\"]%s}",
                          prompt, width, height, n, r2 ? "true" : "false", target.image_model, workers);
}

/* Every image the job kept is one of the server's finished generations,
 * of the size asked for. */
static void
check_images (HordeImageJob *job,
              guint          n,
              int            width,
              int            height,
              gboolean       r2)
{
  GListModel *images = horde_image_job_get_images (job);

  g_assert_cmpuint (g_list_model_get_n_items (images), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);
      HordeGenerationStable *generation = horde_generated_image_get_generation (image);
      const char *img = horde_generation_stable_get_img (generation);

      g_assert_cmpint (horde_generated_image_get_width (image), ==, width);
      g_assert_cmpint (horde_generated_image_get_height (image), ==, height);
      g_assert_cmpstr (horde_generation_stable_get_model (generation), ==, target.image_model);
      g_assert_nonnull (horde_generation_stable_get_worker_name (generation));
      g_assert_cmpstr (horde_generation_stable_get_worker_name (generation), !=, "");
      g_assert_nonnull (horde_generated_image_get_seed (image));
      /* r2 requests get a download URL, the others the image itself */
      g_assert_nonnull (img);
      g_assert_cmpint (g_str_has_prefix (img, "https://") || g_str_has_prefix (img, "http://"), ==, r2);
    }
}

/* /check after the job: what the job kept and was charged is what the
 * server says */
static void
check_settled (HordeJob *job,
               guint     n_kept)
{
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", horde_job_get_id (job));
  g_autoptr(JsonNode) check = raw_get (path, target.api_key);

  g_assert_true (json_object_get_boolean_member (json_node_get_object (check), "done"));
  g_assert_cmpint (member_int (check, "finished"), ==, n_kept);
  g_assert_cmpint (member_int (check, "processing"), ==, 0);
  g_assert_cmpfloat_with_epsilon (horde_job_get_kudos (job), (double) member_int (check, "kudos"), 1.0);
}

/* ---- read operations through the CLI ------------------------------------- */

typedef struct {
  GString *problems;
  guint    n_problems;
} Diff;

static void
problem (Diff       *diff,
         const char *where,
         const char *what)
{
  if (diff->n_problems++ < 20)
    g_string_append_printf (diff->problems, "\n  %s: %s", *where ? where : "(top)", what);
}

static gboolean
same_value (JsonNode *a,
            JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) == G_TYPE_STRING || json_node_get_value_type (b) == G_TYPE_STRING)
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN || json_node_get_value_type (b) == G_TYPE_BOOLEAN)
        return json_node_get_value_type (a) == json_node_get_value_type (b) &&
               json_node_get_boolean (a) == json_node_get_boolean (b);
      /* numbers by value: the server writes 2.0 where libhorde writes 2 */
      return json_node_get_double (a) == json_node_get_double (b);
    case JSON_NODE_ARRAY:
    case JSON_NODE_OBJECT:
      return json_node_equal (a, b);
    default:
      return FALSE;
    }
}

/* Compares what the CLI printed (@cli) with two raw answers taken before
 * and after it: where both agree, the CLI must say the same; where they
 * differ (a live figure), it must have a value of the same kind. */
static void
compare (Diff       *diff,
         const char *where,
         JsonNode   *cli,
         JsonNode   *raw1,
         JsonNode   *raw2)
{
  gboolean stable = raw2 != NULL && JSON_NODE_TYPE (raw1) == JSON_NODE_TYPE (raw2);

  if (cli == NULL)
    {
      problem (diff, where, "missing in the CLI's --json");
      return;
    }
  if (JSON_NODE_TYPE (raw1) == JSON_NODE_OBJECT && JSON_NODE_TYPE (cli) == JSON_NODE_OBJECT)
    {
      JsonObject *c = json_node_get_object (cli);
      JsonObject *r1 = json_node_get_object (raw1);
      JsonObject *r2 = stable ? json_node_get_object (raw2) : NULL;
      g_autoptr(GList) names = json_object_get_members (r1);
      g_autoptr(GList) cli_names = json_object_get_members (c);

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *child = g_strdup_printf ("%s/%s", where, (const char *) l->data);

          compare (diff, child, json_object_get_member (c, l->data), json_object_get_member (r1, l->data),
                   r2 != NULL ? json_object_get_member (r2, l->data) : NULL);
        }
      for (GList *l = cli_names; l != NULL; l = l->next)
        if (!json_object_has_member (r1, l->data) && (r2 == NULL || !json_object_has_member (r2, l->data)))
          {
            g_autofree char *child = g_strdup_printf ("%s/%s", where, (const char *) l->data);

            problem (diff, child, "in the CLI's --json but not in the server's answer");
          }
      return;
    }
  if (JSON_NODE_TYPE (raw1) == JSON_NODE_ARRAY && JSON_NODE_TYPE (cli) == JSON_NODE_ARRAY)
    {
      JsonArray *c = json_node_get_array (cli);
      JsonArray *r1 = json_node_get_array (raw1);
      JsonArray *r2 = stable ? json_node_get_array (raw2) : NULL;
      guint n = json_array_get_length (r1);

      if (r2 != NULL && json_array_get_length (r2) != n)
        return;   /* the list changed meanwhile: nothing to hold it to */
      if (json_array_get_length (c) != n)
        {
          g_autofree char *what = g_strdup_printf ("%u elements, the server sent %u", json_array_get_length (c), n);

          problem (diff, where, what);
          return;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *child = g_strdup_printf ("%s/%u", where, i);

          compare (diff, child, json_array_get_element (c, i), json_array_get_element (r1, i),
                   r2 != NULL ? json_array_get_element (r2, i) : NULL);
        }
      return;
    }
  if (stable && same_value (raw1, raw2))
    {
      if (!same_value (cli, raw1))
        {
          g_autofree char *said = json_to_string (cli, FALSE);
          g_autofree char *sent = json_to_string (raw1, FALSE);
          g_autofree char *what = g_strdup_printf ("the CLI says %.200s, the server sent %.200s", said, sent);

          problem (diff, where, what);
        }
    }
  else if (JSON_NODE_TYPE (cli) != JSON_NODE_TYPE (raw1) && JSON_NODE_TYPE (cli) != JSON_NODE_NULL &&
           JSON_NODE_TYPE (raw1) != JSON_NODE_NULL)
    problem (diff, where, "a value of another kind than the server's");
}

static JsonNode *
run_cli_json (const char * const *args,
              gboolean            with_key)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (target.cli);
  g_ptr_array_add (argv, target.cli);
  g_ptr_array_add (argv, "--server");
  g_ptr_array_add (argv, target.url);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, NULL);
  /* the key through the environment, not on a command line */
  g_subprocess_launcher_setenv (launcher, "AI_HORDE_API_KEY", with_key && target.api_key ? target.api_key : "", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("horde %s --json failed: %s", args[0], err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct {
  const char *args[4];
  const char *path;       /* what the command reads */
  const char *pointer;    /* where the answer is in its --json, or NULL: all of it */
  gboolean    with_key;
} ReadCase;

static const ReadCase read_cases[] = {
  { { "models", NULL }, "/v2/status/models", NULL, FALSE },
  { { "models", "--type", "text", NULL }, "/v2/status/models?type=text", NULL, FALSE },
  { { "workers", NULL }, "/v2/workers", NULL, FALSE },
  { { "news", NULL }, "/v2/status/news", NULL, FALSE },
  { { "status", NULL }, "/v2/status/heartbeat", "heartbeat", FALSE },
  { { "status", NULL }, "/v2/status/performance", "performance", FALSE },
  { { "styles", NULL }, "/v2/styles/image", NULL, FALSE },
  { { "styles", "--type", "text", NULL }, "/v2/styles/text", NULL, FALSE },
  { { "stats", NULL }, "/v2/stats/img/totals", NULL, FALSE },
  { { "stats", "--type", "text", NULL }, "/v2/stats/text/totals", NULL, FALSE },
  { { "stats", "--models", NULL }, "/v2/stats/img/models", NULL, FALSE },
  { { "user", NULL }, "/v2/find_user", NULL, TRUE },
};

static void
test_read_cli_json (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      const ReadCase *c = &read_cases[i];
      const char *key = c->with_key ? target.api_key : NULL;
      g_autoptr(JsonNode) raw1 = NULL;
      g_autoptr(JsonNode) cli = NULL;
      g_autoptr(JsonNode) raw2 = NULL;
      g_autofree char *command = NULL;
      JsonNode *printed;
      Diff diff = { g_string_new (NULL), 0 };

      if (c->with_key && key == NULL)
        {
          g_test_message ("horde %s: not compared: HORDE_CONFORMANCE_API_KEY is not set", c->args[0]);
          continue;
        }
      raw1 = raw_get (c->path, key);
      cli = run_cli_json (c->args, c->with_key);
      raw2 = raw_get (c->path, key);
      printed = cli;
      if (c->pointer != NULL)
        {
          g_assert_cmpint (JSON_NODE_TYPE (cli), ==, JSON_NODE_OBJECT);
          printed = json_object_get_member (json_node_get_object (cli), c->pointer);
        }
      compare (&diff, "", printed, raw1, raw2);
      command = g_strjoinv (" ", (char **) c->args);
      g_test_message ("horde %s --json against GET %s: %u differences", command, c->path, diff.n_problems);
      if (diff.n_problems > 0)
        g_test_fail_printf ("horde %s --json differs from GET %s in %u places:%s", command, c->path,
                            diff.n_problems, diff.problems->str);
      g_string_free (diff.problems, TRUE);
    }
}

/* ---- image --------------------------------------------------------------- */

static void
test_image (gconstpointer data)
{
  gboolean r2 = GPOINTER_TO_INT (data);
  g_autoptr(HordeClient) client = NULL;
  g_autofree char *json = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  HordeTestRun run = { 0 };
  guint n = r2 ? 1 : 2;

  if (!has_keys (FALSE) || !image_model_is_served ())
    return;

  client = new_client (target.api_key);
  json = image_request_json (r2 ? "a lighthouse on a cliff, r2" : "a lighthouse on a cliff, base64",
                             512, 384, n, r2, NULL);
  job = image_job (client, json);
  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_DONE);
  check_images (job, n, 512, 384, r2);
  g_assert_cmpfloat (horde_job_get_kudos (HORDE_JOB (job)), >, 0);
  check_settled (HORDE_JOB (job), n);
}

/* ---- cancel ---------------------------------------------------------------- */

static void
finished_cb (HordeJob     *job,
             GParamSpec   *pspec,
             GCancellable *cancellable)
{
  if (horde_job_get_finished (job) >= 1 && !g_cancellable_is_cancelled (cancellable))
    g_cancellable_cancel (cancellable);
}

/* A cancel once the first image is finished: the request stays on the
 * server (done, with n = 0), the image a worker was drawing at the cancel
 * is finished and charged, and the job keeps everything it paid for. */
static void
test_image_cancel (void)
{
  g_autoptr(HordeClient) client = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonNode) status = NULL;
  HordeTestRun run = { 0 };
  guint n_kept;
  guint answer = 0;

  if (!has_keys (FALSE) || !image_model_is_served ())
    return;

  client = new_client (target.api_key);
  json = image_request_json ("a lighthouse on a cliff, cancelled", 512, 512, 4, FALSE, NULL);
  job = image_job (client, json);
  g_signal_connect (job, "notify::finished", G_CALLBACK (finished_cb), cancellable);
  run_job (HORDE_JOB (job), cancellable, &run);
  if (run.ok)
    {
      g_assert_true (cannot_run ("all four images were done before the job saw the first"));
      return;
    }
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));

  n_kept = g_list_model_get_n_items (horde_image_job_get_images (job));
  g_assert_cmpuint (n_kept, >=, 1);
  g_assert_cmpuint (n_kept, <, 4);
  check_images (job, n_kept, 512, 512, FALSE);
  check_settled (HORDE_JOB (job), n_kept);

  /* the request is still there, done, with the kept images */
  path = g_strdup_printf ("/v2/generate/status/%s", horde_job_get_id (HORDE_JOB (job)));
  status = raw_call ("GET", path, target.api_key, NULL, &answer);
  g_assert_cmpuint (answer, ==, 200);
  g_assert_nonnull (status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (status),
                                                                         "generations")), ==, n_kept);
}

/* ---- text and alchemy ---------------------------------------------------- */

static void
test_text (void)
{
  g_autofree char *model = NULL;
  g_autofree char *json = NULL;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeTextGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeTextJob) job = NULL;
  g_autoptr(GError) error = NULL;
  HordeGenerationKobold * const *generations;
  HordeTestRun run = { 0 };
  gsize n = 0;

  if (!has_keys (FALSE))
    return;
  model = text_model ();
  if (model == NULL && cannot_run ("no worker serves a text model (or HORDE_CONFORMANCE_TEXT_MODEL)"))
    return;

  json = g_strdup_printf ("{\"prompt\": \"The lighthouse keeper opened the door and\","
                          " \"params\": {\"max_length\": 16, \"max_context_length\": 1024, \"n\": 1},"
                          " \"models\": [\"%s\"]}", model);
  request = horde_text_generate_async_request_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  client = new_client (target.api_key);
  job = horde_text_job_new (client, request);
  horde_job_set_timeout (HORDE_JOB (job), target.timeout);
  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  generations = horde_text_job_get_generations (job, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (horde_generation_kobold_get_text (generations[0]));
  g_assert_cmpstr (horde_generation_kobold_get_model (generations[0]), ==, model);
  g_assert_nonnull (horde_generation_kobold_get_worker_id (generations[0]));
}

/* a 64×64 lossless WebP, base64: what the server takes as a source */
static char *
source_image (void)
{
  guint8 rgb[64 * 64 * 3];
  guint8 *webp = NULL;
  size_t size;
  char *base64;

  for (guint i = 0; i < sizeof rgb; i += 3)
    {
      rgb[i] = 0x33;
      rgb[i + 1] = (guint8) (i / 192);
      rgb[i + 2] = 0xcc;
    }
  size = WebPEncodeLosslessRGB (rgb, 64, 64, 64 * 3, &webp);
  g_assert_cmpuint (size, >, 0);
  base64 = g_base64_encode (webp, size);
  WebPFree (webp);
  return base64;
}

static void
test_alchemy (void)
{
  g_autofree char *source = source_image ();
  g_autofree char *json = NULL;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeAlchemyAsyncRequest) request = NULL;
  g_autoptr(HordeAlchemyJob) job = NULL;
  g_autoptr(HordeAlchemyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HordeTestRun run = { 0 };
  g_autoptr(JsonNode) performance = NULL;

  if (!has_keys (FALSE))
    return;
  performance = raw_get ("/v2/status/performance", NULL);
  if (member_int (performance, "interrogator_count") == 0 && cannot_run ("no alchemy worker is online"))
    return;

  json = g_strdup_printf ("{\"forms\": [{\"name\": \"caption\"}], \"source_image\": \"%s\"}", source);
  request = horde_alchemy_async_request_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  client = new_client (target.api_key);
  job = horde_alchemy_job_new (client, request);
  horde_job_set_timeout (HORDE_JOB (job), target.timeout);
  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  g_assert_cmpuint (g_list_model_get_n_items (horde_alchemy_job_get_results (job)), ==, 1);
  result = g_list_model_get_item (horde_alchemy_job_get_results (job), 0);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "caption");
  g_assert_true (horde_alchemy_result_get_done (result));
  g_assert_nonnull (horde_alchemy_result_get_caption (result));
  g_assert_cmpuint (strlen (horde_alchemy_result_get_caption (result)), >, 0);
}

/* ---- the example image worker ------------------------------------------- */

typedef struct {
  GSubprocess *process;
  char        *name;
  char        *out;
  char        *err;
  gboolean     exited;
} ExampleWorker;

static void
example_worker_exited_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  ExampleWorker *worker = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &worker->out, &worker->err, &error);
  g_assert_no_error (error);
  worker->exited = TRUE;
}

/* Starts docs/examples/image-worker for one job under the worker key */
static void
example_worker_start (ExampleWorker *worker,
                      const char    *name,
                      gboolean       fail_after_pop)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char *argv[] = {
    target.example_worker, "--name", name, "--model", target.image_model, "--jobs", "1",
    "--interval", "0.5", fail_after_pop ? "--fail-after-pop" : NULL, NULL
  };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (target.example_worker);
  memset (worker, 0, sizeof *worker);
  worker->name = g_strdup (name);
  g_subprocess_launcher_setenv (launcher, "AI_HORDE_URL", target.url, TRUE);
  g_subprocess_launcher_setenv (launcher, "AI_HORDE_API_KEY", target.worker_key, TRUE);
  worker->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (worker->process, NULL, NULL, example_worker_exited_cb, worker);
}

static void
example_worker_wait (ExampleWorker *worker)
{
  if (!horde_test_wait_for (&worker->exited, target.timeout))
    {
      g_subprocess_force_exit (worker->process);
      horde_test_wait_for (&worker->exited, 10);
      g_error ("the example worker did not end; it printed:\n%s\n%s", worker->out, worker->err);
    }
  g_test_message ("the example worker printed:\n%s%s", worker->out, worker->err);
  g_assert_true (g_subprocess_get_if_exited (worker->process));
  g_assert_cmpint (g_subprocess_get_exit_status (worker->process), ==, 0);
}

static void
example_worker_clear (ExampleWorker *worker)
{
  if (worker->process != NULL && !worker->exited)
    {
      g_subprocess_force_exit (worker->process);
      horde_test_wait_for (&worker->exited, 10);
    }
  g_clear_object (&worker->process);
  g_clear_pointer (&worker->name, g_free);
  g_clear_pointer (&worker->out, g_free);
  g_clear_pointer (&worker->err, g_free);
}

/* The worker's id, once its first pop has made it known */
static char *
wait_for_worker_id (const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v2/workers/name/%s", escaped);

  for (guint i = 0; i < 20 * 4; i++)
    {
      guint status = 0;
      g_autoptr(JsonNode) answer = raw_call ("GET", path, NULL, NULL, &status);

      if (status == 200 && answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
        return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
      g_usleep (G_USEC_PER_SEC / 4);
    }
  g_error ("the example worker %s did not show up in /v2/workers/name", name);
}

static char *
worker_name (void)
{
  return g_strdup_printf ("conformance-%08x", g_random_int ());
}

/* The example worker serves a request aimed at it (the request names it
 * in "workers"); it asks for no r2, the only kind the real Horde hands an
 * agent it does not know. */
static void
test_worker_serve (void)
{
  g_autofree char *name = worker_name ();
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(HordeGeneratedImage) image = NULL;
  ExampleWorker worker;
  HordeTestRun run = { 0 };

  if (!has_keys (TRUE))
    return;

  example_worker_start (&worker, name, FALSE);
  id = wait_for_worker_id (name);
  client = new_client (target.api_key);
  json = image_request_json ("a red fox in the snow", 576, 384, 1, FALSE, id);
  job = image_job (client, json);
  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  check_images (job, 1, 576, 384, FALSE);
  image = g_list_model_get_item (horde_image_job_get_images (job), 0);
  g_assert_cmpstr (horde_generation_stable_get_worker_name (horde_generated_image_get_generation (image)), ==, name);
  g_assert_cmpstr (horde_generation_stable_get_worker_id (horde_generated_image_get_generation (image)), ==, id);
  check_settled (HORDE_JOB (job), 1);

  example_worker_wait (&worker);
  g_assert_nonnull (strstr (worker.out, "kudos earned"));
  g_assert_nonnull (strstr (worker.out, "Jobs served: 1, given back: 0"));
  example_worker_clear (&worker);
}

/* The example worker gives a job back: the request waits again, restarted
 * once, and the next worker (the same example) serves it. */
static void
test_worker_give_back (void)
{
  g_autofree char *name = worker_name ();
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(JsonNode) check = NULL;
  ExampleWorker worker;
  HordeTestRun run = { 0 };
  gboolean requeued = FALSE;

  if (!has_keys (TRUE))
    return;

  example_worker_start (&worker, name, TRUE);
  id = wait_for_worker_id (name);
  client = new_client (target.api_key);
  json = image_request_json ("a red fox in the snow, given back", 512, 512, 1, FALSE, id);
  job = image_job (client, json);
  horde_job_run_async (HORDE_JOB (job), NULL, horde_test_run_done, &run);

  example_worker_wait (&worker);
  g_assert_nonnull (strstr (worker.out, "back in the queue, for another worker"));
  g_assert_nonnull (strstr (worker.out, "Jobs served: 0, given back: 1"));
  example_worker_clear (&worker);

  /* /check is cached for a second or so: ask until it shows the restart */
  path = g_strdup_printf ("/v2/generate/check/%s", horde_job_get_id (HORDE_JOB (job)));
  for (guint i = 0; i < 40 && !requeued; i++)
    {
      g_clear_pointer (&check, json_node_unref);
      check = raw_get (path, target.api_key);
      requeued = member_int (check, "restarted") == 1 && member_int (check, "waiting") == 1;
      if (!requeued)
        g_usleep (G_USEC_PER_SEC / 4);
    }
  g_assert_true (requeued);
  g_assert_cmpint (member_int (check, "processing"), ==, 0);
  g_assert_cmpint (member_int (check, "finished"), ==, 0);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (check), "done"));
  g_assert_false (run.done);

  example_worker_start (&worker, name, FALSE);
  if (!horde_test_wait_for (&run.done, target.timeout + 60))
    g_error ("the request was not served after it was given back");
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  check_images (job, 1, 512, 512, FALSE);
  example_worker_wait (&worker);
  g_assert_nonnull (strstr (worker.out, "Jobs served: 1, given back: 0"));
  example_worker_clear (&worker);
}

/* ---- errors ---------------------------------------------------------------- */

static void
test_error_unknown_key (void)
{
  g_autoptr(HordeClient) client = new_client ("conformance-no-such-key");
  g_autoptr(HordeFindUserRequest) request = horde_find_user_request_new ();
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (request);
  user = horde_client_send_find_user_request_sync (client, request, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
  g_assert_cmpuint (horde_error_get_status (error), ==, 404);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "UserNotFound");

  /* the CLI says it in words, without the server's routing help */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) process = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) spawn_error = NULL;

    g_subprocess_launcher_setenv (launcher, "AI_HORDE_API_KEY", "conformance-no-such-key", TRUE);
    process = g_subprocess_launcher_spawn (launcher, &spawn_error, target.cli, "--server", target.url, "user", NULL);
    g_assert_no_error (spawn_error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &spawn_error);
    g_assert_no_error (spawn_error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    g_assert_nonnull (strstr (err, "does not know this API key"));
    g_assert_null (strstr (err, "did you mean"));
  }
}

static void
test_error_unknown_request (void)
{
  g_autoptr(HordeClient) client = new_client (target.api_key);
  g_autoptr(HordeImageJob) job = horde_image_job_new_for_id (client, "00000000-0000-4000-8000-000000000000");
  HordeTestRun run = { 0 };

  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
  g_assert_cmpuint (horde_error_get_status (run.error), ==, 404);
  g_assert_cmpstr (horde_error_get_rc (run.error), ==, "RequestNotFound");
}

/* The anonymous key may not ask for more than 1024×1024 without kudos */
static void
test_error_kudos_upfront (void)
{
  g_autoptr(HordeClient) client = new_client (ANONYMOUS_KEY);
  g_autofree char *json = image_request_json ("a lighthouse, too large for nobody", 1280, 1280, 1, FALSE, NULL);
  g_autoptr(HordeImageJob) job = image_job (client, json);
  HordeTestRun run = { 0 };

  run_job (HORDE_JOB (job), NULL, &run);
  g_assert_false (run.ok);
  g_assert_nonnull (run.error);
  g_assert_cmpuint (horde_error_get_status (run.error), ==, 403);
  g_assert_cmpstr (horde_error_get_rc (run.error), ==, "KudosUpfront");
  g_assert_null (horde_job_get_id (HORDE_JOB (job)));
}

/* One filter by id answers one object, not the list the spec gives */
static void
test_filter_single (void)
{
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(HordeSingleFilterRequest) request = NULL;
  g_autoptr(HordeFilterDetails) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  JsonObject *first;

  if (target.moderator_key == NULL && cannot_run ("HORDE_CONFORMANCE_MODERATOR_KEY is not set"))
    return;
  list = raw_get ("/v2/filters", target.moderator_key);
  if (json_array_get_length (json_node_get_array (list)) == 0 && cannot_run ("the server has no filters"))
    return;
  first = json_array_get_object_element (json_node_get_array (list), 0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_object_get_double_member (first, "id"));

  client = new_client (target.moderator_key);
  request = horde_single_filter_request_new (id);
  filter = horde_client_send_single_filter_request_sync (client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (filter);
  g_assert_cmpstr (horde_filter_details_get_id (filter), ==, id);
  g_assert_cmpstr (horde_filter_details_get_regex (filter), ==, json_object_get_string_member (first, "regex"));
}

/* A style PATCH without "name" is refused by the server (its parser
 * requires it), and by libhorde before sending */
static void
test_error_style_patch_needs_name (void)
{
  g_autoptr(JsonNode) styles = raw_get ("/v2/styles/image", NULL);
  g_autoptr(HordeModifyStyleImageRequest) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  JsonObject *errors;
  guint status = 0;

  if (!has_keys (FALSE))
    return;
  if (json_array_get_length (json_node_get_array (styles)) == 0 && cannot_run ("the server has no image styles"))
    return;
  path = g_strdup_printf ("/v2/styles/image/%s",
                          json_object_get_string_member (json_array_get_object_element (json_node_get_array (styles), 0),
                                                         "id"));
  answer = raw_call ("PATCH", path, target.api_key, "{\"info\": \"conformance: no name\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (answer);
  errors = json_object_get_object_member (json_node_get_object (answer), "errors");
  g_assert_nonnull (errors);
  g_assert_true (json_object_has_member (errors, "name"));

  request = horde_modify_style_image_request_new_from_json ("{\"info\": \"conformance: no name\"}", -1, &error);
  if (request != NULL)
    horde_modify_style_image_request_validate (request, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
}

/* A text dry run is priced, or (AI Horde 5.1.5, whose kudos calculation
 * fails there) answered 500, which `horde text --dry-run` puts in words.
 * horde-sim plays 5.1.5 for it with a one-shot fault. */
static void
test_error_text_dry_run (void)
{
  g_autofree char *model = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!has_keys (FALSE))
    return;
  model = text_model ();
  if (model == NULL && cannot_run ("no worker serves a text model (or HORDE_CONFORMANCE_TEXT_MODEL)"))
    return;
  if (against_sim ())
    horde_test_sim_set_faults (target.sim, "status:500@POST /api/v2/generate/text/async,count=1");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "AI_HORDE_API_KEY", target.api_key, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, target.cli, "--server", target.url, "text", "--dry-run",
                                         "--model", model, "The lighthouse keeper", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("horde text --dry-run: exit %d\n%s%s", g_subprocess_get_exit_status (process), out, err);
  if (g_subprocess_get_exit_status (process) == 0)
    {
      g_assert_false (against_sim ());
      g_assert_nonnull (strstr (out, "kudos"));
      return;
    }
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "could not price this text request"));
  g_assert_null (strstr (err, "Internal Server Error"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start_target ();

  g_test_add_func ("/conformance/read/cli-json", test_read_cli_json);
  g_test_add_data_func ("/conformance/image/base64", GINT_TO_POINTER (FALSE), test_image);
  g_test_add_data_func ("/conformance/image/r2", GINT_TO_POINTER (TRUE), test_image);
  g_test_add_func ("/conformance/image/cancel", test_image_cancel);
  g_test_add_func ("/conformance/text", test_text);
  g_test_add_func ("/conformance/alchemy", test_alchemy);
  g_test_add_func ("/conformance/worker/serve", test_worker_serve);
  g_test_add_func ("/conformance/worker/give-back", test_worker_give_back);
  g_test_add_func ("/conformance/error/unknown-key", test_error_unknown_key);
  g_test_add_func ("/conformance/error/unknown-request", test_error_unknown_request);
  g_test_add_func ("/conformance/error/kudos-upfront", test_error_kudos_upfront);
  g_test_add_func ("/conformance/error/style-patch-needs-name", test_error_style_patch_needs_name);
  g_test_add_func ("/conformance/error/text-dry-run", test_error_text_dry_run);
  g_test_add_func ("/conformance/filter/single", test_filter_single);

  status = g_test_run ();
  stop_target ();
  return status;
}

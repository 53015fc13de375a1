/* test-sim-info.c: horde-sim's status, models, workers and styles, and the
 * text and alchemy flows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <string.h>
#include <webp/encode.h>

#define TEXT_MODEL "koboldcpp/LLaMA2-13B-Psyfighter2"

static JsonArray *
get_array (Sim        *sim,
           const char *path,
           SimReply  **keep)
{
  *keep = sim_request (sim, "GET", path, NULL, NULL);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY ((*keep)->json));
  return json_node_get_array ((*keep)->json);
}

static JsonObject *
find_named (JsonArray  *array,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "name"), name) == 0)
        return object;
    }
  return NULL;
}

static void
test_status (void)
{
  Sim *sim = sim_start ("--workers", "4", "--no-rate-limits", NULL);
  g_autoptr(JsonObject) performance = sim_get_object (sim, "/v2/status/performance");
  g_autoptr(SimReply) news_reply = NULL;
  JsonArray *news = get_array (sim, "/v2/status/news", &news_reply);

  g_assert_cmpint (json_object_get_int_member (performance, "worker_count"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (performance, "text_worker_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (performance, "interrogator_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (performance, "queued_requests"), ==, 0);
  g_assert_true (json_object_has_member (performance, "past_minute_megapixelsteps"));
  g_assert_cmpuint (json_array_get_length (news), >=, 2);
  for (guint i = 0; i < json_array_get_length (news); i++)
    {
      JsonObject *piece = json_array_get_object_element (news, i);

      g_assert_nonnull (json_object_get_string_member (piece, "date_published"));
      g_assert_nonnull (json_object_get_string_member (piece, "newspiece"));
      g_assert_nonnull (json_object_get_string_member (piece, "importance"));
    }
  sim_stop (sim);
}

static void
test_models (void)
{
  Sim *sim = sim_start ("--workers", "3", "--no-rate-limits", NULL);
  g_autoptr(SimReply) image_reply = NULL;
  g_autoptr(SimReply) text_reply = NULL;
  g_autoptr(SimReply) min_reply = NULL;
  g_autoptr(SimReply) custom_reply = NULL;
  g_autoptr(SimReply) single_reply = NULL;
  g_autoptr(SimReply) queued_reply = NULL;
  g_autoptr(SimReply) pause = NULL;
  g_autoptr(SimReply) bad_type = NULL;
  JsonArray *image = get_array (sim, "/v2/status/models", &image_reply);
  JsonArray *text = get_array (sim, "/v2/status/models?type=text", &text_reply);
  JsonArray *at_least_three = get_array (sim, "/v2/status/models?type=image&min_count=3", &min_reply);
  JsonArray *custom = get_array (sim, "/v2/status/models?model_state=custom", &custom_reply);
  JsonArray *single = get_array (sim, "/v2/status/models/Deliberate", &single_reply);
  JsonObject *sd = find_named (image, "stable_diffusion");
  JsonObject *queued;
  g_autofree char *id = NULL;

  g_assert_nonnull (sd);
  g_assert_cmpint (json_object_get_int_member (sd, "count"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (sd, "type"), ==, "image");
  g_assert_cmpfloat (json_object_get_double_member (sd, "performance"), >, 0);
  g_assert_nonnull (find_named (image, "Deliberate"));
  g_assert_nonnull (find_named (image, "AlbedoBase XL (SDXL)"));
  g_assert_null (find_named (image, TEXT_MODEL));
  g_assert_nonnull (find_named (text, TEXT_MODEL));
  g_assert_cmpstr (json_object_get_string_member (find_named (text, TEXT_MODEL), "type"), ==, "text");
  g_assert_null (find_named (at_least_three, "AlbedoBase XL (SDXL)"));
  g_assert_nonnull (find_named (at_least_three, "stable_diffusion"));
  g_assert_cmpuint (json_array_get_length (custom), ==, 0);
  g_assert_cmpuint (json_array_get_length (single), ==, 1);
  bad_type = sim_request (sim, "GET", "/v2/status/models?type=video", NULL, NULL);
  g_assert_cmpuint (bad_type->status, ==, 400);

  /* the queue shows in the models */
  pause = sim_request (sim, "POST", "/_sim/control", NULL, "{\"paused\": true}");
  id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                   "{\"prompt\": \"x\", \"params\": {\"n\": 3, \"steps\": 10}, \"models\": [\"Deliberate\"]}");
  queued = find_named (get_array (sim, "/v2/status/models/Deliberate", &queued_reply), "Deliberate");
  g_assert_cmpfloat (json_object_get_double_member (queued, "jobs"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (queued, "queued"), 3 * 512 * 512 * 10 / 1e6, 0.01);
  g_assert_cmpint (json_object_get_int_member (queued, "eta"), >, 0);
  sim_stop (sim);
}

static void
test_workers (void)
{
  Sim *sim = sim_start ("--workers", "3", "--job-time", "10", "--no-rate-limits", NULL);
  g_autoptr(SimReply) all_reply = NULL;
  g_autoptr(SimReply) text_reply = NULL;
  g_autoptr(SimReply) named_reply = NULL;
  g_autoptr(SimReply) after_reply = NULL;
  JsonArray *all = get_array (sim, "/v2/workers", &all_reply);
  JsonArray *text = get_array (sim, "/v2/workers?type=text", &text_reply);
  JsonArray *named = get_array (sim, "/v2/workers?name=SIM-AURORA", &named_reply);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pixels = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint image_workers = 0;
  JsonObject *aurora = find_named (all, "sim-aurora");
  const char *aurora_id = json_object_get_string_member (aurora, "id");
  g_autofree char *by_id_path = g_strdup_printf ("/v2/workers/%s", aurora_id);
  g_autoptr(JsonObject) by_id = sim_get_object (sim, by_id_path);
  g_autoptr(JsonObject) by_name = sim_get_object (sim, "/v2/workers/name/sim-borealis");
  g_autoptr(SimReply) missing = sim_request (sim, "GET", "/v2/workers/00000000-0000-0000-0000-000000000000", NULL, NULL);
  g_autofree char *job = NULL;
  gint64 fulfilled = 0;

  g_assert_cmpuint (json_array_get_length (all), ==, 5);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *worker = json_array_get_object_element (all, i);

      g_assert_true (g_hash_table_add (names, (gpointer) json_object_get_string_member (worker, "name")));
      g_assert_cmpuint (strlen (json_object_get_string_member (worker, "id")), ==, 36);
      g_assert_true (json_object_get_boolean_member (worker, "online"));
      g_assert_nonnull (json_object_get_string_member (worker, "bridge_agent"));
      if (g_str_equal (json_object_get_string_member (worker, "type"), "image"))
        {
          image_workers++;
          g_hash_table_add (pixels, GINT_TO_POINTER (json_object_get_int_member (worker, "max_pixels")));
          g_assert_true (g_str_has_suffix (json_object_get_string_member (worker, "performance"), "megapixelsteps per second"));
        }
    }
  g_assert_cmpuint (image_workers, ==, 3);
  g_assert_cmpuint (g_hash_table_size (pixels), ==, 3);
  g_assert_cmpuint (json_array_get_length (text), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (text, 0), "max_length"), >=, 80);
  g_assert_cmpuint (json_array_get_length (named), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (by_id, "name"), ==, "sim-aurora");
  g_assert_cmpstr (json_object_get_string_member (by_name, "name"), ==, "sim-borealis");
  sim_assert_error (missing, 404, "WorkerNotFound");

  /* a finished job counts for its worker */
  job = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  json_object_unref (sim_wait_done (sim, "/v2/generate/check", job));
  all = get_array (sim, "/v2/workers?type=image", &after_reply);
  for (guint i = 0; i < json_array_get_length (all); i++)
    fulfilled += json_object_get_int_member (json_array_get_object_element (all, i), "requests_fulfilled");
  g_assert_cmpint (fulfilled, ==, 1);
  sim_stop (sim);
}

static char *
text_flow (const char *seed,
           char      **worker_name)
{
  Sim *sim = sim_start ("--job-time", "20", "--seed", seed, "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/text/async", SIM_ANON,
                                    "{\"prompt\": \"Once upon a time\", \"params\": {\"max_length\": 40,"
                                    " \"max_context_length\": 1024}, \"models\": [\"" TEXT_MODEL "\"]}");
  g_autoptr(JsonObject) status = sim_wait_done (sim, "/v2/generate/text/status", id);
  JsonArray *generations = json_object_get_array_member (status, "generations");
  JsonObject *generation;
  char *text;

  g_assert_cmpuint (json_array_get_length (generations), ==, 1);
  generation = json_array_get_object_element (generations, 0);
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, TEXT_MODEL);
  g_assert_cmpstr (json_object_get_string_member (generation, "state"), ==, "ok");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (generation, "seed")));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (generation, "seed")), ==, G_TYPE_INT64);
  g_assert_true (json_object_get_boolean_member (status, "done"));
  g_assert_cmpint (json_object_get_int_member (status, "finished"), ==, 1);
  text = g_strdup (json_object_get_string_member (generation, "text"));
  *worker_name = g_strdup (json_object_get_string_member (generation, "worker_name"));
  sim_stop (sim);
  return text;
}

static void
test_text (void)
{
  g_autofree char *worker1 = NULL, *worker2 = NULL, *worker3 = NULL;
  g_autofree char *a = text_flow ("3", &worker1);
  g_autofree char *b = text_flow ("3", &worker2);
  g_autofree char *c = text_flow ("4", &worker3);
  Sim *sim;
  g_autoptr(SimReply) empty = NULL;
  g_autoptr(SimReply) too_long = NULL;
  g_autoptr(SimReply) dry = NULL;
  g_autoptr(SimReply) cancel = NULL;
  g_autofree char *held = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (strlen (a), >, 20);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (worker1, ==, "sim-scribe");

  sim = sim_start ("--no-rate-limits", NULL);
  empty = sim_request (sim, "POST", "/v2/generate/text/async", SIM_ANON, "{\"prompt\": \"\"}");
  too_long = sim_request (sim, "POST", "/v2/generate/text/async", SIM_ANON,
                          "{\"prompt\": \"x\", \"params\": {\"max_length\": 5000}}");
  dry = sim_request (sim, "POST", "/v2/generate/text/async", SIM_ANON, "{\"prompt\": \"x\", \"dry_run\": true}");
  sim_assert_error (empty, 400, "MissingPrompt");
  g_assert_cmpuint (too_long->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (too_long), "errors"),
                                         "params.max_length"));
  g_assert_cmpuint (dry->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry), "kudos"), >, 0);

  /* more context than any worker: queued, but impossible, then cancelled */
  held = sim_submit (sim, "/v2/generate/text/async", SIM_ANON,
                     "{\"prompt\": \"x\", \"params\": {\"max_context_length\": 100000}}");
  path = g_strdup_printf ("/v2/generate/text/status/%s", held);
  cancel = sim_request (sim, "DELETE", path, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (sim_reply_object (cancel), "is_possible"));
  {
    g_autoptr(JsonObject) after = sim_get_object (sim, path);

    g_assert_true (json_object_get_boolean_member (after, "done"));
    g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 0);
  }
  sim_stop (sim);
}

static char *
tiny_webp_base64 (void)
{
  guint8 rgb[32 * 16 * 3];
  guint8 *webp = NULL;
  size_t length;
  char *base64;

  for (gsize i = 0; i < sizeof rgb; i++)
    rgb[i] = (guint8) (i * 7);
  length = WebPEncodeRGB (rgb, 32, 16, 32 * 3, 80, &webp);
  g_assert_cmpuint (length, >, 0);
  base64 = g_base64_encode (webp, length);
  WebPFree (webp);
  return base64;
}

static void
test_alchemy (void)
{
  Sim *sim = sim_start ("--job-time", "20", "--no-rate-limits", NULL);
  g_autofree char *image = tiny_webp_base64 ();
  g_autofree char *body = g_strdup_printf ("{\"forms\": [{\"name\": \"caption\"}, {\"name\": \"nsfw\"},"
                                           " {\"name\": \"RealESRGAN_x2plus\"}, {\"name\": \"caption\"}],"
                                           " \"source_image\": \"%s\"}", image);
  g_autofree char *id = sim_submit (sim, "/v2/interrogate/async", SIM_ANON, body);
  g_autoptr(JsonObject) status = sim_wait_done (sim, "/v2/interrogate/status", id);
  JsonArray *forms = json_object_get_array_member (status, "forms");
  g_autoptr(SimReply) bad_image = sim_request (sim, "POST", "/v2/interrogate/async", SIM_ANON,
                                               "{\"forms\": [{\"name\": \"caption\"}], \"source_image\": \"bm90IGFuIGltYWdl\"}");
  g_autoptr(SimReply) no_image = sim_request (sim, "POST", "/v2/interrogate/async", SIM_ANON,
                                              "{\"forms\": [{\"name\": \"caption\"}]}");
  g_autoptr(SimReply) bad_form = sim_request (sim, "POST", "/v2/interrogate/async", SIM_ANON,
                                              "{\"forms\": [{\"name\": \"telepathy\"}], \"source_image\": \"https://example.com/a.png\"}");
  g_autoptr(SimReply) missing = sim_request (sim, "GET", "/v2/interrogate/status/nope", NULL, NULL);
  g_autoptr(GBytes) upscaled = NULL;
  int width = 0, height = 0;

  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "done");
  /* repeated forms are ignored */
  g_assert_cmpuint (json_array_get_length (forms), ==, 3);
  for (guint i = 0; i < json_array_get_length (forms); i++)
    {
      JsonObject *form = json_array_get_object_element (forms, i);
      const char *name = json_object_get_string_member (form, "form");
      JsonObject *result = json_object_get_object_member (form, "result");

      g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, "done");
      g_assert_cmpstr (json_object_get_string_member (form, "worker_name"), ==, "sim-alchemist");
      if (g_str_equal (name, "caption"))
        g_assert_cmpuint (strlen (json_object_get_string_member (result, "caption")), >, 3);
      else if (g_str_equal (name, "nsfw"))
        g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (result, "nsfw")));
      else
        {
          g_autoptr(SimReply) download = sim_request (sim, "GET", json_object_get_string_member (result, name), NULL, NULL);

          g_assert_cmpuint (download->status, ==, 200);
          upscaled = g_bytes_ref (download->body);
        }
    }
  g_assert_true (sim_webp_size (upscaled, &width, &height));
  g_assert_cmpint (width, ==, 64);
  g_assert_cmpint (height, ==, 32);
  sim_assert_error (bad_image, 400, "ImageValidationFailed");
  g_assert_cmpuint (no_image->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (no_image), "errors"), "source_image"));
  g_assert_cmpuint (bad_form->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (bad_form), "errors"), "forms.0.name"));
  sim_assert_error (missing, 404, "RequestNotFound");
  sim_stop (sim);
}

static void
test_alchemy_cancel (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) pause = sim_request (sim, "POST", "/_sim/control", NULL, "{\"paused\": true}");
  g_autofree char *id = sim_submit (sim, "/v2/interrogate/async", SIM_ANON,
                                    "{\"forms\": [{\"name\": \"interrogation\"}], \"source_image\": \"https://example.com/a.webp\"}");
  g_autofree char *path = g_strdup_printf ("/v2/interrogate/status/%s", id);
  g_autoptr(JsonObject) waiting = sim_get_object (sim, path);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", path, NULL, NULL);
  JsonObject *form;

  g_assert_cmpstr (json_object_get_string_member (waiting, "state"), ==, "waiting");
  g_assert_cmpuint (cancel->status, ==, 200);
  form = json_array_get_object_element (json_object_get_array_member (sim_reply_object (cancel), "forms"), 0);
  g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (cancel), "state"), ==, "partial");
  sim_stop (sim);
}

static void
test_styles (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) all_reply = NULL;
  g_autoptr(SimReply) tagged_reply = NULL;
  g_autoptr(SimReply) model_reply = NULL;
  g_autoptr(SimReply) page_reply = NULL;
  JsonArray *all = get_array (sim, "/v2/styles/image", &all_reply);
  JsonArray *tagged = get_array (sim, "/v2/styles/image?tag=anime", &tagged_reply);
  JsonArray *by_model = get_array (sim, "/v2/styles/image?model=AlbedoBase%20XL%20(SDXL)", &model_reply);
  JsonArray *page2 = get_array (sim, "/v2/styles/image?page=2", &page_reply);
  JsonObject *first = json_array_get_object_element (all, 0);
  g_autofree char *by_id_path = g_strdup_printf ("/v2/styles/image/%s", json_object_get_string_member (first, "id"));
  g_autoptr(JsonObject) by_id = sim_get_object (sim, by_id_path);
  g_autoptr(JsonObject) by_name = sim_get_object (sim, "/v2/styles/image_by_name/sim-sketch");
  g_autoptr(SimReply) missing = sim_request (sim, "GET", "/v2/styles/image_by_name/nope", NULL, NULL);

  g_assert_cmpuint (json_array_get_length (all), >=, 3);
  /* popular first */
  for (guint i = 1; i < json_array_get_length (all); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (all, i - 1), "use_count"), >=,
                     json_object_get_int_member (json_array_get_object_element (all, i), "use_count"));
  g_assert_cmpuint (json_array_get_length (tagged), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tagged, 0), "name"), ==, "sim-anime");
  g_assert_cmpuint (json_array_get_length (by_model), ==, 1);
  g_assert_cmpuint (json_array_get_length (page2), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (by_id, "name"), ==, json_object_get_string_member (first, "name"));
  g_assert_true (json_object_has_member (by_name, "prompt"));
  g_assert_true (json_object_has_member (by_name, "params"));
  sim_assert_error (missing, 404, "ThingNotFound");
  sim_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/info/status", test_status);
  g_test_add_func ("/sim/info/models", test_models);
  g_test_add_func ("/sim/info/workers", test_workers);
  g_test_add_func ("/sim/info/text", test_text);
  g_test_add_func ("/sim/info/alchemy", test_alchemy);
  g_test_add_func ("/sim/info/alchemy-cancel", test_alchemy_cancel);
  g_test_add_func ("/sim/info/styles", test_styles);

  return g_test_run ();
}

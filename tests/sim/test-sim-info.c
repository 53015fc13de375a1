/* test-sim-info.c: horde-sim's status, models, workers, styles and
 * statistics, and the text and alchemy flows
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
  /* the server's average of past fulfilments: none yet */
  g_assert_cmpfloat (json_object_get_double_member (sd, "performance"), ==, 0);
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
  /* in the server's units: pixelsteps queued, generations in jobs, and
   * eta 10000 while no performance is known */
  g_assert_cmpint (json_object_get_int_member (queued, "jobs"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (queued, "queued"), ==, 3.0 * 512 * 512 * 10);
  g_assert_cmpint (json_object_get_int_member (queued, "eta"), ==, 10000);
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

    /* like the real server: a text DELETE sets n = 0 but keeps jobs
     * (kobold.py TextAsyncStatus.delete), so a request that never got its
     * text is found, waits for nothing, and is never done */
    g_assert_false (json_object_get_boolean_member (after, "done"));
    g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (after, "processing"), ==, 0);
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
  /* by name: ThingNotFound("Style", …), rc "StyleNotFound" */
  sim_assert_error (missing, 404, "StyleNotFound");

  /* an example image is a URL on another host, here the sim's own: never
   * the Internet */
  {
    g_autoptr(JsonObject) cinematic = sim_get_object (sim, "/v2/styles/image_by_name/sim-cinematic");
    JsonArray *examples = json_object_get_array_member (cinematic, "examples");
    JsonObject *example;
    const char *url;
    g_autoptr(SimReply) image = NULL;
    g_autoptr(SimReply) none = NULL;
    g_autofree char *none_url = g_strconcat (sim->root, "/r2/style-examples/no-such-style.webp", NULL);
    int width = 0, height = 0;

    g_assert_cmpuint (json_array_get_length (examples), ==, 1);
    example = json_array_get_object_element (examples, 0);
    url = json_object_get_string_member (example, "url");
    g_assert_true (g_str_has_prefix (url, sim->root));
    g_assert_true (json_object_get_boolean_member (example, "primary"));
    g_assert_cmpuint (strlen (json_object_get_string_member (example, "id")), ==, 36);
    image = sim_request (sim, "GET", url, NULL, NULL);
    g_assert_cmpuint (image->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (image->headers, NULL), ==, "image/webp");
    g_assert_true (sim_webp_size (image->body, &width, &height));
    g_assert_cmpint (width, ==, 256);
    /* listed as the single style is */
    for (guint i = 0; i < json_array_get_length (all); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (all, i), "name"), "sim-cinematic"))
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                           json_object_get_array_member (json_array_get_object_element (all, i), "examples"), 0), "url"), ==, url);
    /* a style without one has none */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (by_name, "examples")), ==, 0);
    none = sim_request (sim, "GET", none_url, NULL, NULL);
    g_assert_cmpuint (none->status, ==, 404);
  }
  sim_stop (sim);
}

/* A StyleKobold: text generation params, a {p}-only prompt, no examples. */
static void
assert_text_style (JsonObject *style)
{
  JsonObject *params = json_object_get_object_member (style, "params");

  g_assert_cmpuint (strlen (json_object_get_string_member (style, "id")), ==, 36);
  g_assert_cmpuint (strlen (json_object_get_string_member (style, "name")), >, 0);
  g_assert_cmpuint (strlen (json_object_get_string_member (style, "info")), >=, 10);
  g_assert_nonnull (strstr (json_object_get_string_member (style, "prompt"), "{p}"));
  g_assert_null (strstr (json_object_get_string_member (style, "prompt"), "{np}"));
  g_assert_nonnull (params);
  g_assert_true (json_object_has_member (params, "max_length"));
  g_assert_false (json_object_has_member (params, "steps"));
  g_assert_false (json_object_has_member (params, "sampler_name"));
  g_assert_nonnull (json_object_get_array_member (style, "models"));
  g_assert_nonnull (json_object_get_array_member (style, "tags"));
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (style, "use_count")));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (style, "use_count")), ==, G_TYPE_INT64);
  g_assert_nonnull (json_object_get_string_member (style, "creator"));
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (style, "public")));
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (style, "nsfw")));
  g_assert_false (json_object_has_member (style, "examples"));
}

static void
test_text_styles (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) all_reply = NULL;
  g_autoptr(SimReply) age_reply = NULL;
  g_autoptr(SimReply) tagged_reply = NULL;
  g_autoptr(SimReply) model_reply = NULL;
  g_autoptr(SimReply) page_reply = NULL;
  g_autoptr(SimReply) image_reply = NULL;
  JsonArray *all = get_array (sim, "/v2/styles/text", &all_reply);
  JsonArray *by_age = get_array (sim, "/v2/styles/text?sort=age", &age_reply);
  JsonArray *tagged = get_array (sim, "/v2/styles/text?tag=story", &tagged_reply);
  JsonArray *by_model = get_array (sim, "/v2/styles/text?model=" TEXT_MODEL, &model_reply);
  JsonArray *page2 = get_array (sim, "/v2/styles/text?page=2", &page_reply);
  JsonArray *image = get_array (sim, "/v2/styles/image", &image_reply);
  JsonObject *first = json_array_get_object_element (all, 0);
  const char *image_id = json_object_get_string_member (json_array_get_object_element (image, 0), "id");
  g_autofree char *by_id_path = g_strdup_printf ("/v2/styles/text/%s", json_object_get_string_member (first, "id"));
  g_autofree char *image_id_path = g_strdup_printf ("/v2/styles/text/%s", image_id);
  g_autoptr(JsonObject) by_id = sim_get_object (sim, by_id_path);
  g_autoptr(JsonObject) by_name = sim_get_object (sim, "/v2/styles/text_by_name/sim-poet");
  g_autoptr(SimReply) missing_name = sim_request (sim, "GET", "/v2/styles/text_by_name/nope", NULL, NULL);
  g_autoptr(SimReply) missing_id = sim_request (sim, "GET", "/v2/styles/text/00000000-0000-0000-0000-000000000000", NULL, NULL);
  g_autoptr(SimReply) image_on_text = sim_request (sim, "GET", image_id_path, NULL, NULL);
  g_autoptr(SimReply) text_on_image = sim_request (sim, "GET", "/v2/styles/image_by_name/sim-poet", NULL, NULL);
  g_autoptr(SimReply) bad_sort = sim_request (sim, "GET", "/v2/styles/text?sort=newest", NULL, NULL);
  g_autoptr(SimReply) bad_page = sim_request (sim, "GET", "/v2/styles/text?page=0", NULL, NULL);

  g_assert_cmpuint (json_array_get_length (all), >=, 3);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      assert_text_style (json_array_get_object_element (all, i));
      /* none of the image styles leaks into the text list */
      g_assert_null (find_named (image, json_object_get_string_member (json_array_get_object_element (all, i), "name")));
    }
  /* popular first; by age is another order, with the same styles */
  for (guint i = 1; i < json_array_get_length (all); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (all, i - 1), "use_count"), >=,
                     json_object_get_int_member (json_array_get_object_element (all, i), "use_count"));
  g_assert_cmpuint (json_array_get_length (by_age), ==, json_array_get_length (all));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (by_age, 0), "name"), !=,
                   json_object_get_string_member (first, "name"));
  g_assert_cmpuint (json_array_get_length (tagged), ==, 2);
  g_assert_nonnull (find_named (tagged, "sim-poet"));
  g_assert_nonnull (find_named (tagged, "sim-storyteller"));
  g_assert_cmpuint (json_array_get_length (by_model), ==, 2);
  g_assert_null (find_named (by_model, "sim-poet"));
  g_assert_cmpuint (json_array_get_length (page2), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (by_id, "name"), ==, json_object_get_string_member (first, "name"));
  assert_text_style (by_name);
  g_assert_cmpstr (json_object_get_string_member (by_name, "name"), ==, "sim-poet");
  sim_assert_error (missing_name, 404, "StyleNotFound");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (missing_name), "message"), ==,
                   "Style with ID 'nope' not found.");
  /* by id: ThingNotFound("text Style", …), rc "Text styleNotFound" */
  sim_assert_error (missing_id, 404, "Text styleNotFound");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (missing_id), "message"), ==,
                   "Text style with ID '00000000-0000-0000-0000-000000000000' not found.");
  /* one table of styles: found, and refused for its type */
  sim_assert_error (image_on_text, 400, "StyleGetMistmatch");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (image_on_text), "message"), ==,
                   "Style was found but was of the wrong type: image != text");
  sim_assert_error (text_on_image, 400, "StyleGetMistmatch");
  sim_assert_error (bad_sort, 400, "BadRequest");
  sim_assert_error (bad_page, 400, "BadRequest");
  sim_stop (sim);
}

/* The count and amount of one period of a totals answer. */
static void
assert_period (JsonObject *totals,
               const char *period,
               const char *count_name,
               gint64      count,
               const char *amount_name,
               gint64      amount)
{
  JsonObject *object = json_object_get_object_member (totals, period);

  g_assert_nonnull (object);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpint (json_object_get_int_member_with_default (object, count_name, -1), ==, count);
  g_assert_cmpint (json_object_get_int_member_with_default (object, amount_name, -1), ==, amount);
}

static void
assert_totals (JsonObject *totals,
               gboolean    text,
               gint64      count,
               gint64      amount)
{
  static const char * const periods[] = { "minute", "hour", "day", "month", "total" };

  g_assert_cmpuint (json_object_get_size (totals), ==, G_N_ELEMENTS (periods));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    assert_period (totals, periods[i], text ? "requests" : "images", count, text ? "tokens" : "ps", amount);
}

/* {"day": {…}, "month": {…}, "total": {…}}, each {model: count}; -1 for a
 * model that must be absent. */
static void
assert_model_stats (JsonObject *stats,
                    const char *model,
                    gint64      count)
{
  static const char * const periods[] = { "day", "month", "total" };

  g_assert_cmpuint (json_object_get_size (stats), ==, G_N_ELEMENTS (periods));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      JsonObject *period = json_object_get_object_member (stats, periods[i]);

      g_assert_nonnull (period);
      if (count < 0)
        g_assert_false (json_object_has_member (period, model));
      else
        g_assert_cmpint (json_object_get_int_member_with_default (period, model, -1), ==, count);
    }
}

static void
test_stats (void)
{
  Sim *sim = sim_start ("--job-time", "10", "--no-rate-limits", NULL);
  g_autoptr(JsonObject) img_fresh = sim_get_object (sim, "/v2/stats/img/totals");
  g_autoptr(JsonObject) text_fresh = sim_get_object (sim, "/v2/stats/text/totals");
  g_autoptr(JsonObject) img_models_fresh = sim_get_object (sim, "/v2/stats/img/models?model_state=all");
  g_autoptr(JsonObject) text_models_fresh = sim_get_object (sim, "/v2/stats/text/models");
  g_autoptr(SimReply) bad_state = sim_request (sim, "GET", "/v2/stats/img/models?model_state=everything", NULL, NULL);
  g_autoptr(SimReply) empty_state = sim_request (sim, "GET", "/v2/stats/img/models?model_state=", NULL, NULL);
  /* the text route has no model_state, and the server ignores what it
   * does not know */
  g_autoptr(SimReply) text_state = sim_request (sim, "GET", "/v2/stats/text/models?model_state=everything", NULL, NULL);
  g_autofree char *image = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) img_after = NULL;
  g_autoptr(JsonObject) img_known = NULL;
  g_autoptr(JsonObject) img_default = NULL;
  g_autoptr(JsonObject) img_custom = NULL;
  g_autoptr(JsonObject) text_after = NULL;
  g_autoptr(JsonObject) text_models = NULL;
  g_autoptr(JsonObject) img_unchanged = NULL;

  assert_totals (img_fresh, FALSE, 0, 0);
  assert_totals (text_fresh, TRUE, 0, 0);
  assert_model_stats (img_models_fresh, "Deliberate", -1);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (img_models_fresh, "total")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (text_models_fresh, "total")), ==, 0);
  sim_assert_error (bad_state, 400, "BadRequest");
  g_assert_cmpstr (json_object_get_string_member (sim_reply_object (bad_state), "message"), ==,
                   "'model_state' needs to be one of ['known', 'custom', 'all']");
  sim_assert_error (empty_state, 400, "BadRequest");
  g_assert_cmpuint (text_state->status, ==, 200);

  image = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                      "{\"prompt\": \"x\", \"params\": {\"n\": 3, \"width\": 128, \"height\": 64, \"steps\": 7},"
                      " \"models\": [\"Deliberate\"]}");
  json_object_unref (sim_wait_done (sim, "/v2/generate/status", image));
  img_after = sim_get_object (sim, "/v2/stats/img/totals");
  assert_totals (img_after, FALSE, 3, 3 * 128 * 64 * 7);
  img_known = sim_get_object (sim, "/v2/stats/img/models?model_state=known");
  img_default = sim_get_object (sim, "/v2/stats/img/models");
  img_custom = sim_get_object (sim, "/v2/stats/img/models?model_state=custom");
  assert_model_stats (img_known, "Deliberate", 3);
  assert_model_stats (img_known, "stable_diffusion", -1);
  assert_model_stats (img_default, "Deliberate", 3);
  assert_model_stats (img_custom, "Deliberate", -1);
  /* images are not texts */
  text_after = sim_get_object (sim, "/v2/stats/text/totals");
  assert_totals (text_after, TRUE, 0, 0);

  text = sim_submit (sim, "/v2/generate/text/async", SIM_ANON,
                     "{\"prompt\": \"Once\", \"params\": {\"max_length\": 40, \"n\": 2}}");
  json_object_unref (sim_wait_done (sim, "/v2/generate/text/status", text));
  g_clear_pointer (&text_after, json_object_unref);
  text_after = sim_get_object (sim, "/v2/stats/text/totals");
  assert_totals (text_after, TRUE, 2, 2 * 40);
  text_models = sim_get_object (sim, "/v2/stats/text/models");
  assert_model_stats (text_models, TEXT_MODEL, 2);
  img_unchanged = sim_get_object (sim, "/v2/stats/img/totals");
  assert_totals (img_unchanged, FALSE, 3, 3 * 128 * 64 * 7);
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
  g_test_add_func ("/sim/info/text-styles", test_text_styles);
  g_test_add_func ("/sim/info/stats", test_stats);

  return g_test_run ();
}

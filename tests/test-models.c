/* test-models.c: generated models parse, serialize, compare and build
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>

#include "horde-json-private.h"
#include "horde-model-private.h"
#include "horde-operation-private.h"

/* The example payload of an operation is named _v2_<path>_<method>.json,
 * with the slashes of the path made underscores and its braces dropped. */
static char *
payload_name (const HordeOperation *op)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *method = g_ascii_strdown (horde_operation_get_method (op), -1);

  for (const char *p = horde_operation_get_path (op); *p; p++)
    if (*p == '/')
      g_string_append_c (name, '_');
    else if (*p != '{' && *p != '}')
      g_string_append_c (name, *p);

  g_string_append_printf (name, "_%s.json", method);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static const HordeOperation *
operation_for_payload (const char *filename)
{
  gsize n;
  g_autofree const HordeOperation **ops = horde_operation_list (&n);

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *name = payload_name (ops[i]);

      if (g_str_equal (name, filename))
        return ops[i];
    }

  return NULL;
}

static void
assert_json_equivalent (const char *expected,
                        const char *actual)
{
  g_autoptr(JsonNode) a = horde_json_parse (expected, -1, NULL);
  g_autoptr(JsonNode) b = horde_json_parse (actual, -1, NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (!horde_json_equal (a, b))
    g_error ("JSON differs:\nexpected %s\nactual   %s", expected, actual);
}

static void
test_payloads_round_trip (void)
{
  const char *dir = g_test_get_filename (G_TEST_DIST, "payloads", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *filename;
  guint count = 0;

  g_assert_nonnull (d);

  while ((filename = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, filename, NULL);
      g_autofree char *text = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GError) error = NULL;
      const HordeOperation *op;
      const HordeModelInfo *info;
      gpointer request;

      if (!g_str_has_suffix (filename, ".json"))
        continue;

      op = operation_for_payload (filename);
      if (op == NULL)
        g_error ("%s: no operation of the API takes this payload", filename);
      g_test_message ("%s → %s", filename, horde_operation_get_name (op));

      info = horde_model_info_from_type (horde_operation_get_request_type (op));
      g_assert_nonnull (info);
      g_assert_true (info->is_request);

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      request = horde_model_new_from_json (info, text, -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (request);

      /* Nothing in the examples should need the extra members: every
       * member parsed into a typed field. */
      if (horde_model_get_extra_fields (request) != NULL)
        {
          g_autofree char *extra = json_to_string (json_node_init_object (json_node_alloc (),
                                                   horde_model_get_extra_fields (request)), FALSE);
          g_error ("%s: members not parsed into fields: %s", filename, extra);
        }

      json = horde_model_to_json (request);
      assert_json_equivalent (text, json);

      /* and the serialized form parses into an equal value */
      {
        gpointer again = horde_model_new_from_json (info, json, -1, &error);

        g_assert_no_error (error);
        g_assert_true (horde_model_equal (request, again));
        horde_model_unref (again);
      }

      horde_model_unref (request);
      count++;
    }

  /* the AI Horde's 34, and the Ratings API's one */
  g_assert_cmpuint (count, ==, 35);
}

static void
test_unknown_fields_survive (void)
{
  const char *json =
    "{\"finished\": 1, \"processing\": 0, \"done\": true,"
    " \"brand_new_field\": {\"nested\": [1, 2, 3]},"
    " \"generations\": [{\"img\": \"abc\", \"seed\": \"42\", \"state\": \"a-state-from-the-future\","
    "                    \"model\": \"Deliberate\", \"future\": true}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeRequestStatusStable) status = horde_request_status_stable_new_from_json (json, -1, &error);
  g_autofree char *out = NULL;
  HordeGenerationStable * const *gens;
  gsize n_gens = 0;
  JsonObject *extra;

  g_assert_no_error (error);
  g_assert_cmpint (horde_request_status_stable_get_finished (status), ==, 1);
  g_assert_true (horde_request_status_stable_get_done (status));

  gens = horde_request_status_stable_get_generations (status, &n_gens);
  g_assert_cmpuint (n_gens, ==, 1);
  /* an unknown enum string is kept as it came */
  g_assert_cmpstr (horde_generation_stable_get_state (gens[0]), ==, "a-state-from-the-future");
  g_assert_cmpstr (horde_generation_stable_get_seed (gens[0]), ==, "42");

  extra = horde_request_status_stable_get_extra_fields (status);
  g_assert_nonnull (extra);
  g_assert_true (json_object_has_member (extra, "brand_new_field"));

  out = horde_request_status_stable_to_json (status);
  assert_json_equivalent (json, out);
}

static void
test_lenient_types (void)
{
  /* The server sends a number where the spec says string (a worker's seed),
   * and null for unset ids: both parse, and both go back out unchanged. */
  const char *json = "{\"seed\": 42, \"id\": null, \"generation\": \"R2\", \"state\": \"ok\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeSubmitInputStable) submit = horde_submit_input_stable_new_from_json (json, -1, &error);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_null (horde_submit_input_stable_get_id (submit));
  out = horde_submit_input_stable_to_json (submit);
  assert_json_equivalent (json, out);

  /* a value of an impossible type stays out of the typed field */
  {
    g_autoptr(HordeRequestStatusCheck) check =
      horde_request_status_check_new_from_json ("{\"finished\": \"many\", \"waiting\": 2.0}", -1, &error);

    g_assert_no_error (error);
    g_assert_false (horde_request_status_check_has_finished (check));
    g_assert_cmpint (horde_request_status_check_get_waiting (check), ==, 2);
    g_assert_true (json_object_has_member (horde_request_status_check_get_extra_fields (check), "finished"));
  }
}

static void
test_parse_errors (void)
{
  g_autoptr(GError) error = NULL;
  HordeRequestAsync *r;

  r = horde_request_async_new_from_json ("{\"id\": \"abc\", \"kud", -1, &error);
  g_assert_null (r);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
  g_clear_error (&error);

  r = horde_request_async_new_from_json ("[1, 2]", -1, &error);
  g_assert_null (r);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "RequestAsync"));
  g_clear_error (&error);

  r = horde_request_async_new_from_json ("", -1, &error);
  g_assert_null (r);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
}

static void
test_defaults_and_unset (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) builder = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  params = horde_model_generation_input_stable_builder_end (builder, &error);
  g_assert_no_error (error);

  /* unset: the getter gives the spec's default, and nothing is sent */
  g_assert_false (horde_model_generation_input_stable_has_steps (params));
  g_assert_cmpint (horde_model_generation_input_stable_get_steps (params), ==, 30);
  g_assert_cmpfloat (horde_model_generation_input_stable_get_cfg_scale (params), ==, 7.5);
  g_assert_null (horde_model_generation_input_stable_get_seed (params));
  json = horde_model_generation_input_stable_to_json (params);
  g_assert_cmpstr (json, ==, "{}");
}

/* Where the server takes another default than the spec says (absent nsfw
 * and censor_nsfw mean true to its parsers), an unset getter gives the
 * server's, and only what is set is sent. */
static void
test_server_defaults (void)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequest) unset = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) sfw = NULL;
  g_autoptr(HordeImageGenerateJobPopRequest) pop = horde_image_generate_job_pop_request_new ();
  g_autoptr(HordeStyleStable) style_value = horde_style_stable_new_from_json ("{\"name\": \"s\"}", -1, NULL);
  g_autofree char *unset_json = NULL;
  g_autofree char *sfw_json = NULL;

  horde_image_generate_async_request_builder_set_prompt (builder, "a fox");
  unset = horde_image_generate_async_request_builder_end (builder, NULL);
  g_assert_false (horde_image_generate_async_request_has_nsfw (unset));
  g_assert_true (horde_image_generate_async_request_get_nsfw (unset));
  g_assert_false (horde_image_generate_async_request_has_censor_nsfw (unset));
  g_assert_true (horde_image_generate_async_request_get_censor_nsfw (unset));
  unset_json = horde_image_generate_async_request_to_json (unset);
  g_assert_cmpstr (unset_json, ==, "{\"prompt\":\"a fox\"}");

  horde_image_generate_async_request_builder_set_nsfw (builder, FALSE);
  horde_image_generate_async_request_builder_set_censor_nsfw (builder, FALSE);
  sfw = horde_image_generate_async_request_builder_end (builder, NULL);
  g_assert_false (horde_image_generate_async_request_get_nsfw (sfw));
  g_assert_false (horde_image_generate_async_request_get_censor_nsfw (sfw));
  sfw_json = horde_image_generate_async_request_to_json (sfw);
  g_assert_cmpstr (sfw_json, ==, "{\"prompt\":\"a fox\",\"nsfw\":false,\"censor_nsfw\":false}");

  /* a worker that leaves nsfw out of its pop takes NSFW requests */
  g_assert_false (horde_image_generate_job_pop_request_has_nsfw (pop));
  g_assert_true (horde_image_generate_job_pop_request_get_nsfw (pop));

  /* a style's nsfw does default to false on the server */
  g_assert_nonnull (style_value);
  g_assert_false (horde_style_stable_get_nsfw (style_value));
}

static void
test_builder_copies (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) builder = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) a = NULL;
  g_autoptr(HordeModelGenerationInputStable) b = NULL;
  g_autoptr(HordeModelGenerationInputStable) c = NULL;
  g_autoptr(HordeModelGenerationInputStableBuilder) from = NULL;
  const char *models[] = { "k_euler", NULL };

  horde_model_generation_input_stable_builder_set_width (builder, 512);
  horde_model_generation_input_stable_builder_set_sampler_name (builder, models[0]);
  a = horde_model_generation_input_stable_builder_end (builder, NULL);
  g_assert_nonnull (a);

  /* the builder stays usable and does not touch what it handed out */
  horde_model_generation_input_stable_builder_set_width (builder, 1024);
  b = horde_model_generation_input_stable_builder_end (builder, NULL);
  g_assert_cmpint (horde_model_generation_input_stable_get_width (a), ==, 512);
  g_assert_cmpint (horde_model_generation_input_stable_get_width (b), ==, 1024);
  g_assert_false (horde_model_generation_input_stable_equal (a, b));

  /* a builder from a value makes a changed copy */
  from = horde_model_generation_input_stable_builder_new_from (a);
  horde_model_generation_input_stable_builder_unset_width (from);
  horde_model_generation_input_stable_builder_set_sampler_name (from, NULL);
  horde_model_generation_input_stable_builder_set_n (from, 2);
  c = horde_model_generation_input_stable_builder_end (from, NULL);
  g_assert_true (horde_model_generation_input_stable_has_width (a));
  g_assert_false (horde_model_generation_input_stable_has_width (c));
  g_assert_null (horde_model_generation_input_stable_get_sampler_name (c));
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (a), ==, "k_euler");
  g_assert_cmpint (horde_model_generation_input_stable_get_n (c), ==, 2);

  /* ref is a copy: the same value */
  {
    g_autoptr(HordeModelGenerationInputStable) r = horde_model_generation_input_stable_ref (a);
    g_assert_true (r == a);
  }
}

static void
test_equality (void)
{
  const char *x = "{\"name\": \"Magnagothica\", \"model\": 1.0, \"clip\": 1, \"x\": [1]}";
  const char *y = "{\"clip\": 1.0, \"x\": [1], \"model\": 1, \"name\": \"Magnagothica\"}";
  const char *z = "{\"clip\": 1.0, \"x\": [2], \"model\": 1, \"name\": \"Magnagothica\"}";
  g_autoptr(HordeModelPayloadLorasStable) a = horde_model_payload_loras_stable_new_from_json (x, -1, NULL);
  g_autoptr(HordeModelPayloadLorasStable) b = horde_model_payload_loras_stable_new_from_json (y, -1, NULL);
  g_autoptr(HordeModelPayloadLorasStable) c = horde_model_payload_loras_stable_new_from_json (z, -1, NULL);

  g_assert_true (horde_model_payload_loras_stable_equal (a, b));
  g_assert_false (horde_model_payload_loras_stable_equal (a, c));
  g_assert_true (g_boxed_copy (HORDE_TYPE_MODEL_PAYLOAD_LORAS_STABLE, a) == a);
  g_boxed_free (HORDE_TYPE_MODEL_PAYLOAD_LORAS_STABLE, a);
}

static void
test_lists (void)
{
  const char *json = "[{\"name\": \"stable_diffusion\", \"count\": 3, \"type\": \"image\"},"
                     " {\"name\": \"Deliberate\", \"count\": 1, \"type\": \"image\", \"brand_new\": 1}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeActiveModelList) list = horde_active_model_list_new_from_json (json, -1, &error);
  g_autoptr(HordeActiveModelList) copy = NULL;
  g_autofree char *out = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (horde_active_model_list_get_n_items (list), ==, 2);
  items = horde_active_model_list_get_items (list, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (horde_active_model_get_name (items[1]), ==, "Deliberate");
  /* `type` is `kind` in C: get_type is the GType */
  g_assert_cmpstr (horde_active_model_get_kind (items[0]), ==, "image");
  g_assert_null (horde_active_model_list_get_item (list, 2));

  out = horde_active_model_list_to_json (list);
  assert_json_equivalent (json, out);

  copy = horde_active_model_list_new (items, n);
  g_assert_true (horde_active_model_list_equal (list, copy));

  g_assert_null (horde_active_model_list_new_from_json ("{}", -1, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
}

static void
test_extra_field_builder (void)
{
  g_autoptr(HordeGenerationInputStableBuilder) builder = horde_generation_input_stable_builder_new ();
  g_autoptr(HordeGenerationInputStable) input = NULL;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "tomorrow");
  g_autofree char *json = NULL;

  horde_generation_input_stable_builder_set_prompt (builder, "a cat");
  horde_generation_input_stable_builder_set_extra_field (builder, "feature_of", value);
  input = horde_generation_input_stable_builder_end (builder, NULL);
  json = horde_generation_input_stable_to_json (input);
  assert_json_equivalent ("{\"prompt\": \"a cat\", \"feature_of\": \"tomorrow\"}", json);

  /* the sealed extras of a handed-out value are not written through */
  g_assert_true (json_object_is_immutable (horde_generation_input_stable_get_extra_fields (input)));
}

static void
test_request_knows_its_operation (void)
{
  g_autoptr(HordeImageGenerateCheckRequest) check = horde_image_generate_check_request_new ("some-id");
  const HordeOperation *op = horde_image_generate_check_request_get_operation (check);
  g_autofree char *json = horde_image_generate_check_request_to_json (check);

  g_assert_cmpstr (horde_operation_get_method (op), ==, "GET");
  g_assert_cmpstr (horde_operation_get_path (op), ==, "/v2/generate/check/{id}");
  g_assert_cmpstr (horde_image_generate_check_request_get_id (check), ==, "some-id");
  g_assert_true (horde_image_generate_check_request_get_success_response_type (check) ==
                 HORDE_TYPE_REQUEST_STATUS_CHECK);
  /* path parameters are not part of the body */
  g_assert_cmpstr (json, ==, "{}");
}

/* A JsonNode reads as its text does, and both write the same JSON */
static void
test_reader_matches_tree (void)
{
  const char *inputs[] = {
    "{\"seed\": 42, \"id\": null, \"generation\": \"R2\", \"state\": \"ok\"}",
    "{\"seed\": 4.5, \"id\": [1, {\"a\": null}], \"state\": true, \"seed\": \"later wins\"}",
    "{\"generation\": \"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \\/ \\n\\t\", \"unknown\": -1.5e3}",
    "  {\"state\":\"ok\"}\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = horde_json_parse (inputs[i], -1, &error);
      g_autoptr(HordeSubmitInputStable) from_text = horde_submit_input_stable_new_from_json (inputs[i], -1, &error);
      g_autoptr(HordeSubmitInputStable) from_tree = NULL;
      g_autofree char *text_json = NULL;
      g_autofree char *tree_json = NULL;

      g_assert_no_error (error);
      from_tree = horde_submit_input_stable_new_from_json_node (node, &error);
      g_assert_no_error (error);
      g_assert_true (horde_submit_input_stable_equal (from_text, from_tree));

      /* and both write the same JSON, which reads back the same */
      text_json = horde_submit_input_stable_to_json (from_text);
      {
        g_autoptr(JsonNode) written = horde_submit_input_stable_to_json_node (from_tree);
        tree_json = json_to_string (written, FALSE);
      }
      assert_json_equivalent (tree_json, text_json);
    }

  /* escapes decode to UTF-8 */
  {
    g_autoptr(HordeSubmitInputStable) s = horde_submit_input_stable_new_from_json (inputs[2], -1, NULL);

    g_assert_cmpstr (horde_submit_input_stable_get_generation (s), ==, "café 😀 \"quoted\" / \n\t");
  }
}

static void
test_reader_errors (void)
{
  const char *bad[] = {
    "{\"state\": \"ok\",}",
    "{\"state\": \"ok",
    "{\"state\": \"\\ud800\"}",
    "{\"state\": \"\xff\"}",
    "{\"state\": 01}",
    "{\"state\": \"ok\"} trailing",
    "{\"state\": tru}",
    "{\"state\"\n: \"a\tb\"}",
    "{\"a\": [1, 2,]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeSubmitInputStable) s = horde_submit_input_stable_new_from_json (bad[i], -1, &error);

      g_assert_null (s);
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      g_assert_nonnull (strstr (error->message, "line"));
    }

  /* nesting a thousand deep is refused, not a stack overflow */
  {
    GString *deep = g_string_new ("{\"x\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(HordeSubmitInputStable) s = NULL;

    for (int i = 0; i < 1000; i++)
      g_string_append_c (deep, '[');
    for (int i = 0; i < 1000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    s = horde_submit_input_stable_new_from_json (deep->str, deep->len, &error);
    g_assert_null (s);
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
    g_string_free (deep, TRUE);
  }

  /* the text need not end in a nul: length is respected */
  {
    const char *text = "{\"state\": \"ok\"}garbage";
    g_autoptr(GError) error = NULL;
    g_autoptr(HordeSubmitInputStable) s = horde_submit_input_stable_new_from_json (text, strlen ("{\"state\": \"ok\"}"), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (horde_submit_input_stable_get_state (s), ==, "ok");
  }
}

/* a request from text, as a command line has it, and any answer as JSON */
static void
test_operation_new_request (void)
{
  const HordeOperation *users = horde_operation_lookup ("GET", "/v2/users");
  const HordeOperation *create = horde_operation_lookup ("POST", "/v2/collections");
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GValue) request = G_VALUE_INIT;
  g_auto(GValue) other = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  HordeListUsersDetailsRequest *list;
  HordeCreateCollectionRequest *collection;

  /* query parameters become their types; a header too */
  g_hash_table_insert (params, "page", "3");
  g_hash_table_insert (params, "sort", "kudos");
  g_hash_table_insert (params, "X-Fields", "id,username");
  g_assert_true (horde_operation_new_request (users, NULL, params, &request, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_HOLDS (&request, HORDE_TYPE_LIST_USERS_DETAILS_REQUEST));
  list = g_value_get_boxed (&request);
  g_assert_cmpint (horde_list_users_details_request_get_page (list), ==, 3);
  g_assert_cmpstr (horde_list_users_details_request_get_sort (list), ==, "kudos");
  g_assert_cmpstr (horde_list_users_details_request_get_x_fields (list), ==, "id,username");

  /* the body, and the request's own key in its header */
  g_hash_table_remove_all (params);
  g_hash_table_insert (params, "apikey", "0123456789");
  g_assert_true (horde_operation_new_request (create, "{\"name\": \"Foxes\", \"styles\": [\"a\"]}",
                                              params, &other, &error));
  g_assert_no_error (error);
  collection = g_value_get_boxed (&other);
  g_assert_cmpstr (horde_create_collection_request_get_name (collection), ==, "Foxes");
  g_assert_cmpstr (horde_create_collection_request_get_apikey (collection), ==, "0123456789");
  json = horde_value_to_json (&other);
  g_assert_cmpstr (json, ==, "{\"name\":\"Foxes\",\"styles\":[\"a\"]}");
  g_clear_pointer (&json, g_free);

  /* a value not of the parameter's type, a parameter it does not take, a
   * body that breaks a constraint, a body that is not JSON */
  g_value_unset (&request);
  g_hash_table_remove_all (params);
  g_hash_table_insert (params, "page", "third");
  g_assert_false (horde_operation_new_request (users, NULL, params, &request, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "page"));
  g_assert_false (G_IS_VALUE (&request));
  g_clear_error (&error);
  g_hash_table_remove_all (params);
  g_hash_table_insert (params, "name", "Foxes");
  g_assert_false (horde_operation_new_request (create, "{}", params, &request, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==, "POST /v2/collections takes no parameter “name”");
  g_clear_error (&error);
  g_assert_false (horde_operation_new_request (horde_operation_lookup ("POST", "/v2/generate/async"),
                                               "{\"prompt\": \"a fox\", \"params\": {\"width\": 500}}",
                                               NULL, &request, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "params.width 500 is not a multiple of 64"));
  g_assert_false (G_IS_VALUE (&request));
  g_clear_error (&error);
  g_assert_false (horde_operation_new_request (create, "{\"name\": ", NULL, &request, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/payloads-round-trip", test_payloads_round_trip);
  g_test_add_func ("/models/unknown-fields-survive", test_unknown_fields_survive);
  g_test_add_func ("/models/lenient-types", test_lenient_types);
  g_test_add_func ("/models/parse-errors", test_parse_errors);
  g_test_add_func ("/models/defaults-and-unset", test_defaults_and_unset);
  g_test_add_func ("/models/server-defaults", test_server_defaults);
  g_test_add_func ("/models/builder-copies", test_builder_copies);
  g_test_add_func ("/models/equality", test_equality);
  g_test_add_func ("/models/lists", test_lists);
  g_test_add_func ("/models/extra-field-builder", test_extra_field_builder);
  g_test_add_func ("/models/request-knows-its-operation", test_request_knows_its_operation);
  g_test_add_func ("/models/reader-matches-tree", test_reader_matches_tree);
  g_test_add_func ("/models/reader-errors", test_reader_errors);
  g_test_add_func ("/models/operation-new-request", test_operation_new_request);

  return g_test_run ();
}

/* test-validation.c: each class of constraint rejects bad input, naming the field
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>

static HordeModelPayloadLorasStable *
lora (const char *name)
{
  g_autoptr(HordeModelPayloadLorasStableBuilder) b = horde_model_payload_loras_stable_builder_new ();

  horde_model_payload_loras_stable_builder_set_name (b, name);
  return horde_model_payload_loras_stable_builder_end (b, NULL);
}

static void
assert_field_error (GError     *error,
                    const char *field,
                    const char *words)
{
  GHashTable *fields;

  g_assert_nonnull (error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_test_message ("%s", error->message);

  /* the message names the field and says what is wrong */
  g_assert_nonnull (strstr (error->message, field));
  g_assert_nonnull (strstr (error->message, words));

  fields = horde_error_get_field_errors (error);
  g_assert_nonnull (fields);
  g_assert_nonnull (g_hash_table_lookup (fields, field));
}

static void
test_valid (void)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *models[] = { "Deliberate", NULL };

  horde_model_generation_input_stable_builder_set_width (pb, 512);
  horde_model_generation_input_stable_builder_set_height (pb, 768);
  horde_model_generation_input_stable_builder_set_sampler_name (pb, "k_euler_a");
  horde_model_generation_input_stable_builder_set_clip_skip (pb, 1);
  horde_model_generation_input_stable_builder_set_n (pb, 2);
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);

  horde_image_generate_async_request_builder_set_prompt (rb, "A cat in a hat");
  horde_image_generate_async_request_builder_set_models (rb, models);
  horde_image_generate_async_request_builder_set_params (rb, params);
  request = horde_image_generate_async_request_builder_end (rb, &error);
  g_assert_no_error (error);
  g_assert_true (horde_image_generate_async_request_validate (request, NULL));
}

static void
test_range (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) b = horde_model_generation_input_stable_builder_new ();
  g_autoptr(GError) error = NULL;

  horde_model_generation_input_stable_builder_set_steps (b, 501);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "steps", "more than the maximum, 500");
  g_clear_error (&error);

  horde_model_generation_input_stable_builder_set_steps (b, 30);
  horde_model_generation_input_stable_builder_set_denoising_strength (b, 0.0);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "denoising_strength", "less than the minimum, 0.01");
  g_clear_error (&error);

  horde_model_generation_input_stable_builder_unset_denoising_strength (b);
  horde_model_generation_input_stable_builder_set_n (b, 21);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "n", "21 is more than the maximum, 20");
  g_clear_error (&error);

  horde_model_generation_input_stable_builder_set_n (b, 20);
  {
    g_autoptr(HordeModelGenerationInputStable) ok = horde_model_generation_input_stable_builder_end (b, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
}

static void
test_multiple_of_64 (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) b = horde_model_generation_input_stable_builder_new ();
  g_autoptr(GError) error = NULL;

  horde_model_generation_input_stable_builder_set_width (b, 500);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "width", "500 is not a multiple of 64");
  g_clear_error (&error);

  horde_model_generation_input_stable_builder_set_width (b, 3136);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "width", "3136 is more than the maximum, 3072");
}

static void
test_max_items (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) b = horde_model_generation_input_stable_builder_new ();
  g_autoptr(GError) error = NULL;
  HordeModelPayloadLorasStable *loras[6];
  const char *upscalers[] = { "RealESRGAN_x4plus", "GFPGAN", "NMKD_Siax", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (loras); i++)
    loras[i] = lora ("Magnagothica");

  horde_model_generation_input_stable_builder_set_loras (b, loras, 6);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "loras", "has 6 items, and at most 5 are allowed");
  g_clear_error (&error);

  horde_model_generation_input_stable_builder_set_loras (b, loras, 5);
  horde_model_generation_input_stable_builder_set_post_processing (b, upscalers);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "post_processing", "lists RealESRGAN_x4plus, NMKD_Siax together, and at most 1");

  for (guint i = 0; i < G_N_ELEMENTS (loras); i++)
    horde_model_payload_loras_stable_unref (loras[i]);
}

static void
test_unique_items (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) b = horde_model_generation_input_stable_builder_new ();
  g_autoptr(GError) error = NULL;
  const char *twice[] = { "GFPGAN", "CodeFormers", "GFPGAN", NULL };

  horde_model_generation_input_stable_builder_set_post_processing (b, twice);
  g_assert_null (horde_model_generation_input_stable_builder_end (b, &error));
  assert_field_error (error, "post_processing", "lists “GFPGAN” twice");
}

static void
test_pattern (void)
{
  g_autoptr(HordeFindUserRequestBuilder) b = horde_find_user_request_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeFindUserRequest) ok = NULL;

  horde_find_user_request_builder_set_apikey (b, "not-a-key");
  g_assert_null (horde_find_user_request_builder_end (b, &error));
  assert_field_error (error, "apikey", "an API key of 10, 22 or 36 characters");
  g_clear_error (&error);

  horde_find_user_request_builder_set_apikey (b, "0000000000");
  ok = horde_find_user_request_builder_end (b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_find_user_request_get_apikey (ok), ==, "0000000000");
}

static void
test_required (void)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) b = horde_image_generate_async_request_builder_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (horde_image_generate_async_request_builder_end (b, &error));
  assert_field_error (error, "prompt", "is required");
  g_clear_error (&error);

  horde_image_generate_async_request_builder_set_prompt (b, "");
  g_assert_null (horde_image_generate_async_request_builder_end (b, &error));
  assert_field_error (error, "prompt", "must not be empty");
  g_clear_error (&error);

  /* a path parameter is required too */
  {
    g_autoptr(HordeImageGenerateStatusRequestBuilder) s = horde_image_generate_status_request_builder_new ();

    g_assert_null (horde_image_generate_status_request_builder_end (s, &error));
    assert_field_error (error, "id", "is required");
    g_clear_error (&error);
  }
}

/* The server parses a style PATCH with the parser of its POST, which
 * requires the name (the spec does not say so): the builder refuses a
 * PATCH without one rather than send what the server answers 400 to. */
static void
test_style_patch_needs_name (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(HordeModifyStyleImageRequestBuilder) b = horde_modify_style_image_request_builder_new ();
    g_autoptr(HordeModifyStyleImageRequest) request = NULL;

    horde_modify_style_image_request_builder_set_style_id (b, "b3f5c1d2-0000-4000-8000-000000000001");
    horde_modify_style_image_request_builder_set_info (b, "sharper");
    g_assert_null (horde_modify_style_image_request_builder_end (b, &error));
    assert_field_error (error, "name", "is required");
    g_clear_error (&error);

    horde_modify_style_image_request_builder_set_name (b, "My style");
    request = horde_modify_style_image_request_builder_end (b, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (horde_modify_style_image_request_get_name (request), ==, "My style");
  }
  {
    g_autoptr(HordeModifyStyleTextRequestBuilder) b = horde_modify_style_text_request_builder_new ();
    g_autoptr(HordeModifyStyleTextRequest) request = NULL;

    horde_modify_style_text_request_builder_set_style_id (b, "b3f5c1d2-0000-4000-8000-000000000002");
    horde_modify_style_text_request_builder_set_public (b, FALSE);
    g_assert_null (horde_modify_style_text_request_builder_end (b, &error));
    assert_field_error (error, "name", "is required");
    g_clear_error (&error);

    horde_modify_style_text_request_builder_set_name (b, "My text style");
    request = horde_modify_style_text_request_builder_end (b, &error);
    g_assert_no_error (error);
    g_assert_nonnull (request);
  }
  {
    /* a PATCH body parsed from JSON without a name does not validate
     * either (nor without its path parameter, which JSON does not set) */
    g_autoptr(HordeModifyStyleImageRequest) parsed =
      horde_modify_style_image_request_new_from_json ("{\"info\": \"sharper\"}", -1, &error);
    GHashTable *fields;

    g_assert_no_error (error);
    g_assert_false (horde_modify_style_image_request_validate (parsed, &error));
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
    fields = horde_error_get_field_errors (error);
    g_assert_cmpstr (g_hash_table_lookup (fields, "name"), ==, "is required");
    g_assert_cmpstr (g_hash_table_lookup (fields, "style_id"), ==, "is required");
  }
}

static void
test_nested_paths (void)
{
  /* a request parsed from JSON is not validated until asked: validate()
   * reaches into nested values and names the full path */
  const char *json = "{\"prompt\": \"x\", \"params\": {\"width\": 100, \"loras\": [{\"name\": \"ok\"}, {\"name\": \"\"}]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) r = horde_image_generate_async_request_new_from_json (json, -1, &error);
  GHashTable *fields;

  g_assert_no_error (error);
  g_assert_false (horde_image_generate_async_request_validate (r, &error));
  assert_field_error (error, "params.width", "100 is not a multiple of 64");
  fields = horde_error_get_field_errors (error);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (fields, "params.loras[1].name"), ==, "must not be empty");
  g_assert_nonnull (strstr (error->message, "(and 1 more problem)"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/valid", test_valid);
  g_test_add_func ("/validation/range", test_range);
  g_test_add_func ("/validation/multiple-of-64", test_multiple_of_64);
  g_test_add_func ("/validation/max-items", test_max_items);
  g_test_add_func ("/validation/unique-items", test_unique_items);
  g_test_add_func ("/validation/pattern", test_pattern);
  g_test_add_func ("/validation/required", test_required);
  g_test_add_func ("/validation/style-patch-needs-name", test_style_patch_needs_name);
  g_test_add_func ("/validation/nested-paths", test_nested_paths);

  return g_test_run ();
}

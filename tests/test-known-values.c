/* test-known-values.c: the enums of the server's known values and the
 * typed accessors beside the string ones
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <libhorde.h>

typedef struct {
  GType (*get_type) (void);
  const char *(*to_string) (int value);
  int (*from_string) (const char *value);
  guint min_values;            /* the server's list has at least this many */
} KnownEnum;

#define KNOWN(name, min) \
  { name##_get_type, (const char *(*) (int)) name##_to_string, (int (*) (const char *)) name##_from_string, min }

static const KnownEnum known_enums[] = {
  KNOWN (horde_sampler, 14),
  KNOWN (horde_post_processor, 16),
  KNOWN (horde_alchemy_form, 23),
  KNOWN (horde_source_processing, 4),
  KNOWN (horde_model_state, 3),
  KNOWN (horde_worker_type, 3),
  KNOWN (horde_rc, 160),
  KNOWN (horde_warning_code, 9),
};

/* GObject-Introspection names enum values after their nicks, so a nick
 * holds only what a GI name can: the wire string, or it with those
 * characters made '_'. */
static char *
gi_nick (const char *wire)
{
  char *nick = g_strdup (wire);

  for (char *p = nick; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      *p = '_';
  return nick;
}

/* every value: its wire string is its nick, and the string converts back */
static void
test_round_trip (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_enums); i++)
    {
      const KnownEnum *e = &known_enums[i];
      g_autoptr(GEnumClass) klass = g_type_class_ref (e->get_type ());
      GEnumValue *unknown = g_enum_get_value (klass, 0);

      g_test_message ("%s", g_type_name (e->get_type ()));
      g_assert_nonnull (unknown);
      g_assert_true (g_str_has_suffix (unknown->value_name, "_UNKNOWN"));
      g_assert_null (e->to_string (0));
      g_assert_cmpint (e->from_string (NULL), ==, 0);
      g_assert_cmpint (e->from_string (""), ==, 0);
      g_assert_cmpuint (klass->n_values, >=, e->min_values + 1);
      g_assert_null (e->to_string ((int) klass->n_values));
      g_assert_null (e->to_string (-1));

      for (guint v = 1; v < klass->n_values; v++)
        {
          GEnumValue *value = g_enum_get_value (klass, (int) v);
          const char *wire;
          g_autofree char *nick = NULL;
          g_autofree char *upper = NULL;

          g_assert_nonnull (value);
          wire = e->to_string ((int) v);
          g_assert_nonnull (wire);
          nick = gi_nick (wire);
          g_assert_cmpstr (value->value_nick, ==, nick);
          g_assert_cmpint (e->from_string (wire), ==, (int) v);
          g_assert_true (g_enum_get_value_by_nick (klass, nick) == value);
          /* the match is exact: case counts */
          upper = g_ascii_strup (wire, -1);
          if (strcmp (upper, wire) != 0)
            g_assert_cmpint (e->from_string (upper), !=, (int) v);
        }
    }
}

/* the values a reader of the server's source expects, by name */
static void
test_wire_strings (void)
{
  g_autoptr(GEnumClass) samplers = g_type_class_ref (HORDE_TYPE_SAMPLER);
  g_autoptr(GEnumClass) processors = g_type_class_ref (HORDE_TYPE_POST_PROCESSOR);

  g_assert_cmpstr (horde_sampler_to_string (HORDE_SAMPLER_K_EULER), ==, "k_euler");
  g_assert_cmpstr (horde_sampler_to_string (HORDE_SAMPLER_K_DPMPP_2S_A), ==, "k_dpmpp_2s_a");
  g_assert_cmpstr (horde_sampler_to_string (HORDE_SAMPLER_DDIM), ==, "DDIM");
  g_assert_cmpstr (g_enum_get_value (samplers, HORDE_SAMPLER_LCM)->value_nick, ==, "lcm");
  g_assert_cmpstr (horde_post_processor_to_string (HORDE_POST_PROCESSOR_REALESRGAN_X4PLUS_ANIME_6B), ==,
                   "RealESRGAN_x4plus_anime_6B");
  g_assert_cmpstr (horde_post_processor_to_string (HORDE_POST_PROCESSOR_4X_ANIMESHARP), ==, "4x_AnimeSharp");
  /* the one wire string GI cannot take as a name: the nick differs, the
   * conversions do not */
  g_assert_cmpstr (horde_post_processor_to_string (HORDE_POST_PROCESSOR_GFPGANV1_3), ==, "GFPGANv1.3");
  g_assert_cmpint (horde_post_processor_from_string ("GFPGANv1.3"), ==, HORDE_POST_PROCESSOR_GFPGANV1_3);
  g_assert_cmpstr (g_enum_get_value (processors, HORDE_POST_PROCESSOR_GFPGANV1_3)->value_nick, ==, "GFPGANv1_3");
  g_assert_cmpint (horde_post_processor_from_string ("GFPGANv1_3"), ==, HORDE_POST_PROCESSOR_UNKNOWN);
  g_assert_cmpstr (horde_alchemy_form_to_string (HORDE_ALCHEMY_FORM_CAPTION), ==, "caption");
  g_assert_cmpstr (horde_alchemy_form_to_string (HORDE_ALCHEMY_FORM_STRIP_BACKGROUND), ==, "strip_background");
  g_assert_cmpstr (horde_source_processing_to_string (HORDE_SOURCE_PROCESSING_IMG2IMG), ==, "img2img");
  /* model_state is in the spec's prose only: its values are the server's */
  g_assert_cmpstr (horde_model_state_to_string (HORDE_MODEL_STATE_KNOWN), ==, "known");
  g_assert_cmpstr (horde_model_state_to_string (HORDE_MODEL_STATE_ALL), ==, "all");
  g_assert_cmpstr (horde_worker_type_to_string (HORDE_WORKER_TYPE_INTERROGATION), ==, "interrogation");
  g_assert_cmpstr (horde_rc_to_string (HORDE_RC_KUDOS_UPFRONT), ==, "KudosUpfront");
  g_assert_cmpstr (horde_rc_to_string (HORDE_RC_TOO_MANY_SAME_IPS), ==, "TooManySameIPs");
  g_assert_cmpstr (horde_rc_to_string (HORDE_RC_INVALID_API_KEY), ==, "InvalidAPIKey");
  g_assert_cmpstr (horde_rc_to_string (HORDE_RC_NUL_BYTE_IN_PAYLOAD), ==, "NulByteInPayload");
  g_assert_cmpint (horde_rc_from_string ("MissingPrompt"), ==, HORDE_RC_MISSING_PROMPT);
  g_assert_cmpstr (horde_warning_code_to_string (HORDE_WARNING_CODE_NO_AVAILABLE_WORKER), ==, "NoAvailableWorker");
  g_assert_cmpstr (horde_warning_code_to_string (HORDE_WARNING_CODE_SCHEDULER_MISMATCH), ==, "SchedulerMismatch");
}

/* a value newer than this build: the string getter keeps it, the typed one
 * says UNKNOWN, and it goes back to the server unchanged */
static void
test_unknown_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(HordeRequestError) answer = NULL;
  g_autoptr(HordeRequestSingleWarning) warning = NULL;
  g_autofree HordePostProcessor *processors = NULL;
  g_autofree char *json = NULL;
  gsize n = 99;

  params = horde_model_generation_input_stable_new_from_json (
    "{\"sampler_name\":\"k_future_sampler\",\"post_processing\":[\"GFPGAN\",\"8x_Tomorrow\",\"CodeFormers\"]}",
    -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (params), ==, "k_future_sampler");
  g_assert_cmpint (horde_model_generation_input_stable_get_sampler_name_enum (params), ==, HORDE_SAMPLER_UNKNOWN);
  processors = horde_model_generation_input_stable_get_post_processing_enum (params, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (processors[0], ==, HORDE_POST_PROCESSOR_GFPGAN);
  g_assert_cmpint (processors[1], ==, HORDE_POST_PROCESSOR_UNKNOWN);
  g_assert_cmpint (processors[2], ==, HORDE_POST_PROCESSOR_CODE_FORMERS);
  g_assert_cmpstr (horde_model_generation_input_stable_get_post_processing (params)[1], ==, "8x_Tomorrow");
  json = horde_model_generation_input_stable_to_json (params);
  g_assert_nonnull (strstr (json, "\"k_future_sampler\""));
  g_assert_nonnull (strstr (json, "\"8x_Tomorrow\""));

  answer = horde_request_error_new_from_json ("{\"message\":\"no\",\"rc\":\"BrandNewRc\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_request_error_get_rc (answer), ==, "BrandNewRc");
  g_assert_cmpint (horde_request_error_get_rc_enum (answer), ==, HORDE_RC_UNKNOWN);
  g_clear_pointer (&answer, horde_request_error_unref);
  answer = horde_request_error_new_from_json ("{\"message\":\"no\",\"rc\":\"KudosUpfront\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_request_error_get_rc_enum (answer), ==, HORDE_RC_KUDOS_UPFRONT);

  warning = horde_request_single_warning_new_from_json ("{\"code\":\"StepsTooFew\",\"message\":\"m\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_request_single_warning_get_code_enum (warning), ==, HORDE_WARNING_CODE_STEPS_TOO_FEW);
}

/* unset fields: UNKNOWN, and no array */
static void
test_unset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  gsize n = 99;

  params = horde_model_generation_input_stable_new_from_json ("{}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_model_generation_input_stable_get_sampler_name_enum (params), ==, HORDE_SAMPLER_UNKNOWN);
  g_assert_null (horde_model_generation_input_stable_get_post_processing_enum (params, &n));
  g_assert_cmpuint (n, ==, 0);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* a typed setter puts the wire string on the wire */
static void
test_typed_setters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeStatusModelsAllRequestBuilder) sb = horde_status_models_all_request_builder_new ();
  g_autoptr(HordeStatusModelsAllRequest) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = NULL;
  const HordePostProcessor processors[] = {
    HORDE_POST_PROCESSOR_REALESRGAN_X2PLUS, HORDE_POST_PROCESSOR_GFPGANV1_3, HORDE_POST_PROCESSOR_STRIP_BACKGROUND,
  };
  JsonObject *params_json;
  JsonArray *array;

  horde_model_generation_input_stable_builder_set_sampler_name_enum (pb, HORDE_SAMPLER_K_DPMPP_2M);
  horde_model_generation_input_stable_builder_set_post_processing_enum (pb, processors, G_N_ELEMENTS (processors));
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (params), ==, "k_dpmpp_2m");

  horde_image_generate_async_request_builder_set_prompt (rb, "a lighthouse");
  horde_image_generate_async_request_builder_set_params (rb, params);
  horde_image_generate_async_request_builder_set_source_processing_enum (rb, HORDE_SOURCE_PROCESSING_OUTPAINTING);
  request = horde_image_generate_async_request_builder_end (rb, &error);
  g_assert_no_error (error);
  json = horde_image_generate_async_request_to_json (request);
  body = parse_object (json);
  g_assert_cmpstr (json_object_get_string_member (body, "source_processing"), ==, "outpainting");
  params_json = json_object_get_object_member (body, "params");
  g_assert_cmpstr (json_object_get_string_member (params_json, "sampler_name"), ==, "k_dpmpp_2m");
  array = json_object_get_array_member (params_json, "post_processing");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "RealESRGAN_x2plus");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "GFPGANv1.3");
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "strip_background");

  /* UNKNOWN unsets: nothing is sent */
  horde_model_generation_input_stable_builder_set_sampler_name_enum (pb, HORDE_SAMPLER_UNKNOWN);
  horde_model_generation_input_stable_builder_set_post_processing_enum (pb, NULL, 0);
  g_clear_pointer (&params, horde_model_generation_input_stable_unref);
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  json = horde_model_generation_input_stable_to_json (params);
  g_assert_cmpstr (json, ==, "{}");

  /* a query parameter: the string the request sends */
  horde_status_models_all_request_builder_set_model_state_enum (sb, HORDE_MODEL_STATE_CUSTOM);
  status = horde_status_models_all_request_builder_end (sb, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_status_models_all_request_get_model_state (status), ==, "custom");
  g_assert_cmpint (horde_status_models_all_request_get_model_state_enum (status), ==, HORDE_MODEL_STATE_CUSTOM);
}

/* a value that is no wire string cannot go in an array */
static void
test_unknown_in_array (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(HordeInterrogationPopInputBuilder) b = horde_interrogation_pop_input_builder_new ();
      const HordeAlchemyForm forms[] = { HORDE_ALCHEMY_FORM_CAPTION, HORDE_ALCHEMY_FORM_UNKNOWN };

      horde_interrogation_pop_input_builder_set_forms_enum (b, forms, G_N_ELEMENTS (forms));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*strv[i] != NULL*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/known-values/round-trip", test_round_trip);
  g_test_add_func ("/known-values/wire-strings", test_wire_strings);
  g_test_add_func ("/known-values/unknown-value", test_unknown_value);
  g_test_add_func ("/known-values/unset", test_unset);
  g_test_add_func ("/known-values/typed-setters", test_typed_setters);
  g_test_add_func ("/known-values/unknown-in-array", test_unknown_in_array);

  return g_test_run ();
}

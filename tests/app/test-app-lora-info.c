/* test-app-lora-info.c: what CivitAI says of a LoRA, read from its answers, hostile ones too
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-lora-info.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* CivitAI's families, as the Horde's: Pony, Illustrious and NoobAI are
 * SDXL; a family the app does not know is said to be unknown */
static void
test_families (void)
{
  static const struct {
    const char *base;
    gboolean known;
    HordeStudioBaseline baseline;
  } cases[] = {
    { "SD 1.5", TRUE, HORDE_STUDIO_BASELINE_SD1 },
    { "SD 1.4", TRUE, HORDE_STUDIO_BASELINE_SD1 },
    { "SD 2.1 768", TRUE, HORDE_STUDIO_BASELINE_SD2 },
    { "SDXL 1.0", TRUE, HORDE_STUDIO_BASELINE_SDXL },
    { "SDXL Turbo", TRUE, HORDE_STUDIO_BASELINE_SDXL },
    { "Pony", TRUE, HORDE_STUDIO_BASELINE_SDXL },
    { "Illustrious", TRUE, HORDE_STUDIO_BASELINE_SDXL },
    { "NoobAI", TRUE, HORDE_STUDIO_BASELINE_SDXL },
    { "Flux.1 D", TRUE, HORDE_STUDIO_BASELINE_FLUX },
    { "Flux.1 S", TRUE, HORDE_STUDIO_BASELINE_FLUX },
    { "Stable Cascade", TRUE, HORDE_STUDIO_BASELINE_CASCADE },
    { "Other", FALSE, 0 },
    { "SD 3", FALSE, 0 },
    { "", FALSE, 0 },
    { NULL, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HordeStudioBaseline baseline = HORDE_STUDIO_BASELINE_Z_IMAGE;

      g_assert_cmpint (horde_studio_civitai_base_to_baseline (cases[i].base, &baseline), ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (baseline, ==, cases[i].baseline);
    }
}

/* a model: its first version's family and words */
static void
test_model (void)
{
  g_autoptr(JsonNode) node = parse ("{\"id\": 7, \"name\": \"Detail Tweaker\", \"nsfw\": true, \"modelVersions\": ["
                                    "{\"name\": \"v2\", \"baseModel\": \"SDXL 1.0\", \"trainedWords\": [\"a\", \"b\"]},"
                                    "{\"name\": \"v1\", \"baseModel\": \"SD 1.5\"}]}");
  g_autoptr(HordeStudioLoraInfo) info = horde_studio_lora_info_new_from_model (node);
  const char * const *words;
  HordeStudioBaseline baseline;

  g_assert_nonnull (info);
  g_assert_cmpstr (horde_studio_lora_info_get_model_name (info), ==, "Detail Tweaker");
  g_assert_cmpstr (horde_studio_lora_info_get_version_name (info), ==, "v2");
  g_assert_cmpstr (horde_studio_lora_info_get_base_model (info), ==, "SDXL 1.0");
  g_assert_true (horde_studio_lora_info_get_nsfw (info));
  g_assert_true (horde_studio_lora_info_get_baseline (info, &baseline));
  g_assert_cmpint (baseline, ==, HORDE_STUDIO_BASELINE_SDXL);
  words = horde_studio_lora_info_get_trained_words (info);
  g_assert_cmpstr (words[0], ==, "a");
  g_assert_cmpstr (words[1], ==, "b");
  g_assert_null (words[2]);
}

/* a version: the model's name and NSFW flag from its "model" */
static void
test_version (void)
{
  g_autoptr(JsonNode) node = parse ("{\"id\": 70, \"name\": \"v1.0\", \"baseModel\": \"Flux.1 D\", "
                                    "\"trainedWords\": [], \"model\": {\"name\": \"Grain\", \"nsfw\": false}}");
  g_autoptr(HordeStudioLoraInfo) info = horde_studio_lora_info_new_from_version (node);

  g_assert_nonnull (info);
  g_assert_cmpstr (horde_studio_lora_info_get_model_name (info), ==, "Grain");
  g_assert_cmpstr (horde_studio_lora_info_get_version_name (info), ==, "v1.0");
  g_assert_cmpstr (horde_studio_lora_info_get_base_model (info), ==, "Flux.1 D");
  g_assert_false (horde_studio_lora_info_get_nsfw (info));
  g_assert_null (horde_studio_lora_info_get_trained_words (info)[0]);
}

/* fields of the wrong types are missing ones; no object, no info */
static void
test_wrong_types (void)
{
  g_autoptr(JsonNode) node = parse ("{\"name\": 42, \"nsfw\": \"yes\", \"modelVersions\": "
                                    "[{\"name\": [\"x\"], \"baseModel\": 15, \"trainedWords\": {\"a\": 1}}]}");
  g_autoptr(JsonNode) odd_words = parse ("{\"modelVersions\": [{\"trainedWords\": [1, null, [\"x\"], \"ok\", {}]}]}");
  g_autoptr(JsonNode) array = parse ("[1, 2]");
  g_autoptr(JsonNode) string = parse ("\"SD 1.5\"");
  g_autoptr(JsonNode) bad_model = parse ("{\"model\": \"Grain\", \"baseModel\": null}");
  g_autoptr(HordeStudioLoraInfo) info = horde_studio_lora_info_new_from_model (node);
  g_autoptr(HordeStudioLoraInfo) words_info = horde_studio_lora_info_new_from_model (odd_words);
  g_autoptr(HordeStudioLoraInfo) version_info = horde_studio_lora_info_new_from_version (bad_model);
  HordeStudioBaseline baseline;

  g_assert_nonnull (info);
  g_assert_null (horde_studio_lora_info_get_model_name (info));
  g_assert_null (horde_studio_lora_info_get_version_name (info));
  g_assert_null (horde_studio_lora_info_get_base_model (info));
  g_assert_false (horde_studio_lora_info_get_nsfw (info));
  g_assert_false (horde_studio_lora_info_get_baseline (info, &baseline));
  g_assert_null (horde_studio_lora_info_get_trained_words (info)[0]);

  g_assert_cmpstr (horde_studio_lora_info_get_trained_words (words_info)[0], ==, "ok");
  g_assert_null (horde_studio_lora_info_get_trained_words (words_info)[1]);

  g_assert_nonnull (version_info);
  g_assert_null (horde_studio_lora_info_get_model_name (version_info));
  g_assert_null (horde_studio_lora_info_get_base_model (version_info));

  g_assert_null (horde_studio_lora_info_new_from_model (array));
  g_assert_null (horde_studio_lora_info_new_from_version (string));
}

/* control and format characters go, runs of space are one, strings and
 * the list of words are bounded */
static void
test_cleaned (void)
{
  g_autoptr(GString) json = g_string_new ("{\"name\": \"  Evil\\u001b[31m\\u0007\\n\\n Name\\u202e\\u200b \", "
                                          "\"modelVersions\": [{\"baseModel\": \"SD 1.5\\u0000\", \"trainedWords\": [\"");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(HordeStudioLoraInfo) info = NULL;
  const char * const *words;

  for (guint i = 0; i < 1000; i++)
    g_string_append (json, "é");
  g_string_append (json, "\", \"\\t\\r\\n\", \"\"");
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (json, ", \"w%u\"", i);
  g_string_append (json, "]}]}");
  node = parse (json->str);
  info = horde_studio_lora_info_new_from_model (node);

  g_assert_cmpstr (horde_studio_lora_info_get_model_name (info), ==, "Evil [31m Name");
  g_assert_cmpstr (horde_studio_lora_info_get_base_model (info), ==, "SD 1.5");
  words = horde_studio_lora_info_get_trained_words (info);
  g_assert_cmpint (g_utf8_strlen (words[0], -1), ==, 81);
  g_assert_true (g_str_has_suffix (words[0], "é…"));
  /* the blank words are left out */
  g_assert_cmpstr (words[1], ==, "w0");
  g_assert_cmpuint (g_strv_length ((GStrv) words), ==, 12);
}

/* what is kept on disk reads back the same */
static void
test_round_trip (void)
{
  g_autoptr(JsonNode) node = parse ("{\"name\": \"Detail Tweaker\", \"nsfw\": true, \"modelVersions\": ["
                                    "{\"name\": \"v2\", \"baseModel\": \"Pony\", \"trainedWords\": [\"a b\", \"c\"]}]}");
  g_autoptr(HordeStudioLoraInfo) info = horde_studio_lora_info_new_from_model (node);
  g_autoptr(JsonNode) kept = horde_studio_lora_info_to_json (info);
  g_autoptr(HordeStudioLoraInfo) back = horde_studio_lora_info_new_from_version (kept);

  g_assert_cmpstr (horde_studio_lora_info_get_model_name (back), ==, "Detail Tweaker");
  g_assert_cmpstr (horde_studio_lora_info_get_version_name (back), ==, "v2");
  g_assert_cmpstr (horde_studio_lora_info_get_base_model (back), ==, "Pony");
  g_assert_true (horde_studio_lora_info_get_nsfw (back));
  g_assert_true (g_strv_equal ((const char * const *) horde_studio_lora_info_get_trained_words (back),
                               horde_studio_lora_info_get_trained_words (info)));
}

/* a space counts in the bound: 79 characters, a space and more are 80
 * and an ellipsis, not 81 (found by fuzz-civitai); spaces at the end
 * are no reason for an ellipsis */
static void
test_bound_with_space (void)
{
  g_autoptr(GString) json = g_string_new ("{\"modelVersions\": [{\"trainedWords\": [\"");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(HordeStudioLoraInfo) info = NULL;
  const char * const *words;

  for (guint i = 0; i < 79; i++)
    g_string_append_c (json, 'x');
  g_string_append (json, " yz\", \"");
  for (guint i = 0; i < 80; i++)
    g_string_append_c (json, 'w');
  g_string_append (json, "   \\n\"]}]}");
  node = parse (json->str);
  info = horde_studio_lora_info_new_from_model (node);
  words = horde_studio_lora_info_get_trained_words (info);
  g_assert_cmpint (g_utf8_strlen (words[0], -1), ==, 80);
  g_assert_true (g_str_has_suffix (words[0], "x…"));
  g_assert_cmpint (g_utf8_strlen (words[1], -1), ==, 80);
  g_assert_false (g_str_has_suffix (words[1], "…"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lora-info/families", test_families);
  g_test_add_func ("/lora-info/model", test_model);
  g_test_add_func ("/lora-info/version", test_version);
  g_test_add_func ("/lora-info/wrong-types", test_wrong_types);
  g_test_add_func ("/lora-info/cleaned", test_cleaned);
  g_test_add_func ("/lora-info/round-trip", test_round_trip);
  g_test_add_func ("/lora-info/bound-with-space", test_bound_with_space);

  return g_test_run ();
}

/* fuzz-civitai.c: what Horde Studio reads of CivitAI's answers about a LoRA
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the body of an answer of CivitAI's /api/v1/models/ID (or an item
 * of its search) or /api/v1/model-versions/ID, bytes from a server nobody
 * vouches for. The same JSON is read as a model and as a version.
 * Oracles, for every string HordeStudioLoraInfo gives: valid UTF-8 on one
 * line, without control or format characters, at most its bound of
 * characters (plus one ellipsis); at most 12 trigger words, none empty;
 * the family mapping answers for any base model; and the info written
 * back (to_json, what the app caches) reads back the same.
 */

#include "config.h"

#include "fuzz-common.h"
#include "horde-studio-lora-info.h"

/* the bounds of horde-studio-lora-info.c, plus the ellipsis */
#define MAX_NAME_CHARS (120 + 1)
#define MAX_BASE_CHARS (40 + 1)
#define MAX_WORD_CHARS (80 + 1)
#define MAX_WORDS 12

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

static void
check_text (const char *what,
            const char *text,
            glong       max_chars)
{
  if (text == NULL)
    return;
  FUZZ_CHECK (g_utf8_validate (text, -1, NULL), "%s is not UTF-8", what);
  FUZZ_CHECK (*text != '\0', "%s is empty rather than missing", what);
  FUZZ_CHECK (g_utf8_strlen (text, -1) <= max_chars, "%s has %ld characters",
              what, g_utf8_strlen (text, -1));
  FUZZ_CHECK (!g_unichar_isspace (g_utf8_get_char (text)), "%s starts with a space", what);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      FUZZ_CHECK (!g_unichar_iscntrl (c) && c != 0x2028 && c != 0x2029 &&
                  g_unichar_type (c) != G_UNICODE_FORMAT &&
                  (c == ' ' || !g_unichar_isspace (c)),
                  "%s holds U+%04X", what, c);
    }
}

static void
check_info (HordeStudioLoraInfo *info)
{
  const char * const *words;
  HordeStudioBaseline baseline;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(HordeStudioLoraInfo) again = NULL;
  guint n_words;

  if (info == NULL)
    return;

  check_text ("the model's name", horde_studio_lora_info_get_model_name (info), MAX_NAME_CHARS);
  check_text ("the version's name", horde_studio_lora_info_get_version_name (info), MAX_NAME_CHARS);
  check_text ("the base model", horde_studio_lora_info_get_base_model (info), MAX_BASE_CHARS);
  words = horde_studio_lora_info_get_trained_words (info);
  FUZZ_CHECK (words != NULL, "no word list");
  n_words = g_strv_length ((char **) words);
  FUZZ_CHECK (n_words <= MAX_WORDS, "%u trigger words", n_words);
  for (guint i = 0; i < n_words; i++)
    {
      FUZZ_CHECK (words[i] != NULL && words[i][0] != '\0', "an empty trigger word");
      check_text ("a trigger word", words[i], MAX_WORD_CHARS);
    }
  /* answers, whatever the family is called */
  (void) horde_studio_lora_info_get_baseline (info, &baseline);

  /* what the app caches reads back the same */
  json = horde_studio_lora_info_to_json (info);
  FUZZ_CHECK (json != NULL && JSON_NODE_HOLDS_OBJECT (json), "to_json gave no object");
  again = horde_studio_lora_info_new_from_version (json);
  FUZZ_CHECK (again != NULL, "the cached form does not read back");
  FUZZ_CHECK (g_strcmp0 (horde_studio_lora_info_get_model_name (info),
                         horde_studio_lora_info_get_model_name (again)) == 0,
              "the model's name changed when read back");
  FUZZ_CHECK (g_strcmp0 (horde_studio_lora_info_get_version_name (info),
                         horde_studio_lora_info_get_version_name (again)) == 0,
              "the version's name changed when read back");
  FUZZ_CHECK (g_strcmp0 (horde_studio_lora_info_get_base_model (info),
                         horde_studio_lora_info_get_base_model (again)) == 0,
              "the base model changed when read back");
  FUZZ_CHECK (g_strv_equal (words, horde_studio_lora_info_get_trained_words (again)),
              "the trigger words changed when read back");
  FUZZ_CHECK (horde_studio_lora_info_get_nsfw (info) == horde_studio_lora_info_get_nsfw (again),
              "nsfw changed when read back");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HordeStudioLoraInfo) model = NULL;
  g_autoptr(HordeStudioLoraInfo) version = NULL;

  /* as horde-studio-civitai.c reads a body */
  root = horde_json_node_from_string ((const char *) data, size, NULL);
  if (root == NULL)
    return 0;

  model = horde_studio_lora_info_new_from_model (root);
  FUZZ_CHECK ((model != NULL) == JSON_NODE_HOLDS_OBJECT (root), "a model read from a non-object, or none from an object");
  check_info (model);
  version = horde_studio_lora_info_new_from_version (root);
  FUZZ_CHECK ((version != NULL) == JSON_NODE_HOLDS_OBJECT (root), "a version read from a non-object, or none from an object");
  check_info (version);
  return 0;
}

/* fuzz-model-reference.c: the model reference files into records
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: a reference file as a server sends it; the first byte picks the
 * image (even) or the text (odd) parser, the rest is the file.
 *
 * Oracles: the parser returns a table or a HORDE_ERROR, never both; every
 * record is found under its own name; every name is valid UTF-8, at most
 * HORDE_MODEL_REFERENCE_MAX_NAME bytes, free of control characters; every
 * string a record keeps is valid UTF-8 within its bound and free of
 * control characters and bidirectional overrides (the description may
 * keep new lines); every list has
 * at most HORDE_MODEL_REFERENCE_MAX_LIST items; the numbers keep to the
 * API's bounds; an unknown baseline is kept as its string.
 */

#include "config.h"

#include "fuzz-common.h"

#include "horde-error.h"
#include "horde-model-reference-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  horde_error_quark ();
  return 0;
}

static void
check_string (const char *what,
              const char *text,
              gsize       max,
              gboolean    multiline)
{
  if (text == NULL)
    return;
  FUZZ_CHECK (strlen (text) <= max, "the %s is %zu bytes long", what, strlen (text));
  FUZZ_CHECK (g_utf8_validate (text, -1, NULL), "the %s is not UTF-8", what);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      FUZZ_CHECK (!(c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
                    (c >= 0x2066 && c <= 0x2069)) || (multiline && c == '\n'),
                  "the %s holds the control character U+%04X", what, c);
    }
}

static void
check_strv (const char         *what,
            const char * const *strv,
            gsize               max)
{
  FUZZ_CHECK (strv != NULL, "the %s is NULL", what);
  FUZZ_CHECK (g_strv_length ((char **) strv) <= HORDE_MODEL_REFERENCE_MAX_LIST, "the %s is too long", what);
  for (guint i = 0; strv[i] != NULL; i++)
    check_string (what, strv[i], max, FALSE);
}

static void
check_image (const char            *key,
             HordeImageModelRecord *r)
{
  const char *baseline = horde_image_model_record_get_baseline_string (r);

  FUZZ_CHECK (g_str_equal (key, horde_image_model_record_get_name (r)), "a record under another name");
  check_string ("name", key, HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  FUZZ_CHECK (*key != '\0', "an empty name");
  FUZZ_CHECK (baseline != NULL, "no baseline string");
  check_string ("baseline", baseline, HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  FUZZ_CHECK (horde_image_model_record_get_baseline (r) == horde_model_baseline_from_string (baseline),
              "the baseline is not its string's");
  check_string ("style", horde_image_model_record_get_style (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("type", horde_image_model_record_get_model_type (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("description", horde_image_model_record_get_description (r), HORDE_MODEL_REFERENCE_MAX_TEXT, TRUE);
  check_string ("version", horde_image_model_record_get_version (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("homepage", horde_image_model_record_get_homepage (r), HORDE_MODEL_REFERENCE_MAX_URL, FALSE);
  check_strv ("trigger", horde_image_model_record_get_trigger (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  check_strv ("showcases", horde_image_model_record_get_showcases (r), HORDE_MODEL_REFERENCE_MAX_URL);
  check_strv ("tags", horde_image_model_record_get_tags (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  check_strv ("features", horde_image_model_record_get_features_not_supported (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  check_strv ("samplers", horde_image_model_record_get_samplers (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  check_strv ("schedulers", horde_image_model_record_get_schedulers (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  FUZZ_CHECK (horde_image_model_record_get_size_on_disk (r) >= -1, "a negative size");
  FUZZ_CHECK (horde_image_model_record_get_min_steps (r) >= 0 && horde_image_model_record_get_min_steps (r) <= 500,
              "min_steps out of bounds");
  FUZZ_CHECK (horde_image_model_record_get_max_steps (r) >= 0 && horde_image_model_record_get_max_steps (r) <= 500,
              "max_steps out of bounds");
  FUZZ_CHECK (horde_image_model_record_get_clip_skip (r) >= 0 && horde_image_model_record_get_clip_skip (r) <= 12,
              "clip_skip out of bounds");
  FUZZ_CHECK (horde_image_model_record_get_cfg_scale (r) <= 100, "cfg_scale out of bounds");
  FUZZ_CHECK (horde_image_model_record_get_min_cfg_scale (r) <= 100, "min_cfg_scale out of bounds");
  FUZZ_CHECK (horde_image_model_record_get_max_cfg_scale (r) <= 100, "max_cfg_scale out of bounds");
}

static void
check_text (const char           *key,
            HordeTextModelRecord *r)
{
  FUZZ_CHECK (g_str_equal (key, horde_text_model_record_get_name (r)), "a record under another name");
  check_string ("name", key, HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  check_string ("model name", horde_text_model_record_get_model_name (r), HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  check_string ("display name", horde_text_model_record_get_display_name (r), HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  check_string ("baseline", horde_text_model_record_get_baseline (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("description", horde_text_model_record_get_description (r), HORDE_MODEL_REFERENCE_MAX_TEXT, TRUE);
  check_string ("version", horde_text_model_record_get_version (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("style", horde_text_model_record_get_style (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_string ("url", horde_text_model_record_get_url (r), HORDE_MODEL_REFERENCE_MAX_URL, FALSE);
  check_string ("instruct format", horde_text_model_record_get_instruct_format (r), HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  check_strv ("tags", horde_text_model_record_get_tags (r), HORDE_MODEL_REFERENCE_MAX_SHORT);
  FUZZ_CHECK (horde_text_model_record_get_parameters (r) >= 0, "negative parameters");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, record;
  gboolean text;
  guint skipped = 0;

  if (size < 1)
    return 0;
  text = data[0] & 1;
  data++;
  size--;

  table = text ? horde_model_reference_parse_text ((const char *) data, size, &skipped, &error)
               : horde_model_reference_parse_image ((const char *) data, size, &skipped, &error);
  FUZZ_CHECK ((table == NULL) != (error == NULL), "a table and an error, or neither");
  if (table == NULL)
    {
      FUZZ_CHECK (error->domain == HORDE_ERROR && error->code == HORDE_ERROR_INVALID_RESPONSE,
                  "not an invalid-response error: %s", error->message);
      return 0;
    }
  FUZZ_CHECK (g_hash_table_size (table) <= HORDE_MODEL_REFERENCE_MAX_ENTRIES, "too many records");

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &record))
    {
      if (text)
        check_text (key, record);
      else
        check_image (key, record);
    }
  return 0;
}

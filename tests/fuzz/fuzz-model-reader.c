/* fuzz-model-reader.c: JSON text into every generated model, and back
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: a schema name (HordeModelInfo.schema: "GenerationStable",
 * "ImageGenerateAsyncRequest", "ActiveModelList"…), a newline, and the
 * JSON text to read as that type. A name that is no schema still picks
 * one (by its hash), so that no mutation is wasted; names keep the corpus
 * meaningful when the spec gains a schema.
 *
 * Oracles, for the text T and its type:
 * - the reader accepts T only if T is JSON (json-check.c), and accepts
 *   every JSON T of the right shape (an object; an array of objects for a
 *   list) that nests at most 512 deep and has no lone surrogate escape;
 * - W = write(read(T)) is strict RFC 8259 JSON; read(W) succeeds, is equal
 *   to read(T), and writes W again byte for byte;
 * - horde_model_to_json() is W; validation says the same of both models;
 * - to_json_node() → new_from_json_node() gives an equal model;
 * - a builder started from the model, made to copy it, ends with an equal
 *   model exactly when the model validates.
 */

#include "config.h"

#include "fuzz-common.h"
#include "json-check.h"

#include "horde-error.h"
#include "horde-model-private.h"

#define READER_MAX_DEPTH 512

static GHashTable *by_schema;
static const HordeModelInfo * const *infos;
static gsize n_infos;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);

  infos = horde_model_info_all (&n_infos);
  by_schema = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < n_infos; i++)
    {
      g_hash_table_insert (by_schema, (gpointer) infos[i]->schema, (gpointer) infos[i]);
      /* the GTypes, once, outside of any input */
      infos[i]->get_type ();
    }

  return 0;
}

static char *
written (gconstpointer model)
{
  GString *out = g_string_new (NULL);

  horde_model_write (model, out);
  return g_string_free (out, FALSE);
}

/* A copy made by a builder (a field that is not set unset again), ended */
static void
check_builder_copy (const HordeModelInfo *info,
                    gconstpointer         model,
                    gboolean              valid)
{
  const HordeModel *m = model;
  g_autoptr(HordeModelBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gpointer copy;
  guint field;

  for (field = 0; field < info->n_fields; field++)
    if (!HORDE_MODEL_FIELD_IS_SET (m, field) &&
        (m->extra == NULL || !json_object_has_member (m->extra, info->fields[field].json_name)))
      break;
  if (field == info->n_fields)
    return;

  builder = horde_model_builder_new (info, model);
  horde_model_builder_unset (builder, field);
  copy = horde_model_builder_end (builder, &error);
  FUZZ_CHECK ((copy != NULL) == valid, "%s: the builder's copy %s, the model %s: %s", info->schema,
              copy ? "validates" : "does not validate", valid ? "does" : "does not",
              error ? error->message : "");
  if (copy == NULL)
    return;
  FUZZ_CHECK (copy != model, "%s: the builder did not copy", info->schema);
  FUZZ_CHECK (horde_model_equal (model, copy), "%s: the builder's copy differs", info->schema);
  horde_model_unref (copy);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *name = NULL;
  g_autofree char *w = NULL;
  g_autofree char *w2 = NULL;
  g_autofree char *w_public = NULL;
  g_autofree char *excerpt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(JsonNode) node = NULL;
  const HordeModelInfo *info;
  const char *text;
  gsize len;
  gpointer model, again, from_node;
  gboolean is_json, valid, valid2;
  JsonCheck check;

  if (newline == NULL)
    return 0;
  name = g_strndup ((const char *) data, newline - data);
  info = g_hash_table_lookup (by_schema, name);
  if (info == NULL)
    info = infos[g_str_hash (name) % n_infos];
  text = (const char *) newline + 1;
  len = size - (newline + 1 - data);

  /* the reader skips a byte order mark */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    is_json = json_check (text + 3, len - 3, &check);
  else
    is_json = json_check (text, len, &check);

  model = horde_model_read (info, text, len, &error);
  if (model == NULL)
    {
      gboolean right_shape = info->is_list ? check.array_of_objects : check.top == '{';

      FUZZ_CHECK (error != NULL && error->domain == HORDE_ERROR, "%s: refused without an error", info->schema);
      excerpt = fuzz_excerpt (text, len, 300);
      FUZZ_CHECK (!is_json || !right_shape || check.max_depth > READER_MAX_DEPTH || check.lone_surrogate,
                  "%s: the reader refused valid JSON (%s): %s", info->schema, error->message, excerpt);
      return 0;
    }
  excerpt = fuzz_excerpt (text, len, 300);
  FUZZ_CHECK (is_json, "%s: the reader accepted text that is not JSON: %s", info->schema, excerpt);

  /* write, strict-parse, read again, compare, write again */
  w = written (model);
  g_clear_pointer (&excerpt, g_free);
  excerpt = fuzz_excerpt (w, strlen (w), 300);
  FUZZ_CHECK (json_check (w, strlen (w), &check), "%s: the writer wrote what is not JSON: %s", info->schema, excerpt);
  again = horde_model_read (info, w, strlen (w), &error2);
  FUZZ_CHECK (again != NULL, "%s: the reader refused the writer's text (%s): %s", info->schema,
              error2->message, excerpt);
  FUZZ_CHECK (horde_model_equal (model, again), "%s: a model differs from its round trip: %s", info->schema, excerpt);
  w2 = written (again);
  FUZZ_CHECK (g_str_equal (w, w2), "%s: writing the round trip changed the text: %s", info->schema, excerpt);
  w_public = horde_model_to_json (model);
  FUZZ_CHECK (g_str_equal (w, w_public), "%s: horde_model_to_json() is not the writer's text", info->schema);

  /* validation: the same verdict, in the same words, for both */
  g_clear_error (&error);
  g_clear_error (&error2);
  valid = horde_model_validate (model, &error);
  valid2 = horde_model_validate (again, &error2);
  FUZZ_CHECK (valid == valid2, "%s: validation differs after the round trip", info->schema);
  FUZZ_CHECK (valid || g_str_equal (error->message, error2->message),
              "%s: validation says “%s”, then “%s”", info->schema, error->message, error2->message);
  horde_model_unref (again);

  /* every field as text (the validation messages and the CLI use it) */
  for (guint i = 0; i < info->n_fields; i++)
    if (HORDE_MODEL_FIELD_IS_SET (model, i))
      g_free (horde_model_dup_field_string (model, i));

  /* the JsonNode path */
  node = horde_model_to_json_node (model);
  g_clear_error (&error2);
  from_node = horde_model_new_from_json_node (info, node, &error2);
  FUZZ_CHECK (from_node != NULL, "%s: the model's JsonNode is refused (%s): %s", info->schema,
              error2->message, excerpt);
  FUZZ_CHECK (horde_model_equal (model, from_node), "%s: a model differs from its JsonNode round trip: %s",
              info->schema, excerpt);
  horde_model_unref (from_node);

  check_builder_copy (info, model, valid);

  horde_model_unref (model);
  return 0;
}

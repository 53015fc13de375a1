/* horde-model-reference-parse.c: the model reference files into records
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A reference file comes from a server (GitHub by default, any URL the
 * caller sets), so every byte of it is untrusted: the text is read with
 * libhorde's bounded JSON reader (depth limit, valid UTF-8), the file may
 * weigh at most HORDE_MODEL_REFERENCE_MAX_BYTES and hold at most
 * HORDE_MODEL_REFERENCE_MAX_ENTRIES entries, every string a record keeps
 * is cut to a bound and loses its control characters (and bidirectional
 * overrides), every list to
 * HORDE_MODEL_REFERENCE_MAX_LIST items. A member of the wrong type is
 * taken as absent, an unknown member is ignored, and an entry that is not
 * an object or whose name is unusable (empty, too long, control
 * characters) is skipped: one bad entry never costs the others.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "horde-error.h"
#include "horde-json-private.h"
#include "horde-model-reference-private.h"

/* C0, DEL and C1 controls, and the bidirectional embeddings, overrides and
 * isolates that reorder what a terminal or a label shows around them */
static gboolean
is_unsafe (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c < 0xa0) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* @text, valid UTF-8, cut to at most @max_bytes on a character boundary,
 * unsafe characters (is_unsafe()) as spaces, new lines kept when
 * @multiline */
static char *
clean_string (const char *text,
              gsize       max_bytes,
              gboolean    multiline)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (MIN (strlen (valid), max_bytes));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (out->len + (gsize) (next - p) > max_bytes)
        break;
      if (c == '\n' && multiline)
        g_string_append_c (out, '\n');
      else if (is_unsafe (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, next - p);
    }
  return g_string_free (out, FALSE);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member,
            GType       type)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (type == G_TYPE_DOUBLE)
    return json_node_get_value_type (node) == G_TYPE_DOUBLE ||
           json_node_get_value_type (node) == G_TYPE_INT64 ? node : NULL;
  return json_node_get_value_type (node) == type ? node : NULL;
}

char *
horde_model_reference_dup_string (JsonObject *object,
                                  const char *member,
                                  gsize       max_bytes,
                                  gboolean    multiline)
{
  JsonNode *node = get_member (object, member, G_TYPE_STRING);

  if (node == NULL)
    return NULL;
  return clean_string (json_node_get_string (node), max_bytes, multiline);
}

char **
horde_model_reference_dup_strv (JsonObject *object,
                                const char *member,
                                gsize       max_bytes)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint n, kept = 0;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n && kept < HORDE_MODEL_REFERENCE_MAX_LIST; i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            continue;
          g_autofree char *clean = clean_string (json_node_get_string (item), max_bytes, FALSE);

          g_strv_builder_add (builder, clean);
          kept++;
        }
    }
  return g_strv_builder_end (builder);
}

gboolean
horde_model_reference_get_bool (JsonObject *object,
                                const char *member)
{
  JsonNode *node = get_member (object, member, G_TYPE_BOOLEAN);

  return node != NULL && json_node_get_boolean (node);
}

/* a number in [@min, @max]; FALSE (and @value untouched) for anything else */
gboolean
horde_model_reference_get_number (JsonObject *object,
                                  const char *member,
                                  double      min,
                                  double      max,
                                  double     *value)
{
  JsonNode *node = get_member (object, member, G_TYPE_DOUBLE);
  double d;

  if (node == NULL)
    return FALSE;
  d = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                      : json_node_get_double (node);
  if (!(d >= min && d <= max))
    return FALSE;
  *value = d;
  return TRUE;
}

/* A name the records can be found by: not empty, bounded, no control
 * characters, no bidirectional overrides. It is the key of the server's
 * own lookups, so it is never
 * changed to make it fit: it is taken as it is or not at all. */
gboolean
horde_model_reference_name_ok (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > HORDE_MODEL_REFERENCE_MAX_NAME || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_unsafe (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

typedef gpointer (*RecordFromJson) (const char *name,
                                    JsonObject *object);
typedef const char *(*RecordName) (gconstpointer record);

static GHashTable *
parse (const char      *data,
       gsize            length,
       RecordFromJson   from_json,
       RecordName       record_name,
       GDestroyNotify   free_record,
       guint           *skipped,
       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) records = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  guint n_skipped = 0, n = 0;

  if (skipped != NULL)
    *skipped = 0;

  if (length > HORDE_MODEL_REFERENCE_MAX_BYTES)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The model reference is larger than %u MiB"),
                   (guint) (HORDE_MODEL_REFERENCE_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }

  root = horde_json_read (data, length, &local_error);
  if (root == NULL)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The model reference is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                           _("The model reference is not a JSON object of models"));
      return NULL;
    }

  records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_record);
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    {
      gpointer record;

      if (n >= HORDE_MODEL_REFERENCE_MAX_ENTRIES)
        {
          n_skipped++;
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (value) || !horde_model_reference_name_ok (name) ||
          (record = from_json (name, json_node_get_object (value))) == NULL)
        {
          n_skipped++;
          continue;
        }
      /* the key is the record's own name, which lives as long as it */
      g_hash_table_replace (records, (gpointer) record_name (record), record);
      n++;
    }

  if (skipped != NULL)
    *skipped = n_skipped;
  return g_steal_pointer (&records);
}

GHashTable *
horde_model_reference_parse_image (const char  *data,
                                   gsize        length,
                                   guint       *skipped,
                                   GError     **error)
{
  return parse (data, length,
                (RecordFromJson) horde_image_model_record_new_from_json,
                (RecordName) horde_image_model_record_get_name,
                (GDestroyNotify) horde_image_model_record_unref,
                skipped, error);
}

GHashTable *
horde_model_reference_parse_text (const char  *data,
                                  gsize        length,
                                  guint       *skipped,
                                  GError     **error)
{
  return parse (data, length,
                (RecordFromJson) horde_text_model_record_new_from_json,
                (RecordName) horde_text_model_record_get_name,
                (GDestroyNotify) horde_text_model_record_unref,
                skipped, error);
}

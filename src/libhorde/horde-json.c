/* horde-json.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "horde-error.h"
#include "horde-json.h"
#include "horde-json-private.h"

/* Parses JSON text into an immutable tree; errors are
 * HORDE_ERROR_INVALID_JSON, saying where the text went wrong. This is
 * libhorde's own reader (horde-model-reader.c), with its depth limit and
 * its rules for numbers and strings, never json-glib's parser: the text
 * comes from servers, and json-glib's parser has no depth limit. */
JsonNode *
horde_json_parse (const char  *data,
                  gssize       length,
                  GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return horde_json_read (data, length < 0 ? strlen (data) : (gsize) length, error);
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* An integer and a double are equal when the double is that integer
 * exactly: converting the integer to a double instead would round it
 * (past 2^53), and make 2^53 + 1 equal to 2^53. */
static gboolean
int_equals_double (gint64 i,
                   double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
         d == (double) (gint64) d && (gint64) d == i;
}

static gboolean
number_equal (JsonNode *a,
              JsonNode *b)
{
  gboolean a_int = json_node_get_value_type (a) == G_TYPE_INT64;
  gboolean b_int = json_node_get_value_type (b) == G_TYPE_INT64;

  if (a_int && b_int)
    return json_node_get_int (a) == json_node_get_int (b);
  if (a_int)
    return int_equals_double (json_node_get_int (a), json_node_get_double (b));
  if (b_int)
    return int_equals_double (json_node_get_int (b), json_node_get_double (a));
  return json_node_get_double (a) == json_node_get_double (b);
}

/* Equality of JSON values as JSON means it: object members in any order,
 * and 1 equal to 1.0 (numbers by their exact value). */
gboolean
horde_json_equal (JsonNode *a,
                  JsonNode *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (is_number (a) && is_number (b))
    return number_equal (a, b);

  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_STRING)
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      return json_node_get_boolean (a) == json_node_get_boolean (b);

    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a), *y = json_node_get_array (b);
        guint n = json_array_get_length (x);

        if (n != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!horde_json_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        json_object_iter_init (&iter, x);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonNode *other = json_object_get_member (y, name);

            if (other == NULL || !horde_json_equal (member, other))
              return FALSE;
          }
        return TRUE;
      }

    default:
      return FALSE;
    }
}

/* Whether libhorde can write @node as JSON that reads back as the same
 * value: its numbers finite (JSON has no NaN nor infinity), its strings and
 * member names UTF-8 (JSON text is), its arrays and objects nested no
 * deeper than @max_depth levels (the reader's limit, less the levels the
 * node sits in). If not, appends to @path where the problem is (".name",
 * "[2]"; the object itself for a member name that is not UTF-8). */
HordeJsonProblem
horde_json_check (JsonNode *node,
                  guint     max_depth,
                  GString  *path)
{
  HordeJsonProblem problem;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (object == NULL)
          return HORDE_JSON_OK;
        if (max_depth == 0)
          return HORDE_JSON_TOO_DEEP;
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            gsize len = path->len;

            if (!g_utf8_validate (name, -1, NULL))
              return HORDE_JSON_NOT_UTF8;
            g_string_append_c (path, '.');
            g_string_append (path, name);
            if ((problem = horde_json_check (member, max_depth - 1, path)) != HORDE_JSON_OK)
              return problem;
            g_string_truncate (path, len);
          }
      }
      return HORDE_JSON_OK;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n;

        if (array == NULL)
          return HORDE_JSON_OK;
        if (max_depth == 0)
          return HORDE_JSON_TOO_DEEP;
        n = json_array_get_length (array);
        for (guint i = 0; i < n; i++)
          {
            gsize len = path->len;

            g_string_append_printf (path, "[%u]", i);
            if ((problem = horde_json_check (json_array_get_element (array, i), max_depth - 1, path)) != HORDE_JSON_OK)
              return problem;
            g_string_truncate (path, len);
          }
      }
      return HORDE_JSON_OK;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE && !isfinite (json_node_get_double (node)))
        return HORDE_JSON_NOT_FINITE;
      if (json_node_get_value_type (node) == G_TYPE_STRING && json_node_get_string (node) != NULL &&
          !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return HORDE_JSON_NOT_UTF8;
      return HORDE_JSON_OK;

    case JSON_NODE_NULL:
    default:
      return HORDE_JSON_OK;
    }
}

/* "Not valid JSON: $.a[1] is not a finite number", for @node that
 * horde_json_check() refused */
GError *
horde_json_check_error (JsonNode *node)
{
  g_autoptr(GString) path = g_string_new ("$");
  g_autofree char *detail = NULL;
  const char *what = NULL;

  switch (horde_json_check (node, HORDE_JSON_MAX_DEPTH, path))
    {
    case HORDE_JSON_NOT_FINITE:
      what = "is not a finite number, which JSON cannot express";
      break;
    case HORDE_JSON_NOT_UTF8:
      what = "holds text that is not valid UTF-8";
      break;
    case HORDE_JSON_TOO_DEEP:
      /* where it starts: "[0]" 500 times says nothing more */
      g_string_truncate (path, 1);
      what = "nests arrays and objects more than " G_STRINGIFY (HORDE_JSON_MAX_DEPTH) " levels deep";
      break;
    case HORDE_JSON_OK:
    default:
      g_return_val_if_reached (NULL);
    }

  /* the details in English, as the reader gives them */
  detail = g_strconcat (path->str, " ", what, NULL);
  return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_JSON, _("Not valid JSON: %s"), detail);
}

/**
 * horde_json_node_from_string:
 * @data: (array length=length) (element-type guint8): JSON text, from anywhere
 * @length: the length of @data in bytes, or -1 if it ends with a nul
 *
 * Reads JSON text as libhorde reads a server's answers: the counterpart of
 * [func@Horde.json_node_to_string], and of `json_parser_load_from_data()`
 * for text that nobody vouches for (an answer of another web service, a
 * file dropped on an application). It follows RFC 8259 strictly: one
 * value and nothing after it but white space; strings of valid UTF-8;
 * arrays and objects nested at most 512 levels deep, where json-glib's
 * parser recurses without a limit; numbers that fit a #gint64 as integers,
 * others as doubles. It keeps nothing of a text it refuses.
 *
 * Returns: (transfer full): the tree, immutable, or %NULL with @error set
 *   (%HORDE_ERROR_INVALID_JSON, saying where the text went wrong)
 */
JsonNode *
horde_json_node_from_string (const char  *data,
                             gssize       length,
                             GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return horde_json_parse (data, length, error);
}

/**
 * horde_json_node_to_string:
 * @node: a #JsonNode
 * @error: return location for a #GError
 *
 * Writes @node as compact JSON text that follows RFC 8259, as libhorde
 * writes models: the counterpart of `json_to_string()` for text that
 * another program will read. Numbers take the shortest form that reads
 * back as the same value (an integer-valued double below 2^53 as an
 * integer, `10`; larger ones in exponent form, `5e+20`); strings escape
 * `"`, `\`, the control characters and also U+007F to U+009F, which a
 * terminal may act on.
 *
 * JSON has no NaN nor infinity. Rather than write invalid JSON, or a
 * `null` that the value never was, a @node that holds a double that is not
 * finite is refused, with %HORDE_ERROR_INVALID_JSON naming where it is (as
 * `$.a[1]`); so is a string or member name that is not valid UTF-8, and
 * arrays and objects nested more than 512 levels deep, which libhorde would
 * not read back. Values that libhorde read from JSON never hold any of
 * these.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
horde_json_node_to_string (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(GString) path = NULL;
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_string_new (NULL);
  if (horde_json_check (node, HORDE_JSON_MAX_DEPTH, path) != HORDE_JSON_OK)
    {
      g_propagate_error (error, horde_json_check_error (node));
      return NULL;
    }

  out = g_string_sized_new (128);
  horde_json_write_node (out, node);
  return g_string_free (out, FALSE);
}

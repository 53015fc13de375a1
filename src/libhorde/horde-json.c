/* horde-json.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-error.h"
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
is_number (JsonNode *node,
           double   *value)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

/* Equality of JSON values as JSON means it: object members in any order,
 * and 1 equal to 1.0. */
gboolean
horde_json_equal (JsonNode *a,
                  JsonNode *b)
{
  double da, db;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (is_number (a, &da) && is_number (b, &db))
    return da == db;

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

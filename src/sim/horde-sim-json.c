/* horde-sim-json.c: small json-glib helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-json.h"

JsonNode *
horde_sim_json_parse (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "empty document");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

char *
horde_sim_json_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
repr_string (GString    *out,
             const char *s)
{
  /* Python's repr(): single quotes unless the text holds one and no double quote. */
  char quote = (strchr (s, '\'') && !strchr (s, '"')) ? '"' : '\'';

  g_string_append_c (out, quote);
  for (const char *p = s; *p; p++)
    {
      if (*p == quote || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, quote);
}

static void
repr_node (GString  *out,
           JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "None");
      break;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          repr_string (out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "True" : "False");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double d = json_node_get_double (node);

            g_ascii_formatd (buf, sizeof buf, "%.17g", d);
            /* Prefer the shortest form that reads back the same, like Python. */
            for (int prec = 1; prec <= 17; prec++)
              {
                char fmt[8];

                g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
                g_ascii_formatd (buf, sizeof buf, fmt, d);
                if (g_ascii_strtod (buf, NULL) == d)
                  break;
              }
            g_string_append (out, buf);
            if (!strpbrk (buf, ".eEn"))
              g_string_append (out, ".0");
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            repr_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append (out, ", ");
            first = FALSE;
            repr_string (out, name);
            g_string_append (out, ": ");
            repr_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The value as Python would print it: jsonschema's error messages use it. */
char *
horde_sim_json_repr (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  repr_node (out, node);
  return g_string_free (out, FALSE);
}

/* The JSON Schema type name of a node, as in "'abc' is not of type 'integer'". */
const char *
horde_sim_json_type_name (JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_OBJECT:
      return "object";
    default:
      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        return "string";
      if (type == G_TYPE_BOOLEAN)
        return "boolean";
      if (type == G_TYPE_INT64)
        return "integer";
      return "number";
    }
}

/* Follows "a.b.c" through nested objects; NULL when any step is missing. */
JsonNode *
horde_sim_json_lookup (JsonNode   *root,
                       const char *dotted_path)
{
  g_auto(GStrv) parts = g_strsplit (dotted_path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return node;
}

/* The string members of an array member; NULL when absent or not an array. */
char **
horde_sim_json_dup_strv (JsonObject *object,
                         const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

JsonNode *
horde_sim_json_strv_node (const char * const *strv)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}

/* {"message": ..., "rc": ...}, the AI Horde's error body. */
JsonNode *
horde_sim_json_error_node (const char *rc,
                           const char *message)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_set_string_member (object, "message", message);
  if (rc != NULL)
    json_object_set_string_member (object, "rc", rc);
  json_object_unref (object);
  return node;
}

double
horde_sim_json_number (JsonNode *node,
                       double    fallback)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

void
horde_sim_json_set_string (JsonObject *object,
                           const char *member,
                           const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, value);
}

/* A unix time in seconds, or null when @unix_time is 0 (never happened). */
void
horde_sim_json_set_time (JsonObject *object,
                         const char *member,
                         double      unix_time)
{
  if (unix_time > 0)
    json_object_set_double_member (object, member, unix_time);
  else
    json_object_set_null_member (object, member);
}

JsonObject *
horde_sim_json_add_object (JsonObject *object,
                           const char *member)
{
  JsonObject *child = json_object_new ();

  json_object_set_object_member (object, member, child);
  return child;
}

JsonArray *
horde_sim_json_add_array (JsonObject *object,
                          const char *member)
{
  JsonArray *child = json_array_new ();

  json_object_set_array_member (object, member, child);
  return child;
}

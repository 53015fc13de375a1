/* horde-sim-validate.c: JSON Schema checks the way flask-restx reports them
 *
 * The real server validates payloads with jsonschema before its own code
 * runs, and answers 400 {"message": "Input payload validation failed",
 * "errors": {"params.width": "'abc' is not of type 'integer'"}}.  This is
 * the subset of JSON Schema its input models use: types, minimum/maximum,
 * enums, minLength/maxLength for strings (as bounds on the length).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-validate.h"
#include "horde-sim-json.h"

#include <math.h>
#include <string.h>

static const char * const type_names[] = {
  "integer", "number", "boolean", "string", "object", "array", "array", "array", "array",
};

static char *
format_bound (double bound)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (bound == floor (bound) && fabs (bound) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) bound);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", bound));
}

static gboolean
is_integer (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  /* like jsonschema's later drafts, 512.0 counts as an integer */
  return type == G_TYPE_INT64 || (type == G_TYPE_DOUBLE && json_node_get_double (node) == floor (json_node_get_double (node)));
}

static gboolean
has_type (JsonNode          *node,
          HordeSimFieldType  type)
{
  GType value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (type)
    {
    case HORDE_SIM_FIELD_INTEGER:
      return is_integer (node);
    case HORDE_SIM_FIELD_NUMBER:
      return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
    case HORDE_SIM_FIELD_BOOLEAN:
      return value_type == G_TYPE_BOOLEAN;
    case HORDE_SIM_FIELD_STRING:
      return value_type == G_TYPE_STRING;
    case HORDE_SIM_FIELD_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    default:
      return JSON_NODE_HOLDS_ARRAY (node);
    }
}

static void
add_error (JsonObject *errors,
           const char *path,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
add_error (JsonObject *errors,
           const char *path,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (json_object_has_member (errors, path))
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  json_object_set_string_member (errors, path, message);
}

static void
check_choices (JsonObject          *errors,
               const char          *path,
               JsonNode            *node,
               const char * const  *choices)
{
  g_autofree char *repr = NULL;
  GString *list;

  if (choices == NULL || g_strv_contains (choices, json_node_get_string (node)))
    return;
  list = g_string_new ("[");
  for (guint i = 0; choices[i] != NULL; i++)
    g_string_append_printf (list, "%s'%s'", i ? ", " : "", choices[i]);
  g_string_append_c (list, ']');
  repr = horde_sim_json_repr (node);
  add_error (errors, path, "%s is not one of %s", repr, list->str);
  g_string_free (list, TRUE);
}

static void
check_value (JsonObject          *errors,
             const char          *path,
             JsonNode            *node,
             const HordeSimField *field)
{
  g_autofree char *repr = horde_sim_json_repr (node);
  double value;

  if (!has_type (node, field->type))
    {
      add_error (errors, path, "%s is not of type '%s'", repr, type_names[field->type]);
      return;
    }
  switch (field->type)
    {
    case HORDE_SIM_FIELD_INTEGER:
    case HORDE_SIM_FIELD_NUMBER:
      {
        g_autofree char *minimum = format_bound (field->minimum);
        g_autofree char *maximum = format_bound (field->maximum);

        value = horde_sim_json_number (node, 0);
        if (field->minimum != HORDE_SIM_NO_BOUND && value < field->minimum)
          add_error (errors, path, "%s is less than the minimum of %s", repr, minimum);
        else if (field->maximum != HORDE_SIM_NO_BOUND && value > field->maximum)
          add_error (errors, path, "%s is greater than the maximum of %s", repr, maximum);
      }
      break;
    case HORDE_SIM_FIELD_STRING:
      value = g_utf8_strlen (json_node_get_string (node), -1);
      if (field->minimum != HORDE_SIM_NO_BOUND && value < field->minimum)
        add_error (errors, path, "%s is too short", repr);
      else if (field->maximum != HORDE_SIM_NO_BOUND && value > field->maximum)
        add_error (errors, path, "%s is too long", repr);
      else
        check_choices (errors, path, node, field->choices);
      break;
    default:
      break;
    }
}

static void
check_items (JsonObject          *errors,
             const char          *path,
             JsonNode            *node,
             const HordeSimField *field)
{
  JsonArray *array = json_node_get_array (node);
  HordeSimField item = { NULL, HORDE_SIM_FIELD_STRING, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, field->choices };

  if (field->type == HORDE_SIM_FIELD_INTEGER_ARRAY)
    item.type = HORDE_SIM_FIELD_INTEGER;
  else if (field->type == HORDE_SIM_FIELD_OBJECT_ARRAY)
    item.type = HORDE_SIM_FIELD_OBJECT;
  else if (field->type != HORDE_SIM_FIELD_STRING_ARRAY)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s.%u", path, i);

      check_value (errors, item_path, json_array_get_element (array, i), &item);
    }
}

/* Visits @node at each remaining step of @parts ("*" walks array items). */
static void
check_path (JsonObject          *errors,
            JsonNode            *node,
            const char          *prefix,
            char               **parts,
            const HordeSimField *field)
{
  if (parts[0] == NULL)
    {
      check_value (errors, prefix, node, field);
      if (!json_object_has_member (errors, prefix) && JSON_NODE_HOLDS_ARRAY (node))
        check_items (errors, prefix, node, field);
      return;
    }
  if (g_str_equal (parts[0], "*"))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("%s.%u", prefix, i);

          check_path (errors, json_array_get_element (array, i), path, parts + 1, field);
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), parts[0]);
      g_autofree char *path = *prefix ? g_strdup_printf ("%s.%s", prefix, parts[0]) : g_strdup (parts[0]);

      /* null is how clients leave a property out */
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        check_path (errors, member, path, parts + 1, field);
    }
}

/* The errors object flask-restx would answer with, or NULL if @body passes. */
JsonObject *
horde_sim_validate (JsonNode            *body,
                    const HordeSimField *fields,
                    gsize                n_fields)
{
  g_autoptr(JsonObject) errors = json_object_new ();

  if (!JSON_NODE_HOLDS_OBJECT (body))
    {
      g_autofree char *repr = horde_sim_json_repr (body);

      add_error (errors, "", "%s is not of type 'object'", repr);
      return g_steal_pointer (&errors);
    }
  for (gsize i = 0; i < n_fields; i++)
    {
      g_auto(GStrv) parts = g_strsplit (fields[i].path, ".", -1);

      check_path (errors, body, "", parts, &fields[i]);
    }
  if (json_object_get_size (errors) == 0)
    return NULL;
  return g_steal_pointer (&errors);
}

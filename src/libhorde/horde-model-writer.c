/* horde-model-writer.c: models straight to JSON text
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The counterpart of horde-model-reader.c: the text of a model without
 * building a JsonNode tree first. The members are those of
 * horde_model_to_json_node(), in the same order.
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "horde-json-private.h"
#include "horde-model-private.h"

/* A string of valid UTF-8 as JSON. Besides what JSON must escape, the C1
 * controls U+0080..U+009F and DEL (U+007F) are escaped as \u00XX: JSON
 * allows them raw, but JSON text ends up in terminals, and a terminal may
 * act on them (U+009B is CSI in one character). In UTF-8, U+0080..U+009F
 * are 0xC2 followed by 0x80..0x9F. */
static void
write_string (GString    *out,
              const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = s;

  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = *p;
      const char *escape = NULL;

      if (G_LIKELY (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != 0xc2))
        continue;
      if (c == 0xc2)
        {
          guchar next = p[1];

          if (next < 0x80 || next > 0x9f)
            continue;
          /* a C1 control: both bytes go as one escape */
          g_string_append_len (out, run, p - run);
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[next >> 4]);
          g_string_append_c (out, hex[next & 0xf]);
          run = p + 2;
          p++;
          continue;
        }

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
          continue;
        }
      g_string_append (out, escape);
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/* The decimal digits of @v, ending at @end: no printf for the most common
 * number. Returns where they start. */
static char *
format_int (char   *end,
            gint64  v)
{
  char *p = end;
  guint64 mag = v < 0 ? 0 - (guint64) v : (guint64) v;

  do
    {
      *--p = '0' + mag % 10;
      mag /= 10;
    }
  while (mag != 0);
  if (v < 0)
    *--p = '-';

  return p;
}

static void
write_int (GString *out,
           gint64   v)
{
  char buf[24];
  char *start = format_int (buf + sizeof buf, v);

  g_string_append_len (out, start, buf + sizeof buf - start);
}

/* n significant digits: g_formats[n - 1], e_formats[n - 1] */
static const char * const g_formats[] = {
  "%.1g", "%.2g", "%.3g", "%.4g", "%.5g", "%.6g", "%.7g", "%.8g", "%.9g",
  "%.10g", "%.11g", "%.12g", "%.13g", "%.14g", "%.15g", "%.16g", "%.17g",
};
static const char * const e_formats[] = {
  "%.0e", "%.1e", "%.2e", "%.3e", "%.4e", "%.5e", "%.6e", "%.7e", "%.8e",
  "%.9e", "%.10e", "%.11e", "%.12e", "%.13e", "%.14e", "%.15e", "%.16e",
};

/* The text of a finite double as JSON, the shortest that reads back as the
 * same double:
 *  - an integer below 2^53 (where every integer is a double) as an
 *    integer, "10" and not "10.0": that is how the server writes it, and
 *    the reader reads it back as the same double;
 *  - past 2^53 every double is an integer, but not every integer is a
 *    double: in exponent form ("1e+20"), which says so, and which reads
 *    back as a double again;
 *  - negative zero as "-0.0", which keeps its sign in the readers that
 *    read "-0" as the integer 0 (libhorde's, json-glib's, Python's);
 *  - anything else as %g writes it ("0.1", "1.5e-07").
 * Fifteen significant digits are enough for every double that has a text
 * that short, except subnormal ones, which have less precision: they are
 * tried from one digit up. */
gsize
horde_json_format_double (char   buf[HORDE_JSON_DOUBLE_BUF_SIZE],
                          double d)
{
  gboolean big = fabs (d) >= 0x1p53;
  const char * const *formats = big ? e_formats : g_formats;
  guint digits;
  char *e;

  g_return_val_if_fail (isfinite (d), 0);

  if (d == 0)
    return g_strlcpy (buf, signbit (d) ? "-0.0" : "0", HORDE_JSON_DOUBLE_BUF_SIZE);

  if (!big && d == (double) (gint64) d)
    {
      char *end = buf + HORDE_JSON_DOUBLE_BUF_SIZE - 1;
      char *start = format_int (end, (gint64) d);

      *end = '\0';
      memmove (buf, start, end - start + 1);
      return end - start;
    }

  for (digits = fabs (d) < DBL_MIN ? 1 : 15; digits < 17; digits++)
    {
      g_ascii_formatd (buf, HORDE_JSON_DOUBLE_BUF_SIZE, formats[digits - 1], d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  if (digits == 17)   /* always enough */
    g_ascii_formatd (buf, HORDE_JSON_DOUBLE_BUF_SIZE, formats[16], d);

  /* %e pads with zeros: "1.000e+20" is "1e+20" */
  if (big && (e = strchr (buf, 'e')) != NULL)
    {
      char *end = e;

      while (end[-1] == '0')
        end--;
      if (end[-1] == '.')
        end--;
      memmove (end, e, strlen (e) + 1);
    }

  return strlen (buf);
}

static void
write_double (GString *out,
              double   d)
{
  char buf[HORDE_JSON_DOUBLE_BUF_SIZE];

  /* JSON has no NaN nor infinity, and no model holds one: the reader
   * clamps numbers past the range and builders refuse them at end(), so
   * reaching this is a bug of libhorde. Loudly, then: not a value made up
   * in silence. */
  if (G_UNLIKELY (!isfinite (d)))
    {
      g_critical ("A number that is not finite cannot be written as JSON; writing null");
      g_string_append (out, "null");
      return;
    }

  g_string_append_len (out, buf, horde_json_format_double (buf, d));
}

/* Writes a tree that horde_json_check() passed: its numbers are finite, its
 * strings and names UTF-8, and it nests no deeper than the reader reads.
 * Not json-glib's generator, which writes 5e20 as "5e+20.0" and an
 * infinity as "inf.0", neither of them JSON. */
void
horde_json_write_node (GString  *out,
                       JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        if (object == NULL)
          break;
        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_string (out, name);
            g_string_append_c (out, ':');
            horde_json_write_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      return;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n;

        if (array == NULL)
          break;
        n = json_array_get_length (array);
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            horde_json_write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      return;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          write_int (out, json_node_get_int (node));
          return;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          return;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          return;
        case G_TYPE_STRING:
          if (json_node_get_string (node) == NULL)
            break;
          write_string (out, json_node_get_string (node));
          return;
        default:
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }

  /* null, and the containers and strings that hold nothing: JSON's word
   * for nothing */
  g_string_append (out, "null");
}

static void
write_field (GString          *out,
             const HordeModel *m,
             guint             i)
{
  const HordeFieldInfo *f = &m->info->fields[i];
  gconstpointer p = HORDE_MODEL_FIELD_PTR (m, f);

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      {
        const char *s = *(char * const *) p;

        /* a number the server sent for a string goes back as that
         * number: the reader keeps its text in JSON's own form */
        if (m->numeric & HORDE_MODEL_FIELD_BIT (i))
          g_string_append (out, s);
        else
          write_string (out, s);
      }
      break;
    case HORDE_FIELD_BOOLEAN:
      g_string_append (out, *(const gboolean *) p ? "true" : "false");
      break;
    case HORDE_FIELD_INT:
      write_int (out, *(const gint64 *) p);
      break;
    case HORDE_FIELD_DOUBLE:
      write_double (out, *(const double *) p);
      break;
    case HORDE_FIELD_MODEL:
      horde_model_write (*(gconstpointer const *) p, out);
      break;
    case HORDE_FIELD_STRV:
      {
        char * const *strv = *(char ** const *) p;

        g_string_append_c (out, '[');
        for (guint j = 0; strv[j]; j++)
          {
            if (j > 0)
              g_string_append_c (out, ',');
            write_string (out, strv[j]);
          }
        g_string_append_c (out, ']');
      }
      break;
    case HORDE_FIELD_INT_ARRAY:
      {
        const GArray *ints = *(GArray * const *) p;

        g_string_append_c (out, '[');
        for (guint j = 0; j < ints->len; j++)
          {
            if (j > 0)
              g_string_append_c (out, ',');
            write_int (out, g_array_index (ints, gint64, j));
          }
        g_string_append_c (out, ']');
      }
      break;
    case HORDE_FIELD_MODEL_ARRAY:
      {
        const GPtrArray *items = *(GPtrArray * const *) p;

        g_string_append_c (out, '[');
        for (guint j = 0; j < items->len; j++)
          {
            if (j > 0)
              g_string_append_c (out, ',');
            horde_model_write (items->pdata[j], out);
          }
        g_string_append_c (out, ']');
      }
      break;
    case HORDE_FIELD_JSON:
      horde_json_write_node (out, *(JsonNode * const *) p);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* One field's value as JSON text, for horde_model_dup_field_string() */
void
horde_model_write_field (gconstpointer  model,
                         guint          field,
                         GString       *out)
{
  write_field (out, model, field);
}

void
horde_model_write (gconstpointer  model,
                   GString       *out)
{
  const HordeModel *m = model;
  gboolean first = TRUE;

  if (m->info->is_list)
    {
      write_field (out, m, 0);
      return;
    }

  g_string_append_c (out, '{');
  for (guint i = 0; i < m->info->n_fields; i++)
    {
      const HordeFieldInfo *f = &m->info->fields[i];

      if (!(m->set & HORDE_MODEL_FIELD_BIT (i)) || f->location != HORDE_FIELD_LOCATION_BODY)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_string (out, f->json_name);
      g_string_append_c (out, ':');
      write_field (out, m, i);
    }

  if (m->extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, m->extra);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          const HordeFieldInfo *f = horde_model_info_find_field (m->info, name);

          /* a member given twice, first with a value its field took */
          if (f != NULL && f->location == HORDE_FIELD_LOCATION_BODY &&
              (m->set & HORDE_MODEL_FIELD_BIT (f - m->info->fields)))
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          write_string (out, name);
          g_string_append_c (out, ':');
          horde_json_write_node (out, node);
        }
    }
  g_string_append_c (out, '}');
}

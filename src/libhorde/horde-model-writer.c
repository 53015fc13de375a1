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

#include <math.h>
#include <string.h>

#include "horde-model-private.h"

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

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

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

/* The shortest text that reads back as the same double, and still reads
 * as a number with a fraction */
static void
write_double (GString *out,
              double   d)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (d))
    {
      g_string_append (out, "null");   /* JSON has no infinities */
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
write_int (GString *out,
           gint64   v)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_string_append (out, text);
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

        /* a number the server sent for a string goes back as a number */
        if (m->numeric & HORDE_MODEL_FIELD_BIT (i))
          {
            gint64 iv;
            char *end = NULL;
            double dv;

            if (g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &iv, NULL))
              {
                write_int (out, iv);
                return;
              }
            dv = g_ascii_strtod (s, &end);
            if (end != s && *end == '\0')
              {
                write_double (out, dv);
                return;
              }
          }
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
      write_node (out, *(JsonNode * const *) p);
      break;
    default:
      g_assert_not_reached ();
    }
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

      json_object_iter_init (&iter, m->extra);
      while (json_object_iter_next (&iter, &name, &node))
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
          write_node (out, node);
        }
    }
  g_string_append_c (out, '}');
}

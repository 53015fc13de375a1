/* horde-model-reader.c: JSON text straight into models
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Building a JsonNode tree first and then copying it into models costs
 * twice, and json-glib's tree is the slow half (see the parse benchmark).
 * This reader walks the text once, guided by the field tables: a member
 * that has a field is decoded into it directly; anything else (a member we
 * do not know, a value of the wrong type, a null) becomes a JsonNode among
 * the extra members, exactly as horde_model_new_from_json_node() keeps it.
 *
 * What it makes of the text, where JSON allows more than C does:
 *  - an escaped U+0000 ("\u0000") becomes U+FFFD, the replacement
 *    character, in strings and member names alike: every string of a model
 *    is a nul-terminated C string, and one NUL in a worker's name must not
 *    fail the whole list of workers. A raw NUL byte is a control character,
 *    which JSON does not allow in a string: the text is refused.
 *  - a number past the range of a double ("1e400", "-1e400") becomes the
 *    largest double of its sign, ±DBL_MAX: JSON has no infinity, and a
 *    model read from text must never hold a value that the writer cannot
 *    write back as JSON. One too small for a double becomes 0 (or the
 *    nearest subnormal), as strtod() rounds it.
 *  - an integer that does not fit gint64 is kept as a double, never
 *    wrapped around.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "horde-error.h"
#include "horde-json-private.h"
#include "horde-model-private.h"

#define MAX_DEPTH HORDE_JSON_MAX_DEPTH

typedef struct {
  const char *start;
  const char *p;
  const char *end;
  guint depth;
  GError *error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Reader     *r,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  guint line = 1, column = 1;
  va_list args;

  if (r->error != NULL)
    return FALSE;

  for (const char *q = r->start; q < r->p && q < r->end; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  r->error = g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_JSON,
                          _("Not valid JSON: %s at line %u, column %u"), what, line, column);
  return FALSE;
}

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static inline int
peek (Reader *r)
{
  skip_space (r);
  return r->p < r->end ? (guchar) *r->p : -1;
}

static gboolean
expect (Reader *r,
        char    c)
{
  if (peek (r) != c)
    {
      if (r->p >= r->end)
        return fail (r, "the text ends where “%c” was expected", c);
      return fail (r, "“%c” expected", c);
    }
  r->p++;
  return TRUE;
}

static gboolean
literal (Reader     *r,
         const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return fail (r, "unexpected character");
  r->p += len;
  return TRUE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Reader   *r,
           gunichar *out)
{
  gunichar v = 0;

  if (r->end - r->p < 4)
    return fail (r, "a \\u escape is cut short");
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (r->p[i]);

      if (d < 0)
        return fail (r, "a \\u escape has a character that is not hexadecimal");
      v = (v << 4) | d;
    }
  r->p += 4;
  *out = v;
  return TRUE;
}

/* Reads a string at r->p (on its opening quote). The common case, without
 * escapes, is a plain copy; either way the result is validated UTF-8. */
static char *
read_string (Reader *r,
             gsize  *out_len)
{
  const char *begin;
  GString *s;

  if (peek (r) != '"')
    {
      fail (r, "a string was expected");
      return NULL;
    }
  begin = ++r->p;

  /* fast path: no escape before the closing quote */
  for (const char *q = begin; q < r->end; q++)
    {
      if (*q == '"')
        {
          gsize len = q - begin;

          if (!g_utf8_validate_len (begin, len, NULL))
            {
              fail (r, "a string is not valid UTF-8");
              return NULL;
            }
          r->p = q + 1;
          if (out_len)
            *out_len = len;
          return g_strndup (begin, len);
        }
      if (*q == '\\')
        break;
      if ((guchar) *q < 0x20)
        {
          r->p = q;
          fail (r, "a control character inside a string");
          return NULL;
        }
    }

  s = g_string_sized_new (32);
  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == '"')
        {
          r->p++;
          if (!g_utf8_validate_len (s->str, s->len, NULL))
            {
              fail (r, "a string is not valid UTF-8");
              g_string_free (s, TRUE);
              return NULL;
            }
          if (out_len)
            *out_len = s->len;
          return g_string_free (s, FALSE);
        }
      if ((guchar) c < 0x20)
        {
          fail (r, "a control character inside a string");
          break;
        }
      if (c != '\\')
        {
          g_string_append_c (s, c);
          r->p++;
          continue;
        }

      r->p++;
      if (r->p >= r->end)
        break;
      c = *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/': g_string_append_c (s, '/'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'n': g_string_append_c (s, '\n'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!read_hex4 (r, &u))
              goto error;
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                  {
                    fail (r, "a lone UTF-16 surrogate in a \\u escape");
                    goto error;
                  }
                r->p += 2;
                if (!read_hex4 (r, &low))
                  goto error;
                if (low < 0xdc00 || low > 0xdfff)
                  {
                    fail (r, "a lone UTF-16 surrogate in a \\u escape");
                    goto error;
                  }
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (u >= 0xdc00 && u <= 0xdfff)
              {
                fail (r, "a lone UTF-16 surrogate in a \\u escape");
                goto error;
              }
            /* a C string ends at its first NUL: U+0000 becomes U+FFFD,
             * as the header comment says */
            if (u == 0)
              u = 0xfffd;
            g_string_append_unichar (s, u);
          }
          break;
        default:
          r->p--;
          fail (r, "an unknown escape “\\%c”", c);
          goto error;
        }
    }

  if (r->error == NULL)
    fail (r, "the text ends inside a string");

error:
  g_string_free (s, TRUE);
  return NULL;
}

typedef struct {
  gboolean is_int;
  gboolean integral_text;   /* written without fraction or exponent */
  gint64 i;
  double d;
  const char *text;         /* as written, in the reader's text */
  gsize len;
} Number;

/* JSON's number grammar exactly; integers that fit stay integers, as
 * json-glib keeps them. */
static gboolean
read_number (Reader *r,
             Number *n)
{
  const char *begin = r->p, *q = r->p;
  gboolean negative = FALSE, fraction = FALSE;
  guint64 mag = 0;
  gboolean overflow = FALSE;

  if (q < r->end && *q == '-')
    {
      negative = TRUE;
      q++;
    }
  if (q >= r->end || !g_ascii_isdigit (*q))
    return fail (r, "a number was expected");
  if (*q == '0')
    q++;
  else
    while (q < r->end && g_ascii_isdigit (*q))
      {
        guint digit = *q - '0';

        if (mag > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          mag = mag * 10 + digit;
        q++;
      }

  if (q < r->end && *q == '.')
    {
      fraction = TRUE;
      q++;
      if (q >= r->end || !g_ascii_isdigit (*q))
        {
          r->p = q;
          return fail (r, "a digit was expected after the decimal point");
        }
      while (q < r->end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < r->end && (*q == 'e' || *q == 'E'))
    {
      fraction = TRUE;
      q++;
      if (q < r->end && (*q == '+' || *q == '-'))
        q++;
      if (q >= r->end || !g_ascii_isdigit (*q))
        {
          r->p = q;
          return fail (r, "a digit was expected in the exponent");
        }
      while (q < r->end && g_ascii_isdigit (*q))
        q++;
    }

  r->p = q;
  n->text = begin;
  n->len = q - begin;
  n->integral_text = !fraction;

  if (!fraction && !overflow &&
      (negative ? mag <= (guint64) G_MAXINT64 + 1 : mag <= (guint64) G_MAXINT64))
    {
      n->is_int = TRUE;
      n->i = negative ? (gint64) (0 - mag) : (gint64) mag;
      n->d = (double) n->i;
      return TRUE;
    }

  {
    char small[64];
    gsize len = q - begin;
    g_autofree char *big = NULL;
    char *text = small;

    if (len >= sizeof small)
      text = big = g_malloc (len + 1);
    memcpy (text, begin, len);
    text[len] = '\0';
    n->is_int = FALSE;
    n->d = g_ascii_strtod (text, NULL);
    /* JSON has no infinity, and a model must hold nothing that cannot be
     * written back as JSON: past the range, the largest double of the
     * sign (see the header comment) */
    if (G_UNLIKELY (isinf (n->d)))
      n->d = n->d > 0 ? DBL_MAX : -DBL_MAX;
  }

  return TRUE;
}

/* The number as a gint64, if it is an integer that gint64 holds, however
 * it was written ("2.0", "1e3"). The range comes first: converting a
 * double past it is undefined behaviour. -2^63 and 2^63 are exact as
 * doubles, so the bounds are too. */
static inline gboolean
number_to_int64 (const Number *n,
                 gint64       *out)
{
  if (n->is_int)
    {
      *out = n->i;
      return TRUE;
    }
  if (n->d >= -9223372036854775808.0 && n->d < 9223372036854775808.0 &&
      n->d == (double) (gint64) n->d)
    {
      *out = (gint64) n->d;
      return TRUE;
    }
  return FALSE;
}

static JsonNode *read_node (Reader *r);

static gboolean
enter (Reader *r)
{
  if (++r->depth > MAX_DEPTH)
    return fail (r, "values nest more than %d deep", MAX_DEPTH);
  return TRUE;
}

/* Any JSON value, as a node: members without a field, values of a type
 * their field cannot hold */
static JsonNode *
read_node (Reader *r)
{
  int c = peek (r);
  JsonNode *node = NULL;

  switch (c)
    {
    case '{':
      {
        JsonObject *object;

        if (!enter (r))
          return NULL;
        r->p++;
        object = json_object_new ();
        if (peek (r) == '}')
          r->p++;
        else
          for (;;)
            {
              g_autofree char *name = read_string (r, NULL);
              JsonNode *member;

              if (name == NULL || !expect (r, ':') || (member = read_node (r)) == NULL)
                {
                  json_object_unref (object);
                  return NULL;
                }
              json_object_set_member (object, name, member);
              if (peek (r) == ',')
                {
                  r->p++;
                  continue;
                }
              if (!expect (r, '}'))
                {
                  json_object_unref (object);
                  return NULL;
                }
              break;
            }
        r->depth--;
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }

    case '[':
      {
        JsonArray *array;

        if (!enter (r))
          return NULL;
        r->p++;
        array = json_array_new ();
        if (peek (r) == ']')
          r->p++;
        else
          for (;;)
            {
              JsonNode *element = read_node (r);

              if (element == NULL)
                {
                  json_array_unref (array);
                  return NULL;
                }
              json_array_add_element (array, element);
              if (peek (r) == ',')
                {
                  r->p++;
                  continue;
                }
              if (!expect (r, ']'))
                {
                  json_array_unref (array);
                  return NULL;
                }
              break;
            }
        r->depth--;
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }

    case '"':
      {
        char *s = read_string (r, NULL);

        if (s == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), s);
        g_free (s);
        return node;
      }

    case 't':
      return literal (r, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return literal (r, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return literal (r, "null") ? json_node_init_null (json_node_alloc ()) : NULL;

    case -1:
      fail (r, "the text ends where a value was expected");
      return NULL;

    default:
      if (c == '-' || g_ascii_isdigit (c))
        {
          Number n;

          if (!read_number (r, &n))
            return NULL;
          return n.is_int ? json_node_init_int (json_node_alloc (), n.i)
                          : json_node_init_double (json_node_alloc (), n.d);
        }
      fail (r, "unexpected character “%c”", c);
      return NULL;
    }
}

static HordeModel *read_object (Reader *r, const HordeModelInfo *info);

/* Reads "[ item, … ]" of models; FALSE (not an error) when an item is not
 * an object: the caller then rereads the whole array as a node */
static gboolean
read_model_array (Reader               *r,
                  const HordeModelInfo *item_info,
                  GPtrArray           **out)
{
  g_autoptr(GPtrArray) items = horde_model_array_new (8);

  if (!enter (r))
    return FALSE;
  r->p++;
  if (peek (r) == ']')
    {
      r->p++;
      r->depth--;
      *out = g_steal_pointer (&items);
      return TRUE;
    }

  for (;;)
    {
      HordeModel *item;

      if (peek (r) != '{')
        return FALSE;
      item = read_object (r, item_info);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (items, item);
      if (peek (r) == ',')
        {
          r->p++;
          continue;
        }
      if (!expect (r, ']'))
        return FALSE;
      break;
    }

  r->depth--;
  *out = g_steal_pointer (&items);
  return TRUE;
}

/* Reads an array of strings or of integers; FALSE when an element is of
 * another type (not an error: the array is reread as a node) */
static gboolean
read_scalar_array (Reader   *r,
                   gboolean  strings,
                   gpointer *out)
{
  g_autoptr(GPtrArray) strv = strings ? g_ptr_array_new_with_free_func (g_free) : NULL;
  g_autoptr(GArray) ints = strings ? NULL : g_array_new (FALSE, FALSE, sizeof (gint64));

  r->p++;
  if (peek (r) != ']')
    for (;;)
      {
        int c = peek (r);

        if (strings)
          {
            char *s;

            if (c != '"' || (s = read_string (r, NULL)) == NULL)
              return FALSE;
            g_ptr_array_add (strv, s);
          }
        else
          {
            Number n;
            gint64 v;

            /* what an integer field takes: 2.0 and 1e1 too */
            if ((c != '-' && !g_ascii_isdigit (c)) || !read_number (r, &n) || !number_to_int64 (&n, &v))
              return FALSE;
            g_array_append_val (ints, v);
          }

        if (peek (r) == ',')
          {
            r->p++;
            continue;
          }
        break;
      }
  if (!expect (r, ']'))
    return FALSE;

  if (strings)
    {
      g_ptr_array_add (strv, NULL);
      *out = g_ptr_array_steal (strv, NULL);
    }
  else
    *out = g_steal_pointer (&ints);

  return TRUE;
}

/* Reads the value of member @i straight into its field. FALSE (without
 * an error) means the value does not fit the field: the caller rewinds and
 * keeps it as a node. */
static gboolean
read_field (Reader     *r,
            HordeModel *m,
            guint       i)
{
  const HordeFieldInfo *f = &m->info->fields[i];
  gpointer p = HORDE_MODEL_FIELD_PTR (m, f);
  int c = peek (r);
  Number n;

  /* a repeated member: the last wins, even when it does not fit and
   * goes among the extra members */
  if (m->set & HORDE_MODEL_FIELD_BIT (i))
    horde_model_field_clear (m, i);

  if (c == 'n')
    return FALSE;

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      if (c == '"')
        {
          char *s = read_string (r, NULL);

          if (s == NULL)
            return FALSE;
          *(char **) p = s;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          char buf[HORDE_JSON_DOUBLE_BUF_SIZE];

          if (!read_number (r, &n))
            return FALSE;
          /* A number for a string (a worker's seed): its text, which the
           * writer sends back as the number, as it is. An integer as the
           * server wrote it, to the last digit even past gint64 ("-0"
           * too); anything else as the writer writes its double, finite
           * (see read_number()): the text written then reads back as the
           * same text. */
          if (n.integral_text)
            *(char **) p = g_strndup (n.text, n.len);
          else
            *(char **) p = g_strndup (buf, horde_json_format_double (buf, n.d));
          m->numeric |= HORDE_MODEL_FIELD_BIT (i);
        }
      else
        return FALSE;
      break;

    case HORDE_FIELD_BOOLEAN:
      if (c == 't' && literal (r, "true"))
        *(gboolean *) p = TRUE;
      else if (c == 'f' && literal (r, "false"))
        *(gboolean *) p = FALSE;
      else
        return FALSE;
      break;

    case HORDE_FIELD_INT:
      if ((c != '-' && !g_ascii_isdigit (c)) || !read_number (r, &n) ||
          !number_to_int64 (&n, (gint64 *) p))
        return FALSE;
      break;

    case HORDE_FIELD_DOUBLE:
      if ((c != '-' && !g_ascii_isdigit (c)) || !read_number (r, &n))
        return FALSE;
      *(double *) p = n.d;
      break;

    case HORDE_FIELD_MODEL:
      {
        HordeModel *nested;

        if (c != '{' || (nested = read_object (r, f->model)) == NULL)
          return FALSE;
        *(gpointer *) p = nested;
      }
      break;

    case HORDE_FIELD_STRV:
    case HORDE_FIELD_INT_ARRAY:
      if (c != '[' || !read_scalar_array (r, f->kind == HORDE_FIELD_STRV, p))
        return FALSE;
      break;

    case HORDE_FIELD_MODEL_ARRAY:
      if (c != '[' || !read_model_array (r, f->model, (GPtrArray **) p))
        return FALSE;
      break;

    case HORDE_FIELD_JSON:
      {
        JsonNode *node = read_node (r);

        if (node == NULL)
          return FALSE;
        json_node_seal (node);
        *(JsonNode **) p = node;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  m->set |= HORDE_MODEL_FIELD_BIT (i);
  return TRUE;
}

static HordeModel *
read_object (Reader               *r,
             const HordeModelInfo *info)
{
  HordeModel *m;
  guint64 in_extra = 0;   /* fields of which a value went among the extra members */

  if (!enter (r))
    return NULL;
  if (!expect (r, '{'))
    return NULL;

  m = horde_model_new (info);

  if (peek (r) == '}')
    r->p++;
  else
    for (;;)
      {
        g_autofree char *name = read_string (r, NULL);
        const HordeFieldInfo *f;
        const char *value_start;
        guint depth;

        if (name == NULL || !expect (r, ':'))
          goto error;

        skip_space (r);
        value_start = r->p;
        depth = r->depth;
        f = horde_model_info_find_field (info, name);
        if (f == NULL || f->location != HORDE_FIELD_LOCATION_BODY ||
            !read_field (r, m, f - info->fields))
          {
            JsonNode *node;

            if (r->error != NULL)
              goto error;
            /* not a fit for the field: read it again, as it is, from
             * where it started (in the text and in depth: an attempt
             * given up halfway leaves its levels counted) */
            r->p = value_start;
            r->depth = depth;
            if ((node = read_node (r)) == NULL)
              goto error;
            horde_model_extra_set (m, name, node);
            if (f != NULL && f->location == HORDE_FIELD_LOCATION_BODY)
              in_extra |= HORDE_MODEL_FIELD_BIT (f - info->fields);
          }

        if (peek (r) == ',')
          {
            r->p++;
            continue;
          }
        if (!expect (r, '}'))
          goto error;
        break;
      }

  r->depth--;
  if (m->extra != NULL)
    {
      /* A member given more than once, whose last value fit its field
       * after an earlier one did not: the last wins, and the extra member
       * of the earlier one goes. (Every attempt clears the field, so a
       * field still set holds the last value.) Once per object, not per
       * member: a removal walks all the members. */
      guint64 stale = in_extra & m->set;

      if (G_UNLIKELY (stale != 0))
        for (guint i = 0; i < info->n_fields; i++)
          if (stale & HORDE_MODEL_FIELD_BIT (i))
            json_object_remove_member (m->extra, info->fields[i].json_name);
      json_object_seal (m->extra);
    }
  return m;

error:
  horde_model_unref (m);
  return NULL;
}

/* Any JSON text as a tree: error bodies and answers that are no model.
 * The same rules as for models (the depth limit first of all: json-glib's
 * parser recurses without one, and a hostile server's 100 KB of "[" would
 * overflow the stack), and an immutable tree, as json-glib's immutable
 * parser makes it. */
JsonNode *
horde_json_read (const char  *data,
                 gsize        length,
                 GError     **error)
{
  Reader r = { data, data, data + length, 0, NULL };
  JsonNode *node = NULL;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    r.p += 3;

  if (peek (&r) == -1)
    fail (&r, "the text is empty");
  else if ((node = read_node (&r)) != NULL && peek (&r) != -1)
    fail (&r, "more text after the value");

  if (r.error != NULL)
    {
      g_clear_pointer (&node, json_node_unref);
      g_propagate_error (error, r.error);
      return NULL;
    }

  json_node_seal (node);
  return node;
}

gpointer
horde_model_read (const HordeModelInfo  *info,
                  const char            *data,
                  gsize                  length,
                  GError               **error)
{
  Reader r = { data, data, data + length, 0, NULL };
  HordeModel *m = NULL;
  int c;

  /* a byte order mark, which some servers and editors put first */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    r.p += 3;

  c = peek (&r);
  if (c == -1)
    fail (&r, "the text is empty");
  else if (info->is_list)
    {
      if (c != '[')
        {
          g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON,
                       _("Expected a JSON array for %s"), info->schema);
          return NULL;
        }
      m = horde_model_new (info);
      if (read_model_array (&r, info->fields[0].model,
                            HORDE_MODEL_FIELD_PTR (m, &info->fields[0])))
        m->set = 1;
      else if (r.error == NULL)
        {
          g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON,
                       _("Expected a JSON array of objects for %s"), info->schema);
          horde_model_unref (m);
          return NULL;
        }
    }
  else if (c != '{')
    {
      /* say what it is, when it is at least JSON */
      JsonNode *node = read_node (&r);

      if (node != NULL)
        {
          g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON,
                       _("Expected a JSON object for %s, got %s"), info->schema,
                       json_node_type_name (node));
          json_node_unref (node);
          return NULL;
        }
    }
  else
    m = read_object (&r, info);

  if (r.error == NULL && peek (&r) != -1)
    fail (&r, "more text after the value");

  if (r.error != NULL)
    {
      g_clear_pointer (&m, horde_model_unref);
      g_propagate_error (error, r.error);
      return NULL;
    }

  return m;
}

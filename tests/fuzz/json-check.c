/* json-check.c: a strict RFC 8259 grammar check, independent of libhorde
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The oracle of the model reader's round trip: text is JSON when it is one
 * value of RFC 8259's grammar, with optional whitespace around it, in valid
 * UTF-8 (section 8.1: no overlong forms, no encoded surrogates, nothing
 * past U+10FFFF). Nothing is built: this only says yes or no, and notes
 * what a reader may rightly refuse (nesting, \u escapes). Recursive: its
 * callers read the text first with a reader that stops at 512 levels.
 */

#include <string.h>

#include "json-check.h"

typedef struct {
  const guchar *p;
  const guchar *end;
  guint depth;
  JsonCheck *info;
} Check;

static gboolean check_value (Check *c);

static void
skip_ws (Check *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static gboolean
eat (Check *c,
     char   ch)
{
  if (c->p >= c->end || *c->p != (guchar) ch)
    return FALSE;
  c->p++;
  return TRUE;
}

/* one UTF-8 sequence at c->p, whose first byte is ≥ 0x80 */
static gboolean
check_utf8 (Check *c)
{
  guchar b = *c->p;
  guint n, cp;

  if (b >= 0xc2 && b <= 0xdf)
    n = 1, cp = b & 0x1f;
  else if (b >= 0xe0 && b <= 0xef)
    n = 2, cp = b & 0x0f;
  else if (b >= 0xf0 && b <= 0xf4)
    n = 3, cp = b & 0x07;
  else
    return FALSE;
  if (c->end - c->p <= n)
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      if ((c->p[i] & 0xc0) != 0x80)
        return FALSE;
      cp = (cp << 6) | (c->p[i] & 0x3f);
    }
  if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
    return FALSE;
  c->p += n + 1;
  return TRUE;
}

static int
hex4 (Check *c)
{
  int v = 0;

  if (c->end - c->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      guchar h = *c->p++;

      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= h - '0';
      else if (h >= 'a' && h <= 'f')
        v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v |= h - 'A' + 10;
      else
        return -1;
    }
  return v;
}

static gboolean
check_string (Check *c)
{
  if (!eat (c, '"'))
    return FALSE;
  while (c->p < c->end)
    {
      guchar b = *c->p;

      if (b == '"')
        {
          c->p++;
          return TRUE;
        }
      if (b < 0x20)
        return FALSE;
      if (b >= 0x80)
        {
          if (!check_utf8 (c))
            return FALSE;
          continue;
        }
      c->p++;
      if (b != '\\')
        continue;
      if (c->p >= c->end)
        return FALSE;
      b = *c->p++;
      if (b == 'u')
        {
          int u = hex4 (c);

          if (u < 0)
            return FALSE;
          if (u == 0)
            c->info->nul_escape = TRUE;
          if (u >= 0xd800 && u <= 0xdbff && c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u')
            {
              const guchar *save = c->p;
              int low;

              c->p += 2;
              low = hex4 (c);
              if (low < 0)
                return FALSE;
              if (low < 0xdc00 || low > 0xdfff)
                {
                  c->info->lone_surrogate = TRUE;
                  c->p = save;            /* the second escape stands on its own */
                }
            }
          else if (u >= 0xd800 && u <= 0xdfff)
            c->info->lone_surrogate = TRUE;
        }
      else if (strchr ("\"\\/bfnrt", b) == NULL || b == '\0')
        return FALSE;
    }
  return FALSE;
}

static gboolean
digits (Check *c)
{
  const guchar *start = c->p;

  while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
    c->p++;
  return c->p > start;
}

static gboolean
check_number (Check *c)
{
  eat (c, '-');
  if (eat (c, '0'))
    ;
  else if (c->p >= c->end || *c->p < '1' || *c->p > '9' || !digits (c))
    return FALSE;
  if (eat (c, '.') && !digits (c))
    return FALSE;
  if (eat (c, 'e') || eat (c, 'E'))
    {
      if (!eat (c, '+'))
        eat (c, '-');
      if (!digits (c))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_literal (Check      *c,
               const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (c->end - c->p) < len || memcmp (c->p, word, len) != 0)
    return FALSE;
  c->p += len;
  return TRUE;
}

/* "{…}" or "[…]"; at the top, notes whether an array holds only objects */
static gboolean
check_container (Check *c,
                 char   close)
{
  gboolean top_array = c->depth == 0 && close == ']';

  c->p++;
  if (++c->depth > c->info->max_depth)
    c->info->max_depth = c->depth;
  skip_ws (c);
  if (!eat (c, close))
    for (;;)
      {
        skip_ws (c);
        if (close == '}')
          {
            if (!check_string (c))
              return FALSE;
            skip_ws (c);
            if (!eat (c, ':'))
              return FALSE;
            skip_ws (c);
          }
        else if (top_array && (c->p >= c->end || *c->p != '{'))
          c->info->array_of_objects = FALSE;
        if (!check_value (c))
          return FALSE;
        skip_ws (c);
        if (eat (c, ','))
          continue;
        if (!eat (c, close))
          return FALSE;
        break;
      }
  c->depth--;
  return TRUE;
}

static gboolean
check_value (Check *c)
{
  if (c->p >= c->end)
    return FALSE;
  switch (*c->p)
    {
    case '{': return check_container (c, '}');
    case '[': return check_container (c, ']');
    case '"': return check_string (c);
    case 't': return check_literal (c, "true");
    case 'f': return check_literal (c, "false");
    case 'n': return check_literal (c, "null");
    default: return check_number (c);
    }
}

gboolean
json_check (const char *text,
            gsize       len,
            JsonCheck  *info)
{
  Check c = { (const guchar *) text, (const guchar *) text + len, 0, info };

  memset (info, 0, sizeof *info);
  skip_ws (&c);
  info->top = c.p < c.end ? *c.p : '\0';
  info->array_of_objects = info->top == '[';
  if (!check_value (&c))
    return FALSE;
  skip_ws (&c);
  return c.p == c.end;
}

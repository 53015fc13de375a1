/* horde-file-name.c: one file name component from a string a server chose
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-file-name.h"

#define REPLACEMENT '_'

/* Characters no file name gets: controls (C0, DEL, C1), the separators and
 * the characters that Windows, FAT and the document portal refuse, and the
 * invisible marks that reorder text (a name could show an extension that
 * is not its own: "image", U+202E, "gpj.exe" shows as "imageexe.jpg"). */
static gboolean
is_refused (gunichar c)
{
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
    return TRUE;
  if (c < 0x80)
    return strchr ("/\\<>:\"|?*", (int) c) != NULL;
  return c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

/* Windows reserves these names, whatever their extension */
static gboolean
is_reserved_on_windows (const char *name)
{
  static const char * const reserved[] = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
    "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
  };
  gsize base = strcspn (name, ".");

  /* Windows ignores the spaces after the base, too */
  while (base > 0 && name[base - 1] == ' ')
    base--;

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (strlen (reserved[i]) == base && g_ascii_strncasecmp (name, reserved[i], base) == 0)
      return TRUE;
  return FALSE;
}

static void
trim_trailing (GString *name)
{
  while (name->len > 0 && (name->str[name->len - 1] == '.' || name->str[name->len - 1] == ' '))
    g_string_truncate (name, name->len - 1);
}

/* Cuts valid UTF-8 @name to at most @max bytes, between two characters */
static void
cut (GString *name,
     gsize    max)
{
  gsize end = max;

  if (name->len <= max)
    return;
  while (end > 0 && ((guchar) name->str[end] & 0xc0) == 0x80)
    end--;
  g_string_truncate (name, end);
}

/**
 * horde_sanitize_file_name:
 * @text: (nullable): a string from a server, such as a job or generation id
 * @length: the length of @text in bytes, or -1 if it ends at its first NUL
 *
 * Makes one safe file name component out of a string a server chose, for
 * a program that names files after what a server sent (a job id, a form
 * name): the answer never leaves the folder it is put in, never hides,
 * never reads as an option to a shell tool, and can be written on any
 * common file system.
 *
 * The name is @text with:
 *
 * - each byte that does not belong to valid UTF-8, and each NUL, replaced
 *   by `_`;
 * - `/` and `\`, the control characters (U+0000–U+001F, U+007F and the C1
 *   range U+0080–U+009F), the characters that Windows, FAT and the document
 *   portal refuse (`< > : " | ? *`) and the marks that reorder text
 *   (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) replaced by `_`;
 * - cut to at most %HORDE_FILE_NAME_MAX_BYTES bytes, between two
 *   characters, so that `NAME-NUMBER.EXTENSION` fits a 255-byte limit;
 * - its trailing dots and spaces removed (Windows drops them);
 * - `_` for a name that would be empty, `.` or `..`, and `_` in place of
 *   a first character `.` (a hidden file) or `-` (an option to a shell
 *   tool);
 * - `_` before a name Windows reserves for a device (`CON`, `NUL`, `COM1`…,
 *   with or without an extension).
 *
 * Any other character is kept, so that a name the server meant to be
 * readable stays readable: `../../escape/pwned` becomes
 * `_._.._escape_pwned`, and a plain UUID is unchanged. Two different
 * strings may give the same name: a program that must not replace a file
 * checks for one.
 *
 * Returns: (transfer full) (not nullable): a file name of 1 to
 *   %HORDE_FILE_NAME_MAX_BYTES bytes of valid UTF-8
 */
char *
horde_sanitize_file_name (const char *text,
                          gssize      length)
{
  GString *name;
  const char *p, *end;

  if (text == NULL)
    {
      text = "";
      length = 0;
    }
  else if (length < 0)
    length = strlen (text);
  end = text + length;

  name = g_string_sized_new (MIN ((gsize) length, HORDE_FILE_NAME_MAX_BYTES) + 2);
  for (p = text; p < end && name->len < HORDE_FILE_NAME_MAX_BYTES;)
    {
      /* (gunichar) -2 for a NUL, an incomplete sequence at the end;
       * (gunichar) -1 for any other invalid sequence */
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (name, REPLACEMENT);
          p++;
          continue;
        }

      if (is_refused (c))
        g_string_append_c (name, REPLACEMENT);
      else
        {
          const char *next = g_utf8_next_char (p);

          if (name->len + (next - p) > HORDE_FILE_NAME_MAX_BYTES)
            break;
          g_string_append_len (name, p, next - p);
        }
      p = g_utf8_next_char (p);
    }

  trim_trailing (name);

  if (name->len == 0)
    g_string_append_c (name, REPLACEMENT);
  else if (name->str[0] == '.' || name->str[0] == '-')
    name->str[0] = REPLACEMENT;

  if (is_reserved_on_windows (name->str))
    {
      g_string_prepend_c (name, REPLACEMENT);
      cut (name, HORDE_FILE_NAME_MAX_BYTES);
      trim_trailing (name);
    }

  return g_string_free (name, FALSE);
}

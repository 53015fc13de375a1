/* horde-cli-output.c: what `horde` prints, made safe for a terminal
 *
 * Worker names, news, messages, model and style names, job ids: most of
 * what the command line prints was chosen by a server or by any worker's
 * operator, and a terminal acts on control characters. ESC[2J clears the
 * screen, ESC]0;…BEL sets the window title, ESC[6n makes the terminal
 * type an answer into the user's input, \r hides what came before on the
 * line, and U+009B (or the byte 0x9B) is CSI on some terminals.
 *
 * So everything goes out through one door: g_print() and g_printerr()
 * have handlers (installed by horde_cli_output_init() at start-up) that
 * pass the text through horde_cli_safe_text() before writing it. Every
 * control character but \n and \t becomes U+FFFD (�): C0 with ESC, \r
 * (except right before \n, where it is dropped: text with CRLF lines
 * prints as it reads), DEL and the C1 range U+0080–U+009F; so does each
 * byte that is not valid UTF-8. What is left of an escape sequence stays
 * visible ("�[2J"), so that a person sees that something was there. In a
 * locale that is not UTF-8 the text is then converted as GLib's own
 * handlers do, with ? for what the charset lacks (� too).
 *
 * --json output goes through the same door unharmed: the JSON writer
 * escapes controls, and a replaced character inside a string leaves the
 * document valid. The progress line of a job is the one place that needs
 * control bytes of its own (\r and ESC[K on a terminal): it writes those
 * itself and passes its text through horde_cli_write().
 *
 * GLib's log writer (g_warning(), g_debug() under G_MESSAGES_DEBUG) escapes
 * the same characters itself.
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-cli.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6"    /* … */

static gboolean
is_control (gunichar c)
{
  return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
}

/* @text (nullable) with every control character but \n and \t, and each
 * byte that is not valid UTF-8, replaced by U+FFFD (a \r right before \n
 * is dropped); with @one_line, \n and \r are spaces instead; cut after
 * @max_chars characters (-1: all of them) with "…" in place of the rest.
 * The result is valid UTF-8 that a terminal only shows. */
char *
horde_cli_safe_text (const char *text,
                     gssize      max_chars,
                     gboolean    one_line)
{
  const char *p, *end;
  GString *safe;
  gsize chars = 0;

  if (text == NULL)
    return g_strdup ("");

  end = text + strlen (text);
  /* at most 4 bytes a character, and the "…" */
  safe = g_string_sized_new (max_chars >= 0 ? MIN ((gsize) (end - text), (gsize) max_chars * 4 + 3)
                                            : (gsize) (end - text));

  for (p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      const char *piece = REPLACEMENT;
      gsize length = strlen (REPLACEMENT);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        p++;
      else
        {
          const char *next = g_utf8_next_char (p);

          if (one_line && (c == '\n' || c == '\r'))
            {
              piece = " ";
              length = 1;
            }
          else if (c == '\r' && *next == '\n')
            {
              p = next;
              continue;
            }
          else if (!is_control (c))
            {
              piece = p;
              length = next - p;
            }
          p = next;
        }

      if (max_chars >= 0 && chars == (gsize) max_chars)
        {
          g_string_append (safe, ELLIPSIS);
          break;
        }
      g_string_append_len (safe, piece, length);
      chars++;
    }

  return g_string_free (safe, FALSE);
}

/* One name or id of the server's on a line of the program's: one line,
 * at most HORDE_CLI_MAX_NAME characters */
char *
horde_cli_name (const char *text)
{
  return horde_cli_safe_text (text, HORDE_CLI_MAX_NAME, TRUE);
}

/* Each character outside ASCII as ?: the last resort when the locale's
 * charset cannot be converted to */
static char *
ascii_only (const char *utf8)
{
  GString *ascii = g_string_sized_new (strlen (utf8));

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_c (ascii, (guchar) *p < 0x80 ? *p : '?');
  return g_string_free (ascii, FALSE);
}

/* Writes @text (stdout or stderr) through horde_cli_safe_text(), in the
 * charset of the locale, and flushes @stream: what g_print() and
 * g_printerr() do. */
void
horde_cli_write (FILE       *stream,
                 const char *text)
{
  g_autofree char *safe = horde_cli_safe_text (text, -1, FALSE);
  const char *charset;

  if (g_get_console_charset (&charset))
    fputs (safe, stream);
  else
    {
      g_autofree char *local = g_convert_with_fallback (safe, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      if (local == NULL)
        local = ascii_only (safe);
      fputs (local, stream);
    }
  fflush (stream);
}

static void
print_safely (const char *text)
{
  horde_cli_write (stdout, text);
}

static void
printerr_safely (const char *text)
{
  horde_cli_write (stderr, text);
}

/* Sends everything g_print() and g_printerr() print through
 * horde_cli_safe_text() */
void
horde_cli_output_init (void)
{
  g_set_print_handler (print_safely);
  g_set_printerr_handler (printerr_safely);
}

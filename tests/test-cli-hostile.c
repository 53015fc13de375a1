/* test-cli-hostile.c: the horde command line against a server that lies:
 * file names and terminal text taken from its answers must not let it
 * write outside the output folder or drive the user's terminal
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>
#include <string.h>

/* ---- the sanitiser of file names ------------------------------------ */

static void
test_sanitize_file_name (void)
{
  static const struct {
    const char *text;
    gssize length;
    const char *name;
  } cases[] = {
    /* separators and parent folders */
    { "../../escape/pwned", -1, "_._.._escape_pwned" },
    { "/etc/passwd", -1, "_etc_passwd" },
    { "..\\..\\windows", -1, "_._.._windows" },
    { "a/b\\c", -1, "a_b_c" },
    /* names that are no file, hidden, or an option */
    { "", -1, "_" },
    { NULL, -1, "_" },
    { ".", -1, "_" },
    { "..", -1, "_" },
    { "...", -1, "_" },
    { ".hidden", -1, "_hidden" },
    { "-rf", -1, "_rf" },
    { "--help", -1, "_-help" },
    { " -x", -1, " -x" },
    /* what Windows, FAT and the portals refuse */
    { "a<b>c:d\"e|f?g*h", -1, "a_b_c_d_e_f_g_h" },
    { "name. . ", -1, "name" },
    { "name . .", -1, "name" },
    { ". .", -1, "_" },
    { "CON", -1, "_CON" },
    { "nul.txt", -1, "_nul.txt" },
    { "com1", -1, "_com1" },
    { "Lpt9.webp", -1, "_Lpt9.webp" },
    { "con .txt", -1, "_con .txt" },
    { "CONSOLE", -1, "CONSOLE" },
    { "COM10", -1, "COM10" },
    /* controls: C0, DEL, C1 */
    { "a\tb\nc\rd\033[2J", -1, "a_b_c_d_[2J" },
    { "\033]0;title\007", -1, "_]0;title_" },
    { "x\177y", -1, "x_y" },
    { "x\302\233" "6n", -1, "x_6n" },
    { "x\302\200y\302\237z", -1, "x_y_z" },
    { "x\302\240y", -1, "x\302\240y" },
    /* text that reorders itself: U+202E, U+2066, U+200F */
    { "image\342\200\256gpj.exe", -1, "image_gpj.exe" },
    { "a\342\201\246b\342\200\217c", -1, "a_b_c" },
    /* invalid UTF-8: one _ a byte */
    { "x\377\376y", -1, "x__y" },
    { "x\342\202", -1, "x__" },
    { "\300\257", -1, "__" },
    { "\355\240\200", -1, "___" },
    { "\364\220\200\200", -1, "____" },
    /* embedded NUL and a length */
    { "ab\0cd", 5, "ab_cd" },
    { "abcdef", 3, "abc" },
    { "ab\0", 3, "ab_" },
    /* what is kept */
    { "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6", -1, "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6" },
    { "RealESRGAN_x2plus", -1, "RealESRGAN_x2plus" },
    { "été ☃ 猫", -1, "été ☃ 猫" },
    { "a.b..c", -1, "a.b..c" },
    { "x-", -1, "x-" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = horde_sanitize_file_name (cases[i].text, cases[i].length);

      g_test_message ("case %u", i);
      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_true (g_utf8_validate (name, -1, NULL));
    }
}

static void
test_sanitize_file_name_length (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpint (HORDE_FILE_NAME_MAX_BYTES, ==, 128);

  /* cut at 128 bytes */
  g_string_append (text, "a");
  for (guint i = 0; i < 300; i++)
    g_string_append_c (text, 'b');
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 128);
  g_assert_true (g_str_has_prefix (name, "abbb"));
  g_clear_pointer (&name, g_free);

  /* between two characters: 63 two-byte characters after one byte */
  g_string_assign (text, "a");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "é");
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 127);
  g_assert_cmpuint (g_utf8_strlen (name, -1), ==, 64);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_clear_pointer (&name, g_free);

  /* a cut that ends on a dot loses it */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 127; i++)
    g_string_append_c (text, 'c');
  g_string_append (text, ".webp");
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 127);
  g_assert_null (strchr (name, '.'));
  g_clear_pointer (&name, g_free);

  /* a reserved name keeps its prefix and the bound */
  g_string_assign (text, "CON.");
  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, 'x');
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 128);
  g_assert_true (g_str_has_prefix (name, "_CON.xxx"));
  g_clear_pointer (&name, g_free);

  /* controls are cut like the rest: 200 ESC are 128 _ */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, '\033');
  name = horde_sanitize_file_name (text->str, -1);
  expected = g_strnfill (128, '_');
  g_assert_cmpstr (name, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-name/sanitize", test_sanitize_file_name);
  g_test_add_func ("/file-name/length", test_sanitize_file_name_length);

  return g_test_run ();
}

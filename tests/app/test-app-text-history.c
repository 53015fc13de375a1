/* test-app-text-history.c: the text page's history store, without a window
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-text-history.h"
#include "horde-studio-text-page.h"
#include "store-fixture.h"

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  store_fixture_set_up (f, "horde-studio-text-history-XXXXXX", "text-history.json");
}

static void
add (HordeStudioTextHistory *history,
     const char             *story,
     const char * const     *texts,
     gint64                  time)
{
  HordeStudioTextHistoryEntry *entry = horde_studio_text_history_entry_new ();
  g_autoptr(GError) error = NULL;

  g_free (entry->story);
  entry->story = g_strdup (story);
  g_strfreev (entry->texts);
  entry->texts = g_strdupv ((char **) texts);
  entry->time = time;
  entry->max_length = 80;
  entry->max_context_length = 2048;
  g_assert_true (horde_studio_text_history_add (history, entry, &error));
  g_assert_no_error (error);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HordeStudioTextHistory) history = horde_studio_text_history_new (f->path, 10);
  g_autoptr(GError) error = NULL;

  g_assert_true (horde_studio_text_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (history), ==, 0);
  g_assert_null (horde_studio_text_history_get_entry (history, 0));
}

/* what one history wrote, another reads, every field; parameters left
 * to the worker stay unset */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HordeStudioTextHistory) history = horde_studio_text_history_new (f->path, 10);
  g_autoptr(HordeStudioTextHistory) again = horde_studio_text_history_new (f->path, 10);
  HordeStudioTextHistoryEntry *entry = horde_studio_text_history_entry_new ();
  const char *texts[] = { " and then \"she\" left.\n", " Ölgemälde.", NULL };
  const HordeStudioTextHistoryEntry *read;
  g_autoptr(GError) error = NULL;

  g_free (entry->story);
  entry->story = g_strdup ("Once upon a time");
  g_free (entry->model);
  entry->model = g_strdup ("koboldcpp/LLaMA2-13B-Psyfighter2");
  g_free (entry->softprompt);
  entry->softprompt = g_strdup ("fantasy");
  entry->max_length = 120;
  entry->max_context_length = 4096;
  entry->temperature = 0.75;
  entry->top_k = 40;
  g_strfreev (entry->texts);
  entry->texts = g_strdupv ((char **) texts);
  entry->kudos = 3.5;
  entry->time = 1700000000;
  g_assert_true (horde_studio_text_history_add (history, entry, &error));
  g_assert_no_error (error);
  add (history, "A second story", (const char *[]) { "more", NULL }, 1700000100);

  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (horde_studio_text_history_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (again), ==, 2);
  g_assert_cmpstr (horde_studio_text_history_get_entry (again, 0)->story, ==, "A second story");
  read = horde_studio_text_history_get_entry (again, 1);
  g_assert_cmpstr (read->story, ==, "Once upon a time");
  g_assert_cmpstr (read->model, ==, "koboldcpp/LLaMA2-13B-Psyfighter2");
  g_assert_cmpstr (read->softprompt, ==, "fantasy");
  g_assert_cmpint (read->max_length, ==, 120);
  g_assert_cmpint (read->max_context_length, ==, 4096);
  g_assert_cmpfloat_with_epsilon (read->temperature, 0.75, 1e-9);
  g_assert_cmpfloat (read->top_p, <, 0);
  g_assert_cmpint (read->top_k, ==, 40);
  g_assert_cmpfloat (read->rep_pen, <, 0);
  g_assert_cmpuint (g_strv_length (read->texts), ==, 2);
  g_assert_cmpstr (read->texts[0], ==, texts[0]);
  g_assert_cmpstr (read->texts[1], ==, texts[1]);
  g_assert_cmpfloat_with_epsilon (read->kudos, 3.5, 1e-9);
  g_assert_cmpint (read->time, ==, 1700000000);
}

/* the oldest go beyond the limit; a long story keeps its end */
static void
test_bounds (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HordeStudioTextHistory) history = horde_studio_text_history_new (f->path, 3);
  g_autoptr(HordeStudioTextHistory) again = horde_studio_text_history_new (f->path, 2);
  g_autoptr(GString) long_story = g_string_new ("BEGINNING");
  const char *story;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("story %d", i);
      add (history, text, (const char *[]) { "x", NULL }, i);
    }
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (history), ==, 3);
  g_assert_cmpstr (horde_studio_text_history_get_entry (history, 0)->story, ==, "story 4");
  g_assert_cmpstr (horde_studio_text_history_get_entry (history, 2)->story, ==, "story 2");

  g_assert_true (horde_studio_text_history_load (again, NULL));
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (again), ==, 2);
  g_assert_cmpstr (horde_studio_text_history_get_entry (again, 1)->story, ==, "story 3");

  while (g_utf8_strlen (long_story->str, -1) < HORDE_STUDIO_TEXT_HISTORY_MAX_STORY + 100)
    g_string_append (long_story, "é word ");
  g_string_append (long_story, "THE END");
  add (history, long_story->str, (const char *[]) { "x", NULL }, 9);
  story = horde_studio_text_history_get_entry (history, 0)->story;
  g_assert_cmpint (g_utf8_strlen (story, -1), ==, HORDE_STUDIO_TEXT_HISTORY_MAX_STORY);
  g_assert_true (g_str_has_suffix (story, "THE END"));
  g_assert_null (strstr (story, "BEGINNING"));

  /* nothing to keep without a text */
  add (history, "no text", (const char *[]) { NULL }, 10);
  g_assert_cmpstr (horde_studio_text_history_get_entry (history, 0)->story, !=, "no text");
}

/* a file that is not the app's: an error and an empty history (the app
 * starts anyway), and entries that are not generations are left out */
static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HordeStudioTextHistory) history = horde_studio_text_history_new (f->path, 10);
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;
  const HordeStudioTextHistoryEntry *entry;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  g_assert_true (g_file_set_contents (f->path, "{not json", -1, NULL));
  g_assert_false (horde_studio_text_history_load (history, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (history), ==, 0);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path, "[1, 2]", -1, NULL));
  g_assert_false (horde_studio_text_history_load (history, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path,
                                      "{\"generations\": [42, {\"story\": 7, \"texts\": [\"a\"]},"
                                      " {\"story\": \"no texts\"},"
                                      " {\"story\": \"texts not strings\", \"texts\": [1, {}]},"
                                      " {\"story\": \"kept\", \"texts\": [\"one\", 2], \"model\": [\"no\"],"
                                      "  \"temperature\": 99, \"top_k\": \"40\", \"max_length\": 1e300, \"kudos\": -5}]}",
                                      -1, NULL));
  g_assert_true (horde_studio_text_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_text_history_get_n_entries (history), ==, 1);
  entry = horde_studio_text_history_get_entry (history, 0);
  g_assert_cmpstr (entry->story, ==, "kept");
  g_assert_cmpstr (entry->model, ==, "");
  g_assert_cmpuint (g_strv_length (entry->texts), ==, 1);
  g_assert_cmpstr (entry->texts[0], ==, "one");
  /* out of the API's limits: unset, or the server's default */
  g_assert_cmpfloat (entry->temperature, <, 0);
  g_assert_cmpint (entry->top_k, <, 0);
  g_assert_cmpint (entry->max_length, ==, 80);
  g_assert_cmpfloat (entry->kudos, ==, 0);
}

/* the prompt is the end of the story, as much as the context leaves
 * beside the text to generate (3 characters a token), from a word */
static void
test_trim_story (void)
{
  g_autofree char *whole = horde_studio_text_trim_story ("A short story.", 2048, 80);
  g_autoptr(GString) story = g_string_new ("FIRST ");
  g_autofree char *trimmed = NULL;

  g_assert_cmpstr (whole, ==, "A short story.");
  for (guint i = 0; i < 400; i++)
    g_string_append (story, "wörd ");
  g_string_append (story, "LAST");
  /* (96 - 16) tokens: 240 characters at most */
  trimmed = horde_studio_text_trim_story (story->str, 96, 16);
  g_assert_cmpint (g_utf8_strlen (trimmed, -1), <=, 240);
  g_assert_cmpint (g_utf8_strlen (trimmed, -1), >, 200);
  g_assert_true (g_str_has_prefix (trimmed, "wörd "));
  g_assert_true (g_str_has_suffix (trimmed, " LAST"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define TEST(path, func) g_test_add ("/text-history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("missing-file", test_missing_file);
  TEST ("round-trip", test_round_trip);
  TEST ("bounds", test_bounds);
  TEST ("bad-file", test_bad_file);
#undef TEST
  g_test_add_func ("/text-history/trim-story", test_trim_story);

  return g_test_run ();
}

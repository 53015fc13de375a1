/* test-app-prompt-history.c: the prompt history store, without a window
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-prompt-history.h"
#include "store-fixture.h"

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  store_fixture_set_up (f, "horde-studio-history-XXXXXX", "prompt-history.json");
}

static void
add (HordeStudioPromptHistory *history,
     const char               *prompt,
     const char               *negative,
     gint64                    time)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (horde_studio_prompt_history_add (history, prompt, negative, time, &error));
  g_assert_no_error (error);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 10);
  g_autoptr(GError) error = NULL;

  g_assert_true (horde_studio_prompt_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (history), ==, 0);
  g_assert_null (horde_studio_prompt_history_get_entry (history, 0));
}

/* newest first, each once: sending a prompt again moves it up */
static void
test_order_and_duplicates (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 10);

  add (history, "a red fox", "blurry", 1);
  add (history, "a blue whale", NULL, 2);
  add (history, "  a red fox ", "blurry ", 3);
  /* the same prompt with another negative prompt is another entry */
  add (history, "a red fox", "", 4);
  /* nothing to keep */
  add (history, "   ", "blurry", 5);

  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (history), ==, 3);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 0)->prompt, ==, "a red fox");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 0)->negative, ==, "");
  g_assert_cmpint (horde_studio_prompt_history_get_entry (history, 0)->time, ==, 4);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 1)->prompt, ==, "a red fox");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 1)->negative, ==, "blurry");
  g_assert_cmpint (horde_studio_prompt_history_get_entry (history, 1)->time, ==, 3);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 2)->prompt, ==, "a blue whale");
}

/* the oldest go beyond the limit */
static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 3);
  g_autoptr(HordeStudioPromptHistory) again = horde_studio_prompt_history_new (f->path, 2);

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("prompt %d", i);
      add (history, prompt, NULL, i);
    }
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (history), ==, 3);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 0)->prompt, ==, "prompt 4");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 2)->prompt, ==, "prompt 2");

  /* a smaller limit reads the newest */
  g_assert_true (horde_studio_prompt_history_load (again, NULL));
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (again), ==, 2);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (again, 1)->prompt, ==, "prompt 3");
}

/* by words, in any case and order, in the prompt or the negative prompt */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 10);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) fox = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) negative = NULL;
  g_autoptr(GPtrArray) none = NULL;

  add (history, "A red Fox in the snow", "blurry", 1);
  add (history, "a blue whale", "Watermark", 2);
  add (history, "a fox cub, Ölgemälde", NULL, 3);

  all = horde_studio_prompt_history_search (history, "");
  g_assert_cmpuint (all->len, ==, 3);

  fox = horde_studio_prompt_history_search (history, "FOX");
  g_assert_cmpuint (fox->len, ==, 2);
  g_assert_cmpstr (((HordeStudioPromptHistoryEntry *) fox->pdata[0])->prompt, ==, "a fox cub, Ölgemälde");
  g_assert_cmpstr (((HordeStudioPromptHistoryEntry *) fox->pdata[1])->prompt, ==, "A red Fox in the snow");

  words = horde_studio_prompt_history_search (history, "snow  fox");
  g_assert_cmpuint (words->len, ==, 1);
  g_assert_cmpstr (((HordeStudioPromptHistoryEntry *) words->pdata[0])->negative, ==, "blurry");

  negative = horde_studio_prompt_history_search (history, "watermark");
  g_assert_cmpuint (negative->len, ==, 1);
  g_assert_cmpstr (((HordeStudioPromptHistoryEntry *) negative->pdata[0])->prompt, ==, "a blue whale");

  g_clear_pointer (&none, g_ptr_array_unref);
  none = horde_studio_prompt_history_search (history, "ölgemälde fox");
  g_assert_cmpuint (none->len, ==, 1);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = horde_studio_prompt_history_search (history, "fox whale");
  g_assert_cmpuint (none->len, ==, 0);
}

/* what one history wrote, another reads: the file is the history */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 10);
  g_autoptr(HordeStudioPromptHistory) again = horde_studio_prompt_history_new (f->path, 10);
  g_autoptr(GError) error = NULL;

  add (history, "a red fox \"quoted\"\nsecond line", "blurry", 1700000000);
  add (history, "a blue whale", NULL, 1700000100);

  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (horde_studio_prompt_history_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (again), ==, 2);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (again, 0)->prompt, ==, "a blue whale");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (again, 0)->negative, ==, "");
  g_assert_cmpint (horde_studio_prompt_history_get_entry (again, 0)->time, ==, 1700000100);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (again, 1)->prompt, ==, "a red fox \"quoted\"\nsecond line");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (again, 1)->negative, ==, "blurry");
}

/* a file that is not the app's: an error and an empty history, and
 * entries that are not prompts are left out */
static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HordeStudioPromptHistory) history = horde_studio_prompt_history_new (f->path, 10);
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  g_assert_true (g_file_set_contents (f->path, "{not json", -1, NULL));
  g_assert_false (horde_studio_prompt_history_load (history, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (history), ==, 0);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path, "[1, 2]", -1, NULL));
  g_assert_false (horde_studio_prompt_history_load (history, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path,
                                      "{\"prompts\": [42, {\"prompt\": 7}, {\"prompt\": \"\"},"
                                      " {\"prompt\": \"kept\", \"negative\": [\"no\"], \"time\": 5},"
                                      " {\"prompt\": \"also kept\", \"extra\": true}]}", -1, NULL));
  g_assert_true (horde_studio_prompt_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_prompt_history_get_n_entries (history), ==, 2);
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 0)->prompt, ==, "kept");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 0)->negative, ==, "");
  g_assert_cmpstr (horde_studio_prompt_history_get_entry (history, 1)->prompt, ==, "also kept");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define TEST(path, func) g_test_add ("/prompt-history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("missing-file", test_missing_file);
  TEST ("order-and-duplicates", test_order_and_duplicates);
  TEST ("limit", test_limit);
  TEST ("search", test_search);
  TEST ("round-trip", test_round_trip);
  TEST ("bad-file", test_bad_file);
#undef TEST

  return g_test_run ();
}

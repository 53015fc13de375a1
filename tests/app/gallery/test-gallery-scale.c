/* test-gallery-scale.c: a gallery of thousands of rows
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sys/resource.h>

#include "horde-studio-gallery-private.h"
#include "gallery-test-utils.h"

#define N_ROWS 3000
#define N_REAL 2
#define N_PROBES 300

/* A leak of decoded images would cost megabytes per item; the metadata of
 * every row of this gallery is far below this. */
#define MAX_RSS_GROWTH_KIB (64 * 1024)

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static HordeStudioGallery *
open_gallery (const char *directory)
{
  g_autoptr(GError) error = NULL;
  HordeStudioGallery *gallery = horde_studio_gallery_new (directory, &error);

  g_assert_no_error (error);
  return gallery;
}

static void
test_many_rows (void)
{
  g_autofree char *tmp = gallery_test_make_dir ();
  g_autofree char *directory = g_build_filename (tmp, "gallery", NULL);
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Row of many", "Deliberate");
  g_autoptr(HordeGenerationStable) generation = gallery_test_generation ("bulk", "Deliberate", "99");
  g_autoptr(GBytes) png = gallery_test_png (32, 32, 0x808080ff);
  g_autoptr(HordeStudioGallery) gallery = open_gallery (directory);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGalleryItem) victim = NULL;
  g_autofree char *shared_file = NULL;
  gpointer weak[N_PROBES];
  GListModel *model;
  gint64 start;
  long rss_before;
  guint n;

  start = g_get_monotonic_time ();
  g_assert_true (horde_studio_gallery_add_rows_for_testing (gallery, png, request, generation, N_ROWS, &error));
  g_assert_no_error (error);
  g_test_message ("inserted %d rows in %.1f ms", N_ROWS, (g_get_monotonic_time () - start) / 1000.0);
  for (guint i = 0; i < N_REAL; i++)
    {
      g_autoptr(HordeStudioGalleryItem) item = horde_studio_gallery_add (gallery, png, request, NULL, "real", 1.0, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, N_ROWS + N_REAL);
  g_clear_object (&gallery);

  /* Reopen, and read a grid's first screen. */
  start = g_get_monotonic_time ();
  gallery = open_gallery (directory);
  model = G_LIST_MODEL (gallery);
  for (guint i = 0; i < 60; i++)
    g_object_unref (g_list_model_get_item (model, i));
  g_test_message ("reopened and read 60 items in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ROWS + N_REAL);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (gallery), ==, N_ROWS + N_REAL);

  /* Items at random places: the right row, and one item per row while held. */
  for (guint i = 0; i < N_PROBES; i++)
    {
      guint position = g_rand_int_range (rand, N_REAL, N_ROWS + N_REAL);
      HordeStudioGalleryItem *item = g_list_model_get_item (model, position);
      g_autoptr(HordeStudioGalleryItem) again = g_list_model_get_item (model, position);

      g_assert_true (again == item);
      g_assert_cmpint (horde_studio_gallery_item_get_id (item), ==, N_ROWS + N_REAL - position);
      g_assert_cmpstr (horde_studio_gallery_item_get_prompt (item), ==, "Row of many");
      g_assert_cmpstr (horde_studio_gallery_item_get_seed (item), ==, "99");
      g_assert_cmpint (horde_studio_gallery_item_get_width (item), ==, 512);
      g_assert_true (g_file_test (horde_studio_gallery_item_get_path (item), G_FILE_TEST_IS_REGULAR));
      weak[i] = item;
      g_object_add_weak_pointer (G_OBJECT (item), &weak[i]);
      g_ptr_array_add (held, item);
    }

  /* The gallery keeps no item that nobody holds. */
  g_ptr_array_set_size (held, 0);
  for (guint i = 0; i < N_PROBES; i++)
    g_assert_null (weak[i]);

  /* Scroll through everything, twice, as a grid would. */
  rss_before = peak_rss_kib ();
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      g_object_unref (g_list_model_get_item (model, i));
  g_test_message ("peak RSS %ld KiB before the scroll, %ld KiB after", rss_before, peak_rss_kib ());
  g_assert_cmpint (peak_rss_kib () - rss_before, <, MAX_RSS_GROWTH_KIB);

  /* Filtering works at this size. */
  horde_studio_gallery_set_filter (gallery, "ROW OF", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ROWS + N_REAL);
  horde_studio_gallery_set_filter (gallery, "row of none", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  horde_studio_gallery_set_filter (gallery, NULL, FALSE);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, N_ROWS + N_REAL);

  /* Purging a row removes no file that other rows still use. */
  victim = g_list_model_get_item (model, n - 1);
  shared_file = g_strdup (horde_studio_gallery_item_get_path (victim));
  g_assert_true (horde_studio_gallery_delete (gallery, victim, &error));
  g_assert_true (horde_studio_gallery_purge_deleted (gallery, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (shared_file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (horde_studio_gallery_get_n_total (gallery), ==, N_ROWS + N_REAL - 1);

  g_clear_object (&victim);
  g_assert_finalize_object (g_steal_pointer (&gallery));
  gallery_test_remove_dir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gallery/scale/many-rows", test_many_rows);

  return g_test_run ();
}

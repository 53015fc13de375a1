/* bench-gallery-open.c: how fast a large gallery opens, and what it costs
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fills a gallery with real images through horde_studio_gallery_add(), then
 * opens it in a fresh process, as the app starts: horde_studio_gallery_new()
 * plus the first 60 items (a grid's first screen). Prints figures; asserts
 * no timings.
 *
 *   bench-gallery-open [--images N]     fill, then measure an open
 *   bench-gallery-open --open DIRECTORY measure an open only
 */

#include "config.h"

#include <sys/resource.h>

#include "gallery-test-utils.h"

#define FIRST_SCREEN 60

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
measure_open (const char *directory)
{
  g_autoptr(HordeStudioGallery) gallery = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 opened;
  guint n;

  gallery = horde_studio_gallery_new (directory, &error);
  if (gallery == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  opened = g_get_monotonic_time ();

  n = MIN (FIRST_SCREEN, g_list_model_get_n_items (G_LIST_MODEL (gallery)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (gallery), i);
      g_assert_nonnull (horde_studio_gallery_item_get_thumbnail_path (item));
    }

  g_print ("open: %.1f ms (new %.1f ms + first %u items %.1f ms) for %u images\n",
           (g_get_monotonic_time () - start) / 1000.0,
           (opened - start) / 1000.0, n,
           (g_get_monotonic_time () - opened) / 1000.0,
           g_list_model_get_n_items (G_LIST_MODEL (gallery)));
  g_print ("open: peak RSS %.1f MiB (a fresh process)\n", peak_rss_kib () / 1024.0);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *open_only = NULL;
  g_autoptr(HordeStudioGallery) gallery = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int n_images = 10000;
  int status = 0;
  gint64 start;
  const GOptionEntry entries[] = {
    { "images", 0, 0, G_OPTION_ARG_INT, &n_images, "Images to add (10000)", "N" },
    { "open", 0, 0, G_OPTION_ARG_FILENAME, &open_only, "Only open this gallery", "DIRECTORY" },
    { NULL }
  };

  context = g_option_context_new ("- time the opening of a large gallery");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (open_only != NULL)
    return measure_open (open_only);

  tmp = gallery_test_make_dir ();
  directory = g_build_filename (tmp, "gallery", NULL);
  gallery = horde_studio_gallery_new (directory, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (int i = 0; i < n_images; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Benchmark image %d, a lighthouse at dusk", i);
      g_autofree char *id = g_strdup_printf ("bench-%05d", i);
      g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request (prompt, "Deliberate");
      g_autoptr(HordeGenerationStable) generation = gallery_test_generation (id, "Deliberate", "1");
      g_autoptr(GBytes) webp = gallery_test_webp (64, 64, i);
      g_autoptr(HordeStudioGalleryItem) item = NULL;

      item = horde_studio_gallery_add (gallery, webp, request, generation, "bench", 1.0, NULL, &error);
      g_assert_no_error (error);
    }
  g_print ("create: %d images (64x64 WebP, written durably, with thumbnails) in %.2f s, %.2f ms each\n",
           n_images, (g_get_monotonic_time () - start) / 1e6,
           (g_get_monotonic_time () - start) / 1000.0 / MAX (n_images, 1));
  g_print ("create: peak RSS %.1f MiB\n", peak_rss_kib () / 1024.0);
  g_clear_object (&gallery);

  /* Open twice in fresh processes: the second with a warm page cache. */
  for (int run = 0; run < 2 && status == 0; run++)
    {
      const char *child_argv[] = { argv[0], "--open", directory, NULL };
      g_autofree char *output = NULL;

      if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT,
                         NULL, NULL, &output, NULL, &status, &error))
        g_error ("%s", error->message);
      g_print ("%s", output);
    }

  gallery_test_remove_dir (tmp);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* bench-app.c: how fast Horde Studio shows its first frame, empty and with 10,000 images
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run under tests/app/run-under-xvfb.sh (meson test --benchmark does). It
 * measures, each in a fresh process, from the creation of the application
 * to the window's first painted frame:
 *   - a cold start with an empty gallery (target 0.5 s);
 *   - a start on the gallery page with 10,000 images (target 1 s), and the
 *     peak RSS of that process once the first screen of thumbnails is in
 *     (target under 300 MB).
 * The 10,000 images are real files, added through the gallery's own path.
 * It prints figures and asserts no timings.
 */

#include "config.h"

#include <sys/resource.h>

#include "horde-studio-application.h"
#include "horde-studio-window.h"

#define N_IMAGES 10000

static gint64 start;
static gint64 first_frame;

static void
painted (GdkFrameClock *clock,
         gpointer       user_data)
{
  if (first_frame == 0)
    first_frame = g_get_monotonic_time ();
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
spin (guint msec)
{
  gint64 until = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* one measured start, in this (fresh) process */
static int
measure (const char *gallery_dir,
         gboolean    show_gallery)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(HordeStudioApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  HordeStudioWindow *window;

  start = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();

  settings = g_settings_new ("io.github.hordestudio.HordeStudio");
  /* nothing listens there: the start must not wait for the network */
  g_settings_set_string (settings, "server-url", "http://127.0.0.1:9/api");
  g_settings_set_string (settings, "gallery-location", gallery_dir);

  app = horde_studio_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_activate (G_APPLICATION (app));

  window = HORDE_STUDIO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  if (show_gallery)
    horde_studio_window_show_page (window, "gallery");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint", G_CALLBACK (painted), NULL);

  while (first_frame == 0)
    g_main_context_iteration (NULL, TRUE);

  /* the thumbnails of the first screen, read in threads, come in */
  spin (2000);

  g_print ("%s: first frame after %.0f ms; peak RSS %.1f MB\n",
           show_gallery ? "start on a gallery of 10,000 images" : "cold start, empty gallery",
           (first_frame - start) / 1000.0, peak_rss_kib () / 1024.0);
  return 0;
}

static GBytes *
tiny_image (guint i)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  g_autofree char *png = NULL;
  gsize len = 0;

  /* PNG: the gallery takes what the Horde sends, and this is quicker to make */
  gdk_pixbuf_fill (pixbuf, 0x20000000u + i * 2654435761u);
  gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL);
  return g_bytes_new_take (g_steal_pointer (&png), len);
}

static void
fill (const char *gallery_dir)
{
  g_autoptr(HordeStudioGallery) gallery = NULL;
  g_autoptr(GError) error = NULL;
  gint64 begin = g_get_monotonic_time ();

  gallery = horde_studio_gallery_new (gallery_dir, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(GBytes) image = tiny_image (i);
      g_autofree char *prompt = g_strdup_printf ("benchmark image %u, a lighthouse at dusk", i);
      g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
      g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
      g_autoptr(HordeStudioGalleryItem) item = NULL;
      g_autofree char *json = g_strdup_printf ("{\"id\": \"bench-%u\", \"seed\": \"%u\", \"model\": \"Deliberate\", \"state\": \"ok\"}", i, i);
      g_autoptr(HordeGenerationStable) generation = horde_generation_stable_new_from_json (json, -1, NULL);

      horde_image_generate_async_request_builder_set_prompt (builder, prompt);
      request = horde_image_generate_async_request_builder_end (builder, NULL);
      item = horde_studio_gallery_add (gallery, image, request, generation, "bench", 1.0, NULL, &error);
      g_assert_no_error (error);
    }

  g_print ("filled a gallery with %d images in %.1f s\n", N_IMAGES,
           (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC);
}

static void
run_child (const char *self,
           const char *mode,
           const char *gallery_dir)
{
  const char *argv[] = { self, mode, gallery_dir, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", self, mode, error->message);
}

int
main (int argc, char *argv[])
{
  g_autofree char *empty = NULL;
  g_autofree char *full = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--cold"))
    return measure (argv[2], FALSE);
  if (argc == 3 && g_str_equal (argv[1], "--gallery"))
    return measure (argv[2], TRUE);

  empty = g_dir_make_tmp ("horde-studio-bench-XXXXXX", NULL);
  full = g_dir_make_tmp ("horde-studio-bench-XXXXXX", NULL);

  /* the first start pays for the disk cache of the libraries: not counted */
  run_child (argv[0], "--cold", empty);
  run_child (argv[0], "--cold", empty);
  fill (full);
  run_child (argv[0], "--gallery", full);
  run_child (argv[0], "--gallery", full);
  g_print ("targets: cold start 0.5 s; 10,000 images: first frame 1 s, peak RSS under 300 MB\n");

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s' '%s'", empty, full);
    g_assert_true (system (command) == 0);
  }
  return 0;
}

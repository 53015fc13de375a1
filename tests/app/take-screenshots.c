/* take-screenshots.c: data/screenshots/, from the real window in its main states
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run under tests/app/run-under-xvfb.sh with $HORDE_SIM set:
 *   take-screenshots OUTPUT-DIR
 * It starts the application against horde-sim, writes a prompt, runs
 * requests and opens the gallery, rendering the window to a PNG at each step.
 */

#include "config.h"

#include "horde-studio-alchemy-page.h"
#include "horde-studio-style-chooser.h"
#include "horde-studio-user-styles.h"
#include "horde-studio-grid-window.h"
#include "horde-studio-mask-painter.h"
#include "horde-studio-text-page.h"
#include "horde-studio-text-params.h"
#include "horde-studio-worker-item.h"
#include "horde-studio-workers-page.h"
#include "ui-driver.h"

/* lets the window catch up: layout, thumbnails read in threads, estimates */


static void
snap_window (GtkWidget  *window,
             const char *dir,
             const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  /* a frame caught in the middle of a relayout renders nothing: try again */
  for (guint attempt = 0; attempt < 10; attempt++)
    {
      int width = gtk_widget_get_width (window);
      int height = gtk_widget_get_height (window);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                               &GRAPHENE_RECT_INIT (0, 0, width, height));
      if (texture != NULL)
        {
          if (!gdk_texture_save_to_png (texture, path))
            g_error ("Cannot write %s", path);
          g_print ("%s\n", path);
          return;
        }
      iterate_for (200);
    }
  g_error ("Nothing to render for %s", path);
}

static void
snap (Fixture    *f,
      const char *dir,
      const char *name)
{
  snap_window (GTK_WIDGET (f->window), dir, name);
}

/* shows @page of the window, lets it settle for @ms and snaps it */
static void
snap_page (Fixture    *f,
           const char *dir,
           const char *page,
           guint       ms,
           const char *name)
{
  horde_studio_window_show_page (f->window, page);
  iterate_for (ms);
  snap (f, dir, name);
}

/* the gallery's first image, in the viewer */
static void
show_first_item (Fixture *f)
{
  g_autoptr(HordeStudioGalleryItem) item =
    g_list_model_get_item (G_LIST_MODEL (horde_studio_application_get_gallery (f->app)), 0);

  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), item);
}

static HordeStudioWorkersPage *
workers_page (Fixture *f)
{
  return child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "workers_page");
}

/* the Workers page's list, then its first worker's details */
static void
snap_workers (Fixture    *f,
              const char *dir,
              const char *list_name,
              const char *details_name)
{
  GListModel *model = horde_studio_workers_page_get_model (workers_page (f));
  g_autoptr(HordeStudioWorkerItem) item = NULL;

  snap_page (f, dir, "workers", 2000, list_name);
  item = g_list_model_get_item (model, 0);
  if (item == NULL)
    g_error ("No workers listed");
  horde_studio_workers_page_show_worker (workers_page (f), horde_studio_worker_item_get_details (item));
  iterate_for (1000);
  snap (f, dir, details_name);
  gtk_widget_activate_action (GTK_WIDGET (workers_page (f)), "workers.back", NULL);
}

static void
set_negative (Fixture    *f,
              const char *text)
{
  GtkTextView *view = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "negative_view");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

int
main (int argc, char *argv[])
{
  static const char *sim_args[] = { "--job-time", "2500", "--seed", "11" };
  static const char *prompts[] = {
    "a lighthouse on a cliff at dusk, oil painting",
    "a red fox in the snow, morning light",
    "an old library with floating books, watercolor",
  };
  Fixture f = { 0 };
  const char *dir;

  gtk_init ();
  adw_init ();
  if (argc != 2)
    {
      g_printerr ("usage: take-screenshots OUTPUT-DIR\n");
      return 2;
    }
  dir = argv[1];
  g_mkdir_with_parents (dir, 0755);

  start_notification_server ();
  fixture_set_up (&f, sim_args);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1280, 800);
  iterate_for (1500);

  /* composing, with the cost estimated */
  type_prompt (&f, prompts[0]);
  set_negative (&f, "blurry, text");
  set_spin (&f, "n_spin", 2);
  iterate_for (2500);
  snap (&f, dir, "compose.png");

  /* an SDXL model: what the model reference says of it, and its sizes */
  select_model (&f, "AlbedoBase XL (SDXL)");
  iterate_for (2500);
  snap (&f, dir, "compose-model.png");

  /* the options further down: a source image, post-processing, a LoRA
   * made for another family than the model's */
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (g_getenv ("HORDE_SCREENSHOT_SOURCE"), NULL);
    g_autofree char *png = NULL;
    gsize len = 0;
    GtkWidget *scrolled;
    GtkAdjustment *adjustment;
    graphene_rect_t bounds;

    if (pixbuf != NULL && gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL))
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&png), len);
        horde_studio_compose_set_source_bytes (compose (&f), bytes, NULL);
      }
    adw_combo_row_set_selected (compose_part (&f, "upscaler_row"), 1);
    gtk_widget_activate_action (GTK_WIDGET (compose (&f)), "compose.add-lora", NULL);
    gtk_editable_set_text (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (
                             compose_part (&f, "loras_list"), 0)), "name"),
                           "Detail Tweaker");
    iterate_for (500);
    scrolled = gtk_widget_get_ancestor (GTK_WIDGET (compose_part (&f, "denoising_row")),
                                        GTK_TYPE_SCROLLED_WINDOW);
    adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    iterate_for (1500);
    snap (&f, dir, "compose-options.png");

    /* inpainting: a mask painted over the source image */
    if (pixbuf != NULL)
      {
        HordeStudioMaskPainter *painter = compose_part (&f, "painter");
        int width = gdk_pixbuf_get_width (pixbuf);
        int height = gdk_pixbuf_get_height (pixbuf);
        const graphene_point_t stroke[] = {
          GRAPHENE_POINT_INIT (width * 0.30, height * 0.35),
          GRAPHENE_POINT_INIT (width * 0.45, height * 0.30),
          GRAPHENE_POINT_INIT (width * 0.60, height * 0.38),
          GRAPHENE_POINT_INIT (width * 0.55, height * 0.50),
          GRAPHENE_POINT_INIT (width * 0.40, height * 0.48),
        };

        adw_combo_row_set_selected (compose_part (&f, "mode_row"), 1);
        set_spin (&f, "brush_size_spin", MAX (width, height) / 10);
        horde_studio_mask_painter_stroke (painter, stroke, G_N_ELEMENTS (stroke));
        iterate_for (500);
        if (gtk_widget_compute_bounds (GTK_WIDGET (painter), gtk_viewport_get_child (GTK_VIEWPORT (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)))),
                                       &bounds))
          gtk_adjustment_set_value (adjustment, bounds.origin.y - 160);
        iterate_for (1500);
        snap (&f, dir, "inpaint.png");
        adw_combo_row_set_selected (compose_part (&f, "mode_row"), 0);
      }
    horde_studio_compose_set_source_bytes (compose (&f), NULL, NULL);
    adw_combo_row_set_selected (compose_part (&f, "upscaler_row"), 0);
    gtk_list_box_remove (compose_part (&f, "loras_list"),
                         GTK_WIDGET (gtk_list_box_get_row_at_index (compose_part (&f, "loras_list"), 0)));
    gtk_adjustment_set_value (adjustment, 0);
    /* back to any model */
    gtk_drop_down_set_selected (compose_part (&f, "model_dropdown"), 0);
  }

  /* requests running, and one done */
  press_generate (&f);
  for (guint i = 1; i < G_N_ELEMENTS (prompts); i++)
    {
      iterate_for (700);
      type_prompt (&f, prompts[i]);
      press_generate (&f);
    }
  g_assert_true (iterate_until (job_ended, job_at (&f, G_N_ELEMENTS (prompts) - 1), 60));
  iterate_for (2500);
  snap (&f, dir, "jobs.png");

  /* the styles, the Horde's and the user's, and one applied */
  {
    GtkWidget *tools = compose_part (&f, "prompt_tools");
    g_autoptr(HordeStudioUserStyles) own = horde_studio_user_styles_get_default ();
    GtkWidget *chooser;
    GtkWidget *list;

    horde_studio_user_styles_save_style (own, "Oil at dusk", horde_studio_compose_get_request (compose (&f)), NULL);
    gtk_widget_activate_action (tools, "prompt-tools.choose-style", NULL);
    iterate_for (2000);
    chooser = find_window (HORDE_STUDIO_TYPE_STYLE_CHOOSER);
    g_assert_nonnull (chooser);
    list = GTK_WIDGET (gtk_widget_get_template_child (chooser, HORDE_STUDIO_TYPE_STYLE_CHOOSER, "horde_list"));
    for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
      if (find_named (row, "show-example") != NULL)
        g_signal_emit_by_name (find_named (row, "show-example"), "clicked");
    iterate_for (2000);
    snap_window (chooser, dir, "styles.png");
    for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "sim-cinematic") == 0)
        g_signal_emit_by_name (find_named (row, "apply"), "clicked");
    iterate_for (1500);
    snap (&f, dir, "compose-style.png");
    gtk_widget_activate_action (tools, "prompt-tools.remove-style", NULL);
    iterate_for (500);
  }

  /* the gallery, and an image with its settings */
  while (!job_ended (job_at (&f, 0)))
    g_main_context_iteration (NULL, TRUE);
  snap_page (&f, dir, "gallery", 2000, "gallery.png");
  show_first_item (&f);
  iterate_for (1500);
  snap (&f, dir, "viewer.png");

  /* the Horde's workers, and one of them */
  snap_workers (&f, dir, "workers.png", "worker.png");
  /* the image analysed: caption, tags, verdict and an upscale, beside it */
  {
    AdwViewStack *stack = child (GTK_WIDGET (f.window), HORDE_STUDIO_TYPE_WINDOW, "stack");
    GtkWidget *analyse = adw_view_stack_get_child_by_name (stack, "analyse");
    static const char * const forms[] = { "form-caption", "form-interrogation", "form-nsfw", "form-RealESRGAN_x2plus" };

    gtk_widget_activate_action (GTK_WIDGET (horde_studio_gallery_view_get_viewer (horde_studio_window_get_gallery_view (f.window))),
                                "win.analyse-shown", NULL);
    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (analyse, forms[i])), TRUE);
    g_signal_emit_by_name (child (analyse, HORDE_STUDIO_TYPE_ALCHEMY_PAGE, "run_button"), "clicked");
    while (horde_studio_alchemy_page_get_job (HORDE_STUDIO_ALCHEMY_PAGE (analyse)) != NULL)
      g_main_context_iteration (NULL, TRUE);
    iterate_for (2000);
    snap (&f, dir, "analyse.png");
    if (g_getenv ("HORDE_SCREENSHOT_ALL") != NULL)
      {
        gtk_window_set_default_size (GTK_WINDOW (f.window), 360, 720);
        iterate_for (1500);
        snap (&f, dir, "narrow-analyse.png");
        gtk_window_set_default_size (GTK_WINDOW (f.window), 1280, 800);
        iterate_for (1000);
      }
  }

  /* the comparison grid: three seeds by two guidance values, filled */
  {
    HordeStudioGridWindow *grid;

    horde_studio_window_show_page (f.window, "create");
    type_prompt (&f, prompts[1]);
    iterate_for (500);
    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.compare", NULL);
    grid = HORDE_STUDIO_GRID_WINDOW (find_window (HORDE_STUDIO_TYPE_GRID_WINDOW));
    gtk_window_set_default_size (GTK_WINDOW (grid), 960, 1000);
    horde_studio_grid_window_set_axes (grid, HORDE_STUDIO_GRID_AXIS_SEED, "1, 2, 3",
                                       HORDE_STUDIO_GRID_AXIS_CFG, "5, 9");
    while (!gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button")))
      g_main_context_iteration (NULL, TRUE);
    g_signal_emit_by_name (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button"), "clicked");
    while (!grid_filled (grid))
      g_main_context_iteration (NULL, TRUE);
    iterate_for (1500);
    snap_window (GTK_WIDGET (grid), dir, "grid.png");
    gtk_window_destroy (GTK_WINDOW (grid));
  }

  /* the Write page: a story and two continuations to choose from */
  {
    GtkWidget *text_page = child (GTK_WIDGET (f.window), HORDE_STUDIO_TYPE_WINDOW, "text_page");
    GtkWidget *story_view = child (text_page, HORDE_STUDIO_TYPE_TEXT_PAGE, "story_view");
    GtkWidget *choices = child (text_page, HORDE_STUDIO_TYPE_TEXT_PAGE, "choices_box");
    GtkWidget *params = child (text_page, HORDE_STUDIO_TYPE_TEXT_PAGE, "params");

    horde_studio_window_show_page (f.window, "write");
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (story_view)),
                              "The lighthouse keeper had not seen a ship in forty days. On the forty-first, "
                              "a light answered his from the sea, three short flashes and a long one.", -1);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (params, HORDE_STUDIO_TYPE_TEXT_PARAMS, "n_spin")), 2);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (params, HORDE_STUDIO_TYPE_TEXT_PARAMS, "max_length_spin")), 48);
    while (!gtk_widget_is_sensitive (child (text_page, HORDE_STUDIO_TYPE_TEXT_PAGE, "generate_button")))
      g_main_context_iteration (NULL, TRUE);
    gtk_widget_activate_action (text_page, "text.generate", NULL);
    while (!gtk_widget_get_visible (choices))
      g_main_context_iteration (NULL, TRUE);
    iterate_for (1500);
    snap (&f, dir, "write.png");
    if (g_getenv ("HORDE_SCREENSHOT_ALL") != NULL)
      {
        gtk_window_set_default_size (GTK_WINDOW (f.window), 360, 720);
        iterate_for (2000);
        snap (&f, dir, "narrow-write.png");
        gtk_window_set_default_size (GTK_WINDOW (f.window), 1280, 800);
        iterate_for (1500);
      }
  }

  /* a phone's width: one pane at a time, the requests on a page of their
   * own */
  horde_studio_window_show_page (f.window, "create");
  gtk_window_set_default_size (GTK_WINDOW (f.window), 360, 720);
  type_prompt (&f, prompts[1]);
  iterate_for (2500);
  snap (&f, dir, "narrow-compose.png");
  press_generate (&f);
  iterate_for (700);
  snap_page (&f, dir, "requests", 2000, "narrow-requests.png");
  if (g_getenv ("HORDE_SCREENSHOT_ALL") != NULL)
    {
      /* to look at, not for the metainfo */
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
      iterate_for (1000);
      snap (&f, dir, "narrow-requests-dark.png");
      snap_page (&f, dir, "create", 1000, "narrow-compose-dark.png");
      snap_page (&f, dir, "gallery", 1500, "narrow-gallery-dark.png");
      show_first_item (&f);
      iterate_for (1500);
      snap (&f, dir, "narrow-viewer-dark.png");
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
      gtk_widget_activate_action (GTK_WIDGET (horde_studio_window_get_gallery_view (f.window)), "gallery.back", NULL);
      snap_page (&f, dir, "gallery", 1500, "narrow-gallery.png");
      show_first_item (&f);
      iterate_for (1500);
      snap (&f, dir, "narrow-viewer.png");
      snap_workers (&f, dir, "narrow-workers.png", "narrow-worker.png");
      gtk_window_set_default_size (GTK_WINDOW (f.window), 700, 720);
      iterate_for (1500);
      snap (&f, dir, "medium-viewer.png");
      gtk_widget_activate_action (GTK_WIDGET (horde_studio_window_get_gallery_view (f.window)), "gallery.back", NULL);
      snap_page (&f, dir, "create", 1500, "medium-jobs.png");
    }

  fixture_tear_down (&f, sim_args);
  return 0;
}

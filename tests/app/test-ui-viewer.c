/* test-ui-viewer.c: Horde Studio's image viewer, narrow and wide, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). Each test
 * makes an image through the compose pane as a user does, opens it in the
 * gallery's viewer, and sizes the window as a phone's or a desktop's: the
 * viewer lays itself out from its own width, and the test checks where
 * its parts are and that the title can be read.
 */

#include "config.h"

#include "ui-driver.h"

/* long enough that it never fits beside the buttons */
#define PROMPT "a lighthouse on a cliff at dusk, gulls over the rocks, oil painting"

static HordeStudioImageViewer *
viewer (Fixture *f)
{
  return horde_studio_gallery_view_get_viewer (horde_studio_window_get_gallery_view (f->window));
}

static gpointer
viewer_child (Fixture    *f,
              const char *name)
{
  return child (GTK_WIDGET (viewer (f)), HORDE_STUDIO_TYPE_IMAGE_VIEWER, name);
}

/* an image made through the compose pane, open in the viewer */
static void
open_image (Fixture *f)
{
  HordeStudioJob *job;
  g_autoptr(HordeStudioGalleryItem) item = NULL;

  type_prompt (f, PROMPT);
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  item = g_list_model_get_item (horde_studio_job_get_images (job), 0);
  g_assert_nonnull (item);

  horde_studio_window_show_page (f->window, "gallery");
  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), item);
  g_assert_true (horde_studio_gallery_view_get_shown (horde_studio_window_get_gallery_view (f->window)) == item);
  g_assert_cmpstr (gtk_label_get_text (viewer_child (f, "viewer_title")), ==, PROMPT);
}

static int
natural_width (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* the title is there to read: most of its width, not "…" */
static gboolean
title_readable (Fixture *f)
{
  GtkWidget *title = viewer_child (f, "viewer_title");

  return gtk_widget_get_mapped (title) &&
         gtk_widget_get_width (title) > 100 &&
         gtk_widget_get_width (title) >= MIN (natural_width (title), 180);
}

/* where the image and its details are, in the viewer */
static gboolean
viewer_bounds (Fixture         *f,
               graphene_rect_t *image,
               graphene_rect_t *details)
{
  GtkWidget *view = GTK_WIDGET (viewer (f));
  GtkWidget *scroller = viewer_child (f, "picture_scroller");

  return gtk_widget_get_mapped (scroller) &&
         gtk_widget_compute_bounds (scroller, view, image) &&
         gtk_widget_compute_bounds (viewer_child (f, "details_list"), view, details);
}

/* a phone: the window is 360 px at most, the image has the viewer's
 * width with the details under it, the title can be read, and the
 * actions that made way for it are in the menu, beside the star */
static gboolean
laid_out_narrow (gpointer data)
{
  Fixture *f = data;
  graphene_rect_t image, details;

  return gtk_widget_get_width (GTK_WIDGET (f->window)) <= 360 &&
         viewer_bounds (f, &image, &details) &&
         image.size.width >= gtk_widget_get_width (GTK_WIDGET (viewer (f))) - 1 &&
         image.size.height >= 200 &&
         details.origin.y >= image.origin.y + image.size.height &&
         title_readable (f) &&
         gtk_widget_get_mapped (viewer_child (f, "more_button")) &&
         gtk_widget_get_mapped (viewer_child (f, "favourite_toggle")) &&
         !gtk_widget_get_mapped (viewer_child (f, "copy_button"));
}

/* a desktop: the details beside the image, every action a button */
static gboolean
laid_out_wide (gpointer data)
{
  Fixture *f = data;
  graphene_rect_t image, details;

  return viewer_bounds (f, &image, &details) &&
         details.origin.x >= image.origin.x + image.size.width &&
         title_readable (f) &&
         gtk_widget_get_mapped (viewer_child (f, "copy_button")) &&
         gtk_widget_get_mapped (viewer_child (f, "reuse_button")) &&
         gtk_widget_get_mapped (viewer_child (f, "open_menu_button")) &&
         gtk_widget_get_mapped (viewer_child (f, "favourite_toggle")) &&
         !gtk_widget_get_mapped (viewer_child (f, "more_button"));
}

/* the actions of @model and of its sections */
static void
collect_actions (GMenuModel *model,
                 GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      char *action = NULL;

      if (section != NULL)
        collect_actions (section, actions);
      else if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
    }
}

static gboolean
has_string (GPtrArray  *strings,
            const char *value)
{
  return g_ptr_array_find_with_equal_func (strings, value, g_str_equal, NULL);
}

/* At a phone's width the viewer's title stays readable (the actions but
 * the star go into a menu, as in a narrow header bar) and the details go
 * under the image; wide again, every action is a button and the details
 * are beside the image; and narrow once more. */
static void
test_narrow_and_wide (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  GMenuModel *menu;
  static const char * const hidden[] = {
    "viewer.copy", "viewer.reuse", "viewer.export", "viewer.open", "viewer.open-with",
    "viewer.show-in-files", "viewer.zoom-in", "viewer.zoom-out", "viewer.zoom-fit", "viewer.delete",
  };

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  open_image (f);
  g_assert_true (iterate_until (laid_out_narrow, f, 10));

  /* nothing is lost: what the buttons did, the menu does */
  menu = gtk_menu_button_get_menu_model (viewer_child (f, "more_button"));
  g_assert_nonnull (menu);
  collect_actions (menu, actions);
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      g_test_message ("in the menu: %s", hidden[i]);
      g_assert_true (has_string (actions, hidden[i]));
    }

  /* wide */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 720);
  g_assert_true (iterate_until (laid_out_wide, f, 10));
  g_assert_cmpint (gtk_widget_get_width (viewer_child (f, "viewer_title")), >=,
                   natural_width (viewer_child (f, "viewer_title")) / 2);

  /* and narrow again */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  g_assert_true (iterate_until (laid_out_narrow, f, 10));
}

/* The viewer opened while the window is narrow, on the gallery's page
 * first, lays itself out narrow at once, from its own width. */
static void
test_opened_narrow (Fixture       *f,
                    gconstpointer  data)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  horde_studio_window_show_page (f->window, "gallery");
  iterate_for (200);
  horde_studio_window_show_page (f->window, "create");
  open_image (f);
  g_assert_true (iterate_until (laid_out_narrow, f, 10));
  /* back: the grid, and the viewer lets the image go */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer (f)), "viewer.back", NULL));
  g_assert_null (horde_studio_gallery_view_get_shown (horde_studio_window_get_gallery_view (f->window)));
  g_assert_null (horde_studio_image_viewer_get_item (viewer (f)));
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui/viewer/narrow-and-wide", test_narrow_and_wide },
    { "/ui/viewer/opened-narrow", test_opened_narrow },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

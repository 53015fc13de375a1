/* test-ui-grid.c: the comparison grid, driven as a user drives it, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build), as
 * test-ui.c does: the application in this process, its own horde-sim and
 * gallery folder.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "horde-studio-gallery-item.h"
#include "horde-studio-grid-window.h"
#include "ui-driver.h"

static HordeStudioGridWindow *
find_grid_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (HORDE_STUDIO_IS_GRID_WINDOW (window))
        return HORDE_STUDIO_GRID_WINDOW (window);
    }
  return NULL;
}

/* the grid from the main window's action (or its key, Ctrl+G), over the
 * compose pane's request */
static HordeStudioGridWindow *
open_grid (Fixture  *f,
           gboolean  by_key)
{
  type_prompt (f, "a fox in the snow");
  g_assert_nonnull (horde_studio_compose_get_request (compose (f)));
  g_assert_null (find_grid_window ());
  if (by_key)
    g_assert_true (press_key (f, GTK_WIDGET (f->window), GDK_KEY_g, GDK_CONTROL_MASK));
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare", NULL));
  g_assert_nonnull (find_grid_window ());
  return find_grid_window ();
}

/* the axes, typed into the window's fields */
static void
set_axis (HordeStudioGridWindow *grid,
          const char            *which,
          HordeStudioGridAxis    axis,
          const char            *values)
{
  g_autofree char *axis_name = g_strdup_printf ("%s_axis_row", which);
  g_autofree char *values_name = g_strdup_printf ("%s_values_row", which);

  adw_combo_row_set_selected (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, axis_name), axis);
  gtk_editable_set_text (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, values_name), values);
}

static gboolean
estimated (gpointer data)
{
  HordeStudioGridWindow *grid = data;

  return strstr (horde_studio_grid_window_get_summary (grid), "kudos") != NULL &&
         strstr (horde_studio_grid_window_get_summary (grid), "estimating") == NULL;
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (horde_studio_grid_view_export_finish (HORDE_STUDIO_GRID_VIEW (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "written");
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* Seeds 1, 2 × steps 10, 20: the estimate before anything is sent, four
 * jobs on Run, each cell filled by the image of its own pair, the headers
 * saying the values, and the whole grid as one PNG */
static void
test_seeds_by_steps (Fixture       *f,
                     gconstpointer  data)
{
  HordeStudioGridWindow *grid = open_grid (f, FALSE);
  HordeStudioGridView *view = horde_studio_grid_window_get_grid_view (grid);
  HordeStudioGridPlan *plan;
  g_autofree char *folder = g_dir_make_tmp ("horde-studio-grid-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "grid.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) done = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int cell = 0;
  double kudos = 0;

  set_axis (grid, "column", HORDE_STUDIO_GRID_AXIS_SEED, "1, 2");
  set_axis (grid, "row", HORDE_STUDIO_GRID_AXIS_STEPS, "10, 20");
  plan = horde_studio_grid_window_get_plan (grid);
  g_assert_nonnull (plan);
  g_assert_cmpuint (horde_studio_grid_plan_get_n_columns (plan), ==, 2);
  g_assert_cmpuint (horde_studio_grid_plan_get_n_rows (plan), ==, 2);

  /* the price first, and nothing sent until Run */
  g_assert_false (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button")));
  g_assert_true (iterate_until (estimated, grid, 20));
  g_assert_true (g_str_has_prefix (horde_studio_grid_window_get_summary (grid), "4\u00a0images · about "));
  kudos = g_ascii_strtod (strstr (horde_studio_grid_window_get_summary (grid), "about ") + strlen ("about "), NULL);
  /* each cell is a request of its own: its dry run's images, and the tax
   * of 3 that an accepted request pays instead of the dry run's 1 */
  {
    g_autoptr(HordeClient) client = horde_test_sim_new_client (f->sim);
    double expected = 0;

    for (guint row = 0; row < 2; row++)
      for (guint column = 0; column < 2; column++)
        {
          g_autoptr(HordeImageJob) dry = horde_image_job_new (client, horde_studio_grid_plan_get_request (plan, column, row));
          double each = 0;

          g_assert_true (horde_image_job_estimate_sync (dry, &each, NULL, &error));
          g_assert_no_error (error);
          expected += each - 1 + 3;
        }
    g_assert_cmpfloat (kudos, >, 4 * 3);
    g_assert_cmpfloat (fabs (kudos - expected), <=, 0.5);
  }
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button")));
  g_assert_false (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "export_button")));

  g_signal_emit_by_name (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button"), "clicked");
  /* through the application's job list: one job a cell */
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 4);
  g_assert_false (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button")));
  g_assert_true (iterate_until (grid_filled, grid, 90));
  g_assert_true (g_str_has_prefix (horde_studio_grid_window_get_summary (grid), "4 of 4\u00a0images · about "));

  /* each cell: its job asked for its seed and steps, and its image was
   * made with them; the headers say the values */
  for (guint row = 0; row < 2; row++)
    for (guint column = 0; column < 2; column++)
      {
        HordeStudioJob *job = horde_studio_grid_window_get_job (grid, column, row);
        HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (horde_studio_job_get_request (job));
        HordeStudioGalleryItem *item = HORDE_STUDIO_GALLERY_ITEM (horde_studio_grid_view_get_cell_item (view, column, row));
        const char *seed = column == 0 ? "1" : "2";
        int steps = row == 0 ? 10 : 20;

        g_assert_cmpstr (horde_model_generation_input_stable_get_seed (params), ==, seed);
        g_assert_cmpint (horde_model_generation_input_stable_get_steps (params), ==, steps);
        g_assert_cmpint (horde_model_generation_input_stable_get_n (params), ==, 1);
        g_assert_cmpstr (horde_image_generate_async_request_get_prompt (horde_studio_job_get_request (job)), ==,
                         "a fox in the snow");
        g_assert_cmpstr (horde_studio_gallery_item_get_seed (item), ==, seed);
        g_assert_cmpint (horde_studio_gallery_item_get_steps (item), ==, steps);
        g_assert_cmpstr (horde_studio_gallery_item_get_job_id (item), ==,
                         horde_image_job_get_id (horde_studio_job_get_image_job (job)));
        cell = MAX (cell, MAX (horde_studio_gallery_item_get_width (item), horde_studio_gallery_item_get_height (item)));
      }
  g_assert_cmpstr (horde_studio_grid_view_get_column_header (view, 0), ==, "1");
  g_assert_cmpstr (horde_studio_grid_view_get_column_header (view, 1), ==, "2");
  g_assert_cmpstr (horde_studio_grid_view_get_row_header (view, 0), ==, "10");
  g_assert_cmpstr (horde_studio_grid_view_get_row_header (view, 1), ==, "20");

  /* one PNG, labels beside and over cells of the images' size */
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "export_button")));
  horde_studio_grid_view_export_async (view, file, NULL, export_done, &done);
  g_assert_true (iterate_until (error_set, &done, 30));
  g_assert_error (done, G_IO_ERROR, G_IO_ERROR_EXISTS);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  cell = MIN (cell, 512);
  /* 180 for the rows' labels, 2 × 32 for the headers, 8 between cells */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 180 + 2 * (cell + 8) + 8);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 64 + 2 * (cell + 8) + 8);

  g_remove (path);
  g_remove (folder);
}

/* A value the SDK refuses: said in words, nothing to run */
static void
test_invalid_value (Fixture       *f,
                    gconstpointer  data)
{
  HordeStudioGridWindow *grid = open_grid (f, FALSE);

  set_axis (grid, "column", HORDE_STUDIO_GRID_AXIS_SEED, "1, 2");
  set_axis (grid, "row", HORDE_STUDIO_GRID_AXIS_STEPS, "10, 900");
  g_assert_null (horde_studio_grid_window_get_plan (grid));
  g_assert_cmpstr (horde_studio_grid_window_get_summary (grid), ==, "Steps “900”: 900 is more than the maximum, 500");
  iterate_for (800);
  g_assert_false (gtk_widget_is_sensitive (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button")));

  set_axis (grid, "row", HORDE_STUDIO_GRID_AXIS_SEED, "10");
  g_assert_cmpstr (horde_studio_grid_window_get_summary (grid), ==, "Both axes vary Seed: choose another setting for one of them");

  /* samplers are chosen from the list the Horde knows, not typed */
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "row_choose_button")));
  set_axis (grid, "row", HORDE_STUDIO_GRID_AXIS_SAMPLER, "");
  g_assert_true (gtk_widget_get_visible (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "row_choose_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grid), "grid.add-row-value", "s", "k_euler"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grid), "grid.add-row-value", "s", "lcm"));
  g_assert_cmpstr (gtk_editable_get_text (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "row_values_row")), ==,
                   "k_euler, lcm");
  g_assert_nonnull (horde_studio_grid_window_get_plan (grid));
  g_assert_cmpstr (horde_studio_grid_plan_get_row_label (horde_studio_grid_window_get_plan (grid), 1), ==, "lcm");
}

static gboolean
all_submitted (gpointer data)
{
  HordeStudioGridWindow *grid = data;

  return job_has_id (horde_studio_grid_window_get_job (grid, 0, 0)) &&
         job_has_id (horde_studio_grid_window_get_job (grid, 1, 0));
}

typedef struct {
  Fixture *f;
  GPtrArray *ids;
} Deleted;

static gboolean
all_deleted (gpointer data)
{
  Deleted *d = data;

  for (guint i = 0; i < d->ids->len; i++)
    if (horde_test_sim_job_count (d->f->sim, d->ids->pdata[i], "delete") < 1)
      return FALSE;
  return TRUE;
}

/* Closing the grid while its jobs wait cancels them on the server */
static void
test_close_cancels (Fixture       *f,
                    gconstpointer  data)
{
  HordeStudioGridWindow *grid = open_grid (f, TRUE);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Deleted deleted = { f, ids };

  set_axis (grid, "column", HORDE_STUDIO_GRID_AXIS_CFG, "5, 7.5");
  set_axis (grid, "row", HORDE_STUDIO_GRID_AXIS_SEED, "3");
  g_assert_true (iterate_until (estimated, grid, 20));
  g_signal_emit_by_name (child (GTK_WIDGET (grid), HORDE_STUDIO_TYPE_GRID_WINDOW, "run_button"), "clicked");
  g_assert_true (iterate_until (all_submitted, grid, 20));
  for (guint column = 0; column < 2; column++)
    g_ptr_array_add (ids, g_strdup (horde_image_job_get_id (horde_studio_job_get_image_job (horde_studio_grid_window_get_job (grid, column, 0)))));

  gtk_window_close (GTK_WINDOW (grid));
  g_assert_null (find_grid_window ());
  g_assert_true (iterate_until (all_deleted, &deleted, 20));
}

int
main (int argc, char *argv[])
{
  static const char *held[] = { "--workers", "0", "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui/grid/seeds-by-steps", test_seeds_by_steps },
    { "/ui/grid/invalid-value", test_invalid_value },
    { "/ui/grid/close-cancels", test_close_cancels, held },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

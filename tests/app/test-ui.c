/* test-ui.c: Horde Studio's window, driven as a user drives it, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). Each test
 * starts the application in this process with its own horde-sim and its own
 * gallery folder, fills in the widgets of the real window and presses its
 * buttons, and checks what the user would see, what is on disk, and what
 * the server was sent.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <sqlite3.h>

#include "horde-studio-preferences.h"
#include "horde-studio-util.h"
#include "ui-driver.h"

/* ---- the tests --------------------------------------------------------- */

/* a button of a row that it offers now (a button it does not offer
 * leaves its slot empty) */
static gboolean
offered (HordeStudioJobRow *row,
         const char        *name)
{
  GtkWidget *button = child (GTK_WIDGET (row), HORDE_STUDIO_TYPE_JOB_ROW, name);

  return gtk_widget_get_visible (button) &&
         gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (button))) == button;
}

/* where a widget is in its row */
static graphene_rect_t
bounds_in_row (HordeStudioJobRow *row,
               const char        *name)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child (GTK_WIDGET (row), HORDE_STUDIO_TYPE_JOB_ROW, name),
                                            GTK_WIDGET (row), &bounds));
  return bounds;
}

/* a figure and its unit are never apart at the end of a line: no
 * ordinary space between them */
static void
assert_units_kept (const char *text)
{
  g_autoptr(GRegex) apart = g_regex_new ("[0-9] (s|min|kudos|images?)\\b", 0, 0, NULL);

  if (g_regex_match (apart, text, 0, NULL))
    g_error ("“%s” may wrap between a figure and its unit", text);
}

/* whether the size row offers a preset called @label */
static gboolean
size_offered (Fixture    *f,
              const char *label)
{
  AdwComboRow *size_row = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "size_row");

  return string_position (adw_combo_row_get_model (size_row), label) != GTK_INVALID_LIST_POSITION;
}

static void
test_sizes_follow_model (Fixture       *f,
                         gconstpointer  data)
{
  AdwComboRow *size_row = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "size_row");
  HordeModelGenerationInputStable *params;

  type_prompt (f, "a lighthouse at dusk");

  /* any model: every preset */
  g_assert_true (size_offered (f, "Square, 512 × 512"));
  g_assert_true (size_offered (f, "Portrait, 832 × 1216"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size_row)), "best images"));

  /* an SDXL model at 512 × 512: the row says so, and offers its sizes */
  select_model (f, "AlbedoBase XL (SDXL)");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size_row)),
                            "SDXL models make their best images near 1024 × 1024"));
  g_assert_false (size_offered (f, "Square, 512 × 512"));
  g_assert_true (size_offered (f, "Portrait, 832 × 1216"));
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (size_row)), ==, "Custom");

  /* one of them: the hint goes, and the request has its size */
  select_in (size_row, "Portrait, 832 × 1216");
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size_row)), "best images"));
  params = horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f)));
  g_assert_cmpint (horde_model_generation_input_stable_get_width (params), ==, 832);
  g_assert_cmpint (horde_model_generation_input_stable_get_height (params), ==, 1216);

  /* a Stable Diffusion 1.5 model: its own sizes, the chosen one kept but
   * said to be large */
  select_model (f, "Deliberate");
  g_assert_true (size_offered (f, "Square, 512 × 512"));
  g_assert_false (size_offered (f, "Portrait, 832 × 1216"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (size_row)),
                            "Stable Diffusion 1.5 models make their best images near 512 × 512"));
  params = horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f)));
  g_assert_cmpint (horde_model_generation_input_stable_get_width (params), ==, 832);
}

static gboolean
generate_offered (gpointer data)
{
  return gtk_widget_is_sensitive (compose_part (data, "generate_button"));
}

static void
test_generate (Fixture       *f,
               gconstpointer  data)
{
  HordeStudioGallery *gallery = horde_studio_application_get_gallery (f->app);
  HordeStudioJob *job;
  HordeStudioGalleryItem *item;
  g_autoptr(HordeStudioGalleryItem) first = NULL;
  g_autofree char *db_path = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GtkWindow *other;

  type_prompt (f, "a lighthouse at dusk");
  set_spin (f, "n_spin", 2);
  set_spin (f, "steps_spin", 20);
  press_generate (f);

  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 1);
  job = job_at (f, 0);

  /* while the request is on its way, Generate waits: a second press or
   * Ctrl+Enter would send it twice */
  g_assert_false (gtk_widget_is_sensitive (compose_part (f, "generate_button")));
  g_assert_true (iterate_until (generate_offered, f, 20));
  g_assert_true (job_has_id (job));

  /* the user turns to another window while it runs */
  other = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (other);
  g_assert_true (iterate_until (window_inactive, f->window, 10));

  /* the row tells the progress as the job reports it */
  g_assert_true (iterate_until (job_has_id, job, 20));
  g_assert_true (iterate_until (job_ended, job, 60));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);
  g_assert_nonnull (strstr (horde_studio_job_row_get_status_text (row_at (f, 0)), "Done"));
  g_assert_null (horde_studio_job_row_get_error_text (row_at (f, 0)));
  /* and what it cost, once the charge is final */
  {
    double kudos = horde_image_job_get_kudos (horde_studio_job_get_image_job (job));
    g_autofree char *cost = g_strdup_printf (" · cost %.0f\u00a0kudos", kudos);

    g_assert_cmpfloat (kudos, >, 0);
    g_assert_nonnull (strstr (horde_studio_job_row_get_status_text (row_at (f, 0)), cost));
  }

  /* both images are in the job's row and in the gallery, from files */
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_job_get_images (job)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
  g_assert_true (g_file_test (horde_studio_gallery_item_get_path (first), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (horde_studio_gallery_item_get_thumbnail_path (first), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (horde_studio_gallery_item_get_path (first), f->gallery_dir));
  item = first;
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (item), ==, "a lighthouse at dusk");
  g_assert_cmpint (horde_studio_gallery_item_get_steps (item), ==, 20);
  g_assert_cmpint (horde_studio_gallery_item_get_width (item), ==, 512);
  g_assert_cmpstr (horde_studio_gallery_item_get_job_id (item), ==,
                   horde_image_job_get_id (horde_studio_job_get_image_job (job)));
  g_assert_nonnull (horde_studio_gallery_item_get_seed (item));
  g_assert_nonnull (horde_studio_gallery_item_get_model (item));
  /* each image carries its share of the charge */
  g_assert_cmpfloat_with_epsilon (horde_studio_gallery_item_get_kudos (item),
                                  horde_image_job_get_kudos (horde_studio_job_get_image_job (job)) / 2, 1e-9);

  /* the index on disk, read as any other program would */
  db_path = g_build_filename (f->gallery_dir, "gallery.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* finished while the window was in the background: a notification */
  g_assert_true (iterate_until (notified, NULL, 5));
  g_assert_cmpstr (notifications->pdata[0], ==, "2 images are ready");
  gtk_window_destroy (other);

  /* the gallery shows them, and the viewer opens one */
  horde_studio_window_show_page (f->window, "gallery");
  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), item);
  g_assert_true (horde_studio_gallery_view_get_shown (horde_studio_window_get_gallery_view (f->window)) == item);
}

static void
test_cancel_job (Fixture       *f,
                 gconstpointer  data)
{
  HordeStudioJob *job;
  const char *id;
  graphene_rect_t duplicate_before, cancel_before;

  type_prompt (f, "three slow owls");
  set_spin (f, "n_spin", 3);
  press_generate (f);
  job = job_at (f, 0);

  /* one worker, 2 s an image: cancel once the first is finished */
  g_assert_true (iterate_until (job_has_finished_one, job, 30));
  g_assert_true (offered (row_at (f, 0), "cancel_button"));
  g_assert_false (offered (row_at (f, 0), "remove_button"));
  duplicate_before = bounds_in_row (row_at (f, 0), "duplicate_button");
  cancel_before = bounds_in_row (row_at (f, 0), "cancel_button");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row_at (f, 0)), "job.cancel", NULL));
  g_assert_true (iterate_until (job_ended, job, 30));

  /* the buttons stay where they were: no other button comes under the
   * pointer that pressed Cancel, and "use these settings" has not moved */
  iterate_for (100);
  g_assert_false (offered (row_at (f, 0), "cancel_button"));
  g_assert_true (offered (row_at (f, 0), "remove_button"));
  {
    graphene_rect_t duplicate_after = bounds_in_row (row_at (f, 0), "duplicate_button");
    graphene_point_t centre;
    GtkWidget *under;

    g_assert_true (graphene_rect_equal (&duplicate_before, &duplicate_after));
    graphene_rect_get_center (&cancel_before, &centre);
    under = gtk_widget_pick (GTK_WIDGET (row_at (f, 0)), centre.x, centre.y, GTK_PICK_DEFAULT);
    g_assert_true (under == NULL || gtk_widget_get_ancestor (under, GTK_TYPE_BUTTON) == NULL);
  }

  id = horde_image_job_get_id (horde_studio_job_get_image_job (job));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpint (horde_test_sim_job_count (f->sim, id, "delete"), ==, 1);
  /* what was finished is kept */
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_job_get_images (job)), >=, 1);
  g_assert_nonnull (strstr (horde_studio_job_row_get_status_text (row_at (f, 0)), "Cancelled"));

  /* each kept image's cost is the final charge over the images kept, not
   * over the images asked for */
  {
    GListModel *images = horde_studio_job_get_images (job);
    guint kept = g_list_model_get_n_items (images);
    double kudos = horde_image_job_get_kudos (horde_studio_job_get_image_job (job));

    for (guint i = 0; i < kept; i++)
      {
        g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (images, i);

        g_assert_cmpfloat_with_epsilon (horde_studio_gallery_item_get_kudos (item), kudos / kept, 1e-9);
      }
    if (kudos > 0)
      g_assert_nonnull (strstr (horde_studio_job_row_get_status_text (row_at (f, 0)), "cost"));
  }
}

typedef struct {
  Fixture *f;
  gboolean saw_generating;
  gboolean saw_sent;
} RowWatch;

/* until the job ends, what its row says as it goes: the place in the
 * queue only while queued, and the time since it was sent, in words */
static gboolean
row_watched_until_ended (gpointer data)
{
  RowWatch *watch = data;
  HordeStudioJob *job = job_at (watch->f, 0);
  HordeJobState state = horde_image_job_get_state (horde_studio_job_get_image_job (job));
  const char *status = horde_studio_job_row_get_status_text (row_at (watch->f, 0));

  if (state == HORDE_JOB_STATE_PROCESSING)
    {
      watch->saw_generating = TRUE;
      if (strstr (status, "position") != NULL)
        g_error ("a generating request says “%s”", status);
    }
  if (!horde_studio_job_is_ended (job) && strstr (status, " · sent ") != NULL && strstr (status, " ago") != NULL)
    watch->saw_sent = TRUE;
  assert_units_kept (status);
  return job_ended (job);
}

/* A job's row: what it asked for, what the row says as it runs, and the
 * whole of each image, whatever its shape */
static void
test_job_row (Fixture       *f,
              gconstpointer  data)
{
  RowWatch watch = { f, FALSE, FALSE };
  HordeStudioJob *job;
  HordeImageGenerateAsyncRequest *request;
  const char * const *models;
  g_autofree char *details = NULL;
  const char *status;
  GtkWidget *images;
  guint n_pictures = 0;

  type_prompt (f, "a tall lighthouse");
  set_spin (f, "n_spin", 2);
  set_spin (f, "width_spin", 512);
  set_spin (f, "height_spin", 768);
  press_generate (f);
  job = job_at (f, 0);

  /* the model, the size and the number of images, under the prompt */
  request = horde_studio_job_get_request (job);
  models = horde_image_generate_async_request_get_models (request);
  details = g_strdup_printf ("%s · 512×768 · 2\u00a0images",
                             models != NULL && models[0] != NULL ? models[0] : "Any model");
  g_assert_cmpstr (horde_studio_job_row_get_details_text (row_at (f, 0)), ==, details);

  g_assert_true (iterate_until (row_watched_until_ended, &watch, 60));
  g_assert_true (watch.saw_generating);
  g_assert_true (watch.saw_sent);
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);

  /* once ended, how long it took */
  status = horde_studio_job_row_get_status_text (row_at (f, 0));
  g_assert_nonnull (strstr (status, " · took "));
  g_assert_null (strstr (status, " ago"));
  g_assert_true (g_regex_match_simple ("took [0-9]+\u00a0s", status, 0, 0));
  assert_units_kept (status);

  /* each image whole, as high as the row's images: a portrait is not cut
   * to its middle */
  images = child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "images_box");
  iterate_for (200);
  for (GtkWidget *box_child = gtk_widget_get_first_child (images); box_child != NULL;
       box_child = gtk_widget_get_next_sibling (box_child))
    {
      GtkWidget *picture = box_child;

      while (picture != NULL && !GTK_IS_PICTURE (picture))
        picture = gtk_widget_get_first_child (picture);
      if (picture == NULL)
        continue;
      n_pictures++;
      g_assert_cmpint (gtk_picture_get_content_fit (GTK_PICTURE (picture)), ==, GTK_CONTENT_FIT_CONTAIN);
      g_assert_cmpint (gtk_widget_get_height (picture), ==, 96);
      g_assert_cmpint (gtk_widget_get_width (picture), ==, 64);
    }
  g_assert_cmpuint (n_pictures, ==, 2);
}

/* "Clear Finished" takes the ended requests off the list, never a
 * running one */
static void
test_clear_finished (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *clear = child (GTK_WIDGET (horde_studio_window_get_job_list (f->window)),
                            HORDE_STUDIO_TYPE_JOB_LIST, "clear_button");
  HordeStudioJob *first, *second;
  g_autoptr(HordeStudioJob) left = NULL;

  g_assert_false (gtk_widget_is_sensitive (clear));

  type_prompt (f, "a fox");
  press_generate (f);
  first = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, first, 30));
  g_assert_true (gtk_widget_is_sensitive (clear));

  type_prompt (f, "three slow owls");
  set_spin (f, "n_spin", 3);
  press_generate (f);
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 2);
  second = job_at (f, 0) == first ? job_at (f, 1) : job_at (f, 0);
  g_assert_true (iterate_until (job_has_id, second, 20));
  g_assert_false (horde_studio_job_is_ended (second));

  g_signal_emit_by_name (clear, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 1);
  left = g_list_model_get_item (jobs_model (f), 0);
  g_assert_true (left == second);
  g_assert_false (gtk_widget_is_sensitive (clear));

  /* once it has ended, it goes too; its images stay in the gallery */
  g_assert_true (iterate_until (job_ended, second, 60));
  g_assert_true (gtk_widget_is_sensitive (clear));
  g_signal_emit_by_name (clear, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (horde_studio_application_get_gallery (f->app))), ==, 4);
}

static gboolean
two_submitted (gpointer data)
{
  Fixture *f = data;

  return horde_test_sim_count (f->sim, "POST /api/v2/generate/async") >= 2 &&
         job_has_id (job_at (f, 0)) && job_has_id (job_at (f, 1));
}

static gboolean
both_deleted (gpointer data)
{
  Fixture *f = data;

  return horde_test_sim_job_count (f->sim, horde_image_job_get_id (horde_studio_job_get_image_job (job_at (f, 0))), "delete") == 1 &&
         horde_test_sim_job_count (f->sim, horde_image_job_get_id (horde_studio_job_get_image_job (job_at (f, 1))), "delete") == 1;
}

static void
test_close_with_running_jobs (Fixture       *f,
                              gconstpointer  data)
{
  type_prompt (f, "a queue that never moves");
  press_generate (f);
  type_prompt (f, "another one");
  press_generate (f);
  g_assert_true (iterate_until (two_submitted, f, 20));

  /* closing asks first */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  g_assert_nonnull (gtk_application_get_active_window (GTK_APPLICATION (f->app)));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog (f)), "cancel");
  f->window = NULL;       /* the application closes it */

  /* both requests are deleted on the server */
  g_assert_true (iterate_until (both_deleted, f, 10));
}

static gboolean
all_submitted (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < g_list_model_get_n_items (jobs_model (f)); i++)
    if (!job_has_id (job_at (f, i)))
      return FALSE;
  return TRUE;
}

static gboolean
all_deleted (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < g_list_model_get_n_items (jobs_model (f)); i++)
    {
      HordeImageJob *image_job = horde_studio_job_get_image_job (job_at (f, i));

      if (horde_test_sim_job_count (f->sim, horde_image_job_get_id (image_job), "delete") != 1 ||
          !horde_studio_job_is_ended (job_at (f, i)))
        return FALSE;
    }
  return TRUE;
}

/* "Cancel All" in the job list: it asks first when more than one request
 * runs, then cancels each on the server, as its row's Cancel does */
static void
test_cancel_all (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *list = GTK_WIDGET (horde_studio_window_get_job_list (f->window));
  GtkWidget *cancel_all = child (list, HORDE_STUDIO_TYPE_JOB_LIST, "cancel_all_button");
  GtkWindow *dialog;

  g_assert_false (gtk_widget_is_sensitive (cancel_all));
  type_prompt (f, "a queue that never moves");
  press_generate (f);
  type_prompt (f, "another one");
  press_generate (f);
  type_prompt (f, "and a third");
  press_generate (f);
  g_assert_true (iterate_until (all_submitted, f, 20));
  g_assert_true (gtk_widget_is_sensitive (cancel_all));

  /* three running: it asks, and "Keep Waiting" keeps them */
  g_signal_emit_by_name (cancel_all, "clicked");
  g_assert_true (iterate_until (dialog_shown, f, 5));
  dialog = find_dialog (f);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "3 requests"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (dialog);
  iterate_for (200);
  g_assert_cmpuint (horde_studio_jobs_get_n_unfinished (horde_studio_application_get_jobs (f->app)), ==, 3);

  /* asked again, they are cancelled on the server, each of them */
  g_signal_emit_by_name (cancel_all, "clicked");
  g_assert_true (iterate_until (dialog_shown, f, 5));
  dialog = find_dialog (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (dialog);
  g_assert_true (iterate_until (all_deleted, f, 20));
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 3);
  g_assert_false (gtk_widget_is_sensitive (cancel_all));

  /* one running: cancelled at once, as its row's button would */
  type_prompt (f, "a single one");
  press_generate (f);
  g_assert_true (iterate_until (all_submitted, f, 20));
  g_signal_emit_by_name (cancel_all, "clicked");
  g_assert_null (find_dialog (f));
  g_assert_true (iterate_until (all_deleted, f, 20));
}

/* Ctrl+W is the close button's twin: with requests running it asks */
static void
test_close_key_with_running_jobs (Fixture       *f,
                                  gconstpointer  data)
{
  type_prompt (f, "a queue that never moves");
  press_generate (f);
  g_assert_true (iterate_until (job_has_id, job_at (f, 0), 20));

  g_assert_true (press_key (f, GTK_WIDGET (f->window), GDK_KEY_w, GDK_CONTROL_MASK));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (f->app)) != NULL);
}

static gboolean
width_marked (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static void
test_invalid_size (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *width_row = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "width_row");
  GtkLabel *problem = compose_part (f, "problem_label");
  GtkWidget *button = compose_part (f, "generate_button");

  type_prompt (f, "a square that is not");
  set_spin (f, "width_spin", 500);

  /* refused in place, before anything is sent */
  g_assert_true (iterate_until (width_marked, width_row, 5));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_nonnull (strstr (gtk_label_get_text (problem), "Width"));
  g_assert_nonnull (strstr (gtk_label_get_text (problem), "multiple of 64"));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/async"), ==, 0);

  /* and fixed in place */
  set_spin (f, "width_spin", 512);
  g_assert_false (gtk_widget_has_css_class (width_row, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (button));
}

/* A LoRA row just added is on its way to being filled: the footer says
 * what is missing, in words, without blaming the prompt or marking the row
 * red; once the user has been at it and left it empty, it is marked */
static void
test_lora_problem (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *group = compose_part (f, "lora_list");
  GtkLabel *problem = compose_part (f, "problem_label");
  GtkLabel *cost = compose_part (f, "cost_label");
  GtkWidget *button = compose_part (f, "generate_button");
  GtkListBox *list = compose_part (f, "loras_list");
  GtkEditable *name;

  type_prompt (f, "a fox in the snow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.add-lora", NULL));
  iterate_for (100);
  name = g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (list, 0)), "name");
  g_assert_nonnull (name);

  /* said, not marked, and never the prompt's fault */
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (problem), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "LoRA 1 name: must not be empty");
  g_assert_true (!gtk_widget_get_visible (GTK_WIDGET (cost)) ||
                 strstr (gtk_label_get_text (cost), "prompt") == NULL);

  /* typed in and emptied again: now it is a mistake, marked */
  gtk_editable_set_text (name, "x");
  gtk_editable_set_text (name, "");
  g_assert_true (gtk_widget_has_css_class (group, "error"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (problem), "error"));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "LoRA 1 name: must not be empty");

  /* a second problem: the first said, both in the tooltip */
  set_spin (f, "width_spin", 500);
  g_assert_nonnull (strstr (gtk_label_get_text (problem), "(and 1 more)"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (problem)), "LoRA 1 name"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (problem)), "Width"));

  /* filled in: the request is whole again and priced */
  set_spin (f, "width_spin", 512);
  gtk_editable_set_text (name, "247778");
  g_assert_false (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cost)));

  /* without a prompt, that is what is missing */
  type_prompt (f, "");
  g_assert_cmpstr (gtk_label_get_text (cost), ==, "Write a prompt to make images.");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
}

static gboolean
cost_says_upfront (gpointer data)
{
  return strstr (gtk_label_get_text (data), "upfront") != NULL;
}

static void
test_kudos_upfront (Fixture       *f,
                    gconstpointer  data)
{
  GtkLabel *cost = compose_part (f, "cost_label");
  HordeStudioJob *job;
  const char *error;

  /* anonymous, and bigger than the Horde gives without kudos */
  type_prompt (f, "a giant mural");
  set_spin (f, "steps_spin", 100);
  set_spin (f, "width_spin", 1024);
  set_spin (f, "height_spin", 1024);

  /* the dry run says so before anything is sent */
  g_assert_true (iterate_until (cost_says_upfront, cost, 10));
  /* on a short line, what to do in its tooltip; the anonymous limits it
   * gives are not said again by the account line */
  g_assert_null (strstr (gtk_label_get_text (cost), "fewer steps"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (cost)), "fewer steps"));
  g_assert_nonnull (strstr (gtk_label_get_text (cost), "50 steps"));
  {
    GtkLabel *account = compose_part (f, "account_label");

    g_assert_nonnull (strstr (gtk_label_get_text (account), "Anonymous"));
    g_assert_null (strstr (gtk_label_get_text (account), "50 steps"));
  }

  /* and the job's row explains it, with what fixes it */
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 20));
  error = horde_studio_job_row_get_error_text (row_at (f, 0));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "kudos upfront"));
  g_assert_nonnull (strstr (error, "fewer steps"));
  /* words, never the server's raw answer */
  g_assert_null (strchr (error, '{'));
  g_assert_null (strstr (error, "403"));
}

static void
select_row (Fixture    *f,
            const char *name,
            const char *value)
{
  AdwComboRow *row = compose_part (f, name);
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), value))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("%s offers no %s", name, value);
}

static GtkListBoxRow *
lora_row (Fixture *f,
          guint    position)
{
  GtkListBox *list = compose_part (f, "loras_list");

  return gtk_list_box_get_row_at_index (list, position);
}

static void
test_img2img_and_extras (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 200);
  g_autofree char *png = NULL;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *loras_group = compose_part (f, "lora_list");
  GtkWidget *button = compose_part (f, "generate_button");
  HordeImageGenerateAsyncRequest *request;
  HordeModelGenerationInputStable *params;
  HordeModelPayloadLorasStable * const *loras;
  const char * const *post;
  gsize n_loras = 0;
  HordeStudioJob *job;

  type_prompt (f, "the same street, at night");

  /* a source image, as a drop or a paste gives it */
  gdk_pixbuf_fill (pixbuf, 0x3366aaff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", &error, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&png), len);
  g_assert_true (horde_studio_compose_set_source_bytes (compose (f), bytes, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (compose_part (f, "denoising_row")));
  set_spin (f, "denoising_spin", 0.6);

  /* a face fixer and one upscaler */
  select_row (f, "facefixer_row", "GFPGAN");
  select_row (f, "upscaler_row", "RealESRGAN_x4plus");

  /* a LoRA without a name cannot be sent; the row just added is not
   * marked as a mistake (see /ui/lora-problem) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.add-lora", NULL));
  g_assert_false (gtk_widget_has_css_class (loras_group, "error"));
  g_assert_false (gtk_widget_is_sensitive (button));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (lora_row (f, 0)), "name"), "Magnagothica");
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (lora_row (f, 0)), "strength"), 0.8);
  g_assert_false (gtk_widget_has_css_class (loras_group, "error"));

  press_generate (f);
  job = job_at (f, 0);
  request = horde_studio_job_get_request (job);
  params = horde_image_generate_async_request_get_params (request);

  /* the request carries all of it */
  g_assert_nonnull (horde_image_generate_async_request_get_source_image (request));
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "img2img");
  g_assert_cmpfloat_with_epsilon (horde_model_generation_input_stable_get_denoising_strength (params), 0.6, 1e-9);
  post = horde_model_generation_input_stable_get_post_processing (params);
  g_assert_cmpstr (post[0], ==, "GFPGAN");
  g_assert_cmpstr (post[1], ==, "RealESRGAN_x4plus");
  g_assert_null (post[2]);
  loras = horde_model_generation_input_stable_get_loras (params, &n_loras);
  g_assert_cmpuint (n_loras, ==, 1);
  g_assert_cmpstr (horde_model_payload_loras_stable_get_name (loras[0]), ==, "Magnagothica");
  g_assert_cmpfloat_with_epsilon (horde_model_payload_loras_stable_get_model (loras[0]), 0.8, 1e-9);

  /* and the server takes it (it checks that the source is an image) */
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);

  /* "duplicate" brings every setting back */
  horde_studio_compose_set_source_bytes (compose (f), NULL, NULL);
  horde_studio_compose_load_request (compose (f), request);
  g_assert_true (horde_image_generate_async_request_equal (horde_studio_compose_get_request (compose (f)), request));
}


/* ---- the model list and the size ---------------------------------- */

/* the label under @widget whose text is @text, searched depth first */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
model_in_popup (gpointer data)
{
  return find_label (data, "Deliberate") != NULL;
}

static void
test_models_and_size (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *dropdown = GTK_WIDGET (model_dropdown (f));
  AdwActionRow *size_row = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "size_row");
  GtkSpinButton *width = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "width_spin");
  GtkSpinButton *height = child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "height_spin");
  GtkLabel *name;
  const char *summary;

  /* the open list shows, under each model, what the server says of it */
  g_assert_true (iterate_until (models_listed, f, 10));
  g_signal_emit_by_name (dropdown, "activate");
  g_assert_true (iterate_until (model_in_popup, dropdown, 5));
  name = find_label (dropdown, "Deliberate");
  summary = gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (name))));
  /* the simulator's workers are idle */
  g_assert_nonnull (strstr (summary, "3 workers"));
  g_assert_nonnull (strstr (summary, "no queue"));
  g_assert_nonnull (find_label (dropdown, "Any model a worker serves"));

  /* the size says its shape */
  set_spin (f, "width_spin", 512);
  set_spin (f, "height_spin", 768);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (size_row), "2:3"));

  /* with the aspect ratio kept, one side follows the other in steps of 64 */
  gtk_switch_set_active (child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "aspect_switch"), TRUE);
  set_spin (f, "width_spin", 768);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (height), ==, 1152);
  set_spin (f, "height_spin", 512);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (width), ==, 320);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (size_row), "0.16 megapixels"));

  /* and without, it stays where it is */
  gtk_switch_set_active (child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "aspect_switch"), FALSE);
  set_spin (f, "width_spin", 1024);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (height), ==, 512);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (size_row), "2:1"));
}

typedef struct {
  HordeTestSim *sim;
  const char *route;
} SimRoute;

static gboolean
sim_was_asked (gpointer data)
{
  SimRoute *asked = data;

  return horde_test_sim_count (asked->sim, asked->route) > 0;
}

/* Another server in Preferences: its models and the account on it, at once */
static void
test_server_change (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HordeTestSim) other = horde_test_sim_start ("--workers", "1", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.hordestudio.HordeStudio");
  SimRoute models = { other, "GET /api/v2/status/models" };
  GtkLabel *account = compose_part (f, "account_label");

  g_assert_true (iterate_until (models_listed, f, 10));
  g_settings_set_string (settings, "server-url", horde_test_sim_get_url (other));
  horde_studio_application_apply_server (f->app);
  g_assert_true (iterate_until (sim_was_asked, &models, 10));

  /* without a key there is no account to ask either server about: the
   * start sent no anonymous find_user, and neither did the change */
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/find_user"), ==, 0);
  g_assert_cmpint (horde_test_sim_count (other, "GET /api/v2/find_user"), ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (account), "Anonymous"));
}

static gboolean
row_warns_no_worker (gpointer data)
{
  Fixture *f = data;
  GtkLabel *warning = child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "warning_label");

  return gtk_widget_get_visible (GTK_WIDGET (warning)) &&
         strstr (gtk_label_get_text (warning), "keeps it until") != NULL &&
         horde_image_job_get_last_check (horde_studio_job_get_image_job (job_at (f, 0))) != NULL;
}

/* No worker serves the request: the server's own words and its expiry,
 * never a countdown; at the expiry, that it expired without a worker */
static void
test_impossible (Fixture       *f,
                 gconstpointer  data)
{
  GtkLabel *warning;
  HordeStudioJob *job;
  const char *status;
  const char *error;

  type_prompt (f, "a request no worker can take");
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (row_warns_no_worker, f, 20));

  warning = child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "warning_label");
  /* the server's message, as its NoAvailableWorker warning has it */
  g_assert_nonnull (strstr (gtk_label_get_text (warning), "No available workers"));
  g_assert_nonnull (strstr (gtk_label_get_text (warning), "it runs if a worker"));
  /* the time libhorde expects the server to drop it */
  {
    GDateTime *expires_at = horde_job_get_expires_at (HORDE_JOB (horde_studio_job_get_image_job (job)));
    g_autoptr(GDateTime) local = NULL;
    g_autofree char *until = NULL;

    g_assert_nonnull (expires_at);
    local = g_date_time_to_local (expires_at);
    until = g_date_time_format (local, "until %H:%M;");
    g_assert_nonnull (strstr (gtk_label_get_text (warning), until));
  }
  status = horde_studio_job_row_get_status_text (row_at (f, 0));
  g_assert_nonnull (strstr (status, "no worker can make it"));
  g_assert_null (strstr (status, "s left"));


  /* twenty minutes later the server has forgotten it */
  horde_test_sim_set_faults (f->sim, "status:404@GET /api/v2/generate/check/*,rc=RequestNotFound,"
                                     "message=Request not found");
  g_assert_true (iterate_until (job_ended, job, 60));
  error = horde_studio_job_row_get_error_text (row_at (f, 0));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "expired without a worker"));
  g_assert_null (strstr (error, "no longer knows"));
  horde_test_sim_set_faults (f->sim, NULL);
}

static gboolean
sim_count_reaches (HordeTestSim *sim,
                   const char   *route,
                   gint64        count)
{
  return horde_test_sim_count (sim, route) >= count;
}

typedef struct {
  HordeTestSim *sim;
  const char *route;
  gint64 count;
} SimCount;

static gboolean
sim_counted (gpointer data)
{
  SimCount *c = data;

  return sim_count_reaches (c->sim, c->route, c->count);
}

static gboolean
model_listed (gpointer data)
{
  Fixture *f = data;
  GtkDropDown *dropdown = model_dropdown (f);
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "BrandNewModel"))
        return TRUE;
    }
  return FALSE;
}

/* A worker comes with a model nobody served: it appears when the list is
 * asked for again, while the app runs */
static void
test_models_refresh (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeGenerationPayloadStable) payload = NULL;
  SimCount asked = { f->sim, "GET /api/v2/status/models", 0 };

  g_assert_true (iterate_until (models_listed, f, 10));
  g_assert_false (model_listed (f));

  payload = worker_pop (f, "{\"name\": \"a new worker\", \"models\": [\"BrandNewModel\"]}");

  asked.count = horde_test_sim_count (f->sim, asked.route) + 1;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.refresh-models", NULL));
  g_assert_true (iterate_until (sim_counted, &asked, 10));
  g_assert_true (iterate_until (model_listed, f, 10));
}

static gboolean
account_shows_kudos (gpointer data)
{
  GtkLabel *label = data;

  return strstr (gtk_label_get_text (label), "kudos") != NULL;
}

/* The account is read again after a job, while the server settles what
 * the job cost */
static void
test_kudos_settle (Fixture       *f,
                   gconstpointer  data)
{
  GtkLabel *account = compose_part (f, "account_label");
  SimCount asked = { f->sim, "GET /api/v2/find_user", 0 };
  HordeStudioJob *job;

  horde_client_set_api_key (horde_studio_application_get_client (f->app), TEST_KEY);
  horde_studio_application_refresh_account (f->app);
  g_assert_true (iterate_until (account_shows_kudos, account, 10));

  type_prompt (f, "a paid lighthouse");
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));

  /* at once, and again ten seconds later */
  asked.count = horde_test_sim_count (f->sim, asked.route) + 1;
  g_assert_true (iterate_until (sim_counted, &asked, 5));
  asked.count++;
  g_assert_true (iterate_until (sim_counted, &asked, 20));
}

/* ---- the server away ------------------------------------------------ */

static GtkRevealer *
offline_banner (Fixture *f)
{
  return child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "offline_revealer");
}

/* the banner says the server cannot be reached (not that it is being
 * reached, as it does from the start) */
static gboolean
banner_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_revealer_get_reveal_child (offline_banner (f)) &&
         gtk_widget_get_visible (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "offline_icon"));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static gboolean
says_unreachable (gpointer data)
{
  return strstr (gtk_label_get_text (data), "Could not reach the Horde") != NULL;
}

static gboolean
priced (gpointer data)
{
  return strstr (gtk_label_get_text (data), "kudos") != NULL;
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  GtkLabel *label = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "offline_label");
  GtkLabel *cost = compose_part (f, "cost_label");
  HordeStudioJob *job;
  HordeStudioJob *again;
  const char *error;

  /* every connection to the server breaks: the window says so, in words */
  g_assert_true (iterate_until (banner_shown, f, 20));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "Could not reach the Horde"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "Trying again"));
  g_assert_false (models_listed (f));

  /* the price cannot be asked: said on one line, what to do in its
   * tooltip */
  type_prompt (f, "a lighthouse, offline");
  g_assert_true (iterate_until (says_unreachable, cost, 10));
  g_assert_null (strstr (gtk_label_get_text (cost), "Check your connection"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (cost)), "Check your connection"));

  /* a request made now fails where it is, with what to do */
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  error = horde_studio_job_row_get_error_text (row_at (f, 0));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "Could not reach the Horde"));
  g_assert_true (offered (row_at (f, 0), "retry_button"));

  /* the server comes back; "Try Now" finds it, and the banner goes */
  horde_test_sim_set_faults (f->sim, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry-connection", NULL));
  g_assert_true (iterate_until (banner_hidden, f, 20));
  g_assert_true (iterate_until (models_listed, f, 5));
  /* and the footer no longer says the server is away: it gives the price */
  g_assert_true (iterate_until (priced, cost, 10));
  g_assert_false (says_unreachable (cost));

  /* and the failed request runs when retried */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row_at (f, 0)), "job.retry", NULL));
  again = job_at (f, 0);
  g_assert_true (again != job);
  g_assert_true (iterate_until (job_ended, again, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (again)), ==, HORDE_JOB_STATE_DONE);
}

static gboolean
row_says_asking_again (gpointer data)
{
  Fixture *f = data;
  GtkLabel *warning = child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "warning_label");

  return gtk_widget_get_visible (GTK_WIDGET (warning)) &&
         strstr (gtk_label_get_text (warning), "Asking again") != NULL;
}

static void
test_outage_during_job (Fixture       *f,
                        gconstpointer  data)
{
  HordeStudioGallery *gallery = horde_studio_application_get_gallery (f->app);
  HordeStudioJob *job;
  HordeImageJob *image_job;
  g_autoptr(GPtrArray) pending = NULL;

  /* one retry of the client's own, so that the job meets the outage soon */
  horde_client_set_max_retries (horde_studio_application_get_client (f->app), 1);
  g_assert_true (iterate_until (models_listed, f, 10));

  type_prompt (f, "a lighthouse in a storm");
  press_generate (f);
  job = job_at (f, 0);
  image_job = horde_studio_job_get_image_job (job);
  g_assert_true (iterate_until (job_has_id, job, 20));

  /* the server stops answering while it makes the image */
  horde_test_sim_set_faults (f->sim, "drop@GET /api/v2/generate/check/*");
  g_assert_true (iterate_until (row_says_asking_again, f, 30));
  g_assert_true (iterate_until (banner_shown, f, 5));
  g_assert_false (horde_studio_job_is_ended (job));
  g_assert_null (horde_studio_job_row_get_error_text (row_at (f, 0)));

  /* its id is safe on disk meanwhile */
  pending = horde_studio_gallery_list_pending_jobs (gallery, NULL);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (horde_studio_pending_job_get_id (pending->pdata[0]), ==, horde_image_job_get_id (image_job));

  /* back: the job finishes by itself, and the window says all is well */
  horde_test_sim_set_faults (f->sim, NULL);
  g_assert_true (iterate_until (job_ended, job, 60));
  g_assert_cmpint (horde_image_job_get_state (image_job), ==, HORDE_JOB_STATE_DONE);
  g_assert_true (iterate_until (banner_hidden, f, 5));
  g_assert_false (row_says_asking_again (f));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 1);
  {
    g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (gallery), 0);

    /* the same request, followed through: never submitted again */
    g_assert_cmpstr (horde_studio_gallery_item_get_job_id (item), ==, horde_image_job_get_id (image_job));
  }
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = horde_studio_gallery_list_pending_jobs (gallery, NULL);
  g_assert_cmpuint (pending->len, ==, 0);
}

/* ---- the start, with a server that cannot answer ------------------- */

static gboolean
says_connecting (Fixture *f)
{
  GtkLabel *label = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "offline_label");

  return gtk_revealer_get_reveal_child (offline_banner (f)) &&
         strstr (gtk_label_get_text (label), "Connecting to the Horde") != NULL &&
         gtk_widget_get_visible (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "connecting_spinner"));
}

/* The window says from the start that the server is being reached, and
 * that it cannot be as soon as a quick check finds out: at once when the
 * port is closed, after the check's few seconds when the server accepts
 * and never answers, rather than after the client's retries (a 30 s
 * timeout each, up to its 2 min deadline) */
static void
start_unanswered (gboolean silent)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketConnection) accepted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GtkLabel *label;
  Fixture f = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* a port that accepts and never answers, or a closed one */
  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/api", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  if (!silent)
    g_socket_listener_close (listener);

  start_notification_server ();
  f.gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  app_start_on (&f, url);
  label = child (GTK_WIDGET (f.window), HORDE_STUDIO_TYPE_WINDOW, "offline_label");

  /* at once: the server is being reached */
  g_assert_true (says_connecting (&f));

  /* then: it cannot be (the cap is generous; the check takes 5 s) */
  g_assert_true (iterate_until (banner_shown, &f, 30));
  g_assert_false (says_connecting (&f));
  if (silent)
    g_assert_nonnull (strstr (gtk_label_get_text (label), "took too long"));
  else
    g_assert_nonnull (strstr (gtk_label_get_text (label), "Could not reach the Horde"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "Trying again"));
  g_assert_true (gtk_widget_get_visible (child (GTK_WIDGET (f.window), HORDE_STUDIO_TYPE_WINDOW, "try_button")));

  app_stop (&f);
  remove_tree (f.gallery_dir);
  g_free (f.gallery_dir);
}

static void
test_start_refused (void)
{
  start_unanswered (FALSE);
}

static void
test_start_silent (void)
{
  start_unanswered (TRUE);
}

/* ---- a narrow window: a phone, a narrow tile ------------------------ */

static gboolean
folded (gpointer data)
{
  Fixture *f = data;
  AdwViewStackPage *requests = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "requests_page");

  return adw_leaflet_get_folded (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "leaflet")) &&
         adw_view_stack_page_get_visible (requests) &&
         gtk_widget_get_width (GTK_WIDGET (f->window)) <= 360;
}

static gboolean
unfolded (gpointer data)
{
  Fixture *f = data;
  AdwViewStackPage *requests = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "requests_page");

  return !adw_leaflet_get_folded (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "leaflet")) &&
         !adw_view_stack_page_get_visible (requests) &&
         gtk_widget_get_mapped (GTK_WIDGET (horde_studio_window_get_job_list (f->window)));
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* the buttons of the first row are under its text, and the text has the
 * row's width */
static gboolean
buttons_under_text (gpointer data)
{
  Fixture *f = data;
  HordeStudioJobRow *row = row_at (f, 0);
  graphene_rect_t prompt;
  graphene_rect_t duplicate;

  if (!gtk_widget_get_mapped (GTK_WIDGET (row)))
    return FALSE;
  prompt = bounds_in_row (row, "prompt_label");
  duplicate = bounds_in_row (row, "duplicate_button");
  return duplicate.origin.y >= prompt.origin.y + prompt.size.height &&
         prompt.size.width >= gtk_widget_get_width (GTK_WIDGET (row)) - 2 * 12 - 1;
}

/* where the viewer @view shows its image and its details, once it is
 * mapped */
static gboolean
viewer_bounds (GtkWidget       *view,
               graphene_rect_t *image,
               graphene_rect_t *list)
{
  GtkWidget *viewer = GTK_WIDGET (horde_studio_gallery_view_get_viewer (HORDE_STUDIO_GALLERY_VIEW (view)));
  GtkWidget *scroller = child (viewer, HORDE_STUDIO_TYPE_IMAGE_VIEWER, "picture_scroller");
  GtkWidget *details = child (viewer, HORDE_STUDIO_TYPE_IMAGE_VIEWER, "details_list");

  return gtk_widget_get_mapped (scroller) &&
         gtk_widget_compute_bounds (scroller, view, image) &&
         gtk_widget_compute_bounds (details, view, list);
}

/* the viewer's image has the window's width, and its details are under
 * it */
static gboolean
viewer_narrow (gpointer data)
{
  GtkWidget *view = data;
  graphene_rect_t image, list;

  if (!viewer_bounds (view, &image, &list))
    return FALSE;
  return image.size.width >= gtk_widget_get_width (view) - 1 && image.size.height >= 200 &&
         list.origin.y >= image.origin.y + image.size.height;
}

/* and in a wide window, its details beside it */
static gboolean
viewer_wide (gpointer data)
{
  graphene_rect_t image, list;

  if (!viewer_bounds (data, &image, &list))
    return FALSE;
  return list.origin.x >= image.origin.x + image.size.width;
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *prompt = GTK_WIDGET (horde_studio_compose_get_prompt_view (compose (f)));
  GtkWidget *list = GTK_WIDGET (horde_studio_window_get_job_list (f->window));
  AdwViewStackPage *requests = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "requests_page");
  AdwViewStack *stack = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack");
  HordeStudioJob *job;

  /* a phone's width: the window takes it, and shows one pane at a time */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  g_assert_true (iterate_until (folded, f, 10));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);
  g_assert_true (iterate_until (mapped, prompt, 5));
  g_assert_false (gtk_widget_get_mapped (list));

  /* a request: the "Requests" page counts it */
  type_prompt (f, "a lighthouse on a phone, with a long prompt that takes a few lines in a narrow row");
  press_generate (f);
  job = job_at (f, 0);
  g_assert_cmpint (adw_view_stack_page_get_badge_number (requests), ==, 1);

  /* the job list is a page of its own; the row's buttons go under its
   * text, which keeps the width of the row */
  horde_studio_window_show_page (f->window, "requests");
  g_assert_true (iterate_until (mapped, list, 5));
  g_assert_false (gtk_widget_get_mapped (prompt));
  g_assert_true (iterate_until (buttons_under_text, f, 5));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);

  /* and back to the prompt */
  horde_studio_window_show_page (f->window, "create");
  g_assert_true (iterate_until (mapped, prompt, 5));
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (adw_view_stack_page_get_badge_number (requests), ==, 0);

  /* an image in the viewer has the width, its details go under it */
  {
    HordeStudioGalleryView *view = horde_studio_window_get_gallery_view (f->window);
    g_autoptr(HordeStudioGalleryItem) item =
      g_list_model_get_item (G_LIST_MODEL (horde_studio_application_get_gallery (f->app)), 0);

    horde_studio_window_show_page (f->window, "gallery");
    horde_studio_gallery_view_show_item (view, item);
    g_assert_true (iterate_until (viewer_narrow, view, 5));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);
    gtk_widget_activate_action (GTK_WIDGET (view), "gallery.back", NULL);
  }

  /* reusing a request's settings from its page brings the prompt back */
  horde_studio_window_show_page (f->window, "requests");
  g_assert_true (iterate_until (mapped, list, 5));
  g_assert_true (gtk_widget_is_sensitive (child (list, HORDE_STUDIO_TYPE_JOB_LIST, "clear_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row_at (f, 0)), "job.duplicate", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "create");
  g_assert_true (iterate_until (mapped, prompt, 5));

  /* wide again: the job list beside the prompt, no page of its own */
  horde_studio_window_show_page (f->window, "requests");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  g_assert_true (iterate_until (unfolded, f, 10));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "create");
  g_assert_true (gtk_widget_get_mapped (prompt));
  /* the buttons moved with the list still answer to their actions */
  g_assert_true (gtk_widget_is_sensitive (child (list, HORDE_STUDIO_TYPE_JOB_LIST, "clear_button")));
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "duplicate_button")));
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (row_at (f, 0)), HORDE_STUDIO_TYPE_JOB_ROW, "remove_button")));

  /* made narrow in the viewer: the viewer follows, and the "Requests"
   * page is there, without going by "Create" first */
  {
    HordeStudioGalleryView *view = horde_studio_window_get_gallery_view (f->window);
    g_autoptr(HordeStudioGalleryItem) item =
      g_list_model_get_item (G_LIST_MODEL (horde_studio_application_get_gallery (f->app)), 0);

    horde_studio_window_show_page (f->window, "gallery");
    horde_studio_gallery_view_show_item (view, item);
    g_assert_true (iterate_until (mapped, child (GTK_WIDGET (horde_studio_gallery_view_get_viewer (view)), HORDE_STUDIO_TYPE_IMAGE_VIEWER, "picture_scroller"), 5));
    g_assert_true (iterate_until (viewer_wide, view, 5));
    gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
    g_assert_true (iterate_until (viewer_narrow, view, 10));
    g_assert_true (adw_view_stack_page_get_visible (requests));
    horde_studio_window_show_page (f->window, "requests");
    g_assert_true (iterate_until (mapped, list, 5));
  }
}

/* ---- a crash, and the next start ----------------------------------- */

static void
test_crash_recovery (void)
{
  g_autoptr(HordeTestSim) sim = NULL;
  g_autofree char *gallery_dir = NULL;
  Fixture f = { 0 };

  if (g_test_subprocess ())
    {
      /* the first run: submits, then dies while the request runs */
      Fixture first = { 0 };

      first.sim = NULL;
      first.gallery_dir = g_strdup (g_getenv ("HORDE_TEST_GALLERY"));
      {
        g_autoptr(GSettings) settings = g_settings_new ("io.github.hordestudio.HordeStudio");
        g_autoptr(GError) error = NULL;

        g_settings_set_string (settings, "server-url", g_getenv ("HORDE_TEST_SERVER"));
        g_settings_set_string (settings, "gallery-location", first.gallery_dir);
        first.app = horde_studio_application_new ();
        g_application_set_flags (G_APPLICATION (first.app), G_APPLICATION_NON_UNIQUE);
        g_application_register (G_APPLICATION (first.app), NULL, &error);
        g_assert_no_error (error);
        g_application_activate (G_APPLICATION (first.app));
        first.window = HORDE_STUDIO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (first.app)));
      }
      type_prompt (&first, "a request that survives");
      press_generate (&first);
      g_assert_true (iterate_until (job_has_id, job_at (&first, 0), 20));
      /* the id is recorded as soon as it is known; then the crash */
      _exit (0);
    }

  /* the server holds the request: the workers are paused */
  sim = horde_test_sim_start ("--job-time", "300", NULL);
  horde_test_sim_control (sim, "{\"paused\": true}");
  gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  g_setenv ("HORDE_TEST_GALLERY", gallery_dir, TRUE);
  g_setenv ("HORDE_TEST_SERVER", horde_test_sim_get_url (sim), TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (iterate_until (sim_saw_request, sim, 5));

  /* the next start offers to fetch what was left */
  start_notification_server ();
  f.sim = sim;
  f.gallery_dir = g_steal_pointer (&gallery_dir);
  app_start (&f);
  g_assert_true (iterate_until (dialog_shown, &f, 5));
  /* one request: "it", not "them" */
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (find_dialog (&f)), "cancel"), ==, "_Cancel It");
  horde_test_sim_control (sim, "{\"paused\": false}");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog (&f)), "fetch");

  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (&f)), ==, 1);
  g_assert_true (iterate_until (job_ended, job_at (&f, 0), 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job_at (&f, 0))), ==, HORDE_JOB_STATE_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (horde_studio_application_get_gallery (f.app))), ==, 1);
  /* resumed, not submitted again */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 1);

  /* and once fetched, nothing is left to recover */
  {
    g_autoptr(GPtrArray) pending = horde_studio_gallery_list_pending_jobs (horde_studio_application_get_gallery (f.app), NULL);
    g_assert_cmpuint (pending->len, ==, 0);
  }

  app_stop (&f);
  remove_tree (f.gallery_dir);
  g_free (f.gallery_dir);
}

/* ---- the server given with --server ------------------------------------ */

static AdwEntryRow *
server_row (GtkWidget *widget)
{
  if (ADW_IS_ENTRY_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), "Server address") == 0)
    return ADW_ENTRY_ROW (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      AdwEntryRow *row = server_row (c);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
models_asked (gpointer data)
{
  return horde_test_sim_count (data, "GET /api/v2/status/models") > 0;
}

/* Started with --server: Preferences shows the address in use, not the
 * empty one of the settings; an address applied there wins from then on */
static void
test_server_option (void)
{
  g_autoptr(HordeTestSim) sim = NULL;
  g_autoptr(HordeTestSim) other = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariantDict) options = NULL;
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  GtkWidget *preferences;
  AdwEntryRow *row;
  int status = 0;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  start_notification_server ();
  sim = horde_test_sim_start ("--job-time", "300", NULL);
  other = horde_test_sim_start ("--job-time", "300", NULL);
  f.gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  settings = g_settings_new ("io.github.hordestudio.HordeStudio");
  g_settings_set_string (settings, "server-url", "");
  g_settings_set_string (settings, "gallery-location", f.gallery_dir);

  f.app = horde_studio_application_new ();
  g_application_set_flags (G_APPLICATION (f.app), G_APPLICATION_NON_UNIQUE);
  options = g_variant_dict_new (NULL);
  g_variant_dict_insert (options, "server", "s", horde_test_sim_get_url (sim));
  g_signal_emit_by_name (f.app, "handle-local-options", options, &status);
  g_assert_cmpint (status, ==, -1);
  g_application_register (G_APPLICATION (f.app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f.app));
  f.window = HORDE_STUDIO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f.app)));
  g_assert_true (iterate_until (models_asked, sim, 10));

  preferences = horde_studio_preferences_new (f.app);
  row = server_row (preferences);
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, horde_test_sim_get_url (sim));

  /* the user's choice in Preferences wins over the option, and is kept */
  gtk_editable_set_text (GTK_EDITABLE (row), horde_test_sim_get_url (other));
  g_signal_emit_by_name (row, "apply");
  g_assert_true (iterate_until (models_asked, other, 10));
  g_assert_cmpstr (horde_client_get_base_url (horde_studio_application_get_client (f.app)), ==, horde_test_sim_get_url (other));
  {
    g_autofree char *saved = g_settings_get_string (settings, "server-url");
    g_assert_cmpstr (saved, ==, horde_test_sim_get_url (other));
  }

  gtk_window_destroy (GTK_WINDOW (preferences));
  app_stop (&f);
  remove_tree (f.gallery_dir);
  g_free (f.gallery_dir);
}

/* ---- export: where and under which name --------------------------------- */

static void
test_export_name (void)
{
  static const struct { const char *prompt; const char *name; } cases[] = {
    { "a red fox in the snow, watercolor", "a-red-fox-in-the-snow-watercolor.png" },
    { "  --a fox!!  ", "a-fox.png" },
    { "a castle ### blurry, text", "a-castle.png" },
    { "Füchse im Schnee", "Füchse-im-Schnee.png" },
    { "a very long prompt that goes on and on past the forty characters", "a-very-long-prompt-that-goes-on-and-on-p.png" },
    { "!!!", "image.png" },
    { "", "image.png" },
    { NULL, "image.png" },
  };
  g_autoptr(GFile) folder = horde_studio_export_folder ();
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  g_autofree char *path = g_file_get_path (folder);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = horde_studio_export_name (cases[i].prompt);
      g_assert_cmpstr (name, ==, cases[i].name);
    }

  /* Pictures, where there is one; else home */
  if (pictures != NULL && g_file_test (pictures, G_FILE_TEST_IS_DIR))
    g_assert_cmpstr (path, ==, pictures);
  else
    g_assert_cmpstr (path, ==, g_get_home_dir ());
}

/* ---- a gallery that cannot be opened -------------------------------- */

static gboolean
label_contains (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (label_contains (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
told_temporary (gpointer data)
{
  return label_contains (data, "temporary folder");
}

/* The gallery location is a file: the user is told, and images still
 * have a place (a temporary one) rather than none */
static void
test_unusable_gallery (void)
{
  g_autofree char *folder = NULL;
  g_autofree char *not_a_folder = NULL;
  HordeStudioGallery *gallery;
  HordeStudioJob *job;
  Fixture f = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  start_notification_server ();
  folder = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  not_a_folder = g_build_filename (folder, "gallery", NULL);
  g_assert_true (g_file_set_contents (not_a_folder, "not a gallery", -1, NULL));
  f.sim = horde_test_sim_start ("--job-time", "300", NULL);
  f.gallery_dir = g_strdup (not_a_folder);
  app_start (&f);

  /* said, and it stays until read */
  g_assert_true (iterate_until (told_temporary, f.window, 5));
  iterate_for (6000);
  g_assert_true (told_temporary (f.window));

  /* images are still kept, somewhere else than the file */
  type_prompt (&f, "a lighthouse kept somewhere");
  press_generate (&f);
  job = job_at (&f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  gallery = horde_studio_application_get_gallery (f.app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 1);
  {
    g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_test (horde_studio_gallery_item_get_path (item), G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_str_has_prefix (horde_studio_gallery_item_get_path (item), folder));
    g_assert_true (g_file_get_contents (not_a_folder, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "not a gallery");
  }

  app_stop (&f);
  horde_test_sim_stop (f.sim);
  remove_tree (folder);
  g_free (f.gallery_dir);
}

/* Alt+1 to Alt+5 show the pages in the order of the switcher */
static void
test_page_keys (Fixture       *f,
                gconstpointer  data)
{
  static const char * const pages[] = { "create", "gallery", "write", "analyse", "workers" };
  AdwViewStack *stack = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack");
  g_autoptr(GListModel) switcher_pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
  guint shown = 0;

  /* the order of the keys is the order the switcher shows (the Requests
   * page shows only in a narrow window) */
  for (guint i = 0; i < g_list_model_get_n_items (switcher_pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (switcher_pages, i);

      if (g_strcmp0 (adw_view_stack_page_get_name (page), "requests") == 0)
        continue;
      g_assert_cmpuint (shown, <, G_N_ELEMENTS (pages));
      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, pages[shown]);
      shown++;
    }
  g_assert_cmpuint (shown, ==, G_N_ELEMENTS (pages));

  for (guint i = G_N_ELEMENTS (pages); i > 0; i--)
    {
      g_assert_true (press_key (f, GTK_WIDGET (f->window), GDK_KEY_1 + i - 1, GDK_ALT_MASK));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i - 1]);
    }
}

int
main (int argc, char *argv[])
{
  static const char *slow[] = { "--workers", "1", "--job-time", "2000" };
  static const char *held[] = { "--workers", "0", "--job-time", "300" };
  static const char *unreachable[] = { "--faults", "drop", "--job-time", "300" };
  static const char *steady[] = { "--workers", "1", "--job-time", "4000" };
  static const char *keyed[] = { "--users", NULL, "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui/generate", test_generate },
    { "/ui/cancel-job", test_cancel_job, slow },
    { "/ui/close-with-running-jobs", test_close_with_running_jobs, held },
    { "/ui/close-key-with-running-jobs", test_close_key_with_running_jobs, held },
    { "/ui/invalid-size", test_invalid_size },
    { "/ui/lora-problem", test_lora_problem },
    { "/ui/kudos-upfront", test_kudos_upfront },
    { "/ui/img2img-and-extras", test_img2img_and_extras },
    { "/ui/models-and-size", test_models_and_size },
    { "/ui/sizes-follow-model", test_sizes_follow_model },
    { "/ui/server-change", test_server_change },
    { "/ui/offline", test_offline, unreachable },
    { "/ui/outage-during-job", test_outage_during_job, steady },
    { "/ui/impossible", test_impossible, held },
    { "/ui/models-refresh", test_models_refresh, keyed },
    { "/ui/kudos-settle", test_kudos_settle, keyed },
    { "/ui/job-row", test_job_row, slow },
    { "/ui/clear-finished", test_clear_finished, slow },
    { "/ui/narrow", test_narrow, slow },
    { "/ui/cancel-all", test_cancel_all, held },
    { "/ui/page-keys", test_page_keys },
  };

  ui_test_init (&argc, &argv);
  /* a user the simulator knows, with kudos, for the tests that sign in */
  keyed[1] = ui_test_users ("[{\"key\": \"" TEST_KEY "\", \"username\": \"Tester\", \"id\": 1, "
                            "\"kudos\": 5000, \"trusted\": false}]");
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  g_test_add_func ("/ui/crash-recovery", test_crash_recovery);
  g_test_add_func ("/ui/server-option", test_server_option);
  g_test_add_func ("/ui/export-name", test_export_name);
  g_test_add_func ("/ui/unusable-gallery", test_unusable_gallery);
  g_test_add_func ("/ui/start-refused", test_start_refused);
  g_test_add_func ("/ui/start-silent", test_start_silent);
  return ui_test_run ();
}

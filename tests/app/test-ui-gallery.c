/* test-ui-gallery.c: Horde Studio's gallery, used as a user uses it, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). Each test
 * starts the application in this process with its own horde-sim and its own
 * gallery folder, makes images through the compose pane as a user does,
 * then searches, marks, deletes, copies, exports and reuses them through
 * the gallery's own widgets and actions, and checks what the user would
 * see, what is in the index on disk, and which files are there.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <gdk/x11/gdkx.h>

#include "horde-studio-thumbnail.h"
#include "ui-driver.h"
#include "png-crc.h"

/* ---- driving the gallery ------------------------------------------------ */

static HordeStudioGalleryView *
gallery_view (Fixture *f)
{
  return horde_studio_window_get_gallery_view (f->window);
}

static HordeStudioImageViewer *
viewer (Fixture *f)
{
  return horde_studio_gallery_view_get_viewer (gallery_view (f));
}

/* a widget of the gallery view's template, or of its viewer's */
static gpointer
view_child (Fixture    *f,
            const char *name)
{
  GObject *found = gtk_widget_get_template_child (GTK_WIDGET (gallery_view (f)), HORDE_STUDIO_TYPE_GALLERY_VIEW, name);

  if (found == NULL)
    found = gtk_widget_get_template_child (GTK_WIDGET (viewer (f)), HORDE_STUDIO_TYPE_IMAGE_VIEWER, name);
  g_assert_nonnull (found);
  return found;
}

/* What the grid shows, as the grid has it */
static GListModel *
grid_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_grid_view_get_model (horde_studio_gallery_view_get_grid_view (gallery_view (f))));
}

/* Every item the test looked at: the gallery keeps no item that nobody
 * holds, and a cell of the grid may not be there to hold it. */
static GPtrArray *held_items;

static HordeStudioGalleryItem *
grid_item (Fixture *f,
           guint    position)
{
  HordeStudioGalleryItem *item = g_list_model_get_item (grid_model (f), position);

  g_assert_nonnull (item);
  g_ptr_array_add (held_items, item);
  return item;
}

static gboolean
grid_contains (Fixture                *f,
               HordeStudioGalleryItem *item,
               guint                  *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (grid_model (f)); i++)
    {
      g_autoptr(HordeStudioGalleryItem) shown = g_list_model_get_item (grid_model (f), i);

      if (horde_studio_gallery_item_get_id (shown) == horde_studio_gallery_item_get_id (item))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
window_page (Fixture *f)
{
  AdwViewStack *stack = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack");

  return adw_view_stack_get_visible_child_name (stack);
}

static const char *
view_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (view_child (f, "pages"));
}

/* the switcher, or Alt+2 */
static void
show_gallery (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "gallery"));
  g_assert_cmpstr (window_page (f), ==, "gallery");
}

/* a click on a thumbnail */
static HordeStudioGalleryItem *
open_at (Fixture *f,
         guint    position)
{
  HordeStudioGalleryItem *item = grid_item (f, position);

  g_signal_emit_by_name (horde_studio_gallery_view_get_grid_view (gallery_view (f)), "activate", position);
  g_assert_cmpstr (view_page (f), ==, "viewer");
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == item);
  return item;
}

/* the gallery view's actions, or its viewer's */
static void
activate (Fixture    *f,
          const char *action)
{
  GtkWidget *widget = g_str_has_prefix (action, "viewer.") ? GTK_WIDGET (viewer (f)) : GTK_WIDGET (gallery_view (f));

  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

static void
flag_set (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits for the grid to change after the user changed the filter (the
 * view waits for the typing to pause), and counts what it shows. */
static guint
wait_for_grid (Fixture *f,
               void   (*change) (Fixture *, gconstpointer),
               gconstpointer data)
{
  GListModel *model = grid_model (f);
  gboolean changed = FALSE;
  gulong handler = g_signal_connect_swapped (model, "items-changed", G_CALLBACK (flag_set), &changed);

  change (f, data);
  g_assert_true (iterate_until (flag_is_set, &changed, 5));
  g_signal_handler_disconnect (model, handler);
  return g_list_model_get_n_items (model);
}

static void
set_search_text (Fixture       *f,
                 gconstpointer  text)
{
  gtk_editable_set_text (view_child (f, "search_entry"), text);
}

static guint
search (Fixture    *f,
        const char *text)
{
  return wait_for_grid (f, set_search_text, text);
}

static void
press_favourites_only (Fixture       *f,
                       gconstpointer  data)
{
  click (view_child (f, "favourites_button"));
}

static guint
toggle_favourites_only (Fixture *f)
{
  return wait_for_grid (f, press_favourites_only, NULL);
}

/* ---- making images ------------------------------------------------------ */

/* Generates through the compose pane and waits until the job's images are
 * in the gallery; @model NULL is "any model". */
static HordeStudioJob *
generate (Fixture    *f,
          const char *prompt,
          const char *model,
          guint       n)
{
  HordeStudioJob *job;

  type_prompt (f, prompt);
  if (model != NULL)
    select_model (f, model);
  set_spin (f, "n_spin", n);
  press_generate (f);

  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_job_get_images (job)), ==, n);
  return job;
}

static const char *
job_id (HordeStudioJob *job)
{
  return horde_image_job_get_id (horde_studio_job_get_image_job (job));
}

static HordeStudioGalleryItem *
image_of (HordeStudioJob *job,
          guint           position)
{
  g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (horde_studio_job_get_images (job), position);

  g_assert_nonnull (item);
  return item;   /* the job keeps it */
}

/* ---- what is on disk ---------------------------------------------------- */

/* One number of the index, read as any other program would; -1 when the
 * query finds no row */
static gint64
db_number (Fixture    *f,
           const char *sql,
           gint64      id)
{
  g_autofree char *db_path = g_build_filename (f->gallery_dir, "gallery.sqlite", NULL);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gint64
db_favourite (Fixture                *f,
              HordeStudioGalleryItem *item)
{
  return db_number (f, "SELECT favourite FROM images WHERE id = ?1", horde_studio_gallery_item_get_id (item));
}

static gint64
db_deleted (Fixture                *f,
            HordeStudioGalleryItem *item)
{
  return db_number (f, "SELECT deleted FROM images WHERE id = ?1", horde_studio_gallery_item_get_id (item));
}

static gboolean
files_exist (HordeStudioGalleryItem *item)
{
  return g_file_test (horde_studio_gallery_item_get_path (item), G_FILE_TEST_IS_REGULAR) &&
         g_file_test (horde_studio_gallery_item_get_thumbnail_path (item), G_FILE_TEST_IS_REGULAR);
}

static gboolean
files_gone (HordeStudioGalleryItem *item)
{
  return !g_file_test (horde_studio_gallery_item_get_path (item), G_FILE_TEST_EXISTS) &&
         !g_file_test (horde_studio_gallery_item_get_thumbnail_path (item), G_FILE_TEST_EXISTS);
}

/* ---- a restart ------------------------------------------------------------- */

/* An application keeps its D-Bus objects until its process ends, so a
 * test that restarts it runs twice, each run in a process of its own, on
 * one sim and one gallery folder (see run_restart_test()). What the first
 * run wants the second to check goes through a key file. */

typedef struct {
  gint64 id;
  char *prompt;
  char *model;
  char *seed;
  char *job_id;
  char *path;
  char *thumbnail_path;
  int width;
  int height;
  int steps;
} Remembered;

static void
forget (Remembered *r)
{
  g_free (r->prompt);
  g_free (r->model);
  g_free (r->seed);
  g_free (r->job_id);
  g_free (r->path);
  g_free (r->thumbnail_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Remembered, forget)

static GKeyFile *
load_notes (void)
{
  g_autoptr(GKeyFile) notes = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (notes, g_getenv ("HORDE_TEST_NOTES"), G_KEY_FILE_NONE, &error))
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  return g_steal_pointer (&notes);
}

/* for the run after the restart */
static void
note_item (const char             *name,
           HordeStudioGalleryItem *item)
{
  g_autoptr(GKeyFile) notes = load_notes ();
  g_autoptr(GError) error = NULL;
  const char *seed = horde_studio_gallery_item_get_seed (item);
  const char *model = horde_studio_gallery_item_get_model (item);

  g_key_file_set_int64 (notes, name, "id", horde_studio_gallery_item_get_id (item));
  g_key_file_set_string (notes, name, "prompt", horde_studio_gallery_item_get_prompt (item));
  g_key_file_set_string (notes, name, "model", model ? model : "");
  g_key_file_set_string (notes, name, "seed", seed ? seed : "");
  g_key_file_set_string (notes, name, "job-id", horde_studio_gallery_item_get_job_id (item));
  g_key_file_set_string (notes, name, "path", horde_studio_gallery_item_get_path (item));
  g_key_file_set_string (notes, name, "thumbnail-path", horde_studio_gallery_item_get_thumbnail_path (item));
  g_key_file_set_integer (notes, name, "width", horde_studio_gallery_item_get_width (item));
  g_key_file_set_integer (notes, name, "height", horde_studio_gallery_item_get_height (item));
  g_key_file_set_integer (notes, name, "steps", horde_studio_gallery_item_get_steps (item));
  g_assert_true (g_key_file_save_to_file (notes, g_getenv ("HORDE_TEST_NOTES"), &error));
  g_assert_no_error (error);
}

/* what the first run noted */
static void
recall_item (const char *name,
             Remembered *r)
{
  g_autoptr(GKeyFile) notes = load_notes ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_has_group (notes, name));
  r->id = g_key_file_get_int64 (notes, name, "id", &error);
  g_assert_no_error (error);
  r->prompt = g_key_file_get_string (notes, name, "prompt", NULL);
  r->model = g_key_file_get_string (notes, name, "model", NULL);
  r->seed = g_key_file_get_string (notes, name, "seed", NULL);
  r->job_id = g_key_file_get_string (notes, name, "job-id", NULL);
  r->path = g_key_file_get_string (notes, name, "path", NULL);
  r->thumbnail_path = g_key_file_get_string (notes, name, "thumbnail-path", NULL);
  r->width = g_key_file_get_integer (notes, name, "width", NULL);
  r->height = g_key_file_get_integer (notes, name, "height", NULL);
  r->steps = g_key_file_get_integer (notes, name, "steps", NULL);
  g_assert_true (r->prompt && r->model && r->seed && r->job_id && r->path && r->thumbnail_path);
}

static void
assert_same (HordeStudioGalleryItem *item,
             const Remembered       *r)
{
  g_assert_cmpint (horde_studio_gallery_item_get_id (item), ==, r->id);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (item), ==, r->prompt);
  g_assert_cmpstr (horde_studio_gallery_item_get_model (item), ==, r->model);
  g_assert_cmpstr (horde_studio_gallery_item_get_seed (item), ==, r->seed);
  g_assert_cmpstr (horde_studio_gallery_item_get_job_id (item), ==, r->job_id);
  g_assert_cmpstr (horde_studio_gallery_item_get_path (item), ==, r->path);
  g_assert_cmpstr (horde_studio_gallery_item_get_thumbnail_path (item), ==, r->thumbnail_path);
  g_assert_cmpint (horde_studio_gallery_item_get_width (item), ==, r->width);
  g_assert_cmpint (horde_studio_gallery_item_get_height (item), ==, r->height);
  g_assert_cmpint (horde_studio_gallery_item_get_steps (item), ==, r->steps);
  g_assert_true (files_exist (item));
}

/* ---- widgets that are not template children ----------------------------- */

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_widget (w, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_toast_widget (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
}

static GtkWidget *
toast_widget (Fixture *f)
{
  return find_widget (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "toast_overlay"),
                      is_toast_widget, NULL);
}

/* the toast on screen, or NULL */
static AdwToast *
shown_toast (Fixture *f)
{
  GtkWidget *widget = toast_widget (f);
  g_autoptr(AdwToast) toast = NULL;

  if (widget == NULL)
    return NULL;
  g_object_get (widget, "toast", &toast, NULL);
  return toast;   /* its widget keeps it */
}

/* a toast's words, whether in its title or beside a button of its own */
static const char *
toast_text (AdwToast *toast)
{
  GtkWidget *custom = adw_toast_get_custom_title (toast);

  if (custom == NULL)
    return adw_toast_get_title (toast);
  g_assert_true (GTK_IS_LABEL (gtk_widget_get_first_child (custom)));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (custom)));
}

static gboolean
toast_shown (gpointer data)
{
  return shown_toast (data) != NULL;
}

static gboolean
no_toast (gpointer data)
{
  return toast_widget (data) == NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_button_with_icon (GtkWidget     *widget,
                     gconstpointer  icon)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

/* A toast is read before it is answered. Besides, libadwaita 1.2 (Debian
 * 12) frees a toast dismissed during its show animation (500 ms at most)
 * and crashes when that animation ends; fixed in 1.3 by "toast-overlay:
 * Prevent show_done from firing after hide_done". */
static void
read_toast (Fixture *f)
{
  g_assert_nonnull (shown_toast (f));
  iterate_for (700);
}

/* The toast's own button (Undo, say) */
static void
press_toast_button (Fixture *f)
{
  AdwToast *toast;
  GtkWidget *button;

  read_toast (f);
  toast = shown_toast (f);
  g_assert_nonnull (toast);
  button = find_widget (toast_widget (f), is_button_labelled, adw_toast_get_button_label (toast));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  click (button);
  g_assert_true (iterate_until (no_toast, f, 5));
}

/* The toast's close button: the user lets it go */
static void
close_toast (Fixture *f)
{
  GtkWidget *button;

  read_toast (f);
  g_assert_nonnull (toast_widget (f));
  button = find_widget (toast_widget (f), is_button_with_icon, "window-close-symbolic");
  g_assert_nonnull (button);
  click (button);
  g_assert_true (iterate_until (no_toast, f, 5));
}

static gboolean
is_thumbnail_of (GtkWidget     *widget,
                 gconstpointer  prompt)
{
  /* on screen: a cell kept for later keeps the tooltip of its last item */
  return HORDE_STUDIO_IS_THUMBNAIL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), prompt) == 0;
}

static gboolean
is_star (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "starred-symbolic") == 0;
}

typedef struct {
  Fixture *f;
  const char *prompt;
} ThumbnailLookup;

static GtkWidget *
thumbnail_of (Fixture    *f,
              const char *prompt)
{
  return find_widget (GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f))),
                      is_thumbnail_of, prompt);
}

static gboolean
thumbnail_shown (gpointer data)
{
  ThumbnailLookup *lookup = data;

  return thumbnail_of (lookup->f, lookup->prompt) != NULL;
}

/* whether the grid's cell for @prompt wears a star */
static gboolean
thumbnail_starred (Fixture    *f,
                   const char *prompt)
{
  ThumbnailLookup lookup = { f, prompt };
  GtkWidget *star;

  g_assert_true (iterate_until (thumbnail_shown, &lookup, 5));
  star = find_widget (thumbnail_of (f, prompt), is_star, NULL);
  g_assert_nonnull (star);
  return gtk_widget_get_visible (star);
}

/* the values of the viewer's details, top to bottom; each is shown as it
 * is, never read as markup (a prompt "salt & pepper", a worker's name) */
static GPtrArray *
viewer_details (Fixture *f)
{
  GPtrArray *values = g_ptr_array_new ();
  GtkWidget *list = view_child (f, "details_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      {
        g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
        g_ptr_array_add (values, (gpointer) adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      }
  return values;
}

static gboolean
details_show (Fixture    *f,
              const char *value)
{
  g_autoptr(GPtrArray) values = viewer_details (f);

  return g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL);
}

/* ---- the tests ------------------------------------------------------------ */

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkStack *grid_stack = view_child (f, "grid_stack");
  AdwStatusPage *empty_page = view_child (f, "empty_page");
  g_autoptr(HordeStudioGalleryItem) fox = NULL;

  generate (f, "a lighthouse at dusk", "Deliberate", 1);
  generate (f, "a red fox in the snow", "Realistic Vision", 1);
  generate (f, "a lighthouse in the fog", "stable_diffusion", 1);
  fox = g_object_ref (image_of (job_at (f, 1), 0));

  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (grid_stack), ==, "grid");

  /* by prompt, whatever the case */
  g_assert_cmpuint (search (f, "Lighthouse"), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_nonnull (strstr (horde_studio_gallery_item_get_prompt (grid_item (f, i)), "lighthouse"));
  g_assert_false (grid_contains (f, fox, NULL));

  /* by model */
  g_assert_cmpuint (search (f, "realistic"), ==, 1);
  g_assert_true (grid_item (f, 0) == fox);
  g_assert_cmpstr (horde_studio_gallery_item_get_model (grid_item (f, 0)), ==, "Realistic Vision");
  g_assert_cmpuint (search (f, "Deliberate"), ==, 1);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (grid_item (f, 0)), ==, "a lighthouse at dusk");

  /* nothing: the grid says so */
  g_assert_cmpuint (search (f, "a purple submarine"), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (grid_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (empty_page), ==, "No Matching Images");

  /* and cleared, all are back, newest first */
  g_assert_cmpuint (search (f, ""), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (grid_stack), ==, "grid");
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (grid_item (f, 0)), ==, "a lighthouse in the fog");
  g_assert_true (grid_item (f, 1) == fox);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (grid_item (f, 2)), ==, "a lighthouse at dusk");
}

static void
test_favourites (Fixture       *f,
                 gconstpointer  data)
{
  HordeStudioGalleryItem *noon, *night;
  GtkToggleButton *star;
  guint position = 0;

  noon = image_of (generate (f, "a harbour at noon", NULL, 1), 0);
  night = image_of (generate (f, "a harbour at night", NULL, 1), 0);

  show_gallery (f);
  g_assert_false (thumbnail_starred (f, "a harbour at noon"));
  g_assert_true (grid_contains (f, noon, &position));
  open_at (f, position);

  /* the star in the viewer */
  star = view_child (f, "favourite_toggle");
  g_assert_false (gtk_toggle_button_get_active (star));
  click (star);
  g_assert_true (gtk_toggle_button_get_active (star));
  g_assert_true (horde_studio_gallery_item_get_favourite (noon));
  g_assert_false (horde_studio_gallery_item_get_favourite (night));
  g_assert_cmpint (db_favourite (f, noon), ==, 1);
  g_assert_cmpint (db_favourite (f, night), ==, 0);

  /* back in the grid, its cell wears a star, the other's does not */
  activate (f, "gallery.back");
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_true (thumbnail_starred (f, "a harbour at noon"));
  g_assert_false (thumbnail_starred (f, "a harbour at night"));

  /* favourites only */
  g_assert_cmpuint (toggle_favourites_only (f), ==, 1);
  g_assert_true (grid_item (f, 0) == noon);
  g_assert_cmpuint (toggle_favourites_only (f), ==, 2);

  note_item ("noon", noon);
}

static void
test_favourites_restarted (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(Remembered) noon = { 0 };
  HordeStudioGalleryItem *item;
  GtkToggleButton *star;

  recall_item ("noon", &noon);

  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 2);
  g_assert_true (thumbnail_starred (f, "a harbour at noon"));
  g_assert_false (thumbnail_starred (f, "a harbour at night"));

  g_assert_cmpuint (toggle_favourites_only (f), ==, 1);
  item = grid_item (f, 0);
  assert_same (item, &noon);
  g_assert_true (horde_studio_gallery_item_get_favourite (item));

  /* unmarked, for good too: it leaves the favourites */
  g_assert_true (open_at (f, 0) == item);
  star = view_child (f, "favourite_toggle");
  g_assert_true (gtk_toggle_button_get_active (star));
  click (star);
  g_assert_false (horde_studio_gallery_item_get_favourite (item));
  g_assert_cmpint (db_favourite (f, item), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 0);
  g_assert_cmpuint (toggle_favourites_only (f), ==, 2);
}

static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) first = NULL;
  HordeStudioGalleryItem *second;
  AdwToast *toast;
  guint position = G_MAXUINT;

  generate (f, "three paper boats", NULL, 2);
  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 2);
  first = g_object_ref (open_at (f, 0));
  second = grid_item (f, 1);

  /* deleted: gone from the grid, kept on disk while it can be undone */
  activate (f, "viewer.delete");
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 1);
  g_assert_false (grid_contains (f, first, NULL));
  g_assert_true (files_exist (first));
  g_assert_cmpint (db_deleted (f, first), ==, 1);

  g_assert_true (iterate_until (toast_shown, f, 5));
  toast = shown_toast (f);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Image deleted");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");

  /* undone: back where it was, and stays once the toast has gone */
  press_toast_button (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 2);
  g_assert_true (grid_contains (f, first, &position));
  g_assert_cmpuint (position, ==, 0);
  g_assert_true (files_exist (first));
  g_assert_cmpint (db_deleted (f, first), ==, 0);

  /* deleted again, and the toast let go: gone for good, files and all */
  g_assert_true (open_at (f, 0) == first);
  activate (f, "viewer.delete");
  g_assert_true (iterate_until (toast_shown, f, 5));
  close_toast (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 1);
  g_assert_true (files_gone (first));
  g_assert_cmpint (db_deleted (f, first), ==, -1);
  g_assert_true (files_exist (second));

  /* the other one, and the application goes while its toast is up */
  g_assert_true (open_at (f, 0) == second);
  note_item ("second", second);
  activate (f, "viewer.delete");
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 0);
  g_assert_cmpint (db_deleted (f, second), ==, 1);
}

static void
test_delete_and_undo_restarted (Fixture       *f,
                                gconstpointer  data)
{
  g_auto(Remembered) second = { 0 };

  recall_item ("second", &second);

  /* the next start finished the deletion */
  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (f, "grid_stack")), ==, "empty");
  g_assert_false (g_file_test (second.path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second.thumbnail_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (db_number (f, "SELECT count(*) FROM images WHERE id = ?1", second.id), ==, 0);
}

static void
texture_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
texture_arrived (gpointer data)
{
  return *(GdkTexture **) data != NULL;
}

static GBytes *
texture_pixels (GdkTexture *texture)
{
  gsize stride = gdk_texture_get_width (texture) * 4;
  gsize size = stride * gdk_texture_get_height (texture);
  guchar *pixels = g_malloc (size);

  gdk_texture_download (texture, pixels, stride);
  return g_bytes_new_take (pixels, size);
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GdkTexture) copied = NULL;
  g_autoptr(GdkTexture) original = NULL;
  g_autoptr(GBytes) copied_pixels = NULL;
  g_autoptr(GBytes) original_pixels = NULL;
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;
  GdkClipboard *clipboard;

  set_spin (f, "width_spin", 640);
  set_spin (f, "height_spin", 384);
  generate (f, "a copper kettle", NULL, 1);
  show_gallery (f);
  item = open_at (f, 0);
  g_assert_cmpint (horde_studio_gallery_item_get_width (item), ==, 640);
  g_assert_cmpint (horde_studio_gallery_item_get_height (item), ==, 384);

  activate (f, "viewer.copy");
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (adw_toast_get_title (shown_toast (f)), ==, "Image copied");

  /* the display's clipboard has it, as an image */
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (gallery_view (f)));
  g_assert_true (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard), GDK_TYPE_TEXTURE));
  gdk_clipboard_read_texture_async (clipboard, NULL, texture_read, &copied);
  g_assert_true (iterate_until (texture_arrived, &copied, 5));
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 384);

  /* and it is the image of the file, pixel for pixel */
  {
    g_autofree char *contents = NULL;
    gsize len = 0;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(HordeGeneratedImage) image = NULL;

    g_assert_true (g_file_get_contents (horde_studio_gallery_item_get_path (item), &contents, &len, &error));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
    image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
    g_assert_no_error (error);
    original = gdk_texture_new_for_pixbuf (horde_generated_image_get_pixbuf (image));
  }
  copied_pixels = texture_pixels (copied);
  original_pixels = texture_pixels (original);
  g_assert_true (g_bytes_equal (copied_pixels, original_pixels));
}

/* ---- reading a PNG's text ------------------------------------------------- */

static guint32
read_be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The text chunks of a PNG (tEXt in Latin-1, uncompressed iTXt in UTF-8),
 * keyword → UTF-8 text, checking the framing of every chunk on the way */
static GHashTable *
png_texts (const char *path,
           int        *width,
           int        *height)
{
  static const guchar signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const guchar *p, *end;
  gsize len = 0;
  gboolean ended = FALSE;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpuint (len, >, sizeof signature);
  g_assert_cmpmem (contents, sizeof signature, signature, sizeof signature);

  p = (const guchar *) contents + sizeof signature;
  end = (const guchar *) contents + len;
  while (p < end && !ended)
    {
      guint32 length;
      const guchar *type, *body;

      g_assert_cmpint (end - p, >=, 12);
      length = read_be32 (p);
      g_assert_cmpint (end - p - 12, >=, length);
      type = p + 4;
      body = p + 8;
      g_assert_cmpuint (read_be32 (body + length), ==, png_crc (type, length + 4));

      if (memcmp (type, "IHDR", 4) == 0)
        {
          g_assert_cmpuint (length, ==, 13);
          *width = read_be32 (body);
          *height = read_be32 (body + 4);
        }
      else if (memcmp (type, "tEXt", 4) == 0)
        {
          gsize key_len = strnlen ((const char *) body, length);
          g_autofree char *text = NULL;

          g_assert_cmpuint (key_len, <, length);
          text = g_convert ((const char *) body + key_len + 1, length - key_len - 1, "UTF-8", "ISO-8859-1",
                            NULL, NULL, &error);
          g_assert_no_error (error);
          g_hash_table_insert (texts, g_strndup ((const char *) body, key_len), g_steal_pointer (&text));
        }
      else if (memcmp (type, "iTXt", 4) == 0)
        {
          const char *key = (const char *) body;
          const char *q = key + strnlen (key, length) + 1;
          const char *body_end = (const char *) body + length;

          g_assert_true (q + 2 < body_end);
          g_assert_cmpint (q[0], ==, 0);         /* not compressed */
          q += 2;
          q += strnlen (q, body_end - q) + 1;   /* language */
          g_assert_true (q < body_end);
          q += strnlen (q, body_end - q) + 1;   /* translated keyword */
          g_assert_true (q <= body_end);
          g_assert_true (g_utf8_validate (q, body_end - q, NULL));
          g_hash_table_insert (texts, g_strdup (key), g_strndup (q, body_end - q));
        }
      else if (memcmp (type, "IEND", 4) == 0)
        ended = TRUE;

      p = body + length + 4;
    }
  g_assert_true (ended);

  return g_steal_pointer (&texts);
}

static void
exported (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* what the Export button leads to, once the user has picked @path */
static gboolean
export_to (Fixture                 *f,
           HordeStudioGalleryItem  *item,
           const char              *path,
           GError                 **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  horde_studio_gallery_view_export_to_file_async (gallery_view (f), item, file, NULL, exported, &result);
  g_assert_true (iterate_until (result_arrived, &result, 10));
  return horde_studio_gallery_view_export_to_file_finish (gallery_view (f), result, error);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("horde-studio-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "café.png", NULL);
  g_autofree char *nowhere = g_build_filename (folder, "no-such-folder", "image.png", NULL);
  g_autofree char *seed_text = NULL;
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;
  const char *parameters;
  JsonObject *horde, *request, *generation;
  int width = 0, height = 0;

  set_spin (f, "steps_spin", 22);
  set_spin (f, "width_spin", 576);
  generate (f, "a café on the quay", "Deliberate", 1);
  show_gallery (f);
  item = open_at (f, 0);
  g_assert_nonnull (horde_studio_gallery_item_get_seed (item));

  g_assert_true (export_to (f, item, path, &error));
  g_assert_no_error (error);
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (toast_text (shown_toast (f)), ==, "Image exported");

  /* an image any program opens, at the size it was made */
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 576);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 512);

  /* the chunks, read by hand */
  texts = png_texts (path, &width, &height);
  g_assert_cmpint (width, ==, 576);
  g_assert_cmpint (height, ==, 512);

  /* parameters, as the common Stable Diffusion tools write them */
  parameters = g_hash_table_lookup (texts, "parameters");
  g_assert_nonnull (parameters);
  g_assert_true (g_str_has_prefix (parameters, "a café on the quay\n"));
  g_assert_nonnull (strstr (parameters, "Steps: 22,"));
  seed_text = g_strdup_printf (", Seed: %s,", horde_studio_gallery_item_get_seed (item));
  g_assert_nonnull (strstr (parameters, seed_text));
  g_assert_nonnull (strstr (parameters, ", Size: 576x512"));
  g_assert_nonnull (strstr (parameters, ", Model: Deliberate"));

  /* and the Horde's own JSON */
  g_assert_true (g_hash_table_contains (texts, "horde"));
  g_assert_true (json_parser_load_from_data (parser, g_hash_table_lookup (texts, "horde"), -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  horde = json_node_get_object (json_parser_get_root (parser));
  request = json_object_get_object_member (horde, "request");
  generation = json_object_get_object_member (horde, "generation");
  g_assert_nonnull (request);
  g_assert_nonnull (generation);
  g_assert_cmpstr (json_object_get_string_member (request, "prompt"), ==, "a café on the quay");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (request, "params"), "steps"), ==, 22);
  g_assert_cmpstr (json_object_get_string_member (generation, "seed"), ==, horde_studio_gallery_item_get_seed (item));
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "Deliberate");

  /* a place that cannot be written to: the user is told why */
  close_toast (f);
  g_assert_false (export_to (f, item, nowhere, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (adw_toast_get_title (shown_toast (f)), ==, error->message);

  remove_tree (folder);
}

/* ---- other applications ------------------------------------------------- */

/* The session's applications, as a desktop has them: the user's default
 * for images and for folders is a recorder (a desktop file in this test
 * home's XDG_DATA_HOME, chosen in its mimeapps.list) that writes each URI
 * it is given to a log, and a file manager on the session bus (added by
 * the tests that want one) records what it is asked to show. The app
 * launches them as it launches any. */
static char *launch_dir;

static char *
launch_log_path (void)
{
  return g_build_filename (launch_dir, "launched.log", NULL);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static void
install_launch_recorder (void)
{
  g_autofree char *script = NULL;
  g_autofree char *log = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *mimeapps = NULL;
  static const char *apps[] = { "horde-test-viewer", "horde-test-editor" };

  launch_dir = g_dir_make_tmp ("horde-studio-launch-XXXXXX", NULL);
  g_assert_nonnull (launch_dir);
  log = launch_log_path ();

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_free (script);
      g_free (contents);
      g_free (desktop);
      script = g_build_filename (launch_dir, apps[i], NULL);
      contents = g_strdup_printf ("#!/bin/sh\nfor uri in \"$@\"; do printf '%s %%s\\n' \"$uri\" >> '%s'; done\n",
                                  apps[i], log);
      write_file (script, contents);
      g_assert_cmpint (g_chmod (script, 0700), ==, 0);

      g_free (contents);
      contents = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=%s\nExec=%s %%U\n"
                                  "MimeType=image/png;image/webp;inode/directory;\n",
                                  apps[i], script);
      desktop = g_strdup_printf ("%s/applications/%s.desktop", g_get_user_data_dir (), apps[i]);
      write_file (desktop, contents);
    }

  mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  /* the associations as a desktop records them (this GIO does not read
   * MimeType= from a folder without a mimeinfo.cache) */
  write_file (mimeapps, "[Default Applications]\n"
                        "image/png=horde-test-viewer.desktop\n"
                        "image/webp=horde-test-viewer.desktop\n"
                        "inode/directory=horde-test-viewer.desktop\n"
                        "[Added Associations]\n"
                        "image/png=horde-test-viewer.desktop;horde-test-editor.desktop;\n"
                        "image/webp=horde-test-viewer.desktop;horde-test-editor.desktop;\n"
                        "inode/directory=horde-test-viewer.desktop;\n");
}

static void
remove_launch_recorder (void)
{
  remove_tree (launch_dir);
  g_clear_pointer (&launch_dir, g_free);
}

/* what was launched so far, a line a file: "APP URI" (GIO gives an
 * application a local file's path or its URI, as it sees fit) */
static char *
launched (void)
{
  g_autofree char *log = launch_log_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GString *uris = g_string_new (NULL);

  if (!g_file_get_contents (log, &contents, NULL, NULL))
    return g_string_free (uris, FALSE);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *arg = strchr (lines[i], ' ');
      g_autoptr(GFile) file = NULL;
      g_autofree char *uri = NULL;

      g_assert_nonnull (arg);
      file = g_file_new_for_commandline_arg (arg + 1);
      uri = g_file_get_uri (file);
      g_string_append_printf (uris, "%.*s %s\n", (int) (arg - lines[i]), lines[i], uri);
    }
  return g_string_free (uris, FALSE);
}

static gboolean
launched_is (gpointer data)
{
  g_autofree char *lines = launched ();

  return g_str_equal (lines, data);
}

static void
forget_launched (void)
{
  g_autofree char *log = launch_log_path ();

  g_remove (log);
}

/* the file manager: org.freedesktop.FileManager1 on the session bus */
static GPtrArray *shown_in_files;

static const char file_manager_xml[] =
  "<node><interface name='org.freedesktop.FileManager1'>"
  "<method name='ShowItems'><arg type='as' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
file_manager_call (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  g_autoptr(GVariantIter) uris = NULL;
  const char *uri;

  g_assert_cmpstr (method_name, ==, "ShowItems");
  g_variant_get (parameters, "(as&s)", &uris, NULL);
  while (g_variant_iter_next (uris, "&s", &uri))
    g_ptr_array_add (shown_in_files, g_strdup (uri));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_file_manager (void)
{
  static const GDBusInterfaceVTable vtable = { file_manager_call };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (file_manager_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  shown_in_files = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/FileManager1", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.FileManager1", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
files_shown_in_file_manager (gpointer data)
{
  return shown_in_files->len >= GPOINTER_TO_UINT (data);
}

/* After an export, the toast offers to open the image (in the user's
 * image viewer) and to show it in the file manager, or, without one on
 * the session bus, its folder. */
static void
test_export_open_and_show (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("horde-studio-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "lighthouse.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *folder_uri = g_file_get_uri (folder_file);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;
  AdwToast *toast;
  GtkWidget *open;

  generate (f, "a lighthouse at dusk", NULL, 1);
  show_gallery (f);
  item = open_at (f, 0);

  /* Open: the exported file, in the default application for PNG */
  g_assert_true (export_to (f, item, path, &error));
  g_assert_no_error (error);
  g_assert_true (iterate_until (toast_shown, f, 5));
  read_toast (f);
  toast = shown_toast (f);
  g_assert_cmpstr (toast_text (toast), ==, "Image exported");
  open = find_widget (toast_widget (f), is_button_labelled, "_Open");
  g_assert_nonnull (open);
  click (open);
  expected = g_strdup_printf ("horde-test-viewer %s\n", uri);
  g_assert_true (iterate_until (launched_is, expected, 10));
  g_assert_true (iterate_until (no_toast, f, 5));

  /* Show in Files, with no file manager: the folder opens */
  forget_launched ();
  g_assert_true (export_to (f, item, path, &error));
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (adw_toast_get_button_label (shown_toast (f)), ==, "Show in _Files");
  press_toast_button (f);
  g_free (expected);
  expected = g_strdup_printf ("horde-test-viewer %s\n", folder_uri);
  g_assert_true (iterate_until (launched_is, expected, 10));

  /* with one, it shows the file, selected */
  start_file_manager ();
  forget_launched ();
  g_assert_true (export_to (f, item, path, &error));
  g_assert_true (iterate_until (toast_shown, f, 5));
  press_toast_button (f);
  g_assert_true (iterate_until (files_shown_in_file_manager, GUINT_TO_POINTER (1), 10));
  g_assert_cmpuint (shown_in_files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (shown_in_files, 0), ==, uri);
  g_assert_cmpstr (launched (), ==, "");
  g_free (g_steal_pointer (&expected));

  g_clear_pointer (&shown_in_files, g_ptr_array_unref);
  remove_tree (folder);
}

/* ---- selection ---------------------------------------------------------- */

/* the grid's cell showing the item at @position, once it is there */
static GtkWidget *
tile_at (Fixture *f,
         guint    position)
{
  GtkWidget *grid = GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f)));
  gint64 id = horde_studio_gallery_item_get_id (grid_item (f, position));

  for (GtkWidget *cell = gtk_widget_get_first_child (grid); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *thumbnail = gtk_widget_get_first_child (cell);
      GObject *item;

      if (HORDE_STUDIO_IS_THUMBNAIL (thumbnail) && gtk_widget_get_mapped (cell) &&
          (item = horde_studio_thumbnail_get_item (HORDE_STUDIO_THUMBNAIL (thumbnail))) != NULL &&
          horde_studio_gallery_item_get_id (HORDE_STUDIO_GALLERY_ITEM (item)) == id)
        return cell;
    }
  return NULL;
}

typedef struct {
  Fixture *f;
  guint position;
} TileLookup;

static gboolean
tile_shown (gpointer data)
{
  TileLookup *lookup = data;
  GtkWidget *tile = tile_at (lookup->f, lookup->position);

  /* and laid out */
  return tile != NULL && gtk_widget_get_width (tile) > 1 && gtk_widget_get_height (tile) > 1;
}

static gboolean
tile_selected (Fixture *f,
               guint    position)
{
  GtkWidget *tile = tile_at (f, position);

  g_assert_nonnull (tile);
  return horde_studio_thumbnail_get_selected (HORDE_STUDIO_THUMBNAIL (gtk_widget_get_first_child (tile)));
}

static guint
n_selected (Fixture *f)
{
  g_autoptr(GPtrArray) items = horde_studio_gallery_view_dup_selected (gallery_view (f));

  return items->len;
}

typedef struct {
  Fixture *f;
  guint n;
} SelectionCount;

static gboolean
selection_is (gpointer data)
{
  SelectionCount *count = data;

  return n_selected (count->f) == count->n;
}

static gboolean
selecting (Fixture *f)
{
  gboolean on = FALSE;

  g_object_get (gallery_view (f), "selection-mode", &on, NULL);
  return on;
}

/* A real click on the tile at @position, through the X server as a mouse
 * makes it, with @key ("ctrl", "shift") held if not NULL; then waits for
 * the selection to hold @n_after images. */
static void
click_tile (Fixture    *f,
            guint       position,
            const char *key,
            guint       n_after)
{
  TileLookup lookup = { f, position };
  SelectionCount count = { f, n_after };
  GtkWidget *tile;
  GtkNative *native;
  graphene_point_t point;
  double dx, dy;
  g_autofree char *window = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (iterate_until (tile_shown, &lookup, 5));
  tile = tile_at (f, position);
  native = gtk_widget_get_native (tile);
  g_assert_true (gtk_widget_compute_point (tile, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (tile) / 2.f,
                                                                 gtk_widget_get_height (tile) / 2.f),
                                           &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  window = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));

  g_ptr_array_add (argv, (char *) "xdotool");
  g_ptr_array_add (argv, (char *) "mousemove");
  g_ptr_array_add (argv, (char *) "--window");
  g_ptr_array_add (argv, window);
  g_ptr_array_add (argv, x);
  g_ptr_array_add (argv, y);
  if (key != NULL)
    {
      g_ptr_array_add (argv, (char *) "keydown");
      g_ptr_array_add (argv, (char *) key);
    }
  g_ptr_array_add (argv, (char *) "click");
  g_ptr_array_add (argv, (char *) "1");
  if (key != NULL)
    {
      g_ptr_array_add (argv, (char *) "keyup");
      g_ptr_array_add (argv, (char *) key);
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_true (iterate_until (selection_is, &count, 5));
}

static gboolean
viewer_shown (gpointer data)
{
  return g_strcmp0 (view_page (data), "viewer") == 0;
}

static void
exported_to_folder (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Selection mode as in Files or Photos: Ctrl+click starts it from the
 * grid, a click then adds or removes a tile, Shift+click adds a run,
 * Ctrl+A takes all, Escape leaves; the bar below exports the selection
 * into a folder, named after the prompts and overwriting nothing. */
static void
test_select_and_export (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *folder = g_dir_make_tmp ("horde-studio-export-XXXXXX", NULL);
  g_autofree char *first = g_build_filename (folder, "a-harbour-at-noon.png", NULL);
  g_autofree char *second = g_build_filename (folder, "a-harbour-at-noon-2.png", NULL);
  g_autofree char *third = g_build_filename (folder, "a-harbour-at-noon-3.png", NULL);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GtkWidget *grid;
  GtkWidget *tile;

  generate (f, "a harbour at noon", NULL, 3);
  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 3);
  g_assert_false (gtk_revealer_get_reveal_child (view_child (f, "selection_bar")));

  /* Ctrl+click: selection mode, not the viewer */
  click_tile (f, 0, "ctrl", 1);
  g_assert_true (selecting (f));
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_true (gtk_toggle_button_get_active (view_child (f, "select_button")));
  g_assert_true (gtk_revealer_get_reveal_child (view_child (f, "selection_bar")));
  g_assert_true (tile_selected (f, 0));
  g_assert_false (tile_selected (f, 1));
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "selection_label")), ==, "1 image selected");

  /* Shift+click: the run from there */
  click_tile (f, 2, "shift", 3);
  g_assert_true (tile_selected (f, 1));
  g_assert_true (tile_selected (f, 2));

  /* a click takes one out */
  click_tile (f, 1, NULL, 2);
  g_assert_false (tile_selected (f, 1));
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "selection_label")), ==, "2 images selected");
  g_assert_cmpstr (view_page (f), ==, "grid");

  /* the selection, exported: two files, neither overwritten */
  items = horde_studio_gallery_view_dup_selected (gallery_view (f));
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_true (g_ptr_array_index (items, 0) == grid_item (f, 0));
  g_assert_true (g_ptr_array_index (items, 1) == grid_item (f, 2));
  g_assert_true (g_file_set_contents (first, "the user's own", -1, NULL));
  horde_studio_gallery_view_export_to_folder_async (gallery_view (f), items, folder_file, NULL,
                                                    exported_to_folder, &result);
  g_assert_true (iterate_until (result_arrived, &result, 10));
  g_assert_true (horde_studio_gallery_view_export_to_folder_finish (gallery_view (f), result, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (second, &error);
  g_assert_no_error (error);
  g_clear_object (&pixbuf);
  pixbuf = gdk_pixbuf_new_from_file (third, &error);
  g_assert_no_error (error);
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (toast_text (shown_toast (f)), ==, "2 images exported");

  /* Show in Files shows both */
  start_file_manager ();
  press_toast_button (f);
  g_assert_true (iterate_until (files_shown_in_file_manager, GUINT_TO_POINTER (2), 10));
  g_assert_cmpuint (shown_in_files->len, ==, 2);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (shown_in_files, 0), "/a-harbour-at-noon-2.png"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (shown_in_files, 1), "/a-harbour-at-noon-3.png"));

  /* Escape leaves selection mode; Ctrl+A in the grid selects all */
  grid = GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f)));
  tile = tile_at (f, 1);
  g_assert_true (gtk_widget_grab_focus (tile));
  g_assert_true (press_key (f, grid, GDK_KEY_Escape, 0));
  g_assert_false (selecting (f));
  g_assert_false (gtk_revealer_get_reveal_child (view_child (f, "selection_bar")));
  g_assert_cmpuint (n_selected (f), ==, 0);
  g_assert_true (press_key (f, grid, GDK_KEY_a, GDK_CONTROL_MASK));
  g_assert_true (selecting (f));
  g_assert_cmpuint (n_selected (f), ==, 3);
  g_assert_true (tile_selected (f, 1));

  /* Space on a tile takes it out, as a click does; the header button
   * leaves */
  g_assert_true (press_key (f, grid, GDK_KEY_space, 0));
  g_assert_cmpuint (n_selected (f), ==, 2);
  g_assert_false (tile_selected (f, 1));
  click (view_child (f, "select_button"));
  g_assert_false (selecting (f));

  /* out of selection mode, a click opens again */
  click_tile (f, 1, NULL, 0);
  g_assert_true (iterate_until (viewer_shown, f, 5));

  g_clear_pointer (&shown_in_files, g_ptr_array_unref);
  remove_tree (folder);
}

/* Deleting a selection asks first; Undo brings every image back. */
static void
test_delete_selected (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  GtkWidget *grid;
  GtkWindow *dialog;

  generate (f, "a lantern in the fog", NULL, 3);
  show_gallery (f);
  grid = GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f)));
  g_assert_true (gtk_widget_child_focus (grid, GTK_DIR_TAB_FORWARD));
  g_assert_true (press_key (f, grid, GDK_KEY_a, GDK_CONTROL_MASK));
  items = horde_studio_gallery_view_dup_selected (gallery_view (f));
  g_assert_cmpuint (items->len, ==, 3);

  /* asked, and cancelled: nothing happens */
  g_assert_true (press_key (f, grid, GDK_KEY_Delete, 0));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  dialog = find_dialog (f);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete 3 Images?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 3);
  g_assert_true (selecting (f));
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpint (db_deleted (f, g_ptr_array_index (items, i)), ==, 0);

  /* the bar's Delete, answered */
  activate (f, "gallery.delete-selected");
  g_assert_true (iterate_until (dialog_shown, f, 5));
  dialog = find_dialog (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 0);
  g_assert_false (selecting (f));
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpint (db_deleted (f, g_ptr_array_index (items, i)), ==, 1);
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (toast_text (shown_toast (f)), ==, "3 images deleted");

  /* Undo: all three are back, files and all */
  press_toast_button (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 3);
  for (guint i = 0; i < items->len; i++)
    {
      g_assert_cmpint (db_deleted (f, g_ptr_array_index (items, i)), ==, 0);
      g_assert_true (files_exist (g_ptr_array_index (items, i)));
    }
}

static const char *
grid_prompt (Fixture *f,
             guint    position)
{
  return horde_studio_gallery_item_get_prompt (grid_item (f, position));
}

/* The grid's order, from the Sort menu: newest or oldest first, or by
 * model; kept in the settings (and a change there reorders the grid);
 * the viewer's next follows it. */
static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  GSettings *settings = horde_studio_application_get_settings (f->app);
  GMenuModel *menu = gtk_menu_button_get_menu_model (view_child (f, "sort_button"));
  GMenuModel *section;
  static const char * const targets[] = { "newest", "oldest", "model" };

  generate (f, "a lighthouse at dusk", "stable_diffusion", 1);
  generate (f, "a red fox in the snow", "Deliberate", 1);
  generate (f, "a windmill in the rain", "Realistic Vision", 1);
  show_gallery (f);

  /* the menu: one choice an order */
  g_assert_nonnull (menu);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, G_N_ELEMENTS (targets));
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_TARGET, "s", &target));
      g_assert_cmpstr (action, ==, "gallery.sort");
      g_assert_cmpstr (target, ==, targets[i]);
    }
  g_object_unref (section);

  g_assert_cmpstr (g_settings_get_string (settings, "gallery-sort"), ==, "newest");
  g_assert_cmpstr (grid_prompt (f, 0), ==, "a windmill in the rain");
  g_assert_cmpstr (grid_prompt (f, 2), ==, "a lighthouse at dusk");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery_view (f)), "gallery.sort", "s", "oldest"));
  g_assert_cmpstr (grid_prompt (f, 0), ==, "a lighthouse at dusk");
  g_assert_cmpstr (grid_prompt (f, 1), ==, "a red fox in the snow");
  g_assert_cmpstr (grid_prompt (f, 2), ==, "a windmill in the rain");
  g_assert_cmpstr (g_settings_get_string (settings, "gallery-sort"), ==, "oldest");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery_view (f)), "gallery.sort", "s", "model"));
  g_assert_cmpstr (g_settings_get_string (settings, "gallery-sort"), ==, "model");
  g_assert_cmpstr (grid_prompt (f, 0), ==, "a red fox in the snow");          /* Deliberate */
  g_assert_cmpstr (grid_prompt (f, 1), ==, "a windmill in the rain");        /* Realistic Vision */
  g_assert_cmpstr (grid_prompt (f, 2), ==, "a lighthouse at dusk");          /* stable_diffusion */

  /* the viewer goes the grid's way */
  open_at (f, 0);
  activate (f, "viewer.next");
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "viewer_title")), ==, "a windmill in the rain");
  activate (f, "gallery.back");

  /* the setting, changed elsewhere (another window, dconf) */
  g_settings_set_string (settings, "gallery-sort", "newest");
  g_assert_cmpstr (grid_prompt (f, 0), ==, "a windmill in the rain");
  g_assert_cmpstr (grid_prompt (f, 1), ==, "a red fox in the snow");
}

/* what a drag from @widget offers, as GTK asks when the drag starts */
static GdkContentProvider *
start_drag (GtkWidget *widget)
{
  GtkDragSource *source = find_controller (widget, GTK_TYPE_DRAG_SOURCE);
  GdkContentProvider *content = NULL;

  g_assert_nonnull (source);
  g_assert_true (gdk_drag_action_is_unique (gtk_drag_source_get_actions (source)));
  g_assert_cmpint (gtk_drag_source_get_actions (source), ==, GDK_ACTION_COPY);
  g_signal_emit_by_name (source, "prepare", 10.0, 10.0, &content);
  g_assert_nonnull (content);
  return content;
}

/* the file and the pixels, as other applications take them */
static void
assert_drag_offers (GdkContentProvider     *content,
                    HordeStudioGalleryItem *item)
{
  g_autoptr(GdkContentFormats) formats = gdk_content_provider_ref_formats (content);
  g_autoptr(GdkContentFormats) mime = gdk_content_formats_union_serialize_mime_types (gdk_content_formats_ref (formats));
  g_auto(GValue) file_value = G_VALUE_INIT;
  g_auto(GValue) texture_value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE));
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE));
  g_assert_true (gdk_content_formats_contain_mime_type (mime, "text/uri-list"));
  g_assert_true (gdk_content_formats_contain_mime_type (mime, "image/png"));

  g_value_init (&file_value, G_TYPE_FILE);
  g_assert_true (gdk_content_provider_get_value (content, &file_value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_file_peek_path (g_value_get_object (&file_value)), ==, horde_studio_gallery_item_get_path (item));

  g_value_init (&texture_value, GDK_TYPE_TEXTURE);
  g_assert_true (gdk_content_provider_get_value (content, &texture_value, &error));
  g_assert_no_error (error);
  texture = g_value_get_object (&texture_value);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, horde_studio_gallery_item_get_width (item));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, horde_studio_gallery_item_get_height (item));
}

/* An image drags out of the grid and out of the viewer to other
 * applications, as its file and as pixels; selected tiles drag out
 * together, as files. */
static void
test_drag_out (Fixture       *f,
               gconstpointer  data)
{
  TileLookup lookup = { f, 1 };
  g_autoptr(GdkContentProvider) from_tile = NULL;
  g_autoptr(GdkContentProvider) from_viewer = NULL;
  g_autoptr(GdkContentProvider) from_selection = NULL;
  g_autoptr(GdkContentFormats) formats = NULL;
  g_auto(GValue) files_value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;
  GSList *files;
  GtkWidget *grid;

  set_spin (f, "width_spin", 576);
  generate (f, "a heron in the reeds", NULL, 2);
  show_gallery (f);
  g_assert_true (iterate_until (tile_shown, &lookup, 5));
  item = grid_item (f, 1);

  from_tile = start_drag (gtk_widget_get_first_child (tile_at (f, 1)));
  assert_drag_offers (from_tile, item);

  open_at (f, 1);
  from_viewer = start_drag (view_child (f, "picture"));
  assert_drag_offers (from_viewer, item);
  activate (f, "gallery.back");

  /* both selected: both files */
  grid = GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f)));
  g_assert_true (gtk_widget_child_focus (grid, GTK_DIR_TAB_FORWARD));
  g_assert_true (press_key (f, grid, GDK_KEY_a, GDK_CONTROL_MASK));
  g_assert_true (iterate_until (tile_shown, &lookup, 5));
  from_selection = start_drag (gtk_widget_get_first_child (tile_at (f, 1)));
  formats = gdk_content_provider_ref_formats (from_selection);
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST));
  g_value_init (&files_value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (from_selection, &files_value, &error));
  g_assert_no_error (error);
  files = gdk_file_list_get_files (g_value_get_boxed (&files_value));
  g_assert_cmpuint (g_slist_length (files), ==, 2);
  g_assert_cmpstr (g_file_peek_path (files->data), ==, horde_studio_gallery_item_get_path (grid_item (f, 0)));
  g_assert_cmpstr (g_file_peek_path (files->next->data), ==, horde_studio_gallery_item_get_path (grid_item (f, 1)));
  g_slist_free (files);
}

static GtkAppChooserDialog *
find_app_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_APP_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_APP_CHOOSER_DIALOG (window);
    }
  return NULL;
}

static gboolean
app_chooser_shown (gpointer data)
{
  return find_app_chooser () != NULL;
}

static gboolean
is_tree_view (GtkWidget     *widget,
              gconstpointer  data)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return GTK_IS_TREE_VIEW (widget);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

typedef struct {
  GtkAppChooserDialog *dialog;
  const char *name;
} AppPick;

/* the user picks the application named @name in the chooser's list, once
 * the list is filled */
static gboolean
pick_app (gpointer data)
{
  GtkAppChooserDialog *dialog = ((AppPick *) data)->dialog;
  const char *name = ((AppPick *) data)->name;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkTreeView *view = GTK_TREE_VIEW (find_widget (GTK_WIDGET (dialog), is_tree_view, NULL));
  GtkTreeModel *model;
  GtkTreeIter iter;
  int column = -1;
  gboolean picked = FALSE;

  g_assert_nonnull (view);
  model = gtk_tree_view_get_model (view);
  for (int i = 0; i < gtk_tree_model_get_n_columns (model); i++)
    if (gtk_tree_model_get_column_type (model, i) == G_TYPE_APP_INFO)
      column = i;
  g_assert_cmpint (column, >=, 0);

  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid && !picked;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autoptr(GAppInfo) app = NULL;

      gtk_tree_model_get (model, &iter, column, &app, -1);
      if (app != NULL && g_str_equal (g_app_info_get_name (app), name))
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (view), &iter);
          picked = TRUE;
        }
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  return picked;
}

/* The viewer opens its image in the default application, or in one the
 * user picks among those for its type (an editor), and shows it in the
 * file manager. */
static void
test_open_with (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GAppInfo) chosen = NULL;
  g_autoptr(GFile) file = NULL;
  GtkAppChooserDialog *dialog;
  HordeStudioGalleryItem *item;

  generate (f, "a heron in the reeds", NULL, 1);
  show_gallery (f);
  item = open_at (f, 0);
  file = g_file_new_for_path (horde_studio_gallery_item_get_path (item));
  uri = g_file_get_uri (file);

  /* Open: the user's image viewer */
  activate (f, "viewer.open");
  expected = g_strdup_printf ("horde-test-viewer %s\n", uri);
  g_assert_true (iterate_until (launched_is, expected, 10));

  /* Open With…, the editor */
  forget_launched ();
  activate (f, "viewer.open-with");
  g_assert_true (iterate_until (app_chooser_shown, NULL, 5));
  dialog = find_app_chooser ();
  g_assert_true (iterate_until (pick_app, &(AppPick) { dialog, "horde-test-editor" }, 5));
  chosen = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));
  g_assert_nonnull (chosen);
  g_assert_cmpstr (g_app_info_get_name (chosen), ==, "horde-test-editor");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  g_free (expected);
  expected = g_strdup_printf ("horde-test-editor %s\n", uri);
  g_assert_true (iterate_until (launched_is, expected, 10));
  g_assert_false (app_chooser_shown (NULL));

  /* cancelled: nothing opens */
  forget_launched ();
  activate (f, "viewer.open-with");
  g_assert_true (iterate_until (app_chooser_shown, NULL, 5));
  gtk_dialog_response (GTK_DIALOG (find_app_chooser ()), GTK_RESPONSE_CANCEL);
  g_assert_false (app_chooser_shown (NULL));
  iterate_for (300);
  g_assert_cmpstr (launched (), ==, "");

  /* Show in Files */
  start_file_manager ();
  activate (f, "viewer.show-in-files");
  g_assert_true (iterate_until (files_shown_in_file_manager, GUINT_TO_POINTER (1), 10));
  g_assert_cmpstr (g_ptr_array_index (shown_in_files, 0), ==, uri);
  g_clear_pointer (&shown_in_files, g_ptr_array_unref);
}

typedef struct {
  GtkWidget *widget;
  GtkWidget *other;
} PlaceLookup;

/* whether @widget lies right of @other, once both are laid out */
static gboolean
laid_out_right_of (gpointer data)
{
  PlaceLookup *lookup = data;
  graphene_rect_t a, b;

  return gtk_widget_get_width (lookup->widget) > 0 && gtk_widget_get_width (lookup->other) > 0 &&
         gtk_widget_compute_bounds (lookup->widget, GTK_WIDGET (gtk_widget_get_root (lookup->widget)), &a) &&
         gtk_widget_compute_bounds (lookup->other, GTK_WIDGET (gtk_widget_get_root (lookup->other)), &b) &&
         a.origin.x > b.origin.x;
}

/* In a right-to-left locale, the viewer goes the other way: the next image
 * is on the left, by its button and by the Left key, and Alt+Right goes
 * back to the grid. */
static void
test_right_to_left (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *view;
  HordeStudioGalleryItem *first, *second, *third;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  generate (f, "a dhow on the river", NULL, 3);
  show_gallery (f);
  view = GTK_WIDGET (gallery_view (f));
  g_assert_cmpint (gtk_widget_get_direction (view), ==, GTK_TEXT_DIR_RTL);
  first = grid_item (f, 0);
  second = grid_item (f, 1);
  third = grid_item (f, 2);

  open_at (f, 1);
  g_assert_true (iterate_until (laid_out_right_of,
                                &(PlaceLookup) { view_child (f, "previous_button"), view_child (f, "next_button") }, 5));

  /* Left: next */
  g_assert_true (press_key (f, view, GDK_KEY_Left, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == third);
  press_key (f, view, GDK_KEY_Left, 0);   /* the last */
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == third);

  /* Right: previous */
  g_assert_true (press_key (f, view, GDK_KEY_Right, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == second);
  g_assert_true (press_key (f, view, GDK_KEY_Right, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == first);

  /* Alt+Left is forward, not back; Alt+Right is back */
  press_key (f, view, GDK_KEY_Left, GDK_ALT_MASK);
  g_assert_cmpstr (view_page (f), ==, "viewer");
  g_assert_true (press_key (f, view, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_cmpstr (view_page (f), ==, "grid");

  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static void
test_reuse (Fixture       *f,
            gconstpointer  data)
{
  HordeImageGenerateAsyncRequest *request;
  HordeModelGenerationInputStable *params;
  const char * const *models;
  HordeStudioGalleryItem *item;

  /* any model, a random seed: what the image got is what is reused */
  set_spin (f, "steps_spin", 25);
  set_spin (f, "width_spin", 640);
  set_spin (f, "height_spin", 448);
  generate (f, "a windmill on a hill", NULL, 1);

  /* the compose pane moves on to something else */
  type_prompt (f, "something else entirely");
  set_spin (f, "steps_spin", 10);
  set_spin (f, "width_spin", 512);
  set_spin (f, "height_spin", 512);

  show_gallery (f);
  item = open_at (f, 0);
  g_assert_nonnull (horde_studio_gallery_item_get_seed (item));
  g_assert_nonnull (horde_studio_gallery_item_get_model (item));
  activate (f, "viewer.reuse");

  g_assert_cmpstr (window_page (f), ==, "create");
  request = horde_studio_compose_get_request (compose (f));
  g_assert_nonnull (request);
  params = horde_image_generate_async_request_get_params (request);
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, "a windmill on a hill");
  g_assert_cmpint (horde_model_generation_input_stable_get_steps (params), ==, 25);
  g_assert_cmpint (horde_model_generation_input_stable_get_width (params), ==, 640);
  g_assert_cmpint (horde_model_generation_input_stable_get_height (params), ==, 448);
  g_assert_cmpstr (horde_model_generation_input_stable_get_seed (params), ==, horde_studio_gallery_item_get_seed (item));
  models = horde_image_generate_async_request_get_models (request);
  g_assert_nonnull (models);
  g_assert_cmpstr (models[0], ==, horde_studio_gallery_item_get_model (item));
  g_assert_null (models[1]);
  g_assert_true (gtk_widget_is_sensitive (compose_part (f, "generate_button")));
}

static void
test_found_after_restart (Fixture       *f,
                          gconstpointer  data)
{
  HordeStudioJob *job;
  HordeStudioGalleryItem *spring, *autumn;

  set_spin (f, "steps_spin", 18);
  job = generate (f, "an orchard in spring", "Deliberate", 1);
  spring = image_of (job, 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_job_id (spring), ==, job_id (job));
  set_spin (f, "height_spin", 640);
  job = generate (f, "an orchard in autumn", "stable_diffusion", 1);
  autumn = image_of (job, 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_job_id (autumn), ==, job_id (job));

  g_assert_cmpstr (horde_studio_gallery_item_get_model (spring), ==, "Deliberate");
  g_assert_cmpstr (horde_studio_gallery_item_get_model (autumn), ==, "stable_diffusion");
  g_assert_nonnull (horde_studio_gallery_item_get_seed (spring));
  g_assert_nonnull (horde_studio_gallery_item_get_seed (autumn));
  note_item ("spring", spring);
  note_item ("autumn", autumn);
}

static void
test_found_after_restart_restarted (Fixture       *f,
                                    gconstpointer  data)
{
  g_auto(Remembered) spring = { 0 };
  g_auto(Remembered) autumn = { 0 };
  HordeStudioGalleryItem *item;
  GdkPaintable *picture;

  recall_item ("spring", &spring);
  recall_item ("autumn", &autumn);

  /* both, newest first, with all they were made with */
  show_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 2);
  assert_same (grid_item (f, 0), &autumn);
  assert_same (grid_item (f, 1), &spring);
  g_assert_cmpint (autumn.height, ==, 640);
  g_assert_cmpint (spring.steps, ==, 18);
  /* nothing of the last run is left to recover */
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 0);
  g_assert_null (find_dialog (f));

  /* and the viewer opens one */
  item = open_at (f, 1);
  assert_same (item, &spring);
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "viewer_title")), ==, "an orchard in spring");
  picture = gtk_picture_get_paintable (view_child (f, "picture"));
  g_assert_nonnull (picture);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (picture), ==, 512);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (picture), ==, 512);
  g_assert_true (details_show (f, "an orchard in spring"));
  g_assert_true (details_show (f, "Deliberate"));
  g_assert_true (details_show (f, spring.seed));
  g_assert_true (details_show (f, spring.job_id));
  g_assert_true (details_show (f, "512 × 512"));
  g_assert_true (details_show (f, "18"));

  /* Escape: back to the grid */
  activate (f, "gallery.back");
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_null (horde_studio_gallery_view_get_shown (gallery_view (f)));
}

/* The viewer goes through the grid as it is now: previous and next, by the
 * buttons on the image and by the arrow keys, in the grid's order and
 * within its filter, and they stop at either end. */
static void
test_previous_next (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *view;
  GtkWidget *previous, *next;
  HordeStudioGalleryItem *first, *second, *third;

  generate (f, "a harbour at noon", NULL, 2);
  generate (f, "a windmill in the rain", NULL, 1);

  show_gallery (f);
  view = GTK_WIDGET (gallery_view (f));
  previous = view_child (f, "previous_button");
  next = view_child (f, "next_button");
  g_assert_cmpuint (g_list_model_get_n_items (grid_model (f)), ==, 3);
  first = grid_item (f, 0);
  second = grid_item (f, 1);
  third = grid_item (f, 2);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (first), ==, "a windmill in the rain");

  /* in the grid the arrows are the grid's (or move the focus) */
  press_key (f, view, GDK_KEY_Right, 0);
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_null (horde_studio_gallery_view_get_shown (gallery_view (f)));

  /* from the middle: Right, then the button, then Left */
  open_at (f, 1);
  g_assert_true (gtk_widget_get_visible (previous));
  g_assert_true (gtk_widget_get_visible (next));
  g_assert_true (press_key (f, view, GDK_KEY_Right, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == third);
  g_assert_cmpstr (view_page (f), ==, "viewer");
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "viewer_title")), ==, "a harbour at noon");

  /* the last: no next */
  g_assert_false (gtk_widget_get_visible (next));
  press_key (f, view, GDK_KEY_Right, 0);
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == third);

  click (previous);
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == second);
  g_assert_true (press_key (f, view, GDK_KEY_Left, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == first);
  g_assert_cmpstr (gtk_label_get_text (view_child (f, "viewer_title")), ==, "a windmill in the rain");
  g_assert_true (details_show (f, "a windmill in the rain"));

  /* the first: no previous */
  g_assert_false (gtk_widget_get_visible (previous));
  press_key (f, view, GDK_KEY_Left, 0);
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == first);
  click (next);
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == second);

  /* within the search: the windmill is not among the harbours */
  activate (f, "gallery.back");
  g_assert_cmpuint (search (f, "harbour"), ==, 2);
  open_at (f, 0);
  g_assert_false (gtk_widget_get_visible (previous));
  g_assert_true (press_key (f, view, GDK_KEY_Right, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == grid_item (f, 1));
  g_assert_false (gtk_widget_get_visible (next));
  press_key (f, view, GDK_KEY_Right, 0);
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == grid_item (f, 1));
  g_assert_true (press_key (f, view, GDK_KEY_Left, 0));
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == grid_item (f, 0));
}

/* Escape and Alt+Left leave the viewer for the grid; Ctrl+W closes the
 * window (the HIG's "close" for a window without tabs), from the viewer
 * too, asking first as the close button does. */
static void
test_close_keys (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *view;
  GtkWindow *window = GTK_WINDOW (f->window);

  generate (f, "a lantern on a jetty", NULL, 1);
  show_gallery (f);
  view = GTK_WIDGET (gallery_view (f));

  open_at (f, 0);
  g_assert_true (press_key (f, view, GDK_KEY_Escape, 0));
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_null (horde_studio_gallery_view_get_shown (gallery_view (f)));

  open_at (f, 0);
  g_assert_true (press_key (f, view, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpstr (view_page (f), ==, "grid");

  /* Ctrl+W from the viewer: the window goes */
  open_at (f, 0);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (press_key (f, view, GDK_KEY_w, GDK_CONTROL_MASK));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
  f->window = NULL;
}

static gboolean
is_focusable_tile (GtkWidget     *widget,
                   gconstpointer  data)
{
  /* the grid's cell, not the grid */
  return GTK_IS_GRID_VIEW (gtk_widget_get_parent (widget)) &&
         gtk_widget_get_focusable (widget) && gtk_widget_get_mapped (widget) &&
         find_widget (widget, is_thumbnail_of, data) != NULL;
}

/* A tile with the keyboard: Tab to it (the focus lands on a tile, which
 * shows it) and Enter, or Space, opens it. */
static void
test_open_by_keyboard (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *grid;
  GtkWidget *tile;
  GtkWidget *focus;
  ThumbnailLookup lookup = { f, "a kite over the dunes" };
  HordeStudioGalleryItem *kite;

  generate (f, "a kite over the dunes", NULL, 1);
  generate (f, "a boat on the lake", NULL, 1);
  show_gallery (f);
  grid = GTK_WIDGET (horde_studio_gallery_view_get_grid_view (gallery_view (f)));
  g_assert_true (iterate_until (thumbnail_shown, &lookup, 5));
  kite = grid_item (f, 1);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (kite), ==, "a kite over the dunes");

  /* into the grid: a tile has the focus */
  g_assert_true (gtk_widget_child_focus (grid, GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, grid));

  /* the kite's tile, focused and Enter */
  tile = find_widget (grid, is_focusable_tile, "a kite over the dunes");
  g_assert_nonnull (tile);
  g_assert_true (gtk_widget_grab_focus (tile));
  g_assert_true (press_key (f, grid, GDK_KEY_Return, 0));
  g_assert_cmpstr (view_page (f), ==, "viewer");
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == kite);

  /* back, and Space */
  g_assert_true (press_key (f, grid, GDK_KEY_Escape, 0));
  g_assert_cmpstr (view_page (f), ==, "grid");
  g_assert_true (iterate_until (thumbnail_shown, &lookup, 5));
  tile = find_widget (grid, is_focusable_tile, "a kite over the dunes");
  g_assert_nonnull (tile);
  g_assert_true (gtk_widget_grab_focus (tile));
  g_assert_true (press_key (f, grid, GDK_KEY_space, 0));
  g_assert_cmpstr (view_page (f), ==, "viewer");
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == kite);
}

/* The viewer's star says which images are favourites by its look, not
 * only by a pressed background: filled or an outline, and its tooltip
 * says what a click does. */
static void
test_favourite_look (Fixture       *f,
                     gconstpointer  data)
{
  GtkToggleButton *star;

  generate (f, "a teapot on a windowsill", NULL, 2);
  show_gallery (f);
  star = view_child (f, "favourite_toggle");

  open_at (f, 0);
  g_assert_false (gtk_toggle_button_get_active (star));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (star)), ==, "non-starred-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (star)), ==, "Add to Favourites");

  click (star);
  g_assert_true (horde_studio_gallery_item_get_favourite (grid_item (f, 0)));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (star)), ==, "starred-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (star)), ==, "Remove from Favourites");

  /* the next image is not a favourite: an outline again; back: filled */
  activate (f, "viewer.next");
  g_assert_true (horde_studio_gallery_view_get_shown (gallery_view (f)) == grid_item (f, 1));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (star)), ==, "non-starred-symbolic");
  activate (f, "viewer.previous");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (star)), ==, "starred-symbolic");
  g_assert_true (gtk_toggle_button_get_active (star));

  click (star);
  g_assert_false (horde_studio_gallery_item_get_favourite (grid_item (f, 0)));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (star)), ==, "non-starred-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (star)), ==, "Add to Favourites");
}

/* The viewer's copy is the image's: it says so in words, and it does not
 * wear the copy icon that a job row's "use these settings again" wears;
 * Ctrl+C does it too. */
static void
test_copy_button (Fixture       *f,
                  gconstpointer  data)
{
  GtkButton *copy;
  GtkWidget *view;

  generate (f, "a brass telescope", NULL, 1);
  show_gallery (f);
  view = GTK_WIDGET (gallery_view (f));
  copy = view_child (f, "copy_button");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (copy)), ==, "viewer.copy");
  g_assert_cmpstr (gtk_button_get_label (copy), ==, "_Copy Image");
  g_assert_true (gtk_button_get_use_underline (copy));
  g_assert_null (gtk_button_get_icon_name (copy));
  g_assert_null (find_widget (view, is_button_with_icon, "edit-copy-symbolic"));

  open_at (f, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (copy)));
  g_assert_true (press_key (f, view, GDK_KEY_c, GDK_CONTROL_MASK));
  g_assert_true (iterate_until (toast_shown, f, 5));
  g_assert_cmpstr (adw_toast_get_title (shown_toast (f)), ==, "Image copied");
  read_toast (f);
}

static gboolean
is_picture (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_PICTURE (widget);
}

static gboolean
picture_loaded (gpointer data)
{
  return gtk_picture_get_paintable (data) != NULL && gtk_widget_get_width (data) > 0;
}

/* A portrait's tile shows the whole image: the tile is square, as wide as
 * its column, and the picture is fitted in it, not cropped to cover it. */
static void
test_portrait_tile (Fixture       *f,
                    gconstpointer  data)
{
  ThumbnailLookup portrait = { f, "a tall lighthouse" };
  ThumbnailLookup landscape = { f, "a wide beach" };
  GtkWidget *tile;
  GtkPicture *picture;
  GdkPaintable *paintable;

  set_spin (f, "width_spin", 384);
  set_spin (f, "height_spin", 640);
  generate (f, "a tall lighthouse", NULL, 1);
  set_spin (f, "width_spin", 640);
  set_spin (f, "height_spin", 384);
  generate (f, "a wide beach", NULL, 1);
  show_gallery (f);

  g_assert_true (iterate_until (thumbnail_shown, &portrait, 5));
  tile = thumbnail_of (f, "a tall lighthouse");
  picture = GTK_PICTURE (find_widget (tile, is_picture, NULL));
  g_assert_nonnull (picture);
  g_assert_true (iterate_until (picture_loaded, picture, 5));
  paintable = gtk_picture_get_paintable (picture);
  /* a portrait thumbnail, its width rounded */
  g_assert_cmpint (ABS (gdk_paintable_get_intrinsic_width (paintable) * 640 -
                        gdk_paintable_get_intrinsic_height (paintable) * 384), <=, 640);

  /* square, and the whole image in it */
  g_assert_cmpint (gtk_widget_get_width (tile), >=, 180);
  g_assert_cmpint (gtk_widget_get_width (tile), ==, gtk_widget_get_height (tile));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (picture)), ==, gtk_widget_get_width (tile));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (picture)), ==, gtk_widget_get_height (tile));
  g_assert_cmpint (gtk_picture_get_content_fit (picture), ==, GTK_CONTENT_FIT_CONTAIN);

  /* the landscape's tile is the same square */
  g_assert_true (iterate_until (thumbnail_shown, &landscape, 5));
  g_assert_cmpint (gtk_widget_get_width (thumbnail_of (f, "a wide beach")), ==, gtk_widget_get_width (tile));
  g_assert_cmpint (gtk_widget_get_height (thumbnail_of (f, "a wide beach")), ==, gtk_widget_get_height (tile));
}

/* in each test process */
static void
set_up (void)
{
  held_items = g_ptr_array_new_with_free_func (g_object_unref);
  install_launch_recorder ();
}

static void
tear_down (void)
{
  g_clear_pointer (&held_items, g_ptr_array_unref);
  remove_launch_recorder ();
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui/gallery/search", test_search },
    { "/ui/gallery/favourites", test_favourites, .after_restart = test_favourites_restarted },
    { "/ui/gallery/delete-and-undo", test_delete_and_undo, .after_restart = test_delete_and_undo_restarted },
    { "/ui/gallery/copy", test_copy },
    { "/ui/gallery/export", test_export },
    { "/ui/gallery/export-open-and-show", test_export_open_and_show },
    { "/ui/gallery/select-and-export", test_select_and_export },
    { "/ui/gallery/delete-selected", test_delete_selected },
    { "/ui/gallery/sort", test_sort },
    { "/ui/gallery/drag-out", test_drag_out },
    { "/ui/gallery/open-with", test_open_with },
    { "/ui/gallery/right-to-left", test_right_to_left },
    { "/ui/gallery/reuse", test_reuse },
    { "/ui/gallery/found-after-restart", test_found_after_restart,
      .after_restart = test_found_after_restart_restarted },
    { "/ui/gallery/previous-next", test_previous_next },
    { "/ui/gallery/close-keys", test_close_keys },
    { "/ui/gallery/open-by-keyboard", test_open_by_keyboard },
    { "/ui/gallery/favourite-look", test_favourite_look },
    { "/ui/gallery/copy-button", test_copy_button },
    { "/ui/gallery/portrait-tile", test_portrait_tile },
  };
  static const UiTestHooks hooks = { .set_up = set_up, .tear_down = tear_down };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), &hooks);
  return ui_test_run ();
}

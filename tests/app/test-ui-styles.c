/* test-ui-styles.c: styles and the prompt history, used as a user uses them, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session and home (see meson.build).
 * Each test starts the application in a process of its own with its own
 * horde-sim, opens the style chooser and the history from the pane's
 * buttons, searches, applies and saves as a user does, and checks the form,
 * the request sent, the images made and the files in the app's data folder.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "horde-studio-gallery-item.h"
#include "horde-studio-history-popover.h"
#include "horde-studio-prompt-tools.h"
#include "horde-studio-style-chooser.h"
#include "ui-driver.h"

#define ANIME_ID "7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a02"
#define CINEMATIC_ID "7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a01"
#define SIM_STYLES 4

static char *
data_file (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "horde-studio", name, NULL);
}

static GtkWidget *
tools (Fixture *f)
{
  return GTK_WIDGET (child (GTK_WIDGET (compose (f)), HORDE_STUDIO_TYPE_COMPOSE, "prompt_tools"));
}

static HordeStudioStyleChooser *
find_chooser (void)
{
  return (HordeStudioStyleChooser *) find_window (HORDE_STUDIO_TYPE_STYLE_CHOOSER);
}

static gboolean
chooser_gone (gpointer data)
{
  return find_chooser () == NULL;
}

static gpointer
chooser_child (const char *name)
{
  return child (GTK_WIDGET (find_chooser ()), HORDE_STUDIO_TYPE_STYLE_CHOOSER, name);
}

static guint
count_rows (GtkListBox *list,
            gboolean    shown_only)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    if (!shown_only || gtk_widget_get_child_visible (row))
      n++;
  return n;
}

static GtkWidget *
row_titled (GtkListBox *list,
            const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

static gboolean
horde_styles_listed (gpointer data)
{
  return find_chooser () != NULL && count_rows (chooser_child ("horde_list"), FALSE) >= SIM_STYLES;
}

static gboolean
one_shown (gpointer data)
{
  return count_rows (data, TRUE) == 1;
}

static gboolean
example_shown (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_picture_get_paintable (data) != NULL;
}

static void
open_chooser (Fixture *f)
{
  g_assert_null (find_chooser ());
  g_assert_true (gtk_widget_activate_action (tools (f), "prompt-tools.choose-style", NULL));
  g_assert_nonnull (find_chooser ());
}

static void
search (const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (chooser_child ("search_entry")), text);
}

static const char *
request_style (Fixture *f)
{
  HordeImageGenerateAsyncRequest *request = horde_studio_compose_get_request (compose (f));

  g_assert_nonnull (request);
  return horde_image_generate_async_request_get_style (request);
}

/* The Horde's styles are asked for when the chooser opens, searched, and
 * one applied is sent as its id; the server makes the images with the
 * style's model. Removing it sends no style. */
static void
test_horde_style (Fixture       *f,
                  gconstpointer  data)
{
  GtkListBox *horde_list;
  GtkWidget *row;
  AdwActionRow *style_row;
  HordeStudioJob *job;

  type_prompt (f, "a red fox in the snow");
  iterate_for (300);
  /* nothing asked before the user opens the chooser */
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/styles/image"), ==, 0);
  g_assert_null (request_style (f));

  open_chooser (f);
  g_assert_true (iterate_until (horde_styles_listed, NULL, 20));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/styles/image"), ==, 1);
  horde_list = chooser_child ("horde_list");
  g_assert_cmpuint (count_rows (horde_list, FALSE), ==, SIM_STYLES);
  row = row_titled (horde_list, "sim-cinematic");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Moody film stills"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Models: Deliberate"));

  /* an example image, only when asked for, from where the style says: the
   * sim's own host */
  g_assert_null (find_named (row_titled (horde_list, "sim-sketch"), "show-example"));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /r2/{file}"), ==, 0);
  g_assert_false (gtk_widget_get_visible (find_named (row, "example")));
  click (find_named (row, "show-example"));
  g_assert_true (iterate_until (example_shown, find_named (row, "example"), 20));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /r2/{file}"), ==, 1);
  g_assert_false (gtk_widget_get_visible (find_named (row, "show-example")));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (find_named (row, "example")))), ==, 256);

  /* by name, info, model or tag, in any case */
  search ("ANIME");
  g_assert_true (iterate_until (one_shown, horde_list, 5));
  g_assert_true (gtk_widget_get_child_visible (row_titled (horde_list, "sim-anime")));
  search ("deliberate");
  g_assert_true (iterate_until (one_shown, horde_list, 5));
  g_assert_true (gtk_widget_get_child_visible (row_titled (horde_list, "sim-cinematic")));
  search ("photorealistic");
  iterate_for (400);
  g_assert_cmpuint (count_rows (horde_list, TRUE), ==, 2);

  /* applied: the chooser goes, the pane says so and the request has it */
  click (find_named (row_titled (horde_list, "sim-cinematic"), "apply"));
  g_assert_true (iterate_until (chooser_gone, NULL, 5));
  style_row = compose_part (f, "style_row");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (compose_part (f, "style_list"))));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (style_row)), ==, "sim-cinematic");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (style_row), "Deliberate · 768 × 512 · 25 steps · k_dpmpp_2m"));
  g_assert_cmpstr (request_style (f), ==, CINEMATIC_ID);

  press_generate (f);
  job = job_at (f, 0);
  g_assert_cmpstr (horde_image_generate_async_request_get_style (horde_studio_job_get_request (job)), ==, CINEMATIC_ID);
  g_assert_true (iterate_until (job_ended, job, 60));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);
  /* the form said any model: the style's was used */
  {
    GListModel *images = horde_studio_job_get_images (job);
    g_autoptr(HordeStudioGalleryItem) item = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (images), >=, 1);
    item = g_list_model_get_item (images, 0);
    g_assert_cmpstr (horde_studio_gallery_item_get_model (item), ==, "Deliberate");
  }

  /* the chooser asks again only when it is opened again */
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/styles/image"), ==, 1);

  /* removed: no style is sent */
  g_assert_true (gtk_widget_activate_action (tools (f), "prompt-tools.remove-style", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compose_part (f, "style_list"))));
  g_assert_null (request_style (f));

  /* "use these settings again" shows the style of the request */
  horde_studio_compose_load_request (compose (f), horde_studio_job_get_request (job));
  g_assert_cmpstr (request_style (f), ==, CINEMATIC_ID);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (compose_part (f, "style_list"))));
}

static AdwMessageDialog *
save_dialog (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (tools (f), "prompt-tools.save-style", NULL));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  return ADW_MESSAGE_DIALOG (find_dialog (f));
}

/* The user's own style keeps the settings in a file in the data folder, is
 * there after a restart, puts its settings in the form (keeping the prompt
 * being written) and can be deleted. */
static void
test_user_style (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = data_file ("styles.json");
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  type_prompt (f, "a lighthouse at dusk");
  set_spin (f, "steps_spin", 42);
  set_spin (f, "width_spin", 640);
  set_spin (f, "cfg_spin", 9);
  iterate_for (100);

  dialog = save_dialog (f);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Stormy sea ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  /* Enter in the name saves */
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (iterate_until (no_dialog, f, 5));

  /* on disk, without the key or a source image */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *styles;
    JsonObject *style;

    g_assert_true (json_parser_load_from_file (parser, path, &error));
    g_assert_no_error (error);
    styles = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "styles");
    g_assert_cmpuint (json_array_get_length (styles), ==, 1);
    style = json_array_get_object_element (styles, 0);
    g_assert_cmpstr (json_object_get_string_member (style, "name"), ==, "Stormy sea");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (style, "request"), "params"), "steps"), ==, 42);
    g_assert_false (json_object_has_member (json_object_get_object_member (style, "request"), "apikey"));
  }

}

/* the next start: the style is read from the file */
static void
test_user_style_after_restart (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *path = data_file ("styles.json");
  GtkListBox *yours;
  GtkWidget *row;

  type_prompt (f, "a cat on a wall");
  set_spin (f, "steps_spin", 10);
  set_spin (f, "width_spin", 512);
  iterate_for (100);

  open_chooser (f);
  yours = chooser_child ("yours_list");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chooser_child ("yours_group"))));
  g_assert_cmpuint (count_rows (yours, FALSE), ==, 1);
  row = row_titled (yours, "Stormy sea");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "640 × 512 · 42 steps"));
  /* searched as the Horde's are */
  search ("lighthouse");
  iterate_for (400);
  g_assert_cmpuint (count_rows (yours, TRUE), ==, 0);
  search ("STORMY");
  g_assert_true (iterate_until (one_shown, yours, 5));

  click (find_named (row, "apply"));
  g_assert_true (iterate_until (chooser_gone, NULL, 5));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (compose_part (f, "steps_spin")), ==, 42);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (compose_part (f, "width_spin")), ==, 640);
  g_assert_cmpfloat (gtk_spin_button_get_value (compose_part (f, "cfg_spin")), ==, 9);
  {
    g_autofree char *prompt = NULL;
    g_autofree char *negative = NULL;

    horde_studio_compose_get_prompt (compose (f), &prompt, &negative);
    g_assert_cmpstr (prompt, ==, "a cat on a wall");
  }
  /* a style of the user's is settings: no Horde style is sent */
  g_assert_null (request_style (f));

  /* deleted: gone from the chooser and from the file */
  open_chooser (f);
  yours = chooser_child ("yours_list");
  click (find_named (row_titled (yours, "Stormy sea"), "delete"));
  g_assert_cmpuint (count_rows (yours, FALSE), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chooser_child ("yours_group"))));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_file (parser, path, NULL));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "styles")), ==, 0);
  }
  gtk_window_close (GTK_WINDOW (find_chooser ()));
}

static GtkWidget *
history_search (Fixture *f)
{
  GtkWidget *popover = GTK_WIDGET (compose_part (f, "history_popover"));

  return gtk_widget_get_first_child (gtk_popover_get_child (GTK_POPOVER (popover)));
}

static GtkListBox *
list_of (GtkWidget *scrolled_child)
{
  /* the scrolled window wraps the list in a viewport */
  if (GTK_IS_VIEWPORT (scrolled_child))
    return GTK_LIST_BOX (gtk_viewport_get_child (GTK_VIEWPORT (scrolled_child)));
  return GTK_LIST_BOX (scrolled_child);
}

typedef struct {
  Fixture *f;
  guint n;
} Shown;

static GtkListBox *
history_rows (Fixture *f)
{
  GtkWidget *popover = GTK_WIDGET (compose_part (f, "history_popover"));
  GtkWidget *scrolled = gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_popover_get_child (GTK_POPOVER (popover))));

  return list_of (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)));
}

static gboolean
history_shows (gpointer data)
{
  Shown *shown = data;

  return count_rows (history_rows (shown->f), FALSE) == shown->n;
}

static void
send_prompt (Fixture    *f,
             const char *prompt,
             const char *negative)
{
  HordeStudioJob *job;
  guint n = g_list_model_get_n_items (jobs_model (f));

  horde_studio_compose_set_prompt (compose (f), prompt, negative);
  press_generate (f);
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, n + 1);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 60));
}

/* Every prompt sent is kept, newest first and once; the history's search
 * finds one and choosing it puts it back in the pane; it is there after a
 * restart. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = data_file ("prompt-history.json");

  send_prompt (f, "a red fox in the snow", "blurry");
  send_prompt (f, "a blue whale", NULL);
  send_prompt (f, "a red fox in the snow", "blurry");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* the next start: the history is read from the file */
static void
test_history_after_restart (Fixture       *f,
                            gconstpointer  data)
{
  GtkMenuButton *button;
  Shown shown = { f, 0 };
  GtkListBox *rows;

  horde_studio_compose_set_prompt (compose (f), "something else", "text");

  button = compose_part (f, "history_button");
  gtk_menu_button_popup (button);
  shown.n = 2;
  g_assert_true (iterate_until (history_shows, &shown, 5));
  rows = history_rows (f);
  /* newest first */
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (rows, 0)), "prompt"), ==, "a red fox in the snow");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (rows, 1)), "prompt"), ==, "a blue whale");

  gtk_editable_set_text (GTK_EDITABLE (history_search (f)), "WHALE");
  shown.n = 1;
  g_assert_true (iterate_until (history_shows, &shown, 5));
  gtk_editable_set_text (GTK_EDITABLE (history_search (f)), "blurry fox");
  g_assert_true (iterate_until (history_shows, &shown, 5));

  /* Enter in the search takes the newest that matches */
  g_signal_emit_by_name (history_search (f), "activate");
  {
    g_autofree char *prompt = NULL;
    g_autofree char *negative = NULL;

    horde_studio_compose_get_prompt (compose (f), &prompt, &negative);
    g_assert_cmpstr (prompt, ==, "a red fox in the snow");
    g_assert_cmpstr (negative, ==, "blurry");
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compose_part (f, "history_popover"))));
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (horde_studio_compose_get_request (compose (f))), ==,
                   "a red fox in the snow ### blurry");
}

/* each test starts from an empty data folder */
static void
remove_data_files (void)
{
  const char *files[] = { "styles.json", "prompt-history.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_file (files[i]);
      g_remove (path);
    }
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui-styles/horde-style", test_horde_style },
    { "/ui-styles/user-style", test_user_style, .after_restart = test_user_style_after_restart },
    { "/ui-styles/history", test_history, .after_restart = test_history_after_restart },
  };
  static const UiTestHooks hooks = { .prepare = remove_data_files };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), &hooks);
  return ui_test_run ();
}

/* test-ui-pngimport.c: settings taken from a dropped PNG, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build), each test
 * in a process of its own, as test-ui.c does. A PNG is given to the
 * compose pane as a drop gives it (horde_studio_compose_open_file(), what
 * the pane's drop target calls with the dropped file), and the user's
 * answer to the question it asks is given to the dialog.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "horde-studio-compose.h"
#include "horde-studio-job.h"
#include "horde-studio-source-image.h"
#include "ui-driver.h"

/* a PNG with a `parameters` text chunk, as AUTOMATIC1111 writes one */
static GFile *
write_png (const char *parameters)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("horde-studio-png-XXXXXX.png", &path, &error);
  g_assert_no_error (error);
  close (fd);
  gdk_pixbuf_fill (pixbuf, 0x446688ff);
  if (parameters != NULL)
    gdk_pixbuf_save (pixbuf, path, "png", &error, "tEXt::parameters", parameters, NULL);
  else
    gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
remove_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_remove (path);
}

/* as a click on its button answers it: the response, then the dialog
 * closes */
static void
answer (GtkWindow  *dialog,
        const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (dialog);
}

static gboolean
source_set (gpointer data)
{
  return horde_studio_source_image_is_set (compose_part (data, "source_image"));
}

#define A1111_TEXT \
  "a lighthouse at dusk <lora:add_detail:0.8>, oil painting\n" \
  "Negative prompt: blurry\n" \
  "Steps: 24, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234, Size: 512x768, " \
  "Model hash: 6ce0161689, Model: Deliberate, Clip skip: 2, Version: v1.6.0"

/* the settings of a dropped PNG land in the form: the request it builds
 * is the one the PNG describes, with the form's own values for the rest */
static void
test_use_settings (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (A1111_TEXT);
  g_autoptr(HordeImageGenerateAsyncRequest) expected = NULL;
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = NULL;
  g_autoptr(HordeModelPayloadLorasStableBuilder) lb = horde_model_payload_loras_stable_builder_new ();
  g_autoptr(HordeModelPayloadLorasStable) lora = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *before;
  HordeImageGenerateAsyncRequest *request;
  const char *models[] = { "Deliberate", NULL };
  GtkWindow *dialog;

  type_prompt (f, "something else");
  before = horde_studio_compose_get_request (compose (f));
  g_assert_nonnull (before);

  /* what the form had, with what the image says */
  pb = horde_model_generation_input_stable_builder_new_from (horde_image_generate_async_request_get_params (before));
  horde_model_payload_loras_stable_builder_set_name (lb, "add_detail");
  horde_model_payload_loras_stable_builder_set_model (lb, 0.8);
  lora = horde_model_payload_loras_stable_builder_end (lb, &error);
  g_assert_no_error (error);
  horde_model_generation_input_stable_builder_set_loras (pb, &lora, 1);
  horde_model_generation_input_stable_builder_set_steps (pb, 24);
  horde_model_generation_input_stable_builder_set_sampler_name (pb, "k_dpmpp_2m");
  horde_model_generation_input_stable_builder_set_karras (pb, TRUE);
  horde_model_generation_input_stable_builder_set_cfg_scale (pb, 6.5);
  horde_model_generation_input_stable_builder_set_seed (pb, "1234");
  horde_model_generation_input_stable_builder_set_width (pb, 512);
  horde_model_generation_input_stable_builder_set_height (pb, 768);
  horde_model_generation_input_stable_builder_set_clip_skip (pb, 2);
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);
  rb = horde_image_generate_async_request_builder_new_from (before);
  horde_image_generate_async_request_builder_set_prompt (rb, "a lighthouse at dusk, oil painting ### blurry");
  horde_image_generate_async_request_builder_set_params (rb, params);
  horde_image_generate_async_request_builder_set_models (rb, models);
  expected = horde_image_generate_async_request_builder_end (rb, &error);
  g_assert_no_error (error);

  horde_studio_compose_open_file (compose (f), file);
  g_assert_true (iterate_until (dialog_shown, f, 10));
  dialog = find_dialog (f);
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "settings"));
  answer (dialog, "settings");
  g_assert_true (iterate_until (no_dialog, f, 10));

  request = horde_studio_compose_get_request (compose (f));
  g_assert_nonnull (request);
  {
    g_autofree char *got = horde_image_generate_async_request_to_json (request);
    g_autofree char *want = horde_image_generate_async_request_to_json (expected);

    g_assert_cmpstr (got, ==, want);
  }
  g_assert_false (horde_studio_source_image_is_set (compose_part (f, "source_image")));
  remove_file (file);
}

/* the same image, used as the source image: the settings stay */
static void
test_use_as_source (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (A1111_TEXT);
  g_autoptr(GFile) plain = write_png (NULL);
  GtkWindow *dialog;

  type_prompt (f, "my own prompt");
  horde_studio_compose_open_file (compose (f), file);
  g_assert_true (iterate_until (dialog_shown, f, 10));
  dialog = find_dialog (f);
  answer (dialog, "source");
  g_assert_true (iterate_until (source_set, f, 10));
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (horde_studio_compose_get_request (compose (f))),
                   ==, "my own prompt");

  /* an image without settings is the source image, without a question */
  horde_studio_source_image_set_bytes (compose_part (f, "source_image"), NULL, NULL);
  g_assert_false (source_set (f));
  horde_studio_compose_open_file (compose (f), plain);
  g_assert_true (iterate_until (source_set, f, 10));
  g_assert_null (find_dialog (f));

  remove_file (file);
  remove_file (plain);
}

/* settings the Horde would refuse are said, not loaded */
static void
test_invalid_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = write_png ("a cat\nSteps: 5000, Sampler: Euler a, CFG scale: 7");
  GtkWindow *dialog;

  type_prompt (f, "my own prompt");
  horde_studio_compose_open_file (compose (f), file);
  g_assert_true (iterate_until (dialog_shown, f, 10));
  dialog = find_dialog (f);
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "settings"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "steps"));
  answer (dialog, "cancel");
  g_assert_true (iterate_until (no_dialog, f, 10));
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (horde_studio_compose_get_request (compose (f))),
                   ==, "my own prompt");
  g_assert_false (source_set (f));
  remove_file (file);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* a prompt written while jobs run is never lost: the pane's state is
 * kept across restarts, a second after a change and when the window goes,
 * even a request that does not build (its prompt as typed, the rest as
 * the last request that built). Three runs of the application, each in a
 * process of its own, on the same folders. */
static void
test_kept_across_restart (Fixture       *f,
                          gconstpointer  data)
{
  guint run = GPOINTER_TO_UINT (data);
  g_autofree char *state = g_build_filename (f->gallery_dir, "state", "horde-studio", "compose.json", NULL);
  g_autofree char *prompt = buffer_text (horde_studio_compose_get_prompt_view (compose (f)));
  g_autofree char *negative = buffer_text (compose_part (f, "negative_view"));
  HordeImageGenerateAsyncRequest *request;

  switch (run)
    {
    case 0:
      g_assert_cmpstr (prompt, ==, "");
      type_prompt (f, "a lighthouse at dusk, written while jobs run");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (compose_part (f, "negative_view")), "fog", -1);
      set_spin (f, "steps_spin", 37);
      gtk_switch_set_active (compose_part (f, "karras_switch"), FALSE);
      /* written a moment after the last change, the window still open */
      g_assert_true (iterate_until (file_exists, state, 10));
      break;

    case 1:
      g_assert_cmpstr (prompt, ==, "a lighthouse at dusk, written while jobs run");
      g_assert_cmpstr (negative, ==, "fog");
      g_assert_cmpint (gtk_spin_button_get_value_as_int (compose_part (f, "steps_spin")), ==, 37);
      g_assert_false (gtk_switch_get_active (compose_part (f, "karras_switch")));
      request = horde_studio_compose_get_request (compose (f));
      g_assert_nonnull (request);
      g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==,
                       "a lighthouse at dusk, written while jobs run ### fog");

      /* a request that does not build (a LoRA without a name), changed
       * right before the window closes */
      type_prompt (f, "changed just before closing");
      gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.add-lora", NULL);
      g_assert_null (horde_studio_compose_get_request (compose (f)));
      break;

    default:
      g_assert_cmpstr (prompt, ==, "changed just before closing");
      g_assert_cmpstr (negative, ==, "fog");
      g_assert_cmpint (gtk_spin_button_get_value_as_int (compose_part (f, "steps_spin")), ==, 37);
      break;
    }
}

/* ---- one Tab stop a setting ------------------------------------------ */

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_DROP_DOWN (widget);
}

static gboolean
holds_control (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && !GTK_IS_POPOVER (c) && (is_control (c) || holds_control (c)))
      return TRUE;
  return FALSE;
}

static void
collect_controls (GtkWidget *widget,
                  GPtrArray *controls)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_POPOVER (c))
        continue;
      if (ADW_IS_EXPANDER_ROW (c))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (c), TRUE);
      if (is_control (c) && gtk_widget_get_mapped (c) && gtk_widget_is_sensitive (c))
        g_ptr_array_add (controls, c);
      collect_controls (c, controls);
    }
}

/* Tab through the pane, as the window moves the focus on Tab: a row that
 * holds a control (spin button, switch, drop-down) is never a stop of its
 * own, and every control is reached once */
static void
test_one_tab_stop (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *pane = GTK_WIDGET (compose (f));
  GtkWidget *start = GTK_WIDGET (horde_studio_compose_get_prompt_view (compose (f)));
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) rows = g_string_new (NULL);
  guint steps = 0;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* every setting shown: the advanced ones, a LoRA */
  gtk_widget_activate_action (pane, "compose.add-lora", NULL);
  collect_controls (pane, controls);
  iterate_for (200);
  g_ptr_array_set_size (controls, 0);
  collect_controls (pane, controls);
  g_assert_cmpuint (controls->len, >, 10);

  gtk_widget_grab_focus (start);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == start);
  do
    {
      GtkWidget *focus;
      GtkWidget *control;

      gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      g_assert_cmpuint (++steps, <, 500);
      if (focus == NULL || !gtk_widget_is_ancestor (focus, pane))
        continue;

      if (GTK_IS_LIST_BOX_ROW (focus) && holds_control (focus))
        g_string_append_printf (rows, "%s “%s”; ", G_OBJECT_TYPE_NAME (focus),
                                ADW_IS_PREFERENCES_ROW (focus) ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (focus)) : "");

      for (control = focus; control != NULL && !is_control (control); control = gtk_widget_get_parent (control))
        ;
      if (control != NULL)
        g_hash_table_insert (reached, control, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (reached, control)) + 1));
    }
  while (gtk_root_get_focus (GTK_ROOT (f->window)) != start);

  if (rows->len > 0)
    g_error ("rows that hold a control took a Tab stop of their own: %s", rows->str);
  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *control = controls->pdata[i];
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (reached, control));

      if (count != 1)
        g_error ("%s (%s) reached %u times", G_OBJECT_TYPE_NAME (control),
                 gtk_widget_get_tooltip_text (control) ? gtk_widget_get_tooltip_text (control) : "", count);
    }
}

/* Horde Studio's own export reads back: the request the image was made
 * with, exactly, from its `horde` chunk */
static void
test_exported (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) sent = NULL;
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->gallery_dir, "exported.png", NULL);
  HordeStudioJob *job;
  GtkWindow *dialog;

  type_prompt (f, "a lighthouse at dusk, exported");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (compose_part (f, "negative_view")), "fog", -1);
  set_spin (f, "steps_spin", 23);
  set_spin (f, "cfg_spin", 6.5);
  gtk_editable_set_text (compose_part (f, "seed_row"), "4242");
  sent = horde_image_generate_async_request_ref (horde_studio_compose_get_request (compose (f)));
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  item = g_list_model_get_item (horde_studio_job_get_images (job), 0);
  g_assert_nonnull (item);
  g_assert_true (horde_studio_gallery_export_png (item, path, &error));
  g_assert_no_error (error);

  /* the form changed since */
  type_prompt (f, "something else");
  set_spin (f, "steps_spin", 10);
  gtk_editable_set_text (compose_part (f, "seed_row"), "");

  file = g_file_new_for_path (path);
  horde_studio_compose_open_file (compose (f), file);
  g_assert_true (iterate_until (dialog_shown, f, 10));
  dialog = find_dialog (f);
  answer (dialog, "settings");
  g_assert_true (iterate_until (no_dialog, f, 10));
  {
    g_autofree char *got = horde_image_generate_async_request_to_json (horde_studio_compose_get_request (compose (f)));
    g_autofree char *want = horde_image_generate_async_request_to_json (sent);

    g_assert_cmpstr (got, ==, want);
  }
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui/pngimport/use-settings", test_use_settings },
    { "/ui/pngimport/use-as-source", test_use_as_source },
    { "/ui/pngimport/invalid-settings", test_invalid_settings },
    { "/ui/pngimport/kept-across-restart", test_kept_across_restart, .runs = 3 },
    { "/ui/pngimport/one-tab-stop", test_one_tab_stop },
    { "/ui/pngimport/exported", test_exported },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

/* test-ui-model-details.c: the chosen model's details from the Horde's model reference, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session and home (see meson.build).
 * Each test starts the application in a process of its own with its own
 * horde-sim, whose copy of the image model reference
 * (src/sim/model-reference/image.json) the driver points the app at. The
 * tests choose models as a user does and check what the Model row says:
 * the family, native size and style from the reference even when the
 * name says nothing, size presets that follow it, requirements the form
 * breaks, trigger words that land in the prompt; with the reference
 * server down, the name's guess; a hostile reference (served here, by
 * the test itself) shown bounded and clean, and its showcase image asked
 * for only when the user opens the details; the models made for
 * inpainting first while painting, as the reference (the test's) says.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "horde-studio-baseline.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-preferences.h"
#include "ui-driver.h"

/* the fixture's SDXL model whose name says nothing of its family */
#define QUIET_SDXL "Horizon Realism"

static SoupServer *reference_server;
static int reference_port;
static guint showcase_requests;

static HordeStudioModelChooser *
chooser (Fixture *f)
{
  return compose_part (f, "model_chooser");
}

static const char *
subtitle (Fixture *f)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (chooser (f)));
}

typedef struct {
  Fixture *f;
  const char *text;
} Wait;

static gboolean
subtitle_has (gpointer data)
{
  Wait *wait = data;
  const char *text = subtitle (wait->f);

  return text != NULL && strstr (text, wait->text) != NULL;
}

static gboolean
presets_have (Fixture    *f,
              const char *label)
{
  return string_position (adw_combo_row_get_model (compose_part (f, "size_row")), label) != GTK_INVALID_LIST_POSITION;
}

static char *
prompt_text (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (horde_studio_compose_get_prompt_view (compose (f)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* a worker brings @model, and the list shows it */
static void
serve_model (Fixture    *f,
             const char *model)
{
  g_autoptr(HordeGenerationPayloadStable) payload = NULL;
  g_autofree char *pop = g_strdup_printf ("{\"name\": \"a worker for %s\", \"models\": [\"%s\"]}", model, model);

  payload = worker_pop (f, pop);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.refresh-models", NULL));
  select_model (f, model);
}

static GtkWidget *
details (Fixture    *f,
         const char *name)
{
  return find_named (GTK_WIDGET (gtk_menu_button_get_popover (compose_part (f, "details_button"))), name);
}

static GPtrArray *
trigger_buttons (Fixture *f)
{
  GPtrArray *buttons = g_ptr_array_new ();
  GtkWidget *box = details (f, "model-triggers");

  for (GtkWidget *child = gtk_widget_get_first_child (box); child; child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (buttons, gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)));
  return buttons;
}

/* A model whose reference entry is SDXL shows "SDXL · 1024×1024", and the
 * size presets are SDXL's, though its name would be guessed Stable
 * Diffusion 1.5; the form's sampler and steps break what it requires,
 * and the row warns until they are its own */
static void
test_family_from_reference (Fixture       *f,
                            gconstpointer  data)
{
  Wait wait = { f, "SDXL · 1024×1024 · realistic" };
  HordeStudioModelChooser *model_chooser = chooser (f);

  /* what the name alone would say */
  g_assert_cmpint (horde_studio_guess_baseline (QUIET_SDXL), ==, HORDE_STUDIO_BASELINE_SD1);

  serve_model (f, QUIET_SDXL);
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  /* the server's line first, the reference's under it */
  g_assert_true (g_str_has_prefix (subtitle (f), "1 worker"));
  g_assert_true (presets_have (f, "Portrait, 896 × 1152"));
  g_assert_false (presets_have (f, "Square, 512 × 512"));
  g_assert_true (gtk_widget_get_visible (compose_part (f, "details_button")));

  /* its requirements: k_dpmpp_2m, 20 to 40 steps */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (details (f, "model-requirements"))), "Steps: 20–40"));
  set_spin (f, "steps_spin", 10);
  g_assert_nonnull (horde_studio_model_chooser_get_warning (model_chooser));
  g_assert_nonnull (strstr (horde_studio_model_chooser_get_warning (model_chooser), "another number of steps"));
  g_assert_true (gtk_widget_get_visible (compose_part (f, "warning_icon")));
  set_spin (f, "steps_spin", 30);
  select_in (compose_part (f, "sampler_row"), "k_dpmpp_2m");
  g_assert_null (horde_studio_model_chooser_get_warning (model_chooser));
  g_assert_false (gtk_widget_get_visible (compose_part (f, "warning_icon")));

  /* a Stable Diffusion 1.5 model: its line and presets */
  select_model (f, "Deliberate");
  wait.text = "Stable Diffusion 1 · 512×512 · generalist · NSFW";
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  g_assert_true (presets_have (f, "Square, 512 × 512"));
  g_assert_false (presets_have (f, "Portrait, 896 × 1152"));
  g_assert_null (horde_studio_model_chooser_get_warning (model_chooser));

  /* any model: no details */
  gtk_drop_down_set_selected (model_dropdown (f), 0);
  g_assert_cmpstr (subtitle (f), ==, "Any model a worker serves");
  g_assert_false (gtk_widget_get_visible (compose_part (f, "details_button")));
}

/* The model's trigger words are pills in its details; a click puts the
 * word in the prompt */
static void
test_trigger_words (Fixture       *f,
                    gconstpointer  data)
{
  Wait wait = { f, "Stable Diffusion 1 · 512×512 · realistic" };
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (horde_studio_compose_get_prompt_view (compose (f)));
  g_autoptr(GPtrArray) buttons = NULL;
  g_autofree char *prompt = NULL;
  GtkTextIter end;

  type_prompt (f, "a portrait");
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);

  select_model (f, "Realistic Vision");
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  buttons = trigger_buttons (f);
  g_assert_cmpuint (buttons->len, ==, 2);
  g_assert_cmpstr (gtk_button_get_label (buttons->pdata[0]), ==, "analog style");
  g_assert_true (gtk_widget_has_css_class (buttons->pdata[0], "trigger-word"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (buttons->pdata[0]), ==, "Add “analog style” to the prompt");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (details (f, "model-description"))), ==,
                   "Photographic portraits and scenes.");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (details (f, "model-version"))), ==, "Version 5.1");

  click (buttons->pdata[1]);
  prompt = prompt_text (f);
  g_assert_cmpstr (prompt, ==, "a portrait, modelshoot style");
}

/* The reference's server is down: the app works as before, with the
 * name's guess for the family */
static void
test_reference_down (Fixture       *f,
                     gconstpointer  data)
{
  Wait wait = { f, "1 worker" };

  /* the driver's default, a closed port, is where the app asks */
  g_assert_cmpstr (g_getenv ("HORDE_IMAGE_MODEL_REFERENCE_URL"), ==, ui_test_model_reference_url);

  serve_model (f, QUIET_SDXL);
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  /* refused at once; a little while for the app to hear it */
  iterate_for (300);
  g_assert_null (strchr (subtitle (f), '\n'));
  g_assert_false (gtk_widget_get_visible (compose_part (f, "details_button")));
  /* its name says nothing: Stable Diffusion 1.5's presets */
  g_assert_true (presets_have (f, "Square, 512 × 512"));

  /* a name that says SDXL: SDXL's presets */
  select_model (f, "AlbedoBase XL (SDXL)");
  g_assert_true (presets_have (f, "Portrait, 896 × 1152"));
  g_assert_false (presets_have (f, "Square, 512 × 512"));
  type_prompt (f, "a lighthouse");
  g_assert_nonnull (horde_studio_compose_get_request (compose (f)));
}

/* A hostile reference: control and format characters, a huge
 * description, a homepage that is no web page, a flood of trigger words.
 * All is shown bounded and clean; the showcase image is asked for only
 * when the user opens the details, and shown */
static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  Wait wait = { f, "SDXL · 1024×1024 · evil style" };
  g_autoptr(GPtrArray) buttons = NULL;
  g_auto(GStrv) lines = NULL;
  GtkPopover *popover;

  select_model (f, "Deliberate");
  if (!iterate_until (subtitle_has, &wait, 10))
    g_error ("the Model row says “%s”", subtitle (f));
  lines = g_strsplit (subtitle (f), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  assert_harmless (lines[0], 400);
  assert_harmless (lines[1], 600);

  assert_harmless (gtk_label_get_text (GTK_LABEL (details (f, "model-description"))), 401);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (details (f, "model-description"))), "…"));
  assert_harmless (gtk_label_get_text (GTK_LABEL (details (f, "model-version"))), 420);
  g_assert_false (gtk_widget_get_visible (details (f, "model-homepage")));
  buttons = trigger_buttons (f);
  g_assert_cmpuint (buttons->len, >, 0);
  g_assert_cmpuint (buttons->len, <=, 24);
  for (guint i = 0; i < buttons->len; i++)
    assert_harmless (gtk_button_get_label (buttons->pdata[i]), 401);
  assert_harmless (gtk_label_get_text (GTK_LABEL (details (f, "model-requirements"))), 2000);

  /* no showcase asked for until the details open */
  iterate_for (200);
  g_assert_cmpuint (showcase_requests, ==, 0);
  g_assert_false (gtk_widget_get_visible (details (f, "model-showcase")));
  popover = gtk_menu_button_get_popover (compose_part (f, "details_button"));
  gtk_menu_button_popup (compose_part (f, "details_button"));
  g_assert_true (iterate_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, details (f, "model-showcase"), 10));
  g_assert_cmpuint (showcase_requests, ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_popover_popdown (popover);
}

static gboolean
first_model_is (gpointer data)
{
  Wait *wait = data;
  GListModel *models = gtk_drop_down_get_model (model_dropdown (wait->f));
  g_autoptr(GtkStringObject) item = NULL;

  if (g_list_model_get_n_items (models) < 2)
    return FALSE;
  item = g_list_model_get_item (models, 1);
  return g_str_equal (gtk_string_object_get_string (item), wait->text);
}

/* Whether a model is made for inpainting is the reference's word, not
 * its name's: here (the test's own reference) Realistic Vision is, and
 * comes first while the request inpaints, without the warning of a model
 * not made for it */
static void
test_inpainting_from_reference (Fixture       *f,
                                gconstpointer  data)
{
  Wait wait = { f, "Stable Diffusion 1 · 512×512" };
  Wait first = { f, "Realistic Vision" };
  GtkWidget *warning = compose_part (f, "model_warning");

  select_model (f, "Realistic Vision");
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  g_assert_false (first_model_is (&first));

  type_prompt (f, "a meadow");
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  adw_combo_row_set_selected (compose_part (f, "mode_row"), 1);
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (horde_studio_compose_get_request (compose (f))),
                   ==, "inpainting");
  g_assert_true (first_model_is (&first));
  g_assert_false (gtk_widget_get_visible (warning));

  /* one the reference does not mark: warned of */
  select_model (f, "Deliberate");
  g_assert_true (gtk_widget_get_visible (warning));
}

/* ---- the test's own reference server ---------------------------------- */

/* Realistic Vision made for inpainting, though its name does not say so */
static const char painting_reference[] =
  "{\"Realistic Vision\": {\"name\": \"Realistic Vision\", \"baseline\": \"stable diffusion 1\", "
  "\"type\": \"ckpt\", \"inpainting\": true, \"style\": \"realistic\"}}";

static char *
hostile_reference (void)
{
  g_autoptr(GString) json = g_string_new ("{\"Deliberate\": {\"name\": \"Deliberate\", "
                                          "\"baseline\": \"stable_diffusion_xl\", \"type\": \"ckpt\", "
                                          "\"style\": \"evil\\u0007\\n\\u202e style\", "
                                          "\"version\": \"9\\u0000\\u001b[31m\\u2028\", "
                                          "\"homepage\": \"javascript:alert(1)\", \"description\": \"");

  for (guint i = 0; i < 20000; i++)
    g_string_append (json, "bad\\u0001\\u200b\\t ");
  g_string_append (json, "\", \"trigger\": [");
  for (guint i = 0; i < 200; i++)
    {
      g_string_append_printf (json, "%s\"word%u\\u0008\\r", i ? ", " : "", i);
      for (guint j = 0; j < 50; j++)
        g_string_append (json, "long");
      g_string_append (json, "\"");
    }
  g_string_append_printf (json, "], \"showcases\": [\"http://127.0.0.1:%d/showcase.png\"], "
                          "\"requirements\": {\"samplers\": [\"\\u0007evil", reference_port);
  for (guint j = 0; j < 500; j++)
    g_string_append (json, "long");
  g_string_append (json, "\"], \"min_steps\": 5}}}");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static void
reference_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  if (g_str_equal (path, "/image.json"))
    {
      g_autofree char *json = g_str_has_suffix (g_test_get_path (), "/hostile") ? hostile_reference ()
                                                                                 : g_strdup (painting_reference);
      gsize len = strlen (json);

      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, g_steal_pointer (&json), len);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (path, "/showcase.png"))
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
      char *png = NULL;
      gsize len = 0;

      showcase_requests++;
      gdk_pixbuf_fill (pixbuf, 0x2266aaff);
      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL));
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_TAKE, png, len);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

#define REFERENCE_ROUTE "GET /model-reference/{file}"

/* "Download the Horde's model reference" off (set before the app
 * starts, see set_up): nothing asked, the family from the name; switched
 * on in Preferences, the reference comes at once; off again, what came
 * stays and nothing more is asked */
static void
test_download_switch (Fixture       *f,
                      gconstpointer  data)
{
  Wait wait = { f, "SDXL · 1024×1024 · realistic" };
  Wait served = { f, "1 worker" };
  GSettings *settings = horde_studio_application_get_settings (f->app);
  GtkWidget *preferences;
  GtkSwitch *toggle;

  g_assert_false (g_settings_get_boolean (settings, "model-reference-lookup"));
  serve_model (f, QUIET_SDXL);
  g_assert_true (iterate_until (subtitle_has, &served, 10));
  iterate_for (1000);
  g_assert_cmpint (horde_test_sim_count (f->sim, REFERENCE_ROUTE), ==, 0);
  g_assert_null (strchr (subtitle (f), '\n'));
  g_assert_true (presets_have (f, "Square, 512 × 512"));

  /* on in Preferences: fetched now */
  preferences = horde_studio_preferences_new (f->app);
  toggle = preferences_switch (preferences, "Download the Horde’s model reference");
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "model-reference-lookup"));
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  g_assert_cmpint (horde_test_sim_count (f->sim, REFERENCE_ROUTE), ==, 1);

  /* off again: what came stays, nothing more is asked */
  g_settings_set_boolean (settings, "model-reference-lookup", FALSE);
  select_model (f, "Deliberate");
  wait.text = "Stable Diffusion 1 · 512×512";
  g_assert_true (iterate_until (subtitle_has, &wait, 10));
  iterate_for (500);
  g_assert_cmpint (horde_test_sim_count (f->sim, REFERENCE_ROUTE), ==, 1);
}

/* in each test's process, before its application: the reference it asks */
static void
set_up (void)
{
  const char *path = g_test_get_path ();

  if (g_str_has_suffix (path, "/download-switch"))
    {
      g_autoptr(GSettings) settings = g_settings_new ("io.github.hordestudio.HordeStudio");

      g_settings_set_boolean (settings, "model-reference-lookup", FALSE);
    }
  else if (g_str_has_suffix (path, "/reference-down"))
    ui_test_model_reference_url = g_strdup ("http://127.0.0.1:1/image.json");
  else if (g_str_has_suffix (path, "/hostile") || g_str_has_suffix (path, "/inpainting-from-reference"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSList) uris = NULL;

      reference_server = soup_server_new (NULL, NULL);
      soup_server_add_handler (reference_server, NULL, reference_handler, NULL, NULL);
      g_assert_true (soup_server_listen_local (reference_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
      g_assert_no_error (error);
      uris = soup_server_get_uris (reference_server);
      reference_port = g_uri_get_port (uris->data);
      ui_test_model_reference_url = g_strdup_printf ("http://127.0.0.1:%d/image.json", reference_port);
      g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
    }
}

static void
tear_down (void)
{
  g_clear_object (&reference_server);
  g_clear_pointer (&ui_test_model_reference_url, g_free);
}

int
main (int argc, char *argv[])
{
  /* a user the simulator knows, for the test's own worker */
  static const char *keyed[] = { "--users", NULL, "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui-model-details/family-from-reference", test_family_from_reference, keyed },
    { "/ui-model-details/trigger-words", test_trigger_words },
    { "/ui-model-details/reference-down", test_reference_down, keyed },
    { "/ui-model-details/hostile", test_hostile },
    { "/ui-model-details/inpainting-from-reference", test_inpainting_from_reference },
    { "/ui-model-details/download-switch", test_download_switch, keyed },
  };
  static const UiTestHooks hooks = { NULL, set_up, tear_down };

  ui_test_init (&argc, &argv);
  keyed[1] = ui_test_users ("[{\"key\": \"" TEST_KEY "\", \"username\": \"Tester\", \"id\": 1, "
                            "\"kudos\": 5000, \"trusted\": true}]");
  ui_test_add (tests, G_N_ELEMENTS (tests), &hooks);
  return ui_test_run ();
}

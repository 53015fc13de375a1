/* test-ui-lora.c: LoRAs looked up on CivitAI, used as a user uses them, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session and home (see meson.build).
 * Each test starts the application in a process of its own with its own
 * horde-sim, whose fake CivitAI (src/sim/horde-sim-civitai.c) the driver
 * points the look-ups at; it adds LoRAs as a user does and checks what
 * their rows say: name and family, a warning when the family is not the
 * model's, trigger words that land in the prompt, hostile answers shown
 * harmlessly, and no request at all when the look-ups are turned off.
 */

#include "config.h"

#include <string.h>

#include "horde-studio-civitai.h"
#include "horde-studio-lora-details.h"
#include "horde-studio-preferences.h"
#include "ui-driver.h"

#define SDXL_MODEL "AlbedoBase XL (SDXL)"
#define SD1_MODEL "Deliberate"

static gint64
civitai_requests (Fixture *f)
{
  return horde_test_sim_count (f->sim, "GET /civitai/api/v1/models/{id}") +
         horde_test_sim_count (f->sim, "GET /civitai/api/v1/model-versions/{id}") +
         horde_test_sim_count (f->sim, "GET /civitai/api/v1/models");
}

static GtkListBoxRow *
lora_row (Fixture *f,
          guint    position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (compose_part (f, "loras_list"), (int) position);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
details (Fixture *f,
         guint    position)
{
  GtkWidget *found = g_object_get_data (G_OBJECT (lora_row (f, position)), "details");

  g_assert_true (HORDE_STUDIO_IS_LORA_DETAILS (found));
  return found;
}

static GtkLabel *
summary (Fixture *f,
         guint    position)
{
  return GTK_LABEL (find_named (details (f, position), "lora-summary"));
}

static GtkWidget *
warning (Fixture *f,
         guint    position)
{
  return find_named (details (f, position), "lora-warning");
}

static gboolean
warned (Fixture *f,
        guint    position)
{
  return gtk_widget_get_visible (details (f, position)) && gtk_widget_get_visible (warning (f, position));
}

static const char *
warning_text (Fixture *f,
              guint    position)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (warning (f, position))));
}

/* the trigger words' buttons of a row */
static GPtrArray *
triggers (Fixture *f,
          guint    position)
{
  GPtrArray *buttons = g_ptr_array_new ();
  GtkWidget *box = find_named (details (f, position), "lora-triggers");

  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (box))
      g_ptr_array_add (buttons, gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)));
  return buttons;
}

static void
add_lora (Fixture    *f,
          const char *name)
{
  guint n = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.add-lora", NULL));
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (compose_part (f, "loras_list"))); c;
       c = gtk_widget_get_next_sibling (c))
    n++;
  gtk_editable_set_text (g_object_get_data (G_OBJECT (lora_row (f, n - 1)), "name"), name);
}

static void
rename_lora (Fixture    *f,
             guint       position,
             const char *name)
{
  gtk_editable_set_text (g_object_get_data (G_OBJECT (lora_row (f, position)), "name"), name);
}

typedef struct {
  Fixture *f;
  guint position;
  const char *text;
} Expect;

static gboolean
summary_is (gpointer data)
{
  Expect *expect = data;

  return gtk_widget_get_visible (details (expect->f, expect->position)) &&
         g_strcmp0 (gtk_label_get_text (summary (expect->f, expect->position)), expect->text) == 0;
}

static void
wait_summary (Fixture    *f,
              guint       position,
              const char *text)
{
  Expect expect = { f, position, text };

  if (!iterate_until (summary_is, &expect, 20))
    g_error ("LoRA %u says “%s”, not “%s”", position + 1, gtk_label_get_text (summary (f, position)), text);
}

typedef struct {
  Fixture *f;
  gint64 count;
} Count;

static gboolean
requests_reach (gpointer data)
{
  Count *count = data;

  return civitai_requests (count->f) >= count->count;
}

/* the row's look-up answered, whatever it said */
static gboolean
settled (gpointer data)
{
  Expect *expect = data;
  GtkWidget *shown = details (expect->f, expect->position);

  return gtk_widget_get_visible (shown) &&
         g_strcmp0 (gtk_label_get_text (summary (expect->f, expect->position)), "Looking it up on CivitAI…") != 0;
}

static void
wait_settled (Fixture *f,
              guint    position,
              gint64   requests)
{
  Count count = { f, requests };
  Expect expect = { f, position, NULL };

  g_assert_true (iterate_until (requests_reach, &count, 20));
  g_assert_true (iterate_until (settled, &expect, 20));
}

static char *
prompt_text (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (horde_studio_compose_get_prompt_view (compose (f)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A LoRA made for Stable Diffusion 1.5 warns under an SDXL model, not
 * under a 1.5 one, nor for any model; found by id or by name as the
 * workers find it, once each. A family the app does not know warns of
 * nothing. The request is sent as the user wrote it. */
static void
test_baseline (Fixture       *f,
               gconstpointer  data)
{
  HordeImageGenerateAsyncRequest *request;
  HordeModelPayloadLorasStable * const *loras;
  gsize n_loras = 0;

  type_prompt (f, "a castle on a hill");
  select_model (f, SDXL_MODEL);

  add_lora (f, "7001");
  wait_summary (f, 0, "Detail Tweaker · SD 1.5");
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/models/{id}"), ==, 1);
  g_assert_true (warned (f, 0));
  g_assert_cmpstr (warning_text (f, 0), ==, "Made for SD 1.5: it does not work with SDXL models");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (warning (f, 0)), ==, warning_text (f, 0));
  g_assert_cmpstr (horde_studio_lora_details_get_warning (HORDE_STUDIO_LORA_DETAILS (details (f, 0))), ==,
                   warning_text (f, 0));

  /* a 1.5 model: no warning; any model: none either; SDXL again: back,
   * without asking CivitAI again */
  select_model (f, SD1_MODEL);
  g_assert_false (warned (f, 0));
  gtk_drop_down_set_selected (model_dropdown (f), 0);
  g_assert_false (warned (f, 0));
  select_model (f, SDXL_MODEL);
  g_assert_true (warned (f, 0));

  /* by name, as the workers search it: an SDXL LoRA suits SDXL */
  add_lora (f, "pixel art xl");
  wait_summary (f, 1, "Pixel Art XL · SDXL 1.0");
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/models"), ==, 1);
  g_assert_false (warned (f, 1));
  select_model (f, SD1_MODEL);
  g_assert_true (warned (f, 1));
  g_assert_false (warned (f, 0));
  g_assert_cmpstr (warning_text (f, 1), ==, "Made for SDXL 1.0: it does not work with Stable Diffusion 1.5 models");

  /* Pony is SDXL; a family the app does not know warns of nothing */
  add_lora (f, "7003");
  wait_summary (f, 2, "Pony Sketch · Pony · NSFW");
  g_assert_true (warned (f, 2));
  add_lora (f, "7005");
  wait_summary (f, 3, "Odd Base · Other");
  g_assert_false (warned (f, 3));

  /* the same LoRA again: the session's answer, no request */
  add_lora (f, "7001");
  wait_summary (f, 4, "Detail Tweaker · SD 1.5");
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/models/{id}"), ==, 3);

  /* warnings do not hold the request back: it is sent as written */
  request = horde_studio_compose_get_request (compose (f));
  g_assert_nonnull (request);
  loras = horde_model_generation_input_stable_get_loras (horde_image_generate_async_request_get_params (request), &n_loras);
  g_assert_cmpuint (n_loras, ==, 5);
  g_assert_cmpstr (horde_model_payload_loras_stable_get_name (loras[0]), ==, "7001");
  g_assert_cmpstr (horde_model_payload_loras_stable_get_name (loras[1]), ==, "pixel art xl");
}

/* A trigger word clicked lands in the prompt at the cursor, set apart by
 * commas; a LoRA CivitAI does not know says so, without blocking */
static void
test_trigger_words (Fixture       *f,
                    gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (horde_studio_compose_get_prompt_view (compose (f)));
  g_autoptr(GPtrArray) buttons = NULL;
  g_autofree char *prompt = NULL;
  GtkTextIter end;

  type_prompt (f, "a castle on a hill");
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);

  add_lora (f, "7002");
  wait_summary (f, 0, "Pixel Art XL · SDXL 1.0");
  buttons = triggers (f, 0);
  g_assert_cmpuint (buttons->len, ==, 2);
  g_assert_cmpstr (gtk_button_get_label (buttons->pdata[0]), ==, "pixel art");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (buttons->pdata[0]), ==, "Add “pixel art” to the prompt");

  click (buttons->pdata[0]);
  prompt = prompt_text (f);
  g_assert_cmpstr (prompt, ==, "a castle on a hill, pixel art");
  g_clear_pointer (&prompt, g_free);
  click (buttons->pdata[1]);
  prompt = prompt_text (f);
  g_assert_cmpstr (prompt, ==, "a castle on a hill, pixel art, pixelated");
  g_clear_pointer (&prompt, g_free);

  /* in an empty prompt: the word alone */
  type_prompt (f, "");
  click (buttons->pdata[0]);
  prompt = prompt_text (f);
  g_assert_cmpstr (prompt, ==, "pixel art");

  /* unknown to CivitAI: said on the row, the request still builds */
  add_lora (f, "999999");
  wait_settled (f, 1, 2);
  g_assert_true (warned (f, 1));
  g_assert_cmpstr (warning_text (f, 1), ==, "CivitAI does not know this LoRA: workers cannot fetch it");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (summary (f, 1))));
  g_assert_nonnull (horde_studio_compose_get_request (compose (f)));
}

/* Hostile and broken answers show nothing harmful: control characters
 * gone, strings and lists bounded, huge bodies not read, wrong types and
 * no JSON taken for nothing known; the window goes on */
static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = NULL;
  const char *text;

  type_prompt (f, "a castle on a hill");
  select_model (f, SDXL_MODEL);

  /* control characters, an overlong name, 200 trigger words */
  add_lora (f, "6661");
  wait_settled (f, 0, 1);
  text = gtk_label_get_text (summary (f, 0));
  assert_harmless (text, 160);
  g_assert_true (g_str_has_prefix (text, "Evil [31m Name line two"));
  g_assert_nonnull (strstr (text, "· SD 1.5"));
  g_assert_true (warned (f, 0));
  assert_harmless (warning_text (f, 0), 200);
  buttons = triggers (f, 0);
  g_assert_cmpuint (buttons->len, >, 0);
  g_assert_cmpuint (buttons->len, <=, 12);
  for (guint i = 0; i < buttons->len; i++)
    assert_harmless (gtk_button_get_label (buttons->pdata[i]), 81);
  g_assert_cmpstr (gtk_button_get_label (buttons->pdata[0]), ==, "trig ]8;;http://example.com ger");

  /* 10 MiB, with its length said: not read */
  rename_lora (f, 0, "6662");
  wait_settled (f, 0, 2);
  g_assert_cmpstr (gtk_label_get_text (summary (f, 0)), ==, "CivitAI could not be asked about this LoRA");
  g_assert_false (warned (f, 0));
  g_clear_pointer (&buttons, g_ptr_array_unref);
  buttons = triggers (f, 0);
  g_assert_cmpuint (buttons->len, ==, 0);

  /* 10 MiB in chunks: read up to the bound only */
  rename_lora (f, 0, "6665");
  wait_settled (f, 0, 3);
  g_assert_cmpstr (gtk_label_get_text (summary (f, 0)), ==, "CivitAI could not be asked about this LoRA");

  /* fields of the wrong types: nothing of them shown */
  rename_lora (f, 0, "6663");
  wait_settled (f, 0, 4);
  g_assert_cmpstr (gtk_label_get_text (summary (f, 0)), ==, "Unnamed LoRA");
  g_assert_false (warned (f, 0));
  g_clear_pointer (&buttons, g_ptr_array_unref);
  buttons = triggers (f, 0);
  g_assert_cmpuint (buttons->len, ==, 0);

  /* an array, and no JSON at all */
  rename_lora (f, 0, "6664");
  wait_settled (f, 0, 5);
  g_assert_cmpstr (gtk_label_get_text (summary (f, 0)), ==, "CivitAI could not be asked about this LoRA");
  rename_lora (f, 0, "6666");
  wait_settled (f, 0, 6);
  g_assert_cmpstr (gtk_label_get_text (summary (f, 0)), ==, "CivitAI could not be asked about this LoRA");

  /* the window goes on: a good answer is shown */
  rename_lora (f, 0, "7002");
  wait_summary (f, 0, "Pixel Art XL · SDXL 1.0");
  g_assert_nonnull (horde_studio_compose_get_request (compose (f)));
}

static HordeModelPayloadLorasStable *
request_lora (Fixture *f,
              guint    position)
{
  HordeImageGenerateAsyncRequest *request = horde_studio_compose_get_request (compose (f));
  HordeModelPayloadLorasStable * const *loras;
  gsize n_loras = 0;

  g_assert_nonnull (request);
  loras = horde_model_generation_input_stable_get_loras (horde_image_generate_async_request_get_params (request), &n_loras);
  g_assert_cmpuint (position, <, n_loras);
  return loras[position];
}

/* A request's LoRA given by model version id ("use these settings
 * again") is looked up as a version and sent as one; once the user
 * changes its name, it is their name, looked up and sent as such */
static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = NULL;
  g_autoptr(HordeModelPayloadLorasStableBuilder) lb = horde_model_payload_loras_stable_builder_new ();
  g_autoptr(HordeModelPayloadLorasStable) lora = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  type_prompt (f, "a castle on a hill");
  pb = horde_model_generation_input_stable_builder_new_from (
         horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f))));
  horde_model_payload_loras_stable_builder_set_name (lb, "70021");
  horde_model_payload_loras_stable_builder_set_model (lb, 0.7);
  horde_model_payload_loras_stable_builder_set_is_version (lb, TRUE);
  lora = horde_model_payload_loras_stable_builder_end (lb, &error);
  g_assert_no_error (error);
  horde_model_generation_input_stable_builder_set_loras (pb, &lora, 1);
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);
  rb = horde_image_generate_async_request_builder_new_from (horde_studio_compose_get_request (compose (f)));
  horde_image_generate_async_request_builder_set_params (rb, params);
  request = horde_image_generate_async_request_builder_end (rb, &error);
  g_assert_no_error (error);

  horde_studio_compose_load_request (compose (f), request);
  wait_summary (f, 0, "Pixel Art XL · SDXL 1.0");
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/model-versions/{id}"), ==, 1);
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/models/{id}"), ==, 0);
  g_assert_cmpstr (horde_model_payload_loras_stable_get_name (request_lora (f, 0)), ==, "70021");
  g_assert_true (horde_model_payload_loras_stable_get_is_version (request_lora (f, 0)));

  /* the user's own id: a model's */
  rename_lora (f, 0, "7001");
  wait_summary (f, 0, "Detail Tweaker · SD 1.5");
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /civitai/api/v1/models/{id}"), ==, 1);
  g_assert_false (horde_model_payload_loras_stable_get_is_version (request_lora (f, 0)));
}

typedef struct {
  gboolean done;
  HordeStudioLoraInfo *info;
  GError *error;
} Looked;

static void
looked_up (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Looked *looked = user_data;

  looked->info = horde_studio_civitai_lookup_finish (HORDE_STUDIO_CIVITAI (object), result, &looked->error);
  looked->done = TRUE;
}

static gboolean
looked_done (gpointer data)
{
  return ((Looked *) data)->done;
}

/* a look-up by a session of its own (@civitai), as the next start's */
static HordeStudioLoraInfo *
look_up (HordeStudioCivitai *civitai,
         const char         *name,
         GError            **error)
{
  Looked looked = { 0 };

  horde_studio_civitai_lookup_async (civitai, name, FALSE, NULL, looked_up, &looked);
  g_assert_true (iterate_until (looked_done, &looked, 20));
  if (looked.error != NULL)
    g_propagate_error (error, looked.error);
  return looked.info;
}

static gboolean
file_has (gpointer data)
{
  const char * const *what = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (what[0], &text, NULL, NULL) && strstr (text, what[1]) != NULL;
}

/* The answers are kept on disk, per address of CivitAI: the next session
 * shows them without asking, a LoRA not found too; a broken or hostile
 * cache file is no cache */
static void
test_kept (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *file = g_build_filename (g_get_user_cache_dir (), "horde-studio", "civitai-loras.json", NULL);
  const char *wait_for[] = { file, "999999" };
  g_autoptr(HordeStudioCivitai) next = NULL;
  g_autoptr(HordeStudioCivitai) broken = NULL;
  g_autoptr(HordeStudioLoraInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  /* the test's own folder, not another test's */
  g_assert_true (g_str_has_prefix (file, f->gallery_dir));

  type_prompt (f, "a castle on a hill");
  add_lora (f, "7001");
  wait_summary (f, 0, "Detail Tweaker · SD 1.5");
  add_lora (f, "999999");
  wait_settled (f, 1, 2);
  g_assert_true (iterate_until (file_has, wait_for, 20));

  /* the next session: from the file, no request */
  next = horde_studio_civitai_new (g_getenv ("HORDE_STUDIO_CIVITAI_URL"));
  horde_studio_civitai_set_cache_file (next, file);
  info = look_up (next, "7001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_studio_lora_info_get_model_name (info), ==, "Detail Tweaker");
  g_assert_cmpstr (horde_studio_lora_info_get_base_model (info), ==, "SD 1.5");
  g_assert_cmpstr (horde_studio_lora_info_get_trained_words (info)[0], ==, "detailed");
  g_clear_object (&info);
  info = look_up (next, "999999", &error);
  g_assert_null (info);
  g_assert_error (error, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (civitai_requests (f), ==, 2);

  /* what was not kept is asked for */
  info = look_up (next, "7002", &error);
  g_assert_no_error (error);
  g_clear_object (&info);
  g_assert_cmpint (civitai_requests (f), ==, 3);

  /* another CivitAI's answers are not this one's */
  horde_studio_civitai_set_base_url (next, "http://127.0.0.1:9");
  info = look_up (next, "7001", &error);
  g_assert_null (info);
  g_assert_error (error, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_FAILED);
  g_clear_error (&error);

  /* broken, hostile: asked again */
  g_assert_true (g_file_set_contents (file, "{\"x 7001\": 3, \"y\": {\"time\": \"now\", \"lora\": [1]}}", -1, NULL));
  broken = horde_studio_civitai_new (g_getenv ("HORDE_STUDIO_CIVITAI_URL"));
  horde_studio_civitai_set_cache_file (broken, file);
  info = look_up (broken, "7001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_studio_lora_info_get_model_name (info), ==, "Detail Tweaker");
  g_assert_cmpint (civitai_requests (f), ==, 4);
}

/* Turned off in Preferences: no request reaches CivitAI, the rows say
 * nothing; turned on again, the rows there are looked up */
static void
test_switch_off (Fixture       *f,
                 gconstpointer  data)
{
  GSettings *settings = horde_studio_application_get_settings (f->app);
  GtkWidget *preferences = horde_studio_preferences_new (f->app);
  GtkSwitch *toggle = preferences_switch (preferences, "Look up LoRAs on CivitAI");

  g_assert_nonnull (toggle);
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "civitai-lookup"));
  gtk_switch_set_active (toggle, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "civitai-lookup"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  type_prompt (f, "a castle on a hill");
  add_lora (f, "7001");
  add_lora (f, "pixel art xl");
  rename_lora (f, 0, "7002");
  /* well past the pause after typing that a look-up waits for */
  iterate_for (2000);
  g_assert_cmpint (civitai_requests (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (details (f, 0)));
  g_assert_false (gtk_widget_get_visible (details (f, 1)));

  /* on again: the rows there are looked up */
  g_settings_set_boolean (settings, "civitai-lookup", TRUE);
  wait_summary (f, 0, "Pixel Art XL · SDXL 1.0");
  wait_summary (f, 1, "Pixel Art XL · SDXL 1.0");
  g_assert_cmpint (civitai_requests (f), ==, 2);

  /* and off again: they say nothing more */
  g_settings_set_boolean (settings, "civitai-lookup", FALSE);
  g_assert_false (gtk_widget_get_visible (details (f, 0)));
  rename_lora (f, 0, "7001");
  iterate_for (2000);
  g_assert_cmpint (civitai_requests (f), ==, 2);
  g_assert_false (gtk_widget_get_visible (details (f, 0)));
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui-lora/baseline", test_baseline },
    { "/ui-lora/trigger-words", test_trigger_words },
    { "/ui-lora/hostile", test_hostile },
    { "/ui-lora/switch-off", test_switch_off },
    { "/ui-lora/kept", test_kept },
    { "/ui-lora/version", test_version },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

/* test-ui-controlnet.c: ControlNet and textual inversions in Horde Studio's compose pane, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). Each test
 * starts the application in this process with its own horde-sim, sets
 * ControlNet and textual inversions through the pane's widgets as a user
 * does, and checks what the pane says, what the request carries and that
 * the simulator, which refuses what the Horde refuses, runs it.
 */

#include "config.h"

#include <string.h>

#include "ui-driver.h"

static GtkLabel *
problem_label (Fixture *f)
{
  return compose_part (f, "problem_label");
}

static GtkWidget *
generate_button (Fixture *f)
{
  return compose_part (f, "generate_button");
}

static GtkListBoxRow *
ti_row (Fixture *f,
        guint    position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (compose_part (f, "tis_list"), position);

  g_assert_nonnull (row);
  return row;
}

static void
add_ti (Fixture *f)
{
  click (compose_part (f, "add_ti_button"));
}

/* ControlNet needs its control image: without one the pane says so and
 * does not send; with one the request carries the control type, both
 * switches and the textual inversions, and the simulator runs it */
static void
test_request (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *group = compose_part (f, "control_net");
  GtkLabel *problem = problem_label (f);
  HordeStudioJob *job;
  HordeImageGenerateAsyncRequest *request;
  HordeModelGenerationInputStable *params;
  HordeModelPayloadTextualInversionsStable * const *tis;
  gsize n_tis = 0;
  g_autofree char *body = NULL;

  type_prompt (f, "a cat on a chair");
  /* more than 20 ControlNet steps need kudos upfront; the user is
   * anonymous */
  set_spin (f, "steps_spin", 20);
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));

  /* a control type without a control image: said, and not sent */
  select_in (compose_part (f, "control_type_row"), "canny");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   "ControlNet: needs a control image: choose, drop or paste a source image");
  g_assert_true (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_is_sensitive (generate_button (f)));

  /* the source image is the control image */
  set_source_fill (f, 256, 256, FALSE, 0x202020ff);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_false (gtk_widget_has_css_class (group, "error"));
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));
  gtk_switch_set_active (compose_part (f, "return_control_map_switch"), TRUE);

  /* two textual inversions, one in the negative prompt, one written in
   * the prompt by hand */
  add_ti (f);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (ti_row (f, 0)), "name"), "7808");
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (ti_row (f, 0)), "inject"), 1);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (ti_row (f, 0)), "strength"), 0.5);
  add_ti (f);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (ti_row (f, 1)), "name"), "EasyNegative");
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (ti_row (f, 1)), "inject"), 2);
  g_assert_false (gtk_widget_is_sensitive (g_object_get_data (G_OBJECT (ti_row (f, 1)), "strength")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));

  press_generate (f);
  g_assert_cmpuint (g_list_model_get_n_items (jobs_model (f)), ==, 1);
  job = job_at (f, 0);
  request = horde_studio_job_get_request (job);
  params = horde_image_generate_async_request_get_params (request);

  /* what is sent */
  body = horde_image_generate_async_request_to_json (request);
  g_assert_nonnull (strstr (body, "\"control_type\":\"canny\""));
  g_assert_nonnull (strstr (body, "\"image_is_control\":false"));
  g_assert_nonnull (strstr (body, "\"return_control_map\":true"));
  g_assert_nonnull (horde_image_generate_async_request_get_source_image (request));
  g_assert_cmpstr (horde_model_generation_input_stable_get_control_type (params), ==, "canny");
  tis = horde_model_generation_input_stable_get_tis (params, &n_tis);
  g_assert_cmpuint (n_tis, ==, 2);
  g_assert_cmpstr (horde_model_payload_textual_inversions_stable_get_name (tis[0]), ==, "7808");
  g_assert_cmpstr (horde_model_payload_textual_inversions_stable_get_inject_ti (tis[0]), ==, "negprompt");
  g_assert_cmpfloat_with_epsilon (horde_model_payload_textual_inversions_stable_get_strength (tis[0]), 0.5, 1e-9);
  g_assert_cmpstr (horde_model_payload_textual_inversions_stable_get_name (tis[1]), ==, "EasyNegative");
  g_assert_null (horde_model_payload_textual_inversions_stable_get_inject_ti (tis[1]));

  /* and the simulator, which refuses what the Horde refuses, runs it */
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);

  /* "duplicate" brings it all back */
  select_in (compose_part (f, "control_type_row"), "None");
  horde_studio_compose_set_source_bytes (compose (f), NULL, NULL);
  horde_studio_compose_load_request (compose (f), request);
  g_assert_true (horde_image_generate_async_request_equal (horde_studio_compose_get_request (compose (f)), request));
}

/* What the Horde refuses with ControlNet is said before sending, and the
 * two switches that contradict each other are never both on */
static void
test_restricted (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *group = compose_part (f, "control_net");
  GtkLabel *problem = problem_label (f);

  type_prompt (f, "a cat on a chair");
  set_spin (f, "steps_spin", 20);
  set_source_fill (f, 256, 256, FALSE, 0x202020ff);
  g_assert_true (iterate_until (models_listed, f, 10));
  select_model (f, "AlbedoBase XL (SDXL)");
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));

  /* ControlNet with an SDXL model */
  select_in (compose_part (f, "control_type_row"), "depth");
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "ControlNet: does not work with SDXL models");
  g_assert_true (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_is_sensitive (generate_button (f)));

  /* a Stable Diffusion 1.5 model takes it */
  select_model (f, "Deliberate");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));

  /* a control map sent is not asked back */
  gtk_switch_set_active (compose_part (f, "return_control_map_switch"), TRUE);
  gtk_switch_set_active (compose_part (f, "image_is_control_switch"), TRUE);
  g_assert_false (gtk_widget_is_sensitive (compose_part (f, "return_control_map_row")));
  g_assert_true (horde_model_generation_input_stable_get_image_is_control (
                   horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f)))));
  g_assert_false (horde_model_generation_input_stable_get_return_control_map (
                    horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f)))));

  /* without a control type, nothing of ControlNet is sent */
  select_in (compose_part (f, "control_type_row"), "None");
  g_assert_false (gtk_widget_is_sensitive (compose_part (f, "image_is_control_row")));
  g_assert_null (horde_model_generation_input_stable_get_control_type (
                   horde_image_generate_async_request_get_params (horde_studio_compose_get_request (compose (f)))));
}

/* A textual inversion row's problem is named by its place, and not
 * blamed on a row just added */
static void
test_ti_problem (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *group = compose_part (f, "ti_list");
  GtkLabel *problem = problem_label (f);
  GtkEditable *name;

  type_prompt (f, "a cat on a chair");
  add_ti (f);
  add_ti (f);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (ti_row (f, 0)), "name"), "7808");

  /* the second row, just added: said, not marked */
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "Textual inversion 2 name: must not be empty");
  g_assert_false (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_is_sensitive (generate_button (f)));

  /* typed in and emptied: marked */
  name = g_object_get_data (G_OBJECT (ti_row (f, 1)), "name");
  gtk_editable_set_text (name, "x");
  gtk_editable_set_text (name, "");
  g_assert_true (gtk_widget_has_css_class (group, "error"));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "Textual inversion 2 name: must not be empty");

  /* removed: the request is whole again */
  g_signal_emit_by_name (gtk_widget_get_last_child (gtk_list_box_row_get_child (ti_row (f, 1))), "clicked");
  g_assert_false (gtk_widget_has_css_class (group, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));

  /* at most what the server takes: 20 */
  for (guint i = 1; i < 20; i++)
    {
      add_ti (f);
      gtk_editable_set_text (g_object_get_data (G_OBJECT (ti_row (f, i)), "name"), "7808");
    }
  g_assert_false (gtk_widget_is_sensitive (compose_part (f, "add_ti_button")));
  g_assert_true (gtk_widget_is_sensitive (generate_button (f)));
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui-controlnet/request", test_request },
    { "/ui-controlnet/restricted", test_restricted },
    { "/ui-controlnet/ti-problem", test_ti_problem },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

/* test-ui-compose-parts.c: the compose pane's model chooser, cost footer and post-processing, each on its own, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build), each test
 * in a process of its own, as test-ui.c does. Each part is made on its
 * own, given a client of the test's horde-sim, and driven through its own
 * functions: what the pane asks of it, and what it must do in return.
 */

#include "config.h"

#include <string.h>

#include "horde-studio-cost-footer.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-post-processing.h"
#include "ui-driver.h"

static void
count_changed (gpointer  part,
               guint    *changes)
{
  (*changes)++;
}

static gboolean
list_loaded (gpointer data)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (data)) > 1;
}

/* a request for @model (none: any model); @large, bigger than the Horde
 * makes without kudos upfront */
static HordeImageGenerateAsyncRequest *
request_sized (const char *model,
               gboolean    large)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *request;

  horde_image_generate_async_request_builder_set_prompt (builder, "a lighthouse");
  if (large)
    {
      g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
      g_autoptr(HordeModelGenerationInputStable) params = NULL;

      horde_model_generation_input_stable_builder_set_width (pb, 1024);
      horde_model_generation_input_stable_builder_set_height (pb, 1024);
      horde_model_generation_input_stable_builder_set_steps (pb, 100);
      params = horde_model_generation_input_stable_builder_end (pb, &error);
      g_assert_no_error (error);
      horde_image_generate_async_request_builder_set_params (builder, params);
    }
  if (model != NULL)
    {
      const char *models[] = { model, NULL };
      horde_image_generate_async_request_builder_set_models (builder, models);
    }
  request = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);
  return request;
}

static HordeImageGenerateAsyncRequest *
request_for (const char *model)
{
  return request_sized (model, FALSE);
}

/* The chooser takes the model of a request by its name: one the Horde
 * serves where it is in the list, one nobody serves added to it; a request
 * without models is any model. Each change of the choice is told once, and
 * the choice goes into the requests built after it. */
static void
test_chooser_loads_by_name (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(HordeStudioModelChooser) chooser = g_object_ref_sink (g_object_new (HORDE_STUDIO_TYPE_MODEL_CHOOSER, NULL));
  g_autoptr(HordeClient) client = horde_test_sim_new_client (f->sim);
  GtkDropDown *dropdown = child (GTK_WIDGET (chooser), HORDE_STUDIO_TYPE_MODEL_CHOOSER, "model_dropdown");
  GListModel *models = gtk_drop_down_get_model (dropdown);
  HordeStudioBaseline baseline = HORDE_STUDIO_BASELINE_SD1;
  g_autofree char *served = NULL;
  guint changes = 0;
  guint n;

  g_signal_connect (chooser, "changed", G_CALLBACK (count_changed), &changes);
  g_assert_null (horde_studio_model_chooser_get_model (chooser));
  g_assert_false (horde_studio_model_chooser_get_baseline (chooser, &baseline));

  horde_studio_model_chooser_set_client (chooser, client);
  horde_studio_model_chooser_refresh (chooser);
  g_assert_true (iterate_until (list_loaded, dropdown, 10));
  /* a new list keeps the choice, and says nothing */
  g_assert_cmpuint (changes, ==, 0);
  n = g_list_model_get_n_items (models);
  served = g_strdup (gtk_string_object_get_string (g_list_model_get_item (models, n - 1)));
  g_object_unref (g_list_model_get_item (models, n - 1));

  /* a served model: chosen where it is, the list as it was */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (served);

    horde_studio_model_chooser_load_request (chooser, request);
  }
  g_assert_cmpstr (horde_studio_model_chooser_get_model (chooser), ==, served);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, n - 1);
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, n);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (chooser)), "worker"));

  /* the same again: nothing changed, nothing told */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (served);

    horde_studio_model_chooser_load_request (chooser, request);
  }
  g_assert_cmpuint (changes, ==, 1);

  /* a model nobody serves now: added, chosen, and said so */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_for ("Nobody Serves This XL");

    horde_studio_model_chooser_load_request (chooser, request);
  }
  g_assert_cmpstr (horde_studio_model_chooser_get_model (chooser), ==, "Nobody Serves This XL");
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, n + 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (chooser)), ==, "No worker serves it now");
  g_assert_cmpuint (changes, ==, 2);
  /* its family, as its name tells */
  g_assert_true (horde_studio_model_chooser_get_baseline (chooser, &baseline));
  g_assert_cmpint (baseline, ==, HORDE_STUDIO_BASELINE_SDXL);

  /* the choice goes into a request */
  {
    g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
    g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
    const char * const *names;

    horde_image_generate_async_request_builder_set_prompt (builder, "a lighthouse");
    horde_studio_model_chooser_add_to_request (chooser, builder);
    request = horde_image_generate_async_request_builder_end (builder, NULL);
    names = horde_image_generate_async_request_get_models (request);
    g_assert_nonnull (names);
    g_assert_cmpstr (names[0], ==, "Nobody Serves This XL");
    g_assert_null (names[1]);
  }

  /* a request without models: any model */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (NULL);

    horde_studio_model_chooser_load_request (chooser, request);
  }
  g_assert_null (horde_studio_model_chooser_get_model (chooser));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (chooser)), ==, "Any model a worker serves");
  g_assert_false (horde_studio_model_chooser_get_baseline (chooser, &baseline));
  g_assert_cmpuint (changes, ==, 3);
}

static gboolean
says (GtkLabel   *label,
      const char *needle)
{
  return strstr (gtk_label_get_text (label), needle) != NULL;
}

static gboolean
cost_says_upfront (gpointer data)
{
  return says (data, "upfront");
}

static gboolean
cost_priced (gpointer data)
{
  return says (data, "kudos") && !says (data, "upfront");
}

/* the times the anonymous limits are said in the footer */
static guint
limits_said (GtkLabel *cost,
             GtkLabel *account)
{
  return (says (cost, "50 steps") && gtk_widget_get_visible (GTK_WIDGET (cost))) + says (account, "50 steps");
}

/* An anonymous footer says the anonymous limits once: on the account
 * line, or on the cost line when they are why the request cannot run (the
 * account line then says only that it is anonymous), and on the account
 * line again once the request fits */
static void
test_footer_limits_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HordeStudioCostFooter) footer = g_object_ref_sink (g_object_new (HORDE_STUDIO_TYPE_COST_FOOTER, NULL));
  g_autoptr(HordeClient) client = horde_test_sim_new_client (f->sim);
  GtkLabel *cost = child (GTK_WIDGET (footer), HORDE_STUDIO_TYPE_COST_FOOTER, "cost_label");
  GtkLabel *account = child (GTK_WIDGET (footer), HORDE_STUDIO_TYPE_COST_FOOTER, "account_label");

  horde_studio_cost_footer_set_client (footer, client);
  horde_studio_cost_footer_refresh_account (footer);
  g_assert_true (says (account, "Anonymous"));
  g_assert_cmpuint (limits_said (cost, account), ==, 1);

  /* without a prompt, the cost line asks for one; a request that did not
   * build for another reason leaves it to the problem line */
  horde_studio_cost_footer_set_request (footer, NULL, FALSE);
  g_assert_cmpstr (gtk_label_get_text (cost), ==, "Write a prompt to make images.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cost)));
  horde_studio_cost_footer_set_request (footer, NULL, TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cost)));

  /* bigger than the Horde gives without kudos */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_sized (NULL, TRUE);

    horde_studio_cost_footer_set_request (footer, request, TRUE);
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cost)));
  g_assert_true (iterate_until (cost_says_upfront, cost, 10));
  g_assert_true (says (cost, "50 steps"));
  g_assert_true (says (account, "Anonymous"));
  g_assert_cmpuint (limits_said (cost, account), ==, 1);

  /* a request that fits: priced, and the limits back on the account line */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (NULL);

    horde_studio_cost_footer_set_request (footer, request, TRUE);
  }
  g_assert_true (iterate_until (cost_priced, cost, 10));
  g_assert_true (says (account, "Anonymous"));
  g_assert_cmpuint (limits_said (cost, account), ==, 1);
}

/* The problem line: the first problem, how many more, all in its tooltip,
 * marked as an error only when a setting is */
static void
test_footer_problems (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HordeStudioCostFooter) footer = g_object_ref_sink (g_object_new (HORDE_STUDIO_TYPE_COST_FOOTER, NULL));
  GtkLabel *problem = child (GTK_WIDGET (footer), HORDE_STUDIO_TYPE_COST_FOOTER, "problem_label");
  const char *lines[] = { "Width: too wide", "Steps: too many", "Seed: not a number", NULL };
  const char *one[] = { "Model: unknown", NULL };

  horde_studio_cost_footer_show_problems (footer, lines, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "Width: too wide (and 2 more)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (problem)), ==, "Width: too wide\nSteps: too many\nSeed: not a number");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (problem), "error"));

  horde_studio_cost_footer_show_problems (footer, one, FALSE);
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "Model: unknown");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (problem), "error"));

  horde_studio_cost_footer_show_problems (footer, NULL, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (problem)));

  horde_studio_cost_footer_show_problem (footer, "This image cannot be read.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "This image cannot be read.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (problem), "error"));
}

/* the post-processing @part puts in parameters */
static HordeModelGenerationInputStable *
post_params (HordeStudioPostProcessing *part)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) builder = horde_model_generation_input_stable_builder_new ();
  g_autoptr(GError) error = NULL;
  HordeModelGenerationInputStable *params;

  horde_studio_post_processing_add_to_params (part, builder);
  params = horde_model_generation_input_stable_builder_end (builder, &error);
  g_assert_no_error (error);
  return params;
}

/* The post-processing read back from parameters goes out as it came in,
 * in the order the Horde runs it (face fixer, upscaler, background), with
 * the face fixer's strength; parameters without any turn it all off */
static void
test_post_processing_round_trip (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(HordeStudioPostProcessing) part = g_object_ref_sink (g_object_new (HORDE_STUDIO_TYPE_POST_PROCESSING, NULL));
  GtkWidget *strength_row = horde_studio_post_processing_get_strength_row (part);
  const char *post[] = { "strip_background", "RealESRGAN_x2plus", "CodeFormers", NULL };
  const char *want[] = { "CodeFormers", "RealESRGAN_x2plus", "strip_background", NULL };
  guint changes = 0;

  g_signal_connect (part, "changed", G_CALLBACK (count_changed), &changes);
  {
    g_autoptr(HordeModelGenerationInputStable) none = post_params (part);

    g_assert_null (horde_model_generation_input_stable_get_post_processing (none));
    g_assert_false (horde_model_generation_input_stable_has_facefixer_strength (none));
    g_assert_false (gtk_widget_get_sensitive (strength_row));
  }

  {
    g_autoptr(HordeModelGenerationInputStableBuilder) builder = horde_model_generation_input_stable_builder_new ();
    g_autoptr(HordeModelGenerationInputStable) params = NULL;
    g_autoptr(HordeModelGenerationInputStable) out = NULL;

    horde_model_generation_input_stable_builder_set_post_processing (builder, post);
    horde_model_generation_input_stable_builder_set_facefixer_strength (builder, 0.4);
    params = horde_model_generation_input_stable_builder_end (builder, NULL);
    horde_studio_post_processing_load (part, params);
    g_assert_cmpuint (changes, >, 0);

    out = post_params (part);
    g_assert_cmpstrv (horde_model_generation_input_stable_get_post_processing (out), want);
    g_assert_cmpfloat_with_epsilon (horde_model_generation_input_stable_get_facefixer_strength (out), 0.4, 1e-9);
    g_assert_true (gtk_widget_get_sensitive (strength_row));
  }

  {
    g_autoptr(HordeModelGenerationInputStableBuilder) builder = horde_model_generation_input_stable_builder_new ();
    g_autoptr(HordeModelGenerationInputStable) params = horde_model_generation_input_stable_builder_end (builder, NULL);
    g_autoptr(HordeModelGenerationInputStable) out = NULL;

    horde_studio_post_processing_load (part, params);
    out = post_params (part);
    g_assert_null (horde_model_generation_input_stable_get_post_processing (out));
    g_assert_false (gtk_widget_get_sensitive (strength_row));
  }
}

int
main (int argc, char *argv[])
{
  static const UiTest tests[] = {
    { "/ui/compose-parts/chooser-loads-by-name", test_chooser_loads_by_name },
    { "/ui/compose-parts/footer-limits-once", test_footer_limits_once },
    { "/ui/compose-parts/footer-problems", test_footer_problems },
    { "/ui/compose-parts/post-processing-round-trip", test_post_processing_round_trip },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

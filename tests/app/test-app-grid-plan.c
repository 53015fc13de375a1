/* test-app-grid-plan.c: the comparison grid's planner, without a window
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-grid-plan.h"

static HordeImageGenerateAsyncRequest *
base_request (gboolean with_lora)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  const char *models[] = { "stable_diffusion", NULL };

  horde_model_generation_input_stable_builder_set_steps (pb, 30);
  horde_model_generation_input_stable_builder_set_cfg_scale (pb, 7);
  horde_model_generation_input_stable_builder_set_n (pb, 3);
  horde_model_generation_input_stable_builder_set_sampler_name (pb, "k_euler");
  horde_model_generation_input_stable_builder_set_seed (pb, "99");
  if (with_lora)
    {
      g_autoptr(HordeModelPayloadLorasStableBuilder) lb = horde_model_payload_loras_stable_builder_new ();
      g_autoptr(HordeModelPayloadLorasStable) lora = NULL;

      horde_model_payload_loras_stable_builder_set_name (lb, "GlowingRunesAI");
      horde_model_payload_loras_stable_builder_set_model (lb, 1);
      lora = horde_model_payload_loras_stable_builder_end (lb, NULL);
      g_assert_nonnull (lora);
      horde_model_generation_input_stable_builder_set_loras (pb, &lora, 1);
    }
  params = horde_model_generation_input_stable_builder_end (pb, NULL);
  g_assert_nonnull (params);
  horde_image_generate_async_request_builder_set_prompt (rb, "a fox in the snow");
  horde_image_generate_async_request_builder_set_params (rb, params);
  horde_image_generate_async_request_builder_set_models (rb, models);
  return horde_image_generate_async_request_builder_end (rb, NULL);
}

static HordeStudioGridPlan *
plan (HordeStudioGridAxis   column_axis,
      const char           *columns,
      HordeStudioGridAxis   row_axis,
      const char           *rows,
      gboolean              with_lora,
      GError              **error)
{
  g_autoptr(HordeImageGenerateAsyncRequest) base = base_request (with_lora);
  g_auto(GStrv) column_values = horde_studio_grid_split_values (columns);
  g_auto(GStrv) row_values = horde_studio_grid_split_values (rows);

  return horde_studio_grid_plan_new (base, column_axis, (const char * const *) column_values,
                                     row_axis, (const char * const *) row_values, error);
}

static HordeModelGenerationInputStable *
params_of (HordeStudioGridPlan *p,
           guint                column,
           guint                row)
{
  return horde_image_generate_async_request_get_params (horde_studio_grid_plan_get_request (p, column, row));
}

static void
test_split (void)
{
  g_auto(GStrv) three = horde_studio_grid_split_values (" 1, 2 ,3 ");
  g_auto(GStrv) none = horde_studio_grid_split_values ("   ");
  g_auto(GStrv) hole = horde_studio_grid_split_values ("1,,2");

  g_assert_cmpstrv (three, ((const char *[]) { "1", "2", "3", NULL }));
  g_assert_cmpstrv (none, ((const char *[]) { NULL }));
  g_assert_cmpstrv (hole, ((const char *[]) { "1", "", "2", NULL }));
}

/* seeds × steps: the product, every cell its own pair, one image each,
 * the rest of the request as it was */
static void
test_product (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGridPlan) p = plan (HORDE_STUDIO_GRID_AXIS_SEED, "1, 2, 3",
                                           HORDE_STUDIO_GRID_AXIS_STEPS, "10, 020", FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (horde_studio_grid_plan_get_column_axis (p), ==, HORDE_STUDIO_GRID_AXIS_SEED);
  g_assert_cmpint (horde_studio_grid_plan_get_row_axis (p), ==, HORDE_STUDIO_GRID_AXIS_STEPS);
  g_assert_cmpuint (horde_studio_grid_plan_get_n_columns (p), ==, 3);
  g_assert_cmpuint (horde_studio_grid_plan_get_n_rows (p), ==, 2);
  g_assert_cmpstr (horde_studio_grid_plan_get_column_label (p, 0), ==, "1");
  g_assert_cmpstr (horde_studio_grid_plan_get_column_label (p, 2), ==, "3");
  g_assert_cmpstr (horde_studio_grid_plan_get_row_label (p, 0), ==, "10");
  /* the figure, not the way it was typed */
  g_assert_cmpstr (horde_studio_grid_plan_get_row_label (p, 1), ==, "20");

  for (guint row = 0; row < 2; row++)
    for (guint column = 0; column < 3; column++)
      {
        HordeImageGenerateAsyncRequest *request = horde_studio_grid_plan_get_request (p, column, row);
        HordeModelGenerationInputStable *params = params_of (p, column, row);
        g_autofree char *seed = g_strdup_printf ("%u", column + 1);

        g_assert_cmpstr (horde_model_generation_input_stable_get_seed (params), ==, seed);
        g_assert_cmpint (horde_model_generation_input_stable_get_steps (params), ==, row == 0 ? 10 : 20);
        g_assert_cmpint (horde_model_generation_input_stable_get_n (params), ==, 1);
        g_assert_cmpfloat (horde_model_generation_input_stable_get_cfg_scale (params), ==, 7);
        g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (params), ==, "k_euler");
        g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, "a fox in the snow");
      }

  /* the seed costs nothing: one price a row */
  g_assert_cmpuint (horde_studio_grid_plan_get_n_shapes (p), ==, 2);
  g_assert_cmpuint (horde_studio_grid_plan_get_shape (p, 0, 0), ==, horde_studio_grid_plan_get_shape (p, 2, 0));
  g_assert_cmpuint (horde_studio_grid_plan_get_shape (p, 0, 0), !=, horde_studio_grid_plan_get_shape (p, 0, 1));
}

static void
test_other_axes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGridPlan) p = plan (HORDE_STUDIO_GRID_AXIS_CFG, "5, 7.5",
                                           HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT, "0.5,1", TRUE, &error);
  g_autoptr(HordeStudioGridPlan) q = NULL;
  HordeModelPayloadLorasStable * const *loras;
  gsize n_loras = 0;
  const char * const *models;

  g_assert_no_error (error);
  g_assert_cmpstr (horde_studio_grid_plan_get_column_label (p, 1), ==, "7.5");
  g_assert_cmpstr (horde_studio_grid_plan_get_row_label (p, 0), ==, "0.5");
  g_assert_cmpfloat (horde_model_generation_input_stable_get_cfg_scale (params_of (p, 1, 0)), ==, 7.5);
  loras = horde_model_generation_input_stable_get_loras (params_of (p, 1, 0), &n_loras);
  g_assert_cmpuint (n_loras, ==, 1);
  g_assert_cmpstr (horde_model_payload_loras_stable_get_name (loras[0]), ==, "GlowingRunesAI");
  g_assert_cmpfloat (horde_model_payload_loras_stable_get_model (loras[0]), ==, 0.5);
  /* nothing here changes the price */
  g_assert_cmpuint (horde_studio_grid_plan_get_n_shapes (p), ==, 1);

  q = plan (HORDE_STUDIO_GRID_AXIS_MODEL, "AlbedoBase XL (SDXL), Deliberate",
            HORDE_STUDIO_GRID_AXIS_SAMPLER, "k_euler_a, k_dpmpp_2m", FALSE, &error);
  g_assert_no_error (error);
  models = horde_image_generate_async_request_get_models (horde_studio_grid_plan_get_request (q, 1, 1));
  g_assert_cmpstrv (models, ((const char *[]) { "Deliberate", NULL }));
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (params_of (q, 1, 1)), ==, "k_dpmpp_2m");
  g_assert_cmpuint (horde_studio_grid_plan_get_n_shapes (q), ==, 4);
}

typedef struct {
  HordeStudioGridAxis column_axis;
  const char *columns;
  HordeStudioGridAxis row_axis;
  const char *rows;
  gboolean with_lora;
  int code;
  const char *words;              /* what the message says */
} Problem;

static void
assert_problem (const Problem *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGridPlan) p = plan (problem->column_axis, problem->columns, problem->row_axis, problem->rows,
                                           problem->with_lora, &error);

  g_assert_null (p);
  g_assert_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, problem->code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, problem->words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, problem->words);
}

static void
test_invalid (void)
{
  static const Problem problems[] = {
    { HORDE_STUDIO_GRID_AXIS_SEED, "1", HORDE_STUDIO_GRID_AXIS_STEPS, "10, ten", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Steps “ten”: not a whole number" },
    /* the SDK's own check: steps go to 500 */
    { HORDE_STUDIO_GRID_AXIS_SEED, "1", HORDE_STUDIO_GRID_AXIS_STEPS, "10, 900", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Steps “900”: 900 is more than the maximum, 500" },
    { HORDE_STUDIO_GRID_AXIS_CFG, "5, 7,5", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_REPEATED_VALUE, "Guidance: 5 is given twice" },
    { HORDE_STUDIO_GRID_AXIS_CFG, "5, 500", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Guidance “500”: 500 is more than the maximum, 100" },
    { HORDE_STUDIO_GRID_AXIS_CFG, "5, x", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Guidance “x”: not a number" },
    { HORDE_STUDIO_GRID_AXIS_SEED, "1,,2", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Seed: a value between two commas is empty" },
    { HORDE_STUDIO_GRID_AXIS_SEED, "1", HORDE_STUDIO_GRID_AXIS_STEPS, " ", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_NO_VALUES, "Steps: give at least one value" },
    { HORDE_STUDIO_GRID_AXIS_SAMPLER, "k_euler, k_nonsense", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "Sampler “k_nonsense”: not a sampler" },
    { HORDE_STUDIO_GRID_AXIS_STEPS, "1", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_SAME_AXIS, "Both axes vary Steps" },
    { HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT, "0.5, 1", HORDE_STUDIO_GRID_AXIS_STEPS, "10", FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_NO_LORA, "no LoRA" },
    /* the SDK's bounds of a LoRA's weight */
    { HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT, "0.5, 50", HORDE_STUDIO_GRID_AXIS_STEPS, "10", TRUE,
      HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE, "LoRA Weight “50”: 50 is more than the maximum, 5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    assert_problem (&problems[i]);
}

/* 100 images at most, and the message says how many it would be */
static void
test_cap (void)
{
  g_autoptr(GString) columns = g_string_new ("1");
  g_autoptr(GString) rows = g_string_new ("1");
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGridPlan) full = NULL;

  for (guint i = 2; i <= 10; i++)
    {
      g_string_append_printf (columns, ", %u", i);
      g_string_append_printf (rows, ", %u", i);
    }
  full = plan (HORDE_STUDIO_GRID_AXIS_SEED, columns->str, HORDE_STUDIO_GRID_AXIS_STEPS, rows->str, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_grid_plan_get_n_columns (full) * horde_studio_grid_plan_get_n_rows (full), ==, 100);

  g_string_append (columns, ", 11");
  {
    const Problem too_many = {
      HORDE_STUDIO_GRID_AXIS_SEED, columns->str, HORDE_STUDIO_GRID_AXIS_STEPS, rows->str, FALSE,
      HORDE_STUDIO_GRID_PLAN_ERROR_TOO_MANY, "This grid would make 110 images (11 × 10); a grid makes at most 100."
    };

    assert_problem (&too_many);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/grid-plan/split", test_split);
  g_test_add_func ("/grid-plan/product", test_product);
  g_test_add_func ("/grid-plan/other-axes", test_other_axes);
  g_test_add_func ("/grid-plan/invalid", test_invalid);
  g_test_add_func ("/grid-plan/cap", test_cap);

  return g_test_run ();
}

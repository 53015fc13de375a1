/* horde-studio-grid-plan.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

/**
 * HordeStudioGridAxis:
 * @HORDE_STUDIO_GRID_AXIS_SEED: the seed, any text
 * @HORDE_STUDIO_GRID_AXIS_MODEL: the model, by name
 * @HORDE_STUDIO_GRID_AXIS_SAMPLER: the sampler, by name
 * @HORDE_STUDIO_GRID_AXIS_STEPS: the steps, whole numbers
 * @HORDE_STUDIO_GRID_AXIS_CFG: the CFG scale, numbers
 * @HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT: the weight of the request's first LoRA
 *
 * What a comparison grid varies along one of its two axes.
 */
typedef enum {
  HORDE_STUDIO_GRID_AXIS_SEED,
  HORDE_STUDIO_GRID_AXIS_MODEL,
  HORDE_STUDIO_GRID_AXIS_SAMPLER,
  HORDE_STUDIO_GRID_AXIS_STEPS,
  HORDE_STUDIO_GRID_AXIS_CFG,
  HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT,
} HordeStudioGridAxis;

/**
 * HORDE_STUDIO_GRID_N_AXES:
 *
 * How many kinds of axis there are.
 */
#define HORDE_STUDIO_GRID_N_AXES 6

/**
 * HORDE_STUDIO_GRID_MAX_IMAGES:
 *
 * The most images one grid makes: a grid asks one image a cell.
 */
#define HORDE_STUDIO_GRID_MAX_IMAGES 100

/**
 * HORDE_STUDIO_GRID_PLAN_ERROR:
 *
 * The error domain of the comparison grid's planner.
 */
#define HORDE_STUDIO_GRID_PLAN_ERROR (horde_studio_grid_plan_error_quark ())

/**
 * HordeStudioGridPlanError:
 * @HORDE_STUDIO_GRID_PLAN_ERROR_NO_VALUES: an axis has no values
 * @HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE: a value cannot be sent
 * @HORDE_STUDIO_GRID_PLAN_ERROR_REPEATED_VALUE: an axis names a value twice
 * @HORDE_STUDIO_GRID_PLAN_ERROR_SAME_AXIS: both axes vary the same setting
 * @HORDE_STUDIO_GRID_PLAN_ERROR_NO_LORA: the LoRA weight varies in a request without a LoRA
 * @HORDE_STUDIO_GRID_PLAN_ERROR_TOO_MANY: the grid would make more than
 *   %HORDE_STUDIO_GRID_MAX_IMAGES images
 *
 * What is wrong with the axes of a grid.
 */
typedef enum {
  HORDE_STUDIO_GRID_PLAN_ERROR_NO_VALUES,
  HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE,
  HORDE_STUDIO_GRID_PLAN_ERROR_REPEATED_VALUE,
  HORDE_STUDIO_GRID_PLAN_ERROR_SAME_AXIS,
  HORDE_STUDIO_GRID_PLAN_ERROR_NO_LORA,
  HORDE_STUDIO_GRID_PLAN_ERROR_TOO_MANY,
} HordeStudioGridPlanError;

#define HORDE_STUDIO_TYPE_GRID_PLAN (horde_studio_grid_plan_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioGridPlan, horde_studio_grid_plan, HORDE_STUDIO, GRID_PLAN, GObject)

GQuark                          horde_studio_grid_plan_error_quark    (void);
const char                     *horde_studio_grid_axis_get_title      (HordeStudioGridAxis             axis);
char                          **horde_studio_grid_split_values        (const char                     *text);
HordeStudioGridPlan            *horde_studio_grid_plan_new            (HordeImageGenerateAsyncRequest *base,
                                                                       HordeStudioGridAxis             column_axis,
                                                                       const char * const             *column_values,
                                                                       HordeStudioGridAxis             row_axis,
                                                                       const char * const             *row_values,
                                                                       GError                        **error);
HordeStudioGridAxis             horde_studio_grid_plan_get_column_axis (HordeStudioGridPlan           *self);
HordeStudioGridAxis             horde_studio_grid_plan_get_row_axis   (HordeStudioGridPlan            *self);
guint                           horde_studio_grid_plan_get_n_columns  (HordeStudioGridPlan            *self);
guint                           horde_studio_grid_plan_get_n_rows     (HordeStudioGridPlan            *self);
const char                     *horde_studio_grid_plan_get_column_label (HordeStudioGridPlan          *self,
                                                                       guint                           column);
const char                     *horde_studio_grid_plan_get_row_label  (HordeStudioGridPlan            *self,
                                                                       guint                           row);
HordeImageGenerateAsyncRequest *horde_studio_grid_plan_get_request    (HordeStudioGridPlan            *self,
                                                                       guint                           column,
                                                                       guint                           row);
guint                           horde_studio_grid_plan_get_n_shapes   (HordeStudioGridPlan            *self);
guint                           horde_studio_grid_plan_get_shape      (HordeStudioGridPlan            *self,
                                                                       guint                           column,
                                                                       guint                           row);

G_END_DECLS

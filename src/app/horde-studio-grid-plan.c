/* horde-studio-grid-plan.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "horde-studio-grid-plan.h"
#include "horde-studio-util.h"

/* The jobs of a comparison grid: a base request and two axes, each a
 * setting and its values, make one request a cell, each built and checked
 * by the SDK, with the labels of the columns and rows. No widgets: the
 * grid window shows and runs what this plans. */
struct _HordeStudioGridPlan
{
  GObject parent_instance;

  HordeStudioGridAxis axes[2];          /* columns, rows */
  GPtrArray *labels[2];                 /* of char * */
  GPtrArray *requests;                  /* row-major */
  GArray *shapes;                       /* guint, row-major */
  guint n_shapes;
};

G_DEFINE_FINAL_TYPE (HordeStudioGridPlan, horde_studio_grid_plan, G_TYPE_OBJECT)

G_DEFINE_QUARK (horde-studio-grid-plan-error-quark, horde_studio_grid_plan_error)

/**
 * horde_studio_grid_axis_get_title:
 * @axis: a #HordeStudioGridAxis
 *
 * The name of what @axis varies, as its header says it.
 *
 * Returns: (transfer none): "Steps", translated
 */
const char *
horde_studio_grid_axis_get_title (HordeStudioGridAxis axis)
{
  switch (axis)
    {
    case HORDE_STUDIO_GRID_AXIS_SEED:
      return _("Seed");
    case HORDE_STUDIO_GRID_AXIS_MODEL:
      return _("Model");
    case HORDE_STUDIO_GRID_AXIS_SAMPLER:
      return _("Sampler");
    case HORDE_STUDIO_GRID_AXIS_STEPS:
      return _("Steps");
    case HORDE_STUDIO_GRID_AXIS_CFG:
      /* the CFG scale, as the compose pane names it */
      return _("Guidance");
    case HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT:
      return _("LoRA Weight");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * horde_studio_grid_split_values:
 * @text: the values as typed, "1, 2, 3"
 *
 * The values of an axis as the user types them: separated by commas,
 * each without the spaces around it. Empty values stay, so that the
 * planner can name them.
 *
 * Returns: (transfer full): the values, none if @text is blank
 */
char **
horde_studio_grid_split_values (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));

  if (*copy == '\0')
    return g_strv_builder_end (builder);

  parts = g_strsplit (copy, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_strv_builder_add (builder, g_strstrip (parts[i]));
  return g_strv_builder_end (builder);
}

static gboolean
is_costly (HordeStudioGridAxis axis)
{
  /* the Horde prices an image by its model's kind, its sampler and its
   * steps; the seed, the CFG scale and a LoRA's weight change nothing */
  return axis == HORDE_STUDIO_GRID_AXIS_MODEL ||
         axis == HORDE_STUDIO_GRID_AXIS_SAMPLER ||
         axis == HORDE_STUDIO_GRID_AXIS_STEPS;
}

/* the first thing the SDK has to say about @error, in words */
static const char *
sdk_problem (const GError *error)
{
  GHashTable *fields = horde_error_get_field_errors (error);
  GHashTableIter iter;
  gpointer value;

  if (fields != NULL)
    {
      g_hash_table_iter_init (&iter, fields);
      if (g_hash_table_iter_next (&iter, NULL, &value))
        return value;
    }
  return error->message;
}

static gboolean
invalid (GError              **error,
         HordeStudioGridAxis   axis,
         const char           *value,
         const char           *problem)
{
  /* TRANSLATORS: a value of a grid's axis that cannot be sent:
   * "Steps “900”: must be at most 500" */
  g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE,
               _("%s “%s”: %s"), horde_studio_grid_axis_get_title (axis), value, problem);
  return FALSE;
}

/* @value of @axis as the request's field, checked, and its label */
static gboolean
parse_value (HordeStudioGridAxis   axis,
             const char           *value,
             gint64               *integer,
             double               *number,
             char                **label,
             GError              **error)
{
  g_autoptr(GError) local = NULL;
  char *end = NULL;

  if (*value == '\0')
    {
      g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_INVALID_VALUE,
                   /* TRANSLATORS: "Steps: a value between two commas is empty" */
                   _("%s: a value between two commas is empty"), horde_studio_grid_axis_get_title (axis));
      return FALSE;
    }

  switch (axis)
    {
    case HORDE_STUDIO_GRID_AXIS_STEPS:
      if (!g_ascii_string_to_signed (value, 10, G_MININT32, G_MAXINT32, integer, &local))
        return invalid (error, axis, value, _("not a whole number"));
      *label = g_strdup_printf ("%" G_GINT64_FORMAT, *integer);
      return TRUE;

    case HORDE_STUDIO_GRID_AXIS_CFG:
    case HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT:
      *number = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !isfinite (*number))
        return invalid (error, axis, value, _("not a number"));
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        *label = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", *number));
      }
      return TRUE;

    case HORDE_STUDIO_GRID_AXIS_SAMPLER:
      if (!g_strv_contains (horde_studio_get_samplers (), value))
        return invalid (error, axis, value, _("not a sampler the Horde knows"));
      *label = g_strdup (value);
      return TRUE;

    case HORDE_STUDIO_GRID_AXIS_SEED:
    case HORDE_STUDIO_GRID_AXIS_MODEL:
      *label = g_strdup (value);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* @base with one value of @axis: the SDK builds it and checks it */
static HordeImageGenerateAsyncRequest *
with_value (HordeImageGenerateAsyncRequest *base,
            HordeStudioGridAxis             axis,
            const char                     *value,
            gint64                          integer,
            double                          number,
            GError                        **error)
{
  HordeModelGenerationInputStable *base_params = horde_image_generate_async_request_get_params (base);
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new_from (base);
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(GError) local = NULL;
  HordeImageGenerateAsyncRequest *request;

  pb = base_params != NULL ? horde_model_generation_input_stable_builder_new_from (base_params)
                           : horde_model_generation_input_stable_builder_new ();

  switch (axis)
    {
    case HORDE_STUDIO_GRID_AXIS_SEED:
      horde_model_generation_input_stable_builder_set_seed (pb, value);
      break;
    case HORDE_STUDIO_GRID_AXIS_MODEL:
      {
        const char *models[] = { value, NULL };

        horde_image_generate_async_request_builder_set_models (rb, models);
      }
      break;
    case HORDE_STUDIO_GRID_AXIS_SAMPLER:
      horde_model_generation_input_stable_builder_set_sampler_name (pb, value);
      break;
    case HORDE_STUDIO_GRID_AXIS_STEPS:
      horde_model_generation_input_stable_builder_set_steps (pb, integer);
      break;
    case HORDE_STUDIO_GRID_AXIS_CFG:
      horde_model_generation_input_stable_builder_set_cfg_scale (pb, number);
      break;
    case HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT:
      {
        gsize n_loras = 0;
        HordeModelPayloadLorasStable * const *loras =
          base_params ? horde_model_generation_input_stable_get_loras (base_params, &n_loras) : NULL;
        g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_payload_loras_stable_unref);
        g_autoptr(HordeModelPayloadLorasStableBuilder) lb = NULL;
        HordeModelPayloadLorasStable *first;

        if (n_loras == 0)
          {
            g_set_error_literal (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_NO_LORA,
                                 _("The request has no LoRA whose weight could vary: add one on the Create page first."));
            return NULL;
          }
        lb = horde_model_payload_loras_stable_builder_new_from (loras[0]);
        horde_model_payload_loras_stable_builder_set_model (lb, number);
        first = horde_model_payload_loras_stable_builder_end (lb, &local);
        if (first == NULL)
          {
            invalid (error, axis, value, sdk_problem (local));
            return NULL;
          }
        g_ptr_array_add (changed, first);
        for (gsize i = 1; i < n_loras; i++)
          g_ptr_array_add (changed, horde_model_payload_loras_stable_ref (loras[i]));
        horde_model_generation_input_stable_builder_set_loras (pb, (HordeModelPayloadLorasStable * const *) changed->pdata,
                                                               changed->len);
      }
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  /* a cell is one image */
  horde_model_generation_input_stable_builder_set_n (pb, 1);
  params = horde_model_generation_input_stable_builder_end (pb, &local);
  if (params == NULL)
    {
      invalid (error, axis, value, sdk_problem (local));
      return NULL;
    }
  horde_image_generate_async_request_builder_set_params (rb, params);
  request = horde_image_generate_async_request_builder_end (rb, &local);
  if (request == NULL)
    invalid (error, axis, value, sdk_problem (local));
  return request;
}

/* the values of one axis, checked against @base, and their labels */
static gboolean
check_axis (HordeImageGenerateAsyncRequest *base,
            HordeStudioGridAxis             axis,
            const char * const             *values,
            GPtrArray                      *labels,
            GError                        **error)
{
  if (values == NULL || values[0] == NULL)
    {
      g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_NO_VALUES,
                   /* TRANSLATORS: %s is what an axis varies, "Steps" */
                   _("%s: give at least one value, separated by commas"), horde_studio_grid_axis_get_title (axis));
      return FALSE;
    }

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
      g_autofree char *label = NULL;
      gint64 integer = 0;
      double number = 0;

      if (!parse_value (axis, values[i], &integer, &number, &label, error))
        return FALSE;
      for (guint j = 0; j < labels->len; j++)
        if (g_str_equal (labels->pdata[j], label))
          {
            g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_REPEATED_VALUE,
                         /* TRANSLATORS: "Steps: 20 is given twice" */
                         _("%s: %s is given twice"), horde_studio_grid_axis_get_title (axis), label);
            return FALSE;
          }
      request = with_value (base, axis, values[i], integer, number, error);
      if (request == NULL)
        return FALSE;
      g_ptr_array_add (labels, g_steal_pointer (&label));
    }
  return TRUE;
}

/* the raw values again, by their labels' order */
static HordeImageGenerateAsyncRequest *
with_label (HordeImageGenerateAsyncRequest *base,
            HordeStudioGridAxis             axis,
            const char                     *label)
{
  gint64 integer = 0;
  double number = 0;

  if (axis == HORDE_STUDIO_GRID_AXIS_STEPS)
    integer = g_ascii_strtoll (label, NULL, 10);
  else if (axis == HORDE_STUDIO_GRID_AXIS_CFG || axis == HORDE_STUDIO_GRID_AXIS_LORA_WEIGHT)
    number = g_ascii_strtod (label, NULL);
  return with_value (base, axis, label, integer, number, NULL);
}

/**
 * horde_studio_grid_plan_new:
 * @base: the request every cell starts from
 * @column_axis: what varies from column to column
 * @column_values: (array zero-terminated=1): its values, as typed
 * @row_axis: what varies from row to row
 * @row_values: (array zero-terminated=1): its values, as typed
 * @error: return location for a #GError in the domain
 *   %HORDE_STUDIO_GRID_PLAN_ERROR, its message in words for the user
 *
 * Plans a grid: one request a cell, @base with the cell's column value and
 * row value and one image, each built and checked by the SDK. Integers and
 * numbers are written with a dot ("7.5").
 *
 * Returns: (transfer full) (nullable): the plan, or %NULL with @error set
 */
HordeStudioGridPlan *
horde_studio_grid_plan_new (HordeImageGenerateAsyncRequest *base,
                            HordeStudioGridAxis             column_axis,
                            const char * const             *column_values,
                            HordeStudioGridAxis             row_axis,
                            const char * const             *row_values,
                            GError                        **error)
{
  g_autoptr(HordeStudioGridPlan) self = NULL;
  g_autoptr(GHashTable) shapes = NULL;
  guint n_columns, n_rows;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (column_axis < HORDE_STUDIO_GRID_N_AXES, NULL);
  g_return_val_if_fail (row_axis < HORDE_STUDIO_GRID_N_AXES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (column_axis == row_axis)
    {
      g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_SAME_AXIS,
                   /* TRANSLATORS: %s is what both axes vary, "Steps" */
                   _("Both axes vary %s: choose another setting for one of them"),
                   horde_studio_grid_axis_get_title (column_axis));
      return NULL;
    }

  self = g_object_new (HORDE_STUDIO_TYPE_GRID_PLAN, NULL);
  self->axes[0] = column_axis;
  self->axes[1] = row_axis;
  if (!check_axis (base, column_axis, column_values, self->labels[0], error) ||
      !check_axis (base, row_axis, row_values, self->labels[1], error))
    return NULL;

  n_columns = self->labels[0]->len;
  n_rows = self->labels[1]->len;
  if ((guint64) n_columns * n_rows > HORDE_STUDIO_GRID_MAX_IMAGES)
    {
      g_set_error (error, HORDE_STUDIO_GRID_PLAN_ERROR, HORDE_STUDIO_GRID_PLAN_ERROR_TOO_MANY,
                   /* TRANSLATORS: "This grid would make 120 images (12 × 10);
                    * a grid makes at most 100. Give fewer values." */
                   _("This grid would make %u images (%u × %u); a grid makes at most %u. Give fewer values."),
                   n_columns * n_rows, n_columns, n_rows, (guint) HORDE_STUDIO_GRID_MAX_IMAGES);
      return NULL;
    }

  shapes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(HordeImageGenerateAsyncRequest) with_row = with_label (base, row_axis, self->labels[1]->pdata[row]);

      for (guint column = 0; column < n_columns; column++)
        {
          HordeImageGenerateAsyncRequest *request = with_label (with_row, column_axis, self->labels[0]->pdata[column]);
          g_autofree char *key = NULL;
          gpointer shape;

          /* checked value by value above, so together too: each touches
           * its own field */
          g_assert (request != NULL);
          g_ptr_array_add (self->requests, request);

          /* cells that differ only in what costs nothing cost the same */
          key = g_strdup_printf ("%d:%d", is_costly (column_axis) ? (int) column : -1,
                                 is_costly (row_axis) ? (int) row : -1);
          if (!g_hash_table_lookup_extended (shapes, key, NULL, &shape))
            {
              shape = GUINT_TO_POINTER (self->n_shapes++);
              g_hash_table_insert (shapes, g_steal_pointer (&key), shape);
            }
          {
            guint index = GPOINTER_TO_UINT (shape);

            g_array_append_val (self->shapes, index);
          }
        }
    }

  return g_steal_pointer (&self);
}

/**
 * horde_studio_grid_plan_get_column_axis:
 * @self: a #HordeStudioGridPlan
 *
 * What varies from column to column.
 *
 * Returns: the columns' axis
 */
HordeStudioGridAxis
horde_studio_grid_plan_get_column_axis (HordeStudioGridPlan *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  return self->axes[0];
}

/**
 * horde_studio_grid_plan_get_row_axis:
 * @self: a #HordeStudioGridPlan
 *
 * What varies from row to row.
 *
 * Returns: the rows' axis
 */
HordeStudioGridAxis
horde_studio_grid_plan_get_row_axis (HordeStudioGridPlan *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  return self->axes[1];
}

/**
 * horde_studio_grid_plan_get_n_columns:
 * @self: a #HordeStudioGridPlan
 *
 * Returns: how many columns the grid has
 */
guint
horde_studio_grid_plan_get_n_columns (HordeStudioGridPlan *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  return self->labels[0]->len;
}

/**
 * horde_studio_grid_plan_get_n_rows:
 * @self: a #HordeStudioGridPlan
 *
 * Returns: how many rows the grid has
 */
guint
horde_studio_grid_plan_get_n_rows (HordeStudioGridPlan *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  return self->labels[1]->len;
}

/**
 * horde_studio_grid_plan_get_column_label:
 * @self: a #HordeStudioGridPlan
 * @column: a column
 *
 * The value of @column, as its header shows it ("7.5").
 *
 * Returns: (transfer none): the label
 */
const char *
horde_studio_grid_plan_get_column_label (HordeStudioGridPlan *self,
                                         guint                column)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), NULL);
  g_return_val_if_fail (column < self->labels[0]->len, NULL);
  return self->labels[0]->pdata[column];
}

/**
 * horde_studio_grid_plan_get_row_label:
 * @self: a #HordeStudioGridPlan
 * @row: a row
 *
 * The value of @row, as its header shows it.
 *
 * Returns: (transfer none): the label
 */
const char *
horde_studio_grid_plan_get_row_label (HordeStudioGridPlan *self,
                                      guint                row)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), NULL);
  g_return_val_if_fail (row < self->labels[1]->len, NULL);
  return self->labels[1]->pdata[row];
}

/**
 * horde_studio_grid_plan_get_request:
 * @self: a #HordeStudioGridPlan
 * @column: a column
 * @row: a row
 *
 * The request of a cell.
 *
 * Returns: (transfer none): the request
 */
HordeImageGenerateAsyncRequest *
horde_studio_grid_plan_get_request (HordeStudioGridPlan *self,
                                    guint                column,
                                    guint                row)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), NULL);
  g_return_val_if_fail (column < self->labels[0]->len && row < self->labels[1]->len, NULL);
  return self->requests->pdata[row * self->labels[0]->len + column];
}

/**
 * horde_studio_grid_plan_get_n_shapes:
 * @self: a #HordeStudioGridPlan
 *
 * How many of the cells' requests differ in what the Horde charges for
 * (model, sampler, steps): the dry runs that price the whole grid.
 *
 * Returns: the number of shapes
 */
guint
horde_studio_grid_plan_get_n_shapes (HordeStudioGridPlan *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  return self->n_shapes;
}

/**
 * horde_studio_grid_plan_get_shape:
 * @self: a #HordeStudioGridPlan
 * @column: a column
 * @row: a row
 *
 * Which shape a cell's request has: cells of the same shape cost the
 * same.
 *
 * Returns: the shape, below [method@HordeStudio.GridPlan.get_n_shapes]
 */
guint
horde_studio_grid_plan_get_shape (HordeStudioGridPlan *self,
                                  guint                column,
                                  guint                row)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_PLAN (self), 0);
  g_return_val_if_fail (column < self->labels[0]->len && row < self->labels[1]->len, 0);
  return g_array_index (self->shapes, guint, row * self->labels[0]->len + column);
}

static void
horde_studio_grid_plan_finalize (GObject *object)
{
  HordeStudioGridPlan *self = HORDE_STUDIO_GRID_PLAN (object);

  g_ptr_array_unref (self->labels[0]);
  g_ptr_array_unref (self->labels[1]);
  g_ptr_array_unref (self->requests);
  g_array_unref (self->shapes);

  G_OBJECT_CLASS (horde_studio_grid_plan_parent_class)->finalize (object);
}

static void
horde_studio_grid_plan_class_init (HordeStudioGridPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_studio_grid_plan_finalize;
}

static void
horde_studio_grid_plan_init (HordeStudioGridPlan *self)
{
  self->labels[0] = g_ptr_array_new_with_free_func (g_free);
  self->labels[1] = g_ptr_array_new_with_free_func (g_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_image_generate_async_request_unref);
  self->shapes = g_array_new (FALSE, FALSE, sizeof (guint));
}

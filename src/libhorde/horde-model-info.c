/* horde-model-info.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-model-info.h"

/**
 * HordeModelInfo:
 *
 * One model as `/v2/status/models` reports it (how many workers serve it,
 * what is queued for it, how long a request waits) joined with its
 * record in the Horde's model reference (its family, native size, style):
 * everything a client shows about a model, in one value.
 * [method@Horde.ModelInfo.to_string] says it in one line: "AlbedoBase XL
 * (SDXL): SDXL, 1024×1024 native, 3 workers, 12 s wait".
 *
 * [method@Horde.ModelReference.join] makes them for a whole list. An info
 * is immutable and reference-counted: a copy is a reference.
 */

struct _HordeModelInfo
{
  gatomicrefcount ref_count;

  HordeActiveModel *model;
  HordeImageModelRecord *image_record;
  HordeTextModelRecord *text_record;
};

G_DEFINE_BOXED_TYPE (HordeModelInfo, horde_model_info, horde_model_info_ref, horde_model_info_unref)

/**
 * horde_model_info_new:
 * @model: a model as `/v2/status/models` reports it
 * @image_record: (nullable): its record in the image model reference
 * @text_record: (nullable): its record in the text model reference
 *
 * Joins @model with its record; [method@Horde.ModelReference.get_info]
 * finds the record.
 *
 * Returns: (transfer full): the info
 */
HordeModelInfo *
horde_model_info_new (HordeActiveModel      *model,
                      HordeImageModelRecord *image_record,
                      HordeTextModelRecord  *text_record)
{
  HordeModelInfo *self;

  g_return_val_if_fail (model != NULL, NULL);

  self = g_new0 (HordeModelInfo, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->model = horde_active_model_ref (model);
  if (image_record != NULL)
    self->image_record = horde_image_model_record_ref (image_record);
  if (text_record != NULL)
    self->text_record = horde_text_model_record_ref (text_record);
  return self;
}

/**
 * horde_model_info_ref:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Takes a reference: the info is immutable, so a reference is a copy.
 *
 * Returns: (transfer full): @self
 */
HordeModelInfo *
horde_model_info_ref (HordeModelInfo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * horde_model_info_unref:
 * @self: (transfer full): a [struct@Horde.ModelInfo]
 *
 * Drops a reference; the last one frees the info.
 */
void
horde_model_info_unref (HordeModelInfo *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  horde_active_model_unref (self->model);
  g_clear_pointer (&self->image_record, horde_image_model_record_unref);
  g_clear_pointer (&self->text_record, horde_text_model_record_unref);
  g_free (self);
}

/**
 * horde_model_info_get_name:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the model's name as the server reports it.
 *
 * Returns: (nullable): the model's name as the server reports it
 */
const char *
horde_model_info_get_name (const HordeModelInfo *self)
{
  return horde_active_model_get_name (self->model);
}

/**
 * horde_model_info_get_active_model:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the model as `/v2/status/models` reports it.
 *
 * Returns: (transfer none): the model as `/v2/status/models` reports it
 */
HordeActiveModel *
horde_model_info_get_active_model (const HordeModelInfo *self)
{
  return self->model;
}

/**
 * horde_model_info_get_image_record:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the model's record in the image model reference.
 *
 * Returns: (transfer none) (nullable): the model's record in the image
 *   model reference; %NULL for a text model, or an image model the
 *   reference does not know (a worker's own)
 */
HordeImageModelRecord *
horde_model_info_get_image_record (const HordeModelInfo *self)
{
  return self->image_record;
}

/**
 * horde_model_info_get_text_record:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the model's record in the text model reference.
 *
 * Returns: (transfer none) (nullable): the model's record in the text
 *   model reference; %NULL for an image model or a text model the
 *   reference does not know
 */
HordeTextModelRecord *
horde_model_info_get_text_record (const HordeModelInfo *self)
{
  return self->text_record;
}

/**
 * horde_model_info_get_workers:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Tells how many workers serve the model.
 *
 * Returns: how many workers serve the model (the server's `count`)
 */
gint64
horde_model_info_get_workers (const HordeModelInfo *self)
{
  return horde_active_model_get_count (self->model);
}

/**
 * horde_model_info_get_queued:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the work queued for the model.
 *
 * Returns: the work queued for the model: megapixelsteps for an image
 *   model, tokens for a text model
 */
double
horde_model_info_get_queued (const HordeModelInfo *self)
{
  return horde_active_model_get_queued (self->model);
}

/**
 * horde_model_info_get_jobs:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Tells how many jobs are waiting for the model.
 *
 * Returns: how many jobs are waiting for the model
 */
double
horde_model_info_get_jobs (const HordeModelInfo *self)
{
  return horde_active_model_get_jobs (self->model);
}

/**
 * horde_model_info_get_eta:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets how long the queue for the model is expected to take.
 *
 * Returns: how long, in seconds, the server expects the queue for the
 *   model to take
 */
gint64
horde_model_info_get_eta (const HordeModelInfo *self)
{
  return horde_active_model_get_eta (self->model);
}

/**
 * horde_model_info_get_performance:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Gets the model's recent speed as the server measures it.
 *
 * Returns: the model's recent speed as the server measures it
 */
double
horde_model_info_get_performance (const HordeModelInfo *self)
{
  return horde_active_model_get_performance (self->model);
}

/**
 * horde_model_info_to_string:
 * @self: a [struct@Horde.ModelInfo]
 *
 * Says what a model is and how busy it is, in one translated line: "AlbedoBase
 * XL (SDXL): SDXL, 1024×1024 native, 3 workers, 12 s wait", or for a text
 * model "koboldcpp/LLaMA2-13B-Psyfighter2: llama2, 13B parameters, 2
 * workers, 40 s wait". The strings in it come from servers: a program
 * that prints it to a terminal still cleans it of control characters.
 *
 * Returns: (transfer full): the line
 */
char *
horde_model_info_to_string (const HordeModelInfo *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  const char *name;
  gint64 workers;

  g_return_val_if_fail (self != NULL, NULL);

  name = horde_model_info_get_name (self);
  workers = horde_model_info_get_workers (self);

  if (self->image_record != NULL)
    {
      HordeModelBaseline baseline = horde_image_model_record_get_baseline (self->image_record);
      const char *family = horde_model_baseline_get_display_name (baseline);

      g_ptr_array_add (parts, g_strdup (family ? family : horde_image_model_record_get_baseline_string (self->image_record)));
      if (horde_image_model_record_get_native_width (self->image_record) > 0)
        /* TRANSLATORS: a model's native size, "1024×1024 native" */
        g_ptr_array_add (parts, g_strdup_printf (_("%d×%d native"),
                                                 horde_image_model_record_get_native_width (self->image_record),
                                                 horde_image_model_record_get_native_height (self->image_record)));
    }
  else if (self->text_record != NULL)
    {
      gint64 parameters = horde_text_model_record_get_parameters (self->text_record);

      if (horde_text_model_record_get_baseline (self->text_record) != NULL)
        g_ptr_array_add (parts, g_strdup (horde_text_model_record_get_baseline (self->text_record)));
      if (parameters > 0)
        {
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          g_snprintf (number, sizeof number, "%.3g", (double) parameters / 1e9);
          /* TRANSLATORS: a text model's size, "13B parameters" (billions) */
          g_ptr_array_add (parts, g_strdup_printf (_("%sB parameters"), number));
        }
    }
  else
    g_ptr_array_add (parts, g_strdup (_("not in the model reference")));

  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d worker", "%d workers",
                                                        (gulong) CLAMP (workers, 0, G_MAXINT)),
                                           (int) CLAMP (workers, 0, G_MAXINT)));
  /* TRANSLATORS: how long a request waits for a model, "12 s wait" */
  g_ptr_array_add (parts, g_strdup_printf (_("%d s wait"), (int) CLAMP (horde_model_info_get_eta (self), 0, G_MAXINT)));
  g_ptr_array_add (parts, NULL);

  joined = g_strjoinv (", ", (char **) parts->pdata);
  /* TRANSLATORS: a model's name and what is known of it */
  return g_strdup_printf (_("%s: %s"), name ? name : "?", joined);
}

/* horde-text-model-record.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-model-reference-private.h"

/**
 * HordeTextModelRecord:
 *
 * One text model as the Horde's text model reference (`db.json` of
 * db0/AI-Horde-text-model-reference, the file the server itself loads)
 * describes it: its baseline, its size in parameters, its style, the
 * prompt format it was tuned for.
 *
 * The reference has no context or answer length: those are each worker's
 * own (`max_context_length`, `max_length` of [struct@Horde.WorkerDetails]).
 *
 * The field names are those of the reference file and of
 * horde_model_reference's `TextGenerationModelRecord`. A record is
 * immutable and reference-counted: a copy is a reference. Records come
 * from a [class@Horde.ModelReference].
 */

G_DEFINE_BOXED_TYPE (HordeTextModelRecord, horde_text_model_record,
                     horde_text_model_record_ref, horde_text_model_record_unref)

HordeTextModelRecord *
horde_text_model_record_new_from_json (const char *name,
                                       JsonObject *object)
{
  HordeTextModelRecord *self = g_new0 (HordeTextModelRecord, 1);
  double d;

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->model_name = horde_model_reference_dup_string (object, "model_name", HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  self->display_name = horde_model_reference_dup_string (object, "display_name", HORDE_MODEL_REFERENCE_MAX_NAME, FALSE);
  self->baseline = horde_model_reference_dup_string (object, "baseline", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  /* up to 10^15: far beyond any model, and exact in a double */
  self->parameters = horde_model_reference_get_number (object, "parameters", 0, 1e15, &d) ? (gint64) d : 0;
  self->description = horde_model_reference_dup_string (object, "description", HORDE_MODEL_REFERENCE_MAX_TEXT, TRUE);
  self->version = horde_model_reference_dup_string (object, "version", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->style = horde_model_reference_dup_string (object, "style", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->nsfw = horde_model_reference_get_bool (object, "nsfw");
  self->url = horde_model_reference_dup_string (object, "url", HORDE_MODEL_REFERENCE_MAX_URL, FALSE);
  self->instruct_format = horde_model_reference_dup_string (object, "instruct_format", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->tags = horde_model_reference_dup_strv (object, "tags", HORDE_MODEL_REFERENCE_MAX_SHORT);

  return self;
}

/**
 * horde_text_model_record_ref:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Takes a reference: the record is immutable, so a reference is a copy.
 *
 * Returns: (transfer full): @self
 */
HordeTextModelRecord *
horde_text_model_record_ref (HordeTextModelRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * horde_text_model_record_unref:
 * @self: (transfer full): a [struct@Horde.TextModelRecord]
 *
 * Drops a reference; the last one frees the record.
 */
void
horde_text_model_record_unref (HordeTextModelRecord *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->model_name);
  g_free (self->display_name);
  g_free (self->baseline);
  g_free (self->description);
  g_free (self->version);
  g_free (self->style);
  g_free (self->url);
  g_free (self->instruct_format);
  g_strfreev (self->tags);
  g_free (self);
}

/**
 * horde_text_model_record_get_name:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's name.
 *
 * Returns: the model's name, the key the Horde knows it by
 *   (`koboldcpp/Mistral-7B-Instruct-v0.3`)
 */
const char *
horde_text_model_record_get_name (const HordeTextModelRecord *self)
{
  return self->name;
}

/**
 * horde_text_model_record_get_model_name:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's own name.
 *
 * Returns: (nullable): the model's own name, without the backend prefix (`koboldcpp/`, `aphrodite/`)
 */
const char *
horde_text_model_record_get_model_name (const HordeTextModelRecord *self)
{
  return self->model_name;
}

/**
 * horde_text_model_record_get_display_name:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's name for people.
 *
 * Returns: (nullable): the model's name for people, "Marx 3B V3"
 */
const char *
horde_text_model_record_get_display_name (const HordeTextModelRecord *self)
{
  return self->display_name;
}

/**
 * horde_text_model_record_get_baseline:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model the text model was trained from.
 *
 * Returns: (nullable): the model the text model was trained from, as the reference names it (text baselines are free-form: `mistral`, `llama 3`…)
 */
const char *
horde_text_model_record_get_baseline (const HordeTextModelRecord *self)
{
  return self->baseline;
}

/**
 * horde_text_model_record_get_parameters:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's parameter count.
 *
 * Returns: the model's parameter count (the server multiplies kudos by it in billions), 0 when the reference does not say
 */
gint64
horde_text_model_record_get_parameters (const HordeTextModelRecord *self)
{
  return self->parameters;
}

/**
 * horde_text_model_record_get_description:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's description.
 *
 * Returns: (nullable): what the model is, in its makers' words (at most 8 KiB)
 */
const char *
horde_text_model_record_get_description (const HordeTextModelRecord *self)
{
  return self->description;
}

/**
 * horde_text_model_record_get_version:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's version.
 *
 * Returns: (nullable): the model's version
 */
const char *
horde_text_model_record_get_version (const HordeTextModelRecord *self)
{
  return self->version;
}

/**
 * horde_text_model_record_get_style:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the model's style.
 *
 * Returns: (nullable): the model's style: `generalist`, `chat`, `roleplay`, `story`, `coder`…
 */
const char *
horde_text_model_record_get_style (const HordeTextModelRecord *self)
{
  return self->style;
}

/**
 * horde_text_model_record_get_nsfw:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Tells whether the model is meant for NSFW text.
 *
 * Returns: whether the model is meant for NSFW text (the server counts it among its NSFW models)
 */
gboolean
horde_text_model_record_get_nsfw (const HordeTextModelRecord *self)
{
  return self->nsfw;
}

/**
 * horde_text_model_record_get_url:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the URL of the model's page.
 *
 * Returns: (nullable): the URL of the model's page
 */
const char *
horde_text_model_record_get_url (const HordeTextModelRecord *self)
{
  return self->url;
}

/**
 * horde_text_model_record_get_instruct_format:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the prompt format the model was tuned for.
 *
 * Returns: (nullable): the prompt format the model was tuned for: `ChatML`, `Alpaca`, `Mistral`…
 */
const char *
horde_text_model_record_get_instruct_format (const HordeTextModelRecord *self)
{
  return self->instruct_format;
}

/**
 * horde_text_model_record_get_tags:
 * @self: a [struct@Horde.TextModelRecord]
 *
 * Gets the reference's tags for the model.
 *
 * Returns: (transfer none) (array zero-terminated=1): the reference's tags for the model
 */
const char * const *
horde_text_model_record_get_tags (const HordeTextModelRecord *self)
{
  return (const char * const *) self->tags;
}

/* horde-image-model-record.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-model-reference-private.h"

/**
 * HordeImageModelRecord:
 *
 * One image model as the Horde's image model reference
 * (`stable_diffusion.json` of Haidra-Org/AI-Horde-image-model-reference,
 * the file the server itself loads) describes it: its family
 * ([enum@Horde.ModelBaseline]) and the size it makes its best images at,
 * whether it inpaints, whether it is meant for NSFW work, its style,
 * trigger words, showcase images, and what it requires of a request
 * (samplers, steps, CFG scale).
 *
 * The field names are those of the reference file and of
 * horde_model_reference's `ImageGenerationModelRecord`. A record is
 * immutable and reference-counted: a copy is a reference. Records come
 * from a [class@Horde.ModelReference].
 */

G_DEFINE_BOXED_TYPE (HordeImageModelRecord, horde_image_model_record,
                     horde_image_model_record_ref, horde_image_model_record_unref)

static const struct {
  HordeModelBaseline baseline;
  const char *wire;
  const char *display;
  int native_side;
} baselines[] = {
  { HORDE_MODEL_BASELINE_STABLE_DIFFUSION_1, "stable diffusion 1", "Stable Diffusion 1", 512 },
  { HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2, "stable diffusion 2", "Stable Diffusion 2", 768 },
  { HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2_512, "stable diffusion 2 512", "Stable Diffusion 2 (512)", 512 },
  { HORDE_MODEL_BASELINE_STABLE_DIFFUSION_XL, "stable_diffusion_xl", "SDXL", 1024 },
  { HORDE_MODEL_BASELINE_STABLE_CASCADE, "stable_cascade", "Stable Cascade", 1024 },
  { HORDE_MODEL_BASELINE_FLUX_1, "flux_1", "Flux.1", 1024 },
  { HORDE_MODEL_BASELINE_QWEN_IMAGE, "qwen_image", "Qwen-Image", 1024 },
  { HORDE_MODEL_BASELINE_Z_IMAGE_TURBO, "z_image_turbo", "Z-Image Turbo", 1024 },
};

/**
 * horde_model_baseline_from_string:
 * @baseline: (nullable): a `baseline` string of the image model reference
 *
 * Finds the family a `baseline` string names.
 *
 * Returns: the family @baseline names, %HORDE_MODEL_BASELINE_UNKNOWN for
 *   %NULL or a string libhorde does not know
 */
HordeModelBaseline
horde_model_baseline_from_string (const char *baseline)
{
  for (guint i = 0; baseline != NULL && i < G_N_ELEMENTS (baselines); i++)
    if (g_str_equal (baseline, baselines[i].wire))
      return baselines[i].baseline;
  return HORDE_MODEL_BASELINE_UNKNOWN;
}

/**
 * horde_model_baseline_to_string:
 * @baseline: a family of image models
 *
 * Gets the string the reference and the server write for @baseline.
 *
 * Returns: (nullable): the string the reference and the server write for
 *   @baseline, `stable_diffusion_xl`; %NULL for
 *   %HORDE_MODEL_BASELINE_UNKNOWN
 */
const char *
horde_model_baseline_to_string (HordeModelBaseline baseline)
{
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    if (baselines[i].baseline == baseline)
      return baselines[i].wire;
  return NULL;
}

/**
 * horde_model_baseline_get_display_name:
 * @baseline: a family of image models
 *
 * Gets the family's name as model makers write it.
 *
 * Returns: (nullable): the family's name as model makers write it,
 *   "SDXL", "Flux.1" (a product name: not translated); %NULL for
 *   %HORDE_MODEL_BASELINE_UNKNOWN
 */
const char *
horde_model_baseline_get_display_name (HordeModelBaseline baseline)
{
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    if (baselines[i].baseline == baseline)
      return baselines[i].display;
  return NULL;
}

/**
 * horde_model_baseline_get_native_side:
 * @baseline: a family of image models
 *
 * The side of the square the family was trained at, which Horde clients
 * (Artbot, the Horde's own size hints) use as its default size: 512 for
 * Stable Diffusion 1 (and 2 at 512), 768 for Stable Diffusion 2, 1024 for
 * SDXL, Stable Cascade, Flux.1, Qwen-Image and Z-Image Turbo.
 *
 * Returns: the side in pixels, 0 for %HORDE_MODEL_BASELINE_UNKNOWN
 */
int
horde_model_baseline_get_native_side (HordeModelBaseline baseline)
{
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    if (baselines[i].baseline == baseline)
      return baselines[i].native_side;
  return 0;
}

HordeImageModelRecord *
horde_image_model_record_new_from_json (const char *name,
                                        JsonObject *object)
{
  HordeImageModelRecord *self = g_new0 (HordeImageModelRecord, 1);
  JsonNode *node;
  double d;

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  /* horde/model_reference.py get_model_baseline(): an entry without a
   * baseline is "stable diffusion 1" */
  self->baseline_string = horde_model_reference_dup_string (object, "baseline", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  if (self->baseline_string == NULL)
    self->baseline_string = g_strdup ("stable diffusion 1");
  self->baseline = horde_model_baseline_from_string (self->baseline_string);
  self->inpainting = horde_model_reference_get_bool (object, "inpainting");
  self->nsfw = horde_model_reference_get_bool (object, "nsfw");
  self->style = horde_model_reference_dup_string (object, "style", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->model_type = horde_model_reference_dup_string (object, "type", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->description = horde_model_reference_dup_string (object, "description", HORDE_MODEL_REFERENCE_MAX_TEXT, TRUE);
  self->version = horde_model_reference_dup_string (object, "version", HORDE_MODEL_REFERENCE_MAX_SHORT, FALSE);
  self->homepage = horde_model_reference_dup_string (object, "homepage", HORDE_MODEL_REFERENCE_MAX_URL, FALSE);
  self->trigger = horde_model_reference_dup_strv (object, "trigger", HORDE_MODEL_REFERENCE_MAX_SHORT);
  self->showcases = horde_model_reference_dup_strv (object, "showcases", HORDE_MODEL_REFERENCE_MAX_URL);
  self->tags = horde_model_reference_dup_strv (object, "tags", HORDE_MODEL_REFERENCE_MAX_SHORT);
  self->features_not_supported = horde_model_reference_dup_strv (object, "features_not_supported",
                                                                 HORDE_MODEL_REFERENCE_MAX_SHORT);
  self->size_on_disk = horde_model_reference_get_number (object, "size_on_disk_bytes", 0, (double) G_MAXINT64 / 2, &d)
                       ? (gint64) d : -1;

  self->cfg_scale = self->min_cfg_scale = self->max_cfg_scale = -1;
  node = json_object_get_member (object, "requirements");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *req = json_node_get_object (node);

      self->samplers = horde_model_reference_dup_strv (req, "samplers", HORDE_MODEL_REFERENCE_MAX_SHORT);
      self->schedulers = horde_model_reference_dup_strv (req, "schedulers", HORDE_MODEL_REFERENCE_MAX_SHORT);
      /* the API's own bounds (DESIGN.md 2): anything outside is no
       * requirement a request could meet, so none */
      if (horde_model_reference_get_number (req, "min_steps", 1, 500, &d))
        self->min_steps = (int) d;
      if (horde_model_reference_get_number (req, "max_steps", 1, 500, &d))
        self->max_steps = (int) d;
      if (horde_model_reference_get_number (req, "clip_skip", 1, 12, &d))
        self->clip_skip = (int) d;
      if (horde_model_reference_get_number (req, "cfg_scale", 0, 100, &d))
        self->cfg_scale = d;
      if (horde_model_reference_get_number (req, "min_cfg_scale", 0, 100, &d))
        self->min_cfg_scale = d;
      if (horde_model_reference_get_number (req, "max_cfg_scale", 0, 100, &d))
        self->max_cfg_scale = d;
    }
  else
    {
      self->samplers = g_new0 (char *, 1);
      self->schedulers = g_new0 (char *, 1);
    }

  return self;
}

/**
 * horde_image_model_record_ref:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Takes a reference: the record is immutable, so a reference is a copy.
 *
 * Returns: (transfer full): @self
 */
HordeImageModelRecord *
horde_image_model_record_ref (HordeImageModelRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * horde_image_model_record_unref:
 * @self: (transfer full): a [struct@Horde.ImageModelRecord]
 *
 * Drops a reference; the last one frees the record.
 */
void
horde_image_model_record_unref (HordeImageModelRecord *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->baseline_string);
  g_free (self->style);
  g_free (self->model_type);
  g_free (self->description);
  g_free (self->version);
  g_free (self->homepage);
  g_strfreev (self->trigger);
  g_strfreev (self->showcases);
  g_strfreev (self->tags);
  g_strfreev (self->features_not_supported);
  g_strfreev (self->samplers);
  g_strfreev (self->schedulers);
  g_free (self);
}

/**
 * horde_image_model_record_get_name:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the model's name.
 *
 * Returns: the model's name, the key the Horde knows it by
 */
const char *
horde_image_model_record_get_name (const HordeImageModelRecord *self)
{
  return self->name;
}

/**
 * horde_image_model_record_get_baseline:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the family the model was trained from.
 *
 * Returns: the family the model was trained from
 */
HordeModelBaseline
horde_image_model_record_get_baseline (const HordeImageModelRecord *self)
{
  return self->baseline;
}

/**
 * horde_image_model_record_get_baseline_string:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * The `baseline` string as the reference wrote it, so that a family newer
 * than libhorde is still known by name; `stable diffusion 1` when the
 * entry has none, as the server takes it.
 *
 * Returns: the baseline string
 */
const char *
horde_image_model_record_get_baseline_string (const HordeImageModelRecord *self)
{
  return self->baseline_string;
}

/**
 * horde_image_model_record_get_native_width:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the width the model makes its best images at.
 *
 * Returns: the width the model makes its best images at, from its
 *   baseline ([func@Horde.ModelBaseline.get_native_side]); 0 when the
 *   baseline is unknown
 */
int
horde_image_model_record_get_native_width (const HordeImageModelRecord *self)
{
  return horde_model_baseline_get_native_side (self->baseline);
}

/**
 * horde_image_model_record_get_native_height:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the height the model makes its best images at.
 *
 * Returns: the height the model makes its best images at; 0 when the
 *   baseline is unknown
 */
int
horde_image_model_record_get_native_height (const HordeImageModelRecord *self)
{
  return horde_model_baseline_get_native_side (self->baseline);
}

/**
 * horde_image_model_record_get_inpainting:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Tells whether the model is an inpainting model.
 *
 * Returns: whether the model is an inpainting model
 */
gboolean
horde_image_model_record_get_inpainting (const HordeImageModelRecord *self)
{
  return self->inpainting;
}

/**
 * horde_image_model_record_get_nsfw:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Tells whether the model is meant for NSFW images.
 *
 * Returns: whether the model is meant for NSFW images (the server counts
 *   it among its NSFW models)
 */
gboolean
horde_image_model_record_get_nsfw (const HordeImageModelRecord *self)
{
  return self->nsfw;
}

/**
 * horde_image_model_record_get_style:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the model's style.
 *
 * Returns: (nullable): the model's style: `generalist`, `anime`,
 *   `realistic`, `artistic`, `furry`, `other`…
 */
const char *
horde_image_model_record_get_style (const HordeImageModelRecord *self)
{
  return self->style;
}

/**
 * horde_image_model_record_get_model_type:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the reference's `type`.
 *
 * Returns: (nullable): the reference's `type`: `ckpt` for a checkpoint,
 *   `controlnet`…
 */
const char *
horde_image_model_record_get_model_type (const HordeImageModelRecord *self)
{
  return self->model_type;
}

/**
 * horde_image_model_record_get_description:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the model's description.
 *
 * Returns: (nullable): what the model is, in its makers' words (at most
 *   8 KiB; new lines kept, other control characters as spaces)
 */
const char *
horde_image_model_record_get_description (const HordeImageModelRecord *self)
{
  return self->description;
}

/**
 * horde_image_model_record_get_version:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the model's version.
 *
 * Returns: (nullable): the model's version, as its makers number it
 */
const char *
horde_image_model_record_get_version (const HordeImageModelRecord *self)
{
  return self->version;
}

/**
 * horde_image_model_record_get_homepage:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the URL of the model's page.
 *
 * Returns: (nullable): the URL of the model's page
 */
const char *
horde_image_model_record_get_homepage (const HordeImageModelRecord *self)
{
  return self->homepage;
}

/**
 * horde_image_model_record_get_trigger:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the trigger words a prompt uses to call up the model's styles.
 *
 * Returns: (transfer none) (array zero-terminated=1): the trigger words a
 *   prompt uses to call up the model's styles; empty when it has none
 */
const char * const *
horde_image_model_record_get_trigger (const HordeImageModelRecord *self)
{
  return (const char * const *) self->trigger;
}

/**
 * horde_image_model_record_get_showcases:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets URLs of example images the model made.
 *
 * Returns: (transfer none) (array zero-terminated=1): URLs of example
 *   images the model made
 */
const char * const *
horde_image_model_record_get_showcases (const HordeImageModelRecord *self)
{
  return (const char * const *) self->showcases;
}

/**
 * horde_image_model_record_get_tags:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the reference's tags for the model.
 *
 * Returns: (transfer none) (array zero-terminated=1): the reference's tags
 *   for the model
 */
const char * const *
horde_image_model_record_get_tags (const HordeImageModelRecord *self)
{
  return (const char * const *) self->tags;
}

/**
 * horde_image_model_record_get_features_not_supported:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets features workers cannot use with the model.
 *
 * Returns: (transfer none) (array zero-terminated=1): features workers
 *   cannot use with the model: `hires_fix`, `inpainting`, `controlnet`…
 */
const char * const *
horde_image_model_record_get_features_not_supported (const HordeImageModelRecord *self)
{
  return (const char * const *) self->features_not_supported;
}

/**
 * horde_image_model_record_get_size_on_disk:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the model's files' size in bytes.
 *
 * Returns: the model's files' size in bytes, -1 when the reference does
 *   not say
 */
gint64
horde_image_model_record_get_size_on_disk (const HordeImageModelRecord *self)
{
  return self->size_on_disk;
}

/**
 * horde_image_model_record_get_samplers:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the samplers the model requires.
 *
 * Returns: (transfer none) (array zero-terminated=1): the samplers the
 *   model requires; empty when any will do
 */
const char * const *
horde_image_model_record_get_samplers (const HordeImageModelRecord *self)
{
  return (const char * const *) self->samplers;
}

/**
 * horde_image_model_record_get_samplers_enum:
 * @self: a [struct@Horde.ImageModelRecord]
 * @n_values: (out) (optional): return location for the number of samplers
 *
 * The samplers the model requires as [enum@Horde.Sampler] values: the
 * typed form of [method@Horde.ImageModelRecord.get_samplers], in the same
 * order. A sampler this version of libhorde does not know is
 * %HORDE_SAMPLER_UNKNOWN there (the string getter still gives its name).
 *
 * Returns: (array length=n_values) (transfer full): the samplers, followed
 *   by %HORDE_SAMPLER_UNKNOWN; empty when any will do
 */
HordeSampler *
horde_image_model_record_get_samplers_enum (const HordeImageModelRecord *self,
                                            gsize                       *n_values)
{
  HordeSampler *samplers;
  gsize n;

  if (n_values != NULL)
    *n_values = 0;
  g_return_val_if_fail (self != NULL, NULL);

  n = g_strv_length (self->samplers);
  samplers = g_new (HordeSampler, n + 1);
  for (gsize i = 0; i < n; i++)
    samplers[i] = horde_sampler_from_string (self->samplers[i]);
  samplers[n] = HORDE_SAMPLER_UNKNOWN;
  if (n_values != NULL)
    *n_values = n;
  return samplers;
}

/**
 * horde_image_model_record_get_schedulers:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the schedulers the model requires.
 *
 * Returns: (transfer none) (array zero-terminated=1): the schedulers the
 *   model requires (`karras`…); empty when any will do
 */
const char * const *
horde_image_model_record_get_schedulers (const HordeImageModelRecord *self)
{
  return (const char * const *) self->schedulers;
}

/**
 * horde_image_model_record_get_min_steps:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the fewest steps the model requires.
 *
 * Returns: the fewest steps the model requires, 0 when it requires none
 */
int
horde_image_model_record_get_min_steps (const HordeImageModelRecord *self)
{
  return self->min_steps;
}

/**
 * horde_image_model_record_get_max_steps:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the most steps the model allows.
 *
 * Returns: the most steps the model allows, 0 when it sets no limit
 */
int
horde_image_model_record_get_max_steps (const HordeImageModelRecord *self)
{
  return self->max_steps;
}

/**
 * horde_image_model_record_get_clip_skip:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the CLIP skip the model requires.
 *
 * Returns: the CLIP skip the model requires, 0 when it requires none
 */
int
horde_image_model_record_get_clip_skip (const HordeImageModelRecord *self)
{
  return self->clip_skip;
}

/**
 * horde_image_model_record_get_cfg_scale:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the CFG scale the model requires.
 *
 * Returns: the CFG scale the model requires, negative when it requires
 *   none
 */
double
horde_image_model_record_get_cfg_scale (const HordeImageModelRecord *self)
{
  return self->cfg_scale;
}

/**
 * horde_image_model_record_get_min_cfg_scale:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the lowest CFG scale the model allows.
 *
 * Returns: the lowest CFG scale the model allows, negative when it sets
 *   no limit
 */
double
horde_image_model_record_get_min_cfg_scale (const HordeImageModelRecord *self)
{
  return self->min_cfg_scale;
}

/**
 * horde_image_model_record_get_max_cfg_scale:
 * @self: a [struct@Horde.ImageModelRecord]
 *
 * Gets the highest CFG scale the model allows.
 *
 * Returns: the highest CFG scale the model allows, negative when it sets
 *   no limit
 */
double
horde_image_model_record_get_max_cfg_scale (const HordeImageModelRecord *self)
{
  return self->max_cfg_scale;
}

/* horde-studio-baseline.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-application.h"
#include "horde-studio-baseline.h"

/* The Horde's model reference gives each model a baseline, and the app
 * asks it first (horde_studio_model_baseline()); for a model the reference
 * lacks, or before it loaded, or when it cannot be loaded, the app knows
 * the baselines of a few models by name and otherwise guesses from the
 * name as the server does for a model its reference lacks
 * (horde/model_reference.py get_model_baseline: "[SDXL]", "[Flux]",
 * "[Qwen]", "[ZImage]" in the name), and from the words model makers put in
 * their names. A model it cannot place is taken for Stable Diffusion 1.5,
 * the server's own default. */

static gboolean
has_word (const char *name,
          const char *word)
{
  g_autofree char *pattern = g_strdup_printf ("\\b%s\\b", word);

  return g_regex_match_simple (pattern, name, G_REGEX_CASELESS, 0);
}

/**
 * horde_studio_guess_baseline:
 * @model: a model's name
 *
 * Returns: the family @model most likely belongs to
 */
HordeStudioBaseline
horde_studio_guess_baseline (const char *model)
{
  static const struct {
    const char *name;
    HordeStudioBaseline baseline;
  } known[] = {
    { "AlbedoBase XL (SDXL)", HORDE_STUDIO_BASELINE_SDXL },
    { "SDXL 1.0", HORDE_STUDIO_BASELINE_SDXL },
    { "Stable Cascade 1.0", HORDE_STUDIO_BASELINE_CASCADE },
    { "stable_diffusion_2.1", HORDE_STUDIO_BASELINE_SD2 },
    { "Stable Diffusion 2 Depth", HORDE_STUDIO_BASELINE_SD2 },
  };

  g_return_val_if_fail (model != NULL, HORDE_STUDIO_BASELINE_SD1);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (model, known[i].name))
      return known[i].baseline;

  if (strstr (model, "[SDXL]") || has_word (model, "SDXL") || has_word (model, "XL"))
    return HORDE_STUDIO_BASELINE_SDXL;
  if (strstr (model, "[Flux]") || has_word (model, "Flux"))
    return HORDE_STUDIO_BASELINE_FLUX;
  if (strstr (model, "[Qwen]") || has_word (model, "Qwen"))
    return HORDE_STUDIO_BASELINE_QWEN;
  if (strstr (model, "[ZModel]") || strstr (model, "[ZImage]") || has_word (model, "Z-Image"))
    return HORDE_STUDIO_BASELINE_Z_IMAGE;
  if (has_word (model, "Cascade"))
    return HORDE_STUDIO_BASELINE_CASCADE;
  if (g_str_has_prefix (model, "stable_diffusion_2") || has_word (model, "SD2"))
    return HORDE_STUDIO_BASELINE_SD2;
  return HORDE_STUDIO_BASELINE_SD1;
}

/**
 * horde_studio_baseline_get_name:
 * @baseline: a family of models
 *
 * Returns: the family's name as model makers write it, "SDXL" (not
 *   translated)
 */
const char *
horde_studio_baseline_get_name (HordeStudioBaseline baseline)
{
  switch (baseline)
    {
    case HORDE_STUDIO_BASELINE_SD1:
      return "Stable Diffusion 1.5";
    case HORDE_STUDIO_BASELINE_SD2:
      return "Stable Diffusion 2";
    case HORDE_STUDIO_BASELINE_SDXL:
      return "SDXL";
    case HORDE_STUDIO_BASELINE_CASCADE:
      return "Stable Cascade";
    case HORDE_STUDIO_BASELINE_FLUX:
      return "Flux";
    case HORDE_STUDIO_BASELINE_QWEN:
      return "Qwen";
    case HORDE_STUDIO_BASELINE_Z_IMAGE:
      return "Z-Image";
    default:
      g_return_val_if_reached ("Stable Diffusion 1.5");
    }
}

/**
 * horde_studio_baseline_native_side:
 * @baseline: a family of models
 *
 * Returns: the side of the square the family was trained at, in pixels:
 *   the size it makes its best images near
 */
int
horde_studio_baseline_native_side (HordeStudioBaseline baseline)
{
  switch (baseline)
    {
    case HORDE_STUDIO_BASELINE_SD1:
      return 512;
    case HORDE_STUDIO_BASELINE_SD2:
      return 768;
    case HORDE_STUDIO_BASELINE_SDXL:
    case HORDE_STUDIO_BASELINE_CASCADE:
    case HORDE_STUDIO_BASELINE_FLUX:
    case HORDE_STUDIO_BASELINE_QWEN:
    case HORDE_STUDIO_BASELINE_Z_IMAGE:
      return 1024;
    default:
      g_return_val_if_reached (512);
    }
}

/**
 * horde_studio_lookup_model:
 * @model: a model's name
 *
 * What the Horde's image model reference (the application's, see
 * horde_studio_application_get_model_reference()) says of @model.
 *
 * Returns: (transfer full) (nullable): @model's record; %NULL when the
 *   reference does not list it, is not loaded, or there is no application
 */
HordeImageModelRecord *
horde_studio_lookup_model (const char *model)
{
  GApplication *app = g_application_get_default ();
  HordeModelReference *reference;

  if (model == NULL || !HORDE_STUDIO_IS_APPLICATION (app))
    return NULL;
  reference = horde_studio_application_get_model_reference (HORDE_STUDIO_APPLICATION (app));
  if (reference == NULL || !horde_model_reference_is_loaded (reference, HORDE_MODEL_REFERENCE_IMAGE))
    return NULL;
  return horde_model_reference_lookup_image (reference, model);
}

/* the app's family for the reference's; FALSE for one it does not know */
static gboolean
baseline_from_reference (HordeModelBaseline   from,
                         HordeStudioBaseline *baseline)
{
  switch (from)
    {
    case HORDE_MODEL_BASELINE_STABLE_DIFFUSION_1:
      *baseline = HORDE_STUDIO_BASELINE_SD1;
      return TRUE;
    case HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2:
    case HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2_512:
      *baseline = HORDE_STUDIO_BASELINE_SD2;
      return TRUE;
    case HORDE_MODEL_BASELINE_STABLE_DIFFUSION_XL:
      *baseline = HORDE_STUDIO_BASELINE_SDXL;
      return TRUE;
    case HORDE_MODEL_BASELINE_STABLE_CASCADE:
      *baseline = HORDE_STUDIO_BASELINE_CASCADE;
      return TRUE;
    case HORDE_MODEL_BASELINE_FLUX_1:
      *baseline = HORDE_STUDIO_BASELINE_FLUX;
      return TRUE;
    case HORDE_MODEL_BASELINE_QWEN_IMAGE:
      *baseline = HORDE_STUDIO_BASELINE_QWEN;
      return TRUE;
    case HORDE_MODEL_BASELINE_Z_IMAGE_TURBO:
      *baseline = HORDE_STUDIO_BASELINE_Z_IMAGE;
      return TRUE;
    case HORDE_MODEL_BASELINE_UNKNOWN:
    default:
      return FALSE;
    }
}

/**
 * horde_studio_model_baseline:
 * @model: a model's name
 *
 * The family of @model as the Horde's model reference says it; for a
 * model the reference lacks (or of a family the app does not know), as
 * its name tells (horde_studio_guess_baseline()).
 *
 * Returns: @model's family
 */
HordeStudioBaseline
horde_studio_model_baseline (const char *model)
{
  g_autoptr(HordeImageModelRecord) record = horde_studio_lookup_model (model);
  HordeStudioBaseline baseline;

  g_return_val_if_fail (model != NULL, HORDE_STUDIO_BASELINE_SD1);

  if (record != NULL && baseline_from_reference (horde_image_model_record_get_baseline (record), &baseline))
    return baseline;
  return horde_studio_guess_baseline (model);
}

/**
 * horde_studio_model_native_size:
 * @model: a model's name
 * @height: (out) (optional): the height it was trained at
 *
 * The size @model makes its best images near: the model reference's, else
 * its family's square (horde_studio_model_baseline()).
 *
 * Returns: the width it was trained at, in pixels
 */
int
horde_studio_model_native_size (const char *model,
                                int        *height)
{
  g_autoptr(HordeImageModelRecord) record = horde_studio_lookup_model (model);
  int width = 0, tall = 0;

  if (record != NULL)
    {
      width = horde_image_model_record_get_native_width (record);
      tall = horde_image_model_record_get_native_height (record);
    }
  if (width <= 0 || tall <= 0)
    width = tall = horde_studio_baseline_native_side (horde_studio_model_baseline (model));
  if (height != NULL)
    *height = tall;
  return width;
}

/**
 * horde_studio_model_paints:
 * @model: a model's name
 *
 * Whether @model is made for inpainting and outpainting: the model
 * reference's `inpainting` field, else (a model it lacks) whether its name
 * says "inpainting", as the Horde's inpainting models' names do.
 *
 * Returns: %TRUE for an inpainting model
 */
gboolean
horde_studio_model_paints (const char *model)
{
  g_autoptr(HordeImageModelRecord) record = horde_studio_lookup_model (model);
  g_autofree char *folded = NULL;

  if (model == NULL)
    return FALSE;
  if (record != NULL)
    return horde_image_model_record_get_inpainting (record);
  folded = g_utf8_casefold (model, -1);
  return strstr (folded, "inpainting") != NULL;
}

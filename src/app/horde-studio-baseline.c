/* horde-studio-baseline.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-baseline.h"

/* The Horde's model reference gives each model a baseline; the app cannot
 * read that reference yet (issue 13 brings it to libhorde), so it knows the
 * baselines of a few models by name and otherwise guesses from the name as
 * the server does for a model its reference lacks
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

/* horde-studio-baseline.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

/**
 * HordeStudioBaseline:
 * @HORDE_STUDIO_BASELINE_SD1: Stable Diffusion 1.5, the Horde's default
 * @HORDE_STUDIO_BASELINE_SD2: Stable Diffusion 2
 * @HORDE_STUDIO_BASELINE_SDXL: Stable Diffusion XL
 * @HORDE_STUDIO_BASELINE_CASCADE: Stable Cascade
 * @HORDE_STUDIO_BASELINE_FLUX: Flux
 * @HORDE_STUDIO_BASELINE_QWEN: Qwen
 * @HORDE_STUDIO_BASELINE_Z_IMAGE: Z-Image
 *
 * The family a model was trained from: what it is good at, which sizes it
 * makes best, what the Horde lets it do.
 */
typedef enum {
  HORDE_STUDIO_BASELINE_SD1,
  HORDE_STUDIO_BASELINE_SD2,
  HORDE_STUDIO_BASELINE_SDXL,
  HORDE_STUDIO_BASELINE_CASCADE,
  HORDE_STUDIO_BASELINE_FLUX,
  HORDE_STUDIO_BASELINE_QWEN,
  HORDE_STUDIO_BASELINE_Z_IMAGE,
} HordeStudioBaseline;

HordeStudioBaseline  horde_studio_guess_baseline       (const char          *model);
HordeImageModelRecord *horde_studio_lookup_model       (const char          *model);
HordeStudioBaseline  horde_studio_model_baseline       (const char          *model);
int                  horde_studio_model_native_size    (const char          *model,
                                                        int                 *height);
gboolean             horde_studio_model_paints         (const char          *model);
const char          *horde_studio_baseline_get_name    (HordeStudioBaseline  baseline);
int                  horde_studio_baseline_native_side (HordeStudioBaseline  baseline);

G_END_DECLS

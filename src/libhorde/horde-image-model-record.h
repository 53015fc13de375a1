/* horde-image-model-record.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib-object.h>

#include "horde-known-values.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

/**
 * HordeModelBaseline:
 * @HORDE_MODEL_BASELINE_UNKNOWN: a family libhorde does not know: the
 *   reference's own string is in
 *   [method@Horde.ImageModelRecord.get_baseline_string]
 * @HORDE_MODEL_BASELINE_STABLE_DIFFUSION_1: Stable Diffusion 1.x, wire
 *   string `stable diffusion 1` (the server's default for a model its
 *   reference lacks)
 * @HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2: Stable Diffusion 2.x at 768,
 *   `stable diffusion 2`
 * @HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2_512: Stable Diffusion 2.x at
 *   512, `stable diffusion 2 512`
 * @HORDE_MODEL_BASELINE_STABLE_DIFFUSION_XL: SDXL, `stable_diffusion_xl`
 * @HORDE_MODEL_BASELINE_STABLE_CASCADE: Stable Cascade, `stable_cascade`
 * @HORDE_MODEL_BASELINE_FLUX_1: Flux.1, `flux_1`
 * @HORDE_MODEL_BASELINE_QWEN_IMAGE: Qwen-Image, `qwen_image`
 * @HORDE_MODEL_BASELINE_Z_IMAGE_TURBO: Z-Image Turbo, `z_image_turbo`
 *
 * The family an image model was trained from, as the Horde's image model
 * reference names it in `baseline` (the server's list of image baselines
 * is in `horde/model_reference.py`). New families appear often: a string
 * libhorde does not know is %HORDE_MODEL_BASELINE_UNKNOWN and is kept as
 * it came.
 */
typedef enum {
  HORDE_MODEL_BASELINE_UNKNOWN,
  HORDE_MODEL_BASELINE_STABLE_DIFFUSION_1,
  HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2,
  HORDE_MODEL_BASELINE_STABLE_DIFFUSION_2_512,
  HORDE_MODEL_BASELINE_STABLE_DIFFUSION_XL,
  HORDE_MODEL_BASELINE_STABLE_CASCADE,
  HORDE_MODEL_BASELINE_FLUX_1,
  HORDE_MODEL_BASELINE_QWEN_IMAGE,
  HORDE_MODEL_BASELINE_Z_IMAGE_TURBO,
} HordeModelBaseline;

HORDE_AVAILABLE_IN_ALL
HordeModelBaseline  horde_model_baseline_from_string     (const char         *baseline);
HORDE_AVAILABLE_IN_ALL
const char         *horde_model_baseline_to_string       (HordeModelBaseline  baseline);
HORDE_AVAILABLE_IN_ALL
const char         *horde_model_baseline_get_display_name (HordeModelBaseline  baseline);
HORDE_AVAILABLE_IN_ALL
int                 horde_model_baseline_get_native_side (HordeModelBaseline  baseline);

#define HORDE_TYPE_IMAGE_MODEL_RECORD (horde_image_model_record_get_type ())

typedef struct _HordeImageModelRecord HordeImageModelRecord;

HORDE_AVAILABLE_IN_ALL
GType                  horde_image_model_record_get_type                (void) G_GNUC_CONST;
HORDE_AVAILABLE_IN_ALL
HordeImageModelRecord *horde_image_model_record_ref                     (HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_image_model_record_unref                   (HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_name                (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
HordeModelBaseline     horde_image_model_record_get_baseline            (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_baseline_string     (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_image_model_record_get_native_width        (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_image_model_record_get_native_height       (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_image_model_record_get_inpainting          (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_image_model_record_get_nsfw                (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_style               (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_model_type          (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_description         (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_version             (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_image_model_record_get_homepage            (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_trigger             (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_showcases           (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_tags                (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_features_not_supported (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
gint64                 horde_image_model_record_get_size_on_disk        (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_samplers            (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
HordeSampler          *horde_image_model_record_get_samplers_enum       (const HordeImageModelRecord *self,
                                                                         gsize                       *n_values);
HORDE_AVAILABLE_IN_ALL
const char * const    *horde_image_model_record_get_schedulers          (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_image_model_record_get_min_steps           (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_image_model_record_get_max_steps           (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_image_model_record_get_clip_skip           (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_image_model_record_get_cfg_scale           (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_image_model_record_get_min_cfg_scale       (const HordeImageModelRecord *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_image_model_record_get_max_cfg_scale       (const HordeImageModelRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeImageModelRecord, horde_image_model_record_unref)

G_END_DECLS

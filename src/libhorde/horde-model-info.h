/* horde-model-info.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib-object.h>

#include "horde-image-model-record.h"
#include "horde-models.h"
#include "horde-text-model-record.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_MODEL_INFO (horde_model_info_get_type ())

typedef struct _HordeModelInfo HordeModelInfo;

HORDE_AVAILABLE_IN_ALL
GType                  horde_model_info_get_type         (void) G_GNUC_CONST;
HORDE_AVAILABLE_IN_ALL
HordeModelInfo        *horde_model_info_new              (HordeActiveModel      *model,
                                                          HordeImageModelRecord *image_record,
                                                          HordeTextModelRecord  *text_record);
HORDE_AVAILABLE_IN_ALL
HordeModelInfo        *horde_model_info_ref              (HordeModelInfo        *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_info_unref            (HordeModelInfo        *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_model_info_get_name         (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
HordeActiveModel      *horde_model_info_get_active_model (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
HordeImageModelRecord *horde_model_info_get_image_record (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
HordeTextModelRecord  *horde_model_info_get_text_record  (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
gint64                 horde_model_info_get_workers      (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_model_info_get_queued       (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_model_info_get_jobs         (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
gint64                 horde_model_info_get_eta          (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
double                 horde_model_info_get_performance  (const HordeModelInfo  *self);
HORDE_AVAILABLE_IN_ALL
char                  *horde_model_info_to_string        (const HordeModelInfo  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeModelInfo, horde_model_info_unref)

G_END_DECLS

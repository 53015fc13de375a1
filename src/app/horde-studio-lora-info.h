/* horde-studio-lora-info.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "horde-studio-baseline.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_LORA_INFO (horde_studio_lora_info_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioLoraInfo, horde_studio_lora_info, HORDE_STUDIO, LORA_INFO, GObject)

HordeStudioLoraInfo *horde_studio_lora_info_new_from_model   (JsonNode            *model);
HordeStudioLoraInfo *horde_studio_lora_info_new_from_version (JsonNode            *version);
JsonNode            *horde_studio_lora_info_to_json          (HordeStudioLoraInfo *self);
const char          *horde_studio_lora_info_get_model_name   (HordeStudioLoraInfo *self);
const char          *horde_studio_lora_info_get_version_name (HordeStudioLoraInfo *self);
const char          *horde_studio_lora_info_get_base_model   (HordeStudioLoraInfo *self);
const char * const  *horde_studio_lora_info_get_trained_words (HordeStudioLoraInfo *self);
gboolean             horde_studio_lora_info_get_nsfw         (HordeStudioLoraInfo *self);
gboolean             horde_studio_lora_info_get_baseline     (HordeStudioLoraInfo *self,
                                                              HordeStudioBaseline *baseline);
gboolean             horde_studio_civitai_base_to_baseline   (const char          *base_model,
                                                              HordeStudioBaseline *baseline);

G_END_DECLS

/* horde-studio-lora-details.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-baseline.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_LORA_DETAILS (horde_studio_lora_details_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioLoraDetails, horde_studio_lora_details, HORDE_STUDIO, LORA_DETAILS, GtkBox)

GtkWidget  *horde_studio_lora_details_new                (void);
void        horde_studio_lora_details_set_name           (HordeStudioLoraDetails *self,
                                                          const char             *name,
                                                          gboolean                is_version);
void        horde_studio_lora_details_refresh            (HordeStudioLoraDetails *self);
void        horde_studio_lora_details_set_model_baseline (HordeStudioLoraDetails *self,
                                                          gboolean                known,
                                                          HordeStudioBaseline     baseline);
const char *horde_studio_lora_details_get_warning        (HordeStudioLoraDetails *self);

G_END_DECLS

/* horde-studio-post-processing.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_POST_PROCESSING (horde_studio_post_processing_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioPostProcessing, horde_studio_post_processing, HORDE_STUDIO, POST_PROCESSING, AdwPreferencesGroup)

void       horde_studio_post_processing_add_to_params        (HordeStudioPostProcessing              *self,
                                                              HordeModelGenerationInputStableBuilder *params);
void       horde_studio_post_processing_load                 (HordeStudioPostProcessing              *self,
                                                              HordeModelGenerationInputStable        *params);
GtkWidget *horde_studio_post_processing_get_upscaler_row     (HordeStudioPostProcessing              *self);
GtkWidget *horde_studio_post_processing_get_strength_row     (HordeStudioPostProcessing              *self);

G_END_DECLS

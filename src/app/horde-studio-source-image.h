/* horde-studio-source-image.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_SOURCE_IMAGE (horde_studio_source_image_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioSourceImage, horde_studio_source_image, HORDE_STUDIO, SOURCE_IMAGE, AdwPreferencesGroup)

gboolean    horde_studio_source_image_set_bytes         (HordeStudioSourceImage                 *self,
                                                         GBytes                                 *bytes,
                                                         GError                                **error);
void        horde_studio_source_image_set_file          (HordeStudioSourceImage                 *self,
                                                         GFile                                  *file);
void        horde_studio_source_image_set_texture       (HordeStudioSourceImage                 *self,
                                                         GdkTexture                             *texture);
void        horde_studio_source_image_choose            (HordeStudioSourceImage                 *self);
void        horde_studio_source_image_paste             (HordeStudioSourceImage                 *self);
gboolean    horde_studio_source_image_is_set            (HordeStudioSourceImage                 *self);
void        horde_studio_source_image_add_to_request    (HordeStudioSourceImage                 *self,
                                                         HordeModelGenerationInputStableBuilder *params,
                                                         HordeImageGenerateAsyncRequestBuilder  *request);
void        horde_studio_source_image_load_request      (HordeStudioSourceImage                 *self,
                                                         HordeImageGenerateAsyncRequest         *request);
GtkWidget  *horde_studio_source_image_get_denoising_row (HordeStudioSourceImage                 *self);
void        horde_studio_source_image_set_model         (HordeStudioSourceImage                 *self,
                                                         const char                             *model);
gboolean    horde_studio_source_image_is_painting       (HordeStudioSourceImage                 *self);
const char *horde_studio_source_image_get_processing    (HordeStudioSourceImage                 *self);
gboolean    horde_studio_source_image_model_paints      (const char                             *name);

G_END_DECLS

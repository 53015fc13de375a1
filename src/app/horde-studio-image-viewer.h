/* horde-studio-image-viewer.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-gallery.h"
#include "horde-studio-gallery-item.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_IMAGE_VIEWER (horde_studio_image_viewer_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioImageViewer, horde_studio_image_viewer, HORDE_STUDIO, IMAGE_VIEWER, GtkWidget)

void                    horde_studio_image_viewer_set_gallery  (HordeStudioImageViewer  *self,
                                                                HordeStudioGallery      *gallery,
                                                                AdwToastOverlay         *toasts);
void                    horde_studio_image_viewer_show_item    (HordeStudioImageViewer  *self,
                                                                HordeStudioGalleryItem  *item);
HordeStudioGalleryItem *horde_studio_image_viewer_get_item     (HordeStudioImageViewer  *self);
void                    horde_studio_image_viewer_close        (HordeStudioImageViewer  *self);
GdkTexture             *horde_studio_image_viewer_load_texture (HordeStudioGalleryItem  *item,
                                                                GError                 **error);

G_END_DECLS

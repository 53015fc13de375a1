/* horde-studio-gallery-view.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-gallery.h"
#include "horde-studio-gallery-item.h"
#include "horde-studio-image-viewer.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_GALLERY_VIEW (horde_studio_gallery_view_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioGalleryView, horde_studio_gallery_view, HORDE_STUDIO, GALLERY_VIEW, GtkWidget)

void                    horde_studio_gallery_view_set_gallery           (HordeStudioGalleryView  *self,
                                                                         HordeStudioGallery      *gallery,
                                                                         AdwToastOverlay         *toasts);
void                    horde_studio_gallery_view_show_item             (HordeStudioGalleryView  *self,
                                                                         HordeStudioGalleryItem  *item);
GtkGridView            *horde_studio_gallery_view_get_grid_view         (HordeStudioGalleryView  *self);
HordeStudioGalleryItem *horde_studio_gallery_view_get_shown             (HordeStudioGalleryView  *self);
HordeStudioImageViewer *horde_studio_gallery_view_get_viewer            (HordeStudioGalleryView  *self);
GPtrArray              *horde_studio_gallery_view_dup_selected          (HordeStudioGalleryView  *self);
void                    horde_studio_gallery_view_export_to_file_async  (HordeStudioGalleryView  *self,
                                                                         HordeStudioGalleryItem  *item,
                                                                         GFile                   *file,
                                                                         GCancellable            *cancellable,
                                                                         GAsyncReadyCallback      callback,
                                                                         gpointer                 user_data);
gboolean                horde_studio_gallery_view_export_to_file_finish (HordeStudioGalleryView  *self,
                                                                         GAsyncResult            *result,
                                                                         GError                 **error);
void                    horde_studio_gallery_view_export_to_folder_async  (HordeStudioGalleryView  *self,
                                                                           GPtrArray               *items,
                                                                           GFile                   *folder,
                                                                           GCancellable            *cancellable,
                                                                           GAsyncReadyCallback      callback,
                                                                           gpointer                 user_data);
gboolean                horde_studio_gallery_view_export_to_folder_finish (HordeStudioGalleryView  *self,
                                                                           GAsyncResult            *result,
                                                                           GError                 **error);

G_END_DECLS

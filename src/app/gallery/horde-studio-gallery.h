/* horde-studio-gallery.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libhorde.h>

#include "horde-studio-gallery-item.h"
#include "horde-studio-pending-job.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_GALLERY (horde_studio_gallery_get_type ())

/**
 * HordeStudioGallerySort:
 * @HORDE_STUDIO_GALLERY_SORT_NEWEST: newest first
 * @HORDE_STUDIO_GALLERY_SORT_OLDEST: oldest first
 * @HORDE_STUDIO_GALLERY_SORT_MODEL: by model name, newest first within one
 *
 * The orders of a [class@HordeStudio.Gallery].
 */
typedef enum {
  HORDE_STUDIO_GALLERY_SORT_NEWEST,
  HORDE_STUDIO_GALLERY_SORT_OLDEST,
  HORDE_STUDIO_GALLERY_SORT_MODEL,
} HordeStudioGallerySort;

G_DECLARE_FINAL_TYPE (HordeStudioGallery, horde_studio_gallery, HORDE_STUDIO, GALLERY, GObject)

HordeStudioGallery     *horde_studio_gallery_new                (const char                      *directory,
                                                                 GError                         **error);
const char             *horde_studio_gallery_get_directory      (HordeStudioGallery              *self);
guint                   horde_studio_gallery_get_n_total        (HordeStudioGallery              *self);
gint64                  horde_studio_gallery_get_id_at          (HordeStudioGallery              *self,
                                                                 guint                            position);
HordeStudioGalleryItem *horde_studio_gallery_lookup             (HordeStudioGallery              *self,
                                                                 gint64                           id,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_find_item          (HordeStudioGallery              *self,
                                                                 HordeStudioGalleryItem          *item,
                                                                 guint                           *position);

void                    horde_studio_gallery_add_async          (HordeStudioGallery              *self,
                                                                 GBytes                          *image,
                                                                 HordeImageGenerateAsyncRequest  *request,
                                                                 HordeGenerationStable           *generation,
                                                                 const char                      *job_id,
                                                                 double                           kudos,
                                                                 GCancellable                    *cancellable,
                                                                 GAsyncReadyCallback              callback,
                                                                 gpointer                         user_data);
HordeStudioGalleryItem *horde_studio_gallery_add_finish         (HordeStudioGallery              *self,
                                                                 GAsyncResult                    *result,
                                                                 GError                         **error);
HordeStudioGalleryItem *horde_studio_gallery_add                (HordeStudioGallery              *self,
                                                                 GBytes                          *image,
                                                                 HordeImageGenerateAsyncRequest  *request,
                                                                 HordeGenerationStable           *generation,
                                                                 const char                      *job_id,
                                                                 double                           kudos,
                                                                 GCancellable                    *cancellable,
                                                                 GError                         **error);

void                    horde_studio_gallery_add_derived_async  (HordeStudioGallery              *self,
                                                                 GBytes                          *image,
                                                                 HordeImageGenerateAsyncRequest  *request,
                                                                 gint64                           parent_id,
                                                                 const char                      *parent_name,
                                                                 const char                      *form,
                                                                 const char                      *job_id,
                                                                 GCancellable                    *cancellable,
                                                                 GAsyncReadyCallback              callback,
                                                                 gpointer                         user_data);
HordeStudioGalleryItem *horde_studio_gallery_add_derived        (HordeStudioGallery              *self,
                                                                 GBytes                          *image,
                                                                 HordeImageGenerateAsyncRequest  *request,
                                                                 gint64                           parent_id,
                                                                 const char                      *parent_name,
                                                                 const char                      *form,
                                                                 const char                      *job_id,
                                                                 GError                         **error);

gboolean                horde_studio_gallery_set_favourite      (HordeStudioGallery              *self,
                                                                 HordeStudioGalleryItem          *item,
                                                                 gboolean                         favourite,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_set_kudos          (HordeStudioGallery              *self,
                                                                 HordeStudioGalleryItem          *item,
                                                                 double                           kudos,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_delete             (HordeStudioGallery              *self,
                                                                 HordeStudioGalleryItem          *item,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_undelete           (HordeStudioGallery              *self,
                                                                 HordeStudioGalleryItem          *item,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_purge_deleted      (HordeStudioGallery              *self,
                                                                 GError                         **error);

void                    horde_studio_gallery_set_sort           (HordeStudioGallery              *self,
                                                                 HordeStudioGallerySort           sort);
HordeStudioGallerySort  horde_studio_gallery_get_sort           (HordeStudioGallery              *self);
void                    horde_studio_gallery_set_filter         (HordeStudioGallery              *self,
                                                                 const char                      *text,
                                                                 gboolean                         favourites_only);

gboolean                horde_studio_gallery_add_pending_job    (HordeStudioGallery              *self,
                                                                 const char                      *job_id,
                                                                 HordeImageGenerateAsyncRequest  *request,
                                                                 GError                         **error);
gboolean                horde_studio_gallery_remove_pending_job (HordeStudioGallery              *self,
                                                                 const char                      *job_id,
                                                                 GError                         **error);
GPtrArray              *horde_studio_gallery_list_pending_jobs  (HordeStudioGallery              *self,
                                                                 GError                         **error);

gboolean                horde_studio_gallery_export_png         (HordeStudioGalleryItem          *item,
                                                                 const char                      *filename,
                                                                 GError                         **error);

G_END_DECLS

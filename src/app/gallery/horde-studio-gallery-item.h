/* horde-studio-gallery-item.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_GALLERY_ITEM (horde_studio_gallery_item_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioGalleryItem, horde_studio_gallery_item, HORDE_STUDIO, GALLERY_ITEM, GObject)

gint64                          horde_studio_gallery_item_get_id              (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_path            (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_thumbnail_path  (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_prompt          (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_negative_prompt (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_model           (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_seed            (HordeStudioGalleryItem  *self);
int                             horde_studio_gallery_item_get_width           (HordeStudioGalleryItem  *self);
int                             horde_studio_gallery_item_get_height          (HordeStudioGalleryItem  *self);
int                             horde_studio_gallery_item_get_steps           (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_sampler         (HordeStudioGalleryItem  *self);
double                          horde_studio_gallery_item_get_cfg_scale       (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_worker_id       (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_worker_name     (HordeStudioGalleryItem  *self);
double                          horde_studio_gallery_item_get_kudos           (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_job_id          (HordeStudioGalleryItem  *self);
GDateTime                      *horde_studio_gallery_item_get_created         (HordeStudioGalleryItem  *self);
gboolean                        horde_studio_gallery_item_get_favourite       (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_request_json    (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_generation_json (HordeStudioGalleryItem  *self);
gint64                          horde_studio_gallery_item_get_parent_id       (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_parent_name     (HordeStudioGalleryItem  *self);
const char                     *horde_studio_gallery_item_get_form            (HordeStudioGalleryItem  *self);
HordeImageGenerateAsyncRequest *horde_studio_gallery_item_dup_request         (HordeStudioGalleryItem  *self,
                                                                               GError                 **error);

G_END_DECLS

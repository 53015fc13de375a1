/* horde-studio-gallery-item-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sqlite3.h>

#include "horde-studio-gallery-item.h"

G_BEGIN_DECLS

/* The Horde's sampler when a request names none (swagger: sampler_name). */
#define HORDE_STUDIO_DEFAULT_SAMPLER "k_euler_a"

HordeStudioGalleryItem *horde_studio_gallery_item_new_for_image    (HordeImageGenerateAsyncRequest *request,
                                                                    HordeGenerationStable          *generation,
                                                                    const char                     *job_id,
                                                                    double                          kudos);
HordeStudioGalleryItem *horde_studio_gallery_item_new_from_row     (sqlite3_stmt                   *stmt,
                                                                    const char                     *directory);
void                    horde_studio_gallery_item_set_files        (HordeStudioGalleryItem         *self,
                                                                    const char                     *path,
                                                                    const char                     *thumbnail_path);
void                    horde_studio_gallery_item_set_lineage      (HordeStudioGalleryItem         *self,
                                                                    gint64                          parent_id,
                                                                    const char                     *parent_name,
                                                                    const char                     *form,
                                                                    int                             width,
                                                                    int                             height);
void                    horde_studio_gallery_item_set_id           (HordeStudioGalleryItem         *self,
                                                                    gint64                          id);
void                    horde_studio_gallery_item_set_favourite    (HordeStudioGalleryItem         *self,
                                                                    gboolean                        favourite);
void                    horde_studio_gallery_item_set_kudos        (HordeStudioGalleryItem         *self,
                                                                    double                          kudos);
gboolean                horde_studio_gallery_item_bind             (HordeStudioGalleryItem         *self,
                                                                    sqlite3_stmt                   *stmt);
char                   *horde_studio_gallery_item_dup_parameters   (HordeStudioGalleryItem         *self);
const char             *horde_studio_gallery_item_get_select_sql   (void);
const char             *horde_studio_gallery_item_get_insert_sql   (void);
char                   *horde_studio_gallery_fold                  (const char                     *text);

G_END_DECLS

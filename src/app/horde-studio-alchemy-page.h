/* horde-studio-alchemy-page.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-gallery.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_ALCHEMY_PAGE (horde_studio_alchemy_page_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioAlchemyPage, horde_studio_alchemy_page, HORDE_STUDIO, ALCHEMY_PAGE, AdwBin)

void             horde_studio_alchemy_page_set_client  (HordeStudioAlchemyPage *self,
                                                        HordeClient            *client);
void             horde_studio_alchemy_page_set_gallery (HordeStudioAlchemyPage *self,
                                                        HordeStudioGallery     *gallery);
void             horde_studio_alchemy_page_set_item    (HordeStudioAlchemyPage *self,
                                                        HordeStudioGalleryItem *item);
void             horde_studio_alchemy_page_open_file   (HordeStudioAlchemyPage *self,
                                                        GFile                  *file);
gboolean         horde_studio_alchemy_page_set_bytes   (HordeStudioAlchemyPage *self,
                                                        GBytes                 *bytes,
                                                        const char             *name,
                                                        GError                **error);
HordeAlchemyJob *horde_studio_alchemy_page_get_job     (HordeStudioAlchemyPage *self);

G_END_DECLS

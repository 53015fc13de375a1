/* horde-studio-thumbnail.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_THUMBNAIL (horde_studio_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioThumbnail, horde_studio_thumbnail, HORDE_STUDIO, THUMBNAIL, GtkWidget)

GtkWidget *horde_studio_thumbnail_new      (void);
void       horde_studio_thumbnail_set_item (HordeStudioThumbnail *self,
                                            GObject              *item);

void       horde_studio_thumbnail_set_selection (HordeStudioThumbnail *self,
                                                 gboolean              selecting,
                                                 gboolean              selected);
gboolean   horde_studio_thumbnail_get_selected  (HordeStudioThumbnail *self);
GObject   *horde_studio_thumbnail_get_item      (HordeStudioThumbnail *self);

G_END_DECLS

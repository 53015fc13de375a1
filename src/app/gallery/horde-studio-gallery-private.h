/* horde-studio-gallery-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-studio-gallery.h"

G_BEGIN_DECLS

/* For tests and tools only. */

typedef void (*HordeStudioGalleryFilesWrittenHook) (const char *path,
                                                    gpointer    user_data);

void     horde_studio_gallery_set_files_written_hook (HordeStudioGalleryFilesWrittenHook   hook,
                                                      gpointer                             user_data);
gboolean horde_studio_gallery_add_rows_for_testing   (HordeStudioGallery                  *self,
                                                      GBytes                              *image,
                                                      HordeImageGenerateAsyncRequest      *request,
                                                      HordeGenerationStable               *generation,
                                                      guint                                n_rows,
                                                      GError                             **error);

G_END_DECLS

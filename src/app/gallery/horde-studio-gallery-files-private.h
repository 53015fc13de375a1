/* horde-studio-gallery-files-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

/* The longest side of a thumbnail, in pixels. */
#define HORDE_STUDIO_THUMBNAIL_SIZE 256

char     *horde_studio_gallery_files_make_stem  (HordeGenerationStable  *generation,
                                                 const char             *job_id);
gboolean  horde_studio_gallery_files_write      (const char             *directory,
                                                 const char             *stem,
                                                 GBytes                 *image,
                                                 char                  **path,
                                                 char                  **thumbnail_path,
                                                 GError                **error);
gboolean  horde_studio_gallery_files_remove     (const char             *path,
                                                 const char             *thumbnail_path);
gboolean  horde_studio_gallery_files_export_png (const char             *source,
                                                 const char             *parameters,
                                                 const char             *horde_json,
                                                 const char             *filename,
                                                 GError                **error);

G_END_DECLS

/* gallery-test-utils.h: what the gallery tests and benchmark share
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-studio-gallery.h"

G_BEGIN_DECLS

/* One items-changed emission. */
typedef struct {
  guint position;
  guint removed;
  guint added;
} GalleryTestChange;

char                           *gallery_test_make_dir        (void);
void                            gallery_test_remove_dir      (const char  *path);
guint                           gallery_test_count_files     (const char  *directory,
                                                              const char  *folder);
GBytes                         *gallery_test_png             (int          width,
                                                              int          height,
                                                              guint32      rgba);
GBytes                         *gallery_test_webp            (int          width,
                                                              int          height,
                                                              guint        seed);
HordeImageGenerateAsyncRequest *gallery_test_request         (const char  *prompt,
                                                              const char  *model);
HordeGenerationStable          *gallery_test_generation      (const char  *id,
                                                              const char  *model,
                                                              const char  *seed);
GArray                         *gallery_test_record_changes  (GListModel  *model);
void                            gallery_test_assert_change   (GArray      *changes,
                                                              guint        index,
                                                              guint        position,
                                                              guint        removed,
                                                              guint        added);

G_END_DECLS

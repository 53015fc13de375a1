/* horde-generated-image-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-generated-image.h"
#include "horde-models.h"

G_BEGIN_DECLS

const char          *horde_generated_image_sniff        (const guint8           *data,
                                                         gsize                   len);

HordeGeneratedImage *horde_generated_image_new_checked  (GBytes                 *bytes,
                                                         HordeGenerationStable  *generation,
                                                         guint64                 max_pixels,
                                                         GError                **error);

/* An image of @bytes, or of the @base64 text of a generation's `img`, made
 * in a worker thread (a base64 image takes a while to decode): its header
 * is read and its size checked against @max_pixels; its pixels are
 * decoded later, when they are asked for */
void                 horde_generated_image_load_async   (GBytes                 *bytes,
                                                         const char             *base64,
                                                         HordeGenerationStable  *generation,
                                                         guint64                 max_pixels,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
HordeGeneratedImage *horde_generated_image_load_finish  (GAsyncResult           *result,
                                                         GError                **error);

G_END_DECLS

/* horde-generated-image-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-generated-image.h"
#include "horde-models.h"

G_BEGIN_DECLS

/* horde_generated_image_new_from_bytes() in a worker thread: a large or
 * upscaled image takes a while to decode, and the jobs run in the caller's
 * main context */
void                 horde_generated_image_decode_async  (GBytes                *bytes,
                                                          HordeGenerationStable *generation,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
HordeGeneratedImage *horde_generated_image_decode_finish (GAsyncResult          *result,
                                                          GError               **error);

G_END_DECLS

/* horde-generated-image.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "horde-models.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_GENERATED_IMAGE (horde_generated_image_get_type ())

/**
 * HORDE_GENERATED_IMAGE_MAX_PIXELS:
 *
 * The most pixels an image may have for libhorde to decode it, unless a
 * [class@Horde.Client] says otherwise
 * ([property@Horde.Client:max-image-pixels]): 12288 × 12288, the largest
 * image the AI Horde makes (3072 × 3072, upscaled four times).
 */
#define HORDE_GENERATED_IMAGE_MAX_PIXELS (G_GUINT64_CONSTANT (12288) * 12288)

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeGeneratedImage, horde_generated_image, HORDE, GENERATED_IMAGE, GObject)

HORDE_AVAILABLE_IN_ALL
HordeGeneratedImage   *horde_generated_image_new_from_bytes  (GBytes                *bytes,
                                                               HordeGenerationStable *generation,
                                                               GError               **error);
HORDE_AVAILABLE_IN_ALL
GBytes                *horde_generated_image_get_bytes       (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_generated_image_get_mime_type   (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_generated_image_get_extension   (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_generated_image_get_width       (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
int                    horde_generated_image_get_height      (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
GdkPixbuf             *horde_generated_image_decode          (HordeGeneratedImage   *self,
                                                               GError               **error);
HORDE_AVAILABLE_IN_ALL
GdkPixbuf             *horde_generated_image_get_pixbuf      (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
HordeGenerationStable *horde_generated_image_get_generation  (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
const char            *horde_generated_image_get_seed        (HordeGeneratedImage   *self);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_generated_image_save            (HordeGeneratedImage   *self,
                                                               const char            *filename,
                                                               GError               **error);

G_END_DECLS

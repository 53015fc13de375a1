/* horde-model-reference.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <gio/gio.h>

#include "horde-image-model-record.h"
#include "horde-model-info.h"
#include "horde-models.h"
#include "horde-text-model-record.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

/**
 * HORDE_MODEL_REFERENCE_IMAGE_URL:
 *
 * Where the Horde's image model reference lives, the file the AI Horde
 * server itself loads (`horde/model_reference.py`).
 */
#define HORDE_MODEL_REFERENCE_IMAGE_URL \
  "https://raw.githubusercontent.com/Haidra-Org/AI-Horde-image-model-reference/main/stable_diffusion.json"

/**
 * HORDE_MODEL_REFERENCE_TEXT_URL:
 *
 * Where the Horde's text model reference lives, the file the AI Horde
 * server itself loads (`horde/model_reference.py`).
 */
#define HORDE_MODEL_REFERENCE_TEXT_URL \
  "https://raw.githubusercontent.com/db0/AI-Horde-text-model-reference/main/db.json"

/**
 * HordeModelReferenceFlags:
 * @HORDE_MODEL_REFERENCE_NONE: both references, from a fresh cache when
 *   there is one, else from the network
 * @HORDE_MODEL_REFERENCE_IMAGE: the image reference (with neither
 *   @HORDE_MODEL_REFERENCE_IMAGE nor @HORDE_MODEL_REFERENCE_TEXT, both)
 * @HORDE_MODEL_REFERENCE_TEXT: the text reference
 * @HORDE_MODEL_REFERENCE_REFRESH: ask the server even when the cache is
 *   fresh (a cache the server says is unchanged costs no download)
 * @HORDE_MODEL_REFERENCE_OFFLINE: never use the network: the cache, fresh
 *   or not, or an error
 *
 * What [method@Horde.ModelReference.load_async] loads, and from where.
 */
typedef enum /*< flags >*/ {
  HORDE_MODEL_REFERENCE_NONE    = 0,
  HORDE_MODEL_REFERENCE_IMAGE   = 1 << 0,
  HORDE_MODEL_REFERENCE_TEXT    = 1 << 1,
  HORDE_MODEL_REFERENCE_REFRESH = 1 << 2,
  HORDE_MODEL_REFERENCE_OFFLINE = 1 << 3,
} HordeModelReferenceFlags;

#define HORDE_TYPE_MODEL_REFERENCE (horde_model_reference_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeModelReference, horde_model_reference, HORDE, MODEL_REFERENCE, GObject)

HORDE_AVAILABLE_IN_ALL
HordeModelReference   *horde_model_reference_new            (void);
HORDE_AVAILABLE_IN_ALL
const char            *horde_model_reference_get_image_url  (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_set_image_url  (HordeModelReference       *self,
                                                             const char                *url);
HORDE_AVAILABLE_IN_ALL
const char            *horde_model_reference_get_text_url   (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_set_text_url   (HordeModelReference       *self,
                                                             const char                *url);
HORDE_AVAILABLE_IN_ALL
const char            *horde_model_reference_get_cache_dir  (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_set_cache_dir  (HordeModelReference       *self,
                                                             const char                *cache_dir);
HORDE_AVAILABLE_IN_ALL
guint                  horde_model_reference_get_max_age    (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_set_max_age    (HordeModelReference       *self,
                                                             guint                      seconds);
HORDE_AVAILABLE_IN_ALL
guint                  horde_model_reference_get_timeout    (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_set_timeout    (HordeModelReference       *self,
                                                             guint                      seconds);

HORDE_AVAILABLE_IN_ALL
void                   horde_model_reference_load_async     (HordeModelReference       *self,
                                                             HordeModelReferenceFlags   flags,
                                                             GCancellable              *cancellable,
                                                             GAsyncReadyCallback        callback,
                                                             gpointer                   user_data);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_model_reference_load_finish    (HordeModelReference       *self,
                                                             GAsyncResult              *result,
                                                             GError                   **error);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_model_reference_load_sync      (HordeModelReference       *self,
                                                             HordeModelReferenceFlags   flags,
                                                             GCancellable              *cancellable,
                                                             GError                   **error);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_model_reference_is_loaded      (HordeModelReference       *self,
                                                             HordeModelReferenceFlags   which);
HORDE_AVAILABLE_IN_ALL
gboolean               horde_model_reference_is_stale       (HordeModelReference       *self,
                                                             HordeModelReferenceFlags   which);

HORDE_AVAILABLE_IN_ALL
HordeImageModelRecord *horde_model_reference_lookup_image   (HordeModelReference       *self,
                                                             const char                *name);
HORDE_AVAILABLE_IN_ALL
HordeTextModelRecord  *horde_model_reference_lookup_text    (HordeModelReference       *self,
                                                             const char                *name);
HORDE_AVAILABLE_IN_ALL
GPtrArray             *horde_model_reference_list_images    (HordeModelReference       *self);
HORDE_AVAILABLE_IN_ALL
GPtrArray             *horde_model_reference_list_texts     (HordeModelReference       *self);

HORDE_AVAILABLE_IN_ALL
HordeModelInfo        *horde_model_reference_get_info       (HordeModelReference       *self,
                                                             HordeActiveModel          *model);
HORDE_AVAILABLE_IN_ALL
GPtrArray             *horde_model_reference_join           (HordeModelReference       *self,
                                                             HordeActiveModelList      *models);

G_END_DECLS

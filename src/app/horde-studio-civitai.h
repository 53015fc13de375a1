/* horde-studio-civitai.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "horde-studio-lora-info.h"

G_BEGIN_DECLS

/**
 * HORDE_STUDIO_CIVITAI_ERROR:
 *
 * The domain of the errors of [class@Civitai].
 */
#define HORDE_STUDIO_CIVITAI_ERROR (horde_studio_civitai_error_quark ())

/**
 * HordeStudioCivitaiError:
 * @HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND: CivitAI knows no LoRA of that name
 *   or id
 * @HORDE_STUDIO_CIVITAI_ERROR_FAILED: CivitAI could not be asked, or its
 *   answer could not be read
 *
 * Why a LoRA could not be looked up.
 */
typedef enum {
  HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND,
  HORDE_STUDIO_CIVITAI_ERROR_FAILED,
} HordeStudioCivitaiError;

#define HORDE_STUDIO_TYPE_CIVITAI (horde_studio_civitai_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioCivitai, horde_studio_civitai, HORDE_STUDIO, CIVITAI, GObject)

GQuark               horde_studio_civitai_error_quark   (void);
HordeStudioCivitai  *horde_studio_civitai_new           (const char          *base_url);
HordeStudioCivitai  *horde_studio_civitai_get_default   (void);
const char          *horde_studio_civitai_get_base_url  (HordeStudioCivitai  *self);
void                 horde_studio_civitai_set_base_url  (HordeStudioCivitai  *self,
                                                         const char          *base_url);
void                 horde_studio_civitai_set_cache_file (HordeStudioCivitai  *self,
                                                         const char          *path);
void                 horde_studio_civitai_lookup_async  (HordeStudioCivitai  *self,
                                                         const char          *name,
                                                         gboolean             is_version,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
HordeStudioLoraInfo *horde_studio_civitai_lookup_finish (HordeStudioCivitai  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS

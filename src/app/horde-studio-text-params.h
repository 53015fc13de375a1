/* horde-studio-text-params.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-text-history.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_TEXT_PARAMS (horde_studio_text_params_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioTextParams, horde_studio_text_params, HORDE_STUDIO, TEXT_PARAMS, GtkBox)

guint                            horde_studio_text_params_set_models     (HordeStudioTextParams             *self,
                                                                          HordeActiveModelList              *list);
const char                      *horde_studio_text_params_get_model      (HordeStudioTextParams             *self);
char                            *horde_studio_text_params_dup_softprompt (HordeStudioTextParams             *self);
HordeModelGenerationInputKobold *horde_studio_text_params_build          (HordeStudioTextParams             *self,
                                                                          GError                           **error);
void                             horde_studio_text_params_load           (HordeStudioTextParams             *self,
                                                                          const HordeStudioTextHistoryEntry *entry);

G_END_DECLS

/* horde-studio-model-chooser.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-baseline.h"
#include "horde-studio-connection.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_MODEL_CHOOSER (horde_studio_model_chooser_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioModelChooser, horde_studio_model_chooser, HORDE_STUDIO, MODEL_CHOOSER, AdwActionRow)

void        horde_studio_model_chooser_set_client     (HordeStudioModelChooser               *self,
                                                       HordeClient                           *client);
void        horde_studio_model_chooser_set_connection (HordeStudioModelChooser               *self,
                                                       HordeStudioConnection                 *connection);
void        horde_studio_model_chooser_refresh        (HordeStudioModelChooser               *self);
const char *horde_studio_model_chooser_get_model      (HordeStudioModelChooser               *self);
gboolean    horde_studio_model_chooser_get_baseline   (HordeStudioModelChooser               *self,
                                                       HordeStudioBaseline                   *baseline);
void        horde_studio_model_chooser_set_painting   (HordeStudioModelChooser               *self,
                                                       gboolean                               painting);
void        horde_studio_model_chooser_add_to_request (HordeStudioModelChooser               *self,
                                                       HordeImageGenerateAsyncRequestBuilder *request);
void        horde_studio_model_chooser_set_params     (HordeStudioModelChooser               *self,
                                                       const char                            *sampler,
                                                       int                                    steps,
                                                       double                                 cfg_scale,
                                                       int                                    clip_skip,
                                                       gboolean                               karras);
const char *horde_studio_model_chooser_get_warning    (HordeStudioModelChooser               *self);
void        horde_studio_model_chooser_load_request   (HordeStudioModelChooser               *self,
                                                       HordeImageGenerateAsyncRequest        *request);

G_END_DECLS

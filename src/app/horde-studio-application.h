/* horde-studio-application.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-gallery.h"
#include "horde-studio-jobs.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_APPLICATION (horde_studio_application_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioApplication, horde_studio_application, HORDE_STUDIO, APPLICATION, AdwApplication)

HordeStudioApplication *horde_studio_application_new             (void);
GSettings              *horde_studio_application_get_settings    (HordeStudioApplication *self);
HordeClient            *horde_studio_application_get_client      (HordeStudioApplication *self);
HordeStudioGallery     *horde_studio_application_get_gallery     (HordeStudioApplication *self);
HordeStudioJobs        *horde_studio_application_get_jobs        (HordeStudioApplication *self);
HordeStudioConnection  *horde_studio_application_get_connection  (HordeStudioApplication *self);
HordeModelReference    *horde_studio_application_get_model_reference (HordeStudioApplication *self);
void                    horde_studio_application_apply_server    (HordeStudioApplication *self);
const char             *horde_studio_application_get_server_override (HordeStudioApplication *self);
void                    horde_studio_application_set_server      (HordeStudioApplication *self,
                                                                  const char             *url);
void                    horde_studio_application_refresh_account (HordeStudioApplication *self);
void                    horde_studio_application_show_account    (HordeStudioApplication *self,
                                                                  HordeUserDetails       *user);
void                    horde_studio_application_cancel_and_quit (HordeStudioApplication *self);

G_END_DECLS

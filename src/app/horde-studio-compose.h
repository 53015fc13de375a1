/* horde-studio-compose.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-connection.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_COMPOSE (horde_studio_compose_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioCompose, horde_studio_compose, HORDE_STUDIO, COMPOSE, GtkWidget)

GtkWidget                      *horde_studio_compose_new             (void);
void                            horde_studio_compose_set_client      (HordeStudioCompose             *self,
                                                                      HordeClient                    *client);
void                            horde_studio_compose_set_connection  (HordeStudioCompose             *self,
                                                                      HordeStudioConnection          *connection);
void                            horde_studio_compose_refresh         (HordeStudioCompose             *self);
void                            horde_studio_compose_refresh_account (HordeStudioCompose             *self);
void                            horde_studio_compose_refresh_models  (HordeStudioCompose             *self);
void                            horde_studio_compose_show_account    (HordeStudioCompose             *self,
                                                                      HordeUserDetails               *user);
void                            horde_studio_compose_follow_kudos    (HordeStudioCompose             *self);
void                            horde_studio_compose_apply_settings  (HordeStudioCompose             *self,
                                                                      GSettings                      *settings);
void                            horde_studio_compose_load_request    (HordeStudioCompose             *self,
                                                                      HordeImageGenerateAsyncRequest *request);
HordeImageGenerateAsyncRequest *horde_studio_compose_get_request     (HordeStudioCompose             *self);
void                            horde_studio_compose_set_sending     (HordeStudioCompose             *self,
                                                                      gboolean                        sending);
GtkTextView                    *horde_studio_compose_get_prompt_view (HordeStudioCompose             *self);
void                            horde_studio_compose_get_prompt      (HordeStudioCompose             *self,
                                                                      char                          **prompt,
                                                                      char                          **negative);
void                            horde_studio_compose_set_prompt      (HordeStudioCompose             *self,
                                                                      const char                     *prompt,
                                                                      const char                     *negative);
void                            horde_studio_compose_restore_state    (HordeStudioCompose            *self,
                                                                       const char                    *path);
void                            horde_studio_compose_open_file        (HordeStudioCompose            *self,
                                                                       GFile                         *file);
gboolean                        horde_studio_compose_set_source_bytes (HordeStudioCompose            *self,
                                                                       GBytes                        *bytes,
                                                                       GError                       **error);

G_END_DECLS

/* horde-studio-prompt-tools.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_PROMPT_TOOLS (horde_studio_prompt_tools_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioPromptTools, horde_studio_prompt_tools, HORDE_STUDIO, PROMPT_TOOLS, GtkBox)

void        horde_studio_prompt_tools_set_client     (HordeStudioPromptTools                 *self,
                                                      HordeClient                            *client);
void        horde_studio_prompt_tools_set_style      (HordeStudioPromptTools                 *self,
                                                      HordeStyleStable                       *style);
const char *horde_studio_prompt_tools_get_style_id   (HordeStudioPromptTools                 *self);
void        horde_studio_prompt_tools_add_to_request (HordeStudioPromptTools                 *self,
                                                      HordeImageGenerateAsyncRequestBuilder  *request);
void        horde_studio_prompt_tools_load_request   (HordeStudioPromptTools                 *self,
                                                      HordeImageGenerateAsyncRequest         *request);
void        horde_studio_prompt_tools_record         (HordeStudioPromptTools                 *self,
                                                      HordeImageGenerateAsyncRequest         *request);

G_END_DECLS

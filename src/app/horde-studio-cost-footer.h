/* horde-studio-cost-footer.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-connection.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_COST_FOOTER (horde_studio_cost_footer_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioCostFooter, horde_studio_cost_footer, HORDE_STUDIO, COST_FOOTER, GtkWidget)

void     horde_studio_cost_footer_set_client       (HordeStudioCostFooter          *self,
                                                    HordeClient                    *client);
void     horde_studio_cost_footer_set_connection   (HordeStudioCostFooter          *self,
                                                    HordeStudioConnection          *connection);
void     horde_studio_cost_footer_set_request      (HordeStudioCostFooter          *self,
                                                    HordeImageGenerateAsyncRequest *request,
                                                    gboolean                        has_prompt);
void     horde_studio_cost_footer_show_problems    (HordeStudioCostFooter          *self,
                                                    const char * const             *lines,
                                                    gboolean                        marked);
void     horde_studio_cost_footer_show_problem     (HordeStudioCostFooter          *self,
                                                    const char                     *text);
void     horde_studio_cost_footer_show_account     (HordeStudioCostFooter          *self,
                                                    HordeUserDetails               *user);
void     horde_studio_cost_footer_refresh_account  (HordeStudioCostFooter          *self);
void     horde_studio_cost_footer_follow_kudos     (HordeStudioCostFooter          *self);

G_END_DECLS

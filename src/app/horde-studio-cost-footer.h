/* horde-studio-cost-footer.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_COST_FOOTER (horde_studio_cost_footer_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioCostFooter, horde_studio_cost_footer, HORDE_STUDIO, COST_FOOTER, GtkWidget)

void     horde_studio_cost_footer_show_problems       (HordeStudioCostFooter *self,
                                                       const char * const    *lines,
                                                       gboolean               marked);
void     horde_studio_cost_footer_show_problem        (HordeStudioCostFooter *self,
                                                       const char            *text);
void     horde_studio_cost_footer_show_request        (HordeStudioCostFooter *self,
                                                       gboolean               built,
                                                       gboolean               has_prompt);
void     horde_studio_cost_footer_show_estimating     (HordeStudioCostFooter *self);
void     horde_studio_cost_footer_show_estimate       (HordeStudioCostFooter *self,
                                                       double                 kudos);
void     horde_studio_cost_footer_show_estimate_error (HordeStudioCostFooter *self,
                                                       const GError          *error,
                                                       gboolean               signed_in);
gboolean horde_studio_cost_footer_get_estimate_failed (HordeStudioCostFooter *self);
void     horde_studio_cost_footer_show_anonymous      (HordeStudioCostFooter *self);
void     horde_studio_cost_footer_show_user           (HordeStudioCostFooter *self,
                                                       HordeUserDetails      *user);
void     horde_studio_cost_footer_show_account_error  (HordeStudioCostFooter *self,
                                                       const GError          *error,
                                                       gboolean               signed_in);

G_END_DECLS

/* horde-studio-control-net.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_CONTROL_NET (horde_studio_control_net_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioControlNet, horde_studio_control_net, HORDE_STUDIO, CONTROL_NET, AdwPreferencesGroup)

const char *horde_studio_control_net_get_control_type (HordeStudioControlNet                  *self);
gboolean    horde_studio_control_net_add_to_params    (HordeStudioControlNet                  *self,
                                                       HordeModelGenerationInputStableBuilder *params,
                                                       const char                             *model,
                                                       gboolean                                has_source,
                                                       char                                  **problem);
void        horde_studio_control_net_load             (HordeStudioControlNet                  *self,
                                                       HordeModelGenerationInputStable        *params);

G_END_DECLS

/* horde-studio-ti-list.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_TI_LIST (horde_studio_ti_list_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioTiList, horde_studio_ti_list, HORDE_STUDIO, TI_LIST, AdwPreferencesGroup)

void      horde_studio_ti_list_add              (HordeStudioTiList                      *self,
                                                 const char                             *name,
                                                 double                                  strength,
                                                 const char                             *inject);
gboolean  horde_studio_ti_list_can_add          (HordeStudioTiList                      *self);
void      horde_studio_ti_list_add_to_params    (HordeStudioTiList                      *self,
                                                 HordeModelGenerationInputStableBuilder *params);
void      horde_studio_ti_list_load             (HordeStudioTiList                      *self,
                                                 HordeModelGenerationInputStable        *params);
char     *horde_studio_ti_list_describe_problem (HordeStudioTiList                      *self,
                                                 const char                             *path,
                                                 const char                             *problem,
                                                 gboolean                               *touched);

G_END_DECLS

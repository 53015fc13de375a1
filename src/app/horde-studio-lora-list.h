/* horde-studio-lora-list.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_LORA_LIST (horde_studio_lora_list_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioLoraList, horde_studio_lora_list, HORDE_STUDIO, LORA_LIST, AdwPreferencesGroup)

void      horde_studio_lora_list_add              (HordeStudioLoraList                    *self,
                                                   const char                             *name,
                                                   double                                  strength);
gboolean  horde_studio_lora_list_can_add          (HordeStudioLoraList                    *self);
void      horde_studio_lora_list_add_to_params    (HordeStudioLoraList                    *self,
                                                   HordeModelGenerationInputStableBuilder *params);
void      horde_studio_lora_list_load             (HordeStudioLoraList                    *self,
                                                   HordeModelGenerationInputStable        *params);
void      horde_studio_lora_list_set_model        (HordeStudioLoraList                    *self,
                                                   const char                             *model);
void      horde_studio_lora_list_insert_word      (GtkTextView                            *prompt,
                                                   const char                             *word,
                                                   HordeStudioLoraList                    *list);
char     *horde_studio_lora_list_describe_problem (HordeStudioLoraList                    *self,
                                                   const char                             *path,
                                                   const char                             *problem,
                                                   gboolean                               *touched);

G_END_DECLS

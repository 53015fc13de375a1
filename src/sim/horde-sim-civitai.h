/* horde-sim-civitai.h: a small fake CivitAI, for Horde Studio's LoRA look-ups
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "horde-sim-call.h"

G_BEGIN_DECLS

#define HORDE_SIM_CIVITAI_PREFIX "/civitai/"

char *horde_sim_civitai_route  (const char   *method,
                                const char   *path);
void  horde_sim_civitai_handle (HordeSimCall *call);

G_END_DECLS

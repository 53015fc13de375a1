/* horde-sim-model-reference.h: the model reference files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "horde-sim-call.h"

G_BEGIN_DECLS

#define HORDE_SIM_MODEL_REFERENCE_PREFIX "/model-reference/"

gboolean    horde_sim_model_reference_serve    (HordeSimCall *call);
const char *horde_sim_model_reference_baseline (const char   *model);

G_END_DECLS

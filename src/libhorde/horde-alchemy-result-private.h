/* horde-alchemy-result-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-alchemy-result.h"

G_BEGIN_DECLS

HordeAlchemyResult *horde_alchemy_result_new (HordeInterrogationFormStatus *status,
                                              HordeGeneratedImage          *image);

G_END_DECLS

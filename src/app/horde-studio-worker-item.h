/* horde-studio-worker-item.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_WORKER_ITEM (horde_studio_worker_item_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioWorkerItem, horde_studio_worker_item, HORDE_STUDIO, WORKER_ITEM, GObject)

HordeStudioWorkerItem *horde_studio_worker_item_new         (HordeWorkerDetails    *details);
HordeWorkerDetails    *horde_studio_worker_item_get_details (HordeStudioWorkerItem *self);

G_END_DECLS

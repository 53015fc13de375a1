/* horde-studio-worker-view.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_WORKER_VIEW (horde_studio_worker_view_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioWorkerView, horde_studio_worker_view, HORDE_STUDIO, WORKER_VIEW, GtkWidget)

GtkWidget          *horde_studio_worker_view_new          (void);
void                horde_studio_worker_view_set_settings (HordeStudioWorkerView *self,
                                                           GSettings             *settings);
void                horde_studio_worker_view_set_worker   (HordeStudioWorkerView *self,
                                                           HordeWorkerDetails    *worker);
HordeWorkerDetails *horde_studio_worker_view_get_worker   (HordeStudioWorkerView *self);

G_END_DECLS

/* horde-studio-worker-row.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_WORKER_ROW (horde_studio_worker_row_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioWorkerRow, horde_studio_worker_row, HORDE_STUDIO, WORKER_ROW, GtkWidget)

GtkWidget          *horde_studio_worker_row_new              (void);
void                horde_studio_worker_row_set_worker       (HordeStudioWorkerRow *self,
                                                              HordeWorkerDetails   *worker);
HordeWorkerDetails *horde_studio_worker_row_get_worker       (HordeStudioWorkerRow *self);

char               *horde_studio_worker_describe_name        (HordeWorkerDetails   *worker);
char               *horde_studio_worker_describe_kind        (HordeWorkerDetails   *worker);
char               *horde_studio_worker_describe_speed       (HordeWorkerDetails   *worker);
char               *horde_studio_worker_describe_uptime      (gint64                seconds);
char               *horde_studio_worker_describe_summary     (HordeWorkerDetails   *worker);

G_END_DECLS

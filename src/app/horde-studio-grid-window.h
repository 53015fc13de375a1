/* horde-studio-grid-window.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-grid-plan.h"
#include "horde-studio-grid-view.h"
#include "horde-studio-jobs.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_GRID_WINDOW (horde_studio_grid_window_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioGridWindow, horde_studio_grid_window, HORDE_STUDIO, GRID_WINDOW, AdwWindow)

HordeStudioGridWindow *horde_studio_grid_window_new           (GtkWindow                      *parent,
                                                               HordeStudioJobs                *jobs,
                                                               HordeImageGenerateAsyncRequest *base);
void                   horde_studio_grid_window_set_axes      (HordeStudioGridWindow          *self,
                                                               HordeStudioGridAxis             column_axis,
                                                               const char                     *column_values,
                                                               HordeStudioGridAxis             row_axis,
                                                               const char                     *row_values);
HordeStudioGridPlan   *horde_studio_grid_window_get_plan      (HordeStudioGridWindow          *self);
HordeStudioJob        *horde_studio_grid_window_get_job       (HordeStudioGridWindow          *self,
                                                               guint                           column,
                                                               guint                           row);
HordeStudioGridView   *horde_studio_grid_window_get_grid_view (HordeStudioGridWindow          *self);
const char            *horde_studio_grid_window_get_summary   (HordeStudioGridWindow          *self);

G_END_DECLS

/* horde-studio-grid-view.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "horde-studio-grid-plan.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_GRID_VIEW (horde_studio_grid_view_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioGridView, horde_studio_grid_view, HORDE_STUDIO, GRID_VIEW, GtkWidget)

GtkWidget  *horde_studio_grid_view_new              (void);
void        horde_studio_grid_view_set_plan         (HordeStudioGridView  *self,
                                                     HordeStudioGridPlan  *plan);
void        horde_studio_grid_view_set_cell_item    (HordeStudioGridView  *self,
                                                     guint                 column,
                                                     guint                 row,
                                                     GObject              *item);
GObject    *horde_studio_grid_view_get_cell_item    (HordeStudioGridView  *self,
                                                     guint                 column,
                                                     guint                 row);
void        horde_studio_grid_view_set_cell_status  (HordeStudioGridView  *self,
                                                     guint                 column,
                                                     guint                 row,
                                                     const char           *status);
const char *horde_studio_grid_view_get_column_header (HordeStudioGridView *self,
                                                     guint                 column);
const char *horde_studio_grid_view_get_row_header   (HordeStudioGridView  *self,
                                                     guint                 row);
void        horde_studio_grid_view_export_async     (HordeStudioGridView  *self,
                                                     GFile                *file,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean    horde_studio_grid_view_export_finish    (HordeStudioGridView  *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS

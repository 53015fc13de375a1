/* horde-studio-item-rows.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/**
 * HordeStudioItemRowsFunc:
 * @owner: the group that keeps the list
 *
 * Called when a row of a list of items changed, or was removed.
 */
typedef void (*HordeStudioItemRowsFunc) (gpointer owner);

GtkWidget  *horde_studio_item_row_new            (const char              *name,
                                                  double                   strength,
                                                  GtkWidget               *extra,
                                                  const char              *remove_tooltip,
                                                  HordeStudioItemRowsFunc  changed,
                                                  HordeStudioItemRowsFunc  removed,
                                                  gpointer                 owner);
const char *horde_studio_item_row_get_name       (GtkWidget               *row);
double      horde_studio_item_row_get_strength   (GtkWidget               *row);
guint       horde_studio_item_rows_count         (GtkListBox              *list);
void        horde_studio_item_rows_clear         (GtkListBox              *list);
gboolean    horde_studio_item_rows_problem_place (GtkListBox              *list,
                                                  const char              *path,
                                                  const char              *prefix,
                                                  guint                   *number,
                                                  const char             **field,
                                                  gboolean                *touched);

G_END_DECLS

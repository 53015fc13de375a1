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

/**
 * HordeStudioItemRowsProblems:
 * @prefix: the place of the list's items in the request, "params.loras"
 * @title: (not translated) the list's title, for a problem of the whole list
 * @name_format: (not translated) the problem of a row's name, "LoRA %u
 *   name: %s" (the row's number from 1, the problem)
 * @strength_field: the strength's field in an item, ".model"
 * @strength_format: (not translated) the problem of a row's strength
 * @row_format: (not translated) any other problem of a row
 *
 * How the problems of a list of items are said: the strings are marked
 * with N_() and translated when said.
 */
typedef struct {
  const char *prefix;
  const char *title;
  const char *name_format;
  const char *strength_field;
  const char *strength_format;
  const char *row_format;
} HordeStudioItemRowsProblems;

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
char       *horde_studio_item_rows_describe_problem (GtkListBox                        *list,
                                                     const HordeStudioItemRowsProblems *problems,
                                                     const char                        *path,
                                                     const char                        *problem,
                                                     gboolean                          *touched);

G_END_DECLS

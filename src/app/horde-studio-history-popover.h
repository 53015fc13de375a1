/* horde-studio-history-popover.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_HISTORY_POPOVER (horde_studio_history_popover_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioHistoryPopover, horde_studio_history_popover, HORDE_STUDIO, HISTORY_POPOVER, GtkPopover)

GtkWidget *horde_studio_history_popover_new (void);

G_END_DECLS

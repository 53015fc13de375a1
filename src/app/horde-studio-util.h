/* horde-studio-util.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void horde_studio_dispose_template (GtkWidget *widget,
                                    GType      widget_type);

G_END_DECLS

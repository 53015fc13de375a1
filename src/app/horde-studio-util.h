/* horde-studio-util.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void horde_studio_dispose_template (GtkWidget *widget,
                                    GType      widget_type);
void  horde_studio_template_widget_dispose (GObject  *object);
guint horde_studio_changed_signal_new      (gpointer  klass);
AdwToast *horde_studio_toast_new    (const char *text);
char     *horde_studio_export_name  (const char *prompt);
GFile    *horde_studio_export_folder (void);

const char * const *horde_studio_get_samplers (void);
void                horde_studio_combo_select (AdwComboRow        *row,
                                               const char * const *values,
                                               const char         *value);
GtkWidget          *horde_studio_trigger_word_new (const char        *word);

G_END_DECLS

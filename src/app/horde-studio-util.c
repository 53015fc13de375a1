/* horde-studio-util.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-util.h"

/* For the widgets whose template is one box in a bin layout: clears the
 * template's children, then unparents that box, which no field points to. */
void
horde_studio_dispose_template (GtkWidget *widget,
                               GType      widget_type)
{
  GtkWidget *child;

  gtk_widget_dispose_template (widget, widget_type);
  while ((child = gtk_widget_get_first_child (widget)))
    gtk_widget_unparent (child);
}

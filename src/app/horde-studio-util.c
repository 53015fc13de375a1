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

/* A toast that shows @text as it is: a toast's title is markup, and user
 * names, paths and server words are not */
AdwToast *
horde_studio_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}

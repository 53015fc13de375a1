/* horde-studio-launcher.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void     horde_studio_launcher_open_async        (GtkWidget            *parent,
                                                  GFile                *file,
                                                  GAppInfo             *app,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean horde_studio_launcher_open_finish       (GAsyncResult         *result,
                                                  GError              **error);
void     horde_studio_launcher_show_files_async  (GtkWidget            *parent,
                                                  GPtrArray            *files,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean horde_studio_launcher_show_files_finish (GAsyncResult         *result,
                                                  GError              **error);

void                horde_studio_launcher_open         (GtkWidget       *parent,
                                                        GFile           *file,
                                                        GAppInfo        *app,
                                                        AdwToastOverlay *toasts);
void                horde_studio_launcher_show_files   (GtkWidget       *parent,
                                                        GPtrArray       *files,
                                                        AdwToastOverlay *toasts);
GdkContentProvider *horde_studio_launcher_drag_content (GPtrArray       *files,
                                                        GdkTexture      *texture);

G_END_DECLS

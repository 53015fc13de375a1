/* horde-studio-window.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-compose.h"
#include "horde-studio-gallery-view.h"
#include "horde-studio-job-list.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_WINDOW (horde_studio_window_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioWindow, horde_studio_window, HORDE_STUDIO, WINDOW, AdwApplicationWindow)

typedef struct _HordeStudioApplication HordeStudioApplication;

HordeStudioWindow      *horde_studio_window_new              (HordeStudioApplication *application);
HordeStudioCompose     *horde_studio_window_get_compose      (HordeStudioWindow      *self);
HordeStudioJobList     *horde_studio_window_get_job_list     (HordeStudioWindow      *self);
HordeStudioGalleryView *horde_studio_window_get_gallery_view (HordeStudioWindow      *self);
void                    horde_studio_window_show_page        (HordeStudioWindow      *self,
                                                              const char             *name);
void                    horde_studio_window_set_closing      (HordeStudioWindow      *self);
void                    horde_studio_window_add_toast        (HordeStudioWindow      *self,
                                                              AdwToast               *toast);

G_END_DECLS

/* horde-studio-workers-page.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-connection.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_WORKERS_PAGE (horde_studio_workers_page_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioWorkersPage, horde_studio_workers_page, HORDE_STUDIO, WORKERS_PAGE, GtkWidget)

void        horde_studio_workers_page_setup        (HordeStudioWorkersPage *self,
                                                    HordeClient            *client,
                                                    HordeStudioConnection  *connection,
                                                    GSettings              *settings);
GListModel *horde_studio_workers_page_get_model    (HordeStudioWorkersPage *self);
void        horde_studio_workers_page_show_worker  (HordeStudioWorkersPage *self,
                                                    HordeWorkerDetails     *worker);
void        horde_studio_workers_page_show_section (HordeStudioWorkersPage *self,
                                                    const char             *name);
void        horde_studio_workers_page_refresh      (HordeStudioWorkersPage *self);

G_END_DECLS

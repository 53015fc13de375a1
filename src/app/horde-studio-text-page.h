/* horde-studio-text-page.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

#include "horde-studio-connection.h"
#include "horde-studio-text-history.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_TEXT_PAGE (horde_studio_text_page_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioTextPage, horde_studio_text_page, HORDE_STUDIO, TEXT_PAGE, AdwBin)

void                    horde_studio_text_page_set_client   (HordeStudioTextPage    *self,
                                                             HordeClient            *client,
                                                             HordeStudioConnection  *connection);
void                    horde_studio_text_page_set_history  (HordeStudioTextPage    *self,
                                                             HordeStudioTextHistory *history);
guint                   horde_studio_text_page_get_n_running (HordeStudioTextPage   *self);
HordeTextJob           *horde_studio_text_page_get_job      (HordeStudioTextPage    *self);
char                   *horde_studio_text_trim_story        (const char             *story,
                                                             gint64                  max_context_length,
                                                             gint64                  max_length);

G_END_DECLS

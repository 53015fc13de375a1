/* horde-studio-user-styles.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

#include "horde-studio-json-store.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_USER_STYLES (horde_studio_user_styles_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioUserStyles, horde_studio_user_styles, HORDE_STUDIO, USER_STYLES, HordeStudioJsonStore)

HordeStudioUserStyles          *horde_studio_user_styles_new         (const char            *path);
HordeStudioUserStyles          *horde_studio_user_styles_get_default (void);
gboolean                        horde_studio_user_styles_load        (HordeStudioUserStyles *self,
                                                                      GError               **error);
gboolean                        horde_studio_user_styles_save_style  (HordeStudioUserStyles *self,
                                                                      const char            *name,
                                                                      HordeImageGenerateAsyncRequest *request,
                                                                      GError               **error);
gboolean                        horde_studio_user_styles_remove      (HordeStudioUserStyles *self,
                                                                      const char            *name,
                                                                      GError               **error);
guint                           horde_studio_user_styles_get_n_styles (HordeStudioUserStyles *self);
const char                     *horde_studio_user_styles_get_name    (HordeStudioUserStyles *self,
                                                                      guint                  position);
HordeImageGenerateAsyncRequest *horde_studio_user_styles_get_request (HordeStudioUserStyles *self,
                                                                      guint                  position);

G_END_DECLS

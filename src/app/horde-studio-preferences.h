/* horde-studio-preferences.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-application.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_PREFERENCES (horde_studio_preferences_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioPreferences, horde_studio_preferences, HORDE_STUDIO, PREFERENCES, AdwPreferencesWindow)

GtkWidget *horde_studio_preferences_new (HordeStudioApplication *app);

G_END_DECLS

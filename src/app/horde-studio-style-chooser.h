/* horde-studio-style-chooser.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>
#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_STYLE_CHOOSER (horde_studio_style_chooser_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioStyleChooser, horde_studio_style_chooser, HORDE_STUDIO, STYLE_CHOOSER, AdwWindow)

HordeStudioStyleChooser *horde_studio_style_chooser_new (HordeClient *client);

G_END_DECLS

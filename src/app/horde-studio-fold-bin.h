/* horde-studio-fold-bin.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_FOLD_BIN (horde_studio_fold_bin_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioFoldBin, horde_studio_fold_bin, HORDE_STUDIO, FOLD_BIN, AdwBin)

int            horde_studio_fold_bin_get_fold_width (HordeStudioFoldBin *self);
void           horde_studio_fold_bin_set_fold_width (HordeStudioFoldBin *self,
                                                     int                 fold_width);
GtkOrientable *horde_studio_fold_bin_get_columns    (HordeStudioFoldBin *self);
void           horde_studio_fold_bin_set_columns    (HordeStudioFoldBin *self,
                                                     GtkOrientable      *columns);

G_END_DECLS

/* horde-studio-messages.h: errors of the Horde in words, with what fixes them
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *horde_studio_describe_error (const GError  *error,
                                   char         **hint);

G_END_DECLS

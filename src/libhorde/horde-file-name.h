/* horde-file-name.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib.h>

#include "horde-version-macros.h"

G_BEGIN_DECLS

/**
 * HORDE_FILE_NAME_MAX_BYTES:
 *
 * The longest name, in bytes, that [func@Horde.sanitize_file_name]
 * returns: short enough that a number and an extension added to it still
 * fit the 255-byte limit of every common file system.
 */
#define HORDE_FILE_NAME_MAX_BYTES 128

HORDE_AVAILABLE_IN_ALL
char *horde_sanitize_file_name (const char *text,
                                gssize      length);

G_END_DECLS

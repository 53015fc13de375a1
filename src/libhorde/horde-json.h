/* horde-json.h: JSON text as libhorde reads and writes it
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "horde-version-macros.h"

G_BEGIN_DECLS

HORDE_AVAILABLE_IN_ALL
char *horde_json_node_to_string (JsonNode  *node,
                                 GError   **error);

HORDE_AVAILABLE_IN_ALL
JsonNode *horde_json_node_from_string (const char  *data,
                                       gssize       length,
                                       GError     **error);

G_END_DECLS

/* horde-json-private.h: JSON helpers shared by the models and the client
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *horde_json_parse  (const char  *data,
                             gssize       length,
                             GError     **error);
gboolean  horde_json_equal  (JsonNode    *a,
                             JsonNode    *b);

/* horde-model-reader.c */
JsonNode *horde_json_read   (const char  *data,
                             gsize        length,
                             GError     **error);

G_END_DECLS

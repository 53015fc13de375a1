/* horde-json-private.h: JSON helpers shared by the models and the client
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "horde-json.h"

G_BEGIN_DECLS

/* How deep arrays and objects may nest in JSON that libhorde reads (and so
 * in JSON it writes, which it must be able to read back) */
#define HORDE_JSON_MAX_DEPTH 512

/* room for any double horde_json_format_double() writes, and its nul */
#define HORDE_JSON_DOUBLE_BUF_SIZE G_ASCII_DTOSTR_BUF_SIZE

JsonNode *horde_json_parse  (const char  *data,
                             gssize       length,
                             GError     **error);
gboolean  horde_json_equal  (JsonNode    *a,
                             JsonNode    *b);

typedef enum {
  HORDE_JSON_OK,
  HORDE_JSON_NOT_FINITE,
  HORDE_JSON_NOT_UTF8,
  HORDE_JSON_TOO_DEEP,
} HordeJsonProblem;

HordeJsonProblem horde_json_check        (JsonNode *node,
                                          guint     max_depth,
                                          GString  *path);
GError *         horde_json_check_error  (JsonNode *node);

/* horde-model-reader.c */
JsonNode *horde_json_read   (const char  *data,
                             gsize        length,
                             GError     **error);

/* horde-model-writer.c */
void      horde_json_write_node     (GString    *out,
                                     JsonNode   *node);
gsize     horde_json_format_double  (char        buf[HORDE_JSON_DOUBLE_BUF_SIZE],
                                     double      d);

G_END_DECLS

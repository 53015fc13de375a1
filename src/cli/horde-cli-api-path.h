/* horde-cli-api-path.h: how `horde api` reads METHOD and PATH?query
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Kept apart from the command so that the fuzz target of tests/fuzz/
 * compiles the very same parsing.
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

char                 **horde_cli_api_split_path      (const char   *path);
gboolean               horde_cli_api_split_target    (const char   *target,
                                                      char        **path,
                                                      GHashTable  **query_params,
                                                      GError      **error);
const HordeOperation  *horde_cli_api_match_operation (const char   *method,
                                                      const char   *path,
                                                      GHashTable   *path_params);
void                   horde_cli_api_add_params      (GHashTable   *params,
                                                      GHashTable   *query_params);

G_END_DECLS

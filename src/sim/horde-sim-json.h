/* horde-sim-json.h: small json-glib helpers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode   *horde_sim_json_parse          (const char  *data,
                                           gsize        length,
                                           GError     **error);
char       *horde_sim_json_to_string      (JsonNode    *node);
char       *horde_sim_json_repr           (JsonNode    *node);
const char *horde_sim_json_type_name      (JsonNode    *node);
JsonNode   *horde_sim_json_lookup         (JsonNode    *root,
                                           const char  *dotted_path);
char      **horde_sim_json_dup_strv       (JsonObject  *object,
                                           const char  *member);
JsonNode   *horde_sim_json_strv_node      (const char * const *strv);
JsonNode   *horde_sim_json_error_node     (const char  *rc,
                                           const char  *message);
double      horde_sim_json_number         (JsonNode    *node,
                                           double       fallback);

/* Shorthands for building objects member by member. */
void        horde_sim_json_set_string     (JsonObject  *object,
                                           const char  *member,
                                           const char  *value);
void        horde_sim_json_set_time       (JsonObject  *object,
                                           const char  *member,
                                           double       unix_time);
JsonObject *horde_sim_json_add_object     (JsonObject  *object,
                                           const char  *member);
JsonArray  *horde_sim_json_add_array      (JsonObject  *object,
                                           const char  *member);

G_END_DECLS

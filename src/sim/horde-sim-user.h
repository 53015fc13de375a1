/* horde-sim-user.h: a registered (or the anonymous) user
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "horde-sim-types.h"

G_BEGIN_DECLS

#define HORDE_SIM_ANONYMOUS_KEY "0000000000"
#define HORDE_SIM_USER_CONCURRENCY 30
#define HORDE_SIM_ANONYMOUS_CONCURRENCY 10

#define HORDE_SIM_TYPE_USER (horde_sim_user_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimUser, horde_sim_user, HORDE_SIM, USER, GObject)

HordeSimUser *horde_sim_user_parse           (JsonNode      *node,
                                              gint64         default_id,
                                              GError       **error);
HordeSimUser *horde_sim_user_new_anonymous   (void);

const char   *horde_sim_user_get_key         (HordeSimUser  *self);
gint64        horde_sim_user_get_id          (HordeSimUser  *self);
gboolean      horde_sim_user_is_anonymous    (HordeSimUser  *self);
char         *horde_sim_user_dup_alias       (HordeSimUser  *self);
gboolean      horde_sim_user_is_moderator    (HordeSimUser  *self);
double        horde_sim_user_get_kudos       (HordeSimUser  *self);
guint         horde_sim_user_get_concurrency (HordeSimUser  *self);
void          horde_sim_user_add_kudos       (HordeSimUser  *self,
                                              double         delta);
void          horde_sim_user_record_request  (HordeSimUser  *self,
                                              HordeSimKind   kind);
void          horde_sim_user_record_usage    (HordeSimUser  *self,
                                              double         megapixelsteps,
                                              gint64         tokens);
JsonNode     *horde_sim_user_to_json         (HordeSimUser  *self,
                                              const char * const *active_ids[HORDE_SIM_N_KINDS]);

G_END_DECLS

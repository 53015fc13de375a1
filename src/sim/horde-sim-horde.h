/* horde-sim-horde.h: the simulated horde (users, workers, queue, scheduler)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "horde-sim-config.h"
#include "horde-sim-faults.h"
#include "horde-sim-request.h"
#include "horde-sim-user.h"
#include "horde-sim-worker.h"

G_BEGIN_DECLS

#define HORDE_SIM_TYPE_HORDE (horde_sim_horde_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimHorde, horde_sim_horde, HORDE_SIM, HORDE, GObject)

HordeSimHorde    *horde_sim_horde_new                (const HordeSimConfig *config,
                                                      HordeSimFaults       *faults);
void              horde_sim_horde_set_base_url       (HordeSimHorde        *self,
                                                      const char           *base_url);
void              horde_sim_horde_shutdown           (HordeSimHorde        *self);

gboolean          horde_sim_horde_load_users         (HordeSimHorde        *self,
                                                      const char           *path,
                                                      GError              **error);
HordeSimUser     *horde_sim_horde_add_user           (HordeSimHorde        *self,
                                                      JsonNode             *node,
                                                      GError              **error);
HordeSimUser     *horde_sim_horde_lookup_user        (HordeSimHorde        *self,
                                                      const char           *key);
HordeSimUser     *horde_sim_horde_lookup_user_id     (HordeSimHorde        *self,
                                                      gint64                id);
JsonNode         *horde_sim_horde_user_to_json       (HordeSimHorde        *self,
                                                      HordeSimUser         *user);

GPtrArray        *horde_sim_horde_get_workers        (HordeSimHorde        *self);
HordeSimWorker   *horde_sim_horde_lookup_worker      (HordeSimHorde        *self,
                                                      const char           *id,
                                                      const char           *name);

guint32           horde_sim_horde_next_seed          (HordeSimHorde        *self);
guint             horde_sim_horde_count_waiting      (HordeSimHorde        *self,
                                                      HordeSimUser         *user,
                                                      HordeSimKind          kind);
gboolean          horde_sim_horde_can_serve          (HordeSimHorde        *self,
                                                      HordeSimRequest      *request);
void              horde_sim_horde_submit             (HordeSimHorde        *self,
                                                      HordeSimRequest      *request);
HordeSimRequest  *horde_sim_horde_lookup             (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      const char           *id);
JsonNode         *horde_sim_horde_poll               (HordeSimHorde        *self,
                                                      HordeSimRequest      *request,
                                                      gboolean              full);
JsonNode         *horde_sim_horde_cancel             (HordeSimHorde        *self,
                                                      HordeSimRequest      *request);
HordeSimJobStats *horde_sim_horde_get_stats          (HordeSimHorde        *self,
                                                      const char           *id);

void              horde_sim_horde_set_paused         (HordeSimHorde        *self,
                                                      gboolean              paused);
gboolean          horde_sim_horde_get_paused         (HordeSimHorde        *self);

guint             horde_sim_horde_r2_fetch           (HordeSimHorde        *self,
                                                      const char           *file,
                                                      GHashTable           *query,
                                                      gboolean              force_expired,
                                                      GBytes              **bytes,
                                                      const char          **error_code,
                                                      const char          **request_id);

JsonNode         *horde_sim_horde_models_to_json     (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      const char           *name);
JsonNode         *horde_sim_horde_performance_to_json (HordeSimHorde       *self);
JsonNode         *horde_sim_horde_jobs_to_json       (HordeSimHorde        *self);

G_END_DECLS

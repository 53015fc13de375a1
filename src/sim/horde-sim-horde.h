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

/* What a worker's submit did (the real server's rc in comments). */
typedef enum {
  HORDE_SIM_SUBMIT_OK,
  HORDE_SIM_SUBMIT_FAULTED,      /* accepted; the generation waits again */
  HORDE_SIM_SUBMIT_UNKNOWN,      /* InvalidJobID */
  HORDE_SIM_SUBMIT_WRONG_USER,   /* WrongCredentials */
  HORDE_SIM_SUBMIT_DUPLICATE,    /* DuplicateGen */
  HORDE_SIM_SUBMIT_ABORTED,      /* AbortedGen */
} HordeSimSubmitResult;

/* An external worker's submit, as read from its payload. */
typedef struct {
  const char *state;             /* ok, censored, faulted, csam */
  gboolean    r2;                /* the image went to the upload URL */
  GBytes     *image;             /* else the decoded base64 */
  const char *b64;               /* and the base64 as sent */
  const char *text;
  JsonNode   *result;            /* alchemy */
  gboolean    has_seed;
  guint32     seed;
  JsonNode   *gen_metadata;
} HordeSimSubmission;

#define HORDE_SIM_TYPE_HORDE (horde_sim_horde_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimHorde, horde_sim_horde, HORDE_SIM, HORDE, GObject)

HordeSimHorde    *horde_sim_horde_new                (const HordeSimConfig *config,
                                                      HordeSimFaults       *faults);
void              horde_sim_horde_set_base_url       (HordeSimHorde        *self,
                                                      const char           *base_url);
const char       *horde_sim_horde_get_base_url       (HordeSimHorde        *self);
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
                                                      HordeSimUser         *user,
                                                      gboolean              self_view);

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
JsonNode         *horde_sim_horde_cached_check       (HordeSimHorde        *self,
                                                      const char           *path);
void              horde_sim_horde_cache_check        (HordeSimHorde        *self,
                                                      const char           *path,
                                                      JsonNode             *answer);
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
                                                      const char          **content_type,
                                                      const char          **error_code,
                                                      const char          **request_id);
guint             horde_sim_horde_r2_upload          (HordeSimHorde        *self,
                                                      const char           *file,
                                                      GHashTable           *query,
                                                      const char           *content_type,
                                                      GBytes               *body,
                                                      gboolean              force_expired,
                                                      const char          **error_code,
                                                      const char          **request_id);

HordeSimWorker   *horde_sim_horde_check_in_worker    (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      const char           *name,
                                                      HordeSimUser         *user,
                                                      const char          **rc);
GPtrArray        *horde_sim_horde_pop                (HordeSimHorde        *self,
                                                      HordeSimWorker       *worker,
                                                      guint                 amount,
                                                      JsonObject           *skipped);
HordeSimBridge    horde_sim_horde_bridge_capabilities (HordeSimHorde       *self,
                                                      const char          *bridge_agent);
gboolean          horde_sim_horde_bridge_can_r2      (HordeSimHorde        *self,
                                                      const char           *bridge_agent);
int               horde_sim_horde_get_job_ttl        (HordeSimHorde        *self);
char             *horde_sim_horde_upload_url         (HordeSimHorde        *self,
                                                      const char           *id);
char             *horde_sim_horde_source_url         (HordeSimHorde        *self,
                                                      HordeSimRequest      *request);
HordeSimSubmitResult horde_sim_horde_submit_job      (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      HordeSimUser         *user,
                                                      const char           *id,
                                                      const HordeSimSubmission *submission,
                                                      double               *reward,
                                                      const char          **worker_name);
gboolean          horde_sim_horde_has_job            (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      const char           *id);
JsonNode         *horde_sim_horde_external_to_json   (HordeSimHorde        *self);

JsonNode         *horde_sim_horde_models_to_json     (HordeSimHorde        *self,
                                                      HordeSimKind          kind,
                                                      const char           *name);
JsonNode         *horde_sim_horde_performance_to_json (HordeSimHorde       *self);
JsonNode         *horde_sim_horde_jobs_to_json       (HordeSimHorde        *self);
JsonNode         *horde_sim_horde_stats_totals_to_json (HordeSimHorde      *self,
                                                        HordeSimKind        kind);
JsonNode         *horde_sim_horde_stats_models_to_json (HordeSimHorde      *self,
                                                        HordeSimKind        kind,
                                                        const char         *model_state);

G_END_DECLS

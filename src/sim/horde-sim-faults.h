/* horde-sim-faults.h: fault injection rules
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it */
#define HORDE_SIM_STATUS_TOO_MANY_REQUESTS 429

typedef enum {
  /* answer-level: applied by the server to a matching HTTP request */
  HORDE_SIM_FAULT_STATUS,
  HORDE_SIM_FAULT_HTML,
  HORDE_SIM_FAULT_LATENCY,
  HORDE_SIM_FAULT_DROP,
  HORDE_SIM_FAULT_STALL,
  HORDE_SIM_FAULT_MALFORMED,
  HORDE_SIM_FAULT_TRUNCATE,
  /* job-level: applied by the scheduler, matched against the path of the
   * request that queued the job (or of the r2 download) */
  HORDE_SIM_FAULT_WORKER_RESTART,
  HORDE_SIM_FAULT_WORKER_FAULT,
  HORDE_SIM_FAULT_CORRUPT_IMAGE,
  HORDE_SIM_FAULT_EXPIRE_R2,
} HordeSimFaultAction;

typedef struct {
  HordeSimFaultAction  action;
  int                  arg;          /* status code or milliseconds */
  char                *method;       /* NULL: any */
  char                *glob;         /* NULL: any API request */
  int                  count;        /* -1: unlimited */
  int                  after;
  char                *rc;
  char                *message;
  int                  retry_after;  /* -1: no Retry-After header */
  guint                seen;
  guint                fired;
  char                *text;
  GPatternSpec        *pattern;
} HordeSimFaultRule;

#define HORDE_SIM_TYPE_FAULTS (horde_sim_faults_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimFaults, horde_sim_faults, HORDE_SIM, FAULTS, GObject)

HordeSimFaults          *horde_sim_faults_new           (void);
gboolean                 horde_sim_faults_add           (HordeSimFaults      *self,
                                                         const char          *spec,
                                                         GError             **error);
void                     horde_sim_faults_clear         (HordeSimFaults      *self);
JsonNode                *horde_sim_faults_to_json       (HordeSimFaults      *self);
const HordeSimFaultRule *horde_sim_faults_match_request (HordeSimFaults      *self,
                                                         const char          *method,
                                                         const char          *path,
                                                         gboolean             is_api,
                                                         guint               *latency_ms);
gboolean                 horde_sim_faults_match_job     (HordeSimFaults      *self,
                                                         HordeSimFaultAction  action,
                                                         const char          *method,
                                                         const char          *path);
char                    *horde_sim_fault_rule_dup_rc    (const HordeSimFaultRule *rule);
char                    *horde_sim_fault_rule_dup_message (const HordeSimFaultRule *rule);
const char              *horde_sim_status_phrase        (guint                    status);

G_END_DECLS

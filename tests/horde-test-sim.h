/* horde-test-sim.h: run horde-sim for a test
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libhorde.h>

G_BEGIN_DECLS

typedef struct _HordeTestSim HordeTestSim;

/* Starts $HORDE_SIM on 127.0.0.1, a free port, with the given extra
 * arguments (NULL-terminated); fails the test if it does not come up. */
HordeTestSim *horde_test_sim_start       (const char   *first_arg,
                                          ...);
const char   *horde_test_sim_get_url     (HordeTestSim *sim);
void          horde_test_sim_set_faults  (HordeTestSim *sim,
                                          const char   *spec);
void          horde_test_sim_control     (HordeTestSim *sim,
                                          const char   *json);
JsonNode     *horde_test_sim_stats       (HordeTestSim *sim);
gint64        horde_test_sim_count       (HordeTestSim *sim,
                                          const char   *route);
gint64        horde_test_sim_job_count   (HordeTestSim *sim,
                                          const char   *job_id,
                                          const char   *kind);
void          horde_test_sim_stop        (HordeTestSim *sim);

/* A temporary users file for --users holding @json; the caller unlinks
 * and frees the path */
char         *horde_test_write_users     (const char   *json);

/* Sends @body (and the path parameter id, when given) to METHOD PATH with
 * @client; the typed answer is in @answer */
void          horde_test_send_op         (HordeClient  *client,
                                          const char   *method,
                                          const char   *path,
                                          const char   *body,
                                          const char   *id,
                                          GValue       *answer);

/* A client of the sim (no API key set: the anonymous one) */
HordeClient  *horde_test_sim_new_client  (HordeTestSim *sim);

/* Runs the default main context until @done is TRUE or @seconds pass */
gboolean      horde_test_wait_for        (gboolean     *done,
                                          guint         seconds);

/* How a job's run ended: pass horde_test_run_done() and a HordeTestRun to
 * horde_job_run_async(), then wait for @done */
typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} HordeTestRun;

void          horde_test_run_done        (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeTestSim, horde_test_sim_stop)

G_END_DECLS

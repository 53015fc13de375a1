/* horde-sim-config.h: the simulator's command line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int       port;            /* 0: any free port */
  char     *host;            /* address to bind, default 127.0.0.1 */
  gboolean  allow_remote;
  int       workers;         /* simulated image workers */
  int       text_workers;    /* simulated text workers */
  int       alchemy_workers; /* simulated alchemy (interrogation) workers */
  double    job_ttl;         /* seconds an external worker has for a popped job */
  double    speed;           /* divides every simulated duration */
  int       job_time_ms;     /* fixed time per job; -1: estimate from the job */
  guint64   seed;
  gboolean  seed_set;
  char     *faults;
  char     *log_path;
  char     *users_path;
  double    expiry;          /* seconds a request lives after its last pickup or payment */
  double    r2_ttl;          /* seconds an r2 download URL stays valid */
  gboolean  sfw_workers;     /* every simulated image worker has nsfw false */
  char    **r2_bridge_agents; /* more bridge agent names known to upload to R2 */
  double    check_cache;     /* seconds /generate/check answers are cached */
  gboolean  no_rate_limits;
  gboolean  version;
} HordeSimConfig;

void     horde_sim_config_init  (HordeSimConfig  *config);
void     horde_sim_config_clear (HordeSimConfig  *config);
gboolean horde_sim_config_parse (HordeSimConfig  *config,
                                 int             *argc,
                                 char          ***argv,
                                 GError         **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HordeSimConfig, horde_sim_config_clear)

G_END_DECLS

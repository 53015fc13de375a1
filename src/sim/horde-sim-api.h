/* horde-sim-api.h: the /api routes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "horde-sim-call.h"
#include "horde-sim-horde.h"

G_BEGIN_DECLS

/* The real server's rate limits (flask-limiter), by route. */
typedef enum {
  HORDE_SIM_RATE_DEFAULT,        /* 90 per minute, per route */
  HORDE_SIM_RATE_GENERATE,       /* 2 per second, per path */
  HORDE_SIM_RATE_CHECK,          /* 10 per second, per path */
  HORDE_SIM_RATE_STATUS,         /* 10 per minute, per path */
  HORDE_SIM_RATE_TEXT_STATUS,    /* 60 per minute, per path */
  HORDE_SIM_RATE_ALCHEMY_STATUS, /* 10 per second, per path */
  HORDE_SIM_RATE_WORKER,         /* 60 per second, per route */
} HordeSimRateClass;

typedef void (*HordeSimHandler) (HordeSimHorde *horde,
                                 HordeSimCall  *call,
                                 gconstpointer  data);

typedef struct {
  const char        *method;
  const char        *template;
  HordeSimRateClass  rate;
  HordeSimHandler    handler;
  gconstpointer      data;
} HordeSimRoute;

const HordeSimRoute *horde_sim_api_match      (const char         *method,
                                               const char         *path,
                                               GStrv              *params,
                                               gboolean           *other_method);
void                 horde_sim_api_rate_limit (HordeSimRateClass   rate,
                                               guint              *limit,
                                               guint              *period_seconds,
                                               gboolean           *per_path);

/* horde-sim-api.c, for the generate handlers */
HordeSimUser        *horde_sim_api_require_user (HordeSimHorde    *horde,
                                                 HordeSimCall     *call);
JsonObject          *horde_sim_api_lookup_style (const char       *id_or_name);
GBytes              *horde_sim_api_style_example (const char      *file);

/* horde-sim-api-generate.c */
const char          *horde_sim_api_model_baseline (const char     *model);
void horde_sim_api_generate_async  (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);
void horde_sim_api_generate_check  (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);
void horde_sim_api_generate_status (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);
void horde_sim_api_generate_cancel (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);

/* horde-sim-api-worker.c */
void horde_sim_api_worker_pop      (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);
void horde_sim_api_worker_submit   (HordeSimHorde *horde,
                                    HordeSimCall  *call,
                                    gconstpointer  data);

G_END_DECLS

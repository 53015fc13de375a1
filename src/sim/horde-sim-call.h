/* horde-sim-call.h: one HTTP request being answered
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "horde-sim-request.h"

G_BEGIN_DECLS

typedef struct {
  /* the request */
  SoupServerMessage *msg;
  char              *method;
  char              *path;
  GHashTable        *query;
  GStrv              params;       /* path parameters of the matched route */
  char              *route;        /* "GET /api/v2/generate/check/{id}" */
  char              *apikey;
  char              *client;       /* remote address */
  GBytes            *body;
  JsonNode          *json;         /* body, once parsed */
  gint64             started_us;
  double             started_at;

  /* the answer */
  guint              status;
  JsonNode          *reply;
  GBytes            *raw;
  char              *content_type;
  int                retry_after;  /* seconds, -1: no Retry-After */
  char              *job_id;
  HordeSimJobStats  *noticed;      /* answered done=true for a finished job */
} HordeSimCall;

HordeSimCall *horde_sim_call_new              (SoupServerMessage *msg,
                                               const char        *path,
                                               GHashTable        *query);
void          horde_sim_call_free             (HordeSimCall      *call);
const char   *horde_sim_call_get_param        (HordeSimCall      *call,
                                               guint              index);
const char   *horde_sim_call_get_query        (HordeSimCall      *call,
                                               const char        *name);
JsonNode     *horde_sim_call_get_json         (HordeSimCall      *call);
void          horde_sim_call_set_job          (HordeSimCall      *call,
                                               const char        *job_id);
void          horde_sim_call_reply            (HordeSimCall      *call,
                                               guint              status,
                                               JsonNode          *reply);
void          horde_sim_call_reply_error      (HordeSimCall      *call,
                                               guint              status,
                                               const char        *rc,
                                               const char        *format,
                                               ...) G_GNUC_PRINTF (4, 5);
void          horde_sim_call_reply_validation (HordeSimCall      *call,
                                               JsonObject        *errors);
void          horde_sim_call_reply_raw        (HordeSimCall      *call,
                                               guint              status,
                                               const char        *content_type,
                                               GBytes            *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeSimCall, horde_sim_call_free)

G_END_DECLS

/* horde-sim-request.h: a queued request and its generations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "horde-sim-types.h"
#include "horde-sim-user.h"
#include "horde-sim-worker.h"

G_BEGIN_DECLS

typedef enum {
  HORDE_SIM_GEN_WAITING,
  HORDE_SIM_GEN_PROCESSING,
  HORDE_SIM_GEN_DONE,
  HORDE_SIM_GEN_CANCELLED,
  HORDE_SIM_GEN_FAULTED,
  HORDE_SIM_GEN_N_STATES,
} HordeSimGenState;

typedef struct _HordeSimRequest HordeSimRequest;

/* One image, one text or one alchemy form. */
typedef struct {
  HordeSimRequest  *request;      /* owner, not a reference */
  char             *id;
  guint             index;
  HordeSimGenState  state;
  char             *form;         /* alchemy: the form's name */
  guint32           seed;
  double            kudos;        /* what its worker earns; the requester pays
                                   * horde_sim_request_charge() of it */
  HordeSimWorker   *worker;       /* who does or did it */
  char             *model;
  guint             attempt;      /* bumped at every start */
  guint             aborts;       /* alchemy: the form's abort_count */
  gint64            started_us;   /* PROCESSING: when it was handed out */
  gint64            ends_us;      /* PROCESSING: when its simulated time is up */
  gboolean          time_up;
  gboolean          produced;
  gboolean          will_restart;
  gboolean          was_restarted;
  gboolean          will_fail;
  gboolean          corrupt;
  GBytes           *image;
  char             *b64;          /* the base64 an external worker submitted */
  char             *text;
  JsonNode         *result;       /* alchemy form result */
  gboolean          censored;
  JsonNode         *gen_metadata; /* from an external worker's submit */
  double            finished_at;  /* unix time */
} HordeSimGeneration;

/* Bookkeeping that outlives the request, for /_sim/stats. */
typedef struct {
  HordeSimKind kind;
  double       created;
  double       finished;
  double       noticed;
  guint        checks;
  guint        statuses;
  guint        deletes;
} HordeSimJobStats;

/* The fields are shared by the request, the scheduler (HordeSimHorde) and
 * the handlers that build requests (horde-sim-api-generate.c); everything
 * else goes through functions. */
struct _HordeSimRequest
{
  GObject           parent_instance;

  char             *id;
  HordeSimKind      kind;
  guint64           serial;
  HordeSimUser     *user;
  char             *origin_method;   /* the request that queued it, for job faults */
  char             *origin_path;

  char             *prompt;
  GStrv             models;
  GStrv             workers;
  gboolean          worker_blacklist;
  int               width;
  int               height;
  int               steps;
  gboolean          r2;
  gboolean          nsfw;            /* images: absent means true, like the server */
  gboolean          censor_nsfw;     /* images: absent means true */
  /* images: what decides which worker may take it (the server looks for
   * the params' keys, so an empty "loras" or "tis" list counts) */
  gboolean          has_source;      /* a source_image */
  gboolean          painting;        /* source_processing inpainting or outpainting */
  gboolean          has_loras;
  guint             n_loras;
  gboolean          has_tis;
  guint             n_tis;
  gboolean          control_net;     /* a control_type */
  gboolean          return_control_map;
  guint             n_post_processors;
  gboolean          qr_code;         /* the qr_code workflow */
  gboolean          transparent;     /* Layer Diffuse */
  guint             jobs;            /* the server's WaitingPrompt.jobs, for done */
  int               max_length;
  int               max_context_length;
  GStrv             stop_sequences;
  GBytes           *source;          /* alchemy: the decoded source image */
  JsonNode         *body;            /* the payload as queued, for external workers */
  guint64           source_hash;

  gboolean          slow_workers;    /* absent means true */
  double            kudos;           /* the dry run's figure (and the upfront need) */
  double            wp_kudos;        /* the server's WaitingPrompt.kudos, which a 202 reports */
  double            tax;             /* the horde tax, paid when queued */
  double            consumed;        /* the server's consumed_kudos: the tax, then each charge */
  GPtrArray        *generations;
  guint             restarted;       /* failed attempts (the server's faulted procgens) */
  gboolean          faulted;
  gboolean          cancelled;
  gboolean          possible;
  gint64            touched_us;      /* queued, last pickup or payment, for expiry */
  gint64            eta_us;          /* cached by the scheduler */
  int               queue_position;
  HordeSimJobStats *stats;           /* owned by the horde */
};

#define HORDE_SIM_TYPE_REQUEST (horde_sim_request_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimRequest, horde_sim_request, HORDE_SIM, REQUEST, GObject)

HordeSimRequest    *horde_sim_request_new            (HordeSimKind      kind,
                                                      HordeSimUser     *user);
HordeSimGeneration *horde_sim_request_add_generation (HordeSimRequest  *self,
                                                      guint32           seed,
                                                      const char       *form,
                                                      double            kudos);
guint               horde_sim_request_count          (HordeSimRequest  *self,
                                                      HordeSimGenState  state);
gboolean            horde_sim_request_is_done        (HordeSimRequest  *self);
gboolean            horde_sim_request_accepts        (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker,
                                                      HordeSimGeneration *generation);
gboolean            horde_sim_request_could_accept   (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker,
                                                      HordeSimGeneration *generation);
const char         *horde_sim_request_skip_reason    (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker);
void                horde_sim_request_count_skips    (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker,
                                                      JsonObject       *skipped);
HordeSimGeneration *horde_sim_request_next_waiting   (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker);
const char         *horde_sim_request_pick_model     (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker);
double              horde_sim_request_megapixelsteps (HordeSimRequest  *self);
double              horde_sim_request_charge         (HordeSimRequest  *self,
                                                      double            kudos);
JsonNode           *horde_sim_request_to_json        (HordeSimRequest  *self,
                                                      gboolean          full,
                                                      int               wait_time,
                                                      char           *(*r2_url) (HordeSimGeneration *generation,
                                                                                 gpointer            data),
                                                      gpointer          r2_url_data);

double              horde_sim_kudos_image            (int               width,
                                                      int               height,
                                                      int               steps,
                                                      guint             n_post_processors);
double              horde_sim_kudos_image_full       (int               width,
                                                      int               height,
                                                      int               steps,
                                                      guint             n_post_processors,
                                                      gboolean          control_net,
                                                      guint             n_loras,
                                                      guint             n_tis);
const char         *horde_sim_request_loop_skip      (HordeSimRequest  *self,
                                                      HordeSimWorker   *worker);
double              horde_sim_kudos_text             (int               max_length,
                                                      int               max_context_length);
double              horde_sim_kudos_form             (const char       *form);
double              horde_sim_form_cost              (const char       *form);
gboolean            horde_sim_form_is_post_processor (const char       *form);

G_END_DECLS

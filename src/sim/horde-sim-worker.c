/* horde-sim-worker.c: a simulated worker
 *
 * A worker serves one kind of work (image, text or alchemy) and a list of
 * models (for alchemy: forms), one job at a time, at a fixed speed:
 * megapixelsteps per second for images, tokens per second for text and
 * "form units" per second for alchemy.  The scheduler in HordeSimHorde
 * hands it jobs; this class only holds what it is and what it did.
 *
 * An external worker is a program that serves the queue through the
 * worker API (…/pop and …/submit): it belongs to a registered user, the
 * scheduler never hands it jobs, and every pop updates what it serves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-worker.h"
#include "horde-sim-content.h"
#include "horde-sim-json.h"

#include <math.h>

/* The simulated workers stand for the real reGen bridge: they serve r2
 * requests, which the server gives only to bridges its bridge reference
 * knows (see horde_sim_horde_bridge_can_r2()), so they say so.  A client
 * that judges r2 capability by the agent, as `horde generate` does when a
 * request waits, then reads them as the server does. */
#define BRIDGE_AGENT "AI Horde Worker reGen:9.0.6:horde-sim " HORDE_SIM_VERSION

struct _HordeSimWorker
{
  GObject       parent_instance;

  HordeSimKind  kind;
  char         *id;
  char         *name;
  GStrv         models;
  double        speed;
  gint64        max_pixels;
  int           max_length;
  int           max_context_length;
  gint64        started_us;
  HordeSimUser *owner;          /* external workers only */
  char         *bridge_agent;
  gboolean      nsfw;
  gboolean      r2;             /* its bridge agent can upload to R2 */
  HordeSimAllow allowed;        /* image workers: the allow_* it popped with */
  HordeSimBridge bridge;        /* image workers: what its bridge agent can do */
  gboolean      serves_sdxl;    /* image workers: one of its models is SDXL */
  guint         threads;
  gboolean      maintenance;    /* PUT /v2/workers/{id}, by its owner or a moderator */
  char         *maintenance_msg;
  gboolean      paused;         /* PUT /v2/workers/{id}, by a moderator */

  gpointer      job;

  guint         fulfilled;
  double        kudos;
  double        megapixelsteps;
  gint64        tokens;
};

G_DEFINE_FINAL_TYPE (HordeSimWorker, horde_sim_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_MODELS,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
horde_sim_worker_finalize (GObject *object)
{
  HordeSimWorker *self = HORDE_SIM_WORKER (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->models, g_strfreev);
  g_clear_object (&self->owner);
  g_clear_pointer (&self->bridge_agent, g_free);
  g_clear_pointer (&self->maintenance_msg, g_free);

  G_OBJECT_CLASS (horde_sim_worker_parent_class)->finalize (object);
}

static void
horde_sim_worker_constructed (GObject *object)
{
  HordeSimWorker *self = HORDE_SIM_WORKER (object);

  G_OBJECT_CLASS (horde_sim_worker_parent_class)->constructed (object);

  /* derived from the name, so a worker keeps its id across runs */
  self->id = horde_sim_uuid_from_hash (horde_sim_hash ("worker", self->name, NULL));
}

static void
horde_sim_worker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HordeSimWorker *self = HORDE_SIM_WORKER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_MODELS:
      self->models = g_value_dup_boxed (value);
      break;
    case PROP_SPEED:
      self->speed = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_sim_worker_class_init (HordeSimWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = horde_sim_worker_constructed;
  object_class->set_property = horde_sim_worker_set_property;
  object_class->finalize = horde_sim_worker_finalize;

  properties[PROP_KIND] = g_param_spec_uint ("kind", NULL, NULL, 0, HORDE_SIM_N_KINDS - 1, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_MODELS] = g_param_spec_boxed ("models", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0.001, G_MAXDOUBLE, 1.0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_sim_worker_init (HordeSimWorker *self)
{
  self->started_us = g_get_monotonic_time ();
  self->nsfw = TRUE;
  self->r2 = TRUE;
  /* the simulated workers take everything but SDXL ControlNet, like a
   * current reGen set up for it */
  self->allowed = HORDE_SIM_ALLOW_IMG2IMG | HORDE_SIM_ALLOW_PAINTING | HORDE_SIM_ALLOW_POST_PROCESSING |
                  HORDE_SIM_ALLOW_CONTROLNET | HORDE_SIM_ALLOW_LORA;
  self->bridge = HORDE_SIM_BRIDGE_ALL;
  self->threads = 1;
}

HordeSimWorker *
horde_sim_worker_new (HordeSimKind        kind,
                      const char         *name,
                      const char * const *models,
                      double              speed)
{
  return g_object_new (HORDE_SIM_TYPE_WORKER,
                       "kind", kind,
                       "name", name,
                       "models", models,
                       "speed", speed,
                       NULL);
}

/* An external worker owned by @owner; it serves nothing until it checks in. */
HordeSimWorker *
horde_sim_worker_new_external (HordeSimKind  kind,
                               const char   *name,
                               HordeSimUser *owner,
                               double        speed)
{
  static const char * const none[] = { NULL };
  HordeSimWorker *self = horde_sim_worker_new (kind, name, none, speed);

  self->owner = g_object_ref (owner);
  return self;
}

gboolean
horde_sim_worker_is_external (HordeSimWorker *self)
{
  return self->owner != NULL;
}

HordeSimUser *
horde_sim_worker_get_owner (HordeSimWorker *self)
{
  return self->owner;
}

/* What an external worker says about itself on every pop. */
void
horde_sim_worker_check_in (HordeSimWorker     *self,
                           const char * const *models,
                           const char         *bridge_agent,
                           gboolean            nsfw,
                           guint               threads)
{
  static const char * const none[] = { NULL };

  g_strfreev (self->models);
  self->models = g_strdupv ((char **) (models ? models : none));
  g_free (self->bridge_agent);
  self->bridge_agent = g_strdup (bridge_agent);
  self->nsfw = nsfw;
  self->threads = MAX (1, threads);
}

void
horde_sim_worker_set_limits (HordeSimWorker *self,
                             gint64          max_pixels,
                             int             max_length,
                             int             max_context_length)
{
  self->max_pixels = max_pixels;
  self->max_length = max_length;
  self->max_context_length = max_context_length;
}

const char *
horde_sim_worker_get_id (HordeSimWorker *self)
{
  return self->id;
}

const char *
horde_sim_worker_get_name (HordeSimWorker *self)
{
  return self->name;
}

HordeSimKind
horde_sim_worker_get_kind (HordeSimWorker *self)
{
  return self->kind;
}

double
horde_sim_worker_get_speed (HordeSimWorker *self)
{
  return self->speed;
}

gint64
horde_sim_worker_get_max_pixels (HordeSimWorker *self)
{
  return self->max_pixels;
}

int
horde_sim_worker_get_max_length (HordeSimWorker *self)
{
  return self->max_length;
}

int
horde_sim_worker_get_max_context_length (HordeSimWorker *self)
{
  return self->max_context_length;
}

const char * const *
horde_sim_worker_get_models (HordeSimWorker *self)
{
  return (const char * const *) self->models;
}

gboolean
horde_sim_worker_serves (HordeSimWorker *self,
                         const char     *model_or_form)
{
  return g_strv_contains ((const char * const *) self->models, model_or_form);
}

/* Whether it takes requests that ask for (or allow) NSFW content: a
 * worker with nsfw false never gets a request with nsfw true (the real
 * server's base Worker.can_generate and its pop query). */
gboolean
horde_sim_worker_get_nsfw (HordeSimWorker *self)
{
  return self->nsfw;
}

void
horde_sim_worker_set_nsfw (HordeSimWorker *self,
                           gboolean        nsfw)
{
  self->nsfw = nsfw;
}

const char *
horde_sim_worker_get_bridge_agent (HordeSimWorker *self)
{
  return self->bridge_agent ? self->bridge_agent : BRIDGE_AGENT;
}

/* Whether its bridge agent is known to upload to R2: only such workers
 * get image requests with r2 true (HordeSimHorde decides at check-in). */
gboolean
horde_sim_worker_get_r2 (HordeSimWorker *self)
{
  return self->r2;
}

void
horde_sim_worker_set_r2 (HordeSimWorker *self,
                         gboolean        r2)
{
  self->r2 = r2;
}

HordeSimAllow
horde_sim_worker_get_allowed (HordeSimWorker *self)
{
  return self->allowed;
}

void
horde_sim_worker_set_allowed (HordeSimWorker *self,
                              HordeSimAllow   allowed)
{
  self->allowed = allowed;
}

HordeSimBridge
horde_sim_worker_get_bridge (HordeSimWorker *self)
{
  return self->bridge;
}

void
horde_sim_worker_set_bridge (HordeSimWorker *self,
                             HordeSimBridge  bridge)
{
  self->bridge = bridge;
}

gboolean
horde_sim_worker_allows (HordeSimWorker *self,
                         HordeSimAllow   allow)
{
  return (self->allowed & allow) == allow;
}

gboolean
horde_sim_worker_bridge_can (HordeSimWorker *self,
                             HordeSimBridge  capability)
{
  return (self->bridge & capability) == capability;
}

/* Whether an SDXL model is among what it serves (for the qr_code
 * workflow, which such a worker takes only with allow_sdxl_controlnet);
 * set for external workers at every pop.  The simulated ones leave it
 * false: they take any request, as before. */
gboolean
horde_sim_worker_get_serves_sdxl (HordeSimWorker *self)
{
  return self->serves_sdxl;
}

void
horde_sim_worker_set_serves_sdxl (HordeSimWorker *self,
                                  gboolean        serves_sdxl)
{
  self->serves_sdxl = serves_sdxl;
}

/* The generation being worked on, or NULL when idle (owned by the scheduler). */
gpointer
horde_sim_worker_get_job (HordeSimWorker *self)
{
  return self->job;
}

void
horde_sim_worker_set_job (HordeSimWorker *self,
                          gpointer        job)
{
  self->job = job;
}

void
horde_sim_worker_record_job (HordeSimWorker *self,
                             double          kudos,
                             double          megapixelsteps,
                             gint64          tokens)
{
  self->fulfilled++;
  self->kudos += kudos;
  self->megapixelsteps += megapixelsteps;
  self->tokens += tokens;
}

guint
horde_sim_worker_get_threads (HordeSimWorker *self)
{
  return self->threads;
}

guint
horde_sim_worker_get_fulfilled (HordeSimWorker *self)
{
  return self->fulfilled;
}

gboolean
horde_sim_worker_get_maintenance (HordeSimWorker *self)
{
  return self->maintenance;
}

/* What a pop in maintenance is answered: the server's
 * default_maintenance_msg (horde/classes/base/worker.py), or the owner's
 * own words, cut to the 300 characters its column holds */
const char *
horde_sim_worker_get_maintenance_msg (HordeSimWorker *self)
{
  return self->maintenance_msg ? self->maintenance_msg
                               : "This worker has been put into maintenance mode by its owner";
}

void
horde_sim_worker_set_maintenance (HordeSimWorker *self,
                                  gboolean        maintenance,
                                  const char     *msg)
{
  self->maintenance = maintenance;
  g_clear_pointer (&self->maintenance_msg, g_free);
  if (maintenance && msg != NULL && *msg != '\0' && g_utf8_validate (msg, -1, NULL))
    self->maintenance_msg = g_utf8_substring (msg, 0, MIN (g_utf8_strlen (msg, -1), 300));
}

gboolean
horde_sim_worker_get_paused (HordeSimWorker *self)
{
  return self->paused;
}

void
horde_sim_worker_set_paused (HordeSimWorker *self,
                             gboolean        paused)
{
  self->paused = paused;
}

/* WorkerDetails, shaped like the real server's /v2/workers entries;
 * "paused" only for a moderator's key, as the server's get_details does
 * it (details_privilege 2: horde/classes/base/worker.py) */
JsonNode *
horde_sim_worker_to_json (HordeSimWorker *self,
                          gboolean        moderator)
{
  /* horde/classes/stable/worker.py get_details: img2img and painting
   * only when the bridge can do them too */
  static const struct {
    const char     *name;
    HordeSimAllow   allow;
    HordeSimBridge  bridge;
  } capabilities[] = {
    { "img2img", HORDE_SIM_ALLOW_IMG2IMG, HORDE_SIM_BRIDGE_IMG2IMG },
    { "painting", HORDE_SIM_ALLOW_PAINTING, HORDE_SIM_BRIDGE_INPAINTING },
    { "post-processing", HORDE_SIM_ALLOW_POST_PROCESSING, 0 },
    { "controlnet", HORDE_SIM_ALLOW_CONTROLNET, 0 },
    { "sdxl_controlnet", HORDE_SIM_ALLOW_SDXL_CONTROLNET, 0 },
    { "lora", HORDE_SIM_ALLOW_LORA, 0 },
  };
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  JsonObject *child;
  g_autofree char *performance = NULL;

  json_object_set_int_member (object, "requests_fulfilled", self->fulfilled);
  json_object_set_double_member (object, "kudos_rewards", round (self->kudos * 100) / 100);
  child = horde_sim_json_add_object (object, "kudos_details");
  json_object_set_double_member (child, "generated", round (self->kudos * 100) / 100);
  json_object_set_null_member (child, "uptime");
  switch (self->kind)
    {
    case HORDE_SIM_KIND_IMAGE:
      performance = g_strdup_printf ("%.1f megapixelsteps per second", self->speed);
      break;
    case HORDE_SIM_KIND_TEXT:
      performance = g_strdup_printf ("%.1f tokens per second", self->speed);
      break;
    default:
      performance = g_strdup_printf ("%.1f forms per second", self->speed);
      break;
    }
  json_object_set_string_member (object, "performance", performance);
  json_object_set_int_member (object, "threads", self->threads);
  json_object_set_int_member (object, "uptime", (g_get_monotonic_time () - self->started_us) / G_USEC_PER_SEC);
  json_object_set_boolean_member (object, "maintenance_mode", self->maintenance);
  if (moderator)
    json_object_set_boolean_member (object, "paused", self->paused);
  json_object_set_boolean_member (object, "nsfw", self->nsfw);
  json_object_set_boolean_member (object, "trusted", TRUE);
  json_object_set_boolean_member (object, "flagged", FALSE);
  json_object_set_int_member (object, "uncompleted_jobs", 0);
  if (self->kind == HORDE_SIM_KIND_ALCHEMY)
    {
      json_object_set_member (object, "forms", horde_sim_json_strv_node ((const char * const *) self->models));
      json_object_set_member (object, "models", horde_sim_json_strv_node (NULL));
    }
  else
    json_object_set_member (object, "models", horde_sim_json_strv_node ((const char * const *) self->models));
  child = horde_sim_json_add_object (object, "team");
  json_object_set_null_member (child, "name");
  json_object_set_null_member (child, "id");
  json_object_set_string_member (object, "bridge_agent", horde_sim_worker_get_bridge_agent (self));
  if (self->kind == HORDE_SIM_KIND_IMAGE)
    {
      json_object_set_int_member (object, "max_pixels", self->max_pixels);
      json_object_set_double_member (object, "megapixelsteps_generated", round (self->megapixelsteps * 100) / 100);
      for (guint i = 0; i < G_N_ELEMENTS (capabilities); i++)
        json_object_set_boolean_member (object, capabilities[i].name,
                                        horde_sim_worker_allows (self, capabilities[i].allow) &&
                                        horde_sim_worker_bridge_can (self, capabilities[i].bridge));
    }
  else if (self->kind == HORDE_SIM_KIND_TEXT)
    {
      json_object_set_int_member (object, "max_length", self->max_length);
      json_object_set_int_member (object, "max_context_length", self->max_context_length);
      json_object_set_int_member (object, "tokens_generated", self->tokens);
    }
  json_object_set_string_member (object, "type", horde_sim_kind_to_string (self->kind));
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "id", self->id);
  json_object_set_boolean_member (object, "online", TRUE);

  json_object_unref (object);
  return node;
}

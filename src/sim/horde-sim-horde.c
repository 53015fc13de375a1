/* horde-sim-horde.c: the simulated horde (users, workers, queue, scheduler)
 *
 * Requests wait in one FIFO queue.  Whenever something changes, idle
 * workers take the first waiting generation they can serve (kind, model,
 * size, allow/deny list).  A generation takes a simulated time: --job-time,
 * or steps × megapixels / worker speed (tokens / speed for text, a cost per
 * form for alchemy), all divided by --speed.  Meanwhile its output is
 * produced in a thread; it is done when both the time is up and the output
 * is there.  One timer, armed for the earliest end, drives all workers.
 *
 * Which worker may take what follows the real server: kind, model, size,
 * allow/deny list, nsfw (an image request without it has nsfw true; see
 * horde-sim-request.c) and, for external workers, the r2 capability of
 * their bridge agent (horde/bridge_reference.py, in
 * horde_sim_horde_bridge_can_r2()).  Of the simulated image workers
 * sim-cirrus is SFW, or all of them with --sfw-workers.
 *
 * wait_time follows the server's formula (server_wait_time()), and
 * queue_position is the place among the requests that still wait, as the
 * scheduler's replay of the queue (update_estimates()) finds it.
 *
 * Kudos are charged as the server charges them: the horde tax when a
 * request is queued (request->tax: 3 for images, 1 for text, 0 for
 * alchemy; horde/classes/base/waiting_prompt.py _activate, record_usage
 * with avoid_burn), then each generation when it finishes, or when it is
 * cancelled or expires while running (ProcessingGeneration.record: the
 * burn of horde_sim_request_charge(), of 0 for a censored image), never
 * for what waited or failed.  A cancelled request keeps its tax.  "kudos"
 * in a status is the server's consumed_kudos: an integer column, so the
 * sum is rounded at every addition (charge_generation()).
 * A DELETE (horde_sim_horde_cancel()) leaves image and text generations
 * already running to finish and be charged, as the server does; the
 * request stays until it expires.  /generate/check answers are cached
 * (--check-cache, 1 s like the server's).
 *
 * External workers (programs using the worker API) pop waiting generations
 * themselves: each pop is a job with its own id (the generation takes that
 * id, as the real server's processing generations do), an r2 upload URL on
 * the simulator for images, and --job-ttl seconds to submit before it is
 * aborted and the generation waits again.  The scheduler never hands them
 * work and never simulates their time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-horde.h"
#include "horde-sim-content.h"
#include "horde-sim-image.h"
#include "horde-sim-json.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* horde/database/threads.py check_waiting_prompts: a request with more
 * than 2 faulted generations is faulted */
#define MAX_FAULTED_GENERATIONS 2
/* horde/classes/stable/interrogation.py InterrogationForms.abort: a form
 * aborted when its abort_count is already above 2 is faulted */
#define MAX_FORM_ABORTS 2
#define TEXT_MODEL "koboldcpp/LLaMA2-13B-Psyfighter2"
/* speeds assumed for work no worker can do, to still give a wait_time */
#define NOMINAL_IMAGE_SPEED 2.0
#define NOMINAL_TEXT_SPEED 25.0

static const struct {
  const char *name;
  double      speed;        /* megapixelsteps per second */
  gint64      max_pixels;
  gboolean    nsfw;
  const char *models[4];
} image_presets[] = {
  { "sim-aurora", 3.0, 2048 * 2048, TRUE, { "stable_diffusion", "Deliberate", NULL } },
  { "sim-borealis", 2.0, 1024 * 1024, TRUE, { "Deliberate", "stable_diffusion", "AlbedoBase XL (SDXL)", NULL } },
  /* SFW, so that requests sent without nsfw (true on the server) meet a
   * worker that skips them, as they do on the real Horde */
  { "sim-cirrus", 1.5, 3072 * 3072, FALSE, { "stable_diffusion", "Deliberate", "Realistic Vision", NULL } },
};

/* Bridge agents the server knows can upload to R2, with the first version
 * that can: horde/bridge_reference.py BRIDGE_CAPABILITIES["…"][version]
 * containing "r2".  Any other agent gets only r2:false image requests. */
static const struct {
  const char *name;
  guint       major;
} r2_bridges[] = {
  { "AI Horde Worker reGen", 1 },
  { "AI Horde Worker", 8 },
  { "SD-WebUI Stable Horde Worker Bridge", 1 },
};

/* The image capabilities the pop checks, with the first version of each
 * bridge that has them: horde/bridge_reference.py BRIDGE_CAPABILITIES */
static const struct {
  const char     *name;
  guint           major;
  HordeSimBridge  capabilities;
} bridge_capabilities[] = {
  { "AI Horde Worker reGen", 1, HORDE_SIM_BRIDGE_IMG2IMG | HORDE_SIM_BRIDGE_INPAINTING |
                                HORDE_SIM_BRIDGE_POST_PROCESSING | HORDE_SIM_BRIDGE_CONTROLNET |
                                HORDE_SIM_BRIDGE_IMAGE_IS_CONTROL | HORDE_SIM_BRIDGE_RETURN_CONTROL_MAP },
  { "AI Horde Worker reGen", 2, HORDE_SIM_BRIDGE_LORA | HORDE_SIM_BRIDGE_TEXTUAL_INVERSION },
  { "AI Horde Worker reGen", 7, HORDE_SIM_BRIDGE_QR_CODE },
  { "AI Horde Worker reGen", 8, HORDE_SIM_BRIDGE_LAYER_DIFFUSE },
  { "AI Horde Worker", 3, HORDE_SIM_BRIDGE_IMG2IMG },
  { "AI Horde Worker", 4, HORDE_SIM_BRIDGE_INPAINTING },
  { "AI Horde Worker", 7, HORDE_SIM_BRIDGE_POST_PROCESSING },
  { "AI Horde Worker", 15, HORDE_SIM_BRIDGE_CONTROLNET },
  { "AI Horde Worker", 18, HORDE_SIM_BRIDGE_RETURN_CONTROL_MAP },
  { "AI Horde Worker", 22, HORDE_SIM_BRIDGE_LORA },
  { "AI Horde Worker", 23, HORDE_SIM_BRIDGE_IMAGE_IS_CONTROL },
  { "AI Horde Worker", 24, HORDE_SIM_BRIDGE_TEXTUAL_INVERSION },
  { "SD-WebUI Stable Horde Worker Bridge", 1, HORDE_SIM_BRIDGE_INPAINTING },
  /* its "painting" is no capability the server checks */
  { "HordeAutoWebBridge", 1, HORDE_SIM_BRIDGE_IMG2IMG },
};

static const char * const alchemy_forms[] = {
  "caption", "interrogation", "nsfw", "GFPGAN", "RealESRGAN_x4plus", "RealESRGAN_x2plus",
  "RealESRGAN_x4plus_anime_6B", "NMKD_Siax", "4x_AnimeSharp", "CodeFormers", "strip_background",
  NULL
};

typedef struct {
  gint64       time_us;
  HordeSimKind kind;
  double       amount;      /* megapixelsteps or tokens */
} RecentWork;

/* One finished image or text, kept for the life of the horde so that
 * /v2/stats can answer from what really happened rather than from a
 * window that forgets.  A few dozen bytes each: even the load tests' many
 * thousands stay small. */
typedef struct {
  gint64       time_us;     /* real time, as the server's "finished" */
  HordeSimKind kind;
  const char  *model;       /* interned */
  gint64       amount;      /* pixelsteps (width × height × steps) or tokens */
  double       per_second;  /* amount / seconds it took: the server's ModelPerformance */
} FinishedWork;

typedef enum {
  JOB_PROCESSING,
  JOB_DONE,
  JOB_FAULTED,              /* submitted as faulted, or aborted when stale */
} JobState;

/* A generation popped by an external worker ("processing generation"). */
typedef struct {
  char               *id;
  HordeSimKind        kind;
  JobState            state;
  HordeSimWorker     *worker;
  HordeSimRequest    *request;     /* ref while processing */
  HordeSimGeneration *generation;  /* owned by request */
  guint               attempt;
  gint64              deadline_us;
  GBytes             *upload;
} ExternalJob;

/* What external workers did, per kind, for /_sim/stats. */
typedef struct {
  guint pops;                /* pops that got work */
  guint empty_pops;
  guint jobs;                /* generations handed out */
  guint submits;             /* accepted ok / censored / csam */
  guint faulted;             /* accepted faulted */
  guint rejected;            /* unknown, duplicate, aborted, wrong user */
  guint aborted;             /* stale jobs taken back */
  guint uploads;
  guint rejected_uploads;
  double rewards;
} ExternalStats;

struct _HordeSimHorde
{
  GObject               parent_instance;

  const HordeSimConfig *config;         /* only during construction */
  HordeSimFaults       *faults;
  GRand                *rand;
  double                speed;
  int                   job_time_ms;
  gint64                expiry_us;
  gint64                r2_ttl_us;
  gint64                job_ttl_us;
  gboolean              limits;
  GStrv                 r2_agents;      /* --r2-bridge-agent */
  gint64                check_cache_us;
  GHashTable           *check_cache;    /* path → CachedCheck */
  char                 *base_url;
  guint64               r2_secret;

  GPtrArray            *users;
  GHashTable           *users_by_key;   /* borrowed from users */
  GPtrArray            *workers;

  GHashTable           *requests;       /* id → HordeSimRequest */
  GQueue                queue;          /* unfinished requests, oldest first (refs) */
  GHashTable           *generations;    /* id → HordeSimGeneration, borrowed */
  GHashTable           *stats;          /* id → HordeSimJobStats */
  GHashTable           *jobs;           /* id → ExternalJob */
  ExternalStats         external[HORDE_SIM_N_KINDS];
  guint64               next_serial;

  gboolean              paused;
  gboolean              eta_valid;
  gboolean              shutting_down;
  guint                 schedule_id;
  guint                 timer_id;
  gint64                timer_due_us;
  guint                 sweep_id;
  guint                 producing;      /* outputs being made in threads */
  GQueue                recent;         /* RecentWork of the past minute */
  GArray               *finished;       /* FinishedWork, oldest first */
};

G_DEFINE_FINAL_TYPE (HordeSimHorde, horde_sim_horde, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_FAULTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_soon (HordeSimHorde *self);
static void rearm_timer (HordeSimHorde *self);
static void abort_stale_jobs (HordeSimHorde *self,
                              gint64         now);

/* A /generate/check answer as the server's cache keeps it. */
typedef struct {
  gint64    time_us;
  JsonNode *answer;
} CachedCheck;

static void
cached_check_free (CachedCheck *cached)
{
  json_node_unref (cached->answer);
  g_free (cached);
}

static void
external_job_free (ExternalJob *job)
{
  g_free (job->id);
  g_clear_object (&job->worker);
  g_clear_object (&job->request);
  g_clear_pointer (&job->upload, g_bytes_unref);
  g_free (job);
}

static void
horde_sim_horde_dispose (GObject *object)
{
  HordeSimHorde *self = HORDE_SIM_HORDE (object);

  horde_sim_horde_shutdown (self);
  g_queue_clear_full (&self->queue, g_object_unref);
  g_queue_clear_full (&self->recent, g_free);
  g_clear_pointer (&self->generations, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->stats, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->check_cache, g_hash_table_unref);
  g_clear_pointer (&self->finished, g_array_unref);
  g_clear_pointer (&self->users_by_key, g_hash_table_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_object (&self->faults);

  G_OBJECT_CLASS (horde_sim_horde_parent_class)->dispose (object);
}

static void
horde_sim_horde_finalize (GObject *object)
{
  HordeSimHorde *self = HORDE_SIM_HORDE (object);

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->r2_agents, g_strfreev);

  G_OBJECT_CLASS (horde_sim_horde_parent_class)->finalize (object);
}

static void create_workers (HordeSimHorde        *self,
                            const HordeSimConfig *config);
static gboolean sweep_cb (gpointer data);

/* Applies the command line: seed, timing, limits and workers. */
static void
horde_sim_horde_constructed (GObject *object)
{
  HordeSimHorde *self = HORDE_SIM_HORDE (object);
  const HordeSimConfig *config = self->config;
  double sweep_seconds = MIN (1.0, config->expiry / 4);

  G_OBJECT_CLASS (horde_sim_horde_parent_class)->constructed (object);

  self->rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32) config->seed,
                                                              (guint32) (config->seed >> 32) }, 2);
  self->speed = config->speed;
  self->job_time_ms = config->job_time_ms;
  self->expiry_us = (gint64) (config->expiry * G_USEC_PER_SEC);
  self->r2_ttl_us = (gint64) (config->r2_ttl * G_USEC_PER_SEC);
  self->job_ttl_us = (gint64) (config->job_ttl * G_USEC_PER_SEC);
  self->limits = !config->no_rate_limits;
  self->r2_agents = g_strdupv (config->r2_bridge_agents);
  self->check_cache_us = (gint64) (config->check_cache * G_USEC_PER_SEC);
  create_workers (self, config);
  self->sweep_id = g_timeout_add (MAX (20, (guint) (sweep_seconds * 1000)), sweep_cb, self);
  self->config = NULL;
}

static void
horde_sim_horde_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HordeSimHorde *self = HORDE_SIM_HORDE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_get_pointer (value);
      break;
    case PROP_FAULTS:
      self->faults = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_sim_horde_class_init (HordeSimHordeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = horde_sim_horde_constructed;
  object_class->set_property = horde_sim_horde_set_property;
  object_class->dispose = horde_sim_horde_dispose;
  object_class->finalize = horde_sim_horde_finalize;

  /* a const HordeSimConfig *, read at construction */
  properties[PROP_CONFIG] = g_param_spec_pointer ("config", NULL, NULL, flags);
  properties[PROP_FAULTS] = g_param_spec_object ("faults", NULL, NULL, HORDE_SIM_TYPE_FAULTS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_sim_horde_init (HordeSimHorde *self)
{
  self->users = g_ptr_array_new_with_free_func (g_object_unref);
  self->users_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->workers = g_ptr_array_new_with_free_func (g_object_unref);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->generations = g_hash_table_new (g_str_hash, g_str_equal);
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) external_job_free);
  self->check_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_check_free);
  g_queue_init (&self->queue);
  g_queue_init (&self->recent);
  self->finished = g_array_new (FALSE, FALSE, sizeof (FinishedWork));
  self->base_url = g_strdup ("http://127.0.0.1");
  self->r2_secret = ((guint64) g_random_int () << 32) | g_random_int ();
  g_ptr_array_add (self->users, horde_sim_user_new_anonymous ());
  g_hash_table_insert (self->users_by_key, HORDE_SIM_ANONYMOUS_KEY, g_ptr_array_index (self->users, 0));
}

/* "sim-scribe", "sim-scribe-2", … */
static char *
numbered_name (const char *base,
               guint       i)
{
  return i == 0 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, i + 1);
}

static void
create_workers (HordeSimHorde        *self,
                const HordeSimConfig *config)
{
  static const char * const text_models[] = { TEXT_MODEL, NULL };
  guint n_image = (guint) config->workers;
  HordeSimWorker *worker;

  for (guint i = 0; i < n_image; i++)
    {
      guint preset = i % G_N_ELEMENTS (image_presets);
      g_autofree char *name = i < G_N_ELEMENTS (image_presets)
        ? g_strdup (image_presets[preset].name)
        : g_strdup_printf ("%s-%u", image_presets[preset].name, i / (guint) G_N_ELEMENTS (image_presets) + 1);

      worker = horde_sim_worker_new (HORDE_SIM_KIND_IMAGE, name, image_presets[preset].models,
                                     image_presets[preset].speed);
      horde_sim_worker_set_limits (worker, image_presets[preset].max_pixels, 0, 0);
      horde_sim_worker_set_nsfw (worker, image_presets[preset].nsfw && !config->sfw_workers);
      g_ptr_array_add (self->workers, worker);
    }

  for (guint i = 0; i < (guint) config->text_workers; i++)
    {
      g_autofree char *name = numbered_name ("sim-scribe", i);

      worker = horde_sim_worker_new (HORDE_SIM_KIND_TEXT, name, text_models, 25.0);
      horde_sim_worker_set_limits (worker, 0, 512, 8192);
      g_ptr_array_add (self->workers, worker);
    }

  for (guint i = 0; i < (guint) config->alchemy_workers; i++)
    {
      g_autofree char *name = numbered_name ("sim-alchemist", i);

      g_ptr_array_add (self->workers, horde_sim_worker_new (HORDE_SIM_KIND_ALCHEMY, name, alchemy_forms, 1.0));
    }
}

HordeSimHorde *
horde_sim_horde_new (const HordeSimConfig *config,
                     HordeSimFaults       *faults)
{
  return g_object_new (HORDE_SIM_TYPE_HORDE,
                       "config", config,
                       "faults", faults,
                       NULL);
}

/* "http://127.0.0.1:PORT": where r2 download URLs point */
void
horde_sim_horde_set_base_url (HordeSimHorde *self,
                              const char    *base_url)
{
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
}

/* The root the sim's own URLs start with, "http://127.0.0.1:PORT" */
const char *
horde_sim_horde_get_base_url (HordeSimHorde *self)
{
  return self->base_url;
}

/* Stops every timer and waits for the outputs still being produced. */
void
horde_sim_horde_shutdown (HordeSimHorde *self)
{
  self->shutting_down = TRUE;
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  while (self->producing > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- users ---------------------------------------------------------- */

HordeSimUser *
horde_sim_horde_add_user (HordeSimHorde  *self,
                          JsonNode       *node,
                          GError        **error)
{
  gint64 next_id = 1;
  g_autoptr(HordeSimUser) user = NULL;

  for (guint i = 0; i < self->users->len; i++)
    next_id = MAX (next_id, horde_sim_user_get_id (g_ptr_array_index (self->users, i)) + 1);
  user = horde_sim_user_parse (node, next_id, error);
  if (user == NULL)
    return NULL;
  if (g_hash_table_contains (self->users_by_key, horde_sim_user_get_key (user)) ||
      horde_sim_horde_lookup_user_id (self, horde_sim_user_get_id (user)) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "a user with this key or id (%" G_GINT64_FORMAT ") already exists",
                   horde_sim_user_get_id (user));
      return NULL;
    }
  g_hash_table_insert (self->users_by_key, (gpointer) horde_sim_user_get_key (user), user);
  g_ptr_array_add (self->users, g_object_ref (user));
  return user;
}

gboolean
horde_sim_horde_load_users (HordeSimHorde  *self,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  JsonArray *array;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  root = horde_sim_json_parse (contents, length, error);
  if (root == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: expected a JSON array of users", path);
      return FALSE;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (horde_sim_horde_add_user (self, json_array_get_element (array, i), error) == NULL)
      {
        g_prefix_error (error, "%s: user %u: ", path, i);
        return FALSE;
      }
  return TRUE;
}

HordeSimUser *
horde_sim_horde_lookup_user (HordeSimHorde *self,
                             const char    *key)
{
  return key ? g_hash_table_lookup (self->users_by_key, key) : NULL;
}

HordeSimUser *
horde_sim_horde_lookup_user_id (HordeSimHorde *self,
                                gint64         id)
{
  for (guint i = 0; i < self->users->len; i++)
    if (horde_sim_user_get_id (g_ptr_array_index (self->users, i)) == id)
      return g_ptr_array_index (self->users, i);
  return NULL;
}

/* UserDetails with the ids of the user's unfinished requests, and, for
 * the user's own key (or a moderator's: @self_view), the ids of the
 * workers the user runs: the server gives worker_ids only then, or when
 * the user made their workers public, which the simulator's users do not
 * (horde/classes/base/user.py get_details, details_privilege >= 1) */
JsonNode *
horde_sim_horde_user_to_json (HordeSimHorde *self,
                              HordeSimUser  *user,
                              gboolean       self_view)
{
  JsonObject *object;
  JsonArray *worker_ids;
  gint64 worker_count = 0;
  GPtrArray *ids[HORDE_SIM_N_KINDS];
  const char * const *active[HORDE_SIM_N_KINDS];
  JsonNode *node;

  for (guint kind = 0; kind < HORDE_SIM_N_KINDS; kind++)
    ids[kind] = g_ptr_array_new ();
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      HordeSimRequest *request = l->data;

      if (request->user == user)
        g_ptr_array_add (ids[request->kind], request->id);
    }
  for (guint kind = 0; kind < HORDE_SIM_N_KINDS; kind++)
    {
      g_ptr_array_add (ids[kind], NULL);
      active[kind] = (const char * const *) ids[kind]->pdata;
    }
  node = horde_sim_user_to_json (user, active);
  for (guint kind = 0; kind < HORDE_SIM_N_KINDS; kind++)
    g_ptr_array_unref (ids[kind]);

  object = json_node_get_object (node);
  worker_ids = json_array_new ();
  for (guint i = 0; i < self->workers->len; i++)
    {
      HordeSimWorker *worker = g_ptr_array_index (self->workers, i);

      if (horde_sim_worker_get_owner (worker) != user)
        continue;
      worker_count++;
      json_array_add_string_element (worker_ids, horde_sim_worker_get_id (worker));
    }
  json_object_set_int_member (object, "worker_count", worker_count);
  if (self_view)
    json_object_set_array_member (object, "worker_ids", worker_ids);
  else
    {
      json_object_remove_member (object, "worker_ids");
      json_array_unref (worker_ids);
    }
  return node;
}

/* ---- workers -------------------------------------------------------- */

GPtrArray *
horde_sim_horde_get_workers (HordeSimHorde *self)
{
  return self->workers;
}

/* By id, or by name (case-insensitive) */
HordeSimWorker *
horde_sim_horde_lookup_worker (HordeSimHorde *self,
                               const char    *id,
                               const char    *name)
{
  for (guint i = 0; i < self->workers->len; i++)
    {
      HordeSimWorker *worker = g_ptr_array_index (self->workers, i);

      if (id != NULL && g_str_equal (id, horde_sim_worker_get_id (worker)))
        return worker;
      if (name != NULL && g_ascii_strcasecmp (name, horde_sim_worker_get_name (worker)) == 0)
        return worker;
    }
  return NULL;
}

/* ---- queue ---------------------------------------------------------- */

guint32
horde_sim_horde_next_seed (HordeSimHorde *self)
{
  return g_rand_int (self->rand);
}

/* Generations of @user's requests of @kind still waiting for a worker;
 * 0 when limits are off. */
guint
horde_sim_horde_count_waiting (HordeSimHorde *self,
                               HordeSimUser  *user,
                               HordeSimKind   kind)
{
  guint count = 0;

  if (!self->limits)
    return 0;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      HordeSimRequest *request = l->data;

      if (request->user == user && request->kind == kind)
        count += horde_sim_request_count (request, HORDE_SIM_GEN_WAITING);
    }
  return count;
}

/* Whether, for each generation, some worker could do it: the server's
 * wp_has_valid_workers, which checks nsfw but not the r2 capability. */
gboolean
horde_sim_horde_can_serve (HordeSimHorde   *self,
                           HordeSimRequest *request)
{
  for (guint g = 0; g < request->generations->len; g++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (request->generations, g);
      gboolean served = FALSE;

      for (guint w = 0; w < self->workers->len && !served; w++)
        served = horde_sim_request_could_accept (request, g_ptr_array_index (self->workers, w), generation);
      if (!served)
        return FALSE;
    }
  return TRUE;
}

static void
state_changed (HordeSimHorde *self)
{
  self->eta_valid = FALSE;
  schedule_soon (self);
}

void
horde_sim_horde_submit (HordeSimHorde   *self,
                        HordeSimRequest *request)
{
  HordeSimJobStats *stats = g_new0 (HordeSimJobStats, 1);

  request->serial = ++self->next_serial;
  request->possible = horde_sim_horde_can_serve (self, request);
  request->consumed = round (request->tax);
  request->touched_us = g_get_monotonic_time ();
  stats->kind = request->kind;
  stats->created = g_get_real_time () / (double) G_USEC_PER_SEC;
  g_hash_table_insert (self->stats, g_strdup (request->id), stats);
  request->stats = stats;

  g_hash_table_insert (self->requests, request->id, g_object_ref (request));
  g_queue_push_tail (&self->queue, g_object_ref (request));
  for (guint i = 0; i < request->generations->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (request->generations, i);

      g_hash_table_insert (self->generations, generation->id, generation);
    }
  horde_sim_user_add_kudos (request->user, -request->tax);
  horde_sim_user_record_request (request->user, request->kind);
  state_changed (self);
}

static void
leave_queue (HordeSimHorde   *self,
             HordeSimRequest *request)
{
  if (g_queue_remove (&self->queue, request))
    g_object_unref (request);
}

/* Takes a generation away from its worker: the worker is free again. */
static void
release_worker (HordeSimHorde      *self,
                HordeSimGeneration *generation)
{
  if (generation->worker != NULL && horde_sim_worker_get_job (generation->worker) == generation)
    horde_sim_worker_set_job (generation->worker, NULL);
  rearm_timer (self);
}

/* The requester pays for @generation (ProcessingGeneration.record →
 * WaitingPrompt.record_usage): the burn of what its worker earns, or of 0
 * for a censored one (adjust_user_kudos), so a censored image still costs
 * the 1 of burn.  The user pays the exact amount; consumed_kudos, an
 * integer column, is stored rounded at each addition (PostgreSQL rounds
 * halves away from zero): two images of 8.5 after a tax of 3 read 12,
 * then 21, while the user paid 20.  Like WaitingPrompt.refresh(), it
 * also keeps the request from expiring. */
static void
charge_generation (HordeSimRequest    *request,
                   HordeSimGeneration *generation)
{
  double charge = horde_sim_request_charge (request, generation->censored ? 0 : generation->kudos);

  horde_sim_user_add_kudos (request->user, -charge);
  request->consumed = round (request->consumed + round (charge * 100) / 100);
  request->touched_us = g_get_monotonic_time ();
}

/* Ends every generation that has not finished: waiting ones cost nothing,
 * running ones are taken from their workers (and, like on the real server,
 * still cost their kudos unless @refund_running). */
static void
stop_generations (HordeSimHorde    *self,
                  HordeSimRequest  *request,
                  HordeSimGenState  state,
                  gboolean          refund_running)
{
  for (guint i = 0; i < request->generations->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (request->generations, i);

      if (generation->state == HORDE_SIM_GEN_PROCESSING)
        {
          release_worker (self, generation);
          if (!refund_running)
            charge_generation (request, generation);
        }
      else if (generation->state != HORDE_SIM_GEN_WAITING)
        continue;
      generation->state = state;
    }
  leave_queue (self, request);
  state_changed (self);
}

static void
forget_request (HordeSimHorde   *self,
                HordeSimRequest *request)
{
  for (guint i = 0; i < request->generations->len; i++)
    g_hash_table_remove (self->generations, ((HordeSimGeneration *) g_ptr_array_index (request->generations, i))->id);
  g_hash_table_remove (self->requests, request->id);
}

static gboolean
is_expired (HordeSimHorde   *self,
            HordeSimRequest *request,
            gint64           now_us)
{
  return now_us - request->touched_us > self->expiry_us;
}

static void
expire_request (HordeSimHorde   *self,
                HordeSimRequest *request)
{
  g_debug ("request %s expired", request->id);
  stop_generations (self, request, HORDE_SIM_GEN_CANCELLED, FALSE);
  forget_request (self, request);
}

/* The request, unless it does not exist, is of another kind or expired. */
HordeSimRequest *
horde_sim_horde_lookup (HordeSimHorde *self,
                        HordeSimKind   kind,
                        const char    *id)
{
  HordeSimRequest *request = g_hash_table_lookup (self->requests, id);

  if (request == NULL || request->kind != kind)
    return NULL;
  if (is_expired (self, request, g_get_monotonic_time ()))
    {
      expire_request (self, request);
      return NULL;
    }
  return request;
}

HordeSimJobStats *
horde_sim_horde_get_stats (HordeSimHorde *self,
                           const char    *id)
{
  return g_hash_table_lookup (self->stats, id);
}

/* ---- durations and estimates ---------------------------------------- */

static gint64
duration_us (HordeSimHorde      *self,
             HordeSimRequest    *request,
             HordeSimGeneration *generation,
             HordeSimWorker     *worker)
{
  double seconds;

  if (self->job_time_ms >= 0)
    seconds = self->job_time_ms / 1000.0;
  else
    switch (request->kind)
      {
      case HORDE_SIM_KIND_IMAGE:
        seconds = horde_sim_request_megapixelsteps (request) /
                  (worker ? horde_sim_worker_get_speed (worker) : NOMINAL_IMAGE_SPEED);
        break;
      case HORDE_SIM_KIND_TEXT:
        seconds = request->max_length / (worker ? horde_sim_worker_get_speed (worker) : NOMINAL_TEXT_SPEED);
        break;
      default:
        seconds = horde_sim_form_cost (generation->form) / (worker ? horde_sim_worker_get_speed (worker) : 1.0);
        break;
      }
  return MAX (1000, (gint64) (seconds / self->speed * G_USEC_PER_SEC));
}

/* Replays the scheduling policy on the queue to know when each request
 * will be done, and where it stands in the queue. */
static void
update_estimates (HordeSimHorde *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree gint64 *free_at = NULL;
  int positions[HORDE_SIM_N_KINDS] = { 0 };

  if (self->eta_valid)
    return;
  free_at = g_new (gint64, self->workers->len);
  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimGeneration *job = horde_sim_worker_get_job (g_ptr_array_index (self->workers, w));

      free_at[w] = job ? MAX (now, job->ends_us) : now;
    }

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      HordeSimRequest *request = l->data;
      gboolean waiting = FALSE;
      gint64 eta = now;

      for (guint g = 0; g < request->generations->len; g++)
        {
          HordeSimGeneration *generation = g_ptr_array_index (request->generations, g);
          int best = -1;

          if (generation->state == HORDE_SIM_GEN_PROCESSING)
            eta = MAX (eta, generation->ends_us);
          if (generation->state != HORDE_SIM_GEN_WAITING)
            continue;
          waiting = TRUE;
          for (guint w = 0; w < self->workers->len; w++)
            if ((best < 0 || free_at[w] < free_at[best]) &&
                horde_sim_request_accepts (request, g_ptr_array_index (self->workers, w), generation))
              best = (int) w;
          if (best >= 0)
            {
              free_at[best] += duration_us (self, request, generation, g_ptr_array_index (self->workers, best));
              eta = MAX (eta, free_at[best]);
            }
          else
            eta = MAX (eta, now + duration_us (self, request, generation, NULL));
        }
      request->eta_us = eta;
      request->queue_position = waiting ? ++positions[request->kind] : 0;
    }
  self->eta_valid = TRUE;
}

static char *
r2_signature (HordeSimHorde *self,
              const char    *generation_id,
              gint64         expires_ms)
{
  g_autofree char *secret = g_strdup_printf ("%" G_GUINT64_FORMAT, self->r2_secret);
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT, expires_ms);

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x", horde_sim_hash (secret, generation_id, expires, NULL));
}

/* A presigned-style download URL, valid for --r2-ttl from now. */
static char *
r2_url (HordeSimGeneration *generation,
        gpointer            data)
{
  HordeSimHorde *self = data;
  gint64 expires_ms = (g_get_real_time () + self->r2_ttl_us) / 1000;
  g_autofree char *signature = r2_signature (self, generation->id, expires_ms);

  return g_strdup_printf ("%s/r2/%s.webp?expires=%" G_GINT64_FORMAT "&signature=%s",
                          self->base_url, generation->id, expires_ms, signature);
}

/* wait_time by the server's formula (horde/classes/base/waiting_prompt.py
 * get_status with horde/database/functions.py get_wp_queue_stats and
 * get_request_avg): the things queued up to and including this request
 * (megapixelsteps; text tokens go through the same divisor of a million,
 * so a text queue counts for nearly nothing, as on the server), divided
 * by the average performance of workers with a history times the active
 * workers (at most one per queued generation) — 1 thing per second when
 * that is 0, as on a fresh horde — plus the longest time left of the
 * generations running, rounded like Python's round().  So a small request
 * with nobody to serve it or on a fresh horde says 0. */
static int
server_wait_time (HordeSimHorde   *self,
                  HordeSimRequest *request,
                  gint64           now)
{
  double queued_things = 0, performance = 0, per_second, wait = 0, left = 0;
  guint queued_n = 0, threads = 0, with_history = 0;
  gboolean found = FALSE;

  if (horde_sim_request_count (request, HORDE_SIM_GEN_WAITING) > 0)
    for (GList *l = self->queue.head; l != NULL && !found; l = l->next)
      {
        HordeSimRequest *ahead = l->data;
        guint waiting = horde_sim_request_count (ahead, HORDE_SIM_GEN_WAITING);
        double things;

        if (ahead->kind != request->kind || ahead->faulted || waiting == 0)
          continue;
        things = ahead->kind == HORDE_SIM_KIND_IMAGE ? horde_sim_request_megapixelsteps (ahead)
                                                     : ahead->max_length / 1e6;
        queued_things += round (things * waiting * 100) / 100;
        queued_n += waiting;
        found = ahead == request;
      }
  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimWorker *worker = g_ptr_array_index (self->workers, w);

      if (horde_sim_worker_get_kind (worker) != request->kind)
        continue;
      threads++;
      if (horde_sim_worker_get_fulfilled (worker) > 0)
        {
          performance += horde_sim_worker_get_speed (worker) * self->speed;
          with_history++;
        }
    }
  threads = MIN (threads, queued_n);
  per_second = with_history > 0 ? performance / with_history * threads : 0;
  if (per_second == 0)
    per_second = 1;
  if (found)
    wait = queued_things / per_second;
  for (guint i = 0; i < request->generations->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (request->generations, i);

      if (generation->state == HORDE_SIM_GEN_PROCESSING)
        left = MAX (left, (generation->ends_us - now) / (double) G_USEC_PER_SEC);
    }
  return (int) nearbyint (wait + left);
}

/* A poll answers the request's status; unlike what the spec's "live for
 * 10 minutes" suggests, it does not refresh its expiry: the server moves
 * WaitingPrompt.expiry only when a worker picks up a generation or one is
 * paid for (horde/classes/base/waiting_prompt.py refresh(), called by
 * _start_generation and record_usage).  is_possible is the server's
 * "has_valid_workers or processing > 0". */
JsonNode *
horde_sim_horde_poll (HordeSimHorde   *self,
                      HordeSimRequest *request,
                      gboolean         full)
{
  gint64 now = g_get_monotonic_time ();

  update_estimates (self);
  request->possible = horde_sim_horde_can_serve (self, request) ||
                      horde_sim_request_count (request, HORDE_SIM_GEN_PROCESSING) > 0;
  return horde_sim_request_to_json (request, full, server_wait_time (self, request, now), r2_url, self);
}

/* n = 0: what waits will never run (it was never paid); what runs goes on. */
static void
cancel_waiting (HordeSimHorde   *self,
                HordeSimRequest *request)
{
  for (guint i = 0; i < request->generations->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (request->generations, i);

      if (generation->state == HORDE_SIM_GEN_WAITING)
        generation->state = HORDE_SIM_GEN_CANCELLED;
    }
  if (horde_sim_request_count (request, HORDE_SIM_GEN_PROCESSING) == 0)
    leave_queue (self, request);
  state_changed (self);
}

/* The /generate/check answer cached for @path less than --check-cache
 * seconds ago (a copy), or NULL.  The server caches that route for 1 s
 * (horde/apis/v2/stable.py ImageAsyncCheck.get, @cache.cached(timeout=1),
 * keyed by the path alone): for that long every client sees the same
 * answer, even after a DELETE or the request's end.  /status and the text
 * and alchemy routes are not cached. */
JsonNode *
horde_sim_horde_cached_check (HordeSimHorde *self,
                              const char    *path)
{
  CachedCheck *cached = g_hash_table_lookup (self->check_cache, path);

  if (cached == NULL || g_get_monotonic_time () - cached->time_us >= self->check_cache_us)
    return NULL;
  return json_node_copy (cached->answer);
}

void
horde_sim_horde_cache_check (HordeSimHorde *self,
                             const char    *path,
                             JsonNode      *answer)
{
  CachedCheck *cached;

  if (self->check_cache_us <= 0)
    return;
  cached = g_new0 (CachedCheck, 1);
  cached->time_us = g_get_monotonic_time ();
  cached->answer = json_node_copy (answer);
  g_hash_table_replace (self->check_cache, g_strdup (path), cached);
}

/* Cancels what has not finished.  Like the real server, images and text
 * answer with the status as it was just before the cancel (with the
 * finished generations) and keep the request with n = 0
 * (horde/apis/v2/stable.py ImageAsyncStatus.delete: "wp.n = 0; wp.jobs =
 * finished"; kobold.py TextAsyncStatus.delete: only "wp.n = 0"): a
 * generation already running is still finished by its worker, charged and
 * served by /status, and the request is found (done once nothing runs,
 * see horde_sim_request_is_done()) until it expires.  Alchemy cancels
 * every form, settling the running ones as charged
 * (horde/classes/stable/interrogation.py cancel), and answers with the
 * forms as cancelled. */
JsonNode *
horde_sim_horde_cancel (HordeSimHorde   *self,
                        HordeSimRequest *request)
{
  g_autoptr(JsonNode) before = NULL;

  if (request->kind != HORDE_SIM_KIND_ALCHEMY)
    before = horde_sim_horde_poll (self, request, TRUE);
  if (request->kind == HORDE_SIM_KIND_ALCHEMY)
    {
      if (!horde_sim_request_is_done (request))
        {
          request->cancelled = TRUE;
          stop_generations (self, request, HORDE_SIM_GEN_CANCELLED, FALSE);
        }
    }
  else if (!request->faulted)
    {
      request->cancelled = TRUE;
      if (request->kind == HORDE_SIM_KIND_IMAGE)
        request->jobs = horde_sim_request_count (request, HORDE_SIM_GEN_DONE);
      cancel_waiting (self, request);
    }
  if (before != NULL)
    return g_steal_pointer (&before);
  return horde_sim_horde_poll (self, request, TRUE);
}

/* ---- running generations -------------------------------------------- */

typedef struct {
  HordeSimRequest    *request;
  HordeSimGeneration *generation;
  guint               attempt;
  HordeSimKind        kind;
  char               *prompt;
  char               *seed;
  char               *model;
  int                 width;
  int                 height;
  int                 max_length;
  GStrv               stop_sequences;
  gboolean            corrupt;
  guint64             salt;
  GBytes             *image;
  char               *text;
} Production;

static void
production_free (Production *production)
{
  g_clear_object (&production->request);
  g_free (production->prompt);
  g_free (production->seed);
  g_free (production->model);
  g_strfreev (production->stop_sequences);
  g_clear_pointer (&production->image, g_bytes_unref);
  g_free (production->text);
  g_free (production);
}

static void
produce_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Production *production = task_data;

  if (production->kind == HORDE_SIM_KIND_TEXT)
    production->text = horde_sim_content_text (production->prompt, (guint32) g_ascii_strtoull (production->seed, NULL, 10),
                                               production->max_length,
                                               (const char * const *) production->stop_sequences);
  else if (production->corrupt)
    production->image = horde_sim_image_junk (production->salt);
  else if (production->width > 0)
    production->image = horde_sim_image_render (production->prompt, production->seed,
                                                production->width, production->height,
                                                production->model);
  g_task_return_boolean (task, TRUE);
}

static void finish_generation (HordeSimHorde      *self,
                               HordeSimGeneration *generation);

static void
produced_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HordeSimHorde *self = HORDE_SIM_HORDE (source_object);
  Production *production = g_task_get_task_data (G_TASK (result));
  HordeSimGeneration *generation = production->generation;

  self->producing--;
  if (self->shutting_down ||
      generation->attempt != production->attempt ||
      generation->state != HORDE_SIM_GEN_PROCESSING)
    return;
  generation->image = g_steal_pointer (&production->image);
  generation->text = g_steal_pointer (&production->text);
  generation->produced = TRUE;
  if (generation->time_up)
    finish_generation (self, generation);
}

/* Post-processors give an image of the source's size, 2× or 4× for upscalers. */
static void
alchemy_image_size (HordeSimRequest *request,
                    const char      *form,
                    int             *width,
                    int             *height)
{
  int factor = strstr (form, "x4") || strstr (form, "4x") ? 4 : strstr (form, "x2") || strstr (form, "2x") ? 2 : 1;

  if (request->source == NULL || !horde_sim_image_probe (request->source, width, height))
    *width = *height = 512;
  *width = MIN (*width * factor, 2048);
  *height = MIN (*height * factor, 2048);
}

static void
start_production (HordeSimHorde      *self,
                  HordeSimGeneration *generation)
{
  HordeSimRequest *request = generation->request;
  Production *production = g_new0 (Production, 1);
  g_autoptr(GTask) task = NULL;

  production->request = g_object_ref (request);
  production->generation = generation;
  production->attempt = generation->attempt;
  production->kind = request->kind;
  production->prompt = g_strdup (generation->censored ? "censored" : request->prompt);
  production->seed = g_strdup_printf ("%u", generation->censored ? 0 : generation->seed);
  production->model = g_strdup (generation->model);
  production->corrupt = generation->corrupt;
  production->salt = horde_sim_hash (generation->id, NULL);
  production->max_length = request->max_length;
  production->stop_sequences = g_strdupv (request->stop_sequences);
  if (request->kind == HORDE_SIM_KIND_IMAGE)
    {
      production->width = request->width;
      production->height = request->height;
    }
  else if (request->kind == HORDE_SIM_KIND_ALCHEMY && horde_sim_form_is_post_processor (generation->form))
    {
      g_autofree char *source = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", request->source_hash);

      alchemy_image_size (request, generation->form, &production->width, &production->height);
      g_free (production->prompt);
      production->prompt = g_strdup_printf ("%s of %s", generation->form, source);
    }

  task = g_task_new (self, NULL, produced_cb, NULL);
  g_task_set_source_tag (task, start_production);
  g_task_set_task_data (task, production, (GDestroyNotify) production_free);
  self->producing++;
  g_task_run_in_thread (task, produce_in_thread);
}

static gboolean
job_fault (HordeSimHorde      *self,
           HordeSimRequest    *request,
           HordeSimFaultAction action)
{
  return horde_sim_faults_match_job (self->faults, action, request->origin_method, request->origin_path);
}

/* The simulated workers "accidentally" draw NSFW content when the prompt
 * has the word "nsfw" in it; a request that is not nsfw and keeps
 * censor_nsfw (both absent: nsfw true, so no) then gets the censor's
 * placeholder, marked censored with the workers' censorship metadata, as
 * the server's use_nsfw_censor asks of a real worker. */
static gboolean
would_censor (HordeSimRequest *request)
{
  g_autofree char *prompt = NULL;

  if (request->kind != HORDE_SIM_KIND_IMAGE || request->nsfw || !request->censor_nsfw || request->prompt == NULL)
    return FALSE;
  prompt = g_ascii_strdown (request->prompt, -1);
  return strstr (prompt, "nsfw") != NULL;
}

static void
start_generation (HordeSimHorde      *self,
                  HordeSimWorker     *worker,
                  HordeSimGeneration *generation)
{
  HordeSimRequest *request = generation->request;
  gint64 now = g_get_monotonic_time ();

  generation->state = HORDE_SIM_GEN_PROCESSING;
  g_set_object (&generation->worker, worker);
  g_free (generation->model);
  generation->model = g_strdup (horde_sim_request_pick_model (request, worker));
  generation->attempt++;
  generation->time_up = FALSE;
  generation->produced = FALSE;
  /* a generation is dropped at most once by worker-restart, then completes */
  generation->will_restart = !generation->was_restarted &&
                             job_fault (self, request, HORDE_SIM_FAULT_WORKER_RESTART);
  generation->was_restarted |= generation->will_restart;
  generation->will_fail = !generation->will_restart && job_fault (self, request, HORDE_SIM_FAULT_WORKER_FAULT);
  generation->corrupt = !generation->will_restart && !generation->will_fail &&
                        request->kind != HORDE_SIM_KIND_TEXT &&
                        job_fault (self, request, HORDE_SIM_FAULT_CORRUPT_IMAGE);
  generation->started_us = now;
  generation->ends_us = now + duration_us (self, request, generation, worker);
  generation->censored = would_censor (request);
  g_clear_pointer (&generation->gen_metadata, json_node_unref);
  if (generation->censored)
    generation->gen_metadata = json_from_string ("[{\"type\": \"censorship\", \"value\": \"nsfw\"}]", NULL);
  horde_sim_worker_set_job (worker, generation);
  request->touched_us = now;
  if (!generation->will_restart && !generation->will_fail)
    start_production (self, generation);
  self->eta_valid = FALSE;
}

static void
fault_request (HordeSimHorde   *self,
               HordeSimRequest *request)
{
  g_message ("request %s faulted after %u failed generations", request->id, request->restarted);
  request->faulted = TRUE;
  request->stats->finished = g_get_real_time () / (double) G_USEC_PER_SEC;
  stop_generations (self, request, HORDE_SIM_GEN_FAULTED, TRUE);
}

/* An attempt at @generation failed: its worker reported it (@reported: a
 * faulted submit, the simulated worker-fault) or never answered (a job
 * past its ttl, the simulated worker-restart).  As on the server, the
 * attempt is a faulted processing generation, counted in "restarted", and
 * costs nothing (ProcessingGeneration.abort).  Whether the generation
 * waits again:
 *  - image, reported: only while the request's finished plus faulted
 *    generations (before this one) are fewer than its jobs
 *    (horde/classes/stable/processing_generation.py
 *    _set_generation_inner: "if count_finished_jobs() < jobs: n += 1"),
 *    so a one-image request whose worker fails twice ends done, not
 *    faulted, with no image and restarted 2;
 *  - text, reported: always (kobold/processing_generation.py);
 *  - not reported: always (threads.py check_waiting_prompts: abort,
 *    n += 1);
 *  - alchemy: the form waits again until its fourth abort, which faults
 *    it (InterrogationForms.abort), and the request is never faulted.
 * More than 2 faulted generations fault an image or text request (the
 * server's periodic check; the simulator does it at once). */
static void
retry_generation (HordeSimHorde      *self,
                  HordeSimGeneration *generation,
                  gboolean            reported)
{
  HordeSimRequest *request = generation->request;
  gboolean again = TRUE;

  release_worker (self, generation);
  g_clear_object (&generation->worker);
  if (request->kind == HORDE_SIM_KIND_ALCHEMY)
    {
      again = generation->aborts <= MAX_FORM_ABORTS;
      if (again)
        generation->aborts++;
    }
  else if (reported && request->kind == HORDE_SIM_KIND_IMAGE)
    again = horde_sim_request_count (request, HORDE_SIM_GEN_DONE) + request->restarted < request->jobs;
  if (request->kind != HORDE_SIM_KIND_ALCHEMY)
    request->restarted++;
  generation->state = again ? HORDE_SIM_GEN_WAITING : HORDE_SIM_GEN_FAULTED;
  if (request->cancelled)
    {
      /* n is 0: nobody takes it again */
      cancel_waiting (self, request);
      return;
    }
  if (request->kind != HORDE_SIM_KIND_ALCHEMY && request->restarted > MAX_FAULTED_GENERATIONS)
    {
      fault_request (self, request);
      return;
    }
  if (horde_sim_request_is_done (request))
    {
      request->stats->finished = g_get_real_time () / (double) G_USEC_PER_SEC;
      leave_queue (self, request);
    }
  state_changed (self);
}

static void
record_recent (HordeSimHorde *self,
               HordeSimKind   kind,
               double         amount)
{
  RecentWork *work = g_new (RecentWork, 1);

  work->time_us = g_get_monotonic_time ();
  work->kind = kind;
  work->amount = amount;
  g_queue_push_tail (&self->recent, work);
}

/* The real server records a statistic per finished image or text (not
 * alchemy): pixelsteps are width × height × steps, tokens max_length. */
static void
record_finished (HordeSimHorde      *self,
                 HordeSimGeneration *generation)
{
  HordeSimRequest *request = generation->request;
  FinishedWork work;

  if (request->kind != HORDE_SIM_KIND_IMAGE && request->kind != HORDE_SIM_KIND_TEXT)
    return;
  work.time_us = g_get_real_time ();
  work.kind = request->kind;
  work.model = g_intern_string (generation->model != NULL ? generation->model : "");
  if (request->kind == HORDE_SIM_KIND_IMAGE)
    work.amount = (gint64) request->width * request->height * request->steps;
  else
    work.amount = request->max_length;
  {
    double seconds = (g_get_monotonic_time () - generation->started_us) / (double) G_USEC_PER_SEC;

    /* horde/classes/base/stats.py record_fulfilment */
    work.per_second = seconds > 0 ? round (work.amount / seconds * 10) / 10 : 1;
  }
  g_array_append_val (self->finished, work);
}

static void
finish_generation (HordeSimHorde      *self,
                   HordeSimGeneration *generation)
{
  HordeSimRequest *request = generation->request;
  double megapixelsteps = 0;
  gint64 tokens = 0;

  release_worker (self, generation);
  generation->state = HORDE_SIM_GEN_DONE;
  generation->finished_at = g_get_real_time () / (double) G_USEC_PER_SEC;
  /* a censored image costs the requester only the burn (the server's
   * ProcessingGeneration.adjust_user_kudos); the worker still earns it */
  charge_generation (request, generation);

  switch (request->kind)
    {
    case HORDE_SIM_KIND_IMAGE:
      megapixelsteps = horde_sim_request_megapixelsteps (request);
      break;
    case HORDE_SIM_KIND_TEXT:
      tokens = request->max_length;
      break;
    default:
      {
        g_autofree char *url = generation->image ? r2_url (generation, self) : NULL;

        /* an external worker's result is already there */
        if (generation->result == NULL)
          generation->result = horde_sim_content_form (generation->form, request->source_hash, url);
      }
      break;
    }
  horde_sim_worker_record_job (generation->worker, generation->kudos, megapixelsteps, tokens);
  horde_sim_user_record_usage (request->user, megapixelsteps, tokens);
  record_recent (self, request->kind, request->kind == HORDE_SIM_KIND_TEXT ? tokens : megapixelsteps);
  record_finished (self, generation);

  if (horde_sim_request_is_done (request))
    request->stats->finished = generation->finished_at;
  if (horde_sim_request_is_done (request) ||
      (request->cancelled && horde_sim_request_count (request, HORDE_SIM_GEN_PROCESSING) == 0))
    leave_queue (self, request);
  state_changed (self);
}

static void
time_up (HordeSimHorde      *self,
         HordeSimGeneration *generation)
{
  generation->time_up = TRUE;
  if (generation->will_restart || generation->will_fail)
    retry_generation (self, generation, generation->will_fail);
  else if (generation->produced)
    finish_generation (self, generation);
}

static gboolean
timer_cb (gpointer data)
{
  HordeSimHorde *self = data;
  gint64 now = g_get_monotonic_time ();

  self->timer_id = 0;
  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimGeneration *job = horde_sim_worker_get_job (g_ptr_array_index (self->workers, w));

      /* GLib timeouts have millisecond granularity */
      if (job != NULL && !job->time_up && job->ends_us <= now + 1000)
        time_up (self, job);
    }
  rearm_timer (self);
  return G_SOURCE_REMOVE;
}

/* Arms the one timer for the earliest end among running generations. */
static void
rearm_timer (HordeSimHorde *self)
{
  gint64 due = G_MAXINT64;
  gint64 now = g_get_monotonic_time ();

  if (self->shutting_down)
    return;
  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimGeneration *job = horde_sim_worker_get_job (g_ptr_array_index (self->workers, w));

      if (job != NULL && !job->time_up)
        due = MIN (due, job->ends_us);
    }
  if (self->timer_id != 0 && self->timer_due_us == due)
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (due == G_MAXINT64)
    return;
  self->timer_due_us = due;
  self->timer_id = g_timeout_add ((guint) MAX (0, (due - now + 999) / 1000), timer_cb, self);
}

static void
assign_work (HordeSimHorde  *self,
             HordeSimWorker *worker)
{
  gint64 now = g_get_monotonic_time ();

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      HordeSimRequest *request = l->data;
      HordeSimGeneration *generation;

      if (request->kind != horde_sim_worker_get_kind (worker) || is_expired (self, request, now))
        continue;
      generation = horde_sim_request_next_waiting (request, worker);
      if (generation != NULL)
        {
          start_generation (self, worker, generation);
          return;
        }
    }
}

static gboolean
schedule_cb (gpointer data)
{
  HordeSimHorde *self = data;

  self->schedule_id = 0;
  if (!self->paused)
    for (guint w = 0; w < self->workers->len; w++)
      {
        HordeSimWorker *worker = g_ptr_array_index (self->workers, w);

        if (horde_sim_worker_get_job (worker) == NULL && !horde_sim_worker_is_external (worker))
          assign_work (self, worker);
      }
  rearm_timer (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_soon (HordeSimHorde *self)
{
  if (self->schedule_id == 0 && !self->shutting_down)
    self->schedule_id = g_idle_add (schedule_cb, self);
}

void
horde_sim_horde_set_paused (HordeSimHorde *self,
                            gboolean       paused)
{
  self->paused = paused;
  state_changed (self);
}

gboolean
horde_sim_horde_get_paused (HordeSimHorde *self)
{
  return self->paused;
}

/* Expires requests nobody polled and forgets work older than a minute. */
static gboolean
sweep_cb (gpointer data)
{
  HordeSimHorde *self = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  HordeSimRequest *request;
  RecentWork *work;

  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    if (is_expired (self, request, now))
      g_ptr_array_add (expired, g_object_ref (request));
  for (guint i = 0; i < expired->len; i++)
    expire_request (self, g_ptr_array_index (expired, i));
  abort_stale_jobs (self, now);

  while ((work = g_queue_peek_head (&self->recent)) != NULL && now - work->time_us > 60 * G_USEC_PER_SEC)
    g_free (g_queue_pop_head (&self->recent));

  {
    CachedCheck *cached;

    g_hash_table_iter_init (&iter, self->check_cache);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &cached))
      if (now - cached->time_us >= self->check_cache_us)
        g_hash_table_iter_remove (&iter);
  }
  return G_SOURCE_CONTINUE;
}

/* ---- external workers ----------------------------------------------- */

/* The worker called @name for a pop by @user: created on its first pop
 * (like the real server), refused when the name belongs to someone else
 * (@rc "WrongCredentials": the simulator's own workers belong to nobody)
 * or to a worker of another kind ("PolymorphicNameConflict"). */
HordeSimWorker *
horde_sim_horde_check_in_worker (HordeSimHorde  *self,
                                 HordeSimKind    kind,
                                 const char     *name,
                                 HordeSimUser   *user,
                                 const char    **rc)
{
  static const double speeds[HORDE_SIM_N_KINDS] = {
    [HORDE_SIM_KIND_IMAGE] = NOMINAL_IMAGE_SPEED,
    [HORDE_SIM_KIND_TEXT] = NOMINAL_TEXT_SPEED,
    [HORDE_SIM_KIND_ALCHEMY] = 1.0,
  };
  HordeSimWorker *worker = horde_sim_horde_lookup_worker (self, NULL, name);

  *rc = NULL;
  if (worker == NULL)
    {
      worker = horde_sim_worker_new_external (kind, name, user, speeds[kind]);
      g_ptr_array_add (self->workers, worker);
      g_message ("external %s worker “%s” checked in", horde_sim_kind_to_string (kind), name);
      return worker;
    }
  if (!horde_sim_worker_is_external (worker) || horde_sim_worker_get_owner (worker) != user)
    *rc = "WrongCredentials";
  else if (horde_sim_worker_get_kind (worker) != kind)
    *rc = "PolymorphicNameConflict";
  return *rc ? NULL : worker;
}

/* "1", "1.2", "1.2.3", with an optional -prerelease or +build, the way
 * the server's semver.Version.parse (optional_minor_and_patch) takes it. */
static gboolean
parse_semver (const char *text,
              guint64     parts[3],
              gboolean   *prerelease)
{
  const char *p = text;

  parts[0] = parts[1] = parts[2] = 0;
  *prerelease = FALSE;
  for (guint i = 0; i < 3; i++)
    {
      char *end = NULL;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      parts[i] = g_ascii_strtoull (p, &end, 10);
      p = end;
      if (*p != '.')
        break;
      if (i == 2)
        return FALSE;
      p++;
    }
  if (*p == '-')
    *prerelease = TRUE;
  return *p == '\0' || ((*p == '-' || *p == '+') && p[1] != '\0');
}

/* Whether the server would give r2 requests to a worker with this bridge
 * agent: horde/bridge_reference.py parse_bridge_agent ("name:version:url",
 * anything else is "unknown") and check_bridge_capability("r2", …), plus
 * the names given with --r2-bridge-agent (any version). */
gboolean
horde_sim_horde_bridge_can_r2 (HordeSimHorde *self,
                               const char    *bridge_agent)
{
  g_auto(GStrv) parts = bridge_agent ? g_strsplit (bridge_agent, ":", 3) : NULL;
  guint64 version[3];
  gboolean prerelease;

  if (parts == NULL || g_strv_length (parts) != 3)
    return FALSE;
  if (!parse_semver (parts[1], version, &prerelease))
    return FALSE;
  if (self->r2_agents != NULL && g_strv_contains ((const char * const *) self->r2_agents, parts[0]))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (r2_bridges); i++)
    if (g_str_equal (parts[0], r2_bridges[i].name))
      return version[0] > r2_bridges[i].major ||
             (version[0] == r2_bridges[i].major && (version[1] > 0 || version[2] > 0 || !prerelease));
  return FALSE;
}

/* What the server's check_bridge_capability() says this bridge agent can
 * do of HordeSimBridge's capabilities: nothing for an agent it does not
 * know ("unknown:0:unknown" when a pop names none).  A name given with
 * --r2-bridge-agent stands for a current reGen: it can do everything. */
HordeSimBridge
horde_sim_horde_bridge_capabilities (HordeSimHorde *self,
                                     const char    *bridge_agent)
{
  g_auto(GStrv) parts = bridge_agent ? g_strsplit (bridge_agent, ":", 3) : NULL;
  HordeSimBridge capabilities = 0;
  guint64 version[3];
  gboolean prerelease;

  if (parts == NULL || g_strv_length (parts) != 3)
    return 0;
  if (!parse_semver (parts[1], version, &prerelease))
    return 0;
  if (self->r2_agents != NULL && g_strv_contains ((const char * const *) self->r2_agents, parts[0]))
    return HORDE_SIM_BRIDGE_ALL;
  for (guint i = 0; i < G_N_ELEMENTS (bridge_capabilities); i++)
    if (g_str_equal (parts[0], bridge_capabilities[i].name) &&
        (version[0] > bridge_capabilities[i].major ||
         (version[0] == bridge_capabilities[i].major && (version[1] > 0 || version[2] > 0 || !prerelease))))
      capabilities |= bridge_capabilities[i].capabilities;
  return capabilities;
}

int
horde_sim_horde_get_job_ttl (HordeSimHorde *self)
{
  return (int) ((self->job_ttl_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* Gives @generation a new id (the job's), keeping the id index right. */
static void
rename_generation (HordeSimHorde      *self,
                   HordeSimGeneration *generation,
                   const char         *id)
{
  gboolean indexed = g_hash_table_lookup (self->generations, generation->id) == generation;

  if (indexed)
    g_hash_table_remove (self->generations, generation->id);
  g_free (generation->id);
  generation->id = g_strdup (id);
  if (indexed)
    g_hash_table_insert (self->generations, generation->id, generation);
}

static void
start_external (HordeSimHorde      *self,
                HordeSimWorker     *worker,
                HordeSimGeneration *generation)
{
  HordeSimRequest *request = generation->request;
  ExternalJob *job = g_new0 (ExternalJob, 1);
  gint64 now = g_get_monotonic_time ();

  job->id = g_uuid_string_random ();
  rename_generation (self, generation, job->id);
  generation->state = HORDE_SIM_GEN_PROCESSING;
  g_set_object (&generation->worker, worker);
  g_free (generation->model);
  generation->model = g_strdup (horde_sim_request_pick_model (request, worker));
  generation->attempt++;
  generation->time_up = FALSE;
  generation->produced = FALSE;
  generation->will_restart = FALSE;
  generation->will_fail = FALSE;
  generation->corrupt = FALSE;
  generation->started_us = now;
  generation->ends_us = now + duration_us (self, request, generation, worker);
  request->touched_us = now;

  job->kind = request->kind;
  job->state = JOB_PROCESSING;
  job->worker = g_object_ref (worker);
  job->request = g_object_ref (request);
  job->generation = generation;
  job->attempt = generation->attempt;
  job->deadline_us = now + self->job_ttl_us;
  g_hash_table_insert (self->jobs, job->id, job);
  self->external[job->kind].jobs++;
  g_debug ("external worker %s popped generation %s of request %s",
           horde_sim_worker_get_name (worker), job->id, request->id);
}

static void
count_skip (JsonObject *skipped,
            const char *reason)
{
  json_object_set_int_member (skipped, reason,
                              json_object_get_int_member_with_default (skipped, reason, 0) + 1);
}

/* Hands @worker up to @amount waiting generations it can serve, oldest
 * request first: images and text from one request (a batch), alchemy forms
 * from any.  Requests it cannot serve are counted in @skipped by reason:
 * for text and alchemy the first reason the worker's can_generate finds,
 * for an image worker's empty pop every reason of every waiting request
 * (horde/apis/v2/stable.py ImageJobPop.post → count_skipped_image_wp)
 * plus the "bridge_version" its loop over the query's requests found.
 * Returns the generations (borrowed); empty when there is nothing. */
GPtrArray *
horde_sim_horde_pop (HordeSimHorde  *self,
                     HordeSimWorker *worker,
                     guint           amount,
                     JsonObject     *skipped)
{
  GPtrArray *popped = g_ptr_array_new ();
  HordeSimKind kind = horde_sim_worker_get_kind (worker);
  gint64 now = g_get_monotonic_time ();

  for (GList *l = self->queue.head; l != NULL && popped->len < amount; l = l->next)
    {
      HordeSimRequest *request = l->data;
      const char *reason;

      if (request->kind != kind || is_expired (self, request, now) ||
          horde_sim_request_count (request, HORDE_SIM_GEN_WAITING) == 0)
        continue;
      if (kind == HORDE_SIM_KIND_IMAGE)
        {
          if (!horde_sim_request_accepts (request, worker, NULL))
            {
              if ((reason = horde_sim_request_loop_skip (request, worker)) != NULL)
                count_skip (skipped, reason);
              continue;
            }
        }
      else if ((reason = horde_sim_request_skip_reason (request, worker)) != NULL)
        {
          if (!g_str_equal (reason, "kind") && !g_str_equal (reason, "forms"))
            count_skip (skipped, reason);
          continue;
        }
      for (guint i = 0; i < request->generations->len && popped->len < amount; i++)
        {
          HordeSimGeneration *generation = g_ptr_array_index (request->generations, i);

          if (generation->state == HORDE_SIM_GEN_WAITING &&
              horde_sim_request_accepts (request, worker, generation))
            {
              start_external (self, worker, generation);
              g_ptr_array_add (popped, generation);
            }
        }
      if (kind != HORDE_SIM_KIND_ALCHEMY && popped->len > 0)
        break;
    }
  if (popped->len == 0 && kind == HORDE_SIM_KIND_IMAGE)
    for (GList *l = self->queue.head; l != NULL; l = l->next)
      {
        HordeSimRequest *request = l->data;

        if (request->kind == kind && !is_expired (self, request, now) && !request->faulted &&
            horde_sim_request_count (request, HORDE_SIM_GEN_WAITING) > 0)
          horde_sim_request_count_skips (request, worker, skipped);
      }
  if (popped->len > 0)
    {
      self->external[kind].pops++;
      self->eta_valid = FALSE;
      schedule_soon (self);
    }
  else
    self->external[kind].empty_pops++;
  return popped;
}

/* Done with the job's generation: it keeps only what a duplicate submit
 * needs to be told apart. */
static void
settle_job (ExternalJob *job,
            JobState     state)
{
  job->state = state;
  job->generation = NULL;
  g_clear_object (&job->request);
  g_clear_pointer (&job->upload, g_bytes_unref);
}

/* Whether the job still holds its generation (no one took it back). */
static gboolean
job_is_current (ExternalJob *job)
{
  HordeSimGeneration *generation = job->generation;

  return generation != NULL && generation->attempt == job->attempt && generation->worker == job->worker &&
         (generation->state == HORDE_SIM_GEN_PROCESSING || generation->state == HORDE_SIM_GEN_CANCELLED);
}

static void
abort_job (HordeSimHorde *self,
           ExternalJob   *job)
{
  HordeSimGeneration *generation = job->generation;

  g_message ("external worker %s took too long with generation %s: aborted",
             horde_sim_worker_get_name (job->worker), job->id);
  self->external[job->kind].aborted++;
  if (job_is_current (job) && generation->state == HORDE_SIM_GEN_PROCESSING)
    retry_generation (self, generation, FALSE);
  settle_job (job, JOB_FAULTED);
}

static void
abort_stale_jobs (HordeSimHorde *self,
                  gint64         now)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new ();
  GHashTableIter iter;
  ExternalJob *job;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    if (job->state == JOB_PROCESSING && now > job->deadline_us)
      g_ptr_array_add (stale, job);
  for (guint i = 0; i < stale->len; i++)
    abort_job (self, g_ptr_array_index (stale, i));
}

/* True when @metadata has a {"type": "censorship"} entry. */
static gboolean
metadata_censored (JsonNode *metadata)
{
  JsonArray *array = metadata && JSON_NODE_HOLDS_ARRAY (metadata) ? json_node_get_array (metadata) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *entry = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (entry) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (entry), "type", NULL),
                     "censorship") == 0)
        return TRUE;
    }
  return FALSE;
}

/* Alchemy results name their form: {"caption": "…"}; "R2" means the image
 * went to the upload URL and becomes its download URL. */
static JsonNode *
alchemy_result (HordeSimHorde      *self,
                HordeSimGeneration *generation,
                JsonNode           *submitted)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  if (submitted != NULL && JSON_NODE_HOLDS_OBJECT (submitted))
    {
      JsonObject *members = json_node_get_object (submitted);
      g_autoptr(GList) names = json_object_get_members (members);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (members, l->data);

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
              g_str_equal (json_node_get_string (value), "R2"))
            {
              g_autofree char *url = r2_url (generation, self);

              json_object_set_string_member (object, l->data, url);
            }
          else
            json_object_set_member (object, l->data, json_node_copy (value));
        }
    }
  else if (submitted != NULL && JSON_NODE_HOLDS_VALUE (submitted) &&
           json_node_get_value_type (submitted) == G_TYPE_STRING)
    json_object_set_string_member (object, generation->form, json_node_get_string (submitted));
  return node;
}

/* An external worker's answer for job @id.  @reward: the kudos its owner
 * earned.  Like the real server: unknown ids, other users' workers,
 * second submits and submits after an abort are refused; a faulted submit
 * is accepted (reward 0) and the generation waits for another worker,
 * faulting the request after repeated failures; a submit after the
 * requester cancelled still counts. */
HordeSimSubmitResult
horde_sim_horde_submit_job (HordeSimHorde            *self,
                            HordeSimKind              kind,
                            HordeSimUser             *user,
                            const char               *id,
                            const HordeSimSubmission *submission,
                            double                   *reward,
                            const char              **worker_name)
{
  ExternalJob *job = g_hash_table_lookup (self->jobs, id);
  HordeSimGeneration *generation;
  HordeSimRequest *request;
  gboolean faulted = g_strcmp0 (submission->state, "faulted") == 0;

  *reward = 0;
  *worker_name = NULL;
  if (job == NULL || job->kind != kind)
    {
      self->external[kind].rejected++;
      return HORDE_SIM_SUBMIT_UNKNOWN;
    }
  *worker_name = horde_sim_worker_get_name (job->worker);
  if (horde_sim_worker_get_owner (job->worker) != user)
    {
      self->external[kind].rejected++;
      return HORDE_SIM_SUBMIT_WRONG_USER;
    }
  if (job->state == JOB_DONE)
    {
      self->external[kind].rejected++;
      return HORDE_SIM_SUBMIT_DUPLICATE;
    }
  if (job->state == JOB_FAULTED)
    {
      if (faulted)
        return HORDE_SIM_SUBMIT_FAULTED;
      self->external[kind].rejected++;
      return HORDE_SIM_SUBMIT_ABORTED;
    }

  generation = job->generation;
  request = job->request;
  if (faulted)
    {
      g_message ("external worker %s faulted generation %s of request %s",
                 horde_sim_worker_get_name (job->worker), job->id, request->id);
      self->external[kind].faulted++;
      if (job_is_current (job) && generation->state == HORDE_SIM_GEN_PROCESSING)
        retry_generation (self, generation, TRUE);
      settle_job (job, JOB_FAULTED);
      return HORDE_SIM_SUBMIT_FAULTED;
    }

  *reward = generation->kudos;
  if (job_is_current (job))
    {
      gboolean was_cancelled = generation->state == HORDE_SIM_GEN_CANCELLED;

      if (submission->has_seed)
        generation->seed = submission->seed;
      g_clear_pointer (&generation->gen_metadata, json_node_unref);
      if (submission->gen_metadata != NULL)
        generation->gen_metadata = json_node_copy (submission->gen_metadata);
      /* only a censorship entry in gen_metadata makes it censored, not
       * the state (horde/classes/stable/processing_generation.py
       * _set_generation_inner) */
      generation->censored = metadata_censored (submission->gen_metadata);
      g_clear_pointer (&generation->image, g_bytes_unref);
      g_clear_pointer (&generation->b64, g_free);
      if (submission->r2 && job->upload != NULL)
        generation->image = g_bytes_ref (job->upload);
      else if (!submission->r2 && submission->image != NULL)
        {
          int width, height;

          /* the server uploads a base64 image to R2 itself and serves it
           * like an "R2" submit; what it cannot read as an image stays the
           * text the worker sent */
          generation->image = g_bytes_ref (submission->image);
          if (!horde_sim_image_probe (submission->image, &width, &height))
            generation->b64 = g_strdup (submission->b64);
        }
      g_free (generation->text);
      generation->text = g_strdup (submission->text ? submission->text : "");
      if (kind == HORDE_SIM_KIND_ALCHEMY)
        {
          g_clear_pointer (&generation->result, json_node_unref);
          generation->result = alchemy_result (self, generation, submission->result);
        }
      if (was_cancelled)
        {
          /* the requester cancelled while it ran: it still counts, and was
           * already charged */
          generation->state = HORDE_SIM_GEN_DONE;
          generation->finished_at = g_get_real_time () / (double) G_USEC_PER_SEC;
          horde_sim_worker_record_job (generation->worker, generation->kudos, 0, 0);
          record_finished (self, generation);
          state_changed (self);
        }
      else
        finish_generation (self, generation);
    }
  horde_sim_user_add_kudos (user, *reward);
  self->external[kind].submits++;
  self->external[kind].rewards += *reward;
  g_debug ("external worker %s submitted generation %s (reward %.2f)", *worker_name, job->id, *reward);
  settle_job (job, JOB_DONE);
  return HORDE_SIM_SUBMIT_OK;
}

gboolean
horde_sim_horde_has_job (HordeSimHorde *self,
                         HordeSimKind   kind,
                         const char    *id)
{
  ExternalJob *job = g_hash_table_lookup (self->jobs, id);

  return job != NULL && job->kind == kind;
}

/* A presigned-style upload URL for job @id, valid for --r2-ttl. */
char *
horde_sim_horde_upload_url (HordeSimHorde *self,
                            const char    *id)
{
  gint64 expires_ms = (g_get_real_time () + self->r2_ttl_us) / 1000;
  g_autofree char *key = g_strconcat ("upload:", id, NULL);
  g_autofree char *signature = r2_signature (self, key, expires_ms);

  return g_strdup_printf ("%s/r2/upload/%s.webp?expires=%" G_GINT64_FORMAT "&signature=%s",
                          self->base_url, id, expires_ms, signature);
}

/* Where an external alchemy worker downloads the source image from: the
 * requester's URL, or the simulator's copy of the base64 it sent. */
char *
horde_sim_horde_source_url (HordeSimHorde   *self,
                            HordeSimRequest *request)
{
  gint64 expires_ms = (g_get_real_time () + self->r2_ttl_us) / 1000;
  g_autofree char *key = NULL;
  g_autofree char *signature = NULL;
  gsize length = 0;
  const char *data = request->source ? g_bytes_get_data (request->source, &length) : NULL;

  if (data != NULL && (g_str_has_prefix (data, "http://") || g_str_has_prefix (data, "https://")) &&
      memchr (data, '\0', length) == NULL)
    return g_strndup (data, length);
  key = g_strconcat ("source:", request->id, NULL);
  signature = r2_signature (self, key, expires_ms);
  return g_strdup_printf ("%s/r2/source/%s?expires=%" G_GINT64_FORMAT "&signature=%s",
                          self->base_url, request->id, expires_ms, signature);
}

/* Checks a presigned URL's query; NULL when fine, else the S3 error code. */
static const char *
check_presigned (HordeSimHorde *self,
                 const char    *key,
                 GHashTable    *query,
                 gboolean       force_expired)
{
  const char *expires = query ? g_hash_table_lookup (query, "expires") : NULL;
  const char *signature = query ? g_hash_table_lookup (query, "signature") : NULL;
  gint64 expires_ms = expires ? g_ascii_strtoll (expires, NULL, 10) : 0;
  g_autofree char *expected = r2_signature (self, key, expires_ms);

  if (signature == NULL || !g_str_equal (signature, expected))
    return "SignatureDoesNotMatch";
  if (force_expired || g_get_real_time () / 1000 > expires_ms)
    return "AccessDenied";
  return NULL;
}

/* PUT on an upload URL ("<job-id>.webp"): 200 and the bytes are kept for
 * the job's submit; 403 for an unknown, badly signed or expired URL or
 * a Content-Type other than image/webp (the type is part of a real
 * presigned URL's signature); 400 when the body is not a WebP image. */
guint
horde_sim_horde_r2_upload (HordeSimHorde  *self,
                           const char     *file,
                           GHashTable     *query,
                           const char     *content_type,
                           GBytes         *body,
                           gboolean        force_expired,
                           const char    **error_code,
                           const char    **request_id)
{
  g_autofree char *id = g_str_has_suffix (file, ".webp") ? g_strndup (file, strlen (file) - 5) : NULL;
  ExternalJob *job = id ? g_hash_table_lookup (self->jobs, id) : NULL;
  g_autofree char *key = NULL;
  int width = 0, height = 0;

  *request_id = NULL;
  *error_code = NULL;
  if (job == NULL)
    {
      *error_code = "AccessDenied";
      self->external[HORDE_SIM_KIND_IMAGE].rejected_uploads++;
      return 403;
    }
  *request_id = job->request ? job->request->id : NULL;
  key = g_strconcat ("upload:", id, NULL);
  *error_code = check_presigned (self, key, query, force_expired);
  if (*error_code == NULL && g_strcmp0 (content_type, "image/webp") != 0)
    *error_code = "SignatureDoesNotMatch";
  if (*error_code != NULL)
    {
      self->external[job->kind].rejected_uploads++;
      return 403;
    }
  if (body == NULL || !horde_sim_image_probe (body, &width, &height))
    {
      *error_code = "InvalidImage";
      self->external[job->kind].rejected_uploads++;
      return 400;
    }
  if (job->state != JOB_PROCESSING)
    {
      /* r2 would take it; nobody will ever read it */
      self->external[job->kind].uploads++;
      return 200;
    }
  g_clear_pointer (&job->upload, g_bytes_unref);
  job->upload = g_bytes_ref (body);
  self->external[job->kind].uploads++;
  g_debug ("upload for generation %s: %d×%d WebP, %" G_GSIZE_FORMAT " bytes", id, width, height,
           g_bytes_get_size (body));
  return 200;
}

/* {"image": {"pops", "empty_pops", "jobs", "submits", …}, "text": …} */
JsonNode *
horde_sim_horde_external_to_json (HordeSimHorde *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint workers[HORDE_SIM_N_KINDS] = { 0 };

  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimWorker *worker = g_ptr_array_index (self->workers, w);

      if (horde_sim_worker_is_external (worker))
        workers[horde_sim_worker_get_kind (worker)]++;
    }
  for (guint kind = 0; kind < HORDE_SIM_N_KINDS; kind++)
    {
      JsonObject *counts = horde_sim_json_add_object (object, horde_sim_kind_to_string (kind));
      const ExternalStats *stats = &self->external[kind];

      json_object_set_int_member (counts, "workers", workers[kind]);
      json_object_set_int_member (counts, "pops", stats->pops);
      json_object_set_int_member (counts, "empty_pops", stats->empty_pops);
      json_object_set_int_member (counts, "jobs", stats->jobs);
      json_object_set_int_member (counts, "submits", stats->submits);
      json_object_set_int_member (counts, "faulted", stats->faulted);
      json_object_set_int_member (counts, "rejected", stats->rejected);
      json_object_set_int_member (counts, "aborted", stats->aborted);
      json_object_set_int_member (counts, "uploads", stats->uploads);
      json_object_set_int_member (counts, "rejected_uploads", stats->rejected_uploads);
      json_object_set_double_member (counts, "rewards", round (stats->rewards * 100) / 100);
    }
  json_node_take_object (node, object);
  return node;
}

/* ---- r2 ------------------------------------------------------------- */

/* The source image of an alchemy request, "source/<request-id>", for
 * external workers. */
static guint
r2_fetch_source (HordeSimHorde  *self,
                 const char     *id,
                 GHashTable     *query,
                 gboolean        force_expired,
                 GBytes        **bytes,
                 const char    **content_type,
                 const char    **error_code,
                 const char    **request_id)
{
  static const struct {
    const char *magic;
    gsize       offset;
    const char *type;
  } magics[] = {
    { "WEBP", 8, "image/webp" }, { "\x89PNG", 0, "image/png" }, { "\xff\xd8\xff", 0, "image/jpeg" },
    { "GIF8", 0, "image/gif" },
  };
  HordeSimRequest *request = g_hash_table_lookup (self->requests, id);
  g_autofree char *key = NULL;
  gsize length = 0;
  const guint8 *data;

  if (request == NULL || request->source == NULL)
    {
      *error_code = "NoSuchKey";
      return 404;
    }
  *request_id = request->id;
  key = g_strconcat ("source:", id, NULL);
  *error_code = check_presigned (self, key, query, force_expired);
  if (*error_code != NULL)
    return 403;
  data = g_bytes_get_data (request->source, &length);
  *content_type = "application/octet-stream";
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (length >= magics[i].offset + strlen (magics[i].magic) &&
        memcmp (data + magics[i].offset, magics[i].magic, strlen (magics[i].magic)) == 0)
      *content_type = magics[i].type;
  *bytes = g_bytes_ref (request->source);
  return 200;
}

/* Serves "<generation-id>.webp" like an S3 presigned URL would: 200 with the
 * bytes, 403 when expired or badly signed, 404 when unknown.  Also
 * "source/<request-id>": an alchemy request's source image. */
guint
horde_sim_horde_r2_fetch (HordeSimHorde  *self,
                          const char     *file,
                          GHashTable     *query,
                          gboolean        force_expired,
                          GBytes        **bytes,
                          const char    **content_type,
                          const char    **error_code,
                          const char    **request_id)
{
  g_autofree char *id = g_str_has_suffix (file, ".webp") ? g_strndup (file, strlen (file) - 5) : NULL;
  HordeSimGeneration *generation = id ? g_hash_table_lookup (self->generations, id) : NULL;
  const char *expires = query ? g_hash_table_lookup (query, "expires") : NULL;
  const char *signature = query ? g_hash_table_lookup (query, "signature") : NULL;
  g_autofree char *expected = NULL;
  gint64 expires_ms = 0;

  *bytes = NULL;
  *request_id = NULL;
  *content_type = "image/webp";
  if (g_str_has_prefix (file, "source/"))
    return r2_fetch_source (self, file + strlen ("source/"), query, force_expired,
                            bytes, content_type, error_code, request_id);
  if (generation == NULL || generation->state != HORDE_SIM_GEN_DONE || generation->image == NULL)
    {
      *error_code = "NoSuchKey";
      return 404;
    }
  *request_id = generation->request->id;
  if (expires != NULL)
    expires_ms = g_ascii_strtoll (expires, NULL, 10);
  expected = r2_signature (self, generation->id, expires_ms);
  if (signature == NULL || !g_str_equal (signature, expected))
    {
      *error_code = "SignatureDoesNotMatch";
      return 403;
    }
  if (force_expired || g_get_real_time () / 1000 > expires_ms)
    {
      *error_code = "AccessDenied";
      return 403;
    }
  *bytes = g_bytes_ref (generation->image);
  return 200;
}

/* ---- reports -------------------------------------------------------- */

/* The server's ModelPerformance average for @model: things (pixelsteps
 * or tokens) per second of the generations finished in the past hour
 * (horde/classes/base/stats.py get_model_avg, pruned after an hour), 0
 * with no history. */
static double
model_performance (HordeSimHorde *self,
                   const char    *model)
{
  gint64 now = g_get_real_time ();
  double sum = 0;
  guint n = 0;

  for (guint i = 0; i < self->finished->len; i++)
    {
      FinishedWork *work = &g_array_index (self->finished, FinishedWork, i);

      if (g_str_equal (work->model, model) && now - work->time_us <= (gint64) 3600 * G_USEC_PER_SEC)
        {
          sum += work->per_second;
          n++;
        }
    }
  return n > 0 ? round (sum / n * 10) / 10 : 0;
}

/* ActiveModel entries for the models the workers of @kind serve (or only
 * @name), in the server's units (horde/database/functions.py
 * get_available_models): count = the workers' threads; performance =
 * model_performance() in pixelsteps (tokens) per second; queued = the
 * things of the requests naming the model — in pixelsteps
 * (width × height × steps) for images, tokens (max_length) for text —
 * and jobs = their waiting plus processing generations.  Like the server,
 * the list (count_things_per_model) counts each request waiting for at
 * least one generation once, one image's pixelsteps, while a single model
 * (count_things_for_specific_model) counts the things of every waiting
 * and processing generation.  eta = int(queued / (count × performance)),
 * 10000 when that is 0 and something is queued. */
JsonNode *
horde_sim_horde_models_to_json (HordeSimHorde *self,
                                HordeSimKind   kind,
                                const char    *name)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint w = 0; w < self->workers->len; w++)
    {
      HordeSimWorker *worker = g_ptr_array_index (self->workers, w);
      const char * const *models = horde_sim_worker_get_models (worker);

      if (horde_sim_worker_get_kind (worker) != kind)
        continue;
      for (guint m = 0; models[m] != NULL; m++)
        if (!g_ptr_array_find_with_equal_func (names, models[m], g_str_equal, NULL) &&
            (name == NULL || g_str_equal (name, models[m])))
          g_ptr_array_add (names, (gpointer) models[m]);
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *model = g_ptr_array_index (names, i);
      JsonObject *object = json_object_new ();
      guint count = 0;
      gint64 jobs = 0;
      double queued = 0, performance = model_performance (self, model);
      gboolean any = FALSE;

      for (guint w = 0; w < self->workers->len; w++)
        {
          HordeSimWorker *worker = g_ptr_array_index (self->workers, w);

          if (horde_sim_worker_get_kind (worker) == kind && horde_sim_worker_serves (worker, model))
            count += horde_sim_worker_get_threads (worker);
        }
      for (GList *l = self->queue.head; l != NULL; l = l->next)
        {
          HordeSimRequest *request = l->data;
          guint waiting, processing;
          double things;

          if (request->kind != kind || request->faulted || request->models == NULL ||
              !g_strv_contains ((const char * const *) request->models, model))
            continue;
          waiting = horde_sim_request_count (request, HORDE_SIM_GEN_WAITING);
          processing = horde_sim_request_count (request, HORDE_SIM_GEN_PROCESSING);
          things = kind == HORDE_SIM_KIND_TEXT ? request->max_length
                                               : (double) request->width * request->height * request->steps;
          if (name == NULL)
            {
              if (waiting == 0)
                continue;
              queued += things;
            }
          else
            queued += things * (waiting + processing);
          jobs += waiting + processing;
          any = TRUE;
        }
      json_object_set_string_member (object, "name", model);
      json_object_set_int_member (object, "count", count);
      json_object_set_double_member (object, "performance", performance);
      json_object_set_double_member (object, "queued", round (queued * 100) / 100);
      json_object_set_int_member (object, "jobs", jobs);
      if (!any)
        json_object_set_int_member (object, "eta", 0);
      else if (count * performance > 0)
        json_object_set_int_member (object, "eta", (gint64) (queued / (count * performance)));
      else
        json_object_set_int_member (object, "eta", 10000);
      json_object_set_string_member (object, "type", kind == HORDE_SIM_KIND_TEXT ? "text" : "image");
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

JsonNode *
horde_sim_horde_performance_to_json (HordeSimHorde *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint workers[HORDE_SIM_N_KINDS] = { 0 };
  guint queued[HORDE_SIM_N_KINDS] = { 0 };
  double queued_mps = 0, queued_tokens = 0, past_mps = 0, past_tokens = 0;

  for (guint w = 0; w < self->workers->len; w++)
    workers[horde_sim_worker_get_kind (g_ptr_array_index (self->workers, w))]++;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      HordeSimRequest *request = l->data;
      guint waiting = horde_sim_request_count (request, HORDE_SIM_GEN_WAITING);

      queued[request->kind] += waiting;
      if (request->kind == HORDE_SIM_KIND_IMAGE)
        queued_mps += waiting * horde_sim_request_megapixelsteps (request);
      else if (request->kind == HORDE_SIM_KIND_TEXT)
        queued_tokens += waiting * request->max_length;
    }
  for (GList *l = self->recent.head; l != NULL; l = l->next)
    {
      RecentWork *work = l->data;

      if (work->kind == HORDE_SIM_KIND_IMAGE)
        past_mps += work->amount;
      else if (work->kind == HORDE_SIM_KIND_TEXT)
        past_tokens += work->amount;
    }

  json_object_set_int_member (object, "queued_requests", queued[HORDE_SIM_KIND_IMAGE]);
  json_object_set_int_member (object, "queued_text_requests", queued[HORDE_SIM_KIND_TEXT]);
  json_object_set_int_member (object, "worker_count", workers[HORDE_SIM_KIND_IMAGE]);
  json_object_set_int_member (object, "text_worker_count", workers[HORDE_SIM_KIND_TEXT]);
  json_object_set_int_member (object, "thread_count", workers[HORDE_SIM_KIND_IMAGE]);
  json_object_set_int_member (object, "text_thread_count", workers[HORDE_SIM_KIND_TEXT]);
  json_object_set_double_member (object, "queued_megapixelsteps", round (queued_mps * 100) / 100);
  json_object_set_double_member (object, "past_minute_megapixelsteps", round (past_mps * 100) / 100);
  json_object_set_double_member (object, "queued_forms", queued[HORDE_SIM_KIND_ALCHEMY]);
  json_object_set_int_member (object, "interrogator_count", workers[HORDE_SIM_KIND_ALCHEMY]);
  json_object_set_int_member (object, "interrogator_thread_count", workers[HORDE_SIM_KIND_ALCHEMY]);
  json_object_set_double_member (object, "queued_tokens", queued_tokens);
  json_object_set_double_member (object, "past_minute_tokens", past_tokens);
  json_node_take_object (node, object);
  return node;
}

/* {"<id>": {"kind", "created", "finished", "noticed", "requests": {...}}} */
JsonNode *
horde_sim_horde_jobs_to_json (HordeSimHorde *self)
{
  JsonObject *jobs = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter iter;
  const char *id;
  HordeSimJobStats *stats;

  g_hash_table_iter_init (&iter, self->stats);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &stats))
    {
      JsonObject *job = horde_sim_json_add_object (jobs, id);
      JsonObject *requests;

      json_object_set_string_member (job, "kind", horde_sim_kind_to_string (stats->kind));
      horde_sim_json_set_time (job, "created", stats->created);
      horde_sim_json_set_time (job, "finished", stats->finished);
      horde_sim_json_set_time (job, "noticed", stats->noticed);
      requests = horde_sim_json_add_object (job, "requests");
      json_object_set_int_member (requests, "check", stats->checks);
      json_object_set_int_member (requests, "status", stats->statuses);
      json_object_set_int_member (requests, "delete", stats->deletes);
    }
  json_node_take_object (node, jobs);
  return node;
}

/* The built-in image models stand for the real server's model reference:
 * anything else (an external worker's own model) is "custom". */
static gboolean
is_known_image_model (const char *model)
{
  for (guint i = 0; i < G_N_ELEMENTS (image_presets); i++)
    if (g_strv_contains (image_presets[i].models, model))
      return TRUE;
  return FALSE;
}

static const struct {
  const char *name;
  gint64      seconds;      /* 0: since the start */
} periods[] = {
  { "minute", 60 },
  { "hour", 60 * 60 },
  { "day", 24 * 60 * 60 },
  { "month", 30 * 24 * 60 * 60 },   /* the server's window is 30 days */
  { "total", 0 },
};

/* StatsImgTotals / StatsTxtTotals: {"minute": {"images", "ps"}, …} or
 * {"minute": {"requests", "tokens"}, …} over the finished generations. */
JsonNode *
horde_sim_horde_stats_totals_to_json (HordeSimHorde *self,
                                      HordeSimKind   kind)
{
  const char *count_name = kind == HORDE_SIM_KIND_TEXT ? "requests" : "images";
  const char *amount_name = kind == HORDE_SIM_KIND_TEXT ? "tokens" : "ps";
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gint64 now = g_get_real_time ();

  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      JsonObject *period = horde_sim_json_add_object (object, periods[p].name);
      gint64 count = 0, amount = 0;

      for (guint i = 0; i < self->finished->len; i++)
        {
          FinishedWork *work = &g_array_index (self->finished, FinishedWork, i);

          if (work->kind != kind)
            continue;
          if (periods[p].seconds > 0 && now - work->time_us > periods[p].seconds * G_USEC_PER_SEC)
            continue;
          count++;
          amount += work->amount;
        }
      json_object_set_int_member (period, count_name, count);
      json_object_set_int_member (period, amount_name, amount);
    }
  json_node_take_object (node, object);
  return node;
}

/* ImgModelStats / TxtModelStats: {"day": {model: n}, "month": …, "total": …}.
 * @model_state is "known", "custom" or "all" (images only; text is "all"). */
JsonNode *
horde_sim_horde_stats_models_to_json (HordeSimHorde *self,
                                      HordeSimKind   kind,
                                      const char    *model_state)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gint64 now = g_get_real_time ();

  for (guint p = 2; p < G_N_ELEMENTS (periods); p++)
    {
      JsonObject *period = horde_sim_json_add_object (object, periods[p].name);

      for (guint i = 0; i < self->finished->len; i++)
        {
          FinishedWork *work = &g_array_index (self->finished, FinishedWork, i);
          gint64 count = 0;

          if (work->kind != kind)
            continue;
          if (kind == HORDE_SIM_KIND_IMAGE && g_strcmp0 (model_state, "all") != 0 &&
              is_known_image_model (work->model) != (g_strcmp0 (model_state, "custom") != 0))
            continue;
          /* the server lists a model once it has a row, even if this
           * period's count is 0 */
          if (json_object_has_member (period, work->model))
            count = json_object_get_int_member (period, work->model);
          if (periods[p].seconds == 0 || now - work->time_us <= periods[p].seconds * G_USEC_PER_SEC)
            count++;
          json_object_set_int_member (period, work->model, count);
        }
    }
  json_node_take_object (node, object);
  return node;
}

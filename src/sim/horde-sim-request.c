/* horde-sim-request.c: a queued request and its generations
 *
 * A request ("waiting prompt" in the server's words) holds one generation
 * per image (n), per text (n) or per alchemy form.  This file knows what a
 * request asks for, which worker may serve it, what it costs and how its
 * status reads; HordeSimHorde moves its generations through their states.
 *
 * Like the real server (horde/apis/models/v2.py and stable_v2.py request
 * parsers), an image request without "nsfw" or "censor_nsfw" has them
 * true, and without "r2" asks for r2 download links.  A worker with nsfw
 * false never takes an nsfw request, and only a worker whose bridge agent
 * can upload to R2 takes an r2 request (horde/database/functions.py
 * get_sorted_wp_filtered_to_worker).
 *
 * "done" follows the server's WaitingPrompt.is_completed
 * (horde/classes/base/waiting_prompt.py): nothing waits and, counting
 * restarted (faulted) generations as finished, finished − processing ≥
 * jobs.  A DELETE sets n = 0 (and, for images only, jobs = finished;
 * horde/apis/v2/stable.py ImageAsyncStatus.delete, kobold.py
 * TextAsyncStatus.delete): what was already running still finishes, and
 * a cancelled text request that never got its texts stays not done until
 * it expires, as on the server.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-request.h"
#include "horde-sim-json.h"

#include <math.h>

G_DEFINE_FINAL_TYPE (HordeSimRequest, horde_sim_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const gen_state_names[HORDE_SIM_GEN_N_STATES] = {
  "waiting", "processing", "done", "cancelled", "faulted",
};

static void
generation_free (HordeSimGeneration *generation)
{
  g_free (generation->id);
  g_free (generation->form);
  g_free (generation->model);
  g_clear_object (&generation->worker);
  g_clear_pointer (&generation->image, g_bytes_unref);
  g_free (generation->b64);
  g_free (generation->text);
  g_clear_pointer (&generation->result, json_node_unref);
  g_clear_pointer (&generation->gen_metadata, json_node_unref);
  g_free (generation);
}

static void
horde_sim_request_finalize (GObject *object)
{
  HordeSimRequest *self = HORDE_SIM_REQUEST (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_object (&self->user);
  g_clear_pointer (&self->origin_method, g_free);
  g_clear_pointer (&self->origin_path, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->models, g_strfreev);
  g_clear_pointer (&self->workers, g_strfreev);
  g_clear_pointer (&self->stop_sequences, g_strfreev);
  g_clear_pointer (&self->source, g_bytes_unref);
  g_clear_pointer (&self->body, json_node_unref);
  g_clear_pointer (&self->generations, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_sim_request_parent_class)->finalize (object);
}

static void
horde_sim_request_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HordeSimRequest *self = HORDE_SIM_REQUEST (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_sim_request_class_init (HordeSimRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = horde_sim_request_set_property;
  object_class->finalize = horde_sim_request_finalize;

  properties[PROP_KIND] = g_param_spec_uint ("kind", NULL, NULL, 0, HORDE_SIM_N_KINDS - 1, 0, flags);
  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, HORDE_SIM_TYPE_USER, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_sim_request_init (HordeSimRequest *self)
{
  self->id = g_uuid_string_random ();
  self->generations = g_ptr_array_new_with_free_func ((GDestroyNotify) generation_free);
  self->r2 = TRUE;
  self->nsfw = TRUE;
  self->censor_nsfw = TRUE;
  self->slow_workers = TRUE;
  self->width = 512;
  self->height = 512;
  self->steps = 30;
  self->max_length = 80;
  self->max_context_length = 2048;
  self->possible = TRUE;
  self->touched_us = g_get_monotonic_time ();
}

HordeSimRequest *
horde_sim_request_new (HordeSimKind  kind,
                       HordeSimUser *user)
{
  return g_object_new (HORDE_SIM_TYPE_REQUEST,
                       "kind", kind,
                       "user", user,
                       NULL);
}

HordeSimGeneration *
horde_sim_request_add_generation (HordeSimRequest *self,
                                  guint32          seed,
                                  const char      *form,
                                  double           kudos)
{
  HordeSimGeneration *generation = g_new0 (HordeSimGeneration, 1);

  generation->request = self;
  generation->id = g_uuid_string_random ();
  generation->index = self->generations->len;
  generation->seed = seed;
  generation->form = g_strdup (form);
  generation->kudos = kudos;
  g_ptr_array_add (self->generations, generation);
  self->jobs = self->generations->len;
  return generation;
}

guint
horde_sim_request_count (HordeSimRequest  *self,
                         HordeSimGenState  state)
{
  guint count = 0;

  for (guint i = 0; i < self->generations->len; i++)
    if (((HordeSimGeneration *) g_ptr_array_index (self->generations, i))->state == state)
      count++;
  return count;
}

/* done: nothing waits or runs any more (a faulted request is done too);
 * after a DELETE, the server's WaitingPrompt.is_completed with n = 0:
 * finished jobs (done or restarted) − processing ≥ jobs. */
gboolean
horde_sim_request_is_done (HordeSimRequest *self)
{
  gint64 finished, processing;

  if (self->faulted)
    return TRUE;
  processing = horde_sim_request_count (self, HORDE_SIM_GEN_PROCESSING);
  if (!self->cancelled || self->kind == HORDE_SIM_KIND_ALCHEMY)
    return horde_sim_request_count (self, HORDE_SIM_GEN_WAITING) == 0 && processing == 0;
  finished = horde_sim_request_count (self, HORDE_SIM_GEN_DONE) + self->restarted;
  return finished - processing >= (gint64) self->jobs;
}

/* Why an image worker may not take this request for what it asks beyond
 * a plain txt2img, or NULL, in the server's order and words: first the
 * filters of its pop query (horde/database/functions.py
 * get_sorted_wp_filtered_to_worker; *@in_query TRUE), then
 * horde/classes/stable/worker.py ImageWorker.can_generate.
 * @for_possible: the server's is_possible (wp_has_valid_workers), whose
 * query leaves the TI capability out. */
static const char *
image_refusal (HordeSimRequest *self,
               HordeSimWorker  *worker,
               gboolean         for_possible,
               gboolean        *in_query)
{
  *in_query = TRUE;
  if (self->has_source && !horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_IMG2IMG))
    return "img2img";
  if (self->painting && !horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_PAINTING))
    return "painting";
  if (self->has_loras && !(horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_LORA) &&
                           horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_LORA)))
    return "lora";
  if (!for_possible && self->has_tis && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_TEXTUAL_INVERSION))
    return "bridge_version";
  /* the query also filters on a "post-processing" key, which no request
   * has (its key is post_processing): can_generate refuses them below */
  if (self->control_net && !(horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_CONTROLNET) &&
                             horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_CONTROLNET)))
    return "controlnet";
  /* Layer Diffuse needs the bridge and allow_sdxl_controlnet */
  if (self->transparent && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_LAYER_DIFFUSE))
    return "bridge_version";
  if (self->transparent && !horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_SDXL_CONTROLNET))
    return "controlnet";

  *in_query = FALSE;
  if (self->has_source && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_IMG2IMG))
    return "img2img";
  if (self->painting && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_INPAINTING))
    return "painting";
  if (self->n_post_processors > 0 && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_POST_PROCESSING))
    return "bridge_version";
  if (self->return_control_map && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_RETURN_CONTROL_MAP))
    return "bridge_version";
  if (self->control_net && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_IMAGE_IS_CONTROL))
    return "bridge_version";
  /* the qr_code workflow: SDXL workers only with allow_sdxl_controlnet */
  if (self->qr_code && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_CONTROLNET | HORDE_SIM_BRIDGE_QR_CODE))
    return "bridge_version";
  if (self->qr_code && horde_sim_worker_get_serves_sdxl (worker) &&
      !horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_SDXL_CONTROLNET))
    return "controlnet";
  if (self->n_post_processors > 0 && !horde_sim_worker_allows (worker, HORDE_SIM_ALLOW_POST_PROCESSING))
    return "post-processing";
  return NULL;
}

static gboolean
accepts (HordeSimRequest    *self,
         HordeSimWorker     *worker,
         HordeSimGeneration *generation,
         gboolean            check_r2)
{
  gboolean in_query;
  gboolean listed;

  if (horde_sim_worker_get_kind (worker) != self->kind)
    return FALSE;
  /* "Workers in maintenance can still pick up their owner or their
   * friends" (horde/database/functions.py); the simulator has no friends */
  if (horde_sim_worker_get_maintenance (worker) && horde_sim_worker_get_owner (worker) != self->user)
    return FALSE;
  if (self->kind == HORDE_SIM_KIND_IMAGE && self->nsfw && !horde_sim_worker_get_nsfw (worker))
    return FALSE;
  if (check_r2 && self->kind == HORDE_SIM_KIND_IMAGE && self->r2 && !horde_sim_worker_get_r2 (worker))
    return FALSE;
  if (self->workers != NULL && self->workers[0] != NULL)
    {
      listed = g_strv_contains ((const char * const *) self->workers, horde_sim_worker_get_id (worker));
      if (listed == self->worker_blacklist)
        return FALSE;
    }
  switch (self->kind)
    {
    case HORDE_SIM_KIND_IMAGE:
      if ((gint64) self->width * self->height > horde_sim_worker_get_max_pixels (worker))
        return FALSE;
      if (image_refusal (self, worker, !check_r2, &in_query) != NULL)
        return FALSE;
      break;
    case HORDE_SIM_KIND_TEXT:
      if (self->max_length > horde_sim_worker_get_max_length (worker) ||
          self->max_context_length > horde_sim_worker_get_max_context_length (worker))
        return FALSE;
      break;
    case HORDE_SIM_KIND_ALCHEMY:
      if (generation != NULL)
        return horde_sim_worker_serves (worker, generation->form);
      for (guint i = 0; i < self->generations->len; i++)
        {
          HordeSimGeneration *form = g_ptr_array_index (self->generations, i);

          if (horde_sim_worker_serves (worker, form->form))
            return TRUE;
        }
      return FALSE;
    default:
      g_assert_not_reached ();
    }
  return horde_sim_request_pick_model (self, worker) != NULL;
}

/* Whether @worker may take @generation (NULL: any generation) of this
 * request: its kind, nsfw, r2, the workers allow/deny list, models, size,
 * length, and for images what the worker allows and its bridge can do
 * (source image, inpainting, LoRAs, TIs, ControlNet, post-processing). */
gboolean
horde_sim_request_accepts (HordeSimRequest    *self,
                           HordeSimWorker     *worker,
                           HordeSimGeneration *generation)
{
  return accepts (self, worker, generation, TRUE);
}

/* Like horde_sim_request_accepts() less the r2 and TI capabilities: the
 * server's wp_has_valid_workers (behind is_possible) does not check them,
 * so a request only unknown bridge agents could serve still says
 * possible. */
gboolean
horde_sim_request_could_accept (HordeSimRequest    *self,
                                HordeSimWorker     *worker,
                                HordeSimGeneration *generation)
{
  return accepts (self, worker, generation, FALSE);
}

/* Why @worker may not take any generation of this request, in the words of
 * the real server's "skipped" counts ("worker_id", "models", "max_pixels",
 * "max_length", "max_context_length"; "kind" and "forms" are not reported),
 * or NULL when it may. */
const char *
horde_sim_request_skip_reason (HordeSimRequest *self,
                               HordeSimWorker  *worker)
{
  gboolean listed;

  if (horde_sim_worker_get_kind (worker) != self->kind)
    return "kind";
  if (self->workers != NULL && self->workers[0] != NULL)
    {
      listed = g_strv_contains ((const char * const *) self->workers, horde_sim_worker_get_id (worker));
      if (listed == self->worker_blacklist)
        return "worker_id";
    }
  if (self->kind == HORDE_SIM_KIND_ALCHEMY)
    return horde_sim_request_accepts (self, worker, NULL) ? NULL : "forms";
  if (horde_sim_request_pick_model (self, worker) == NULL)
    return "models";
  if (self->kind == HORDE_SIM_KIND_IMAGE &&
      (gint64) self->width * self->height > horde_sim_worker_get_max_pixels (worker))
    return "max_pixels";
  if (self->kind == HORDE_SIM_KIND_TEXT && self->max_context_length > horde_sim_worker_get_max_context_length (worker))
    return "max_context_length";
  if (self->kind == HORDE_SIM_KIND_TEXT && self->max_length > horde_sim_worker_get_max_length (worker))
    return "max_length";
  return NULL;
}

static void
add_skip (JsonObject *skipped,
          const char *reason)
{
  json_object_set_int_member (skipped, reason,
                              json_object_get_int_member_with_default (skipped, reason, 0) + 1);
}

static void
count_capability (JsonObject     *skipped,
                  HordeSimWorker *worker,
                  HordeSimAllow   allow,
                  const char     *reason,
                  HordeSimBridge  bridge)
{
  if (reason != NULL && !horde_sim_worker_allows (worker, allow))
    add_skip (skipped, reason);
  else if (!horde_sim_worker_bridge_can (worker, bridge))
    add_skip (skipped, "bridge_version");
}

/* An image worker's empty pop counts every waiting image request once
 * under each reason that applies to it, as the server's
 * count_skipped_image_wp (horde/database/functions.py) does: "models"
 * when the request names a model the worker does not serve, "worker_id",
 * "max_pixels" (width × height ≥ the worker's max_pixels, the server's
 * comparison), "nsfw", and "img2img", "painting", "lora",
 * "controlnet" or "bridge_version" for what the worker does not allow or
 * its bridge cannot do.  The r2 capability is not counted: the server
 * filters on it in its pop query and reports nothing, so a worker with an
 * unknown bridge agent sees only zeros. */
void
horde_sim_request_count_skips (HordeSimRequest *self,
                               HordeSimWorker  *worker,
                               JsonObject      *skipped)
{
  if (self->kind != HORDE_SIM_KIND_IMAGE || horde_sim_worker_get_kind (worker) != self->kind)
    return;
  for (guint i = 0; self->models != NULL && self->models[i] != NULL; i++)
    if (!horde_sim_worker_serves (worker, self->models[i]))
      {
        add_skip (skipped, "models");
        break;
      }
  if (self->workers != NULL && self->workers[0] != NULL &&
      g_strv_contains ((const char * const *) self->workers, horde_sim_worker_get_id (worker)) ==
      self->worker_blacklist)
    add_skip (skipped, "worker_id");
  if ((gint64) self->width * self->height >= horde_sim_worker_get_max_pixels (worker))
    add_skip (skipped, "max_pixels");
  if (self->nsfw && !horde_sim_worker_get_nsfw (worker))
    add_skip (skipped, "nsfw");
  /* what the worker does not allow counts under its name; what it allows
   * but its bridge cannot do, under "bridge_version" (TIs only the
   * latter: no allow_* covers them) */
  if (self->has_source)
    count_capability (skipped, worker, HORDE_SIM_ALLOW_IMG2IMG, "img2img", HORDE_SIM_BRIDGE_IMG2IMG);
  if (self->painting)
    count_capability (skipped, worker, HORDE_SIM_ALLOW_PAINTING, "painting", HORDE_SIM_BRIDGE_INPAINTING);
  if (self->has_loras)
    count_capability (skipped, worker, HORDE_SIM_ALLOW_LORA, "lora", HORDE_SIM_BRIDGE_LORA);
  if (self->has_tis)
    count_capability (skipped, worker, 0, NULL, HORDE_SIM_BRIDGE_TEXTUAL_INVERSION);
  if (self->control_net)
    count_capability (skipped, worker, HORDE_SIM_ALLOW_CONTROLNET, "controlnet", HORDE_SIM_BRIDGE_CONTROLNET);
  /* the server counts "post-processing" for requests with a
   * "post-processing" key, which none has (theirs is post_processing):
   * a worker that does not allow post-processing still sees 0 */
  /* the capabilities it checks in one condition (with the samplers,
   * which the simulator's bridges all have): one count per request */
  if ((self->return_control_map && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_RETURN_CONTROL_MAP)) ||
      (self->transparent && !horde_sim_worker_bridge_can (worker, HORDE_SIM_BRIDGE_LAYER_DIFFUSE)))
    add_skip (skipped, "bridge_version");
}

/* Why an image worker's pop passed this request over in the server's
 * loop over what its query found (ImageWorker.can_generate), when
 * ImageJobPop keeps that count: "bridge_version" only, which it adds to
 * count_skipped_image_wp's.  NULL otherwise. */
const char *
horde_sim_request_loop_skip (HordeSimRequest *self,
                             HordeSimWorker  *worker)
{
  gboolean in_query;
  const char *reason;

  if (self->kind != HORDE_SIM_KIND_IMAGE || horde_sim_worker_get_kind (worker) != self->kind)
    return NULL;
  if (self->nsfw && !horde_sim_worker_get_nsfw (worker))
    return NULL;
  if (self->r2 && !horde_sim_worker_get_r2 (worker))
    return NULL;
  if (self->workers != NULL && self->workers[0] != NULL &&
      g_strv_contains ((const char * const *) self->workers, horde_sim_worker_get_id (worker)) ==
      self->worker_blacklist)
    return NULL;
  if ((gint64) self->width * self->height > horde_sim_worker_get_max_pixels (worker) ||
      horde_sim_request_pick_model (self, worker) == NULL)
    return NULL;
  reason = image_refusal (self, worker, FALSE, &in_query);
  return !in_query && g_strcmp0 (reason, "bridge_version") == 0 ? reason : NULL;
}

/* The first waiting generation @worker can take, in order. */
HordeSimGeneration *
horde_sim_request_next_waiting (HordeSimRequest *self,
                                HordeSimWorker  *worker)
{
  for (guint i = 0; i < self->generations->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (self->generations, i);

      if (generation->state == HORDE_SIM_GEN_WAITING &&
          horde_sim_request_accepts (self, worker, generation))
        return generation;
    }
  return NULL;
}

/* The first requested model @worker serves; with no models requested, the
 * worker's own first model.  NULL when they have none in common. */
const char *
horde_sim_request_pick_model (HordeSimRequest *self,
                              HordeSimWorker  *worker)
{
  const char * const *served = horde_sim_worker_get_models (worker);

  if (self->kind == HORDE_SIM_KIND_ALCHEMY)
    return NULL;
  if (self->models == NULL || self->models[0] == NULL)
    return served[0];
  for (guint i = 0; self->models[i] != NULL; i++)
    if (horde_sim_worker_serves (worker, self->models[i]))
      return self->models[i];
  return NULL;
}

double
horde_sim_request_megapixelsteps (HordeSimRequest *self)
{
  return (double) self->width * self->height * self->steps / 1e6;
}

static double
round2 (double value)
{
  return round (value * 100.0) / 100.0;
}

/* What one image earns its worker (the WaitingPrompt's kudos, which a 202
 * reports): the server's legacy formula plus 2, which gives the figures
 * 5.1.5's kudos model gave in ../shared/api/real-server-transcript.txt
 * for 512×512 (10 steps: 4, 20: 6, 30: 8; its charges 3 + 5 and 3 + 7
 * follow), and 20% more per post-processor (the server puts its
 * post-processors' factors on the requester's burn; the simulator's own
 * model keeps them here). */
double
horde_sim_kudos_image (int   width,
                       int   height,
                       int   steps,
                       guint n_post_processors)
{
  return horde_sim_kudos_image_full (width, height, steps, n_post_processors, FALSE, 0, 0);
}

/* horde_sim_kudos_image() with what horde/classes/stable/waiting_prompt.py
 * calculate_kudos adds: ControlNet (a control_type without
 * return_control_map) triples the legacy figure, as its legacy formula
 * does ("legacy_kudos_cost * 3"; the server's kudos model, a neural
 * network, also weighs the control type, which the simulator cannot
 * reproduce), then 3 more per LoRA and 1 more when there are TIs. */
double
horde_sim_kudos_image_full (int      width,
                            int      height,
                            int      steps,
                            guint    n_post_processors,
                            gboolean control_net,
                            guint    n_loras,
                            guint    n_tis)
{
  double result = pow ((double) width * height - 64 * 64, 1.75) /
                  pow (1024.0 * 1024.0 - 64 * 64, 1.75);
  double kudos = round2 ((0.1232 * steps) + result * (0.1232 * steps * 8.75));

  for (guint i = 0; i < n_post_processors; i++)
    kudos = round2 (kudos * 1.2);
  if (control_net)
    kudos = round2 (kudos * 3);
  kudos += 2;
  kudos += 3.0 * n_loras;
  if (n_tis > 0)
    kudos += 1;
  return kudos;
}

/* The server's formula for a 13B model (what its worker earns). */
double
horde_sim_kudos_text (int max_length,
                      int max_context_length)
{
  double multiplier = 1.2 + pow (2.2, log2 (max_context_length / 1024.0));

  multiplier = CLAMP (multiplier, 0.1, 30);
  return round2 (max_length * 13 * multiplier / 100);
}

/* What the requester pays for a finished (or cancelled while running)
 * generation whose worker earns @kudos: the server's
 * WaitingPrompt.record_usage() with calculate_extra_kudos_burn().
 * Images (horde/classes/stable/waiting_prompt.py): × 1.3 with a source
 * image (img2img, inpainting, outpainting, ControlNet), + 1, × 1.2 when
 * slow_workers is false, × 1.1 with a worker blacklist.  Text
 * (kobold/waiting_prompt.py): kudos + 1.  Alchemy
 * (stable/interrogation.py InterrogationForms.record): kudos + 1, + 1 more
 * when slow_workers is true (its default). */
double
horde_sim_request_charge (HordeSimRequest *self,
                          double           kudos)
{
  switch (self->kind)
    {
    case HORDE_SIM_KIND_IMAGE:
      if (self->has_source)
        kudos *= 1.3;
      kudos += 1;
      if (!self->slow_workers)
        kudos *= 1.2;
      if (self->worker_blacklist)
        kudos *= 1.1;
      return kudos;
    case HORDE_SIM_KIND_TEXT:
      return kudos + 1;
    default:
      return kudos + (self->slow_workers ? 2 : 1);
    }
}

/* Post-processors (upscalers, face fixers...) answer with an image. */
gboolean
horde_sim_form_is_post_processor (const char *form)
{
  return !g_str_equal (form, "caption") && !g_str_equal (form, "interrogation") &&
         !g_str_equal (form, "nsfw") && !g_str_equal (form, "describe") &&
         !g_str_equal (form, "aesthetic") && !g_str_equal (form, "vectorize") &&
         !g_str_equal (form, "palette");
}

/* What a form earns its worker: 1, 3 for interrogation and
 * post-processors (the requester pays horde_sim_request_charge() of it) */
double
horde_sim_kudos_form (const char *form)
{
  if (g_str_equal (form, "interrogation") || horde_sim_form_is_post_processor (form))
    return 3;
  return 1;
}

/* Seconds a form takes on a worker of speed 1 */
double
horde_sim_form_cost (const char *form)
{
  if (g_str_equal (form, "interrogation"))
    return 3.0;
  if (g_str_equal (form, "nsfw"))
    return 0.5;
  if (horde_sim_form_is_post_processor (form))
    return 2.0;
  return 1.0;
}

static void
add_worker (JsonObject         *object,
            HordeSimGeneration *generation)
{
  horde_sim_json_set_string (object, "worker_id",
                             generation->worker ? horde_sim_worker_get_id (generation->worker) : NULL);
  horde_sim_json_set_string (object, "worker_name",
                             generation->worker ? horde_sim_worker_get_name (generation->worker) : NULL);
}

static void
add_metadata (JsonObject         *object,
              HordeSimGeneration *generation)
{
  if (generation->gen_metadata != NULL)
    json_object_set_member (object, "gen_metadata", json_node_copy (generation->gen_metadata));
  else
    horde_sim_json_add_array (object, "gen_metadata");
}

static JsonObject *
generation_to_json (HordeSimRequest    *self,
                    HordeSimGeneration *generation,
                    char             *(*r2_url) (HordeSimGeneration *, gpointer),
                    gpointer            r2_url_data)
{
  JsonObject *object = json_object_new ();
  g_autofree char *seed = g_strdup_printf ("%u", generation->seed);

  switch (self->kind)
    {
    case HORDE_SIM_KIND_IMAGE:
      /* horde/classes/stable/processing_generation.py get_details: an
       * image (uploaded, or sent in base64 and uploaded by the server) is
       * a download URL, or for r2 false the image fetched and re-encoded
       * to base64 ("N/A" if none; the simulator encodes the WebP's own
       * bytes); a base64 submit that is no image is served as it came */
      if (generation->b64 != NULL)
        json_object_set_string_member (object, "img", generation->b64);
      else if (self->r2)
        {
          g_autofree char *url = r2_url (generation, r2_url_data);

          json_object_set_string_member (object, "img", url);
        }
      else if (generation->image == NULL)
        /* an external worker said "R2" and uploaded nothing */
        json_object_set_string_member (object, "img", "N/A");
      else
        {
          gsize length = 0;
          const guint8 *data = g_bytes_get_data (generation->image, &length);
          g_autofree char *base64 = g_base64_encode (data, length);

          json_object_set_string_member (object, "img", base64);
        }
      json_object_set_string_member (object, "seed", seed);
      json_object_set_string_member (object, "id", generation->id);
      json_object_set_boolean_member (object, "censored", generation->censored);
      add_metadata (object, generation);
      add_worker (object, generation);
      json_object_set_string_member (object, "model", generation->model);
      json_object_set_string_member (object, "state", generation->censored ? "censored" : "ok");
      break;
    case HORDE_SIM_KIND_TEXT:
      json_object_set_string_member (object, "text", generation->text);
      json_object_set_int_member (object, "seed", generation->seed);
      add_metadata (object, generation);
      add_worker (object, generation);
      json_object_set_string_member (object, "model", generation->model);
      json_object_set_string_member (object, "state", generation->censored ? "censored" : "ok");
      break;
    case HORDE_SIM_KIND_ALCHEMY:
      json_object_set_string_member (object, "form", generation->form);
      json_object_set_string_member (object, "state", gen_state_names[generation->state]);
      if (generation->result != NULL)
        json_object_set_member (object, "result", json_node_copy (generation->result));
      else
        json_object_set_null_member (object, "result");
      add_worker (object, generation);
      break;
    default:
      g_assert_not_reached ();
    }
  return object;
}

/* InterrogationStatus.state, the way the server derives it from the forms */
static const char *
alchemy_state (HordeSimRequest *self)
{
  guint n = self->generations->len;

  if (horde_sim_request_count (self, HORDE_SIM_GEN_FAULTED) == n)
    return "faulted";
  if (horde_sim_request_count (self, HORDE_SIM_GEN_DONE) == n)
    return "done";
  if (horde_sim_request_count (self, HORDE_SIM_GEN_PROCESSING) > 0)
    return "processing";
  if (horde_sim_request_count (self, HORDE_SIM_GEN_WAITING) > 0)
    return "waiting";
  return "partial";
}

/* RequestStatusCheck (!full), RequestStatusStable, RequestStatusKobold or
 * InterrogationStatus.  @r2_url makes the download URL of an r2 image. */
JsonNode *
horde_sim_request_to_json (HordeSimRequest  *self,
                           gboolean          full,
                           int               wait_time,
                           char           *(*r2_url) (HordeSimGeneration *, gpointer),
                           gpointer          r2_url_data)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  gboolean done = horde_sim_request_is_done (self);
  JsonArray *array;

  json_object_unref (object);

  if (self->kind == HORDE_SIM_KIND_ALCHEMY)
    {
      json_object_set_string_member (object, "state", alchemy_state (self));
      array = horde_sim_json_add_array (object, "forms");
      for (guint i = 0; i < self->generations->len; i++)
        json_array_add_object_element (array, generation_to_json (self, g_ptr_array_index (self->generations, i),
                                                                   r2_url, r2_url_data));
      return node;
    }

  if (full)
    {
      array = horde_sim_json_add_array (object, "generations");
      for (guint i = 0; i < self->generations->len; i++)
        {
          HordeSimGeneration *generation = g_ptr_array_index (self->generations, i);

          if (generation->state == HORDE_SIM_GEN_DONE)
            json_array_add_object_element (array, generation_to_json (self, generation, r2_url, r2_url_data));
        }
      if (self->kind == HORDE_SIM_KIND_IMAGE)
        json_object_set_boolean_member (object, "shared", FALSE);
    }
  json_object_set_int_member (object, "finished", horde_sim_request_count (self, HORDE_SIM_GEN_DONE));
  json_object_set_int_member (object, "processing", horde_sim_request_count (self, HORDE_SIM_GEN_PROCESSING));
  json_object_set_int_member (object, "restarted", self->restarted);
  json_object_set_int_member (object, "waiting", horde_sim_request_count (self, HORDE_SIM_GEN_WAITING));
  json_object_set_boolean_member (object, "done", done);
  json_object_set_boolean_member (object, "faulted", self->faulted);
  json_object_set_int_member (object, "wait_time", done ? 0 : wait_time);
  json_object_set_int_member (object, "queue_position", done ? 0 : self->queue_position);
  json_object_set_double_member (object, "kudos", nearbyint (self->consumed));
  json_object_set_boolean_member (object, "is_possible", self->possible);
  return node;
}

/* horde-sim-api-worker.c: the worker side of the API
 *
 * POST …/pop lets a program that uses a registered user's key serve the
 * queue as an external worker: it names itself and says what it serves
 * (models or alchemy forms, limits), and gets a job (a "processing
 * generation") or an empty pop with the reasons requests were skipped.
 * Image jobs come with r2_upload, a presigned URL on the simulator where
 * the worker PUTs its WebP, whether the request said r2 or not (the
 * server always asks for R2: horde/classes/stable/waiting_prompt.py
 * "We always ask the workers to upload the generation to R2"); a worker
 * may still submit base64, which the server stores like an upload.
 * Alchemy post-processors get one per form.
 *
 * Image requests reach only workers that can take them: nsfw ones only
 * workers that say nsfw (absent: true, as in the server's job_pop_parser),
 * r2 ones (the default) only workers whose bridge agent the server knows
 * can upload to R2 (horde/bridge_reference.py, see
 * horde_sim_horde_bridge_can_r2(); more names with --r2-bridge-agent).
 * An unknown agent gets r2:false requests only and, like on the server,
 * no "skipped" count says why.  What else an image worker gets follows
 * its allow_* fields (absent ones as ImageWorker.check_in defaults them)
 * and what its bridge can do (horde_sim_horde_bridge_capabilities()):
 * see horde-sim-request.c image_refusal().
 * POST …/submit hands the result back.  The answers follow the real
 * server's shapes (GenerationPayloadStable, GenerationPayloadKobold,
 * InterrogationPopPayload, GenerationSubmitted) and its error codes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-api.h"
#include "horde-sim-json.h"
#include "horde-sim-validate.h"

#include <string.h>

#define FIELD(path, type) { path, HORDE_SIM_FIELD_##type, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, NULL }
#define RANGE(path, type, min, max) { path, HORDE_SIM_FIELD_##type, min, max, NULL }
#define CHOICE(path, type, choices) { path, HORDE_SIM_FIELD_##type, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, choices }

#define DEFAULT_MAX_PIXELS 262144
#define DEFAULT_MAX_LENGTH 512
#define DEFAULT_MAX_CONTEXT_LENGTH 2048

static const char * const submit_states[] = { "ok", "censored", "faulted", "csam", NULL };

/* PopInput and its image, text and alchemy twins */
static const HordeSimField pop_fields[] = {
  FIELD ("name", STRING),
  FIELD ("priority_usernames", STRING_ARRAY),
  FIELD ("nsfw", BOOLEAN),
  FIELD ("models", STRING_ARRAY),
  RANGE ("bridge_agent", STRING, 0, 1000),
  RANGE ("threads", INTEGER, 1, 50),
  FIELD ("require_upfront_kudos", BOOLEAN),
  RANGE ("amount", INTEGER, 1, 20),
  FIELD ("extra_slow_worker", BOOLEAN),
  FIELD ("max_pixels", INTEGER),
  FIELD ("blacklist", STRING_ARRAY),
  FIELD ("allow_img2img", BOOLEAN),
  FIELD ("allow_painting", BOOLEAN),
  FIELD ("allow_unsafe_ipaddr", BOOLEAN),
  FIELD ("allow_post_processing", BOOLEAN),
  FIELD ("allow_controlnet", BOOLEAN),
  FIELD ("allow_sdxl_controlnet", BOOLEAN),
  FIELD ("allow_lora", BOOLEAN),
  FIELD ("limit_max_steps", BOOLEAN),
  FIELD ("max_length", INTEGER),
  FIELD ("max_context_length", INTEGER),
  FIELD ("softprompts", STRING_ARRAY),
  FIELD ("forms", STRING_ARRAY),
  RANGE ("max_tiles", INTEGER, 1, 256),
};

/* SubmitInputStable / SubmitInputKobold */
static const HordeSimField submit_fields[] = {
  FIELD ("id", STRING),
  FIELD ("generation", STRING),
  CHOICE ("state", STRING, submit_states),
  FIELD ("seed", INTEGER),
  FIELD ("censored", BOOLEAN),
  FIELD ("gen_metadata", OBJECT_ARRAY),
  FIELD ("gen_metadata.*.type", STRING),
  FIELD ("gen_metadata.*.value", STRING),
};

/* the interrogation submit: result is a dict of form name → result */
static const HordeSimField alchemy_submit_fields[] = {
  FIELD ("id", STRING),
  FIELD ("state", STRING),
};

/* the real server's "skipped" counts that are always there */
static const char * const image_skips[] = {
  "unsafe_ip", "img2img", "painting", "post-processing", "lora", "controlnet", "worker_id", "performance",
  "nsfw", "untrusted", "models", "bridge_version", NULL
};
static const char * const text_skips[] = {
  "worker_id", "performance", "nsfw", "untrusted", "models", "bridge_version", "max_context_length",
  "max_length", "matching_softprompt", NULL
};
static const char * const alchemy_skips[] = { "worker_id", "untrusted", "bridge_version", NULL };

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
    ? json_node_get_string (node) : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *member,
            gint64      fallback)
{
  return (gint64) horde_sim_json_number (object ? json_object_get_member (object, member) : NULL, (double) fallback);
}

static gboolean
bool_member (JsonObject *object,
             const char *member,
             gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
    ? json_node_get_boolean (node) : fallback;
}

/* A copy of @node's member, or JSON null. */
static JsonNode *
copy_or_null (JsonObject *object,
              const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

static void
reply_missing (HordeSimCall *call,
               const char   *field)
{
  JsonObject *errors = json_object_new ();

  json_object_set_string_member (errors, field, "Missing required parameter in the JSON body or the post body or "
                                                "the query string");
  horde_sim_call_reply_validation (call, errors);
}

static gboolean
validate (HordeSimCall        *call,
          const HordeSimField *fields,
          gsize                n_fields)
{
  JsonObject *errors;

  if (horde_sim_call_get_json (call) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (call->json))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL, "The payload must be a JSON object.");
      return FALSE;
    }
  errors = horde_sim_validate (call->json, fields, n_fields);
  if (errors != NULL)
    {
      horde_sim_call_reply_validation (call, errors);
      return FALSE;
    }
  return TRUE;
}

/* ---- pop ------------------------------------------------------------ */

/* Defaults the server's marshalling gives list entries that lack them */
typedef struct {
  const char *name;
  double      number;       /* a number default, or */
  gboolean    is_boolean;   /* a boolean default FALSE */
} MemberDefault;

/* ModelPayloadLorasStable */
static const MemberDefault lora_defaults[] = {
  { "model", 1.0, FALSE }, { "clip", 1.0, FALSE }, { "is_version", 0, TRUE }, { NULL, 0, FALSE },
};
/* ModelPayloadTextualInversionsStable (inject_ti defaults to None, which
 * skip_none leaves out) */
static const MemberDefault ti_defaults[] = {
  { "strength", 1.0, FALSE }, { NULL, 0, FALSE },
};

/* A copy of the loras or tis list @node with each entry's defaults filled
 * in, as the pop's marshalling (fields.Nested with skip_none) sends them */
static JsonNode *
marshal_list (JsonNode            *node,
              const MemberDefault *defaults)
{
  JsonNode *copy = json_node_copy (node);
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (copy) ? json_node_get_array (copy) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      for (guint d = 0; entry != NULL && defaults[d].name != NULL; d++)
        if (!json_object_has_member (entry, defaults[d].name))
          {
            if (defaults[d].is_boolean)
              json_object_set_boolean_member (entry, defaults[d].name, FALSE);
            else
              json_object_set_double_member (entry, defaults[d].name, defaults[d].number);
          }
    }
  return copy;
}

/* GenerationPayloadStable.payload: the request's params (with its style's),
 * in the names workers know (ddim_steps, n_iter), with the defaults. */
static JsonNode *
image_payload (HordeSimRequest    *request,
               HordeSimGeneration *first,
               guint               count)
{
  JsonObject *body = request ? json_node_get_object (request->body) : NULL;
  const char *style_name = string_member (body, "style");
  JsonObject *style = style_name ? horde_sim_api_lookup_style (style_name) : NULL;
  JsonObject *sources[] = { member_object (body, "params"), member_object (style, "params") };
  JsonObject *payload = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (request != NULL)
    {
      g_autofree char *seed = g_strdup_printf ("%u", first->seed);

      json_object_set_string_member (payload, "prompt", request->prompt);
      /* horde/classes/stable/waiting_prompt.py get_job_payload: "if not
       * self.nsfw and self.censor_nsfw", both true when absent */
      if (!request->nsfw && request->censor_nsfw)
        json_object_set_boolean_member (payload, "use_nsfw_censor", TRUE);
      json_object_set_string_member (payload, "seed", seed);
    }
  json_object_set_int_member (payload, "ddim_steps", request ? request->steps : 30);
  json_object_set_int_member (payload, "n_iter", count);
  json_object_set_boolean_member (payload, "image_is_control", FALSE);
  json_object_set_boolean_member (payload, "return_control_map", FALSE);
  json_object_set_string_member (payload, "sampler_name", "k_euler_a");
  /* horde/classes/stable/waiting_prompt.py extract_params: 5.0 and karras
   * when the request has none (ModelPayloadStable's defaults, 7.5 and
   * false, never show) */
  json_object_set_double_member (payload, "cfg_scale", 5.0);
  json_object_set_int_member (payload, "height", request ? request->height : 512);
  json_object_set_int_member (payload, "width", request ? request->width : 512);
  json_object_set_boolean_member (payload, "karras", TRUE);
  json_object_set_boolean_member (payload, "tiling", FALSE);
  json_object_set_boolean_member (payload, "hires_fix", FALSE);
  json_object_set_boolean_member (payload, "transparent", FALSE);
  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(GList) members = sources[s] ? json_object_get_members (sources[s]) : NULL;

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          /* what the request decided stays: size, steps, seed, count */
          if (g_str_equal (name, "n") || g_str_equal (name, "steps") || g_str_equal (name, "seed") ||
              g_str_equal (name, "width") || g_str_equal (name, "height") || g_str_equal (name, "seed_variation"))
            continue;
          if (g_str_equal (name, "loras") || g_str_equal (name, "tis"))
            json_object_set_member (payload, name, marshal_list (json_object_get_member (sources[s], name),
                                                                 g_str_equal (name, "loras") ? lora_defaults
                                                                                             : ti_defaults));
          else
            json_object_set_member (payload, name, json_node_copy (json_object_get_member (sources[s], name)));
        }
    }
  json_node_take_object (node, payload);
  return node;
}

/* GenerationPayloadKobold.payload */
static JsonNode *
text_payload (HordeSimRequest *request,
              guint            count)
{
  JsonObject *body = request ? json_node_get_object (request->body) : NULL;
  JsonObject *params = member_object (body, "params");
  g_autoptr(GList) members = params ? json_object_get_members (params) : NULL;
  JsonObject *payload = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (payload, l->data, json_node_copy (json_object_get_member (params, l->data)));
  if (request != NULL)
    json_object_set_string_member (payload, "prompt", request->prompt);
  json_object_set_int_member (payload, "n", count);
  json_object_set_int_member (payload, "max_length", request ? request->max_length : 80);
  json_object_set_int_member (payload, "max_context_length", request ? request->max_context_length : 2048);
  json_node_take_object (node, payload);
  return node;
}

static JsonObject *
new_skipped (HordeSimKind kind)
{
  const char * const *names = kind == HORDE_SIM_KIND_IMAGE ? image_skips
                            : kind == HORDE_SIM_KIND_TEXT ? text_skips : alchemy_skips;
  JsonObject *skipped = json_object_new ();

  for (guint i = 0; names[i] != NULL; i++)
    json_object_set_int_member (skipped, names[i], 0);
  return skipped;
}

/* GenerationPayloadStable or GenerationPayloadKobold; an empty pop when
 * @popped is empty. */
static JsonNode *
generation_pop_reply (HordeSimHorde *horde,
                      HordeSimKind   kind,
                      GPtrArray     *popped,
                      JsonObject    *skipped)
{
  HordeSimGeneration *first = popped->len > 0 ? g_ptr_array_index (popped, 0) : NULL;
  HordeSimRequest *request = first ? first->request : NULL;
  JsonObject *body = request ? json_node_get_object (request->body) : NULL;
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *ids = json_array_new ();
  JsonArray *uploads = json_array_new ();

  for (guint i = 0; i < popped->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (popped, i);

      json_array_add_string_element (ids, generation->id);
      if (kind == HORDE_SIM_KIND_IMAGE)
        {
          g_autofree char *url = horde_sim_horde_upload_url (horde, generation->id);

          json_array_add_string_element (uploads, url);
        }
    }

  if (kind == HORDE_SIM_KIND_IMAGE)
    json_object_set_member (object, "payload", image_payload (request, first, MAX (popped->len, 1)));
  else
    json_object_set_member (object, "payload", text_payload (request, MAX (popped->len, 1)));
  horde_sim_json_set_string (object, "id", first ? first->id : NULL);
  json_object_set_array_member (object, "ids", ids);
  horde_sim_json_add_array (object, "messages");
  if (first != NULL)
    json_object_set_int_member (object, "ttl", horde_sim_horde_get_job_ttl (horde));
  else
    json_object_set_null_member (object, "ttl");
  /* a pop that found work reports no skips */
  if (first != NULL)
    {
      json_object_unref (skipped);
      skipped = json_object_new ();
    }
  json_object_set_object_member (object, "skipped", skipped);
  horde_sim_json_set_string (object, "model", first ? first->model : NULL);
  if (kind == HORDE_SIM_KIND_IMAGE)
    {
      const char *source = string_member (body, "source_image");
      const char *processing = string_member (body, "source_processing");

      /* horde/classes/stable/waiting_prompt.py get_pop_payload: the
       * source's processing and mask come only with a source image;
       * without one, the marshalling's default "img2img" and null */
      if (source != NULL && *source != '\0')
        {
          json_object_set_string_member (object, "source_image", source);
          json_object_set_string_member (object, "source_processing", processing ? processing : "img2img");
          json_object_set_member (object, "source_mask", copy_or_null (body, "source_mask"));
        }
      else
        {
          json_object_set_null_member (object, "source_image");
          json_object_set_string_member (object, "source_processing", "img2img");
          json_object_set_null_member (object, "source_mask");
        }
      json_object_set_member (object, "extra_source_images", copy_or_null (body, "extra_source_images"));
      horde_sim_json_set_string (object, "r2_upload",
                                 first ? json_array_get_string_element (uploads, 0) : NULL);
      if (first != NULL)
        json_object_set_array_member (object, "r2_uploads", json_array_ref (uploads));
      else
        json_object_set_null_member (object, "r2_uploads");
    }
  else
    {
      json_object_set_member (object, "extra_source_images", copy_or_null (body, "extra_source_images"));
      json_object_set_member (object, "softprompt", copy_or_null (body, "softprompt"));
    }
  json_array_unref (uploads);
  json_node_take_object (node, object);
  return node;
}

/* The form's payload from the request ({"name": …, "payload": {…}}). */
static JsonNode *
form_payload (HordeSimRequest *request,
              const char      *form)
{
  JsonNode *forms = json_object_get_member (json_node_get_object (request->body), "forms");
  JsonArray *array = forms && JSON_NODE_HOLDS_ARRAY (forms) ? json_node_get_array (forms) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_strcmp0 (string_member (entry, "name"), form) == 0)
        return copy_or_null (entry, "payload");
    }
  return json_node_new (JSON_NODE_NULL);
}

/* InterrogationPopPayload */
static JsonNode *
alchemy_pop_reply (HordeSimHorde *horde,
                   GPtrArray     *popped,
                   JsonObject    *skipped)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *forms;

  if (popped->len == 0)
    {
      json_object_set_null_member (object, "forms");
      json_object_set_object_member (object, "skipped", skipped);
      json_node_take_object (node, object);
      return node;
    }
  json_object_unref (skipped);
  forms = horde_sim_json_add_array (object, "forms");
  for (guint i = 0; i < popped->len; i++)
    {
      HordeSimGeneration *generation = g_ptr_array_index (popped, i);
      JsonObject *form = json_object_new ();
      g_autofree char *source = horde_sim_horde_source_url (horde, generation->request);

      json_object_set_string_member (form, "id", generation->id);
      json_object_set_string_member (form, "form", generation->form);
      json_object_set_member (form, "payload", form_payload (generation->request, generation->form));
      json_object_set_string_member (form, "source_image", source);
      if (horde_sim_form_is_post_processor (generation->form))
        {
          g_autofree char *upload = horde_sim_horde_upload_url (horde, generation->id);

          json_object_set_string_member (form, "r2_upload", upload);
        }
      json_array_add_object_element (forms, form);
    }
  horde_sim_json_add_object (object, "skipped");
  json_node_take_object (node, object);
  return node;
}

/* The allow_* of an image pop, absent ones as the server's
 * ImageWorker.check_in defaults them: img2img, painting and
 * post-processing yes, ControlNet, SDXL ControlNet and LoRA no */
static HordeSimAllow
allowed_from (JsonObject *body)
{
  static const struct {
    const char    *member;
    HordeSimAllow  allow;
    gboolean       fallback;
  } flags[] = {
    { "allow_img2img", HORDE_SIM_ALLOW_IMG2IMG, TRUE },
    { "allow_painting", HORDE_SIM_ALLOW_PAINTING, TRUE },
    { "allow_post_processing", HORDE_SIM_ALLOW_POST_PROCESSING, TRUE },
    { "allow_controlnet", HORDE_SIM_ALLOW_CONTROLNET, FALSE },
    { "allow_sdxl_controlnet", HORDE_SIM_ALLOW_SDXL_CONTROLNET, FALSE },
    { "allow_lora", HORDE_SIM_ALLOW_LORA, FALSE },
  };
  HordeSimAllow allowed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (bool_member (body, flags[i].member, flags[i].fallback))
      allowed |= flags[i].allow;
  return allowed;
}

/* Whether one of @models has the SDXL baseline (the server's
 * ImageWorker.can_generate: "stable_diffusion_xl" in my_baselines) */
static gboolean
serves_sdxl (const char * const *models)
{
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    if (g_str_equal (horde_sim_api_model_baseline (models[i]), "stable_diffusion_xl"))
      return TRUE;
  return FALSE;
}

/* POST /v2/generate/pop, /v2/generate/text/pop, /v2/interrogate/pop */
void
horde_sim_api_worker_pop (HordeSimHorde *horde,
                          HordeSimCall  *call,
                          gconstpointer  data)
{
  HordeSimKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) popped = NULL;
  g_auto(GStrv) models = NULL;
  HordeSimWorker *worker;
  HordeSimUser *user;
  JsonObject *body;
  const char *name;
  const char *rc;
  JsonObject *skipped;

  if (!validate (call, pop_fields, G_N_ELEMENTS (pop_fields)))
    return;
  user = horde_sim_api_require_user (horde, call);
  if (user == NULL)
    return;
  if (horde_sim_user_is_anonymous (user))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "AnonForbiddenWorker",
                                  "Anonymous user is forbidden from performing this operation");
      return;
    }
  body = json_node_get_object (call->json);
  name = string_member (body, "name");
  if (name == NULL || *name == '\0')
    {
      reply_missing (call, "name");
      return;
    }
  worker = horde_sim_horde_check_in_worker (horde, kind, name, user, &rc);
  if (worker == NULL && g_str_equal (rc, "WrongCredentials"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, rc, "Wrong credentials to submit as this worker.");
      return;
    }
  if (worker == NULL)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, rc,
                                  "The specified name '%s' is already taken by a different type of worker. "
                                  "Please choose a different name!", name);
      return;
    }

  models = horde_sim_json_dup_strv (body, kind == HORDE_SIM_KIND_ALCHEMY ? "forms" : "models");
  horde_sim_worker_check_in (worker, (const char * const *) models,
                             string_member (body, "bridge_agent") ? string_member (body, "bridge_agent")
                                                                   : "unknown:0:unknown",
                             /* job_pop_parser: "nsfw" defaults to True */
                             bool_member (body, "nsfw", TRUE), (guint) int_member (body, "threads", 1));
  horde_sim_worker_set_r2 (worker, horde_sim_horde_bridge_can_r2 (horde, horde_sim_worker_get_bridge_agent (worker)));
  horde_sim_worker_set_bridge (worker, horde_sim_horde_bridge_capabilities (horde,
                                                                            horde_sim_worker_get_bridge_agent (worker)));
  horde_sim_worker_set_allowed (worker, allowed_from (body));
  horde_sim_worker_set_serves_sdxl (worker, serves_sdxl ((const char * const *) models));
  horde_sim_worker_set_limits (worker, int_member (body, "max_pixels", DEFAULT_MAX_PIXELS),
                               (int) int_member (body, "max_length", DEFAULT_MAX_LENGTH),
                               (int) int_member (body, "max_context_length", DEFAULT_MAX_CONTEXT_LENGTH));

  skipped = new_skipped (kind);
  popped = horde_sim_horde_pop (horde, worker, (guint) int_member (body, "amount", 1), skipped);
  /* "We report maintenance exception only if we couldn't find any jobs"
   * (horde/apis/v2/base.py JobPop) */
  if (popped->len == 0 && horde_sim_worker_get_maintenance (worker))
    {
      json_object_unref (skipped);
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "WorkerMaintenance", "%s",
                                  horde_sim_worker_get_maintenance_msg (worker));
      return;
    }
  if (popped->len > 0)
    horde_sim_call_set_job (call, ((HordeSimGeneration *) g_ptr_array_index (popped, 0))->request->id);
  if (kind == HORDE_SIM_KIND_ALCHEMY)
    horde_sim_call_reply (call, SOUP_STATUS_OK, alchemy_pop_reply (horde, popped, skipped));
  else
    horde_sim_call_reply (call, SOUP_STATUS_OK, generation_pop_reply (horde, kind, popped, skipped));
}

/* ---- submit --------------------------------------------------------- */

/* POST /v2/generate/submit, /v2/generate/text/submit, /v2/interrogate/submit */
void
horde_sim_api_worker_submit (HordeSimHorde *horde,
                             HordeSimCall  *call,
                             gconstpointer  data)
{
  HordeSimKind kind = GPOINTER_TO_INT (data);
  HordeSimSubmission submission = { 0 };
  g_autoptr(GBytes) image = NULL;
  const char *worker_name = NULL;
  HordeSimSubmitResult result;
  HordeSimUser *user;
  JsonObject *body;
  JsonObject *reply;
  JsonNode *node;
  const char *id;
  double reward = 0;

  if (kind == HORDE_SIM_KIND_ALCHEMY ? !validate (call, alchemy_submit_fields, G_N_ELEMENTS (alchemy_submit_fields))
                                     : !validate (call, submit_fields, G_N_ELEMENTS (submit_fields)))
    return;
  body = json_node_get_object (call->json);
  id = string_member (body, "id");
  if (id == NULL)
    {
      reply_missing (call, "id");
      return;
    }
  if (kind == HORDE_SIM_KIND_IMAGE && !json_object_has_member (body, "seed"))
    {
      reply_missing (call, "seed");
      return;
    }
  if (kind == HORDE_SIM_KIND_ALCHEMY && !json_object_has_member (body, "result"))
    {
      reply_missing (call, "result");
      return;
    }
  if (call->apikey == NULL)
    {
      reply_missing (call, "apikey");
      return;
    }
  user = horde_sim_horde_lookup_user (horde, call->apikey);

  submission.state = string_member (body, "state") ? string_member (body, "state") : "ok";
  submission.text = string_member (body, "generation");
  submission.gen_metadata = json_object_get_member (body, "gen_metadata");
  submission.result = json_object_get_member (body, "result");
  if (json_object_has_member (body, "seed"))
    {
      submission.has_seed = TRUE;
      submission.seed = (guint32) int_member (body, "seed", 0);
    }
  if (kind == HORDE_SIM_KIND_ALCHEMY)
    submission.r2 = TRUE;
  else if (kind == HORDE_SIM_KIND_IMAGE)
    {
      submission.r2 = g_strcmp0 (submission.text, "R2") == 0;
      if (!submission.r2 && submission.text != NULL)
        {
          submission.b64 = submission.text;
          gsize length = 0;
          guint8 *decoded = g_base64_decode (submission.text, &length);

          image = g_bytes_new_take (decoded, length);
          submission.image = image;
        }
      submission.text = NULL;
    }

  if (user == NULL)
    {
      /* the real server looks the job up before the key */
      if (!horde_sim_horde_has_job (horde, kind, id))
        horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "InvalidJobID",
                                    "Processing Job with ID %s does not exist.", id);
      else
        horde_sim_call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, "InvalidAPIKey",
                                    "No user matching sent API Key. Have you remembered to register at "
                                    "https://stablehorde.net/register ?");
      return;
    }
  result = horde_sim_horde_submit_job (horde, kind, user, id, &submission, &reward, &worker_name);
  switch (result)
    {
    case HORDE_SIM_SUBMIT_UNKNOWN:
      horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "InvalidJobID",
                                  "Processing Job with ID %s does not exist.", id);
      return;
    case HORDE_SIM_SUBMIT_WRONG_USER:
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "WrongCredentials",
                                  "Wrong credentials to submit as this worker.");
      return;
    case HORDE_SIM_SUBMIT_DUPLICATE:
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "DuplicateGen",
                                  "Processing Generation with ID %s already submitted.", id);
      return;
    case HORDE_SIM_SUBMIT_ABORTED:
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "AbortedGen",
                                  "Processing Generation with ID %s took too long to process and has been aborted! "
                                  "Please check your worker speed - generations must complete within %d seconds "
                                  "(minimum ~1 it/s, higher for large requests)!",
                                  id, horde_sim_horde_get_job_ttl (horde));
      return;
    case HORDE_SIM_SUBMIT_OK:
    case HORDE_SIM_SUBMIT_FAULTED:
    default:
      break;
    }
  reply = json_object_new ();
  node = json_node_new (JSON_NODE_OBJECT);
  json_object_set_double_member (reply, "reward", reward);
  json_node_take_object (node, reply);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

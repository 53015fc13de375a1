/* horde-sim-api-generate.c: queueing work and reading its status
 *
 * POST …/async validates a payload in the real server's order (schema
 * errors first, then the API key, then the server's own checks: prompt,
 * concurrency, upfront kudos), answers dry runs, and queues a request.
 * An image request without nsfw or censor_nsfw has them true, as the
 * server's request parsers default them (the spec says false).
 * The status handlers are shared by image, text and alchemy requests;
 * /generate/check answers come from a cache of --check-cache seconds (1,
 * like the server's), and a DELETE keeps the request (see
 * horde_sim_horde_cancel()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-api.h"
#include "horde-sim-model-reference.h"
#include "horde-sim-content.h"
#include "horde-sim-image.h"
#include "horde-sim-json.h"
#include "horde-sim-validate.h"

#include <math.h>
#include <string.h>

#define MAX_LORAS 5
#define MAX_TIS 20
#define UPFRONT_STEPS 50
#define UPFRONT_PIXELS (1024 * 1024)
#define UPFRONT_TOKENS 512
/* horde/classes/stable/waiting_prompt.py: ControlNet runs 20 steps unless
 * asked, at most 40 (more are lowered to 40 without a word), and more than
 * 20 need kudos upfront (require_upfront_kudos) */
#define CONTROLNET_DEFAULT_STEPS 20
#define CONTROLNET_MAX_STEPS 40
#define CONTROLNET_UPFRONT_STEPS 20

#define FIELD(path, type) { path, HORDE_SIM_FIELD_##type, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, NULL }
#define RANGE(path, type, min, max) { path, HORDE_SIM_FIELD_##type, min, max, NULL }
#define CHOICE(path, type, choices) { path, HORDE_SIM_FIELD_##type, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, choices }

static const char * const samplers[] = {
  "k_dpm_fast", "k_dpmpp_2s_a", "k_lms", "k_euler_a", "DDIM", "k_euler", "k_dpmpp_2m", "k_dpm_2_a",
  "k_dpmpp_sde", "dpmsolver", "lcm", "k_dpm_adaptive", "k_dpm_2", "k_heun", NULL
};
static const char * const post_processors[] = {
  "GFPGAN", "RealESRGAN_x4plus", "RealESRGAN_x2plus", "RealESRGAN_x4plus_anime_6B", "NMKD_Siax",
  "4x_AnimeSharp", "CodeFormers", "strip_background", "4xNomos8kSC", "4xLSDIRplus",
  "4xNomosWebPhoto_RealPLKSR", "4xNomos2_realplksr_dysample", "4xNomos2_hq_dat2",
  "2xModernSpanimationV1", "GFPGANv1.3", "RestoreFormer", NULL
};
static const char * const forms[] = {
  "caption", "interrogation", "nsfw", "vectorize", "palette", "describe", "aesthetic", "GFPGAN",
  "RealESRGAN_x4plus", "RealESRGAN_x2plus", "RealESRGAN_x4plus_anime_6B", "NMKD_Siax", "4x_AnimeSharp",
  "CodeFormers", "strip_background", "4xNomos8kSC", "4xLSDIRplus", "4xNomosWebPhoto_RealPLKSR",
  "4xNomos2_realplksr_dysample", "4xNomos2_hq_dat2", "2xModernSpanimationV1", "GFPGANv1.3",
  "RestoreFormer", NULL
};
static const char * const control_types[] = {
  "canny", "hed", "depth", "normal", "openpose", "seg", "scribble", "fakescribbles", "hough", NULL
};
static const char * const injections[] = { "prompt", "negprompt", NULL };
static const char * const source_processings[] = { "img2img", "inpainting", "outpainting", "remix", NULL };
static const char * const workflows[] = { "qr_code", NULL };

/* GenerationInputStable, less what the server reports with its own rc
 * (prompt, width/height → InvalidSize, steps > 500 → TooManySteps) */
static const HordeSimField image_fields[] = {
  FIELD ("prompt", STRING),
  FIELD ("params", OBJECT),
  CHOICE ("params.sampler_name", STRING, samplers),
  RANGE ("params.cfg_scale", NUMBER, 0, 100),
  RANGE ("params.denoising_strength", NUMBER, 0.01, 1),
  RANGE ("params.hires_fix_denoising_strength", NUMBER, 0.01, 1),
  FIELD ("params.height", INTEGER),
  FIELD ("params.width", INTEGER),
  CHOICE ("params.post_processing", STRING_ARRAY, post_processors),
  FIELD ("params.karras", BOOLEAN),
  FIELD ("params.tiling", BOOLEAN),
  FIELD ("params.hires_fix", BOOLEAN),
  RANGE ("params.clip_skip", INTEGER, 1, 12),
  RANGE ("params.facefixer_strength", NUMBER, 0, 1),
  FIELD ("params.loras", OBJECT_ARRAY),
  RANGE ("params.loras.*.name", STRING, 1, 255),
  RANGE ("params.loras.*.model", NUMBER, -5, 5),
  RANGE ("params.loras.*.clip", NUMBER, -5, 5),
  FIELD ("params.tis", OBJECT_ARRAY),
  RANGE ("params.tis.*.name", STRING, 1, 255),
  CHOICE ("params.tis.*.inject_ti", STRING, injections),
  RANGE ("params.tis.*.strength", NUMBER, -5, 5),
  FIELD ("params.special", OBJECT),
  CHOICE ("params.workflow", STRING, workflows),
  FIELD ("params.transparent", BOOLEAN),
  FIELD ("params.seed", STRING),
  RANGE ("params.seed_variation", INTEGER, 1, 1000),
  CHOICE ("params.control_type", STRING, control_types),
  FIELD ("params.image_is_control", BOOLEAN),
  FIELD ("params.return_control_map", BOOLEAN),
  FIELD ("params.extra_texts", OBJECT_ARRAY),
  RANGE ("params.steps", INTEGER, 1, HORDE_SIM_NO_BOUND),
  RANGE ("params.n", INTEGER, 1, 20),
  FIELD ("nsfw", BOOLEAN),
  FIELD ("trusted_workers", BOOLEAN),
  FIELD ("validated_backends", BOOLEAN),
  FIELD ("slow_workers", BOOLEAN),
  FIELD ("extra_slow_workers", BOOLEAN),
  FIELD ("censor_nsfw", BOOLEAN),
  FIELD ("workers", STRING_ARRAY),
  FIELD ("worker_blacklist", BOOLEAN),
  FIELD ("models", STRING_ARRAY),
  FIELD ("source_image", STRING),
  CHOICE ("source_processing", STRING, source_processings),
  FIELD ("source_mask", STRING),
  FIELD ("extra_source_images", OBJECT_ARRAY),
  FIELD ("r2", BOOLEAN),
  FIELD ("shared", BOOLEAN),
  FIELD ("replacement_filter", BOOLEAN),
  FIELD ("dry_run", BOOLEAN),
  FIELD ("proxied_account", STRING),
  FIELD ("disable_batching", BOOLEAN),
  FIELD ("allow_downgrade", BOOLEAN),
  RANGE ("webhook", STRING, 10, 1024),
  RANGE ("style", STRING, 3, 1024),
};

/* GenerationInputKobold */
static const HordeSimField text_fields[] = {
  FIELD ("prompt", STRING),
  FIELD ("params", OBJECT),
  FIELD ("params.frmtadsnsp", BOOLEAN),
  FIELD ("params.frmtrmblln", BOOLEAN),
  FIELD ("params.frmtrmspch", BOOLEAN),
  FIELD ("params.frmttriminc", BOOLEAN),
  RANGE ("params.rep_pen", NUMBER, 1, 3),
  RANGE ("params.rep_pen_range", INTEGER, 0, 4096),
  RANGE ("params.rep_pen_slope", NUMBER, 0, 10),
  FIELD ("params.singleline", BOOLEAN),
  RANGE ("params.temperature", NUMBER, 0, 5),
  RANGE ("params.tfs", NUMBER, 0, 1),
  RANGE ("params.top_a", NUMBER, 0, 1),
  RANGE ("params.top_k", INTEGER, 0, 200),
  RANGE ("params.top_p", NUMBER, 0.001, 1),
  RANGE ("params.typical", NUMBER, 0, 1),
  FIELD ("params.sampler_order", INTEGER_ARRAY),
  FIELD ("params.use_default_badwordsids", BOOLEAN),
  FIELD ("params.stop_sequence", STRING_ARRAY),
  RANGE ("params.min_p", NUMBER, 0, 1),
  RANGE ("params.smoothing_factor", NUMBER, 0, 10),
  RANGE ("params.dynatemp_range", NUMBER, 0, 5),
  RANGE ("params.dynatemp_exponent", NUMBER, 0, 5),
  RANGE ("params.n", INTEGER, 1, 20),
  RANGE ("params.max_context_length", INTEGER, 80, 1048576),
  RANGE ("params.max_length", INTEGER, 16, 4096),
  RANGE ("softprompt", STRING, 1, HORDE_SIM_NO_BOUND),
  FIELD ("trusted_workers", BOOLEAN),
  FIELD ("validated_backends", BOOLEAN),
  FIELD ("slow_workers", BOOLEAN),
  FIELD ("workers", STRING_ARRAY),
  FIELD ("worker_blacklist", BOOLEAN),
  FIELD ("models", STRING_ARRAY),
  FIELD ("dry_run", BOOLEAN),
  FIELD ("proxied_account", STRING),
  FIELD ("extra_source_images", OBJECT_ARRAY),
  FIELD ("disable_batching", BOOLEAN),
  FIELD ("allow_downgrade", BOOLEAN),
  FIELD ("webhook", STRING),
  RANGE ("style", STRING, 3, 1024),
  FIELD ("extra_slow_workers", BOOLEAN),
};

/* ModelInterrogationInputStable */
static const HordeSimField alchemy_fields[] = {
  FIELD ("forms", OBJECT_ARRAY),
  CHOICE ("forms.*.name", STRING, forms),
  FIELD ("forms.*.payload", OBJECT),
  FIELD ("source_image", STRING),
  FIELD ("trusted_workers", BOOLEAN),
  FIELD ("slow_workers", BOOLEAN),
  RANGE ("webhook", STRING, 10, 1024),
};

static const struct {
  const char          *label;            /* for RequestNotFound */
  const HordeSimField *fields;
  gsize                n_fields;
} kinds[HORDE_SIM_N_KINDS] = {
  [HORDE_SIM_KIND_IMAGE] = { "Image Waiting Prompt", image_fields, G_N_ELEMENTS (image_fields) },
  [HORDE_SIM_KIND_TEXT] = { "Text Waiting Prompt", text_fields, G_N_ELEMENTS (text_fields) },
  [HORDE_SIM_KIND_ALCHEMY] = { "Interrogation", alchemy_fields, G_N_ELEMENTS (alchemy_fields) },
};

/* ---- reading payloads ----------------------------------------------- */

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A number from @first (a style, say) or else @second, or @fallback. */
static double
number_from (JsonObject *first,
             JsonObject *second,
             const char *member,
             double      fallback)
{
  JsonNode *node = first ? json_object_get_member (first, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    node = second ? json_object_get_member (second, member) : NULL;
  return horde_sim_json_number (node, fallback);
}

static guint
array_length (JsonObject *object,
              const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 0;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
    ? json_node_get_string (node) : NULL;
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

/* ---- shared checks -------------------------------------------------- */

static gboolean
check_workers_exist (HordeSimHorde   *horde,
                     HordeSimCall    *call,
                     HordeSimRequest *request)
{
  for (guint i = 0; request->workers != NULL && request->workers[i] != NULL; i++)
    if (horde_sim_horde_lookup_worker (horde, request->workers[i], NULL) == NULL)
      {
        horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "WorkerNotFound",
                                    "Worker with ID '%s' not found.", request->workers[i]);
        return FALSE;
      }
  return TRUE;
}

/* The user's waiting generations plus these must fit their concurrency
 * (×10 for alchemy forms). */
static gboolean
check_concurrency (HordeSimHorde   *horde,
                   HordeSimCall    *call,
                   HordeSimRequest *request)
{
  HordeSimUser *user = request->user;
  guint limit = horde_sim_user_get_concurrency (user) * (request->kind == HORDE_SIM_KIND_ALCHEMY ? 10 : 1);
  guint count = horde_sim_horde_count_waiting (horde, user, request->kind);

  if (count == 0 || count + request->generations->len <= limit)
    return TRUE;
  count += request->generations->len;
  if (horde_sim_user_is_anonymous (user))
    horde_sim_call_reply_error (call, HORDE_SIM_STATUS_TOO_MANY_REQUESTS, "TooManyPrompts",
                                "Too many anonymous requests on using the AI Horde currently (%u/%u). "
                                "Please consider getting a personal API key at https://aihorde.net/register "
                                "which will also provide higher priority.", count, limit);
  else
    horde_sim_call_reply_error (call, HORDE_SIM_STATUS_TOO_MANY_REQUESTS, "TooManyPrompts",
                                "Parallel requests (%u) exceeded user limit (%u). "
                                "Please try again later or request to increase your concurrency.",
                                count, limit);
  return FALSE;
}

/* Big requests need the kudos upfront: anonymous users never have them. */
static gboolean
check_upfront (HordeSimCall    *call,
               HordeSimRequest *request,
               gboolean         needs_upfront)
{
  HordeSimUser *user = request->user;

  if (!needs_upfront ||
      (!horde_sim_user_is_anonymous (user) && horde_sim_user_get_kudos (user) >= request->kudos))
    return TRUE;
  if (request->kind == HORDE_SIM_KIND_TEXT)
    horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "KudosUpfront",
                                "Due to heavy demand, for requests over %d tokens, the client needs to "
                                "already have the required kudos. This request requires %.0f kudos to fulfil.",
                                UPFRONT_TOKENS, ceil (request->kudos));
  else
    horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "KudosUpfront",
                                "Due to heavy demand, for requests over 1024x1024 or over %d steps "
                                "(10 steps for LCM work, 30 steps for Stable Cascade, and half those steps "
                                "for k_heun, dpmpp_sde, and dpm_2*) the client needs to already have the "
                                "required kudos. This request requires %.0f kudos to fulfil.",
                                UPFRONT_STEPS, ceil (request->kudos));
  return FALSE;
}

static gboolean
check_prompt (HordeSimCall *call,
              const char   *prompt)
{
  if (prompt != NULL && *prompt != '\0')
    return TRUE;
  horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "MissingPrompt", "You cannot specify an empty prompt.");
  return FALSE;
}

static void
set_origin (HordeSimRequest *request,
            HordeSimCall    *call)
{
  request->origin_method = g_strdup (call->method);
  request->origin_path = g_strdup (call->path);
}

/* ---- image ---------------------------------------------------------- */

static gboolean
valid_size (double size)
{
  return size >= 64 && size <= 3072 && fmod (size, 64) == 0;
}

static guint
count_upscalers (JsonObject *params)
{
  g_auto(GStrv) names = horde_sim_json_dup_strv (params, "post_processing");
  guint count = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (strstr (names[i], "x2") || strstr (names[i], "x4") || strstr (names[i], "2x") || strstr (names[i], "4x"))
      count++;
  return count;
}

/* "{p}, cinematic###{np}, blurry" with the prompt's positive and negative parts */
static char *
apply_style_prompt (const char *template,
                    const char *prompt)
{
  const char *split = strstr (prompt, "###");
  g_autofree char *positive = split ? g_strndup (prompt, (gsize) (split - prompt)) : g_strdup (prompt);
  const char *negative = split ? split + 3 : "";
  GString *out = g_string_new (template);

  g_string_replace (out, "{p}", positive, 0);
  g_string_replace (out, "{np}", negative, 0);
  return g_string_free (out, FALSE);
}

/* A model's baseline as the server gives it: from its model reference
 * (the one the simulator serves), else from the name, as the server places
 * a model its reference lacks (horde/model_reference.py
 * get_model_baseline) */
const char *
horde_sim_api_model_baseline (const char *model)
{
  const char *baseline = horde_sim_model_reference_baseline (model);

  if (baseline != NULL)
    return baseline;
  if (strstr (model, "[SDXL]"))
    return "stable_diffusion_xl";
  if (strstr (model, "[Flux]"))
    return "flux_1";
  if (strstr (model, "[Qwen]"))
    return "qwen_image";
  if (strstr (model, "[ZModel]") || strstr (model, "[ZImage]"))
    return "z_image_turbo";
  return "stable diffusion 1";
}

/* ControlNet's refusals, in the order of horde/apis/v2/stable.py
 * ImageAsyncGenerate.validate() (all 400s) */
static gboolean
check_control_net (HordeSimCall *call,
                   JsonObject   *body,
                   JsonObject   *params)
{
  static const struct {
    const char *prefix;
    const char *name;
  } mismatches[] = {
    { "stable_diffusion_xl", "SDXL" },
    { "stable_cascade", "Stable Cascade" },
    { "flux_1", "Flux" },
    { "qwen_image", "Qwen" },
    { "z_image_turbo", "Z-Image" },
  };
  const char *control_type = string_member (params, "control_type");
  const char *source_processing = string_member (body, "source_processing");
  const char *source_image = string_member (body, "source_image");
  g_auto(GStrv) models = horde_sim_json_dup_strv (body, "models");

  if (params == NULL || !json_object_has_member (params, "control_type"))
    return TRUE;

  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    if (g_strcmp0 (control_type, "normal") == 0 || g_strcmp0 (control_type, "mlsd") == 0 || g_strcmp0 (control_type, "hough") == 0)
      if (g_str_has_prefix (horde_sim_api_model_baseline (models[i]), "stable diffusion 2"))
        {
          horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ControlNetUnsupported",
                                      "No current model available for this particular ControlNet for SD2.x");
          return FALSE;
        }
  if (models != NULL && g_strv_contains ((const char * const *) models, "pix2pix"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ControlNetUnsupported",
                                  "You cannot use ControlNet with these models.");
      return FALSE;
    }
  if (source_image == NULL || *source_image == '\0')
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ControlNetSourceMissing",
                                  "Controlnet Requires a source image.");
      return FALSE;
    }
  if (g_strcmp0 (source_processing, "inpainting") == 0)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ControlNetInpaintingMismatch",
                                  "ControlNet cannot be used with inpainting at this time");
      return FALSE;
    }
  for (guint m = 0; m < G_N_ELEMENTS (mismatches); m++)
    for (guint i = 0; models != NULL && models[i] != NULL; i++)
      if (g_str_has_prefix (horde_sim_api_model_baseline (models[i]), mismatches[m].prefix))
        {
          horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ControlNetMismatch",
                                      "ControlNet does not work with %s currently.", mismatches[m].name);
          return FALSE;
        }
  return TRUE;
}

static HordeSimRequest *
build_image_request (HordeSimHorde *horde,
                     HordeSimCall  *call,
                     HordeSimUser  *user,
                     gboolean      *needs_upfront)
{
  JsonObject *body = json_node_get_object (call->json);
  JsonObject *params = member_object (body, "params");
  const char *style_name = string_member (body, "style");
  JsonObject *style = style_name ? horde_sim_api_lookup_style (style_name) : NULL;
  JsonObject *style_params = member_object (style, "params");
  g_autoptr(HordeSimRequest) request = NULL;
  const char *seed = string_member (params, "seed");
  double width = number_from (style_params, params, "width", 512);
  double height = number_from (style_params, params, "height", 512);
  double steps = number_from (style_params, params, "steps", 30);
  int n = (int) number_from (NULL, params, "n", 1);
  guint variation = (guint) number_from (NULL, params, "seed_variation", 0);
  guint32 base_seed;
  double kudos;

  if (!valid_size (width) || !valid_size (height))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "InvalidSize",
                                  "Invalid size. The image dimensions have to be multiples of 64.");
      return NULL;
    }
  if (steps > 500)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "TooManySteps",
                                  "Too many sampling steps. To allow resources for everyone, we allow only up to 500 steps.");
      return NULL;
    }
  if (array_length (params, "loras") > MAX_LORAS)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "TooManyLoras",
                                  "You cannot request more than %d loras per generation.", MAX_LORAS);
      return NULL;
    }
  if (array_length (params, "tis") > MAX_TIS)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "TooManyTIs",
                                  "You cannot request more than %d Textual Inversions per generation.", MAX_TIS);
      return NULL;
    }
  if (count_upscalers (params) > 1)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "TooManyUpscalers",
                                  "Only 1 upscaler can be used per generation.");
      return NULL;
    }
  if (style_name != NULL && style == NULL)
    {
      /* horde/apis/v2/base.py apply_style: ThingNotFound("Style", …),
       * whose rc is "StyleNotFound" */
      horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "StyleNotFound",
                                  "Style with ID '%s' not found.", style_name);
      return NULL;
    }
  if (!check_prompt (call, string_member (body, "prompt")))
    return NULL;
  /* horde/apis/v2/stable.py ImageAsyncGenerate.validate */
  if (string_member (body, "source_mask") != NULL && string_member (body, "source_image") == NULL)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "SourceMaskUnnecessary",
                                  "Please do not pass a source_mask unless you are sending a source_image as well");
      return NULL;
    }
  if (!check_control_net (call, body, params))
    return NULL;
  if (params != NULL && json_object_has_member (params, "control_type"))
    {
      if (!json_object_has_member (params, "steps") && (style_params == NULL || !json_object_has_member (style_params, "steps")))
        steps = CONTROLNET_DEFAULT_STEPS;
      steps = MIN (steps, CONTROLNET_MAX_STEPS);
    }

  request = horde_sim_request_new (HORDE_SIM_KIND_IMAGE, user);
  set_origin (request, call);
  request->prompt = style ? apply_style_prompt (string_member (style, "prompt"), string_member (body, "prompt"))
                          : g_strdup (string_member (body, "prompt"));
  request->models = horde_sim_json_dup_strv (style ? style : body, "models");
  request->workers = horde_sim_json_dup_strv (body, "workers");
  request->worker_blacklist = bool_member (body, "worker_blacklist", FALSE);
  request->width = (int) width;
  request->height = (int) height;
  request->steps = (int) steps;
  request->r2 = bool_member (body, "r2", TRUE);
  /* absent means true: horde/apis/models/v2.py generate_parser "nsfw" and
   * stable_v2.py "censor_nsfw" both default to True (the spec says false) */
  request->nsfw = bool_member (body, "nsfw", TRUE);
  request->censor_nsfw = bool_member (body, "censor_nsfw", TRUE);

  /* what decides which workers may take it (horde/database/functions.py
   * get_sorted_wp_filtered_to_worker looks for the params' keys) */
  request->has_source = string_member (body, "source_image") != NULL && *string_member (body, "source_image") != '\0';
  request->painting = g_strcmp0 (string_member (body, "source_processing"), "inpainting") == 0 ||
                      g_strcmp0 (string_member (body, "source_processing"), "outpainting") == 0;
  request->has_loras = params != NULL && json_object_has_member (params, "loras");
  request->n_loras = array_length (params, "loras");
  request->has_tis = params != NULL && json_object_has_member (params, "tis");
  request->n_tis = array_length (params, "tis");
  request->control_net = string_member (params, "control_type") != NULL;
  request->return_control_map = bool_member (params, "return_control_map", FALSE);
  request->n_post_processors = array_length (params, "post_processing");
  request->qr_code = g_strcmp0 (string_member (params, "workflow"), "qr_code") == 0;
  request->transparent = bool_member (params, "transparent", FALSE);

  kudos = horde_sim_kudos_image_full (request->width, request->height, request->steps, request->n_post_processors,
                                      request->control_net && !request->return_control_map,
                                      request->n_loras, request->n_tis);
  base_seed = seed ? horde_sim_seed_from_string (seed) : 0;
  for (int i = 0; i < n; i++)
    horde_sim_request_add_generation (request,
                                      seed ? base_seed + (guint32) i * variation : horde_sim_horde_next_seed (horde),
                                      NULL, kudos);
  request->slow_workers = bool_member (body, "slow_workers", TRUE);
  /* The server's money (horde/apis/v2/base.py GenerateTemplate,
   * stable.py ImageAsyncGenerate.post): a dry run answers
   * round(extrapolate_dry_run_kudos()), the charge per image × n + 1
   * (no horde tax); a 202 answers round(wp.kudos), what one image earns
   * its worker.  Activation then pays the horde tax at once: 1, + 5 per
   * extra source image, + kudos_adjustment, which ImageAsyncGenerate
   * makes 2 whenever style_kudos "is not None", and style_kudos is False
   * without a style: every accepted image request pays 3. */
  request->kudos = horde_sim_request_charge (request, kudos) * n + 1;
  request->wp_kudos = kudos;
  request->tax = 3 + 5 * array_length (body, "extra_source_images");
  *needs_upfront = steps > UPFRONT_STEPS || width * height > UPFRONT_PIXELS ||
                   (params != NULL && json_object_has_member (params, "control_type") && steps > CONTROLNET_UPFRONT_STEPS);
  return g_steal_pointer (&request);
}

/* ---- text ----------------------------------------------------------- */

static HordeSimRequest *
build_text_request (HordeSimHorde *horde,
                    HordeSimCall  *call,
                    HordeSimUser  *user,
                    gboolean      *needs_upfront)
{
  JsonObject *body = json_node_get_object (call->json);
  JsonObject *params = member_object (body, "params");
  g_autoptr(HordeSimRequest) request = NULL;
  int n = (int) number_from (NULL, params, "n", 1);
  double kudos;

  if (!check_prompt (call, string_member (body, "prompt")))
    return NULL;

  request = horde_sim_request_new (HORDE_SIM_KIND_TEXT, user);
  set_origin (request, call);
  request->prompt = g_strdup (string_member (body, "prompt"));
  request->models = horde_sim_json_dup_strv (body, "models");
  request->workers = horde_sim_json_dup_strv (body, "workers");
  request->worker_blacklist = bool_member (body, "worker_blacklist", FALSE);
  request->max_length = (int) number_from (NULL, params, "max_length", 80);
  request->max_context_length = (int) number_from (NULL, params, "max_context_length", 2048);
  request->stop_sequences = horde_sim_json_dup_strv (params, "stop_sequence");

  kudos = horde_sim_kudos_text (request->max_length, request->max_context_length);
  for (int i = 0; i < n; i++)
    horde_sim_request_add_generation (request, horde_sim_horde_next_seed (horde), NULL, kudos);
  request->slow_workers = bool_member (body, "slow_workers", TRUE);
  /* A dry run answers (kudos + 1) × n + 1 like images.  The text waiting
   * prompt computes its kudos only for a dry run
   * (TextWaitingPrompt.calculate_kudos() is called by
   * extrapolate_dry_run_kudos() alone), so a 202 answers wp.kudos = 0.
   * The horde tax is 1 (+ 5 per extra source image; + 2 only with
   * another user's style, which the simulator's text requests have not). */
  request->kudos = horde_sim_request_charge (request, kudos) * n + 1;
  request->wp_kudos = 0;
  request->tax = 1 + 5 * array_length (body, "extra_source_images");
  *needs_upfront = request->max_length > UPFRONT_TOKENS;
  return g_steal_pointer (&request);
}

/* ---- alchemy -------------------------------------------------------- */

/* A URL is taken as is (the simulator never downloads); base64 must decode
 * to something that starts like a WebP, PNG, JPEG or GIF file. */
static GBytes *
decode_source_image (const char *source)
{
  static const struct {
    const char *magic;
    gsize       offset;
  } magics[] = {
    { "WEBP", 8 }, { "\x89PNG", 0 }, { "\xff\xd8\xff", 0 }, { "GIF8", 0 },
  };
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  if (g_str_has_prefix (source, "http://") || g_str_has_prefix (source, "https://"))
    return g_bytes_new (source, strlen (source));
  data = g_base64_decode (source, &length);
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    {
      gsize magic_length = strlen (magics[i].magic);

      if (length >= magics[i].offset + magic_length &&
          memcmp (data + magics[i].offset, magics[i].magic, magic_length) == 0)
        return g_bytes_new_take (g_steal_pointer (&data), length);
    }
  return NULL;
}

/* Whether a base64 image opens in PIL as RGBA, with four bands: a PNG of
 * colour type 6, a WebP with alpha (VP8X's alpha flag, VP8L's
 * alpha_is_used bit). A URL is not downloaded: taken as having one. */
static gboolean
source_has_alpha (const char *source)
{
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  if (g_str_has_prefix (source, "http://") || g_str_has_prefix (source, "https://"))
    return TRUE;
  data = g_base64_decode (source, &length);
  if (length > 25 && memcmp (data, "\x89PNG", 4) == 0 && memcmp (data + 12, "IHDR", 4) == 0)
    return data[25] == 6;
  if (length > 20 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    {
      if (memcmp (data + 12, "VP8X", 4) == 0)
        return (data[20] & 0x10) != 0;
      if (memcmp (data + 12, "VP8L", 4) == 0 && length > 24)
        return (data[24] & 0x10) != 0;
    }
  return FALSE;
}

/* An inpainting request needs a mask, or a source whose alpha is one:
 * refused when the server activates the request (stable.py
 * activate_waiting_prompt), after the dry run's answer */
static gboolean
check_inpainting_mask (HordeSimCall *call)
{
  JsonObject *body = json_node_get_object (call->json);
  const char *source = string_member (body, "source_image");

  if (source == NULL || string_member (body, "source_mask") != NULL ||
      g_strcmp0 (string_member (body, "source_processing"), "inpainting") != 0 ||
      source_has_alpha (source))
    return TRUE;
  horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "InpaintingMissingMask",
                              "Image validation failed. Inpainting requests must either include a mask, or an alpha channel.");
  return FALSE;
}

static HordeSimRequest *
build_alchemy_request (HordeSimHorde *horde,
                       HordeSimCall  *call,
                       HordeSimUser  *user,
                       gboolean      *needs_upfront)
{
  JsonObject *body = json_node_get_object (call->json);
  JsonNode *forms_node = json_object_get_member (body, "forms");
  JsonArray *array = forms_node && JSON_NODE_HOLDS_ARRAY (forms_node) ? json_node_get_array (forms_node) : NULL;
  g_autoptr(HordeSimRequest) request = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GBytes) source = NULL;
  double kudos = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = string_member (json_array_get_object_element (array, i), "name");

      /* the server ignores repeated forms */
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, (gpointer) name);
    }
  if (names->len == 0)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "NoValidActions",
                                  "You need to request at least one form.");
      return NULL;
    }
  source = decode_source_image (string_member (body, "source_image"));
  if (source == NULL)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "ImageValidationFailed",
                                  "Image validation failed: the source image is neither a URL nor a "
                                  "base64-encoded WebP, PNG, JPEG or GIF file.");
      return NULL;
    }

  request = horde_sim_request_new (HORDE_SIM_KIND_ALCHEMY, user);
  set_origin (request, call);
  request->source_hash = horde_sim_hash_bytes (source);
  request->source = g_steal_pointer (&source);
  request->slow_workers = bool_member (body, "slow_workers", TRUE);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      horde_sim_request_add_generation (request, 0, name, horde_sim_kudos_form (name));
      kudos += horde_sim_request_charge (request, horde_sim_kudos_form (name));
    }
  /* no tax: each form is paid when delivered (horde_sim_request_charge()) */
  request->kudos = kudos;
  *needs_upfront = FALSE;
  return g_steal_pointer (&request);
}

/* ---- handlers ------------------------------------------------------- */

static HordeSimRequest *(* const builders[HORDE_SIM_N_KINDS]) (HordeSimHorde *, HordeSimCall *,
                                                                HordeSimUser *, gboolean *) = {
  [HORDE_SIM_KIND_IMAGE] = build_image_request,
  [HORDE_SIM_KIND_TEXT] = build_text_request,
  [HORDE_SIM_KIND_ALCHEMY] = build_alchemy_request,
};

/* Schema-level checks that come before the API key on the real server. */
static gboolean
validate_payload (HordeSimCall *call,
                  HordeSimKind  kind)
{
  JsonObject *errors;

  if (horde_sim_call_get_json (call) == NULL)
    return FALSE;
  errors = horde_sim_validate (call->json, kinds[kind].fields, kinds[kind].n_fields);
  if (errors == NULL && kind == HORDE_SIM_KIND_ALCHEMY &&
      string_member (json_node_get_object (call->json), "source_image") == NULL)
    {
      errors = json_object_new ();
      json_object_set_string_member (errors, "source_image",
                                     "Missing required parameter in the JSON body or the post body or the query string");
    }
  if (errors != NULL)
    {
      horde_sim_call_reply_validation (call, errors);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
async_reply (HordeSimRequest *request,
             gboolean         dry_run)
{
  static const char * const warnings[HORDE_SIM_N_KINDS] = {
    [HORDE_SIM_KIND_IMAGE] = "Warning: No available workers can fulfill this request. It will expire in 20 minutes "
                             "unless a worker appears. Please confider reducing its size of the request or "
                             "choosing a different model.",
    [HORDE_SIM_KIND_TEXT] = "Warning: No available workers can fulfill this request. It will expire in 20 minutes. "
                            "Consider reducing the amount of tokens to generate.",
    [HORDE_SIM_KIND_ALCHEMY] = "Warning: No available workers can fulfill this request. It will expire in 20 "
                               "minutes unless a worker appears.",
  };
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (!dry_run)
    json_object_set_string_member (object, "id", request->id);
  /* Python's round(), to even like nearbyint() */
  if (request->kind != HORDE_SIM_KIND_ALCHEMY)
    json_object_set_double_member (object, "kudos", nearbyint (dry_run ? request->kudos : request->wp_kudos));
  if (!dry_run && !request->possible)
    {
      json_object_set_string_member (object, "message", warnings[request->kind]);
      if (request->kind != HORDE_SIM_KIND_ALCHEMY)
        {
          JsonObject *warning = json_object_new ();

          json_object_set_string_member (warning, "code", "NoAvailableWorker");
          json_object_set_string_member (warning, "message", warnings[request->kind]);
          json_array_add_object_element (horde_sim_json_add_array (object, "warnings"), warning);
        }
    }
  json_node_take_object (node, object);
  return node;
}

/* POST /v2/generate/async, /v2/generate/text/async, /v2/interrogate/async */
void
horde_sim_api_generate_async (HordeSimHorde *horde,
                              HordeSimCall  *call,
                              gconstpointer  data)
{
  HordeSimKind kind = GPOINTER_TO_INT (data);
  g_autoptr(HordeSimRequest) request = NULL;
  gboolean needs_upfront = FALSE;
  gboolean dry_run;
  HordeSimUser *user;

  if (!validate_payload (call, kind))
    return;
  user = horde_sim_api_require_user (horde, call);
  if (user == NULL)
    return;
  request = builders[kind] (horde, call, user, &needs_upfront);
  if (request == NULL ||
      !check_workers_exist (horde, call, request) ||
      !check_concurrency (horde, call, request) ||
      !check_upfront (call, request, needs_upfront))
    return;

  dry_run = kind != HORDE_SIM_KIND_ALCHEMY && bool_member (json_node_get_object (call->json), "dry_run", FALSE);
  request->possible = horde_sim_horde_can_serve (horde, request);
  if (dry_run)
    {
      horde_sim_call_reply (call, SOUP_STATUS_OK, async_reply (request, TRUE));
      return;
    }
  if (kind == HORDE_SIM_KIND_IMAGE && !check_inpainting_mask (call))
    return;
  request->body = json_node_copy (call->json);
  horde_sim_horde_submit (horde, request);
  horde_sim_call_set_job (call, request->id);
  g_debug ("queued %s request %s with %u generations", horde_sim_kind_to_string (kind),
           request->id, request->generations->len);
  horde_sim_call_reply (call, SOUP_STATUS_ACCEPTED, async_reply (request, FALSE));
}

/* The request named by the path; NULL after answering 404.  @stats: the
 * job's bookkeeping, which outlives the request (NULL for unknown ids). */
static HordeSimRequest *
find_request (HordeSimHorde     *horde,
              HordeSimCall      *call,
              HordeSimKind       kind,
              const char        *operation,
              HordeSimJobStats **stats)
{
  const char *id = horde_sim_call_get_param (call, 0);
  HordeSimRequest *request;

  horde_sim_call_set_job (call, id);
  *stats = horde_sim_horde_get_stats (horde, id);
  request = horde_sim_horde_lookup (horde, kind, id);
  if (request != NULL)
    return request;
  if (kind == HORDE_SIM_KIND_ALCHEMY)
    horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "RequestNotFound",
                                "%s with ID '%s' not found.", kinds[kind].label, id);
  else
    horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "RequestNotFound",
                                "%s (%s) with ID '%s' not found.", kinds[kind].label, operation, id);
  return NULL;
}

static void
answer_status (HordeSimHorde *horde,
               HordeSimCall  *call,
               HordeSimKind   kind,
               gboolean       full)
{
  HordeSimJobStats *stats;
  HordeSimRequest *request;
  JsonNode *answer;

  /* /generate/check answers from the server's 1 s cache before anything
   * else (see horde_sim_horde_cached_check()) */
  if (!full && (answer = horde_sim_horde_cached_check (horde, call->path)) != NULL)
    {
      const char *id = horde_sim_call_get_param (call, 0);

      horde_sim_call_set_job (call, id);
      stats = horde_sim_horde_get_stats (horde, id);
      if (stats != NULL)
        stats->checks++;
      horde_sim_call_reply (call, SOUP_STATUS_OK, answer);
      return;
    }
  request = find_request (horde, call, kind, full ? "Status" : "Check", &stats);
  if (stats != NULL && full)
    stats->statuses++;
  else if (stats != NULL)
    stats->checks++;
  if (request == NULL)
    return;
  answer = horde_sim_horde_poll (horde, request, full);
  if (!full)
    horde_sim_horde_cache_check (horde, call->path, answer);
  horde_sim_call_reply (call, SOUP_STATUS_OK, answer);
  if (horde_sim_request_is_done (request) && request->stats->finished > 0)
    call->noticed = request->stats;
}

/* GET /v2/generate/check/{id} */
void
horde_sim_api_generate_check (HordeSimHorde *horde,
                              HordeSimCall  *call,
                              gconstpointer  data)
{
  answer_status (horde, call, GPOINTER_TO_INT (data), FALSE);
}

/* GET /v2/generate/status/{id}, /v2/generate/text/status/{id},
 * /v2/interrogate/status/{id} */
void
horde_sim_api_generate_status (HordeSimHorde *horde,
                               HordeSimCall  *call,
                               gconstpointer  data)
{
  answer_status (horde, call, GPOINTER_TO_INT (data), TRUE);
}

/* DELETE on the same paths */
void
horde_sim_api_generate_cancel (HordeSimHorde *horde,
                               HordeSimCall  *call,
                               gconstpointer  data)
{
  HordeSimJobStats *stats;
  HordeSimRequest *request = find_request (horde, call, GPOINTER_TO_INT (data), "Delete", &stats);

  if (stats != NULL)
    stats->deletes++;
  if (request == NULL)
    return;
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_cancel (horde, request));
}

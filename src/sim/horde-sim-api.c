/* horde-sim-api.c: the /api routes and the informational endpoints
 *
 * The route table maps method + path template to a handler; the handlers
 * for queued work live in horde-sim-api-generate.c.  Everything here reads
 * the simulated horde: users, workers, models, performance, generation
 * statistics, plus a few built-in image and text styles, filters (for
 * moderators) and news items.  Styles can be PATCHed as on the server, with
 * its checks, but the built-in ones belong to nobody who may change them.
 * Two image styles have an example image, as on the server a URL on
 * another host (there, R2): here on the sim's own /r2/style-examples/,
 * rendered from the style's prompt, so that nothing reaches the Internet.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-api.h"
#include "horde-sim-image.h"
#include "horde-sim-json.h"

#include <string.h>

#define API_VERSION "5.1.5"
#define STYLES_PER_PAGE 25

static const char styles_json[] =
  "["
  " {\"id\": \"7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a01\", \"name\": \"sim-cinematic\","
  "  \"info\": \"Moody film stills with dramatic light.\","
  "  \"prompt\": \"{p}, cinematic lighting, dramatic, film grain###{np}, cartoon, blurry\","
  "  \"params\": {\"width\": 768, \"height\": 512, \"steps\": 25, \"cfg_scale\": 6.5,"
  "              \"sampler_name\": \"k_dpmpp_2m\", \"karras\": true},"
  "  \"models\": [\"Deliberate\"], \"tags\": [\"photorealistic\", \"cinematic\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 1520, \"creator\": \"horde-sim#0\","
  "  \"examples\": [{\"id\": \"5e0c9a1b-8d2f-4e3a-9b1c-0d1e2f3a4b01\", \"primary\": true,"
  "                \"url\": \"/r2/style-examples/7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a01.webp\"}]},"
  " {\"id\": \"7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a02\", \"name\": \"sim-anime\","
  "  \"info\": \"Bright anime illustrations.\","
  "  \"prompt\": \"{p}, anime style, vibrant colors###{np}, photo, realistic\","
  "  \"params\": {\"width\": 512, \"height\": 768, \"steps\": 20, \"cfg_scale\": 7,"
  "              \"sampler_name\": \"k_euler_a\"},"
  "  \"models\": [\"stable_diffusion\"], \"tags\": [\"anime\", \"illustration\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 2210, \"creator\": \"horde-sim#0\","
  "  \"examples\": [{\"id\": \"5e0c9a1b-8d2f-4e3a-9b1c-0d1e2f3a4b02\", \"primary\": true,"
  "                \"url\": \"/r2/style-examples/7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a02.webp\"}]},"
  " {\"id\": \"7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a03\", \"name\": \"sim-sketch\","
  "  \"info\": \"Monochrome pencil sketches.\","
  "  \"prompt\": \"{p}, pencil sketch, monochrome, cross hatching###{np}, color\","
  "  \"params\": {\"steps\": 15, \"cfg_scale\": 5, \"sampler_name\": \"k_euler\"},"
  "  \"models\": [\"stable_diffusion\"], \"tags\": [\"drawing\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 310, \"creator\": \"horde-sim#0\", \"examples\": []},"
  " {\"id\": \"7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a04\", \"name\": \"sim-sdxl-portrait\","
  "  \"info\": \"Shallow depth of field SDXL portraits.\","
  "  \"prompt\": \"{p}, portrait photo, 85mm, bokeh###{np}, deformed\","
  "  \"params\": {\"width\": 1024, \"height\": 1024, \"steps\": 30, \"cfg_scale\": 5},"
  "  \"models\": [\"AlbedoBase XL (SDXL)\"], \"tags\": [\"portrait\", \"photorealistic\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 870, \"creator\": \"horde-sim#0\", \"examples\": []}"
  "]";

/* StyleKobold: params are text generation parameters, and the prompt
 * template takes only {p}.  The model names are the simulated text
 * workers' (horde-sim-horde.c).  Fractions are binary-exact so that
 * json-glib prints them as written (0.3 would come out 0.29999999999999999). */
static const char text_styles_json[] =
  "["
  " {\"id\": \"3f1e9a7d-2b4c-4d5e-8f60-7a8b9c0d1e01\", \"name\": \"sim-storyteller\","
  "  \"info\": \"Long, vivid fantasy narration.\","
  "  \"prompt\": \"You are a master storyteller. Continue the tale: {p}\","
  "  \"params\": {\"max_length\": 240, \"max_context_length\": 2048, \"temperature\": 1.0,"
  "              \"top_p\": 0.875, \"rep_pen\": 1.125, \"rep_pen_range\": 320},"
  "  \"models\": [\"koboldcpp/LLaMA2-13B-Psyfighter2\"], \"tags\": [\"fantasy\", \"story\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 980, \"creator\": \"horde-sim#0\"},"
  " {\"id\": \"3f1e9a7d-2b4c-4d5e-8f60-7a8b9c0d1e02\", \"name\": \"sim-concise\","
  "  \"info\": \"Short factual answers on one line.\","
  "  \"prompt\": \"Answer briefly and factually.\\nQuestion: {p}\\nAnswer:\","
  "  \"params\": {\"max_length\": 80, \"temperature\": 0.25, \"top_k\": 40,"
  "              \"singleline\": true, \"stop_sequence\": [\"\\nQuestion:\"]},"
  "  \"models\": [\"koboldcpp/LLaMA2-13B-Psyfighter2\"], \"tags\": [\"assistant\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 2450, \"creator\": \"horde-sim#0\"},"
  " {\"id\": \"3f1e9a7d-2b4c-4d5e-8f60-7a8b9c0d1e03\", \"name\": \"sim-poet\","
  "  \"info\": \"Rhyming verse on any subject.\","
  "  \"prompt\": \"Write a short rhyming poem about {p}.\","
  "  \"params\": {\"max_length\": 160, \"temperature\": 1.25, \"min_p\": 0.0625,"
  "              \"frmtrmblln\": true},"
  "  \"models\": [], \"tags\": [\"poetry\", \"story\"],"
  "  \"public\": true, \"nsfw\": false, \"use_count\": 415, \"creator\": \"horde-sim#0\"}"
  "]";

static const char news_json[] =
  "["
  " {\"date_published\": \"2024-06-01\", \"title\": \"Welcome to horde-sim\","
  "  \"newspiece\": \"You are talking to a local simulator of the AI Horde: nothing you send leaves this machine.\","
  "  \"importance\": \"Information\", \"tags\": [\"horde-sim\"], \"more_info_urls\": []},"
  " {\"date_published\": \"2024-05-15\", \"title\": \"Simulated workers\","
  "  \"newspiece\": \"Images are rendered deterministically from the prompt, seed, size and model.\","
  "  \"importance\": \"Information\", \"tags\": [\"horde-sim\", \"workers\"], \"more_info_urls\": []},"
  " {\"date_published\": \"2024-04-30\", \"title\": \"Fault injection\","
  "  \"newspiece\": \"POST a fault spec to /_sim/faults to test how your client copes with errors.\","
  "  \"importance\": \"Workflow\", \"tags\": [\"horde-sim\", \"testing\"], \"more_info_urls\": []}"
  "]";

static JsonArray *
catalog (const char *text)
{
  /* parsed once, kept for the life of the process */
  JsonNode *node = horde_sim_json_parse (text, strlen (text), NULL);

  g_assert (node != NULL && JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

static JsonArray *
styles (void)
{
  static JsonArray *array;

  if (g_once_init_enter (&array))
    g_once_init_leave (&array, catalog (styles_json));
  return array;
}

static JsonArray *
text_styles (void)
{
  static JsonArray *array;

  if (g_once_init_enter (&array))
    g_once_init_leave (&array, catalog (text_styles_json));
  return array;
}

static JsonArray *
news (void)
{
  static JsonArray *array;

  if (g_once_init_enter (&array))
    g_once_init_leave (&array, catalog (news_json));
  return array;
}

static JsonObject *
lookup_style (JsonArray  *array,
              const char *id_or_name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *style = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (style, "id"), id_or_name) ||
          g_ascii_strcasecmp (json_object_get_string_member (style, "name"), id_or_name) == 0)
        return style;
    }
  return NULL;
}

/* A built-in image style by id or by name (case-insensitive); NULL if none. */
JsonObject *
horde_sim_api_lookup_style (const char *id_or_name)
{
  return lookup_style (styles (), id_or_name);
}

static void
reply_not_found_thing (HordeSimCall *call,
                       const char   *rc,
                       const char   *thing,
                       const char   *id)
{
  horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, rc, "%s with ID '%s' not found.", thing, id);
}

/* The user behind the apikey header (required); NULL after answering. */
HordeSimUser *
horde_sim_api_require_user (HordeSimHorde *horde,
                            HordeSimCall  *call)
{
  HordeSimUser *user;

  if (call->apikey == NULL)
    {
      JsonObject *errors = json_object_new ();

      json_object_set_string_member (errors, "apikey",
                                     "The API Key corresponding to a registered user. "
                                     "Missing required parameter in the HTTP headers");
      horde_sim_call_reply_validation (call, errors);
      return NULL;
    }
  user = horde_sim_horde_lookup_user (horde, call->apikey);
  if (user == NULL)
    horde_sim_call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, "InvalidAPIKey",
                                "No user matching sent API Key. Have you remembered to register at "
                                "https://stablehorde.net/register ?");
  return user;
}

/* ---- status --------------------------------------------------------- */

static void
handle_heartbeat (HordeSimHorde *horde,
                  HordeSimCall  *call,
                  gconstpointer  data)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "message", "OK");
  json_object_set_string_member (object, "version", API_VERSION);
  json_node_take_object (node, object);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

static void
handle_performance (HordeSimHorde *horde,
                    HordeSimCall  *call,
                    gconstpointer  data)
{
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_performance_to_json (horde));
}

static void
handle_news (HordeSimHorde *horde,
             HordeSimCall  *call,
             gconstpointer  data)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, news ());
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

/* "image" or "text"; anything else is a 400 like the real server's. */
static gboolean
parse_model_type (HordeSimCall *call,
                  HordeSimKind *kind)
{
  const char *type = horde_sim_call_get_query (call, "type");

  if (type == NULL || g_str_equal (type, "image"))
    *kind = HORDE_SIM_KIND_IMAGE;
  else if (g_str_equal (type, "text"))
    *kind = HORDE_SIM_KIND_TEXT;
  else
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                  "'type' must be one of 'image' or 'text'.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_count (HordeSimCall *call,
             const char   *name,
             gint64       *value)
{
  const char *text = horde_sim_call_get_query (call, name);
  JsonObject *errors;

  if (text == NULL || g_ascii_string_to_signed (text, 10, 0, G_MAXINT, value, NULL))
    return TRUE;
  errors = json_object_new ();
  json_object_set_string_member (errors, name, "invalid literal for int() with base 10");
  horde_sim_call_reply_validation (call, errors);
  return FALSE;
}

static void
handle_models (HordeSimHorde *horde,
               HordeSimCall  *call,
               gconstpointer  data)
{
  const char *state = horde_sim_call_get_query (call, "model_state");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *filtered = json_array_new ();
  JsonNode *reply = json_node_new (JSON_NODE_ARRAY);
  gint64 min_count = 0, max_count = G_MAXINT;
  HordeSimKind kind;

  json_node_take_array (reply, filtered);
  if (!parse_model_type (call, &kind) ||
      !parse_count (call, "min_count", &min_count) ||
      !parse_count (call, "max_count", &max_count))
    {
      json_node_unref (reply);
      return;
    }
  node = horde_sim_horde_models_to_json (horde, kind, NULL);
  /* every simulated model is a "known" one */
  if (state == NULL || !g_str_equal (state, "custom"))
    {
      JsonArray *models = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (models); i++)
        {
          JsonObject *model = json_array_get_object_element (models, i);
          gint64 count = json_object_get_int_member (model, "count");

          if (count >= min_count && count <= max_count)
            json_array_add_object_element (filtered, json_object_ref (model));
        }
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, reply);
}

static void
handle_model (HordeSimHorde *horde,
              HordeSimCall  *call,
              gconstpointer  data)
{
  const char *name = horde_sim_call_get_param (call, 0);
  g_autoptr(JsonNode) image = horde_sim_horde_models_to_json (horde, HORDE_SIM_KIND_IMAGE, name);

  if (json_array_get_length (json_node_get_array (image)) > 0)
    horde_sim_call_reply (call, SOUP_STATUS_OK, g_steal_pointer (&image));
  else
    horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_models_to_json (horde, HORDE_SIM_KIND_TEXT, name));
}

/* ---- users and workers ---------------------------------------------- */

static void
handle_find_user (HordeSimHorde *horde,
                  HordeSimCall  *call,
                  gconstpointer  data)
{
  HordeSimUser *user;

  if (call->apikey == NULL)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, "InvalidAPIKey",
                                  "No user matching sent API Key. Have you remembered to register at "
                                  "https://stablehorde.net/register ?");
      return;
    }
  user = horde_sim_horde_lookup_user (horde, call->apikey);
  if (user == NULL)
    {
      /* the real server echoes the key here; the simulator does not.
       * flask-restx appends its routing help to a 404 whose path is
       * close to known routes (ERROR_404_HELP, difflib on the URL rules):
       * find_user's always is, so the real answer carries this hint */
      horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "UserNotFound",
                                  "User with api_key '%.3s…' not found. You have requested this URI "
                                  "[/api/v2/find_user] but did you mean /api/v2/find_user or "
                                  "/api/v2/users/<string:user_id> ?", call->apikey);
      return;
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_user_to_json (horde, user, TRUE));
}

static void
handle_user (HordeSimHorde *horde,
             HordeSimCall  *call,
             gconstpointer  data)
{
  const char *param = horde_sim_call_get_param (call, 0);
  HordeSimUser *user = NULL;
  gint64 id;

  if (g_ascii_string_to_signed (param, 10, 0, G_MAXINT64, &id, NULL))
    user = horde_sim_horde_lookup_user_id (horde, id);
  if (user == NULL)
    {
      reply_not_found_thing (call, "UserNotFound", "User", param);
      return;
    }
  /* UserSingle.get: privilege 1 for the user's own key, 2 for a moderator's */
  {
    HordeSimUser *asking = call->apikey ? horde_sim_horde_lookup_user (horde, call->apikey) : NULL;

    horde_sim_call_reply (call, SOUP_STATUS_OK,
                          horde_sim_horde_user_to_json (horde, user,
                                                        asking != NULL &&
                                                        (asking == user || horde_sim_user_is_moderator (asking))));
  }
}

/* Whether the call's key is a moderator's: the server then shows more of
 * a worker (details_privilege 2) */
static gboolean
asked_by_moderator (HordeSimHorde *horde,
                    HordeSimCall  *call)
{
  HordeSimUser *user = call->apikey ? horde_sim_horde_lookup_user (horde, call->apikey) : NULL;

  return user != NULL && horde_sim_user_is_moderator (user);
}

static void
handle_workers (HordeSimHorde *horde,
                HordeSimCall  *call,
                gconstpointer  data)
{
  const char *type = horde_sim_call_get_query (call, "type");
  const char *name = horde_sim_call_get_query (call, "name");
  GPtrArray *workers = horde_sim_horde_get_workers (horde);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  if (type != NULL && !g_str_equal (type, "image") && !g_str_equal (type, "text") &&
      !g_str_equal (type, "interrogation"))
    {
      json_array_unref (array);
      json_node_unref (node);
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                  "'type' must be one of 'image', 'text' or 'interrogation'.");
      return;
    }
  for (guint i = 0; i < workers->len; i++)
    {
      HordeSimWorker *worker = g_ptr_array_index (workers, i);

      if (type != NULL && !g_str_equal (type, horde_sim_kind_to_string (horde_sim_worker_get_kind (worker))))
        continue;
      if (name != NULL && g_ascii_strcasecmp (name, horde_sim_worker_get_name (worker)) != 0)
        continue;
      json_array_add_element (array, horde_sim_worker_to_json (worker, asked_by_moderator (horde, call)));
    }
  json_node_take_array (node, array);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

static void
handle_worker (HordeSimHorde *horde,
               HordeSimCall  *call,
               gconstpointer  data)
{
  const char *param = horde_sim_call_get_param (call, 0);
  gboolean by_name = GPOINTER_TO_INT (data);
  HordeSimWorker *worker = horde_sim_horde_lookup_worker (horde, by_name ? NULL : param, by_name ? param : NULL);

  if (worker == NULL)
    {
      reply_not_found_thing (call, "WorkerNotFound", "Worker", param);
      return;
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_worker_to_json (worker, asked_by_moderator (horde, call)));
}

/* The Boolean @member of @body: absent or null is "not asked" (-1), as
 * flask-restx's reqparse leaves a missing argument None */
static int
optional_boolean (JsonObject *body,
                  const char *member)
{
  JsonNode *node = json_object_get_member (body, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return -1;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -2;
  return json_node_get_boolean (node);
}

/* PUT /v2/workers/{worker_id}, as the server's WorkerSingle.put
 * (horde/apis/v2/base.py) has it: maintenance by the worker's owner or a
 * moderator (else 403 NotOwner), paused by a moderator only (else 403
 * NotModerator), each answered with its new value; nothing asked is 400
 * NoWorkerModSelected.  A worker in maintenance takes only its owner's
 * requests, and a pop that finds none is 403 WorkerMaintenance with the
 * maintenance message (horde-sim-request.c, horde-sim-api-worker.c); a
 * paused one is still given jobs here (the server gives it decoys).  The
 * simulator takes maintenance, maintenance_msg and paused; info, name and team, which no simulated page changes, are
 * refused as a mod selection it does not know. */
static void
handle_worker_put (HordeSimHorde *horde,
                   HordeSimCall  *call,
                   gconstpointer  data)
{
  const char *param = horde_sim_call_get_param (call, 0);
  HordeSimWorker *worker = horde_sim_horde_lookup_worker (horde, param, NULL);
  HordeSimUser *user;
  JsonObject *body;
  JsonObject *answer;
  JsonNode *node;
  int maintenance, paused;

  if (worker == NULL)
    {
      reply_not_found_thing (call, "WorkerNotFound", "Worker", param);
      return;
    }
  if (horde_sim_call_get_json (call) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (call->json))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL, "The payload must be a JSON object.");
      return;
    }
  user = horde_sim_api_require_user (horde, call);
  if (user == NULL)
    return;
  body = json_node_get_object (call->json);
  maintenance = optional_boolean (body, "maintenance");
  paused = optional_boolean (body, "paused");
  if (maintenance == -2 || paused == -2)
    {
      JsonObject *errors = json_object_new ();

      json_object_set_string_member (errors, maintenance == -2 ? "maintenance" : "paused",
                                     "Invalid literal for boolean()");
      horde_sim_call_reply_validation (call, errors);
      return;
    }
  if (maintenance >= 0 && !horde_sim_user_is_moderator (user) && horde_sim_worker_get_owner (worker) != user)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "NotOwner", "You're not an admin. Sod off!");
      return;
    }
  if (paused >= 0 && !horde_sim_user_is_moderator (user))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "NotModerator", "You're not a mod. BTFO!");
      return;
    }
  if (maintenance < 0 && paused < 0)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "NoWorkerModSelected",
                                  "No worker modification selected!");
      return;
    }
  answer = json_object_new ();
  if (maintenance >= 0)
    {
      horde_sim_worker_set_maintenance (worker, maintenance,
                                        json_object_get_string_member_with_default (body, "maintenance_msg", NULL));
      json_object_set_boolean_member (answer, "maintenance", maintenance);
    }
  if (paused >= 0)
    {
      horde_sim_worker_set_paused (worker, paused);
      json_object_set_boolean_member (answer, "paused", paused);
    }
  node = json_node_init_object (json_node_alloc (), answer);
  json_object_unref (answer);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

/* ---- styles --------------------------------------------------------- */

static gboolean
strv_node_contains (JsonObject *object,
                    const char *member,
                    const char *value)
{
  g_auto(GStrv) strv = horde_sim_json_dup_strv (object, member);

  return strv != NULL && g_strv_contains ((const char * const *) strv, value);
}

static int
compare_use_count (gconstpointer a,
                   gconstpointer b)
{
  gint64 count_a = json_object_get_int_member (*(JsonObject **) a, "use_count");
  gint64 count_b = json_object_get_int_member (*(JsonObject **) b, "use_count");

  return count_a < count_b ? 1 : count_a > count_b ? -1 : 0;
}

/* The image and text style routes differ only in their catalog, and in
 * the thing an unknown id is: the server raises ThingNotFound(f"{gentype}
 * Style", id) on a GET by id (horde/apis/v2/styles.py
 * SingleStyleTemplateGet.get_through_id), whose rc is
 * f"{thing.capitalize()}NotFound": "Image styleNotFound" or "Text
 * styleNotFound", Python's capitalize() lowering the rest; a GET by name
 * raises ThingNotFound("Style", name), rc "StyleNotFound".  Both look in
 * the one table of styles: a style of the other type is found and refused
 * with 400 StyleGetMistmatch (the server's spelling) by
 * get_existing_style(). */
typedef struct {
  JsonArray *(*catalog) (void);
  gboolean    by_name;
  const char *thing;
  const char *type;
  JsonArray *(*other) (void);
  const char *other_type;
} StyleRoute;

static const StyleRoute image_styles_route = { styles, FALSE, "Image style", "image", text_styles, "text" };
static const StyleRoute image_style_name_route = { styles, TRUE, "Style", "image", text_styles, "text" };
static const StyleRoute text_styles_route = { text_styles, FALSE, "Text style", "text", styles, "image" };
static const StyleRoute text_style_name_route = { text_styles, TRUE, "Style", "text", styles, "image" };

/* @style as served: the examples' URLs are the sim's own */
static JsonObject *
served_style (HordeSimHorde *horde,
              JsonObject    *style)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *served;
  JsonArray *examples;

  json_node_set_object (node, style);
  copy = json_node_copy (node);
  served = json_node_get_object (copy);
  examples = json_object_has_member (served, "examples") ? json_object_get_array_member (served, "examples") : NULL;
  for (guint i = 0; examples != NULL && i < json_array_get_length (examples); i++)
    {
      JsonObject *example = json_array_get_object_element (examples, i);
      const char *url = json_object_get_string_member (example, "url");

      if (url != NULL && url[0] == '/')
        {
          g_autofree char *absolute = g_strconcat (horde_sim_horde_get_base_url (horde), url, NULL);
          json_object_set_string_member (example, "url", absolute);
        }
    }
  return json_object_ref (served);
}

/* The example image of a built-in image style, "{style id}.webp", as
 * GET /r2/style-examples/… serves it: its prompt, rendered; NULL if no
 * style has that example. */
GBytes *
horde_sim_api_style_example (const char *file)
{
  g_autofree char *id = g_str_has_suffix (file, ".webp") ? g_strndup (file, strlen (file) - 5) : NULL;
  JsonObject *style = id ? lookup_style (styles (), id) : NULL;
  const char * const *models;
  g_auto(GStrv) model_list = NULL;

  if (style == NULL || !g_str_equal (json_object_get_string_member (style, "id"), id) ||
      !json_object_has_member (style, "examples") ||
      json_array_get_length (json_object_get_array_member (style, "examples")) == 0)
    return NULL;
  model_list = horde_sim_json_dup_strv (style, "models");
  models = (const char * const *) model_list;
  return horde_sim_image_render (json_object_get_string_member (style, "prompt"), "1", 256, 256,
                                 models && models[0] ? models[0] : NULL);
}

static void
handle_styles (HordeSimHorde *horde,
               HordeSimCall  *call,
               gconstpointer  data)
{
  const StyleRoute *route = data;
  const char *tag = horde_sim_call_get_query (call, "tag");
  const char *model = horde_sim_call_get_query (call, "model");
  const char *sort = horde_sim_call_get_query (call, "sort");
  const char *page_text = horde_sim_call_get_query (call, "page");
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  JsonArray *all = route->catalog ();
  JsonArray *array;
  JsonNode *node;
  gint64 page = 1;

  if (page_text != NULL && !g_ascii_string_to_signed (page_text, 10, 1, G_MAXINT, &page, NULL))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest", "'page' must be a positive integer.");
      return;
    }
  if (sort != NULL && !g_str_equal (sort, "popular") && !g_str_equal (sort, "age"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                  "'sort' must be one of 'popular' or 'age'.");
      return;
    }
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *style = json_array_get_object_element (all, i);

      if ((tag == NULL || strv_node_contains (style, "tags", tag)) &&
          (model == NULL || strv_node_contains (style, "models", model)))
        g_ptr_array_add (matches, style);
    }
  if (sort == NULL || g_str_equal (sort, "popular"))
    g_ptr_array_sort (matches, compare_use_count);

  array = json_array_new ();
  for (guint i = (guint) ((page - 1) * STYLES_PER_PAGE); i < matches->len && i < page * STYLES_PER_PAGE; i++)
    json_array_add_object_element (array, served_style (horde, g_ptr_array_index (matches, i)));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

static void
handle_style (HordeSimHorde *horde,
              HordeSimCall  *call,
              gconstpointer  data)
{
  const StyleRoute *route = data;
  const char *param = horde_sim_call_get_param (call, 0);
  JsonObject *style = lookup_style (route->catalog (), param);
  JsonNode *node;

  if (style == NULL &&
      (style = lookup_style (route->other (), param)) != NULL &&
      g_str_equal (json_object_get_string_member (style, route->by_name ? "name" : "id"), param))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "StyleGetMistmatch",
                                  "Style was found but was of the wrong type: %s != %s",
                                  route->other_type, route->type);
      return;
    }
  if (style == NULL ||
      !g_str_equal (json_object_get_string_member (style, route->by_name ? "name" : "id"), param))
    {
      g_autofree char *rc = g_strconcat (route->thing, "NotFound", NULL);

      reply_not_found_thing (call, rc, route->thing, param);
      return;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, served_style (horde, style));
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

/* PATCH /v2/styles/image/{style_id} and /v2/styles/text/{style_id}.  The
 * server parses a PATCH with the POST parser (horde/apis/v2/styles.py
 * StyleTemplate.patch: parsers.style_parser), so "name" is required
 * although the spec does not mark it: its reqparse answer comes first
 * (after apikey), then the key, the style and its owner
 * (horde/exceptions.py ThingNotFound's rc "StyleNotFound", Forbidden).
 * The built-in styles belong to horde-sim#0, so no user may change them:
 * a valid PATCH ends in that 403. */
static void
handle_style_patch (HordeSimHorde *horde,
                    HordeSimCall  *call,
                    gconstpointer  data)
{
  const StyleRoute *route = data;
  const char *param = horde_sim_call_get_param (call, 0);
  JsonObject *body;
  JsonObject *style;
  JsonNode *name;
  HordeSimUser *user;
  g_autofree char *alias = NULL;

  if (horde_sim_call_get_json (call) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (call->json))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL, "The payload must be a JSON object.");
      return;
    }
  body = json_node_get_object (call->json);
  name = json_object_get_member (body, "name");
  if (call->apikey != NULL && name == NULL)
    {
      JsonObject *errors = json_object_new ();

      json_object_set_string_member (errors, "name", "The name of the style. Missing required parameter in the JSON body");
      horde_sim_call_reply_validation (call, errors);
      return;
    }
  user = horde_sim_api_require_user (horde, call);
  if (user == NULL)
    return;
  style = lookup_style (route->catalog (), param);
  if (style == NULL || !g_str_equal (json_object_get_string_member (style, "id"), param))
    {
      reply_not_found_thing (call, "StyleNotFound", "Style", param);
      return;
    }
  alias = horde_sim_user_dup_alias (user);
  horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "Forbidden", "This Style is not owned by user %s", alias);
}

/* ---- filters -------------------------------------------------------- */

/* A few word filters, as a moderator sees them (horde/classes/base/
 * detection.py Filter.get_details). */
static const char filters_json[] =
  "["
  " {\"id\": 1, \"regex\": \"(?i)\\\\bsim-forbidden\\\\b\", \"filter_type\": 10,"
  "  \"description\": \"A word the simulator's prompt filter rejects\", \"replacement\": \"\","
  "  \"user\": \"horde-sim#0\"},"
  " {\"id\": 2, \"regex\": \"(?i)\\\\bsim-replace-me\\\\b\", \"filter_type\": 20,"
  "  \"description\": \"A word the simulator's replacement filter swaps out\", \"replacement\": \"kitten\","
  "  \"user\": \"horde-sim#0\"}"
  "]";

static JsonArray *
filters (void)
{
  static JsonArray *array;

  if (g_once_init_enter (&array))
    g_once_init_leave (&array, catalog (filters_json));
  return array;
}

/* The moderator behind the apikey header (horde/apis/v2/base.py
 * check_for_mod); NULL after answering. */
static HordeSimUser *
require_moderator (HordeSimHorde *horde,
                   HordeSimCall  *call)
{
  HordeSimUser *user;

  if (call->apikey == NULL)
    {
      JsonObject *errors = json_object_new ();

      json_object_set_string_member (errors, "apikey", "A mod API key. Missing required parameter in the HTTP headers");
      horde_sim_call_reply_validation (call, errors);
      return NULL;
    }
  user = horde_sim_horde_lookup_user (horde, call->apikey);
  if (user == NULL)
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, "InvalidAPIKey",
                                  "No user matching sent API Key. Have you remembered to register at "
                                  "https://stablehorde.net/register ?");
      return NULL;
    }
  if (!horde_sim_user_is_moderator (user))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "NotModerator", "You're not a mod. BTFO!");
      return NULL;
    }
  return user;
}

/* GET /v2/filters: every filter, or those of ?filter_type= or whose regex
 * or description ?contains= a word. */
static void
handle_filters (HordeSimHorde *horde,
                HordeSimCall  *call,
                gconstpointer  data)
{
  const char *type_text = horde_sim_call_get_query (call, "filter_type");
  const char *contains = horde_sim_call_get_query (call, "contains");
  JsonArray *all = filters ();
  JsonArray *array;
  JsonNode *node;
  gint64 type = -1;

  if (type_text != NULL && !g_ascii_string_to_signed (type_text, 10, 0, G_MAXINT, &type, NULL))
    {
      JsonObject *errors = json_object_new ();

      json_object_set_string_member (errors, "filter_type", "Filter by type. invalid literal for int() with base 10");
      horde_sim_call_reply_validation (call, errors);
      return;
    }
  if (require_moderator (horde, call) == NULL)
    return;
  array = json_array_new ();
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *filter = json_array_get_object_element (all, i);

      if (type >= 0 && json_object_get_int_member (filter, "filter_type") != type)
        continue;
      if (contains != NULL && strstr (json_object_get_string_member (filter, "regex"), contains) == NULL &&
          strstr (json_object_get_string_member (filter, "description"), contains) == NULL)
        continue;
      json_array_add_object_element (array, json_object_ref (filter));
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  horde_sim_call_reply (call, SOUP_STATUS_OK, node);
}

/* GET /v2/filters/{filter_id}: one object, not a list.  The server's
 * marshal_with(as_list=True) only changes its documentation; the view
 * returns filter.get_details() (horde/apis/v2/base.py FilterSingle.get).
 * A non-numeric id is a 404 before the key is even read. */
static void
handle_filter (HordeSimHorde *horde,
               HordeSimCall  *call,
               gconstpointer  data)
{
  const char *param = horde_sim_call_get_param (call, 0);
  JsonArray *all = filters ();
  gint64 id = -1;

  if (!g_ascii_string_to_signed (param, 10, 0, G_MAXINT64, &id, NULL) || !g_ascii_isdigit (*param))
    {
      reply_not_found_thing (call, "FilterNotFound", "Filter", param);
      return;
    }
  if (require_moderator (horde, call) == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *filter = json_array_get_object_element (all, i);

      if (json_object_get_int_member (filter, "id") == id)
        {
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (node, filter);
          horde_sim_call_reply (call, SOUP_STATUS_OK, node);
          return;
        }
    }
  reply_not_found_thing (call, "FilterNotFound", "Filter", param);
}

/* ---- statistics ----------------------------------------------------- */

static void
handle_stats_totals (HordeSimHorde *horde,
                     HordeSimCall  *call,
                     gconstpointer  data)
{
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_stats_totals_to_json (horde, GPOINTER_TO_INT (data)));
}

static void
handle_stats_models (HordeSimHorde *horde,
                     HordeSimCall  *call,
                     gconstpointer  data)
{
  HordeSimKind kind = GPOINTER_TO_INT (data);
  const char *state = horde_sim_call_get_query (call, "model_state");

  /* only the image route has model_state; the text one, like the real
   * server's, ignores it as it ignores any unknown query parameter */
  if (kind == HORDE_SIM_KIND_TEXT)
    state = "all";
  else if (state == NULL)
    state = "known";
  else if (!g_str_equal (state, "known") && !g_str_equal (state, "custom") && !g_str_equal (state, "all"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                  "'model_state' needs to be one of ['known', 'custom', 'all']");
      return;
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_horde_stats_models_to_json (horde, kind, state));
}

/* ---- routing -------------------------------------------------------- */

static const HordeSimRoute routes[] = {
  { "GET", "/api/v2/status/heartbeat", HORDE_SIM_RATE_DEFAULT, handle_heartbeat, NULL },
  { "GET", "/api/v2/status/performance", HORDE_SIM_RATE_DEFAULT, handle_performance, NULL },
  { "GET", "/api/v2/status/news", HORDE_SIM_RATE_DEFAULT, handle_news, NULL },
  { "GET", "/api/v2/status/models", HORDE_SIM_RATE_DEFAULT, handle_models, NULL },
  { "GET", "/api/v2/status/models/{model_name}", HORDE_SIM_RATE_DEFAULT, handle_model, NULL },
  { "GET", "/api/v2/find_user", HORDE_SIM_RATE_DEFAULT, handle_find_user, NULL },
  { "GET", "/api/v2/users/{user_id}", HORDE_SIM_RATE_DEFAULT, handle_user, NULL },
  { "GET", "/api/v2/workers", HORDE_SIM_RATE_DEFAULT, handle_workers, NULL },
  { "GET", "/api/v2/workers/{worker_id}", HORDE_SIM_RATE_DEFAULT, handle_worker, GINT_TO_POINTER (FALSE) },
  { "PUT", "/api/v2/workers/{worker_id}", HORDE_SIM_RATE_DEFAULT, handle_worker_put, NULL },
  { "GET", "/api/v2/workers/name/{worker_name}", HORDE_SIM_RATE_DEFAULT, handle_worker, GINT_TO_POINTER (TRUE) },
  { "GET", "/api/v2/styles/image", HORDE_SIM_RATE_DEFAULT, handle_styles, &image_styles_route },
  { "GET", "/api/v2/styles/image/{style_id}", HORDE_SIM_RATE_DEFAULT, handle_style, &image_styles_route },
  { "PATCH", "/api/v2/styles/image/{style_id}", HORDE_SIM_RATE_DEFAULT, handle_style_patch, &image_styles_route },
  { "GET", "/api/v2/styles/image_by_name/{style_name}", HORDE_SIM_RATE_DEFAULT, handle_style, &image_style_name_route },
  { "GET", "/api/v2/styles/text", HORDE_SIM_RATE_DEFAULT, handle_styles, &text_styles_route },
  { "GET", "/api/v2/styles/text/{style_id}", HORDE_SIM_RATE_DEFAULT, handle_style, &text_styles_route },
  { "PATCH", "/api/v2/styles/text/{style_id}", HORDE_SIM_RATE_DEFAULT, handle_style_patch, &text_styles_route },
  { "GET", "/api/v2/filters", HORDE_SIM_RATE_DEFAULT, handle_filters, NULL },
  { "GET", "/api/v2/filters/{filter_id}", HORDE_SIM_RATE_DEFAULT, handle_filter, NULL },
  { "GET", "/api/v2/styles/text_by_name/{style_name}", HORDE_SIM_RATE_DEFAULT, handle_style, &text_style_name_route },
  { "GET", "/api/v2/stats/img/totals", HORDE_SIM_RATE_DEFAULT,
    handle_stats_totals, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "GET", "/api/v2/stats/img/models", HORDE_SIM_RATE_DEFAULT,
    handle_stats_models, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "GET", "/api/v2/stats/text/totals", HORDE_SIM_RATE_DEFAULT,
    handle_stats_totals, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "GET", "/api/v2/stats/text/models", HORDE_SIM_RATE_DEFAULT,
    handle_stats_models, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },

  { "POST", "/api/v2/generate/async", HORDE_SIM_RATE_GENERATE,
    horde_sim_api_generate_async, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "GET", "/api/v2/generate/check/{id}", HORDE_SIM_RATE_CHECK,
    horde_sim_api_generate_check, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "GET", "/api/v2/generate/status/{id}", HORDE_SIM_RATE_STATUS,
    horde_sim_api_generate_status, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "DELETE", "/api/v2/generate/status/{id}", HORDE_SIM_RATE_STATUS,
    horde_sim_api_generate_cancel, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "POST", "/api/v2/generate/text/async", HORDE_SIM_RATE_GENERATE,
    horde_sim_api_generate_async, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "GET", "/api/v2/generate/text/status/{id}", HORDE_SIM_RATE_TEXT_STATUS,
    horde_sim_api_generate_status, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "DELETE", "/api/v2/generate/text/status/{id}", HORDE_SIM_RATE_TEXT_STATUS,
    horde_sim_api_generate_cancel, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "POST", "/api/v2/interrogate/async", HORDE_SIM_RATE_GENERATE,
    horde_sim_api_generate_async, GINT_TO_POINTER (HORDE_SIM_KIND_ALCHEMY) },
  { "GET", "/api/v2/interrogate/status/{id}", HORDE_SIM_RATE_ALCHEMY_STATUS,
    horde_sim_api_generate_status, GINT_TO_POINTER (HORDE_SIM_KIND_ALCHEMY) },
  { "DELETE", "/api/v2/interrogate/status/{id}", HORDE_SIM_RATE_ALCHEMY_STATUS,
    horde_sim_api_generate_cancel, GINT_TO_POINTER (HORDE_SIM_KIND_ALCHEMY) },

  /* the worker side (horde-sim-api-worker.c) */
  { "POST", "/api/v2/generate/pop", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_pop, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "POST", "/api/v2/generate/submit", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_submit, GINT_TO_POINTER (HORDE_SIM_KIND_IMAGE) },
  { "POST", "/api/v2/generate/text/pop", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_pop, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "POST", "/api/v2/generate/text/submit", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_submit, GINT_TO_POINTER (HORDE_SIM_KIND_TEXT) },
  { "POST", "/api/v2/interrogate/pop", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_pop, GINT_TO_POINTER (HORDE_SIM_KIND_ALCHEMY) },
  { "POST", "/api/v2/interrogate/submit", HORDE_SIM_RATE_WORKER,
    horde_sim_api_worker_submit, GINT_TO_POINTER (HORDE_SIM_KIND_ALCHEMY) },
};

static const struct {
  guint    limit;
  guint    period;
  gboolean per_path;
} rate_limits[] = {
  [HORDE_SIM_RATE_DEFAULT] = { 90, 60, FALSE },
  [HORDE_SIM_RATE_GENERATE] = { 2, 1, TRUE },
  [HORDE_SIM_RATE_CHECK] = { 10, 1, TRUE },
  [HORDE_SIM_RATE_STATUS] = { 10, 60, TRUE },
  [HORDE_SIM_RATE_TEXT_STATUS] = { 60, 60, TRUE },
  [HORDE_SIM_RATE_ALCHEMY_STATUS] = { 10, 1, TRUE },
  [HORDE_SIM_RATE_WORKER] = { 60, 1, FALSE },
};

void
horde_sim_api_rate_limit (HordeSimRateClass  rate,
                          guint             *limit,
                          guint             *period_seconds,
                          gboolean          *per_path)
{
  *limit = rate_limits[rate].limit;
  *period_seconds = rate_limits[rate].period;
  *per_path = rate_limits[rate].per_path;
}

/* Matches @path against a template; "{name}" takes one non-empty segment. */
static gboolean
match_template (const char  *template,
                const char  *path,
                GStrv       *params)
{
  g_auto(GStrv) want = g_strsplit (template, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;
  for (guint i = 0; want[i] != NULL; i++)
    {
      if (want[i][0] == '{')
        {
          if (have[i][0] == '\0')
            return FALSE;
          g_strv_builder_add (values, have[i]);
        }
      else if (!g_str_equal (want[i], have[i]))
        return FALSE;
    }
  *params = g_strv_builder_end (values);
  return TRUE;
}

/* The route for this request; NULL if none, with @other_method set when the
 * path exists with another method (a 405). */
const HordeSimRoute *
horde_sim_api_match (const char *method,
                     const char *path,
                     GStrv      *params,
                     gboolean   *other_method)
{
  *other_method = FALSE;
  *params = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_auto(GStrv) values = NULL;

      if (!match_template (routes[i].template, path, &values))
        continue;
      if (!g_str_equal (routes[i].method, method))
        {
          *other_method = TRUE;
          continue;
        }
      *params = g_steal_pointer (&values);
      return &routes[i];
    }
  return NULL;
}

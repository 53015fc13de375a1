/* horde-sim-civitai.c: a small fake CivitAI, for Horde Studio's LoRA look-ups
 *
 * The Horde's LoRAs are CivitAI models, and Horde Studio looks them up
 * there to show their family and trigger words. Its tests point it here,
 * under /civitai/ (never counted as Horde requests, never faulted), which
 * answers as CivitAI's public API v1 does, for a few LoRAs:
 *
 *   GET /civitai/api/v1/models/{id}            a model, its versions newest first
 *   GET /civitai/api/v1/model-versions/{id}    a version, with its model's name
 *   GET /civitai/api/v1/models?query=…         a search: {"items": [...], "metadata"}
 *
 * An id CivitAI does not know is a 404 {"error": "No model with id …"}.
 * Some ids answer as a hostile or broken CivitAI would, for the app's
 * tests: control characters and an overlong name (6661), 10 MiB bodies
 * with and without a length (6662, 6665), fields of the wrong types (6663),
 * an array (6664), no JSON at all (6666).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-civitai.h"

#include <string.h>

#define ROUTE_MODEL "GET /civitai/api/v1/models/{id}"
#define ROUTE_VERSION "GET /civitai/api/v1/model-versions/{id}"
#define ROUTE_SEARCH "GET /civitai/api/v1/models"
#define HUGE_BODY (10 * 1024 * 1024)

typedef struct {
  guint model_id;
  guint version_id;
  const char *name;
  const char *version;
  const char *base_model;
  const char *trained_words;      /* a JSON array */
  gboolean nsfw;
} Lora;

static const Lora loras[] = {
  { 7001, 70011, "Detail Tweaker", "v1.0", "SD 1.5", "[\"detailed\"]", FALSE },
  { 7002, 70021, "Pixel Art XL", "v1.1", "SDXL 1.0", "[\"pixel art\", \"pixelated\"]", FALSE },
  { 7003, 70031, "Pony Sketch", "v2", "Pony", "[\"sketch\"]", TRUE },
  { 7004, 70041, "Flux Film Grain", "v1.0", "Flux.1 D", "[]", FALSE },
  { 7005, 70051, "Odd Base", "v1.0", "Other", "[\"odd\"]", FALSE },
  { 7006, 70061, "Magnagothica", "v2", "SD 1.5", "[\"magnagothica\", \"gothic\"]", FALSE },
};

static void
append_version (GString    *json,
                const Lora *lora,
                gboolean    with_model)
{
  g_string_append_printf (json, "{\"id\": %u, \"modelId\": %u, \"name\": \"%s\", \"baseModel\": \"%s\", "
                          "\"trainedWords\": %s, \"files\": [{\"name\": \"lora_%u.safetensors\", \"primary\": true}]",
                          lora->version_id, lora->model_id, lora->version, lora->base_model,
                          lora->trained_words, lora->version_id);
  if (with_model)
    g_string_append_printf (json, ", \"model\": {\"name\": \"%s\", \"type\": \"LORA\", \"nsfw\": %s}",
                            lora->name, lora->nsfw ? "true" : "false");
  g_string_append (json, "}");
}

static void
append_model (GString    *json,
              const Lora *lora)
{
  g_string_append_printf (json, "{\"id\": %u, \"name\": \"%s\", \"type\": \"LORA\", \"nsfw\": %s, \"modelVersions\": [",
                          lora->model_id, lora->name, lora->nsfw ? "true" : "false");
  append_version (json, lora, FALSE);
  g_string_append (json, "]}");
}

static void
reply_json (HordeSimCall *call,
            guint         status,
            GString      *json)
{
  gsize length = json->len;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (json, FALSE), length);

  horde_sim_call_reply_raw (call, status, "application/json", bytes);
}

/* the hostile and broken answers; FALSE for another id */
static gboolean
reply_hostile (HordeSimCall *call,
               guint64       id)
{
  GString *json = g_string_new (NULL);

  switch (id)
    {
    case 6661:
      g_string_append (json, "{\"id\": 6661, \"name\": \"Evil\\u001b[31m\\u0007 Name\\n\\nline two\\u202e\\u2028");
      for (guint i = 0; i < 5000; i++)
        g_string_append_c (json, 'x');
      g_string_append (json, "\", \"type\": \"LORA\", \"nsfw\": false, \"modelVersions\": [{\"id\": 66611, "
                       "\"name\": \"v\\r\\n1\", \"baseModel\": \"SD 1.5\\u0007\", \"trainedWords\": "
                       "[\"trig\\u001b]8;;http://example.com\\u0007ger\", \"\", \"\\u0001\\u0002\", \"");
      for (guint i = 0; i < 5000; i++)
        g_string_append_c (json, 'w');
      g_string_append (json, "\"");
      for (guint i = 0; i < 200; i++)
        g_string_append_printf (json, ", \"word%u\"", i);
      g_string_append (json, "]}]}");
      break;
    case 6662:
    case 6665:
      g_string_append (json, "{\"id\": 6662, \"name\": \"");
      while (json->len < HUGE_BODY)
        g_string_append (json, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      g_string_append (json, "\"}");
      if (id == 6665)
        /* no Content-Length: the client finds out while reading */
        soup_message_headers_set_encoding (soup_server_message_get_response_headers (call->msg),
                                           SOUP_ENCODING_CHUNKED);
      break;
    case 6663:
      g_string_append (json, "{\"id\": \"x\", \"name\": 42, \"nsfw\": \"yes\", \"modelVersions\": "
                       "[{\"name\": [\"x\"], \"baseModel\": 15, \"trainedWords\": {\"a\": 1}}, 7]}");
      break;
    case 6664:
      g_string_append (json, "[1, 2, 3]");
      break;
    case 6666:
      g_string_append (json, "<html>not json</html>");
      break;
    default:
      g_string_free (json, TRUE);
      return FALSE;
    }
  reply_json (call, SOUP_STATUS_OK, json);
  return TRUE;
}

static guint64
path_id (const char *path,
         const char *prefix)
{
  const char *p = path + strlen (prefix);
  char *end = NULL;
  guint64 id;

  if (!g_ascii_isdigit (*p))
    return 0;
  id = g_ascii_strtoull (p, &end, 10);
  return *end == '\0' ? id : 0;
}

static void
reply_not_found (HordeSimCall *call,
                 const char   *what,
                 guint64       id)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"error\": \"No %s with id %" G_GUINT64_FORMAT "\"}", what, id);
  reply_json (call, SOUP_STATUS_NOT_FOUND, json);
}

/**
 * horde_sim_civitai_route:
 * @method: the request's method
 * @path: the request's path, under /civitai/
 *
 * Returns: (transfer full): the route the request is counted under,
 *   "GET /civitai/api/v1/models/{id}"
 */
char *
horde_sim_civitai_route (const char *method,
                         const char *path)
{
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/civitai/api/v1/models/"))
    return g_strdup (ROUTE_MODEL);
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/civitai/api/v1/model-versions/"))
    return g_strdup (ROUTE_VERSION);
  if (g_str_equal (method, "GET") && g_str_equal (path, "/civitai/api/v1/models"))
    return g_strdup (ROUTE_SEARCH);
  return g_strdup_printf ("%s /civitai (unmatched)", method);
}

/**
 * horde_sim_civitai_handle:
 * @call: a request under /civitai/
 *
 * Answers it as CivitAI would.
 */
void
horde_sim_civitai_handle (HordeSimCall *call)
{
  guint64 id;

  if (g_str_equal (call->route, ROUTE_MODEL))
    {
      id = path_id (call->path, "/civitai/api/v1/models/");
      if (reply_hostile (call, id))
        return;
      for (guint i = 0; i < G_N_ELEMENTS (loras); i++)
        if (loras[i].model_id == id)
          {
            GString *json = g_string_new (NULL);

            append_model (json, &loras[i]);
            reply_json (call, SOUP_STATUS_OK, json);
            return;
          }
      reply_not_found (call, "model", id);
    }
  else if (g_str_equal (call->route, ROUTE_VERSION))
    {
      id = path_id (call->path, "/civitai/api/v1/model-versions/");
      for (guint i = 0; i < G_N_ELEMENTS (loras); i++)
        if (loras[i].version_id == id)
          {
            GString *json = g_string_new (NULL);

            append_version (json, &loras[i], TRUE);
            reply_json (call, SOUP_STATUS_OK, json);
            return;
          }
      reply_not_found (call, "modelVersion", id);
    }
  else if (g_str_equal (call->route, ROUTE_SEARCH))
    {
      const char *query = horde_sim_call_get_query (call, "query");
      g_autofree char *folded = g_utf8_casefold (query ? query : "", -1);
      GString *json = g_string_new ("{\"items\": [");
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (loras); i++)
        {
          g_autofree char *name = g_utf8_casefold (loras[i].name, -1);

          if (*folded != '\0' && strstr (name, folded) == NULL)
            continue;
          if (n++ > 0)
            g_string_append (json, ", ");
          append_model (json, &loras[i]);
        }
      g_string_append_printf (json, "], \"metadata\": {\"totalItems\": %u, \"currentPage\": 1, \"pageSize\": 100}}", n);
      reply_json (call, SOUP_STATUS_OK, json);
    }
  else
    {
      GString *json = g_string_new ("{\"error\": \"Not found\"}");

      reply_json (call, SOUP_STATUS_NOT_FOUND, json);
    }
}

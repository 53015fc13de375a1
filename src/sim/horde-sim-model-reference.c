/* horde-sim-model-reference.c: the model reference files
 *
 * The AI Horde loads its image and text model references from GitHub
 * (horde/model_reference.py); clients load the same files to know what a
 * model is. The simulator serves a small pair of its own, shaped like the
 * real ones (model-reference/image.json and text.json, compiled in), at
 *
 *   GET /model-reference/image.json   (stable_diffusion.json's shape)
 *   GET /model-reference/text.json    (db.json's shape)
 *
 * with an ETag and a Last-Modified as raw.githubusercontent.com sends
 * them, and 304 Not Modified for a request that has the current file
 * (If-None-Match, else If-Modified-Since), so that a client's cache can
 * be revalidated. Every built-in model of the simulator's workers has an
 * entry: its baseline is what the simulator's own generate and pop code
 * go by (horde_sim_model_reference_baseline()), as the server goes by the
 * reference it loads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-model-reference.h"
#include "horde-sim-resources.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define RESOURCE_PREFIX "/io/github/hordestudio/HordeSim/model-reference/"
/* the files do not change while the simulator runs: one date for all */
#define LAST_MODIFIED "Mon, 07 Dec 2026 12:00:00 GMT"

static gboolean
etag_matches (const char *header,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (header == NULL)
    return FALSE;
  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

/* TRUE if @call is a model reference request, and then answered */
gboolean
horde_sim_model_reference_serve (HordeSimCall *call)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *headers;
  const char *file;
  const char *if_none_match;
  const char *if_modified_since;

  if (!g_str_has_prefix (call->path, HORDE_SIM_MODEL_REFERENCE_PREFIX))
    return FALSE;

  file = call->path + strlen (HORDE_SIM_MODEL_REFERENCE_PREFIX);
  if (g_str_equal (file, "image.json") || g_str_equal (file, "text.json"))
    {
      resource = g_strconcat (RESOURCE_PREFIX, file, NULL);
      /* looked up in the resource itself: a static library's resource
       object would never be linked in for its constructor alone */
      bytes = g_resource_lookup_data (horde_sim_get_resource (), resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
  if (bytes == NULL)
    {
      /* GitHub's raw server answers a plain-text 404 */
      empty = g_bytes_new_static ("404: Not Found", strlen ("404: Not Found"));
      horde_sim_call_reply_raw (call, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8", empty);
      return TRUE;
    }
  if (!g_str_equal (call->method, "GET") && !g_str_equal (call->method, "HEAD"))
    {
      empty = g_bytes_new_static ("", 0);
      horde_sim_call_reply_raw (call, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", empty);
      return TRUE;
    }

  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  etag = g_strdup_printf ("\"%.40s\"", hash);
  headers = soup_server_message_get_response_headers (call->msg);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Last-Modified", LAST_MODIFIED);
  soup_message_headers_replace (headers, "Cache-Control", "max-age=300");

  /* RFC 9110 13.1.3: If-Modified-Since counts only without If-None-Match */
  request_headers = soup_server_message_get_request_headers (call->msg);
  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if_modified_since = soup_message_headers_get_one (request_headers, "If-Modified-Since");
  if ((if_none_match != NULL && etag_matches (if_none_match, etag)) ||
      (if_none_match == NULL && g_strcmp0 (if_modified_since, LAST_MODIFIED) == 0))
    {
      empty = g_bytes_new_static ("", 0);
      horde_sim_call_reply_raw (call, SOUP_STATUS_NOT_MODIFIED, NULL, empty);
      return TRUE;
    }

  /* raw.githubusercontent.com says text/plain for every file */
  horde_sim_call_reply_raw (call, SOUP_STATUS_OK, "text/plain; charset=utf-8", bytes);
  return TRUE;
}

/* The image reference the simulator serves, read once: what its own
 * generate and pop code know of a model, as the server's come from the
 * reference it loads. */
static JsonObject *
image_reference (void)
{
  static JsonObject *models;

  if (g_once_init_enter (&models))
    {
      g_autoptr(GBytes) bytes = g_resource_lookup_data (horde_sim_get_resource (), RESOURCE_PREFIX "image.json",
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      /* the file is the simulator's own, compiled in */
      if (!json_parser_load_from_data (parser, data, size, &error) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        g_error ("horde-sim: its model reference image.json is broken: %s",
                 error != NULL ? error->message : "not an object");
      g_once_init_leave (&models, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }
  return models;
}

/**
 * horde_sim_model_reference_baseline:
 * @model: a model's name
 *
 * The baseline the served image reference gives @model, as the server
 * reads it (horde/model_reference.py: the entry's "baseline").
 *
 * Returns: (nullable): the baseline's wire string, or %NULL when the
 *   reference has no such model
 */
const char *
horde_sim_model_reference_baseline (const char *model)
{
  JsonObject *models = image_reference ();
  JsonNode *entry = json_object_get_member (models, model);
  JsonNode *baseline;

  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry))
    return NULL;
  baseline = json_object_get_member (json_node_get_object (entry), "baseline");
  /* an entry without one is the server's default */
  if (baseline == NULL || json_node_get_value_type (baseline) != G_TYPE_STRING)
    return "stable diffusion 1";
  return json_node_get_string (baseline);
}

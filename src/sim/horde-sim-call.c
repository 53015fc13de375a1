/* horde-sim-call.c: one HTTP request being answered
 *
 * Handlers read the request from a HordeSimCall and leave their answer in
 * it (JSON, or raw bytes); the server turns that into the HTTP response,
 * after faults had their say.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-call.h"
#include "horde-sim-json.h"

HordeSimCall *
horde_sim_call_new (SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query)
{
  HordeSimCall *call = g_new0 (HordeSimCall, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  call->msg = g_object_ref (msg);
  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (path);
  call->query = query ? g_hash_table_ref (query) : NULL;
  call->apikey = g_strdup (soup_message_headers_get_one (headers, "apikey"));
  call->client = g_strdup (soup_server_message_get_remote_host (msg));
  call->body = soup_message_body_flatten (body);
  call->retry_after = -1;
  call->started_us = g_get_monotonic_time ();
  call->started_at = g_get_real_time () / (double) G_USEC_PER_SEC;
  return call;
}

void
horde_sim_call_free (HordeSimCall *call)
{
  g_clear_object (&call->msg);
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_strfreev (call->params);
  g_free (call->route);
  g_free (call->apikey);
  g_free (call->client);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->json, json_node_unref);
  g_clear_pointer (&call->reply, json_node_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  g_free (call->content_type);
  g_free (call->job_id);
  g_free (call);
}

const char *
horde_sim_call_get_param (HordeSimCall *call,
                          guint         index)
{
  g_return_val_if_fail (call->params != NULL && index < g_strv_length (call->params), NULL);
  return call->params[index];
}

const char *
horde_sim_call_get_query (HordeSimCall *call,
                          const char   *name)
{
  return call->query ? g_hash_table_lookup (call->query, name) : NULL;
}

/* The JSON body, or NULL after answering 400 like flask does. */
JsonNode *
horde_sim_call_get_json (HordeSimCall *call)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (call->body, &length);

  if (call->json != NULL)
    return call->json;
  call->json = horde_sim_json_parse (data, length, &error);
  if (call->json == NULL)
    horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, NULL,
                                "Failed to decode JSON object: %s", error->message);
  return call->json;
}

void
horde_sim_call_set_job (HordeSimCall *call,
                        const char   *job_id)
{
  g_free (call->job_id);
  call->job_id = g_strdup (job_id);
}

/* Takes @reply. */
void
horde_sim_call_reply (HordeSimCall *call,
                      guint         status,
                      JsonNode     *reply)
{
  g_clear_pointer (&call->reply, json_node_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  call->status = status;
  call->reply = reply;
}

/* {"message", "rc"}; without @rc only the message, like flask's own errors. */
void
horde_sim_call_reply_error (HordeSimCall *call,
                            guint         status,
                            const char   *rc,
                            const char   *format,
                            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  horde_sim_call_reply (call, status, horde_sim_json_error_node (rc, message));
}

/* flask-restx's answer to a payload that fails its schema.  Takes @errors. */
void
horde_sim_call_reply_validation (HordeSimCall *call,
                                 JsonObject   *errors)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_object_member (object, "errors", errors);
  json_object_set_string_member (object, "message", "Input payload validation failed");
  json_node_take_object (node, object);
  horde_sim_call_reply (call, SOUP_STATUS_BAD_REQUEST, node);
}

void
horde_sim_call_reply_raw (HordeSimCall *call,
                          guint         status,
                          const char   *content_type,
                          GBytes       *bytes)
{
  g_clear_pointer (&call->reply, json_node_unref);
  g_clear_pointer (&call->raw, g_bytes_unref);
  g_free (call->content_type);
  call->status = status;
  call->content_type = g_strdup (content_type);
  call->raw = g_bytes_ref (bytes);
}

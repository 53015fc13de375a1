/* horde-sim-server.c: the HTTP side of the simulator
 *
 * One SoupServer handler takes every request:
 *
 *   /api/…   counted per route, then fault rules, rate limits and the
 *            route's handler (horde-sim-api*.c);
 *   /r2/…    image downloads, presigned-URL style, and (PUT /r2/upload/…)
 *            external workers' image uploads;
 *   /model-reference/…  the image and text model reference files
 *            (horde-sim-model-reference.c), counted and faulted as /r2;
 *   /_sim/…  control: stats, pause, users, fault rules (loopback only,
 *            never counted, never faulted);
 *   /civitai/…  a fake CivitAI for Horde Studio's LoRA look-ups
 *            (horde-sim-civitai.c): counted per route, never faulted.
 *
 * Answers that must wait (latency) or never come (stall, drop) are held
 * with the message paused; nothing ever blocks the main loop.  Every
 * request gets a line in --log.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-server.h"
#include "horde-sim-api.h"
#include "horde-sim-call.h"
#include "horde-sim-civitai.h"
#include "horde-sim-faults.h"
#include "horde-sim-horde.h"
#include "horde-sim-json.h"
#include "horde-sim-model-reference.h"
#include "horde-sim-rate-limiter.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define ROUTE_R2 "GET /r2/{file}"
#define ROUTE_R2_UPLOAD "PUT /r2/upload/{file}"
#define ROUTE_MODEL_REFERENCE "GET /model-reference/{file}"
#define LISTEN_BACKLOG 1024

typedef enum {
  HELD_SEND,
  HELD_DROP,
  HELD_STALL,
} HeldAction;

typedef struct {
  HordeSimServer *server;
  HordeSimCall   *call;
  HeldAction      action;
  guint           source_id;
  gulong          disconnected_id;
} Held;

struct _HordeSimServer
{
  GObject              parent_instance;

  SoupServer          *soup;
  GSocketService      *service;
  HordeSimHorde       *horde;
  HordeSimFaults      *faults;
  HordeSimRateLimiter *limiter;
  gboolean             rate_limits;
  GOutputStream       *log;
  char                *base_url;

  guint64              total;
  guint64              rate_limited;   /* requests answered 429 for a rate limit */
  GHashTable          *by_route;   /* route → count */
  GPtrArray           *held;       /* Held */
};

G_DEFINE_FINAL_TYPE (HordeSimServer, horde_sim_server, G_TYPE_OBJECT)

static void log_call (HordeSimServer *self,
                      HordeSimCall   *call);

static void
held_free (Held *held)
{
  g_clear_handle_id (&held->source_id, g_source_remove);
  g_clear_signal_handler (&held->disconnected_id, held->call->msg);
  if (held->call->status == 0)
    log_call (held->server, held->call);
  horde_sim_call_free (held->call);
  g_free (held);
}

static void
horde_sim_server_dispose (GObject *object)
{
  HordeSimServer *self = HORDE_SIM_SERVER (object);

  horde_sim_server_stop (self);
  g_clear_object (&self->horde);
  g_clear_object (&self->faults);
  g_clear_object (&self->limiter);
  g_clear_pointer (&self->by_route, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_sim_server_parent_class)->dispose (object);
}

static void
horde_sim_server_finalize (GObject *object)
{
  HordeSimServer *self = HORDE_SIM_SERVER (object);

  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (horde_sim_server_parent_class)->finalize (object);
}

static void
horde_sim_server_class_init (HordeSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = horde_sim_server_dispose;
  object_class->finalize = horde_sim_server_finalize;
}

static void
horde_sim_server_init (HordeSimServer *self)
{
  self->faults = horde_sim_faults_new ();
  self->limiter = horde_sim_rate_limiter_new ();
  self->by_route = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
}

HordeSimServer *
horde_sim_server_new (void)
{
  return g_object_new (HORDE_SIM_TYPE_SERVER, NULL);
}

const char *
horde_sim_server_get_base_url (HordeSimServer *self)
{
  return self->base_url;
}

/* ---- answering ------------------------------------------------------ */

static void
log_call (HordeSimServer *self,
          HordeSimCall   *call)
{
  g_autoptr(JsonObject) line = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *with_newline = NULL;

  if (self->log == NULL)
    return;
  line = json_object_new ();
  json_object_set_double_member (line, "time", call->started_at);
  json_object_set_string_member (line, "method", call->method);
  json_object_set_string_member (line, "path", call->path);
  json_object_set_int_member (line, "status", call->status);
  horde_sim_json_set_string (line, "job", call->job_id);
  json_object_set_double_member (line, "duration_ms", (g_get_monotonic_time () - call->started_us) / 1000.0);
  node = json_node_init_object (json_node_alloc (), line);
  text = horde_sim_json_to_string (node);
  with_newline = g_strconcat (text, "\n", NULL);
  if (!g_output_stream_write_all (self->log, with_newline, strlen (with_newline), NULL, NULL, NULL))
    g_warning ("could not write to the request log");
}

/* Writes the call's answer into its message and logs it. */
static void
send_answer (HordeSimServer *self,
             HordeSimCall   *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  if (call->status == 0)
    horde_sim_call_reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "Internal Server Error");
  if (call->reply != NULL)
    {
      g_autofree char *text = horde_sim_json_to_string (call->reply);

      soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else if (call->raw != NULL)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (call->raw, &length);

      soup_server_message_set_response (call->msg, call->content_type, SOUP_MEMORY_COPY, data, length);
    }
  if (call->retry_after >= 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%d", call->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  /* libsoup's server keeps connections alive only for its own listeners,
   * and the simulator accepts connections itself: say so, or a client
   * reuses the closed connection and (libsoup does, for a PUT) resends the
   * request with an empty body */
  soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_status (call->msg, call->status, NULL);
  if (call->noticed != NULL && call->noticed->noticed == 0)
    call->noticed->noticed = g_get_real_time () / (double) G_USEC_PER_SEC;
  log_call (self, call);
}

static gboolean
held_fire_cb (gpointer data)
{
  Held *held = data;
  HordeSimServer *self = held->server;

  held->source_id = 0;
  g_clear_signal_handler (&held->disconnected_id, held->call->msg);
  if (held->action == HELD_SEND)
    {
      send_answer (self, held->call);
      soup_server_message_unpause (held->call->msg);
    }
  else if (held->action == HELD_DROP)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (held->call->msg);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }
  g_ptr_array_remove (self->held, held);
  return G_SOURCE_REMOVE;
}

static gboolean
held_release_cb (gpointer data)
{
  Held *held = data;

  held->source_id = 0;
  g_ptr_array_remove (held->server->held, held);
  return G_SOURCE_REMOVE;
}

/* The client went away while its answer was held: forget it (from an idle,
 * not from inside libsoup's signal emission). */
static void
held_disconnected_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  Held *held = user_data;

  g_clear_handle_id (&held->source_id, g_source_remove);
  g_clear_signal_handler (&held->disconnected_id, msg);
  held->source_id = g_idle_add (held_release_cb, held);
}

/* Pauses the message: it is answered (or dropped) after @delay_ms, or, for
 * a stall, never. */
static void
hold (HordeSimServer *self,
      HordeSimCall   *call,
      HeldAction      action,
      guint           delay_ms)
{
  Held *held = g_new0 (Held, 1);

  held->server = self;
  held->call = call;
  held->action = action;
  soup_server_message_pause (call->msg);
  held->disconnected_id = g_signal_connect (call->msg, "disconnected", G_CALLBACK (held_disconnected_cb), held);
  if (action != HELD_STALL)
    held->source_id = g_timeout_add (delay_ms, held_fire_cb, held);
  g_ptr_array_add (self->held, held);
}

static char *
html_page (guint       status,
           const char *message)
{
  const char *phrase = horde_sim_status_phrase (status);

  return g_strdup_printf ("<html>\r\n<head><title>%u %s</title></head>\r\n<body>\r\n"
                          "<center><h1>%u %s</h1></center>\r\n<hr><center>%s</center>\r\n"
                          "</body>\r\n</html>\r\n",
                          status, phrase ? phrase : "Error", status, phrase ? phrase : "Error",
                          message ? message : "nginx");
}

/* Turns the real answer into what the fault rule asks for. */
static void
mangle_answer (HordeSimCall            *call,
               const HordeSimFaultRule *rule)
{
  g_autofree char *text = call->reply ? horde_sim_json_to_string (call->reply) : NULL;
  g_autoptr(GBytes) bytes = NULL;

  call->noticed = NULL;   /* the client could not read it */
  if (rule->action == HORDE_SIM_FAULT_MALFORMED)
    {
      static const char junk[] = "OK\n<!-- horde-sim: malformed answer -->\n{\"finished\": 1, \"waiting\": }";

      bytes = g_bytes_new_static (junk, sizeof junk - 1);
      horde_sim_call_reply_raw (call, SOUP_STATUS_OK, "application/json", bytes);
    }
  else if (text != NULL)
    {
      bytes = g_bytes_new (text, strlen (text) / 2);
      horde_sim_call_reply_raw (call, call->status, "application/json", bytes);
    }
  else if (call->raw != NULL)
    {
      g_autofree char *content_type = g_strdup (call->content_type);

      bytes = g_bytes_new_from_bytes (call->raw, 0, g_bytes_get_size (call->raw) / 2);
      horde_sim_call_reply_raw (call, call->status, content_type, bytes);
    }
}

static void
answer_fault (HordeSimCall            *call,
              const HordeSimFaultRule *rule)
{
  g_autofree char *message = horde_sim_fault_rule_dup_message (rule);

  if (rule->action == HORDE_SIM_FAULT_STATUS)
    {
      g_autofree char *rc = horde_sim_fault_rule_dup_rc (rule);

      horde_sim_call_reply (call, rule->arg, horde_sim_json_error_node (rc, message));
    }
  else
    {
      char *page = html_page (rule->arg, rule->message);
      g_autoptr(GBytes) bytes = g_bytes_new_take (page, strlen (page));

      horde_sim_call_reply_raw (call, rule->arg, "text/html", bytes);
    }
  call->retry_after = rule->retry_after;
}

/* ---- /api and /r2 --------------------------------------------------- */

static gboolean
rate_limited (HordeSimServer      *self,
              HordeSimCall        *call,
              const HordeSimRoute *route)
{
  g_autofree char *key = NULL;
  guint limit, period, retry_after;
  gboolean per_path;

  if (!self->rate_limits)
    return FALSE;
  horde_sim_api_rate_limit (route->rate, &limit, &period, &per_path);
  key = g_strdup_printf ("%s@%s@%s@%s", call->client, call->apikey ? call->apikey : HORDE_SIM_ANONYMOUS_KEY,
                         call->method, per_path ? call->path : route->template);
  if (horde_sim_rate_limiter_check (self->limiter, key, limit, period, g_get_monotonic_time (), &retry_after))
    return FALSE;
  /* flask-limiter's wording: "2 per 1 second", "90 per 1 minute" */
  self->rate_limited++;
  horde_sim_call_reply_error (call, HORDE_SIM_STATUS_TOO_MANY_REQUESTS, NULL, "%u per %u %s",
                              limit, period % 60 == 0 ? period / 60 : period, period % 60 == 0 ? "minute" : "second");
  call->retry_after = (int) retry_after;
  return TRUE;
}

static void
handle_api (HordeSimServer      *self,
            HordeSimCall        *call,
            const HordeSimRoute *route,
            gboolean             other_method)
{
  if (route == NULL && other_method)
    horde_sim_call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
                                "The method is not allowed for the requested URL.");
  else if (route == NULL)
    horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, NULL,
                                "The requested URL was not found on the server. If you entered the URL "
                                "manually please check your spelling and try again.");
  else if (!rate_limited (self, call, route))
    route->handler (self->horde, call, route->data);
}

/* An S3-style XML error body. */
static void
reply_s3_error (HordeSimCall *call,
                guint         status,
                const char   *code)
{
  static const struct {
    const char *code;
    const char *message;
  } s3_errors[] = {
    { "NoSuchKey", "The specified key does not exist." },
    { "AccessDenied", "Request has expired" },
    { "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided." },
    { "InvalidImage", "horde-sim: the uploaded body is not a WebP image." },
  };
  const char *message = "Access Denied";
  g_autoptr(GBytes) bytes = NULL;
  char *xml;

  for (guint i = 0; i < G_N_ELEMENTS (s3_errors); i++)
    if (g_str_equal (s3_errors[i].code, code))
      message = s3_errors[i].message;
  xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<Error><Code>%s</Code><Message>%s</Message></Error>",
                         code, message);
  bytes = g_bytes_new_take (xml, strlen (xml));
  horde_sim_call_reply_raw (call, status, "application/xml", bytes);
}

static void
handle_r2 (HordeSimServer *self,
           HordeSimCall   *call)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *code = NULL;
  const char *request_id = NULL;
  const char *content_type = NULL;
  gboolean expire = horde_sim_faults_match_job (self->faults, HORDE_SIM_FAULT_EXPIRE_R2, "GET", call->path);
  guint status;

  /* the styles' example images: public, unsigned, as the Horde's are */
  if (g_str_has_prefix (call->path, "/r2/style-examples/"))
    {
      bytes = horde_sim_api_style_example (call->path + strlen ("/r2/style-examples/"));
      if (bytes != NULL)
        horde_sim_call_reply_raw (call, SOUP_STATUS_OK, "image/webp", bytes);
      else
        reply_s3_error (call, SOUP_STATUS_NOT_FOUND, "NoSuchKey");
      return;
    }

  status = horde_sim_horde_r2_fetch (self->horde, call->path + strlen ("/r2/"), call->query, expire,
                                     &bytes, &content_type, &code, &request_id);

  horde_sim_call_set_job (call, request_id);
  if (status == SOUP_STATUS_OK)
    horde_sim_call_reply_raw (call, status, content_type, bytes);
  else
    reply_s3_error (call, status, code);
}

/* An external worker PUTs its image to the presigned URL of its pop. */
static void
handle_r2_upload (HordeSimServer *self,
                  HordeSimCall   *call)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  const char *code = NULL;
  const char *request_id = NULL;
  gboolean expire = horde_sim_faults_match_job (self->faults, HORDE_SIM_FAULT_EXPIRE_R2, "PUT", call->path);
  guint status = horde_sim_horde_r2_upload (self->horde, call->path + strlen ("/r2/upload/"), call->query,
                                            content_type, call->body, expire, &code, &request_id);

  horde_sim_call_set_job (call, request_id);
  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

      horde_sim_call_reply_raw (call, status, "text/plain", empty);
    }
  else
    reply_s3_error (call, status, code);
}

static void
count_route (HordeSimServer *self,
             const char     *route)
{
  gpointer count = g_hash_table_lookup (self->by_route, route);

  self->total++;
  g_hash_table_replace (self->by_route, g_strdup (route), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
}

static void
serve (HordeSimServer *self,
       HordeSimCall   *call)
{
  gboolean is_upload = g_str_has_prefix (call->path, "/r2/upload/") && g_str_equal (call->method, "PUT");
  gboolean is_r2 = is_upload || (g_str_has_prefix (call->path, "/r2/") &&
                                 (g_str_equal (call->method, "GET") || g_str_equal (call->method, "HEAD")));
  gboolean is_api = g_str_equal (call->path, "/api") || g_str_has_prefix (call->path, "/api/");
  gboolean is_civitai = g_str_has_prefix (call->path, HORDE_SIM_CIVITAI_PREFIX);
  gboolean is_reference = g_str_has_prefix (call->path, HORDE_SIM_MODEL_REFERENCE_PREFIX);
  const HordeSimRoute *route = NULL;
  const HordeSimFaultRule *rule = NULL;
  gboolean other_method = FALSE;
  guint latency = 0;

  if (is_upload)
    call->route = g_strdup (ROUTE_R2_UPLOAD);
  else if (is_r2)
    call->route = g_strdup (ROUTE_R2);
  else if (is_reference)
    call->route = g_strdup (ROUTE_MODEL_REFERENCE);
  else if (is_api && (route = horde_sim_api_match (call->method, call->path, &call->params, &other_method)))
    call->route = g_strdup_printf ("%s %s", route->method, route->template);
  else if (is_civitai)
    call->route = horde_sim_civitai_route (call->method, call->path);
  else
    call->route = g_strdup_printf ("%s (unmatched)", call->method);
  count_route (self, call->route);

  if (is_api || is_r2 || is_reference)
    rule = horde_sim_faults_match_request (self->faults, call->method, call->path, is_api, &latency);
  if (rule != NULL && rule->action == HORDE_SIM_FAULT_DROP)
    {
      hold (self, call, HELD_DROP, latency);
      return;
    }
  if (rule != NULL && rule->action == HORDE_SIM_FAULT_STALL)
    {
      hold (self, call, HELD_STALL, 0);
      return;
    }

  if (rule != NULL && (rule->action == HORDE_SIM_FAULT_STATUS || rule->action == HORDE_SIM_FAULT_HTML))
    answer_fault (call, rule);
  else if (is_upload)
    handle_r2_upload (self, call);
  else if (is_r2)
    handle_r2 (self, call);
  else if (is_reference)
    horde_sim_model_reference_serve (call);
  else if (is_api)
    handle_api (self, call, route, other_method);
  else if (is_civitai)
    horde_sim_civitai_handle (call);
  else
    horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, NULL,
                                "The requested URL was not found on the server. The simulator serves "
                                "/api, /r2, /model-reference, /civitai and /_sim.");
  if (rule != NULL && (rule->action == HORDE_SIM_FAULT_MALFORMED || rule->action == HORDE_SIM_FAULT_TRUNCATE))
    mangle_answer (call, rule);

  if (latency > 0)
    hold (self, call, HELD_SEND, latency);
  else
    {
      send_answer (self, call);
      horde_sim_call_free (call);
    }
}

/* ---- /_sim ---------------------------------------------------------- */

static JsonNode *
stats_to_json (HordeSimServer *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *requests = horde_sim_json_add_object (object, "requests");
  JsonObject *by_route;
  GHashTableIter iter;
  gpointer route, count;

  json_object_set_int_member (requests, "total", (gint64) self->total);
  json_object_set_int_member (requests, "rate_limited", (gint64) self->rate_limited);
  by_route = horde_sim_json_add_object (requests, "by_route");
  g_hash_table_iter_init (&iter, self->by_route);
  while (g_hash_table_iter_next (&iter, &route, &count))
    json_object_set_int_member (by_route, route, (gint64) GPOINTER_TO_SIZE (count));
  json_object_set_member (object, "jobs", horde_sim_horde_jobs_to_json (self->horde));
  json_object_set_member (object, "external_workers", horde_sim_horde_external_to_json (self->horde));
  json_node_take_object (node, object);
  return node;
}

static void
handle_faults (HordeSimServer *self,
               HordeSimCall   *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;

  if (g_str_equal (call->method, "DELETE"))
    horde_sim_faults_clear (self->faults);
  else if (g_str_equal (call->method, "POST"))
    {
      spec = g_strndup (g_bytes_get_data (call->body, NULL), g_bytes_get_size (call->body));
      if (!horde_sim_faults_add (self->faults, spec, &error))
        {
          horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest", "%s", error->message);
          return;
        }
      g_message ("fault rules added: %s", spec);
    }
  else if (!g_str_equal (call->method, "GET"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Use GET, POST or DELETE.");
      return;
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, horde_sim_faults_to_json (self->faults));
}

static JsonNode *
paused_json (HordeSimServer *self)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_boolean_member (object, "paused", horde_sim_horde_get_paused (self->horde));
  json_node_take_object (node, object);
  return node;
}

static void
handle_control (HordeSimServer *self,
                HordeSimCall   *call)
{
  JsonNode *paused;

  if (g_str_equal (call->method, "POST"))
    {
      if (horde_sim_call_get_json (call) == NULL)
        return;
      paused = horde_sim_json_lookup (call->json, "paused");
      if (paused == NULL || !JSON_NODE_HOLDS_VALUE (paused) || json_node_get_value_type (paused) != G_TYPE_BOOLEAN)
        {
          horde_sim_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "BadRequest", "Expected {\"paused\": true|false}.");
          return;
        }
      horde_sim_horde_set_paused (self->horde, json_node_get_boolean (paused));
      g_message ("workers %s", json_node_get_boolean (paused) ? "paused" : "resumed");
    }
  horde_sim_call_reply (call, SOUP_STATUS_OK, paused_json (self));
}

static void
handle_users (HordeSimServer *self,
              HordeSimCall   *call)
{
  g_autoptr(GError) error = NULL;
  HordeSimUser *user;

  if (!g_str_equal (call->method, "POST"))
    {
      horde_sim_call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Use POST.");
      return;
    }
  if (horde_sim_call_get_json (call) == NULL)
    return;
  user = horde_sim_horde_add_user (self->horde, call->json, &error);
  if (user == NULL)
    {
      horde_sim_call_reply_error (call, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)
                                        ? SOUP_STATUS_CONFLICT : SOUP_STATUS_BAD_REQUEST,
                                  "BadRequest", "%s", error->message);
      return;
    }
  horde_sim_call_reply (call, SOUP_STATUS_CREATED, horde_sim_horde_user_to_json (self->horde, user, TRUE));
}

static gboolean
is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (address) &&
         g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static void
serve_control (HordeSimServer *self,
               HordeSimCall   *call)
{
  const char *what = call->path + strlen ("/_sim/");

  if (!is_loopback (call->msg))
    horde_sim_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "Forbidden", "The /_sim endpoints are loopback-only.");
  else if (g_str_equal (what, "stats") && g_str_equal (call->method, "GET"))
    horde_sim_call_reply (call, SOUP_STATUS_OK, stats_to_json (self));
  else if (g_str_equal (what, "faults"))
    handle_faults (self, call);
  else if (g_str_equal (what, "control"))
    handle_control (self, call);
  else if (g_str_equal (what, "users"))
    handle_users (self, call);
  else
    horde_sim_call_reply_error (call, SOUP_STATUS_NOT_FOUND, NULL,
                                "Known: GET /_sim/stats, GET|POST /_sim/control, POST /_sim/users, "
                                "GET|POST|DELETE /_sim/faults.");
  send_answer (self, call);
  horde_sim_call_free (call);
}

static void
server_callback (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  HordeSimServer *self = user_data;
  HordeSimCall *call = horde_sim_call_new (msg, path, query);

  if (g_str_has_prefix (path, "/_sim/"))
    serve_control (self, call);
  else
    serve (self, call);
}

/* ---- life cycle ----------------------------------------------------- */

static char *
base_url (GInetAddress *address,
          guint         port)
{
  g_autofree char *text = g_inet_address_to_string (address);
  gboolean ipv6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  if (g_inet_address_get_is_any (address))
    return g_strdup_printf ("http://%s:%u", ipv6 ? "[::1]" : "127.0.0.1", port);
  return g_strdup_printf (ipv6 ? "http://[%s]:%u" : "http://%s:%u", text, port);
}

/* Hands an accepted connection to the SoupServer.  The simulator accepts
 * connections itself: for a backlog that absorbs a hundred clients
 * connecting at once (GSocket's default is 10), and because libsoup 3.2's
 * own listener leaks a reference to every accepted socket. */
static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  HordeSimServer *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  if (self->soup == NULL || local == NULL || remote == NULL)
    return TRUE;
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  soup_server_accept_iostream (self->soup, G_IO_STREAM (connection), local, remote, NULL);
  return TRUE;
}

/* Sets everything up from @config and listens.  Fails on a bad fault spec,
 * an unreadable users file or log, or an address that cannot be bound. */
gboolean
horde_sim_server_start (HordeSimServer        *self,
                        const HordeSimConfig  *config,
                        GError               **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (config->host);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *root = NULL;

  g_return_val_if_fail (self->soup == NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (config->faults != NULL && !horde_sim_faults_add (self->faults, config->faults, error))
    return FALSE;
  self->rate_limits = !config->no_rate_limits;
  self->horde = horde_sim_horde_new (config, self->faults);
  if (config->users_path != NULL && !horde_sim_horde_load_users (self->horde, config->users_path, error))
    return FALSE;
  if (config->log_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (config->log_path);

      self->log = G_OUTPUT_STREAM (g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error));
      if (self->log == NULL)
        return FALSE;
    }

  self->soup = soup_server_new ("server-header", "horde-sim/" HORDE_SIM_VERSION " ", NULL);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);
  socket_address = g_inet_socket_address_new (address, (guint16) config->port);
  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), LISTEN_BACKLOG);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), socket_address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return FALSE;
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);

  root = base_url (address, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  horde_sim_horde_set_base_url (self->horde, root);
  self->base_url = g_strconcat (root, "/api", NULL);
  return TRUE;
}

/* Releases held messages, stops listening, waits for the workers' threads
 * and closes the log.  Safe to call twice. */
void
horde_sim_server_stop (HordeSimServer *self)
{
  if (self->held != NULL)
    g_ptr_array_set_size (self->held, 0);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  if (self->horde != NULL)
    horde_sim_horde_shutdown (self->horde);
  if (self->log != NULL)
    {
      g_output_stream_close (self->log, NULL, NULL);
      g_clear_object (&self->log);
    }
}

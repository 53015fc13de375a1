/* test-hostile.c: libhorde against a server that means harm
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every byte a server sends is untrusted: the public Horde, a mirror that
 * someone points the client at, a proxy on the way. Each case here is one
 * attack, played by a server on 127.0.0.1 (tests/horde-test-raw-server.c)
 * that writes exactly the bytes the attack needs, and asserts the exact
 * outcome: a clear error, memory that stays bounded, a key that stays on
 * its server, a call that ends in time.
 */

#include "config.h"

#include <libhorde.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "horde-client-private.h"
#include "horde-test-raw-server.h"

#define KEY "0123456789abcdefghijkl"
#define MiB (1024 * 1024)

/* -------------------------------------------------------------------------
 * Helpers
 */

/* A memory figure of /proc/self/status (VmHWM: the peak since the last
 * reset; VmRSS: now), in bytes */
static gsize
proc_status_bytes (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (field), NULL, 10) * 1024;
}

/* Starts a measure of peak memory: the kernel's peak goes back to now */
static gsize
rss_mark (void)
{
  FILE *clear_refs = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (clear_refs);
  g_assert_cmpint (fputs ("5", clear_refs), >=, 0);
  g_assert_cmpint (fclose (clear_refs), ==, 0);
  return proc_status_bytes ("VmRSS:");
}

static void
assert_rss_grew_less_than (gsize mark,
                           gsize bound)
{
  gsize peak = proc_status_bytes ("VmHWM:");

  g_test_message ("peak memory grew by %zu KiB", (peak - MIN (peak, mark)) / 1024);
  g_assert_cmpuint (peak - MIN (peak, mark), <, bound);
}

static HordeClient *
client_for (HordeTestRawServer *server)
{
  g_autofree char *base = g_strconcat (horde_test_raw_server_get_url (server), "api", NULL);

  return g_object_new (HORDE_TYPE_CLIENT,
                       "base-url", base,
                       "api-key", KEY,
                       "pace-requests", FALSE,
                       "max-retries", 0,
                       NULL);
}

static HordeUserDetails *
find_user (HordeClient  *client,
           GError      **error)
{
  g_autoptr(HordeFindUserRequest) request = horde_find_user_request_new ();

  return horde_client_send_find_user_request_sync (client, request, NULL, error);
}

/* An image request; with @n > 0, for that many images */
static HordeImageGenerateAsyncRequest *
image_request (gint64 n)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *request;

  if (n > 0)
    {
      g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
      g_autoptr(HordeModelGenerationInputStable) built = NULL;

      horde_model_generation_input_stable_builder_set_n (params, n);
      built = horde_model_generation_input_stable_builder_end (params, &error);
      g_assert_no_error (error);
      horde_image_generate_async_request_builder_set_params (builder, built);
    }
  horde_image_generate_async_request_builder_set_prompt (builder, "a lighthouse");
  request = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);
  return request;
}

static void
answer_json (GOutputStream *out,
             guint          status,
             const char    *json)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u X\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                           status, strlen (json));

  horde_test_raw_write (out, head);
  horde_test_raw_write (out, json);
}

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
wait_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Downloads @url as an image job does; the bytes, or NULL and @error */
static GBytes *
download (HordeClient  *client,
          const char   *url,
          GError      **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GBytes *bytes;

  horde_client_download_async (client, url, NULL, wait_done, &wait);
  g_main_loop_run (wait.loop);
  /* as a program's main loop goes on: libsoup drops the connection */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bytes = horde_client_download_finish (client, wait.result, NULL, error);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);

  return bytes;
}

/* -------------------------------------------------------------------------
 * Redirects: the key stays on its server
 */

typedef struct {
  HordeTestRawServer *other;   /* where the hostile server sends the client */
  int status;
  const char *path;            /* of the redirect on the same server */
} Redirect;

static void
redirect_elsewhere (HordeTestRawServer  *server,
                    HordeTestRawRequest *request,
                    GOutputStream       *out,
                    gpointer             user_data)
{
  Redirect *r = user_data;
  g_autofree char *head = NULL;

  if (g_str_has_prefix (request->path, "/api/moved/"))
    {
      answer_json (out, 202, "{\"id\": \"00000000-0000-0000-0000-000000000001\", \"kudos\": 10}");
      return;
    }

  head = g_strdup_printf ("HTTP/1.1 %d Moved\r\nLocation: %s%s\r\nContent-Length: 0\r\n"
                          "Connection: close\r\n\r\n",
                          r->status,
                          r->other ? horde_test_raw_server_get_url (r->other) : "",
                          r->other ? "api/v2/find_user" : r->path);
  horde_test_raw_write (out, head);
}

static void
record_only (HordeTestRawServer  *server,
             HordeTestRawRequest *request,
             GOutputStream       *out,
             gpointer             user_data)
{
  answer_json (out, 200, "{\"username\": \"elsewhere#2\", \"id\": 2}");
}

/* A server that sends the client to another one would hand it the key:
 * libhorde does not follow, and says where the server wanted it to go */
static void
test_redirect_other_origin (void)
{
  HordeTestRawServer *other = horde_test_raw_server_start (record_only, NULL);
  Redirect r = { other, 302, NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (redirect_elsewhere, &r);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_null (user);
  g_assert_nonnull (strstr (error->message, "another address"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (horde_test_raw_server_get_request (server, 0)->headers, "apikey"), ==, KEY);
  /* nothing reached the other server: neither the key nor the request */
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (other), ==, 0);

  horde_test_raw_server_stop (server);
  horde_test_raw_server_stop (other);
}

/* A 302 to a POST would silently become a GET of another resource */
static void
test_redirect_post_to_get (void)
{
  Redirect r = { NULL, 302, "/api/moved/v2/generate/async" };
  HordeTestRawServer *server = horde_test_raw_server_start (redirect_elsewhere, &r);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request (0);
  g_autoptr(HordeRequestAsync) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = horde_client_send_image_generate_async_request_sync (client, request, NULL, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_null (answer);
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 1);

  horde_test_raw_server_stop (server);
}

/* A 307 on the same server is the same request, key and body, elsewhere */
static void
test_redirect_same_origin (void)
{
  Redirect r = { NULL, 307, "/api/moved/v2/generate/async" };
  HordeTestRawServer *server = horde_test_raw_server_start (redirect_elsewhere, &r);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request (0);
  g_autoptr(HordeRequestAsync) answer = NULL;
  g_autoptr(GError) error = NULL;
  HordeTestRawRequest *first, *second;

  answer = horde_client_send_image_generate_async_request_sync (client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_request_async_get_id (answer), ==, "00000000-0000-0000-0000-000000000001");

  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 2);
  first = horde_test_raw_server_get_request (server, 0);
  second = horde_test_raw_server_get_request (server, 1);
  g_assert_cmpstr (second->method, ==, "POST");
  g_assert_cmpstr (second->path, ==, "/api/moved/v2/generate/async");
  g_assert_cmpstr (g_hash_table_lookup (second->headers, "apikey"), ==, KEY);
  g_assert_nonnull (second->body);
  g_assert_true (g_bytes_equal (first->body, second->body));

  horde_test_raw_server_stop (server);
}

/* A server that redirects to itself forever */
static void
test_redirect_loop (void)
{
  Redirect r = { NULL, 307, "/api/v2/find_user" };
  HordeTestRawServer *server = horde_test_raw_server_start (redirect_elsewhere, &r);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 6);

  horde_test_raw_server_stop (server);
}

static void
test_redirect_rules (void)
{
  static const struct {
    const char *from;
    const char *to;
    const char *method;
    guint status;
    gboolean allowed;
  } cases[] = {
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "POST", 307, TRUE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "PUT", 308, TRUE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net:443/v2/y", "GET", 301, TRUE },
    { "https://aihorde.net/api/v2/x", "https://AIHORDE.net/v2/y", "DELETE", 307, TRUE },
    { "http://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/x", "GET", 301, TRUE },
    { "http://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/x", "POST", 308, TRUE },
    /* a downgrade reads the key off the wire */
    { "https://aihorde.net/api/v2/x", "http://aihorde.net/api/v2/x", "GET", 301, FALSE },
    /* another host, another port, another scheme */
    { "https://aihorde.net/api/v2/x", "https://evil.example/api/v2/x", "GET", 302, FALSE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net.evil.example/", "GET", 302, FALSE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net:8443/api/v2/x", "GET", 302, FALSE },
    { "http://127.0.0.1:8765/api/v2/x", "http://169.254.169.254/latest/meta-data", "GET", 302, FALSE },
    { "http://127.0.0.1:8765/api", "https://127.0.0.1:8766/api", "GET", 302, FALSE },
    { "https://aihorde.net/api/v2/x", "ftp://aihorde.net/x", "GET", 302, FALSE },
    { "https://aihorde.net/api/v2/x", "file:///etc/passwd", "GET", 302, FALSE },
    /* a request with a body would become a GET */
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "POST", 302, FALSE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "PUT", 301, FALSE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "DELETE", 303, FALSE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "GET", 303, TRUE },
    { "https://aihorde.net/api/v2/x", "https://aihorde.net/api/v2/y", "GET", 300, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) from = g_uri_parse (cases[i].from, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GUri) to = g_uri_parse (cases[i].to, G_URI_FLAGS_NONE, NULL);

      g_test_message ("%s → %s (%s, %u)", cases[i].from, cases[i].to, cases[i].method, cases[i].status);
      g_assert_cmpint (horde_redirect_is_allowed (from, to, cases[i].method, cases[i].status), ==, cases[i].allowed);
    }
}

/* -------------------------------------------------------------------------
 * Bodies: memory stays bounded
 */

#define ATTACK_SIZE (256 * MiB)

/* A chunked body that would go on and on: 256 MiB of a valid JSON array,
 * in case the client reads all of it */
static void
endless_body (HordeTestRawServer  *server,
              HordeTestRawRequest *request,
              GOutputStream       *out,
              gpointer             user_data)
{
  g_autofree char *block = NULL;
  gsize block_size = 64 * 1024;

  horde_test_raw_write (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  if (!horde_test_raw_write_chunk (out, "[", 1))
    return;

  /* "{}," again and again: items of a worker list */
  block = g_malloc (block_size);
  for (gsize i = 0; i < block_size; i += 3)
    memcpy (block + i, "{},", MIN (3, block_size - i));
  block_size -= block_size % 3;

  for (gsize sent = 0; sent < ATTACK_SIZE; sent += block_size)
    if (!horde_test_raw_write_chunk (out, block, block_size))
      return;

  horde_test_raw_write_chunk (out, "{}]", 3);
  horde_test_raw_write_chunk (out, "", 0);
}

static void
test_body_endless (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (endless_body, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeAllWorkersDetailsRequest) request = horde_all_workers_details_request_new ();
  g_autoptr(HordeWorkerDetailsList) workers = NULL;
  g_autoptr(GError) error = NULL;
  gsize mark;

  horde_client_set_max_response_size (client, 1 * MiB);

  mark = rss_mark ();
  workers = horde_client_send_all_workers_details_request_sync (client, request, NULL, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "GET /v2/workers"));
  g_assert_nonnull (strstr (error->message, "larger than 1.0"));
  assert_rss_grew_less_than (mark, 64 * MiB);

  horde_test_raw_server_stop (server);
}

/* The default limit holds too, without the caller setting one */
static void
test_body_endless_default (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (endless_body, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeAllWorkersDetailsRequest) request = horde_all_workers_details_request_new ();
  g_autoptr(HordeWorkerDetailsList) workers = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (horde_client_get_max_response_size (client), ==, 128 * MiB);

  /* (the memory is not measured here: up to the limit, the body is held,
   * and a sanitizer keeps what the growing buffer let go) */
  workers = horde_client_send_all_workers_details_request_sync (client, request, NULL, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 128.0"));

  horde_test_raw_server_stop (server);
}

static GBytes *gzip_bomb;

/* ~256 KB of gzip that inflates to 256 MiB: a JSON object padded with
 * spaces, which is valid all the way */
static GBytes *
make_gzip_bomb (void)
{
  z_stream z = { 0 };
  g_autofree guint8 *zeros = g_malloc (MiB);
  GByteArray *out = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  memset (zeros, ' ', MiB);
  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);

  for (guint i = 0; i <= ATTACK_SIZE / MiB; i++)
    {
      gboolean last = i == ATTACK_SIZE / MiB;

      z.next_in = last ? (guint8 *) "{}" : zeros;
      z.avail_in = last ? 2 : MiB;
      do
        {
          z.next_out = buffer;
          z.avail_out = sizeof buffer;
          deflate (&z, last ? Z_FINISH : Z_NO_FLUSH);
          g_byte_array_append (out, buffer, sizeof buffer - z.avail_out);
        }
      while (z.avail_out == 0);
    }
  deflateEnd (&z);

  return g_byte_array_free_to_bytes (out);
}

static void
gzip_body (HordeTestRawServer  *server,
           HordeTestRawRequest *request,
           GOutputStream       *out,
           gpointer             user_data)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                           "Content-Encoding: gzip\r\nContent-Length: %zu\r\n"
                                           "Connection: close\r\n\r\n",
                                           g_bytes_get_size (gzip_bomb));

  horde_test_raw_write (out, head);
  horde_test_raw_write_len (out, g_bytes_get_data (gzip_bomb, NULL), g_bytes_get_size (gzip_bomb));
}

static void
test_body_gzip_bomb (void)
{
  HordeTestRawServer *server;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;
  gsize mark;

  if (gzip_bomb == NULL)
    gzip_bomb = make_gzip_bomb ();
  g_test_message ("%zu bytes of gzip", g_bytes_get_size (gzip_bomb));
  g_assert_cmpuint (g_bytes_get_size (gzip_bomb), <, 2 * MiB);

  server = horde_test_raw_server_start (gzip_body, NULL);
  client = client_for (server);
  horde_client_set_max_response_size (client, 1 * MiB);

  mark = rss_mark ();
  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "GET /v2/find_user"));
  assert_rss_grew_less_than (mark, 64 * MiB);

  horde_test_raw_server_stop (server);
}

/* An error body (whatever its status) is read up to its first kilobytes */
static void
huge_error_body (HordeTestRawServer  *server,
                 HordeTestRawRequest *request,
                 GOutputStream       *out,
                 gpointer             user_data)
{
  g_autofree char *block = g_malloc (64 * 1024);
  g_autofree char *start = g_strdup ("{\"rc\": \"KudosUpfront\", \"message\": \"");

  memset (block, 'x', 64 * 1024);
  horde_test_raw_write (out, "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  if (!horde_test_raw_write_chunk (out, start, strlen (start)))
    return;
  for (gsize sent = 0; sent < ATTACK_SIZE; sent += 64 * 1024)
    if (!horde_test_raw_write_chunk (out, block, 64 * 1024))
      return;
  horde_test_raw_write_chunk (out, "\"}", 2);
  horde_test_raw_write_chunk (out, "", 0);
}

static void
test_body_error (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (huge_error_body, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;
  gsize mark;

  mark = rss_mark ();
  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_cmpuint (horde_error_get_status (error), ==, 403);
  /* cut JSON is no JSON: the status speaks for it */
  g_assert_cmpuint (strlen (error->message), <, 1000);
  assert_rss_grew_less_than (mark, 64 * MiB);

  horde_test_raw_server_stop (server);
}

/* A long message, and a reason that is not UTF-8: the error's message is
 * a readable length of valid text; the server's words stay whole */
static void
long_message (HordeTestRawServer  *server,
              HordeTestRawRequest *request,
              GOutputStream       *out,
              gpointer            user_data)
{
  g_autoptr(GString) json = g_string_new ("{\"rc\": \"KudosUpfront\", \"message\": \"");
  g_autofree char *head = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append (json, "é long words ");
  g_string_append (json, "\"}");
  head = g_strdup_printf ("HTTP/1.1 403 Not \xff\xfe UTF-8\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n", json->len);
  horde_test_raw_write (out, head);
  horde_test_raw_write (out, json->str);
}

static void
test_body_long_message (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (long_message, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "KudosUpfront");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), <=, 2000 + strlen ("…"));
  g_assert_true (g_str_has_suffix (error->message, "…"));
  g_assert_cmpuint (strlen (horde_error_get_server_message (error)), ==, 3000 * strlen ("é long words "));

  horde_test_raw_server_stop (server);
}

/* An error body that nests 100,000 deep: json-glib's parser overflowed
 * the stack (horde status died of SIGSEGV) */
static void
deep_error_body (HordeTestRawServer  *server,
                 HordeTestRawRequest *request,
                 GOutputStream       *out,
                 gpointer             user_data)
{
  g_autofree char *body = g_strnfill (100 * 1000, '[');
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                           strlen (body));

  horde_test_raw_write (out, head);
  horde_test_raw_write (out, body);
}

static void
test_body_deep_error (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (deep_error_body, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_BAD_REQUEST);
  g_assert_cmpuint (horde_error_get_status (error), ==, 400);
  g_assert_null (horde_error_get_rc (error));

  horde_test_raw_server_stop (server);
}

/* An image of 2 GB, announced: refused before a byte of it is read */
static void
announced_download (HordeTestRawServer  *server,
                    HordeTestRawRequest *request,
                    GOutputStream       *out,
                    gpointer             user_data)
{
  static const guint8 webp_start[] = "RIFF\xff\xff\xff\x7fWEBPVP8 ";
  guint8 block[4096] = { 0 };

  horde_test_raw_write (out, "HTTP/1.1 200 OK\r\nContent-Type: image/webp\r\n"
                             "Content-Length: 2147483648\r\nConnection: close\r\n\r\n");
  if (!horde_test_raw_write_len (out, webp_start, sizeof webp_start - 1))
    return;
  /* slowly, so that the client has to decide before the end */
  for (guint i = 0; i < 500; i++)
    {
      if (!horde_test_raw_write_len (out, block, sizeof block))
        return;
      g_usleep (10000);
    }
}

static void
test_body_announced_download (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (announced_download, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autofree char *url = g_strconcat (horde_test_raw_server_get_url (server), "image.webp", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpuint (horde_client_get_max_download_size (client), ==, 128 * MiB);
  bytes = download (client, url, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 128.0"));
  /* the server would take 5 s to send its first 2 MB */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  horde_test_raw_server_stop (server);
}

/* An "image" that is a web page, and an endless one: refused at its first
 * bytes */
static void
endless_page (HordeTestRawServer  *server,
              HordeTestRawRequest *request,
              GOutputStream       *out,
              gpointer             user_data)
{
  char block[4096];

  memset (block, ' ', sizeof block);
  horde_test_raw_write (out, "HTTP/1.1 200 OK\r\nContent-Type: image/webp\r\n"
                             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  if (!horde_test_raw_write_chunk (out, "<html><body>", 12))
    return;
  for (gsize sent = 0; sent < ATTACK_SIZE; sent += sizeof block)
    if (!horde_test_raw_write_chunk (out, block, sizeof block))
      return;
  horde_test_raw_write_chunk (out, "", 0);
}

static void
test_body_not_an_image (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (endless_page, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autofree char *url = g_strconcat (horde_test_raw_server_get_url (server), "image.webp", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize mark;

  mark = rss_mark ();
  bytes = download (client, url, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "not a WebP, PNG or JPEG image"));
  assert_rss_grew_less_than (mark, 16 * MiB);

  horde_test_raw_server_stop (server);
}

/* -------------------------------------------------------------------------
 * Time: a call ends
 */

/* A body at a byte every 100 ms: never silent for long, never done */
static void
slow_drip (HordeTestRawServer  *server,
           HordeTestRawRequest *request,
           GOutputStream       *out,
           gpointer             user_data)
{
  const char *body = "{\"username\": \"drip#1\", \"id\": 1}";
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                           strlen (body) + 300);

  if (!horde_test_raw_write (out, head) || !horde_test_raw_write (out, "{"))
    return;
  /* 30 s of spaces, then the rest */
  for (guint i = 0; i < 300; i++)
    {
      g_usleep (100000);
      if (!horde_test_raw_write (out, " "))
        return;
    }
  horde_test_raw_write (out, body + 1);
}

static void
test_deadline_slow_drip (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (slow_drip, NULL);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  g_assert_cmpuint (horde_client_get_deadline (client), ==, 120);
  horde_client_set_deadline (client, 2);

  start = g_get_monotonic_time ();
  user = find_user (client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "GET /v2/find_user did not finish within 2 seconds"));
  g_assert_cmpint (elapsed, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 15 * G_USEC_PER_SEC);

  horde_test_raw_server_stop (server);
}

/* 503 with Retry-After, again and again */
static void
busy (HordeTestRawServer  *server,
      HordeTestRawRequest *request,
      GOutputStream       *out,
      gpointer             user_data)
{
  const char *body = "{\"message\": \"Busy\"}";
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\n"
                                           "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                                           "Connection: close\r\n\r\n",
                                           (const char *) user_data, strlen (body));

  horde_test_raw_write (out, head);
  horde_test_raw_write (out, body);
}

/* A wait that would outlast the deadline is not made: the call fails with
 * the server's answer */
static void
test_deadline_retry_after (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (busy, "2");
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  horde_client_set_max_retries (client, 4);
  horde_client_set_deadline (client, 3);

  start = g_get_monotonic_time ();
  user = find_user (client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
  g_assert_cmpuint (horde_error_get_status (error), ==, 503);
  /* once at once, once after 2 s; a third would start past the deadline */
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), >=, 1);
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), <=, 2);
  g_assert_cmpint (elapsed, <, 6 * G_USEC_PER_SEC);

  horde_test_raw_server_stop (server);
}

/* Without a deadline, a Retry-After far away is still not waited for */
static void
test_deadline_retry_after_far (void)
{
  HordeTestRawServer *server = horde_test_raw_server_start (busy, "3600");
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  horde_client_set_max_retries (client, 4);
  horde_client_set_deadline (client, 0);

  user = find_user (client, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 1);

  horde_test_raw_server_stop (server);
}

/* -------------------------------------------------------------------------
 * Images: pixels are decoded when asked for, and never too many
 */

typedef struct {
  GByteArray *data;
  guint64 bits;
  guint n_bits;
} BitWriter;

static void
put_bits (BitWriter *w,
          guint32    value,
          guint      n)
{
  w->bits |= (guint64) value << w->n_bits;
  w->n_bits += n;
  while (w->n_bits >= 8)
    {
      guint8 byte = w->bits & 0xff;

      g_byte_array_append (w->data, &byte, 1);
      w->bits >>= 8;
      w->n_bits -= 8;
    }
}

static void
put_le32 (GByteArray *data,
          guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (data, b, 4);
}

/* A lossless WebP of one colour, @width × @height, in a few bytes: every
 * prefix code has one symbol, so a pixel costs no bits at all. The WebP
 * decompression bomb. */
static GBytes *
make_webp (guint width,
           guint height)
{
  BitWriter w = { g_byte_array_new (), 0, 0 };
  GByteArray *file = g_byte_array_new ();
  g_autoptr(GByteArray) bitstream = NULL;

  put_bits (&w, 0x2f, 8);            /* VP8L signature */
  put_bits (&w, width - 1, 14);
  put_bits (&w, height - 1, 14);
  put_bits (&w, 0, 1);               /* no alpha */
  put_bits (&w, 0, 3);               /* version 0 */
  put_bits (&w, 0, 1);               /* no transform */
  put_bits (&w, 0, 1);               /* no colour cache */
  put_bits (&w, 0, 1);               /* no meta prefix codes */
  for (guint i = 0; i < 5; i++)      /* green, red, blue, alpha, distance */
    {
      put_bits (&w, 1, 1);           /* a simple code */
      put_bits (&w, 0, 1);           /* of one symbol */
      put_bits (&w, 0, 1);           /* that takes one bit */
      put_bits (&w, i == 0 ? 0 : 1, 1);
    }
  put_bits (&w, 0, 8);               /* flush */
  bitstream = w.data;
  if (bitstream->len % 2)
    g_byte_array_append (bitstream, (const guint8 *) "", 1);

  g_byte_array_append (file, (const guint8 *) "RIFF", 4);
  put_le32 (file, 4 + 8 + bitstream->len);
  g_byte_array_append (file, (const guint8 *) "WEBPVP8L", 8);
  put_le32 (file, bitstream->len);
  g_byte_array_append (file, bitstream->data, bitstream->len);

  return g_byte_array_free_to_bytes (file);
}

/* The bomb is a real image: small ones decode to their size */
static void
test_image_webp_bomb_is_real (void)
{
  g_autoptr(GBytes) bytes = make_webp (300, 200);
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_cmpuint (g_bytes_get_size (bytes), <, 64);
  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_generated_image_get_width (image), ==, 300);
  g_assert_cmpint (horde_generated_image_get_height (image), ==, 200);
  pixbuf = horde_generated_image_decode (image, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 200);
  g_assert_true (horde_generated_image_get_pixbuf (image) == pixbuf);
}

/* 24 bytes that say 16383 × 16383: refused before a pixel is allocated */
static void
test_image_webp_bomb (void)
{
  g_autoptr(GBytes) bytes = make_webp (16383, 16383);
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gsize mark;

  mark = rss_mark ();
  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "16383×16383"));
  g_assert_null (image);
  assert_rss_grew_less_than (mark, 16 * MiB);
}

/* PNG and JPEG headers are read without a decoder too */
static void
test_image_headers (void)
{
  static const guint8 png[] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x7f\xff\0\0\x7f\xff\x08\x06\0\0\0";
  static const guint8 jpeg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
                               "\xff\xc0\0\x11\x08\xff\xf0\xff\xf0\x03\x01\x22\0\x02\x11\x01\x03\x11\x01";
  static const guint8 jpeg_no_frame[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";
  struct {
    const guint8 *data;
    gsize len;
    const char *message;
  } cases[] = {
    { png, sizeof png - 1, "32767×32767" },
    { jpeg, sizeof jpeg - 1, "65520×65520" },
    { jpeg_no_frame, sizeof jpeg_no_frame - 1, "gives no size" },
    { png, 20, "gives no size" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].data, cases[i].len);
      g_autoptr(HordeGeneratedImage) image = NULL;
      g_autoptr(GError) error = NULL;

      image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

typedef struct {
  guint n_images;           /* in the status answer */
  guint side;               /* of each image */
  gboolean url;             /* images by URL rather than base64 */
  char *base;               /* the server's URL */
} ImageServer;

/* The whole image flow: submit, check (done at once), status */
static void
image_flow (HordeTestRawServer  *server,
            HordeTestRawRequest *request,
            GOutputStream       *out,
            gpointer             user_data)
{
  ImageServer *is = user_data;

  if (g_str_equal (request->method, "POST"))
    answer_json (out, 202, "{\"id\": \"hostile-1\", \"kudos\": 10}");
  else if (g_str_has_prefix (request->path, "/api/v2/generate/check/"))
    answer_json (out, 200, "{\"finished\": 1, \"processing\": 0, \"restarted\": 0, \"waiting\": 0, "
                           "\"done\": true, \"faulted\": false, \"wait_time\": 0, "
                           "\"queue_position\": 0, \"kudos\": 10, \"is_possible\": true}");
  else if (g_str_has_prefix (request->path, "/api/v2/generate/status/") && g_str_equal (request->method, "GET"))
    {
      g_autoptr(GBytes) webp = make_webp (is->side, is->side);
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
      g_autoptr(GString) json = g_string_new ("{\"finished\": 1, \"processing\": 0, \"restarted\": 0, "
                                              "\"waiting\": 0, \"done\": true, \"faulted\": false, "
                                              "\"wait_time\": 0, \"queue_position\": 0, \"kudos\": 10, "
                                              "\"is_possible\": true, \"generations\": [");

      for (guint i = 0; i < is->n_images; i++)
        g_string_append_printf (json, "%s{\"img\": \"%s%s\", \"seed\": \"%u\", \"id\": \"g%u\", "
                                "\"censored\": false, \"worker_id\": \"w\", \"worker_name\": \"w\", "
                                "\"model\": \"m\", \"state\": \"ok\"}",
                                i ? "," : "", is->url ? is->base : "", is->url ? "image.webp" : base64, i, i);
      g_string_append (json, "]}");
      answer_json (out, 200, json->str);
    }
  else if (g_str_equal (request->path, "/image.webp"))
    {
      g_autoptr(GBytes) webp = make_webp (is->side, is->side);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: image/webp\r\n"
                                               "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                               g_bytes_get_size (webp));

      horde_test_raw_write (out, head);
      horde_test_raw_write_len (out, g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
    }
  else
    answer_json (out, 404, "{\"message\": \"Not found\", \"rc\": \"RequestNotFound\"}");
}

static HordeImageJob *
image_job_with_n (HordeClient *client,
                  gint64       n)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request (n);

  return horde_image_job_new (client, request);
}

static gboolean
run_job (HordeJob  *job,
         GError   **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  gboolean ok;

  horde_job_run_async (job, NULL, wait_done, &wait);
  g_main_loop_run (wait.loop);
  ok = horde_job_run_finish (job, wait.result, error);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);

  return ok;
}

/* A status listing 10,000 images for a request of one: none is taken, so
 * no program writes 10,000 files */
static void
test_job_too_many_images (void)
{
  ImageServer is = { 10000, 1, FALSE, NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (image_flow, &is);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageJob) job = image_job_with_n (client, 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (HORDE_JOB (job), &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "10000 results to a request for 1"));
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 0);

  horde_test_raw_server_stop (server);
}

/* As many as were asked for are taken */
static void
test_job_as_many_images (void)
{
  ImageServer is = { 3, 64, FALSE, NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (image_flow, &is);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageJob) job = image_job_with_n (client, 3);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_job (HORDE_JOB (job), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 3);

  horde_test_raw_server_stop (server);
}

/* Four images of 8192 × 8192 (a gigabyte of pixels together), base64 and
 * by URL: the job takes them without decoding one; a caller that saves
 * bytes never pays for pixels */
static void
test_job_images_not_decoded (gconstpointer data)
{
  ImageServer is = { 4, 8192, GPOINTER_TO_INT (data), NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (image_flow, &is);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageJob) job = image_job_with_n (client, 4);
  g_autoptr(GError) error = NULL;
  GListModel *images;
  gsize mark;

  is.base = g_strdup (horde_test_raw_server_get_url (server));
  mark = rss_mark ();
  g_assert_true (run_job (HORDE_JOB (job), &error));
  g_assert_no_error (error);
  images = horde_image_job_get_images (job);
  g_assert_cmpuint (g_list_model_get_n_items (images), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);

      g_assert_cmpint (horde_generated_image_get_width (image), ==, 8192);
      g_assert_cmpint (horde_generated_image_get_height (image), ==, 8192);
    }
  assert_rss_grew_less_than (mark, 64 * MiB);

  horde_test_raw_server_stop (server);
  g_free (is.base);
}

/* A client that wants smaller images says so */
static void
test_job_max_image_pixels (void)
{
  ImageServer is = { 1, 512, FALSE, NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (image_flow, &is);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageJob) job = image_job_with_n (client, 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (horde_client_get_max_image_pixels (client), ==, HORDE_GENERATED_IMAGE_MAX_PIXELS);
  horde_client_set_max_image_pixels (client, 256 * 256);
  g_assert_false (run_job (HORDE_JOB (job), &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "512×512"));
  g_assert_nonnull (strstr (error->message, "65536"));

  horde_test_raw_server_stop (server);
}

/* A job id "." or ".." from the server: a URL reads it as a dot segment,
 * escaped or not, and the check would go one segment up (a DELETE would
 * name the whole collection). The job fails at once, without a request. */
static void
test_job_dot_id (gconstpointer data)
{
  const char *id = data;
  ImageServer is = { 1, 64, FALSE, NULL };
  HordeTestRawServer *server = horde_test_raw_server_start (image_flow, &is);
  g_autoptr(HordeClient) client = client_for (server);
  g_autoptr(HordeImageJob) job = horde_image_job_new_for_id (client, id);
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (HORDE_JOB (job), &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "cannot be part of a URL"));
  g_assert_cmpuint (horde_test_raw_server_get_n_requests (server), ==, 0);

  horde_test_raw_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/redirect/other-origin", test_redirect_other_origin);
  g_test_add_func ("/hostile/redirect/post-to-get", test_redirect_post_to_get);
  g_test_add_func ("/hostile/redirect/same-origin", test_redirect_same_origin);
  g_test_add_func ("/hostile/redirect/loop", test_redirect_loop);
  g_test_add_func ("/hostile/redirect/rules", test_redirect_rules);
  g_test_add_func ("/hostile/body/endless", test_body_endless);
  g_test_add_func ("/hostile/body/endless-default", test_body_endless_default);
  g_test_add_func ("/hostile/body/gzip-bomb", test_body_gzip_bomb);
  g_test_add_func ("/hostile/body/error", test_body_error);
  g_test_add_func ("/hostile/body/long-message", test_body_long_message);
  g_test_add_func ("/hostile/body/deep-error", test_body_deep_error);
  g_test_add_func ("/hostile/body/announced-download", test_body_announced_download);
  g_test_add_func ("/hostile/body/not-an-image", test_body_not_an_image);
  g_test_add_func ("/hostile/deadline/slow-drip", test_deadline_slow_drip);
  g_test_add_func ("/hostile/deadline/retry-after", test_deadline_retry_after);
  g_test_add_func ("/hostile/deadline/retry-after-far", test_deadline_retry_after_far);
  g_test_add_func ("/hostile/image/webp-bomb-is-real", test_image_webp_bomb_is_real);
  g_test_add_func ("/hostile/image/webp-bomb", test_image_webp_bomb);
  g_test_add_func ("/hostile/image/headers", test_image_headers);
  g_test_add_func ("/hostile/job/too-many-images", test_job_too_many_images);
  g_test_add_func ("/hostile/job/as-many-images", test_job_as_many_images);
  g_test_add_data_func ("/hostile/job/images-not-decoded/base64", GINT_TO_POINTER (FALSE), test_job_images_not_decoded);
  g_test_add_data_func ("/hostile/job/images-not-decoded/url", GINT_TO_POINTER (TRUE), test_job_images_not_decoded);
  g_test_add_func ("/hostile/job/max-image-pixels", test_job_max_image_pixels);
  g_test_add_data_func ("/hostile/job/dot-id/1", ".", test_job_dot_id);
  g_test_add_data_func ("/hostile/job/dot-id/2", "..", test_job_dot_id);

  status = g_test_run ();
  g_clear_pointer (&gzip_bomb, g_bytes_unref);
  return status;
}

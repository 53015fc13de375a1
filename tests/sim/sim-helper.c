/* sim-helper.c: run horde-sim and talk to it, for the sim tests
 *
 * Each test starts the real binary ($HORDE_SIM) on port 0, reads the base
 * URL from its first stdout line, talks to it with a plain SoupSession and
 * stops it with SIGTERM, asserting a clean exit (under the sanitizers that
 * also means no leaks).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/encode.h>

/* under the check limit of 10 per second */
#define POLL_INTERVAL_US (105 * 1000)
#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

static const char *
binary (void)
{
  const char *path = g_getenv ("HORDE_SIM");

  g_assert_nonnull (path);
  return path;
}

/* A sim must not outlive a test that aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (const char * const  *args,
       GSubprocessFlags     flags,
       GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_ptr_array_add (argv, (gpointer) binary ());
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

Sim *
sim_startv (const char * const *args)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Sim *sim = g_new0 (Sim, 1);

  sim->process = spawn (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://") && g_str_has_suffix (line, "/api"));
  sim->base_url = g_steal_pointer (&line);
  sim->root = g_strndup (sim->base_url, strlen (sim->base_url) - strlen ("/api"));
  sim->session = soup_session_new_with_options ("timeout", 30, "max-conns", 200, "max-conns-per-host", 200, NULL);
  return sim;
}

Sim *
sim_start (const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return sim_startv ((const char * const *) args->pdata);
}

/* SIGTERM, then the exit status must be 0. */
void
sim_stop (Sim *sim)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&sim->session);
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
  g_object_unref (sim->process);
  g_free (sim->base_url);
  g_free (sim->root);
  g_free (sim);
}

/* Runs horde-sim expecting it to stop on its own; returns its exit status. */
int
sim_run_failing (const char * const *args,
                 char              **stderr_text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = spawn (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Writes a --users file; returns its path (delete it when done). */
char *
sim_write_users (const char *json)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("horde-sim-users-XXXXXX.json", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
url_for (Sim        *sim,
         const char *path)
{
  if (g_str_has_prefix (path, "http"))
    return g_strdup (path);
  if (g_str_has_prefix (path, "/_sim") || g_str_has_prefix (path, "/r2") || g_str_has_prefix (path, "/api"))
    return g_strconcat (sim->root, path, NULL);
  return g_strconcat (sim->base_url, path, NULL);
}

/* One synchronous request on @session; paths starting with /v2 are under
 * the API base, /_sim, /r2 and /api under the server root. */
SimReply *
sim_request_session (Sim         *sim,
                     SoupSession *session,
                     const char  *method,
                     const char  *path,
                     const char  *apikey,
                     const char  *body)
{
  g_autofree char *url = url_for (sim, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SimReply *reply = g_new0 (SimReply, 1);
  gint64 start = g_get_monotonic_time ();

  g_assert_nonnull (msg);
  if (apikey != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "apikey", apikey);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Client-Agent", "horde-sim-tests:1:local");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (reply->error != NULL)
    return reply;
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize length = 0;
      const char *data = g_bytes_get_data (reply->body, &length);

      if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
        reply->json = json_parser_steal_root (parser);
    }
  return reply;
}

SimReply *
sim_request (Sim        *sim,
             const char *method,
             const char *path,
             const char *apikey,
             const char *body)
{
  return sim_request_session (sim, sim->session, method, path, apikey, body);
}

void
sim_reply_free (SimReply *reply)
{
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

JsonObject *
sim_reply_object (SimReply *reply)
{
  g_assert_no_error (reply->error);
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

const char *
sim_reply_rc (SimReply *reply)
{
  return json_object_get_string_member_with_default (sim_reply_object (reply), "rc", NULL);
}

/* The AI Horde error shape: this status, this rc and a message. */
void
sim_assert_error (SimReply   *reply,
                  guint       status,
                  const char *rc)
{
  JsonObject *object = sim_reply_object (reply);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "rc", NULL), ==, rc);
  g_assert_nonnull (json_object_get_string_member_with_default (object, "message", NULL));
}

/* POSTs a job and returns its id (asserting 202).  Like a polite client,
 * waits out the rate limit (a 429 without an rc) when it hits it. */
char *
sim_submit (Sim        *sim,
            const char *path,
            const char *apikey,
            const char *body)
{
  g_autoptr(SimReply) reply = sim_request (sim, "POST", path, apikey, body);
  JsonObject *object = sim_reply_object (reply);

  while (reply->status == 429 && !json_object_has_member (object, "rc"))
    {
      const char *retry_after = soup_message_headers_get_one (reply->headers, "Retry-After");

      g_assert_nonnull (retry_after);
      g_usleep (g_ascii_strtoull (retry_after, NULL, 10) * G_USEC_PER_SEC);
      g_clear_pointer (&reply, sim_reply_free);
      reply = sim_request (sim, "POST", path, apikey, body);
      object = sim_reply_object (reply);
    }

  g_assert_cmpuint (reply->status, ==, 202);
  g_assert_true (json_object_has_member (object, "id"));
  return g_strdup (json_object_get_string_member (object, "id"));
}

/* Polls @status_path/@id until the request is done (or the form state is
 * final); returns that answer. */
JsonObject *
sim_wait_done (Sim        *sim,
               const char *status_path,
               const char *id)
{
  g_autofree char *path = g_strdup_printf ("%s/%s", status_path, id);
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  for (;;)
    {
      g_autoptr(SimReply) reply = sim_request (sim, "GET", path, NULL, NULL);
      JsonObject *object = sim_reply_object (reply);
      const char *state;

      g_assert_cmpuint (reply->status, ==, 200);
      state = json_object_get_string_member_with_default (object, "state", NULL);
      if (json_object_get_boolean_member_with_default (object, "done", FALSE) ||
          g_strcmp0 (state, "done") == 0 || g_strcmp0 (state, "faulted") == 0 ||
          g_strcmp0 (state, "partial") == 0)
        return json_object_ref (object);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (POLL_INTERVAL_US);
    }
}

/* GET, expecting 200 and a JSON object. */
JsonObject *
sim_get_object (Sim        *sim,
                const char *path)
{
  g_autoptr(SimReply) reply = sim_request (sim, "GET", path, NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_ref (sim_reply_object (reply));
}

/* POST, expecting 200 and an object */
JsonObject *
sim_post_object (Sim        *sim,
                 const char *path,
                 const char *apikey,
                 const char *body)
{
  g_autoptr(SimReply) reply = sim_request (sim, "POST", path, apikey, body);

  g_assert_no_error (reply->error);
  if (reply->status != 200)
    g_error ("POST %s: %u %.*s", path, reply->status, (int) g_bytes_get_size (reply->body),
             (const char *) g_bytes_get_data (reply->body, NULL));
  return json_object_ref (sim_reply_object (reply));
}

/* An image request's /check answer */
JsonObject *
sim_check (Sim        *sim,
           const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", id);

  return sim_get_object (sim, path);
}

/* A PUT of @bytes to @url (an r2_upload URL); the HTTP status */
guint
sim_put (Sim        *sim,
         const char *url,
         const char *content_type,
         GBytes     *bytes)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  body = soup_session_send_and_read (sim->session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* A real WebP of a solid colour */
GBytes *
sim_make_webp (int    width,
               int    height,
               guint8 red)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  uint8_t *output = NULL;
  size_t size;
  GBytes *bytes;

  for (int i = 0; i < width * height; i++)
    {
      rgb[i * 3] = red;
      rgb[i * 3 + 1] = 40;
      rgb[i * 3 + 2] = 200;
    }
  size = WebPEncodeRGB (rgb, width, height, width * 3, 80, &output);
  g_assert_cmpuint (size, >, 0);
  bytes = g_bytes_new (output, size);
  WebPFree (output);
  return bytes;
}

double
sim_user_kudos (Sim        *sim,
                const char *apikey)
{
  g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/find_user", apikey, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_get_double_member (sim_reply_object (reply), "kudos");
}

/* The image of a generation: base64 decoded, or downloaded from its URL. */
GBytes *
sim_image_bytes (Sim        *sim,
                 JsonObject *generation)
{
  const char *img = json_object_get_string_member (generation, "img");
  g_autoptr(SimReply) reply = NULL;
  gsize length = 0;
  guint8 *data;

  if (!g_str_has_prefix (img, "http"))
    {
      data = g_base64_decode (img, &length);
      return g_bytes_new_take (data, length);
    }
  reply = sim_request (sim, "GET", img, NULL, NULL);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "image/webp");
  return g_bytes_ref (reply->body);
}

gboolean
sim_webp_size (GBytes *bytes,
               int    *width,
               int    *height)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return WebPGetInfo (data, length, width, height) != 0;
}

/* test-upload.c: horde_client_upload_*(), a worker's PUT to a presigned URL
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A SoupServer on 127.0.0.1 (port 0), in a thread of this process, stands
 * for R2: it records what arrives and answers as told. The fixture reads
 * what it recorded only after the call has returned.
 */

#include "config.h"

#include <libhorde.h>
#include <libsoup/soup.h>

#include "horde-test-server.h"

typedef struct {
  HordeTestServer *server;
  char *url;
  GPtrArray *answers;      /* statuses to give, in order; then 200 */
  guint n_requests;
  char *method;
  char *content_type;
  GBytes *body;
  gboolean had_apikey;
  gboolean had_agent;
} Fixture;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  guint status = 200;

  f->n_requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_clear_pointer (&f->body, g_bytes_unref);
  f->body = soup_message_body_flatten (body);
  f->had_apikey = soup_message_headers_get_one (headers, "apikey") != NULL;
  f->had_agent = soup_message_headers_get_one (headers, "Client-Agent") != NULL;

  if (f->answers->len > 0)
    {
      status = GPOINTER_TO_UINT (g_ptr_array_index (f->answers, 0));
      g_ptr_array_remove_index (f->answers, 0);
    }
  soup_server_message_set_status (msg, status, NULL);
  if (status != 200)
    soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                      "<Error><Code>Refused</Code></Error>", 35);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->answers = g_ptr_array_new ();
  f->server = horde_test_server_start (handler, f);
  f->url = g_strconcat (horde_test_server_get_url (f->server), "r2/upload/0f1e2d?X-Amz-Signature=abc", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  horde_test_server_stop (f->server);
  g_free (f->url);
  g_ptr_array_unref (f->answers);
  g_free (f->method);
  g_free (f->content_type);
  g_clear_pointer (&f->body, g_bytes_unref);
}

static HordeClient *
new_client (void)
{
  HordeClient *client = horde_client_new ();

  horde_client_set_api_key (client, "0123456789abcdefghijkl");
  return client;
}

static void
upload_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* the bytes arrive as they were, with their type, and nothing of the key */
static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HordeClient) client = new_client ();
  g_autoptr(GBytes) image = g_bytes_new_static ("RIFF\x10\0\0\0WEBPVP8 fake", 20);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  horde_client_upload_async (client, f->url, image, "image/webp", NULL, upload_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (horde_client_upload_finish (client, result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpstr (f->method, ==, "PUT");
  g_assert_cmpstr (f->content_type, ==, "image/webp");
  g_assert_true (g_bytes_equal (f->body, image));
  g_assert_false (f->had_apikey);
  g_assert_false (f->had_agent);
}

/* a PUT is idempotent: a 503 is tried again */
static void
test_upload_retried (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeClient) client = new_client ();
  g_autoptr(GBytes) image = g_bytes_new_static ("RIFF\x10\0\0\0WEBPVP8 fake", 20);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (f->answers, GUINT_TO_POINTER (503));
  g_ptr_array_add (f->answers, GUINT_TO_POINTER (502));
  g_assert_true (horde_client_upload_sync (client, f->url, image, "image/webp", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_requests, ==, 3);
  g_assert_true (g_bytes_equal (f->body, image));
}

/* an expired or refused signature is an answer, not a failure to retry */
static void
test_upload_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeClient) client = new_client ();
  g_autoptr(GBytes) image = g_bytes_new_static ("RIFF\x10\0\0\0WEBPVP8 fake", 20);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (f->answers, GUINT_TO_POINTER (403));
  g_assert_false (horde_client_upload_sync (client, f->url, image, "image/webp", NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_cmpuint (f->n_requests, ==, 1);
}

static void
test_upload_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HordeClient) client = new_client ();
  g_autoptr(GBytes) image = g_bytes_new_static ("RIFF\x10\0\0\0WEBPVP8 fake", 20);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (horde_client_upload_sync (client, f->url, image, "image/webp", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/upload/put", Fixture, NULL, fixture_set_up, test_upload, fixture_tear_down);
  g_test_add ("/upload/retried", Fixture, NULL, fixture_set_up, test_upload_retried, fixture_tear_down);
  g_test_add ("/upload/refused", Fixture, NULL, fixture_set_up, test_upload_refused, fixture_tear_down);
  g_test_add ("/upload/cancelled", Fixture, NULL, fixture_set_up, test_upload_cancelled, fixture_tear_down);
  return g_test_run ();
}

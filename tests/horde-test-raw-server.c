/* horde-test-raw-server.c: an HTTP server on 127.0.0.1 (port 0) that
 * writes what a test tells it to
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A SoupServer answers as a well-behaved server does; a hostile one sends
 * bodies that never end, lengths that lie, a byte a second. This one reads
 * each request (head and Content-Length body) and hands the raw output
 * stream to the test's handler, in a thread per connection, so a handler
 * may block and write as slowly as it wants. Requests are recorded in the
 * order they arrive.
 */

#include "config.h"

#include <string.h>

#include "horde-test-raw-server.h"

struct _HordeTestRawServer {
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GSocketService *service;
  HordeTestRawHandler handler;
  gpointer user_data;
  char *url;
  GMutex lock;
  GCond idle;
  guint active;           /* connections being answered */
  GPtrArray *requests;
};

static void
request_free (gpointer data)
{
  HordeTestRawRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_hash_table_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

/* The head, up to the blank line, then as much body as it announces */
static HordeTestRawRequest *
read_request (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) words = NULL;
  HordeTestRawRequest *request;
  const char *length;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      char c;

      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1 || head->len > 65536)
        return NULL;
      g_string_append_c (head, c);
    }

  lines = g_strsplit (head->str, "\r\n", -1);
  words = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (words) < 2)
    return NULL;

  request = g_new0 (HordeTestRawRequest, 1);
  request->method = g_strdup (words[0]);
  request->path = g_strdup (words[1]);
  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL)
        g_hash_table_insert (request->headers,
                             g_ascii_strdown (lines[i], colon - lines[i]),
                             g_strstrip (g_strdup (colon + 1)));
    }

  length = g_hash_table_lookup (request->headers, "content-length");
  if (length != NULL)
    {
      gsize n = g_ascii_strtoull (length, NULL, 10);
      guint8 *body = g_malloc (n + 1);
      gsize got = 0;

      if (!g_input_stream_read_all (in, body, n, &got, NULL, NULL) || got != n)
        {
          g_free (body);
          request_free (request);
          return NULL;
        }
      request->body = g_bytes_new_take (body, n);
    }

  return request;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  HordeTestRawServer *self = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  HordeTestRawRequest *request;

  g_mutex_lock (&self->lock);
  self->active++;
  g_mutex_unlock (&self->lock);

  /* one request a connection: the answers say Connection: close */
  request = read_request (in);
  if (request != NULL)
    {
      g_mutex_lock (&self->lock);
      g_ptr_array_add (self->requests, request);
      g_mutex_unlock (&self->lock);

      self->handler (self, request, out, self->user_data);
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  g_mutex_lock (&self->lock);
  if (--self->active == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static gpointer
serve (gpointer data)
{
  HordeTestRawServer *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Starts a server whose handler answers every request; its URL is
 * http://127.0.0.1:PORT/ */
HordeTestRawServer *
horde_test_raw_server_start (HordeTestRawHandler handler,
                             gpointer            user_data)
{
  HordeTestRawServer *self = g_new0 (HordeTestRawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  self->handler = handler;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  g_main_context_push_thread_default (self->context);
  self->service = g_threaded_socket_service_new (16);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (self->service, "run", G_CALLBACK (on_run), self);
  g_socket_service_start (self->service);
  g_main_context_pop_thread_default (self->context);

  self->url = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  self->thread = g_thread_new ("test-raw-server", serve, self);

  return self;
}

const char *
horde_test_raw_server_get_url (HordeTestRawServer *self)
{
  return self->url;
}

guint
horde_test_raw_server_get_n_requests (HordeTestRawServer *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->requests->len;
  g_mutex_unlock (&self->lock);

  return n;
}

/* The @index-th request; valid until the server stops */
HordeTestRawRequest *
horde_test_raw_server_get_request (HordeTestRawServer *self,
                                   guint               index)
{
  HordeTestRawRequest *request;

  g_mutex_lock (&self->lock);
  g_assert_cmpuint (index, <, self->requests->len);
  request = self->requests->pdata[index];
  g_mutex_unlock (&self->lock);

  return request;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* In the server's thread: the pending accept is cancelled, and its
 * callback runs before the loop ends (a low idle comes after it), so that
 * nothing of it is left in the context */
static gboolean
stop_service (gpointer data)
{
  HordeTestRawServer *self = data;
  GSource *idle = g_idle_source_new ();

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_source_set_priority (idle, G_PRIORITY_LOW);
  g_source_set_callback (idle, quit_loop, self->loop, NULL);
  g_source_attach (idle, self->context);
  g_source_unref (idle);

  return G_SOURCE_REMOVE;
}

void
horde_test_raw_server_stop (HordeTestRawServer *self)
{
  g_main_context_invoke (self->context, stop_service, self);
  g_thread_join (self->thread);

  /* a handler ends when the client has gone and its next write fails */
  g_mutex_lock (&self->lock);
  while (self->active > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->service);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->requests);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_free (self->url);
  g_free (self);
}

gboolean
horde_test_raw_write_len (GOutputStream *out,
                          const void    *data,
                          gsize          len)
{
  return g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

gboolean
horde_test_raw_write (GOutputStream *out,
                      const char    *text)
{
  return horde_test_raw_write_len (out, text, strlen (text));
}

/* One chunk of a chunked body; a chunk of 0 bytes ends the body */
gboolean
horde_test_raw_write_chunk (GOutputStream *out,
                            const void    *data,
                            gsize          len)
{
  g_autofree char *size = g_strdup_printf ("%zx\r\n", len);

  return horde_test_raw_write (out, size) &&
         horde_test_raw_write_len (out, data, len) &&
         horde_test_raw_write (out, "\r\n");
}

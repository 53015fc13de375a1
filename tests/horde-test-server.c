/* horde-test-server.c: a SoupServer on 127.0.0.1 (port 0) in a thread of
 * its own, for tests that stand in for a server libhorde talks to
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The server runs in its own thread so that the sync calls of libhorde,
 * which iterate a private main context, are answered too. The handler runs
 * in that thread: a test reads what it recorded only after its call has
 * returned.
 */

#include "config.h"

#include "horde-test-server.h"

struct _HordeTestServer {
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  char *url;
};

static gpointer
serve (gpointer data)
{
  HordeTestServer *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Starts a server that answers every path with @handler; its URL is
 * http://127.0.0.1:PORT/ */
HordeTestServer *
horde_test_server_start (SoupServerCallback handler,
                         gpointer           user_data)
{
  HordeTestServer *self = g_new0 (HordeTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handler, user_data, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_main_context_pop_thread_default (self->context);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  self->thread = g_thread_new ("test-server", serve, self);

  return self;
}

const char *
horde_test_server_get_url (HordeTestServer *self)
{
  return self->url;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
horde_test_server_stop (HordeTestServer *self)
{
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_context_push_thread_default (self->context);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_main_context_pop_thread_default (self->context);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->url);
  g_free (self);
}

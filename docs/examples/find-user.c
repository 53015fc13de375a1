/* find-user.c: who is behind the API key?
 *
 * Asks the Horde which user owns the API key (GET /v2/find_user) and prints
 * the user's name and kudos.
 *
 * The server and the key come from the environment, as everywhere in
 * libhorde: $AI_HORDE_URL (default: the public AI Horde) and
 * $AI_HORDE_API_KEY (default: the anonymous key).
 *
 *   cc find-user.c -o find-user $(pkg-config --cflags --libs libhorde-1)
 *   AI_HORDE_API_KEY=… ./find-user
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libhorde.h>
#include <locale.h>

typedef struct {
  GMainLoop *loop;
  int        exit_status;
} FindUser;

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FindUser *self = user_data;
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  /* The typed call gives back the type the operation answers with:
   * GET /v2/find_user answers a HordeUserDetails. */
  user = horde_client_send_find_user_request_finish (HORDE_CLIENT (source), result, &error);
  if (user == NULL)
    {
      /* An unknown key is HORDE_ERROR_NOT_FOUND or HORDE_ERROR_UNAUTHORIZED;
       * the message says what the server said. */
      g_printerr ("find-user: %s\n", error->message);
      self->exit_status = 1;
    }
  else
    {
      /* The Horde's user names carry the user's id: "name#id" */
      g_print ("User:  %s\n", horde_user_details_get_username (user));
      g_print ("Id:    %" G_GINT64_FORMAT "\n", horde_user_details_get_id (user));
      g_print ("Kudos: %.0f\n", horde_user_details_get_kudos (user));
    }

  g_main_loop_quit (self->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeFindUserRequest) request = NULL;
  FindUser find_user = { loop, 0 };

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");

  /* The client reads $AI_HORDE_URL and $AI_HORDE_API_KEY; set the
   * base-url and api-key properties to choose otherwise. */
  client = horde_client_new ();

  /* find_user has no parameters: the key the client sends is the question */
  request = horde_find_user_request_new ();
  horde_client_send_find_user_request_async (client, request, NULL, found_cb, &find_user);

  g_main_loop_run (loop);

  return find_user.exit_status;
}

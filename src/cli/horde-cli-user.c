/* horde-cli-user.c: `horde user`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static gboolean opt_json;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

int
horde_cli_user (const HordeCliCommand  *command,
                int                     argc,
                char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeFindUserRequest) request = NULL;
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc > 1)
    return horde_cli_usage (context, "“user” takes no arguments");

  client = horde_cli_client_new ();
  request = horde_find_user_request_new ();
  user = horde_client_send_find_user_request_sync (client, request, NULL, &error);
  /* find_user answers 404 UserNotFound for a key it does not know, with
   * the key in its message: say so without repeating it */
  if (user == NULL && g_strcmp0 (horde_error_get_rc (error), "UserNotFound") == 0)
    return horde_cli_fail_with (error, "The Horde does not know this API key.");
  if (user == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_user_details_to_json (user));

  name = horde_cli_name (horde_cli_or (horde_user_details_get_username (user), "?"));
  g_print ("User:        %s\n", name);
  g_print ("Id:          %" G_GINT64_FORMAT "\n", horde_user_details_get_id (user));
  g_print ("Kudos:       %.0f\n", horde_user_details_get_kudos (user));
  g_print ("Concurrency: %" G_GINT64_FORMAT "\n", horde_user_details_get_concurrency (user));
  g_print ("Trusted:     %s\n", horde_user_details_get_trusted (user) ? "yes" : "no");
  g_print ("Workers:     %" G_GINT64_FORMAT "\n", horde_user_details_get_worker_count (user));
  if (g_strcmp0 (horde_client_get_api_key (client), HORDE_ANONYMOUS_API_KEY) == 0)
    g_print ("\nThis is the anonymous key: lowest priority, and no requests that need kudos\n"
             "upfront (large images, many steps). Register at https://aihorde.net/register\n"
             "and pass your key with --api-key or $AI_HORDE_API_KEY.\n");

  return HORDE_CLI_EXIT_OK;
}

/* horde-cli-cancel.c: `horde cancel ID`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static gboolean opt_json;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print the server's answer as JSON (with the finished generations)", NULL },
  { NULL }
};

int
horde_cli_cancel (const HordeCliCommand  *command,
                  int                     argc,
                  char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeDeleteImageGenerateRequest) request = NULL;
  g_autoptr(HordeRequestStatusStable) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 finished, unfinished;
  gsize n_generations = 0;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc < 2)
    return horde_cli_usage (context, "“cancel” needs the id of an image request");
  if (argc > 2)
    return horde_cli_usage (context, "“cancel” takes one request id");
  if (*argv[1] == '\0')
    return horde_cli_usage (context, "the request id is empty");

  client = horde_cli_client_new ();
  request = horde_delete_image_generate_request_new (argv[1]);
  answer = horde_client_send_delete_image_generate_request_sync (client, request, NULL, &error);
  if (answer == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_request_status_stable_to_json (answer));

  finished = horde_request_status_stable_get_finished (answer);
  unfinished = horde_request_status_stable_get_processing (answer) + horde_request_status_stable_get_waiting (answer);
  horde_request_status_stable_get_generations (answer, &n_generations);
  g_print ("Cancelled request %s: %" G_GINT64_FORMAT " finished image%s kept, %" G_GINT64_FORMAT " unfinished dropped.\n",
           argv[1], finished, finished == 1 ? "" : "s", unfinished);
  if (n_generations > 0)
    g_print ("The answer carries %" G_GSIZE_FORMAT " generation%s: “horde cancel --json” shows them.\n",
             n_generations, n_generations == 1 ? "" : "s");

  return HORDE_CLI_EXIT_OK;
}

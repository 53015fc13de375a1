/* horde-cli.c: options, client and errors shared by the subcommands
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "horde-cli.h"

static char *opt_server;
static char *opt_api_key;

static GOptionEntry global_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server,
    "The API base URL (default: $AI_HORDE_URL or https://aihorde.net/api)", "URL" },
  { "api-key", 0, 0, G_OPTION_ARG_STRING, &opt_api_key,
    "Your API key (default: $AI_HORDE_API_KEY or the anonymous key)", "KEY" },
  { NULL }
};

GOptionEntry *
horde_cli_global_entries (void)
{
  return global_entries;
}

GOptionContext *
horde_cli_context_new (const HordeCliCommand *command,
                       const GOptionEntry    *entries)
{
  g_autofree char *parameter = g_strdup_printf ("%s%s%s", command->name,
                                                command->parameter_string ? " " : "",
                                                command->parameter_string ? command->parameter_string : "");
  GOptionContext *context = g_option_context_new (parameter);
  GOptionGroup *global = g_option_group_new ("global", "Connection options:", "Show connection options", NULL, NULL);

  g_option_context_set_summary (context, command->summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_group_add_entries (global, global_entries);
  g_option_context_add_group (context, global);

  return context;
}

int
horde_cli_usage (GOptionContext *context,
                 const char     *message)
{
  g_printerr ("horde: %s\n", message);
  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("\n%s", help);
    }
  return HORDE_CLI_EXIT_USAGE;
}

gboolean
horde_cli_parse (GOptionContext   *context,
                 int              *argc,
                 char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("horde: %s\nTry “horde %s --help”.\n", error->message, (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

HordeClient *
horde_cli_client_new (void)
{
  HordeClient *client = horde_client_new ();

  horde_client_set_client_agent (client, "horde-cli:" PACKAGE_VERSION ":https://github.com/hordestudio/horde-studio");
  if (opt_server != NULL)
    horde_client_set_base_url (client, opt_server);
  if (opt_api_key != NULL)
    horde_client_set_api_key (client, opt_api_key);

  return client;
}

/* One line, whatever went wrong: what a script's log and a person need.
 * The message often holds the server's words: a message of megabytes
 * is cut, with "…" for the rest. */
int
horde_cli_fail (const GError *error)
{
  g_autofree char *line = horde_cli_safe_text (error->message, HORDE_CLI_MAX_LINE, TRUE);

  g_printerr ("horde: error: %s\n", line);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return HORDE_CLI_EXIT_CANCELLED;
  return HORDE_CLI_EXIT_FAILURE;
}

/* TRUE if @value is NULL (the default) or one of the choices */
gboolean
horde_cli_check_choice (const char *value,
                        const char *first_choice,
                        ...)
{
  va_list args;
  gboolean found = FALSE;

  if (value == NULL)
    return TRUE;

  va_start (args, first_choice);
  for (const char *choice = first_choice; choice != NULL && !found; choice = va_arg (args, const char *))
    found = g_str_equal (value, choice);
  va_end (args);

  return found;
}

/* --json: the answer as libhorde writes it back, one document on stdout */
int
horde_cli_print_json (char *json)
{
  g_print ("%s\n", json);
  g_free (json);
  return HORDE_CLI_EXIT_OK;
}

const char *
horde_cli_or (const char *text,
              const char *fallback)
{
  return text != NULL && *text != '\0' ? text : fallback;
}

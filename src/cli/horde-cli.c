/* horde-cli.c: options, client and errors shared by the subcommands
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* flask-restx appends to the message of every 404 a guess at the route
 * the client meant: "User with api_key '…' not found. You have requested
 * this URI [/api/v2/find_user] but did you mean /api/v2/find_user or
 * /api/v2/users/<string:user_id> ?". It says nothing of the request. */
#define ROUTING_HINT " You have requested this URI ["

/* @message without the routing hint, or NULL when nothing is left */
static char *
strip_routing_hint (const char *message)
{
  const char *hint;

  if (message == NULL)
    return NULL;
  hint = strstr (message, ROUTING_HINT);
  if (hint == NULL)
    hint = g_str_has_prefix (message, ROUTING_HINT + 1) ? message : message + strlen (message);
  if (hint == message)
    return NULL;
  return g_strndup (message, hint - message);
}

/* The server's return codes that the CLI says in words of its own. The
 * server's message follows the words unless it says no more than they do,
 * or repeats the API key. */
static const struct {
  const char *rc;
  const char *words;
  gboolean    with_server_message;
} known_rcs[] = {
  /* 401 for a key the Horde does not know; its message points to an old
   * registration page */
  { "InvalidAPIKey", "The Horde does not know this API key.", FALSE },
  /* 404 from /v2/users/{id} and the like; find_user's, for a key, is
   * worded by `horde user` (its message holds the key) */
  { "UserNotFound", "The Horde knows no such user.", TRUE },
};

char *
horde_cli_error_text (const GError *error,
                      const char   *words)
{
  const char *rc = horde_error_get_rc (error);
  gboolean with_server_message = words == NULL;
  g_autofree char *server_message = NULL;
  GString *text;

  if (error->domain != HORDE_ERROR || horde_error_get_status (error) == 0)
    return g_strdup (error->message);

  for (guint i = 0; words == NULL && rc != NULL && i < G_N_ELEMENTS (known_rcs); i++)
    {
      if (g_str_equal (rc, known_rcs[i].rc))
        {
          words = known_rcs[i].words;
          with_server_message = known_rcs[i].with_server_message;
        }
    }

  server_message = strip_routing_hint (horde_error_get_server_message (error));
  if (words == NULL)
    {
      /* libhorde's message, the routing hint taken out of the server's
       * words at its start */
      const char *message = horde_error_get_server_message (error);

      if (message == NULL || !g_str_has_prefix (error->message, message))
        return g_strdup (error->message);
      return g_strchug (g_strconcat (server_message ? server_message : "", error->message + strlen (message), NULL));
    }

  text = g_string_new (words);
  if (with_server_message && server_message != NULL)
    g_string_append_printf (text, " %s", server_message);
  g_string_append_printf (text, " (HTTP %u%s%s)", horde_error_get_status (error), rc ? ", " : "", rc ? rc : "");
  return g_string_free (text, FALSE);
}

/* One line: what a script's log and a person need. @words, when not NULL,
 * say what went wrong instead of the server's message. The line often
 * holds the server's words: a message of megabytes is cut, with "…" for
 * the rest. */
int
horde_cli_fail_with (const GError *error,
                     const char   *words)
{
  g_autofree char *text = horde_cli_error_text (error, words);
  g_autofree char *line = horde_cli_safe_text (text, HORDE_CLI_MAX_LINE, TRUE);

  g_printerr ("horde: error: %s\n", line);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return HORDE_CLI_EXIT_CANCELLED;
  return HORDE_CLI_EXIT_FAILURE;
}

/* One line, whatever went wrong; the server's return codes the CLI knows
 * in its own words */
int
horde_cli_fail (const GError *error)
{
  return horde_cli_fail_with (error, NULL);
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

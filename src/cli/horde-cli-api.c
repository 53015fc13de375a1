/* horde-cli-api.c: `horde api METHOD PATH [--data JSON]`
 *
 * The escape hatch for the operations no subcommand covers: the path is
 * matched against libhorde's operation table, its parameters (and those
 * of the ?query) and the --data body make the request
 * (horde_operation_new_request()), which goes out through the generic
 * horde_client_send_sync(); the answer is printed as libhorde writes it
 * back (horde_value_to_json()).
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gunixinputstream.h>

#include "horde-cli.h"
#include "horde-cli-api-path.h"

static char *opt_data;
static gboolean opt_list;

static GOptionEntry entries[] = {
  { "data", 'd', 0, G_OPTION_ARG_STRING, &opt_data,
    "The JSON body of the request, or @FILE to read it from a file (- for standard input)", "JSON" },
  { "list", 0, 0, G_OPTION_ARG_NONE, &opt_list, "List the operations: method, path and summary", NULL },
  { NULL }
};

static int
list_operations (void)
{
  const HordeOperation **operations;
  gsize n = 0;

  operations = horde_operation_list (&n);
  for (gsize i = 0; i < n; i++)
    g_print ("%-7s %-52s %s\n",
             horde_operation_get_method (operations[i]),
             horde_operation_get_path (operations[i]),
             horde_cli_or (horde_operation_get_summary (operations[i]), ""));
  g_free (operations);

  return HORDE_CLI_EXIT_OK;
}

static char *
read_data (const char  *data,
           GError     **error)
{
  char *contents = NULL;

  if (data[0] != '@')
    return g_strdup (data);

  if (g_str_equal (data, "@-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      /* the text, and a NUL after it */
      if (g_output_stream_splice (out, in, 0, NULL, error) < 0 ||
          !g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
          !g_output_stream_close (out, NULL, error))
        return NULL;
      return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }

  if (!g_file_get_contents (data + 1, &contents, NULL, error))
    return NULL;
  return contents;
}

int
horde_cli_api (const HordeCliCommand  *command,
               int                     argc,
               char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(GHashTable) path_params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) query_params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_auto(GValue) request = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  const HordeOperation *operation;

  g_option_context_set_description (context,
    "PATH is the operation's path under the base URL, such as /v2/status/news,\n"
    "with its parameters in place (/v2/users/1) and an optional ?query.\n"
    "The answer is printed as JSON on one line, as libhorde reads it.\n"
    "Run “horde api --list” for every operation.");

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (opt_list)
    return argc > 1 ? horde_cli_usage (context, "--list takes no arguments") : list_operations ();
  if (argc != 3)
    return horde_cli_usage (context, "“api” needs a METHOD and a PATH, such as: horde api GET /v2/status/news");

  method = g_ascii_strup (argv[1], -1);
  if (!horde_cli_api_split_target (argv[2], &path, &query_params, &error))
    {
      g_autofree char *message = g_strdup_printf ("the query of %s is not valid: %s", argv[2], error->message);

      return horde_cli_usage (NULL, message);
    }

  operation = horde_cli_api_match_operation (method, path, path_params);
  if (operation == NULL)
    {
      g_autofree char *message = g_strdup_printf ("no operation is %s %s; “horde api --list” lists them", method, path);

      return horde_cli_usage (NULL, message);
    }

  body = opt_data != NULL ? read_data (opt_data, &error) : NULL;
  if (opt_data != NULL && body == NULL)
    return horde_cli_fail (error);

  /* the path's parameters and the query's, by their names in the API */
  horde_cli_api_add_params (path_params, query_params);
  if (!horde_operation_new_request (operation, body, path_params, &request, &error))
    return horde_cli_fail (error);

  client = horde_cli_client_new ();
  if (!horde_client_send_sync (client, &request, &response, NULL, &error))
    return horde_cli_fail (error);

  answer = horde_value_to_json (&response);
  if (answer == NULL)
    answer = g_strdup ("null");

  return horde_cli_print_json (g_steal_pointer (&answer));
}

/* horde-cli-workers.c: `horde workers` and `horde styles`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static gboolean opt_json;
static char *opt_type;
static char *opt_name;

static GOptionEntry workers_entries[] = {
  { "type", 't', 0, G_OPTION_ARG_STRING, &opt_type, "Only workers of this kind: image, text or interrogation", "TYPE" },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, "Only the worker of this name", "NAME" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

static GOptionEntry styles_entries[] = {
  { "type", 't', 0, G_OPTION_ARG_STRING, &opt_type, "Styles of image (default) or text generation", "TYPE" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

/* A list of the server's names, one line of at most @max_chars */
static char *
join_strv (const char * const *strv,
           gssize              max_chars)
{
  g_autofree char *joined = NULL;

  if (strv == NULL || strv[0] == NULL)
    return g_strdup ("-");
  joined = g_strjoinv (", ", (char **) strv);
  return horde_cli_safe_text (joined, max_chars, TRUE);
}

/* ---- workers -------------------------------------------------------- */

static const char *
worker_state (HordeWorkerDetails *worker)
{
  if (horde_worker_details_get_maintenance_mode (worker))
    return "maintenance";
  if (horde_worker_details_get_paused (worker))
    return "paused";
  return horde_worker_details_get_online (worker) ? "online" : "offline";
}

int
horde_cli_workers (const HordeCliCommand  *command,
                   int                     argc,
                   char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, workers_entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeAllWorkersDetailsRequestBuilder) builder = NULL;
  g_autoptr(HordeAllWorkersDetailsRequest) request = NULL;
  g_autoptr(HordeWorkerDetailsList) list = NULL;
  g_autoptr(GError) error = NULL;
  HordeWorkerDetails * const *items;
  gsize n = 0;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc > 1)
    return horde_cli_usage (context, "“workers” takes no arguments");
  if (!horde_cli_check_choice (opt_type, "image", "text", "interrogation", NULL))
    return horde_cli_usage (context, "--type is “image”, “text” or “interrogation”");

  builder = horde_all_workers_details_request_builder_new ();
  if (opt_type != NULL)
    horde_all_workers_details_request_builder_set_kind (builder, opt_type);
  if (opt_name != NULL)
    horde_all_workers_details_request_builder_set_name (builder, opt_name);
  request = horde_all_workers_details_request_builder_end (builder, &error);
  if (request == NULL)
    return horde_cli_fail (error);

  client = horde_cli_client_new ();
  list = horde_client_send_all_workers_details_request_sync (client, request, NULL, &error);
  if (list == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_worker_details_list_to_json (list));

  items = horde_worker_details_list_get_items (list, &n);
  if (n == 0)
    {
      if (opt_name != NULL)
        g_print ("(no worker is named “%s”)\n", opt_name);
      else
        g_print ("(no %s%sworker is online)\n", opt_type ? opt_type : "", opt_type ? " " : "");
      return HORDE_CLI_EXIT_OK;
    }

  g_print ("%-24s %-13s %-11s %7s %9s %-30s %s\n",
           "WORKER", "TYPE", "STATE", "THREADS", "REQUESTS", "PERFORMANCE", "MODELS");
  for (gsize i = 0; i < n; i++)
    {
      HordeWorkerDetails *worker = items[i];
      /* a worker's name and words are its operator's: one line each */
      g_autofree char *models = join_strv (horde_worker_details_get_models (worker), HORDE_CLI_MAX_LINE);
      g_autofree char *name = horde_cli_name (horde_cli_or (horde_worker_details_get_name (worker), "?"));
      g_autofree char *kind = horde_cli_name (horde_cli_or (horde_worker_details_get_kind (worker), "?"));
      g_autofree char *performance = horde_cli_name (horde_cli_or (horde_worker_details_get_performance (worker), "-"));

      g_print ("%-24s %-13s %-11s %7" G_GINT64_FORMAT " %9" G_GINT64_FORMAT " %-30s %s\n",
               name, kind, worker_state (worker),
               horde_worker_details_get_threads (worker),
               horde_worker_details_get_requests_fulfilled (worker),
               performance, models);
    }

  return HORDE_CLI_EXIT_OK;
}

/* ---- styles --------------------------------------------------------- */

/* One table row; the columns widen to the longest name and model list
 * (text model names are often longer than the default width). */
typedef struct {
  char   *name;
  gint64  uses;
  char   *models;
  char   *info;
} StyleRow;

static void
style_row_clear (StyleRow *row)
{
  g_free (row->name);
  g_free (row->models);
  g_free (row->info);
}

static void
add_style_row (GArray             *rows,
               const char         *name,
               gint64              uses,
               const char * const *model_names,
               const char         *info)
{
  /* bounded: the columns widen to the longest */
  StyleRow row = {
    horde_cli_name (horde_cli_or (name, "?")),
    uses,
    join_strv (model_names, 2 * HORDE_CLI_MAX_NAME),
    horde_cli_safe_text (horde_cli_or (info, ""), HORDE_CLI_MAX_LINE, TRUE),
  };

  g_array_append_val (rows, row);
}

static void
print_styles (GArray     *rows,
              const char *none)
{
  int name_width = 24, models_width = 28;

  for (guint i = 0; i < rows->len; i++)
    {
      StyleRow *row = &g_array_index (rows, StyleRow, i);

      name_width = MAX (name_width, (int) g_utf8_strlen (row->name, -1));
      models_width = MAX (models_width, (int) g_utf8_strlen (row->models, -1));
    }
  g_print ("%-*s %9s %-*s %s\n", name_width, "STYLE", "USES", models_width, "MODELS", "ABOUT");
  for (guint i = 0; i < rows->len; i++)
    {
      StyleRow *row = &g_array_index (rows, StyleRow, i);

      /* pad by characters, not bytes: names and infos may be UTF-8 */
      g_print ("%s%*s %9" G_GINT64_FORMAT " %s%*s %s\n",
               row->name, name_width - (int) g_utf8_strlen (row->name, -1), "", row->uses,
               row->models, models_width - (int) g_utf8_strlen (row->models, -1), "", row->info);
    }
  if (rows->len == 0)
    g_print ("%s\n", none);
}

static GArray *
style_rows_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (StyleRow));

  g_array_set_clear_func (rows, (GDestroyNotify) style_row_clear);
  return rows;
}

static int
styles_image (HordeClient *client)
{
  g_autoptr(HordeAllStylesImageRequest) request = horde_all_styles_image_request_new ();
  g_autoptr(HordeStyleStableList) list = NULL;
  g_autoptr(GArray) rows = style_rows_new ();
  g_autoptr(GError) error = NULL;
  HordeStyleStable * const *items;
  gsize n = 0;

  list = horde_client_send_all_styles_image_request_sync (client, request, NULL, &error);
  if (list == NULL)
    return horde_cli_fail (error);
  if (opt_json)
    return horde_cli_print_json (horde_style_stable_list_to_json (list));

  items = horde_style_stable_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    add_style_row (rows,
                   horde_style_stable_get_name (items[i]),
                   horde_style_stable_get_use_count (items[i]),
                   horde_style_stable_get_models (items[i]),
                   horde_style_stable_get_info (items[i]));
  print_styles (rows, "(no image style)");

  return HORDE_CLI_EXIT_OK;
}

static int
styles_text (HordeClient *client)
{
  g_autoptr(HordeAllStylesTextRequest) request = horde_all_styles_text_request_new ();
  g_autoptr(HordeStyleKoboldList) list = NULL;
  g_autoptr(GArray) rows = style_rows_new ();
  g_autoptr(GError) error = NULL;
  HordeStyleKobold * const *items;
  gsize n = 0;

  list = horde_client_send_all_styles_text_request_sync (client, request, NULL, &error);
  if (list == NULL)
    return horde_cli_fail (error);
  if (opt_json)
    return horde_cli_print_json (horde_style_kobold_list_to_json (list));

  items = horde_style_kobold_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    add_style_row (rows,
                   horde_style_kobold_get_name (items[i]),
                   horde_style_kobold_get_use_count (items[i]),
                   horde_style_kobold_get_models (items[i]),
                   horde_style_kobold_get_info (items[i]));
  print_styles (rows, "(no text style)");

  return HORDE_CLI_EXIT_OK;
}

int
horde_cli_styles (const HordeCliCommand  *command,
                  int                     argc,
                  char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, styles_entries);
  g_autoptr(HordeClient) client = NULL;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc > 1)
    return horde_cli_usage (context, "“styles” takes no arguments");
  if (!horde_cli_check_choice (opt_type, "image", "text", NULL))
    return horde_cli_usage (context, "--type is “image” or “text”");

  client = horde_cli_client_new ();
  if (g_strcmp0 (opt_type, "text") == 0)
    return styles_text (client);
  return styles_image (client);
}

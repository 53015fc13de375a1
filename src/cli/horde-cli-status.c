/* horde-cli-status.c: `horde status`, `horde news` and `horde stats`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static gboolean opt_json;
static char *opt_type;
static gboolean opt_models;
static char *opt_model_state;

static GOptionEntry status_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print the answers as JSON: {\"heartbeat\": …, \"performance\": …}", NULL },
  { NULL }
};

static GOptionEntry news_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

static GOptionEntry stats_entries[] = {
  { "type", 't', 0, G_OPTION_ARG_STRING, &opt_type, "Statistics of image (default) or text generation", "TYPE" },
  { "models", 0, 0, G_OPTION_ARG_NONE, &opt_models, "Count per model (day, month, total) instead of the totals", NULL },
  { "model-state", 0, 0, G_OPTION_ARG_STRING, &opt_model_state,
    "With --models, for images: known (default), custom or all models", "STATE" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

static gboolean
parse_no_arguments (GOptionContext   *context,
                    int              *argc,
                    char           ***argv,
                    int              *status)
{
  if (!horde_cli_parse (context, argc, argv))
    {
      *status = HORDE_CLI_EXIT_USAGE;
      return FALSE;
    }
  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("“%s” takes no arguments", (*argv)[0]);

      *status = horde_cli_usage (context, message);
      return FALSE;
    }
  return TRUE;
}

/* ---- status --------------------------------------------------------- */

int
horde_cli_status (const HordeCliCommand  *command,
                  int                     argc,
                  char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, status_entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeHeartbeatRequest) heartbeat_request = NULL;
  g_autoptr(HordePerformanceRequest) performance_request = NULL;
  g_autoptr(HordeHeartbeat) heartbeat = NULL;
  g_autoptr(HordePerformance) performance = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *version = NULL;
  int status;

  if (!parse_no_arguments (context, &argc, &argv, &status))
    return status;

  client = horde_cli_client_new ();
  heartbeat_request = horde_heartbeat_request_new ();
  heartbeat = horde_client_send_heartbeat_request_sync (client, heartbeat_request, NULL, &error);
  if (heartbeat == NULL)
    return horde_cli_fail (error);
  performance_request = horde_performance_request_new ();
  performance = horde_client_send_performance_request_sync (client, performance_request, NULL, &error);
  if (performance == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    {
      g_autofree char *heartbeat_json = horde_heartbeat_to_json (heartbeat);
      g_autofree char *performance_json = horde_performance_to_json (performance);

      return horde_cli_print_json (g_strdup_printf ("{\"heartbeat\":%s,\"performance\":%s}",
                                                    heartbeat_json, performance_json));
    }

  message = horde_cli_name (horde_cli_or (horde_heartbeat_get_message (heartbeat), "?"));
  version = horde_cli_name (horde_cli_or (horde_heartbeat_get_version (heartbeat), "?"));
  /* the version is the server's (5.1.5), not the API's (2.x) */
  g_print ("Server:    %s (AI Horde %s)\n", message, version);
  g_print ("\n%-14s %8s %8s %8s %12s %12s\n", "", "WORKERS", "THREADS", "QUEUED", "QUEUED WORK", "PAST MINUTE");
  g_print ("%-14s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %12.1f %12.1f  megapixelsteps\n",
           "Images",
           horde_performance_get_worker_count (performance),
           horde_performance_get_thread_count (performance),
           horde_performance_get_queued_requests (performance),
           horde_performance_get_queued_megapixelsteps (performance),
           horde_performance_get_past_minute_megapixelsteps (performance));
  g_print ("%-14s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %12.1f %12.1f  tokens\n",
           "Text",
           horde_performance_get_text_worker_count (performance),
           horde_performance_get_text_thread_count (performance),
           horde_performance_get_queued_text_requests (performance),
           horde_performance_get_queued_tokens (performance),
           horde_performance_get_past_minute_tokens (performance));
  g_print ("%-14s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8s %12.1f %12s  forms\n",
           "Interrogation",
           horde_performance_get_interrogator_count (performance),
           horde_performance_get_interrogator_thread_count (performance),
           "",
           horde_performance_get_queued_forms (performance),
           "");

  return HORDE_CLI_EXIT_OK;
}

/* ---- news ----------------------------------------------------------- */

int
horde_cli_news (const HordeCliCommand  *command,
                int                     argc,
                char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, news_entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeNewsRequest) request = NULL;
  g_autoptr(HordeNewspieceList) news = NULL;
  g_autoptr(GError) error = NULL;
  HordeNewspiece * const *items;
  gsize n = 0;
  int status;

  if (!parse_no_arguments (context, &argc, &argv, &status))
    return status;

  client = horde_cli_client_new ();
  request = horde_news_request_new ();
  news = horde_client_send_news_request_sync (client, request, NULL, &error);
  if (news == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_newspiece_list_to_json (news));

  items = horde_newspiece_list_get_items (news, &n);
  for (gsize i = 0; i < n; i++)
    {
      HordeNewspiece *piece = items[i];
      g_autofree char *date = horde_cli_name (horde_cli_or (horde_newspiece_get_date_published (piece), "?"));
      g_autofree char *importance = horde_cli_name (horde_cli_or (horde_newspiece_get_importance (piece), ""));
      g_autofree char *title = horde_cli_safe_text (horde_cli_or (horde_newspiece_get_title (piece), ""),
                                                    HORDE_CLI_MAX_LINE, TRUE);

      /* the heading one line; the piece as the server wrote it */
      g_print ("%s%-10s  %-12s  %s\n", i > 0 ? "\n" : "", date, importance, title);
      g_print ("  %s\n", horde_cli_or (horde_newspiece_get_newspiece (piece), ""));
    }
  if (n == 0)
    g_print ("(no news)\n");

  return HORDE_CLI_EXIT_OK;
}

/* ---- stats ---------------------------------------------------------- */

/* The server counts pixelsteps ("ps"); a column of 16-digit numbers is
 * unreadable, so they are shown in megapixelsteps as everywhere else. */
static void
print_image_period (const char               *name,
                    HordeSinglePeriodImgStat *stat)
{
  if (stat == NULL)
    return;
  g_print ("%-8s %14" G_GINT64_FORMAT " %18.2f\n", name,
           horde_single_period_img_stat_get_images (stat),
           horde_single_period_img_stat_get_ps (stat) / 1e6);
}

static void
print_text_period (const char               *name,
                   HordeSinglePeriodTxtStat *stat)
{
  if (stat == NULL)
    return;
  g_print ("%-8s %14" G_GINT64_FORMAT " %18" G_GINT64_FORMAT "\n", name,
           horde_single_period_txt_stat_get_requests (stat),
           horde_single_period_txt_stat_get_tokens (stat));
}

typedef struct {
  const char *name;
  char *shown;    /* the name as a line shows it */
  gint64 day, month, total;
} ModelCounts;

static void
model_counts_clear (ModelCounts *row)
{
  g_free (row->shown);
}

static gint64
count_of (JsonNode   *period,
          const char *model)
{
  JsonObject *object;
  JsonNode *member;

  if (period == NULL || !JSON_NODE_HOLDS_OBJECT (period))
    return 0;
  object = json_node_get_object (period);
  member = json_object_get_member (object, model);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    return 0;
  return json_node_get_int (member);
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const ModelCounts *x = a, *y = b;

  if (x->total != y->total)
    return x->total < y->total ? 1 : -1;
  return g_strcmp0 (x->name, y->name);
}

static void
print_model_counts (JsonNode *day,
                    JsonNode *month,
                    JsonNode *total)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ModelCounts));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *periods[] = { total, month, day };
  int width = 40;

  g_array_set_clear_func (rows, (GDestroyNotify) model_counts_clear);
  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      g_autoptr(GList) names = NULL;

      if (periods[p] == NULL || !JSON_NODE_HOLDS_OBJECT (periods[p]))
        continue;
      names = json_object_get_members (json_node_get_object (periods[p]));
      for (GList *l = names; l != NULL; l = l->next)
        {
          ModelCounts row = { l->data, NULL, 0, 0, 0 };

          if (!g_hash_table_add (seen, l->data))
            continue;
          row.shown = horde_cli_name (row.name);
          row.day = count_of (day, row.name);
          row.month = count_of (month, row.name);
          row.total = count_of (total, row.name);
          g_array_append_val (rows, row);
        }
    }
  g_array_sort (rows, compare_counts);

  /* text model names run long ("aphrodite/NeverSleep/…"): widen the column
   * rather than push the counts out of line */
  for (guint i = 0; i < rows->len; i++)
    width = MAX (width, (int) g_utf8_strlen (g_array_index (rows, ModelCounts, i).shown, -1));
  g_print ("%-*s %12s %12s %14s\n", width, "MODEL", "DAY", "MONTH", "TOTAL");
  for (guint i = 0; i < rows->len; i++)
    {
      ModelCounts *row = &g_array_index (rows, ModelCounts, i);

      g_print ("%s%*s %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT " %14" G_GINT64_FORMAT "\n",
               row->shown, width - (int) g_utf8_strlen (row->shown, -1), "", row->day, row->month, row->total);
    }
  if (rows->len == 0)
    g_print ("(no model statistics)\n");
}

static int
stats_image (HordeClient *client)
{
  g_autoptr(GError) error = NULL;

  if (opt_models)
    {
      g_autoptr(HordeImageStatsModelsRequestBuilder) builder = horde_image_stats_models_request_builder_new ();
      g_autoptr(HordeImageStatsModelsRequest) request = NULL;
      g_autoptr(HordeImgModelStats) stats = NULL;

      if (opt_model_state != NULL)
        horde_image_stats_models_request_builder_set_model_state (builder, opt_model_state);
      request = horde_image_stats_models_request_builder_end (builder, &error);
      if (request == NULL)
        return horde_cli_fail (error);
      stats = horde_client_send_image_stats_models_request_sync (client, request, NULL, &error);
      if (stats == NULL)
        return horde_cli_fail (error);
      if (opt_json)
        return horde_cli_print_json (horde_img_model_stats_to_json (stats));
      print_model_counts (horde_img_model_stats_get_day (stats),
                          horde_img_model_stats_get_month (stats),
                          horde_img_model_stats_get_total (stats));
    }
  else
    {
      g_autoptr(HordeImageStatsModelsTotalRequest) request = horde_image_stats_models_total_request_new ();
      g_autoptr(HordeStatsImgTotals) totals = horde_client_send_image_stats_models_total_request_sync (client, request, NULL, &error);

      if (totals == NULL)
        return horde_cli_fail (error);
      if (opt_json)
        return horde_cli_print_json (horde_stats_img_totals_to_json (totals));
      g_print ("%-8s %14s %18s\n", "PERIOD", "IMAGES", "MEGAPIXELSTEPS");
      print_image_period ("minute", horde_stats_img_totals_get_minute (totals));
      print_image_period ("hour", horde_stats_img_totals_get_hour (totals));
      print_image_period ("day", horde_stats_img_totals_get_day (totals));
      print_image_period ("month", horde_stats_img_totals_get_month (totals));
      print_image_period ("total", horde_stats_img_totals_get_total (totals));
    }

  return HORDE_CLI_EXIT_OK;
}

static int
stats_text (HordeClient *client)
{
  g_autoptr(GError) error = NULL;

  if (opt_models)
    {
      g_autoptr(HordeTextStatsModelsRequest) request = horde_text_stats_models_request_new ();
      g_autoptr(HordeTxtModelStats) stats = horde_client_send_text_stats_models_request_sync (client, request, NULL, &error);

      if (stats == NULL)
        return horde_cli_fail (error);
      if (opt_json)
        return horde_cli_print_json (horde_txt_model_stats_to_json (stats));
      print_model_counts (horde_txt_model_stats_get_day (stats),
                          horde_txt_model_stats_get_month (stats),
                          horde_txt_model_stats_get_total (stats));
    }
  else
    {
      g_autoptr(HordeTextStatsModelsTotalRequest) request = horde_text_stats_models_total_request_new ();
      g_autoptr(HordeStatsTxtTotals) totals = horde_client_send_text_stats_models_total_request_sync (client, request, NULL, &error);

      if (totals == NULL)
        return horde_cli_fail (error);
      if (opt_json)
        return horde_cli_print_json (horde_stats_txt_totals_to_json (totals));
      g_print ("%-8s %14s %18s\n", "PERIOD", "REQUESTS", "TOKENS");
      print_text_period ("minute", horde_stats_txt_totals_get_minute (totals));
      print_text_period ("hour", horde_stats_txt_totals_get_hour (totals));
      print_text_period ("day", horde_stats_txt_totals_get_day (totals));
      print_text_period ("month", horde_stats_txt_totals_get_month (totals));
      print_text_period ("total", horde_stats_txt_totals_get_total (totals));
    }

  return HORDE_CLI_EXIT_OK;
}

int
horde_cli_stats (const HordeCliCommand  *command,
                 int                     argc,
                 char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, stats_entries);
  g_autoptr(HordeClient) client = NULL;
  int status;

  if (!parse_no_arguments (context, &argc, &argv, &status))
    return status;
  if (!horde_cli_check_choice (opt_type, "image", "text", NULL))
    return horde_cli_usage (context, "--type is “image” or “text”");
  if (!horde_cli_check_choice (opt_model_state, "known", "custom", "all", NULL))
    return horde_cli_usage (context, "--model-state is “known”, “custom” or “all”");
  /* the server has no such filter for text: saying nothing would show
   * every model while the user asked for some */
  if (opt_model_state != NULL && g_strcmp0 (opt_type, "text") == 0)
    return horde_cli_usage (context, "--model-state is for image statistics only");
  if (opt_model_state != NULL)
    opt_models = TRUE;

  client = horde_cli_client_new ();
  if (g_strcmp0 (opt_type, "text") == 0)
    return stats_text (client);
  return stats_image (client);
}

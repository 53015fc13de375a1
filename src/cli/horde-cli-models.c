/* horde-cli-models.c: `horde models`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static char *opt_type;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "type", 't', 0, G_OPTION_ARG_STRING, &opt_type, "Models of this kind: image (default) or text", "TYPE" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { NULL }
};

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel * const *) a;
  HordeActiveModel *y = *(HordeActiveModel * const *) b;
  gint64 cx = horde_active_model_get_count (x), cy = horde_active_model_get_count (y);

  if (cx != cy)
    return cx < cy ? 1 : -1;
  return g_strcmp0 (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

int
horde_cli_models (const HordeCliCommand  *command,
                  int                     argc,
                  char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) request = NULL;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc > 1)
    return horde_cli_usage (context, "“models” takes no arguments");
  if (opt_type != NULL && !g_str_equal (opt_type, "image") && !g_str_equal (opt_type, "text"))
    return horde_cli_usage (context, "--type is “image” or “text”");

  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, opt_type ? opt_type : "image");
  request = horde_status_models_all_request_builder_end (builder, &error);
  g_assert_no_error (error);

  client = horde_cli_client_new ();
  list = horde_client_send_status_models_all_request_sync (client, request, NULL, &error);
  if (list == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_active_model_list_to_json (list));

  items = horde_active_model_list_get_items (list, &n);
  models = g_ptr_array_new ();
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (models, items[i]);
  g_ptr_array_sort (models, compare_models);

  g_print ("%-40s %8s %8s %8s\n", "MODEL", "WORKERS", "QUEUED", "ETA");
  for (guint i = 0; i < models->len; i++)
    {
      HordeActiveModel *model = models->pdata[i];
      g_autofree char *name = horde_cli_name (horde_cli_or (horde_active_model_get_name (model), "?"));

      g_print ("%-40s %8" G_GINT64_FORMAT " %8.0f %7" G_GINT64_FORMAT "s\n",
               name,
               horde_active_model_get_count (model),
               horde_active_model_get_queued (model),
               horde_active_model_get_eta (model));
    }
  if (models->len == 0)
    g_print ("(no %s model is served right now)\n", opt_type ? opt_type : "image");

  return HORDE_CLI_EXIT_OK;
}

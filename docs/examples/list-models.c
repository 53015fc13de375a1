/* list-models.c: which image models do workers serve right now?
 *
 * Asks the Horde for its image models (GET /v2/status/models?type=image)
 * and prints each with the number of workers that serve it, the work queued
 * for it (in megapixelsteps) and the estimated wait, busiest models first.
 *
 * The server comes from $AI_HORDE_URL (default: the public AI Horde).
 *
 *   cc list-models.c -o list-models $(pkg-config --cflags --libs libhorde-1)
 *   ./list-models
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libhorde.h>
#include <locale.h>

typedef struct {
  GMainLoop *loop;
  int        exit_status;
} ListModels;

/* Most workers first; models with as many workers by name */
static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel **) a;
  HordeActiveModel *y = *(HordeActiveModel **) b;
  gint64 workers_x = horde_active_model_get_count (x);
  gint64 workers_y = horde_active_model_get_count (y);

  if (workers_x != workers_y)
    return workers_x > workers_y ? -1 : 1;
  return g_strcmp0 (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

static void
models_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListModels *self = user_data;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  HordeActiveModel * const *items;
  gsize n_items = 0;

  list = horde_client_send_status_models_all_request_finish (HORDE_CLIENT (source), result, &error);
  if (list == NULL)
    {
      g_printerr ("list-models: %s\n", error->message);
      self->exit_status = 1;
      g_main_loop_quit (self->loop);
      return;
    }

  /* The answer is a JSON array: a list type whose items are the models.
   * The items belong to the list, which is immutable; sort a copy of the
   * pointers. */
  items = horde_active_model_list_get_items (list, &n_items);
  models = g_ptr_array_sized_new (n_items);
  for (gsize i = 0; i < n_items; i++)
    g_ptr_array_add (models, items[i]);
  g_ptr_array_sort (models, compare_models);

  g_print ("%-32s %7s %10s %6s\n", "MODEL", "WORKERS", "QUEUED", "ETA");
  for (guint i = 0; i < models->len; i++)
    {
      HordeActiveModel *model = g_ptr_array_index (models, i);

      g_print ("%-32s %7" G_GINT64_FORMAT " %10.0f %5" G_GINT64_FORMAT "s\n",
               horde_active_model_get_name (model),
               horde_active_model_get_count (model),
               horde_active_model_get_queued (model),
               horde_active_model_get_eta (model));
    }
  g_print ("%u models\n", models->len);

  g_main_loop_quit (self->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  ListModels list_models = { loop, 0 };

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");

  /* Requests with parameters are made with a builder, which checks them
   * against the API when it ends. The query parameter "type" is called
   * "kind" in libhorde: every boxed type already has a get_type(). */
  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, "image");
  request = horde_status_models_all_request_builder_end (builder, &error);
  if (request == NULL)
    {
      g_printerr ("list-models: %s\n", error->message);
      return 1;
    }

  horde_client_send_status_models_all_request_async (client, request, NULL, models_cb, &list_models);
  g_main_loop_run (loop);

  return list_models.exit_status;
}

/* horde-studio-model-chooser.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-messages.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-source-image.h"
#include "horde-studio-util.h"

/* The models again every few minutes while the row is on screen: workers
 * come and go, and bring their models */
#define MODELS_REFRESH_SECONDS 300

/* HordeStudioModelChooser: the compose pane's Model row. It lists the
 * models the Horde's workers serve, each with its workers, queue and wait
 * (the most served first, those made for inpainting first while the
 * request paints), says the chosen one's in its subtitle, and asks the
 * server again while it is shown. "Any model" is the first choice. */
struct _HordeStudioModelChooser
{
  AdwActionRow parent_instance;

  GtkDropDown *model_dropdown;

  HordeClient *client;
  HordeStudioConnection *connection;
  GtkStringList *models;          /* "" (any model), then the served models */
  GHashTable *model_info;         /* name → HordeActiveModel */
  GCancellable *models_cancellable; /* the latest list of models */
  gint64 models_loaded_at;        /* monotonic time of the last list asked for */
  guint models_source;            /* asks again while the row is shown */
  gboolean painting;              /* the request inpaints or outpaints */
  gboolean syncing;               /* set while the code reorders the list */
};

G_DEFINE_FINAL_TYPE (HordeStudioModelChooser, horde_studio_model_chooser, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * horde_studio_model_chooser_get_model:
 * @self: a #HordeStudioModelChooser
 *
 * Returns: (nullable): the name of the model chosen, %NULL for any model
 */
const char *
horde_studio_model_chooser_get_model (HordeStudioModelChooser *self)
{
  guint position;

  g_return_val_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self), NULL);

  position = gtk_drop_down_get_selected (self->model_dropdown);
  if (position == GTK_INVALID_LIST_POSITION || position == 0)
    return NULL;
  return gtk_string_list_get_string (self->models, position);
}

/**
 * horde_studio_model_chooser_get_baseline:
 * @self: a #HordeStudioModelChooser
 * @baseline: (out) (optional): the family of the model chosen
 *
 * The family of models the chosen one belongs to, as its name tells.
 *
 * Returns: %FALSE for any model (@baseline is then left alone)
 */
gboolean
horde_studio_model_chooser_get_baseline (HordeStudioModelChooser *self,
                                         HordeStudioBaseline     *baseline)
{
  const char *model = horde_studio_model_chooser_get_model (self);

  if (model == NULL)
    return FALSE;
  if (baseline != NULL)
    *baseline = horde_studio_guess_baseline (model);
  return TRUE;
}

/* What the server says of a model: "3 workers · 12 images waiting (3.1
 * megapixelsteps) · about 40 s";
 * @name NULL is "any model" */
static char *
model_summary (HordeStudioModelChooser *self,
               const char              *name)
{
  HordeActiveModel *model = name ? g_hash_table_lookup (self->model_info, name) : NULL;
  g_autofree char *workers = NULL;
  g_autofree char *queue = NULL;
  gint64 count;

  if (name == NULL)
    return g_strdup (_("Any model a worker serves"));
  if (model == NULL)
    return g_strdup (_("No worker serves it now"));

  count = horde_active_model_get_count (model);
  workers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d worker", "%d workers", count), (int) count);
  /* the real server's `queued` is pixelsteps for an image model; the
   * images waiting are its `jobs` */
  queue = horde_studio_describe_queue (horde_active_model_has_jobs (model),
                                       horde_active_model_get_jobs (model),
                                       horde_active_model_get_queued (model));
  if (queue == NULL)
    return g_strdup_printf (_("%s · no queue"), workers);
  if (horde_active_model_get_eta (model) <= 0)
    return g_strdup_printf ("%s · %s", workers, queue);

  /* TRANSLATORS: a model's line: its workers, its queue and the
   * estimated wait, "3 workers · 12 images waiting (3.1 megapixelsteps) · about 40 s" */
  return g_strdup_printf (_("%s · %s · about %d s"),
                          workers, queue, (int) MIN (horde_active_model_get_eta (model), G_MAXINT));
}

static void
describe_model (HordeStudioModelChooser *self)
{
  g_autofree char *text = model_summary (self, horde_studio_model_chooser_get_model (self));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
}

/* The list of models, each with its workers, queue and wait */
static void
model_item_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  HordeStudioModelChooser  *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_list_item_set_child (item, box);
}

static void
model_item_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 HordeStudioModelChooser  *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  g_autoptr(GtkStringObject) any = g_list_model_get_item (G_LIST_MODEL (self->models), 0);
  g_autofree char *summary = model_summary (self, string == any ? NULL : gtk_string_object_get_string (string));

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), summary);
}

/* the user's choice, or one loaded: said, and told; a reordering of the
 * list keeps the choice and is not */
static void
model_selected (HordeStudioModelChooser *self)
{
  if (self->syncing)
    return;
  describe_model (self);
  g_signal_emit (self, signals [CHANGED], 0);
}

static int
compare_by_workers (gconstpointer a,
                    gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel * const *) a;
  HordeActiveModel *y = *(HordeActiveModel * const *) b;
  gint64 cx = horde_active_model_get_count (x), cy = horde_active_model_get_count (y);

  if (cx != cy)
    return cx < cy ? 1 : -1;
  return g_utf8_collate (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

/* The order of the list: while inpainting or outpainting, the models made
 * for it first; then the most workers first (compare_by_workers), a model
 * nobody serves last */
static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  HordeStudioModelChooser *self = user_data;
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  HordeActiveModel *mx = g_hash_table_lookup (self->model_info, x);
  HordeActiveModel *my = g_hash_table_lookup (self->model_info, y);

  if (self->painting &&
      horde_studio_source_image_model_paints (x) != horde_studio_source_image_model_paints (y))
    return horde_studio_source_image_model_paints (x) ? -1 : 1;
  if ((mx == NULL) != (my == NULL))
    return mx == NULL ? 1 : -1;
  if (mx != NULL)
    return compare_by_workers (&mx, &my);
  return g_utf8_collate (x, y);
}

/* the position of @name in the list, after "Any model"; or, when it is not
 * there, GTK_INVALID_LIST_POSITION */
static guint
position_of (HordeStudioModelChooser *self,
             const char              *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 1; name != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->models, i), name))
      found = i;
  return found;
}

static void
sort_models (HordeStudioModelChooser *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  g_autofree char *keep = g_strdup (horde_studio_model_chooser_get_model (self));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean was_syncing = self->syncing;

  if (n < 3)
    return;
  for (guint i = 1; i < n; i++)
    g_ptr_array_add (names, g_strdup (gtk_string_list_get_string (self->models, i)));
  g_ptr_array_sort_with_data (names, compare_names, self);
  g_ptr_array_add (names, NULL);

  self->syncing = TRUE;
  gtk_string_list_splice (self->models, 1, n - 1, (const char * const *) names->pdata);
  if (keep == NULL)
    gtk_drop_down_set_selected (self->model_dropdown, 0);
  else if (position_of (self, keep) != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (self->model_dropdown, position_of (self, keep));
  self->syncing = was_syncing;
}

/**
 * horde_studio_model_chooser_set_painting:
 * @self: a #HordeStudioModelChooser
 * @painting: whether the request inpaints or outpaints
 *
 * While the request paints, the models made for inpainting come first.
 */
void
horde_studio_model_chooser_set_painting (HordeStudioModelChooser *self,
                                         gboolean                 painting)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  self->painting = !!painting;
  sort_models (self);
}

static void
models_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioModelChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autofree char *keep = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;
  guint selected = 0;

  list = horde_client_send_status_models_all_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->connection != NULL)
    horde_studio_connection_report (self->connection, error);
  if (list == NULL)
    {
      g_debug ("No list of models: %s", error->message);
      return;
    }

  keep = g_strdup (horde_studio_model_chooser_get_model (self));
  items = horde_active_model_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    if (horde_active_model_get_name (items[i]) != NULL)
      g_ptr_array_add (sorted, items[i]);
  g_ptr_array_sort (sorted, compare_by_workers);

  self->syncing = TRUE;
  g_hash_table_remove_all (self->model_info);
  gtk_string_list_splice (self->models, 1, g_list_model_get_n_items (G_LIST_MODEL (self->models)) - 1, NULL);
  for (guint i = 0; i < sorted->len; i++)
    {
      HordeActiveModel *model = sorted->pdata[i];
      const char *name = horde_active_model_get_name (model);

      g_hash_table_insert (self->model_info, g_strdup (name), horde_active_model_ref (model));
      gtk_string_list_append (self->models, name);
      if (g_strcmp0 (name, keep) == 0)
        selected = i + 1;
    }
  /* a model the user chose stays chosen, even when nobody serves it now */
  if (keep != NULL && selected == 0)
    {
      gtk_string_list_append (self->models, keep);
      selected = g_list_model_get_n_items (G_LIST_MODEL (self->models)) - 1;
    }
  gtk_drop_down_set_selected (self->model_dropdown, selected);
  sort_models (self);
  self->syncing = FALSE;

  describe_model (self);
}

/**
 * horde_studio_model_chooser_refresh:
 * @self: a #HordeStudioModelChooser
 *
 * Asks the server again for the models its workers serve (a large answer:
 * not for every change), so that a model a new worker brings appears.
 * Without a client nothing is asked.
 */
void
horde_studio_model_chooser_refresh (HordeStudioModelChooser *self)
{
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) models = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  if (self->client == NULL)
    return;

  /* the newest answer wins */
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();
  self->models_loaded_at = g_get_monotonic_time ();

  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, "image");
  models = horde_status_models_all_request_builder_end (builder, NULL);
  horde_client_send_status_models_all_request_async (self->client, models, self->models_cancellable,
                                                     models_loaded, g_object_ref (self));
}

/**
 * horde_studio_model_chooser_set_client:
 * @self: a #HordeStudioModelChooser
 * @client: (nullable): the client to ask the models with
 *
 * Sets the client horde_studio_model_chooser_refresh() asks with; nothing
 * is asked yet.
 */
void
horde_studio_model_chooser_set_client (HordeStudioModelChooser *self,
                                       HordeClient             *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  g_set_object (&self->client, client);
}

/**
 * horde_studio_model_chooser_set_connection:
 * @self: a #HordeStudioModelChooser
 * @connection: (nullable): where to tell whether the server answers
 *
 * Each answer to the list of models is reported to @connection.
 */
void
horde_studio_model_chooser_set_connection (HordeStudioModelChooser *self,
                                           HordeStudioConnection   *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  g_set_object (&self->connection, connection);
}

/**
 * horde_studio_model_chooser_add_to_request:
 * @self: a #HordeStudioModelChooser
 * @request: the request being built
 *
 * Puts the model chosen in @request; any model leaves its models unset.
 */
void
horde_studio_model_chooser_add_to_request (HordeStudioModelChooser               *self,
                                           HordeImageGenerateAsyncRequestBuilder *request)
{
  const char *model = horde_studio_model_chooser_get_model (self);

  if (model != NULL)
    {
      const char *models[] = { model, NULL };
      horde_image_generate_async_request_builder_set_models (request, models);
    }
}

/**
 * horde_studio_model_chooser_load_request:
 * @self: a #HordeStudioModelChooser
 * @request: the request to show
 *
 * Chooses the first model @request asks for, by its name, even one no
 * worker serves now (it is added to the list); a request without models
 * is any model. Emits #HordeStudioModelChooser::changed when the choice
 * changes.
 */
void
horde_studio_model_chooser_load_request (HordeStudioModelChooser        *self,
                                         HordeImageGenerateAsyncRequest *request)
{
  const char * const *models;

  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));
  g_return_if_fail (request != NULL);

  models = horde_image_generate_async_request_get_models (request);
  if (models != NULL && models[0] != NULL)
    {
      guint found = position_of (self, models[0]);

      if (found == GTK_INVALID_LIST_POSITION)
        {
          found = g_list_model_get_n_items (G_LIST_MODEL (self->models));
          gtk_string_list_append (self->models, models[0]);
        }
      gtk_drop_down_set_selected (self->model_dropdown, found);
    }
  else
    gtk_drop_down_set_selected (self->model_dropdown, 0);

  describe_model (self);
}

static gboolean
models_timeout (gpointer user_data)
{
  HordeStudioModelChooser *self = user_data;

  horde_studio_model_chooser_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
model_chooser_map (GtkWidget *widget)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (widget);

  GTK_WIDGET_CLASS (horde_studio_model_chooser_parent_class)->map (widget);

  if (self->models_loaded_at > 0 &&
      g_get_monotonic_time () - self->models_loaded_at >= MODELS_REFRESH_SECONDS * G_USEC_PER_SEC)
    horde_studio_model_chooser_refresh (self);
  if (self->models_source == 0)
    self->models_source = g_timeout_add_seconds (MODELS_REFRESH_SECONDS, models_timeout, self);
}

static void
model_chooser_unmap (GtkWidget *widget)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (widget);

  g_clear_handle_id (&self->models_source, g_source_remove);
  GTK_WIDGET_CLASS (horde_studio_model_chooser_parent_class)->unmap (widget);
}

static void
horde_studio_model_chooser_dispose (GObject *object)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (object);

  g_cancellable_cancel (self->models_cancellable);
  g_clear_handle_id (&self->models_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_MODEL_CHOOSER);

  G_OBJECT_CLASS (horde_studio_model_chooser_parent_class)->dispose (object);
}

static void
horde_studio_model_chooser_finalize (GObject *object)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_object (&self->models);
  g_clear_pointer (&self->model_info, g_hash_table_unref);
  g_clear_object (&self->models_cancellable);

  G_OBJECT_CLASS (horde_studio_model_chooser_parent_class)->finalize (object);
}

static void
horde_studio_model_chooser_class_init (HordeStudioModelChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_model_chooser_dispose;
  object_class->finalize = horde_studio_model_chooser_finalize;
  widget_class->map = model_chooser_map;
  widget_class->unmap = model_chooser_unmap;

  /**
   * HordeStudioModelChooser::changed:
   * @self: the model chooser
   *
   * Emitted when the model chosen changed: by the user, or by
   * horde_studio_model_chooser_load_request(). A new list of models, or
   * its new order, keeps the choice and does not emit it.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-model-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, model_dropdown);
}

static void
horde_studio_model_chooser_init (HordeStudioModelChooser *self)
{
  g_autoptr(GtkExpression) expression = NULL;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model_info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) horde_active_model_unref);
  self->models = gtk_string_list_new (NULL);
  gtk_string_list_append (self->models, _("Any model"));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->model_dropdown, expression);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->models));
  g_signal_connect (factory, "setup", G_CALLBACK (model_item_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (model_item_bind), self);
  gtk_drop_down_set_list_factory (self->model_dropdown, factory);

  g_signal_connect_swapped (self->model_dropdown, "notify::selected", G_CALLBACK (model_selected), self);
  describe_model (self);
}

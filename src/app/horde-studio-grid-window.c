/* horde-studio-grid-window.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-grid-window.h"
#include "horde-studio-messages.h"
#include "horde-studio-util.h"

/* The comparison grid: two axes (a setting and its values each) over the
 * request of the compose pane. The window plans the cells' requests,
 * prices them with dry runs before anything is sent, runs them through
 * the application's job list (under its concurrency limit) when the user
 * presses Run, fills the grid as the images arrive, and exports it, labels
 * and all, as one PNG. Closing it cancels on the server what has not
 * finished. */
struct _HordeStudioGridWindow
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkButton *run_button;
  GtkButton *export_button;
  GtkWidget *axes_clamp;
  AdwComboRow *column_axis_row;
  AdwEntryRow *column_values_row;
  GtkMenuButton *column_choose_button;
  AdwComboRow *row_axis_row;
  AdwEntryRow *row_values_row;
  GtkMenuButton *row_choose_button;
  GtkLabel *summary_label;
  HordeStudioGridView *grid_view;

  HordeStudioJobs *jobs;
  HordeClient *client;
  HordeImageGenerateAsyncRequest *base;
  HordeStudioGridPlan *plan;
  GPtrArray *cell_jobs;         /* of HordeStudioJob, row-major, once run */
  GPtrArray *models;            /* of char *: the models the Horde serves */
  GCancellable *cancellable;

  guint estimate_source;
  GArray *shape_kudos;          /* double, by shape: the dry runs' answers */
  char *estimate;               /* "about 52 kudos", once all are in */
  gboolean running;
};

G_DEFINE_FINAL_TYPE (HordeStudioGridWindow, horde_studio_grid_window, ADW_TYPE_WINDOW)

/* a pause after typing before the dry runs */
#define ESTIMATE_DELAY_MS 500

/* What the real server charges, from its dry run (see
 * horde_studio_describe_estimate): the dry run of one image is the
 * image's cost and its own 1 kudos, plus 1 for the request; an accepted
 * request pays a tax of 3 instead of that 1. */
#define DRY_RUN_REQUEST_TAX 1
#define IMAGE_REQUEST_TAX 3

static void update (HordeStudioGridWindow *self);

static gboolean
signed_in (HordeStudioGridWindow *self)
{
  const char *key = horde_client_get_api_key (self->client);

  return key != NULL && *key != '\0' && g_strcmp0 (key, HORDE_ANONYMOUS_API_KEY) != 0;
}

static void
set_summary (HordeStudioGridWindow *self,
             const char            *text,
             gboolean               problem)
{
  gtk_label_set_text (self->summary_label, text);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
}

static guint
n_cells (HordeStudioGridWindow *self)
{
  if (self->plan == NULL)
    return 0;
  return horde_studio_grid_plan_get_n_columns (self->plan) * horde_studio_grid_plan_get_n_rows (self->plan);
}

static guint
n_filled (HordeStudioGridWindow *self)
{
  guint filled = 0;

  if (self->plan == NULL)
    return 0;
  for (guint row = 0; row < horde_studio_grid_plan_get_n_rows (self->plan); row++)
    for (guint column = 0; column < horde_studio_grid_plan_get_n_columns (self->plan); column++)
      if (horde_studio_grid_view_get_cell_item (self->grid_view, column, row) != NULL)
        filled++;
  return filled;
}

/* "4 images · about 52 kudos", or while running "1 of 4 images · …" */
static void
show_progress (HordeStudioGridWindow *self)
{
  guint n = n_cells (self);
  g_autofree char *images = NULL;
  g_autofree char *text = NULL;

  if (self->running)
    /* TRANSLATORS: the images of a running grid that have arrived */
    images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u\u00a0image", "%u of %u\u00a0images", n),
                              n_filled (self), n);
  else
    images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u\u00a0image", "%u\u00a0images", n), n);

  text = g_strdup_printf ("%s · %s", images, self->estimate);
  set_summary (self, text, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.export", n_filled (self) > 0);
}

/* ---- the estimate ------------------------------------------------------ */

static void estimate_next (HordeStudioGridWindow *self);

static void
estimated (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HordeStudioGridWindow *self;
  g_autoptr(GError) error = NULL;
  double kudos = 0;

  if (!horde_image_job_estimate_finish (HORDE_IMAGE_JOB (object), result, &kudos, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (error != NULL)
    {
      g_autofree char *hint = NULL;
      g_autofree char *words = horde_studio_describe_error_for (error, signed_in (self), &hint);
      g_autofree char *text = hint ? g_strdup_printf ("%s %s", words, hint) : g_strdup (words);

      set_summary (self, text, TRUE);
      g_clear_object (&self->cancellable);
      return;
    }

  g_array_append_val (self->shape_kudos, kudos);
  estimate_next (self);
}

/* One dry run a shape of request, one after the other: the client paces
 * them under the server's limit of 2 a second, and fewer is kinder. When
 * all are in, the total, and Run may send. */
static void
estimate_next (HordeStudioGridWindow *self)
{
  guint shape = self->shape_kudos->len;
  double total = 0;

  for (guint row = 0; row < horde_studio_grid_plan_get_n_rows (self->plan); row++)
    for (guint column = 0; column < horde_studio_grid_plan_get_n_columns (self->plan); column++)
      {
        guint s = horde_studio_grid_plan_get_shape (self->plan, column, row);

        if (s == shape)
          {
            g_autoptr(HordeImageJob) job = horde_image_job_new (self->client,
                                                                horde_studio_grid_plan_get_request (self->plan, column, row));

            horde_image_job_estimate_async (job, self->cancellable, estimated, self);
            return;
          }
        if (s < self->shape_kudos->len)
          total += MAX (0, g_array_index (self->shape_kudos, double, s) - DRY_RUN_REQUEST_TAX) + IMAGE_REQUEST_TAX;
      }

  g_clear_object (&self->cancellable);
  g_free (self->estimate);
  /* TRANSLATORS: what a whole grid is expected to cost */
  self->estimate = g_strdup_printf (_("about %.0f\u00a0kudos"), total);
  show_progress (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.run", TRUE);
}

static gboolean
estimate_timeout (gpointer user_data)
{
  HordeStudioGridWindow *self = user_data;

  self->estimate_source = 0;
  self->cancellable = g_cancellable_new ();
  g_array_set_size (self->shape_kudos, 0);
  estimate_next (self);
  return G_SOURCE_REMOVE;
}

/* ---- planning ---------------------------------------------------------- */

static HordeStudioGridAxis
selected_axis (AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < HORDE_STUDIO_GRID_N_AXES ? (HordeStudioGridAxis) selected : HORDE_STUDIO_GRID_AXIS_SEED;
}

/* the values offered for an axis of models or samplers */
static void
update_choices (HordeStudioGridWindow *self,
                AdwComboRow           *axis_row,
                GtkMenuButton         *button,
                const char            *action)
{
  HordeStudioGridAxis axis = selected_axis (axis_row);
  g_autoptr(GMenu) menu = g_menu_new ();

  if (axis == HORDE_STUDIO_GRID_AXIS_SAMPLER)
    {
      const char * const *samplers = horde_studio_get_samplers ();

      for (guint i = 0; samplers[i] != NULL; i++)
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (samplers[i], NULL);

          g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (samplers[i]));
          g_menu_append_item (menu, item);
        }
    }
  else if (axis == HORDE_STUDIO_GRID_AXIS_MODEL)
    for (guint i = 0; i < self->models->len; i++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (self->models->pdata[i], NULL);

        g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (self->models->pdata[i]));
        g_menu_append_item (menu, item);
      }

  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (button), g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0);
}

static void
update (HordeStudioGridWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(GStrv) rows = NULL;

  if (self->running || self->base == NULL)
    return;

  update_choices (self, self->column_axis_row, self->column_choose_button, "grid.add-column-value");
  update_choices (self, self->row_axis_row, self->row_choose_button, "grid.add-row-value");

  g_clear_handle_id (&self->estimate_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->estimate, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.run", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.export", FALSE);

  columns = horde_studio_grid_split_values (gtk_editable_get_text (GTK_EDITABLE (self->column_values_row)));
  rows = horde_studio_grid_split_values (gtk_editable_get_text (GTK_EDITABLE (self->row_values_row)));
  if (columns[0] == NULL && rows[0] == NULL)
    {
      horde_studio_grid_view_set_plan (self->grid_view, NULL);
      set_summary (self, _("Choose a setting for the columns and one for the rows, and type the values to compare."), FALSE);
      return;
    }

  self->plan = horde_studio_grid_plan_new (self->base,
                                           selected_axis (self->column_axis_row), (const char * const *) columns,
                                           selected_axis (self->row_axis_row), (const char * const *) rows,
                                           &error);
  horde_studio_grid_view_set_plan (self->grid_view, self->plan);
  if (self->plan == NULL)
    {
      set_summary (self, error->message, TRUE);
      return;
    }

  {
    guint n = n_cells (self);
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u\u00a0image · estimating the cost…",
                                                          "%u\u00a0images · estimating the cost…", n), n);

    set_summary (self, text, FALSE);
  }
  self->estimate_source = g_timeout_add (ESTIMATE_DELAY_MS, estimate_timeout, self);
}

/* ---- running ----------------------------------------------------------- */

static void
job_changed (HordeStudioGridWindow *self,
             HordeStudioJob        *job)
{
  guint index;
  guint n_columns;
  GListModel *images;

  if (self->plan == NULL || !g_ptr_array_find (self->cell_jobs, job, &index))
    return;

  n_columns = horde_studio_grid_plan_get_n_columns (self->plan);
  images = horde_studio_job_get_images (job);
  if (g_list_model_get_n_items (images) > 0)
    {
      g_autoptr(GObject) item = g_list_model_get_item (images, 0);

      if (horde_studio_grid_view_get_cell_item (self->grid_view, index % n_columns, index / n_columns) != item)
        horde_studio_grid_view_set_cell_item (self->grid_view, index % n_columns, index / n_columns, item);
    }
  else if (horde_studio_job_is_ended (job))
    {
      const char *message = horde_studio_job_get_error_message (job);

      horde_studio_grid_view_set_cell_status (self->grid_view, index % n_columns, index / n_columns,
                                              message ? message : _("No image came"));
    }
  else if (horde_studio_job_is_running (job))
    horde_studio_grid_view_set_cell_status (self->grid_view, index % n_columns, index / n_columns, _("Generating"));

  show_progress (self);
}

static void
job_notify (HordeStudioJob        *job,
            GParamSpec            *pspec,
            HordeStudioGridWindow *self)
{
  job_changed (self, job);
}

static void
images_changed (GListModel *images,
                guint       position,
                guint       removed,
                guint       added,
                gpointer    user_data)
{
  HordeStudioJob *job = user_data;
  HordeStudioGridWindow *self = g_object_get_data (G_OBJECT (job), "horde-studio-grid-window");

  if (self != NULL)
    job_changed (self, job);
}

static void
run (GtkWidget  *widget,
     const char *action_name,
     GVariant   *parameter)
{
  HordeStudioGridWindow *self = HORDE_STUDIO_GRID_WINDOW (widget);

  if (self->plan == NULL || self->estimate == NULL || self->running)
    return;

  /* one grid a window: its axes stay as they were sent */
  self->running = TRUE;
  gtk_widget_set_sensitive (self->axes_clamp, FALSE);
  gtk_widget_action_set_enabled (widget, "grid.run", FALSE);

  for (guint row = 0; row < horde_studio_grid_plan_get_n_rows (self->plan); row++)
    for (guint column = 0; column < horde_studio_grid_plan_get_n_columns (self->plan); column++)
      {
        HordeStudioJob *job = horde_studio_jobs_submit (self->jobs,
                                                        horde_studio_grid_plan_get_request (self->plan, column, row));

        g_ptr_array_add (self->cell_jobs, g_object_ref (job));
        g_object_set_data (G_OBJECT (job), "horde-studio-grid-window", self);
        horde_studio_grid_view_set_cell_status (self->grid_view, column, row, _("Waiting"));
        g_signal_connect_object (horde_studio_job_get_images (job), "items-changed",
                                 G_CALLBACK (images_changed), job, 0);
        g_signal_connect_object (job, "notify::ended", G_CALLBACK (job_notify), self, 0);
        g_signal_connect_object (job, "notify::started", G_CALLBACK (job_notify), self, 0);
      }
  show_progress (self);
}

/* What has not finished is cancelled on the server: nobody would see it */
static void
cancel_unfinished (HordeStudioGridWindow *self)
{
  for (guint i = 0; i < self->cell_jobs->len; i++)
    {
      HordeStudioJob *job = self->cell_jobs->pdata[i];

      g_object_set_data (G_OBJECT (job), "horde-studio-grid-window", NULL);
      if (!horde_studio_job_is_ended (job))
        horde_studio_jobs_cancel (self->jobs, job);
    }
}

/* ---- export ------------------------------------------------------------ */

static void
exported (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HordeStudioGridWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (horde_studio_grid_view_export_finish (HORDE_STUDIO_GRID_VIEW (object), result, &error))
    text = g_strdup (_("Grid exported"));
  else
    /* TRANSLATORS: %s says why */
    text = g_strdup_printf (_("The grid could not be exported: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, horde_studio_toast_new (text));
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  HordeStudioGridWindow *self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    horde_studio_grid_view_export_async (self->grid_view, file, NULL, exported, g_object_ref (self));

  g_object_unref (dialog);
}

static void
export (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  HordeStudioGridWindow *self = HORDE_STUDIO_GRID_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GFile) folder = horde_studio_export_folder ();
  g_autofree char *name = horde_studio_export_name (horde_image_generate_async_request_get_prompt (self->base));
  g_autofree char *grid_name = NULL;

  dialog = gtk_file_chooser_native_new (_("Export Grid"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* in Pictures, named after the prompt, as an image of the gallery */
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  /* TRANSLATORS: the file name of an exported grid, "grid-a-red-fox.png" */
  grid_name = g_strdup_printf (_("grid-%s"), name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), grid_name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- values from lists ------------------------------------------------- */

static void
add_value (AdwEntryRow *row,
           GVariant    *parameter)
{
  const char *value = g_variant_get_string (parameter, NULL);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *joined = *text ? g_strdup_printf ("%s, %s", text, value) : g_strdup (value);

  gtk_editable_set_text (GTK_EDITABLE (row), joined);
}

static void
add_column_value (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  add_value (HORDE_STUDIO_GRID_WINDOW (widget)->column_values_row, parameter);
}

static void
add_row_value (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  add_value (HORDE_STUDIO_GRID_WINDOW (widget)->row_values_row, parameter);
}

static void
models_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioGridWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeActiveModelList) list = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;

  list = horde_client_send_status_models_all_request_finish (HORDE_CLIENT (object), result, &error);
  if (list == NULL)
    {
      g_debug ("No list of models for the grid: %s", error->message);
      return;
    }

  items = horde_active_model_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    {
      const char *name = horde_active_model_get_name (items[i]);

      /* bounded, as everything from a server: a name is one menu line */
      if (name != NULL && *name != '\0' && strlen (name) < 200 && g_utf8_validate (name, -1, NULL) &&
          !g_ptr_array_find_with_equal_func (self->models, name, g_str_equal, NULL))
        g_ptr_array_add (self->models, g_strdup (name));
    }
  g_ptr_array_sort (self->models, (GCompareFunc) g_strcmp0);
  if (!self->running)
    {
      update_choices (self, self->column_axis_row, self->column_choose_button, "grid.add-column-value");
      update_choices (self, self->row_axis_row, self->row_choose_button, "grid.add-row-value");
    }
}

/* ---- the window -------------------------------------------------------- */

/**
 * horde_studio_grid_window_new:
 * @parent: the main window
 * @jobs: the application's jobs, which run the grid’s requests
 * @base: the request every cell starts from (the compose pane's)
 *
 * Creates a comparison grid over @base: columns of seeds, rows of steps
 * until the user chooses otherwise.
 *
 * Returns: (transfer full): a new #HordeStudioGridWindow
 */
HordeStudioGridWindow *
horde_studio_grid_window_new (GtkWindow                      *parent,
                              HordeStudioJobs                *jobs,
                              HordeImageGenerateAsyncRequest *base)
{
  HordeStudioGridWindow *self;
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) request = NULL;
  const char * const *models;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (jobs), NULL);
  g_return_val_if_fail (base != NULL, NULL);

  self = g_object_new (HORDE_STUDIO_TYPE_GRID_WINDOW, "transient-for", parent, NULL);
  self->jobs = g_object_ref (jobs);
  self->client = g_object_ref (horde_studio_jobs_get_client (jobs));
  self->base = horde_image_generate_async_request_ref (base);

  /* the request's own model first, then those the Horde serves */
  models = horde_image_generate_async_request_get_models (base);
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    g_ptr_array_add (self->models, g_strdup (models[i]));
  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, "image");
  request = horde_status_models_all_request_builder_end (builder, NULL);
  horde_client_send_status_models_all_request_async (self->client, request, NULL, models_loaded, g_object_ref (self));

  update (self);
  return self;
}

/**
 * horde_studio_grid_window_set_axes:
 * @self: a #HordeStudioGridWindow
 * @column_axis: what varies from column to column
 * @column_values: its values, separated by commas
 * @row_axis: what varies from row to row
 * @row_values: its values, separated by commas
 *
 * Sets the axes as the user would, in the window's fields.
 */
void
horde_studio_grid_window_set_axes (HordeStudioGridWindow *self,
                                   HordeStudioGridAxis    column_axis,
                                   const char            *column_values,
                                   HordeStudioGridAxis    row_axis,
                                   const char            *row_values)
{
  g_return_if_fail (HORDE_STUDIO_IS_GRID_WINDOW (self));

  adw_combo_row_set_selected (self->column_axis_row, column_axis);
  gtk_editable_set_text (GTK_EDITABLE (self->column_values_row), column_values);
  adw_combo_row_set_selected (self->row_axis_row, row_axis);
  gtk_editable_set_text (GTK_EDITABLE (self->row_values_row), row_values);
}

/**
 * horde_studio_grid_window_get_plan:
 * @self: a #HordeStudioGridWindow
 *
 * Returns: (transfer none) (nullable): the plan of the axes as they are, or
 *   %NULL while they cannot make a grid
 */
HordeStudioGridPlan *
horde_studio_grid_window_get_plan (HordeStudioGridWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_WINDOW (self), NULL);
  return self->plan;
}

/**
 * horde_studio_grid_window_get_job:
 * @self: a #HordeStudioGridWindow
 * @column: a column
 * @row: a row
 *
 * Returns: (transfer none) (nullable): the job of a cell, once the grid runs
 */
HordeStudioJob *
horde_studio_grid_window_get_job (HordeStudioGridWindow *self,
                                  guint                  column,
                                  guint                  row)
{
  guint i;

  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_WINDOW (self), NULL);

  if (self->plan == NULL || column >= horde_studio_grid_plan_get_n_columns (self->plan))
    return NULL;
  i = row * horde_studio_grid_plan_get_n_columns (self->plan) + column;
  return i < self->cell_jobs->len ? self->cell_jobs->pdata[i] : NULL;
}

/**
 * horde_studio_grid_window_get_grid_view:
 * @self: a #HordeStudioGridWindow
 *
 * Returns: (transfer none): the labelled grid
 */
HordeStudioGridView *
horde_studio_grid_window_get_grid_view (HordeStudioGridWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_WINDOW (self), NULL);
  return self->grid_view;
}

/**
 * horde_studio_grid_window_get_summary:
 * @self: a #HordeStudioGridWindow
 *
 * Returns: (transfer none): the line under the axes: a problem, or
 *   "4 images · about 52 kudos"
 */
const char *
horde_studio_grid_window_get_summary (HordeStudioGridWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_WINDOW (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

static gboolean
horde_studio_grid_window_close_request (GtkWindow *window)
{
  cancel_unfinished (HORDE_STUDIO_GRID_WINDOW (window));
  return GTK_WINDOW_CLASS (horde_studio_grid_window_parent_class)->close_request (window);
}

static void
horde_studio_grid_window_dispose (GObject *object)
{
  HordeStudioGridWindow *self = HORDE_STUDIO_GRID_WINDOW (object);

  g_clear_handle_id (&self->estimate_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->jobs != NULL)
    cancel_unfinished (self);
  g_ptr_array_set_size (self->cell_jobs, 0);
  g_clear_object (&self->plan);
  g_clear_object (&self->jobs);
  g_clear_object (&self->client);
  g_clear_pointer (&self->base, horde_image_generate_async_request_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_GRID_WINDOW);

  G_OBJECT_CLASS (horde_studio_grid_window_parent_class)->dispose (object);
}

static void
horde_studio_grid_window_finalize (GObject *object)
{
  HordeStudioGridWindow *self = HORDE_STUDIO_GRID_WINDOW (object);

  g_ptr_array_unref (self->cell_jobs);
  g_ptr_array_unref (self->models);
  g_array_unref (self->shape_kudos);
  g_free (self->estimate);

  G_OBJECT_CLASS (horde_studio_grid_window_parent_class)->finalize (object);
}

static void
horde_studio_grid_window_class_init (HordeStudioGridWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = horde_studio_grid_window_dispose;
  object_class->finalize = horde_studio_grid_window_finalize;
  window_class->close_request = horde_studio_grid_window_close_request;

  g_type_ensure (HORDE_STUDIO_TYPE_GRID_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-grid-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, axes_clamp);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, column_axis_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, column_values_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, column_choose_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, row_axis_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, row_values_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, row_choose_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGridWindow, grid_view);

  gtk_widget_class_install_action (widget_class, "grid.run", NULL, run);
  gtk_widget_class_install_action (widget_class, "grid.export", NULL, export);
  gtk_widget_class_install_action (widget_class, "grid.add-column-value", "s", add_column_value);
  gtk_widget_class_install_action (widget_class, "grid.add-row-value", "s", add_row_value);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
horde_studio_grid_window_init (HordeStudioGridWindow *self)
{
  g_autoptr(GtkStringList) axes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cell_jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->models = g_ptr_array_new_with_free_func (g_free);
  self->shape_kudos = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < HORDE_STUDIO_GRID_N_AXES; i++)
    gtk_string_list_append (axes, horde_studio_grid_axis_get_title (i));
  adw_combo_row_set_model (self->column_axis_row, G_LIST_MODEL (axes));
  adw_combo_row_set_model (self->row_axis_row, G_LIST_MODEL (axes));
  adw_combo_row_set_selected (self->column_axis_row, HORDE_STUDIO_GRID_AXIS_SEED);
  adw_combo_row_set_selected (self->row_axis_row, HORDE_STUDIO_GRID_AXIS_STEPS);

  g_signal_connect_swapped (self->column_axis_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->row_axis_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->column_values_row, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->row_values_row, "changed", G_CALLBACK (update), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.run", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.export", FALSE);
}

/* horde-studio-workers-page.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "horde-studio-messages.h"
#include "horde-studio-worker-item.h"
#include "horde-studio-worker-lists.h"
#include "horde-studio-worker-row.h"
#include "horde-studio-worker-view.h"
#include "horde-studio-workers-page.h"

/* The "Workers" page: the Horde's workers ("All": /v2/workers of one type
 * or all, searched by name or model here), the user's own ("Mine":
 * find_user's worker_ids, then /v2/workers/{id} each, with the
 * maintenance switch the owner may use and the pause switch a moderator
 * may), and the workers image requests always or never go to ("Lists",
 * kept in the settings). Picking a worker shows its details on a page of
 * their own, with "Always Use" and "Never Use". The lists load the first
 * time they are shown, and again on Refresh. */
struct _HordeStudioWorkersPage
{
  GtkWidget parent_instance;

  GtkStack *views;
  GtkStack *sections;
  GtkToggleButton *all_toggle;
  GtkToggleButton *mine_toggle;
  GtkToggleButton *lists_toggle;
  GtkSearchEntry *search_entry;
  GtkDropDown *type_dropdown;
  GtkStack *all_stack;
  GtkSpinner *all_spinner;
  AdwStatusPage *all_status;
  GtkWidget *all_retry;
  GtkListView *list_view;
  GtkStack *mine_stack;
  GtkSpinner *mine_spinner;
  AdwStatusPage *mine_status;
  GtkLabel *mine_message;
  GtkBox *mine_box;
  AdwPreferencesGroup *allow_group;
  AdwPreferencesGroup *block_group;
  HordeStudioWorkerView *worker_view;

  HordeClient *client;
  HordeStudioConnection *connection;
  GSettings *settings;
  GListStore *store;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  GCancellable *all_cancellable;
  GCancellable *mine_cancellable;
  GPtrArray *list_rows;        /* the Lists section's rows, to remove */
  gboolean all_asked;
  gboolean all_failed;
  gboolean all_offline;        /* failed for want of the Horde: asked again when it is back */
  gboolean mine_asked;
};

G_DEFINE_FINAL_TYPE (HordeStudioWorkersPage, horde_studio_workers_page, GTK_TYPE_WIDGET)

/* The most workers of the user's asked for: trusted users may run 20 by
 * default (horde/apis/v2/base.py, TooManyWorkersTrusted) */
#define MAX_MINE 100

/* ---- All ------------------------------------------------------------ */

static void
show_all_message (HordeStudioWorkersPage *self,
                  const char             *icon,
                  const char             *title,
                  const char             *description,
                  gboolean                retry)
{
  gtk_spinner_stop (self->all_spinner);
  adw_status_page_set_icon_name (self->all_status, icon);
  adw_status_page_set_title (self->all_status, title);
  adw_status_page_set_description (self->all_status, description);
  gtk_widget_set_visible (self->all_retry, retry);
  gtk_stack_set_visible_child_name (self->all_stack, "message");
}

/* What the list shows: the workers, or why there are none */
static void
update_all (HordeStudioWorkersPage *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (n_shown > 0)
    {
      gtk_spinner_stop (self->all_spinner);
      gtk_stack_set_visible_child_name (self->all_stack, "list");
    }
  else if (n_all > 0)
    show_all_message (self, "system-search-symbolic", _("No Workers Found"),
                      _("No worker of this type has this name or model."), FALSE);
  else
    show_all_message (self, "system-search-symbolic", _("No Workers"),
                      _("The Horde has no worker of this type at the moment."), FALSE);
}

static char *
describe_problem (HordeStudioWorkersPage *self,
                  const GError           *error)
{
  g_autofree char *hint = NULL;
  g_autofree char *text = horde_studio_describe_error_for (error, TRUE, &hint);

  if (hint != NULL)
    return g_strdup_printf ("%s %s", text, hint);
  return g_steal_pointer (&text);
}

static void
all_loaded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeWorkerDetailsList) list = horde_client_send_all_workers_details_request_finish (HORDE_CLIENT (source),
                                                                                                  result, &error);
  HordeStudioWorkersPage *self;
  g_autoptr(GPtrArray) items = NULL;
  gsize n = 0;
  HordeWorkerDetails * const *workers;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (list == NULL)
    {
      g_autofree char *text = describe_problem (self, error);

      self->all_offline = self->connection != NULL && horde_studio_connection_report (self->connection, error);
      self->all_failed = TRUE;
      g_list_store_remove_all (self->store);
      show_all_message (self, "dialog-error-symbolic", _("Could Not Load the Workers"), text, TRUE);
      return;
    }
  if (self->connection != NULL)
    horde_studio_connection_report (self->connection, NULL);
  self->all_failed = FALSE;
  self->all_offline = FALSE;
  workers = horde_worker_details_list_get_items (list, &n);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (gsize i = 0; i < n; i++)
    if (workers[i] != NULL)
      g_ptr_array_add (items, horde_studio_worker_item_new (workers[i]));
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  update_all (self);
}

/* @forced: asked for (Refresh, Try Again), even while the Horde seems
 * out of reach */
static void
load_all (HordeStudioWorkersPage *self,
          gboolean                forced)
{
  static const HordeWorkerType kinds[] = {
    HORDE_WORKER_TYPE_UNKNOWN, HORDE_WORKER_TYPE_IMAGE, HORDE_WORKER_TYPE_TEXT, HORDE_WORKER_TYPE_INTERROGATION,
  };
  g_autoptr(HordeAllWorkersDetailsRequestBuilder) builder = horde_all_workers_details_request_builder_new ();
  g_autoptr(HordeAllWorkersDetailsRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (self->type_dropdown);

  if (self->client == NULL)
    return;
  self->all_asked = TRUE;
  g_cancellable_cancel (self->all_cancellable);
  g_clear_object (&self->all_cancellable);

  if (!forced && self->connection != NULL && !horde_studio_connection_get_reachable (self->connection))
    {
      const char *problem = horde_studio_connection_get_problem (self->connection);

      self->all_failed = TRUE;
      self->all_offline = TRUE;
      show_all_message (self, "network-offline-symbolic", _("Offline"),
                        problem ? problem : _("Could not reach the Horde."), TRUE);
      return;
    }

  if (selected < G_N_ELEMENTS (kinds) && kinds[selected] != HORDE_WORKER_TYPE_UNKNOWN)
    horde_all_workers_details_request_builder_set_kind_enum (builder, kinds[selected]);
  request = horde_all_workers_details_request_builder_end (builder, &error);
  g_return_if_fail (request != NULL);

  self->all_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->all_spinner);
  gtk_stack_set_visible_child_name (self->all_stack, "loading");
  horde_client_send_all_workers_details_request_async (self->client, request, self->all_cancellable,
                                                       all_loaded, self);
}

static gboolean
matches (gpointer item,
         gpointer user_data)
{
  HordeStudioWorkersPage *self = user_data;
  HordeWorkerDetails *worker = horde_studio_worker_item_get_details (item);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *query = NULL;
  const char * const *models;

  if (text == NULL || *text == '\0')
    return TRUE;
  query = g_utf8_casefold (text, -1);
  {
    g_autofree char *name = g_utf8_casefold (horde_worker_details_get_name (worker) ? horde_worker_details_get_name (worker) : "", -1);

    if (strstr (name, query) != NULL)
      return TRUE;
  }
  models = horde_worker_details_get_kind_enum (worker) == HORDE_WORKER_TYPE_INTERROGATION
    ? horde_worker_details_get_forms (worker) : horde_worker_details_get_models (worker);
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    {
      g_autofree char *model = g_utf8_casefold (models[i], -1);

      if (strstr (model, query) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
search_changed (HordeStudioWorkersPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (!self->all_failed && self->all_asked &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->all_stack), "loading") != 0)
    update_all (self);
}

static void
type_changed (HordeStudioWorkersPage *self)
{
  if (self->all_asked)
    load_all (self, TRUE);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, horde_studio_worker_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  HordeStudioWorkerItem *item = gtk_list_item_get_item (list_item);

  horde_studio_worker_row_set_worker (HORDE_STUDIO_WORKER_ROW (gtk_list_item_get_child (list_item)),
                                      horde_studio_worker_item_get_details (item));
}

static void
row_activated (GtkListView            *view,
               guint                   position,
               HordeStudioWorkersPage *self)
{
  g_autoptr(HordeStudioWorkerItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    horde_studio_workers_page_show_worker (self, horde_studio_worker_item_get_details (item));
}

/* ---- Mine ----------------------------------------------------------- */

typedef struct {
  HordeStudioWorkersPage *self;   /* valid while cancellable is not cancelled */
  GCancellable *cancellable;
  GPtrArray *workers;             /* HordeWorkerDetails, or NULL when it failed */
  GError *error;                  /* the first failure */
  guint pending;
  gboolean moderator;
} MineLoad;

static void
mine_load_free (MineLoad *load)
{
  g_clear_object (&load->cancellable);
  g_clear_pointer (&load->workers, g_ptr_array_unref);
  g_clear_error (&load->error);
  g_free (load);
}

static void
show_mine_message (HordeStudioWorkersPage *self,
                   const char             *icon,
                   const char             *title,
                   const char             *description)
{
  gtk_spinner_stop (self->mine_spinner);
  adw_status_page_set_icon_name (self->mine_status, icon);
  adw_status_page_set_title (self->mine_status, title);
  adw_status_page_set_description (self->mine_status, description);
  gtk_stack_set_visible_child_name (self->mine_stack, "message");
}

static void
say_mine (HordeStudioWorkersPage *self,
          const char             *text)
{
  gtk_label_set_text (self->mine_message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->mine_message), text != NULL && *text != '\0');
}

typedef struct {
  GWeakRef self;
  GtkSwitch *toggle;
  char *name;
  gboolean paused;                /* the pause switch, not the maintenance one */
  gboolean value;
} Toggle;

static void
toggle_free (Toggle *toggle)
{
  g_weak_ref_clear (&toggle->self);
  g_clear_object (&toggle->toggle);
  g_free (toggle->name);
  g_free (toggle);
}

/* What an owner or a moderator reads when the Horde refuses the change:
 * the server's NotOwner and NotModerator (horde/exceptions.py) say "Sod
 * off!" and "BTFO!", which are not for showing */
static char *
describe_toggle_error (const GError *error,
                       const char   *name,
                       gboolean      paused)
{
  const char *rc = error->domain == HORDE_ERROR ? horde_error_get_rc (error) : NULL;

  if (g_strcmp0 (rc, "NotOwner") == 0)
    /* TRANSLATORS: %s is the worker's name */
    return g_strdup_printf (_("Only the worker’s owner can put “%s” in maintenance: this API key is not its owner’s."), name);
  if (g_strcmp0 (rc, "NotModerator") == 0)
    /* TRANSLATORS: %s is the worker's name */
    return g_strdup_printf (_("Only a moderator of the Horde can pause or resume “%s”."), name);
  if (error->domain == HORDE_ERROR && error->code == HORDE_ERROR_FORBIDDEN)
    return g_strdup_printf (paused ? _("The Horde does not let this API key pause or resume “%s”.")
                                   : _("The Horde does not let this API key put “%s” in maintenance."), name);
  {
    g_autofree char *hint = NULL;
    g_autofree char *text = horde_studio_describe_error_for (error, TRUE, &hint);

    return hint ? g_strdup_printf ("%s %s", text, hint) : g_steal_pointer (&text);
  }
}

static void
toggled (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Toggle *toggle = user_data;
  g_autoptr(HordeStudioWorkersPage) self = g_weak_ref_get (&toggle->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeModifyWorker) answer = horde_client_send_modify_worker_request_finish (HORDE_CLIENT (source),
                                                                                        result, &error);

  if (answer != NULL)
    {
      gboolean value = toggle->paused ? horde_modify_worker_get_paused (answer)
                                      : horde_modify_worker_get_maintenance (answer);

      gtk_switch_set_state (toggle->toggle, value);
      gtk_switch_set_active (toggle->toggle, value);
      if (self != NULL)
        say_mine (self, NULL);
    }
  else
    {
      /* back to what the Horde has */
      gtk_switch_set_active (toggle->toggle, gtk_switch_get_state (toggle->toggle));
      if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = describe_toggle_error (error, toggle->name, toggle->paused);

          say_mine (self, text);
        }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (toggle->toggle), TRUE);
  toggle_free (toggle);
}

static gboolean
switch_state_set (GtkSwitch *toggle,
                  gboolean   state,
                  gpointer   user_data)
{
  HordeStudioWorkersPage *self = user_data;
  HordeWorkerDetails *worker = g_object_get_data (G_OBJECT (toggle), "worker");
  gboolean paused = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toggle), "paused"));
  g_autoptr(HordeModifyWorkerRequestBuilder) builder = horde_modify_worker_request_builder_new ();
  g_autoptr(HordeModifyWorkerRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  Toggle *data;

  if (state == gtk_switch_get_state (toggle))
    return FALSE;
  horde_modify_worker_request_builder_set_worker_id (builder, horde_worker_details_get_id (worker));
  if (paused)
    horde_modify_worker_request_builder_set_paused (builder, state);
  else
    horde_modify_worker_request_builder_set_maintenance (builder, state);
  request = horde_modify_worker_request_builder_end (builder, &error);
  if (request == NULL)
    {
      g_autofree char *text = describe_toggle_error (error, "?", paused);

      say_mine (self, text);
      /* back where it was: the Horde was not asked */
      gtk_switch_set_active (toggle, gtk_switch_get_state (toggle));
      return TRUE;
    }

  data = g_new0 (Toggle, 1);
  g_weak_ref_init (&data->self, self);
  data->toggle = g_object_ref (toggle);
  data->name = horde_studio_worker_describe_name (worker);
  data->paused = paused;
  data->value = state;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  say_mine (self, NULL);
  horde_client_send_modify_worker_request_async (self->client, request, self->mine_cancellable, toggled, data);
  /* the switch shows the new position; its state follows the Horde's answer */
  return TRUE;
}

static GtkWidget *
switch_row (HordeStudioWorkersPage *self,
            HordeWorkerDetails     *worker,
            const char             *title,
            const char             *subtitle,
            gboolean                paused,
            gboolean                value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_state (GTK_SWITCH (toggle), value);
  gtk_widget_set_name (toggle, paused ? "paused-switch" : "maintenance-switch");
  g_object_set_data_full (G_OBJECT (toggle), "worker", horde_worker_details_ref (worker),
                          (GDestroyNotify) horde_worker_details_unref);
  g_object_set_data (G_OBJECT (toggle), "paused", GINT_TO_POINTER (paused));
  g_signal_connect (toggle, "state-set", G_CALLBACK (switch_state_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static void
mine_row_activated (AdwActionRow           *row,
                    HordeStudioWorkersPage *self)
{
  horde_studio_workers_page_show_worker (self, g_object_get_data (G_OBJECT (row), "worker"));
}

static void
show_mine (HordeStudioWorkersPage *self,
           MineLoad               *load)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mine_box))))
    gtk_box_remove (self->mine_box, child);
  say_mine (self, NULL);

  for (guint i = 0; i < load->workers->len; i++)
    {
      HordeWorkerDetails *worker = g_ptr_array_index (load->workers, i);
      GtkWidget *list, *row;
      g_autofree char *name = NULL;
      g_autofree char *summary = NULL;

      if (worker == NULL)
        continue;
      name = horde_studio_worker_describe_name (worker);
      summary = horde_studio_worker_describe_summary (worker);
      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_set_name (list, "mine-worker");

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "worker", horde_worker_details_ref (worker),
                              (GDestroyNotify) horde_worker_details_unref);
      g_signal_connect (row, "activated", G_CALLBACK (mine_row_activated), self);
      gtk_list_box_append (GTK_LIST_BOX (list), row);

      gtk_list_box_append (GTK_LIST_BOX (list),
                           switch_row (self, worker, _("Maintenance"),
                                       _("Finishes its current jobs, then takes no new ones"),
                                       FALSE, horde_worker_details_get_maintenance_mode (worker)));
      if (load->moderator)
        gtk_list_box_append (GTK_LIST_BOX (list),
                             switch_row (self, worker, _("Paused"),
                                         _("The Horde gives it no jobs; moderators only"),
                                         TRUE, horde_worker_details_get_paused (worker)));
      gtk_box_append (self->mine_box, list);
      shown++;
    }

  if (load->error != NULL)
    {
      g_autofree char *text = describe_problem (self, load->error);
      g_autofree char *line = g_strdup_printf (_("Some of your workers could not be loaded: %s"), text);

      if (shown == 0)
        {
          show_mine_message (self, "dialog-error-symbolic", _("Could Not Load Your Workers"), text);
          return;
        }
      say_mine (self, line);
    }
  gtk_spinner_stop (self->mine_spinner);
  gtk_stack_set_visible_child_name (self->mine_stack, "list");
}

typedef struct {
  MineLoad *load;
  guint index;
} MineWorker;

static void
mine_load_done_one (MineLoad *load)
{
  if (--load->pending > 0)
    return;
  if (!g_cancellable_is_cancelled (load->cancellable))
    show_mine (load->self, load);
  mine_load_free (load);
}

static void
mine_worker_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MineWorker *one = user_data;
  MineLoad *load = one->load;
  g_autoptr(GError) error = NULL;
  HordeWorkerDetails *worker = horde_client_send_single_worker_details_request_finish (HORDE_CLIENT (source),
                                                                                        result, &error);

  if (worker != NULL)
    g_ptr_array_index (load->workers, one->index) = worker;
  else if (load->error == NULL)
    load->error = g_steal_pointer (&error);
  g_free (one);
  mine_load_done_one (load);
}

static void
user_found (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  MineLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeUserDetails) user = horde_client_send_find_user_request_finish (HORDE_CLIENT (source), result, &error);
  HordeStudioWorkersPage *self = load->self;
  const char * const *ids;
  guint n;

  if (g_cancellable_is_cancelled (load->cancellable))
    {
      mine_load_free (load);
      return;
    }
  if (user == NULL)
    {
      g_autofree char *text = describe_problem (self, error);

      show_mine_message (self, "dialog-error-symbolic", _("Could Not Load Your Workers"), text);
      mine_load_free (load);
      return;
    }

  ids = horde_user_details_get_worker_ids (user);
  n = ids ? MIN (g_strv_length ((char **) ids), MAX_MINE) : 0;
  load->moderator = horde_user_details_get_moderator (user);
  if (n == 0)
    {
      show_mine_message (self, "system-users-symbolic", _("No Workers of Yours"),
                         _("The workers you run with this API key appear here, with their maintenance switch."));
      mine_load_free (load);
      return;
    }

  load->workers = g_ptr_array_new_full (n, (GDestroyNotify) horde_worker_details_unref);
  g_ptr_array_set_size (load->workers, n);
  /* one more than the requests: none ends the load before all are sent */
  load->pending = n + 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeSingleWorkerDetailsRequestBuilder) builder = horde_single_worker_details_request_builder_new ();
      g_autoptr(HordeSingleWorkerDetailsRequest) request = NULL;
      g_autoptr(GError) request_error = NULL;
      MineWorker *one;

      horde_single_worker_details_request_builder_set_worker_id (builder, ids[i]);
      request = horde_single_worker_details_request_builder_end (builder, &request_error);
      if (request == NULL)
        {
          /* an id the SDK refuses to put in a path: that worker failed */
          if (load->error == NULL)
            load->error = g_steal_pointer (&request_error);
          load->pending--;
          continue;
        }
      one = g_new0 (MineWorker, 1);
      one->load = load;
      one->index = i;
      horde_client_send_single_worker_details_request_async (self->client, request, load->cancellable,
                                                             mine_worker_loaded, one);
    }
  mine_load_done_one (load);
}

static void
load_mine (HordeStudioWorkersPage *self)
{
  g_autoptr(HordeFindUserRequestBuilder) builder = horde_find_user_request_builder_new ();
  g_autoptr(HordeFindUserRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *key;
  MineLoad *load;

  if (self->client == NULL)
    return;
  self->mine_asked = TRUE;
  g_cancellable_cancel (self->mine_cancellable);
  g_clear_object (&self->mine_cancellable);
  self->mine_cancellable = g_cancellable_new ();
  say_mine (self, NULL);

  key = horde_client_get_api_key (self->client);
  if (key == NULL || g_str_equal (key, HORDE_ANONYMOUS_API_KEY))
    {
      show_mine_message (self, "system-users-symbolic", _("No API Key"),
                         _("Set your API key in Preferences to see the workers you run."));
      return;
    }
  request = horde_find_user_request_builder_end (builder, &error);
  g_return_if_fail (request != NULL);

  load = g_new0 (MineLoad, 1);
  load->self = self;
  load->cancellable = g_object_ref (self->mine_cancellable);
  gtk_spinner_start (self->mine_spinner);
  gtk_stack_set_visible_child_name (self->mine_stack, "loading");
  horde_client_send_find_user_request_async (self->client, request, load->cancellable, user_found, load);
}

/* ---- Lists ---------------------------------------------------------- */

static void
remove_clicked (GtkButton              *button,
                HordeStudioWorkersPage *self)
{
  horde_studio_worker_lists_remove (self->settings, g_object_get_data (G_OBJECT (button), "key"),
                                    g_object_get_data (G_OBJECT (button), "id"));
}

static void
fill_list (HordeStudioWorkersPage *self,
           AdwPreferencesGroup    *group,
           const char             *key)
{
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) names = NULL;
  guint n = horde_studio_worker_lists_get (self->settings, key, &ids, &names);

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No workers"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->list_rows, g_object_ref (row));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *name = horde_studio_server_text (names[i]);
      g_autofree char *id = horde_studio_server_text (ids[i]);
      g_autofree char *tooltip = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : _("Unnamed worker"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id ? id : "");
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      tooltip = g_strdup_printf (_("Remove “%s”"), name ? name : "");
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_widget_set_name (remove, "list-remove");
      g_object_set_data (G_OBJECT (remove), "key", (gpointer) key);
      g_object_set_data_full (G_OBJECT (remove), "id", g_strdup (ids[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->list_rows, g_object_ref (row));
    }
}

static void
update_lists (HordeStudioWorkersPage *self)
{
  for (guint i = 0; i < self->list_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->list_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->list_rows, 0);
  if (self->settings == NULL)
    return;
  fill_list (self, self->allow_group, HORDE_STUDIO_WORKER_ALLOW_KEY);
  fill_list (self, self->block_group, HORDE_STUDIO_WORKER_BLOCK_KEY);
}

/* ---- the page ------------------------------------------------------- */

static void
section_toggled (GtkToggleButton        *button,
                 HordeStudioWorkersPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  gtk_stack_set_visible_child_name (self->sections,
                                    button == self->mine_toggle ? "mine" :
                                    button == self->lists_toggle ? "lists" : "all");
}

static void
section_changed (HordeStudioWorkersPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->sections);

  gtk_toggle_button_set_active (g_strcmp0 (name, "mine") == 0 ? self->mine_toggle :
                                g_strcmp0 (name, "lists") == 0 ? self->lists_toggle : self->all_toggle, TRUE);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (g_strcmp0 (name, "all") == 0 && !self->all_asked)
    load_all (self, FALSE);
  else if (g_strcmp0 (name, "mine") == 0 && !self->mine_asked)
    load_mine (self);
}

/* Back online: what failed for want of the Horde is asked again */
static void
connection_changed (HordeStudioWorkersPage *self)
{
  if (horde_studio_connection_get_reachable (self->connection) &&
      !horde_studio_connection_get_checking (self->connection) &&
      self->all_offline && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_all (self, FALSE);
}

/**
 * horde_studio_workers_page_refresh:
 * @self: the page
 *
 * Asks the Horde again for the workers of the section shown (the list
 * of all, or the user's own).
 */
void
horde_studio_workers_page_refresh (HordeStudioWorkersPage *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_WORKERS_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->sections), "mine") == 0)
    load_mine (self);
  else
    load_all (self, TRUE);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  horde_studio_workers_page_refresh (HORDE_STUDIO_WORKERS_PAGE (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HordeStudioWorkersPage *self = HORDE_STUDIO_WORKERS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->views, "main");
}

/**
 * horde_studio_workers_page_show_worker:
 * @self: the page
 * @worker: a worker's details
 *
 * Shows the details of @worker, on the page's own details view.
 */
void
horde_studio_workers_page_show_worker (HordeStudioWorkersPage *self,
                                       HordeWorkerDetails     *worker)
{
  g_return_if_fail (HORDE_STUDIO_IS_WORKERS_PAGE (self));
  g_return_if_fail (worker != NULL);

  horde_studio_worker_view_set_worker (self->worker_view, worker);
  gtk_stack_set_visible_child_name (self->views, "details");
}

/**
 * horde_studio_workers_page_show_section:
 * @self: the page
 * @name: "all", "mine" or "lists"
 *
 * Shows one section of the page (and loads it the first time).
 */
void
horde_studio_workers_page_show_section (HordeStudioWorkersPage *self,
                                        const char             *name)
{
  g_return_if_fail (HORDE_STUDIO_IS_WORKERS_PAGE (self));

  gtk_stack_set_visible_child_name (self->views, "main");
  gtk_stack_set_visible_child_name (self->sections, name);
}

/**
 * horde_studio_workers_page_get_model:
 * @self: the page
 *
 * Returns: (transfer none): the workers the "All" section lists, searched
 *   (#HordeStudioWorkerItem objects)
 */
GListModel *
horde_studio_workers_page_get_model (HordeStudioWorkersPage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WORKERS_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

/**
 * horde_studio_workers_page_setup:
 * @self: the page
 * @client: the client to the Horde
 * @connection: whether the Horde can be reached
 * @settings: the application's settings, where the lists are kept
 *
 * Gives the page what it works with. Nothing is asked of the Horde
 * before the page is shown.
 */
void
horde_studio_workers_page_setup (HordeStudioWorkersPage *self,
                                 HordeClient            *client,
                                 HordeStudioConnection  *connection,
                                 GSettings              *settings)
{
  g_return_if_fail (HORDE_STUDIO_IS_WORKERS_PAGE (self));

  g_set_object (&self->client, client);
  g_set_object (&self->connection, connection);
  g_set_object (&self->settings, settings);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify", G_CALLBACK (connection_changed), self, G_CONNECT_SWAPPED);
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_ALLOW_KEY,
                               G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_BLOCK_KEY,
                               G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
    }
  horde_studio_worker_view_set_settings (self->worker_view, settings);
  update_lists (self);
}

static void
horde_studio_workers_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (horde_studio_workers_page_parent_class)->map (widget);
  section_changed (HORDE_STUDIO_WORKERS_PAGE (widget));
}

static void
horde_studio_workers_page_dispose (GObject *object)
{
  HordeStudioWorkersPage *self = HORDE_STUDIO_WORKERS_PAGE (object);

  g_cancellable_cancel (self->all_cancellable);
  g_cancellable_cancel (self->mine_cancellable);
  g_clear_object (&self->all_cancellable);
  g_clear_object (&self->mine_cancellable);
  g_clear_pointer (&self->list_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), HORDE_STUDIO_TYPE_WORKERS_PAGE);
  g_clear_object (&self->filtered);
  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (horde_studio_workers_page_parent_class)->dispose (object);
}

static void
horde_studio_workers_page_class_init (HordeStudioWorkersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_workers_page_dispose;
  widget_class->map = horde_studio_workers_page_map;

  g_type_ensure (HORDE_STUDIO_TYPE_WORKER_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-workers-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, views);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, sections);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, all_toggle);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_toggle);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, lists_toggle);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, all_stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, all_spinner);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, all_status);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, all_retry);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_spinner);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_status);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_message);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, mine_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, allow_group);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, block_group);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWorkersPage, worker_view);

  gtk_widget_class_install_action (widget_class, "workers.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "workers.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "workers.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "workers.back", NULL);
}

static void
horde_studio_workers_page_init (HordeStudioWorkersPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->list_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->store = g_list_store_new (HORDE_STUDIO_TYPE_WORKER_ITEM);
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  /* the filter model owns the store and the filter */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->store), GTK_FILTER (self->filter));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (row_activated), self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect_swapped (self->type_dropdown, "notify::selected", G_CALLBACK (type_changed), self);
  g_signal_connect_swapped (self->sections, "notify::visible-child", G_CALLBACK (section_changed), self);
  g_signal_connect (self->all_toggle, "toggled", G_CALLBACK (section_toggled), self);
  g_signal_connect (self->mine_toggle, "toggled", G_CALLBACK (section_toggled), self);
  g_signal_connect (self->lists_toggle, "toggled", G_CALLBACK (section_toggled), self);
}

/* horde-studio-window.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-alchemy-page.h"
#include "horde-studio-application.h"
#include "horde-studio-grid-window.h"
#include "horde-studio-util.h"
#include "horde-studio-compose-state.h"
#include "horde-studio-text-page.h"
#include "horde-studio-window.h"
#include "horde-studio-workers-page.h"

/* The main window: "Create" (the compose pane beside the job list) and
 * "Gallery". Too narrow for the two panes side by side (a phone, a narrow
 * tile: the window goes down to 360 px), it shows the compose pane alone
 * and the job list on a page of its own, "Requests", which the switcher
 * bar at the bottom offers with the number of requests running. Closing
 * it with requests running asks once whether to cancel them on the server
 * or keep waiting. */
struct _HordeStudioWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwViewStack *stack;
  AdwLeaflet *leaflet;
  GtkWidget *compose_clamp;
  GtkBox *side_slot;
  GtkBox *requests_slot;
  AdwViewStackPage *requests_page;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  GtkWidget *offline_banner;
  GtkSpinner *connecting_spinner;
  GtkImage *offline_icon;
  GtkButton *try_button;
  HordeStudioCompose *compose;
  HordeStudioJobList *job_list;
  HordeStudioGalleryView *gallery_view;
  HordeStudioTextPage *text_page;
  HordeStudioWorkersPage *workers_page;
  HordeStudioAlchemyPage *alchemy_page;

  GSettings *settings;
  HordeStudioConnection *connection;
  HordeStudioJobs *jobs;
  gboolean closing;
  gboolean narrow;
  guint place_source;
};

G_DEFINE_FINAL_TYPE (HordeStudioWindow, horde_studio_window, ADW_TYPE_APPLICATION_WINDOW)

static void setup (HordeStudioWindow *self, HordeStudioApplication *app);

HordeStudioWindow *
horde_studio_window_new (HordeStudioApplication *application)
{
  HordeStudioWindow *self = g_object_new (HORDE_STUDIO_TYPE_WINDOW, "application", application, NULL);

  /* "application" is set after construction: the rest waits for it */
  setup (self, application);
  return self;
}

static HordeStudioApplication *
get_app (HordeStudioWindow *self)
{
  return HORDE_STUDIO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
submit (HordeStudioWindow              *self,
        HordeImageGenerateAsyncRequest *request)
{
  horde_studio_jobs_submit (horde_studio_application_get_jobs (get_app (self)), request);
}

static void
sending_changed (HordeStudioWindow *self)
{
  horde_studio_compose_set_sending (self->compose, horde_studio_jobs_get_sending (horde_studio_application_get_jobs (get_app (self))));
}

static void
load_request (HordeStudioWindow              *self,
              HordeImageGenerateAsyncRequest *request)
{
  horde_studio_compose_load_request (self->compose, request);
  horde_studio_window_show_page (self, "create");
  gtk_widget_grab_focus (GTK_WIDGET (horde_studio_compose_get_prompt_view (self->compose)));
}

static void
open_image (HordeStudioWindow *self,
            GObject           *item)
{
  horde_studio_window_show_page (self, "gallery");
  horde_studio_gallery_view_show_item (self->gallery_view, HORDE_STUDIO_GALLERY_ITEM (item));
}

/* The viewer's "Analyse…": its image on the "Analyse" page */
static void
analyse_shown (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HordeStudioWindow *self = HORDE_STUDIO_WINDOW (widget);
  HordeStudioImageViewer *viewer = horde_studio_gallery_view_get_viewer (self->gallery_view);
  HordeStudioGalleryItem *item = horde_studio_image_viewer_get_item (viewer);

  if (item == NULL)
    return;
  horde_studio_alchemy_page_set_item (self->alchemy_page, item);
  horde_studio_window_show_page (self, "analyse");
}

static void
close_response (AdwMessageDialog  *dialog,
                const char        *response,
                HordeStudioWindow *self)
{
  if (g_str_equal (response, "cancel"))
    horde_studio_application_cancel_and_quit (get_app (self));
}

static gboolean
horde_studio_window_close_request (GtkWindow *window)
{
  HordeStudioWindow *self = HORDE_STUDIO_WINDOW (window);
  HordeStudioApplication *app = get_app (self);
  /* the text and analysis pages' requests are jobs of the same client:
   * cancelling them all on the server (horde_client_cancel_all_async)
   * covers them too */
  guint running = horde_studio_jobs_get_n_unfinished (horde_studio_application_get_jobs (app)) +
                  horde_studio_text_page_get_n_running (self->text_page) +
                  (horde_studio_alchemy_page_get_job (self->alchemy_page) != NULL ? 1 : 0);
  GtkWidget *dialog;

  if (running == 0 || self->closing)
    return GTK_WINDOW_CLASS (horde_studio_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Cancel Running Requests?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "A request is still running on the Horde. Closing cancels it on the server, so that it spends no more kudos; what was made so far is kept.",
                                               "%u requests are still running on the Horde. Closing cancels them on the server, so that they spend no more kudos; what was made so far is kept.",
                                               running),
                                  running);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Waiting"),
                                    "cancel", _("_Cancel Requests and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* Lets the window go without asking: the application has dealt with the
 * running requests */
void
horde_studio_window_set_closing (HordeStudioWindow *self)
{
  self->closing = TRUE;
}

HordeStudioCompose *
horde_studio_window_get_compose (HordeStudioWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WINDOW (self), NULL);
  return self->compose;
}

HordeStudioJobList *
horde_studio_window_get_job_list (HordeStudioWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WINDOW (self), NULL);
  return self->job_list;
}

HordeStudioGalleryView *
horde_studio_window_get_gallery_view (HordeStudioWindow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WINDOW (self), NULL);
  return self->gallery_view;
}

void
horde_studio_window_show_page (HordeStudioWindow *self,
                               const char        *name)
{
  g_return_if_fail (HORDE_STUDIO_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
horde_studio_window_add_toast (HordeStudioWindow *self,
                               AdwToast          *toast)
{
  g_return_if_fail (HORDE_STUDIO_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_page (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  horde_studio_window_show_page (HORDE_STUDIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Until the server has answered or failed, the window says that it is
 * being reached; when it cannot be reached, it says so, and when the next
 * try is */
static void
connection_changed (HordeStudioWindow *self)
{
  HordeStudioConnection *connection = self->connection;
  gboolean reachable = horde_studio_connection_get_reachable (connection);
  gboolean checking = reachable && horde_studio_connection_get_checking (connection);
  guint retry_in = horde_studio_connection_get_retry_in (connection);
  g_autofree char *text = NULL;

  gtk_revealer_set_reveal_child (self->offline_revealer, !reachable || checking);
  gtk_widget_set_visible (GTK_WIDGET (self->connecting_spinner), checking);
  gtk_spinner_set_spinning (self->connecting_spinner, checking);
  gtk_widget_set_visible (GTK_WIDGET (self->offline_icon), !reachable);
  gtk_widget_set_visible (GTK_WIDGET (self->try_button), !reachable);
  if (!reachable)
    gtk_widget_add_css_class (GTK_WIDGET (self->offline_banner), "offline-banner");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offline_banner), "offline-banner");

  if (checking)
    {
      gtk_label_set_text (self->offline_label, _("Connecting to the Horde…"));
      return;
    }
  if (reachable)
    return;

  if (retry_in > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s Trying again in %u second.", "%s Trying again in %u seconds.", retry_in),
                            horde_studio_connection_get_problem (connection), retry_in);
  else
    text = g_strdup_printf (_("%s Trying again…"), horde_studio_connection_get_problem (connection));
  gtk_label_set_text (self->offline_label, text);
}

static void
retry_connection (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HordeStudioWindow *self = HORDE_STUDIO_WINDOW (widget);

  horde_studio_connection_retry_now (self->connection);
}

/* The job list goes where the width allows: beside the compose pane, or
 * on the "Requests" page. The width is known while the window allocates,
 * where the tree may not change: the move waits for the next idle. The
 * slot beside the compose pane keeps its width when empty, so the move
 * never changes the leaflet's mind, nor the window's. */
static gboolean
place_job_list (gpointer user_data)
{
  HordeStudioWindow *self = user_data;
  gboolean folded = self->narrow;
  GtkBox *slot = folded ? self->requests_slot : self->side_slot;
  GtkWidget *list = GTK_WIDGET (self->job_list);
  GtkWidget *parent = gtk_widget_get_parent (list);

  self->place_source = 0;
  if (parent != GTK_WIDGET (slot))
    {
      g_object_ref (list);
      gtk_box_remove (GTK_BOX (parent), list);
      gtk_box_append (slot, list);
      g_object_unref (list);
    }
  adw_view_stack_page_set_visible (self->requests_page, folded);
  if (folded)
    adw_leaflet_set_visible_child (self->leaflet, self->compose_clamp);
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "requests") == 0)
    adw_view_stack_set_visible_child_name (self->stack, "create");

  return G_SOURCE_REMOVE;
}

/* The width the leaflet needs to unfold: its children's side by side */
static int
unfolded_width (HordeStudioWindow *self)
{
  int width = 0;

  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->leaflet));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      int minimum = 0;

      if (gtk_widget_get_visible (page))
        gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      width += minimum;
    }
  return width;
}

/* The window decides on its width, rather than on the leaflet's folding:
 * the leaflet is not allocated while another page is shown, and the
 * "Requests" page follows the width too (the gallery's viewer decides on
 * its own width) */
static void
horde_studio_window_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  HordeStudioWindow *self = HORDE_STUDIO_WINDOW (widget);
  gboolean narrow;

  GTK_WIDGET_CLASS (horde_studio_window_parent_class)->size_allocate (widget, width, height, baseline);

  narrow = gtk_widget_get_width (GTK_WIDGET (self->stack)) < unfolded_width (self);
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->place_source == 0)
        self->place_source = g_idle_add (place_job_list, self);
    }
}

/* The number of requests running, on the "Requests" page's button */
static void
count_running (HordeStudioWindow *self)
{
  /* jobs end after the window has gone, when closing cancels them */
  if (self->jobs == NULL || self->requests_page == NULL)
    return;
  adw_view_stack_page_set_badge_number (self->requests_page, horde_studio_jobs_get_n_unfinished (self->jobs));
}

/* The comparison grid, over the request of the compose pane */
static void
compare (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  HordeStudioWindow *self = HORDE_STUDIO_WINDOW (widget);
  HordeImageGenerateAsyncRequest *base = horde_studio_compose_get_request (self->compose);

  if (base == NULL)
    {
      horde_studio_window_add_toast (self, horde_studio_toast_new (_("Finish the request on the Create page first: the grid starts from it.")));
      return;
    }
  gtk_window_present (GTK_WINDOW (horde_studio_grid_window_new (GTK_WINDOW (self),
                                                                horde_studio_application_get_jobs (get_app (self)),
                                                                base)));
}

static void
setup (HordeStudioWindow      *self,
       HordeStudioApplication *app)
{
  self->settings = g_object_ref (horde_studio_application_get_settings (app));
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  horde_studio_compose_apply_settings (self->compose, self->settings);
  {
    g_autofree char *state = horde_studio_compose_state_default_path ();
    horde_studio_compose_restore_state (self->compose, state);
  }
  self->connection = g_object_ref (horde_studio_application_get_connection (app));
  horde_studio_compose_set_connection (self->compose, self->connection);
  horde_studio_compose_set_client (self->compose, horde_studio_application_get_client (app));
  g_signal_connect_object (self->connection, "notify", G_CALLBACK (connection_changed), self, G_CONNECT_SWAPPED);
  connection_changed (self);
  /* the window says at once that the server is being reached, and soon
   * when it cannot be */
  horde_studio_connection_check (self->connection, horde_studio_application_get_client (app));
  horde_studio_job_list_set_jobs (self->job_list, horde_studio_application_get_jobs (app));
  self->jobs = g_object_ref (horde_studio_application_get_jobs (app));
  g_signal_connect_object (horde_studio_jobs_get_model (self->jobs), "items-changed",
                           G_CALLBACK (count_running), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->jobs, "job-ended",
                           G_CALLBACK (count_running), self, G_CONNECT_SWAPPED);
  count_running (self);
  horde_studio_gallery_view_set_gallery (self->gallery_view, horde_studio_application_get_gallery (app),
                                         self->toast_overlay);
  horde_studio_text_page_set_client (self->text_page, horde_studio_application_get_client (app), self->connection);
  {
    g_autoptr(HordeStudioTextHistory) text_history = horde_studio_text_history_get_default ();

    horde_studio_text_page_set_history (self->text_page, text_history);
  }
  horde_studio_workers_page_setup (self->workers_page, horde_studio_application_get_client (app),
                                   self->connection, self->settings);

  g_signal_connect_object (self->compose, "submit", G_CALLBACK (submit), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (horde_studio_application_get_jobs (app), "notify::sending",
                           G_CALLBACK (sending_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_list, "duplicate", G_CALLBACK (load_request), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_list, "open-image", G_CALLBACK (open_image), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gallery_view, "reuse", G_CALLBACK (load_request), self, G_CONNECT_SWAPPED);
  horde_studio_alchemy_page_set_client (self->alchemy_page, horde_studio_application_get_client (app));
  horde_studio_alchemy_page_set_gallery (self->alchemy_page, horde_studio_application_get_gallery (app));
  g_signal_connect_object (self->alchemy_page, "open-item", G_CALLBACK (open_image), self, G_CONNECT_SWAPPED);

  gtk_widget_grab_focus (GTK_WIDGET (horde_studio_compose_get_prompt_view (self->compose)));
}

static void
horde_studio_window_dispose (GObject *object)
{
  HordeStudioWindow *self = (HordeStudioWindow *)object;

  g_clear_handle_id (&self->place_source, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->connection);
  if (self->jobs != NULL)
    {
      g_signal_handlers_disconnect_by_data (horde_studio_jobs_get_model (self->jobs), self);
      g_signal_handlers_disconnect_by_data (self->jobs, self);
      g_clear_object (&self->jobs);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_WINDOW);

  G_OBJECT_CLASS (horde_studio_window_parent_class)->dispose (object);
}

static void
horde_studio_window_class_init (HordeStudioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = horde_studio_window_dispose;
  window_class->close_request = horde_studio_window_close_request;
  widget_class->size_allocate = horde_studio_window_size_allocate;

  g_type_ensure (HORDE_STUDIO_TYPE_COMPOSE);
  g_type_ensure (HORDE_STUDIO_TYPE_JOB_LIST);
  g_type_ensure (HORDE_STUDIO_TYPE_GALLERY_VIEW);
  g_type_ensure (HORDE_STUDIO_TYPE_TEXT_PAGE);
  g_type_ensure (HORDE_STUDIO_TYPE_WORKERS_PAGE);
  g_type_ensure (HORDE_STUDIO_TYPE_ALCHEMY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, compose_clamp);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, side_slot);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, requests_slot);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_icon);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, try_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, compose);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, gallery_view);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, text_page);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, workers_page);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, alchemy_page);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (widget_class, "win.retry-connection", NULL, retry_connection);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare);
  gtk_widget_class_install_action (widget_class, "win.analyse-shown", NULL, analyse_shown);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "create");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "gallery");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "write");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "analyse");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-page", "s", "workers");
  /* Ctrl+W closes the window, wherever the focus is, as the HIG has it for
   * a window without tabs or documents (the image viewer is a page of the
   * window, which Escape and Alt+Left leave); the close request still
   * asks about running requests. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
horde_studio_window_init (HordeStudioWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
#if DEVELOPMENT_PROFILE
  /* libadwaita's stripes: this is not the release */
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

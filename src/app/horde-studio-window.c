/* horde-studio-window.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-application.h"
#include "horde-studio-compose-state.h"
#include "horde-studio-window.h"

/* The main window: "Create" (the compose pane beside the job list) and
 * "Gallery". Closing it with requests running asks once whether to cancel
 * them on the server or keep waiting. */
struct _HordeStudioWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwViewStack *stack;
  GtkRevealer *offline_revealer;
  GtkLabel *offline_label;
  HordeStudioCompose *compose;
  HordeStudioJobList *job_list;
  HordeStudioGalleryView *gallery_view;

  GSettings *settings;
  HordeStudioConnection *connection;
  gboolean closing;
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
  guint running = horde_studio_jobs_get_n_unfinished (horde_studio_application_get_jobs (app));
  GtkWidget *dialog;

  if (running == 0 || self->closing)
    return GTK_WINDOW_CLASS (horde_studio_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Cancel Running Requests?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "A request is still running on the Horde. Closing cancels it on the server, so that it spends no more kudos; the images made so far are kept.",
                                               "%u requests are still running on the Horde. Closing cancels them on the server, so that they spend no more kudos; the images made so far are kept.",
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

/* The server cannot be reached: say so, and when the next try is */
static void
connection_changed (HordeStudioWindow *self)
{
  HordeStudioConnection *connection = self->connection;
  guint retry_in = horde_studio_connection_get_retry_in (connection);
  g_autofree char *text = NULL;

  gtk_revealer_set_reveal_child (self->offline_revealer, !horde_studio_connection_get_reachable (connection));
  if (horde_studio_connection_get_reachable (connection))
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
  horde_studio_job_list_set_jobs (self->job_list, horde_studio_application_get_jobs (app));
  horde_studio_gallery_view_set_gallery (self->gallery_view, horde_studio_application_get_gallery (app),
                                         self->toast_overlay);

  g_signal_connect_object (self->compose, "submit", G_CALLBACK (submit), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_list, "duplicate", G_CALLBACK (load_request), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_list, "open-image", G_CALLBACK (open_image), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gallery_view, "reuse", G_CALLBACK (load_request), self, G_CONNECT_SWAPPED);

  gtk_widget_grab_focus (GTK_WIDGET (horde_studio_compose_get_prompt_view (self->compose)));
}

static void
horde_studio_window_dispose (GObject *object)
{
  HordeStudioWindow *self = (HordeStudioWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->connection);
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

  g_type_ensure (HORDE_STUDIO_TYPE_COMPOSE);
  g_type_ensure (HORDE_STUDIO_TYPE_JOB_LIST);
  g_type_ensure (HORDE_STUDIO_TYPE_GALLERY_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, compose);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioWindow, gallery_view);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (widget_class, "win.retry-connection", NULL, retry_connection);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "create");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "gallery");
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

/* horde-studio-job-list.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-util.h"
#include "horde-studio-job-list.h"
#include "horde-studio-job-row.h"

/* The requests of the session, newest first, or a page that says how to
 * start when there are none. */
struct _HordeStudioJobList
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkListBox *list_box;
  GtkButton *clear_button;
  GtkButton *cancel_all_button;

  HordeStudioJobs *jobs;
};

G_DEFINE_FINAL_TYPE (HordeStudioJobList, horde_studio_job_list, GTK_TYPE_WIDGET)

enum {
  DUPLICATE,
  OPEN_IMAGE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
forward_duplicate (HordeStudioJobList             *self,
                   HordeImageGenerateAsyncRequest *request)
{
  g_signal_emit (self, signals [DUPLICATE], 0, request);
}

static void
forward_open_image (HordeStudioJobList *self,
                    GObject            *item)
{
  g_signal_emit (self, signals [OPEN_IMAGE], 0, item);
}

/* "Clear Finished" is there to press when a request has ended, "Cancel
 * All" while one runs */
static void
update_clear (HordeStudioJobList *self)
{
  GListModel *model = horde_studio_jobs_get_model (self->jobs);
  gboolean any_ended = FALSE;

  for (guint i = 0; !any_ended && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (model, i);

      any_ended = horde_studio_job_is_ended (job);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_all_button),
                            horde_studio_jobs_get_n_unfinished (self->jobs) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.clear-finished", any_ended);
  /* the button follows the action by hand: moved with the list (beside
   * the compose pane, or on a page of its own in a narrow window), a
   * button that follows it by its action name keeps the state from
   * before the move in GTK 4.8 */
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), any_ended);
}

static void
cancel_all_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     HordeStudioJobList *self)
{
  if (g_str_equal (response, "cancel") && self->jobs != NULL)
    horde_studio_jobs_cancel_all (self->jobs);
}

/* Each running request is cancelled as its row's Cancel does (on the
 * server, keeping the images made so far), and those waiting for their
 * turn leave the list. One goes at once; more ask first. */
static void
cancel_all_clicked (HordeStudioJobList *self)
{
  guint running;
  GtkWidget *dialog;

  if (self->jobs == NULL)
    return;
  running = horde_studio_jobs_get_n_unfinished (self->jobs);
  if (running <= 1)
    {
      horde_studio_jobs_cancel_all (self->jobs);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Cancel All Requests?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u request is still running on the Horde. Cancelling it stops it on the server, so that it spends no more kudos; the images made so far are kept.",
                                               "%u requests are still running on the Horde. Cancelling them stops them on the server, so that they spend no more kudos; the images made so far are kept.",
                                               running),
                                  running);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Waiting"),
                                    "cancel", _("C_ancel All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_all_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_clicked (HordeStudioJobList *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "jobs.clear-finished", NULL);
}

static void
clear_finished (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HordeStudioJobList *self = HORDE_STUDIO_JOB_LIST (widget);

  if (self->jobs != NULL)
    horde_studio_jobs_clear_finished (self->jobs);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HordeStudioJobList *self = user_data;
  GtkWidget *row = horde_studio_job_row_new (self->jobs, item);

  g_signal_connect_object (row, "duplicate", G_CALLBACK (forward_duplicate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "open-image", G_CALLBACK (forward_open_image), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (horde_studio_job_get_image_job (item), "notify::state",
                           G_CALLBACK (update_clear), self, G_CONNECT_SWAPPED);
  return row;
}

static void
count_changed (HordeStudioJobList *self)
{
  gboolean empty = g_list_model_get_n_items (horde_studio_jobs_get_model (self->jobs)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  update_clear (self);
}

void
horde_studio_job_list_set_jobs (HordeStudioJobList *self,
                                HordeStudioJobs    *jobs)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB_LIST (self));
  g_return_if_fail (self->jobs == NULL);

  self->jobs = g_object_ref (jobs);
  gtk_list_box_bind_model (self->list_box, horde_studio_jobs_get_model (jobs), create_row, self, NULL);
  g_signal_connect_object (horde_studio_jobs_get_model (jobs), "items-changed",
                           G_CALLBACK (count_changed), self, G_CONNECT_SWAPPED);
  /* a job counts as running until its images are in the gallery */
  g_signal_connect_object (jobs, "job-ended", G_CALLBACK (update_clear), self, G_CONNECT_SWAPPED);
  count_changed (self);
}

GtkListBox *
horde_studio_job_list_get_list_box (HordeStudioJobList *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_LIST (self), NULL);
  return self->list_box;
}

static void
horde_studio_job_list_dispose (GObject *object)
{
  HordeStudioJobList *self = (HordeStudioJobList *)object;

  horde_studio_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_JOB_LIST);
  g_clear_object (&self->jobs);

  G_OBJECT_CLASS (horde_studio_job_list_parent_class)->dispose (object);
}

static void
horde_studio_job_list_class_init (HordeStudioJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_job_list_dispose;

  signals [DUPLICATE] =
    g_signal_new ("duplicate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);
  signals [OPEN_IMAGE] =
    g_signal_new ("open-image", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-job-list.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobList, stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobList, list_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobList, clear_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobList, cancel_all_button);

  gtk_widget_class_install_action (widget_class, "jobs.clear-finished", NULL, clear_finished);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_all_clicked);
}

static void
horde_studio_job_list_init (HordeStudioJobList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.clear-finished", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_all_button), FALSE);

}

/* horde-studio-job-row.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-util.h"
#include "horde-studio-gallery-item.h"
#include "horde-studio-job-row.h"
#include "horde-studio-messages.h"

/* One request of the job list: what it asked for, where it is (state,
 * queue position, ETA, elapsed time, images finished, processing and
 * waiting), what the Horde warned about, its images once they are safe in
 * the gallery, and, when it failed, what went wrong and what fixes it. */
struct _HordeStudioJobRow
{
  GtkWidget parent_instance;

  GtkLabel *prompt_label;
  GtkLabel *details_label;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkLabel *warning_label;
  GtkLabel *error_label;
  GtkFlowBox *images_box;
  GtkButton *cancel_button;
  GtkButton *retry_button;
  GtkButton *duplicate_button;
  GtkButton *remove_button;

  HordeStudioJobs *jobs;
  HordeStudioJob *job;
  guint tick;

  /* the last answer of the server on the progress, and when it came (on
   * the monotonic clock): the time left counts down from it */
  HordeRequestStatusCheck *check;
  gint64 check_at;
};

G_DEFINE_FINAL_TYPE (HordeStudioJobRow, horde_studio_job_row, GTK_TYPE_WIDGET)

enum {
  DUPLICATE,
  OPEN_IMAGE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const char *
state_words (HordeJobState state)
{
  switch (state)
    {
    /* TRANSLATORS: the state of a request that waits for one of the
     * app's slots (Preferences: requests at once) before it is sent */
    case HORDE_JOB_STATE_NEW: return _("Waiting for its turn");
    case HORDE_JOB_STATE_SUBMITTING: return _("Sending");
    case HORDE_JOB_STATE_WAITING: return _("Queued");
    case HORDE_JOB_STATE_PROCESSING: return _("Generating");
    case HORDE_JOB_STATE_DOWNLOADING: return _("Downloading");
    case HORDE_JOB_STATE_CANCELLING: return _("Cancelling");
    case HORDE_JOB_STATE_DONE: return _("Done");
    case HORDE_JOB_STATE_CANCELLED: return _("Cancelled");
    case HORDE_JOB_STATE_FAILED: return _("Failed");
    default: return "";
    }
}

static char *
format_duration (gint64 usec)
{
  gint64 s = usec / G_USEC_PER_SEC;

  /* TRANSLATORS: a duration; keep the no-break spaces (U+00A0) between
   * each figure and its unit, so that "3 s" never wraps between them */
  if (s < 60)
    return g_strdup_printf (_("%d\u00a0s"), (int) s);
  /* TRANSLATORS: a duration; keep the no-break spaces (U+00A0) */
  return g_strdup_printf (_("%d\u00a0min %02d\u00a0s"), (int) (s / 60), (int) (s % 60));
}

/* Done, and the server gave nothing: the row says what the job said */
static gboolean
ended_empty (HordeStudioJobRow *self)
{
  HordeImageJob *job = horde_studio_job_get_image_job (self->job);

  return horde_image_job_get_state (job) == HORDE_JOB_STATE_DONE &&
         g_list_model_get_n_items (horde_image_job_get_images (job)) == 0;
}

/* What was asked for, under the prompt: "Deliberate · 512×768 · 2 images";
 * NULL for a request from an earlier session, whose settings are lost */
static char *
describe_request (HordeStudioJob *job)
{
  HordeImageGenerateAsyncRequest *request = horde_studio_job_get_request (job);
  HordeModelGenerationInputStable *params;
  const char * const *models;
  gint64 width = 512, height = 512, n = horde_studio_job_get_n_requested (job);
  g_autoptr(GString) text = NULL;

  if (request == NULL)
    return NULL;

  models = horde_image_generate_async_request_get_models (request);
  if (models == NULL || models[0] == NULL)
    /* TRANSLATORS: the model of a request that lets the Horde choose */
    text = g_string_new (_("Any model"));
  else if (models[1] == NULL)
    text = g_string_new (models[0]);
  else
    {
      guint others = g_strv_length ((GStrv) models) - 1;

      text = g_string_new (NULL);
      /* TRANSLATORS: the models of a request, "Deliberate or 2 others" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s or %u other", "%s or %u others", others),
                              models[0], others);
    }

  params = horde_image_generate_async_request_get_params (request);
  if (params != NULL && horde_model_generation_input_stable_has_width (params))
    width = horde_model_generation_input_stable_get_width (params);
  if (params != NULL && horde_model_generation_input_stable_has_height (params))
    height = horde_model_generation_input_stable_get_height (params);
  /* TRANSLATORS: an image's size in pixels, width × height */
  g_string_append_printf (text, _(" · %d×%d"), (int) width, (int) height);

  if (n > 0)
    /* TRANSLATORS: how many images a request asks for; keep the
     * no-break space (U+00A0) between the figure and its word */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %d\u00a0image", " · %d\u00a0images", n),
                            (int) MIN (n, G_MAXINT));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_status (HordeStudioJobRow *self)
{
  HordeImageJob *job = horde_studio_job_get_image_job (self->job);
  HordeJobState state = horde_image_job_get_state (job);
  gint64 requested = horde_studio_job_get_n_requested (self->job);
  gint64 finished = horde_image_job_get_finished (job);
  gint64 started = horde_studio_job_get_started (self->job);
  gint64 ended = horde_studio_job_get_ended (self->job);
  g_autoptr(GString) text = NULL;

  if (ended_empty (self))
    /* TRANSLATORS: the state of a request the Horde ended with no image */
    text = g_string_new (_("Ended without an image"));
  else
    text = g_string_new (state_words (state));

  if ((state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING) &&
      horde_image_job_get_last_check (job) != NULL)
    {
      g_autofree char *wait = NULL;

      if (horde_image_job_get_last_check (job) != self->check)
        {
          g_clear_pointer (&self->check, horde_request_status_check_unref);
          self->check = horde_request_status_check_ref (horde_image_job_get_last_check (job));
          self->check_at = g_get_monotonic_time ();
        }
      wait = horde_studio_describe_wait (horde_image_job_get_is_possible (job),
                                         horde_image_job_get_wait_time (job),
                                         (g_get_monotonic_time () - self->check_at) / G_USEC_PER_SEC,
                                         horde_image_job_get_processing (job));

      /* the place in the queue means something only while no worker
       * has taken the request up */
      if (state == HORDE_JOB_STATE_WAITING && horde_image_job_get_processing (job) == 0 &&
          horde_image_job_get_queue_position (job) > 0)
        g_string_append_printf (text, _(" · position %d in the queue"),
                                (int) horde_image_job_get_queue_position (job));
      g_string_append (text, wait);
      g_string_append_printf (text, _(" · %d finished, %d generating, %d waiting"),
                              (int) finished, (int) horde_image_job_get_processing (job), (int) horde_image_job_get_waiting (job));
    }

  if ((state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING || ended_empty (self)) &&
      horde_image_job_get_restarted (job) > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · restarted once", " · restarted %d times",
                                               horde_image_job_get_restarted (job)),
                            (int) horde_image_job_get_restarted (job));

  /* what it is expected to cost, from the answer that accepted it */
  if (!horde_studio_job_is_ended (self->job) && horde_image_job_get_submit_response (job) != NULL &&
      horde_request_async_has_kudos (horde_image_job_get_submit_response (job)))
    {
      g_autofree char *expected = horde_studio_describe_expected_cost (horde_request_async_get_kudos (horde_image_job_get_submit_response (job)),
                                                                       requested);

      if (expected != NULL)
        g_string_append (text, expected);
    }

  /* what it cost, once the charge is final */
  if (horde_studio_job_is_ended (self->job) && horde_studio_job_get_ended (self->job) > 0)
    {
      g_autofree char *cost = horde_studio_describe_cost (horde_image_job_get_kudos (job),
                                                          horde_studio_job_get_tax (self->job),
                                                          state == HORDE_JOB_STATE_CANCELLED,
                                                          g_list_model_get_n_items (horde_image_job_get_images (job)),
                                                          requested);

      if (cost != NULL)
        g_string_append (text, cost);
    }

  if (started > 0)
    {
      g_autofree char *elapsed = format_duration ((ended > 0 ? ended : g_get_monotonic_time ()) - started);

      if (ended > 0)
        /* TRANSLATORS: how long an ended request ran, "took 19 s" */
        g_string_append_printf (text, _(" · took %s"), elapsed);
      else
        /* TRANSLATORS: when a running request was sent, "sent 19 s ago" */
        g_string_append_printf (text, _(" · sent %s ago"), elapsed);
    }

  gtk_label_set_text (self->status_label, text->str);

  if (requested > 0)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   MIN (1.0, (double) g_list_model_get_n_items (horde_studio_job_get_images (self->job)) /
                                             requested * 0.2 + (double) finished / requested * 0.8));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !horde_studio_job_is_ended (self->job));
}

/* The warning the server gave that no worker can make the request, with
 * the time the Horde keeps it: libhorde's estimate while the job runs (20
 * minutes from its submission or from the last time a worker took up or
 * finished one of its images: the server's get_expiry_date()), else 20
 * minutes from its submission */
static void
append_no_worker (HordeStudioJobRow *self,
                  GString           *text,
                  const char        *server_message)
{
  GDateTime *submitted = horde_studio_job_get_submitted (self->job);
  GDateTime *expires_at = horde_job_get_expires_at (HORDE_JOB (horde_studio_job_get_image_job (self->job)));
  g_autofree char *words = horde_studio_server_text (server_message);

  if (words != NULL)
    {
      g_string_append (text, words);
      g_string_append_c (text, '\n');
    }
  if (expires_at != NULL || submitted != NULL)
    {
      g_autoptr(GDateTime) expiry = expires_at != NULL ? g_date_time_ref (expires_at)
                                                      : g_date_time_add_minutes (submitted, 20);
      g_autoptr(GDateTime) local = g_date_time_to_local (expiry);
      /* TRANSLATORS: a time of day, as strftime() writes it */
      g_autofree char *time = g_date_time_format (local, _("%H:%M"));

      /* TRANSLATORS: %s is a time of day, "14:20" */
      g_string_append_printf (text, _("The Horde keeps it until %s; it runs if a worker that can make it comes online."), time);
    }
  else
    g_string_append (text, _("The Horde keeps it for 20 minutes; it runs if a worker that can make it comes online."));
}

static void
update_warning (HordeStudioJobRow *self)
{
  HordeImageJob *job = horde_studio_job_get_image_job (self->job);
  HordeRequestAsync *answer = horde_image_job_get_submit_response (job);
  HordeRequestSingleWarning * const *warnings = NULL;
  gsize n_warnings = 0;
  const char *no_worker = NULL;
  gboolean ended = horde_studio_job_is_ended (self->job);
  g_autoptr(GString) text = g_string_new (NULL);

  if (answer != NULL)
    warnings = horde_request_async_get_warnings (answer, &n_warnings);
  for (gsize i = 0; i < n_warnings; i++)
    if (g_strcmp0 (horde_request_single_warning_get_code (warnings[i]), "NoAvailableWorker") == 0)
      no_worker = horde_request_single_warning_get_message (warnings[i]);

  if (horde_image_job_get_connection_error (job) != NULL)
    {
      g_autofree char *why = horde_studio_describe_error (horde_image_job_get_connection_error (job), NULL);

      g_string_append_printf (text, _("%s Asking again in a moment: the request is kept, and so are its images."), why);
    }
  else if (ended && horde_image_job_get_on_server (job) &&
           horde_image_job_get_state (job) == HORDE_JOB_STATE_CANCELLED)
    g_string_append (text, _("The Horde could not be told to stop this request. Its id is kept: the next start offers to cancel it."));
  else if (!ended && !horde_image_job_get_is_possible (job))
    {
      /* the server's own words when it gave them */
      if (no_worker == NULL)
        no_worker = _("No worker online can make this request now.");
      append_no_worker (self, text, no_worker);
    }

  /* the other warnings, in words: the request ran as sent all the same */
  for (gsize i = 0; i < n_warnings; i++)
    {
      const char *code = horde_request_single_warning_get_code (warnings[i]);
      g_autofree char *words = NULL;

      if (g_strcmp0 (code, "NoAvailableWorker") == 0)
        continue;
      words = horde_studio_describe_warning (code, horde_request_single_warning_get_message (warnings[i]));
      if (words == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, words);
    }

  gtk_label_set_text (self->warning_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), text->len > 0);
}

static void
update_error (HordeStudioJobRow *self)
{
  const char *message = horde_studio_job_get_error_message (self->job);
  const char *hint = horde_studio_job_get_error_hint (self->job);
  HordeJobState state = horde_image_job_get_state (horde_studio_job_get_image_job (self->job));

  if (message == NULL || state == HORDE_JOB_STATE_CANCELLED)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return;
    }

  {
    g_autofree char *text = hint ? g_strdup_printf ("%s\n%s", message, hint) : g_strdup (message);
    gtk_label_set_text (self->error_label, text);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

/* A button of the row that comes and goes stays in its slot (a stack,
 * of the button and an empty box as large): the others keep their places */
static void
offer_button (GtkButton *button,
              gboolean   offered)
{
  GtkStack *slot = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (button)));

  if (offered)
    gtk_stack_set_visible_child (slot, GTK_WIDGET (button));
  else
    gtk_stack_set_visible_child (slot, gtk_widget_get_first_child (GTK_WIDGET (slot)));
}

static void
update_actions (HordeStudioJobRow *self)
{
  gboolean ended = horde_studio_job_is_ended (self->job);
  HordeJobState state = horde_image_job_get_state (horde_studio_job_get_image_job (self->job));
  gboolean can_retry = ended && (state != HORDE_JOB_STATE_DONE || ended_empty (self));

  offer_button (self->cancel_button, !ended && state != HORDE_JOB_STATE_CANCELLING);
  offer_button (self->retry_button, can_retry);
  offer_button (self->remove_button, ended);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.cancel", !ended);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.retry", can_retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.remove", ended);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.duplicate",
                                 horde_studio_job_get_request (self->job) != NULL);
}

static gboolean
tick (gpointer user_data)
{
  HordeStudioJobRow *self = user_data;

  update_status (self);
  return G_SOURCE_CONTINUE;
}

static void
job_changed (HordeStudioJobRow *self)
{
  update_status (self);
  update_warning (self);
  update_error (self);
  update_actions (self);

  /* the elapsed time moves only while the job runs */
  if (horde_studio_job_is_ended (self->job) || horde_studio_job_get_ended (self->job) > 0)
    g_clear_handle_id (&self->tick, g_source_remove);
  else if (self->tick == 0 && horde_studio_job_get_started (self->job) > 0)
    self->tick = g_timeout_add_seconds (1, tick, self);
}

static void
image_activated (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 gpointer         user_data)
{
  HordeStudioJobRow *self = g_object_get_data (G_OBJECT (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture))), "row");
  GObject *item = user_data;

  g_signal_emit (self, signals [OPEN_IMAGE], 0, item);
}

/* The height of the images in a row, in pixels, and the widest a
 * panorama may be */
#define IMAGE_HEIGHT 96
#define IMAGE_MAX_WIDTH 192

static GtkWidget *
create_image (gpointer item,
              gpointer user_data)
{
  HordeStudioJobRow *self = user_data;
  const char *thumbnail = horde_studio_gallery_item_get_thumbnail_path (item);
  int image_width = horde_studio_gallery_item_get_width (item);
  int image_height = horde_studio_gallery_item_get_height (item);
  int width = IMAGE_HEIGHT, height = IMAGE_HEIGHT;
  GtkWidget *picture = gtk_picture_new_for_filename (thumbnail);
  GtkWidget *clamp_height = adw_clamp_new ();
  GtkWidget *clamp_width = adw_clamp_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  /* the whole image, as high as the row's images and as wide as its
   * shape makes it: a portrait is never cut to a quarter of its height */
  if (image_width > 0 && image_height > 0)
    {
      width = MAX (1, (int) ((double) IMAGE_HEIGHT * image_width / image_height + 0.5));
      if (width > IMAGE_MAX_WIDTH)
        {
          width = IMAGE_MAX_WIDTH;
          height = MAX (1, (int) ((double) IMAGE_MAX_WIDTH * image_height / image_width + 0.5));
        }
    }

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, width, height);
  gtk_widget_add_css_class (picture, "card");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (picture, "pointer");
  gtk_widget_set_tooltip_text (picture, _("Open in the gallery"));
  g_object_set_data (G_OBJECT (picture), "row", self);
  g_signal_connect_data (click, "released", G_CALLBACK (image_activated),
                         g_object_ref (item), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (click));

  /* the thumbnail file is larger (sharp on a HiDPI screen): the clamps
   * keep the picture to its size in the row */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (clamp_height), GTK_ORIENTATION_VERTICAL);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp_height), height);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp_height), height);
  adw_clamp_set_child (ADW_CLAMP (clamp_height), picture);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp_width), width);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp_width), width);
  adw_clamp_set_child (ADW_CLAMP (clamp_width), clamp_height);
  gtk_widget_set_halign (clamp_width, GTK_ALIGN_START);
  gtk_widget_set_valign (clamp_width, GTK_ALIGN_START);

  return clamp_width;
}

static void
images_changed (HordeStudioJobRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->images_box),
                          g_list_model_get_n_items (horde_studio_job_get_images (self->job)) > 0);
  update_status (self);
}

static void
job_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HordeStudioJobRow *self = HORDE_STUDIO_JOB_ROW (widget);

  if (g_str_equal (action_name, "job.cancel"))
    horde_studio_jobs_cancel (self->jobs, self->job);
  else if (g_str_equal (action_name, "job.retry"))
    horde_studio_jobs_retry (self->jobs, self->job);
  else if (g_str_equal (action_name, "job.remove"))
    horde_studio_jobs_remove (self->jobs, self->job);
  else if (g_str_equal (action_name, "job.duplicate"))
    g_signal_emit (self, signals [DUPLICATE], 0, horde_studio_job_get_request (self->job));
}

GtkWidget *
horde_studio_job_row_new (HordeStudioJobs *jobs,
                          HordeStudioJob  *job)
{
  HordeStudioJobRow *self = g_object_new (HORDE_STUDIO_TYPE_JOB_ROW, NULL);
  HordeImageJob *image_job = horde_studio_job_get_image_job (job);
  const char *prompt = horde_studio_job_get_prompt (job);
  g_autofree char *shown = NULL;
  g_autofree char *details = NULL;

  self->jobs = g_object_ref (jobs);
  self->job = g_object_ref (job);

  if (prompt == NULL)
    shown = g_strdup_printf (_("Request %s, from an earlier session"), horde_image_job_get_id (image_job));
  else
    {
      g_auto(GStrv) parts = g_strsplit (prompt, " ### ", 2);
      shown = g_strdup (parts[0]);
    }
  gtk_label_set_text (self->prompt_label, shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->prompt_label), prompt);
  details = describe_request (job);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL);

  g_signal_connect_object (image_job, "notify", G_CALLBACK (job_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify", G_CALLBACK (job_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (horde_studio_job_get_images (job), "items-changed",
                           G_CALLBACK (images_changed), self, G_CONNECT_SWAPPED);
  gtk_flow_box_bind_model (self->images_box, horde_studio_job_get_images (job), create_image, self, NULL);

  images_changed (self);
  job_changed (self);

  return GTK_WIDGET (self);
}

HordeStudioJob *
horde_studio_job_row_get_job (HordeStudioJobRow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_ROW (self), NULL);
  return self->job;
}

const char *
horde_studio_job_row_get_status_text (HordeStudioJobRow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_ROW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/**
 * horde_studio_job_row_get_details_text:
 * @self: a #HordeStudioJobRow
 *
 * What the row says the request asked for: its model, size and number of
 * images.
 *
 * Returns: (nullable): the text, or %NULL when the row does not know it
 */
const char *
horde_studio_job_row_get_details_text (HordeStudioJobRow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_ROW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->details_label)) ? gtk_label_get_text (self->details_label) : NULL;
}

const char *
horde_studio_job_row_get_error_text (HordeStudioJobRow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_ROW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

/**
 * horde_studio_job_row_get_n_thumbnails:
 * @self: a #HordeStudioJobRow
 *
 * How many thumbnails the row shows: one for each image of the job that is
 * safe in the gallery, as it arrives.
 *
 * Returns: the number of thumbnails
 */
guint
horde_studio_job_row_get_n_thumbnails (HordeStudioJobRow *self)
{
  guint n = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOB_ROW (self), 0);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->images_box)))
    return 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->images_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_FLOW_BOX_CHILD (child))
      n++;

  return n;
}

static void
horde_studio_job_row_dispose (GObject *object)
{
  HordeStudioJobRow *self = (HordeStudioJobRow *)object;

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_pointer (&self->check, horde_request_status_check_unref);
  horde_studio_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_JOB_ROW);
  g_clear_object (&self->job);
  g_clear_object (&self->jobs);

  G_OBJECT_CLASS (horde_studio_job_row_parent_class)->dispose (object);
}

static void
horde_studio_job_row_class_init (HordeStudioJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_job_row_dispose;

  signals [DUPLICATE] =
    g_signal_new ("duplicate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);
  signals [OPEN_IMAGE] =
    g_signal_new ("open-image", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-job-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, warning_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, images_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioJobRow, remove_button);

  gtk_widget_class_install_action (widget_class, "job.cancel", NULL, job_action);
  gtk_widget_class_install_action (widget_class, "job.retry", NULL, job_action);
  gtk_widget_class_install_action (widget_class, "job.remove", NULL, job_action);
  gtk_widget_class_install_action (widget_class, "job.duplicate", NULL, job_action);
}

static void
horde_studio_job_row_init (HordeStudioJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

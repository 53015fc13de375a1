/* horde-studio-jobs.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-jobs.h"

/* The job list: the requests of this session, newest first. At most
 * `concurrency` run on the Horde at once; the others wait here. Every image
 * goes into the gallery (on disk, indexed) before the list shows it, and the
 * id of every request on the server is kept in the gallery's index until
 * the request is gone from the server, so that nothing is lost to a crash:
 * the next start offers to fetch or cancel what was left. */

struct _HordeStudioJobs
{
  GObject parent_instance;

  HordeClient *client;
  HordeStudioGallery *gallery;
  HordeStudioConnection *connection;
  GListStore *jobs;
  guint concurrency;

  /* the last request sent, and when (monotonic): a repeat of it within
   * REPEAT_WINDOW_US is a second press of Ctrl+Enter, not a wish */
  HordeImageGenerateAsyncRequest *last_request;
  gint64 last_submit_time;
  gboolean sending;
};

/* How soon an identical request after another is taken as a repeated
 * press rather than as a wish for more images */
#define REPEAT_WINDOW_US (G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (HordeStudioJobs, horde_studio_jobs, G_TYPE_OBJECT)

enum {
  JOB_ENDED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_SENDING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* what the manager keeps about each job it runs */
typedef struct {
  HordeStudioJobs *jobs;          /* unowned: the manager outlives its runs */
  guint saving;                   /* images on their way into the gallery */
  gboolean run_ended;
  gboolean keep_pending;          /* the request may still be on the server */
} Run;

static GQuark run_quark;

static void start_waiting (HordeStudioJobs *self);

HordeStudioJobs *
horde_studio_jobs_new (HordeClient        *client,
                       HordeStudioGallery *gallery)
{
  HordeStudioJobs *self;

  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (gallery), NULL);

  self = g_object_new (HORDE_STUDIO_TYPE_JOBS, NULL);
  self->client = g_object_ref (client);
  self->gallery = g_object_ref (gallery);

  return self;
}

static void
horde_studio_jobs_finalize (GObject *object)
{
  HordeStudioJobs *self = (HordeStudioJobs *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->gallery);
  g_clear_object (&self->connection);
  g_clear_object (&self->jobs);
  g_clear_pointer (&self->last_request, horde_image_generate_async_request_unref);

  G_OBJECT_CLASS (horde_studio_jobs_parent_class)->finalize (object);
}

static void
horde_studio_jobs_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HordeStudioJobs *self = HORDE_STUDIO_JOBS (object);

  switch (prop_id)
    {
    case PROP_SENDING:
      g_value_set_boolean (value, self->sending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_jobs_class_init (HordeStudioJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_jobs_finalize;
  object_class->get_property = horde_studio_jobs_get_property;

  run_quark = g_quark_from_static_string ("horde-studio-run");

  /**
   * HordeStudioJobs::job-ended:
   * @self: the job list
   * @job: the job that ended, done, cancelled or failed
   *
   * Emitted when a job has ended and its images are in the gallery.
   */
  signals [JOB_ENDED] =
    g_signal_new ("job-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_STUDIO_TYPE_JOB);

  /**
   * HordeStudioJobs:sending:
   *
   * Whether a request is on its way to the Horde (its POST not answered
   * yet): the Generate action is insensitive meanwhile, so that a second
   * press does not send it again.
   */
  properties [PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_jobs_init (HordeStudioJobs *self)
{
  self->jobs = g_list_store_new (HORDE_STUDIO_TYPE_JOB);
  self->concurrency = 3;
}

GListModel *
horde_studio_jobs_get_model (HordeStudioJobs *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), NULL);
  return G_LIST_MODEL (self->jobs);
}

HordeClient *
horde_studio_jobs_get_client (HordeStudioJobs *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), NULL);
  return self->client;
}

/* Where running jobs tell that the server cannot be reached, and again
 * when it answers */
void
horde_studio_jobs_set_connection (HordeStudioJobs       *self,
                                  HordeStudioConnection *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));
  g_return_if_fail (connection == NULL || HORDE_STUDIO_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
}

void
horde_studio_jobs_set_concurrency (HordeStudioJobs *self,
                                   guint            concurrency)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));

  self->concurrency = MAX (1, concurrency);
  start_waiting (self);
}

static Run *
run_of (HordeStudioJob *job)
{
  return g_object_get_qdata (G_OBJECT (job), run_quark);
}

/* Each image of the gallery carries its share of what the request cost:
 * the final charge (the last /check's kudos, after the job has ended:
 * after a cancel, the generations the server finished anyway are paid
 * too) over the images kept, not over the images asked for. */
static void
record_cost (HordeStudioJobs *self,
             HordeStudioJob  *job)
{
  GListModel *images = horde_studio_job_get_images (job);
  guint n = g_list_model_get_n_items (images);
  double share;

  if (n == 0)
    return;

  share = horde_image_job_get_kudos (horde_studio_job_get_image_job (job)) / n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioGalleryItem) item = g_list_model_get_item (images, i);
      g_autoptr(GError) error = NULL;

      if (horde_studio_gallery_item_get_kudos (item) != share &&
          !horde_studio_gallery_set_kudos (self->gallery, item, share, &error))
        g_warning ("Could not record what an image cost: %s", error->message);
    }
}

/* The request is gone from the server, and its images are safe: nothing
 * left to recover after a crash. */
static void
settle (HordeStudioJobs *self,
        HordeStudioJob  *job)
{
  Run *run = run_of (job);
  HordeImageJob *image_job = horde_studio_job_get_image_job (job);
  const char *id = horde_image_job_get_id (image_job);

  if (!run->run_ended || run->saving > 0)
    return;

  record_cost (self, job);

  if (id != NULL && !run->keep_pending)
    {
      g_autoptr(GError) error = NULL;

      if (!horde_studio_gallery_remove_pending_job (self->gallery, id, &error))
        g_warning ("Could not forget the finished request %s: %s", id, error->message);
    }

  horde_studio_job_set_ended (job, g_get_monotonic_time ());
  g_signal_emit (self, signals [JOB_ENDED], 0, job);
  start_waiting (self);
}

typedef struct {
  HordeStudioJobs *self;
  HordeStudioJob *job;
} Saving;

static void
image_saved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(HordeStudioJobs) self = saving->self;
  g_autoptr(HordeStudioJob) job = saving->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGalleryItem) item = horde_studio_gallery_add_finish (HORDE_STUDIO_GALLERY (object), result, &error);
  Run *run = run_of (job);

  g_free (saving);

  if (item != NULL)
    horde_studio_job_add_image (job, G_OBJECT (item));
  else
    {
      /* the server still has it: a retry can fetch it again */
      g_warning ("Could not save an image of %s: %s",
                 horde_image_job_get_id (horde_studio_job_get_image_job (job)), error->message);
      run->keep_pending = TRUE;
    }

  run->saving--;
  settle (self, job);
}

static void
images_changed (GListModel     *images,
                guint           position,
                guint           removed,
                guint           added,
                HordeStudioJob *job)
{
  Run *run = run_of (job);
  HordeStudioJobs *self = run->jobs;
  HordeImageJob *image_job = horde_studio_job_get_image_job (job);
  guint n_requested = MAX (1, horde_studio_job_get_n_requested (job));

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);
      Saving *saving = g_new0 (Saving, 1);

      saving->self = g_object_ref (self);
      saving->job = g_object_ref (job);
      run->saving++;
      horde_studio_gallery_add_async (self->gallery,
                                      horde_generated_image_get_bytes (image),
                                      horde_studio_job_get_request (job),
                                      horde_generated_image_get_generation (image),
                                      horde_image_job_get_id (image_job),
                                      /* until the job ends and the charge is final */
                                      horde_image_job_get_kudos (image_job) / n_requested,
                                      NULL, image_saved, saving);
    }
}

static void
id_known (HordeImageJob  *image_job,
          GParamSpec     *pspec,
          HordeStudioJob *job)
{
  Run *run = run_of (job);
  g_autoptr(GError) error = NULL;

  if (horde_studio_job_get_submitted (job) == NULL && horde_image_job_get_id (image_job) != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      horde_studio_job_set_submitted (job, now);
    }

  /* before anything else happens to it: a crash now must not lose it */
  if (horde_image_job_get_id (image_job) != NULL &&
      !horde_studio_gallery_add_pending_job (run->jobs->gallery, horde_image_job_get_id (image_job),
                                             horde_studio_job_get_request (job), &error))
    g_warning ("Could not record the request %s: %s", horde_image_job_get_id (image_job), error->message);
}

static void
connection_changed (HordeImageJob  *image_job,
                    GParamSpec     *pspec,
                    HordeStudioJob *job)
{
  HordeStudioJobs *self = run_of (job)->jobs;
  const GError *error = horde_image_job_get_connection_error (image_job);
  HordeJobState state = horde_image_job_get_state (image_job);

  /* cleared because the run ended, not because the server answered */
  if (error == NULL && (state == HORDE_JOB_STATE_CANCELLED || state == HORDE_JOB_STATE_FAILED))
    return;
  if (self->connection != NULL)
    horde_studio_connection_report (self->connection, error);
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HordeStudioJob) job = user_data;
  Run *run = run_of (job);
  g_autoptr(GError) error = NULL;

  if (!horde_image_job_run_finish (HORDE_IMAGE_JOB (object), result, &error))
    horde_studio_job_set_error (job, error);
  else if (horde_image_job_get_state (HORDE_IMAGE_JOB (object)) == HORDE_JOB_STATE_DONE &&
           g_list_model_get_n_items (horde_image_job_get_images (HORDE_IMAGE_JOB (object))) == 0)
    {
      /* the server said done and gave nothing: never "Done" and no word */
      gint64 restarted = horde_image_job_get_restarted (HORDE_IMAGE_JOB (object));
      g_autofree char *message = NULL;

      if (restarted > 0)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The Horde ended this request without an image: a worker failed at it, and it was restarted once.",
                                                "The Horde ended this request without an image: workers failed at it, and it was restarted %d times.",
                                                restarted),
                                   (int) MIN (restarted, G_MAXINT));
      else
        message = g_strdup (_("The Horde ended this request without an image."));
      horde_studio_job_set_error_text (job, message, _("Retry it; another worker may succeed, or try another model."));
    }
  /* a failure, or a cancel the server never heard, may have left the
   * request there: keep its id to fetch or delete it later */
  run->keep_pending |= horde_image_job_get_on_server (HORDE_IMAGE_JOB (object));

  run->run_ended = TRUE;
  settle (run->jobs, job);
}

/* Now, on the monotonic clock; for a request sent earlier (by a session
 * that crashed), when it was sent: its elapsed time counts from there */
static gint64
started_time (HordeStudioJob *job)
{
  GDateTime *submitted = horde_studio_job_get_submitted (job);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GDateTime) wall = NULL;
  GTimeSpan ago;

  if (submitted == NULL)
    return now;
  wall = g_date_time_new_now_utc ();
  ago = g_date_time_difference (wall, submitted);
  /* a clock that went back, or an absurd date: count from now */
  if (ago <= 0 || ago > 7 * G_TIME_SPAN_DAY || ago >= now)
    return now;
  return now - ago;
}

/* Whether a request of the list is on its way to the server */
static void
update_sending (HordeStudioJobs *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  gboolean sending = FALSE;

  for (guint i = 0; i < n && !sending; i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      sending = run_of (job) != NULL &&
                horde_image_job_get_state (horde_studio_job_get_image_job (job)) == HORDE_JOB_STATE_SUBMITTING;
    }

  if (sending == self->sending)
    return;
  self->sending = sending;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SENDING]);
}

static void
state_changed (HordeImageJob  *image_job,
               GParamSpec     *pspec,
               HordeStudioJob *job)
{
  update_sending (run_of (job)->jobs);
}

static void
start (HordeStudioJobs *self,
       HordeStudioJob  *job)
{
  HordeImageJob *image_job = horde_studio_job_get_image_job (job);
  Run *run = g_new0 (Run, 1);

  run->jobs = self;
  g_object_set_qdata_full (G_OBJECT (job), run_quark, run, g_free);

  g_signal_connect_object (horde_image_job_get_images (image_job), "items-changed",
                           G_CALLBACK (images_changed), job, 0);
  g_signal_connect_object (image_job, "notify::id", G_CALLBACK (id_known), job, 0);
  g_signal_connect_object (image_job, "notify::connection-error", G_CALLBACK (connection_changed), job, 0);
  g_signal_connect_object (image_job, "notify::state", G_CALLBACK (state_changed), job, 0);

  horde_studio_job_set_started (job, started_time (job));
  horde_image_job_run_async (image_job, NULL, run_done, g_object_ref (job));
}

static guint
count_running (HordeStudioJobs *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  guint running = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      Run *run = run_of (job);

      if (run != NULL && !(run->run_ended && run->saving == 0))
        running++;
    }

  return running;
}

/* Starts waiting jobs, oldest first, up to the limit */
static void
start_waiting (HordeStudioJobs *self)
{
  guint running = count_running (self);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i > 0 && running < self->concurrency; i--)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);

      if (run_of (job) == NULL)
        {
          start (self, job);
          running++;
        }
    }
}

static HordeStudioJob *
add (HordeStudioJobs                *self,
     HordeImageJob                  *image_job,
     HordeImageGenerateAsyncRequest *request)
{
  g_autoptr(HordeStudioJob) job = horde_studio_job_new (image_job, request);

  g_list_store_insert (self->jobs, 0, job);
  start_waiting (self);

  return job;
}

static HordeStudioJob *
submit_request (HordeStudioJobs                *self,
                HordeImageGenerateAsyncRequest *request)
{
  g_autoptr(HordeImageJob) image_job = horde_image_job_new (self->client, request);

  g_clear_pointer (&self->last_request, horde_image_generate_async_request_unref);
  self->last_request = horde_image_generate_async_request_ref (request);
  self->last_submit_time = g_get_monotonic_time ();

  return add (self, image_job, request);
}

/* Whether @request is a second press of Generate rather than a wish for
 * more images: the same request while it is still on its way to the
 * server (its POST unanswered), or a moment after it was sent */
static gboolean
is_repeat (HordeStudioJobs                *self,
           HordeImageGenerateAsyncRequest *request)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  if (self->last_request != NULL &&
      g_get_monotonic_time () - self->last_submit_time < REPEAT_WINDOW_US &&
      horde_image_generate_async_request_equal (self->last_request, request))
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      HordeImageGenerateAsyncRequest *other = horde_studio_job_get_request (job);

      if (run_of (job) != NULL && other != NULL &&
          horde_image_job_get_state (horde_studio_job_get_image_job (job)) == HORDE_JOB_STATE_SUBMITTING &&
          horde_image_generate_async_request_equal (other, request))
        return TRUE;
    }

  return FALSE;
}

/* Sends @request, unless it repeats one being sent or sent within the last
 * second (Ctrl+Enter pressed twice): then nothing happens and %NULL is
 * returned. */
HordeStudioJob *
horde_studio_jobs_submit (HordeStudioJobs                *self,
                          HordeImageGenerateAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (is_repeat (self, request))
    {
      g_debug ("A repeat of the request just sent: not sent again");
      return NULL;
    }

  return submit_request (self, request);
}

/* Whether a request is on its way to the Horde: see [property@HordeStudioJobs:sending] */
gboolean
horde_studio_jobs_get_sending (HordeStudioJobs *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), FALSE);
  return self->sending;
}

/* Follows a request submitted in an earlier run, from its id, and from
 * when it was submitted (%NULL if not known) */
HordeStudioJob *
horde_studio_jobs_resume (HordeStudioJobs                *self,
                          const char                     *id,
                          HordeImageGenerateAsyncRequest *request,
                          GDateTime                      *submitted)
{
  g_autoptr(HordeImageJob) image_job = NULL;
  g_autoptr(HordeStudioJob) job = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  image_job = horde_image_job_new_for_id (self->client, id);
  job = horde_studio_job_new (image_job, request);
  horde_studio_job_set_submitted (job, submitted);
  g_list_store_insert (self->jobs, 0, job);
  start_waiting (self);

  return job;
}

void
horde_studio_jobs_cancel (HordeStudioJobs *self,
                          HordeStudioJob  *job)
{
  guint position;

  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));

  if (run_of (job) != NULL)
    {
      horde_image_job_cancel (horde_studio_job_get_image_job (job));
      return;
    }

  /* never started: nothing on the server */
  if (g_list_store_find (self->jobs, job, &position))
    g_list_store_remove (self->jobs, position);
}

/* A failed or cancelled job again: the same request on the server when it
 * may still be there, else a new submission of the same parameters */
HordeStudioJob *
horde_studio_jobs_retry (HordeStudioJobs *self,
                         HordeStudioJob  *job)
{
  Run *run;
  const char *id;
  HordeStudioJob *again;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), NULL);
  g_return_val_if_fail (horde_studio_job_is_ended (job), NULL);

  run = run_of (job);
  id = horde_image_job_get_id (horde_studio_job_get_image_job (job));
  if (run != NULL && run->keep_pending && id != NULL)
    again = horde_studio_jobs_resume (self, id, horde_studio_job_get_request (job),
                                      horde_studio_job_get_submitted (job));
  else if (horde_studio_job_get_request (job) != NULL)
    again = submit_request (self, horde_studio_job_get_request (job));
  else
    return NULL;

  horde_studio_jobs_remove (self, job);
  return again;
}

void
horde_studio_jobs_remove (HordeStudioJobs *self,
                          HordeStudioJob  *job)
{
  guint position;

  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));
  g_return_if_fail (!horde_studio_job_is_running (job));

  if (g_list_store_find (self->jobs, job, &position))
    g_list_store_remove (self->jobs, position);
}

/* The jobs of the list that have ended, and whose images are saved: the
 * running ones and those waiting for their turn stay. Returns how many
 * left the list. */
guint
horde_studio_jobs_clear_finished (HordeStudioJobs *self)
{
  guint removed = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), 0);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i > 0; i--)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);
      Run *run = run_of (job);

      if (!horde_studio_job_is_ended (job) || (run != NULL && !(run->run_ended && run->saving == 0)))
        continue;
      g_list_store_remove (self->jobs, i - 1);
      removed++;
    }

  return removed;
}

/* Jobs that have not ended: running, or waiting for their turn */
guint
horde_studio_jobs_get_n_unfinished (HordeStudioJobs *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  guint unfinished = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      Run *run = run_of (job);

      if (run == NULL || !(run->run_ended && run->saving == 0))
        unfinished++;
    }

  return unfinished;
}

static void
discarded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HordeStudioJobs *self = g_task_get_source_object (task);
  const char *id = g_task_get_task_data (task);
  g_autoptr(HordeRequestStatusStable) status = NULL;
  GError *error = NULL;

  status = horde_client_send_delete_image_generate_request_finish (HORDE_CLIENT (object), result, &error);
  /* gone already is as good as deleted */
  if (status == NULL && !g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  if (!horde_studio_gallery_remove_pending_job (self->gallery, id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Deletes a request left on the server by an earlier run */
void
horde_studio_jobs_discard_async (HordeStudioJobs     *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HordeDeleteImageGenerateRequest) request = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_jobs_discard_async);
  g_task_set_task_data (task, g_strdup (id), g_free);

  request = horde_delete_image_generate_request_new (id);
  horde_client_send_delete_image_generate_request_async (self->client, request, cancellable,
                                                         discarded, g_steal_pointer (&task));
}

gboolean
horde_studio_jobs_discard_finish (HordeStudioJobs  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "Cancel All": the jobs waiting for their turn leave the list (nothing of
 * them is on the server), and every running one is cancelled as its own
 * Cancel button would (its request deleted on the server, the images
 * finished before kept). Returns how many jobs were cancelled or dropped. */
guint
horde_studio_jobs_cancel_all (HordeStudioJobs *self)
{
  guint cancelled = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOBS (self), 0);

  /* the waiting ones first: a running one that ends would start them */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i > 0; i--)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);

      if (run_of (job) != NULL)
        continue;
      g_list_store_remove (self->jobs, i - 1);
      cancelled++;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i++)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      HordeImageJob *image_job = horde_studio_job_get_image_job (job);

      /* a second cancel of a job being cancelled would stop it waiting
       * for the images workers are still making */
      if (!horde_studio_job_is_running (job) ||
          horde_image_job_get_state (image_job) == HORDE_JOB_STATE_CANCELLING)
        continue;
      horde_image_job_cancel (image_job);
      cancelled++;
    }

  return cancelled;
}

static void
all_cancelled (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!horde_client_cancel_all_finish (HORDE_CLIENT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* What closing the window with jobs running does: the jobs that wait for
 * their turn are dropped, and the requests on the server are deleted; it
 * completes when the server has answered every DELETE. */
void
horde_studio_jobs_cancel_all_async (HordeStudioJobs     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_JOBS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_jobs_cancel_all_async);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i > 0; i--)
    {
      g_autoptr(HordeStudioJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);

      if (run_of (job) == NULL)
        g_list_store_remove (self->jobs, i - 1);
    }

  horde_client_cancel_all_async (self->client, cancellable, all_cancelled, g_steal_pointer (&task));
}

gboolean
horde_studio_jobs_cancel_all_finish (HordeStudioJobs  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

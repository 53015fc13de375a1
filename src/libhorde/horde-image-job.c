/* horde-image-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-client-private.h"
#include "horde-error.h"
#include "horde-generated-image-private.h"
#include "horde-image-job.h"
#include "horde-job-private.h"

/**
 * HordeImageJob:
 *
 * One image generation request on the Horde, from submission to images: a
 * [class@Horde.Job] that downloads and decodes the images.
 *
 * [method@Horde.Job.run_async] submits the request, polls its progress
 * (at a pace that follows the server's own estimate of the time left and
 * stays under its rate limits), fetches the full status once when the
 * request is done and downloads and decodes the images, which appear in
 * [method@Horde.ImageJob.get_images] as they arrive, each with
 * [signal@Horde.ImageJob::image-arrived].
 *
 * Images finished while others of the request are still being made come
 * early: when a poll says more are finished than the job has, it takes a
 * look at the full status, which holds the images finished so far. The
 * server allows few of those (10 a minute for a request), so the job
 * looks at most once in 15 seconds, within a budget that the jobs of a
 * client share (5 a minute), and not when the rest is about to be done;
 * the final fetch then brings only the images not seen before. Progress properties
 * ([property@Horde.Job:state], [property@Horde.Job:queue-position],
 * [property@Horde.Job:wait-time] and the counts) notify as answers come,
 * so that a user interface can bind to them.
 *
 * Cancelling (the #GCancellable given to run, or
 * [method@Horde.Job.cancel]), a [property@Horde.Job:timeout] and a
 * faulted request all delete the request on the server, which stops the
 * spending of kudos, and keep the images finished before; a cancel also
 * waits for the images workers were making, which the server still
 * finishes and charges (see [method@Horde.Job.cancel]). A job can resume
 * a request submitted earlier from its id ([ctor@Horde.ImageJob.new_for_id]).
 *
 * This is horde_sdk's getting-started example in C:
 *
 * ```c
 * g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
 * g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
 * const char *models[] = { "Deliberate", NULL };
 *
 * horde_model_generation_input_stable_builder_set_width (params, 512);
 * horde_model_generation_input_stable_builder_set_height (params, 768);
 * horde_model_generation_input_stable_builder_set_sampler_name (params, "k_euler_a");
 * horde_model_generation_input_stable_builder_set_clip_skip (params, 1);
 * horde_model_generation_input_stable_builder_set_n (params, 2);
 * horde_image_generate_async_request_builder_set_prompt (builder, "A cat in a hat");
 * horde_image_generate_async_request_builder_set_models (builder, models);
 * horde_image_generate_async_request_builder_set_params (builder,
 *     horde_model_generation_input_stable_builder_end (params, NULL));
 * horde_image_generate_async_request_builder_set_nsfw (builder, FALSE);
 *
 * request = horde_image_generate_async_request_builder_end (builder, &error);
 * job = horde_image_job_new (client, request);
 * if (horde_image_job_run_sync (job, NULL, &error))
 *   images = horde_image_job_get_images (job);
 * ```
 *
 * The request says `nsfw`: a field left unset is not sent, and the AI
 * Horde takes a missing `nsfw` and `censor_nsfw` as true (the spec says
 * false), so a request that does not set [method@Horde.ImageGenerateAsyncRequestBuilder.set_nsfw]
 * asks for NSFW images and workers that make only safe-for-work images
 * skip it.
 */

struct _HordeImageJob
{
  HordeJob parent_instance;

  HordeImageGenerateAsyncRequest *request;
  HordeRequestAsync *submitted;
  HordeRequestStatusCheck *check;
  GListStore *images;

  /* the results under way */
  GTask *results_task;            /* the run's, once the final answer came */
  GCancellable *download_cancellable;
  GError *download_error;
  GHashTable *taken;              /* keys of the generations downloaded or on their way */
  gboolean final_pending;         /* the final batch has not settled */
  guint batches_pending;          /* early batches that have not settled */

  /* early looks at the images, before the request is done */
  GCancellable *early_cancellable;
  gint64 last_early;              /* monotonic time of the last one */
  gboolean early_running;
};

G_DEFINE_FINAL_TYPE (HordeImageJob, horde_image_job, HORDE_TYPE_JOB)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_IMAGES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  IMAGE_ARRIVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * horde_image_job_new:
 * @client: the client to send with
 * @request: the request to submit
 *
 * Makes a job that submits @request when it runs.
 *
 * Returns: (transfer full): a new #HordeImageJob
 */
HordeImageJob *
horde_image_job_new (HordeClient                    *client,
                     HordeImageGenerateAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return g_object_new (HORDE_TYPE_IMAGE_JOB,
                       "client", client,
                       "request", request,
                       NULL);
}

/**
 * horde_image_job_new_for_id:
 * @client: the client to send with
 * @id: the id of a request submitted earlier
 *
 * Makes a job that follows a request already on the server, as after a
 * restart: running it polls, fetches and downloads, without submitting.
 *
 * Returns: (transfer full): a new #HordeImageJob
 */
HordeImageJob *
horde_image_job_new_for_id (HordeClient *client,
                            const char  *id)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (HORDE_TYPE_IMAGE_JOB,
                       "client", client,
                       "id", id,
                       NULL);
}

static void
horde_image_job_finalize (GObject *object)
{
  HordeImageJob *self = (HordeImageJob *)object;

  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  g_clear_pointer (&self->submitted, horde_request_async_unref);
  g_clear_pointer (&self->check, horde_request_status_check_unref);
  g_clear_object (&self->images);
  g_clear_object (&self->download_cancellable);
  g_clear_error (&self->download_error);
  g_clear_pointer (&self->taken, g_hash_table_unref);
  g_clear_object (&self->early_cancellable);

  G_OBJECT_CLASS (horde_image_job_parent_class)->finalize (object);
}

static void
horde_image_job_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_IMAGES:
      g_value_set_object (value, self->images);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_image_job_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      self->request = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* -------------------------------------------------------------------------
 * What differs from the other jobs
 */

static gpointer
horde_image_job_create_submit_request (HordeJob  *job,
                                       GError   **error)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (job);

  return horde_image_generate_async_request_ref (self->request);
}

static gboolean
horde_image_job_accept_submission (HordeJob  *job,
                                   gpointer   answer,
                                   GError   **error)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (job);
  HordeRequestAsync *submitted = answer;

  if (horde_request_async_get_id (submitted) == NULL)
    {
      if (horde_image_generate_async_request_get_dry_run (self->request))
        g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_FAILED,
                             _("The request is a dry run: estimate it instead of running it"));
      else
        g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                             _("The server accepted the request but gave no id for it"));
      return FALSE;
    }

  self->submitted = horde_request_async_ref (submitted);
  horde_job_set_submitted (job, horde_request_async_get_id (submitted),
                           horde_request_async_get_kudos (submitted),
                           horde_job_warnings_from_async (submitted));
  return TRUE;
}

/* The request again, as a dry run */
static gpointer
horde_image_job_create_dry_run_request (HordeJob  *job,
                                        GError   **error)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (job);
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = NULL;

  if (self->request == NULL)
    return NULL;

  builder = horde_image_generate_async_request_builder_new_from (self->request);
  horde_image_generate_async_request_builder_set_dry_run (builder, TRUE);
  return horde_image_generate_async_request_builder_end (builder, error);
}

static void maybe_look_early (HordeImageJob          *self,
                              const HordeJobProgress *progress);

static gpointer
horde_image_job_create_poll_request (HordeJob *job)
{
  return horde_image_generate_check_request_new (horde_job_get_id (job));
}

#define CHECK_FIELD(check, field, fallback) \
  (horde_request_status_check_has_##field (check) \
   ? horde_request_status_check_get_##field (check) : (fallback))

static void
horde_image_job_read_poll (HordeJob         *job,
                           gpointer          answer,
                           HordeJobProgress *progress)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (job);
  HordeRequestStatusCheck *check = answer;

  g_clear_pointer (&self->check, horde_request_status_check_unref);
  self->check = horde_request_status_check_ref (check);

  progress->queue_position = CHECK_FIELD (check, queue_position, 0);
  progress->wait_time = CHECK_FIELD (check, wait_time, 0);
  progress->waiting = CHECK_FIELD (check, waiting, 0);
  progress->processing = CHECK_FIELD (check, processing, 0);
  progress->finished = CHECK_FIELD (check, finished, 0);
  progress->restarted = CHECK_FIELD (check, restarted, 0);
  if (horde_request_status_check_has_kudos (check))
    progress->kudos = horde_request_status_check_get_kudos (check);
  progress->is_possible = horde_request_status_check_get_is_possible (check);
  progress->faulted = horde_request_status_check_get_faulted (check);
  progress->done = horde_request_status_check_get_done (check);

  maybe_look_early (self, progress);
}

#define STATUS_FIELD(status, field, fallback) \
  (horde_request_status_stable_has_##field (status) \
   ? horde_request_status_stable_get_##field (status) : (fallback))

/* The full status (of a fetch or a DELETE) has the counts of a check */
static void
horde_image_job_read_status (HordeJob         *job,
                             gpointer          answer,
                             HordeJobProgress *progress)
{
  HordeRequestStatusStable *status = answer;

  progress->queue_position = STATUS_FIELD (status, queue_position, progress->queue_position);
  progress->wait_time = STATUS_FIELD (status, wait_time, progress->wait_time);
  progress->waiting = STATUS_FIELD (status, waiting, progress->waiting);
  progress->processing = STATUS_FIELD (status, processing, progress->processing);
  progress->finished = STATUS_FIELD (status, finished, progress->finished);
  progress->restarted = STATUS_FIELD (status, restarted, progress->restarted);
  progress->kudos = STATUS_FIELD (status, kudos, progress->kudos);
  progress->is_possible = STATUS_FIELD (status, is_possible, progress->is_possible);
  progress->faulted = STATUS_FIELD (status, faulted, progress->faulted);
  progress->done = STATUS_FIELD (status, done, progress->done);
}

static gpointer
horde_image_job_create_fetch_request (HordeJob *job)
{
  return horde_image_generate_status_request_new (horde_job_get_id (job));
}

static gpointer
horde_image_job_create_delete_request (HordeJob *job)
{
  return horde_delete_image_generate_request_new (horde_job_get_id (job));
}

static GError *
horde_image_job_create_fault_error (HordeJob *job)
{
  return g_error_new (HORDE_ERROR, HORDE_ERROR_FAULTED,
                      _("The Horde could not complete the request (%d of its images finished)"),
                      (int) horde_job_get_finished (job));
}

/* -------------------------------------------------------------------------
 * Results: downloads in batches, the final one and the early ones
 *
 * Each /status answer (an early look while the request runs, the final
 * fetch, or the DELETE) is a batch: the generations not taken before are
 * downloaded or decoded, and the images of the batch join
 * [property@Horde.ImageJob:images] in the order of the answer once all of
 * it has settled. The run's results are taken once the final batch and
 * every early one still under way have settled.
 */

typedef struct {
  HordeImageJob *job;
  GPtrArray *images;              /* HordeGeneratedImage or NULL, by position */
  GPtrArray *keys;                /* the generations' keys, by position */
  guint pending;
  gboolean final;
} Batch;

typedef struct {
  Batch *batch;
  guint index;
  HordeGenerationStable *generation;
} Download;

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static Batch *
batch_new (HordeImageJob *job,
           gboolean       final)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->job = g_object_ref (job);
  batch->images = g_ptr_array_new_with_free_func (unref_if_set);
  batch->keys = g_ptr_array_new_with_free_func (g_free);
  batch->final = final;

  return batch;
}

static void
batch_free (Batch *batch)
{
  g_object_unref (batch->job);
  g_ptr_array_unref (batch->images);
  g_ptr_array_unref (batch->keys);
  g_free (batch);
}

static Download *
download_new (Batch                 *batch,
              guint                  index,
              HordeGenerationStable *generation)
{
  Download *download = g_new0 (Download, 1);

  download->batch = batch;
  download->index = index;
  download->generation = horde_generation_stable_ref (generation);

  return download;
}

static void
download_free (Download *download)
{
  horde_generation_stable_unref (download->generation);
  g_free (download);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Download, download_free)

/* What tells a generation from the others of the request across answers:
 * its id; its position for a server that gives none */
static char *
generation_key (HordeGenerationStable *generation,
                gsize                  position)
{
  const char *id = horde_generation_stable_get_id (generation);

  if (id != NULL && *id != '\0')
    return g_strdup (id);
  return g_strdup_printf ("#%" G_GSIZE_FORMAT, position);
}

/* The run's results are in once the final batch and the early ones still
 * under way have settled */
static void
results_maybe_done (HordeImageJob *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->results_task == NULL || self->final_pending || self->batches_pending > 0)
    return;

  task = g_steal_pointer (&self->results_task);
  g_clear_object (&self->download_cancellable);

  if (self->download_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->download_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
batch_done (Batch *batch)
{
  HordeImageJob *self = batch->job;

  /* in the order of the answer's generations */
  for (guint i = 0; i < batch->images->len; i++)
    {
      HordeGeneratedImage *image = batch->images->pdata[i];
      guint position;

      if (image == NULL)
        continue;
      position = g_list_model_get_n_items (G_LIST_MODEL (self->images));
      g_list_store_append (self->images, image);
      g_signal_emit (self, signals [IMAGE_ARRIVED], 0, position, image);
    }

  if (batch->final)
    self->final_pending = FALSE;
  else
    self->batches_pending--;

  g_object_ref (self);
  batch_free (batch);
  results_maybe_done (self);
  g_object_unref (self);
}

static void
download_settled (Batch               *batch,
                  guint                index,
                  HordeGeneratedImage *image,
                  GError              *error)
{
  HordeImageJob *self = batch->job;

  if (image != NULL)
    batch->images->pdata[index] = image;

  if (error != NULL)
    {
      /* an early download that failed is tried again by the final
       * fetch, unless that has been answered already */
      if (!batch->final && self->results_task == NULL)
        g_hash_table_remove (self->taken, batch->keys->pdata[index]);
      else if (self->download_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->download_error = g_error_new (error->domain, error->code,
                                            _("Image %u of %u: %s"), index + 1,
                                            batch->images->len, error->message);
      g_error_free (error);
    }

  if (--batch->pending == 0)
    batch_done (batch);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  GError *error = NULL;
  HordeGeneratedImage *image = horde_generated_image_load_finish (result, &error);

  download_settled (download->batch, download->index, image, error);
}

/* The image of @bytes, or of base64 text, with its size checked; off the
 * main context, as base64 takes a while. The pixels are decoded only when
 * someone asks for them. */
static void
load_start (Download   *download,
            GBytes     *bytes,
            const char *base64)
{
  HordeClient *client = horde_job_get_client (HORDE_JOB (download->batch->job));

  horde_generated_image_load_async (bytes, base64, download->generation,
                                    horde_client_get_max_image_pixels (client),
                                    load_done, download);
}

/* As many images as the request asked for; any number up to the API's
 * limit for a job resumed from an id */
static gsize
expected_images (HordeImageJob *self)
{
  HordeModelGenerationInputStable *params;

  if (self->request == NULL)
    return HORDE_JOB_MAX_RESULTS;

  params = horde_image_generate_async_request_get_params (self->request);
  if (params == NULL || !horde_model_generation_input_stable_has_n (params))
    return 1;

  return CLAMP (horde_model_generation_input_stable_get_n (params), 1, HORDE_JOB_MAX_RESULTS);
}

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = horde_client_download_finish (HORDE_CLIENT (object), result, NULL, &error);

  if (bytes == NULL)
    {
      download_settled (download->batch, download->index, NULL, error);
      return;
    }

  load_start (g_steal_pointer (&download), bytes, NULL);
}

/* Fetches (r2 URL) or reads (base64) each generation of @generations not
 * taken before, all at once, as a batch */
static void
batch_start (HordeImageJob                *self,
             gboolean                      final,
             HordeGenerationStable * const *generations,
             gsize                         n_generations,
             GCancellable                 *cancellable)
{
  Batch *batch = batch_new (self, final);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();

  for (gsize i = 0; i < n_generations; i++)
    {
      char *key = generation_key (generations[i], i);

      if (!g_hash_table_add (self->taken, g_strdup (key)))
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (batch->keys, key);
      g_ptr_array_add (fresh, generations[i]);
    }

  g_ptr_array_set_size (batch->images, fresh->len);
  if (final)
    self->final_pending = TRUE;
  else
    self->batches_pending++;

  if (fresh->len == 0)
    {
      batch_done (batch);
      return;
    }

  batch->pending = fresh->len;
  for (guint i = 0; i < fresh->len; i++)
    {
      HordeGenerationStable *generation = fresh->pdata[i];
      const char *img = horde_generation_stable_get_img (generation);
      Download *download = download_new (batch, i, generation);

      if (img == NULL || *img == '\0')
        {
          download_free (download);
          download_settled (batch, i, NULL,
                            g_error_new_literal (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                                                 _("The server sent no image")));
        }
      else if (g_str_has_prefix (img, "https://") || g_str_has_prefix (img, "http://"))
        {
          horde_client_download_async (horde_job_get_client (HORDE_JOB (self)), img, cancellable,
                                       fetch_done, download);
        }
      else
        load_start (download, NULL, img);
    }
}

/* The results of the final fetch, a DELETE or the last poll */
static void
horde_image_job_take_results_async (HordeJob            *job,
                                    gpointer             answer,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  HordeImageJob *self = HORDE_IMAGE_JOB (job);
  HordeGenerationStable * const *generations;
  gsize n_generations = 0;

  /* an early look still on its way would bring nothing more */
  g_cancellable_cancel (self->early_cancellable);

  generations = horde_request_status_stable_get_generations (answer, &n_generations);

  self->results_task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->results_task, horde_image_job_take_results_async);
  g_set_object (&self->download_cancellable, cancellable);

  self->download_error = horde_job_check_n_results (n_generations, expected_images (self));
  if (self->download_error != NULL)
    n_generations = 0;

  batch_start (self, TRUE, generations, n_generations, self->download_cancellable);
}

/* -------------------------------------------------------------------------
 * An early look: images before the request is done
 *
 * Only /generate/status has the images, and the Horde allows 10 of them a
 * minute for each request (horde/apis/v2/stable.py ImageAsyncStatus:
 * limiter.limit("10/minute", key_func=get_request_path), the path holding
 * the id) while the final fetch needs one; the client paces every
 * /status of its jobs together, under the same 10 a minute. An early look
 * is taken when a poll says more images are finished than the job has,
 * at most once in EARLY_MIN_INTERVAL_US for a job, within a budget shared
 * by the jobs of the client (EARLY_BUDGET_REQUESTS a minute, half the
 * limit, so that final fetches never wait for early ones), and never
 * when the rest is about to be done anyway (the server expects it within
 * EARLY_MIN_WAIT_SECONDS, or has no estimate and nothing waits for a
 * worker): then the final fetch brings everything at once.
 */

#define EARLY_MIN_INTERVAL_US (15 * G_USEC_PER_SEC)
#define EARLY_BUDGET_REQUESTS 5
#define EARLY_BUDGET_SECONDS 60
#define EARLY_MIN_WAIT_SECONDS 5

static void
early_fetched (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeImageJob) self = user_data;
  g_autoptr(GError) error = NULL;
  HordeRequestStatusStable *status = horde_client_call_finish (HORDE_CLIENT (object), result, NULL, &error);
  HordeGenerationStable * const *generations;
  gsize n_generations = 0;
  g_autoptr(GError) too_many = NULL;
  HordeJobState state;

  self->early_running = FALSE;

  if (status == NULL)
    {
      /* the final fetch will bring them */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("An early look at the images of %s failed: %s",
                 horde_job_get_id (HORDE_JOB (self)), error->message);
      return;
    }

  /* the run has taken its results meanwhile, or ended, or is past the
   * point where the final fetch brings everything */
  state = horde_job_get_state (HORDE_JOB (self));
  if (self->results_task != NULL || self->final_pending ||
      g_cancellable_is_cancelled (self->early_cancellable) ||
      (state != HORDE_JOB_STATE_WAITING && state != HORDE_JOB_STATE_PROCESSING))
    {
      horde_request_status_stable_unref (status);
      return;
    }

  generations = horde_request_status_stable_get_generations (status, &n_generations);
  too_many = horde_job_check_n_results (n_generations, expected_images (self));
  if (too_many == NULL)
    /* not stopped by the final answer, which leaves these to this batch:
     * they are finished images of the request, kept as after a cancel */
    batch_start (self, FALSE, generations, n_generations, NULL);
  horde_request_status_stable_unref (status);
}

/* After a poll: an early look at the finished images, when it is worth
 * it and the budget allows */
static void
maybe_look_early (HordeImageJob          *self,
                  const HordeJobProgress *progress)
{
  HordeJobState state = horde_job_get_state (HORDE_JOB (self));
  HordeClient *client = horde_job_get_client (HORDE_JOB (self));
  gint64 now = g_get_monotonic_time ();
  g_autoptr(HordeImageGenerateStatusRequest) request = NULL;

  if (state != HORDE_JOB_STATE_WAITING && state != HORDE_JOB_STATE_PROCESSING)
    return;
  if (progress->done || progress->faulted || self->early_running ||
      progress->finished <= (gint64) g_hash_table_size (self->taken) ||
      progress->waiting + progress->processing <= 0)
    return;
  /* the rest about to be done; with no estimate (the real server says 0
   * when it has none), only while some wait for a worker */
  if (progress->wait_time > 0 ? progress->wait_time < EARLY_MIN_WAIT_SECONDS : progress->waiting == 0)
    return;
  if (self->last_early != 0 && now - self->last_early < EARLY_MIN_INTERVAL_US)
    return;

  request = horde_image_generate_status_request_new (horde_job_get_id (HORDE_JOB (self)));
  if (!horde_client_take_spare_turn (client, request, EARLY_BUDGET_REQUESTS, EARLY_BUDGET_SECONDS))
    return;

  self->last_early = now;
  self->early_running = TRUE;
  horde_client_call_async (client, request, self->early_cancellable, early_fetched, g_object_ref (self));
}

static void
horde_image_job_class_init (HordeImageJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeJobVFuncs *vfuncs = horde_job_class_get_vfuncs (klass);

  object_class->finalize = horde_image_job_finalize;
  object_class->get_property = horde_image_job_get_property;
  object_class->set_property = horde_image_job_set_property;

  /* /check allows 10 a second: the pace follows the estimate alone */
  vfuncs->min_poll_ms = 0;
  /* images finished before the others are shown early (see
   * maybe_look_early()): a /check every few seconds sees them */
  vfuncs->partial_poll_ms = 5000;
  vfuncs->follows_cancel = TRUE;
  vfuncs->read_status = horde_image_job_read_status;
  vfuncs->create_submit_request = horde_image_job_create_submit_request;
  vfuncs->accept_submission = horde_image_job_accept_submission;
  vfuncs->create_poll_request = horde_image_job_create_poll_request;
  vfuncs->read_poll = horde_image_job_read_poll;
  vfuncs->create_fetch_request = horde_image_job_create_fetch_request;
  vfuncs->create_delete_request = horde_image_job_create_delete_request;
  vfuncs->create_fault_error = horde_image_job_create_fault_error;
  vfuncs->take_results_async = horde_image_job_take_results_async;
  vfuncs->create_dry_run_request = horde_image_job_create_dry_run_request;

  /**
   * HordeImageJob:request:
   *
   * The request the job submits; %NULL for a job resumed from an id.
   */
  properties [PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeImageJob:images:
   *
   * The images received so far, a #GListModel of [class@Horde.GeneratedImage].
   */
  properties [PROP_IMAGES] =
    g_param_spec_object ("images", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeImageJob::image-arrived:
   * @self: the job
   * @position: where the image is in [property@Horde.ImageJob:images]
   * @image: the image, with its generation
   *   ([method@Horde.GeneratedImage.get_generation])
   *
   * Emitted for each image as it joins [property@Horde.ImageJob:images]:
   * while the request runs, for the images finished so far when the job
   * takes an early look at them (see [class@Horde.ImageJob]), and at the
   * end for the rest.
   */
  signals [IMAGE_ARRIVED] =
    g_signal_new ("image-arrived",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, HORDE_TYPE_GENERATED_IMAGE);
}

static void
horde_image_job_init (HordeImageJob *self)
{
  self->images = g_list_store_new (HORDE_TYPE_GENERATED_IMAGE);
  self->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->early_cancellable = g_cancellable_new ();
}

/* -------------------------------------------------------------------------
 * Accessors: the image job's own, and the shared ones under its name
 */

/**
 * horde_image_job_get_request:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.ImageJob:request].
 *
 * Returns: (transfer none) (nullable): the request, or %NULL for a job
 *   resumed from an id
 */
HordeImageGenerateAsyncRequest *
horde_image_job_get_request (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->request;
}

/**
 * horde_image_job_get_submit_response:
 * @self: a #HordeImageJob
 *
 * The answer of the server to the submission.
 *
 * Returns: (transfer none) (nullable): the server's answer to the
 *   submission: id, expected kudos, message and coded warnings
 */
HordeRequestAsync *
horde_image_job_get_submit_response (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->submitted;
}

/**
 * horde_image_job_get_last_check:
 * @self: a #HordeImageJob
 *
 * The last answer of the server about the progress of the request.
 *
 * Returns: (transfer none) (nullable): the last progress answer
 */
HordeRequestStatusCheck *
horde_image_job_get_last_check (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return self->check;
}

/**
 * horde_image_job_get_images:
 * @self: a #HordeImageJob
 *
 * The images received, in the order they arrived (the order of the
 * request's generations within each answer of the server); they appear as
 * they are downloaded, and stay after a cancel or failure.
 *
 * Returns: (transfer none): a #GListModel of [class@Horde.GeneratedImage]
 */
GListModel *
horde_image_job_get_images (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return G_LIST_MODEL (self->images);
}

/**
 * horde_image_job_get_client:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:client]; the same as [method@Horde.Job.get_client].
 *
 * Returns: (transfer none): the client the job sends with
 */
HordeClient *
horde_image_job_get_client (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return horde_job_get_client (HORDE_JOB (self));
}

/**
 * horde_image_job_get_id:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:id]; the same as [method@Horde.Job.get_id].
 *
 * Returns: (nullable): the id of the request on the server, or %NULL
 *   before it is submitted
 */
const char *
horde_image_job_get_id (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return horde_job_get_id (HORDE_JOB (self));
}

/**
 * horde_image_job_get_state:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:state]; the same as [method@Horde.Job.get_state].
 *
 * Returns: where the job is in its life
 */
HordeJobState
horde_image_job_get_state (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), HORDE_JOB_STATE_NEW);
  return horde_job_get_state (HORDE_JOB (self));
}

/**
 * horde_image_job_get_timeout:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:timeout]; the same as [method@Horde.Job.get_timeout].
 *
 * Returns: the timeout in seconds, or 0 for none
 */
guint
horde_image_job_get_timeout (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_timeout (HORDE_JOB (self));
}

/**
 * horde_image_job_get_queue_position:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:queue-position]; the same as [method@Horde.Job.get_queue_position].
 *
 * Returns: the position in the server's queue, as of the last poll
 */
gint64
horde_image_job_get_queue_position (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_queue_position (HORDE_JOB (self));
}

/**
 * horde_image_job_get_wait_time:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:wait-time]; the same as [method@Horde.Job.get_wait_time].
 *
 * Returns: the server's estimate of the seconds left, as of the last poll
 */
gint64
horde_image_job_get_wait_time (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_wait_time (HORDE_JOB (self));
}

/**
 * horde_image_job_get_waiting:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:waiting]; the same as [method@Horde.Job.get_waiting].
 *
 * Returns: how many images wait for a worker, as of the last poll
 */
gint64
horde_image_job_get_waiting (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_waiting (HORDE_JOB (self));
}

/**
 * horde_image_job_get_processing:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:processing]; the same as [method@Horde.Job.get_processing].
 *
 * Returns: how many images workers are making, as of the last poll
 */
gint64
horde_image_job_get_processing (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_processing (HORDE_JOB (self));
}

/**
 * horde_image_job_get_finished:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:finished]; the same as [method@Horde.Job.get_finished].
 *
 * Returns: how many images are finished on the server, as of the last poll
 */
gint64
horde_image_job_get_finished (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_finished (HORDE_JOB (self));
}

/**
 * horde_image_job_get_restarted:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:restarted]; the same as [method@Horde.Job.get_restarted].
 *
 * Returns: how many times an image went back to the queue
 */
gint64
horde_image_job_get_restarted (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_restarted (HORDE_JOB (self));
}

/**
 * horde_image_job_get_kudos:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:kudos]; the same as [method@Horde.Job.get_kudos].
 *
 * Returns: what the server charged so far (the final charge once the run
 *   has ended), or the expected cost before the first poll
 */
double
horde_image_job_get_kudos (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), 0);
  return horde_job_get_kudos (HORDE_JOB (self));
}

/**
 * horde_image_job_get_is_possible:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:is-possible]; the same as [method@Horde.Job.get_is_possible].
 *
 * Returns: %FALSE when no worker online can serve the request
 */
gboolean
horde_image_job_get_is_possible (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), TRUE);
  return horde_job_get_is_possible (HORDE_JOB (self));
}

/**
 * horde_image_job_get_faulted:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:faulted]; the same as [method@Horde.Job.get_faulted].
 *
 * Returns: %TRUE when the Horde gave up on the request
 */
gboolean
horde_image_job_get_faulted (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_get_faulted (HORDE_JOB (self));
}

/**
 * horde_image_job_get_warnings:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:warnings]; the same as [method@Horde.Job.get_warnings].
 *
 * Returns: (transfer none) (nullable): the server's warnings about the
 *   request, in words
 */
const char * const *
horde_image_job_get_warnings (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return horde_job_get_warnings (HORDE_JOB (self));
}

/**
 * horde_image_job_get_on_server:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:on-server]; the same as [method@Horde.Job.get_on_server].
 *
 * Returns: whether the request may still be on the server
 */
gboolean
horde_image_job_get_on_server (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_get_on_server (HORDE_JOB (self));
}

/**
 * horde_image_job_get_connection_error:
 * @self: a #HordeImageJob
 *
 * Gets [property@Horde.Job:connection-error]; the same as [method@Horde.Job.get_connection_error].
 *
 * Returns: (nullable) (transfer none): why the server cannot be reached
 *   while the job keeps trying, or %NULL
 */
const GError *
horde_image_job_get_connection_error (HordeImageJob *self)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), NULL);
  return horde_job_get_connection_error (HORDE_JOB (self));
}

/**
 * horde_image_job_set_timeout:
 * @self: a #HordeImageJob
 * @timeout: seconds, or 0 for none
 *
 * Sets [property@Horde.Job:timeout]; the same as
 * [method@Horde.Job.set_timeout].
 */
void
horde_image_job_set_timeout (HordeImageJob *self,
                             guint          timeout)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));
  horde_job_set_timeout (HORDE_JOB (self), timeout);
}

/**
 * horde_image_job_cancel:
 * @self: a #HordeImageJob
 *
 * Cancels the run; the same as [method@Horde.Job.cancel]. The server
 * request is deleted, the images finished before are kept, and so are
 * those workers were making, which the server still finishes and charges:
 * the job waits for them (calling this again stops waiting). The run ends
 * with %G_IO_ERROR_CANCELLED.
 */
void
horde_image_job_cancel (HordeImageJob *self)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));
  horde_job_cancel (HORDE_JOB (self));
}

/**
 * horde_image_job_run_async:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the job has ended
 * @user_data: data for @callback
 *
 * Runs the job: submits the request (unless the job resumes an id), follows
 * it to the end and downloads its images; the same as
 * [method@Horde.Job.run_async]. A job runs once.
 *
 * Cancelling @cancellable deletes the request on the server; the run ends
 * once the server answered, keeping the images finished before.
 */
void
horde_image_job_run_async (HordeImageJob       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));
  horde_job_run_async (HORDE_JOB (self), cancellable, callback, user_data);
}

/**
 * horde_image_job_run_finish:
 * @self: a #HordeImageJob
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.ImageJob.run_async].
 *
 * Returns: %TRUE when every image arrived; on %FALSE, the images that did
 *   are in [method@Horde.ImageJob.get_images], and @error says why the rest
 *   did not: %G_IO_ERROR_CANCELLED, %HORDE_ERROR_FAULTED (faulted, or no
 *   image after workers failed it), %HORDE_ERROR_TIMEOUT, an error of the
 *   server or of the network
 */
gboolean
horde_image_job_run_finish (HordeImageJob  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_run_finish (HORDE_JOB (self), result, error);
}

/**
 * horde_image_job_run_sync:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the job and waits for its end, blocking the calling thread. The
 * progress properties notify from this thread meanwhile.
 *
 * Returns: %TRUE when every image arrived; see
 *   [method@Horde.ImageJob.run_finish]
 */
gboolean
horde_image_job_run_sync (HordeImageJob  *self,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_run_sync (HORDE_JOB (self), cancellable, error);
}

/**
 * horde_image_job_estimate_async:
 * @self: a #HordeImageJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the estimate
 * @user_data: data for @callback
 *
 * Asks the server what the job's request would cost, without running it:
 * the request sent as a dry run, which queues nothing; the same as
 * [method@Horde.Job.estimate_async].
 */
void
horde_image_job_estimate_async (HordeImageJob       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HORDE_IS_IMAGE_JOB (self));
  horde_job_estimate_async (HORDE_JOB (self), cancellable, callback, user_data);
}

/**
 * horde_image_job_estimate_finish:
 * @self: a #HordeImageJob
 * @result: the #GAsyncResult given to the callback
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.ImageJob.estimate_async]; the same as
 * [method@Horde.Job.estimate_finish].
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_image_job_estimate_finish (HordeImageJob  *self,
                                 GAsyncResult   *result,
                                 double         *kudos,
                                 GError        **error)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_estimate_finish (HORDE_JOB (self), result, kudos, error);
}

/**
 * horde_image_job_estimate_sync:
 * @self: a #HordeImageJob
 * @kudos: (out) (optional): return location for the kudos the request would cost
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.ImageJob.estimate_async], blocking the calling thread; the
 * same as [method@Horde.Job.estimate_sync].
 *
 * Returns: %TRUE with @kudos set, or %FALSE with @error set
 */
gboolean
horde_image_job_estimate_sync (HordeImageJob  *self,
                               double         *kudos,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (self), FALSE);
  return horde_job_estimate_sync (HORDE_JOB (self), kudos, cancellable, error);
}

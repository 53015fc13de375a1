/* test-image-job.c: the image job from submission to decoded images, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libhorde.h>
#include <string.h>
#include <unistd.h>
#include <webp/encode.h>

#include "horde-test-server.h"
#include "horde-test-sim.h"

#define WORKER_KEY "worker-key-001"
#define USERS "[{\"key\": \"" WORKER_KEY "\", \"username\": \"wowner\", \"kudos\": 10, \"trusted\": true, \"id\": 6}]"

static HordeImageGenerateAsyncRequest *
image_request (const char *prompt,
               int         width,
               int         height,
               int         n,
               gboolean    r2)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  const char *models[] = { "Deliberate", NULL };
  HordeImageGenerateAsyncRequest *request;

  horde_model_generation_input_stable_builder_set_width (params, width);
  horde_model_generation_input_stable_builder_set_height (params, height);
  horde_model_generation_input_stable_builder_set_sampler_name (params, "k_euler_a");
  horde_model_generation_input_stable_builder_set_clip_skip (params, 1);
  horde_model_generation_input_stable_builder_set_n (params, n);
  horde_model_generation_input_stable_builder_set_steps (params, 20);
  built = horde_model_generation_input_stable_builder_end (params, NULL);

  horde_image_generate_async_request_builder_set_prompt (builder, prompt);
  horde_image_generate_async_request_builder_set_models (builder, models);
  horde_image_generate_async_request_builder_set_params (builder, built);
  horde_image_generate_async_request_builder_set_r2 (builder, r2);
  request = horde_image_generate_async_request_builder_end (builder, NULL);
  g_assert_nonnull (request);

  return request;
}

static void
assert_image (GListModel *images,
              guint       index,
              int         width,
              int         height)
{
  g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, index);
  GdkPixbuf *pixbuf;

  g_assert_nonnull (image);
  g_assert_cmpstr (horde_generated_image_get_mime_type (image), ==, "image/webp");
  g_assert_cmpstr (horde_generated_image_get_extension (image), ==, "webp");
  g_assert_cmpuint (g_bytes_get_size (horde_generated_image_get_bytes (image)), >, 100);
  pixbuf = horde_generated_image_get_pixbuf (image);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  g_assert_nonnull (horde_generated_image_get_generation (image));
  g_assert_nonnull (horde_generated_image_get_seed (image));
  g_assert_cmpstr (horde_generation_stable_get_model (horde_generated_image_get_generation (image)), ==, "Deliberate");
}

typedef struct {
  GPtrArray *states;        /* HordeJobState seen, in order, without repeats */
  guint notifies;
  gint64 max_finished;
} Watch;

static void
watch_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Watch *watch = user_data;
  HordeImageJob *job = HORDE_IMAGE_JOB (object);
  HordeJobState state = horde_image_job_get_state (job);

  watch->notifies++;
  watch->max_finished = MAX (watch->max_finished, horde_image_job_get_finished (job));
  if (watch->states->len == 0 ||
      GPOINTER_TO_UINT (g_ptr_array_index (watch->states, watch->states->len - 1)) != state)
    g_ptr_array_add (watch->states, GUINT_TO_POINTER (state));
}

static gboolean
saw_state (Watch         *watch,
           HordeJobState  state)
{
  for (guint i = 0; i < watch->states->len; i++)
    if (GPOINTER_TO_UINT (watch->states->pdata[i]) == state)
      return TRUE;
  return FALSE;
}

/* horde_sdk's getting-started flow, with the job, synchronously; base64 images */
static void
test_flow_sync (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "300", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("A cat in a hat", 512, 768, 2, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  Watch watch = { states, 0, 0 };

  g_signal_connect (job, "notify", G_CALLBACK (watch_notify), &watch);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_NEW);

  g_assert_true (horde_image_job_run_sync (job, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_DONE);
  g_assert_nonnull (horde_image_job_get_id (job));
  /* fetched: nothing is left on the server */
  g_assert_false (horde_image_job_get_on_server (job));
  g_assert_null (horde_image_job_get_connection_error (job));
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 2);
  assert_image (horde_image_job_get_images (job), 0, 512, 768);
  assert_image (horde_image_job_get_images (job), 1, 512, 768);
  g_assert_cmpint (horde_image_job_get_finished (job), ==, 2);
  g_assert_cmpfloat (horde_image_job_get_kudos (job), >, 0);

  /* progress was told as it happened */
  g_assert_true (saw_state (&watch, HORDE_JOB_STATE_SUBMITTING));
  g_assert_true (saw_state (&watch, HORDE_JOB_STATE_DOWNLOADING));
  g_assert_cmpuint (GPOINTER_TO_UINT (states->pdata[states->len - 1]), ==, HORDE_JOB_STATE_DONE);

  /* one full status, once; and the job is no longer held by the client */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "status"), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 0);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  /* a job runs once */
  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
}

/* the same, asynchronously, with r2 download URLs */
static void
test_flow_async_r2 (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "300", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("A cat in a hat", 512, 768, 2, TRUE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  HordeTestRun run = { 0 };

  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_SUBMITTING);
  g_assert_true (horde_test_wait_for (&run.done, 30));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 2);
  assert_image (horde_image_job_get_images (job), 0, 512, 768);
  assert_image (horde_image_job_get_images (job), 1, 512, 768);
}

static void
test_estimate (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("A cat in a hat", 512, 768, 2, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;
  double kudos = 0;

  g_assert_true (horde_image_job_estimate_sync (job, &kudos, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (kudos, >, 0);

  /* nothing was queued, and the job itself is still new */
  stats = horde_test_sim_stats (sim);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (stats), "jobs")), ==, 0);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_NEW);
}

typedef struct {
  gboolean seen;
  gint64 finished;
  gint64 processing;
} AtDelete;

/* What the DELETE's answer said, once the request is deleted */
static void
record_at_delete (HordeJob   *job,
                  GParamSpec *pspec,
                  AtDelete   *at)
{
  if (horde_job_get_on_server (job) || horde_job_get_state (job) != HORDE_JOB_STATE_CANCELLING || at->seen)
    return;

  at->seen = TRUE;
  at->finished = horde_job_get_finished (job);
  at->processing = horde_job_get_processing (job);
}

static void
test_cancel_mid_poll (void)
{
  /* one worker, two seconds an image: three images finish at 2, 4 and 6 s;
   * cancelling at 3 s leaves one done, one being made and one queued;
   * the one being made is finished by its worker and charged, as on the
   * real server, and the job keeps it */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "1", "--job-time", "2000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("three owls", 512, 512, 3, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HordeTestRun run = { 0 };
  AtDelete at = { 0 };
  g_auto(GValue) check = G_VALUE_INIT;
  guint kept;

  g_signal_connect (job, "notify::on-server", G_CALLBACK (record_at_delete), &at);
  horde_image_job_run_async (job, cancellable, horde_test_run_done, &run);
  g_timeout_add_once (3000, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);

  /* the server saw the DELETE, and what it had finished came back */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
  kept = g_list_model_get_n_items (horde_image_job_get_images (job));
  g_assert_cmpuint (kept, >=, 1);
  g_assert_cmpuint (kept, <, 3);
  assert_image (horde_image_job_get_images (job), 0, 512, 512);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  /* every image finished or being made at the cancel, and the final
   * charge for them */
  g_assert_true (at.seen);
  g_assert_cmpint (at.processing, >=, 1);
  g_assert_cmpuint (kept, ==, at.finished + at.processing);
  assert_image (horde_image_job_get_images (job), kept - 1, 512, 512);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "status"), ==, 1);
  horde_test_send_op (client, "GET", "/v2/generate/check/{id}", NULL, horde_image_job_get_id (job), &check);
  g_assert_cmpfloat (horde_image_job_get_kudos (job), ==,
                     horde_request_status_check_get_kudos (g_value_get_boxed (&check)));
}

static void
test_job_timeout (void)
{
  /* no worker at all: the request waits until the job gives up */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a lighthouse", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  horde_image_job_set_timeout (job, 2);
  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
  g_assert_false (horde_image_job_get_is_possible (job));
  /* the warning of the 202 answer */
  g_assert_nonnull (horde_image_job_get_warnings (job));
  g_assert_nonnull (horde_image_job_get_warnings (job)[0]);
  /* the request does not stay on the server spending kudos */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
}

/* Every generation fails: the server faults a request once more than two
 * of its generations failed (three images here) */
static void
test_faulted (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "worker-fault", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a storm", 512, 512, 3, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_true (horde_image_job_get_faulted (job));
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
}

/* One image whose worker fails twice: the server re-queues it only while
 * finished and failed generations are fewer than asked, so the request
 * ends done, not faulted, restarted twice, with nothing: the job fails
 * and says so */
static void
test_faulted_one (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "worker-fault", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a storm", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_false (horde_image_job_get_faulted (job));
  g_assert_cmpint (horde_job_get_restarted (HORDE_JOB (job)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 0);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
}

static void
test_restarted (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "200", "--faults", "worker-restart,count=1", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a phoenix", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_true (horde_image_job_run_sync (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horde_image_job_get_restarted (job), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 1);
}

static void
test_corrupt_image (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "corrupt-image", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("static", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Image 1 of 1"));
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 0);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
}

static void
test_expired_r2_url (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "expire-r2", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("old news", 512, 512, 1, TRUE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_true (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN) ||
                 g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND));
  g_assert_nonnull (strstr (error->message, "Image 1 of 1"));
}

static void
test_resume (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "300", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a comet", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  const char *id;

  /* submitted by someone else (a program that crashed since, say) */
  g_value_init (&value, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);
  g_value_set_boxed (&value, request);
  g_assert_true (horde_client_send_sync (client, &value, &response, NULL, &error));
  id = horde_request_async_get_id (g_value_get_boxed (&response));

  job = horde_image_job_new_for_id (client, id);
  g_assert_cmpstr (horde_image_job_get_id (job), ==, id);
  g_assert_null (horde_image_job_get_request (job));
  g_assert_true (horde_image_job_run_sync (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 1);
  /* nothing was submitted twice */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 1);
}

static void
test_submit_refused (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a giant", 1024, 1024, 1, FALSE);
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new_from (request);
  g_autoptr(HordeModelGenerationInputStableBuilder) params =
    horde_model_generation_input_stable_builder_new_from (horde_image_generate_async_request_get_params (request));
  g_autoptr(HordeImageGenerateAsyncRequest) big = NULL;
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GError) error = NULL;

  horde_model_generation_input_stable_builder_set_steps (params, 100);
  built = horde_model_generation_input_stable_builder_end (params, NULL);
  horde_image_generate_async_request_builder_set_params (builder, built);
  big = horde_image_generate_async_request_builder_end (builder, NULL);

  job = horde_image_job_new (client, big);
  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "KudosUpfront");
  g_assert_null (horde_image_job_get_id (job));
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} CancelAll;

static void
cancel_all_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CancelAll *all = user_data;

  all->ok = horde_client_cancel_all_finish (HORDE_CLIENT (object), result, &all->error);
  all->done = TRUE;
}

static void
jobs_submitted (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  guint *submitted = user_data;

  if (horde_image_job_get_state (HORDE_IMAGE_JOB (object)) == HORDE_JOB_STATE_WAITING)
    (*submitted)++;
}

static void
test_cancel_all (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a queue", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) a = horde_image_job_new (client, request);
  g_autoptr(HordeImageJob) b = horde_image_job_new (client, request);
  HordeTestRun run_a = { 0 }, run_b = { 0 };
  CancelAll all = { 0 };
  guint submitted = 0;
  gboolean both = FALSE;

  g_signal_connect (a, "notify::state", G_CALLBACK (jobs_submitted), &submitted);
  g_signal_connect (b, "notify::state", G_CALLBACK (jobs_submitted), &submitted);
  horde_image_job_run_async (a, NULL, horde_test_run_done, &run_a);
  horde_image_job_run_async (b, NULL, horde_test_run_done, &run_b);
  while (submitted < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 2);

  /* what an application does when its window closes */
  horde_client_cancel_all_async (client, NULL, cancel_all_done, &all);
  g_assert_true (horde_test_wait_for (&all.done, 20));
  g_assert_no_error (all.error);
  g_assert_true (all.ok);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (a), "delete"), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (b), "delete"), ==, 1);

  both = horde_test_wait_for (&run_a.done, 5) && horde_test_wait_for (&run_b.done, 5);
  g_assert_true (both);
  g_assert_error (run_a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (run_b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run_a.error);
  g_clear_error (&run_b.error);

  /* with nothing running it completes at once */
  all.done = FALSE;
  horde_client_cancel_all_async (client, NULL, cancel_all_done, &all);
  g_assert_true (horde_test_wait_for (&all.done, 1));
}

typedef struct {
  gboolean done;
  char **ids;
  GError *error;
} CleanUp;

static void
clean_up_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CleanUp *clean = user_data;

  clean->ids = horde_client_clean_up_finish (HORDE_CLIENT (object), result, &clean->error);
  clean->done = TRUE;
}

/* A script's clean-up: every request is deleted and reported but the one
 * it keeps, which stays on the server and keeps running */
static void
test_clean_up_keep (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a queue", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) gone = horde_image_job_new (client, request);
  g_autoptr(HordeImageJob) kept = horde_image_job_new (client, request);
  HordeTestRun run_gone = { 0 }, run_kept = { 0 };
  CleanUp clean = { 0 };
  guint submitted = 0;

  g_assert_false (horde_job_get_keep (HORDE_JOB (kept)));
  g_signal_connect (gone, "notify::state", G_CALLBACK (jobs_submitted), &submitted);
  g_signal_connect (kept, "notify::state", G_CALLBACK (jobs_submitted), &submitted);
  horde_image_job_run_async (gone, NULL, horde_test_run_done, &run_gone);
  horde_image_job_run_async (kept, NULL, horde_test_run_done, &run_kept);
  while (submitted < 2)
    g_main_context_iteration (NULL, TRUE);
  horde_job_set_keep (HORDE_JOB (kept), TRUE);
  g_assert_true (horde_job_get_keep (HORDE_JOB (kept)));

  horde_client_clean_up_async (client, NULL, clean_up_done, &clean);
  g_assert_true (horde_test_wait_for (&clean.done, 20));
  g_assert_no_error (clean.error);
  g_assert_nonnull (clean.ids);
  g_assert_cmpuint (g_strv_length (clean.ids), ==, 1);
  g_assert_cmpstr (clean.ids[0], ==, horde_image_job_get_id (gone));
  g_clear_pointer (&clean.ids, g_strfreev);

  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (gone), "delete"), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (kept), "delete"), ==, 0);
  g_assert_true (horde_test_wait_for (&run_gone.done, 5));
  g_assert_error (run_gone.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run_gone.error);
  g_assert_false (run_kept.done);
  g_assert_true (horde_job_get_on_server (HORDE_JOB (kept)));
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 1);

  /* cancel_all leaves it alone too, and completes at once */
  {
    CancelAll all = { 0 };

    horde_client_cancel_all_async (client, NULL, cancel_all_done, &all);
    g_assert_true (horde_test_wait_for (&all.done, 1));
    g_assert_true (all.ok);
    g_assert_false (run_kept.done);
  }

  /* unkept, the next clean-up deletes it */
  horde_job_set_keep (HORDE_JOB (kept), FALSE);
  clean.done = FALSE;
  horde_client_clean_up_async (client, NULL, clean_up_done, &clean);
  g_assert_true (horde_test_wait_for (&clean.done, 20));
  g_assert_no_error (clean.error);
  g_assert_cmpuint (g_strv_length (clean.ids), ==, 1);
  g_assert_cmpstr (clean.ids[0], ==, horde_image_job_get_id (kept));
  g_clear_pointer (&clean.ids, g_strfreev);
  g_assert_true (horde_test_wait_for (&run_kept.done, 5));
  g_clear_error (&run_kept.error);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  /* nothing left: an empty list at once */
  clean.done = FALSE;
  horde_client_clean_up_async (client, NULL, clean_up_done, &clean);
  g_assert_true (horde_test_wait_for (&clean.done, 1));
  g_assert_nonnull (clean.ids);
  g_assert_cmpuint (g_strv_length (clean.ids), ==, 0);
  g_clear_pointer (&clean.ids, g_strfreev);
}

/* A clean-up while the submission is on its way waits for its id and
 * deletes the request; the synchronous form reports it too */
static void
test_clean_up_submitting (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a queue", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  HordeTestRun run = { 0 };

  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_SUBMITTING);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 1);

  ids = horde_client_clean_up_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (horde_image_job_get_id (job));
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, horde_image_job_get_id (job));
  g_assert_cmpint (horde_test_sim_job_count (sim, ids[0], "delete"), ==, 1);
  g_assert_true (horde_test_wait_for (&run.done, 5));
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);
}

typedef struct {
  HordeTestSim *sim;
  gboolean on_server;         /* seen TRUE while running */
  guint outage_notifies;      /* connection-error became set */
  gboolean connection_back;   /* and was cleared before the run ended */
} Outage;

static void
outage_notify (HordeImageJob *job,
               GParamSpec    *pspec,
               Outage        *outage)
{
  if (g_str_equal (pspec->name, "on-server"))
    outage->on_server |= horde_image_job_get_on_server (job);
  else if (horde_image_job_get_connection_error (job) != NULL)
    {
      const GError *error = horde_image_job_get_connection_error (job);

      g_assert_true (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NETWORK) ||
                     g_error_matches (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR));
      /* the run goes on while the server is away */
      g_assert_cmpint (horde_image_job_get_state (job), !=, HORDE_JOB_STATE_FAILED);
      if (outage->outage_notifies++ == 0)
        horde_test_sim_set_faults (outage->sim, NULL);
    }
  else if (outage->outage_notifies > 0 && horde_image_job_get_state (job) != HORDE_JOB_STATE_DONE)
    outage->connection_back = TRUE;
}

static gboolean
break_connection (gpointer data)
{
  HordeTestSim *sim = data;

  /* every poll and the final fetch fail: connections dropped, then 503s */
  horde_test_sim_set_faults (sim, "drop@GET /api/v2/generate/check/*;status:503@GET /api/v2/generate/status/*");
  return G_SOURCE_REMOVE;
}

/* The server goes away while the request runs there, and comes back: the
 * job says so, keeps asking, and gets the images */
static void
test_outage (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "1", "--job-time", "1500", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a lighthouse in fog", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  Outage outage = { sim, FALSE, 0, FALSE };
  HordeTestRun run = { 0 };

  /* one retry of its own, so that the job meets the outage quickly */
  horde_client_set_max_retries (client, 1);
  g_signal_connect (job, "notify::on-server", G_CALLBACK (outage_notify), &outage);
  g_signal_connect (job, "notify::connection-error", G_CALLBACK (outage_notify), &outage);
  g_assert_false (horde_image_job_get_on_server (job));

  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_timeout_add (300, break_connection, sim);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_DONE);
  g_assert_cmpuint (outage.outage_notifies, >=, 1);
  g_assert_true (outage.connection_back);
  g_assert_null (horde_image_job_get_connection_error (job));
  g_assert_true (outage.on_server);
  g_assert_false (horde_image_job_get_on_server (job));
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 1);
  /* submitted once, never again */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 1);
}

/* A cancel that cannot reach the server leaves the request there, and the
 * job says so; a job for its id finishes it later */
static void
test_cancel_unreachable (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "1", "--job-time", "1500", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a lighthouse at night", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(HordeImageJob) again = NULL;
  g_autoptr(GError) error = NULL;
  HordeTestRun run = { 0 };

  horde_client_set_max_retries (client, 0);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  while (horde_image_job_get_id (job) == NULL)
    g_main_context_iteration (NULL, TRUE);

  horde_test_sim_set_faults (sim, "drop");
  horde_image_job_cancel (job);
  g_assert_true (horde_test_wait_for (&run.done, 30));
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_true (horde_image_job_get_on_server (job));

  horde_test_sim_set_faults (sim, NULL);
  again = horde_image_job_new_for_id (client, horde_image_job_get_id (job));
  g_assert_true (horde_image_job_run_sync (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (horde_image_job_get_on_server (again));
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (again)), ==, 1);
}

/* ---- after a cancel: what the server still makes and charges ---------- */

/* A small real WebP, base64 */
static char *
webp_base64 (void)
{
  guint8 rgba[8 * 8 * 4];
  guint8 *webp = NULL;
  size_t length;
  char *text;

  for (guint i = 0; i < sizeof rgba; i += 4)
    {
      rgba[i] = 30;
      rgba[i + 1] = (guint8) i;
      rgba[i + 2] = 200;
      rgba[i + 3] = 255;
    }
  length = WebPEncodeLosslessRGBA (rgba, 8, 8, 8 * 4, &webp);
  g_assert_cmpuint (length, >, 0);
  text = g_base64_encode (webp, length);
  WebPFree (webp);
  return text;
}

/* horde-sim with no worker of its own and a user whose key a test's
 * worker uses */
static HordeTestSim *
sim_with_worker_key (char **users)
{
  *users = horde_test_write_users (USERS);
  return horde_test_sim_start ("--workers", "0", "--users", *users, NULL);
}

typedef struct {
  HordeClient *worker;
  const char *generation;   /* to deliver once the request is deleted */
  char *image;
  gboolean delivered;
  gint64 finished_at_delete;
  gint64 processing_at_delete;
} Deliver;

static void
submit_image (HordeClient *worker,
              const char  *generation,
              const char  *image)
{
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"%s\", \"state\": \"ok\", \"seed\": 7}",
                                           generation, image);
  g_auto(GValue) answer = G_VALUE_INIT;

  horde_test_send_op (worker, "POST", "/v2/generate/submit", body, NULL, &answer);
}

/* The DELETE is answered: the worker delivers what it was making */
static void
deliver_after_delete (HordeJob   *job,
                      GParamSpec *pspec,
                      Deliver    *deliver)
{
  if (horde_job_get_on_server (job) || horde_job_get_state (job) != HORDE_JOB_STATE_CANCELLING ||
      deliver->delivered)
    return;

  deliver->finished_at_delete = horde_job_get_finished (job);
  deliver->processing_at_delete = horde_job_get_processing (job);
  if (deliver->generation != NULL)
    submit_image (deliver->worker, deliver->generation, deliver->image);
  deliver->delivered = TRUE;
}

/* A worker was making an image when the user cancelled: the server
 * finishes it, charges it and serves it; the job keeps it, and its kudos
 * are the final charge */
static void
test_cancel_keeps_rendering (void)
{
  g_autofree char *users = NULL;
  g_autoptr(HordeTestSim) sim = sim_with_worker_key (&users);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeClient) worker = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("two foxes", 512, 512, 2, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(HordeGenerationPayloadStable) popped = NULL;
  g_autofree char *image = webp_base64 ();
  g_auto(GValue) answer = G_VALUE_INIT;
  g_auto(GValue) check = G_VALUE_INIT;
  const char * const *ids;
  Deliver deliver = { 0 };
  HordeTestRun run = { 0 };

  horde_client_set_api_key (worker, WORKER_KEY);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  while (horde_image_job_get_id (job) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* a worker takes both images and delivers the first */
  horde_test_send_op (worker, "POST", "/v2/generate/pop",
           "{\"name\": \"follower\", \"models\": [\"Deliberate\"], \"max_pixels\": 1048576, \"amount\": 2,"
           " \"nsfw\": true, \"bridge_agent\": \"AI Horde Worker reGen:9.0.0:https://github.com/Haidra-Org/horde-worker-reGen\"}",
           NULL, &answer);
  popped = g_value_dup_boxed (&answer);
  ids = horde_generation_payload_stable_get_ids (popped);
  g_assert_nonnull (ids);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 2);
  submit_image (worker, ids[0], image);

  /* the user cancels while the second is being made */
  deliver.worker = worker;
  deliver.generation = ids[1];
  deliver.image = image;
  g_signal_connect (job, "notify::on-server", G_CALLBACK (deliver_after_delete), &deliver);
  horde_image_job_cancel (job);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_true (deliver.delivered);

  /* both images, the second fetched by one full status after the DELETE */
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 2);
  /* the job read the DELETE's answer: one finished, one being made */
  g_assert_cmpint (deliver.finished_at_delete, ==, 1);
  g_assert_cmpint (deliver.processing_at_delete, ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "status"), ==, 1);
  g_assert_cmpint (horde_image_job_get_finished (job), ==, 2);
  g_assert_cmpint (horde_image_job_get_processing (job), ==, 0);

  /* what the server charged in the end */
  horde_test_send_op (client, "GET", "/v2/generate/check/{id}", NULL, horde_image_job_get_id (job), &check);
  g_assert_cmpfloat (horde_image_job_get_kudos (job), ==,
                     horde_request_status_check_get_kudos (g_value_get_boxed (&check)));
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);
  g_unlink (users);
}

static void
cancel_on_first_check (HordeJob   *job,
                       GParamSpec *pspec,
                       gint64     *checks)
{
  HordeTestSim *sim = g_object_get_data (G_OBJECT (job), "sim");

  if (horde_job_get_state (job) != HORDE_JOB_STATE_WAITING || *checks >= 0)
    return;

  /* within the handling of an answer: no other poll is on its way */
  *checks = horde_test_sim_job_count (sim, horde_job_get_id (job), "check");
  horde_job_cancel (job);
}

/* When nothing is being made, a cancel is one DELETE, and nothing after */
static void
test_cancel_nothing_processing (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("an empty room", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  HordeTestRun run = { 0 };
  gint64 checks = -1;

  g_object_set_data (G_OBJECT (job), "sim", sim);
  g_signal_connect (job, "notify::waiting", G_CALLBACK (cancel_on_first_check), &checks);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_true (horde_test_wait_for (&run.done, 30));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpint (checks, >=, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "check"), ==, checks);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "delete"), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "status"), ==, 0);
}

/* ---- a scripted server, for what horde-sim does not do --------------- */

#define MOCK_FOREVER G_MAXUINT

typedef struct {
  GMutex lock;
  gboolean restarted;       /* the request ends done with no image */
  guint busy_after_delete;  /* checks after the DELETE still making one */
  char *image;
  /* what it saw */
  gboolean deleted;
  guint checks;
  guint checks_after_delete;
  guint statuses;
  guint deletes;
} Mock;

#define MOCK_COUNTS "\"waiting\": 0, \"queue_position\": 0, \"wait_time\": 0, \"is_possible\": true, \"faulted\": false"

static void
mock_answer (SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

/* Answers as the real server did: 202 with the expected cost (18), a tax
 * charged at once (3), the image charged when delivered (12 in all) */
static void
mock_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Mock *mock = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&mock->lock);
  g_autofree char *json = NULL;

  if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v2/generate/async"))
    mock_answer (msg, 202, "{\"id\": \"00000000-0000-4000-8000-000000000001\", \"kudos\": 18}");
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/api/v2/generate/check/"))
    {
      mock->checks++;
      if (mock->restarted)
        json = g_strdup ("{\"finished\": 0, \"processing\": 0, \"restarted\": 2, \"done\": true, \"kudos\": 3, " MOCK_COUNTS "}");
      else if (mock->deleted && mock->checks_after_delete++ >= mock->busy_after_delete)
        json = g_strdup ("{\"finished\": 1, \"processing\": 0, \"restarted\": 0, \"done\": true, \"kudos\": 12, " MOCK_COUNTS "}");
      else
        json = g_strdup ("{\"finished\": 0, \"processing\": 1, \"restarted\": 0, \"done\": false, \"kudos\": 3, " MOCK_COUNTS "}");
      mock_answer (msg, 200, json);
    }
  else if (g_str_equal (method, "DELETE") && g_str_has_prefix (path, "/api/v2/generate/status/"))
    {
      mock->deletes++;
      mock->deleted = TRUE;
      if (mock->restarted)
        json = g_strdup ("{\"finished\": 0, \"processing\": 0, \"restarted\": 2, \"done\": true, \"kudos\": 3, \"generations\": [], " MOCK_COUNTS "}");
      else
        json = g_strdup ("{\"finished\": 0, \"processing\": 1, \"restarted\": 0, \"done\": false, \"kudos\": 3, \"generations\": [], " MOCK_COUNTS "}");
      mock_answer (msg, 200, json);
    }
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/api/v2/generate/status/"))
    {
      mock->statuses++;
      json = g_strdup_printf ("{\"finished\": 1, \"processing\": 0, \"restarted\": 0, \"done\": true, \"kudos\": 12, "
                              MOCK_COUNTS ", \"generations\": [{\"img\": \"%s\", \"seed\": \"7\", \"id\": \"g1\","
                              " \"model\": \"Deliberate\", \"worker_name\": \"w\", \"state\": \"ok\", \"censored\": false}]}",
                              mock->image);
      mock_answer (msg, 200, json);
    }
  else
    mock_answer (msg, 404, "{\"message\": \"Not found\", \"rc\": \"NotFound\"}");
}

static guint
mock_get (Mock  *mock,
          guint *field)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&mock->lock);

  return *field;
}

static HordeClient *
mock_client (HordeTestServer *server)
{
  HordeClient *client = horde_client_new ();
  const char *url = horde_test_server_get_url (server);
  g_autofree char *base = g_strconcat (url, g_str_has_suffix (url, "/") ? "api" : "/api", NULL);

  horde_client_set_base_url (client, base);
  horde_client_set_max_retries (client, 0);
  return client;
}

static void
kudos_notify (HordeJob   *job,
              GParamSpec *pspec,
              GArray     *kudos)
{
  double value = horde_job_get_kudos (job);

  g_array_append_val (kudos, value);
}

static void
cancel_when_processing (HordeJob   *job,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  if (horde_job_get_processing (job) > 0 && horde_job_get_state (job) == HORDE_JOB_STATE_PROCESSING)
    horde_job_cancel (job);
}

/* The cost as the server tells it: the 202's estimate, then each answer's
 * charge; after the cancel the job follows the request, polling, until
 * the image being made is finished, and fetches it once */
static void
test_cancel_follows_kudos (void)
{
  Mock mock = { .busy_after_delete = 1, .image = webp_base64 () };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a kite", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GArray) kudos = g_array_new (FALSE, FALSE, sizeof (double));
  HordeTestRun run = { 0 };

  g_signal_connect (job, "notify::kudos", G_CALLBACK (kudos_notify), kudos);
  g_signal_connect (job, "notify::processing", G_CALLBACK (cancel_when_processing), NULL);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.deletes), ==, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.checks_after_delete), ==, 2);
  g_assert_cmpuint (mock_get (&mock, &mock.statuses), ==, 1);

  /* 18 expected, 3 charged at once, 12 in the end */
  g_assert_cmpuint (kudos->len, ==, 3);
  g_assert_cmpfloat (g_array_index (kudos, double, 0), ==, 18);
  g_assert_cmpfloat (g_array_index (kudos, double, 1), ==, 3);
  g_assert_cmpfloat (g_array_index (kudos, double, 2), ==, 12);
  g_assert_cmpfloat (horde_image_job_get_kudos (job), ==, 12);
  g_assert_null (horde_job_get_expires_at (HORDE_JOB (job)));

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
  g_free (mock.image);
}

/* A second cancel stops the follow-up at once, with what the DELETE said */
static void
test_cancel_twice (void)
{
  Mock mock = { .busy_after_delete = MOCK_FOREVER, .image = webp_base64 () };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a kite", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  HordeTestRun run = { 0 };

  g_signal_connect (job, "notify::processing", G_CALLBACK (cancel_when_processing), NULL);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  /* a poll answered after the DELETE: the job follows the request */
  while (!run.done && mock_get (&mock, &mock.checks_after_delete) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLING);
  horde_image_job_cancel (job);
  g_assert_true (horde_test_wait_for (&run.done, 30));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpuint (mock_get (&mock, &mock.checks_after_delete), ==, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.statuses), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 0);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
  g_free (mock.image);
}

/* The job's timeout bounds the follow-up; the job is still cancelled */
static void
test_cancel_follow_timeout (void)
{
  Mock mock = { .busy_after_delete = MOCK_FOREVER, .image = webp_base64 () };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a kite", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  HordeTestRun run = { 0 };

  horde_image_job_set_timeout (job, 4);
  g_signal_connect (job, "notify::processing", G_CALLBACK (cancel_when_processing), NULL);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpuint (mock_get (&mock, &mock.checks_after_delete), >=, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.statuses), ==, 0);

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
  g_free (mock.image);
}

/* An application that quits does not wait for the follow-up */
static void
test_cancel_all_while_rendering (void)
{
  Mock mock = { .busy_after_delete = MOCK_FOREVER, .image = webp_base64 () };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a kite", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  HordeTestRun run = { 0 };
  CancelAll all = { 0 };

  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  while (horde_image_job_get_processing (job) == 0)
    g_main_context_iteration (NULL, TRUE);

  horde_client_cancel_all_async (client, NULL, cancel_all_done, &all);
  g_assert_true (horde_test_wait_for (&all.done, 20));
  g_assert_no_error (all.error);
  g_assert_true (horde_test_wait_for (&run.done, 20));
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpuint (mock_get (&mock, &mock.deletes), ==, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.checks_after_delete), ==, 0);

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
  g_free (mock.image);
}

/* done, not faulted, no image, restarted twice: a failure said in words */
static void
test_restarted_nothing (void)
{
  Mock mock = { .restarted = TRUE, .image = webp_base64 () };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a kite", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_image_job_run_sync (job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_nonnull (strstr (error->message, "Workers failed this request 2 times"));
  g_assert_nonnull (strstr (error->message, "produced nothing"));
  g_assert_cmpint (horde_image_job_get_state (job), ==, HORDE_JOB_STATE_FAILED);
  g_assert_false (horde_image_job_get_faulted (job));
  g_assert_cmpint (horde_image_job_get_restarted (job), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 0);
  /* like a faulted request, deleted rather than fetched */
  g_assert_cmpuint (mock_get (&mock, &mock.deletes), ==, 1);
  g_assert_cmpuint (mock_get (&mock, &mock.statuses), ==, 0);

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
  g_free (mock.image);
}

/* ---- a request no worker can serve ----------------------------------- */

/* The job says when the server will forget the request, and does not poll
 * every second meanwhile */
static void
test_impossible (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("a lighthouse", 512, 512, 1, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) expires = NULL;
  HordeTestRun run = { 0 };

  g_assert_null (horde_job_get_expires_at (HORDE_JOB (job)));
  horde_image_job_set_timeout (job, 5);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  while (horde_image_job_get_id (job) == NULL)
    g_main_context_iteration (NULL, TRUE);
  after = g_date_time_new_now_utc ();

  /* 20 minutes after the submission, as the server's warning says */
  g_assert_nonnull (horde_job_get_expires_at (HORDE_JOB (job)));
  expires = g_date_time_ref (horde_job_get_expires_at (HORDE_JOB (job)));
  g_assert_cmpint (g_date_time_difference (expires, before), >=, 20 * 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (expires, after), <=, 20 * 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_get_utc_offset (expires), ==, 0);

  g_assert_true (horde_test_wait_for (&run.done, 30));
  g_assert_error (run.error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_clear_error (&run.error);
  g_assert_false (horde_image_job_get_is_possible (job));
  /* once it said so, the next poll would have been half a minute later */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_image_job_get_id (job), "check"), <=, 1);
  /* and the run has ended */
  g_assert_null (horde_job_get_expires_at (HORDE_JOB (job)));
}

typedef struct {
  guint arrived;
  guint before_done;        /* arrived while the request was still running */
  guint next_position;
  GHashTable *generations;  /* ids seen */
} Arrivals;

static void
image_arrived (HordeImageJob       *job,
               guint                position,
               HordeGeneratedImage *image,
               Arrivals            *arrivals)
{
  HordeJobState state = horde_image_job_get_state (job);
  HordeGenerationStable *generation = horde_generated_image_get_generation (image);

  /* in the list, where the signal says, once each */
  g_assert_cmpuint (position, ==, arrivals->next_position);
  arrivals->next_position++;
  g_assert_true (g_list_model_get_item (horde_image_job_get_images (job), position) == (gpointer) image);
  g_object_unref (image);
  g_assert_nonnull (generation);
  g_assert_true (g_hash_table_add (arrivals->generations, g_strdup (horde_generation_stable_get_id (generation))));

  arrivals->arrived++;
  if (state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING)
    arrivals->before_done++;
}

/* One worker makes four images one after the other: the first ones come
 * while the rest are being made, from an early look at /status, without
 * ever hitting the server's 10 a minute for it, and the final fetch
 * brings only the rest */
static void
test_images_arrive_early (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "1", "--job-time", "4000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("four owls, one by one", 512, 512, 4, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GHashTable) generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Arrivals arrivals = { 0, 0, 0, generations };
  HordeTestRun run = { 0 };
  g_autoptr(JsonNode) stats = NULL;
  gint64 statuses;

  g_signal_connect (job, "image-arrived", G_CALLBACK (image_arrived), &arrivals);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_true (horde_test_wait_for (&run.done, 90));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  g_assert_cmpuint (arrivals.arrived, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (horde_image_job_get_images (job)), ==, 4);
  g_assert_cmpuint (g_hash_table_size (generations), ==, 4);
  for (guint i = 0; i < 4; i++)
    assert_image (horde_image_job_get_images (job), i, 512, 512);
  /* some before the request was done */
  g_assert_cmpuint (arrivals.before_done, >=, 1);
  g_assert_cmpuint (arrivals.before_done, <, 4);

  /* an early look or two, and the final fetch; never a 429 */
  statuses = horde_test_sim_job_count (sim, horde_image_job_get_id (job), "status");
  g_assert_cmpint (statuses, >=, 2);
  g_assert_cmpint (statuses, <=, 3);
  stats = horde_test_sim_stats (sim);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (stats), "requests"),
                                               "rate_limited"), ==, 0);
}

/* ---- the early look, when it is not worth it ------------------------- */

typedef struct {
  GMutex lock;
  gint64 wait_time;         /* what the checks before the end say */
  gint64 waiting;
  char *image;
  guint checks;
  guint statuses;
} Early;

#define EARLY_CHECKS_BEFORE_DONE 3

static char *
early_generation (Early      *early,
                  const char *id)
{
  return g_strdup_printf ("{\"img\": \"%s\", \"seed\": \"7\", \"id\": \"%s\", \"model\": \"Deliberate\","
                          " \"worker_name\": \"w\", \"state\": \"ok\", \"censored\": false}", early->image, id);
}

/* Two images (three when some wait): one finished and one being made for
 * three checks, then all done */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Early *early = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&early->lock);
  g_autofree char *json = NULL;
  gboolean done = early->checks > EARLY_CHECKS_BEFORE_DONE;
  gint64 n = 2 + early->waiting;

  if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v2/generate/async"))
    mock_answer (msg, 202, "{\"id\": \"00000000-0000-4000-8000-000000000002\", \"kudos\": 18}");
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/api/v2/generate/check/"))
    {
      early->checks++;
      if (done)
        json = g_strdup_printf ("{\"finished\": %d, \"processing\": 0, \"waiting\": 0, \"restarted\": 0, \"done\": true,"
                                " \"wait_time\": 0, \"queue_position\": 0, \"kudos\": 12, \"is_possible\": true, \"faulted\": false}",
                                (int) n);
      else
        json = g_strdup_printf ("{\"finished\": 1, \"processing\": 1, \"waiting\": %d, \"restarted\": 0, \"done\": false,"
                                " \"wait_time\": %d, \"queue_position\": 0, \"kudos\": 6, \"is_possible\": true, \"faulted\": false}",
                                (int) early->waiting, (int) early->wait_time);
      mock_answer (msg, 200, json);
    }
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/api/v2/generate/status/"))
    {
      g_autoptr(GString) generations = g_string_new (NULL);

      early->statuses++;
      for (gint64 i = 0; i < (done ? n : 1); i++)
        {
          g_autofree char *id = g_strdup_printf ("g%d", (int) i);
          g_autofree char *generation = early_generation (early, id);

          g_string_append_printf (generations, "%s%s", i > 0 ? ", " : "", generation);
        }
      json = g_strdup_printf ("{\"finished\": %d, \"processing\": %d, \"waiting\": 0, \"restarted\": 0, \"done\": %s,"
                              " \"wait_time\": 0, \"queue_position\": 0, \"kudos\": 12, \"is_possible\": true,"
                              " \"faulted\": false, \"generations\": [%s]}",
                              done ? (int) n : 1, done ? 0 : 1, done ? "true" : "false", generations->str);
      mock_answer (msg, 200, json);
    }
  else
    mock_answer (msg, 404, "{\"message\": \"Not found\", \"rc\": \"NotFound\"}");
}

static void
run_early (Early *early,
           guint *arrived_before_done,
           guint *n_images)
{
  HordeTestServer *server = horde_test_server_start (early_handler, early);
  g_autoptr(HordeClient) client = mock_client (server);
  g_autoptr(HordeImageGenerateAsyncRequest) request = image_request ("two kites", 512, 512, 2 + early->waiting, FALSE);
  g_autoptr(HordeImageJob) job = horde_image_job_new (client, request);
  g_autoptr(GHashTable) generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Arrivals arrivals = { 0, 0, 0, generations };
  HordeTestRun run = { 0 };

  g_signal_connect (job, "image-arrived", G_CALLBACK (image_arrived), &arrivals);
  horde_image_job_run_async (job, NULL, horde_test_run_done, &run);
  g_assert_true (horde_test_wait_for (&run.done, 60));
  g_assert_no_error (run.error);
  horde_test_server_stop (server);

  *arrived_before_done = arrivals.before_done;
  *n_images = g_list_model_get_n_items (horde_image_job_get_images (job));
  g_assert_cmpuint (arrivals.arrived, ==, *n_images);
}

/* The rest about to be done (the server expects it in 2 s, or has no
 * estimate and nothing waits for a worker): no early look, one fetch at
 * the end. With more to be made, an early look at once, and the final
 * fetch brings the others without the one seen before twice. */
static void
test_early_look_policy (void)
{
  Early soon = { .wait_time = 2, .image = webp_base64 () };
  Early unknown = { .wait_time = 0, .image = webp_base64 () };
  Early more = { .wait_time = 0, .waiting = 1, .image = webp_base64 () };
  guint before_done, n_images;

  run_early (&soon, &before_done, &n_images);
  g_assert_cmpuint (soon.statuses, ==, 1);
  g_assert_cmpuint (before_done, ==, 0);
  g_assert_cmpuint (n_images, ==, 2);

  run_early (&unknown, &before_done, &n_images);
  g_assert_cmpuint (unknown.statuses, ==, 1);
  g_assert_cmpuint (before_done, ==, 0);
  g_assert_cmpuint (n_images, ==, 2);

  run_early (&more, &before_done, &n_images);
  g_assert_cmpuint (more.statuses, ==, 2);
  g_assert_cmpuint (before_done, ==, 1);
  g_assert_cmpuint (n_images, ==, 3);

  g_free (soon.image);
  g_free (unknown.image);
  g_free (more.image);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-job/flow-sync", test_flow_sync);
  g_test_add_func ("/image-job/flow-async-r2", test_flow_async_r2);
  g_test_add_func ("/image-job/estimate", test_estimate);
  g_test_add_func ("/image-job/cancel-mid-poll", test_cancel_mid_poll);
  g_test_add_func ("/image-job/timeout", test_job_timeout);
  g_test_add_func ("/image-job/faulted", test_faulted);
  g_test_add_func ("/image-job/faulted-one", test_faulted_one);
  g_test_add_func ("/image-job/restarted", test_restarted);
  g_test_add_func ("/image-job/corrupt-image", test_corrupt_image);
  g_test_add_func ("/image-job/expired-r2-url", test_expired_r2_url);
  g_test_add_func ("/image-job/resume", test_resume);
  g_test_add_func ("/image-job/submit-refused", test_submit_refused);
  g_test_add_func ("/image-job/cancel-all", test_cancel_all);
  g_test_add_func ("/image-job/clean-up-keep", test_clean_up_keep);
  g_test_add_func ("/image-job/clean-up-submitting", test_clean_up_submitting);
  g_test_add_func ("/image-job/outage", test_outage);
  g_test_add_func ("/image-job/cancel-unreachable", test_cancel_unreachable);
  g_test_add_func ("/image-job/cancel-keeps-rendering", test_cancel_keeps_rendering);
  g_test_add_func ("/image-job/cancel-nothing-processing", test_cancel_nothing_processing);
  g_test_add_func ("/image-job/cancel-follows-kudos", test_cancel_follows_kudos);
  g_test_add_func ("/image-job/cancel-twice", test_cancel_twice);
  g_test_add_func ("/image-job/cancel-follow-timeout", test_cancel_follow_timeout);
  g_test_add_func ("/image-job/cancel-all-while-rendering", test_cancel_all_while_rendering);
  g_test_add_func ("/image-job/restarted-nothing", test_restarted_nothing);
  g_test_add_func ("/image-job/impossible", test_impossible);
  g_test_add_func ("/image-job/images-arrive-early", test_images_arrive_early);
  g_test_add_func ("/image-job/early-look-policy", test_early_look_policy);

  return g_test_run ();
}

/* test-text-job.c: the text job from submission to texts, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libhorde.h>
#include <string.h>
#include <unistd.h>

#include "horde-test-server.h"
#include "horde-test-sim.h"

#define WORKER_KEY "worker-key-001"
#define USERS "[{\"key\": \"" WORKER_KEY "\", \"username\": \"wowner\", \"kudos\": 10, \"trusted\": true, \"id\": 6}]"

#define TEXT_MODEL "koboldcpp/LLaMA2-13B-Psyfighter2"

static HordeTextGenerateAsyncRequest *
text_request (const char *prompt,
              int         n)
{
  g_autoptr(HordeModelGenerationInputKoboldBuilder) params = horde_model_generation_input_kobold_builder_new ();
  g_autoptr(HordeTextGenerateAsyncRequestBuilder) builder = horde_text_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputKobold) built = NULL;
  HordeTextGenerateAsyncRequest *request;

  horde_model_generation_input_kobold_builder_set_n (params, n);
  horde_model_generation_input_kobold_builder_set_max_length (params, 32);
  horde_model_generation_input_kobold_builder_set_max_context_length (params, 1024);
  built = horde_model_generation_input_kobold_builder_end (params, NULL);
  g_assert_nonnull (built);

  horde_text_generate_async_request_builder_set_prompt (builder, prompt);
  horde_text_generate_async_request_builder_set_params (builder, built);
  request = horde_text_generate_async_request_builder_end (builder, NULL);
  g_assert_nonnull (request);

  return request;
}

static void
assert_generation (HordeTextJob *job,
                   guint         index)
{
  gsize n = 0;
  HordeGenerationKobold * const *generations = horde_text_job_get_generations (job, &n);

  g_assert_cmpuint (index, <, n);
  g_assert_nonnull (generations[index]);
  g_assert_nonnull (horde_generation_kobold_get_text (generations[index]));
  g_assert_cmpuint (strlen (horde_generation_kobold_get_text (generations[index])), >, 0);
  g_assert_cmpstr (horde_generation_kobold_get_model (generations[index]), ==, TEXT_MODEL);
  g_assert_nonnull (horde_generation_kobold_get_worker_id (generations[index]));
}

typedef struct {
  GPtrArray *states;        /* HordeJobState seen, in order, without repeats */
  guint generation_notifies;
  gint64 max_finished;
} Watch;

static void
watch_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Watch *watch = user_data;
  HordeJob *job = HORDE_JOB (object);
  HordeJobState state = horde_job_get_state (job);

  if (g_str_equal (pspec->name, "n-generations"))
    watch->generation_notifies++;
  watch->max_finished = MAX (watch->max_finished, horde_job_get_finished (job));
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

static void
test_flow_sync (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("Once upon a time", 2);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  g_auto(GStrv) texts = NULL;
  Watch watch = { states, 0, 0 };
  gint64 started = g_get_monotonic_time ();
  gint64 polls;
  double seconds;

  g_signal_connect (job, "notify", G_CALLBACK (watch_notify), &watch);
  g_assert_true (HORDE_IS_JOB (job));
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_NEW);
  g_assert_true (horde_text_job_get_request (job) == request);

  g_assert_true (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_DONE);
  g_assert_nonnull (horde_job_get_id (HORDE_JOB (job)));
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
  g_assert_null (horde_job_get_connection_error (HORDE_JOB (job)));
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 2);
  assert_generation (job, 0);
  assert_generation (job, 1);
  texts = horde_text_job_dup_texts (job);
  g_assert_cmpuint (g_strv_length (texts), ==, 2);
  g_assert_cmpstr (texts[0], ==, horde_generation_kobold_get_text (horde_text_job_get_generations (job, NULL)[0]));
  g_assert_cmpint (horde_job_get_finished (HORDE_JOB (job)), ==, 2);
  g_assert_cmpfloat (horde_job_get_kudos (HORDE_JOB (job)), >, 0);
  g_assert_nonnull (horde_text_job_get_last_status (job));

  /* progress was told as it happened */
  g_assert_true (saw_state (&watch, HORDE_JOB_STATE_SUBMITTING));
  g_assert_true (saw_state (&watch, HORDE_JOB_STATE_WAITING) || saw_state (&watch, HORDE_JOB_STATE_PROCESSING));
  g_assert_true (saw_state (&watch, HORDE_JOB_STATE_DOWNLOADING));
  g_assert_cmpuint (GPOINTER_TO_UINT (states->pdata[states->len - 1]), ==, HORDE_JOB_STATE_DONE);
  g_assert_cmpuint (watch.generation_notifies, >=, 1);
  g_assert_cmpint (watch.max_finished, ==, 2);

  /* text has no /check: the status is the poll, at most once a second */
  polls = horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "status");
  g_assert_cmpint (polls, >=, 1);
  g_assert_cmpfloat (polls, <=, seconds + 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 0);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/generate/text/status/{id}"), ==, polls);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  /* a job runs once */
  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
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
  /* one text worker, two seconds a text: three texts finish at 2, 4 and
   * 6 s; cancelling at 3 s leaves one done and one being written, which
   * its worker finishes and the server charges, as on the real server */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "2000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("three tales", 3);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HordeTestRun run = { 0 };
  AtDelete at = { 0 };
  guint kept;

  g_signal_connect (job, "notify::on-server", G_CALLBACK (record_at_delete), &at);
  horde_job_run_async (HORDE_JOB (job), cancellable, horde_test_run_done, &run);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_SUBMITTING);
  g_timeout_add_once (3000, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_CANCELLED);

  /* the server saw the DELETE, and what it had finished was kept */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
  kept = horde_text_job_get_n_generations (job);
  g_assert_cmpuint (kept, >=, 1);
  g_assert_cmpuint (kept, <, 3);
  assert_generation (job, 0);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);

  /* every text finished or being written at the cancel */
  g_assert_true (at.seen);
  g_assert_cmpint (at.processing, >=, 1);
  g_assert_cmpuint (kept, ==, at.finished + at.processing);
  assert_generation (job, kept - 1);
}

static void
test_job_timeout (void)
{
  /* a text takes longer than the job may */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "6000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a long story", 1);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  g_autoptr(GError) error = NULL;

  horde_job_set_timeout (HORDE_JOB (job), 2);
  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 0);
  /* the request does not stay on the server spending kudos */
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
}

static void
test_faulted (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "worker-fault", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a storm", 1);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_true (horde_job_get_faulted (HORDE_JOB (job)));
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
}

static void
test_resume (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a comet", 1);
  g_autoptr(HordeTextJob) job = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  const char *id;

  /* submitted by someone else (a program that crashed since, say) */
  g_value_init (&value, HORDE_TYPE_TEXT_GENERATE_ASYNC_REQUEST);
  g_value_set_boxed (&value, request);
  g_assert_true (horde_client_send_sync (client, &value, &response, NULL, &error));
  g_assert_no_error (error);
  id = horde_request_async_get_id (g_value_get_boxed (&response));

  job = horde_text_job_new_for_id (client, id);
  g_assert_cmpstr (horde_job_get_id (HORDE_JOB (job)), ==, id);
  g_assert_null (horde_text_job_get_request (job));
  g_assert_true (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 1);
  assert_generation (job, 0);
  /* nothing was submitted twice */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/text/async"), ==, 1);
}

static void
test_resume_unknown (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextJob) job = horde_text_job_new_for_id (client, "00000000-0000-0000-0000-000000000000");
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
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

/* the client reaches text jobs as it does image jobs */
static void
test_cancel_all (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "8000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a queue", 1);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  HordeTestRun run = { 0 };
  CancelAll all = { 0 };

  horde_job_run_async (HORDE_JOB (job), NULL, horde_test_run_done, &run);
  while (horde_job_get_state (HORDE_JOB (job)) == HORDE_JOB_STATE_SUBMITTING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 1);

  horde_client_cancel_all_async (client, NULL, cancel_all_done, &all);
  g_assert_true (horde_test_wait_for (&all.done, 20));
  g_assert_no_error (all.error);
  g_assert_true (horde_test_wait_for (&run.done, 5));
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);
}

typedef struct {
  HordeTestSim *sim;
  guint outage_notifies;      /* connection-error became set */
  gboolean connection_back;   /* and was cleared before the run ended */
} Outage;

static void
outage_notify (HordeJob   *job,
               GParamSpec *pspec,
               Outage     *outage)
{
  if (horde_job_get_connection_error (job) != NULL)
    {
      g_assert_cmpint (horde_job_get_state (job), !=, HORDE_JOB_STATE_FAILED);
      g_assert_true (horde_job_get_on_server (job));
      if (outage->outage_notifies++ == 0)
        horde_test_sim_set_faults (outage->sim, NULL);
    }
  else if (outage->outage_notifies > 0 && horde_job_get_state (job) != HORDE_JOB_STATE_DONE)
    outage->connection_back = TRUE;
}

static gboolean
break_connection (gpointer data)
{
  horde_test_sim_set_faults (data, "drop@GET /api/v2/generate/text/status/*");
  return G_SOURCE_REMOVE;
}

/* The server goes away while the text is being written, and comes back */
static void
test_outage (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "2500", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a lighthouse in fog", 1);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, request);
  Outage outage = { sim, 0, FALSE };
  HordeTestRun run = { 0 };

  horde_client_set_max_retries (client, 1);
  g_signal_connect (job, "notify::connection-error", G_CALLBACK (outage_notify), &outage);
  horde_job_run_async (HORDE_JOB (job), NULL, horde_test_run_done, &run);
  g_timeout_add (300, break_connection, sim);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (outage.outage_notifies, >=, 1);
  g_assert_true (outage.connection_back);
  g_assert_null (horde_job_get_connection_error (HORDE_JOB (job)));
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 1);
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/text/async"), ==, 1);
}

typedef struct {
  gboolean done;
  gboolean ok;
  double kudos;
  GError *error;
} Estimate;

static void
estimate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Estimate *estimate = user_data;

  estimate->ok = horde_job_estimate_finish (HORDE_JOB (object), result, &estimate->kudos, &estimate->error);
  estimate->done = TRUE;
}

static void
test_estimate (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeTextGenerateAsyncRequest) one = text_request ("Once upon a time", 1);
  g_autoptr(HordeTextGenerateAsyncRequest) three = text_request ("Once upon a time", 3);
  g_autoptr(HordeTextJob) job = horde_text_job_new (client, three);
  g_autoptr(HordeTextJob) job_one = horde_text_job_new (client, one);
  g_autoptr(HordeTextJob) resumed = horde_text_job_new_for_id (client, "00000000-0000-0000-0000-000000000000");
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;
  Estimate estimate = { 0 };
  double kudos_one = 0;

  /* async, then sync: a price, and three texts cost more than one */
  horde_job_estimate_async (HORDE_JOB (job), NULL, estimate_done, &estimate);
  g_assert_true (horde_test_wait_for (&estimate.done, 30));
  g_assert_no_error (estimate.error);
  g_assert_true (estimate.ok);
  g_assert_cmpfloat (estimate.kudos, >, 0);
  g_assert_true (horde_job_estimate_sync (HORDE_JOB (job_one), &kudos_one, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (kudos_one, >, 0);
  g_assert_cmpfloat (kudos_one, <, estimate.kudos);

  /* the server was asked twice and queued nothing; the jobs are still new */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/text/async"), ==, 2);
  stats = horde_test_sim_stats (sim);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (stats), "jobs")), ==, 0);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_NEW);
  g_assert_null (horde_job_get_id (HORDE_JOB (job)));
  g_assert_false (horde_text_generate_async_request_get_dry_run (horde_text_job_get_request (job)));

  /* the real submission is quoted nothing: the server works out a text
   * request's kudos for a dry run only (horde/apis/v2/kobold.py), so the
   * estimate is the only price before the texts arrive */
  g_value_init (&value, HORDE_TYPE_TEXT_GENERATE_ASYNC_REQUEST);
  g_value_set_boxed (&value, three);
  g_assert_true (horde_client_send_sync (client, &value, &response, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (horde_request_async_get_kudos (g_value_get_boxed (&response)), ==, 0);

  /* an estimated job still runs */
  g_assert_true (horde_job_run_sync (HORDE_JOB (job_one), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_text_job_get_n_generations (job_one), ==, 1);

  /* a job resumed from an id has no request to price, and sends nothing */
  g_assert_false (horde_job_estimate_sync (HORDE_JOB (resumed), NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/text/async"), ==, 4);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (resumed)), ==, HORDE_JOB_STATE_NEW);
}

static char *
pop_text (HordeClient *worker)
{
  g_auto(GValue) answer = G_VALUE_INIT;
  const char *id;

  horde_test_send_op (worker, "POST", "/v2/generate/text/pop",
           "{\"name\": \"scribe\", \"models\": [\"" TEXT_MODEL "\"], \"max_length\": 512,"
           " \"max_context_length\": 4096, \"nsfw\": true, \"bridge_agent\": \"KoboldAI Client:1:local\"}",
           NULL, &answer);
  id = horde_generation_payload_kobold_get_id (g_value_get_boxed (&answer));
  g_assert_nonnull (id);
  return g_strdup (id);
}

static void
submit_text (HordeClient *worker,
             const char  *id,
             const char  *text)
{
  g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"%s\", \"state\": \"ok\", \"seed\": 3}",
                                           id, text);
  g_auto(GValue) answer = G_VALUE_INIT;

  horde_test_send_op (worker, "POST", "/v2/generate/text/submit", body, NULL, &answer);
}

typedef struct {
  HordeClient *worker;
  const char *generation;
  gboolean delivered;
  gint64 processing_at_delete;
} Deliver;

/* The DELETE is answered: the worker delivers what it was writing */
static void
deliver_after_delete (HordeJob   *job,
                      GParamSpec *pspec,
                      Deliver    *deliver)
{
  if (horde_job_get_on_server (job) || horde_job_get_state (job) != HORDE_JOB_STATE_CANCELLING ||
      deliver->delivered)
    return;

  deliver->processing_at_delete = horde_job_get_processing (job);
  submit_text (deliver->worker, deliver->generation, "and then the second tale ended");
  deliver->delivered = TRUE;
}

/* A worker was writing a text when the user cancelled: the server
 * finishes it, charges it and serves it (kobold.py: the DELETE sets n to
 * 0, as for images); the job keeps it */
static void
test_cancel_keeps_writing (void)
{
  g_autofree char *users = horde_test_write_users (USERS);
  g_autoptr(HordeTestSim) sim = NULL;
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeClient) worker = NULL;
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("two tales", 2);
  g_autoptr(HordeTextJob) job = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GValue) status = G_VALUE_INIT;
  Deliver deliver = { 0 };
  HordeTestRun run = { 0 };

  sim = horde_test_sim_start ("--text-workers", "0", "--users", users, NULL);
  client = horde_test_sim_new_client (sim);
  worker = horde_test_sim_new_client (sim);
  horde_client_set_api_key (worker, WORKER_KEY);
  job = horde_text_job_new (client, request);

  horde_job_run_async (HORDE_JOB (job), NULL, horde_test_run_done, &run);
  while (horde_job_get_id (HORDE_JOB (job)) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* a worker takes both texts and delivers the first */
  first = pop_text (worker);
  second = pop_text (worker);
  submit_text (worker, first, "once upon a time");

  deliver.worker = worker;
  deliver.generation = second;
  g_signal_connect (job, "notify::on-server", G_CALLBACK (deliver_after_delete), &deliver);
  horde_job_cancel (HORDE_JOB (job));
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_true (deliver.delivered);
  g_assert_cmpint (deliver.processing_at_delete, ==, 1);
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 2);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);

  /* what the server charged in the end */
  horde_test_send_op (client, "GET", "/v2/generate/text/status/{id}", NULL, horde_job_get_id (HORDE_JOB (job)), &status);
  g_assert_cmpfloat (horde_job_get_kudos (HORDE_JOB (job)), ==,
                     horde_request_status_kobold_get_kudos (g_value_get_boxed (&status)));
  g_unlink (users);
}

typedef struct {
  GMutex lock;
  guint deletes;
} Mock;

static void
mock_answer (SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

/* A request whose worker failed it twice, which the real server ends with
 * done, not faulted */
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

  if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v2/generate/text/async"))
    mock_answer (msg, 202, "{\"id\": \"00000000-0000-4000-8000-000000000002\", \"kudos\": 5}");
  else if (g_str_has_prefix (path, "/api/v2/generate/text/status/"))
    {
      if (g_str_equal (method, "DELETE"))
        mock->deletes++;
      mock_answer (msg, 200, "{\"finished\": 0, \"processing\": 0, \"restarted\": 3, \"waiting\": 0, \"done\": true,"
                             " \"faulted\": false, \"wait_time\": 0, \"queue_position\": 0, \"kudos\": 1,"
                             " \"is_possible\": true, \"generations\": []}");
    }
  else
    mock_answer (msg, 404, "{\"message\": \"Not found\", \"rc\": \"NotFound\"}");
}

/* done, not faulted, no text, restarted: a failure said in words */
static void
test_restarted_nothing (void)
{
  Mock mock = { 0 };
  HordeTestServer *server = horde_test_server_start (mock_handler, &mock);
  const char *url = horde_test_server_get_url (server);
  g_autofree char *base = g_strconcat (url, g_str_has_suffix (url, "/") ? "api" : "/api", NULL);
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(HordeTextGenerateAsyncRequest) request = text_request ("a tale", 1);
  g_autoptr(HordeTextJob) job = NULL;
  g_autoptr(GError) error = NULL;

  horde_client_set_base_url (client, base);
  horde_client_set_max_retries (client, 0);
  job = horde_text_job_new (client, request);
  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_nonnull (strstr (error->message, "Workers failed this request 3 times"));
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_false (horde_job_get_faulted (HORDE_JOB (job)));
  g_assert_cmpuint (horde_text_job_get_n_generations (job), ==, 0);
  g_assert_cmpfloat (horde_job_get_kudos (HORDE_JOB (job)), ==, 1);
  g_mutex_lock (&mock.lock);
  g_assert_cmpuint (mock.deletes, ==, 1);
  g_mutex_unlock (&mock.lock);

  g_clear_object (&job);
  g_clear_object (&client);
  horde_test_server_stop (server);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-job/flow-sync", test_flow_sync);
  g_test_add_func ("/text-job/cancel-mid-poll", test_cancel_mid_poll);
  g_test_add_func ("/text-job/timeout", test_job_timeout);
  g_test_add_func ("/text-job/faulted", test_faulted);
  g_test_add_func ("/text-job/resume", test_resume);
  g_test_add_func ("/text-job/resume-unknown", test_resume_unknown);
  g_test_add_func ("/text-job/cancel-all", test_cancel_all);
  g_test_add_func ("/text-job/outage", test_outage);
  g_test_add_func ("/text-job/estimate", test_estimate);
  g_test_add_func ("/text-job/cancel-keeps-writing", test_cancel_keeps_writing);
  g_test_add_func ("/text-job/restarted-nothing", test_restarted_nothing);

  return g_test_run ();
}

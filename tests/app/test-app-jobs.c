/* test-app-jobs.c: the job list against a Horde that answers as the real one did
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A scripted server on 127.0.0.1 answers with what the real AI Horde
 * answered where horde-sim cannot be made to: a request done with no image
 * after its workers failed (`restarted: 2`, `faulted: false`); it can also
 * hold a submission unanswered. Images arriving one by one and "Cancel
 * All" run against horde-sim. Job rows are widgets: the test runs under
 * Xvfb.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include <adwaita.h>

#include "horde-studio-job-row.h"
#include "horde-studio-jobs.h"
#include "horde-test-server.h"
#include "horde-test-sim.h"

#define REQUEST_ID "5f1a37ab-2079-4b29-afa2-3843a5cb8475"

/* what the real server answered for a request its workers kept failing */
#define PROGRESS \
  "\"finished\": 0, \"processing\": 0, \"restarted\": 2, \"waiting\": 0, \"done\": true, " \
  "\"faulted\": false, \"wait_time\": 0, \"queue_position\": 0, \"kudos\": 3.0, \"is_possible\": true"

/* A submission the server holds unanswered until the test lets it go
 * (the server answers from a thread of its own) */
static GMutex hold_mutex;
static GCond hold_cond;
static gboolean hold_posts;
static guint posts;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  const char *body = NULL;
  guint status = SOUP_STATUS_OK;

  if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/v2/generate/async"))
    {
      g_mutex_lock (&hold_mutex);
      posts++;
      while (hold_posts)
        g_cond_wait (&hold_cond, &hold_mutex);
      g_mutex_unlock (&hold_mutex);

      status = SOUP_STATUS_ACCEPTED;
      body = "{\"id\": \"" REQUEST_ID "\", \"kudos\": 5.0}";
    }
  else if (g_str_equal (method, "GET") && g_str_has_suffix (path, "/v2/generate/check/" REQUEST_ID))
    body = "{" PROGRESS "}";
  else if (g_str_has_suffix (path, "/v2/generate/status/" REQUEST_ID))
    body = "{\"generations\": [], \"shared\": false, " PROGRESS "}";
  else
    {
      status = SOUP_STATUS_NOT_FOUND;
      body = "{\"message\": \"Not here\"}";
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

typedef struct {
  HordeTestServer *server;
  HordeClient *client;
  HordeStudioGallery *gallery;
  HordeStudioJobs *jobs;
  char *directory;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->server = horde_test_server_start (handler, f);
  url = g_strconcat (horde_test_server_get_url (f->server), "api", NULL);
  f->client = horde_client_new ();
  horde_client_set_base_url (f->client, url);
  horde_client_set_max_retries (f->client, 0);
  f->directory = g_dir_make_tmp ("horde-studio-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  f->gallery = horde_studio_gallery_new (f->directory, &error);
  g_assert_no_error (error);
  f->jobs = horde_studio_jobs_new (f->client, f->gallery);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->jobs);
  g_clear_object (&f->gallery);
  g_clear_object (&f->client);
  horde_test_server_stop (f->server);
  remove_tree (f->directory);
  g_free (f->directory);
}

static void
job_ended (HordeStudioJobs *jobs,
           HordeStudioJob  *job,
           gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static HordeImageGenerateAsyncRequest *
make_prompt_request (const char *prompt,
                     int         n)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;

  horde_model_generation_input_stable_builder_set_n (params, n);
  horde_model_generation_input_stable_builder_set_width (params, 512);
  horde_model_generation_input_stable_builder_set_height (params, 512);
  built = horde_model_generation_input_stable_builder_end (params, NULL);
  horde_image_generate_async_request_builder_set_prompt (builder, prompt);
  horde_image_generate_async_request_builder_set_params (builder, built);
  horde_image_generate_async_request_builder_set_nsfw (builder, FALSE);
  return horde_image_generate_async_request_builder_end (builder, NULL);
}

static HordeImageGenerateAsyncRequest *
make_request (void)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();

  horde_image_generate_async_request_builder_set_prompt (builder, "a request its workers keep failing");
  return horde_image_generate_async_request_builder_end (builder, NULL);
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms (to let a second pass; nothing is
 * asserted on how long things take) */
static void
run_for (guint ms)
{
  gboolean passed = FALSE;

  g_timeout_add (ms, set_true, &passed);
  while (!passed)
    g_main_context_iteration (NULL, TRUE);
}

static guint
get_posts (void)
{
  guint n;

  g_mutex_lock (&hold_mutex);
  n = posts;
  g_mutex_unlock (&hold_mutex);
  return n;
}

static void
release_posts (void)
{
  g_mutex_lock (&hold_mutex);
  hold_posts = FALSE;
  g_cond_broadcast (&hold_cond);
  g_mutex_unlock (&hold_mutex);
}

/* Ctrl+Enter pressed again: the same request while its POST is still
 * unanswered is not sent again, however long the server takes, nor a
 * moment after it was sent; another request is, and so is the same one
 * later, on purpose */
static void
test_repeat_not_sent (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = make_prompt_request ("a fox in the snow", 1);
  g_autoptr(HordeImageGenerateAsyncRequest) same = make_prompt_request ("a fox in the snow", 1);
  g_autoptr(HordeImageGenerateAsyncRequest) other = make_prompt_request ("a fox in the rain", 1);
  HordeStudioJob *first, *again;
  gboolean sending_false = FALSE;

  g_mutex_lock (&hold_mutex);
  hold_posts = TRUE;
  posts = 0;
  g_mutex_unlock (&hold_mutex);

  g_assert_false (horde_studio_jobs_get_sending (f->jobs));
  first = horde_studio_jobs_submit (f->jobs, request);
  g_assert_nonnull (first);
  g_assert_true (horde_studio_jobs_get_sending (f->jobs));
  /* at once */
  g_assert_null (horde_studio_jobs_submit (f->jobs, same));
  /* and after the repeat window, the POST still unanswered */
  while (get_posts () == 0)
    g_main_context_iteration (NULL, FALSE);
  run_for (1300);
  g_assert_true (horde_studio_jobs_get_sending (f->jobs));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (first)), ==, HORDE_JOB_STATE_SUBMITTING);
  g_assert_null (horde_studio_jobs_submit (f->jobs, same));
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_jobs_get_model (f->jobs)), ==, 1);

  g_signal_connect_swapped (f->jobs, "notify::sending", G_CALLBACK (set_true), &sending_false);
  release_posts ();
  g_assert_true (horde_test_wait_for (&sending_false, 30));
  g_assert_false (horde_studio_jobs_get_sending (f->jobs));
  g_assert_cmpuint (get_posts (), ==, 1);

  /* a different request goes; repeated at once, it does not */
  again = horde_studio_jobs_submit (f->jobs, other);
  g_assert_nonnull (again);
  g_assert_null (horde_studio_jobs_submit (f->jobs, other));
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_jobs_get_model (f->jobs)), ==, 2);

  /* the same request again once the first was answered and a moment
   * passed: the user wants more images */
  run_for (1300);
  g_assert_nonnull (horde_studio_jobs_submit (f->jobs, same));
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_jobs_get_model (f->jobs)), ==, 3);

  /* the runs end before the list goes */
  while (horde_studio_jobs_get_n_unfinished (f->jobs) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (get_posts (), ==, 3);
}

/* Against horde-sim */
typedef struct {
  HordeTestSim *sim;
  HordeClient *client;
  HordeStudioGallery *gallery;
  HordeStudioJobs *jobs;
  char *directory;
} SimFixture;

static void
sim_fixture_set_up (SimFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* one worker, images one after the other */
  f->sim = horde_test_sim_start ("--workers", "1", "--job-time", data != NULL ? (const char *) data : "4000", NULL);
  f->client = horde_test_sim_new_client (f->sim);
  f->directory = g_dir_make_tmp ("horde-studio-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  f->gallery = horde_studio_gallery_new (f->directory, &error);
  g_assert_no_error (error);
  f->jobs = horde_studio_jobs_new (f->client, f->gallery);
}

static void remove_tree (const char *path);

static void
sim_fixture_tear_down (SimFixture    *f,
                       gconstpointer  data)
{
  g_clear_object (&f->jobs);
  g_clear_object (&f->gallery);
  g_clear_object (&f->client);
  g_clear_pointer (&f->sim, horde_test_sim_stop);
  remove_tree (f->directory);
  g_free (f->directory);
}

typedef struct {
  HordeStudioJobRow *row;
  HordeStudioJob *job;
  GArray *shown_running;    /* thumbnails shown while the job ran */
} Thumbnails;

static void
thumbnail_added (GListModel *images,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Thumbnails *thumbnails)
{
  guint n = horde_studio_job_row_get_n_thumbnails (thumbnails->row);

  if (!horde_studio_job_is_ended (thumbnails->job))
    g_array_append_val (thumbnails->shown_running, n);
}

/* A four-image job whose images are made one after the other: its row
 * shows the first thumbnails while the others are still being made, and
 * all four at the end */
static void
test_row_images_arrive (SimFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = make_prompt_request ("four foxes, one by one", 4);
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint));
  Thumbnails thumbnails = { NULL, NULL, shown };
  gboolean ended = FALSE;
  HordeStudioJob *job;
  GtkWidget *row;

  g_signal_connect (f->jobs, "job-ended", G_CALLBACK (job_ended), &ended);
  job = horde_studio_jobs_submit (f->jobs, request);
  g_assert_nonnull (job);
  row = g_object_ref_sink (horde_studio_job_row_new (f->jobs, job));
  thumbnails.row = HORDE_STUDIO_JOB_ROW (row);
  thumbnails.job = job;
  g_assert_cmpuint (horde_studio_job_row_get_n_thumbnails (thumbnails.row), ==, 0);
  /* after the row's own handler, which adds the thumbnail */
  g_signal_connect_after (horde_studio_job_get_images (job), "items-changed",
                          G_CALLBACK (thumbnail_added), &thumbnails);

  g_assert_true (horde_test_wait_for (&ended, 120));
  g_assert_null (horde_studio_job_get_error_message (job));
  g_assert_cmpuint (horde_studio_job_row_get_n_thumbnails (thumbnails.row), ==, 4);

  /* 1, then more, while the job was still running */
  g_assert_cmpuint (shown->len, >=, 1);
  g_assert_cmpuint (shown->len, <, 4);
  for (guint i = 0; i < shown->len; i++)
    g_assert_cmpuint (g_array_index (shown, guint, i), ==, i + 1);

  g_object_unref (row);
}

typedef struct {
  guint ended;
} Ended;

static void
count_ended (HordeStudioJobs *jobs,
             HordeStudioJob  *job,
             Ended           *ended)
{
  ended->ended++;
}

/* Cancel All: the running requests are deleted on the server, the one
 * waiting for its turn never reaches it */
static void
test_cancel_all (SimFixture    *f,
                 gconstpointer  data)
{
  HordeStudioJob *jobs[3];
  Ended ended = { 0 };

  horde_studio_jobs_set_concurrency (f->jobs, 2);
  g_signal_connect (f->jobs, "job-ended", G_CALLBACK (count_ended), &ended);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autofree char *prompt = g_strdup_printf ("fox number %u", i);
      g_autoptr(HordeImageGenerateAsyncRequest) request = make_prompt_request (prompt, 2);

      jobs[i] = g_object_ref (horde_studio_jobs_submit (f->jobs, request));
    }

  /* the first two on the server, the third waiting for its turn */
  for (guint i = 0; i < 2; i++)
    while (horde_image_job_get_id (horde_studio_job_get_image_job (jobs[i])) == NULL)
      g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (jobs[2])), ==, HORDE_JOB_STATE_NEW);

  g_assert_cmpuint (horde_studio_jobs_cancel_all (f->jobs), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_jobs_get_model (f->jobs)), ==, 2);

  while (ended.ended < 2)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      HordeImageJob *image_job = horde_studio_job_get_image_job (jobs[i]);

      g_assert_cmpint (horde_image_job_get_state (image_job), ==, HORDE_JOB_STATE_CANCELLED);
      g_assert_cmpint (horde_test_sim_job_count (f->sim, horde_image_job_get_id (image_job), "delete"), ==, 1);
      g_assert_false (horde_image_job_get_on_server (image_job));
    }
  /* nothing left to start, and nothing more sent */
  g_assert_cmpuint (horde_studio_jobs_get_n_unfinished (f->jobs), ==, 0);
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/async"), ==, 2);
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (jobs[2])), ==, HORDE_JOB_STATE_NEW);
  /* nothing to cancel a second time */
  g_assert_cmpuint (horde_studio_jobs_cancel_all (f->jobs), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_object_unref (jobs[i]);
}

/* Done, no image, restarted twice: the row gets words, never a bare
 * "Done", whether the job reports it as an error or as done */
static void
test_done_without_image (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = make_request ();
  gboolean ended = FALSE;
  HordeStudioJob *job;
  HordeImageJob *image_job;
  const char *message;

  g_signal_connect (f->jobs, "job-ended", G_CALLBACK (job_ended), &ended);
  job = horde_studio_jobs_submit (f->jobs, request);
  g_assert_true (horde_test_wait_for (&ended, 30));

  image_job = horde_studio_job_get_image_job (job);
  message = horde_studio_job_get_error_message (job);
  g_assert_nonnull (message);
  g_assert_cmpuint (g_list_model_get_n_items (horde_studio_job_get_images (job)), ==, 0);
  if (horde_image_job_get_state (image_job) == HORDE_JOB_STATE_DONE)
    g_assert_nonnull (strstr (message, "restarted 2 times"));
  else
    g_assert_cmpint (horde_image_job_get_state (image_job), ==, HORDE_JOB_STATE_FAILED);
  g_assert_nonnull (horde_studio_job_get_error_hint (job));
}

/* A request recovered after a crash counts its time from its submission */
static void
test_resumed_elapsed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) submitted = g_date_time_add_minutes (now, -5);
  gboolean ended = FALSE;
  HordeStudioJob *job;
  gint64 before = g_get_monotonic_time ();

  g_signal_connect (f->jobs, "job-ended", G_CALLBACK (job_ended), &ended);
  job = horde_studio_jobs_resume (f->jobs, REQUEST_ID, NULL, submitted);
  /* five minutes ago, not now */
  g_assert_cmpint (horde_studio_job_get_started (job), <=, before - 4 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (horde_studio_job_get_started (job), >=, before - 6 * 60 * G_USEC_PER_SEC);
  g_assert_true (horde_test_wait_for (&ended, 30));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/app/jobs/done-without-image", Fixture, NULL, fixture_set_up, test_done_without_image, fixture_tear_down);
  g_test_add ("/app/jobs/resumed-elapsed", Fixture, NULL, fixture_set_up, test_resumed_elapsed, fixture_tear_down);
  g_test_add ("/app/jobs/repeat-not-sent", Fixture, NULL, fixture_set_up, test_repeat_not_sent, fixture_tear_down);
  g_test_add ("/app/jobs/row-images-arrive", SimFixture, NULL, sim_fixture_set_up, test_row_images_arrive, sim_fixture_tear_down);
  g_test_add ("/app/jobs/cancel-all", SimFixture, "8000", sim_fixture_set_up, test_cancel_all, sim_fixture_tear_down);

  return g_test_run ();
}

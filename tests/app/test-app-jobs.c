/* test-app-jobs.c: the job list against a Horde that answers as the real one did
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A scripted server on 127.0.0.1 answers with what the real AI Horde
 * answered where horde-sim cannot be made to: a request done with no image
 * after its workers failed (`restarted: 2`, `faulted: false`).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "horde-studio-jobs.h"
#include "horde-test-server.h"
#include "horde-test-sim.h"

#define REQUEST_ID "5f1a37ab-2079-4b29-afa2-3843a5cb8475"

/* what the real server answered for a request its workers kept failing */
#define PROGRESS \
  "\"finished\": 0, \"processing\": 0, \"restarted\": 2, \"waiting\": 0, \"done\": true, " \
  "\"faulted\": false, \"wait_time\": 0, \"queue_position\": 0, \"kudos\": 3.0, \"is_possible\": true"

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
make_request (void)
{
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();

  horde_image_generate_async_request_builder_set_prompt (builder, "a request its workers keep failing");
  return horde_image_generate_async_request_builder_end (builder, NULL);
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

  g_test_add ("/app/jobs/done-without-image", Fixture, NULL, fixture_set_up, test_done_without_image, fixture_tear_down);
  g_test_add ("/app/jobs/resumed-elapsed", Fixture, NULL, fixture_set_up, test_resumed_elapsed, fixture_tear_down);

  return g_test_run ();
}

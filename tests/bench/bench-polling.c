/* bench-polling.c: how fast a job notices the end, and what it spends
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same set of image jobs runs twice, each time against its own
 * horde-sim: once with libhorde's HordeImageJob, once with a fixed
 * 4-second poll of /check (what horde_sdk does). horde-sim's /_sim/stats
 * says when each request finished on the server, when a client was first
 * told it was done, and how many requests each job cost; this prints the
 * median delay and the requests per job of both. Targets: notice within
 * 1 s (median) for at most half the requests of the 4-second poll.
 */

#include "config.h"

#include <libhorde.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#define FIXED_POLL_S 4
#define KEY "benchmarkbenchmark0001"

typedef struct {
  int n;
  int steps;
  int width;
  int height;
} Shape;

/* a spread of ordinary requests, more than the workers can take at once:
 * as on the real Horde, most of a request's time is spent in the queue */
static const Shape shapes[] = {
  { 1, 20, 512, 512 }, { 2, 30, 512, 768 }, { 1, 40, 768, 768 }, { 3, 25, 512, 512 },
  { 1, 30, 512, 512 }, { 2, 20, 768, 768 }, { 4, 30, 512, 512 }, { 1, 50, 512, 768 },
  { 2, 40, 512, 512 }, { 1, 25, 1024, 1024 }, { 3, 30, 512, 768 }, { 2, 30, 512, 512 },
  { 1, 30, 768, 768 }, { 2, 25, 512, 512 }, { 1, 20, 512, 768 }, { 3, 30, 512, 512 },
  { 1, 40, 512, 512 }, { 2, 30, 768, 768 }, { 1, 30, 512, 512 }, { 2, 20, 512, 768 },
  { 1, 30, 1024, 1024 }, { 2, 30, 512, 512 }, { 1, 25, 768, 768 }, { 1, 30, 512, 512 },
};

typedef struct {
  GSubprocess *process;
  char *url;
} Sim;

/* a registered user: anonymous use is limited to 10 images at once */
static Sim *
sim_start (const char *users)
{
  const char *argv[] = { g_getenv ("HORDE_SIM"), "--port", "0", "--seed", "7", "--workers", "3",
                         "--users", users, NULL };
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  Sim *sim = g_new0 (Sim, 1);

  sim->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  sim->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->url);

  return sim;
}

static void
sim_stop (Sim *sim)
{
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_object_unref (sim->process);
  g_free (sim->url);
  g_free (sim);
}

static HordeImageGenerateAsyncRequest *
request_for (const Shape *shape,
             guint        index)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  g_autofree char *prompt = g_strdup_printf ("benchmark image %u", index);
  const char *models[] = { "stable_diffusion", NULL };

  horde_model_generation_input_stable_builder_set_n (params, shape->n);
  horde_model_generation_input_stable_builder_set_steps (params, shape->steps);
  horde_model_generation_input_stable_builder_set_width (params, shape->width);
  horde_model_generation_input_stable_builder_set_height (params, shape->height);
  built = horde_model_generation_input_stable_builder_end (params, NULL);

  horde_image_generate_async_request_builder_set_prompt (builder, prompt);
  horde_image_generate_async_request_builder_set_models (builder, models);
  horde_image_generate_async_request_builder_set_params (builder, built);
  horde_image_generate_async_request_builder_set_r2 (builder, FALSE);
  return horde_image_generate_async_request_builder_end (builder, NULL);
}

/* ---- libhorde's job -------------------------------------------------- */

static guint jobs_left;          /* of libhorde's run, in the main thread */
static guint fixed_left;         /* of the fixed poll, in its own thread */

static void
job_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!horde_image_job_run_finish (HORDE_IMAGE_JOB (object), result, &error))
    g_error ("a libhorde job failed: %s", error->message);
  jobs_left--;
}

static void
run_libhorde (Sim *sim)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);

  horde_client_set_base_url (client, sim->url);
  horde_client_set_api_key (client, KEY);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (&shapes[i], i);
      HordeImageJob *job = horde_image_job_new (client, request);

      g_ptr_array_add (jobs, job);
      jobs_left++;
      horde_image_job_run_async (job, NULL, job_done, NULL);
    }

  while (jobs_left > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- a fixed 4-second poll, as horde_sdk's client does --------------- */

/* Each job polls on its own, as horde_sdk's coroutines do: a job waiting
 * for its status fetch (paced under 10 a minute) holds up no other. */
typedef struct {
  HordeClient *client;
  char *id;
} FixedJob;

static void fixed_poll_later (FixedJob *job);

static void
fixed_fetched (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FixedJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeRequestStatusStable) full =
    horde_client_send_image_generate_status_request_finish (HORDE_CLIENT (object), result, &error);

  g_assert_no_error (error);
  g_free (job->id);
  g_free (job);
  fixed_left--;
}

static void
fixed_checked (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FixedJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeRequestStatusCheck) answer =
    horde_client_send_image_generate_check_request_finish (HORDE_CLIENT (object), result, &error);
  g_autoptr(HordeImageGenerateStatusRequest) status = NULL;

  g_assert_no_error (error);
  if (!horde_request_status_check_get_done (answer))
    {
      fixed_poll_later (job);
      return;
    }

  status = horde_image_generate_status_request_new (job->id);
  horde_client_send_image_generate_status_request_async (job->client, status, NULL, fixed_fetched, job);
}

static gboolean
fixed_poll (gpointer user_data)
{
  FixedJob *job = user_data;
  g_autoptr(HordeImageGenerateCheckRequest) check = horde_image_generate_check_request_new (job->id);

  horde_client_send_image_generate_check_request_async (job->client, check, NULL, fixed_checked, job);
  return G_SOURCE_REMOVE;
}

static void
fixed_poll_later (FixedJob *job)
{
  g_autoptr(GSource) timer = g_timeout_source_new_seconds (FIXED_POLL_S);

  g_source_set_callback (timer, fixed_poll, job, NULL);
  g_source_attach (timer, g_main_context_get_thread_default ());
}

static gpointer
run_fixed (gpointer data)
{
  Sim *sim = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(HordeClient) client = horde_client_new ();

  g_main_context_push_thread_default (context);
  horde_client_set_base_url (client, sim->url);
  horde_client_set_api_key (client, KEY);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(HordeImageGenerateAsyncRequest) request = request_for (&shapes[i], i);
      g_autoptr(HordeRequestAsync) answer = NULL;
      g_autoptr(GError) error = NULL;
      FixedJob *job = g_new0 (FixedJob, 1);

      answer = horde_client_send_image_generate_async_request_sync (client, request, NULL, &error);
      g_assert_no_error (error);
      job->client = client;
      job->id = g_strdup (horde_request_async_get_id (answer));
      fixed_left++;
      fixed_poll_later (job);
    }

  while (fixed_left > 0)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
  return NULL;
}

/* ---- what the server saw --------------------------------------------- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *who,
        Sim        *sim,
        double     *median_out,
        double     *requests_out)
{
  g_autofree char *url = g_strndup (sim->url, strlen (sim->url) - strlen ("/api"));
  g_autofree char *stats_url = g_strconcat (url, "/_sim/stats", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", stats_url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  JsonObject *jobs;
  g_autoptr(GList) ids = NULL;
  double requests = 0, max_delay = 0;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  jobs = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "jobs");
  ids = json_object_get_members (jobs);

  for (GList *l = ids; l; l = l->next)
    {
      JsonObject *job = json_object_get_object_member (jobs, l->data);
      JsonObject *counts = json_object_get_object_member (job, "requests");
      double delay = json_object_get_double_member (job, "noticed") - json_object_get_double_member (job, "finished");

      g_array_append_val (delays, delay);
      if (g_getenv ("BENCH_VERBOSE"))
        g_print ("    %s: %5.1f s on the server, noticed after %.2f s, %" G_GINT64_FORMAT " checks\n",
                 (const char *) l->data,
                 json_object_get_double_member (job, "finished") - json_object_get_double_member (job, "created"),
                 delay, json_object_get_int_member_with_default (counts, "check", 0));
      max_delay = MAX (max_delay, delay);
      /* what the job spent following its request: checks, status, delete
       * (the submission, one a job either way, is not counted) */
      requests += json_object_get_int_member_with_default (counts, "check", 0)
                    + json_object_get_int_member_with_default (counts, "status", 0)
                    + json_object_get_int_member_with_default (counts, "delete", 0);
    }

  g_array_sort (delays, compare_doubles);
  *median_out = delays->len % 2
    ? g_array_index (delays, double, delays->len / 2)
    : (g_array_index (delays, double, delays->len / 2 - 1) + g_array_index (delays, double, delays->len / 2)) / 2;
  *requests_out = requests / delays->len;

  g_print ("  %-26s %8.2f s %10.2f s %14.1f\n", who, *median_out, max_delay, *requests_out);
}

int
main (int argc, char *argv[])
{
  g_autofree char *users = NULL;
  g_autoptr(GError) error = NULL;
  Sim *ours, *fixed;
  double ours_median, ours_requests, fixed_median, fixed_requests;
  gint64 start = g_get_monotonic_time ();
  int fd;

  fd = g_file_open_tmp ("horde-bench-users-XXXXXX.json", &users, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (users, "[{\"key\": \"" KEY "\", \"username\": \"bench\", \"kudos\": 1000000, \"trusted\": true, \"concurrency\": 100}]", -1, &error);
  g_assert_no_error (error);
  ours = sim_start (users);
  fixed = sim_start (users);

  g_print ("%u image requests at once (1-4 images each, 20-50 steps, 512-1024 px) on 3 simulated workers\n",
           (guint) G_N_ELEMENTS (shapes));

  /* both clients at the same time, each against its own server */
  {
    GThread *thread = g_thread_new ("fixed-poll", run_fixed, fixed);

    run_libhorde (ours);
    g_thread_join (thread);
  }

  g_print ("%-28s %10s %12s %16s\n", "", "notice (median)", "(worst)", "polls a job");
  report ("libhorde HordeImageJob", ours, &ours_median, &ours_requests);
  report ("fixed 4 s poll", fixed, &fixed_median, &fixed_requests);
  g_print ("targets: notice within 1 s: %s; at most half the requests of the fixed poll (%.1f): %s\n",
           ours_median <= 1.0 ? "met" : "MISSED",
           fixed_requests / 2, ours_requests <= fixed_requests / 2 ? "met" : "MISSED");
  g_print ("(%.0f s in all)\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  sim_stop (ours);
  sim_stop (fixed);
  g_unlink (users);
  return 0;
}

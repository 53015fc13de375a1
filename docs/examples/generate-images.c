/* generate-images.c: make two images from a prompt and save them
 *
 * Submits an image request with a few parameters, shows its progress on
 * stderr as the job polls the server, and saves each image in DIRECTORY,
 * printing the file names on stdout, one a line.
 *
 * A HordeImageJob does the whole dance: POST /v2/generate/async, polls of
 * /v2/generate/check/{id} at a pace that follows the server's estimate, one
 * GET /v2/generate/status/{id} when done, then the downloads and decoding.
 *
 * The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
 * (default: the public AI Horde and the anonymous key).
 *
 *   cc generate-images.c -o generate-images $(pkg-config --cflags --libs libhorde-1)
 *   ./generate-images images/ "a lighthouse at dusk"
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <libhorde.h>
#include <locale.h>

typedef struct {
  GMainLoop *loop;
  char      *last_progress;   /* the progress line printed last */
  gboolean   ok;
  GError    *error;
} Generate;

static const char *
state_to_string (HordeJobState state)
{
  switch (state)
    {
    case HORDE_JOB_STATE_NEW:         return "new";
    case HORDE_JOB_STATE_SUBMITTING:  return "submitting";
    case HORDE_JOB_STATE_WAITING:     return "waiting";
    case HORDE_JOB_STATE_PROCESSING:  return "processing";
    case HORDE_JOB_STATE_DOWNLOADING: return "downloading";
    case HORDE_JOB_STATE_CANCELLING:  return "cancelling";
    case HORDE_JOB_STATE_DONE:        return "done";
    case HORDE_JOB_STATE_CANCELLED:   return "cancelled";
    case HORDE_JOB_STATE_FAILED:      return "failed";
    default:                          return "?";
    }
}

/* Called when any property of the job changes: its state, and after each
 * poll the queue position, the time left and the counts of images. A user
 * interface would bind these properties to widgets instead. */
static void
job_notify_cb (HordeImageJob *job,
               GParamSpec    *pspec,
               Generate      *self)
{
  HordeJobState state = horde_image_job_get_state (job);
  g_autofree char *line = NULL;

  /* the counts are the server's, from its last answer to a poll */
  if ((state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING) &&
      horde_image_job_get_last_check (job) != NULL)
    line = g_strdup_printf ("%s: queue position %" G_GINT64_FORMAT ", about %" G_GINT64_FORMAT " s left, "
                            "%" G_GINT64_FORMAT " finished, %" G_GINT64_FORMAT " processing, "
                            "%" G_GINT64_FORMAT " waiting",
                            state_to_string (state),
                            horde_image_job_get_queue_position (job),
                            horde_image_job_get_wait_time (job),
                            horde_image_job_get_finished (job),
                            horde_image_job_get_processing (job),
                            horde_image_job_get_waiting (job));
  else
    line = g_strdup (state_to_string (state));

  /* several properties change at each poll: print a line once */
  if (g_strcmp0 (line, self->last_progress) != 0)
    {
      g_printerr ("%s\n", line);
      g_free (self->last_progress);
      self->last_progress = g_steal_pointer (&line);
    }
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Generate *self = user_data;

  self->ok = horde_image_job_run_finish (HORDE_IMAGE_JOB (source), result, &self->error);
  g_main_loop_quit (self->loop);
}

static HordeImageGenerateAsyncRequest *
build_request (const char  *prompt,
               GError     **error)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = NULL;
  g_autoptr(HordeModelGenerationInputStable) built_params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = NULL;
  const char *models[] = { "Deliberate", NULL };

  /* The generation parameters: only what is set is sent, and end()
   * checks the values against the API (sizes in steps of 64, and so on). */
  params = horde_model_generation_input_stable_builder_new ();
  horde_model_generation_input_stable_builder_set_width (params, 512);
  horde_model_generation_input_stable_builder_set_height (params, 512);
  horde_model_generation_input_stable_builder_set_steps (params, 20);
  horde_model_generation_input_stable_builder_set_sampler_name (params, "k_euler_a");
  horde_model_generation_input_stable_builder_set_n (params, 2);
  built_params = horde_model_generation_input_stable_builder_end (params, error);
  if (built_params == NULL)
    return NULL;

  builder = horde_image_generate_async_request_builder_new ();
  horde_image_generate_async_request_builder_set_prompt (builder, prompt);
  horde_image_generate_async_request_builder_set_models (builder, models);
  horde_image_generate_async_request_builder_set_params (builder, built_params);
  /* say what you want: left out, the Horde takes nsfw (and censor_nsfw)
   * as true, and workers that make only safe-for-work images skip it */
  horde_image_generate_async_request_builder_set_nsfw (builder, FALSE);

  return horde_image_generate_async_request_builder_end (builder, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GError) error = NULL;
  Generate generate = { loop, NULL, FALSE, NULL };
  const char *directory, *prompt;
  GListModel *images;
  int exit_status = 0;

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");

  if (argc < 2 || argc > 3)
    {
      g_printerr ("Usage: generate-images DIRECTORY [PROMPT]\n");
      return 2;
    }
  directory = argv[1];
  prompt = argc > 2 ? argv[2] : "a lighthouse at dusk, oil painting";

  request = build_request (prompt, &error);
  if (request == NULL)
    {
      g_printerr ("generate-images: %s\n", error->message);
      return 1;
    }
  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved_errno = errno;

      g_printerr ("generate-images: cannot make %s: %s\n", directory, g_strerror (saved_errno));
      return 1;
    }

  client = horde_client_new ();
  job = horde_image_job_new (client, request);
  g_signal_connect (job, "notify", G_CALLBACK (job_notify_cb), &generate);

  /* Cancelling a GCancellable given here would delete the request on the
   * server: see cancel-job.c */
  horde_image_job_run_async (job, NULL, run_cb, &generate);
  g_main_loop_run (loop);

  /* The images are in the job, in the order of the request's generations.
   * After a failure, those that arrived are there too: save them all. */
  images = horde_image_job_get_images (job);
  for (guint i = 0; i < g_list_model_get_n_items (images); i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);
      /* the id is the server's word: made a safe file name first */
      g_autofree char *id = horde_sanitize_file_name (horde_image_job_get_id (job), -1);
      g_autofree char *name = g_strdup_printf ("%s-%u.%s", id, i,
                                               horde_generated_image_get_extension (image));
      g_autofree char *path = g_build_filename (directory, name, NULL);

      /* the bytes as the server sent them (WebP, as a rule); the decoded
       * image is horde_generated_image_decode() */
      if (!horde_generated_image_save (image, path, &error))
        {
          g_printerr ("generate-images: %s\n", error->message);
          g_clear_error (&error);
          exit_status = 1;
          continue;
        }
      g_print ("%s\n", path);
    }

  if (!generate.ok)
    {
      g_printerr ("generate-images: %s\n", generate.error->message);
      g_clear_error (&generate.error);
      exit_status = 1;
    }

  g_free (generate.last_progress);
  return exit_status;
}

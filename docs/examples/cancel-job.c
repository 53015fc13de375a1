/* cancel-job.c: submit an image request, then cancel it
 *
 * Runs an image job and cancels it as soon as the server has accepted the
 * request (the job has an id). Cancelling a job deletes the request on the
 * server (DELETE /v2/generate/status/{id}), which stops the spending of
 * kudos, and keeps the images finished before; this program prints what was
 * kept. A timeout (horde_image_job_set_timeout) and a faulted request end
 * the same way.
 *
 * The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
 * (default: the public AI Horde and the anonymous key).
 *
 *   cc cancel-job.c -o cancel-job $(pkg-config --cflags --libs libhorde-1)
 *   ./cancel-job "a lighthouse at dusk"
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libhorde.h>
#include <locale.h>

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      ok;
  GError       *error;
} CancelJob;

/* The id arrives with the server's answer to the submission: from now on
 * the request is on the server, and cancelling must delete it there. */
static void
job_id_cb (HordeImageJob *job,
           GParamSpec    *pspec,
           CancelJob     *self)
{
  g_print ("Submitted request %s\n", horde_image_job_get_id (job));
  g_print ("Cancelling it\n");

  /* the same as horde_image_job_cancel (job) */
  g_cancellable_cancel (self->cancellable);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  CancelJob *self = user_data;

  /* the run ends once the server has answered the DELETE */
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

  params = horde_model_generation_input_stable_builder_new ();
  horde_model_generation_input_stable_builder_set_width (params, 512);
  horde_model_generation_input_stable_builder_set_height (params, 512);
  horde_model_generation_input_stable_builder_set_n (params, 4);
  built_params = horde_model_generation_input_stable_builder_end (params, error);
  if (built_params == NULL)
    return NULL;

  builder = horde_image_generate_async_request_builder_new ();
  horde_image_generate_async_request_builder_set_prompt (builder, prompt);
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
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GError) error = NULL;
  CancelJob cancel_job = { loop, cancellable, FALSE, NULL };
  GListModel *images;
  guint n_kept;

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");

  if (argc > 2)
    {
      g_printerr ("Usage: cancel-job [PROMPT]\n");
      return 2;
    }

  request = build_request (argc > 1 ? argv[1] : "a lighthouse at dusk, oil painting", &error);
  if (request == NULL)
    {
      g_printerr ("cancel-job: %s\n", error->message);
      return 1;
    }

  client = horde_client_new ();
  job = horde_image_job_new (client, request);
  g_signal_connect (job, "notify::id", G_CALLBACK (job_id_cb), &cancel_job);

  horde_image_job_run_async (job, cancellable, run_cb, &cancel_job);
  g_main_loop_run (loop);

  if (cancel_job.ok)
    {
      /* too late: the request was done before the cancel reached it */
      g_print ("The request finished before it could be cancelled\n");
      return 0;
    }
  if (!g_error_matches (cancel_job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("cancel-job: %s\n", cancel_job.error->message);
      g_clear_error (&cancel_job.error);
      return 1;
    }
  g_clear_error (&cancel_job.error);

  /* on-server stays TRUE when the DELETE did not get through: the request
   * may then run on the server until it expires */
  if (horde_image_job_get_on_server (job))
    {
      g_printerr ("cancel-job: request %s could not be deleted on the server\n",
                  horde_image_job_get_id (job));
      return 1;
    }

  images = horde_image_job_get_images (job);
  n_kept = g_list_model_get_n_items (images);
  g_print ("Cancelled: the server deleted request %s; %u images kept\n",
           horde_image_job_get_id (job), n_kept);
  for (guint i = 0; i < n_kept; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);

      g_print ("  kept an image of seed %s (%s)\n",
               horde_generated_image_get_seed (image),
               horde_generated_image_get_mime_type (image));
    }

  return 0;
}

/* getting-started.c: horde_sdk's "Getting Started" page, in C
 *
 * Asks for two 512×768 images of a cat in a hat and saves the first one
 * in the current folder (cat-in-a-hat.webp), as horde_sdk's
 * AIHordeAPISimpleClient does; on a failure, Ctrl+C or SIGTERM the request
 * is deleted on the server. The server and the key come from
 * $AI_HORDE_URL and $AI_HORDE_API_KEY (default: the public AI Horde and
 * the anonymous key). The README's C getting-started is this file.
 *
 *   cc getting-started.c -o getting-started $(pkg-config --cflags --libs libhorde-1)
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib-unix.h>
#include <libhorde.h>

static gboolean
interrupted (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);  /* the job then deletes its request */
  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject *job, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (void)
{
  g_autoptr(HordeClient) client = horde_client_new ();  /* AIHordeAPISimpleClient() */
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built_params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *models[] = { "Deliberate", NULL };

  /* ImageGenerationInputPayload(width=512, height=768, ...) */
  horde_model_generation_input_stable_builder_set_width (params, 512);
  horde_model_generation_input_stable_builder_set_height (params, 768);
  horde_model_generation_input_stable_builder_set_sampler_name_enum (params, HORDE_SAMPLER_K_EULER_A);
  horde_model_generation_input_stable_builder_set_clip_skip (params, 1);
  horde_model_generation_input_stable_builder_set_n (params, 2);
  built_params = horde_model_generation_input_stable_builder_end (params, &error);  /* validates */
  g_assert_no_error (error);

  /* ImageGenerateAsyncRequest(prompt=..., models=..., params=...); the key is the client's */
  horde_image_generate_async_request_builder_set_prompt (builder, "A cat in a hat");
  horde_image_generate_async_request_builder_set_models (builder, models);
  horde_image_generate_async_request_builder_set_params (builder, built_params);
  /* left out, the Horde takes nsfw as true: workers that make only
   * safe-for-work images would skip the request */
  horde_image_generate_async_request_builder_set_nsfw (builder, FALSE);
  request = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);

  /* ImageGenerateAsyncRequest.get_success_response_type() */
  g_assert (horde_image_generate_async_request_get_success_response_type (request) == HORDE_TYPE_REQUEST_ASYNC);

  /* simple_client.image_generate_request(): submit, wait, fetch the images */
  g_unix_signal_add (SIGINT, interrupted, cancellable);
  g_unix_signal_add (SIGTERM, interrupted, cancellable);
  job = horde_image_job_new (client, request);
  horde_image_job_run_async (job, cancellable, run_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!horde_image_job_run_finish (job, result, &error))
    {
      g_auto(GStrv) deleted = horde_client_clean_up_sync (client, NULL, NULL);  /* nothing left behind */

      g_printerr ("getting-started: %s\n", error->message);
      return 1;
    }

  /* the first image, as the server sent it (WebP) */
  g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (horde_image_job_get_images (job), 0);
  g_autofree char *path = g_strconcat ("cat-in-a-hat.", horde_generated_image_get_extension (image), NULL);
  if (!horde_generated_image_save (image, path, &error))
    {
      g_printerr ("getting-started: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", path);
  return 0;
}

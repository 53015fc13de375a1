/* estimate.c: what would an image request cost?
 *
 * Sends an image request as a dry run: the server prices it in kudos and
 * queues nothing. The request is the one generate-images.c sends.
 *
 * A request knows the type of each successful answer: POST /v2/generate/async
 * answers 202 with {id, kudos} for a real request and 200 with {kudos} for a
 * dry run; both are a HordeRequestAsync, without an id for the dry run.
 * (Jobs have a shortcut for the same, for images and texts alike:
 * horde_job_estimate_async.)
 *
 * The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
 * (default: the public AI Horde and the anonymous key).
 *
 *   cc estimate.c -o estimate $(pkg-config --cflags --libs libhorde-1)
 *   ./estimate "a lighthouse at dusk"
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <libhorde.h>
#include <locale.h>

typedef struct {
  GMainLoop *loop;
  int        exit_status;
} Estimate;

static void
estimated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Estimate *self = user_data;
  g_autoptr(HordeRequestAsync) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = horde_client_send_image_generate_async_request_finish (HORDE_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      /* a request the server refuses (too large for the anonymous key,
       * say) fails here as it would for real: HORDE_ERROR_FORBIDDEN… */
      g_printerr ("estimate: %s\n", error->message);
      self->exit_status = 1;
    }
  else
    g_print ("This request would cost %.2f kudos.\n", horde_request_async_get_kudos (answer));

  g_main_loop_quit (self->loop);
}

static HordeImageGenerateAsyncRequest *
build_dry_run (const char  *prompt,
               GError     **error)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = NULL;
  g_autoptr(HordeModelGenerationInputStable) built_params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = NULL;
  const char *models[] = { "Deliberate", NULL };

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
  /* price it, do not make it */
  horde_image_generate_async_request_builder_set_dry_run (builder, TRUE);

  return horde_image_generate_async_request_builder_end (builder, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  Estimate estimate = { loop, 0 };

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");

  if (argc > 2)
    {
      g_printerr ("Usage: estimate [PROMPT]\n");
      return 2;
    }

  request = build_dry_run (argc > 1 ? argv[1] : "a lighthouse at dusk, oil painting", &error);
  if (request == NULL)
    {
      g_printerr ("estimate: %s\n", error->message);
      return 1;
    }

  client = horde_client_new ();
  horde_client_send_image_generate_async_request_async (client, request, NULL, estimated_cb, &estimate);
  g_main_loop_run (loop);

  return estimate.exit_status;
}

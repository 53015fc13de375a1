/* horde-cli-generate.c: `horde generate PROMPT`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>

#include "horde-cli.h"

static char **opt_models;
static int opt_n = -1;
static int opt_width = -1;
static int opt_height = -1;
static int opt_steps = -1;
static char *opt_sampler;
static double opt_cfg = -1;
static char *opt_seed;
static char *opt_negative;
static char *opt_output;
static gboolean opt_dry_run;
static int opt_timeout = 0;
static gboolean opt_nsfw;
static gboolean opt_censor_nsfw;
static gboolean opt_no_censor_nsfw;

static GOptionEntry entries[] = {
  { "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &opt_models, "A model to use (repeat for several; default: any)", "NAME" },
  { "n", 'n', 0, G_OPTION_ARG_INT, &opt_n, "How many images (1 to 20; default 1)", "N" },
  { "width", 'W', 0, G_OPTION_ARG_INT, &opt_width, "Width in pixels, a multiple of 64 (default 512)", "PIXELS" },
  { "height", 'H', 0, G_OPTION_ARG_INT, &opt_height, "Height in pixels, a multiple of 64 (default 512)", "PIXELS" },
  { "steps", 's', 0, G_OPTION_ARG_INT, &opt_steps, "Sampling steps (default 30)", "STEPS" },
  { "sampler", 0, 0, G_OPTION_ARG_STRING, &opt_sampler, "Sampler, such as k_euler_a (default: the server's)", "NAME" },
  { "cfg", 0, 0, G_OPTION_ARG_DOUBLE, &opt_cfg, "How closely to follow the prompt (default 7.5)", "SCALE" },
  { "seed", 0, 0, G_OPTION_ARG_STRING, &opt_seed, "Seed, to make an image again (default: random)", "SEED" },
  { "negative", 0, 0, G_OPTION_ARG_STRING, &opt_negative, "What the image should not show", "TEXT" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "Directory to save the images in (default: the current one)", "DIR" },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, &opt_dry_run, "Only show what the request would cost, in kudos", NULL },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, "Give up, and delete the request, after this many seconds", "SECONDS" },
  { "nsfw", 0, 0, G_OPTION_ARG_NONE, &opt_nsfw,
    "Allow NSFW images (default: ask for safe-for-work images only)", NULL },
  { "censor-nsfw", 0, 0, G_OPTION_ARG_NONE, &opt_censor_nsfw,
    "Without --nsfw: have an image that comes out NSFW anyway censored (the default)", NULL },
  { "no-censor-nsfw", 0, 0, G_OPTION_ARG_NONE, &opt_no_censor_nsfw,
    "Without --nsfw: keep such an image as it is", NULL },
  { NULL }
};

static HordeImageGenerateAsyncRequest *
build_request (const char  *prompt,
               GError     **error)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  g_autofree char *full_prompt = NULL;

  if (opt_n >= 0)
    horde_model_generation_input_stable_builder_set_n (params, opt_n);
  if (opt_width >= 0)
    horde_model_generation_input_stable_builder_set_width (params, opt_width);
  if (opt_height >= 0)
    horde_model_generation_input_stable_builder_set_height (params, opt_height);
  if (opt_steps >= 0)
    horde_model_generation_input_stable_builder_set_steps (params, opt_steps);
  if (opt_sampler != NULL)
    horde_model_generation_input_stable_builder_set_sampler_name (params, opt_sampler);
  if (opt_cfg >= 0)
    horde_model_generation_input_stable_builder_set_cfg_scale (params, opt_cfg);
  if (opt_seed != NULL)
    horde_model_generation_input_stable_builder_set_seed (params, opt_seed);

  built = horde_model_generation_input_stable_builder_end (params, error);
  if (built == NULL)
    return NULL;

  /* the Horde's convention: what follows ### is the negative prompt */
  full_prompt = opt_negative ? g_strdup_printf ("%s ### %s", prompt, opt_negative) : g_strdup (prompt);

  horde_image_generate_async_request_builder_set_prompt (builder, full_prompt);
  horde_image_generate_async_request_builder_set_params (builder, built);
  if (opt_models != NULL)
    horde_image_generate_async_request_builder_set_models (builder, (const char * const *) opt_models);
  /* Both said, always: left out, the server takes nsfw and censor_nsfw
   * as true (its parser's defaults, not the spec's), and workers that do
   * not generate NSFW skip the request. censor_nsfw matters only to a
   * safe-for-work request. */
  horde_image_generate_async_request_builder_set_nsfw (builder, opt_nsfw);
  if (!opt_nsfw)
    horde_image_generate_async_request_builder_set_censor_nsfw (builder, !opt_no_censor_nsfw);

  return horde_image_generate_async_request_builder_end (builder, error);
}

typedef struct {
  HordeImageGenerateAsyncRequest *request;
  HordeCliUnservedDone done;
  gpointer done_data;
} Unserved;

static void
unserved_free (Unserved *unserved)
{
  horde_image_generate_async_request_unref (unserved->request);
  g_free (unserved);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Unserved, unserved_free)

static void
workers_listed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Unserved) unserved = user_data;
  g_autoptr(HordeWorkerDetailsList) workers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  HordeWorkerDetails * const *items;
  gsize n = 0;

  workers = horde_client_send_all_workers_details_request_finish (HORDE_CLIENT (object), result, &error);
  if (workers == NULL)
    {
      /* the run is over, or the list could not be had: nothing to say */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("could not list the workers: %s", error->message);
      return;
    }
  items = horde_worker_details_list_get_items (workers, &n);
  why = horde_cli_why_unserved (unserved->request, items, n);
  unserved->done (why, unserved->done_data);
}

/* Nobody serves the request: the image workers online, asked once, may
 * say why (GET /v2/workers?type=image) */
static void
ask_why_unserved (HordeJob             *job,
                  GCancellable         *cancellable,
                  HordeCliUnservedDone  done,
                  gpointer              done_data,
                  gpointer              user_data)
{
  HordeClient *client = horde_job_get_client (job);
  g_autoptr(HordeAllWorkersDetailsRequestBuilder) builder = horde_all_workers_details_request_builder_new ();
  g_autoptr(HordeAllWorkersDetailsRequest) request = NULL;
  Unserved *unserved = g_new0 (Unserved, 1);

  unserved->request = horde_image_generate_async_request_ref (horde_image_job_get_request (HORDE_IMAGE_JOB (job)));
  unserved->done = done;
  unserved->done_data = done_data;
  horde_all_workers_details_request_builder_set_kind (builder, "image");
  request = horde_all_workers_details_request_builder_end (builder, NULL);
  horde_client_send_all_workers_details_request_async (client, request, cancellable, workers_listed, unserved);
}

/* Saves what arrived, even after a failure: nothing received is lost.
 * Each image is DIR/<job id>-<n>.<ext>, the id made a safe file name (the
 * server chose it), and never replaces a file that is there. */
static guint
save_images (HordeImageJob  *job,
             const char     *dir,
             GError        **error)
{
  GListModel *images = horde_image_job_get_images (job);
  guint n = g_list_model_get_n_items (images);
  g_autofree char *id = horde_sanitize_file_name (horde_image_job_get_id (job), -1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);
      g_autofree char *stem = g_strdup_printf ("%s-%u", id, i);
      g_autofree char *path = horde_cli_save_image (image, dir, stem, error);

      if (path == NULL)
        return i;
      g_print ("%s\n", path);
    }

  return n;
}

int
horde_cli_generate (const HordeCliCommand  *command,
                    int                     argc,
                    char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeImageJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autofree char *output = NULL;
  gboolean ok;

  g_option_context_set_description (context,
    "NSFW: the request always says what it wants. Without --nsfw it asks for\n"
    "safe-for-work images (nsfw: false), and a worker censors an image that\n"
    "comes out NSFW anyway unless --no-censor-nsfw is given. With --nsfw, only\n"
    "workers that generate NSFW take it. (A request that leaves nsfw out is\n"
    "taken as NSFW by the Horde.)\n"
    "\n"
    "When no worker starts the request, horde looks at the workers online\n"
    "that serve its model once, and says why none can take it where the\n"
    "list tells.");
  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc < 2)
    return horde_cli_usage (context, "“generate” needs a prompt");
  if (argc > 2)
    return horde_cli_usage (context, "“generate” takes one prompt: quote it");
  if (opt_timeout < 0)
    return horde_cli_usage (context, "--timeout must be a number of seconds");
  if (opt_censor_nsfw && opt_no_censor_nsfw)
    return horde_cli_usage (context, "--censor-nsfw and --no-censor-nsfw exclude each other");
  if (opt_nsfw && (opt_censor_nsfw || opt_no_censor_nsfw))
    return horde_cli_usage (context, "--censor-nsfw and --no-censor-nsfw are for safe-for-work requests: "
                                     "with --nsfw, nothing is censored");

  request = build_request (argv[1], &error);
  if (request == NULL)
    return horde_cli_fail (error);

  client = horde_cli_client_new ();
  job = horde_image_job_new (client, request);

  if (opt_dry_run)
    {
      double kudos = 0;

      if (!horde_image_job_estimate_sync (job, &kudos, NULL, &error))
        return horde_cli_fail (error);
      g_print ("This request would cost %.2f kudos.\n", kudos);
      return HORDE_CLI_EXIT_OK;
    }

  output = g_strdup (opt_output ? opt_output : ".");
  if (g_mkdir_with_parents (output, 0755) != 0)
    {
      int saved = errno;
      g_printerr ("horde: error: cannot make the directory %s: %s\n", output, g_strerror (saved));
      return HORDE_CLI_EXIT_FAILURE;
    }

  horde_image_job_set_timeout (job, (guint) opt_timeout);

  /* progress on stderr; Ctrl+C deletes the server request first */
  ok = horde_cli_job_run_full (HORDE_JOB (job), ask_why_unserved, NULL, &error);

  /* what arrived is saved even after a failure: nothing received is lost */
  save_images (job, output, &save_error);

  if (!ok)
    return horde_cli_job_failed (HORDE_JOB (job), error,
                                 g_list_model_get_n_items (horde_image_job_get_images (job)),
                                 "image", "images");
  if (save_error != NULL)
    return horde_cli_fail (save_error);

  return HORDE_CLI_EXIT_OK;
}

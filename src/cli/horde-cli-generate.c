/* horde-cli-generate.c: `horde generate PROMPT`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

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
  { "nsfw", 0, 0, G_OPTION_ARG_NONE, &opt_nsfw, "Allow NSFW images", NULL },
  { NULL }
};

typedef struct {
  GMainLoop *loop;
  HordeImageJob *job;
  gboolean tty;
  gboolean cancelling;
  gint64 started;
  char *last_line;
  gboolean warned_impossible;
  gboolean ok;
  GError *error;
} Run;

static const char *
state_words (HordeJobState state)
{
  switch (state)
    {
    case HORDE_JOB_STATE_NEW: return "starting";
    case HORDE_JOB_STATE_SUBMITTING: return "submitting";
    case HORDE_JOB_STATE_WAITING: return "queued";
    case HORDE_JOB_STATE_PROCESSING: return "processing";
    case HORDE_JOB_STATE_DOWNLOADING: return "downloading";
    case HORDE_JOB_STATE_CANCELLING: return "cancelling";
    case HORDE_JOB_STATE_DONE: return "done";
    case HORDE_JOB_STATE_CANCELLED: return "cancelled";
    case HORDE_JOB_STATE_FAILED: return "failed";
    default: return "?";
    }
}

static char *
progress_line (Run      *run,
               gboolean  with_clock)
{
  HordeImageJob *job = run->job;
  HordeJobState state = horde_image_job_get_state (job);
  GString *line = g_string_new (state_words (state));

  if ((state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING) &&
      horde_image_job_get_last_check (job) != NULL)
    {
      g_string_append_printf (line, "  queue %" G_GINT64_FORMAT "  ETA %" G_GINT64_FORMAT "s"
                              "  finished %" G_GINT64_FORMAT "  processing %" G_GINT64_FORMAT
                              "  waiting %" G_GINT64_FORMAT,
                              horde_image_job_get_queue_position (job),
                              horde_image_job_get_wait_time (job),
                              horde_image_job_get_finished (job),
                              horde_image_job_get_processing (job),
                              horde_image_job_get_waiting (job));
      if (horde_image_job_get_restarted (job) > 0)
        g_string_append_printf (line, "  restarted %" G_GINT64_FORMAT, horde_image_job_get_restarted (job));
    }
  if (horde_image_job_get_connection_error (job) != NULL)
    g_string_append_printf (line, "  no answer from the server (%s), asking again",
                            horde_image_job_get_connection_error (job)->message);
  if (with_clock)
    g_string_append_printf (line, "  %.0fs", (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC);

  return g_string_free (line, FALSE);
}

/* On a terminal, one line rewritten in place (with a running clock); in a
 * pipe or a log, one line each time something changes. */
static void
show_progress (Run *run)
{
  g_autofree char *line = progress_line (run, run->tty);

  if (run->tty)
    {
      fprintf (stderr, "\r\033[K%s", line);
      fflush (stderr);
      return;
    }

  if (g_strcmp0 (line, run->last_line) != 0)
    {
      fprintf (stderr, "%s\n", line);
      g_free (run->last_line);
      run->last_line = g_steal_pointer (&line);
    }

  if (!horde_image_job_get_is_possible (run->job) && !run->warned_impossible)
    {
      fprintf (stderr, "warning: no worker online can serve this request now; it waits until one can\n");
      run->warned_impossible = TRUE;
    }
}

static void
end_progress (Run *run)
{
  if (run->tty)
    {
      fprintf (stderr, "\r\033[K");
      fflush (stderr);
    }
}

static void
job_notify (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  show_progress (user_data);
}

static gboolean
tick (gpointer user_data)
{
  show_progress (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
interrupted (gpointer user_data)
{
  Run *run = user_data;

  if (run->cancelling)
    {
      /* a second Ctrl+C: the user will not wait for the server */
      end_progress (run);
      g_printerr ("horde: interrupted; the request %s may still run on the server\n",
                  horde_image_job_get_id (run->job) ? horde_image_job_get_id (run->job) : "");
      exit (HORDE_CLI_EXIT_CANCELLED);
    }

  run->cancelling = TRUE;
  end_progress (run);
  g_printerr ("Cancelling: deleting the request on the server (Ctrl+C again to quit at once)…\n");
  horde_image_job_cancel (run->job);

  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;

  run->ok = horde_image_job_run_finish (HORDE_IMAGE_JOB (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

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
  if (opt_nsfw)
    horde_image_generate_async_request_builder_set_nsfw (builder, TRUE);

  return horde_image_generate_async_request_builder_end (builder, error);
}

/* Saves what arrived, even after a failure: nothing received is lost */
static guint
save_images (HordeImageJob  *job,
             const char     *dir,
             GError        **error)
{
  GListModel *images = horde_image_job_get_images (job);
  guint n = g_list_model_get_n_items (images);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeGeneratedImage) image = g_list_model_get_item (images, i);
      g_autofree char *name = g_strdup_printf ("%s-%u.%s", horde_image_job_get_id (job), i,
                                               horde_generated_image_get_extension (image));
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!horde_generated_image_save (image, path, error))
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
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *output = NULL;
  Run run = { 0 };
  guint sigint, sigterm, ticker = 0;
  GError *save_error = NULL;
  int status;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc < 2)
    return horde_cli_usage (context, "“generate” needs a prompt");
  if (argc > 2)
    return horde_cli_usage (context, "“generate” takes one prompt: quote it");
  if (opt_timeout < 0)
    return horde_cli_usage (context, "--timeout must be a number of seconds");

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

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.job = job;
  run.tty = isatty (STDERR_FILENO);
  run.started = g_get_monotonic_time ();

  g_signal_connect (job, "notify", G_CALLBACK (job_notify), &run);
  sigint = g_unix_signal_add (SIGINT, interrupted, &run);
  sigterm = g_unix_signal_add (SIGTERM, interrupted, &run);
  if (run.tty)
    ticker = g_timeout_add_seconds (1, tick, &run);

  horde_image_job_run_async (job, NULL, run_done, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (ticker)
    g_source_remove (ticker);
  g_signal_handlers_disconnect_by_data (job, &run);
  end_progress (&run);

  if (horde_image_job_get_id (job) != NULL && !run.ok && !g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("Request %s\n", horde_image_job_get_id (job));

  save_images (job, output, &save_error);

  if (!run.ok)
    {
      guint kept = g_list_model_get_n_items (horde_image_job_get_images (job));

      if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && horde_image_job_get_on_server (job))
        g_printerr ("horde: cancelled, but the server could not be told: request %s may run on until it expires (%u image%s kept)\n",
                    horde_image_job_get_id (job), kept, kept == 1 ? "" : "s");
      else if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("horde: cancelled; the server request was deleted (%u image%s kept)\n",
                    kept, kept == 1 ? "" : "s");
      status = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               ? HORDE_CLI_EXIT_CANCELLED : horde_cli_fail (run.error);
      g_clear_error (&run.error);
      g_clear_error (&save_error);
      g_free (run.last_line);
      return status;
    }

  g_free (run.last_line);
  if (save_error != NULL)
    {
      status = horde_cli_fail (save_error);
      g_error_free (save_error);
      return status;
    }

  return HORDE_CLI_EXIT_OK;
}

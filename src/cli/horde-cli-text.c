/* horde-cli-text.c: `horde text PROMPT`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

static char **opt_models;
static int opt_n = -1;
static int opt_max_length = -1;
static int opt_max_context_length = -1;
static int opt_timeout = 0;
static gboolean opt_json;
static gboolean opt_dry_run;

static GOptionEntry entries[] = {
  { "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &opt_models, "A text model to use (repeat for several; default: any)", "NAME" },
  { "n", 'n', 0, G_OPTION_ARG_INT, &opt_n, "How many texts (1 to 20; default 1)", "N" },
  { "max-length", 'l', 0, G_OPTION_ARG_INT, &opt_max_length, "How many tokens to generate (16 to 4096; default 80)", "N" },
  { "max-context-length", 'c', 0, G_OPTION_ARG_INT, &opt_max_context_length,
    "At most this many tokens of prompt sent to the model (at least 80; default 2048)", "N" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, "Give up, and delete the request, after this many seconds", "SECONDS" },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, &opt_dry_run, "Only show what the request would cost, in kudos", NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print the request id, kudos and generations as JSON (with --dry-run: the kudos)", NULL },
  { NULL }
};

static HordeTextGenerateAsyncRequest *
build_request (const char  *prompt,
               GError     **error)
{
  g_autoptr(HordeModelGenerationInputKoboldBuilder) params = horde_model_generation_input_kobold_builder_new ();
  g_autoptr(HordeTextGenerateAsyncRequestBuilder) builder = horde_text_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputKobold) built = NULL;

  if (opt_n >= 0)
    horde_model_generation_input_kobold_builder_set_n (params, opt_n);
  if (opt_max_length >= 0)
    horde_model_generation_input_kobold_builder_set_max_length (params, opt_max_length);
  if (opt_max_context_length >= 0)
    horde_model_generation_input_kobold_builder_set_max_context_length (params, opt_max_context_length);

  built = horde_model_generation_input_kobold_builder_end (params, error);
  if (built == NULL)
    return NULL;

  horde_text_generate_async_request_builder_set_prompt (builder, prompt);
  horde_text_generate_async_request_builder_set_params (builder, built);
  if (opt_models != NULL)
    horde_text_generate_async_request_builder_set_models (builder, (const char * const *) opt_models);

  return horde_text_generate_async_request_builder_end (builder, error);
}

/* The texts as they came, one after the other; with several, each under a
 * line that says which it is, so that none runs into the next. */
static void
print_texts (HordeTextJob *job)
{
  gsize n = 0;
  HordeGenerationKobold * const *generations = horde_text_job_get_generations (job, &n);

  for (gsize i = 0; i < n; i++)
    {
      const char *text = horde_cli_or (horde_generation_kobold_get_text (generations[i]), "");
      g_autofree char *model = horde_cli_name (horde_cli_or (horde_generation_kobold_get_model (generations[i]),
                                                             "unknown model"));

      if (n > 1)
        g_print ("%s--- %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT " (%s) ---\n", i > 0 ? "\n" : "", i + 1, n, model);
      g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
    }
}

static void
print_json (HordeTextJob *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize n = 0;
  HordeGenerationKobold * const *generations = horde_text_job_get_generations (job, &n);
  HordeJobState state = horde_job_get_state (HORDE_JOB (job));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, horde_job_get_id (HORDE_JOB (job)));
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, state == HORDE_JOB_STATE_DONE);
  json_builder_set_member_name (builder, "kudos");
  json_builder_add_double_value (builder, horde_job_get_kudos (HORDE_JOB (job)));
  json_builder_set_member_name (builder, "generations");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    json_builder_add_value (builder, horde_generation_kobold_to_json_node (generations[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  horde_cli_print_json (horde_json_node_to_string (root, NULL));
}

/* --dry-run: the price, and nothing queued */
static int
estimate (HordeTextJob *job)
{
  g_autoptr(GError) error = NULL;
  double kudos = 0;

  /* the AI Horde 5.1.5 answers every text dry run with 500 "Internal
   * Server Error": its kudos calculation fails (a server bug) */
  if (!horde_job_estimate_sync (HORDE_JOB (job), &kudos, NULL, &error) &&
      g_error_matches (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR) && horde_error_get_status (error) == 500)
    return horde_cli_fail_with (error, "The Horde could not price this text request: some server versions "
                                       "(5.1.5 among them) fail to work out the kudos of a text dry run. "
                                       "The request itself, without --dry-run, may still work.");
  if (error != NULL)
    return horde_cli_fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      /* what the server answers a dry run with */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kudos");
      json_builder_add_double_value (builder, kudos);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      horde_cli_print_json (horde_json_node_to_string (root, NULL));
    }
  else
    g_print ("This request would cost %.2f kudos.\n", kudos);

  return HORDE_CLI_EXIT_OK;
}

int
horde_cli_text (const HordeCliCommand  *command,
                int                     argc,
                char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeTextGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeTextJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc < 2)
    return horde_cli_usage (context, "“text” needs a prompt");
  if (argc > 2)
    return horde_cli_usage (context, "“text” takes one prompt: quote it");
  if (opt_timeout < 0)
    return horde_cli_usage (context, "--timeout must be a number of seconds");

  request = build_request (argv[1], &error);
  if (request == NULL)
    return horde_cli_fail (error);

  client = horde_cli_client_new ();
  job = horde_text_job_new (client, request);

  if (opt_dry_run)
    return estimate (job);

  horde_job_set_timeout (HORDE_JOB (job), (guint) opt_timeout);

  ok = horde_cli_job_run (HORDE_JOB (job), &error);

  /* what finished is shown, even when the run ended early */
  if (ok || horde_text_job_get_n_generations (job) > 0 ||
      (opt_json && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      if (opt_json)
        print_json (job);
      else
        print_texts (job);
    }

  if (!ok)
    return horde_cli_job_failed (HORDE_JOB (job), error, horde_text_job_get_n_generations (job), "text", "texts");
  return HORDE_CLI_EXIT_OK;
}

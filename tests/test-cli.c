/* test-cli.c: the horde command line, run as a user runs it, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <libhorde.h>

#include "horde-test-cli.h"
#include "horde-test-server.h"
#include "horde-test-sim.h"

#define TEXT_MODEL "koboldcpp/LLaMA2-13B-Psyfighter2"

/* horde ARGS…, whose output is always UTF-8 text */
static void
run_horde (HordeTestCliResult *result,
           const char * const *args)
{
  horde_test_cli_run (result, NULL, args);
  g_assert_true (g_utf8_validate (result->out, -1, NULL));
  g_assert_true (g_utf8_validate (result->err, -1, NULL));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;
  return n;
}

static void
test_generate (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "200", NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);
  g_auto(GStrv) paths = NULL;
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "--server", horde_test_sim_get_url (sim), "generate", "a red fox in the snow",
                         "-n", "2", "--width", "512", "--height", "768", "--steps", "20",
                         "--model", "Deliberate", "--sampler", "k_euler_a", "--cfg", "6.5",
                         "--seed", "42", "--negative", "blurry", "--output", dir, NULL };

  run_horde (&r, args);
  g_assert_cmpint (r.status, ==, 0);

  /* stdout: the saved files, one a line, named by job id and index */
  paths = g_strsplit (g_strchomp (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (paths), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *suffix = g_strdup_printf ("-%u.webp", i);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(HordeGeneratedImage) image = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_str_has_prefix (paths[i], dir));
      g_assert_true (g_str_has_suffix (paths[i], suffix));
      g_assert_true (g_file_get_contents (paths[i], &contents, &len, NULL));
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
      image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (image)), ==, 512);
      g_assert_cmpint (gdk_pixbuf_get_height (horde_generated_image_get_pixbuf (image)), ==, 768);
      g_unlink (paths[i]);
    }

  /* stderr is not a terminal: plain progress lines, no carriage returns */
  g_assert_null (strchr (r.err, '\r'));
  g_assert_nonnull (strstr (r.err, "processing"));
  g_assert_nonnull (strstr (r.err, "done"));
  g_rmdir (dir);
}

static void
test_dry_run (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(JsonNode) stats = NULL;
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "generate", "a fox", "--dry-run", "--server", horde_test_sim_get_url (sim), NULL };

  run_horde (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "would cost"));
  g_assert_nonnull (strstr (r.out, "kudos"));
  stats = horde_test_sim_stats (sim);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (stats), "jobs")), ==, 0);
}

static void
test_invalid_input (void)
{
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "generate", "a fox", "--width", "500", NULL };

  /* refused before anything is sent (the default server is unroutable
   * in the tests): one line that names the field, and a failure status */
  run_horde (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "horde: error:"));
  g_assert_nonnull (strstr (r.err, "width"));
  g_assert_nonnull (strstr (r.err, "64"));
}

static void
test_server_refuses (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "--server", horde_test_sim_get_url (sim), "generate", "a castle",
                         "--steps", "100", "--width", "1024", "--height", "1024", NULL };

  run_horde (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "KudosUpfront"));
  /* the error is one line, whatever came before it */
  {
    const char *last = g_strrstr (g_strchomp (r.err), "\n");
    g_assert_true (g_str_has_prefix (last ? last + 1 : r.err, "horde: error:"));
  }
}

static void
test_unreachable (void)
{
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "--server", "http://127.0.0.1:1/api", "user", NULL };

  run_horde (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  g_assert_nonnull (strstr (r.err, "127.0.0.1"));
}

static void
test_usage (void)
{
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "generate", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "needs a prompt"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "paint", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "not a command"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--version", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "horde " PACKAGE_VERSION));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "generate", "--help", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--dry-run"));
    g_assert_nonnull (strstr (r.out, "--negative"));
  }
}

static void
test_models_and_user (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "models", "--server", horde_test_sim_get_url (sim), NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Deliberate"));
    g_assert_nonnull (strstr (r.out, "stable_diffusion"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "models", "--type", "text", "--server", horde_test_sim_get_url (sim), NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Psyfighter2"));
    g_assert_null (strstr (r.out, "Deliberate"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "user", "--server", horde_test_sim_get_url (sim), NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Anonymous#0"));
    g_assert_nonnull (strstr (r.out, "anonymous key"));
  }
}

static void
test_interrupt_deletes (void)
{
  /* no worker: the request stays queued until the user gives up */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *jobs;
  g_autoptr(GList) ids = NULL;
  const char *argv[] = { g_getenv ("HORDE_CLI"), "--server", horde_test_sim_get_url (sim),
                         "generate", "a patient cat", "-o", dir, NULL };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);

  /* wait until the request is on the server and polled */
  while (horde_test_sim_count (sim, "GET /api/v2/generate/check/{id}") < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * G_TIME_SPAN_MILLISECOND);
    }

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_nonnull (strstr (err, "deleted"));

  /* the server saw the DELETE before the program ended */
  stats = horde_test_sim_stats (sim);
  jobs = json_object_get_object_member (json_node_get_object (stats), "jobs");
  ids = json_object_get_members (jobs);
  g_assert_cmpuint (g_list_length (ids), ==, 1);
  g_assert_cmpint (horde_test_sim_job_count (sim, ids->data, "delete"), ==, 1);
  g_rmdir (dir);
}

static void
test_terminal_progress (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1500", NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);
  g_autofree char *command = NULL;
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[5];

  /* script(1) gives the program a terminal, as a person has */
  command = g_strdup_printf ("%s --server %s generate 'a slow snail' -o %s 2>&1",
                             g_getenv ("HORDE_CLI"), horde_test_sim_get_url (sim), dir);
  {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;

    args[0] = "script";
    args[1] = "-qec";
    args[2] = command;
    args[3] = "/dev/null";
    args[4] = NULL;
    process = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &r.out, &r.err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  }

  /* one line, rewritten in place, with the queue, the ETA and a clock */
  g_assert_nonnull (strstr (r.out, "\r\033[K"));
  g_assert_nonnull (strstr (r.out, "ETA"));
  g_assert_nonnull (strstr (r.out, "queue"));
  g_assert_nonnull (strstr (r.out, ".webp"));

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

/* stdout of a --json run: exactly one JSON document */
static JsonNode *
parse_json_out (const HordeTestCliResult *r)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (r->out, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  /* one line: the document and its newline */
  g_assert_cmpuint (count_lines (r->out), ==, 1);
  return node;
}

static void
run_on (HordeTestCliResult *result,
        HordeTestSim       *sim,
        const char         *first,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--server");
  g_ptr_array_add (args, (gpointer) horde_test_sim_get_url (sim));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run_horde (result, (const char * const *) args->pdata);
}

/* a failure: exit 1 and one line on stderr that says @what */
static void
assert_fails (const HordeTestCliResult *r,
              const char               *what)
{
  g_assert_cmpint (r->status, ==, 1);
  g_assert_cmpuint (count_lines (r->err), ==, 1);
  g_assert_true (g_str_has_prefix (r->err, "horde: error:"));
  g_assert_nonnull (strstr (r->err, what));
  g_assert_cmpstr (r->out, ==, "");
}

static void
test_status (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "status", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "Server:    OK (AI Horde 5.1.5)\n"));
    /* the default horde: 3 image workers, 1 text, 1 interrogator; nothing queued */
    g_assert_nonnull (strstr (r.out, "Images                3        3        0          0.0          0.0  megapixelsteps\n"));
    g_assert_nonnull (strstr (r.out, "Text                  1        1        0          0.0          0.0  tokens\n"));
    g_assert_nonnull (strstr (r.out, "Interrogation         1        1"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *heartbeat, *performance;

    run_on (&r, sim, "status", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    heartbeat = json_object_get_object_member (json_node_get_object (node), "heartbeat");
    performance = json_object_get_object_member (json_node_get_object (node), "performance");
    g_assert_cmpstr (json_object_get_string_member (heartbeat, "message"), ==, "OK");
    g_assert_cmpstr (json_object_get_string_member (heartbeat, "version"), ==, "5.1.5");
    g_assert_cmpint (json_object_get_int_member (performance, "worker_count"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (performance, "text_worker_count"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (performance, "interrogator_count"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (performance, "queued_requests"), ==, 0);
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/status/heartbeat"), ==, 2);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/status/performance"), ==, 2);
}

static void
test_news (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "news", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "2024-06-01  Information   Welcome to horde-sim\n"
                                            "  You are talking to a local simulator"));
    g_assert_nonnull (strstr (r.out, "\n2024-04-30  Workflow      Fault injection\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *news;

    run_on (&r, sim, "news", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    news = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (news), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (news, 1), "title"), ==,
                     "Simulated workers");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (news, 2), "importance"), ==,
                     "Workflow");
  }
}

static JsonObject *
find_named (JsonArray  *array,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "name", NULL), name) == 0)
        return object;
    }
  return NULL;
}

static void
test_models_json (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* what it printed before: the busiest first, then by name */
    run_on (&r, sim, "models", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out,
      "MODEL                                     WORKERS   QUEUED      ETA\n"
      "Deliberate                                      3        0       0s\n"
      "stable_diffusion                                3        0       0s\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *model;

    run_on (&r, sim, "models", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 4);
    model = find_named (json_node_get_array (node), "Realistic Vision");
    g_assert_nonnull (model);
    g_assert_cmpint (json_object_get_int_member (model, "count"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (model, "type"), ==, "image");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *model;

    run_on (&r, sim, "models", "--type", "text", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
    model = json_array_get_object_element (json_node_get_array (node), 0);
    g_assert_cmpstr (json_object_get_string_member (model, "name"), ==, "koboldcpp/LLaMA2-13B-Psyfighter2");
    g_assert_cmpstr (json_object_get_string_member (model, "type"), ==, "text");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "models", "--type", "audio", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (g_str_has_prefix (r.err, "horde: --type is “image” or “text”\n"));
  }
}

static void
test_workers (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;

    run_on (&r, sim, "workers", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 6);
    g_assert_true (g_str_has_prefix (lines[0], "WORKER                   TYPE          STATE       THREADS  REQUESTS PERFORMANCE"));
    g_assert_cmpstr (lines[1], ==, "sim-aurora               image         online            1         0 "
                                   "3.0 megapixelsteps per second  stable_diffusion, Deliberate");
    g_assert_true (g_str_has_prefix (lines[5], "sim-alchemist            interrogation online"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;

    run_on (&r, sim, "workers", "--type", "text", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_true (g_str_has_prefix (lines[1], "sim-scribe               text "));
    g_assert_true (g_str_has_suffix (lines[1], " 25.0 tokens per second         koboldcpp/LLaMA2-13B-Psyfighter2"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *worker;
    JsonArray *models;

    run_on (&r, sim, "workers", "--name", "sim-cirrus", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
    worker = json_array_get_object_element (json_node_get_array (node), 0);
    g_assert_cmpstr (json_object_get_string_member (worker, "name"), ==, "sim-cirrus");
    g_assert_cmpstr (json_object_get_string_member (worker, "type"), ==, "image");
    g_assert_true (json_object_get_boolean_member (worker, "online"));
    models = json_object_get_array_member (worker, "models");
    g_assert_cmpuint (json_array_get_length (models), ==, 3);
    g_assert_cmpstr (json_array_get_string_element (models, 2), ==, "Realistic Vision");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "workers", "--name", "nobody", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "(no worker is named “nobody”)\n");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "workers", "--type", "video", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "“interrogation”"));
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/workers"), ==, 4);
}

static void
test_styles (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;

    /* the most used first, as the server sorts them */
    run_on (&r, sim, "styles", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);
    g_assert_cmpstr (lines[1], ==, "sim-anime                     2210 stable_diffusion             Bright anime illustrations.");
    g_assert_true (g_str_has_prefix (lines[4], "sim-sketch                     310 "));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *style;

    run_on (&r, sim, "styles", "--type", "image", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 4);
    style = find_named (json_node_get_array (node), "sim-cinematic");
    g_assert_nonnull (style);
    g_assert_cmpint (json_object_get_int_member (style, "use_count"), ==, 1520);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (style, "params"), "width"), ==, 768);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;

    /* text model names are longer than the image column: it widens, and
     * the infos stay in line */
    run_on (&r, sim, "styles", "--type", "text", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_cmpstr (lines[0], ==, "STYLE                         USES MODELS                           ABOUT");
    g_assert_cmpstr (lines[1], ==, "sim-concise                   2450 " TEXT_MODEL " Short factual answers on one line.");
    g_assert_cmpstr (lines[2], ==, "sim-storyteller                980 " TEXT_MODEL " Long, vivid fantasy narration.");
    g_assert_cmpstr (lines[3], ==, "sim-poet                       415 -                                Rhyming verse on any subject.");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *styles;
    JsonObject *style;
    JsonObject *params;

    run_on (&r, sim, "styles", "--type", "text", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    styles = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (styles), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (styles, 0), "name"), ==, "sim-concise");
    style = find_named (styles, "sim-storyteller");
    g_assert_nonnull (style);
    g_assert_cmpint (json_object_get_int_member (style, "use_count"), ==, 980);
    g_assert_cmpstr (json_object_get_string_member (style, "id"), ==, "3f1e9a7d-2b4c-4d5e-8f60-7a8b9c0d1e01");
    g_assert_nonnull (strstr (json_object_get_string_member (style, "prompt"), "{p}"));
    params = json_object_get_object_member (style, "params");
    g_assert_cmpint (json_object_get_int_member (params, "max_length"), ==, 240);
    g_assert_cmpfloat (json_object_get_double_member (params, "top_p"), ==, 0.875);
    g_assert_false (json_object_has_member (style, "examples"));
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/styles/text"), ==, 2);
}

static void
test_user_json (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *user;

  run_on (&r, sim, "user", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  node = parse_json_out (&r);
  user = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "Anonymous#0");
  g_assert_cmpint (json_object_get_int_member (user, "id"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (user, "concurrency"), ==, 10);
  g_assert_false (json_object_get_boolean_member (user, "trusted"));
}

/* "minute … total" lines of `horde stats`, each "NAME COUNT AMOUNT" */
static void
assert_stats_table (const char *out,
                    const char *count_header,
                    const char *amount_header,
                    const char *count,
                    const char *amount)
{
  static const char * const periods[] = { "minute", "hour", "day", "month", "total" };
  g_autofree char *copy = g_strdup (out);
  g_auto(GStrv) lines = g_strsplit (g_strchomp (copy), "\n", -1);
  g_autofree char *header = g_strdup_printf ("%-8s %14s %18s", "PERIOD", count_header, amount_header);

  g_assert_cmpuint (g_strv_length (lines), ==, 1 + G_N_ELEMENTS (periods));
  g_assert_cmpstr (lines[0], ==, header);
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *line = g_strdup_printf ("%-8s %14s %18s", periods[i], count, amount);

      g_assert_cmpstr (lines[i + 1], ==, line);
    }
}

/* Every period of a totals answer holds @count and @amount. */
static void
assert_stats_json (const HordeTestCliResult *r,
                   const char               *count_name,
                   gint64                    count,
                   const char               *amount_name,
                   gint64                    amount)
{
  static const char * const periods[] = { "minute", "hour", "day", "month", "total" };
  g_autoptr(JsonNode) node = parse_json_out (r);
  JsonObject *totals = json_node_get_object (node);

  g_assert_cmpuint (json_object_get_size (totals), ==, G_N_ELEMENTS (periods));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      JsonObject *period = json_object_get_object_member (totals, periods[i]);

      g_assert_cmpint (json_object_get_int_member_with_default (period, count_name, -1), ==, count);
      g_assert_cmpint (json_object_get_int_member_with_default (period, amount_name, -1), ==, amount);
    }
}

static void
test_stats (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "50", NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);

  /* a fresh horde has generated nothing */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_table (r.out, "IMAGES", "MEGAPIXELSTEPS", "0", "0.00");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--type", "text", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_json (&r, "requests", 0, "tokens", 0);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--models", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "MODEL "));
    g_assert_true (g_str_has_suffix (r.out, "\n(no model statistics)\n"));
  }

  /* two images of 512 × 512 × 10 steps, and two texts of 16 tokens */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "generate", "a lighthouse", "-n", "2", "--width", "512", "--height", "512",
            "--steps", "10", "--model", "Deliberate", "--output", dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "text", "Two tales", "-n", "2", "--max-length", "16", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* the server counts pixelsteps; the table shows megapixelsteps */
    run_on (&r, sim, "stats", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_table (r.out, "IMAGES", "MEGAPIXELSTEPS", "2", "5.24");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_json (&r, "images", 2, "ps", 2 * 512 * 512 * 10);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--type", "text", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_table (r.out, "REQUESTS", "TOKENS", "2", "32");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--type", "text", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_stats_json (&r, "requests", 2, "tokens", 32);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--models", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==,
                     "MODEL                                             DAY        MONTH          TOTAL\n"
                     "Deliberate                                          2            2              2\n");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *stats;

    run_on (&r, sim, "stats", "--models", "--model-state", "all", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    stats = json_node_get_object (node);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "day"), "Deliberate"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "total"), "Deliberate"), ==, 2);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (stats, "total")), ==, 1);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* the simulator's models are all "known" ones; --model-state implies --models */
    run_on (&r, sim, "stats", "--model-state", "custom", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "MODEL "));
    g_assert_true (g_str_has_suffix (r.out, "\n(no model statistics)\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autofree char *line = g_strdup_printf ("%-40s %12d %12d %14d\n", TEXT_MODEL, 2, 2, 2);

    run_on (&r, sim, "stats", "--type", "text", "--models", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, line));
    g_assert_cmpuint (count_lines (r.out), ==, 2);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;

    run_on (&r, sim, "stats", "--type", "text", "--models", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (node), "month"),
                                                 TEXT_MODEL), ==, 2);
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/img/totals"), ==, 3);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/img/models"), ==, 4);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/text/totals"), ==, 3);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/text/models"), ==, 2);

  /* refused before anything is sent */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--type", "audio", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "stats", "--models", "--model-state", "everything", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--model-state"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* the server has no such filter for text */
    run_on (&r, sim, "stats", "--type", "text", "--model-state", "all", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/img/models"), ==, 4);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/stats/text/models"), ==, 2);

  {
    g_autoptr(GDir) files = g_dir_open (dir, 0, NULL);
    const char *name;

    while (files != NULL && (name = g_dir_read_name (files)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

/* A request on the server, sent with libhorde: its id */
static char *
submit (HordeTestSim *sim,
        int           n)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeRequestAsync) answer = NULL;
  g_autoptr(GError) error = NULL;

  horde_client_set_base_url (client, horde_test_sim_get_url (sim));
  horde_model_generation_input_stable_builder_set_n (params, n);
  built = horde_model_generation_input_stable_builder_end (params, &error);
  g_assert_no_error (error);
  horde_image_generate_async_request_builder_set_prompt (builder, "a lighthouse");
  horde_image_generate_async_request_builder_set_params (builder, built);
  request = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);
  answer = horde_client_send_image_generate_async_request_sync (client, request, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (horde_request_async_get_id (answer));
}

static void
wait_finished (HordeTestSim *sim,
               const char   *id)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(HordeImageGenerateCheckRequest) request = horde_image_generate_check_request_new (id);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  horde_client_set_base_url (client, horde_test_sim_get_url (sim));
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeRequestStatusCheck) check = horde_client_send_image_generate_check_request_sync (client, request, NULL, &error);

      g_assert_no_error (error);
      if (horde_request_status_check_get_done (check))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
test_cancel (void)
{
  {
    /* no worker: both images are still waiting when the request goes */
    g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--workers", "0", NULL);
    g_autofree char *id = submit (sim, 2);
    g_autofree char *expected = g_strdup_printf ("Cancelled request %s: 0 finished images kept, 2 unfinished dropped.\n", id);
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "cancel", id, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, expected);
    g_assert_cmpint (horde_test_sim_job_count (sim, id, "delete"), ==, 1);
  }
  {
    /* a finished request: what finished is kept, and --json shows it */
    g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", NULL);
    g_autofree char *id = submit (sim, 1);
    g_autofree char *id2 = submit (sim, 1);
    g_autofree char *expected = g_strdup_printf ("Cancelled request %s: 1 finished image kept, 0 unfinished dropped.\n"
                                                 "The answer carries 1 generation: “horde cancel --json” shows them.\n", id);
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(HordeTestCliResult) human = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *answer;

    wait_finished (sim, id);
    run_on (&human, sim, "cancel", id, NULL);
    g_assert_cmpint (human.status, ==, 0);
    g_assert_cmpstr (human.out, ==, expected);

    wait_finished (sim, id2);
    run_on (&r, sim, "cancel", id2, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    answer = json_node_get_object (node);
    g_assert_cmpint (json_object_get_int_member (answer, "finished"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (answer, "waiting"), ==, 0);
    g_assert_true (json_object_get_boolean_member (answer, "done"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "generations")), ==, 1);
  }
  {
    g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "cancel", "00000000-0000-0000-0000-000000000000", NULL);
    assert_fails (&r, "RequestNotFound");
    g_assert_nonnull (strstr (r.err, "not found"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "cancel", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "needs the id"));
  }
}

static void
test_api (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "api", "GET", "/v2/status/heartbeat", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "{\"message\":\"OK\",\"version\":\"5.1.5\"}\n");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;

    /* any case of method, and the base URL's /api before the path */
    run_on (&r, sim, "api", "get", "/api/v2/status/news", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (node), 0), "title"),
                     ==, "Welcome to horde-sim");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(HordeTestCliResult) dry = { 0 };
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *expected = NULL;

    /* a body from --data; the same cost as generate --dry-run says */
    run_on (&r, sim, "api", "POST", "/v2/generate/async", "--data", "{\"prompt\": \"a fox\", \"dry_run\": true}", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (node), "kudos"), >, 0);
    run_on (&dry, sim, "generate", "a fox", "--dry-run", NULL);
    expected = g_strdup_printf ("This request would cost %.2f kudos.\n",
                                json_object_get_double_member (json_node_get_object (node), "kudos"));
    g_assert_cmpstr (dry.out, ==, expected);
    g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 2);  /* --data, and generate */
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* the server refuses: its message, one line */
    run_on (&r, sim, "api", "POST", "/v2/generate/async", "--data",
            "{\"prompt\": \"a fox\", \"params\": {\"steps\": 100, \"width\": 1024, \"height\": 1024}}", NULL);
    assert_fails (&r, "KudosUpfront");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autofree char *path = NULL;
    g_autofree char *data = NULL;
    int fd;

    /* --data @FILE: the body from a file */
    fd = g_file_open_tmp ("horde-cli-XXXXXX.json", &path, NULL);
    g_assert_cmpint (fd, >=, 0);
    close (fd);
    g_assert_true (g_file_set_contents (path, "{\"prompt\": \"a fox\", \"dry_run\": true}", -1, NULL));
    data = g_strconcat ("@", path, NULL);
    run_on (&r, sim, "api", "POST", "/v2/generate/async", "--data", data, NULL);
    g_unlink (path);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "{\"kudos\":"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "api", "POST", "/v2/generate/async", "--data", "{\"prompt\": ", NULL);
    assert_fails (&r, "JSON");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "api", "GET", "/v2/no/such/thing", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpstr (r.err, ==, "horde: no operation is GET /v2/no/such/thing; “horde api --list” lists them\n");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "api", "TRACE", "/v2/status/news", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpuint (count_lines (r.err), ==, 1);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* a parameter of the path: the server is asked for user 1, which it
     * does not have */
    run_on (&r, sim, "api", "GET", "/v2/users/1", NULL);
    assert_fails (&r, "User with ID '1' not found");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *workers;

    /* a parameter of the query: only the text workers come back */
    run_on (&r, sim, "api", "GET", "/v2/workers?type=text", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    workers = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (workers), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (workers, 0), "type"), ==, "text");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (workers, 0), "name"), ==, "sim-scribe");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    gint64 before = horde_test_sim_count (sim, "GET /api/v2/styles/image");

    /* a parameter the operation does not take is refused before sending */
    run_on (&r, sim, "api", "GET", "/v2/styles/image?bogus=1", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "horde: error: GET /v2/styles/image takes no parameter “bogus”\n");
    g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/styles/image"), ==, before);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "api", "--list", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\nGET     /v2/users/{user_id} "));
    g_assert_nonnull (strstr (r.out, "\nDELETE  /v2/generate/status/{id} "));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "api", "GET", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
  }
  /* nothing the CLI could not match reached the server */
  g_assert_cmpint (horde_test_sim_count (sim, "GET (unmatched)"), ==, 0);
}



/* the words horde-sim's text worker writes with (src/sim/horde-sim-content.c) */
static const char * const sim_words[] = {
  "the", "a", "quiet", "river", "lantern", "mountain", "ancient", "city", "whispered",
  "across", "under", "silver", "stars", "and", "of", "wanderer", "forest", "glass",
  "storm", "remembered", "library", "harbor", "slowly", "golden", "machine", "dreams",
  "beneath", "old", "bridge", "echoes", "morning", "through", "fog", "carried", "letters",
  "distant", "bells", "keeper", "garden", "iron", "north", "wind", "songs", "hidden", NULL
};

/* A text as the simulated worker writes it: @n_words of its words, a
 * capital after each full stop, a full stop at the end */
static void
assert_sim_text (const char *text,
                 guint       n_words)
{
  g_autofree char *copy = g_strdup (text);
  g_auto(GStrv) words = NULL;
  gboolean sentence_start = TRUE;

  g_assert_true (g_str_has_prefix (text, " "));
  g_assert_true (g_str_has_suffix (text, "."));
  words = g_strsplit (g_strstrip (copy), " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, n_words);
  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *word = g_ascii_strdown (words[i], -1);
      gboolean stop = g_str_has_suffix (word, ".");

      if (stop)
        word[strlen (word) - 1] = '\0';
      g_assert_true (g_strv_contains (sim_words, word));
      g_assert_cmpint (g_ascii_isupper (words[i][0]), ==, sentence_start);
      sentence_start = stop;
    }
}

static void
test_text (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "200", NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* one text: exactly what the worker wrote, on stdout; 16 tokens are
     * 12 of the simulator's words */
    run_on (&r, sim, "text", "Once upon a time", "--max-length", "16", "--model", TEXT_MODEL, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_lines (r.out), ==, 1);
    g_strchomp (r.out);
    assert_sim_text (r.out, 12);
    /* stderr is not a terminal: plain progress lines */
    g_assert_null (strchr (r.err, '\r'));
    g_assert_nonnull (strstr (r.err, "processing"));
    g_assert_true (g_str_has_suffix (r.err, "done\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;

    /* several: each under its own header line */
    run_on (&r, sim, "text", "Two tales", "-n", "2", "--max-length", "20", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (r.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 6);
    g_assert_cmpstr (lines[0], ==, "--- 1/2 (" TEXT_MODEL ") ---");
    assert_sim_text (lines[1], 15);
    g_assert_cmpstr (lines[2], ==, "");
    g_assert_cmpstr (lines[3], ==, "--- 2/2 (" TEXT_MODEL ") ---");
    assert_sim_text (lines[4], 15);
    g_assert_cmpstr (lines[5], ==, "");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *answer;
    JsonArray *generations;

    run_on (&r, sim, "text", "Three tales", "-n", "3", "--max-length", "32", "--max-context-length", "512", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    answer = json_node_get_object (node);
    g_assert_true (json_object_get_boolean_member (answer, "done"));
    g_assert_cmpfloat (json_object_get_double_member (answer, "kudos"), >, 0);
    g_assert_cmpint (horde_test_sim_job_count (sim, json_object_get_string_member (answer, "id"), "status"), >=, 1);
    generations = json_object_get_array_member (answer, "generations");
    g_assert_cmpuint (json_array_get_length (generations), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *generation = json_array_get_object_element (generations, i);

        assert_sim_text (json_object_get_string_member (generation, "text"), 24);
        g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, TEXT_MODEL);
        g_assert_cmpstr (json_object_get_string_member (generation, "worker_name"), ==, "sim-scribe");
        g_assert_cmpstr (json_object_get_string_member (generation, "state"), ==, "ok");
      }
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* refused before anything is sent: one line that names the field */
    run_on (&r, sim, "text", "a tale", "--max-length", "5", NULL);
    assert_fails (&r, "max_length");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    g_autofree char *id = NULL;
    const char *last;

    /* no worker serves the model: it waits, with the server's warning in
     * its words, until the timeout deletes it; the error is the last line
     * (3 s: on a loaded machine the first status must come before the
     * timeout) */
    run_on (&r, sim, "text", "a tale", "--model", "no/such-model", "--timeout", "3", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_nonnull (strstr (r.err, "warning: the Horde says: No available workers can fulfill this request."));
    g_assert_null (strstr (r.err, "Warning: No available"));
    last = g_strrstr (g_strchomp (r.err), "\n");
    g_assert_true (g_str_has_prefix (last + 1, "horde: error:"));
    id = g_strndup (strstr (r.err, "Request ") + 8, 36);
    g_assert_cmpint (horde_test_sim_job_count (sim, id, "delete"), ==, 1);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "text", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "needs a prompt"));
  }
}

/* Starts horde with @args (after --server URL), waits until the sim has
 * seen @route @polls times, waits @delay_ms more, and sends SIGINT */
static void
interrupt_horde (HordeTestCliResult *result,
                 HordeTestSim       *sim,
                 const char * const *args,
                 const char         *route,
                 guint               delay_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HORDE_CLI"));
  g_ptr_array_add (argv, (gpointer) "--server");
  g_ptr_array_add (argv, (gpointer) horde_test_sim_get_url (sim));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  while (horde_test_sim_count (sim, route) < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  g_usleep (delay_ms * G_TIME_SPAN_MILLISECOND);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("horde → %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
}

/* the one request the sim has seen */
static char *
only_job (HordeTestSim *sim)
{
  g_autoptr(JsonNode) stats = horde_test_sim_stats (sim);
  JsonObject *jobs = json_object_get_object_member (json_node_get_object (stats), "jobs");
  g_autoptr(GList) ids = json_object_get_members (jobs);

  g_assert_cmpuint (g_list_length (ids), ==, 1);
  return g_strdup (ids->data);
}


static void
test_text_terminal (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1500", NULL);
  g_autofree char *command = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "script", "-qec", NULL, "/dev/null", NULL };

  /* on a terminal: one progress line rewritten in place, then the text */
  command = g_strdup_printf ("%s --server %s text 'a slow tale' --max-length 16 2>&1",
                            g_getenv ("HORDE_CLI"), horde_test_sim_get_url (sim));
  args[2] = command;
  process = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_test_message ("%s", r.out);

  g_assert_nonnull (strstr (r.out, "\r\033[Kprocessing  queue "));
  g_assert_nonnull (strstr (r.out, "ETA"));
  /* the line is cleared before the text is printed */
  g_assert_true (g_regex_match_simple ("\r\033\\[K [A-Z][a-z]*[ a-z.A-Z]*\\.\r?\n$", r.out, 0, 0));
}

static void
test_text_interrupt (void)
{
  /* one text worker, four seconds a text: three texts finish at 4, 8 and
   * 12 s after the request; Ctrl+C at about 6 s keeps the first and the
   * second, which the worker was writing and the server still finishes
   * and charges (two seconds either way, for a loaded machine) */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "4000", NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  g_autofree char *id = NULL;
  const char *args[] = { "text", "three tales", "-n", "3", "--max-length", "16", NULL };

  interrupt_horde (&r, sim, args, "POST /api/v2/generate/text/async", 6000);
  g_assert_cmpint (r.status, ==, 130);
  g_assert_nonnull (strstr (r.err, "Cancelling"));
  g_assert_nonnull (strstr (r.err, "deleted (2 texts kept)"));

  /* the finished texts are printed (two of three: with their headers) */
  g_assert_true (g_str_has_prefix (r.out, "--- 1/2 (" TEXT_MODEL ") ---\n"));
  g_assert_nonnull (strstr (r.out, "\n--- 2/2 (" TEXT_MODEL ") ---\n"));
  {
    g_auto(GStrv) lines = g_strsplit (g_strchomp (r.out), "\n", -1);

    assert_sim_text (lines[g_strv_length (lines) - 1], 12);
  }

  /* the server saw the DELETE before the program ended */
  id = only_job (sim);
  g_assert_cmpint (horde_test_sim_job_count (sim, id, "delete"), ==, 1);
}

static void
test_text_interrupt_json (void)
{
  /* no worker has started: nothing is kept, and --json still says so (no
   * text worker at all: the job would wait for a text being written) */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--text-workers", "0", "--job-time", "5000", NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *answer;
  const char *args[] = { "text", "a slow tale", "--json", NULL };

  interrupt_horde (&r, sim, args, "GET /api/v2/generate/text/status/{id}", 0);
  g_assert_cmpint (r.status, ==, 130);
  node = parse_json_out (&r);
  answer = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (answer, "done"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "generations")), ==, 0);
  g_assert_cmpint (horde_test_sim_job_count (sim, json_object_get_string_member (answer, "id"), "delete"), ==, 1);
}


/* the simulator's captions: a subject and a setting (src/sim/horde-sim-content.c) */
static void
test_text_dry_run (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(HordeTestCliResult) plain = { 0 };
  g_auto(HordeTestCliResult) json = { 0 };
  JsonObject *object;
  double kudos = 0;

  /* the price in words, like generate --dry-run */
  run_on (&plain, sim, "text", "Once upon a time", "-n", "2", "--max-length", "64", "--dry-run", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpstr (plain.err, ==, "");
  g_assert_cmpint (sscanf (plain.out, "This request would cost %lf kudos.", &kudos), ==, 1);
  g_assert_cmpfloat (kudos, >, 0);

  /* --json: what the server answers a dry run with, the same price */
  run_on (&json, sim, "text", "Once upon a time", "-n", "2", "--max-length", "64", "--dry-run", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json_out (&json);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (object, "kudos"), ==, kudos);

  /* both asked the server, and neither made a request there */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/text/async"), ==, 2);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/generate/text/status/{id}"), ==, 0);
  stats = horde_test_sim_stats (sim);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (stats), "jobs")), ==, 0);
}

static const char * const sim_subjects[] = {
  "a cat", "a lighthouse", "a red fox", "an old castle", "a robot", "a bowl of fruit",
  "a sailing ship", "a mountain lake", "a city street", "a portrait of a woman", NULL
};
static const char * const sim_settings[] = {
  "at sunset", "in the snow", "on a wooden table", "under a starry sky", "in the rain",
  "in a misty forest", "by the sea", "in a busy market", NULL
};

static void
assert_sim_caption (const char *caption)
{
  gboolean found = FALSE;

  for (guint i = 0; sim_subjects[i] && !found; i++)
    for (guint j = 0; sim_settings[j] && !found; j++)
      {
        g_autofree char *expected = g_strdup_printf ("%s %s", sim_subjects[i], sim_settings[j]);

        found = g_str_equal (caption, expected);
      }
  g_assert_true (found);
}

/* A 64×64 WebP the simulator made, to interrogate: its path in @dir */
static char *
make_source (HordeTestSim *sim,
             const char   *dir)
{
  g_auto(HordeTestCliResult) r = { 0 };

  run_on (&r, sim, "generate", "a lighthouse", "--width", "64", "--height", "64", "-o", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  return g_strdup (g_strchomp (r.out));
}

static HordeGeneratedImage *
load_image (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  HordeGeneratedImage *image;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  return image;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_interrogate (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *source = make_source (sim, dir);
  g_autofree char *caption = NULL;
  g_autoptr(HordeGeneratedImage) original = load_image (source);

  g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (original)), ==, 64);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_auto(GStrv) lines = NULL;
    g_autofree char *id = NULL;
    g_autofree char *upscaled = NULL;
    g_autoptr(HordeGeneratedImage) image = NULL;

    run_on (&r, sim, "interrogate", source, "--form", "caption", "--form", "interrogation", "--form", "nsfw",
            "--form", "RealESRGAN_x2plus", "-o", out_dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 7);

    /* the caption the simulated alchemist wrote */
    g_assert_true (g_str_has_prefix (lines[0], "caption: "));
    caption = g_strdup (lines[0] + strlen ("caption: "));
    assert_sim_caption (caption);

    /* the tags, artists and mediums, each with its confidence */
    g_assert_cmpstr (lines[1], ==, "interrogation:");
    g_assert_true (g_str_has_prefix (lines[2], "  tags: "));
    g_assert_true (g_regex_match_simple ("^  tags: [a-z ]+ \\(0\\.[0-9]{2}\\)(, [a-z ]+ \\(0\\.[0-9]{2}\\)){4}$", lines[2], 0, 0));
    g_assert_true (g_regex_match_simple ("^  artists: [a-z ]+ \\(0\\.[0-9]{2}\\), [a-z ]+ \\(0\\.[0-9]{2}\\)$", lines[3], 0, 0));
    g_assert_true (g_regex_match_simple ("^  mediums: [a-z ]+ \\(0\\.[0-9]{2}\\), [a-z ]+ \\(0\\.[0-9]{2}\\)$", lines[4], 0, 0));

    g_assert_true (g_str_equal (lines[5], "nsfw: no") || g_str_equal (lines[5], "nsfw: yes"));

    /* the upscaled image: saved as <job id>-<form>.webp, a real WebP
     * twice the source's size */
    g_assert_true (g_str_has_prefix (lines[6], "RealESRGAN_x2plus: "));
    upscaled = g_strdup (lines[6] + strlen ("RealESRGAN_x2plus: "));
    g_assert_true (g_str_has_prefix (upscaled, out_dir));
    g_assert_true (g_str_has_suffix (upscaled, "-RealESRGAN_x2plus.webp"));
    id = g_path_get_basename (upscaled);
    id[36] = '\0';
    g_assert_cmpint (horde_test_sim_job_count (sim, id, "status"), >=, 1);
    image = load_image (upscaled);
    g_assert_cmpstr (horde_generated_image_get_mime_type (image), ==, "image/webp");
    g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (image)), ==, 128);
    g_assert_cmpint (gdk_pixbuf_get_height (horde_generated_image_get_pixbuf (image)), ==, 128);

    g_assert_null (strchr (r.err, '\r'));
    g_assert_true (g_str_has_suffix (r.err, "done\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *answer, *form;
    JsonArray *forms;

    /* --json: the same source gives the same caption */
    run_on (&r, sim, "interrogate", source, "--form", "caption", "--form", "GFPGAN", "-o", out_dir, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    node = parse_json_out (&r);
    answer = json_node_get_object (node);
    g_assert_true (json_object_get_boolean_member (answer, "done"));
    g_assert_cmpint (horde_test_sim_job_count (sim, json_object_get_string_member (answer, "id"), "delete"), ==, 0);
    forms = json_object_get_array_member (answer, "forms");
    g_assert_cmpuint (json_array_get_length (forms), ==, 2);

    form = json_array_get_object_element (forms, 0);
    g_assert_cmpstr (json_object_get_string_member (form, "form"), ==, "caption");
    g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, "done");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (form, "result"), "caption"), ==, caption);
    g_assert_false (json_object_has_member (form, "file"));

    /* a face fixer keeps the size */
    form = json_array_get_object_element (forms, 1);
    g_assert_cmpstr (json_object_get_string_member (form, "form"), ==, "GFPGAN");
    g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, "done");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (form, "result"), "GFPGAN"), "http"));
    {
      g_autoptr(HordeGeneratedImage) image = load_image (json_object_get_string_member (form, "file"));

      g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (image)), ==, 64);
    }
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* a URL goes to the server as it is */
    run_on (&r, sim, "interrogate", "https://example.com/cat.webp", "--form", "caption", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "caption: "));
    g_strchomp (r.out);
    assert_sim_caption (r.out + strlen ("caption: "));
  }
  remove_dir (dir);
}

static void
test_interrogate_errors (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "blue.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", NULL, NULL));

  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *last;

    /* a form the server does not know: its answer, in one line */
    run_on (&r, sim, "interrogate", png, "--form", "caption", "--form", "bogus", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
    last = g_strrstr (g_strchomp (r.err), "\n");
    last = last ? last + 1 : r.err;
    g_assert_true (g_str_has_prefix (last, "horde: error: "));
    g_assert_nonnull (strstr (last, "forms.1.name: 'bogus' is not one of ['caption'"));
    g_assert_nonnull (strstr (last, "HTTP 400"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    /* not an image: the server's refusal */
    run_on (&r, sim, "interrogate", g_getenv ("HORDE_CLI"), "--form", "caption", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "ImageValidationFailed"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    gint64 before = horde_test_sim_count (sim, "POST /api/v2/interrogate/async");

    /* a file that is not there: one line, nothing sent */
    run_on (&r, sim, "interrogate", missing, "--form", "caption", NULL);
    assert_fails (&r, missing);
    g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/interrogate/async"), ==, before);
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "interrogate", png, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "at least one --form"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "interrogate", "--form", "caption", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "needs an image"));
  }
  g_unlink (png);
  g_rmdir (dir);
}

static void
test_interrogate_interrupt (void)
{
  /* one alchemist, four seconds a form: Ctrl+C at about 6 s keeps the
   * caption, and the other forms are cancelled (two seconds either way,
   * for a loaded machine) */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "4000", NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *id = NULL;
  const char *args[] = { "interrogate", "https://example.com/cat.webp", "--form", "caption",
                         "--form", "interrogation", "--form", "nsfw", NULL };

  interrupt_horde (&r, sim, args, "POST /api/v2/interrogate/async", 6000);
  g_assert_cmpint (r.status, ==, 130);
  g_assert_nonnull (strstr (r.err, "deleted (1 form kept)"));

  lines = g_strsplit (g_strchomp (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "caption: "));
  assert_sim_caption (lines[0] + strlen ("caption: "));
  g_assert_cmpstr (lines[1], ==, "interrogation: cancelled");
  g_assert_cmpstr (lines[2], ==, "nsfw: cancelled");

  id = only_job (sim);
  g_assert_cmpint (horde_test_sim_job_count (sim, id, "delete"), ==, 1);
}

/* ---- what generate sends: an in-process server records the bodies ---- */

typedef struct {
  GMutex lock;
  GPtrArray *bodies;       /* of POST /api/v2/generate/async */
} Recorder;

static void
record_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Recorder *recorder = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *answer = "{\"kudos\": 12}";

  g_mutex_lock (&recorder->lock);
  if (g_str_equal (path, "/api/v2/generate/async"))
    g_ptr_array_add (recorder->bodies, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
  g_mutex_unlock (&recorder->lock);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer, strlen (answer));
}

static JsonObject *
sent_body (Recorder *recorder,
           guint     index)
{
  g_autoptr(JsonNode) node = NULL;
  const char *text;

  g_mutex_lock (&recorder->lock);
  g_assert_cmpuint (recorder->bodies->len, >, index);
  text = g_ptr_array_index (recorder->bodies, index);
  g_mutex_unlock (&recorder->lock);
  node = json_from_string (text, NULL);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* generate says nsfw and censor_nsfw always: left out, the server takes
 * both as true, and workers that do not generate NSFW skip the request */
static void
test_generate_nsfw (void)
{
  Recorder recorder = { .bodies = g_ptr_array_new_with_free_func (g_free) };
  HordeTestServer *server;
  g_autofree char *url = NULL;

  g_mutex_init (&recorder.lock);
  server = horde_test_server_start (record_handler, &recorder);
  url = g_strconcat (horde_test_server_get_url (server), "api", NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonObject) body = NULL;
    const char *args[] = { "--server", url, "generate", "a fox", "--dry-run", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    body = sent_body (&recorder, 0);
    g_assert_true (json_object_has_member (body, "nsfw"));
    g_assert_false (json_object_get_boolean_member (body, "nsfw"));
    g_assert_true (json_object_has_member (body, "censor_nsfw"));
    g_assert_true (json_object_get_boolean_member (body, "censor_nsfw"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonObject) body = NULL;
    const char *args[] = { "--server", url, "generate", "a fox", "--dry-run", "--no-censor-nsfw", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    body = sent_body (&recorder, 1);
    g_assert_false (json_object_get_boolean_member (body, "nsfw"));
    g_assert_false (json_object_get_boolean_member (body, "censor_nsfw"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autoptr(JsonObject) body = NULL;
    const char *args[] = { "--server", url, "generate", "a fox", "--dry-run", "--nsfw", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    body = sent_body (&recorder, 2);
    g_assert_true (json_object_get_boolean_member (body, "nsfw"));
    g_assert_false (json_object_has_member (body, "censor_nsfw"));
  }
  {
    /* contradictions are refused before anything is sent */
    g_auto(HordeTestCliResult) both = { 0 };
    g_auto(HordeTestCliResult) with_nsfw = { 0 };
    const char *args1[] = { "--server", url, "generate", "a fox", "--censor-nsfw", "--no-censor-nsfw", NULL };
    const char *args2[] = { "--server", url, "generate", "a fox", "--nsfw", "--censor-nsfw", NULL };

    run_horde (&both, args1);
    g_assert_cmpint (both.status, ==, 2);
    run_horde (&with_nsfw, args2);
    g_assert_cmpint (with_nsfw.status, ==, 2);
    g_assert_nonnull (strstr (with_nsfw.err, "--nsfw"));
    g_mutex_lock (&recorder.lock);
    g_assert_cmpuint (recorder.bodies->len, ==, 3);
    g_mutex_unlock (&recorder.lock);
  }
  {
    /* --help says what is sent */
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "generate", "--help", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--no-censor-nsfw"));
    g_assert_nonnull (strstr (r.out, "nsfw: false"));
  }

  horde_test_server_stop (server);
  g_ptr_array_unref (recorder.bodies);
  g_mutex_clear (&recorder.lock);
}

/* ---- why nobody serves a request ---- */

#define OWNER_KEY "owner-key-0000000001"
#define RICH_KEY "rich-key-00000000001"
#define UNSERVED_USERS "[{\"key\": \"" OWNER_KEY "\", \"username\": \"owner\", \"kudos\": 10, \"id\": 6}," \
  "{\"key\": \"" RICH_KEY "\", \"username\": \"rich\", \"kudos\": 100000, \"id\": 7}]"

/* One pop registers an external worker: it is listed from then on, and
 * never pops again, so what it could take waits with nobody on it. */
static void
register_worker (HordeTestSim *sim,
                 const char   *name,
                 const char   *model,
                 gboolean      nsfw,
                 const char   *bridge_agent)
{
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeImageGenerateJobPopRequestBuilder) builder = horde_image_generate_job_pop_request_builder_new ();
  g_autoptr(HordeImageGenerateJobPopRequest) pop = NULL;
  g_autoptr(HordeGenerationPayloadStable) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *models[] = { model, NULL };

  horde_client_set_api_key (client, OWNER_KEY);
  horde_image_generate_job_pop_request_builder_set_name (builder, name);
  horde_image_generate_job_pop_request_builder_set_models (builder, models);
  horde_image_generate_job_pop_request_builder_set_nsfw (builder, nsfw);
  horde_image_generate_job_pop_request_builder_set_bridge_agent (builder, bridge_agent);
  horde_image_generate_job_pop_request_builder_set_max_pixels (builder, 1024 * 1024);
  pop = horde_image_generate_job_pop_request_builder_end (builder, &error);
  g_assert_no_error (error);
  answer = horde_client_send_image_generate_job_pop_request_sync (client, pop, NULL, &error);
  g_assert_no_error (error);
  /* nothing was waiting: the worker took nothing */
  g_assert_null (horde_generation_payload_stable_get_id (answer));
}

/* A bridge the AI Horde knows can upload to R2 (its bridge reference) */
#define R2_BRIDGE "AI Horde Worker reGen:9.0.6:https://github.com/Haidra-Org/horde-worker-reGen"

/* Runs horde on @sim until a line of its stderr holds @until (or, with
 * @route, until the sim served @route): then Ctrl+C, and the rest. */
static void
run_until (HordeTestCliResult *result,
           HordeTestSim       *sim,
           const char         *until,
           const char         *route,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 before = route ? horde_test_sim_count (sim, route) : 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HORDE_CLI"));
  g_ptr_array_add (argv, (gpointer) "--server");
  g_ptr_array_add (argv, (gpointer) horde_test_sim_get_url (sim));
  va_start (ap, route);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  while (until != NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (text, "%s\n", line);
      if (strstr (line, until) != NULL)
        break;
    }
  if (route != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      while (horde_test_sim_count (sim, route) == before)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (50 * G_TIME_SPAN_MILLISECOND);
        }
    }
  g_subprocess_send_signal (process, SIGINT);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (text, "%s\n", line);
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_exit_status (process);
  result->err = g_string_free (g_steal_pointer (&text), FALSE);
  result->out = g_strdup ("");
  g_test_message ("horde → %d\nstderr: %s", result->status, result->err);
}

#define UNSERVED "warning: no worker takes this request now: "

static void
test_generate_unserved (void)
{
  g_autofree char *users = horde_test_write_users (UNSERVED_USERS);
  g_autoptr(HordeTestSim) sim = NULL;
  g_autofree char *dir = g_dir_make_tmp ("horde-cli-XXXXXX", NULL);

  sim = horde_test_sim_start ("--workers", "0", "--users", users, NULL);

  /* nobody serves the model: the Horde says it (is_possible false, and
   * the 202's words), and the workers say why */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_until (&r, sim, UNSERVED, NULL, "generate", "a fox", "--model", "Deliberate", "-o", dir, NULL);
    g_assert_cmpint (r.status, ==, 130);
    g_assert_nonnull (strstr (r.err, "warning: the Horde says: No available workers can fulfill this request."));
    g_assert_nonnull (strstr (r.err, UNSERVED "no worker online serves “Deliberate”"));
    g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/workers"), ==, 1);
  }

  /* the only worker of the model does not take NSFW requests */
  register_worker (sim, "sfw-only", "Deliberate", FALSE, R2_BRIDGE);
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_until (&r, sim, UNSERVED, NULL, "generate", "a fox", "--model", "Deliberate", "--nsfw", "-o", dir, NULL);
    g_assert_nonnull (strstr (r.err, UNSERVED "the 1 worker serving “Deliberate” does not take NSFW requests "
                                     "(ask without --nsfw)"));
    g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/workers"), ==, 2);
  }

  /* it does take the same request made safe for work: nothing to say,
   * though nobody starts it here (the worker popped once only) */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_until (&r, sim, NULL, "GET /api/v2/workers", "generate", "a fox", "--model", "Deliberate", "-o", dir, NULL);
    g_assert_null (strstr (r.err, UNSERVED));
    g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/workers"), ==, 3);
  }

  /* a worker on a bridge the Horde does not know gets no r2 request */
  register_worker (sim, "home-made", "Realistic Vision", FALSE, "my own worker:1.0:https://example.invalid");
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_until (&r, sim, UNSERVED, NULL, "generate", "a fox", "--model", "Realistic Vision", "-o", dir, NULL);
    g_assert_nonnull (strstr (r.err, UNSERVED "the 1 worker serving “Realistic Vision” "
                                     "does not run a bridge the Horde knows can upload to R2"));
  }

  /* too big for every worker of the model (a key with kudos: a big
   * image needs them upfront) */
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_until (&r, sim, UNSERVED, NULL, "--api-key", RICH_KEY, "generate", "a fox", "--model", "Deliberate",
               "--width", "2048", "--height", "1024", "-o", dir, NULL);
    g_assert_nonnull (strstr (r.err, UNSERVED "the 1 worker serving “Deliberate” "
                                     "makes images of at most 1048576 pixels, and this one has 2048×1024"));
  }

  g_unlink (users);
  g_rmdir (dir);
}

/* ---- the server's errors in words ---- */

/* find_user's 404 for a key the Horde does not know: the real server puts
 * the key in its message and flask-restx a routing hint after it */
#define USER_NOT_FOUND_MESSAGE "User with api_key 'wrongkey99' not found. You have requested this URI " \
  "[/api/v2/find_user] but did you mean /api/v2/find_user or /api/v2/users/<string:user_id> ?"

static void
test_error_words (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  horde_test_sim_set_faults (sim, "status:404@GET /api/v2/find_user,count=1,rc=UserNotFound,"
                                  "message=" USER_NOT_FOUND_MESSAGE);
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "--api-key", "wrongkey99", "user", NULL);
    assert_fails (&r, "The Horde does not know this API key.");
    g_assert_cmpstr (r.err, ==, "horde: error: The Horde does not know this API key. (HTTP 404, UserNotFound)\n");
  }

  /* another 404: the server's words, without the routing hint */
  horde_test_sim_set_faults (sim, "status:404@GET /api/v2/users/*,count=1,rc=UserNotFound,"
                                  "message=User with ID '77' not found. You have requested this URI "
                                  "[/api/v2/users/77] but did you mean /api/v2/users/<string:user_id> ?");
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "api", "GET", "/v2/users/77", NULL);
    assert_fails (&r, "The Horde knows no such user. User with ID '77' not found. (HTTP 404, UserNotFound)");
    g_assert_null (strstr (r.err, "You have requested"));
  }

  /* a text dry run answered 500, as the AI Horde 5.1.5 does */
  horde_test_sim_set_faults (sim, "status:500@POST /api/v2/generate/text/async,count=1,"
                                  "message=Internal Server Error");
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_on (&r, sim, "text", "Once upon a time", "--dry-run", NULL);
    assert_fails (&r, "The Horde could not price this text request");
    g_assert_nonnull (strstr (r.err, "(HTTP 500"));
    g_assert_nonnull (strstr (r.err, "without --dry-run"));
  }
}

static void
test_help (void)
{
  const char *commands[] = { "status", "news", "models", "workers", "styles", "user", "stats", "cancel", "api", "text", "interrogate" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(HordeTestCliResult) r = { 0 };
      const char *args[] = { commands[i], "--help", NULL };

      run_horde (&r, args);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, g_str_equal (commands[i], "api") ? "--data" : "--json"));
    }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--help", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autofree char *line = g_strdup_printf ("\n  %-10s ", commands[i]);

        g_assert_nonnull (strstr (r.out, line));
      }
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/generate", test_generate);
  g_test_add_func ("/cli/dry-run", test_dry_run);
  g_test_add_func ("/cli/invalid-input", test_invalid_input);
  g_test_add_func ("/cli/server-refuses", test_server_refuses);
  g_test_add_func ("/cli/unreachable", test_unreachable);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/models-and-user", test_models_and_user);
  g_test_add_func ("/cli/interrupt-deletes", test_interrupt_deletes);
  g_test_add_func ("/cli/terminal-progress", test_terminal_progress);
  g_test_add_func ("/cli/status", test_status);
  g_test_add_func ("/cli/news", test_news);
  g_test_add_func ("/cli/models-json", test_models_json);
  g_test_add_func ("/cli/workers", test_workers);
  g_test_add_func ("/cli/styles", test_styles);
  g_test_add_func ("/cli/user-json", test_user_json);
  g_test_add_func ("/cli/stats", test_stats);
  g_test_add_func ("/cli/cancel", test_cancel);
  g_test_add_func ("/cli/api", test_api);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/generate-nsfw", test_generate_nsfw);
  g_test_add_func ("/cli/error-words", test_error_words);
  g_test_add_func ("/cli/generate-unserved", test_generate_unserved);
  g_test_add_func ("/cli/text", test_text);
  g_test_add_func ("/cli/text-terminal", test_text_terminal);
  g_test_add_func ("/cli/text-interrupt", test_text_interrupt);
  g_test_add_func ("/cli/text-interrupt-json", test_text_interrupt_json);
  g_test_add_func ("/cli/text-dry-run", test_text_dry_run);
  g_test_add_func ("/cli/interrogate", test_interrogate);
  g_test_add_func ("/cli/interrogate-errors", test_interrogate_errors);
  g_test_add_func ("/cli/interrogate-interrupt", test_interrogate_interrupt);

  return g_test_run ();
}

/* test-cli.c: the horde command line, run as a user runs it, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libhorde.h>

#include "horde-test-sim.h"

typedef struct {
  int status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run_horde (Result             *result,
           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HORDE_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("horde → %d\nstdout: %s\nstderr: %s", result->status, result->out, result->err);
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
  g_auto(Result) r = { 0 };
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
  g_auto(Result) r = { 0 };
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
  g_auto(Result) r = { 0 };
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
  g_auto(Result) r = { 0 };
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
  g_auto(Result) r = { 0 };
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
    g_auto(Result) r = { 0 };
    const char *args[] = { "generate", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "needs a prompt"));
  }
  {
    g_auto(Result) r = { 0 };
    const char *args[] = { "paint", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "not a command"));
  }
  {
    g_auto(Result) r = { 0 };
    const char *args[] = { "--version", NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "horde " PACKAGE_VERSION));
  }
  {
    g_auto(Result) r = { 0 };
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
    g_auto(Result) r = { 0 };
    const char *args[] = { "models", "--server", horde_test_sim_get_url (sim), NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Deliberate"));
    g_assert_nonnull (strstr (r.out, "stable_diffusion"));
  }
  {
    g_auto(Result) r = { 0 };
    const char *args[] = { "models", "--type", "text", "--server", horde_test_sim_get_url (sim), NULL };

    run_horde (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Psyfighter2"));
    g_assert_null (strstr (r.out, "Deliberate"));
  }
  {
    g_auto(Result) r = { 0 };
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
  g_auto(Result) r = { 0 };
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

  return g_test_run ();
}

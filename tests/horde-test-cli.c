/* horde-test-cli.c: run the horde command line for a test
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-test-cli.h"

void
horde_test_cli_result_clear (HordeTestCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
  g_clear_pointer (&result->out_bytes, g_bytes_unref);
  g_clear_pointer (&result->err_bytes, g_bytes_unref);
}

static const char *
text_of (GBytes *bytes)
{
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, NULL) : NULL;

  return data != NULL ? data : "";
}

void
horde_test_cli_run (HordeTestCliResult *result,
                    const char * const *env,
                    const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  horde_test_cli_result_clear (result);

  g_assert_nonnull (g_getenv ("HORDE_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("HORDE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &result->out_bytes, &result->err_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  result->out = g_strdup (text_of (result->out_bytes));
  result->err = g_strdup (text_of (result->err_bytes));

  /* escaped: a hostile server's answer may hold anything */
  out = g_strescape (result->out, "\n");
  err = g_strescape (result->err, "\n");
  g_test_message ("horde → %d\nstdout: %.2000s\nstderr: %.2000s", result->status, out, err);
}

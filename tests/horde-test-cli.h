/* horde-test-cli.h: run the horde command line for a test
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a run of horde gave: its exit status and its output, as text and,
 * when horde_test_cli_run() ran it, as bytes. GSubprocess ends what it
 * reads with a NUL: the text is the bytes up to their first NUL, "" when
 * there were none. A test may change the text (g_strchomp) and may fill
 * `out` and `err` itself from a process of its own (they are freed). */
typedef struct {
  int status;
  char *out;
  char *err;
  GBytes *out_bytes;
  GBytes *err_bytes;
} HordeTestCliResult;

void horde_test_cli_result_clear (HordeTestCliResult *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HordeTestCliResult, horde_test_cli_result_clear)

/* Runs `$HORDE_CLI ARGS…` with pipes for its output and waits for its end;
 * @env is NULL or NAME, VALUE pairs ending with NULL, set in its
 * environment. Fails the test if horde cannot be run or does not exit. */
void horde_test_cli_run (HordeTestCliResult *result,
                         const char * const *env,
                         const char * const *args);

G_END_DECLS

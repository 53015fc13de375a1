/* fuzz-common.h: what every fuzz target of tests/fuzz shares
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* An oracle failed: say which and how, then abort, so that libFuzzer keeps
 * the input as a crash and the replay test fails. */
#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "fuzz oracle failed: %s: ", #cond); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
      } \
  } G_STMT_END

/* At most @max bytes of @text, for a message about it */
static inline char *
fuzz_excerpt (const char *text,
              gsize       len,
              gsize       max)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (gsize i = 0; i < len && i < max; i++)
    {
      guchar c = text[i];

      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (s, c);
      else
        g_string_append_printf (s, "\\x%02x", c);
    }
  if (len > max)
    g_string_append (s, "…");

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Once per process, before any input:
 * - GLib 2.74's slice allocator hides use-after-free and leaks from
 *   AddressSanitizer: G_SLICE=always-malloc must be in the environment
 *   before GLib starts, so the process starts again with it (the replay
 *   tests set it already);
 * - a critical or a warning is a bug the target must report. */
static inline void
fuzz_init (int    *argc,
           char ***argv)
{
  const char *slice = getenv ("G_SLICE");

  if ((slice == NULL || strstr (slice, "always-malloc") == NULL) && argv != NULL && *argv != NULL)
    {
      setenv ("G_SLICE", "always-malloc", 1);
      execv ("/proc/self/exe", *argv);
      /* no /proc: carry on with the slice allocator */
    }

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

G_END_DECLS

/* fuzz-retry-after.c: the delay a Retry-After header asks for
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the header's value (up to a NUL, as a header value is a string).
 * Oracles, at a fixed "now": the delay is -1 (no usable value) or ≥ 0;
 * delay-seconds (RFC 9110: digits only) up to G_MAXUINT32 give exactly
 * seconds × 1000 whatever the time, and a longer run of digits is never
 * read as a shorter wait (nor as a date).
 */

#include "config.h"

#include "fuzz-common.h"

#include "horde-util-private.h"

static GDateTime *now, *later;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  now = g_date_time_new_utc (2026, 11, 27, 12, 0, 0);
  later = g_date_time_add_days (now, 400);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = g_strndup ((const char *) data, size);
  gint64 ms = horde_retry_after_ms (value, now);
  gboolean digits = *value != '\0';
  guint64 seconds = 0;
  gboolean overflow = FALSE;

  FUZZ_CHECK (ms == -1 || ms >= 0, "%" G_GINT64_FORMAT " ms for “%s”", ms, value);

  for (const char *p = value; *p && digits; p++)
    {
      if (!g_ascii_isdigit (*p))
        digits = FALSE;
      else if (seconds > (G_MAXUINT64 - 9) / 10)
        overflow = TRUE;
      else
        seconds = seconds * 10 + (*p - '0');
    }
  if (!digits)
    return 0;

  if (!overflow && seconds <= G_MAXUINT32)
    {
      FUZZ_CHECK (ms == (gint64) seconds * 1000, "%" G_GINT64_FORMAT " ms for %s seconds", ms, value);
      FUZZ_CHECK (horde_retry_after_ms (value, later) == ms, "a delay in seconds depends on the time: %s", value);
    }
  else
    FUZZ_CHECK (ms == -1 || ms >= (gint64) G_MAXUINT32 * 1000,
                "%" G_GINT64_FORMAT " ms for %s seconds", ms, value);

  return 0;
}

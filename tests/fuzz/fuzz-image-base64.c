/* fuzz-image-base64.c: a generation's base64 `img` into a HordeGeneratedImage
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the text of a generation's `img` (r2: false), up to a NUL as a
 * JSON string gives it. horde_image_job_take_results_async() downloads it
 * when it is an http(s) URL, and otherwise decodes it with
 * g_base64_decode() and then as image bytes: this target follows the
 * second path. Oracles: those of fuzz-image.c.
 */

#include "config.h"

#include "fuzz-image-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  g_type_ensure (HORDE_TYPE_GENERATED_IMAGE);
  g_type_ensure (GDK_TYPE_PIXBUF);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *img = g_strndup ((const char *) data, size);
  g_autoptr(GBytes) bytes = NULL;
  guchar *decoded;
  gsize len = 0;

  /* the other path: a URL to download */
  if (g_str_has_prefix (img, "https://") || g_str_has_prefix (img, "http://"))
    return 0;

  /* as the job does it, and then in a buffer of the exact size */
  decoded = g_base64_decode (img, &len);
  bytes = g_bytes_new (decoded, len);
  g_free (decoded);

  fuzz_image_decode (bytes);
  return 0;
}

/* fuzz-image.c: image bytes, as downloaded, into a HordeGeneratedImage
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the bytes of an image (an r2 download). Oracles: an image either
 * fails with HORDE_ERROR_INVALID_RESPONSE or decodes into a whole pixbuf
 * of the size it says, every pixel of which can be read; nothing crashes,
 * leaks or reads out of bounds (fuzz-image-common.h).
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
  /* a GBytes that points at libFuzzer's buffer, of its exact size */
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);

  fuzz_image_decode (bytes);
  return 0;
}

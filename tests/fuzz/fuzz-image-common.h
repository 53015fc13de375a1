/* fuzz-image-common.h: decoding an image as a job does, for the image targets
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "fuzz-common.h"

#include "horde-error.h"
#include "horde-generated-image-private.h"

/* The pixel limit the target gives libhorde, as a client's
 * max-image-pixels: small enough that a decode stays far under libFuzzer's
 * memory limit, so that what the fuzzer checks is that libhorde refuses a
 * larger image from its header, before it allocates (a 10 KB WebP can
 * describe 16383 × 16383). */
#define FUZZ_IMAGE_MAX_PIXELS (G_GUINT64_CONSTANT (4096) * 4096)

/* Decodes @bytes as horde_image_job's results are decoded; an image that
 * decodes must be whole: its pixels are all read. */
static inline void
fuzz_image_decode (GBytes *bytes)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *pixels;
  GdkPixbuf *pixbuf;
  gsize n_bytes, rows_bytes;
  int width, height, rowstride, channels;
  guint sum = 0;

  image = horde_generated_image_new_checked (bytes, NULL, FUZZ_IMAGE_MAX_PIXELS, &error);
  if (image == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE),
                  "an image that does not decode is not HORDE_ERROR_INVALID_RESPONSE: %s",
                  error ? error->message : "no error");
      return;
    }

  FUZZ_CHECK (horde_generated_image_get_bytes (image) == bytes, "the image does not keep its bytes");
  FUZZ_CHECK (horde_generated_image_get_seed (image) == NULL, "a seed without a generation");
  FUZZ_CHECK (g_str_equal (horde_generated_image_get_mime_type (image), "image/webp") ||
              g_str_equal (horde_generated_image_get_mime_type (image), "image/png") ||
              g_str_equal (horde_generated_image_get_mime_type (image), "image/jpeg"),
              "MIME type %s", horde_generated_image_get_mime_type (image));
  FUZZ_CHECK (horde_generated_image_get_extension (image) != NULL, "no extension");

  /* the size comes from the header, within the limit, before any decode */
  FUZZ_CHECK (horde_generated_image_get_width (image) > 0 && horde_generated_image_get_height (image) > 0 &&
              (guint64) horde_generated_image_get_width (image) * horde_generated_image_get_height (image) <= FUZZ_IMAGE_MAX_PIXELS,
              "a header size of %d × %d", horde_generated_image_get_width (image),
              horde_generated_image_get_height (image));

  pixbuf = horde_generated_image_decode (image, &error);
  if (pixbuf == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE),
                  "an image that does not decode is not HORDE_ERROR_INVALID_RESPONSE: %s",
                  error ? error->message : "no error");
      FUZZ_CHECK (horde_generated_image_get_pixbuf (image) == NULL, "a pixbuf after a failed decode");
      return;
    }
  FUZZ_CHECK (GDK_IS_PIXBUF (pixbuf), "an image without a pixbuf");
  FUZZ_CHECK (horde_generated_image_get_pixbuf (image) == pixbuf, "a second decode gives another pixbuf");
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  FUZZ_CHECK (width == horde_generated_image_get_width (image) && height == horde_generated_image_get_height (image),
              "decoded %d × %d, the header said %d × %d", width, height,
              horde_generated_image_get_width (image), horde_generated_image_get_height (image));
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  FUZZ_CHECK (width > 0 && height > 0, "a pixbuf of %d × %d", width, height);
  FUZZ_CHECK (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8 && (channels == 3 || channels == 4) &&
              rowstride >= width * channels,
              "a pixbuf of %d channels, %d bits, row stride %d for width %d",
              channels, gdk_pixbuf_get_bits_per_sample (pixbuf), rowstride, width);
  n_bytes = gdk_pixbuf_get_byte_length (pixbuf);
  rows_bytes = (gsize) rowstride * (height - 1) + (gsize) width * channels;
  FUZZ_CHECK (n_bytes >= rows_bytes, "%zu bytes of pixels for %zu", n_bytes, rows_bytes);

  /* every pixel, so that a buffer shorter than the pixbuf says is caught */
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * channels; x++)
      sum += pixels[(gsize) y * rowstride + x];
  (void) sum;
}

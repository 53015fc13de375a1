/* fuzz-image-common.h: decoding an image as a job does, for the image targets
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <webp/decode.h>

#include "fuzz-common.h"

#include "horde-error.h"
#include "horde-generated-image.h"

#define FUZZ_IMAGE_MAX_SIDE 4096

/* TEMPORARY, remove once libhorde limits pixels before it decodes
 * (issue 10, item 3): libhorde decodes whatever size the header claims, so
 * a 10 KB WebP becomes 1 GiB of pixels and every input of that kind would
 * be reported as an out-of-memory crash. Until the library has its limit,
 * the target skips images whose header says they are larger than
 * 4096 × 4096 (WebP's, PNG's IHDR, JPEG's SOF). Once the limit is there,
 * delete this function and its call: the library must then refuse such
 * images by itself, and the fuzzer checks that it does without the memory. */
static inline gboolean
fuzz_image_too_large (const guint8 *data,
                      gsize         len)
{
  guint32 width = 0, height = 0;
  int w, h;

  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    {
      if (!WebPGetInfo (data, len, &w, &h))
        return FALSE;
      width = w;
      height = h;
    }
  else if (len >= 24 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    {
      width = (guint32) data[16] << 24 | data[17] << 16 | data[18] << 8 | data[19];
      height = (guint32) data[20] << 24 | data[21] << 16 | data[22] << 8 | data[23];
    }
  else if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    {
      /* every start-of-frame marker: C0–CF but C4 (DHT), C8 (JPG), CC (DAC) */
      for (gsize i = 2; i + 8 < len; i++)
        if (data[i] == 0xff && data[i + 1] >= 0xc0 && data[i + 1] <= 0xcf &&
            data[i + 1] != 0xc4 && data[i + 1] != 0xc8 && data[i + 1] != 0xcc)
          {
            height = MAX (height, (guint32) data[i + 5] << 8 | data[i + 6]);
            width = MAX (width, (guint32) data[i + 7] << 8 | data[i + 8]);
          }
    }

  return width > FUZZ_IMAGE_MAX_SIDE || height > FUZZ_IMAGE_MAX_SIDE;
}

/* Decodes @bytes as horde_image_job's results are decoded; an image that
 * decodes must be whole: its pixels are all read. */
static inline void
fuzz_image_decode (GBytes *bytes)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *pixels;
  GdkPixbuf *pixbuf;
  gsize n_bytes, rows_bytes;
  int width, height, rowstride, channels;
  guint sum = 0;

  if (data != NULL && fuzz_image_too_large (data, len))
    return;

  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
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

  pixbuf = horde_generated_image_get_pixbuf (image);
  FUZZ_CHECK (GDK_IS_PIXBUF (pixbuf), "an image without a pixbuf");
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
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

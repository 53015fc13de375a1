/* horde-sim-image.c: deterministic images, encoded as WebP
 *
 * An image is a gradient, a faint wave texture and a handful of shapes whose
 * colours, positions and sizes all come from a hash of (prompt, seed, width,
 * height, model): the same inputs give byte-identical WebP files, different
 * seeds give visibly different pictures.  Shapes are placed in relative
 * coordinates, so a prompt keeps its "composition" across sizes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-image.h"
#include "horde-sim-content.h"

#include <math.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/encode.h>

#define WEBP_QUALITY 80.0f

typedef struct {
  double r, g, b;
} Color;

typedef enum {
  SHAPE_DISC,
  SHAPE_RING,
  SHAPE_BOX,
  SHAPE_BAND,
  N_SHAPES,
} ShapeKind;

static Color
color_from_hsv (double h,
                double s,
                double v)
{
  double c = v * s;
  double hp = fmod (h, 1.0) * 6.0;
  double x = c * (1.0 - fabs (fmod (hp, 2.0) - 1.0));
  double m = v - c;
  Color rgb = { 0, 0, 0 };

  switch ((int) hp)
    {
    case 0: rgb = (Color) { c, x, 0 }; break;
    case 1: rgb = (Color) { x, c, 0 }; break;
    case 2: rgb = (Color) { 0, c, x }; break;
    case 3: rgb = (Color) { 0, x, c }; break;
    case 4: rgb = (Color) { x, 0, c }; break;
    default: rgb = (Color) { c, 0, x }; break;
    }
  return (Color) { (rgb.r + m) * 255.0, (rgb.g + m) * 255.0, (rgb.b + m) * 255.0 };
}

static Color
random_color (HordeSimRng *rng,
              double       base_hue)
{
  double hue = base_hue + (horde_sim_rng_double (rng) - 0.5) * 0.6;

  return color_from_hsv (hue + 1.0, 0.45 + 0.5 * horde_sim_rng_double (rng),
                         0.35 + 0.6 * horde_sim_rng_double (rng));
}

static inline guint8
clamp_byte (double value)
{
  return (guint8) CLAMP (lround (value), 0, 255);
}

static void
paint_background (guint8      *rgb,
                  int          width,
                  int          height,
                  HordeSimRng *rng,
                  double       hue)
{
  Color from = random_color (rng, hue);
  Color to = random_color (rng, hue + 0.5);
  double angle = horde_sim_rng_double (rng) * 2 * G_PI;
  double dx = cos (angle), dy = sin (angle);
  double wave_x = 4 + 20 * horde_sim_rng_double (rng);
  double wave_y = 4 + 20 * horde_sim_rng_double (rng);
  double phase = horde_sim_rng_double (rng) * 2 * G_PI;

  for (int y = 0; y < height; y++)
    {
      double v = (y + 0.5) / height - 0.5;
      guint8 *row = rgb + (gsize) y * width * 3;

      for (int x = 0; x < width; x++)
        {
          double u = (x + 0.5) / width - 0.5;
          double t = CLAMP (0.5 + (u * dx + v * dy), 0.0, 1.0);
          double wave = 10.0 * sin (wave_x * u + wave_y * v * v * 3 + phase);
          double vignette = 1.0 - 0.5 * (u * u + v * v);

          row[x * 3 + 0] = clamp_byte (((1 - t) * from.r + t * to.r) * vignette + wave);
          row[x * 3 + 1] = clamp_byte (((1 - t) * from.g + t * to.g) * vignette + wave);
          row[x * 3 + 2] = clamp_byte (((1 - t) * from.b + t * to.b) * vignette + wave);
        }
    }
}

static gboolean
shape_covers (ShapeKind kind,
              double    du,
              double    dv,
              double    size,
              double    aspect)
{
  double d2 = du * du + dv * dv;

  switch (kind)
    {
    case SHAPE_DISC:
      return d2 <= size * size;
    case SHAPE_RING:
      return d2 <= size * size && d2 >= size * size * 0.55;
    case SHAPE_BOX:
      return fabs (du) <= size && fabs (dv) <= size * aspect;
    case SHAPE_BAND:
      return fabs (du * 0.7 + dv * 0.7) <= size * 0.25;
    default:
      return FALSE;
    }
}

static void
paint_shape (guint8      *rgb,
             int          width,
             int          height,
             HordeSimRng *rng,
             double       hue)
{
  ShapeKind kind = horde_sim_rng_range (rng, N_SHAPES);
  double cu = horde_sim_rng_double (rng);
  double cv = horde_sim_rng_double (rng);
  double size = 0.06 + 0.25 * horde_sim_rng_double (rng);
  double aspect = 0.4 + 1.2 * horde_sim_rng_double (rng);
  double alpha = 0.45 + 0.45 * horde_sim_rng_double (rng);
  Color color = random_color (rng, hue + 0.33);
  int x0 = 0, x1 = width, y0 = 0, y1 = height;

  if (kind != SHAPE_BAND)
    {
      double reach = size * MAX (1.0, aspect);

      x0 = (int) floor ((cu - reach) * width);
      x1 = (int) ceil ((cu + reach) * width);
      y0 = (int) floor ((cv - reach) * height);
      y1 = (int) ceil ((cv + reach) * height);
      x0 = CLAMP (x0, 0, width);
      x1 = CLAMP (x1, 0, width);
      y0 = CLAMP (y0, 0, height);
      y1 = CLAMP (y1, 0, height);
    }

  for (int y = y0; y < y1; y++)
    {
      double dv = (y + 0.5) / height - cv;
      guint8 *row = rgb + (gsize) y * width * 3;

      for (int x = x0; x < x1; x++)
        {
          double du = (x + 0.5) / width - cu;
          guint8 *px = row + x * 3;

          if (!shape_covers (kind, du, dv, size, aspect))
            continue;
          px[0] = clamp_byte (px[0] * (1 - alpha) + color.r * alpha);
          px[1] = clamp_byte (px[1] * (1 - alpha) + color.g * alpha);
          px[2] = clamp_byte (px[2] * (1 - alpha) + color.b * alpha);
        }
    }
}

/* Renders the picture for these inputs and encodes it as lossy WebP.
 * Thread-safe: it only touches its own buffers. */
GBytes *
horde_sim_image_render (const char *prompt,
                        const char *seed,
                        int         width,
                        int         height,
                        const char *model)
{
  g_autofree char *size = g_strdup_printf ("%dx%d", width, height);
  HordeSimRng rng = { horde_sim_hash (prompt ? prompt : "", seed ? seed : "", size,
                                      model ? model : "", NULL) };
  g_autofree guint8 *rgb = NULL;
  guint8 *webp = NULL;
  double hue;
  guint n_shapes;
  size_t length;
  GBytes *bytes;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  rgb = g_malloc ((gsize) width * height * 3);
  hue = horde_sim_rng_double (&rng);
  paint_background (rgb, width, height, &rng, hue);
  n_shapes = 4 + horde_sim_rng_range (&rng, 6);
  for (guint i = 0; i < n_shapes; i++)
    paint_shape (rgb, width, height, &rng, hue);

  length = WebPEncodeRGB (rgb, width, height, width * 3, WEBP_QUALITY, &webp);
  if (length == 0)
    {
      g_critical ("WebP encoding of a %dx%d image failed", width, height);
      return NULL;
    }
  bytes = g_bytes_new (webp, length);
  WebPFree (webp);
  return bytes;
}

/* Bytes with a RIFF/WEBP header and garbage inside: what a broken worker
 * upload looks like.  No WebP decoder accepts them. */
GBytes *
horde_sim_image_junk (guint64 salt)
{
  HordeSimRng rng = { salt };
  guint8 junk[256];

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) horde_sim_rng_next (&rng);
  memcpy (junk, "RIFF", 4);
  junk[4] = sizeof junk - 8;
  junk[5] = junk[6] = junk[7] = 0;
  memcpy (junk + 8, "WEBPJUNK", 8);
  return g_bytes_new (junk, sizeof junk);
}

/* The size in a PNG's IHDR */
static gboolean
probe_png (const guint8 *data,
           gsize         length,
           int          *width,
           int          *height)
{
  guint32 w, h;

  if (length < 24 || memcmp (data, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  w = (guint32) data[16] << 24 | (guint32) data[17] << 16 | (guint32) data[18] << 8 | data[19];
  h = (guint32) data[20] << 24 | (guint32) data[21] << 16 | (guint32) data[22] << 8 | data[23];
  if (w == 0 || h == 0 || w > G_MAXINT || h > G_MAXINT)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* The size in a JPEG's start-of-frame segment (SOF0…SOF15 but DHT, JPG
 * and DAC), walking the segments before it */
static gboolean
probe_jpeg (const guint8 *data,
            gsize         length,
            int          *width,
            int          *height)
{
  gsize at = 2;

  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  while (at + 4 <= length)
    {
      guint8 marker;
      gsize size;

      if (data[at] != 0xff)
        return FALSE;
      marker = data[at + 1];
      if (marker == 0xff)
        {
          at++;
          continue;
        }
      size = (gsize) data[at + 2] << 8 | data[at + 3];
      if (size < 2)
        return FALSE;
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (at + 9 > length)
            return FALSE;
          *height = data[at + 5] << 8 | data[at + 6];
          *width = data[at + 7] << 8 | data[at + 8];
          return *width > 0 && *height > 0;
        }
      at += 2 + size;
    }
  return FALSE;
}

/* TRUE if @bytes hold a WebP, PNG or JPEG image whose size could be read:
 * the formats the real server takes as a source (PIL opens any of them,
 * horde/utils.py convert_source_image_to_pil) */
gboolean
horde_sim_image_probe (GBytes *bytes,
                       int    *width,
                       int    *height)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return WebPGetInfo (data, length, width, height) != 0 ||
         probe_png (data, length, width, height) ||
         probe_jpeg (data, length, width, height);
}

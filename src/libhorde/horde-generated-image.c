/* horde-generated-image.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <webp/decode.h>

#include "horde-error.h"
#include "horde-generated-image-private.h"

/**
 * HordeGeneratedImage:
 *
 * One image a generation request made: its encoded bytes as the Horde sent
 * them (WebP, usually), their MIME type, its size, the decoded #GdkPixbuf,
 * and the [struct@Horde.GenerationStable] that describes it (seed, worker,
 * model, censorship).
 *
 * The bytes come from a server, and a few kilobytes of WebP can describe
 * a gigabyte of pixels. So an image is decoded only when its pixels are
 * asked for ([method@Horde.GeneratedImage.decode]): a program that saves
 * the bytes never decodes them. Before that, its size is read from the
 * header, and an image of more than %HORDE_GENERATED_IMAGE_MAX_PIXELS
 * pixels (or the limit a [class@Horde.Client] sets with
 * [property@Horde.Client:max-image-pixels]) is refused.
 *
 * WebP is decoded with libwebp, so no gdk-pixbuf WebP loader is needed;
 * other formats go through gdk-pixbuf's loaders.
 */

struct _HordeGeneratedImage
{
  GObject parent_instance;

  GBytes *bytes;
  const char *mime_type;
  int width;
  int height;
  HordeGenerationStable *generation;

  GMutex decode_lock;
  gboolean decoded;
  GdkPixbuf *pixbuf;
  GError *decode_error;
};

G_DEFINE_FINAL_TYPE (HordeGeneratedImage, horde_generated_image, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BYTES,
  PROP_MIME_TYPE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_PIXBUF,
  PROP_GENERATION,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
horde_generated_image_finalize (GObject *object)
{
  HordeGeneratedImage *self = (HordeGeneratedImage *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->pixbuf);
  g_clear_error (&self->decode_error);
  g_mutex_clear (&self->decode_lock);
  g_clear_pointer (&self->generation, horde_generation_stable_unref);

  G_OBJECT_CLASS (horde_generated_image_parent_class)->finalize (object);
}

static void
horde_generated_image_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HordeGeneratedImage *self = HORDE_GENERATED_IMAGE (object);

  switch (prop_id)
    {
    case PROP_BYTES:
      g_value_set_boxed (value, self->bytes);
      break;
    case PROP_MIME_TYPE:
      g_value_set_static_string (value, self->mime_type);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_PIXBUF:
      g_value_set_object (value, horde_generated_image_get_pixbuf (self));
      break;
    case PROP_GENERATION:
      g_value_set_boxed (value, self->generation);
      break;
    case PROP_SEED:
      g_value_set_string (value, horde_generated_image_get_seed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_generated_image_class_init (HordeGeneratedImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_generated_image_finalize;
  object_class->get_property = horde_generated_image_get_property;

  /**
   * HordeGeneratedImage:bytes:
   *
   * The encoded image, as the Horde sent it.
   */
  properties [PROP_BYTES] =
    g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:mime-type:
   *
   * The MIME type of [property@Horde.GeneratedImage:bytes], such as `image/webp`.
   */
  properties [PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:width:
   *
   * The width of the image in pixels, as its header gives it.
   */
  properties [PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 1, G_MAXINT, 1,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:height:
   *
   * The height of the image in pixels, as its header gives it.
   */
  properties [PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 1, G_MAXINT, 1,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:pixbuf:
   *
   * The decoded image, decoded when it is first read; %NULL if the bytes
   * do not decode (see [method@Horde.GeneratedImage.decode]).
   */
  properties [PROP_PIXBUF] =
    g_param_spec_object ("pixbuf", NULL, NULL, GDK_TYPE_PIXBUF,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:generation:
   *
   * What the Horde says of the image: seed, worker, model, censorship.
   */
  properties [PROP_GENERATION] =
    g_param_spec_boxed ("generation", NULL, NULL, HORDE_TYPE_GENERATION_STABLE,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * HordeGeneratedImage:seed:
   *
   * The seed that made the image, to make it again.
   */
  properties [PROP_SEED] =
    g_param_spec_string ("seed", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_generated_image_init (HordeGeneratedImage *self)
{
  g_mutex_init (&self->decode_lock);
}

/* The MIME type of an image libhorde decodes, from its first bytes (12
 * are enough); NULL for anything else */
const char *
horde_generated_image_sniff (const guint8 *data,
                             gsize         len)
{
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  return NULL;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* PNG: the IHDR chunk comes first */
static gboolean
png_size (const guint8 *data,
          gsize         len,
          guint32      *width,
          guint32      *height)
{
  if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  *width = read_be32 (data + 16);
  *height = read_be32 (data + 20);
  return TRUE;
}

/* JPEG: the first start-of-frame marker, walking the segments */
static gboolean
jpeg_size (const guint8 *data,
           gsize         len,
           guint32      *width,
           guint32      *height)
{
  gsize i = 2;

  while (i + 4 <= len)
    {
      guint8 marker;
      gsize segment;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;              /* fill byte */
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;           /* markers without a segment */
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return FALSE;       /* the image ends, or its data starts, before a frame */

      segment = ((gsize) data[i + 2] << 8) | data[i + 3];
      if (segment < 2)
        return FALSE;
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (i + 9 > len || segment < 7)
            return FALSE;
          *height = ((guint32) data[i + 5] << 8) | data[i + 6];
          *width = ((guint32) data[i + 7] << 8) | data[i + 8];
          return TRUE;
        }
      i += 2 + segment;
    }

  return FALSE;
}

/* The size the header gives, checked against @max_pixels before anything
 * is decoded */
static gboolean
read_size (const guint8  *data,
           gsize          len,
           const char    *mime_type,
           guint64        max_pixels,
           int           *width,
           int           *height,
           GError       **error)
{
  guint32 w = 0, h = 0;
  gboolean known;

  if (g_str_equal (mime_type, "image/webp"))
    {
      int iw, ih;

      known = WebPGetInfo (data, len, &iw, &ih) != 0;
      w = known ? (guint32) iw : 0;
      h = known ? (guint32) ih : 0;
    }
  else if (g_str_equal (mime_type, "image/png"))
    known = png_size (data, len, &w, &h);
  else
    known = jpeg_size (data, len, &w, &h);

  if (!known || w == 0 || h == 0 || w > G_MAXINT || h > G_MAXINT)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image is damaged: its header gives no size"));
      return FALSE;
    }

  if ((guint64) w * h > max_pixels)
    {
      g_autofree char *most = g_strdup_printf ("%" G_GUINT64_FORMAT, max_pixels);

      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image is %u×%u pixels, more than the %s pixels libhorde decodes"),
                   w, h, most);
      return FALSE;
    }

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static void
webp_free (gpointer data)
{
  WebPFree (data);
}

static GdkPixbuf *
decode_webp (const guint8  *data,
             gsize          len,
             GError       **error)
{
  WebPBitstreamFeatures features;
  g_autoptr(GBytes) pixels = NULL;
  gboolean alpha;
  guint8 *rgba;
  int width, height;

  if (WebPGetFeatures (data, len, &features) != VP8_STATUS_OK)
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                           _("The WebP image is damaged"));
      return NULL;
    }

  alpha = features.has_alpha != 0;
  rgba = alpha ? WebPDecodeRGBA (data, len, &width, &height)
               : WebPDecodeRGB (data, len, &width, &height);
  if (rgba == NULL)
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                           _("The WebP image could not be decoded"));
      return NULL;
    }

  pixels = g_bytes_new_with_free_func (rgba, (gsize) width * height * (alpha ? 4 : 3), webp_free, rgba);
  return gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, alpha, 8,
                                    width, height, width * (alpha ? 4 : 3));
}

typedef struct {
  int width;
  int height;
  gboolean other_size;
} Expected;

/* A loader allocates the pixels after it says their size: a size other
 * than the header's (which was checked against the limit) gets a pixbuf
 * of one pixel instead, and the decode fails. */
static void
size_prepared (GdkPixbufLoader *loader,
               int              width,
               int              height,
               Expected        *expected)
{
  if (width != expected->width || height != expected->height)
    {
      expected->other_size = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

/* PNG and JPEG, by the loader of the format the bytes start with, never
 * one that gdk-pixbuf would guess */
static GdkPixbuf *
decode_with_loader (const guint8  *data,
                    gsize          len,
                    const char    *mime_type,
                    int            width,
                    int            height,
                    GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  Expected expected = { width, height, FALSE };
  GdkPixbuf *pixbuf = NULL;

  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, &local_error);
  if (loader != NULL)
    {
      g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared), &expected);
      if (!gdk_pixbuf_loader_write (loader, data, len, &local_error) ||
          !gdk_pixbuf_loader_close (loader, &local_error))
        gdk_pixbuf_loader_close (loader, NULL);
      else
        pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
    }

  if (pixbuf == NULL || expected.other_size)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image could not be decoded: %s"),
                   expected.other_size ? _("its size is not the one its header gives")
                   : local_error ? local_error->message : _("no image data"));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

HordeGeneratedImage *
horde_generated_image_new_checked (GBytes                 *bytes,
                                   HordeGenerationStable  *generation,
                                   guint64                 max_pixels,
                                   GError                **error)
{
  g_autoptr(HordeGeneratedImage) self = NULL;
  gsize len = 0;
  const guint8 *data;
  const char *mime_type;
  int width, height;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  mime_type = horde_generated_image_sniff (data, len);

  if (mime_type == NULL)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image data (%lu bytes) is not WebP, PNG or JPEG"), (unsigned long) len);
      return NULL;
    }

  if (!read_size (data, len, mime_type, max_pixels, &width, &height, error))
    return NULL;

  self = g_object_new (HORDE_TYPE_GENERATED_IMAGE, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->mime_type = mime_type;
  self->width = width;
  self->height = height;
  self->generation = generation ? horde_generation_stable_ref (generation) : NULL;

  return g_steal_pointer (&self);
}

/**
 * horde_generated_image_new_from_bytes:
 * @bytes: an encoded image: WebP, PNG or JPEG
 * @generation: (nullable): what the Horde says of the image
 * @error: return location for a #GError
 *
 * Makes an image of @bytes. Only the header is read here: the format, and
 * the size, which must be at most %HORDE_GENERATED_IMAGE_MAX_PIXELS
 * pixels. The pixels are decoded when they are asked for
 * ([method@Horde.GeneratedImage.decode]).
 *
 * Returns: (transfer full): the image, or %NULL with @error set to
 *   %HORDE_ERROR_INVALID_RESPONSE if @bytes is not a WebP, PNG or JPEG
 *   image or is larger than that
 */
HordeGeneratedImage *
horde_generated_image_new_from_bytes (GBytes                *bytes,
                                      HordeGenerationStable *generation,
                                      GError               **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return horde_generated_image_new_checked (bytes, generation, HORDE_GENERATED_IMAGE_MAX_PIXELS, error);
}

/**
 * horde_generated_image_get_bytes:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:bytes].
 *
 * Returns: (transfer none): the encoded image, as the Horde sent it
 */
GBytes *
horde_generated_image_get_bytes (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  return self->bytes;
}

/**
 * horde_generated_image_get_mime_type:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:mime-type].
 *
 * Returns: the MIME type of the bytes, such as `image/webp`
 */
const char *
horde_generated_image_get_mime_type (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  return self->mime_type;
}

/**
 * horde_generated_image_get_extension:
 * @self: a #HordeGeneratedImage
 *
 * The usual file name extension for the format of the bytes.
 *
 * Returns: the file name extension of the bytes' format, without the dot:
 *   `webp`, `png` or `jpg`
 */
const char *
horde_generated_image_get_extension (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);

  if (g_str_equal (self->mime_type, "image/png"))
    return "png";
  if (g_str_equal (self->mime_type, "image/jpeg"))
    return "jpg";
  return "webp";
}

/**
 * horde_generated_image_get_width:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:width], without decoding the image.
 *
 * Returns: the width in pixels
 */
int
horde_generated_image_get_width (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), 0);
  return self->width;
}

/**
 * horde_generated_image_get_height:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:height], without decoding the image.
 *
 * Returns: the height in pixels
 */
int
horde_generated_image_get_height (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), 0);
  return self->height;
}

/**
 * horde_generated_image_decode:
 * @self: a #HordeGeneratedImage
 * @error: return location for a #GError
 *
 * Decodes the image, the first time it is called; later calls give the
 * same pixbuf (or the same error) at once. Decoding a large image takes a
 * while and its pixels take width × height × 4 bytes: call it from a
 * worker thread where that matters. It may be called from any thread.
 *
 * Returns: (transfer none): the decoded image, or %NULL with @error set
 *   to %HORDE_ERROR_INVALID_RESPONSE when the bytes do not decode, or
 *   decode to another size than their header said
 */
GdkPixbuf *
horde_generated_image_decode (HordeGeneratedImage  *self,
                              GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->decode_lock);
  if (!self->decoded)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (self->bytes, &len);

      if (g_str_equal (self->mime_type, "image/webp"))
        self->pixbuf = decode_webp (data, len, &self->decode_error);
      else
        self->pixbuf = decode_with_loader (data, len, self->mime_type, self->width, self->height,
                                           &self->decode_error);

      if (self->pixbuf != NULL &&
          (gdk_pixbuf_get_width (self->pixbuf) != self->width ||
           gdk_pixbuf_get_height (self->pixbuf) != self->height))
        {
          g_clear_object (&self->pixbuf);
          g_set_error_literal (&self->decode_error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                               _("The image is damaged: it decodes to another size than its header gives"));
        }
      self->decoded = TRUE;
    }

  if (self->pixbuf == NULL && error != NULL)
    *error = g_error_copy (self->decode_error);

  return self->pixbuf;
}

/**
 * horde_generated_image_get_pixbuf:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:pixbuf]: the image decoded, by
 * [method@Horde.GeneratedImage.decode] the first time.
 *
 * Returns: (transfer none) (nullable): the decoded image, or %NULL when
 *   the bytes do not decode
 */
GdkPixbuf *
horde_generated_image_get_pixbuf (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);

  return horde_generated_image_decode (self, NULL);
}

/**
 * horde_generated_image_get_generation:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:generation].
 *
 * Returns: (transfer none) (nullable): what the Horde says of the image
 */
HordeGenerationStable *
horde_generated_image_get_generation (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  return self->generation;
}

/**
 * horde_generated_image_get_seed:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:seed].
 *
 * Returns: (nullable): the seed that made the image
 */
const char *
horde_generated_image_get_seed (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  return self->generation ? horde_generation_stable_get_seed (self->generation) : NULL;
}

/**
 * horde_generated_image_save:
 * @self: a #HordeGeneratedImage
 * @filename: (type filename): where to write
 * @error: return location for a #GError
 *
 * Writes the encoded bytes, unchanged, to @filename, atomically: the file
 * either holds the whole image or is not touched.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_generated_image_save (HordeGeneratedImage  *self,
                            const char           *filename,
                            GError              **error)
{
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  data = g_bytes_get_data (self->bytes, &len);
  return g_file_set_contents_full (filename, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

typedef struct {
  GBytes *bytes;
  char *base64;
  HordeGenerationStable *generation;
  guint64 max_pixels;
} Load;

static void
load_free (Load *load)
{
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load->base64);
  g_clear_pointer (&load->generation, horde_generation_stable_unref);
  g_free (load);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Load *load = task_data;
  GError *error = NULL;
  HordeGeneratedImage *image;

  if (load->base64 != NULL)
    {
      gsize len = 0;
      guchar *data = g_base64_decode (load->base64, &len);

      load->bytes = g_bytes_new_take (data, len);
    }

  image = horde_generated_image_new_checked (load->bytes, load->generation, load->max_pixels, &error);
  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, g_object_unref);
}

void
horde_generated_image_load_async (GBytes                *bytes,
                                  const char            *base64,
                                  HordeGenerationStable *generation,
                                  guint64                max_pixels,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Load *load = g_new0 (Load, 1);

  g_return_if_fail ((bytes == NULL) != (base64 == NULL));

  load->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  load->base64 = g_strdup (base64);
  load->generation = generation ? horde_generation_stable_ref (generation) : NULL;
  load->max_pixels = max_pixels;
  g_task_set_source_tag (task, horde_generated_image_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, load_in_thread);
}

HordeGeneratedImage *
horde_generated_image_load_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_generated_image_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

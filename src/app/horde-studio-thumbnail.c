/* horde-studio-thumbnail.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-gallery-item.h"
#include "horde-studio-thumbnail.h"

/* A cell of the gallery's grid. Thumbnails are read in a worker thread, so
 * that scrolling through thousands of images never waits for the disk; a
 * cell recycled for another item before its file is read drops the old
 * result. */
struct _HordeStudioThumbnail
{
  GtkWidget parent_instance;

  GtkWidget *overlay;
  GtkPicture *picture;
  GtkImage *favourite;
  GtkWidget *check;
  GObject *item;
  GCancellable *loading;
};

G_DEFINE_FINAL_TYPE (HordeStudioThumbnail, horde_studio_thumbnail, GTK_TYPE_WIDGET)

#define SIZE 180

GtkWidget *
horde_studio_thumbnail_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_THUMBNAIL, NULL);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_filename (task_data, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
loaded (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  HordeStudioThumbnail *self;

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  self = HORDE_STUDIO_THUMBNAIL (object);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
update_favourite (HordeStudioThumbnail *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->favourite),
                          self->item != NULL && horde_studio_gallery_item_get_favourite (HORDE_STUDIO_GALLERY_ITEM (self->item)));
}

void
horde_studio_thumbnail_set_item (HordeStudioThumbnail *self,
                                 GObject              *item)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_THUMBNAIL (self));

  if (self->loading != NULL)
    {
      g_cancellable_cancel (self->loading);
      g_clear_object (&self->loading);
    }
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  gtk_picture_set_paintable (self->picture, NULL);
  update_favourite (self);

  if (item == NULL)
    return;

  g_signal_connect_swapped (item, "notify::favourite", G_CALLBACK (update_favourite), self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), horde_studio_gallery_item_get_prompt (HORDE_STUDIO_GALLERY_ITEM (item)));

  self->loading = g_cancellable_new ();
  task = g_task_new (self, self->loading, loaded, NULL);
  g_task_set_source_tag (task, horde_studio_thumbnail_set_item);
  g_task_set_task_data (task, g_strdup (horde_studio_gallery_item_get_thumbnail_path (HORDE_STUDIO_GALLERY_ITEM (item))), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

static void
horde_studio_thumbnail_dispose (GObject *object)
{
  HordeStudioThumbnail *self = (HordeStudioThumbnail *)object;

  horde_studio_thumbnail_set_item (self, NULL);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);

  G_OBJECT_CLASS (horde_studio_thumbnail_parent_class)->dispose (object);
}

/* A square tile, as wide as the grid's column: the whole image fits in it
 * (a portrait is not cropped to a landscape strip), on the card's
 * background. */
static GtkSizeRequestMode
horde_studio_thumbnail_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
horde_studio_thumbnail_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  HordeStudioThumbnail *self = HORDE_STUDIO_THUMBNAIL (widget);
  int child_min = 0;

  /* the picture shrinks; the star is what the overlay needs */
  gtk_widget_measure (self->overlay, orientation, -1, &child_min, NULL, NULL, NULL);
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size > 0)
    *minimum = *natural = MAX (for_size, child_min);
  else
    *minimum = *natural = MAX (SIZE, child_min);
}

static void
horde_studio_thumbnail_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  HordeStudioThumbnail *self = HORDE_STUDIO_THUMBNAIL (widget);

  gtk_widget_allocate (self->overlay, width, height, baseline, NULL);
}

static void
horde_studio_thumbnail_class_init (HordeStudioThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_thumbnail_dispose;
  widget_class->get_request_mode = horde_studio_thumbnail_get_request_mode;
  widget_class->measure = horde_studio_thumbnail_measure;
  widget_class->size_allocate = horde_studio_thumbnail_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "thumbnail");
}

static void
horde_studio_thumbnail_init (HordeStudioThumbnail *self)
{
  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "card");
  gtk_widget_set_overflow (GTK_WIDGET (self->picture), GTK_OVERFLOW_HIDDEN);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->picture));

  self->favourite = GTK_IMAGE (gtk_image_new_from_icon_name ("starred-symbolic"));
  gtk_widget_set_halign (GTK_WIDGET (self->favourite), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->favourite), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->favourite), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->favourite), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->favourite), "osd");
  gtk_widget_set_visible (GTK_WIDGET (self->favourite), FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->favourite));

  /* in selection mode, whether the tile is selected, as Files and Photos
   * show it; the tile takes the clicks, the mark only shows */
  self->check = gtk_check_button_new ();
  gtk_widget_set_halign (self->check, GTK_ALIGN_START);
  gtk_widget_set_valign (self->check, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->check, 6);
  gtk_widget_set_margin_start (self->check, 6);
  gtk_widget_set_can_target (self->check, FALSE);
  gtk_widget_set_can_focus (self->check, FALSE);
  gtk_widget_add_css_class (self->check, "selection-mode");
  gtk_widget_set_visible (self->check, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->check);
}

/**
 * horde_studio_thumbnail_set_selection:
 * @self: a #HordeStudioThumbnail
 * @selecting: whether the gallery is in selection mode
 * @selected: whether this tile is selected
 *
 * Shows whether the tile is selected, in selection mode.
 */
void
horde_studio_thumbnail_set_selection (HordeStudioThumbnail *self,
                                      gboolean              selecting,
                                      gboolean              selected)
{
  g_return_if_fail (HORDE_STUDIO_IS_THUMBNAIL (self));

  gtk_widget_set_visible (self->check, selecting);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->check), selecting && selected);
  if (selecting && selected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selected");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selected");
}

/**
 * horde_studio_thumbnail_get_selected:
 * @self: a #HordeStudioThumbnail
 *
 * Whether the tile shows itself selected.
 *
 * Returns: %TRUE if selected, in selection mode
 */
gboolean
horde_studio_thumbnail_get_selected (HordeStudioThumbnail *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_THUMBNAIL (self), FALSE);

  return gtk_widget_get_visible (self->check) && gtk_check_button_get_active (GTK_CHECK_BUTTON (self->check));
}

/**
 * horde_studio_thumbnail_get_item:
 * @self: a #HordeStudioThumbnail
 *
 * The image the tile shows.
 *
 * Returns: (transfer none) (nullable): the item, or %NULL
 */
GObject *
horde_studio_thumbnail_get_item (HordeStudioThumbnail *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_THUMBNAIL (self), NULL);

  return self->item;
}

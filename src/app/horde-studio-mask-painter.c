/* horde-studio-mask-painter.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-mask-painter.h"

/* At most this many steps back, and this many bytes of them: a mask is
 * a byte a pixel, 9 MiB for the largest source the Horde takes */
#define MAX_UNDO 32
#define MAX_UNDO_BYTES (64 * 1024 * 1024)

/* The colour the painted part is shown in, over the image: a red that
 * stands out on most pictures, half transparent so that what is under it
 * shows */
#define MASK_RED   0.878
#define MASK_GREEN 0.106
#define MASK_BLUE  0.141
#define MASK_ALPHA 0.55

/**
 * HordeStudioMaskPainter:
 *
 * The source image with a mask painted over it with the pointer: the part
 * to paint again (inpainting), and, around the image, the part to add
 * (outpainting).
 *
 * The mask is kept at the image's own size, one byte a pixel (a cairo A8
 * surface): 255 where the image is painted again, 0 where it is kept. A
 * brush paints, an eraser takes paint away; invert, clear and undo (also
 * Ctrl+Z) work on the whole mask. The extension (outpainting) is outside
 * the image and always painted again.
 */
struct _HordeStudioMaskPainter
{
  GtkWidget parent_instance;

  GdkTexture *image;
  cairo_surface_t *mask;          /* A8, the image's size; NULL without image */
  GPtrArray *undo;                /* of cairo_surface_t, oldest first */

  double brush_size;              /* diameter, in image pixels */
  gboolean erasing;
  int extension[4];               /* top, right, bottom, left, in image pixels */

  /* the stroke under way */
  gboolean stroking;
  double drag_x, drag_y;          /* where the drag began, in the widget */
  graphene_point_t last;          /* its last point, in the image */

  gboolean hovering;
  double hover_x, hover_y;        /* the pointer, for the brush's outline */
};

G_DEFINE_FINAL_TYPE (HordeStudioMaskPainter, horde_studio_mask_painter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BRUSH_SIZE,
  PROP_ERASING,
  PROP_CAN_UNDO,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum { TOP, RIGHT, BOTTOM, LEFT };

static int
canvas_width (HordeStudioMaskPainter *self)
{
  return gdk_texture_get_width (self->image) + self->extension[LEFT] + self->extension[RIGHT];
}

static int
canvas_height (HordeStudioMaskPainter *self)
{
  return gdk_texture_get_height (self->image) + self->extension[TOP] + self->extension[BOTTOM];
}

/* Where the canvas (the image and its extension) is drawn in the widget:
 * as large as fits, centred */
static gboolean
canvas_placement (HordeStudioMaskPainter *self,
                  double                 *scale,
                  double                 *x,
                  double                 *y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->image == NULL || width <= 0 || height <= 0)
    return FALSE;

  *scale = MIN (width / canvas_width (self), height / canvas_height (self));
  *x = (width - canvas_width (self) * *scale) / 2;
  *y = (height - canvas_height (self) * *scale) / 2;
  return TRUE;
}

static cairo_surface_t *
copy_mask (cairo_surface_t *mask)
{
  int width = cairo_image_surface_get_width (mask);
  int height = cairo_image_surface_get_height (mask);
  cairo_surface_t *copy = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
  cairo_t *cr = cairo_create (copy);

  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, mask, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return copy;
}

static void
notify_can_undo (HordeStudioMaskPainter *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mask.undo", self->undo->len > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_UNDO]);
}

/* Keeps the mask as it is now, for undo */
static void
push_undo (HordeStudioMaskPainter *self)
{
  gsize size = (gsize) cairo_image_surface_get_stride (self->mask) * cairo_image_surface_get_height (self->mask);

  while (self->undo->len > 0 &&
         (self->undo->len >= MAX_UNDO || (self->undo->len + 1) * size > MAX_UNDO_BYTES))
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_add (self->undo, copy_mask (self->mask));
  notify_can_undo (self);
}

static void
clear_undo (HordeStudioMaskPainter *self)
{
  if (self->undo->len == 0)
    return;
  g_ptr_array_set_size (self->undo, 0);
  notify_can_undo (self);
}

static void
mask_changed (HordeStudioMaskPainter *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals [CHANGED], 0);
}

/* One segment of a stroke, from @from to @to, in image pixels: a round
 * brush, painting or erasing */
static void
paint_segment (HordeStudioMaskPainter *self,
               const graphene_point_t *from,
               const graphene_point_t *to)
{
  cairo_t *cr = cairo_create (self->mask);

  cairo_set_operator (cr, self->erasing ? CAIRO_OPERATOR_CLEAR : CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  cairo_set_line_width (cr, self->brush_size);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, from->x, from->y);
  cairo_line_to (cr, to->x, to->y);
  cairo_stroke (cr);
  cairo_destroy (cr);
  cairo_surface_mark_dirty (self->mask);
}

/**
 * horde_studio_mask_painter_widget_to_image:
 * @self: a #HordeStudioMaskPainter
 * @x: a position in @self
 * @y: a position in @self
 * @point: (out): the same position in the image's pixels
 *
 * Converts a position in the widget, as the pointer gives it, to the
 * image's pixels (outside the image when on the extension).
 *
 * Returns: %FALSE when there is no image, or the widget has no size yet
 */
gboolean
horde_studio_mask_painter_widget_to_image (HordeStudioMaskPainter *self,
                                           double                  x,
                                           double                  y,
                                           graphene_point_t       *point)
{
  double scale, ox, oy;

  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), FALSE);

  if (!canvas_placement (self, &scale, &ox, &oy))
    return FALSE;
  point->x = (x - ox) / scale - self->extension[LEFT];
  point->y = (y - oy) / scale - self->extension[TOP];
  return TRUE;
}

static void
drag_begin (GtkGestureDrag         *gesture,
            double                  x,
            double                  y,
            HordeStudioMaskPainter *self)
{
  graphene_point_t point;

  if (self->mask == NULL || !horde_studio_mask_painter_widget_to_image (self, x, y, &point))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));

  push_undo (self);
  self->stroking = TRUE;
  self->drag_x = x;
  self->drag_y = y;
  self->last = point;
  paint_segment (self, &point, &point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update (GtkGestureDrag         *gesture,
             double                  offset_x,
             double                  offset_y,
             HordeStudioMaskPainter *self)
{
  graphene_point_t point;

  if (!self->stroking ||
      !horde_studio_mask_painter_widget_to_image (self, self->drag_x + offset_x, self->drag_y + offset_y, &point))
    return;
  paint_segment (self, &self->last, &point);
  self->last = point;
  self->hovering = TRUE;
  self->hover_x = self->drag_x + offset_x;
  self->hover_y = self->drag_y + offset_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The mask is said changed once a stroke, at its end: encoding it for
 * the request at every pointer motion would be work for nothing */
static void
drag_end (GtkGestureDrag         *gesture,
          double                  offset_x,
          double                  offset_y,
          HordeStudioMaskPainter *self)
{
  if (!self->stroking)
    return;
  drag_update (gesture, offset_x, offset_y, self);
  self->stroking = FALSE;
  mask_changed (self);
}

static void
pointer_motion (GtkEventControllerMotion *controller,
                double                    x,
                double                    y,
                HordeStudioMaskPainter   *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pointer_leave (GtkEventControllerMotion *controller,
               HordeStudioMaskPainter   *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
horde_studio_mask_painter_snapshot (GtkWidget   *widget,
                                    GtkSnapshot *snapshot)
{
  HordeStudioMaskPainter *self = HORDE_STUDIO_MASK_PAINTER (widget);
  double scale, ox, oy;
  double iw, ih;
  graphene_rect_t canvas, picture;
  cairo_t *cr;

  if (!canvas_placement (self, &scale, &ox, &oy))
    return;

  iw = gdk_texture_get_width (self->image) * scale;
  ih = gdk_texture_get_height (self->image) * scale;
  graphene_rect_init (&canvas, ox, oy, canvas_width (self) * scale, canvas_height (self) * scale);
  graphene_rect_init (&picture, ox + self->extension[LEFT] * scale, oy + self->extension[TOP] * scale, iw, ih);

  gtk_snapshot_append_texture (snapshot, self->image, &picture);

  cr = gtk_snapshot_append_cairo (snapshot, &canvas);

  /* the extension, all of it painted again: lighter, with the image's
   * edge drawn */
  if (self->extension[TOP] || self->extension[RIGHT] || self->extension[BOTTOM] || self->extension[LEFT])
    {
      cairo_save (cr);
      cairo_rectangle (cr, canvas.origin.x, canvas.origin.y, canvas.size.width, canvas.size.height);
      cairo_rectangle (cr, picture.origin.x, picture.origin.y, picture.size.width, picture.size.height);
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      cairo_set_source_rgba (cr, MASK_RED, MASK_GREEN, MASK_BLUE, MASK_ALPHA / 2);
      cairo_fill (cr);
      cairo_rectangle (cr, picture.origin.x + 0.5, picture.origin.y + 0.5, picture.size.width - 1, picture.size.height - 1);
      cairo_set_source_rgba (cr, MASK_RED, MASK_GREEN, MASK_BLUE, 1);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* the painted part */
  if (self->mask != NULL)
    {
      cairo_save (cr);
      cairo_rectangle (cr, picture.origin.x, picture.origin.y, picture.size.width, picture.size.height);
      cairo_clip (cr);
      cairo_translate (cr, picture.origin.x, picture.origin.y);
      cairo_scale (cr, scale, scale);
      cairo_set_source_rgba (cr, MASK_RED, MASK_GREEN, MASK_BLUE, MASK_ALPHA);
      cairo_mask_surface (cr, self->mask, 0, 0);
      cairo_restore (cr);
    }

  /* the brush, where the pointer is: white and dark, seen on any image */
  if (self->hovering)
    {
      double radius = MAX (self->brush_size * scale / 2, 2);

      cairo_new_path (cr);
      cairo_arc (cr, self->hover_x, self->hover_y, radius, 0, 2 * G_PI);
      cairo_set_line_width (cr, 3);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      cairo_stroke_preserve (cr);
      cairo_set_line_width (cr, 1);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static GtkSizeRequestMode
horde_studio_mask_painter_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* as wide as given, and as high as the canvas's shape asks, within
 * reason: 120 to 480 pixels */
static void
horde_studio_mask_painter_measure (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline)
{
  HordeStudioMaskPainter *self = HORDE_STUDIO_MASK_PAINTER (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 64;
      *natural = 320;
      return;
    }

  if (self->image == NULL)
    *minimum = *natural = 160;
  else
    {
      int width = for_size > 0 ? for_size : 320;

      /* all of the width, at the canvas's shape: a box gives a child
       * only its minimum height when it is short of room */
      *minimum = *natural = CLAMP ((int) (width * (double) canvas_height (self) / canvas_width (self)), 120, 480);
    }
}

/**
 * horde_studio_mask_painter_set_image:
 * @self: a #HordeStudioMaskPainter
 * @image: (nullable): the image to paint a mask over
 *
 * Shows @image, with an empty mask of its size, and forgets what undo
 * would bring back.
 */
void
horde_studio_mask_painter_set_image (HordeStudioMaskPainter *self,
                                     GdkTexture             *image)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));
  g_return_if_fail (image == NULL || GDK_IS_TEXTURE (image));

  g_set_object (&self->image, image);
  g_clear_pointer (&self->mask, cairo_surface_destroy);
  if (image != NULL)
    self->mask = cairo_image_surface_create (CAIRO_FORMAT_A8, gdk_texture_get_width (image), gdk_texture_get_height (image));
  self->stroking = FALSE;
  clear_undo (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  mask_changed (self);
}

/**
 * horde_studio_mask_painter_get_image:
 * @self: a #HordeStudioMaskPainter
 *
 * Returns: (transfer none) (nullable): the image the mask is painted over
 */
GdkTexture *
horde_studio_mask_painter_get_image (HordeStudioMaskPainter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), NULL);
  return self->image;
}

/**
 * horde_studio_mask_painter_set_brush_size:
 * @self: a #HordeStudioMaskPainter
 * @size: the brush's diameter, in the image's pixels
 *
 * Sets how wide the brush and the eraser are.
 */
void
horde_studio_mask_painter_set_brush_size (HordeStudioMaskPainter *self,
                                          double                  size)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));

  size = CLAMP (size, 1, 1024);
  if (self->brush_size == size)
    return;
  self->brush_size = size;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BRUSH_SIZE]);
}

/**
 * horde_studio_mask_painter_get_brush_size:
 * @self: a #HordeStudioMaskPainter
 *
 * Returns: the brush's diameter, in the image's pixels
 */
double
horde_studio_mask_painter_get_brush_size (HordeStudioMaskPainter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), 0);
  return self->brush_size;
}

/**
 * horde_studio_mask_painter_set_erasing:
 * @self: a #HordeStudioMaskPainter
 * @erasing: %TRUE for the eraser, %FALSE for the brush
 *
 * Chooses what a stroke does: paint the mask, or take it away.
 */
void
horde_studio_mask_painter_set_erasing (HordeStudioMaskPainter *self,
                                       gboolean                erasing)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));

  erasing = !!erasing;
  if (self->erasing == erasing)
    return;
  self->erasing = erasing;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERASING]);
}

/**
 * horde_studio_mask_painter_get_erasing:
 * @self: a #HordeStudioMaskPainter
 *
 * Returns: whether a stroke takes the mask away
 */
gboolean
horde_studio_mask_painter_get_erasing (HordeStudioMaskPainter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), FALSE);
  return self->erasing;
}

/**
 * horde_studio_mask_painter_set_extension:
 * @self: a #HordeStudioMaskPainter
 * @top: pixels added above the image
 * @right: pixels added on its right
 * @bottom: pixels added below it
 * @left: pixels added on its left
 *
 * Extends the canvas around the image (outpainting): the extension is
 * shown, and is in the mask, as painted.
 */
void
horde_studio_mask_painter_set_extension (HordeStudioMaskPainter *self,
                                         int                     top,
                                         int                     right,
                                         int                     bottom,
                                         int                     left)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));
  g_return_if_fail (top >= 0 && right >= 0 && bottom >= 0 && left >= 0);

  if (self->extension[TOP] == top && self->extension[RIGHT] == right &&
      self->extension[BOTTOM] == bottom && self->extension[LEFT] == left)
    return;
  self->extension[TOP] = top;
  self->extension[RIGHT] = right;
  self->extension[BOTTOM] = bottom;
  self->extension[LEFT] = left;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  mask_changed (self);
}

/**
 * horde_studio_mask_painter_stroke:
 * @self: a #HordeStudioMaskPainter
 * @points: (array length=n_points): the stroke's points, in the image's
 *   pixels
 * @n_points: how many there are, at least one
 *
 * Paints (or erases, see horde_studio_mask_painter_set_erasing()) one
 * stroke through @points with the brush, as a drag of the pointer does;
 * undo takes it back.
 */
void
horde_studio_mask_painter_stroke (HordeStudioMaskPainter *self,
                                  const graphene_point_t *points,
                                  gsize                   n_points)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));
  g_return_if_fail (points != NULL && n_points > 0);

  if (self->mask == NULL)
    return;
  push_undo (self);
  paint_segment (self, &points[0], &points[0]);
  for (gsize i = 1; i < n_points; i++)
    paint_segment (self, &points[i - 1], &points[i]);
  mask_changed (self);
}

/* the whole mask at once, undoably: opaque paint through @op (XOR inverts
 * it, CLEAR takes all the paint away) */
static void
paint_whole_mask (HordeStudioMaskPainter *self,
                  cairo_operator_t        op)
{
  cairo_t *cr;

  if (self->mask == NULL)
    return;
  push_undo (self);
  cr = cairo_create (self->mask);
  cairo_set_operator (cr, op);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_mark_dirty (self->mask);
  mask_changed (self);
}

/**
 * horde_studio_mask_painter_invert:
 * @self: a #HordeStudioMaskPainter
 *
 * Paints what was kept and keeps what was painted.
 */
void
horde_studio_mask_painter_invert (HordeStudioMaskPainter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));

  paint_whole_mask (self, CAIRO_OPERATOR_XOR);
}

/**
 * horde_studio_mask_painter_clear:
 * @self: a #HordeStudioMaskPainter
 *
 * Takes all the paint away: the image is kept as it is.
 */
void
horde_studio_mask_painter_clear (HordeStudioMaskPainter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self));

  paint_whole_mask (self, CAIRO_OPERATOR_CLEAR);
}

/**
 * horde_studio_mask_painter_undo:
 * @self: a #HordeStudioMaskPainter
 *
 * Takes back the last stroke, invert or clear.
 *
 * Returns: %FALSE when there was nothing to take back
 */
gboolean
horde_studio_mask_painter_undo (HordeStudioMaskPainter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), FALSE);

  if (self->undo->len == 0)
    return FALSE;
  cairo_surface_destroy (self->mask);
  self->mask = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  notify_can_undo (self);
  mask_changed (self);
  return TRUE;
}

/**
 * horde_studio_mask_painter_can_undo:
 * @self: a #HordeStudioMaskPainter
 *
 * Returns: whether there is something to take back
 */
gboolean
horde_studio_mask_painter_can_undo (HordeStudioMaskPainter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), FALSE);
  return self->undo->len > 0;
}

/**
 * horde_studio_mask_painter_is_empty:
 * @self: a #HordeStudioMaskPainter
 *
 * Returns: %TRUE when nothing would be painted again: no paint on the
 *   image and no extension
 */
gboolean
horde_studio_mask_painter_is_empty (HordeStudioMaskPainter *self)
{
  const guint8 *data;
  int stride, width, height;

  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), TRUE);

  if (self->mask == NULL)
    return TRUE;
  if (self->extension[TOP] || self->extension[RIGHT] || self->extension[BOTTOM] || self->extension[LEFT])
    return FALSE;
  cairo_surface_flush (self->mask);
  data = cairo_image_surface_get_data (self->mask);
  stride = cairo_image_surface_get_stride (self->mask);
  width = cairo_image_surface_get_width (self->mask);
  height = cairo_image_surface_get_height (self->mask);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (data[y * stride + x] != 0)
        return FALSE;
  return TRUE;
}

/**
 * horde_studio_mask_painter_get_mask_gray:
 * @self: a #HordeStudioMaskPainter
 * @width: (out): the mask's width: the image's and its extension's
 * @height: (out): its height
 *
 * The mask as the canvas is (the image and its extension), one byte a
 * pixel, rows @width bytes long: 255 where it is painted again (the
 * extension, and the paint), 0 where the image is kept; between for the
 * brush's smoothed edge.
 *
 * Returns: (transfer full) (nullable): the mask, or %NULL without image
 */
GBytes *
horde_studio_mask_painter_get_mask_gray (HordeStudioMaskPainter *self,
                                         int                    *width,
                                         int                    *height)
{
  const guint8 *data;
  guint8 *gray;
  int stride, w, h, cw, ch;

  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), NULL);

  if (self->mask == NULL)
    return NULL;
  cairo_surface_flush (self->mask);
  data = cairo_image_surface_get_data (self->mask);
  stride = cairo_image_surface_get_stride (self->mask);
  w = cairo_image_surface_get_width (self->mask);
  h = cairo_image_surface_get_height (self->mask);
  cw = canvas_width (self);
  ch = canvas_height (self);

  gray = g_malloc ((gsize) cw * ch);
  memset (gray, 255, (gsize) cw * ch);
  for (int y = 0; y < h; y++)
    memcpy (gray + (gsize) (y + self->extension[TOP]) * cw + self->extension[LEFT], data + (gsize) y * stride, w);

  *width = cw;
  *height = ch;
  return g_bytes_new_take (gray, (gsize) cw * ch);
}

/**
 * horde_studio_mask_painter_set_mask_gray:
 * @self: a #HordeStudioMaskPainter
 * @gray: (array): one byte a pixel, 255 for painted
 * @width: its width, the image's
 * @height: its height, the image's
 * @rowstride: the bytes from one row to the next
 *
 * Takes @gray as the mask of the image (as a request read back gives
 * it), and forgets what undo would bring back.
 *
 * Returns: %FALSE when @gray is not the image's size
 */
gboolean
horde_studio_mask_painter_set_mask_gray (HordeStudioMaskPainter *self,
                                         const guint8           *gray,
                                         int                     width,
                                         int                     height,
                                         gsize                   rowstride)
{
  guint8 *data;
  int stride;

  g_return_val_if_fail (HORDE_STUDIO_IS_MASK_PAINTER (self), FALSE);

  if (self->mask == NULL ||
      width != cairo_image_surface_get_width (self->mask) ||
      height != cairo_image_surface_get_height (self->mask))
    return FALSE;

  cairo_surface_flush (self->mask);
  data = cairo_image_surface_get_data (self->mask);
  stride = cairo_image_surface_get_stride (self->mask);
  for (int y = 0; y < height; y++)
    memcpy (data + (gsize) y * stride, gray + y * rowstride, width);
  cairo_surface_mark_dirty (self->mask);
  clear_undo (self);
  mask_changed (self);
  return TRUE;
}

/**
 * horde_studio_mask_painter_new:
 *
 * Returns: (transfer full): a new #HordeStudioMaskPainter, without image
 */
GtkWidget *
horde_studio_mask_painter_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_MASK_PAINTER, NULL);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  horde_studio_mask_painter_undo (HORDE_STUDIO_MASK_PAINTER (widget));
}

static void
horde_studio_mask_painter_finalize (GObject *object)
{
  HordeStudioMaskPainter *self = (HordeStudioMaskPainter *)object;

  g_clear_object (&self->image);
  g_clear_pointer (&self->mask, cairo_surface_destroy);
  g_clear_pointer (&self->undo, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_mask_painter_parent_class)->finalize (object);
}

static void
horde_studio_mask_painter_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HordeStudioMaskPainter *self = HORDE_STUDIO_MASK_PAINTER (object);

  switch (prop_id)
    {
    case PROP_BRUSH_SIZE:
      g_value_set_double (value, self->brush_size);
      break;
    case PROP_ERASING:
      g_value_set_boolean (value, self->erasing);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->undo->len > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_mask_painter_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HordeStudioMaskPainter *self = HORDE_STUDIO_MASK_PAINTER (object);

  switch (prop_id)
    {
    case PROP_BRUSH_SIZE:
      horde_studio_mask_painter_set_brush_size (self, g_value_get_double (value));
      break;
    case PROP_ERASING:
      horde_studio_mask_painter_set_erasing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_mask_painter_class_init (HordeStudioMaskPainterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = horde_studio_mask_painter_finalize;
  object_class->get_property = horde_studio_mask_painter_get_property;
  object_class->set_property = horde_studio_mask_painter_set_property;

  widget_class->snapshot = horde_studio_mask_painter_snapshot;
  widget_class->measure = horde_studio_mask_painter_measure;
  widget_class->get_request_mode = horde_studio_mask_painter_get_request_mode;

  /**
   * HordeStudioMaskPainter:brush-size:
   *
   * The brush's diameter, in the image's pixels.
   */
  properties [PROP_BRUSH_SIZE] =
    g_param_spec_double ("brush-size", NULL, NULL, 1, 1024, 48,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeStudioMaskPainter:erasing:
   *
   * Whether a stroke takes the mask away (the eraser) rather than paint
   * it (the brush).
   */
  properties [PROP_ERASING] =
    g_param_spec_boolean ("erasing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeStudioMaskPainter:can-undo:
   *
   * Whether undo has something to take back.
   */
  properties [PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioMaskPainter::changed:
   * @self: the painter
   *
   * Emitted when the mask changed: at the end of a stroke, and after
   * invert, clear, undo, a new image or a new extension.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "mask.undo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "mask.undo", NULL);
  gtk_widget_class_set_css_name (widget_class, "maskpainter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
horde_studio_mask_painter_init (HordeStudioMaskPainter *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  self->brush_size = 48;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mask.undo", FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Mask: paint the parts to paint again"),
                                  -1);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (motion, "motion", G_CALLBACK (pointer_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (pointer_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/* horde-studio-mask-painter.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_MASK_PAINTER (horde_studio_mask_painter_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioMaskPainter, horde_studio_mask_painter, HORDE_STUDIO, MASK_PAINTER, GtkWidget)

GtkWidget  *horde_studio_mask_painter_new             (void);
void        horde_studio_mask_painter_set_image       (HordeStudioMaskPainter *self,
                                                       GdkTexture             *image);
GdkTexture *horde_studio_mask_painter_get_image       (HordeStudioMaskPainter *self);
void        horde_studio_mask_painter_set_brush_size  (HordeStudioMaskPainter *self,
                                                       double                  size);
double      horde_studio_mask_painter_get_brush_size  (HordeStudioMaskPainter *self);
void        horde_studio_mask_painter_set_erasing     (HordeStudioMaskPainter *self,
                                                       gboolean                erasing);
gboolean    horde_studio_mask_painter_get_erasing     (HordeStudioMaskPainter *self);
void        horde_studio_mask_painter_set_extension   (HordeStudioMaskPainter *self,
                                                       int                     top,
                                                       int                     right,
                                                       int                     bottom,
                                                       int                     left);
void        horde_studio_mask_painter_stroke          (HordeStudioMaskPainter *self,
                                                       const graphene_point_t *points,
                                                       gsize                   n_points);
void        horde_studio_mask_painter_invert          (HordeStudioMaskPainter *self);
void        horde_studio_mask_painter_clear           (HordeStudioMaskPainter *self);
gboolean    horde_studio_mask_painter_undo            (HordeStudioMaskPainter *self);
gboolean    horde_studio_mask_painter_can_undo        (HordeStudioMaskPainter *self);
gboolean    horde_studio_mask_painter_is_empty        (HordeStudioMaskPainter *self);
gboolean    horde_studio_mask_painter_widget_to_image (HordeStudioMaskPainter *self,
                                                       double                  x,
                                                       double                  y,
                                                       graphene_point_t       *point);
GBytes     *horde_studio_mask_painter_get_mask_gray   (HordeStudioMaskPainter *self,
                                                       int                    *width,
                                                       int                    *height);
gboolean    horde_studio_mask_painter_set_mask_gray   (HordeStudioMaskPainter *self,
                                                       const guint8           *gray,
                                                       int                     width,
                                                       int                     height,
                                                       gsize                   rowstride);

G_END_DECLS

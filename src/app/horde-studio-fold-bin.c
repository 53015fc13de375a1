/* horde-studio-fold-bin.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-fold-bin.h"

/**
 * HordeStudioFoldBin:
 *
 * A bin that lays [property@FoldBin:columns], a box somewhere inside it,
 * side by side where the bin is at least [property@FoldBin:fold-width]
 * wide, and one under the other where it is narrower: a page's columns
 * (an editor and its parameters, an image and its results), which fold
 * on a phone. libadwaita 1.2 has no breakpoints.
 *
 * The bin's own width decides, not the box's: the box side by side may be
 * wider than the window (in a scrolled window whose horizontal policy is
 * "external", so that it does not hold the window wide), and would never
 * be narrow enough to fold. The width is known while the bin allocates,
 * where the widget tree may not change: the box turns at the next idle.
 */

struct _HordeStudioFoldBin
{
  AdwBin parent_instance;

  int fold_width;
  GtkOrientable *columns;   /* weak */
  GtkOrientation wanted;
  guint turn_source;
};

G_DEFINE_FINAL_TYPE (HordeStudioFoldBin, horde_studio_fold_bin, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLD_WIDTH,
  PROP_COLUMNS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

#define DEFAULT_FOLD_WIDTH 720

static gboolean
turn (gpointer user_data)
{
  HordeStudioFoldBin *self = user_data;

  self->turn_source = 0;
  if (self->columns != NULL)
    gtk_orientable_set_orientation (self->columns, self->wanted);
  return G_SOURCE_REMOVE;
}

/* without a layout manager (AdwBin's would allocate in our stead) */
static void
horde_studio_fold_bin_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
horde_studio_fold_bin_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  HordeStudioFoldBin *self = HORDE_STUDIO_FOLD_BIN (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);

  if (self->columns == NULL)
    return;
  self->wanted = width < self->fold_width ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;
  if (self->wanted != gtk_orientable_get_orientation (self->columns) && self->turn_source == 0)
    self->turn_source = g_idle_add (turn, self);
}

static void
horde_studio_fold_bin_dispose (GObject *object)
{
  HordeStudioFoldBin *self = HORDE_STUDIO_FOLD_BIN (object);

  g_clear_handle_id (&self->turn_source, g_source_remove);
  g_clear_weak_pointer (&self->columns);

  G_OBJECT_CLASS (horde_studio_fold_bin_parent_class)->dispose (object);
}

static void
horde_studio_fold_bin_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HordeStudioFoldBin *self = HORDE_STUDIO_FOLD_BIN (object);

  switch (prop_id)
    {
    case PROP_FOLD_WIDTH:
      g_value_set_int (value, self->fold_width);
      break;
    case PROP_COLUMNS:
      g_value_set_object (value, self->columns);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_fold_bin_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HordeStudioFoldBin *self = HORDE_STUDIO_FOLD_BIN (object);

  switch (prop_id)
    {
    case PROP_FOLD_WIDTH:
      horde_studio_fold_bin_set_fold_width (self, g_value_get_int (value));
      break;
    case PROP_COLUMNS:
      horde_studio_fold_bin_set_columns (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_fold_bin_class_init (HordeStudioFoldBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_fold_bin_dispose;
  object_class->get_property = horde_studio_fold_bin_get_property;
  object_class->set_property = horde_studio_fold_bin_set_property;
  widget_class->measure = horde_studio_fold_bin_measure;
  widget_class->size_allocate = horde_studio_fold_bin_size_allocate;

  /**
   * HordeStudioFoldBin:fold-width:
   *
   * Below this width of the bin, in pixels, the columns go one under the
   * other.
   */
  properties [PROP_FOLD_WIDTH] =
    g_param_spec_int ("fold-width", NULL, NULL, 0, G_MAXINT, DEFAULT_FOLD_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeStudioFoldBin:columns:
   *
   * The box (or any orientable) the bin turns, somewhere inside it.
   */
  properties [PROP_COLUMNS] =
    g_param_spec_object ("columns", NULL, NULL, GTK_TYPE_ORIENTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_fold_bin_init (HordeStudioFoldBin *self)
{
  self->fold_width = DEFAULT_FOLD_WIDTH;
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
}

/**
 * horde_studio_fold_bin_get_fold_width:
 * @self: a #HordeStudioFoldBin
 *
 * Returns: the width below which the columns go one under the other
 */
int
horde_studio_fold_bin_get_fold_width (HordeStudioFoldBin *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_FOLD_BIN (self), 0);
  return self->fold_width;
}

/**
 * horde_studio_fold_bin_set_fold_width:
 * @self: a #HordeStudioFoldBin
 * @fold_width: the width below which the columns go one under the other
 */
void
horde_studio_fold_bin_set_fold_width (HordeStudioFoldBin *self,
                                      int                 fold_width)
{
  g_return_if_fail (HORDE_STUDIO_IS_FOLD_BIN (self));
  g_return_if_fail (fold_width >= 0);

  if (self->fold_width == fold_width)
    return;
  self->fold_width = fold_width;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FOLD_WIDTH]);
}

/**
 * horde_studio_fold_bin_get_columns:
 * @self: a #HordeStudioFoldBin
 *
 * Returns: (transfer none) (nullable): the box the bin turns
 */
GtkOrientable *
horde_studio_fold_bin_get_columns (HordeStudioFoldBin *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_FOLD_BIN (self), NULL);
  return self->columns;
}

/**
 * horde_studio_fold_bin_set_columns:
 * @self: a #HordeStudioFoldBin
 * @columns: (nullable): the box to turn, inside the bin
 */
void
horde_studio_fold_bin_set_columns (HordeStudioFoldBin *self,
                                   GtkOrientable      *columns)
{
  g_return_if_fail (HORDE_STUDIO_IS_FOLD_BIN (self));
  g_return_if_fail (columns == NULL || GTK_IS_ORIENTABLE (columns));

  if (g_set_weak_pointer (&self->columns, columns))
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLUMNS]);
    }
}

/* horde-studio-grid-view.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include <libhorde.h>

#include "horde-studio-gallery-item.h"
#include "horde-studio-grid-view.h"
#include "horde-studio-thumbnail.h"

/* The labelled grid of a comparison: the columns' values over the
 * columns, the rows' values beside the rows, and a cell for each image as
 * it arrives. It renders itself, labels and all, into one PNG. */
struct _HordeStudioGridView
{
  GtkWidget parent_instance;

  GtkGrid *grid;
  HordeStudioGridPlan *plan;
  GPtrArray *cells;             /* of HordeStudioThumbnail, row-major */
  GPtrArray *statuses;          /* of GtkLabel, row-major */
  GPtrArray *items;             /* of GObject or NULL, row-major */
  GPtrArray *column_headers;    /* of GtkLabel */
  GPtrArray *row_headers;       /* of GtkLabel */
};

G_DEFINE_FINAL_TYPE (HordeStudioGridView, horde_studio_grid_view, GTK_TYPE_WIDGET)

#define CELL_SIZE 160

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/**
 * horde_studio_grid_view_new:
 *
 * Creates an empty grid; [method@HordeStudio.GridView.set_plan] lays it out.
 *
 * Returns: (transfer floating): a new #HordeStudioGridView
 */
GtkWidget *
horde_studio_grid_view_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_GRID_VIEW, NULL);
}

static GtkLabel *
header (const char *text,
        const char *css_class)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (text));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (label, 20);
  gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
  return label;
}

/**
 * horde_studio_grid_view_set_plan:
 * @self: a #HordeStudioGridView
 * @plan: (nullable): the grid's plan
 *
 * Lays out the headers of @plan and an empty cell for each of its
 * requests, or nothing.
 */
void
horde_studio_grid_view_set_plan (HordeStudioGridView *self,
                                 HordeStudioGridPlan *plan)
{
  GtkWidget *widget;
  guint n_columns, n_rows;

  g_return_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self));
  g_return_if_fail (plan == NULL || HORDE_STUDIO_IS_GRID_PLAN (plan));

  while ((widget = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, widget);
  g_ptr_array_set_size (self->cells, 0);
  g_ptr_array_set_size (self->statuses, 0);
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->column_headers, 0);
  g_ptr_array_set_size (self->row_headers, 0);
  g_set_object (&self->plan, plan);
  if (plan == NULL)
    return;

  n_columns = horde_studio_grid_plan_get_n_columns (plan);
  n_rows = horde_studio_grid_plan_get_n_rows (plan);

  /* what varies: over the columns, and above the rows' values, in one
   * piece */
  for (guint i = 0; i < 2; i++)
    {
      HordeStudioGridAxis axis = i == 0 ? horde_studio_grid_plan_get_column_axis (plan)
                                        : horde_studio_grid_plan_get_row_axis (plan);
      GtkLabel *title = header (horde_studio_grid_axis_get_title (axis), "heading");

      gtk_label_set_wrap (title, FALSE);
      if (i == 0)
        gtk_grid_attach (self->grid, GTK_WIDGET (title), 1, 0, n_columns, 1);
      else
        {
          gtk_label_set_xalign (title, 1);
          gtk_grid_attach (self->grid, GTK_WIDGET (title), 0, 1, 1, 1);
        }
    }

  for (guint column = 0; column < n_columns; column++)
    {
      GtkLabel *label = header (horde_studio_grid_plan_get_column_label (plan, column), "caption-heading");

      gtk_widget_set_valign (GTK_WIDGET (label), GTK_ALIGN_END);
      gtk_grid_attach (self->grid, GTK_WIDGET (label), column + 1, 1, 1, 1);
      g_ptr_array_add (self->column_headers, label);
    }

  for (guint row = 0; row < n_rows; row++)
    {
      GtkLabel *label = header (horde_studio_grid_plan_get_row_label (plan, row), "caption-heading");

      gtk_label_set_xalign (label, 1);
      gtk_grid_attach (self->grid, GTK_WIDGET (label), 0, row + 2, 1, 1);
      g_ptr_array_add (self->row_headers, label);

      for (guint column = 0; column < n_columns; column++)
        {
          GtkWidget *overlay = gtk_overlay_new ();
          GtkWidget *thumbnail = horde_studio_thumbnail_new ();
          GtkWidget *status = gtk_label_new (_("Waiting"));
          g_autofree char *name = g_strdup_printf ("%s %s, %s %s",
                                                   horde_studio_grid_axis_get_title (horde_studio_grid_plan_get_column_axis (plan)),
                                                   horde_studio_grid_plan_get_column_label (plan, column),
                                                   horde_studio_grid_axis_get_title (horde_studio_grid_plan_get_row_axis (plan)),
                                                   horde_studio_grid_plan_get_row_label (plan, row));

          gtk_widget_set_size_request (thumbnail, CELL_SIZE, -1);
          gtk_widget_add_css_class (thumbnail, "card");
          gtk_overlay_set_child (GTK_OVERLAY (overlay), thumbnail);
          gtk_label_set_wrap (GTK_LABEL (status), TRUE);
          gtk_label_set_justify (GTK_LABEL (status), GTK_JUSTIFY_CENTER);
          gtk_label_set_max_width_chars (GTK_LABEL (status), 16);
          gtk_widget_add_css_class (status, "dim-label");
          gtk_widget_set_halign (status, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
          gtk_overlay_add_overlay (GTK_OVERLAY (overlay), status);
          /* a screen reader says which cell it is */
          gtk_accessible_update_property (GTK_ACCESSIBLE (overlay), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_widget_set_tooltip_text (overlay, name);
          gtk_grid_attach (self->grid, overlay, column + 1, row + 2, 1, 1);
          g_ptr_array_add (self->cells, thumbnail);
          g_ptr_array_add (self->statuses, status);
          g_ptr_array_add (self->items, NULL);
        }
    }
}

static guint
cell_index (HordeStudioGridView *self,
            guint                column,
            guint                row)
{
  g_return_val_if_fail (self->plan != NULL, G_MAXUINT);
  g_return_val_if_fail (column < horde_studio_grid_plan_get_n_columns (self->plan), G_MAXUINT);
  g_return_val_if_fail (row < horde_studio_grid_plan_get_n_rows (self->plan), G_MAXUINT);
  return row * horde_studio_grid_plan_get_n_columns (self->plan) + column;
}

/**
 * horde_studio_grid_view_set_cell_item:
 * @self: a #HordeStudioGridView
 * @column: a column
 * @row: a row
 * @item: (nullable): the gallery item of the cell's image
 *
 * Shows the image of a cell, which has arrived.
 */
void
horde_studio_grid_view_set_cell_item (HordeStudioGridView *self,
                                      guint                column,
                                      guint                row,
                                      GObject             *item)
{
  guint i;

  g_return_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self));
  g_return_if_fail (item == NULL || HORDE_STUDIO_IS_GALLERY_ITEM (item));

  i = cell_index (self, column, row);
  if (i == G_MAXUINT)
    return;
  g_clear_object (&self->items->pdata[i]);
  self->items->pdata[i] = item ? g_object_ref (item) : NULL;
  horde_studio_thumbnail_set_item (self->cells->pdata[i], item);
  gtk_widget_set_visible (self->statuses->pdata[i], item == NULL);
}

/**
 * horde_studio_grid_view_get_cell_item:
 * @self: a #HordeStudioGridView
 * @column: a column
 * @row: a row
 *
 * The image a cell shows.
 *
 * Returns: (transfer none) (nullable): its gallery item, or %NULL while
 *   the cell is empty
 */
GObject *
horde_studio_grid_view_get_cell_item (HordeStudioGridView *self,
                                      guint                column,
                                      guint                row)
{
  guint i;

  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self), NULL);

  i = cell_index (self, column, row);
  return i == G_MAXUINT ? NULL : self->items->pdata[i];
}

/**
 * horde_studio_grid_view_set_cell_status:
 * @self: a #HordeStudioGridView
 * @column: a column
 * @row: a row
 * @status: what an empty cell says: "Waiting", "Generating", a problem
 *
 * Says where the image of an empty cell is.
 */
void
horde_studio_grid_view_set_cell_status (HordeStudioGridView *self,
                                        guint                column,
                                        guint                row,
                                        const char          *status)
{
  guint i;

  g_return_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self));

  i = cell_index (self, column, row);
  if (i != G_MAXUINT)
    gtk_label_set_text (self->statuses->pdata[i], status);
}

/**
 * horde_studio_grid_view_get_column_header:
 * @self: a #HordeStudioGridView
 * @column: a column
 *
 * Returns: (transfer none): the text over @column
 */
const char *
horde_studio_grid_view_get_column_header (HordeStudioGridView *self,
                                          guint                column)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self), NULL);
  g_return_val_if_fail (column < self->column_headers->len, NULL);
  return gtk_label_get_text (self->column_headers->pdata[column]);
}

/**
 * horde_studio_grid_view_get_row_header:
 * @self: a #HordeStudioGridView
 * @row: a row
 *
 * Returns: (transfer none): the text beside @row
 */
const char *
horde_studio_grid_view_get_row_header (HordeStudioGridView *self,
                                       guint                row)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self), NULL);
  g_return_val_if_fail (row < self->row_headers->len, NULL);
  return gtk_label_get_text (self->row_headers->pdata[row]);
}

/* ---- export ---------------------------------------------------------- */

/* What the thread draws: copies, nothing of the widgets */
typedef struct {
  char *column_title;
  char *row_title;
  GPtrArray *column_labels;
  GPtrArray *row_labels;
  GPtrArray *paths;             /* row-major, "" for an empty cell */
  GFile *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->column_title);
  g_free (data->row_title);
  g_ptr_array_unref (data->column_labels);
  g_ptr_array_unref (data->row_labels);
  g_ptr_array_unref (data->paths);
  g_object_unref (data->file);
  g_free (data);
}

#define MAX_CELL 512
#define MIN_CELL 64
#define GAP 8
#define HEADER_HEIGHT 32
#define ROW_HEADER_WIDTH 180

/* @text in the box, ellipsized, centred or right-aligned */
static void
draw_text (cairo_t    *cr,
           const char *text,
           const char *font,
           double      x,
           double      y,
           double      width,
           double      height,
           PangoAlignment alignment)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int text_width, text_height;

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  cairo_move_to (cr, x, y + (height - text_height) / 2);
  pango_cairo_show_layout (cr, layout);
}

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *stream = closure;

  return g_output_stream_write_all (stream, data, length, NULL, NULL, NULL) ? CAIRO_STATUS_SUCCESS
                                                                            : CAIRO_STATUS_WRITE_ERROR;
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  guint n_columns = data->column_labels->len;
  guint n_rows = data->row_labels->len;
  g_autoptr(GPtrArray) pixbufs = g_ptr_array_new_with_free_func (unref_nullable);
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int cell = MIN_CELL;
  int width, height, top = 2 * HEADER_HEIGHT;
  cairo_status_t status;

  /* the images, and the cell that the largest fits in; WebP is decoded
   * by libhorde, not by a gdk-pixbuf loader that may be missing */
  for (guint i = 0; i < data->paths->len; i++)
    {
      const char *path = data->paths->pdata[i];
      GdkPixbuf *pixbuf = NULL;
      g_autoptr(GError) local = NULL;

      if (*path != '\0')
        {
          g_autofree char *contents = NULL;
          gsize length = 0;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(HordeGeneratedImage) image = NULL;

          if (g_file_get_contents (path, &contents, &length, &local))
            {
              bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
              image = horde_generated_image_new_from_bytes (bytes, NULL, &local);
              if (image != NULL && (pixbuf = horde_generated_image_decode (image, &local)) != NULL)
                g_object_ref (pixbuf);
            }
          if (pixbuf == NULL)
            g_debug ("An image of the grid cannot be read: %s", local->message);
        }
      g_ptr_array_add (pixbufs, pixbuf);
      if (pixbuf != NULL)
        cell = MAX (cell, MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)));
    }
  cell = MIN (cell, MAX_CELL);

  width = ROW_HEADER_WIDTH + n_columns * (cell + GAP) + GAP;
  height = top + n_rows * (cell + GAP) + GAP;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, data->column_title, "Sans Bold 14", ROW_HEADER_WIDTH, 0,
             n_columns * (cell + GAP) + GAP, HEADER_HEIGHT, PANGO_ALIGN_CENTER);
  draw_text (cr, data->row_title, "Sans Bold 14", GAP, HEADER_HEIGHT,
             ROW_HEADER_WIDTH - 2 * GAP, HEADER_HEIGHT, PANGO_ALIGN_RIGHT);
  for (guint column = 0; column < n_columns; column++)
    draw_text (cr, data->column_labels->pdata[column], "Sans 12",
               ROW_HEADER_WIDTH + GAP + column * (cell + GAP), HEADER_HEIGHT, cell, HEADER_HEIGHT, PANGO_ALIGN_CENTER);

  for (guint row = 0; row < n_rows; row++)
    {
      double y = top + GAP + row * (cell + GAP);

      cairo_set_source_rgb (cr, 0, 0, 0);
      draw_text (cr, data->row_labels->pdata[row], "Sans 12", GAP, y, ROW_HEADER_WIDTH - 2 * GAP, cell, PANGO_ALIGN_RIGHT);

      for (guint column = 0; column < n_columns; column++)
        {
          GdkPixbuf *pixbuf = pixbufs->pdata[row * n_columns + column];
          double x = ROW_HEADER_WIDTH + GAP + column * (cell + GAP);
          int w, h;
          double scale;

          /* an image that did not come: a grey cell */
          cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
          cairo_rectangle (cr, x, y, cell, cell);
          cairo_fill (cr);
          if (pixbuf == NULL)
            continue;

          w = gdk_pixbuf_get_width (pixbuf);
          h = gdk_pixbuf_get_height (pixbuf);
          scale = MIN ((double) cell / w, (double) cell / h);
          cairo_save (cr);
          cairo_translate (cr, x + (cell - w * scale) / 2, y + (cell - h * scale) / 2);
          cairo_scale (cr, scale, scale);
          gdk_cairo_set_source_pixbuf (cr, pixbuf, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
          cairo_paint (cr);
          cairo_restore (cr);
        }
    }

  cairo_destroy (cr);
  stream = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (stream == NULL)
    {
      cairo_surface_destroy (surface);
      g_task_return_error (task, error);
      return;
    }
  status = cairo_surface_write_to_png_stream (surface, write_to_stream, stream);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      /* leave the file as it was */
      g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The grid could not be written: %s"), cairo_status_to_string (status));
      return;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * horde_studio_grid_view_export_async:
 * @self: a #HordeStudioGridView
 * @file: where to write the PNG
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written
 * @user_data: data for @callback
 *
 * Writes the grid as one PNG image: the axes' names and values as labels,
 * each image fitted in its cell (cells of at most 512 pixels), a grey cell
 * where no image came. The images are read and drawn in a worker thread.
 */
void
horde_studio_grid_view_export_async (HordeStudioGridView *self,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_grid_view_export_async);
  if (self->plan == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no grid to export"));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->column_title = g_strdup (horde_studio_grid_axis_get_title (horde_studio_grid_plan_get_column_axis (self->plan)));
  data->row_title = g_strdup (horde_studio_grid_axis_get_title (horde_studio_grid_plan_get_row_axis (self->plan)));
  data->column_labels = g_ptr_array_new_with_free_func (g_free);
  data->row_labels = g_ptr_array_new_with_free_func (g_free);
  data->paths = g_ptr_array_new_with_free_func (g_free);
  data->file = g_object_ref (file);
  for (guint column = 0; column < horde_studio_grid_plan_get_n_columns (self->plan); column++)
    g_ptr_array_add (data->column_labels, g_strdup (horde_studio_grid_plan_get_column_label (self->plan, column)));
  for (guint row = 0; row < horde_studio_grid_plan_get_n_rows (self->plan); row++)
    g_ptr_array_add (data->row_labels, g_strdup (horde_studio_grid_plan_get_row_label (self->plan, row)));
  for (guint i = 0; i < self->items->len; i++)
    {
      HordeStudioGalleryItem *item = self->items->pdata[i];

      g_ptr_array_add (data->paths, g_strdup (item ? horde_studio_gallery_item_get_path (item) : ""));
    }

  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_in_thread);
}

/**
 * horde_studio_grid_view_export_finish:
 * @self: a #HordeStudioGridView
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@HordeStudio.GridView.export_async].
 *
 * Returns: %TRUE if the file was written
 */
gboolean
horde_studio_grid_view_export_finish (HordeStudioGridView  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GRID_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_studio_grid_view_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
horde_studio_grid_view_dispose (GObject *object)
{
  HordeStudioGridView *self = HORDE_STUDIO_GRID_VIEW (object);

  g_clear_pointer ((GtkWidget **) &self->grid, gtk_widget_unparent);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->column_headers, g_ptr_array_unref);
  g_clear_pointer (&self->row_headers, g_ptr_array_unref);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (horde_studio_grid_view_parent_class)->dispose (object);
}

static void
horde_studio_grid_view_class_init (HordeStudioGridViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_grid_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "grid-view");
}

static void
horde_studio_grid_view_init (HordeStudioGridView *self)
{
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 6);
  gtk_widget_set_halign (GTK_WIDGET (self->grid), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->grid), GTK_WIDGET (self));

  self->cells = g_ptr_array_new ();
  self->statuses = g_ptr_array_new ();
  self->items = g_ptr_array_new_with_free_func (unref_nullable);
  self->column_headers = g_ptr_array_new ();
  self->row_headers = g_ptr_array_new ();
}

/* horde-studio-gallery-view.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "horde-studio-application.h"
#include "horde-studio-launcher.h"
#include "horde-studio-util.h"
#include "horde-studio-gallery-view.h"
#include "horde-studio-image-viewer.h"
#include "horde-studio-thumbnail.h"

#define SEARCH_DELAY_MS 250

/* The gallery: a grid of every image kept, newest first, that opens fast
 * however many there are (the grid makes cells only for what is on screen,
 * and the store reads an item's metadata only when a cell asks); search by
 * prompt or model, favourites, an order; a selection mode to export or
 * delete several; and the viewer (a widget of its own) that opens an
 * image. */
struct _HordeStudioGalleryView
{
  GtkWidget parent_instance;

  GtkStack *pages;
  GtkSearchEntry *search_entry;
  GtkToggleButton *favourites_button;
  GtkStack *grid_stack;
  AdwStatusPage *empty_page;
  GtkGridView *grid_view;
  HordeStudioImageViewer *viewer;
  GtkMenuButton *sort_button;
  GtkToggleButton *select_button;
  GtkRevealer *selection_bar;
  GtkLabel *selection_label;

  HordeStudioGallery *gallery;
  AdwToastOverlay *toasts;
  guint search_source;

  /* selection mode: the ids of the images selected, and where a Shift
   * click extends from */
  gboolean selecting;
  GHashTable *selected;
  guint anchor;
  gboolean has_anchor;
  GdkModifierType click_state;  /* of the click that activates a tile */

  HordeStudioGallerySort sort;
};

G_DEFINE_FINAL_TYPE (HordeStudioGalleryView, horde_studio_gallery_view, GTK_TYPE_WIDGET)

enum {
  REUSE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_SELECTION_MODE,
  PROP_SORT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
count_changed (HordeStudioGalleryView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->gallery)) == 0;
  gboolean filtered = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0' ||
                      gtk_toggle_button_get_active (self->favourites_button);

  if (empty && filtered)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Images"));
      adw_status_page_set_description (self->empty_page, _("Try other words, or show all images."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Images Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Every image you generate is kept here, with the settings that made it."));
    }
  gtk_stack_set_visible_child_name (self->grid_stack, empty ? "empty" : "grid");
}

static void prune_selection (HordeStudioGalleryView *self);

static gboolean
apply_filter (gpointer user_data)
{
  HordeStudioGalleryView *self = user_data;

  self->search_source = 0;
  horde_studio_gallery_set_filter (self->gallery,
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                   gtk_toggle_button_get_active (self->favourites_button));
  count_changed (self);
  prune_selection (self);
  return G_SOURCE_REMOVE;
}

static void
filter_changed (HordeStudioGalleryView *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, apply_filter, self);
}

static GdkContentProvider *tile_drag_prepare (GtkDragSource          *source,
                                               double                  x,
                                               double                  y,
                                               HordeStudioGalleryView *self);
static void add_drag_source (HordeStudioGalleryView *self,
                             GtkWidget              *widget,
                             GCallback               prepare);

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            HordeStudioGalleryView   *self)
{
  GtkWidget *thumbnail = horde_studio_thumbnail_new ();

  add_drag_source (self, thumbnail, G_CALLBACK (tile_drag_prepare));

  /* the cell's place, for the keyboard (see activate_focused_cell()); the
   * list item owns the thumbnail, which does not outlive it */
  g_object_set_data (G_OBJECT (thumbnail), "horde-studio-list-item", list_item);
  gtk_list_item_set_child (list_item, thumbnail);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           HordeStudioGalleryView   *self)
{
  HordeStudioGalleryItem *item = gtk_list_item_get_item (list_item);
  gint64 id = horde_studio_gallery_item_get_id (item);

  horde_studio_thumbnail_set_item (HORDE_STUDIO_THUMBNAIL (gtk_list_item_get_child (list_item)), G_OBJECT (item));
  horde_studio_thumbnail_set_selection (HORDE_STUDIO_THUMBNAIL (gtk_list_item_get_child (list_item)),
                                        self->selecting, g_hash_table_contains (self->selected, &id));
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  horde_studio_thumbnail_set_item (HORDE_STUDIO_THUMBNAIL (gtk_list_item_get_child (list_item)), NULL);
}

/**
 * horde_studio_gallery_view_show_item:
 * @self: a #HordeStudioGalleryView
 * @item: the image to show
 *
 * Opens @item in the viewer.
 */
void
horde_studio_gallery_view_show_item (HordeStudioGalleryView *self,
                                     HordeStudioGalleryItem *item)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self));
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item));

  horde_studio_image_viewer_show_item (self->viewer, item);
  gtk_stack_set_visible_child_name (self->pages, "viewer");

  /* the viewer's keys (Escape, the arrows, Delete) answer at once; the
   * stack moves the focus along only from the grid's page */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (root != NULL && (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->viewer))))
    gtk_widget_child_focus (GTK_WIDGET (self->viewer), GTK_DIR_TAB_FORWARD);
}

static void select_at (HordeStudioGalleryView *self,
                       guint                   position,
                       GdkModifierType         modifiers);

/* A click on a tile opens it; in selection mode, or with Ctrl or Shift
 * held, it selects it instead. */
static void
grid_activated (HordeStudioGalleryView *self,
                guint                   position)
{
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  GdkModifierType state = self->click_state;

  self->click_state = 0;
  if (self->selecting || (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)))
    {
      select_at (self, position, state);
      return;
    }

  item = g_list_model_get_item (G_LIST_MODEL (self->gallery), position);
  if (item != NULL)
    horde_studio_gallery_view_show_item (self, item);
}

/* the keys held when a tile is clicked; the grid's "activate" does not say */
static void
grid_pressed (GtkGestureClick        *gesture,
              int                     n_press,
              double                  x,
              double                  y,
              HordeStudioGalleryView *self)
{
  self->click_state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
}

/* Enter or Space on a focused tile opens it, as a click does: the grid's
 * cells take Space to select (a gallery selects nothing), so the grid
 * looks first. */
static gboolean
activate_focused_cell (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  HordeStudioGalleryView *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkWidget *thumbnail;
  GtkListItem *list_item;

  if (focus == NULL || gtk_widget_get_parent (focus) != GTK_WIDGET (self->grid_view))
    return FALSE;
  thumbnail = gtk_widget_get_first_child (focus);
  if (!HORDE_STUDIO_IS_THUMBNAIL (thumbnail) ||
      (list_item = g_object_get_data (G_OBJECT (thumbnail), "horde-studio-list-item")) == NULL ||
      gtk_list_item_get_position (list_item) == GTK_INVALID_LIST_POSITION)
    return FALSE;

  self->click_state = 0;
  grid_activated (self, gtk_list_item_get_position (list_item));
  return TRUE;
}

static void
toast_undo (AdwToast *toast,
            gpointer  user_data)
{
  HordeStudioGalleryView *self = g_object_get_data (G_OBJECT (toast), "view");
  GPtrArray *items = user_data;

  g_object_set_data (G_OBJECT (toast), "undone", GINT_TO_POINTER (TRUE));
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!horde_studio_gallery_undelete (self->gallery, g_ptr_array_index (items, i), &error))
        g_warning ("Could not bring the image back: %s", error->message);
    }
  count_changed (self);
}

static void
toast_dismissed (AdwToast *toast,
                 gpointer  user_data)
{
  HordeStudioGalleryView *self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_object_get_data (G_OBJECT (toast), "undone"))
    return;
  if (!horde_studio_gallery_purge_deleted (self->gallery, &error))
    g_warning ("Could not remove deleted images: %s", error->message);
}

/* "N images deleted [Undo]"; the files go for good with the toast */
static void
toast_deleted (HordeStudioGalleryView *self,
               GPtrArray              *items)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (items->len == 1)
    title = g_strdup (_("Image deleted"));
  else
    title = g_strdup_printf (ngettext ("%u image deleted", "%u images deleted", items->len), items->len);
  toast = horde_studio_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "view", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_undo),
                         g_ptr_array_ref (items), (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* the viewer's Delete: the image goes, the grid comes back, and the
 * toast offers to undo */
static void
delete_requested (HordeStudioGalleryView *self,
                  HordeStudioGalleryItem *item)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!horde_studio_gallery_delete (self->gallery, item, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, horde_studio_toast_new (error->message));
      return;
    }

  g_ptr_array_add (items, g_object_ref (item));
  horde_studio_image_viewer_close (self->viewer);
  count_changed (self);
  toast_deleted (self, items);
}

/* Exporting: the items and where they go to a worker thread, which encodes
 * and writes; the items are let go in the view's thread, as the gallery's
 * items are. One image goes to the file the user chose; several go into
 * the folder the user chose, each named after its prompt. */
typedef struct {
  GPtrArray *items;     /* HordeStudioGalleryItem */
  char *path;           /* one image: its file */
  char *folder;         /* several: their folder */
  GPtrArray *written;   /* GFile of each file written */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data->path);
  g_free (data->folder);
  g_clear_pointer (&data->written, g_ptr_array_unref);
  g_free (data);
}

/* The overlay is the window's: once the view has left its window (it is
 * closing), there is nobody to tell. */
static gboolean
can_toast (HordeStudioGalleryView *self)
{
  return self->toasts != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL;
}

static void
toast_if_shown (HordeStudioGalleryView *self,
                const char             *title)
{
  if (can_toast (self))
    adw_toast_overlay_add_toast (self->toasts, horde_studio_toast_new (title));
}

/* @name in @folder, or `NAME-2.png`, `NAME-3.png`… if that is taken */
static char *
free_path_in (const char *folder,
              const char *name)
{
  g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".png"));
  char *path = g_build_filename (folder, name, NULL);

  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s-%u.png", stem, i);

      g_free (path);
      path = g_build_filename (folder, numbered, NULL);
    }
  return path;
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  for (guint i = 0; i < data->items->len; i++)
    {
      HordeStudioGalleryItem *item = g_ptr_array_index (data->items, i);
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      if (data->folder != NULL)
        {
          name = horde_studio_export_name (horde_studio_gallery_item_get_prompt (item));
          path = free_path_in (data->folder, name);
        }
      else
        path = g_strdup (data->path);

      if (!horde_studio_gallery_export_png (item, path, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (data->written, g_file_new_for_path (path));
    }
  g_task_return_boolean (task, TRUE);
}

static void
open_exported (GtkButton *button,
               AdwToast  *toast)
{
  HordeStudioGalleryView *self = g_object_get_data (G_OBJECT (toast), "view");
  GPtrArray *files = g_object_get_data (G_OBJECT (toast), "files");

  adw_toast_dismiss (toast);
  horde_studio_launcher_open (GTK_WIDGET (self), g_ptr_array_index (files, 0), NULL, self->toasts);
}

static void
show_exported (AdwToast               *toast,
               HordeStudioGalleryView *self)
{
  horde_studio_launcher_show_files (GTK_WIDGET (self), g_object_get_data (G_OBJECT (toast), "files"), self->toasts);
}

/* "Image exported [Open] [Show in Files]": what the user wants next is to
 * look at the file, or to find it */
static void
toast_exported (HordeStudioGalleryView *self,
                GPtrArray              *files)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!can_toast (self) || files->len == 0)
    return;

  if (files->len == 1)
    title = g_strdup (_("Image exported"));
  else
    title = g_strdup_printf (ngettext ("%u image exported", "%u images exported", files->len), files->len);

  toast = horde_studio_toast_new (title);
  g_object_set_data (G_OBJECT (toast), "view", self);
  g_object_set_data_full (G_OBJECT (toast), "files", g_ptr_array_ref (files), (GDestroyNotify) g_ptr_array_unref);
  adw_toast_set_button_label (toast, _("Show in _Files"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (show_exported), self, 0);

  if (files->len == 1)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (title);
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (open, _("Open the exported image"));
      g_signal_connect_object (open, "clicked", G_CALLBACK (open_exported), toast, 0);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), open);
      adw_toast_set_custom_title (toast, box);
    }

  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
export_written (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HordeStudioGalleryView *self = g_task_get_source_object (task);
  GTask *write_task = G_TASK (result);
  ExportData *data = g_task_get_task_data (write_task);
  g_autoptr(GPtrArray) written = g_ptr_array_ref (data->written);
  GError *error = NULL;

  /* the items go here, not in the worker thread whenever it lets go */
  g_task_set_task_data (write_task, NULL, NULL);

  if (!g_task_propagate_boolean (write_task, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_if_shown (self, error->message);
      g_task_return_error (task, error);
      return;
    }

  toast_exported (self, written);
  g_task_return_boolean (task, TRUE);
}

/* the export_to_file_async() and export_to_folder_async() of @items to
 * @place, a folder for them (@to_folder) or the file for the one item: a
 * task of @source_tag, failing at once for a place with no local path */
static void
export_start (HordeStudioGalleryView *self,
              GPtrArray              *items,
              GFile                  *place,
              gboolean                to_folder,
              GCancellable           *cancellable,
              GAsyncReadyCallback     callback,
              gpointer                user_data,
              gpointer                source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_file_get_path (place);
  ExportData *data;
  GTask *write_task;

  g_task_set_source_tag (task, source_tag);

  if (path == NULL)
    {
      toast_if_shown (self, _("This place cannot be written to"));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s", _("This place cannot be written to"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (data->items, g_object_ref (g_ptr_array_index (items, i)));
  if (to_folder)
    data->folder = g_steal_pointer (&path);
  else
    data->path = g_steal_pointer (&path);
  data->written = g_ptr_array_new_with_free_func (g_object_unref);
  write_task = g_task_new (NULL, g_task_get_cancellable (task), export_written, task);
  g_task_set_source_tag (write_task, export_in_thread);
  g_task_set_task_data (write_task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (write_task, export_in_thread);
  g_object_unref (write_task);
}

/* the finish of an export_start() of @source_tag */
static gboolean
export_finish (HordeStudioGalleryView  *self,
               GAsyncResult            *result,
               gpointer                 source_tag,
               GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * horde_studio_gallery_view_export_to_file_async:
 * @self: a #HordeStudioGalleryView
 * @item: the image to export
 * @file: where to write it, as the file chooser gave it
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the file is written, or not
 * @user_data: data for @callback
 *
 * Exports @item to @file as [method@HordeStudio.Gallery.export_png] does,
 * in a worker thread, then tells the user in a toast whether it worked,
 * offering to open the file or to show it in the file manager. This is
 * what the "Export" action does once the user has chosen a file.
 *
 * @file must have a local path; a place without one (a remote location)
 * fails with %G_IO_ERROR_NOT_SUPPORTED.
 */
void
horde_studio_gallery_view_export_to_file_async (HordeStudioGalleryView *self,
                                                HordeStudioGalleryItem *item,
                                                GFile                  *file,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self));
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_ptr_array_add (items, item);
  export_start (self, items, file, FALSE, cancellable, callback, user_data,
                horde_studio_gallery_view_export_to_file_async);
}

/**
 * horde_studio_gallery_view_export_to_file_finish:
 * @self: a #HordeStudioGalleryView
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@HordeStudio.GalleryView.export_to_file_async].
 *
 * Returns: %TRUE if the file was written
 */
gboolean
horde_studio_gallery_view_export_to_file_finish (HordeStudioGalleryView  *self,
                                                 GAsyncResult            *result,
                                                 GError                 **error)
{
  return export_finish (self, result, horde_studio_gallery_view_export_to_file_async, error);
}

/**
 * horde_studio_gallery_view_export_to_folder_async:
 * @self: a #HordeStudioGalleryView
 * @items: (element-type HordeStudioGalleryItem): the images to export
 * @folder: the folder to write them in, as the file chooser gave it
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the files are written, or not
 * @user_data: data for @callback
 *
 * Exports @items into @folder, each as
 * [method@HordeStudio.Gallery.export_png] does and named after its prompt
 * (`a-red-fox.png`, then `a-red-fox-2.png`: no file is overwritten), in a
 * worker thread, then tells the user in a toast whether it worked,
 * offering to show the files in the file manager. This is what "Export"
 * does on a selection once the user has chosen a folder.
 *
 * @folder must have a local path; a place without one (a remote location)
 * fails with %G_IO_ERROR_NOT_SUPPORTED.
 */
void
horde_studio_gallery_view_export_to_folder_async (HordeStudioGalleryView *self,
                                                  GPtrArray              *items,
                                                  GFile                  *folder,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data)
{
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self));
  g_return_if_fail (items != NULL);
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export_start (self, items, folder, TRUE, cancellable, callback, user_data,
                horde_studio_gallery_view_export_to_folder_async);
}

/**
 * horde_studio_gallery_view_export_to_folder_finish:
 * @self: a #HordeStudioGalleryView
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@HordeStudio.GalleryView.export_to_folder_async].
 *
 * Returns: %TRUE if every file was written
 */
gboolean
horde_studio_gallery_view_export_to_folder_finish (HordeStudioGalleryView  *self,
                                                   GAsyncResult            *result,
                                                   GError                 **error)
{
  return export_finish (self, result, horde_studio_gallery_view_export_to_folder_async, error);
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  HordeStudioGalleryView *self = user_data;
  g_autoptr(GFile) file = NULL;
  HordeStudioGalleryItem *item = g_object_get_data (G_OBJECT (dialog), "item");
  GPtrArray *items = g_object_get_data (G_OBJECT (dialog), "items");

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      if (items != NULL)
        horde_studio_gallery_view_export_to_folder_async (self, items, file, NULL, NULL, NULL);
      else
        horde_studio_gallery_view_export_to_file_async (self, item, file, NULL, NULL, NULL);
    }

  g_object_unref (dialog);
}

/* the viewer's Export: where to, then export_to_file_async() */
static void
export_requested (HordeStudioGalleryView *self,
                  HordeStudioGalleryItem *item)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autoptr(GFile) folder = NULL;

  dialog = gtk_file_chooser_native_new (_("Export Image"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  /* in Pictures, with a name from the start of the prompt */
  folder = horde_studio_export_folder ();
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  name = horde_studio_export_name (horde_studio_gallery_item_get_prompt (item));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  g_object_set_data_full (G_OBJECT (dialog), "item", g_object_ref (item), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- selection mode ----------------------------------------------------- */

/* The selection is the view's, a set of ids: a GtkMultiSelection selects on
 * hover when a click opens (single-click-activate), and a plain click in
 * selection mode adds to the selection here, as in Files and Photos,
 * instead of replacing it. */

static gboolean
is_selected (HordeStudioGalleryView *self,
             gint64                  id)
{
  return g_hash_table_contains (self->selected, &id);
}

static void
update_cells (HordeStudioGalleryView *self)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *thumbnail = gtk_widget_get_first_child (cell);
      GObject *item;

      if (!HORDE_STUDIO_IS_THUMBNAIL (thumbnail))
        continue;
      item = horde_studio_thumbnail_get_item (HORDE_STUDIO_THUMBNAIL (thumbnail));
      horde_studio_thumbnail_set_selection (HORDE_STUDIO_THUMBNAIL (thumbnail), self->selecting,
                                            item != NULL &&
                                            is_selected (self, horde_studio_gallery_item_get_id (HORDE_STUDIO_GALLERY_ITEM (item))));
    }
}

static void
selection_changed (HordeStudioGalleryView *self)
{
  guint n = g_hash_table_size (self->selected);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("Click images to select them"));
  else
    text = g_strdup_printf (ngettext ("%u image selected", "%u images selected", n), n);
  gtk_label_set_text (self->selection_label, text);
  gtk_revealer_set_reveal_child (self->selection_bar, self->selecting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.export-selected", self->selecting && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.delete-selected", self->selecting && n > 0);
  update_cells (self);
}

static void
set_selection_mode (HordeStudioGalleryView *self,
                    gboolean                selecting)
{
  selecting = !!selecting;
  if (self->selecting == selecting)
    return;

  self->selecting = selecting;
  g_hash_table_remove_all (self->selected);
  self->has_anchor = FALSE;
  selection_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTION_MODE]);
}

static void
select_id (HordeStudioGalleryView *self,
           gint64                  id)
{
  if (id >= 0 && !is_selected (self, id))
    g_hash_table_add (self->selected, g_memdup2 (&id, sizeof id));
}

/* A click (or Space) on the tile at @position: it joins or leaves the
 * selection; with Shift, the tiles from the last one clicked to this one
 * join it. Outside selection mode, this starts it. */
static void
select_at (HordeStudioGalleryView *self,
           guint                   position,
           GdkModifierType         modifiers)
{
  gint64 id = horde_studio_gallery_get_id_at (self->gallery, position);

  if (id < 0)
    return;
  set_selection_mode (self, TRUE);

  if ((modifiers & GDK_SHIFT_MASK) && self->has_anchor)
    {
      for (guint i = MIN (self->anchor, position); i <= MAX (self->anchor, position); i++)
        select_id (self, horde_studio_gallery_get_id_at (self->gallery, i));
    }
  else
    {
      if (!g_hash_table_remove (self->selected, &id))
        select_id (self, id);
      self->anchor = position;
      self->has_anchor = TRUE;
    }
  selection_changed (self);
}

static void
select_all (HordeStudioGalleryView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->gallery));

  set_selection_mode (self, TRUE);
  for (guint i = 0; i < n; i++)
    select_id (self, horde_studio_gallery_get_id_at (self->gallery, i));
  selection_changed (self);
}

/* an image deleted elsewhere, or a filter that changed, leaves the
 * selection */
static void
prune_selection (HordeStudioGalleryView *self)
{
  g_autoptr(GHashTable) listed = NULL;
  GHashTableIter iter;
  gpointer key;
  guint n;

  if (g_hash_table_size (self->selected) == 0)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->gallery));
  listed = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_hash_table_iter_init (&iter, self->selected);
  for (guint i = 0; i < n && g_hash_table_size (listed) < g_hash_table_size (self->selected); i++)
    {
      gint64 id = horde_studio_gallery_get_id_at (self->gallery, i);
      gpointer stored;

      if (g_hash_table_lookup_extended (self->selected, &id, &stored, NULL))
        g_hash_table_add (listed, stored);
    }
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (listed, key))
      g_hash_table_iter_remove (&iter);
  self->has_anchor = FALSE;
  selection_changed (self);
}

/* ---- order --------------------------------------------------------------- */

/* the values of the "gallery-sort" key, in HordeStudioGallerySort's order */
static const char * const sort_names[] = { "newest", "oldest", "model" };

static void
set_sort (HordeStudioGalleryView *self,
          const char             *name)
{
  HordeStudioGallerySort sort = HORDE_STUDIO_GALLERY_SORT_NEWEST;

  for (guint i = 0; i < G_N_ELEMENTS (sort_names); i++)
    if (g_strcmp0 (name, sort_names[i]) == 0)
      sort = i;

  if (self->gallery != NULL)
    horde_studio_gallery_set_sort (self->gallery, sort);
  if (self->sort == sort)
    return;
  self->sort = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SORT]);
}

/**
 * horde_studio_gallery_view_dup_selected:
 * @self: a #HordeStudioGalleryView
 *
 * The images selected in selection mode, in the grid's order.
 *
 * Returns: (transfer container) (element-type HordeStudioGalleryItem): the
 *   selected images
 */
GPtrArray *
horde_studio_gallery_view_dup_selected (HordeStudioGalleryView *self)
{
  GPtrArray *items;
  guint n;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self), NULL);

  items = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->gallery == NULL)
    return items;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->gallery));
  for (guint i = 0; i < n && items->len < g_hash_table_size (self->selected); i++)
    if (is_selected (self, horde_studio_gallery_get_id_at (self->gallery, i)))
      {
        HordeStudioGalleryItem *item = g_list_model_get_item (G_LIST_MODEL (self->gallery), i);

        if (item != NULL)
          g_ptr_array_add (items, item);
      }
  return items;
}

static void
delete_selected_response (AdwMessageDialog       *dialog,
                          const char             *response,
                          HordeStudioGalleryView *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  /* out of selection mode first: nothing to keep in step as they go */
  items = horde_studio_gallery_view_dup_selected (self);
  set_selection_mode (self, FALSE);
  deleted = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      HordeStudioGalleryItem *item = g_ptr_array_index (items, i);

      if (!horde_studio_gallery_delete (self->gallery, item, &error))
        break;
      g_ptr_array_add (deleted, g_object_ref (item));
    }

  count_changed (self);
  if (error != NULL)
    adw_toast_overlay_add_toast (self->toasts, horde_studio_toast_new (error->message));
  if (deleted->len > 0)
    toast_deleted (self, deleted);
}

/* Deleting several asks first: one key press is many images (they can
 * still be brought back while the toast is there) */
static void
delete_selected (HordeStudioGalleryView *self)
{
  guint n = g_hash_table_size (self->selected);
  GtkWidget *dialog;

  if (!self->selecting || n == 0)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     ngettext ("Delete %u Image?", "Delete %u Images?", n), n);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               ngettext ("The image and the settings that made it leave the gallery.",
                                         "The images and the settings that made them leave the gallery.", n));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_selected_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_selected (HordeStudioGalleryView *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GPtrArray) items = horde_studio_gallery_view_dup_selected (self);

  if (items->len == 0)
    return;

  dialog = gtk_file_chooser_native_new (_("Export Images"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  folder = horde_studio_export_folder ();
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);

  g_object_set_data_full (G_OBJECT (dialog), "items", g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- dragging images out ------------------------------------------------ */

static GdkContentProvider *
tile_drag_prepare (GtkDragSource          *source,
                   double                  x,
                   double                  y,
                   HordeStudioGalleryView *self)
{
  GtkWidget *thumbnail = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  HordeStudioGalleryItem *item = HORDE_STUDIO_GALLERY_ITEM (horde_studio_thumbnail_get_item (HORDE_STUDIO_THUMBNAIL (thumbnail)));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkPaintable) icon = NULL;
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    return NULL;

  /* a selected tile takes the rest of the selection along */
  if (self->selecting && is_selected (self, horde_studio_gallery_item_get_id (item)))
    items = horde_studio_gallery_view_dup_selected (self);
  else
    {
      items = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (items, g_object_ref (item));
    }

  if (items->len == 1 && (texture = horde_studio_image_viewer_load_texture (g_ptr_array_index (items, 0), &error)) == NULL)
    g_debug ("Dragging the file only: %s", error->message);

  files = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (files, g_file_new_for_path (horde_studio_gallery_item_get_path (g_ptr_array_index (items, i))));

  icon = gtk_widget_paintable_new (thumbnail);
  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return horde_studio_launcher_drag_content (files, texture);
}

static void
add_drag_source (HordeStudioGalleryView *self,
                 GtkWidget              *widget,
                 GCallback               prepare)
{
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect_object (source, "prepare", prepare, self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (source));
}

static void
gallery_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HordeStudioGalleryView *self = HORDE_STUDIO_GALLERY_VIEW (widget);

  if (g_str_equal (action_name, "gallery.back") &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "viewer") == 0)
    horde_studio_image_viewer_close (self->viewer);
  else if (g_str_equal (action_name, "gallery.back"))
    set_selection_mode (self, FALSE);
  else if (g_str_equal (action_name, "gallery.select-all"))
    select_all (self);
  else if (g_str_equal (action_name, "gallery.delete-selected"))
    delete_selected (self);
  else if (g_str_equal (action_name, "gallery.export-selected"))
    export_selected (self);
}

/* the viewer went back: the grid again */
static void
viewer_closed (HordeStudioGalleryView *self)
{
  gtk_stack_set_visible_child_name (self->pages, "grid");
}

static void
viewer_reuse (HordeStudioGalleryView         *self,
              HordeImageGenerateAsyncRequest *request)
{
  g_signal_emit (self, signals [REUSE], 0, request);
}

void
horde_studio_gallery_view_set_gallery (HordeStudioGalleryView *self,
                                       HordeStudioGallery     *gallery,
                                       AdwToastOverlay        *toasts)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self));
  g_return_if_fail (self->gallery == NULL);

  self->gallery = g_object_ref (gallery);
  self->toasts = toasts;
  horde_studio_gallery_set_sort (gallery, self->sort);
  /* the order is kept with the app's other settings */
  if (HORDE_STUDIO_IS_APPLICATION (g_application_get_default ()))
    g_settings_bind (horde_studio_application_get_settings (HORDE_STUDIO_APPLICATION (g_application_get_default ())),
                     "gallery-sort", self, "sort", G_SETTINGS_BIND_DEFAULT);
  horde_studio_image_viewer_set_gallery (self->viewer, gallery, toasts);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (gallery)));
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (gallery, "items-changed", G_CALLBACK (count_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gallery, "items-changed", G_CALLBACK (prune_selection), self, G_CONNECT_SWAPPED);
  count_changed (self);
}

GtkGridView *
horde_studio_gallery_view_get_grid_view (HordeStudioGalleryView *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self), NULL);
  return self->grid_view;
}

/**
 * horde_studio_gallery_view_get_shown:
 * @self: a #HordeStudioGalleryView
 *
 * The image open in the viewer.
 *
 * Returns: (transfer none) (nullable): the image in the viewer, or %NULL
 *   when the grid is shown
 */
HordeStudioGalleryItem *
horde_studio_gallery_view_get_shown (HordeStudioGalleryView *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self), NULL);
  return horde_studio_image_viewer_get_item (self->viewer);
}

/**
 * horde_studio_gallery_view_get_viewer:
 * @self: a #HordeStudioGalleryView
 *
 * The viewer that opens the gallery's images.
 *
 * Returns: (transfer none): the viewer
 */
HordeStudioImageViewer *
horde_studio_gallery_view_get_viewer (HordeStudioGalleryView *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_VIEW (self), NULL);
  return self->viewer;
}

static void
horde_studio_gallery_view_dispose (GObject *object)
{
  HordeStudioGalleryView *self = (HordeStudioGalleryView *)object;

  g_clear_handle_id (&self->search_source, g_source_remove);
  horde_studio_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_GALLERY_VIEW);
  g_clear_object (&self->gallery);

  G_OBJECT_CLASS (horde_studio_gallery_view_parent_class)->dispose (object);
}

static void
horde_studio_gallery_view_finalize (GObject *object)
{
  HordeStudioGalleryView *self = (HordeStudioGalleryView *)object;

  g_hash_table_unref (self->selected);

  G_OBJECT_CLASS (horde_studio_gallery_view_parent_class)->finalize (object);
}

static void
horde_studio_gallery_view_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HordeStudioGalleryView *self = HORDE_STUDIO_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selecting);
      break;
    case PROP_SORT:
      g_value_set_string (value, sort_names[self->sort]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_gallery_view_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HordeStudioGalleryView *self = HORDE_STUDIO_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTION_MODE:
      set_selection_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SORT:
      set_sort (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_gallery_view_class_init (HordeStudioGalleryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *actions[] = { "gallery.back", "gallery.select-all", "gallery.delete-selected",
                            "gallery.export-selected" };

  object_class->dispose = horde_studio_gallery_view_dispose;
  object_class->finalize = horde_studio_gallery_view_finalize;
  object_class->get_property = horde_studio_gallery_view_get_property;
  object_class->set_property = horde_studio_gallery_view_set_property;

  /**
   * HordeStudioGalleryView:selection-mode:
   *
   * Whether a click on a tile selects it rather than opening it; the
   * action `gallery.selection-mode` toggles it.
   */
  properties [PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * HordeStudioGalleryView:sort:
   *
   * The order of the grid: `newest`, `oldest` or `model`, as the
   * `gallery-sort` setting keeps it; the action `gallery.sort` sets it.
   */
  properties [PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL, "newest",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [REUSE] =
    g_signal_new ("reuse", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);

  g_type_ensure (HORDE_STUDIO_TYPE_IMAGE_VIEWER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-gallery-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, pages);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, favourites_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, grid_view);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, viewer);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, sort_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, select_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioGalleryView, selection_label);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, gallery_action);
  gtk_widget_class_install_property_action (widget_class, "gallery.selection-mode", "selection-mode");
  gtk_widget_class_install_property_action (widget_class, "gallery.sort", "sort");

  /* the viewer has its own keys */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "gallery.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "gallery.delete-selected", NULL);
}

static void
horde_studio_gallery_view_init (HordeStudioGalleryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  static const guint open_keys[] = { GDK_KEY_Return, GDK_KEY_ISO_Enter, GDK_KEY_KP_Enter,
                                     GDK_KEY_space, GDK_KEY_KP_Space };
  GtkEventController *keys;
  GtkGesture *click;

  self->selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);

  g_signal_connect_swapped (self->grid_view, "activate", G_CALLBACK (grid_activated), self);

  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (open_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (open_keys[i], 0),
                                                            gtk_callback_action_new (activate_focused_cell, self, NULL)));
  /* before the grid's own Ctrl+A, which selects nothing in a gallery
   * without a selection model; the search entry keeps its Ctrl+A */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("gallery.select-all")));
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), keys);

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (grid_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (filter_changed), self);
  g_signal_connect_swapped (self->favourites_button, "toggled", G_CALLBACK (filter_changed), self);
  g_signal_connect_swapped (self->viewer, "closed", G_CALLBACK (viewer_closed), self);
  g_signal_connect_swapped (self->viewer, "reuse", G_CALLBACK (viewer_reuse), self);
  g_signal_connect_swapped (self->viewer, "delete-requested", G_CALLBACK (delete_requested), self);
  g_signal_connect_swapped (self->viewer, "export-requested", G_CALLBACK (export_requested), self);
  selection_changed (self);
}

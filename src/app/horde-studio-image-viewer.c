/* horde-studio-image-viewer.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-image-viewer.h"
#include "horde-studio-launcher.h"
#include "horde-studio-util.h"

#define ZOOM_STEP 1.25

/* Narrower than this, the details go under the image: the image keeps
 * 300 px beside the details' 300 */
#define FOLD_WIDTH 600
/* the least the title keeps beside every action's button; narrower, the
 * actions but the star go into a menu */
#define TITLE_WIDTH 200
/* the image's height when the details are under it: they scroll */
#define FOLDED_IMAGE_HEIGHT 280

/* The viewer of one image of the gallery, full size: zoom, previous and
 * next through the gallery as it is listed, the favourite star, copy,
 * export, "Open With…", "Use These Settings", delete, and the settings
 * that made the image beside it.
 *
 * It decides its layout from its own width, as the window does for its
 * leaflet: narrow, the details go under the image, and the actions but
 * the star go into a menu so that the title keeps the width (the GNOME
 * HIG's narrow header bar). What concerns the gallery (deleting with
 * undo, exporting, the compose pane) is its owner's, told by signals. */
struct _HordeStudioImageViewer
{
  GtkWidget parent_instance;

  GtkWidget *back_button;
  GtkLabel *viewer_title;
  GtkWidget *zoom_box;
  GtkToggleButton *favourite_toggle;
  GtkWidget *actions_box;
  GtkButton *copy_button;
  GtkMenuButton *open_menu_button;
  GtkWidget *reuse_button;
  GtkMenuButton *more_button;
  GtkPaned *viewer_paned;
  GtkScrolledWindow *picture_scroller;
  GtkPicture *picture;
  GtkButton *previous_button;
  GtkButton *next_button;
  GtkWidget *details_scroller;
  GtkListBox *details_list;

  HordeStudioGallery *gallery;
  AdwToastOverlay *toasts;
  HordeStudioGalleryItem *shown;
  GdkTexture *texture;
  double zoom;                 /* 0: fit the window */
  gboolean can_go_previous;
  gboolean can_go_next;

  /* the layout, and the one the width asks for, set at the next idle (the
   * tree may not change while it is allocated) */
  gboolean folded;
  gboolean compact;
  gboolean want_folded;
  gboolean want_compact;
  guint layout_source;
  int actions_width;           /* every action's button, measured wide */
  int compact_minimum;         /* the least width, measured narrow */
};

G_DEFINE_FINAL_TYPE (HordeStudioImageViewer, horde_studio_image_viewer, GTK_TYPE_WIDGET)

enum {
  CLOSED,
  REUSE,
  DELETE_REQUESTED,
  EXPORT_REQUESTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* ---- showing an image --------------------------------------------------- */

static void
add_detail (HordeStudioImageViewer *self,
            const char             *title,
            const char             *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  /* the prompt ("salt & pepper") and the worker's name (any operator's
   * choice) are text, not markup */
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->details_list, row);
}

/* "Made from … by …", for an image an alchemy form made; NULL for a
 * generated one */
static char *
dup_lineage (HordeStudioImageViewer *self,
             HordeStudioGalleryItem *item)
{
  const char *form = horde_studio_gallery_item_get_form (item);
  gint64 parent_id = horde_studio_gallery_item_get_parent_id (item);
  g_autoptr(HordeStudioGalleryItem) parent = NULL;
  g_autofree char *source = NULL;

  if (form == NULL)
    return NULL;
  if (parent_id > 0 && self->gallery != NULL)
    parent = horde_studio_gallery_lookup (self->gallery, parent_id, NULL);
  if (parent != NULL && *horde_studio_gallery_item_get_prompt (parent) != '\0')
    /* TRANSLATORS: the image an image was made from: its number in the
     * gallery and its prompt */
    source = g_strdup_printf (_("image %lld, “%s”"), (long long) parent_id, horde_studio_gallery_item_get_prompt (parent));
  else if (parent_id > 0)
    source = g_strdup_printf (_("image %lld"), (long long) parent_id);
  else if (horde_studio_gallery_item_get_parent_name (item) != NULL)
    source = g_strdup (horde_studio_gallery_item_get_parent_name (item));
  else
    source = g_strdup (_("an image"));

  /* TRANSLATORS: the lineage of an upscaled or retouched image: where it
   * came from, then the Horde's name of what made it (RealESRGAN_x4plus) */
  return g_strdup_printf (_("Made from %s by %s"), source, form);
}

static void
show_details (HordeStudioImageViewer *self)
{
  HordeStudioGalleryItem *item = self->shown;
  g_autofree char *size = g_strdup_printf ("%d × %d", horde_studio_gallery_item_get_width (item),
                                           horde_studio_gallery_item_get_height (item));
  g_autofree char *steps = g_strdup_printf ("%d", horde_studio_gallery_item_get_steps (item));
  g_autofree char *cfg = g_strdup_printf ("%.1f", horde_studio_gallery_item_get_cfg_scale (item));
  g_autofree char *kudos = g_strdup_printf ("%.1f", horde_studio_gallery_item_get_kudos (item));
  g_autofree char *created = NULL;
  g_autofree char *lineage = dup_lineage (self, item);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_list))))
    gtk_list_box_remove (self->details_list, child);

  if (horde_studio_gallery_item_get_created (item) != NULL)
    created = g_date_time_format (horde_studio_gallery_item_get_created (item), "%x %X");

  /* TRANSLATORS: the image an upscaled or retouched image was made from */
  add_detail (self, _("Source"), lineage);
  add_detail (self, _("Prompt"), horde_studio_gallery_item_get_prompt (item));
  add_detail (self, _("Negative prompt"), horde_studio_gallery_item_get_negative_prompt (item));
  add_detail (self, _("Model"), horde_studio_gallery_item_get_model (item));
  add_detail (self, _("Seed"), horde_studio_gallery_item_get_seed (item));
  add_detail (self, _("Size"), size);
  add_detail (self, _("Steps"), steps);
  add_detail (self, _("Sampler"), horde_studio_gallery_item_get_sampler (item));
  add_detail (self, _("Guidance"), cfg);
  add_detail (self, _("Worker"), horde_studio_gallery_item_get_worker_name (item));
  add_detail (self, _("Kudos"), kudos);
  /* TRANSLATORS: the id of the Horde request that made the image */
  add_detail (self, _("Request"), horde_studio_gallery_item_get_job_id (item));
  /* TRANSLATORS: when the image was made: a date and a time follow */
  add_detail (self, _("Made"), created);
}

static void
apply_zoom (HordeStudioImageViewer *self)
{
  /* fitting: the picture gets the viewport, not the unbounded height a
   * scrolled child is offered */
  if (self->texture == NULL || self->zoom <= 0)
    {
      gtk_scrolled_window_set_policy (self->picture_scroller, GTK_POLICY_NEVER, GTK_POLICY_NEVER);
      gtk_picture_set_can_shrink (self->picture, TRUE);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
      return;
    }

  gtk_scrolled_window_set_policy (self->picture_scroller, GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_picture_set_can_shrink (self->picture, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                               (int) (gdk_texture_get_width (self->texture) * self->zoom),
                               (int) (gdk_texture_get_height (self->texture) * self->zoom));
}

/**
 * horde_studio_image_viewer_load_texture:
 * @item: an image of the gallery
 * @error: return location for a #GError
 *
 * Reads and decodes @item's file, as the viewer shows it. WebP is decoded
 * by libhorde, not by a gdk-pixbuf loader that may be missing.
 *
 * Returns: (transfer full) (nullable): the image, or %NULL with @error set
 */
GdkTexture *
horde_studio_image_viewer_load_texture (HordeStudioGalleryItem  *item,
                                        GError                 **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HordeGeneratedImage) image = NULL;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), NULL);

  if (!g_file_get_contents (horde_studio_gallery_item_get_path (item), &contents, &len, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  image = horde_generated_image_new_from_bytes (bytes, NULL, error);
  if (image == NULL || (pixbuf = horde_generated_image_decode (image, error)) == NULL)
    return NULL;
  return gdk_texture_new_for_pixbuf (pixbuf);
}

/* Previous and next follow the gallery as it is listed now, filter and
 * order; an image the filter no longer shows (unmarked under "favourites
 * only") still has neighbours where it would be. */
static void
update_navigation (HordeStudioImageViewer *self)
{
  gboolean viewing = self->shown != NULL && self->gallery != NULL;
  guint position = 0;
  gboolean listed = FALSE;
  guint n = 0;

  if (viewing)
    {
      listed = horde_studio_gallery_find_item (self->gallery, self->shown, &position);
      n = g_list_model_get_n_items (G_LIST_MODEL (self->gallery));
    }
  self->can_go_previous = viewing && position > 0;
  self->can_go_next = viewing && position + (listed ? 1 : 0) < n;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", self->can_go_previous);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", self->can_go_next);
  gtk_widget_set_visible (GTK_WIDGET (self->previous_button), self->can_go_previous);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->can_go_next);
}

static void
show_neighbour (HordeStudioImageViewer *self,
                int                     step)
{
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  guint position = 0;
  gboolean listed;

  if (self->shown == NULL || self->gallery == NULL)
    return;
  listed = horde_studio_gallery_find_item (self->gallery, self->shown, &position);
  if (step < 0 && position > 0)
    item = g_list_model_get_item (G_LIST_MODEL (self->gallery), position - 1);
  else if (step > 0)
    item = g_list_model_get_item (G_LIST_MODEL (self->gallery), position + (listed ? 1 : 0));
  if (item != NULL)
    horde_studio_image_viewer_show_item (self, item);
}

/* A favourite wears a filled star, the others an outline: the pressed
 * look alone is easy to miss. The button's name stays "Favourite" (a
 * screen reader says whether it is pressed); the tooltip says what a
 * click does. */
static void
show_favourite (HordeStudioImageViewer *self)
{
  gboolean favourite = gtk_toggle_button_get_active (self->favourite_toggle);

  gtk_button_set_icon_name (GTK_BUTTON (self->favourite_toggle),
                            favourite ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->favourite_toggle),
                               favourite ? _("Remove from Favourites") : _("Add to Favourites"));
}

static void
toast (HordeStudioImageViewer *self,
       const char             *title)
{
  /* the overlay is the window's: once the viewer has left its window (it
   * is closing), there is nobody to tell */
  if (self->toasts != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    adw_toast_overlay_add_toast (self->toasts, horde_studio_toast_new (title));
}

static void
favourite_toggled (HordeStudioImageViewer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->shown == NULL || self->gallery == NULL)
    return;
  if (!horde_studio_gallery_set_favourite (self->gallery, self->shown,
                                           gtk_toggle_button_get_active (self->favourite_toggle), &error))
    {
      toast (self, error->message);
      /* it stays as it was */
      g_signal_handlers_block_by_func (self->favourite_toggle, favourite_toggled, self);
      gtk_toggle_button_set_active (self->favourite_toggle, horde_studio_gallery_item_get_favourite (self->shown));
      g_signal_handlers_unblock_by_func (self->favourite_toggle, favourite_toggled, self);
    }
  show_favourite (self);
}

/**
 * horde_studio_image_viewer_show_item:
 * @self: a #HordeStudioImageViewer
 * @item: the image to show
 *
 * Shows @item, fitted to the viewer, with its details.
 */
void
horde_studio_image_viewer_show_item (HordeStudioImageViewer *self,
                                     HordeStudioGalleryItem *item)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_IMAGE_VIEWER (self));
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item));

  g_set_object (&self->shown, item);
  g_clear_object (&self->texture);
  self->texture = horde_studio_image_viewer_load_texture (item, &error);
  if (self->texture == NULL)
    g_warning ("Cannot show %s: %s", horde_studio_gallery_item_get_path (item), error->message);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
  self->zoom = 0;
  apply_zoom (self);

  gtk_label_set_text (self->viewer_title, horde_studio_gallery_item_get_prompt (item));
  g_signal_handlers_block_by_func (self->favourite_toggle, favourite_toggled, self);
  gtk_toggle_button_set_active (self->favourite_toggle, horde_studio_gallery_item_get_favourite (item));
  g_signal_handlers_unblock_by_func (self->favourite_toggle, favourite_toggled, self);
  show_favourite (self);
  show_details (self);
  update_navigation (self);
}

/**
 * horde_studio_image_viewer_get_item:
 * @self: a #HordeStudioImageViewer
 *
 * The image shown.
 *
 * Returns: (transfer none) (nullable): the image shown, or %NULL once the
 *   viewer is closed
 */
HordeStudioGalleryItem *
horde_studio_image_viewer_get_item (HordeStudioImageViewer *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_IMAGE_VIEWER (self), NULL);
  return self->shown;
}

/**
 * horde_studio_image_viewer_close:
 * @self: a #HordeStudioImageViewer
 *
 * Lets the image shown go and emits [signal@HordeStudio.ImageViewer::closed],
 * as the back button does.
 */
void
horde_studio_image_viewer_close (HordeStudioImageViewer *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_IMAGE_VIEWER (self));

  g_clear_object (&self->shown);
  g_clear_object (&self->texture);
  gtk_picture_set_paintable (self->picture, NULL);
  update_navigation (self);
  g_signal_emit (self, signals [CLOSED], 0);
}

/**
 * horde_studio_image_viewer_set_gallery:
 * @self: a #HordeStudioImageViewer
 * @gallery: the gallery the images shown are in, as listed
 * @toasts: where to tell the user what happened
 *
 * Sets the gallery that previous, next and the favourite star go through.
 */
void
horde_studio_image_viewer_set_gallery (HordeStudioImageViewer *self,
                                       HordeStudioGallery     *gallery,
                                       AdwToastOverlay        *toasts)
{
  g_return_if_fail (HORDE_STUDIO_IS_IMAGE_VIEWER (self));
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY (gallery));
  g_return_if_fail (self->gallery == NULL);

  self->gallery = g_object_ref (gallery);
  self->toasts = toasts;
  g_signal_connect_object (gallery, "items-changed", G_CALLBACK (update_navigation), self, G_CONNECT_SWAPPED);
  update_navigation (self);
}

/* ---- opening in other applications ------------------------------------ */

/* in @app, or in the user's default application for images */
static void
open_shown (HordeStudioImageViewer *self,
            GAppInfo               *app)
{
  g_autoptr(GFile) file = NULL;

  if (self->shown == NULL)
    return;
  file = g_file_new_for_path (horde_studio_gallery_item_get_path (self->shown));
  horde_studio_launcher_open (GTK_WIDGET (self), file, app, self->toasts);
}

static void
show_shown_in_files (HordeStudioImageViewer *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->shown == NULL)
    return;
  g_ptr_array_add (files, g_file_new_for_path (horde_studio_gallery_item_get_path (self->shown)));
  horde_studio_launcher_show_files (GTK_WIDGET (self), files, self->toasts);
}

static void
app_chosen (GtkDialog              *dialog,
            int                     response,
            HordeStudioImageViewer *self)
{
  g_autoptr(GAppInfo) app = NULL;

  if (response == GTK_RESPONSE_OK &&
      (app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog))) != NULL)
    open_shown (self, app);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* "Open With…": the applications for the image's type (WebP or PNG, as
 * the Horde sent it), to open it in an editor */
static void
open_shown_with (HordeStudioImageViewer *self)
{
  g_autoptr(GFile) file = NULL;
  GtkWidget *dialog;

  if (self->shown == NULL)
    return;
  file = g_file_new_for_path (horde_studio_gallery_item_get_path (self->shown));
  dialog = gtk_app_chooser_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, file);
  gtk_app_chooser_dialog_set_heading (GTK_APP_CHOOSER_DIALOG (dialog), _("Open the image with"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (app_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- dragging the image out --------------------------------------------- */

/* the file, and the pixels for apps that take pixels */
static GdkContentProvider *
picture_drag_prepare (GtkDragSource          *source,
                      double                  x,
                      double                  y,
                      HordeStudioImageViewer *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->shown == NULL)
    return NULL;

  g_ptr_array_add (files, g_file_new_for_path (horde_studio_gallery_item_get_path (self->shown)));
  if (self->texture != NULL)
    gtk_drag_source_set_icon (source, GDK_PAINTABLE (self->texture), 0, 0);
  return horde_studio_launcher_drag_content (files, self->texture);
}

/* ---- reusing the settings ----------------------------------------------- */

/* The request that made @item, with what the image got where the request
 * left it open (a random seed, any model): the settings that make this
 * image again, not another one. */
static HordeImageGenerateAsyncRequest *
dup_request_of_image (HordeStudioGalleryItem  *item,
                      GError                 **error)
{
  g_autoptr(HordeImageGenerateAsyncRequest) stored = horde_studio_gallery_item_dup_request (item, error);
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = NULL;
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  HordeModelGenerationInputStable *stored_params;
  const char *seed = horde_studio_gallery_item_get_seed (item);
  const char *model = horde_studio_gallery_item_get_model (item);

  if (stored == NULL)
    return NULL;

  stored_params = horde_image_generate_async_request_get_params (stored);
  pb = stored_params ? horde_model_generation_input_stable_builder_new_from (stored_params)
                     : horde_model_generation_input_stable_builder_new ();
  if (seed != NULL)
    horde_model_generation_input_stable_builder_set_seed (pb, seed);
  params = horde_model_generation_input_stable_builder_end (pb, error);
  if (params == NULL)
    return NULL;

  rb = horde_image_generate_async_request_builder_new_from (stored);
  horde_image_generate_async_request_builder_set_params (rb, params);
  if (model != NULL)
    {
      const char *models[] = { model, NULL };
      horde_image_generate_async_request_builder_set_models (rb, models);
    }
  return horde_image_generate_async_request_builder_end (rb, error);
}

/* ---- actions and keys --------------------------------------------------- */

/* Left and Right go the way the text goes: in a right-to-left locale the
 * next image is on the left, as the buttons on the image are (their
 * places and arrows follow the direction by themselves), and Alt+Right
 * goes back. */
static gboolean
arrow_pressed (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  HordeStudioImageViewer *self = HORDE_STUDIO_IMAGE_VIEWER (widget);
  int towards = 0;
  gboolean alt = FALSE;

  g_variant_get (args, "(ib)", &towards, &alt);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    towards = -towards;

  if (alt)
    return towards < 0 && gtk_widget_activate_action (widget, "viewer.back", NULL);
  if (towards < 0 && self->can_go_previous)
    return gtk_widget_activate_action (widget, "viewer.previous", NULL);
  if (towards > 0 && self->can_go_next)
    return gtk_widget_activate_action (widget, "viewer.next", NULL);
  return FALSE;
}

static void
viewer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HordeStudioImageViewer *self = HORDE_STUDIO_IMAGE_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.back"))
    horde_studio_image_viewer_close (self);
  else if (g_str_equal (action_name, "viewer.previous"))
    show_neighbour (self, -1);
  else if (g_str_equal (action_name, "viewer.next"))
    show_neighbour (self, 1);
  else if (g_str_equal (action_name, "viewer.zoom-in"))
    {
      if (self->zoom <= 0 && self->texture != NULL)
        self->zoom = MIN ((double) gtk_widget_get_width (GTK_WIDGET (self->picture_scroller)) /
                          gdk_texture_get_width (self->texture), 1.0);
      self->zoom = MIN (self->zoom * ZOOM_STEP, 8.0);
      apply_zoom (self);
    }
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    {
      if (self->zoom > 0)
        self->zoom = MAX (self->zoom / ZOOM_STEP, 0.1);
      apply_zoom (self);
    }
  else if (g_str_equal (action_name, "viewer.zoom-fit"))
    {
      self->zoom = 0;
      apply_zoom (self);
    }
  else if (g_str_equal (action_name, "viewer.copy") && self->texture != NULL)
    {
      gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), self->texture);
      toast (self, _("Image copied"));
    }
  else if (g_str_equal (action_name, "viewer.export") && self->shown != NULL)
    g_signal_emit (self, signals [EXPORT_REQUESTED], 0, self->shown);
  else if (g_str_equal (action_name, "viewer.delete") && self->shown != NULL)
    {
      g_autoptr(HordeStudioGalleryItem) item = g_object_ref (self->shown);

      g_signal_emit (self, signals [DELETE_REQUESTED], 0, item);
    }
  else if (g_str_equal (action_name, "viewer.open"))
    open_shown (self, NULL);
  else if (g_str_equal (action_name, "viewer.open-with"))
    open_shown_with (self);
  else if (g_str_equal (action_name, "viewer.show-in-files"))
    show_shown_in_files (self);
  else if (g_str_equal (action_name, "viewer.reuse") && self->shown != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeImageGenerateAsyncRequest) request = dup_request_of_image (self->shown, &error);

      if (request != NULL)
        g_signal_emit (self, signals [REUSE], 0, request);
      else
        toast (self, error->message);
    }
}

/* ---- the layout, from the width ----------------------------------------- */

static void
apply_layout (HordeStudioImageViewer *self)
{
  GtkWidget *image = gtk_paned_get_start_child (self->viewer_paned);

  if (self->compact != self->want_compact)
    {
      self->compact = self->want_compact;
      gtk_widget_set_visible (self->zoom_box, !self->compact);
      gtk_widget_set_visible (self->actions_box, !self->compact);
      gtk_widget_set_visible (GTK_WIDGET (self->more_button), self->compact);
    }

  if (self->folded != self->want_folded)
    {
      gboolean folded = self->folded = self->want_folded;

      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->viewer_paned),
                                      folded ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
      /* the image keeps a good part of the height; the details scroll,
       * and take the width rather than their 300 px */
      gtk_widget_set_size_request (image, -1, folded ? FOLDED_IMAGE_HEIGHT : -1);
      gtk_widget_set_size_request (self->details_scroller, folded ? -1 : 300, -1);
      gtk_paned_set_shrink_start_child (self->viewer_paned, !folded);
      gtk_paned_set_resize_end_child (self->viewer_paned, folded);
      gtk_paned_set_shrink_end_child (self->viewer_paned, folded);
      gtk_paned_set_position (self->viewer_paned, -1);
    }
}

static gboolean
apply_layout_idle (gpointer user_data)
{
  HordeStudioImageViewer *self = user_data;

  self->layout_source = 0;
  apply_layout (self);
  return G_SOURCE_REMOVE;
}

/* The least width is the narrow layout's, whichever is shown: a viewer
 * laid out wide never holds a window (nor a stack that measures its
 * hidden pages) wider than a phone; given less than the wide layout
 * needs, it turns narrow. */
static void
horde_studio_image_viewer_measure (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline)
{
  HordeStudioImageViewer *self = HORDE_STUDIO_IMAGE_VIEWER (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_min_width = 0;

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (child == NULL || !gtk_widget_get_visible (child))
    return;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
      if (self->compact && self->folded)
        self->compact_minimum = *minimum;
      else
        *minimum = MIN (*minimum, self->compact_minimum);
      return;
    }

  /* laid out at no less than it asks, as allocate does */
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min_width, NULL, NULL, NULL);
  if (for_size >= 0)
    for_size = MAX (for_size, child_min_width);
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
horde_studio_image_viewer_size_allocate (GtkWidget *widget,
                                         int        width,
                                         int        height,
                                         int        baseline)
{
  HordeStudioImageViewer *self = HORDE_STUDIO_IMAGE_VIEWER (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_min_width = 0;
  int back_width = 0;

  if (child == NULL)
    return;

  /* what every action's button takes, measured while they are shown */
  if (!self->compact)
    {
      int zoom = 0, actions = 0, star = 0;

      gtk_widget_measure (self->zoom_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &zoom, NULL, NULL);
      gtk_widget_measure (self->actions_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &actions, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (self->favourite_toggle), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &star, NULL, NULL);
      self->actions_width = zoom + actions + star;
    }
  gtk_widget_measure (self->back_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &back_width, NULL, NULL);

  /* margins 2 × 12, and the spacing between the header's 5 children shown */
  self->want_compact = width < 2 * 12 + 4 * 6 + back_width + TITLE_WIDTH + self->actions_width;
  self->want_folded = width < FOLD_WIDTH;
  if ((self->want_compact != self->compact || self->want_folded != self->folded) && self->layout_source == 0)
    self->layout_source = g_idle_add (apply_layout_idle, self);

  /* until the layout follows, what does not fit is cut off */
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min_width, NULL, NULL, NULL);
  gtk_widget_allocate (child, MAX (width, child_min_width), height, baseline, NULL);
}

static void
horde_studio_image_viewer_dispose (GObject *object)
{
  HordeStudioImageViewer *self = (HordeStudioImageViewer *)object;

  g_clear_handle_id (&self->layout_source, g_source_remove);
  horde_studio_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_IMAGE_VIEWER);
  g_clear_object (&self->shown);
  g_clear_object (&self->texture);
  g_clear_object (&self->gallery);

  G_OBJECT_CLASS (horde_studio_image_viewer_parent_class)->dispose (object);
}

static void
horde_studio_image_viewer_class_init (HordeStudioImageViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *actions[] = { "viewer.back", "viewer.zoom-in", "viewer.zoom-out", "viewer.zoom-fit",
                            "viewer.copy", "viewer.export", "viewer.delete", "viewer.reuse",
                            "viewer.previous", "viewer.next", "viewer.open", "viewer.open-with",
                            "viewer.show-in-files" };

  object_class->dispose = horde_studio_image_viewer_dispose;
  widget_class->measure = horde_studio_image_viewer_measure;
  widget_class->size_allocate = horde_studio_image_viewer_size_allocate;

  /**
   * HordeStudioImageViewer::closed:
   * @self: the viewer
   *
   * The user went back (the back button, Escape, Alt+Left), or
   * [method@HordeStudio.ImageViewer.close] was called: no image is shown.
   */
  signals [CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * HordeStudioImageViewer::reuse:
   * @self: the viewer
   * @request: the request that makes the image shown again
   *
   * The user asked to use the settings of the image shown.
   */
  signals [REUSE] =
    g_signal_new ("reuse", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);
  /**
   * HordeStudioImageViewer::delete-requested:
   * @self: the viewer
   * @item: the image shown
   *
   * The user asked to delete the image shown (the button, or Delete).
   */
  signals [DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_STUDIO_TYPE_GALLERY_ITEM);
  /**
   * HordeStudioImageViewer::export-requested:
   * @self: the viewer
   * @item: the image shown
   *
   * The user asked to export the image shown.
   */
  signals [EXPORT_REQUESTED] =
    g_signal_new ("export-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_STUDIO_TYPE_GALLERY_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-image-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, back_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, viewer_title);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, favourite_toggle);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, actions_box);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, copy_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, open_menu_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, reuse_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, more_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, viewer_paned);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, picture_scroller);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, previous_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, next_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, details_scroller);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioImageViewer, details_list);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, viewer_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.back", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, GDK_ALT_MASK, arrow_pressed, "(ib)", -1, TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, GDK_ALT_MASK, arrow_pressed, "(ib)", 1, TRUE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "viewer.delete", NULL);
  /* as in Image Viewer */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, arrow_pressed, "(ib)", -1, FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, arrow_pressed, "(ib)", 1, FALSE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy", NULL);
}

static void
horde_studio_image_viewer_init (HordeStudioImageViewer *self)
{
  GtkDragSource *source;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* what does not fit until the layout follows the width */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect_object (source, "prepare", G_CALLBACK (picture_drag_prepare), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->picture), GTK_EVENT_CONTROLLER (source));
  g_signal_connect_swapped (self->favourite_toggle, "toggled", G_CALLBACK (favourite_toggled), self);
  update_navigation (self);
}

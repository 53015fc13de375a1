/* horde-studio-style-chooser.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "horde-studio-style-chooser.h"
#include "horde-studio-user-styles.h"
#include "horde-studio-util.h"

/* the Horde answers 25 styles a page; it has a few hundred */
#define STYLES_PER_PAGE 25
#define MAX_PAGES 40
/* the most of a style's words that a row shows */
#define MAX_NAME 100
#define MAX_INFO 400
/* an example image larger than this is not one */
#define MAX_EXAMPLE_SIZE (8 * 1024 * 1024)
#define EXAMPLE_SIZE 64

/* HordeStudioStyleChooser: the user's own styles and the Horde's, to
 * search and apply. The Horde's are asked for when the chooser opens (and
 * only then), a page at a time, and searched here: the server searches by
 * tag and model only. What a style says comes from the server: it is shown
 * as text, cut to a length. A style's example image is a URL on another
 * host: it is downloaded only when the user asks to see it, without the
 * API key, at most MAX_EXAMPLE_SIZE of it, and decoded by libhorde. */
struct _HordeStudioStyleChooser
{
  AdwWindow parent_instance;

  GtkSearchEntry *search_entry;
  AdwPreferencesGroup *yours_group;
  GtkListBox *yours_list;
  GtkListBox *horde_list;
  GtkSpinner *spinner;
  GtkLabel *status_label;

  HordeClient *client;
  HordeStudioUserStyles *user_styles;
  GCancellable *cancellable;
  SoupSession *session;             /* for the examples, made on demand */
  char *query;                      /* casefolded */
  guint n_horde_styles;
};

G_DEFINE_FINAL_TYPE (HordeStudioStyleChooser, horde_studio_style_chooser, ADW_TYPE_WINDOW)

enum {
  STYLE_CHOSEN,
  USER_STYLE_CHOSEN,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void fetch_page (HordeStudioStyleChooser *self,
                        guint                    page);

/**
 * horde_studio_style_chooser_new:
 * @client: the client to ask the Horde's styles with
 *
 * Returns: (transfer full): a chooser; the Horde's styles are asked for
 *   when it is shown
 */
HordeStudioStyleChooser *
horde_studio_style_chooser_new (HordeClient *client)
{
  HordeStudioStyleChooser *self = g_object_new (HORDE_STUDIO_TYPE_STYLE_CHOOSER, NULL);

  self->client = client ? g_object_ref (client) : NULL;
  return self;
}

/* @text cut to @max characters, "…" said where it was cut */
static char *
bounded (const char *text,
         glong       max)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);

  g_strdelimit (valid, "\r\t", ' ');
  if (g_utf8_strlen (valid, -1) <= max)
    return g_steal_pointer (&valid);
  {
    g_autofree char *start = g_utf8_substring (valid, 0, max);
    return g_strconcat (start, "…", NULL);
  }
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  HordeStudioStyleChooser *self = user_data;
  const char *text = g_object_get_data (G_OBJECT (row), "search-text");
  g_auto(GStrv) words = NULL;

  if (self->query == NULL || *self->query == '\0' || text == NULL)
    return TRUE;
  words = g_strsplit_set (self->query, " \t", -1);
  for (guint i = 0; words[i]; i++)
    if (*words[i] != '\0' && strstr (text, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
search_changed (HordeStudioStyleChooser *self)
{
  g_free (self->query);
  self->query = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  gtk_list_box_invalidate_filter (self->yours_list);
  gtk_list_box_invalidate_filter (self->horde_list);
}

static void
set_search_text (GtkWidget  *row,
                 const char *text)
{
  g_object_set_data_full (G_OBJECT (row), "search-text", g_utf8_casefold (text, -1), g_free);
}

/* ---- the user's own ---------------------------------------------------- */

static void
user_style_applied (GtkButton               *button,
                    HordeStudioStyleChooser *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "name");

  for (guint i = 0; i < horde_studio_user_styles_get_n_styles (self->user_styles); i++)
    if (g_str_equal (horde_studio_user_styles_get_name (self->user_styles, i), name))
      {
        g_signal_emit (self, signals [USER_STYLE_CHOSEN], 0, name,
                       horde_studio_user_styles_get_request (self->user_styles, i));
        gtk_window_close (GTK_WINDOW (self));
        return;
      }
}

static void
user_style_deleted (GtkButton               *button,
                    HordeStudioStyleChooser *self)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (button), "name"));
  g_autoptr(GError) error = NULL;

  if (!horde_studio_user_styles_remove (self->user_styles, name, &error))
    g_warning ("Could not save the styles: %s", error->message);
}

static GtkWidget *
flat_button (const char *label,
             const char *icon_name,
             const char *tooltip)
{
  GtkWidget *button = label ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (button, tooltip);
  if (label == NULL)
    gtk_widget_add_css_class (button, "flat");
  return button;
}

static char *
describe_request (HordeImageGenerateAsyncRequest *request)
{
  HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (request);
  const char * const *models = horde_image_generate_async_request_get_models (request);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (models && models[0] ? models[0] : _("Any model")));
  if (params != NULL && horde_model_generation_input_stable_has_width (params) && horde_model_generation_input_stable_has_height (params))
    g_ptr_array_add (parts, g_strdup_printf ("%d × %d", (int) horde_model_generation_input_stable_get_width (params),
                                             (int) horde_model_generation_input_stable_get_height (params)));
  if (params != NULL && horde_model_generation_input_stable_has_steps (params))
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d step", "%d steps", (gulong) horde_model_generation_input_stable_get_steps (params)),
                                             (int) horde_model_generation_input_stable_get_steps (params)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
show_user_styles (HordeStudioStyleChooser *self)
{
  GtkWidget *row;
  guint n = horde_studio_user_styles_get_n_styles (self->user_styles);

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->yours_list))))
    gtk_list_box_remove (self->yours_list, row);

  for (guint i = 0; i < n; i++)
    {
      const char *name = horde_studio_user_styles_get_name (self->user_styles, i);
      g_autofree char *summary = describe_request (horde_studio_user_styles_get_request (self->user_styles, i));
      GtkWidget *apply = flat_button (_("_Apply"), NULL, NULL);
      GtkWidget *delete = flat_button (NULL, "user-trash-symbolic", _("Delete this style"));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
      g_object_set_data_full (G_OBJECT (apply), "name", g_strdup (name), g_free);
      g_object_set_data_full (G_OBJECT (delete), "name", g_strdup (name), g_free);
      gtk_widget_set_name (apply, "apply");
      gtk_widget_set_name (delete, "delete");
      g_signal_connect (apply, "clicked", G_CALLBACK (user_style_applied), self);
      g_signal_connect (delete, "clicked", G_CALLBACK (user_style_deleted), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), apply);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), delete);
      set_search_text (row, name);
      gtk_list_box_append (self->yours_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->yours_group), n > 0);
}

/* ---- example images, on demand -------------------------------------- */

typedef struct {
  HordeStudioStyleChooser *self;    /* alive while not cancelled */
  GtkWidget *button;
  GtkPicture *picture;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *data;
} ExampleFetch;

static void
example_fetch_free (ExampleFetch *fetch)
{
  g_clear_object (&fetch->button);
  g_clear_object (&fetch->picture);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->data, g_byte_array_unref);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExampleFetch, example_fetch_free)

static void
example_failed (ExampleFetch *fetch,
                const char   *why)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: %s is why */
  text = g_strdup_printf (_("Could not get the example: %s"), why);
  gtk_widget_set_tooltip_text (fetch->button, text);
  gtk_widget_set_sensitive (fetch->button, TRUE);
}

static void
example_shown (ExampleFetch *fetch)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->data));
  g_autoptr(HordeGeneratedImage) image = NULL;
  GdkPixbuf *pixbuf = NULL;           /* the image's */
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  if (image != NULL)
    pixbuf = horde_generated_image_decode (image, &error);
  if (pixbuf == NULL)
    {
      example_failed (fetch, error->message);
      return;
    }
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (fetch->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (fetch->picture), TRUE);
  gtk_widget_set_visible (fetch->button, FALSE);
}

static void example_read (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_more (ExampleFetch *fetch)
{
  g_input_stream_read_bytes_async (fetch->stream, 65536, G_PRIORITY_DEFAULT, fetch->self->cancellable,
                                   example_read, fetch);
}

static void
example_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ExampleFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (chunk == NULL)
    {
      example_failed (fetch, error->message);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      example_shown (fetch);
      return;
    }
  if (fetch->data->len + g_bytes_get_size (chunk) > MAX_EXAMPLE_SIZE)
    {
      example_failed (fetch, _("it is too large"));
      return;
    }
  g_byte_array_append (fetch->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (g_steal_pointer (&fetch));
}

static void
example_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ExampleFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (fetch->stream == NULL)
    {
      example_failed (fetch, error->message);
      return;
    }
  if (soup_message_get_status (fetch->message) != SOUP_STATUS_OK)
    {
      g_autofree char *status = g_strdup_printf ("HTTP %u", soup_message_get_status (fetch->message));
      example_failed (fetch, status);
      return;
    }
  fetch->data = g_byte_array_new ();
  read_more (g_steal_pointer (&fetch));
}

static void
show_example (GtkButton               *button,
              HordeStudioStyleChooser *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  ExampleFetch *fetch;
  SoupMessage *message;

  if (self->cancellable == NULL || (message = soup_message_new ("GET", url)) == NULL)
    return;
  if (self->session == NULL)
    {
      self->session = soup_session_new ();
      soup_session_set_user_agent (self->session, "HordeStudio/" PACKAGE_VERSION);
      soup_session_set_timeout (self->session, 30);
    }

  fetch = g_new0 (ExampleFetch, 1);
  fetch->self = self;
  fetch->button = g_object_ref (GTK_WIDGET (button));
  fetch->picture = g_object_ref (g_object_get_data (G_OBJECT (button), "picture"));
  fetch->message = message;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, self->cancellable, example_sent, fetch);
}

/* the primary example's URL, or the first one's; only http(s) */
static const char *
example_url (HordeStyleStable *style)
{
  gsize n = 0;
  HordeStyleExample * const *examples = horde_style_stable_get_examples (style, &n);
  const char *url = NULL;

  for (gsize i = 0; i < n; i++)
    {
      const char *candidate = horde_style_example_get_url (examples[i]);

      if (candidate == NULL || (!g_str_has_prefix (candidate, "https://") && !g_str_has_prefix (candidate, "http://")) ||
          !g_uri_is_valid (candidate, G_URI_FLAGS_NONE, NULL))
        continue;
      if (url == NULL || horde_style_example_get_primary (examples[i]))
        url = candidate;
    }
  return url;
}

/* ---- the Horde's ------------------------------------------------------- */

static void
horde_style_applied (GtkButton               *button,
                     HordeStudioStyleChooser *self)
{
  HordeStyleStable *style = g_object_get_data (G_OBJECT (button), "style");

  g_signal_emit (self, signals [STYLE_CHOSEN], 0, style);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_horde_style (HordeStudioStyleChooser *self,
                 HordeStyleStable        *style)
{
  const char *id = horde_style_stable_get_id (style);
  const char * const *models = horde_style_stable_get_models (style);
  const char * const *tags = horde_style_stable_get_tags (style);
  g_autofree char *name = bounded (horde_style_stable_get_name (style), MAX_NAME);
  g_autofree char *info = bounded (horde_style_stable_get_info (style), MAX_INFO);
  g_autofree char *model_list = NULL;
  g_autofree char *tag_list = NULL;
  g_autofree char *models_line = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *search = NULL;
  GtkWidget *row;
  GtkWidget *apply;

  if (id == NULL || *id == '\0')
    return;

  {
    g_autofree char *joined = models && models[0] ? g_strjoinv (", ", (char **) models) : NULL;
    model_list = joined ? bounded (joined, MAX_INFO) : g_strdup (_("any model"));
  }
  {
    g_autofree char *joined = tags ? g_strjoinv (" ", (char **) tags) : g_strdup ("");
    tag_list = bounded (joined, MAX_INFO);
  }
  /* TRANSLATORS: the models a style uses, "Models: Deliberate, stable_diffusion" */
  models_line = g_strdup_printf (_("Models: %s"), model_list);
  subtitle = *info ? g_strconcat (info, "\n", models_line, NULL) : g_strdup (models_line);
  search = g_strjoin ("\n", name, info, model_list, tag_list, NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  apply = flat_button (_("_Apply"), NULL, NULL);
  gtk_widget_set_name (apply, "apply");
  g_object_set_data_full (G_OBJECT (apply), "style", horde_style_stable_ref (style),
                          (GDestroyNotify) horde_style_stable_unref);
  g_signal_connect (apply, "clicked", G_CALLBACK (horde_style_applied), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), apply);
  if (example_url (style) != NULL)
    {
      GtkWidget *picture = gtk_picture_new ();
      GtkWidget *example = flat_button (NULL, "image-x-generic-symbolic", _("Show an example image"));

      gtk_widget_set_size_request (picture, EXAMPLE_SIZE, EXAMPLE_SIZE);
      gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
      gtk_widget_set_visible (picture, FALSE);
      gtk_widget_set_name (picture, "example");
      gtk_widget_set_name (example, "show-example");
      gtk_accessible_update_property (GTK_ACCESSIBLE (example), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Show an Example Image"), -1);
      g_object_set_data_full (G_OBJECT (example), "url", g_strdup (example_url (style)), g_free);
      g_object_set_data (G_OBJECT (example), "picture", picture);
      g_signal_connect (example, "clicked", G_CALLBACK (show_example), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), example);
    }
  set_search_text (row, search);
  g_object_set_data_full (G_OBJECT (row), "style-name", g_strdup (horde_style_stable_get_name (style)), g_free);
  gtk_list_box_append (self->horde_list, row);
  self->n_horde_styles++;
}

static void
set_status (HordeStudioStyleChooser *self,
            const char              *text)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
page_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HordeStudioStyleChooser *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStyleStableList) list = NULL;
  gsize n = 0;
  guint page;

  list = horde_client_send_all_styles_image_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* the chooser is alive: its cancellable would have said otherwise */
  page = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "page"));
  if (list == NULL)
    {
      gtk_spinner_stop (self->spinner);
      if (self->n_horde_styles == 0)
        {
          g_autofree char *text = NULL;

          /* TRANSLATORS: %s is why, from libhorde */
          text = g_strdup_printf (_("Could not get the Horde’s styles: %s"), error->message);
          set_status (self, text);
        }
      return;
    }

  {
    HordeStyleStable * const *items = horde_style_stable_list_get_items (list, &n);

    for (gsize i = 0; i < n; i++)
      add_horde_style (self, items[i]);
  }

  if (n >= STYLES_PER_PAGE && page < MAX_PAGES)
    {
      fetch_page (self, page + 1);
      return;
    }

  gtk_spinner_stop (self->spinner);
  if (self->n_horde_styles == 0)
    set_status (self, _("The Horde has no styles to offer."));
}

static void
fetch_page (HordeStudioStyleChooser *self,
            guint                    page)
{
  g_autoptr(HordeAllStylesImageRequestBuilder) builder = horde_all_styles_image_request_builder_new ();
  g_autoptr(HordeAllStylesImageRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  horde_all_styles_image_request_builder_set_sort (builder, "popular");
  horde_all_styles_image_request_builder_set_page (builder, page);
  request = horde_all_styles_image_request_builder_end (builder, &error);
  if (request == NULL)
    {
      /* a request the app builds: the SDK refusing it is the app's bug */
      g_critical ("Could not ask for styles: %s", error->message);
      return;
    }
  g_object_set_data (G_OBJECT (self), "page", GUINT_TO_POINTER (page));
  horde_client_send_all_styles_image_request_async (self->client, request, self->cancellable, page_fetched, self);
}

static void
chooser_show (GtkWidget *widget)
{
  HordeStudioStyleChooser *self = HORDE_STUDIO_STYLE_CHOOSER (widget);

  GTK_WIDGET_CLASS (horde_studio_style_chooser_parent_class)->show (widget);

  /* asked for now that the user opened the chooser, and once */
  if (self->client != NULL && self->cancellable == NULL)
    {
      self->cancellable = g_cancellable_new ();
      gtk_spinner_start (self->spinner);
      fetch_page (self, 1);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
horde_studio_style_chooser_dispose (GObject *object)
{
  HordeStudioStyleChooser *self = (HordeStudioStyleChooser *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->user_styles != NULL)
    g_signal_handlers_disconnect_by_data (self->user_styles, self);
  g_clear_object (&self->user_styles);
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_STYLE_CHOOSER);

  G_OBJECT_CLASS (horde_studio_style_chooser_parent_class)->dispose (object);
}

static void
horde_studio_style_chooser_finalize (GObject *object)
{
  HordeStudioStyleChooser *self = (HordeStudioStyleChooser *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (horde_studio_style_chooser_parent_class)->finalize (object);
}

static void
horde_studio_style_chooser_class_init (HordeStudioStyleChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_style_chooser_dispose;
  object_class->finalize = horde_studio_style_chooser_finalize;
  widget_class->show = chooser_show;

  /**
   * HordeStudioStyleChooser::style-chosen:
   * @self: the chooser
   * @style: the Horde's style to apply
   *
   * Emitted when the user applies one of the Horde's styles.
   */
  signals [STYLE_CHOSEN] =
    g_signal_new ("style-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_STYLE_STABLE);

  /**
   * HordeStudioStyleChooser::user-style-chosen:
   * @self: the chooser
   * @name: the style's name
   * @request: its settings
   *
   * Emitted when the user applies one of their own styles.
   */
  signals [USER_STYLE_CHOSEN] =
    g_signal_new ("user-style-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-style-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, yours_group);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, yours_list);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, horde_list);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, spinner);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioStyleChooser, status_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
horde_studio_style_chooser_init (HordeStudioStyleChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_filter_func (self->yours_list, filter_row, self, NULL);
  gtk_list_box_set_filter_func (self->horde_list, filter_row, self, NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed), self);

  self->user_styles = horde_studio_user_styles_get_default ();
  g_signal_connect_swapped (self->user_styles, "changed", G_CALLBACK (show_user_styles), self);
  show_user_styles (self);
}

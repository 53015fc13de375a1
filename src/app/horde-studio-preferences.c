/* horde-studio-preferences.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-messages.h"
#include "horde-studio-preferences.h"
#include "horde-studio-secret.h"
#include "horde-studio-util.h"

/* Preferences: the server, the API key (checked with the server, then kept
 * in the keyring), how many requests run at once, the defaults of new
 * requests, and where the gallery lives. */
struct _HordeStudioPreferences
{
  AdwPreferencesWindow parent_instance;

  HordeStudioApplication *app;
  AdwEntryRow *server_row;
  AdwPasswordEntryRow *key_row;
  AdwActionRow *gallery_row;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (HordeStudioPreferences, horde_studio_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (HordeStudioPreferences *self,
       const char             *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), horde_studio_toast_new (text));
}

static void
server_applied (HordeStudioPreferences *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  g_autoptr(GUri) uri = NULL;

  if (*text != '\0')
    {
      uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
          toast (self, _("The server address must be an http or https URL, such as https://aihorde.net/api"));
          return;
        }
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
  horde_studio_application_set_server (self->app, text);
  toast (self, *text ? _("Server changed") : _("Back to the public AI Horde"));
}

/* The answers of the server and of the keyring do not keep the window
 * alive: it may be closed first, and outlive the window it is transient
 * for. A closed window cancels the check of a key; not the keyring's work. */
static GWeakRef *
weak_window_new (HordeStudioPreferences *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

/* Frees @weak; returns the window, or NULL when it is gone */
static HordeStudioPreferences *
weak_window_free (GWeakRef *weak)
{
  HordeStudioPreferences *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return self;
}

typedef struct {
  GWeakRef self;
  char *key;
} KeyCheck;

static void
key_check_free (KeyCheck *check)
{
  g_weak_ref_clear (&check->self);
  g_free (check->key);
  g_free (check);
}

static void
key_stored (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HordeStudioPreferences) self = weak_window_free (user_data);
  g_autoptr(GError) error = NULL;

  if (!horde_studio_secret_store_finish (result, &error) && self != NULL)
    toast (self, _("The key works, but the keyring could not keep it: it is used until Horde Studio quits."));
}

static void
key_forgotten (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioPreferences) self = weak_window_free (user_data);
  g_autoptr(GError) error = NULL;

  if (!horde_studio_secret_store_finish (result, &error) && self != NULL)
    toast (self, _("The keyring could not forget the key: it comes back at the next start."));
}

static void
key_checked (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KeyCheck *check = user_data;
  g_autoptr(HordeStudioPreferences) self = g_weak_ref_get (&check->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeUserDetails) user = horde_client_send_find_user_request_finish (HORDE_CLIENT (object), result, &error);
  g_autofree char *text = NULL;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* closed before the server answered: nothing changes */
    }
  else if (user == NULL)
    {
      text = g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND)
             ? g_strdup (_("The Horde does not know this API key."))
             : horde_studio_describe_error_for (error, TRUE, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->key_row), "error");
      toast (self, text);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->key_row), "error");
      horde_client_set_api_key (horde_studio_application_get_client (self->app), check->key);
      /* the check's answer is the account: one find_user, not two */
      horde_studio_application_show_account (self->app, user);
      /* kept even if the window closes first: the user is told it is */
      horde_studio_secret_store_async (check->key, NULL, key_stored, weak_window_new (self));
      g_autofree char *name = horde_studio_server_text (horde_user_details_get_username (user));

      text = g_strdup_printf (_("Signed in as %s"), name ? name : "?");
      toast (self, text);
    }
  key_check_free (check);
}

/* A key is kept only once the server knows it */
static void
key_applied (HordeStudioPreferences *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  HordeClient *client = horde_studio_application_get_client (self->app);
  g_autoptr(HordeFindUserRequestBuilder) builder = horde_find_user_request_builder_new ();
  g_autoptr(HordeFindUserRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  KeyCheck *check;

  if (*key == '\0')
    {
      horde_client_set_api_key (client, NULL);
      horde_studio_application_refresh_account (self->app);
      horde_studio_secret_store_async (NULL, NULL, key_forgotten, weak_window_new (self));
      toast (self, _("The API key is forgotten: generating anonymously"));
      return;
    }

  horde_find_user_request_builder_set_apikey (builder, key);
  request = horde_find_user_request_builder_end (builder, &error);
  if (request == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->key_row), "error");
      toast (self, _("An API key has 10, 22 or 36 letters, digits, “-” or “_”."));
      return;
    }

  check = g_new0 (KeyCheck, 1);
  g_weak_ref_init (&check->self, self);
  check->key = g_strdup (key);
  horde_client_send_find_user_request_async (client, request, self->cancellable, key_checked, check);
}

static void
folder_chosen (GtkNativeDialog        *dialog,
               int                     response,
               HordeStudioPreferences *self)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      g_autofree char *path = g_file_get_path (folder);

      if (path != NULL)
        {
          g_settings_set_string (horde_studio_application_get_settings (self->app), "gallery-location", path);
          adw_action_row_set_subtitle (self->gallery_row, path);
          toast (self, _("The gallery moves there at the next start"));
        }
    }
  g_object_unref (dialog);
}

static void
choose_folder (HordeStudioPreferences *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Gallery Folder"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                              _("_Select"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (folder_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
spin_row (GSettings  *settings,
          const char *key,
          const char *title,
          double      lower,
          double      upper,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  g_settings_bind (settings, key, gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  return row;
}

static GtkWidget *
switch_row (GSettings  *settings,
            const char *key,
            const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  return row;
}

GtkWidget *
horde_studio_preferences_new (HordeStudioApplication *app)
{
  HordeStudioPreferences *self = g_object_new (HORDE_STUDIO_TYPE_PREFERENCES, NULL);
  GSettings *settings = horde_studio_application_get_settings (app);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group, *button;
  g_autofree char *server = g_settings_get_string (settings, "server-url");
  g_autofree char *location = g_settings_get_string (settings, "gallery-location");

  self->app = g_object_ref (app);

  /* the server and the account */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("AI Horde"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Leave the server empty for the public AI Horde. The API key is kept in your keyring; without one, you generate anonymously."));
  self->server_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_row), _("Server address"));
  adw_entry_row_set_show_apply_button (self->server_row, TRUE);
  /* the address this session uses: the one given with --server, if any */
  if (horde_studio_application_get_server_override (app) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), horde_studio_application_get_server_override (app));
  else
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  g_signal_connect_swapped (self->server_row, "apply", G_CALLBACK (server_applied), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->server_row));

  self->key_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("API key"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->key_row), TRUE);
  if (g_strcmp0 (horde_client_get_api_key (horde_studio_application_get_client (app)), HORDE_ANONYMOUS_API_KEY) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->key_row), horde_client_get_api_key (horde_studio_application_get_client (app)));
  g_signal_connect_swapped (self->key_row, "apply", G_CALLBACK (key_applied), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->key_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* requests */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Requests"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "concurrency", _("Requests running at once"), 1, 20, 1, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (settings, "nsfw", _("Allow NSFW images by default")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (settings, "censor-nsfw", _("Censor unexpected NSFW images by default")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (settings, "civitai-lookup", _("Look up LoRAs on CivitAI")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (settings, "model-reference-lookup", _("Download the Horde’s model reference")));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* defaults of new requests */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("New Requests"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "default-width", _("Width"), 64, 3072, 64, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "default-height", _("Height"), 64, 3072, 64, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "default-steps", _("Steps"), 1, 500, 1, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "default-cfg-scale", _("Guidance"), 0, 100, 0.5, 1));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (settings, "default-n", _("Images"), 1, 20, 1, 0));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* the gallery */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Gallery"));
  self->gallery_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->gallery_row), _("Location"));
  adw_action_row_set_subtitle (self->gallery_row,
                               *location ? location
                                         : horde_studio_gallery_get_directory (horde_studio_application_get_gallery (app)));
  button = gtk_button_new_with_mnemonic (_("_Change…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (choose_folder), self);
  adw_action_row_add_suffix (self->gallery_row, button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->gallery_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  return GTK_WIDGET (self);
}

static void
horde_studio_preferences_dispose (GObject *object)
{
  HordeStudioPreferences *self = (HordeStudioPreferences *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (horde_studio_preferences_parent_class)->dispose (object);
}

static void
horde_studio_preferences_class_init (HordeStudioPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = horde_studio_preferences_dispose;
}

static void
horde_studio_preferences_init (HordeStudioPreferences *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
}

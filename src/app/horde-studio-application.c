/* horde-studio-application.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "horde-studio-application.h"
#include "horde-studio-preferences.h"
#include "horde-studio-secret.h"
#include "horde-studio-util.h"
#include "horde-studio-window.h"

#define CANCEL_GRACE_S 5

struct _HordeStudioApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  HordeClient *client;
  HordeStudioGallery *gallery;
  HordeStudioJobs *jobs;
  HordeStudioConnection *connection;
  HordeModelReference *model_reference; /* the image models' reference */
  char *server_override;          /* --server */
  GError *gallery_error;
  gboolean recovery_offered;
  gboolean quitting;
};

G_DEFINE_FINAL_TYPE (HordeStudioApplication, horde_studio_application, ADW_TYPE_APPLICATION)

enum {
  MODEL_REFERENCE_LOADED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

HordeStudioApplication *
horde_studio_application_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/hordestudio/HordeStudio",
                       NULL);
}

GSettings *
horde_studio_application_get_settings (HordeStudioApplication *self)
{
  return self->settings;
}

HordeClient *
horde_studio_application_get_client (HordeStudioApplication *self)
{
  return self->client;
}

HordeStudioGallery *
horde_studio_application_get_gallery (HordeStudioApplication *self)
{
  return self->gallery;
}

HordeStudioJobs *
horde_studio_application_get_jobs (HordeStudioApplication *self)
{
  return self->jobs;
}

/* What the app knows of whether the server can be reached */
HordeStudioConnection *
horde_studio_application_get_connection (HordeStudioApplication *self)
{
  return self->connection;
}

static HordeStudioWindow *
main_window (HordeStudioApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (HORDE_STUDIO_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* --server, then the preference, then $AI_HORDE_URL, then aihorde.net */
void
horde_studio_application_apply_server (HordeStudioApplication *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "server-url");

  HordeStudioWindow *window;

  if (self->server_override != NULL)
    horde_client_set_base_url (self->client, self->server_override);
  else
    horde_client_set_base_url (self->client, *saved ? saved : NULL);

  /* another server: other models, another account */
  if ((window = main_window (self)) != NULL)
    horde_studio_compose_refresh (horde_studio_window_get_compose (window));
}

/**
 * horde_studio_application_get_server_override:
 * @self: a #HordeStudioApplication
 *
 * The server address given with `--server`, which this session uses
 * instead of the one in the settings.
 *
 * Returns: (nullable): the address, or %NULL when none was given (or the
 *   user chose another one in Preferences since)
 */
const char *
horde_studio_application_get_server_override (HordeStudioApplication *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_APPLICATION (self), NULL);
  return self->server_override;
}

/**
 * horde_studio_application_set_server:
 * @self: a #HordeStudioApplication
 * @url: the server address the user chose, or "" for the public AI Horde
 *
 * Keeps @url in the settings and uses it from now on: the user's choice
 * wins over the address given with `--server`.
 */
void
horde_studio_application_set_server (HordeStudioApplication *self,
                                     const char             *url)
{
  g_return_if_fail (HORDE_STUDIO_IS_APPLICATION (self));
  g_return_if_fail (url != NULL);

  g_clear_pointer (&self->server_override, g_free);
  g_settings_set_string (self->settings, "server-url", url);
  horde_studio_application_apply_server (self);
}

/* The account line follows the key and the kudos spent */
void
horde_studio_application_refresh_account (HordeStudioApplication *self)
{
  HordeStudioWindow *window = main_window (self);

  if (window != NULL)
    horde_studio_compose_refresh_account (horde_studio_window_get_compose (window));
}

/* A key just checked: the answer of the check is the account, no need to
 * ask the server again */
void
horde_studio_application_show_account (HordeStudioApplication *self,
                                       HordeUserDetails       *user)
{
  HordeStudioWindow *window = main_window (self);

  if (window != NULL)
    horde_studio_compose_show_account (horde_studio_window_get_compose (window), user);
}

static void
key_found (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeStudioApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = horde_studio_secret_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("No keyring to read the API key from: %s", error->message);
  if (key == NULL)
    return;

  horde_client_set_api_key (self->client, key);
  horde_studio_application_refresh_account (self);
}

static void
job_ended (HordeStudioApplication *self,
           HordeStudioJob         *job)
{
  HordeStudioWindow *window = main_window (self);
  HordeImageJob *image_job = horde_studio_job_get_image_job (job);
  g_autoptr(GNotification) notification = NULL;
  guint n = g_list_model_get_n_items (horde_studio_job_get_images (job));
  const char *prompt = horde_studio_job_get_prompt (job);

  /* what the job cost reaches the account some time later */
  if (window != NULL)
    horde_studio_compose_follow_kudos (horde_studio_window_get_compose (window));

  /* a notification only when nobody is looking */
  if (window == NULL || gtk_window_is_active (GTK_WINDOW (window)) ||
      horde_image_job_get_state (image_job) == HORDE_JOB_STATE_CANCELLED)
    return;

  if (horde_image_job_get_state (image_job) == HORDE_JOB_STATE_DONE)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image is ready", "%u images are ready", n), n);

      notification = g_notification_new (title);
    }
  else
    notification = g_notification_new (_("A request failed"));
  if (prompt != NULL)
    g_notification_set_body (notification, prompt);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (G_APPLICATION (self), "job-ended", notification);
}

/**
 * horde_studio_application_get_model_reference:
 * @self: a #HordeStudioApplication
 *
 * The Horde's image model reference, loaded once at start (in the
 * background: until #HordeStudioApplication::model-reference-loaded it
 * knows no model, nor after a failure).
 *
 * Returns: (transfer none) (nullable): the reference, %NULL before startup
 */
HordeModelReference *
horde_studio_application_get_model_reference (HordeStudioApplication *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_APPLICATION (self), NULL);

  return self->model_reference;
}

static void
model_reference_loaded (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(HordeStudioApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* quiet: without the reference the app guesses the family from the
   * model's name, as it always did */
  if (!horde_model_reference_load_finish (HORDE_MODEL_REFERENCE (object), result, &error))
    {
      g_debug ("No image model reference: %s", error->message);
      return;
    }
  g_signal_emit (self, signals [MODEL_REFERENCE_LOADED], 0);
}

/* The image model reference: what libhorde keeps in the user's cache
 * (a day), refreshed from $HORDE_IMAGE_MODEL_REFERENCE_URL or the Horde's
 * own file (on GitHub) while the "model-reference-lookup" setting allows
 * it; without it, the cache alone, and no network. */
static void
load_model_reference (HordeStudioApplication *self)
{
  HordeModelReferenceFlags flags = HORDE_MODEL_REFERENCE_IMAGE;

  if (!g_settings_get_boolean (self->settings, "model-reference-lookup"))
    flags |= HORDE_MODEL_REFERENCE_OFFLINE;
  horde_model_reference_load_async (self->model_reference, flags, NULL,
                                    model_reference_loaded, g_object_ref (self));
}

/* switched on: fetched now; off: what is loaded stays */
static void
model_reference_lookup_changed (HordeStudioApplication *self)
{
  if (g_settings_get_boolean (self->settings, "model-reference-lookup"))
    load_model_reference (self);
}

static void
start_model_reference (HordeStudioApplication *self)
{
  const char *url = g_getenv ("HORDE_IMAGE_MODEL_REFERENCE_URL");

  self->model_reference = horde_model_reference_new ();
  if (url != NULL && *url != '\0')
    horde_model_reference_set_image_url (self->model_reference, url);
  g_signal_connect_object (self->settings, "changed::model-reference-lookup",
                           G_CALLBACK (model_reference_lookup_changed), self, G_CONNECT_SWAPPED);
  load_model_reference (self);
}

static void
horde_studio_application_startup (GApplication *application)
{
  HordeStudioApplication *self = HORDE_STUDIO_APPLICATION (application);
  g_autofree char *location = NULL;
  g_autofree char *directory = NULL;

  G_APPLICATION_CLASS (horde_studio_application_parent_class)->startup (application);

  {
    const char *quit_accels[] = { "<Control>q", NULL };
    const char *preferences_accels[] = { "<Control>comma", NULL };

    gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  }

  self->settings = g_settings_new (SCHEMA_ID);

  self->client = horde_client_new ();
  horde_client_set_client_agent (self->client, "HordeStudio:" PACKAGE_VERSION ":https://github.com/hordestudio/horde-studio");
  horde_studio_application_apply_server (self);

  location = g_settings_get_string (self->settings, "gallery-location");
  directory = *location ? g_strdup (location) : g_build_filename (g_get_user_data_dir (), "horde-studio", NULL);
  self->gallery = horde_studio_gallery_new (directory, &self->gallery_error);
  if (self->gallery == NULL)
    {
      /* images go to a temporary folder this time, and the window says
       * so (with the error kept for it) until the user dismisses it */
      g_autoptr(GError) error = NULL;
      g_autofree char *temporary = g_dir_make_tmp ("horde-studio-XXXXXX", &error);

      g_message ("The gallery at %s cannot be used: %s", directory, self->gallery_error->message);
      if (temporary != NULL)
        self->gallery = horde_studio_gallery_new (temporary, &error);
      if (self->gallery == NULL)
        {
          /* nowhere to keep an image: better not to make any */
          g_printerr ("horde-studio: no gallery: %s; %s\n", self->gallery_error->message, error->message);
          exit (EXIT_FAILURE);
        }
    }

  self->connection = horde_studio_connection_new ();
  self->jobs = horde_studio_jobs_new (self->client, self->gallery);
  horde_studio_jobs_set_connection (self->jobs, self->connection);
  horde_studio_jobs_set_concurrency (self->jobs, g_settings_get_int (self->settings, "concurrency"));
  g_signal_connect_object (self->jobs, "job-ended", G_CALLBACK (job_ended), self, G_CONNECT_SWAPPED);

  horde_studio_secret_lookup_async (NULL, key_found, g_object_ref (self));
  start_model_reference (self);
}

static void
concurrency_changed (HordeStudioApplication *self)
{
  horde_studio_jobs_set_concurrency (self->jobs, g_settings_get_int (self->settings, "concurrency"));
}

static void
discarded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!horde_studio_jobs_discard_finish (HORDE_STUDIO_JOBS (object), result, &error))
    g_warning ("Could not cancel a request of an earlier session: %s", error->message);
}

static void
recovery_response (AdwMessageDialog       *dialog,
                   const char             *response,
                   HordeStudioApplication *self)
{
  g_autoptr(GPtrArray) pending = horde_studio_gallery_list_pending_jobs (self->gallery, NULL);

  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      HordeStudioPendingJob *job = pending->pdata[i];
      const char *id = horde_studio_pending_job_get_id (job);

      if (g_str_equal (response, "fetch"))
        horde_studio_jobs_resume (self->jobs, id, horde_studio_pending_job_get_request (job),
                                  horde_studio_pending_job_get_created (job));
      else if (g_str_equal (response, "cancel"))
        horde_studio_jobs_discard_async (self->jobs, id, NULL, discarded, NULL);
    }
}

/* Requests a crash left on the server: fetch their images, or cancel them */
static void
offer_recovery (HordeStudioApplication *self,
                HordeStudioWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = horde_studio_gallery_list_pending_jobs (self->gallery, &error);
  GtkWidget *dialog;

  if (pending == NULL)
    {
      g_warning ("Cannot read the requests of earlier sessions: %s", error->message);
      return;
    }
  if (pending->len == 0)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Requests From Last Time"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "A request was still on the Horde when Horde Studio last stopped. Fetch its images, or cancel it on the server?",
                                               "%u requests were still on the Horde when Horde Studio last stopped. Fetch their images, or cancel them on the server?",
                                               pending->len),
                                  pending->len);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Decide Later"),
                                    /* TRANSLATORS: cancel the request (or the requests) on the server */
                                    "cancel", g_dngettext (GETTEXT_PACKAGE, "_Cancel It", "_Cancel Them", pending->len),
                                    "fetch", _("_Fetch Images"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "fetch", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "fetch");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_signal_connect (dialog, "response", G_CALLBACK (recovery_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
horde_studio_application_activate (GApplication *application)
{
  HordeStudioApplication *self = HORDE_STUDIO_APPLICATION (application);
  HordeStudioWindow *window = main_window (self);

  if (window == NULL)
    {
      window = horde_studio_window_new (self);
      g_signal_connect_object (self->settings, "changed::concurrency",
                               G_CALLBACK (concurrency_changed), self, G_CONNECT_SWAPPED);
    }

  gtk_window_present (GTK_WINDOW (window));

  if (self->gallery_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The gallery cannot be opened (%s): images are kept in a temporary folder this time."),
                                               self->gallery_error->message);
      AdwToast *toast = horde_studio_toast_new (text);

      /* it stays until read: images made now are not where they belong */
      adw_toast_set_timeout (toast, 0);
      horde_studio_window_add_toast (window, toast);
      g_clear_error (&self->gallery_error);
    }

  if (!self->recovery_offered)
    {
      self->recovery_offered = TRUE;
      offer_recovery (self, window);
    }
}

static int
horde_studio_application_handle_local_options (GApplication *application,
                                               GVariantDict *options)
{
  HordeStudioApplication *self = HORDE_STUDIO_APPLICATION (application);
  const char *server = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("horde-studio %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_printerr (_("horde-studio: “%s” is not an http or https URL\n"), server);
          return 2;
        }
      self->server_override = g_strdup (server);
    }

  return -1;
}

typedef struct {
  HordeStudioApplication *self;
  GCancellable *patience;
  guint timeout;
} Quit;

static void
quit_now (Quit *quit)
{
  g_clear_handle_id (&quit->timeout, g_source_remove);
  g_application_release (G_APPLICATION (quit->self));
  g_application_quit (G_APPLICATION (quit->self));
  g_object_unref (quit->patience);
  g_object_unref (quit->self);
  g_free (quit);
}

static void
all_cancelled (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Quit *quit = user_data;
  g_autoptr(GError) error = NULL;

  if (!horde_studio_jobs_cancel_all_finish (HORDE_STUDIO_JOBS (object), result, &error))
    g_warning ("Quitting before the Horde answered every cancellation: %s", error->message);
  quit_now (quit);
}

static gboolean
out_of_patience (gpointer user_data)
{
  Quit *quit = user_data;

  quit->timeout = 0;
  g_cancellable_cancel (quit->patience);
  return G_SOURCE_REMOVE;
}

static gboolean
destroy_window (gpointer window)
{
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

/**
 * horde_studio_application_cancel_and_quit:
 * @self: the application
 *
 * Deletes every running request on the server, then quits: the window goes
 * at once, and the application stays until the server answered every
 * DELETE, or a few seconds passed.
 */
void
horde_studio_application_cancel_and_quit (HordeStudioApplication *self)
{
  HordeStudioWindow *window = main_window (self);
  Quit *quit;

  if (self->quitting)
    return;
  self->quitting = TRUE;

  quit = g_new0 (Quit, 1);
  quit->self = g_object_ref (self);
  quit->patience = g_cancellable_new ();
  quit->timeout = g_timeout_add_seconds (CANCEL_GRACE_S, out_of_patience, quit);

  g_application_hold (G_APPLICATION (self));
  if (window != NULL)
    {
      /* gone from the screen now; destroyed once the dialog that asked,
       * whose parent it is, has finished answering */
      horde_studio_window_set_closing (window);
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_window, g_object_ref (window), g_object_unref);
    }
  horde_studio_jobs_cancel_all_async (self->jobs, quit->patience, all_cancelled, quit);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HordeStudioApplication *self = user_data;
  HordeStudioWindow *window = main_window (self);

  /* the window asks about running requests, like its close button */
  if (window != NULL)
    gtk_window_close (GTK_WINDOW (window));
  else
    horde_studio_application_cancel_and_quit (self);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HordeStudioApplication *self = user_data;
  GtkWidget *preferences = horde_studio_preferences_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (main_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  HordeStudioApplication *self = user_data;
  const char *developers[] = { _("The Horde Studio authors"), NULL };

  adw_show_about_window (GTK_WINDOW (main_window (self)),
                         "application-name", _("Horde Studio"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Make images with the AI Horde, a crowdsourced cluster of volunteer GPUs"),
                         "website", "https://github.com/hordestudio/horde-studio",
                         "issue-url", "https://github.com/hordestudio/horde-studio/issues",
                         "developers", developers,
                         "license-type", GTK_LICENSE_LGPL_2_1,
                         NULL);
}

static void
horde_studio_application_shutdown (GApplication *application)
{
  HordeStudioApplication *self = HORDE_STUDIO_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (self->gallery != NULL && !horde_studio_gallery_purge_deleted (self->gallery, &error))
    g_warning ("Could not remove deleted images: %s", error->message);

  G_APPLICATION_CLASS (horde_studio_application_parent_class)->shutdown (application);
}

static void
horde_studio_application_finalize (GObject *object)
{
  HordeStudioApplication *self = (HordeStudioApplication *)object;

  g_clear_object (&self->jobs);
  g_clear_object (&self->connection);
  g_clear_object (&self->model_reference);
  g_clear_object (&self->gallery);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_override, g_free);
  g_clear_error (&self->gallery_error);

  G_OBJECT_CLASS (horde_studio_application_parent_class)->finalize (object);
}

static void
horde_studio_application_class_init (HordeStudioApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = horde_studio_application_finalize;
  app_class->startup = horde_studio_application_startup;
  app_class->activate = horde_studio_application_activate;
  app_class->handle_local_options = horde_studio_application_handle_local_options;
  app_class->shutdown = horde_studio_application_shutdown;

  /**
   * HordeStudioApplication::model-reference-loaded:
   * @self: the application
   *
   * Emitted when the image model reference loaded: what the app knows of
   * the models (their families, sizes, details) may have changed.
   */
  signals [MODEL_REFERENCE_LOADED] =
    g_signal_new ("model-reference-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
horde_studio_application_init (HordeStudioApplication *self)
{
  static const GActionEntry actions[] = {
    { "quit", quit_activated },
    { "preferences", preferences_activated },
    { "about", about_activated },
  };
  static const GOptionEntry options[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("Use the AI Horde at this base URL, such as http://127.0.0.1:8765/api"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

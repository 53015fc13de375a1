/* test-ui-keyring.c: the API key, from Preferences to the keyring and back, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session where run-under-xvfb.sh has
 * started gnome-keyring, its login collection unlocked with a throwaway
 * password (see meson.build). Each test runs in a process of its own: it
 * types a key into the Preferences' API key row and presses the row's apply
 * button, then checks what the user sees, what the keyring holds (read with
 * libsecret, as any other program would read it), what the server was
 * sent, and that the key is nowhere else: not in GSettings, files or logs.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <unistd.h>

#include "horde-studio-preferences.h"
#include "ui-driver.h"

/* horde-sim knows the first two; keys have 22 characters, as the Horde's do */
#define KEY        "KeyringTestKey-0123456"
#define OTHER_KEY  "SecondTestKey_abcdefgh"
#define WRONG_KEY  "UnknownTestKey-9876543"
/* the sim answers "NAME#ID"; the "&" would break a label that takes markup */
#define USERNAME   "Rock & Keys"
#define USER_ALIAS USERNAME "#1"
#define ANONYMOUS_TEXT "Anonymous:"

static const char users_json[] =
  "[{\"key\": \"" KEY "\", \"username\": \"" USERNAME "\", \"id\": 1, \"kudos\": 1234, \"trusted\": false},"
  " {\"key\": \"" OTHER_KEY "\", \"username\": \"Second\", \"id\": 2, \"kudos\": 77, \"trusted\": true}]";

/* the schema of horde-studio-secret.c, spelled out again: what is stored
 * must be found under the name the application documents */
static const SecretSchema api_key_schema = {
  "io.github.hordestudio.HordeStudio.ApiKey", SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static char *users_path;
/* the simulator of the test's parent process, shared by its runs */
static const char *sim_url;

/* ---- the keyring, read and written as another program would ------------ */

static char *
stored_key (void)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (&api_key_schema, NULL, &error, "kind", "api-key", NULL);
  char *copy;

  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static void
store_key (const char *key)
{
  g_autoptr(GError) error = NULL;

  secret_password_store_sync (&api_key_schema, SECRET_COLLECTION_DEFAULT, "AI Horde API key", key,
                              NULL, &error, "kind", "api-key", NULL);
  g_assert_no_error (error);
}

static void
forget_key (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&api_key_schema, NULL, &error, "kind", "api-key", NULL);
  g_assert_no_error (error);
}

/* Items of the schema in the keyring, locked ones too */
static guint
n_stored_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_sync (&api_key_schema, SECRET_SEARCH_ALL, NULL, &error, NULL);
  guint n = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return n;
}

static gboolean
keyring_holds (gpointer data)
{
  g_autofree char *key = stored_key ();

  return g_strcmp0 (key, data) == 0;
}

/* The session of run-under-xvfb.sh, and no other: these tests write to
 * the default collection, which elsewhere is the user's own keyring. */
static gboolean
private_keyring_ready (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  if (g_strcmp0 (g_getenv ("HORDE_TEST_KEYRING"), "private") != 0)
    {
      g_test_fail_printf ("No private keyring: run this test with run-under-xvfb.sh, which starts "
                          "gnome-keyring-daemon (package gnome-keyring) in a session of its own");
      return FALSE;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  if (!owned)
    g_test_fail_printf ("No Secret Service (org.freedesktop.secrets) on the test's session bus: "
                        "is gnome-keyring-daemon installed (package gnome-keyring)?");
  return owned;
}

/* ---- where else the key could end up ---------------------------------- */

static void
assert_settings_free_of (const char *key)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.hordestudio.HordeStudio");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) names = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  names = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (names), >, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, names[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, key) != NULL)
        g_error ("GSettings key “%s” holds the API key", names[i]);
    }
}

static gboolean
bytes_hold (const char *data,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Every file under @path (the keyring's own files are encrypted);
 * returns how many were read */
static guint
assert_files_free_of (const char *path,
                      const char *key)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        return 0;
      if (bytes_hold (contents, length, key))
        g_error ("%s holds the API key", path);
      return 1;
    }
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child_path = g_build_filename (path, name, NULL);

      if (!g_file_test (child_path, G_FILE_TEST_IS_SYMLINK))
        n += assert_files_free_of (child_path, key);
    }
  return n;
}

/* ---- the Preferences window, as the user sees it ----------------------- */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A label on screen (a toast's among them) that says @needle */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label (c, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget *root;
  const char *needle;
} Shown;

static gboolean
text_shown (gpointer data)
{
  Shown *shown = data;

  return find_label (shown->root, shown->needle) != NULL;
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static GtkWindow *
open_preferences (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (HORDE_STUDIO_IS_PREFERENCES (window))
        {
          g_assert_true (iterate_until (window_active, window, 10));
          return window;
        }
    }
  g_error ("app.preferences opened no Preferences window");
}

static GtkWidget *
key_row (GtkWindow *preferences)
{
  GtkWidget *row = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW);

  g_assert_nonnull (row);
  return row;
}

/* The circular button that typing reveals at the row's end */
static GtkWidget *
apply_button (GtkWidget *row)
{
  for (GtkWidget *c = find_descendant (row, GTK_TYPE_BUTTON); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (c)), "adw-entry-apply-symbolic") == 0)
      return c;
  return NULL;
}

static gboolean
visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* Types @key into the API key row and presses its apply button */
static void
apply_key (GtkWindow  *preferences,
           const char *key)
{
  GtkWidget *row = key_row (preferences);
  GtkWidget *button;

  g_assert_true (gtk_widget_grab_focus (row));
  gtk_editable_set_text (GTK_EDITABLE (row), key);
  button = apply_button (row);
  g_assert_nonnull (button);
  g_assert_true (iterate_until (visible, button, 5));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
row_marked (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static GtkLabel *
account_label (Fixture *f)
{
  return compose_part (f, "account_label");
}

static gboolean
account_says (Fixture    *f,
              const char *needle,
              guint       seconds)
{
  Shown shown = { GTK_WIDGET (account_label (f)), needle };

  return iterate_until (text_shown, &shown, seconds);
}

static gboolean
client_uses (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (horde_client_get_api_key (horde_studio_application_get_client (f->app)), KEY) == 0;
}

/* The JSON the simulator answers at @url */
static JsonNode *
sim_get (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* What the server recorded for user @id (0 is Anonymous) */
static gint64
image_requests_of (int id)
{
  g_autofree char *url = g_strdup_printf ("%s/v2/users/%d", sim_url, id);
  g_autoptr(JsonNode) user = sim_get (url);
  JsonObject *records = json_object_get_object_member (json_node_get_object (user), "records");

  return json_object_get_int_member (json_object_get_object_member (records, "request"), "image");
}

/* The simulator's control endpoints are beside /api */
static char *
sim_control_url (const char *what)
{
  g_assert_true (g_str_has_suffix (sim_url, "/api"));
  return g_strdup_printf ("%.*s/_sim/%s", (int) (strlen (sim_url) - strlen ("/api")), sim_url, what);
}

/* Requests the server saw for a route, such as "GET /api/v2/find_user" */
static gint64
sim_count (const char *route)
{
  g_autofree char *url = sim_control_url ("stats");
  g_autoptr(JsonNode) stats = sim_get (url);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats), "requests");
  JsonObject *by_route = json_object_get_object_member (requests, "by_route");

  return json_object_has_member (by_route, route) ? json_object_get_int_member (by_route, route) : 0;
}

static gint64
find_user_count (void)
{
  return sim_count ("GET /api/v2/find_user");
}

static void
add_sim_fault (const char *spec)
{
  g_autofree char *url = sim_control_url ("faults");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (spec, strlen (spec));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "text/plain", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

/* Generates one image and waits for it */
static void
generate_one (Fixture *f)
{
  HordeStudioJob *job;

  type_prompt (f, "a key under a doormat");
  set_spin (f, "n_spin", 1);
  press_generate (f);
  job = job_at (f, g_list_model_get_n_items (jobs_model (f)) - 1);
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);
}

/* ---- the tests --------------------------------------------------------- */

/* A key the server knows: checked, kept in the keyring, shown as the user */
static void
test_valid_key (Fixture *f)
{
  HordeClient *client;
  GtkWindow *preferences;
  gint64 before;

  app_start_on (f, sim_url);
  client = horde_studio_application_get_client (f->app);
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 10));
  before = find_user_count ();

  preferences = open_preferences (f);
  apply_key (preferences, KEY);

  /* the server was asked, then the keyring keeps it */
  g_assert_true (iterate_until (keyring_holds, KEY, 10));
  g_assert_cmpint (find_user_count (), >, before);
  g_assert_cmpstr (horde_client_get_api_key (client), ==, KEY);

  /* the preferences say so, and the compose pane shows the account */
  {
    Shown shown = { GTK_WIDGET (preferences), "Signed in as " USER_ALIAS };
    g_assert_true (iterate_until (text_shown, &shown, 10));
  }
  g_assert_false (gtk_widget_has_css_class (key_row (preferences), "error"));
  g_assert_true (account_says (f, USER_ALIAS " · 1234 kudos", 10));
  /* the check of the key is the account: asked once, not twice */
  iterate_for (500);
  g_assert_cmpint (find_user_count (), ==, before + 1);

  /* and the key is nowhere else */
  assert_settings_free_of (KEY);
  g_assert_cmpuint (assert_files_free_of (g_get_home_dir (), KEY), >, 0);
  g_assert_cmpuint (assert_files_free_of (f->gallery_dir, KEY), >, 0);

  /* another key takes its place, in the keyring as on the server */
  apply_key (preferences, OTHER_KEY);
  g_assert_true (iterate_until (keyring_holds, OTHER_KEY, 10));
  g_assert_true (account_says (f, "Second#2 · 77 kudos", 10));
  g_assert_cmpuint (n_stored_items (), ==, 1);
  assert_settings_free_of (OTHER_KEY);
}

/* A key the server does not know: said in words, nothing kept */
static void
test_wrong_key (Fixture *f)
{
  HordeClient *client;
  GtkWindow *preferences;
  GtkWidget *row;
  gint64 before;

  /* the key of an earlier session */
  store_key (KEY);
  app_start_on (f, sim_url);
  client = horde_studio_application_get_client (f->app);
  g_assert_true (account_says (f, USER_ALIAS, 10));

  preferences = open_preferences (f);
  row = key_row (preferences);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, KEY);
  before = find_user_count ();
  apply_key (preferences, WRONG_KEY);

  /* marked where it was typed, and explained */
  g_assert_true (iterate_until (row_marked, row, 10));
  {
    Shown shown = { GTK_WIDGET (preferences), "The Horde does not know this API key" };
    GtkLabel *label;

    g_assert_true (iterate_until (text_shown, &shown, 10));
    label = find_label (GTK_WIDGET (preferences), shown.needle);
    /* words, never the server's answer, nor the key */
    g_assert_null (strchr (gtk_label_get_text (label), '{'));
    g_assert_null (strstr (gtk_label_get_text (label), "404"));
    g_assert_null (strstr (gtk_label_get_text (label), WRONG_KEY));
  }
  /* the server was asked: the key was not refused for its form */
  g_assert_cmpint (find_user_count (), >, before);

  /* the earlier key is kept, and still used */
  iterate_for (500);
  g_assert_true (keyring_holds (KEY));
  g_assert_cmpstr (horde_client_get_api_key (client), ==, KEY);
  g_assert_true (account_says (f, USER_ALIAS, 1));

  /* a key of the wrong form is refused without asking the server */
  before = find_user_count ();
  apply_key (preferences, "not a key");
  {
    /* shown once the first toast has gone */
    Shown shown = { GTK_WIDGET (preferences), "An API key has 10, 22 or 36" };
    g_assert_true (iterate_until (text_shown, &shown, 15));
  }
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpint (find_user_count (), ==, before);
  g_assert_true (keyring_holds (KEY));
  g_assert_cmpstr (horde_client_get_api_key (client), ==, KEY);
}

static gboolean
cost_blames_key (gpointer data)
{
  return strstr (gtk_label_get_text (data), "does not know your API key") != NULL;
}

static gboolean
cost_priced (gpointer data)
{
  return strstr (gtk_label_get_text (data), "kudos") != NULL && !cost_blames_key (data);
}

/* A key the server does not know, removed: the footer stops blaming it and
 * prices the request anonymously */
static void
test_remove_unknown_key (Fixture *f)
{
  GtkLabel *cost;
  GtkWindow *preferences;

  /* the key of an earlier session, which the server no longer knows */
  store_key (WRONG_KEY);
  app_start_on (f, sim_url);
  cost = compose_part (f, "cost_label");
  g_assert_true (account_says (f, "does not know this API key", 10));
  type_prompt (f, "a lock without its key");
  g_assert_true (iterate_until (cost_blames_key, cost, 10));

  preferences = open_preferences (f);
  apply_key (preferences, "");
  g_assert_true (iterate_until (keyring_holds, NULL, 10));
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 10));
  g_assert_true (iterate_until (cost_priced, cost, 10));
}

/* The first run: a key, typed and applied */
static void
test_restart_first (Fixture *f)
{
  GtkWindow *preferences;

  app_start_on (f, sim_url);
  preferences = open_preferences (f);
  apply_key (preferences, KEY);
  g_assert_true (iterate_until (keyring_holds, KEY, 10));
  g_assert_true (account_says (f, USER_ALIAS, 10));
}

/* The next start: the key comes from the keyring, and is used */
static void
test_restart_second (Fixture *f)
{
  gint64 before = find_user_count ();

  g_assert_true (keyring_holds (KEY));
  app_start_on (f, sim_url);

  /* nobody typed anything this time */
  g_assert_true (account_says (f, USER_ALIAS " · 1234 kudos", 10));
  g_assert_cmpstr (horde_client_get_api_key (horde_studio_application_get_client (f->app)), ==, KEY);
  g_assert_cmpint (find_user_count (), >, before);

  /* a request is the user's, not the anonymous one's: it carried the key */
  g_assert_cmpint (image_requests_of (1), ==, 0);
  g_assert_cmpint (image_requests_of (0), ==, 0);
  generate_one (f);
  g_assert_cmpint (image_requests_of (1), ==, 1);
  g_assert_cmpint (image_requests_of (0), ==, 0);

  /* the image and what the gallery keeps of its request hold no key */
  g_assert_cmpuint (assert_files_free_of (f->gallery_dir, KEY), >, 1);
  assert_files_free_of (g_get_home_dir (), KEY);
  assert_settings_free_of (KEY);
}

/* An empty key, applied: forgotten, and back to anonymous */
static void
test_clear_key_first (Fixture *f)
{
  HordeClient *client;
  GtkWindow *preferences;

  store_key (KEY);
  app_start_on (f, sim_url);
  client = horde_studio_application_get_client (f->app);
  g_assert_true (account_says (f, USER_ALIAS, 10));

  preferences = open_preferences (f);
  apply_key (preferences, "");

  g_assert_true (iterate_until (keyring_holds, NULL, 10));
  g_assert_cmpstr (horde_client_get_api_key (client), ==, HORDE_ANONYMOUS_API_KEY);
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 10));
  {
    Shown shown = { GTK_WIDGET (preferences), "The API key is forgotten" };
    g_assert_true (iterate_until (text_shown, &shown, 10));
  }
}

/* and the next start stays anonymous */
static void
test_clear_key_second (Fixture *f)
{
  app_start_on (f, sim_url);
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 10));
  /* had the keyring still held a key, it would have come by now */
  iterate_for (500);
  g_assert_cmpstr (horde_client_get_api_key (horde_studio_application_get_client (f->app)), ==,
                   HORDE_ANONYMOUS_API_KEY);
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 1));
}

/* The user closes Preferences as soon as the key is accepted: the keyring
 * still gets it (and, the other way, still forgets it) */
static void
test_close_preferences_at_once (Fixture *f)
{
  GtkWindow *preferences;

  app_start_on (f, sim_url);
  preferences = open_preferences (f);
  apply_key (preferences, KEY);
  g_assert_true (iterate_until (client_uses, f, 10));
  gtk_window_destroy (preferences);
  g_assert_true (iterate_until (keyring_holds, KEY, 10));

  preferences = open_preferences (f);
  apply_key (preferences, "");
  gtk_window_destroy (preferences);
  g_assert_true (iterate_until (keyring_holds, NULL, 10));

  /* and the main window goes while the keyring is still at work */
  preferences = open_preferences (f);
  apply_key (preferences, KEY);
  g_assert_true (iterate_until (client_uses, f, 10));
  app_stop (f);
  g_assert_true (iterate_until (keyring_holds, KEY, 10));
}

/* The whole flow, with every debug message on, in processes whose output
 * is kept: the key must appear nowhere in it (see run_keyring_test). */
static void
test_key_not_logged_first (Fixture *f)
{
  GtkWindow *preferences;

  app_start_on (f, sim_url);
  preferences = open_preferences (f);
  apply_key (preferences, KEY);
  g_assert_true (iterate_until (keyring_holds, KEY, 10));
  g_assert_true (account_says (f, USER_ALIAS, 10));

  /* a wrong key, answered as the real server answers: the key echoed */
  add_sim_fault ("status:404@GET /api/v2/find_user,count=1,rc=UserNotFound,"
                 "message=User with api_key '" WRONG_KEY "' not found.");
  apply_key (preferences, WRONG_KEY);
  g_assert_true (iterate_until (row_marked, key_row (preferences), 10));

  /* requests that carry the key */
  generate_one (f);
}

static void
test_key_not_logged_second (Fixture *f)
{
  GtkWindow *preferences;

  /* the key read back from the keyring, then forgotten */
  app_start_on (f, sim_url);
  g_assert_true (account_says (f, USER_ALIAS, 10));
  preferences = open_preferences (f);
  apply_key (preferences, "");
  g_assert_true (iterate_until (keyring_holds, NULL, 10));
  g_assert_true (account_says (f, ANONYMOUS_TEXT, 10));
}

/* ---- running them -------------------------------------------------------- */

typedef struct {
  const char *path;
  /* a run is a process, as the application's is: a second run is the
   * next start of the application */
  void (*first) (Fixture *f);
  void (*second) (Fixture *f);
  /* runs with all debug messages on, whose output must not hold a key */
  gboolean logs_checked;
} KeyringTest;

static void
assert_output_free_of_keys (void)
{
  g_test_trap_assert_stdout_unmatched ("*" KEY "*");
  g_test_trap_assert_stderr_unmatched ("*" KEY "*");
  g_test_trap_assert_stdout_unmatched ("*" WRONG_KEY "*");
  g_test_trap_assert_stderr_unmatched ("*" WRONG_KEY "*");
}

/* Each run is a process of its own (an application, once started, keeps
 * its D-Bus objects until the process ends) on the parent's simulator, so
 * that a second run finds what the first left there and in the keyring.
 * The keyring is the session's: each test starts and ends without a key. */
static void
run_keyring_test (gconstpointer data)
{
  const KeyringTest *test = data;
  g_autoptr(HordeTestSim) sim = NULL;
  g_autofree char *gallery_dir = NULL;
  GTestSubprocessFlags flags = test->logs_checked ? G_TEST_SUBPROCESS_DEFAULT : G_TEST_SUBPROCESS_INHERIT_STDERR;

  if (g_test_subprocess ())
    {
      Fixture f = { 0 };
      gboolean second = g_strcmp0 (g_getenv ("HORDE_TEST_RUN"), "second") == 0;

      if (test->logs_checked)
        {
          /* what G_MESSAGES_DEBUG=all does, without changing the
           * environment of a process that has threads */
          g_log_set_debug_enabled (TRUE);
          g_debug ("debug messages are on");
        }
      sim_url = g_getenv ("HORDE_TEST_SERVER");
      f.gallery_dir = g_strdup (g_getenv ("HORDE_TEST_GALLERY"));
      start_notification_server ();

      (second ? test->second : test->first) (&f);

      app_stop (&f);
      g_free (f.gallery_dir);
      return;
    }

  if (!private_keyring_ready ())
    return;
  forget_key ();
  sim = horde_test_sim_start ("--users", users_path, "--job-time", "300", NULL);
  sim_url = horde_test_sim_get_url (sim);
  gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  g_setenv ("HORDE_TEST_SERVER", sim_url, TRUE);
  g_setenv ("HORDE_TEST_GALLERY", gallery_dir, TRUE);

  g_setenv ("HORDE_TEST_RUN", "first", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, flags);
  g_test_trap_assert_passed ();
  if (test->logs_checked)
    {
      /* the application's debug messages were written, requests' among them */
      g_test_trap_assert_stdout ("*debug messages are on*GET /v2/find_user*");
      assert_output_free_of_keys ();
    }

  if (test->second != NULL)
    {
      g_setenv ("HORDE_TEST_RUN", "second", TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, flags);
      g_test_trap_assert_passed ();
      if (test->logs_checked)
        assert_output_free_of_keys ();
    }

  if (test->logs_checked)
    {
      g_autofree char *faults_url = sim_control_url ("faults");
      g_autoptr(JsonNode) faults = sim_get (faults_url);
      JsonObject *rule = json_array_get_object_element (json_node_get_array (faults), 0);

      /* the server did echo the wrong key, and did get the right one */
      g_assert_cmpint (json_object_get_int_member (rule, "fired"), ==, 1);
      g_assert_cmpint (image_requests_of (1), ==, 1);
    }

  remove_tree (gallery_dir);
  forget_key ();
}

int
main (int argc, char *argv[])
{
  static const KeyringTest tests[] = {
    { "/keyring/valid-key", test_valid_key, NULL, FALSE },
    { "/keyring/wrong-key", test_wrong_key, NULL, FALSE },
    { "/keyring/restart", test_restart_first, test_restart_second, FALSE },
    { "/keyring/clear-key", test_clear_key_first, test_clear_key_second, FALSE },
    { "/keyring/remove-unknown-key", test_remove_unknown_key, NULL, FALSE },
    { "/keyring/close-preferences-at-once", test_close_preferences_at_once, NULL, FALSE },
    { "/keyring/key-not-logged", test_key_not_logged_first, test_key_not_logged_second, TRUE },
  };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  /* one file of users for every test's simulator */
  if (!g_test_subprocess ())
    {
      int fd = g_file_open_tmp ("horde-studio-users-XXXXXX.json", &users_path, &error);

      g_assert_no_error (error);
      close (fd);
      g_file_set_contents (users_path, users_json, -1, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_keyring_test);

  status = g_test_run ();
  if (users_path != NULL)
    g_remove (users_path);
  g_free (users_path);
  return status;
}

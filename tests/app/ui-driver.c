/* ui-driver.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Starts the application in this process with its own horde-sim and its own
 * gallery folder, fills in the widgets of the real window and presses its
 * buttons. A private notification server on the test's D-Bus session
 * records what the application tells the desktop.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-driver.h"
#include "horde-studio-lora-list.h"
#include "horde-studio-prompt-tools.h"
#include "horde-studio-source-image.h"
#include "horde-studio-control-net.h"
#include "horde-studio-ti-list.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-cost-footer.h"
#include "horde-studio-post-processing.h"
#include "horde-studio-grid-window.h"

gboolean
iterate_until (gboolean (*condition) (gpointer),
               gpointer   data,
               guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  return TRUE;
}

/* Runs the main loop for @ms: what has not happened by then is not coming */
void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

/* Starts the application on @server_url, a horde-sim that this process
 * may not own: a run after a restart, in a process of its own, uses the
 * sim that the test's first process used. */
void
app_start_on (Fixture    *f,
              const char *server_url)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.hordestudio.HordeStudio");
  g_autoptr(GError) error = NULL;

  /* as main.c does, with the translations of the build tree: LANGUAGE=de
   * (and a locale that is not C) shows the German window */
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* and libhorde's, which it bound to the installed ones when it was loaded */
  bindtextdomain (LIBHORDE_GETTEXT_PACKAGE, BUILD_LOCALEDIR "/libhorde");
  bind_textdomain_codeset (LIBHORDE_GETTEXT_PACKAGE, "UTF-8");

  /* the compose pane's state beside the test's gallery: each test starts
   * from an empty pane, and a restart of the same test finds its own
   * (set before anything asks GLib for the folder: it keeps the first).
   * A gallery that is not a folder (a test of that) leaves the session's. */
  if (g_file_test (f->gallery_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *state = g_build_filename (f->gallery_dir, "state", NULL);
      g_autofree char *cache = g_build_filename (f->gallery_dir, "cache", NULL);
      g_setenv ("XDG_STATE_HOME", state, TRUE);
      /* and the LoRAs' look-ups kept on disk */
      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    }

  /* the LoRAs' look-ups go to the server's fake CivitAI (horde-sim's),
   * never to the Internet */
  if (g_str_has_suffix (server_url, "/api"))
    {
      g_autofree char *civitai = g_strdup_printf ("%.*s/civitai", (int) (strlen (server_url) - strlen ("/api")),
                                                  server_url);

      g_setenv ("HORDE_STUDIO_CIVITAI_URL", civitai, TRUE);
    }
  /* and the image model reference to its copy of the Horde's (or to the
   * test's own) */
  if (ui_test_model_reference_url != NULL)
    g_setenv ("HORDE_IMAGE_MODEL_REFERENCE_URL", ui_test_model_reference_url, TRUE);
  else if (g_str_has_suffix (server_url, "/api"))
    {
      g_autofree char *reference = g_strdup_printf ("%.*s/model-reference/image.json",
                                                    (int) (strlen (server_url) - strlen ("/api")), server_url);

      g_setenv ("HORDE_IMAGE_MODEL_REFERENCE_URL", reference, TRUE);
    }

  /* the memory backend: nothing of the user's settings is touched */
  g_settings_set_string (settings, "server-url", server_url);
  g_settings_set_string (settings, "gallery-location", f->gallery_dir);

  f->app = horde_studio_application_new ();
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));

  f->window = HORDE_STUDIO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
}

void
app_start (Fixture *f)
{
  app_start_on (f, horde_test_sim_get_url (f->sim));
}

void
app_stop (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* every window goes, dialogs included, without asking */
  if (f->window != NULL)
    horde_studio_window_set_closing (f->window);
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  f->window = NULL;
  g_clear_object (&f->app);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char * const *sim_args = data;

  if (sim_args != NULL)
    f->sim = horde_test_sim_start (sim_args[0], sim_args[1], sim_args[2], sim_args[3], NULL);
  else
    f->sim = horde_test_sim_start ("--job-time", "300", NULL);
  f->gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  app_start (f);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  app_stop (f);
  horde_test_sim_stop (f->sim);
  remove_tree (f->gallery_dir);
  g_free (f->gallery_dir);
}

/* ---- running the tests ---------------------------------------------- */

static const UiTestHooks *test_hooks;
static char *users_path;

/* g_test_init, then GTK and libadwaita */
void
ui_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
}

/* A users' file for horde-sim (--users) with @json: written by the parent,
 * which ui_test_run removes, and found by the test processes through
 * $HORDE_TEST_USERS. Returns its path. */
const char *
ui_test_users (const char *json)
{
  if (!g_test_subprocess ())
    {
      users_path = horde_test_write_users (json);
      g_setenv ("HORDE_TEST_USERS", users_path, TRUE);
    }
  else
    users_path = g_strdup (g_getenv ("HORDE_TEST_USERS"));
  return users_path;
}

static guint
test_runs (const UiTest *test)
{
  if (test->runs > 1)
    return test->runs;
  return test->after_restart != NULL ? 2 : 1;
}

static void
trap_test_process (void)
{
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* In the parent: the runs of a test with restarts share the sim, the
 * gallery folder (the state's is inside it) and the notes */
static void
run_restarted (const UiTest *test)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "300", NULL);
  g_autofree char *gallery_dir = g_dir_make_tmp ("horde-studio-ui-XXXXXX", NULL);
  g_autofree char *notes = g_build_filename (gallery_dir, "test-notes.ini", NULL);

  g_setenv ("HORDE_TEST_SERVER", horde_test_sim_get_url (sim), TRUE);
  g_setenv ("HORDE_TEST_GALLERY", gallery_dir, TRUE);
  g_setenv ("HORDE_TEST_NOTES", notes, TRUE);
  for (guint i = 0; i < test_runs (test); i++)
    {
      g_autofree char *run = g_strdup_printf ("%u", i);

      g_setenv ("HORDE_TEST_RUN", run, TRUE);
      trap_test_process ();
    }
  g_unsetenv ("HORDE_TEST_RUN");
  remove_tree (gallery_dir);
}

/* In a test process: one run of a test with restarts, on the parent's sim */
static void
run_restarted_run (const UiTest *test)
{
  Fixture f = { 0 };
  guint run = atoi (g_getenv ("HORDE_TEST_RUN"));

  f.gallery_dir = g_strdup (g_getenv ("HORDE_TEST_GALLERY"));
  app_start_on (&f, g_getenv ("HORDE_TEST_SERVER"));
  if (run > 0 && test->after_restart != NULL)
    test->after_restart (&f, GUINT_TO_POINTER (run));
  else
    test->func (&f, GUINT_TO_POINTER (run));
  app_stop (&f);
  g_free (f.gallery_dir);
}

static void
run_ui_test (gconstpointer data)
{
  const UiTest *test = data;
  Fixture f = { 0 };

  if (!g_test_subprocess ())
    {
      if (test_hooks != NULL && test_hooks->prepare != NULL)
        test_hooks->prepare ();
      if (test_runs (test) > 1)
        run_restarted (test);
      else
        trap_test_process ();
      return;
    }

  start_notification_server ();
  if (test_hooks != NULL && test_hooks->set_up != NULL)
    test_hooks->set_up ();
  if (test_runs (test) > 1)
    run_restarted_run (test);
  else
    {
      fixture_set_up (&f, test->sim_args);
      test->func (&f, test->sim_args);
      fixture_tear_down (&f, test->sim_args);
    }
  if (test_hooks != NULL && test_hooks->tear_down != NULL)
    test_hooks->tear_down ();
}

/* Adds @tests, each run in a process of its own with @hooks (or none) */
void
ui_test_add (const UiTest      *tests,
             gsize              n_tests,
             const UiTestHooks *hooks)
{
  test_hooks = hooks;
  for (gsize i = 0; i < n_tests; i++)
    g_test_add_data_func (tests[i].path, &tests[i], run_ui_test);
}

/* g_test_run, then the users' file goes */
int
ui_test_run (void)
{
  int status = g_test_run ();

  if (users_path != NULL && !g_test_subprocess ())
    g_remove (users_path);
  g_clear_pointer (&users_path, g_free);
  return status;
}

/* ---- a notification server on the private bus ------------------------ */

GPtrArray *notifications;   /* summaries received */
char *ui_test_model_reference_url; /* set: the app's image model reference */
static GDBusConnection *notification_bus;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *path,
                    const char            *interface,
                    const char            *method,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "horde", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  GDBusConnection *bus;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  /* kept: the name goes with the connection */
  notification_bus = bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* ---- driving the window ---------------------------------------------- */

gpointer
child (GtkWidget  *widget,
       GType       type,
       const char *name)
{
  GObject *found = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (found);
  return found;
}

HordeStudioCompose *
compose (Fixture *f)
{
  return horde_studio_window_get_compose (f->window);
}

void
type_prompt (Fixture    *f,
             const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (horde_studio_compose_get_prompt_view (compose (f))), text, -1);
}

/* A widget of the compose pane by its name in a template: the pane's
 * own, or one of its parts' */
gpointer
compose_part (Fixture    *f,
              const char *name)
{
  GtkWidget *pane = GTK_WIDGET (compose (f));
  const struct {
    const char *part;
    GType type;
  } parts[] = {
    { "source_image", HORDE_STUDIO_TYPE_SOURCE_IMAGE },
    { "lora_list", HORDE_STUDIO_TYPE_LORA_LIST },
    { "control_net", HORDE_STUDIO_TYPE_CONTROL_NET },
    { "ti_list", HORDE_STUDIO_TYPE_TI_LIST },
    { "prompt_tools", HORDE_STUDIO_TYPE_PROMPT_TOOLS },
    { "model_chooser", HORDE_STUDIO_TYPE_MODEL_CHOOSER },
    { "cost_footer", HORDE_STUDIO_TYPE_COST_FOOTER },
    { "post_processing", HORDE_STUDIO_TYPE_POST_PROCESSING },
  };
  GObject *found = gtk_widget_get_template_child (pane, HORDE_STUDIO_TYPE_COMPOSE, name);

  for (guint i = 0; found == NULL && i < G_N_ELEMENTS (parts); i++)
    found = gtk_widget_get_template_child (child (pane, HORDE_STUDIO_TYPE_COMPOSE, parts[i].part), parts[i].type, name);

  g_assert_nonnull (found);
  return found;
}

void
set_spin (Fixture    *f,
          const char *name,
          double      value)
{
  GtkSpinButton *spin = compose_part (f, name);

  gtk_spin_button_set_value (spin, value);
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

void
press_generate (Fixture *f)
{
  GtkWidget *button = compose_part (f, "generate_button");

  /* after a press, Generate waits until the request is sent */
  g_assert_true (iterate_until (widget_sensitive, button, 20));
  /* a click: activating a button waits for its pressed look first */
  g_signal_emit_by_name (button, "clicked");
}

GListModel *
jobs_model (Fixture *f)
{
  return horde_studio_jobs_get_model (horde_studio_application_get_jobs (f->app));
}

HordeStudioJob *
job_at (Fixture *f,
        guint    position)
{
  g_autoptr(HordeStudioJob) job = g_list_model_get_item (jobs_model (f), position);

  return job;   /* the model keeps it */
}

HordeStudioJobRow *
row_at (Fixture *f,
        guint    position)
{
  GtkListBox *list = horde_studio_job_list_get_list_box (horde_studio_window_get_job_list (f->window));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, position);

  g_assert_nonnull (row);
  return HORDE_STUDIO_JOB_ROW (gtk_list_box_row_get_child (row));
}

gboolean
job_ended (gpointer data)
{
  return horde_studio_job_get_ended (data) > 0;
}

gboolean
job_has_id (gpointer data)
{
  return horde_image_job_get_id (horde_studio_job_get_image_job (data)) != NULL;
}

gboolean
job_has_finished_one (gpointer data)
{
  return horde_image_job_get_finished (horde_studio_job_get_image_job (data)) >= 1;
}

gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

gboolean
notified (gpointer data)
{
  return notifications->len > 0;
}

gboolean
sim_saw_request (gpointer data)
{
  return horde_test_sim_count (data, "POST /api/v2/generate/async") >= 1;
}


GtkWindow *
find_dialog (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return window;
    }
  return NULL;
}

gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

gboolean
no_dialog (gpointer data)
{
  return find_dialog (data) == NULL;
}

/* the position of @value in @model, of GtkStringObjects, or
 * GTK_INVALID_LIST_POSITION */
guint
string_position (GListModel *model,
                 const char *value)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* chooses @value in @row, which offers it */
void
select_in (AdwComboRow *row,
           const char  *value)
{
  guint position = string_position (adw_combo_row_get_model (row), value);

  if (position == GTK_INVALID_LIST_POSITION)
    g_error ("no %s to choose", value);
  adw_combo_row_set_selected (row, position);
}

GtkDropDown *
model_dropdown (Fixture *f)
{
  return compose_part (f, "model_dropdown");
}

/* the fixture @data's server has listed its models */
gboolean
models_listed (gpointer data)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (model_dropdown (data))) > 1;
}

typedef struct {
  Fixture *f;
  const char *name;
} ModelLookup;

static gboolean
model_offered (gpointer data)
{
  ModelLookup *lookup = data;

  return string_position (gtk_drop_down_get_model (model_dropdown (lookup->f)), lookup->name) !=
         GTK_INVALID_LIST_POSITION;
}

/* picks @name in the model list once the server has listed it */
void
select_model (Fixture    *f,
              const char *name)
{
  ModelLookup lookup = { f, name };
  GtkDropDown *dropdown = model_dropdown (f);

  g_assert_true (iterate_until (model_offered, &lookup, 10));
  gtk_drop_down_set_selected (dropdown, string_position (gtk_drop_down_get_model (dropdown), name));
}

/* a PNG of @width × @height in one colour, @rgba, as the source image */
void
set_source_fill (Fixture  *f,
                 int       width,
                 int       height,
                 gboolean  has_alpha,
                 guint32   rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *png = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", &error, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&png), len);
  g_assert_true (horde_studio_compose_set_source_bytes (compose (f), bytes, &error));
  g_assert_no_error (error);
}

/* a click on @button, which is there and can be clicked */
void
click (gpointer button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* the descendant of @widget named @name (gtk_widget_set_name) */
GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* the toplevel of @type, shown */
GtkWidget *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

/* @widget's event controller of @type (the widget keeps it), or NULL */
gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  return NULL;
}

/* A worker of TEST_KEY's user asks the sim for a job with @pop_json, a
 * HordeImageGenerateJobPopRequest; returns what the sim gives it */
HordeGenerationPayloadStable *
worker_pop (Fixture    *f,
            const char *pop_json)
{
  g_autoptr(HordeClient) worker = horde_test_sim_new_client (f->sim);
  g_autoptr(HordeImageGenerateJobPopRequest) pop = NULL;
  g_autoptr(GError) error = NULL;
  HordeGenerationPayloadStable *payload;

  pop = horde_image_generate_job_pop_request_new_from_json (pop_json, -1, &error);
  g_assert_no_error (error);
  horde_client_set_api_key (worker, TEST_KEY);
  payload = horde_client_send_image_generate_job_pop_request_sync (worker, pop, NULL, &error);
  g_assert_no_error (error);
  return payload;
}

/* ---- keys ------------------------------------------------------------ */

static gboolean
try_shortcuts (GtkWidget       *widget,
               GtkPropagationPhase phase,
               guint            keyval,
               GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                            gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }
  return FALSE;
}

/* A key pressed where the focus is (without a focus, on @from): the
 * shortcuts of the widgets from the window down to it in the capture
 * phase, then back up in the bubble phase, as GTK tries them, until one
 * takes it (an action that is off lets it go on, as it does for a key).
 * Returns whether a shortcut took the key. */
gboolean
press_key (Fixture         *f,
           GtkWidget       *from,
           guint            keyval,
           GdkModifierType  modifiers)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  for (GtkWidget *w = focus ? focus : from; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (path, 0, w);
  for (guint i = 0; i < path->len; i++)
    if (try_shortcuts (path->pdata[i], GTK_PHASE_CAPTURE, keyval, modifiers))
      return TRUE;
  for (guint i = path->len; i > 0; i--)
    if (try_shortcuts (path->pdata[i - 1], GTK_PHASE_BUBBLE, keyval, modifiers))
      return TRUE;
  return FALSE;
}

/* whether every cell of a comparison grid shows its image */
gboolean
grid_filled (gpointer data)
{
  HordeStudioGridWindow *grid = data;
  HordeStudioGridPlan *plan = horde_studio_grid_window_get_plan (grid);

  for (guint row = 0; row < horde_studio_grid_plan_get_n_rows (plan); row++)
    for (guint column = 0; column < horde_studio_grid_plan_get_n_columns (plan); column++)
      if (horde_studio_grid_view_get_cell_item (horde_studio_grid_window_get_grid_view (grid), column, row) == NULL)
        return FALSE;
  return TRUE;
}

/* the switch of the Preferences row titled @title under @widget, or NULL */
GtkSwitch *
preferences_switch (GtkWidget  *widget,
                    const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkSwitch *found = preferences_switch (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* @text as a server's words may be shown: valid UTF-8, at most @max_chars
 * characters, without control or format characters nor a line separator
 * that could act on a terminal or reorder what the user reads */
void
assert_harmless (const char *text,
                 glong       max_chars)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (text, -1), <=, max_chars);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT || c == 0x2028)
        g_error ("U+%04X shown in “%s”", c, text);
    }
}

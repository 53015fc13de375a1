/* horde-studio-launcher.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-launcher.h"

/* Opening files in other applications, the one way the app does it.
 *
 * GtkFileLauncher came with GTK 4.10; on 4.8 a file opens through
 * GIO, as gtk_show_uri() does, with the display's launch context (startup
 * notification, the right screen); inside a sandbox GIO goes through the
 * OpenURI portal by itself. "Show in Files" asks the file manager over
 * D-Bus (org.freedesktop.FileManager1, which Files, Dolphin, Nemo and
 * Caja implement) to show the files selected in their folder, and opens
 * the folder when no file manager answers.
 *
 * Everything goes through the desktop's own choice of application
 * (mimeapps.list, the session bus), which is also what the tests set up:
 * nothing here knows of them. */

#define FILE_MANAGER_NAME "org.freedesktop.FileManager1"
#define FILE_MANAGER_PATH "/org/freedesktop/FileManager1"

static GAppLaunchContext *
launch_context (GtkWidget *parent)
{
  return G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (parent)));
}

static void
default_launched (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * horde_studio_launcher_open_async:
 * @parent: the widget the user asked from
 * @file: the file to open
 * @app: (nullable): the application to open it with, or %NULL for the
 *   user's default application for its type
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the application is started, or not
 * @user_data: data for @callback
 *
 * Opens @file in another application.
 */
void
horde_studio_launcher_open_async (GtkWidget           *parent,
                                  GFile               *file,
                                  GAppInfo            *app,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (app == NULL || G_IS_APP_INFO (app));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_launcher_open_async);
  context = launch_context (parent);

  if (app != NULL)
    {
      GList files = { file, NULL, NULL };
      GError *error = NULL;

      if (g_app_info_launch (app, &files, context, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  uri = g_file_get_uri (file);
  g_app_info_launch_default_for_uri_async (uri, context, cancellable, default_launched, g_steal_pointer (&task));
}

/**
 * horde_studio_launcher_open_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@HordeStudio.launcher_open_async].
 *
 * Returns: %TRUE if the application was started
 */
gboolean
horde_studio_launcher_open_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_studio_launcher_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GPtrArray *files;
  GAppLaunchContext *context;
} ShowData;

static void
show_data_free (ShowData *data)
{
  g_ptr_array_unref (data->files);
  g_object_unref (data->context);
  g_free (data);
}

/* no file manager on the bus: the folder, in whatever opens folders */
static void
open_folder (GTask *task)
{
  ShowData *data = g_task_get_task_data (task);
  g_autoptr(GFile) folder = g_file_get_parent (g_ptr_array_index (data->files, 0));
  g_autofree char *uri = NULL;

  if (folder == NULL)
    folder = g_object_ref (g_ptr_array_index (data->files, 0));
  uri = g_file_get_uri (folder);
  g_app_info_launch_default_for_uri_async (uri, data->context, g_task_get_cancellable (task),
                                           default_launched, task);
}

static void
items_shown (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source_object), result, &error);
  if (reply != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_debug ("No file manager showed the files (%s), opening their folder", error->message);
  open_folder (task);
}

static void
bus_got (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ShowData *data = g_task_get_task_data (task);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder uris;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      g_debug ("No session bus (%s), opening the folder", error->message);
      open_folder (task);
      return;
    }

  g_variant_builder_init (&uris, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < data->files->len; i++)
    {
      g_autofree char *uri = g_file_get_uri (g_ptr_array_index (data->files, i));

      g_variant_builder_add (&uris, "s", uri);
    }
  /* a file manager that is installed but not running is started */
  g_dbus_connection_call (bus, FILE_MANAGER_NAME, FILE_MANAGER_PATH, FILE_MANAGER_NAME, "ShowItems",
                          g_variant_new ("(ass)", &uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), items_shown, task);
}

/**
 * horde_studio_launcher_show_files_async:
 * @parent: the widget the user asked from
 * @files: (element-type GFile): the files to show, at least one
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the files are shown, or not
 * @user_data: data for @callback
 *
 * Shows @files selected in the file manager, or opens the folder of the
 * first one when no file manager takes
 * `org.freedesktop.FileManager1.ShowItems`.
 */
void
horde_studio_launcher_show_files_async (GtkWidget           *parent,
                                        GPtrArray           *files,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  ShowData *data;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (files != NULL && files->len > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_launcher_show_files_async);
  data = g_new0 (ShowData, 1);
  data->files = g_ptr_array_ref (files);
  data->context = launch_context (parent);
  g_task_set_task_data (task, data, (GDestroyNotify) show_data_free);

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_got, task);
}

/**
 * horde_studio_launcher_show_files_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@HordeStudio.launcher_show_files_async].
 *
 * Returns: %TRUE if the files or their folder were shown
 */
gboolean
horde_studio_launcher_show_files_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_studio_launcher_show_files_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* horde-studio-launcher.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-launcher.h"
#include "horde-studio-util.h"

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

/* ---- for the views: launch, and say so when it fails ------------------- */

typedef struct {
  GtkWidget       *parent;
  AdwToastOverlay *toasts;
  const char      *failure;
} Report;

static Report *
report_new (GtkWidget       *parent,
            AdwToastOverlay *toasts,
            const char      *failure)
{
  Report *report = g_new0 (Report, 1);

  report->parent = g_object_ref (parent);
  report->toasts = toasts != NULL ? g_object_ref (toasts) : NULL;
  report->failure = failure;
  return report;
}

static void
report_free (Report *report)
{
  g_object_unref (report->parent);
  g_clear_object (&report->toasts);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static void
report_failure (Report *report,
                GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_message ("%s: %s", report->failure, error->message);
  /* the overlay is the window's: once @parent has left its window (it is
   * closing), there is nobody to tell */
  if (report->toasts != NULL && gtk_widget_get_root (report->parent) != NULL)
    adw_toast_overlay_add_toast (report->toasts, horde_studio_toast_new (_(report->failure)));
}

static void
opened (GObject      *source_object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Report) report = user_data;
  g_autoptr(GError) error = NULL;

  if (!horde_studio_launcher_open_finish (result, &error))
    report_failure (report, error);
}

/**
 * horde_studio_launcher_open:
 * @parent: the widget the user asked from
 * @file: the file to open
 * @app: (nullable): the application to open it with, or %NULL for the
 *   user's default application for its type
 * @toasts: (nullable): where to say that no application could open it
 *
 * Opens @file in another application, and tells the user in a toast if
 * that fails (while @parent is still in its window).
 */
void
horde_studio_launcher_open (GtkWidget       *parent,
                            GFile           *file,
                            GAppInfo        *app,
                            AdwToastOverlay *toasts)
{
  horde_studio_launcher_open_async (parent, file, app, NULL, opened,
                                    report_new (parent, toasts, N_("No application could open the image")));
}

static void
shown (GObject      *source_object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(Report) report = user_data;
  g_autoptr(GError) error = NULL;

  if (!horde_studio_launcher_show_files_finish (result, &error))
    report_failure (report, error);
}

/**
 * horde_studio_launcher_show_files:
 * @parent: the widget the user asked from
 * @files: (element-type GFile): the files to show, all in one folder
 * @toasts: (nullable): where to say that nothing could show them
 *
 * Shows @files in the file manager, and tells the user in a toast if that
 * fails (while @parent is still in its window).
 */
void
horde_studio_launcher_show_files (GtkWidget       *parent,
                                  GPtrArray       *files,
                                  AdwToastOverlay *toasts)
{
  horde_studio_launcher_show_files_async (parent, files, NULL, shown,
                                          report_new (parent, toasts, N_("No application could show the folder")));
}

/**
 * horde_studio_launcher_drag_content:
 * @files: (element-type GFile): the images dragged, at least one
 * @texture: (nullable): the image itself, when one image is dragged
 *
 * What a drop of images gets: the file (text/uri-list, and the portal's
 * file transfer in a sandbox), or a list of them, and the image itself
 * (image/png and the other types #GdkTexture serializes to) for apps that
 * take pixels, not files.
 *
 * Returns: (transfer full): the content for a #GtkDragSource
 */
GdkContentProvider *
horde_studio_launcher_drag_content (GPtrArray  *files,
                                    GdkTexture *texture)
{
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();

  g_return_val_if_fail (files != NULL && files->len > 0, NULL);

  if (files->len == 1)
    g_ptr_array_add (providers, gdk_content_provider_new_typed (G_TYPE_FILE, g_ptr_array_index (files, 0)));
  else
    {
      GSList *list = NULL;
      GdkFileList *file_list;

      for (guint i = files->len; i > 0; i--)
        list = g_slist_prepend (list, g_ptr_array_index (files, i - 1));
      file_list = gdk_file_list_new_from_list (list);
      g_slist_free (list);
      g_ptr_array_add (providers, gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, file_list));
      g_boxed_free (GDK_TYPE_FILE_LIST, file_list);
    }
  if (texture != NULL)
    g_ptr_array_add (providers, gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, texture));

  return gdk_content_provider_new_union ((GdkContentProvider **) providers->pdata, providers->len);
}

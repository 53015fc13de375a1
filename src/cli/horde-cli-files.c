/* horde-cli-files.c: saving what a server sent in the folder the user chose
 *
 * The server chooses the words a file is named after (job ids, form
 * names): horde_sanitize_file_name() makes them one safe name, and this
 * file makes sure that the name stays in the folder and that nothing there
 * is replaced or followed. Each file is created new, relative to the
 * opened folder, with O_CREAT | O_EXCL | O_NOFOLLOW: a file or a symlink
 * already there (planted, or from another run) is left as it is, and the
 * image takes the next free name, NAME-1.EXT, NAME-2.EXT… A file that
 * cannot be written whole is removed: it is the program's own.
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "horde-cli.h"

/* how many taken names to step over before giving up */
#define MAX_NAMES 100

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "cannot %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* TRUE if @name is one component of a path, which openat() keeps in its
 * folder */
static gboolean
is_one_component (const char *name)
{
  return name[0] != '\0' && strchr (name, G_DIR_SEPARATOR) == NULL &&
         !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= written;
    }
  return TRUE;
}

/* A new file in the folder @dir_fd: @stem.@extension, or the first free
 * @stem-N.@extension; its descriptor, and its name in @name */
static int
create_new (int          dir_fd,
            const char  *dir,
            const char  *stem,
            const char  *extension,
            char       **name,
            GError     **error)
{
  for (guint i = 0; i < MAX_NAMES; i++)
    {
      g_autofree char *candidate = i == 0 ? g_strdup_printf ("%s.%s", stem, extension)
                                          : g_strdup_printf ("%s-%u.%s", stem, i, extension);
      int fd;

      if (!is_one_component (candidate))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                       "“%s” is not a file name in %s", candidate, dir);
          return -1;
        }

      do
        fd = openat (dir_fd, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      while (fd < 0 && errno == EINTR);

      if (fd >= 0)
        {
          *name = g_steal_pointer (&candidate);
          return fd;
        }
      if (errno != EEXIST)
        {
          g_autofree char *path = g_build_filename (dir, candidate, NULL);

          set_errno_error (error, errno, "create", path);
          return -1;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "%s already has %u files named %s…", dir, MAX_NAMES, stem);
  return -1;
}

/* Saves the bytes of @image as a new file in @dir named @stem (made by
 * horde_sanitize_file_name()) and its extension, or the next free name;
 * returns its path. */
char *
horde_cli_save_image (HordeGeneratedImage  *image,
                      const char           *dir,
                      const char           *stem,
                      GError              **error)
{
  GBytes *bytes = horde_generated_image_get_bytes (image);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const guint8 *data;
  gsize length = 0;
  int dir_fd, fd;
  gboolean ok;

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    {
      set_errno_error (error, errno, "open the folder", dir);
      return NULL;
    }

  fd = create_new (dir_fd, dir, stem, horde_generated_image_get_extension (image), &name, error);
  if (fd < 0)
    {
      close (dir_fd);
      return NULL;
    }

  path = g_build_filename (dir, name, NULL);
  data = g_bytes_get_data (bytes, &length);
  /* on disk before its path is printed: nothing received is lost */
  ok = write_all (fd, data, length) && fsync (fd) == 0;
  if (!ok)
    set_errno_error (error, errno, "write", path);
  if (close (fd) != 0 && ok)
    ok = set_errno_error (error, errno, "write", path);
  if (!ok)
    unlinkat (dir_fd, name, 0);
  close (dir_fd);

  return ok ? g_steal_pointer (&path) : NULL;
}

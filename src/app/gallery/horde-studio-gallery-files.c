/* horde-studio-gallery-files.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>

#include "horde-studio-gallery-files-private.h"

/*
 * The files of the gallery: images/NAME.EXT as received, and
 * thumbnails/NAME.EXT.png (or .jpg) beside them. Every file is written
 * whole to a temporary name, flushed to disk and renamed, so that a crash
 * leaves either the whole file or none; a file name is claimed with
 * O_EXCL first, so that two adds (in two threads or two processes) never
 * write the same file.
 *
 * Decoding goes through libhorde's HordeGeneratedImage, which reads WebP
 * with libwebp and needs no gdk-pixbuf WebP loader.
 */

#define DURABLE (G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE)
#define MAX_STEM_LENGTH 64
#define MAX_SUFFIX 1000

/*
 * The base of the file name of an image: the generation id, or else the
 * job id, reduced to the characters the gallery keeps in its names (ASCII
 * letters and digits, - and _), then made a safe file name by libhorde's
 * horde_sanitize_file_name(), the one place that knows what a server must
 * not be able to name ("../something", "-rf"…).
 */
char *
horde_studio_gallery_files_make_stem (HordeGenerationStable *generation,
                                      const char            *job_id)
{
  const char *id = generation ? horde_generation_stable_get_id (generation) : NULL;
  g_autoptr(GString) stem = g_string_new (NULL);

  if (id == NULL || id[0] == '\0')
    id = job_id;

  for (const char *p = id; p != NULL && *p != '\0' && stem->len < MAX_STEM_LENGTH; p++)
    g_string_append_c (stem, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '_');

  if (stem->len == 0)
    g_string_append (stem, "image");

  return horde_sanitize_file_name (stem->str, stem->len);
}


/* Claims a new, empty file in @folder: STEM.EXT, else STEM-1.EXT… */
static char *
claim_file (const char  *folder,
            const char  *stem,
            const char  *extension,
            GError     **error)
{
  for (guint i = 0; i < MAX_SUFFIX; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup_printf ("%s.%s", stem, extension)
                                     : g_strdup_printf ("%s-%u.%s", stem, i, extension);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

      if (fd >= 0)
        {
          g_close (fd, NULL);
          return g_steal_pointer (&path);
        }
      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot create “%s”: %s"), path, g_strerror (saved_errno));
          return NULL;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Too many images named “%s” in “%s”"), stem, folder);
  return NULL;
}

static GdkPixbuf *
scale_down (GdkPixbuf *pixbuf,
            int        size)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  double scale = (double) size / MAX (width, height);

  if (scale >= 1.0)
    return g_object_ref (pixbuf);

  return gdk_pixbuf_scale_simple (pixbuf,
                                  MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)),
                                  GDK_INTERP_BILINEAR);
}

/* A thumbnail: JPEG, or PNG when the image has an alpha channel. */
static GBytes *
encode_thumbnail (GdkPixbuf   *pixbuf,
                  const char **extension,
                  GError     **error)
{
  g_autoptr(GdkPixbuf) small = scale_down (pixbuf, HORDE_STUDIO_THUMBNAIL_SIZE);
  gboolean alpha = gdk_pixbuf_get_has_alpha (small);
  char *keys[] = { alpha ? NULL : (char *) "quality", NULL };
  char *values[] = { (char *) "85", NULL };
  char *data = NULL;
  gsize len = 0;

  *extension = alpha ? "png" : "jpg";
  if (!gdk_pixbuf_save_to_bufferv (small, &data, &len, alpha ? "png" : "jpeg", keys, values, error))
    return NULL;

  return g_bytes_new_take (data, len);
}

static gboolean
write_durably (const char  *path,
               GBytes      *bytes,
               GError     **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents_full (path, data, len, DURABLE, 0644, error);
}

/*
 * Writes @image under @directory/images/ and its thumbnail under
 * @directory/thumbnails/, both whole and flushed to disk, or neither.
 * Runs in any thread: it touches no shared state.
 */
gboolean
horde_studio_gallery_files_write (const char  *directory,
                                  const char  *stem,
                                  GBytes      *image,
                                  char       **path,
                                  char       **thumbnail_path,
                                  GError     **error)
{
  g_autoptr(HordeGeneratedImage) decoded = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autofree char *images = g_build_filename (directory, "images", NULL);
  g_autofree char *image_path = NULL;
  g_autofree char *image_name = NULL;
  g_autofree char *thumb_path = NULL;
  const char *thumb_extension;
  GdkPixbuf *pixbuf;

  decoded = horde_generated_image_new_from_bytes (image, NULL, error);
  if (decoded == NULL || (pixbuf = horde_generated_image_decode (decoded, error)) == NULL)
    return FALSE;

  thumbnail = encode_thumbnail (pixbuf, &thumb_extension, error);
  if (thumbnail == NULL)
    return FALSE;

  image_path = claim_file (images, stem, horde_generated_image_get_extension (decoded), error);
  if (image_path == NULL)
    return FALSE;

  image_name = g_path_get_basename (image_path);
  thumb_path = g_strdup_printf ("%s%cthumbnails%c%s.%s", directory, G_DIR_SEPARATOR,
                                G_DIR_SEPARATOR, image_name, thumb_extension);

  if (!write_durably (image_path, image, error) ||
      !write_durably (thumb_path, thumbnail, error))
    {
      horde_studio_gallery_files_remove (image_path, thumb_path);
      return FALSE;
    }

  *path = g_steal_pointer (&image_path);
  *thumbnail_path = g_steal_pointer (&thumb_path);
  return TRUE;
}

/*
 * Removes an image and its thumbnail. Returns %TRUE if neither exists any
 * more; warns of any that could not be removed.
 */
gboolean
horde_studio_gallery_files_remove (const char *path,
                                   const char *thumbnail_path)
{
  const char *paths[] = { path, thumbnail_path };
  gboolean gone = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (paths[i] == NULL || g_remove (paths[i]) == 0 || errno == ENOENT)
        continue;

      g_warning ("Cannot remove “%s”: %s", paths[i], g_strerror (errno));
      gone = FALSE;
    }

  return gone;
}

/*
 * Decodes @source and writes it as a PNG to @filename, atomically (a
 * temporary file in the same folder, renamed), with the text chunks
 * `parameters` and `horde`. gdk-pixbuf writes a text that fits Latin-1
 * as tEXt and any other as UTF-8 iTXt, and reads both back as UTF-8.
 */
gboolean
horde_studio_gallery_files_export_png (const char  *source,
                                       const char  *parameters,
                                       const char  *horde_json,
                                       const char  *filename,
                                       GError     **error)
{
  g_autoptr(HordeGeneratedImage) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *png = NULL;
  char *keys[] = { (char *) "tEXt::parameters", (char *) "tEXt::horde", NULL };
  char *values[] = { (char *) parameters, (char *) horde_json, NULL };
  gsize len = 0;
  GdkPixbuf *pixbuf;

  if (!g_file_get_contents (source, &contents, &len, error))
    return FALSE;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  decoded = horde_generated_image_new_from_bytes (bytes, NULL, error);
  if (decoded == NULL || (pixbuf = horde_generated_image_decode (decoded, error)) == NULL)
    return FALSE;

  if (!gdk_pixbuf_save_to_bufferv (pixbuf,
                                   &png, &len, "png", keys, values, error))
    return FALSE;

  return g_file_set_contents_full (filename, png, len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}

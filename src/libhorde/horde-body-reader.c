/* horde-body-reader.c: an answer's body, read with a bound
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A server decides how long its answer is, and a body that never ends or
 * a small gzip body that inflates to gigabytes would otherwise be read
 * whole into memory. The body is read in chunks, and reading stops at a
 * limit: a success answer past it is an error, an error body past it is
 * cut (its first kilobytes say what went wrong). A download can be asked
 * to look at its first bytes at once, so that a page that is not an image
 * is refused before it is read.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-body-reader-private.h"
#include "horde-error.h"
#include "horde-generated-image-private.h"

#define CHUNK_SIZE (64 * 1024)

/* enough to tell WebP, PNG and JPEG apart */
#define SNIFF_SIZE 12

typedef struct {
  GInputStream *stream;
  GByteArray *data;
  gsize limit;
  HordeBodyReadFlags flags;
  gboolean sniffed;
} BodyRead;

static void
body_read_free (gpointer p)
{
  BodyRead *read = p;

  g_clear_object (&read->stream);
  g_clear_pointer (&read->data, g_byte_array_unref);
  g_free (read);
}

static void read_next (GTask *task);

static GError *
not_an_image_error (void)
{
  return g_error_new_literal (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                              _("The download is not a WebP, PNG or JPEG image"));
}

/* Ends the read before the body does. Closing the stream tells libsoup
 * to drop the rest of the body, and with it the connection (HTTP/1) or the
 * stream (HTTP/2), without reading any more of it; that takes no I/O, so
 * it is done at once rather than in a main context that a sync call may
 * no longer run. */
static void
body_read_stop (GTask  *task,
                GError *error)
{
  BodyRead *read = g_task_get_task_data (task);

  g_input_stream_close (read->stream, NULL, NULL);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&read->data)),
                           (GDestroyNotify) g_bytes_unref);
}

static void
chunk_read (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BodyRead *read = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize len;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  len = g_bytes_get_size (chunk);
  if (len == 0)
    {
      if ((read->flags & HORDE_BODY_READ_IMAGE) && !read->sniffed &&
          horde_generated_image_sniff (read->data->data, read->data->len) == NULL)
        {
          g_task_return_error (task, not_an_image_error ());
          return;
        }
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&read->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (len > read->limit - read->data->len)
    {
      if (read->flags & HORDE_BODY_READ_TRUNCATE)
        {
          g_byte_array_append (read->data, g_bytes_get_data (chunk, NULL), read->limit - read->data->len);
          body_read_stop (task, NULL);
          return;
        }
      body_read_stop (task, horde_body_too_large_error (read->limit));
      return;
    }

  g_byte_array_append (read->data, g_bytes_get_data (chunk, NULL), len);

  if ((read->flags & HORDE_BODY_READ_IMAGE) && !read->sniffed && read->data->len >= SNIFF_SIZE)
    {
      read->sniffed = TRUE;
      if (horde_generated_image_sniff (read->data->data, read->data->len) == NULL)
        {
          body_read_stop (task, not_an_image_error ());
          return;
        }
    }

  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  BodyRead *read = g_task_get_task_data (task);
  /* one byte past the limit tells "exactly the limit" from "more" */
  gsize want = MIN (CHUNK_SIZE, read->limit - read->data->len + 1);

  g_input_stream_read_bytes_async (read->stream, want, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), chunk_read, task);
}

GError *
horde_body_too_large_error (gsize limit)
{
  g_autofree char *size = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

  return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                      _("The answer is larger than %s, the most libhorde reads"), size);
}

/* Reads @stream to its end, or to @limit bytes. Past the limit, the read
 * fails with HORDE_ERROR_INVALID_RESPONSE, or with HORDE_BODY_READ_TRUNCATE
 * gives the first @limit bytes. */
void
horde_body_read_async (GInputStream        *stream,
                       gsize                limit,
                       HordeBodyReadFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  BodyRead *read = g_new0 (BodyRead, 1);

  read->stream = g_object_ref (stream);
  read->data = g_byte_array_sized_new (MIN (limit, CHUNK_SIZE));
  read->limit = limit;
  read->flags = flags;
  g_task_set_source_tag (task, horde_body_read_async);
  g_task_set_task_data (task, read, body_read_free);

  read_next (task);
}

GBytes *
horde_body_read_finish (GInputStream  *stream,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_body_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

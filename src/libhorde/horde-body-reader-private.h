/* horde-body-reader-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  HORDE_BODY_READ_NONE     = 0,
  HORDE_BODY_READ_TRUNCATE = 1 << 0,   /* past the limit: the first bytes, not an error */
  HORDE_BODY_READ_IMAGE    = 1 << 1,   /* refuse at once what does not start as an image */
} HordeBodyReadFlags;

void     horde_body_read_async        (GInputStream        *stream,
                                       gsize                limit,
                                       HordeBodyReadFlags   flags,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GBytes  *horde_body_read_finish       (GInputStream        *stream,
                                       GAsyncResult        *result,
                                       GError             **error);

GError  *horde_body_too_large_error   (gsize                limit);

G_END_DECLS

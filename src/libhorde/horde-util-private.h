/* horde-util-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     horde_sleep_async   (guint                 msec,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
gboolean horde_sleep_finish  (GAsyncResult         *result,
                              GError              **error);

gboolean horde_uri_is_loopback (GUri *uri);

gint64   horde_retry_after_ms  (const char *value,
                                GDateTime  *now);

guint    horde_backoff_ms      (guint base_ms,
                                guint cap_ms,
                                guint attempt);

G_END_DECLS

#include "horde-models.h"

G_BEGIN_DECLS

guint horde_poll_delay_ms     (HordeRequestStatusCheck *check,
                               guint                    unknown_streak);
guint horde_poll_delay_for_ms (gboolean                 known,
                               gboolean                 is_possible,
                               gint64                   wait_time,
                               gint64                   processing,
                               gint64                   waiting,
                               guint                    unknown_streak);

G_END_DECLS

/* horde-rate-limiter-private.h: client-side pacing under the server's limits
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HordeRateLimiter HordeRateLimiter;

HordeRateLimiter *horde_rate_limiter_new     (void);
void              horde_rate_limiter_free    (HordeRateLimiter *self);
gint64            horde_rate_limiter_reserve (HordeRateLimiter *self,
                                              gconstpointer     key,
                                              guint             requests,
                                              guint             seconds,
                                              gint64            now);
gint64            horde_rate_limiter_peek    (HordeRateLimiter *self,
                                              gconstpointer     key,
                                              guint             requests,
                                              guint             seconds,
                                              gint64            now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeRateLimiter, horde_rate_limiter_free)

G_END_DECLS

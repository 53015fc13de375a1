/* horde-sim-rate-limiter.h: fixed-window rate limits
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HORDE_SIM_TYPE_RATE_LIMITER (horde_sim_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimRateLimiter, horde_sim_rate_limiter, HORDE_SIM, RATE_LIMITER, GObject)

HordeSimRateLimiter *horde_sim_rate_limiter_new   (void);
gboolean             horde_sim_rate_limiter_check (HordeSimRateLimiter *self,
                                                   const char          *key,
                                                   guint                limit,
                                                   guint                period_seconds,
                                                   gint64               now_us,
                                                   guint               *retry_after);

G_END_DECLS

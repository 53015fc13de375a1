/* horde-sim-rate-limiter.c: fixed-window rate limits
 *
 * The AI Horde uses flask-limiter's default strategy: a fixed window per
 * key that starts with the first hit.  A key is whatever the caller builds
 * (client address, API key, method and path or route).  Windows that have
 * ended are pruned now and then, so memory stays bounded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-rate-limiter.h"

#define PRUNE_EVERY 1024

typedef struct {
  gint64 window_end_us;
  guint  hits;
} Window;

struct _HordeSimRateLimiter
{
  GObject     parent_instance;

  GHashTable *windows;
  guint       checks;
};

G_DEFINE_FINAL_TYPE (HordeSimRateLimiter, horde_sim_rate_limiter, G_TYPE_OBJECT)

static void
horde_sim_rate_limiter_finalize (GObject *object)
{
  HordeSimRateLimiter *self = HORDE_SIM_RATE_LIMITER (object);

  g_clear_pointer (&self->windows, g_hash_table_unref);

  G_OBJECT_CLASS (horde_sim_rate_limiter_parent_class)->finalize (object);
}

static void
horde_sim_rate_limiter_class_init (HordeSimRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_sim_rate_limiter_finalize;
}

static void
horde_sim_rate_limiter_init (HordeSimRateLimiter *self)
{
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

HordeSimRateLimiter *
horde_sim_rate_limiter_new (void)
{
  return g_object_new (HORDE_SIM_TYPE_RATE_LIMITER, NULL);
}

static gboolean
window_ended (gpointer key,
              gpointer value,
              gpointer user_data)
{
  const Window *window = value;

  return window->window_end_us <= *(const gint64 *) user_data;
}

/* Counts a hit on @key; FALSE when it is over @limit per @period_seconds,
 * with @retry_after set to the whole seconds until the window ends. */
gboolean
horde_sim_rate_limiter_check (HordeSimRateLimiter *self,
                              const char          *key,
                              guint                limit,
                              guint                period_seconds,
                              gint64               now_us,
                              guint               *retry_after)
{
  Window *window;

  if (++self->checks % PRUNE_EVERY == 0)
    g_hash_table_foreach_remove (self->windows, window_ended, &now_us);

  window = g_hash_table_lookup (self->windows, key);
  if (window == NULL)
    {
      window = g_new0 (Window, 1);
      g_hash_table_insert (self->windows, g_strdup (key), window);
    }
  if (window->window_end_us <= now_us)
    {
      window->window_end_us = now_us + (gint64) period_seconds * G_USEC_PER_SEC;
      window->hits = 0;
    }
  if (window->hits >= limit)
    {
      gint64 left = window->window_end_us - now_us;

      *retry_after = (guint) MAX (1, (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      return FALSE;
    }
  window->hits++;
  return TRUE;
}

/* horde-rate-limiter.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A sliding window per key: at most `requests` sends in any `seconds`.
 * reserve() books the earliest slot at or after `now` and returns it, so
 * that concurrent callers queue up instead of racing for the same slot;
 * peek() says when that slot would be, without booking it.
 */

#include "config.h"

#include "horde-rate-limiter-private.h"

/* A little below the server's limit: its window and ours do not start at
 * the same instant, and the network reorders. */
#define MARGIN_PERCENT 10

typedef struct {
  gint64 *slots;      /* ring of the last `capacity` booked send times (µs) */
  guint capacity;
  guint next;         /* oldest slot, overwritten by the next booking */
} Window;

struct _HordeRateLimiter {
  GMutex mutex;
  GHashTable *windows;   /* key → Window */
};

static void
window_free (gpointer data)
{
  Window *w = data;

  g_free (w->slots);
  g_free (w);
}

HordeRateLimiter *
horde_rate_limiter_new (void)
{
  HordeRateLimiter *self = g_new0 (HordeRateLimiter, 1);

  g_mutex_init (&self->mutex);
  self->windows = g_hash_table_new_full (NULL, NULL, NULL, window_free);

  return self;
}

void
horde_rate_limiter_free (HordeRateLimiter *self)
{
  g_hash_table_unref (self->windows);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

gint64
horde_rate_limiter_reserve (HordeRateLimiter *self,
                            gconstpointer     key,
                            guint             requests,
                            guint             seconds,
                            gint64            now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 period = (gint64) seconds * G_USEC_PER_SEC * (100 + MARGIN_PERCENT) / 100;
  Window *w;
  gint64 at;

  if (requests == 0 || seconds == 0)
    return now;

  w = g_hash_table_lookup (self->windows, key);
  if (w == NULL || w->capacity != requests)
    {
      w = g_new0 (Window, 1);
      w->capacity = requests;
      w->slots = g_new0 (gint64, requests);
      for (guint i = 0; i < requests; i++)
        w->slots[i] = G_MININT64 / 2;
      g_hash_table_replace (self->windows, (gpointer) key, w);
    }

  /* the oldest of the last `requests` sends must leave the window first */
  at = MAX (now, w->slots[w->next] + period);
  w->slots[w->next] = at;
  w->next = (w->next + 1) % w->capacity;

  return at;
}

gint64
horde_rate_limiter_peek (HordeRateLimiter *self,
                         gconstpointer     key,
                         guint             requests,
                         guint             seconds,
                         gint64            now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 period = (gint64) seconds * G_USEC_PER_SEC * (100 + MARGIN_PERCENT) / 100;
  Window *w;

  if (requests == 0 || seconds == 0)
    return now;

  w = g_hash_table_lookup (self->windows, key);
  if (w == NULL || w->capacity != requests)
    return now;

  return MAX (now, w->slots[w->next] + period);
}

/* horde-studio-worker-lists.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-worker-lists.h"

/* The workers the user always or never wants for image requests, kept in
 * the settings as (id, name) pairs: the id is what the request names, the
 * name what the page shows. An image request carries one list of worker
 * ids, `workers`, which `worker_blacklist` turns from the only workers
 * allowed into the workers refused (the server's Worker.can_generate:
 * horde/classes/base/worker.py); so the allow list, when it has workers,
 * is sent alone (the workers it names are the only ones anyway), and the
 * block list otherwise. A worker is on one list at most. */

static const char *
other_key (const char *key)
{
  return g_str_equal (key, HORDE_STUDIO_WORKER_ALLOW_KEY) ? HORDE_STUDIO_WORKER_BLOCK_KEY
                                                          : HORDE_STUDIO_WORKER_ALLOW_KEY;
}

/**
 * horde_studio_worker_lists_get:
 * @settings: the application's settings
 * @key: %HORDE_STUDIO_WORKER_ALLOW_KEY or %HORDE_STUDIO_WORKER_BLOCK_KEY
 * @ids: (out) (optional) (transfer full): the workers' ids
 * @names: (out) (optional) (transfer full): their names, in the same order
 *
 * Reads one list.
 *
 * Returns: how many workers it has
 */
guint
horde_studio_worker_lists_get (GSettings  *settings,
                               const char *key,
                               GStrv      *ids,
                               GStrv      *names)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);
  gsize n = g_variant_n_children (value);

  if (ids)
    *ids = g_new0 (char *, n + 1);
  if (names)
    *names = g_new0 (char *, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      const char *id, *name;

      g_variant_get_child (value, i, "(&s&s)", &id, &name);
      if (ids)
        (*ids)[i] = g_strdup (id);
      if (names)
        (*names)[i] = g_strdup (name);
    }
  return n;
}

static void
set_without (GSettings  *settings,
             const char *key,
             const char *id,
             const char *add_id,
             const char *add_name)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (gsize i = 0; i < g_variant_n_children (value); i++)
    {
      const char *item_id, *item_name;

      g_variant_get_child (value, i, "(&s&s)", &item_id, &item_name);
      if (g_strcmp0 (item_id, id) != 0)
        g_variant_builder_add (&builder, "(ss)", item_id, item_name);
    }
  if (add_id != NULL)
    g_variant_builder_add (&builder, "(ss)", add_id, add_name);
  g_settings_set_value (settings, key, g_variant_builder_end (&builder));
}

/**
 * horde_studio_worker_lists_contains:
 * @settings: the application's settings
 * @key: %HORDE_STUDIO_WORKER_ALLOW_KEY or %HORDE_STUDIO_WORKER_BLOCK_KEY
 * @id: a worker's id
 *
 * Returns: whether the list has the worker
 */
gboolean
horde_studio_worker_lists_contains (GSettings  *settings,
                                    const char *key,
                                    const char *id)
{
  g_auto(GStrv) ids = NULL;

  horde_studio_worker_lists_get (settings, key, &ids, NULL);
  return g_strv_contains ((const char * const *) ids, id);
}

/**
 * horde_studio_worker_lists_add:
 * @settings: the application's settings
 * @key: %HORDE_STUDIO_WORKER_ALLOW_KEY or %HORDE_STUDIO_WORKER_BLOCK_KEY
 * @id: the worker's id
 * @name: its name, to show
 *
 * Puts the worker on the list, and off the other one.
 *
 * Returns: %FALSE if the list already has %HORDE_STUDIO_WORKER_LIST_MAX
 *   other workers (nothing changes then)
 */
gboolean
horde_studio_worker_lists_add (GSettings  *settings,
                               const char *key,
                               const char *id,
                               const char *name)
{
  g_return_val_if_fail (id != NULL && *id != '\0', FALSE);

  if (horde_studio_worker_lists_contains (settings, key, id))
    return TRUE;
  if (horde_studio_worker_lists_get (settings, key, NULL, NULL) >= HORDE_STUDIO_WORKER_LIST_MAX)
    return FALSE;
  set_without (settings, other_key (key), id, NULL, NULL);
  set_without (settings, key, id, id, name ? name : "");
  return TRUE;
}

/**
 * horde_studio_worker_lists_remove:
 * @settings: the application's settings
 * @key: %HORDE_STUDIO_WORKER_ALLOW_KEY or %HORDE_STUDIO_WORKER_BLOCK_KEY
 * @id: the worker's id
 *
 * Takes the worker off the list.
 */
void
horde_studio_worker_lists_remove (GSettings  *settings,
                                  const char *key,
                                  const char *id)
{
  set_without (settings, key, id, NULL, NULL);
}

/**
 * horde_studio_worker_lists_add_to_request:
 * @settings: the application's settings
 * @builder: an image request being built
 *
 * Sets the request's `workers` and `worker_blacklist` from the lists: the
 * allow list if it has workers, else the block list, else neither.
 */
void
horde_studio_worker_lists_add_to_request (GSettings                             *settings,
                                          HordeImageGenerateAsyncRequestBuilder *builder)
{
  g_auto(GStrv) allowed = NULL;
  g_auto(GStrv) blocked = NULL;

  if (horde_studio_worker_lists_get (settings, HORDE_STUDIO_WORKER_ALLOW_KEY, &allowed, NULL) > 0)
    {
      horde_image_generate_async_request_builder_set_workers (builder, (const char * const *) allowed);
      horde_image_generate_async_request_builder_set_worker_blacklist (builder, FALSE);
    }
  else if (horde_studio_worker_lists_get (settings, HORDE_STUDIO_WORKER_BLOCK_KEY, &blocked, NULL) > 0)
    {
      horde_image_generate_async_request_builder_set_workers (builder, (const char * const *) blocked);
      horde_image_generate_async_request_builder_set_worker_blacklist (builder, TRUE);
    }
}

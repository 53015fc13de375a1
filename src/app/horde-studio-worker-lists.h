/* horde-studio-worker-lists.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libhorde.h>

G_BEGIN_DECLS

/**
 * HORDE_STUDIO_WORKER_ALLOW_KEY:
 *
 * The settings key of the workers image requests go to only.
 */
#define HORDE_STUDIO_WORKER_ALLOW_KEY "worker-allow-list"

/**
 * HORDE_STUDIO_WORKER_BLOCK_KEY:
 *
 * The settings key of the workers image requests never go to.
 */
#define HORDE_STUDIO_WORKER_BLOCK_KEY "worker-block-list"

/**
 * HORDE_STUDIO_WORKER_LIST_MAX:
 *
 * The most workers a list holds: the API's "up to 5 workers".
 */
#define HORDE_STUDIO_WORKER_LIST_MAX 5

gboolean  horde_studio_worker_lists_add            (GSettings                             *settings,
                                                    const char                            *key,
                                                    const char                            *id,
                                                    const char                            *name);
void      horde_studio_worker_lists_remove         (GSettings                             *settings,
                                                    const char                            *key,
                                                    const char                            *id);
gboolean  horde_studio_worker_lists_contains       (GSettings                             *settings,
                                                    const char                            *key,
                                                    const char                            *id);
guint     horde_studio_worker_lists_get            (GSettings                             *settings,
                                                    const char                            *key,
                                                    GStrv                                 *ids,
                                                    GStrv                                 *names);
void      horde_studio_worker_lists_add_to_request (GSettings                             *settings,
                                                    HordeImageGenerateAsyncRequestBuilder *builder);

G_END_DECLS

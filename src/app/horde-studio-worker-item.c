/* horde-studio-worker-item.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-worker-item.h"

/* One worker of the Workers page's list model: the server's details of it */
struct _HordeStudioWorkerItem
{
  GObject parent_instance;

  HordeWorkerDetails *details;
};

G_DEFINE_FINAL_TYPE (HordeStudioWorkerItem, horde_studio_worker_item, G_TYPE_OBJECT)

/**
 * horde_studio_worker_item_new:
 * @details: a worker's details, as the server gave them
 *
 * Returns: (transfer full): an item holding a reference to @details
 */
HordeStudioWorkerItem *
horde_studio_worker_item_new (HordeWorkerDetails *details)
{
  HordeStudioWorkerItem *self = g_object_new (HORDE_STUDIO_TYPE_WORKER_ITEM, NULL);

  self->details = horde_worker_details_ref (details);
  return self;
}

/**
 * horde_studio_worker_item_get_details:
 * @self: an item
 *
 * Returns: (transfer none): the worker's details
 */
HordeWorkerDetails *
horde_studio_worker_item_get_details (HordeStudioWorkerItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WORKER_ITEM (self), NULL);
  return self->details;
}

static void
horde_studio_worker_item_finalize (GObject *object)
{
  HordeStudioWorkerItem *self = HORDE_STUDIO_WORKER_ITEM (object);

  g_clear_pointer (&self->details, horde_worker_details_unref);
  G_OBJECT_CLASS (horde_studio_worker_item_parent_class)->finalize (object);
}

static void
horde_studio_worker_item_class_init (HordeStudioWorkerItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_studio_worker_item_finalize;
}

static void
horde_studio_worker_item_init (HordeStudioWorkerItem *self)
{
}

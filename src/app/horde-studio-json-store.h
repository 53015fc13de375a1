/* horde-studio-json-store.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_JSON_STORE (horde_studio_json_store_get_type ())

G_DECLARE_DERIVABLE_TYPE (HordeStudioJsonStore, horde_studio_json_store, HORDE_STUDIO, JSON_STORE, GObject)

/**
 * HordeStudioJsonStoreClass:
 * @parent_class: the parent class
 * @member: the file's member that holds the list, as in
 *   `{"version": 1, "prompts": […]}`
 * @description: what the store holds, in words, for the log
 * @pretty: whether the file is written indented
 * @clear: forgets every item held
 * @read_item: takes one object of the list, or leaves it out; returns
 *   whether to read on
 * @write_items: adds every item held to @builder's list, as objects
 *
 * A list kept in a JSON file: what a subclass fills in.
 */
struct _HordeStudioJsonStoreClass
{
  GObjectClass parent_class;

  const char *member;
  const char *description;
  gboolean pretty;

  void     (*clear)       (HordeStudioJsonStore *self);
  gboolean (*read_item)   (HordeStudioJsonStore *self,
                           JsonObject           *item);
  void     (*write_items) (HordeStudioJsonStore *self,
                           JsonBuilder          *builder);
};

/**
 * HORDE_STUDIO_JSON_STORE_MAX_FILE_SIZE:
 *
 * The largest store file read: a larger one is not one the app wrote.
 */
#define HORDE_STUDIO_JSON_STORE_MAX_FILE_SIZE (16 * 1024 * 1024)

gpointer     horde_studio_json_store_get_default (GType                  type,
                                                  const char            *file_name,
                                                  HordeStudioJsonStore **slot);
const char  *horde_studio_json_store_get_path    (HordeStudioJsonStore  *self);
gboolean     horde_studio_json_store_load        (HordeStudioJsonStore  *self,
                                                  GError               **error);
gboolean     horde_studio_json_store_changed     (HordeStudioJsonStore  *self,
                                                  GError               **error);
gboolean     horde_studio_json_file_save         (const char            *path,
                                                  JsonNode              *root,
                                                  gboolean               pretty,
                                                  GError               **error);

G_END_DECLS

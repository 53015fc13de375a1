/* horde-studio-json-store.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "horde-studio-json-store.h"

/* HordeStudioJsonStore: a list the app keeps in a JSON file of its own,
 *
 *   {"version": 1, "<member>": [{…}, …]}
 *
 * written whole at every change (g_file_set_contents: a crash leaves the
 * old file or the new one, never half of one) and read back bounded. The
 * prompt history and the user's styles are ones; a subclass says what an
 * item is. */
typedef struct
{
  char *path;
} HordeStudioJsonStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HordeStudioJsonStore, horde_studio_json_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * horde_studio_json_store_get_default:
 * @type: the store's type, a #HordeStudioJsonStore
 * @file_name: the file's name in the app's data folder
 * @slot: where the store is held while anyone holds it
 *
 * The user's store of @type, in the app's data folder, loaded once and
 * shared by whoever holds it; the next call after the last holder let it
 * go reads the file again.
 *
 * Returns: (transfer full) (type HordeStudioJsonStore): the store
 */
gpointer
horde_studio_json_store_get_default (GType                  type,
                                     const char            *file_name,
                                     HordeStudioJsonStore **slot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (g_type_is_a (type, HORDE_STUDIO_TYPE_JSON_STORE), NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  if (*slot != NULL)
    return g_object_ref (*slot);

  path = g_build_filename (g_get_user_data_dir (), "horde-studio", file_name, NULL);
  *slot = g_object_new (type, "path", path, NULL);
  g_object_add_weak_pointer (G_OBJECT (*slot), (gpointer *) slot);
  if (!horde_studio_json_store_load (*slot, &error))
    g_warning ("Could not read %s %s: %s",
               HORDE_STUDIO_JSON_STORE_GET_CLASS (*slot)->description, path, error->message);
  return *slot;
}

/**
 * horde_studio_json_store_get_path:
 * @self: a #HordeStudioJsonStore
 *
 * Returns: (type filename): the file the store is kept in
 */
const char *
horde_studio_json_store_get_path (HordeStudioJsonStore *self)
{
  HordeStudioJsonStorePrivate *priv = horde_studio_json_store_get_instance_private (self);

  g_return_val_if_fail (HORDE_STUDIO_IS_JSON_STORE (self), NULL);
  return priv->path;
}

static gboolean
read_file (HordeStudioJsonStore  *self,
           GError               **error)
{
  HordeStudioJsonStoreClass *klass = HORDE_STUDIO_JSON_STORE_GET_CLASS (self);
  HordeStudioJsonStorePrivate *priv = horde_studio_json_store_get_instance_private (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;
  JsonNode *root;
  JsonNode *list;
  gsize length = 0;

  if (!g_file_get_contents (priv->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (length > HORDE_STUDIO_JSON_STORE_MAX_FILE_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large", priv->path);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, contents, (gssize) length, error))
    return FALSE;

  root = json_parser_get_root (parser);
  list = root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), klass->member) : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "%s holds no %s", priv->path, klass->member);
      return FALSE;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          !klass->read_item (self, json_node_get_object (node)))
        break;
    }
  return TRUE;
}

/**
 * horde_studio_json_store_load:
 * @self: a #HordeStudioJsonStore
 * @error: return location for a #GError
 *
 * Reads the store from its file, in place of what it holds, and emits
 * #HordeStudioJsonStore::changed. A missing file is an empty store; a file
 * larger than %HORDE_STUDIO_JSON_STORE_MAX_FILE_SIZE is refused; items
 * that are not objects, or that the subclass does not take, are left out.
 *
 * Returns: whether the file could be read (if not, the store is empty)
 */
gboolean
horde_studio_json_store_load (HordeStudioJsonStore  *self,
                              GError               **error)
{
  gboolean ok;

  g_return_val_if_fail (HORDE_STUDIO_IS_JSON_STORE (self), FALSE);

  HORDE_STUDIO_JSON_STORE_GET_CLASS (self)->clear (self);
  ok = read_file (self, error);
  g_signal_emit (self, signals [CHANGED], 0);
  return ok;
}

/**
 * horde_studio_json_file_save:
 * @path: (type filename): the file
 * @root: the JSON to write
 * @pretty: whether to write it indented
 * @error: return location for a #GError
 *
 * Writes @root to @path atomically (a temporary file, renamed), readable by
 * the user only, creating its folder.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_json_file_save (const char  *path,
                             JsonNode    *root,
                             gboolean     pretty,
                             GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *folder = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  text = json_generator_to_data (generator, &length);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", folder, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * horde_studio_json_store_changed:
 * @self: a #HordeStudioJsonStore
 * @error: return location for a #GError
 *
 * For subclasses, after a change to what the store holds: emits
 * #HordeStudioJsonStore::changed and writes the file.
 *
 * Returns: whether the file was written (the store holds the change
 *   anyway)
 */
gboolean
horde_studio_json_store_changed (HordeStudioJsonStore  *self,
                                 GError               **error)
{
  HordeStudioJsonStoreClass *klass;
  HordeStudioJsonStorePrivate *priv;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_JSON_STORE (self), FALSE);

  klass = HORDE_STUDIO_JSON_STORE_GET_CLASS (self);
  priv = horde_studio_json_store_get_instance_private (self);

  g_signal_emit (self, signals [CHANGED], 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, klass->member);
  json_builder_begin_array (builder);
  klass->write_items (self, builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return horde_studio_json_file_save (priv->path, root, klass->pretty, error);
}

static void
horde_studio_json_store_finalize (GObject *object)
{
  HordeStudioJsonStore *self = (HordeStudioJsonStore *)object;
  HordeStudioJsonStorePrivate *priv = horde_studio_json_store_get_instance_private (self);

  g_clear_pointer (&priv->path, g_free);

  G_OBJECT_CLASS (horde_studio_json_store_parent_class)->finalize (object);
}

static void
horde_studio_json_store_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HordeStudioJsonStore *self = HORDE_STUDIO_JSON_STORE (object);
  HordeStudioJsonStorePrivate *priv = horde_studio_json_store_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, priv->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_json_store_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HordeStudioJsonStore *self = HORDE_STUDIO_JSON_STORE (object);
  HordeStudioJsonStorePrivate *priv = horde_studio_json_store_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (priv->path);
      priv->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_json_store_class_init (HordeStudioJsonStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_json_store_finalize;
  object_class->get_property = horde_studio_json_store_get_property;
  object_class->set_property = horde_studio_json_store_set_property;

  /**
   * HordeStudioJsonStore:path:
   *
   * The file the store is kept in.
   */
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioJsonStore::changed:
   * @self: the store
   *
   * Emitted when what the store holds changed, or the file was read again.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
horde_studio_json_store_init (HordeStudioJsonStore *self)
{
}

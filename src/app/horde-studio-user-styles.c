/* horde-studio-user-styles.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "horde-studio-user-styles.h"

#define MAX_NAME 200

/* HordeStudioUserStyles: the user's own styles, each a name and the
 * settings of a request as JSON, in the order they were saved, kept in a
 * JSON file by its HordeStudioJsonStore parent. The source image is not a
 * setting: it is left out, and so is any API key. */
struct _HordeStudioUserStyles
{
  HordeStudioJsonStore parent_instance;

  GPtrArray *names;
  GPtrArray *requests;      /* of HordeImageGenerateAsyncRequest, as names */
};

G_DEFINE_FINAL_TYPE (HordeStudioUserStyles, horde_studio_user_styles, HORDE_STUDIO_TYPE_JSON_STORE)

/* what a style does not keep */
static const char * const left_out[] = {
  "apikey", "source_image", "source_mask", "source_processing", "extra_source_images", "dry_run", NULL,
};

/**
 * horde_studio_user_styles_new:
 * @path: the file the styles are kept in
 *
 * Returns: (transfer full): no styles; horde_studio_user_styles_load()
 *   reads @path
 */
HordeStudioUserStyles *
horde_studio_user_styles_new (const char *path)
{
  return g_object_new (HORDE_STUDIO_TYPE_USER_STYLES, "path", path, NULL);
}

/**
 * horde_studio_user_styles_get_default:
 *
 * The user's styles, in the app's data folder, loaded once and shared by
 * whoever holds them; the next call after the last holder let them go
 * reads the file again.
 *
 * Returns: (transfer full): the user's styles
 */
HordeStudioUserStyles *
horde_studio_user_styles_get_default (void)
{
  static HordeStudioJsonStore *styles;

  return horde_studio_json_store_get_default (HORDE_STUDIO_TYPE_USER_STYLES, "styles.json", &styles);
}

static void
horde_studio_user_styles_clear (HordeStudioJsonStore *store)
{
  HordeStudioUserStyles *self = HORDE_STUDIO_USER_STYLES (store);

  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_set_size (self->requests, 0);
}

static gboolean
valid_name (const char *name)
{
  return name != NULL && *name != '\0' && g_utf8_validate (name, -1, NULL) && g_utf8_strlen (name, -1) <= MAX_NAME;
}

/**
 * horde_studio_user_styles_load:
 * @self: a #HordeStudioUserStyles
 * @error: return location for a #GError
 *
 * Reads the styles from their file, in place of those held. A missing
 * file is no styles; a style that is not a valid request is left out.
 *
 * Returns: whether the file could be read (if not, there are no styles)
 */
gboolean
horde_studio_user_styles_load (HordeStudioUserStyles  *self,
                               GError                **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), FALSE);

  return horde_studio_json_store_load (HORDE_STUDIO_JSON_STORE (self), error);
}

static gboolean
horde_studio_user_styles_read_item (HordeStudioJsonStore *store,
                                    JsonObject           *object)
{
  HordeStudioUserStyles *self = HORDE_STUDIO_USER_STYLES (store);
  JsonNode *name = json_object_get_member (object, "name");
  JsonNode *request = json_object_get_member (object, "request");
  HordeImageGenerateAsyncRequest *parsed;

  if (name == NULL || json_node_get_value_type (name) != G_TYPE_STRING ||
      !valid_name (json_node_get_string (name)) || request == NULL)
    return TRUE;
  parsed = horde_image_generate_async_request_new_from_json_node (request, NULL);
  if (parsed == NULL)
    return TRUE;
  g_ptr_array_add (self->names, g_strdup (json_node_get_string (name)));
  g_ptr_array_add (self->requests, parsed);
  return TRUE;
}

static void
horde_studio_user_styles_write_items (HordeStudioJsonStore *store,
                                      JsonBuilder          *builder)
{
  HordeStudioUserStyles *self = HORDE_STUDIO_USER_STYLES (store);

  for (guint i = 0; i < self->names->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->names->pdata[i]);
      json_builder_set_member_name (builder, "request");
      json_builder_add_value (builder, horde_image_generate_async_request_to_json_node (self->requests->pdata[i]));
      json_builder_end_object (builder);
    }
}

static int
find (HordeStudioUserStyles *self,
      const char            *name)
{
  for (guint i = 0; i < self->names->len; i++)
    if (g_str_equal (self->names->pdata[i], name))
      return (int) i;
  return -1;
}

/**
 * horde_studio_user_styles_save_style:
 * @self: a #HordeStudioUserStyles
 * @name: the style's name; a style of that name is replaced
 * @request: the settings to keep (its source image and key are not kept)
 * @error: return location for a #GError
 *
 * Keeps the settings of @request under @name and writes the file.
 *
 * Returns: whether the style was kept
 */
gboolean
horde_studio_user_styles_save_style (HordeStudioUserStyles           *self,
                                     const char                      *name,
                                     HordeImageGenerateAsyncRequest  *request,
                                     GError                         **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *stripped = NULL;
  HordeImageGenerateAsyncRequest *kept;
  int position;

  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name ? name : ""));
  if (!valid_name (stripped))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "A style needs a name");
      return FALSE;
    }

  node = horde_image_generate_async_request_to_json_node (request);
  for (guint i = 0; left_out[i]; i++)
    json_object_remove_member (json_node_get_object (node), left_out[i]);
  kept = horde_image_generate_async_request_new_from_json_node (node, error);
  if (kept == NULL)
    return FALSE;

  position = find (self, stripped);
  if (position >= 0)
    {
      horde_image_generate_async_request_unref (self->requests->pdata[position]);
      self->requests->pdata[position] = kept;
    }
  else
    {
      g_ptr_array_add (self->names, g_steal_pointer (&stripped));
      g_ptr_array_add (self->requests, kept);
    }

  return horde_studio_json_store_changed (HORDE_STUDIO_JSON_STORE (self), error);
}

/**
 * horde_studio_user_styles_remove:
 * @self: a #HordeStudioUserStyles
 * @name: the style's name
 * @error: return location for a #GError
 *
 * Forgets the style named @name, if there is one, and writes the file.
 *
 * Returns: whether the file was written
 */
gboolean
horde_studio_user_styles_remove (HordeStudioUserStyles  *self,
                                 const char             *name,
                                 GError                **error)
{
  int position;

  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), FALSE);

  position = find (self, name);
  if (position < 0)
    return TRUE;
  g_ptr_array_remove_index (self->names, (guint) position);
  g_ptr_array_remove_index (self->requests, (guint) position);
  return horde_studio_json_store_changed (HORDE_STUDIO_JSON_STORE (self), error);
}

/**
 * horde_studio_user_styles_get_n_styles:
 * @self: a #HordeStudioUserStyles
 *
 * Returns: how many styles there are
 */
guint
horde_studio_user_styles_get_n_styles (HordeStudioUserStyles *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), 0);
  return self->names->len;
}

/**
 * horde_studio_user_styles_get_name:
 * @self: a #HordeStudioUserStyles
 * @position: the style's place
 *
 * Returns: (transfer none) (nullable): its name
 */
const char *
horde_studio_user_styles_get_name (HordeStudioUserStyles *self,
                                   guint                  position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), NULL);
  return position < self->names->len ? self->names->pdata[position] : NULL;
}

/**
 * horde_studio_user_styles_get_request:
 * @self: a #HordeStudioUserStyles
 * @position: the style's place
 *
 * Returns: (transfer none) (nullable): its settings
 */
HordeImageGenerateAsyncRequest *
horde_studio_user_styles_get_request (HordeStudioUserStyles *self,
                                      guint                  position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), NULL);
  return position < self->requests->len ? self->requests->pdata[position] : NULL;
}

static void
horde_studio_user_styles_finalize (GObject *object)
{
  HordeStudioUserStyles *self = (HordeStudioUserStyles *)object;

  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_user_styles_parent_class)->finalize (object);
}

static void
horde_studio_user_styles_class_init (HordeStudioUserStylesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeStudioJsonStoreClass *store_class = HORDE_STUDIO_JSON_STORE_CLASS (klass);

  object_class->finalize = horde_studio_user_styles_finalize;

  store_class->member = "styles";
  store_class->description = "the styles";
  store_class->pretty = TRUE;
  store_class->clear = horde_studio_user_styles_clear;
  store_class->read_item = horde_studio_user_styles_read_item;
  store_class->write_items = horde_studio_user_styles_write_items;
}

static void
horde_studio_user_styles_init (HordeStudioUserStyles *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_image_generate_async_request_unref);
}

/* horde-studio-user-styles.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "horde-studio-user-styles.h"

/* a file larger than this is not one the app wrote */
#define MAX_FILE_SIZE (16 * 1024 * 1024)
#define MAX_NAME 200

/* HordeStudioUserStyles: the user's own styles, each a name and the
 * settings of a request as JSON, in the order they were saved, kept in a
 * JSON file written whole at every change (g_file_set_contents). The source
 * image is not a setting: it is left out, and so is any API key. */
struct _HordeStudioUserStyles
{
  GObject parent_instance;

  char *path;
  GPtrArray *names;
  GPtrArray *requests;      /* of HordeImageGenerateAsyncRequest, as names */
};

G_DEFINE_FINAL_TYPE (HordeStudioUserStyles, horde_studio_user_styles, G_TYPE_OBJECT)

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
  static HordeStudioUserStyles *styles;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (styles != NULL)
    return g_object_ref (styles);

  path = g_build_filename (g_get_user_data_dir (), "horde-studio", "styles.json", NULL);
  styles = horde_studio_user_styles_new (path);
  g_object_add_weak_pointer (G_OBJECT (styles), (gpointer *) &styles);
  if (!horde_studio_user_styles_load (styles, &error))
    g_warning ("Could not read the styles %s: %s", path, error->message);
  return styles;
}

static void
clear (HordeStudioUserStyles *self)
{
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
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;
  JsonNode *root;
  JsonNode *list;
  gsize length = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_USER_STYLES (self), FALSE);

  clear (self);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      goto out;
    }
  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large", self->path);
      ok = FALSE;
      goto out;
    }
  if (!json_parser_load_from_data (parser, contents, (gssize) length, error))
    {
      ok = FALSE;
      goto out;
    }

  root = json_parser_get_root (parser);
  list = root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), "styles") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "%s holds no styles", self->path);
      ok = FALSE;
      goto out;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *name = object ? json_object_get_member (object, "name") : NULL;
      JsonNode *request = object ? json_object_get_member (object, "request") : NULL;
      HordeImageGenerateAsyncRequest *parsed;

      if (name == NULL || json_node_get_value_type (name) != G_TYPE_STRING ||
          !valid_name (json_node_get_string (name)) || request == NULL)
        continue;
      parsed = horde_image_generate_async_request_new_from_json_node (request, NULL);
      if (parsed == NULL)
        continue;
      g_ptr_array_add (self->names, g_strdup (json_node_get_string (name)));
      g_ptr_array_add (self->requests, parsed);
    }

out:
  g_signal_emit (self, signals [CHANGED], 0);
  return ok;
}

static gboolean
save (HordeStudioUserStyles  *self,
      GError                **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autofree char *text = NULL;
  gsize length = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "styles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->names->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->names->pdata[i]);
      json_builder_set_member_name (builder, "request");
      json_builder_add_value (builder, horde_image_generate_async_request_to_json_node (self->requests->pdata[i]));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", folder, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (self->path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
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

  g_signal_emit (self, signals [CHANGED], 0);
  return save (self, error);
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
  g_signal_emit (self, signals [CHANGED], 0);
  return save (self, error);
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

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_user_styles_parent_class)->finalize (object);
}

static void
horde_studio_user_styles_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  HordeStudioUserStyles *self = HORDE_STUDIO_USER_STYLES (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_user_styles_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  HordeStudioUserStyles *self = HORDE_STUDIO_USER_STYLES (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_user_styles_class_init (HordeStudioUserStylesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_user_styles_finalize;
  object_class->get_property = horde_studio_user_styles_get_property;
  object_class->set_property = horde_studio_user_styles_set_property;

  /**
   * HordeStudioUserStyles:path:
   *
   * The file the styles are kept in.
   */
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioUserStyles::changed:
   * @self: the styles
   *
   * Emitted when a style is saved or removed, or the file read again.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
horde_studio_user_styles_init (HordeStudioUserStyles *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_image_generate_async_request_unref);
}

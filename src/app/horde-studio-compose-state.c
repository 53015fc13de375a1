/* horde-studio-compose-state.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "horde-studio-compose-state.h"
#include "horde-studio-json-store.h"

/* The compose pane's state, kept across restarts: a prompt written while
 * jobs run is never lost. The file holds the prompt and the negative
 * prompt as they are typed (valid or not) and the last request the pane
 * could build, without its source image (large, and the user's file):
 *
 *   {"prompt": "…", "negative": "…", "request": {…}}
 *
 * It is written atomically (a temporary file, renamed). Read back, it is
 * bounded, and the request goes through its builder: what the SDK would
 * refuse is left out. */

/**
 * horde_studio_compose_state_default_path:
 *
 * Where the compose pane keeps its state: `horde-studio/compose.json` in
 * the user's state folder (`$XDG_STATE_HOME`).
 *
 * Returns: (transfer full) (type filename): the path
 */
char *
horde_studio_compose_state_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "horde-studio", "compose.json", NULL);
}

/**
 * horde_studio_compose_state_save:
 * @path: (type filename): the state file
 * @prompt: the prompt, as typed
 * @negative: the negative prompt, as typed
 * @request: (nullable): the last request the pane built
 * @error: return location for a #GError
 *
 * Writes the pane's state to @path, atomically, creating its folder.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_compose_state_save (const char                      *path,
                                 const char                      *prompt,
                                 const char                      *negative,
                                 HordeImageGenerateAsyncRequest  *request,
                                 GError                         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt ? prompt : "");
  json_builder_set_member_name (builder, "negative");
  json_builder_add_string_value (builder, negative ? negative : "");
  if (request != NULL)
    {
      g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new_from (request);
      g_autoptr(HordeImageGenerateAsyncRequest) kept = NULL;

      /* the source image is the user's file, and large: not kept */
      horde_image_generate_async_request_builder_set_source_image (rb, NULL);
      horde_image_generate_async_request_builder_set_source_mask (rb, NULL);
      horde_image_generate_async_request_builder_set_source_processing (rb, NULL);
      horde_image_generate_async_request_builder_set_extra_source_images (rb, NULL, 0);
      horde_image_generate_async_request_builder_set_apikey (rb, NULL);
      kept = horde_image_generate_async_request_builder_end (rb, NULL);
      if (kept != NULL)
        {
          json_builder_set_member_name (builder, "request");
          json_builder_add_value (builder, horde_image_generate_async_request_to_json_node (kept));
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return horde_studio_json_file_save (path, root, FALSE, error);
}

static char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return g_strdup ("");
  return g_strdup (json_node_get_string (node));
}

/**
 * horde_studio_compose_state_load:
 * @path: (type filename): the state file
 * @prompt: (out) (transfer full): the prompt
 * @negative: (out) (transfer full): the negative prompt
 * @request: (out) (transfer full) (nullable): the request, or %NULL when
 *   the file has none its builder accepts
 * @error: return location for a #GError
 *
 * Reads back what horde_studio_compose_state_save() wrote: a missing file
 * is an error of G_FILE_ERROR_NOENT; a file larger than
 * %HORDE_STUDIO_COMPOSE_STATE_MAX_SIZE or not of that shape is refused.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_compose_state_load (const char                      *path,
                                 char                           **prompt,
                                 char                           **negative,
                                 HordeImageGenerateAsyncRequest **request,
                                 GError                         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *contents = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *node;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (length > HORDE_STUDIO_COMPOSE_STATE_MAX_SIZE ||
      !json_parser_load_from_data (parser, contents, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("The saved prompt cannot be read."));
      return FALSE;
    }

  object = json_node_get_object (root);
  *prompt = string_member (object, "prompt");
  *negative = string_member (object, "negative");
  *request = NULL;
  node = json_object_get_member (object, "request");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(HordeImageGenerateAsyncRequest) read = horde_image_generate_async_request_new_from_json_node (node, NULL);

      if (read != NULL)
        {
          g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new_from (read);

          *request = horde_image_generate_async_request_builder_end (rb, NULL);
        }
    }
  return TRUE;
}

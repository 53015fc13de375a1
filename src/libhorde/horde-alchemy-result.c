/* horde-alchemy-result.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-alchemy-result-private.h"

/**
 * HordeAlchemyResult:
 *
 * What one form of an alchemy request ([class@Horde.AlchemyJob]) gave,
 * read for its kind: the text of a caption, the tags of an interrogation,
 * the verdict of the NSFW check, or the image a post-processor (an
 * upscaler, a face fixer, background removal) made, downloaded and
 * decoded. The server's own answer stays reachable with
 * [method@Horde.AlchemyResult.get_form_status], for forms the Horde adds
 * later.
 *
 * A form that did not finish (cancelled, faulted) has a result too, with
 * its [method@Horde.AlchemyResult.get_state] and nothing else.
 */

struct _HordeAlchemyResult
{
  GObject parent_instance;

  HordeInterrogationFormStatus *status;
  JsonObject *result;             /* the form's "result" object, or NULL */
  HordeGeneratedImage *image;
};

G_DEFINE_FINAL_TYPE (HordeAlchemyResult, horde_alchemy_result, G_TYPE_OBJECT)

static void
horde_alchemy_result_finalize (GObject *object)
{
  HordeAlchemyResult *self = (HordeAlchemyResult *)object;

  g_clear_pointer (&self->status, horde_interrogation_form_status_unref);
  g_clear_pointer (&self->result, json_object_unref);
  g_clear_object (&self->image);

  G_OBJECT_CLASS (horde_alchemy_result_parent_class)->finalize (object);
}

static void
horde_alchemy_result_class_init (HordeAlchemyResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_alchemy_result_finalize;
}

static void
horde_alchemy_result_init (HordeAlchemyResult *self)
{
}

/* @status: the form as the server told it; @image: the decoded image of a
 * post-processor, if any */
HordeAlchemyResult *
horde_alchemy_result_new (HordeInterrogationFormStatus *status,
                          HordeGeneratedImage          *image)
{
  HordeAlchemyResult *self = g_object_new (HORDE_TYPE_ALCHEMY_RESULT, NULL);
  HordeInterrogationFormResult *result = horde_interrogation_form_status_get_result (status);

  self->status = horde_interrogation_form_status_ref (status);
  if (image != NULL)
    self->image = g_object_ref (image);
  if (result != NULL)
    {
      g_autoptr(JsonNode) node = horde_interrogation_form_result_to_json_node (result);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        self->result = json_object_ref (json_node_get_object (node));
    }

  return self;
}

/**
 * horde_alchemy_result_get_form:
 * @self: a #HordeAlchemyResult
 *
 * The form this is the result of, as the request named it: "caption",
 * "interrogation", "nsfw", or a post-processor such as "RealESRGAN_x2plus".
 *
 * Returns: (nullable): the name of the form
 */
const char *
horde_alchemy_result_get_form (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);
  return horde_interrogation_form_status_get_form (self->status);
}

/**
 * horde_alchemy_result_get_form_enum:
 * @self: a #HordeAlchemyResult
 *
 * The form this is the result of as a [enum@Horde.AlchemyForm]: the typed
 * form of [method@Horde.AlchemyResult.get_form]. "caption" is
 * %HORDE_ALCHEMY_FORM_CAPTION, "RealESRGAN_x2plus"
 * %HORDE_ALCHEMY_FORM_REALESRGAN_X2PLUS.
 *
 * Returns: the form, or %HORDE_ALCHEMY_FORM_UNKNOWN for a form this version
 *   of libhorde does not know ([method@Horde.AlchemyResult.get_form] still
 *   gives its name)
 */
HordeAlchemyForm
horde_alchemy_result_get_form_enum (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), HORDE_ALCHEMY_FORM_UNKNOWN);
  return horde_alchemy_form_from_string (horde_alchemy_result_get_form (self));
}

/**
 * horde_alchemy_result_get_state:
 * @self: a #HordeAlchemyResult
 *
 * The state of the form on the server: "done", or "cancelled", "faulted"
 * and the like for a form without a result.
 *
 * Returns: (nullable): the state of the form
 */
const char *
horde_alchemy_result_get_state (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);
  return horde_interrogation_form_status_get_state (self->status);
}

/**
 * horde_alchemy_result_get_done:
 * @self: a #HordeAlchemyResult
 *
 * Whether the form finished with a result.
 *
 * Returns: %TRUE when the form is done
 */
gboolean
horde_alchemy_result_get_done (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), FALSE);
  return g_strcmp0 (horde_alchemy_result_get_state (self), "done") == 0;
}

/**
 * horde_alchemy_result_get_form_status:
 * @self: a #HordeAlchemyResult
 *
 * The server's answer about the form, whole.
 *
 * Returns: (transfer none): the form's status
 */
HordeInterrogationFormStatus *
horde_alchemy_result_get_form_status (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);
  return self->status;
}

static const char *
result_string (HordeAlchemyResult *self,
               const char         *member)
{
  JsonNode *node;

  if (self->result == NULL || member == NULL || !json_object_has_member (self->result, member))
    return NULL;
  node = json_object_get_member (self->result, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * horde_alchemy_result_get_caption:
 * @self: a #HordeAlchemyResult
 *
 * The text of a "caption" (or "describe") form.
 *
 * Returns: (nullable): the caption, or %NULL for a form of another kind
 *   or without a result
 */
const char *
horde_alchemy_result_get_caption (HordeAlchemyResult *self)
{
  const char *caption;

  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);

  caption = result_string (self, "caption");
  return caption != NULL ? caption : result_string (self, "describe");
}

/**
 * horde_alchemy_result_get_interrogation:
 * @self: a #HordeAlchemyResult
 *
 * The whole answer of an "interrogation" form: for each kind of term
 * ("tags", "artists", "mediums"…) an array of objects with a "text" and a
 * "confidence".
 *
 * Returns: (transfer none) (nullable): the interrogation, or %NULL for a
 *   form of another kind or without a result
 */
JsonObject *
horde_alchemy_result_get_interrogation (HordeAlchemyResult *self)
{
  JsonNode *node;

  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);

  if (self->result == NULL || !json_object_has_member (self->result, "interrogation"))
    return NULL;
  node = json_object_get_member (self->result, "interrogation");
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * horde_alchemy_result_dup_tags:
 * @self: a #HordeAlchemyResult
 *
 * The tags of an "interrogation" form, most confident first.
 *
 * Returns: (transfer full) (nullable) (array zero-terminated=1): the tags,
 *   or %NULL for a form of another kind or without a result
 */
char **
horde_alchemy_result_dup_tags (HordeAlchemyResult *self)
{
  JsonObject *interrogation;
  JsonNode *node;
  JsonArray *terms;
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);

  interrogation = horde_alchemy_result_get_interrogation (self);
  if (interrogation == NULL || !json_object_has_member (interrogation, "tags"))
    return NULL;
  node = json_object_get_member (interrogation, "tags");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  terms = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (terms); i++)
    {
      JsonNode *term = json_array_get_element (terms, i);

      if (JSON_NODE_HOLDS_OBJECT (term) &&
          json_object_has_member (json_node_get_object (term), "text"))
        g_strv_builder_add (builder, json_object_get_string_member (json_node_get_object (term), "text"));
      else if (JSON_NODE_HOLDS_VALUE (term) && json_node_get_value_type (term) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (term));
    }
  return g_strv_builder_end (builder);
}

/**
 * horde_alchemy_result_has_nsfw:
 * @self: a #HordeAlchemyResult
 *
 * Whether the result is that of an "nsfw" form, with a verdict.
 *
 * Returns: %TRUE when [method@Horde.AlchemyResult.get_nsfw] means something
 */
gboolean
horde_alchemy_result_has_nsfw (HordeAlchemyResult *self)
{
  JsonNode *node;

  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), FALSE);

  if (self->result == NULL || !json_object_has_member (self->result, "nsfw"))
    return FALSE;
  node = json_object_get_member (self->result, "nsfw");
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/**
 * horde_alchemy_result_get_nsfw:
 * @self: a #HordeAlchemyResult
 *
 * The verdict of an "nsfw" form.
 *
 * Returns: %TRUE when the source image is not safe for work; %FALSE when it
 *   is, or when the result has no verdict (see
 *   [method@Horde.AlchemyResult.has_nsfw])
 */
gboolean
horde_alchemy_result_get_nsfw (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), FALSE);

  return horde_alchemy_result_has_nsfw (self) &&
         json_object_get_boolean_member (self->result, "nsfw");
}

/**
 * horde_alchemy_result_get_image_url:
 * @self: a #HordeAlchemyResult
 *
 * Where the image of a post-processor form was, when the server answered:
 * such URLs expire after a while.
 *
 * Returns: (nullable): the URL, or %NULL for a form without an image
 */
const char *
horde_alchemy_result_get_image_url (HordeAlchemyResult *self)
{
  const char *url;

  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);

  url = result_string (self, horde_alchemy_result_get_form (self));
  if (url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")))
    return url;
  return NULL;
}

/**
 * horde_alchemy_result_get_image:
 * @self: a #HordeAlchemyResult
 *
 * The image a post-processor form made, downloaded and decoded.
 *
 * Returns: (transfer none) (nullable): the image, or %NULL for a form
 *   without an image or whose image could not be had
 */
HordeGeneratedImage *
horde_alchemy_result_get_image (HordeAlchemyResult *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_RESULT (self), NULL);
  return self->image;
}

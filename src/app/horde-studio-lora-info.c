/* horde-studio-lora-info.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-lora-info.h"

/* What CivitAI says of a LoRA: its name, the version the Horde's workers
 * fetch, the model family it was trained for ("baseModel"), the words that
 * call it up in a prompt and whether it is NSFW. Every field comes from
 * CivitAI and is untrusted: a field of the wrong type counts as missing,
 * strings are valid UTF-8 on one line, without control characters, and
 * bounded, and so is the number of trigger words. */

#define MAX_NAME_CHARS 120
#define MAX_BASE_CHARS 40
#define MAX_WORD_CHARS 80
#define MAX_WORDS 12

struct _HordeStudioLoraInfo
{
  GObject parent_instance;

  char *model_name;
  char *version_name;
  char *base_model;
  GStrv trained_words;
  gboolean nsfw;
};

G_DEFINE_FINAL_TYPE (HordeStudioLoraInfo, horde_studio_lora_info, G_TYPE_OBJECT)

/* @text made fit to show: valid UTF-8, control and format characters and
 * runs of spaces as one space, trimmed, at most @max_chars characters (an
 * ellipsis for the rest); NULL if nothing is left */
static char *
clean_text (const char *text,
            glong       max_chars)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  glong n_chars = 0;
  gboolean space = FALSE;
  const char *p;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c) || c == 0x2028 || c == 0x2029 ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          space = out->len > 0;
          continue;
        }
      /* the space before this character counts too */
      if (n_chars + (space ? 2 : 1) > max_chars)
        break;
      if (space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n_chars++;
    }
  if (*p != '\0')
    g_string_append (out, "…");
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* the member @name of @object if it is a string, cleaned */
static char *
string_member (JsonObject *object,
               const char *name,
               glong       max_chars)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return clean_text (json_node_get_string (node), max_chars);
}

static gboolean
boolean_member (JsonObject *object,
                const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return FALSE;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* the member @name of @object if it is an object */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* the version's own fields: its name, family and trigger words */
static void
take_version (HordeStudioLoraInfo *self,
              JsonObject          *version)
{
  JsonArray *words = array_member (version, "trainedWords");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_words = 0;

  self->version_name = string_member (version, "name", MAX_NAME_CHARS);
  self->base_model = string_member (version, "baseModel", MAX_BASE_CHARS);
  for (guint i = 0; words != NULL && i < json_array_get_length (words) && n_words < MAX_WORDS; i++)
    {
      JsonNode *node = json_array_get_element (words, i);
      g_autofree char *word = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        word = clean_text (json_node_get_string (node), MAX_WORD_CHARS);
      if (word != NULL)
        {
          g_strv_builder_add (builder, word);
          n_words++;
        }
    }
  self->trained_words = g_strv_builder_end (builder);
}

/**
 * horde_studio_lora_info_new_from_model:
 * @model: a model as CivitAI's `/api/v1/models/ID` answers it, or an item
 *   of its search
 *
 * Reads the model and its first version, the one CivitAI lists first and
 * the Horde's workers fetch for the model's id.
 *
 * Returns: (transfer full) (nullable): what CivitAI says of the LoRA, or
 *   %NULL if @model is not an object
 */
HordeStudioLoraInfo *
horde_studio_lora_info_new_from_model (JsonNode *model)
{
  HordeStudioLoraInfo *self;
  JsonObject *object;
  JsonArray *versions;
  JsonObject *version = NULL;

  g_return_val_if_fail (model != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (model))
    return NULL;
  object = json_node_get_object (model);
  versions = array_member (object, "modelVersions");
  if (versions != NULL && json_array_get_length (versions) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (versions, 0)))
    version = json_array_get_object_element (versions, 0);

  self = g_object_new (HORDE_STUDIO_TYPE_LORA_INFO, NULL);
  self->model_name = string_member (object, "name", MAX_NAME_CHARS);
  self->nsfw = boolean_member (object, "nsfw");
  take_version (self, version);
  return self;
}

/**
 * horde_studio_lora_info_new_from_version:
 * @version: a model version as CivitAI's `/api/v1/model-versions/ID`
 *   answers it
 *
 * Returns: (transfer full) (nullable): what CivitAI says of the LoRA, or
 *   %NULL if @version is not an object
 */
HordeStudioLoraInfo *
horde_studio_lora_info_new_from_version (JsonNode *version)
{
  HordeStudioLoraInfo *self;
  JsonObject *object;
  JsonObject *model;

  g_return_val_if_fail (version != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (version))
    return NULL;
  object = json_node_get_object (version);
  model = object_member (object, "model");

  self = g_object_new (HORDE_STUDIO_TYPE_LORA_INFO, NULL);
  self->model_name = string_member (model, "name", MAX_NAME_CHARS);
  self->nsfw = boolean_member (model, "nsfw");
  take_version (self, object);
  return self;
}

/**
 * horde_studio_lora_info_to_json:
 * @self: a #HordeStudioLoraInfo
 *
 * What is known of the LoRA, in the shape of CivitAI's model versions:
 * [ctor@LoraInfo.new_from_version] reads it back.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
horde_studio_lora_info_to_json (HordeStudioLoraInfo *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), NULL);

  json_builder_begin_object (builder);
  if (self->version_name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->version_name);
    }
  if (self->base_model != NULL)
    {
      json_builder_set_member_name (builder, "baseModel");
      json_builder_add_string_value (builder, self->base_model);
    }
  json_builder_set_member_name (builder, "trainedWords");
  json_builder_begin_array (builder);
  for (guint i = 0; self->trained_words[i] != NULL; i++)
    json_builder_add_string_value (builder, self->trained_words[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_begin_object (builder);
  if (self->model_name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->model_name);
    }
  json_builder_set_member_name (builder, "nsfw");
  json_builder_add_boolean_value (builder, self->nsfw);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * horde_studio_lora_info_get_model_name:
 * @self: a #HordeStudioLoraInfo
 *
 * Returns: (nullable): the LoRA's name on CivitAI, "Detail Tweaker"
 */
const char *
horde_studio_lora_info_get_model_name (HordeStudioLoraInfo *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), NULL);
  return self->model_name;
}

/**
 * horde_studio_lora_info_get_version_name:
 * @self: a #HordeStudioLoraInfo
 *
 * Returns: (nullable): the version's name, "v1.0"
 */
const char *
horde_studio_lora_info_get_version_name (HordeStudioLoraInfo *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), NULL);
  return self->version_name;
}

/**
 * horde_studio_lora_info_get_base_model:
 * @self: a #HordeStudioLoraInfo
 *
 * Returns: (nullable): the family the LoRA was trained for, in CivitAI's
 *   words: "SD 1.5", "SDXL 1.0", "Pony", "Flux.1 D"
 */
const char *
horde_studio_lora_info_get_base_model (HordeStudioLoraInfo *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), NULL);
  return self->base_model;
}

/**
 * horde_studio_lora_info_get_trained_words:
 * @self: a #HordeStudioLoraInfo
 *
 * Returns: (transfer none): the words that call the LoRA up in a prompt,
 *   maybe none
 */
const char * const *
horde_studio_lora_info_get_trained_words (HordeStudioLoraInfo *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), NULL);
  return (const char * const *) self->trained_words;
}

/**
 * horde_studio_lora_info_get_nsfw:
 * @self: a #HordeStudioLoraInfo
 *
 * Returns: whether CivitAI marks the LoRA NSFW
 */
gboolean
horde_studio_lora_info_get_nsfw (HordeStudioLoraInfo *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), FALSE);
  return self->nsfw;
}

/**
 * horde_studio_civitai_base_to_baseline:
 * @base_model: (nullable): a family in CivitAI's words, "SDXL 1.0"
 * @baseline: (out): the Horde's family it is
 *
 * Pony, Illustrious and NoobAI are SDXL models trained further: their
 * LoRAs are for SDXL.
 *
 * Returns: whether @base_model is a family the app knows
 */
gboolean
horde_studio_civitai_base_to_baseline (const char          *base_model,
                                       HordeStudioBaseline *baseline)
{
  static const struct {
    const char *prefix;
    HordeStudioBaseline baseline;
  } families[] = {
    { "SD 1.", HORDE_STUDIO_BASELINE_SD1 },
    { "SD 2.", HORDE_STUDIO_BASELINE_SD2 },
    { "SDXL", HORDE_STUDIO_BASELINE_SDXL },
    { "Pony", HORDE_STUDIO_BASELINE_SDXL },
    { "Illustrious", HORDE_STUDIO_BASELINE_SDXL },
    { "NoobAI", HORDE_STUDIO_BASELINE_SDXL },
    { "Flux.1", HORDE_STUDIO_BASELINE_FLUX },
    { "Stable Cascade", HORDE_STUDIO_BASELINE_CASCADE },
    { "Qwen", HORDE_STUDIO_BASELINE_QWEN },
    { "ZImage", HORDE_STUDIO_BASELINE_Z_IMAGE },
  };

  if (base_model == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (g_str_has_prefix (base_model, families[i].prefix))
      {
        *baseline = families[i].baseline;
        return TRUE;
      }
  return FALSE;
}

/**
 * horde_studio_lora_info_get_baseline:
 * @self: a #HordeStudioLoraInfo
 * @baseline: (out): the family of models the LoRA is for
 *
 * Returns: whether the LoRA's family is one the app knows
 */
gboolean
horde_studio_lora_info_get_baseline (HordeStudioLoraInfo *self,
                                     HordeStudioBaseline *baseline)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_INFO (self), FALSE);
  return horde_studio_civitai_base_to_baseline (self->base_model, baseline);
}

static void
horde_studio_lora_info_finalize (GObject *object)
{
  HordeStudioLoraInfo *self = HORDE_STUDIO_LORA_INFO (object);

  g_free (self->model_name);
  g_free (self->version_name);
  g_free (self->base_model);
  g_strfreev (self->trained_words);

  G_OBJECT_CLASS (horde_studio_lora_info_parent_class)->finalize (object);
}

static void
horde_studio_lora_info_class_init (HordeStudioLoraInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_studio_lora_info_finalize;
}

static void
horde_studio_lora_info_init (HordeStudioLoraInfo *self)
{
}

/* horde-studio-text-history.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "horde-studio-text-history.h"

#define DEFAULT_LIMIT 100
/* a generation longer than this is not one the Horde made (its max_length
 * is 4096 tokens), nor more than 20 of them (its n) */
#define MAX_TEXT 65536
#define MAX_TEXTS 20
#define MAX_NAME 1024

/* HordeStudioTextHistory: the text generations that finished, newest
 * first, at most a limit of them, each with the end of the story it
 * continued, the model and the parameters, kept in a JSON file by its
 * HordeStudioJsonStore parent (which writes it whole at each change, and
 * reads it back bounded: a file that is not the app's is an empty
 * history, never a failed start). */
struct _HordeStudioTextHistory
{
  HordeStudioJsonStore parent_instance;

  guint limit;
  GPtrArray *entries;       /* of HordeStudioTextHistoryEntry, newest first */
};

G_DEFINE_FINAL_TYPE (HordeStudioTextHistory, horde_studio_text_history, HORDE_STUDIO_TYPE_JSON_STORE)

enum {
  PROP_0,
  PROP_LIMIT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/**
 * horde_studio_text_history_entry_new:
 *
 * Returns: (transfer full): an empty entry, its sampling parameters unset
 */
HordeStudioTextHistoryEntry *
horde_studio_text_history_entry_new (void)
{
  HordeStudioTextHistoryEntry *entry = g_new0 (HordeStudioTextHistoryEntry, 1);

  entry->story = g_strdup ("");
  entry->model = g_strdup ("");
  entry->softprompt = g_strdup ("");
  entry->texts = g_new0 (char *, 1);
  entry->temperature = -1;
  entry->top_p = -1;
  entry->top_k = -1;
  entry->rep_pen = -1;
  return entry;
}

/**
 * horde_studio_text_history_entry_free:
 * @entry: (transfer full): an entry
 */
void
horde_studio_text_history_entry_free (HordeStudioTextHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->story);
  g_free (entry->model);
  g_free (entry->softprompt);
  g_strfreev (entry->texts);
  g_free (entry);
}

/**
 * horde_studio_text_history_new:
 * @path: the file the history is kept in
 * @limit: how many generations it keeps at most
 *
 * Returns: (transfer full): an empty history; horde_studio_text_history_load()
 *   reads @path
 */
HordeStudioTextHistory *
horde_studio_text_history_new (const char *path,
                               guint       limit)
{
  return g_object_new (HORDE_STUDIO_TYPE_TEXT_HISTORY, "path", path, "limit", limit, NULL);
}

/**
 * horde_studio_text_history_get_default:
 *
 * The user's text history, in the app's data folder, loaded once and
 * shared by whoever holds it.
 *
 * Returns: (transfer full): the user's text history
 */
HordeStudioTextHistory *
horde_studio_text_history_get_default (void)
{
  static HordeStudioJsonStore *history;

  return horde_studio_json_store_get_default (HORDE_STUDIO_TYPE_TEXT_HISTORY, "text-history.json", &history);
}

/**
 * horde_studio_text_history_load:
 * @self: a #HordeStudioTextHistory
 * @error: return location for a #GError
 *
 * Reads the history from its file, in place of what it holds. A missing
 * file is an empty history; entries that are not the app's are left out.
 *
 * Returns: whether the file could be read (if not, the history is empty)
 */
gboolean
horde_studio_text_history_load (HordeStudioTextHistory  *self,
                                GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_HISTORY (self), FALSE);

  return horde_studio_json_store_load (HORDE_STUDIO_JSON_STORE (self), error);
}

static gboolean
acceptable (const char *text,
            gsize       max)
{
  return text != NULL && strlen (text) <= max && g_utf8_validate (text, -1, NULL);
}

static const char *
string_member (JsonObject *object,
               const char *name,
               gsize       max)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  if (!acceptable (json_node_get_string (node), max))
    return NULL;
  return json_node_get_string (node);
}

/* a number within [min, max], or @unset */
static double
number_member (JsonObject *object,
               const char *name,
               double      min,
               double      max,
               double      unset)
{
  JsonNode *node = json_object_get_member (object, name);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return unset;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;
    default:
      return unset;
    }
  if (!isfinite (value) || value < min || value > max)
    return unset;
  return value;
}

static void
horde_studio_text_history_clear (HordeStudioJsonStore *store)
{
  HordeStudioTextHistory *self = HORDE_STUDIO_TEXT_HISTORY (store);

  g_ptr_array_set_size (self->entries, 0);
}

static gboolean
horde_studio_text_history_read_item (HordeStudioJsonStore *store,
                                     JsonObject           *object)
{
  HordeStudioTextHistory *self = HORDE_STUDIO_TEXT_HISTORY (store);
  const char *story = string_member (object, "story", HORDE_STUDIO_TEXT_HISTORY_MAX_STORY * 4);
  const char *model = string_member (object, "model", MAX_NAME);
  const char *softprompt = string_member (object, "softprompt", MAX_NAME);
  JsonNode *texts = json_object_get_member (object, "texts");
  g_autoptr(HordeStudioTextHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) kept = NULL;

  if (story == NULL || texts == NULL || !JSON_NODE_HOLDS_ARRAY (texts) ||
      g_utf8_strlen (story, -1) > HORDE_STUDIO_TEXT_HISTORY_MAX_STORY)
    return self->entries->len < self->limit;

  kept = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (texts)) && kept->len < MAX_TEXTS; i++)
    {
      JsonNode *text = json_array_get_element (json_node_get_array (texts), i);

      if (JSON_NODE_HOLDS_VALUE (text) && json_node_get_value_type (text) == G_TYPE_STRING &&
          acceptable (json_node_get_string (text), MAX_TEXT))
        g_ptr_array_add (kept, (gpointer) json_node_get_string (text));
    }
  if (kept->len == 0)
    return self->entries->len < self->limit;
  g_ptr_array_add (kept, NULL);

  entry = horde_studio_text_history_entry_new ();
  g_free (entry->story);
  entry->story = g_strdup (story);
  g_free (entry->model);
  entry->model = g_strdup (model ? model : "");
  g_free (entry->softprompt);
  entry->softprompt = g_strdup (softprompt ? softprompt : "");
  g_strfreev (entry->texts);
  entry->texts = g_strdupv ((char **) kept->pdata);
  /* the API's limits (ModelGenerationInputKobold) */
  entry->max_length = (gint64) number_member (object, "max_length", 16, 4096, 80);
  entry->max_context_length = (gint64) number_member (object, "max_context_length", 80, 1048576, 2048);
  entry->temperature = number_member (object, "temperature", 0, 5, -1);
  entry->top_p = number_member (object, "top_p", 0.001, 1, -1);
  entry->top_k = (gint64) number_member (object, "top_k", 0, 200, -1);
  entry->rep_pen = number_member (object, "rep_pen", 1, 3, -1);
  entry->kudos = number_member (object, "kudos", 0, 1e9, 0);
  entry->time = (gint64) number_member (object, "time", 0, (double) G_MAXINT64 / 2, 0);

  g_ptr_array_add (self->entries, g_steal_pointer (&entry));
  return self->entries->len < self->limit;
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  if (value < 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
horde_studio_text_history_write_items (HordeStudioJsonStore *store,
                                       JsonBuilder          *builder)
{
  HordeStudioTextHistory *self = HORDE_STUDIO_TEXT_HISTORY (store);

  for (guint i = 0; i < self->entries->len; i++)
    {
      HordeStudioTextHistoryEntry *entry = self->entries->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "story");
      json_builder_add_string_value (builder, entry->story);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, entry->model);
      json_builder_set_member_name (builder, "softprompt");
      json_builder_add_string_value (builder, entry->softprompt);
      json_builder_set_member_name (builder, "max_length");
      json_builder_add_int_value (builder, entry->max_length);
      json_builder_set_member_name (builder, "max_context_length");
      json_builder_add_int_value (builder, entry->max_context_length);
      add_number (builder, "temperature", entry->temperature);
      add_number (builder, "top_p", entry->top_p);
      if (entry->top_k >= 0)
        {
          json_builder_set_member_name (builder, "top_k");
          json_builder_add_int_value (builder, entry->top_k);
        }
      add_number (builder, "rep_pen", entry->rep_pen);
      json_builder_set_member_name (builder, "texts");
      json_builder_begin_array (builder);
      for (guint t = 0; entry->texts[t] != NULL; t++)
        json_builder_add_string_value (builder, entry->texts[t]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "kudos");
      json_builder_add_double_value (builder, entry->kudos);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, entry->time);
      json_builder_end_object (builder);
    }
}

/* the last @max characters of @text */
static char *
tail (const char *text,
      glong       max)
{
  glong length = g_utf8_strlen (text, -1);

  if (length <= max)
    return g_strdup (text);
  return g_strdup (g_utf8_offset_to_pointer (text, length - max));
}

/**
 * horde_studio_text_history_add:
 * @self: a #HordeStudioTextHistory
 * @entry: (transfer full): the generation that finished
 * @error: return location for a #GError
 *
 * Puts a generation first, drops the oldest beyond the limit and writes
 * the file. The story is cut to its last
 * %HORDE_STUDIO_TEXT_HISTORY_MAX_STORY characters; an entry without a
 * text, or with text that is not UTF-8, is not kept.
 *
 * Returns: whether the file was written (the history holds the entry
 *   anyway)
 */
gboolean
horde_studio_text_history_add (HordeStudioTextHistory       *self,
                               HordeStudioTextHistoryEntry  *entry,
                               GError                      **error)
{
  g_autoptr(HordeStudioTextHistoryEntry) owned = entry;
  g_autoptr(GPtrArray) kept = NULL;
  char *story;

  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_HISTORY (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!g_utf8_validate (entry->story, -1, NULL) || !acceptable (entry->model, MAX_NAME) ||
      !acceptable (entry->softprompt, MAX_NAME))
    return TRUE;
  kept = g_ptr_array_new ();
  for (guint i = 0; entry->texts[i] != NULL && kept->len < MAX_TEXTS; i++)
    if (acceptable (entry->texts[i], MAX_TEXT))
      g_ptr_array_add (kept, entry->texts[i]);
  if (kept->len == 0)
    return TRUE;
  g_ptr_array_add (kept, NULL);
  {
    char **texts = g_strdupv ((char **) kept->pdata);

    g_strfreev (entry->texts);
    entry->texts = texts;
  }
  story = tail (entry->story, HORDE_STUDIO_TEXT_HISTORY_MAX_STORY);
  g_free (entry->story);
  entry->story = story;

  g_ptr_array_insert (self->entries, 0, g_steal_pointer (&owned));
  if (self->entries->len > self->limit)
    g_ptr_array_set_size (self->entries, self->limit);

  return horde_studio_json_store_changed (HORDE_STUDIO_JSON_STORE (self), error);
}

/**
 * horde_studio_text_history_get_n_entries:
 * @self: a #HordeStudioTextHistory
 *
 * Returns: how many generations the history holds
 */
guint
horde_studio_text_history_get_n_entries (HordeStudioTextHistory *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_HISTORY (self), 0);
  return self->entries->len;
}

/**
 * horde_studio_text_history_get_entry:
 * @self: a #HordeStudioTextHistory
 * @position: 0 for the newest
 *
 * Returns: (transfer none) (nullable): the generation at @position, valid
 *   until the history changes
 */
const HordeStudioTextHistoryEntry *
horde_studio_text_history_get_entry (HordeStudioTextHistory *self,
                                     guint                   position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_HISTORY (self), NULL);

  if (position >= self->entries->len)
    return NULL;
  return self->entries->pdata[position];
}

static void
horde_studio_text_history_finalize (GObject *object)
{
  HordeStudioTextHistory *self = (HordeStudioTextHistory *)object;

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_text_history_parent_class)->finalize (object);
}

static void
horde_studio_text_history_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HordeStudioTextHistory *self = HORDE_STUDIO_TEXT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_text_history_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HordeStudioTextHistory *self = HORDE_STUDIO_TEXT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      self->limit = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_text_history_class_init (HordeStudioTextHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeStudioJsonStoreClass *store_class = HORDE_STUDIO_JSON_STORE_CLASS (klass);

  object_class->finalize = horde_studio_text_history_finalize;
  object_class->get_property = horde_studio_text_history_get_property;
  object_class->set_property = horde_studio_text_history_set_property;

  store_class->member = "generations";
  store_class->description = "the text history";
  store_class->pretty = FALSE;
  store_class->clear = horde_studio_text_history_clear;
  store_class->read_item = horde_studio_text_history_read_item;
  store_class->write_items = horde_studio_text_history_write_items;

  /**
   * HordeStudioTextHistory:limit:
   *
   * How many generations the history keeps at most.
   */
  properties [PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, DEFAULT_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_text_history_init (HordeStudioTextHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_studio_text_history_entry_free);
  self->limit = DEFAULT_LIMIT;
}

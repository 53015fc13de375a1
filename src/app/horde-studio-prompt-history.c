/* horde-studio-prompt-history.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "horde-studio-prompt-history.h"

#define DEFAULT_LIMIT 500
/* a prompt longer than this is not one the app wrote */
#define MAX_TEXT 65536

/* HordeStudioPromptHistory: every prompt the user sent (with its negative
 * prompt), newest first, each once, at most a limit of them, kept in a JSON
 * file by its HordeStudioJsonStore parent. Search is by words, in any case
 * and any order. */
struct _HordeStudioPromptHistory
{
  HordeStudioJsonStore parent_instance;

  guint limit;
  GPtrArray *entries;       /* of HordeStudioPromptHistoryEntry, newest first */
};

G_DEFINE_FINAL_TYPE (HordeStudioPromptHistory, horde_studio_prompt_history, HORDE_STUDIO_TYPE_JSON_STORE)

enum {
  PROP_0,
  PROP_LIMIT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
entry_free (HordeStudioPromptHistoryEntry *entry)
{
  g_free (entry->prompt);
  g_free (entry->negative);
  g_free (entry);
}

static HordeStudioPromptHistoryEntry *
entry_new (const char *prompt,
           const char *negative,
           gint64      time)
{
  HordeStudioPromptHistoryEntry *entry = g_new0 (HordeStudioPromptHistoryEntry, 1);

  entry->prompt = g_strdup (prompt);
  entry->negative = g_strdup (negative ? negative : "");
  entry->time = time;
  return entry;
}

/**
 * horde_studio_prompt_history_new:
 * @path: the file the history is kept in
 * @limit: how many prompts it keeps at most
 *
 * Returns: (transfer full): an empty history; horde_studio_prompt_history_load()
 *   reads @path
 */
HordeStudioPromptHistory *
horde_studio_prompt_history_new (const char *path,
                                 guint       limit)
{
  return g_object_new (HORDE_STUDIO_TYPE_PROMPT_HISTORY, "path", path, "limit", limit, NULL);
}

/**
 * horde_studio_prompt_history_get_default:
 *
 * The user's history, in the app's data folder, loaded once and shared by
 * whoever holds it; the next call after the last holder let it go reads
 * the file again.
 *
 * Returns: (transfer full): the user's prompt history
 */
HordeStudioPromptHistory *
horde_studio_prompt_history_get_default (void)
{
  static HordeStudioJsonStore *history;

  return horde_studio_json_store_get_default (HORDE_STUDIO_TYPE_PROMPT_HISTORY, "prompt-history.json", &history);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
acceptable (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL) && strlen (text) <= MAX_TEXT;
}

/**
 * horde_studio_prompt_history_load:
 * @self: a #HordeStudioPromptHistory
 * @error: return location for a #GError
 *
 * Reads the history from its file, in place of what it holds. A missing
 * file is an empty history; entries that are not the app's are left out.
 *
 * Returns: whether the file could be read (if not, the history is empty)
 */
gboolean
horde_studio_prompt_history_load (HordeStudioPromptHistory  *self,
                                  GError                   **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), FALSE);

  return horde_studio_json_store_load (HORDE_STUDIO_JSON_STORE (self), error);
}

static void
horde_studio_prompt_history_clear (HordeStudioJsonStore *store)
{
  HordeStudioPromptHistory *self = HORDE_STUDIO_PROMPT_HISTORY (store);

  g_ptr_array_set_size (self->entries, 0);
}

static gboolean
horde_studio_prompt_history_read_item (HordeStudioJsonStore *store,
                                       JsonObject           *object)
{
  HordeStudioPromptHistory *self = HORDE_STUDIO_PROMPT_HISTORY (store);
  const char *prompt = string_member (object, "prompt");
  const char *negative = string_member (object, "negative");
  gint64 time = json_object_has_member (object, "time")
                ? json_node_get_int (json_object_get_member (object, "time")) : 0;

  if (acceptable (prompt) && *prompt != '\0' && (negative == NULL || acceptable (negative)))
    g_ptr_array_add (self->entries, entry_new (prompt, negative, time));
  return self->entries->len < self->limit;
}

static void
horde_studio_prompt_history_write_items (HordeStudioJsonStore *store,
                                         JsonBuilder          *builder)
{
  HordeStudioPromptHistory *self = HORDE_STUDIO_PROMPT_HISTORY (store);

  for (guint i = 0; i < self->entries->len; i++)
    {
      HordeStudioPromptHistoryEntry *entry = self->entries->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, entry->prompt);
      json_builder_set_member_name (builder, "negative");
      json_builder_add_string_value (builder, entry->negative);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, entry->time);
      json_builder_end_object (builder);
    }
}

/**
 * horde_studio_prompt_history_add:
 * @self: a #HordeStudioPromptHistory
 * @prompt: the prompt sent
 * @negative: (nullable): its negative prompt
 * @time: when, in seconds since the epoch
 * @error: return location for a #GError
 *
 * Puts a prompt first, once (the same prompt and negative prompt sent
 * before moves up), drops the oldest beyond the limit and writes the file.
 * An empty prompt is not kept.
 *
 * Returns: whether the file was written (the history holds the prompt
 *   anyway)
 */
gboolean
horde_studio_prompt_history_add (HordeStudioPromptHistory  *self,
                                 const char                *prompt,
                                 const char                *negative,
                                 gint64                     time,
                                 GError                   **error)
{
  g_autofree char *p = NULL;
  g_autofree char *n = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), FALSE);
  g_return_val_if_fail (prompt != NULL, FALSE);

  p = g_strstrip (g_strdup (prompt));
  n = g_strstrip (g_strdup (negative ? negative : ""));
  if (*p == '\0' || !acceptable (p) || !acceptable (n))
    return TRUE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      HordeStudioPromptHistoryEntry *entry = self->entries->pdata[i];

      if (g_str_equal (entry->prompt, p) && g_str_equal (entry->negative, n))
        {
          g_ptr_array_remove_index (self->entries, i);
          break;
        }
    }
  g_ptr_array_insert (self->entries, 0, entry_new (p, n, time));
  if (self->entries->len > self->limit)
    g_ptr_array_set_size (self->entries, self->limit);

  return horde_studio_json_store_changed (HORDE_STUDIO_JSON_STORE (self), error);
}

/**
 * horde_studio_prompt_history_get_n_entries:
 * @self: a #HordeStudioPromptHistory
 *
 * Returns: how many prompts the history holds
 */
guint
horde_studio_prompt_history_get_n_entries (HordeStudioPromptHistory *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), 0);
  return self->entries->len;
}

/**
 * horde_studio_prompt_history_get_entry:
 * @self: a #HordeStudioPromptHistory
 * @position: 0 for the newest
 *
 * Returns: (transfer none) (nullable): the prompt at @position, valid until
 *   the history changes
 */
const HordeStudioPromptHistoryEntry *
horde_studio_prompt_history_get_entry (HordeStudioPromptHistory *self,
                                       guint                     position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), NULL);

  if (position >= self->entries->len)
    return NULL;
  return self->entries->pdata[position];
}

/**
 * horde_studio_prompt_history_search:
 * @self: a #HordeStudioPromptHistory
 * @query: (nullable): words, all of which an entry's prompt or negative
 *   prompt must contain, in any case; %NULL or "" for all
 *
 * Returns: (transfer container) (element-type HordeStudioPromptHistoryEntry):
 *   the matching entries, newest first, valid until the history changes
 */
GPtrArray *
horde_studio_prompt_history_search (HordeStudioPromptHistory *self,
                                    const char               *query)
{
  g_autofree char *folded_query = NULL;
  g_auto(GStrv) words = NULL;
  GPtrArray *found = g_ptr_array_new ();

  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), found);

  folded_query = g_utf8_casefold (query ? query : "", -1);
  words = g_strsplit_set (folded_query, " \t\n", -1);

  for (guint i = 0; i < self->entries->len; i++)
    {
      HordeStudioPromptHistoryEntry *entry = self->entries->pdata[i];
      g_autofree char *text = g_strconcat (entry->prompt, "\n", entry->negative, NULL);
      g_autofree char *folded = g_utf8_casefold (text, -1);
      gboolean all = TRUE;

      for (guint w = 0; all && words[w]; w++)
        if (*words[w] != '\0' && strstr (folded, words[w]) == NULL)
          all = FALSE;
      if (all)
        g_ptr_array_add (found, entry);
    }

  return found;
}

static void
horde_studio_prompt_history_finalize (GObject *object)
{
  HordeStudioPromptHistory *self = (HordeStudioPromptHistory *)object;

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_prompt_history_parent_class)->finalize (object);
}

static void
horde_studio_prompt_history_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  HordeStudioPromptHistory *self = HORDE_STUDIO_PROMPT_HISTORY (object);

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
horde_studio_prompt_history_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  HordeStudioPromptHistory *self = HORDE_STUDIO_PROMPT_HISTORY (object);

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
horde_studio_prompt_history_class_init (HordeStudioPromptHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeStudioJsonStoreClass *store_class = HORDE_STUDIO_JSON_STORE_CLASS (klass);

  object_class->finalize = horde_studio_prompt_history_finalize;
  object_class->get_property = horde_studio_prompt_history_get_property;
  object_class->set_property = horde_studio_prompt_history_set_property;

  store_class->member = "prompts";
  store_class->description = "the prompt history";
  store_class->pretty = FALSE;
  store_class->clear = horde_studio_prompt_history_clear;
  store_class->read_item = horde_studio_prompt_history_read_item;
  store_class->write_items = horde_studio_prompt_history_write_items;

  /**
   * HordeStudioPromptHistory:limit:
   *
   * How many prompts the history keeps at most.
   */
  properties [PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, DEFAULT_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_prompt_history_init (HordeStudioPromptHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->limit = DEFAULT_LIMIT;
}

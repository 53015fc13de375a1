/* horde-studio-prompt-history.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "horde-studio-prompt-history.h"

#define DEFAULT_LIMIT 500
/* a file larger than this is not one the app wrote */
#define MAX_FILE_SIZE (16 * 1024 * 1024)
/* nor is a prompt longer than this */
#define MAX_TEXT 65536

/* HordeStudioPromptHistory: every prompt the user sent (with its negative
 * prompt), newest first, each once, at most a limit of them, kept in a JSON
 * file written whole at every change (g_file_set_contents: a crash leaves
 * the old file or the new one, never half of one). Search is by words, in
 * any case and any order. */
struct _HordeStudioPromptHistory
{
  GObject parent_instance;

  char *path;
  guint limit;
  GPtrArray *entries;       /* of HordeStudioPromptHistoryEntry, newest first */
};

G_DEFINE_FINAL_TYPE (HordeStudioPromptHistory, horde_studio_prompt_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_LIMIT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

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
  static HordeStudioPromptHistory *history;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (history != NULL)
    return g_object_ref (history);

  path = g_build_filename (g_get_user_data_dir (), "horde-studio", "prompt-history.json", NULL);
  history = horde_studio_prompt_history_new (path, DEFAULT_LIMIT);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  if (!horde_studio_prompt_history_load (history, &error))
    g_warning ("Could not read the prompt history %s: %s", path, error->message);
  return history;
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
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonNode *list;
  gsize length = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_HISTORY (self), FALSE);

  g_ptr_array_set_size (self->entries, 0);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      g_signal_emit (self, signals [CHANGED], 0);
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large", self->path);
      g_signal_emit (self, signals [CHANGED], 0);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, contents, (gssize) length, error))
    {
      g_signal_emit (self, signals [CHANGED], 0);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  list = root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), "prompts") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "%s holds no prompts", self->path);
      g_signal_emit (self, signals [CHANGED], 0);
      return FALSE;
    }

  {
    JsonArray *array = json_node_get_array (list);

    for (guint i = 0; i < json_array_get_length (array) && self->entries->len < self->limit; i++)
      {
        JsonNode *node = json_array_get_element (array, i);
        JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
        const char *prompt = object ? string_member (object, "prompt") : NULL;
        const char *negative = object ? string_member (object, "negative") : NULL;
        gint64 time = object && json_object_has_member (object, "time")
                      ? json_node_get_int (json_object_get_member (object, "time")) : 0;

        if (!acceptable (prompt) || *prompt == '\0' || (negative != NULL && !acceptable (negative)))
          continue;
        g_ptr_array_add (self->entries, entry_new (prompt, negative, time));
      }
  }

  g_signal_emit (self, signals [CHANGED], 0);
  return TRUE;
}

static gboolean
save (HordeStudioPromptHistory  *self,
      GError                   **error)
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
  json_builder_set_member_name (builder, "prompts");
  json_builder_begin_array (builder);
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
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
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

  g_signal_emit (self, signals [CHANGED], 0);
  return save (self, error);
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

  g_clear_pointer (&self->path, g_free);
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
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
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
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
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

  object_class->finalize = horde_studio_prompt_history_finalize;
  object_class->get_property = horde_studio_prompt_history_get_property;
  object_class->set_property = horde_studio_prompt_history_set_property;

  /**
   * HordeStudioPromptHistory:path:
   *
   * The file the history is kept in.
   */
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeStudioPromptHistory:limit:
   *
   * How many prompts the history keeps at most.
   */
  properties [PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, DEFAULT_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HordeStudioPromptHistory::changed:
   * @self: the history
   *
   * Emitted when prompts are added or the history is read again.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
horde_studio_prompt_history_init (HordeStudioPromptHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->limit = DEFAULT_LIMIT;
}

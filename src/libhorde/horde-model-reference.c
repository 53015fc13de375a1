/* horde-model-reference.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include <string.h>

#include "horde-enums.h"
#include "horde-error-private.h"
#include "horde-model-reference.h"
#include "horde-model-reference-private.h"

/**
 * HordeModelReference:
 *
 * The Horde's model references: the image one (`stable_diffusion.json`)
 * and the text one (`db.json`), the JSON files the AI Horde server itself
 * loads, as typed records ([struct@Horde.ImageModelRecord],
 * [struct@Horde.TextModelRecord]), and joined with `/v2/status/models`
 * ([method@Horde.ModelReference.join]).
 *
 * The files come from the public model reference repositories
 * (%HORDE_MODEL_REFERENCE_IMAGE_URL, %HORDE_MODEL_REFERENCE_TEXT_URL) or
 * from the URLs set in [property@Horde.ModelReference:image-url] and
 * [property@Horde.ModelReference:text-url] (horde-sim serves both, at
 * `/model-reference/image.json` and `/model-reference/text.json`).
 *
 * Each file is kept in [property@Horde.ModelReference:cache-dir]. Nothing
 * goes to the network except in [method@Horde.ModelReference.load_async]
 * and its sync form, and then only when the cache is older than
 * [property@Horde.ModelReference:max-age] (a day by default) or the
 * caller asks for %HORDE_MODEL_REFERENCE_REFRESH: the server is asked
 * whether its file changed (`If-None-Match`, `If-Modified-Since`) and
 * sends it again only if it did. When the network fails, an older cache
 * is used and [method@Horde.ModelReference.is_stale] says so; with no
 * cache and no network, loading fails with %HORDE_ERROR_NETWORK.
 * %HORDE_MODEL_REFERENCE_OFFLINE loads from the cache alone.
 *
 * Names are looked up as the server looks them up: exactly, case and
 * all; a text model's name may carry the worker's `::user` suffix or a
 * quantization suffix (`-GGUF-Q8_0`), which the server strips too.
 *
 * The files are untrusted input: at most 32 MiB, every string bounded, an
 * entry that cannot be read skipped rather than failing the file.
 */

#define DEFAULT_MAX_AGE (24 * 60 * 60)
#define DEFAULT_TIMEOUT 30

typedef enum {
  KIND_IMAGE,
  KIND_TEXT,
  N_KINDS
} Kind;

static const char * const kind_names[N_KINDS] = { "image", "text" };

struct _HordeModelReference
{
  GObject parent_instance;

  GMutex lock;
  char *urls[N_KINDS];
  char *cache_dir;
  guint max_age;
  guint timeout;

  /* name → record; replaced whole by a load, never changed after */
  GHashTable *tables[N_KINDS];
  gboolean stale[N_KINDS];
};

G_DEFINE_FINAL_TYPE (HordeModelReference, horde_model_reference, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IMAGE_URL,
  PROP_TEXT_URL,
  PROP_CACHE_DIR,
  PROP_MAX_AGE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
horde_model_reference_finalize (GObject *object)
{
  HordeModelReference *self = (HordeModelReference *)object;

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_clear_pointer (&self->urls[k], g_free);
      g_clear_pointer (&self->tables[k], g_hash_table_unref);
    }
  g_clear_pointer (&self->cache_dir, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (horde_model_reference_parent_class)->finalize (object);
}

static void
horde_model_reference_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HordeModelReference *self = HORDE_MODEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_URL:
      g_value_set_string (value, horde_model_reference_get_image_url (self));
      break;
    case PROP_TEXT_URL:
      g_value_set_string (value, horde_model_reference_get_text_url (self));
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, horde_model_reference_get_cache_dir (self));
      break;
    case PROP_MAX_AGE:
      g_value_set_uint (value, horde_model_reference_get_max_age (self));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, horde_model_reference_get_timeout (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_model_reference_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HordeModelReference *self = HORDE_MODEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_URL:
      horde_model_reference_set_image_url (self, g_value_get_string (value));
      break;
    case PROP_TEXT_URL:
      horde_model_reference_set_text_url (self, g_value_get_string (value));
      break;
    case PROP_CACHE_DIR:
      horde_model_reference_set_cache_dir (self, g_value_get_string (value));
      break;
    case PROP_MAX_AGE:
      horde_model_reference_set_max_age (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      horde_model_reference_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_model_reference_class_init (HordeModelReferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_model_reference_finalize;
  object_class->get_property = horde_model_reference_get_property;
  object_class->set_property = horde_model_reference_set_property;

  /**
   * HordeModelReference:image-url:
   *
   * Where the image model reference is loaded from; %NULL sets the
   * default, %HORDE_MODEL_REFERENCE_IMAGE_URL.
   */
  properties[PROP_IMAGE_URL] =
    g_param_spec_string ("image-url", NULL, NULL, HORDE_MODEL_REFERENCE_IMAGE_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeModelReference:text-url:
   *
   * Where the text model reference is loaded from; %NULL sets the
   * default, %HORDE_MODEL_REFERENCE_TEXT_URL.
   */
  properties[PROP_TEXT_URL] =
    g_param_spec_string ("text-url", NULL, NULL, HORDE_MODEL_REFERENCE_TEXT_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeModelReference:cache-dir:
   *
   * The folder the files are cached in, one file per URL; %NULL sets
   * the default, `libhorde/model-reference` in the user's cache folder
   * (`$XDG_CACHE_HOME`).
   */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeModelReference:max-age:
   *
   * How long, in seconds, a cached file is used without asking the
   * server whether it changed: a day by default (the server itself
   * reloads its reference every hour). 0 asks every time.
   */
  properties[PROP_MAX_AGE] =
    g_param_spec_uint ("max-age", NULL, NULL, 0, G_MAXUINT, DEFAULT_MAX_AGE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HordeModelReference:timeout:
   *
   * How long, in seconds, a download may take before it fails (0: no
   * limit).
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_model_reference_init (HordeModelReference *self)
{
  g_mutex_init (&self->lock);
  self->urls[KIND_IMAGE] = g_strdup (HORDE_MODEL_REFERENCE_IMAGE_URL);
  self->urls[KIND_TEXT] = g_strdup (HORDE_MODEL_REFERENCE_TEXT_URL);
  self->cache_dir = g_build_filename (g_get_user_cache_dir (), "libhorde", "model-reference", NULL);
  self->max_age = DEFAULT_MAX_AGE;
  self->timeout = DEFAULT_TIMEOUT;
}

/**
 * horde_model_reference_new:
 *
 * Makes a model reference with the default URLs and cache; nothing is
 * loaded until [method@Horde.ModelReference.load_async].
 *
 * Returns: (transfer full): a new model reference
 */
HordeModelReference *
horde_model_reference_new (void)
{
  return g_object_new (HORDE_TYPE_MODEL_REFERENCE, NULL);
}

static void
set_url (HordeModelReference *self,
         Kind                 kind,
         const char          *url)
{
  const char *value = url ? url : kind == KIND_IMAGE ? HORDE_MODEL_REFERENCE_IMAGE_URL
                                                     : HORDE_MODEL_REFERENCE_TEXT_URL;
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->urls[kind], value) != 0;
  if (changed)
    {
      g_free (self->urls[kind]);
      self->urls[kind] = g_strdup (value);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[kind == KIND_IMAGE ? PROP_IMAGE_URL : PROP_TEXT_URL]);
}

/**
 * horde_model_reference_get_image_url:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets where the image model reference is loaded from.
 *
 * Returns: where the image model reference is loaded from
 */
const char *
horde_model_reference_get_image_url (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);

  return self->urls[KIND_IMAGE];
}

/**
 * horde_model_reference_set_image_url:
 * @self: a [class@Horde.ModelReference]
 * @url: (nullable): an http or https URL, %NULL for the default
 *
 * Sets [property@Horde.ModelReference:image-url]. Call it before a load,
 * from the thread that owns @self.
 */
void
horde_model_reference_set_image_url (HordeModelReference *self,
                                     const char          *url)
{
  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));

  set_url (self, KIND_IMAGE, url);
}

/**
 * horde_model_reference_get_text_url:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets where the text model reference is loaded from.
 *
 * Returns: where the text model reference is loaded from
 */
const char *
horde_model_reference_get_text_url (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);

  return self->urls[KIND_TEXT];
}

/**
 * horde_model_reference_set_text_url:
 * @self: a [class@Horde.ModelReference]
 * @url: (nullable): an http or https URL, %NULL for the default
 *
 * Sets [property@Horde.ModelReference:text-url]. Call it before a load,
 * from the thread that owns @self.
 */
void
horde_model_reference_set_text_url (HordeModelReference *self,
                                    const char          *url)
{
  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));

  set_url (self, KIND_TEXT, url);
}

/**
 * horde_model_reference_get_cache_dir:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets the folder the files are cached in.
 *
 * Returns: the folder the files are cached in
 */
const char *
horde_model_reference_get_cache_dir (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);

  return self->cache_dir;
}

/**
 * horde_model_reference_set_cache_dir:
 * @self: a [class@Horde.ModelReference]
 * @cache_dir: (nullable) (type filename): a folder, %NULL for the default
 *
 * Sets [property@Horde.ModelReference:cache-dir]. Call it before a load,
 * from the thread that owns @self.
 */
void
horde_model_reference_set_cache_dir (HordeModelReference *self,
                                     const char          *cache_dir)
{
  g_autofree char *value = NULL;
  gboolean changed;

  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));

  value = cache_dir ? g_strdup (cache_dir)
                    : g_build_filename (g_get_user_cache_dir (), "libhorde", "model-reference", NULL);
  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->cache_dir, value) != 0;
  if (changed)
    {
      g_free (self->cache_dir);
      self->cache_dir = g_steal_pointer (&value);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE_DIR]);
}

/**
 * horde_model_reference_get_max_age:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets how long a cached file is used without asking the server.
 *
 * Returns: how long, in seconds, a cached file is used without asking the
 *   server
 */
guint
horde_model_reference_get_max_age (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), 0);

  return self->max_age;
}

/**
 * horde_model_reference_set_max_age:
 * @self: a [class@Horde.ModelReference]
 * @seconds: how long a cached file is used without asking the server
 *
 * Sets [property@Horde.ModelReference:max-age].
 */
void
horde_model_reference_set_max_age (HordeModelReference *self,
                                   guint                seconds)
{
  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));

  if (self->max_age == seconds)
    return;
  self->max_age = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_AGE]);
}

/**
 * horde_model_reference_get_timeout:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets how long a download may take.
 *
 * Returns: how long, in seconds, a download may take (0: no limit)
 */
guint
horde_model_reference_get_timeout (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), 0);

  return self->timeout;
}

/**
 * horde_model_reference_set_timeout:
 * @self: a [class@Horde.ModelReference]
 * @seconds: how long a download may take (0: no limit)
 *
 * Sets [property@Horde.ModelReference:timeout].
 */
void
horde_model_reference_set_timeout (HordeModelReference *self,
                                   guint                seconds)
{
  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/* ---- loading ------------------------------------------------------- */

typedef struct {
  HordeModelReferenceFlags flags;
  char *urls[N_KINDS];
  char *cache_dir;
  guint max_age;
  guint timeout;
} Load;

static void
load_free (Load *load)
{
  for (guint k = 0; k < N_KINDS; k++)
    g_free (load->urls[k]);
  g_free (load->cache_dir);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

/* The cache of one URL: the file and what the server said of it. Named
 * after the URL, so that a reference set to another server never reads
 * the default one's file. */
typedef struct {
  char *path;
  char *meta_path;
  GBytes *bytes;        /* NULL: no usable cache */
  char *etag;
  char *last_modified;
  gint64 fetched;       /* unix time */
} Cache;

static void
cache_clear (Cache *cache)
{
  g_free (cache->path);
  g_free (cache->meta_path);
  g_clear_pointer (&cache->bytes, g_bytes_unref);
  g_free (cache->etag);
  g_free (cache->last_modified);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cache, cache_clear)

/* a header value we send back: printable ASCII, bounded */
static char *
header_value (const char *value)
{
  if (value == NULL || strlen (value) > 256)
    return NULL;
  for (const char *p = value; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return NULL;
  return g_strdup (value);
}

static void
cache_read (Cache      *cache,
            const char *cache_dir,
            Kind        kind,
            const char *url)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autofree char *base = g_strdup_printf ("%s-%.16s.json", kind_names[kind], hash);
  g_autoptr(GKeyFile) meta = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autofree char *meta_url = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  GStatBuf st;
  gsize length = 0;

  cache->path = g_build_filename (cache_dir, base, NULL);
  cache->meta_path = g_strconcat (cache->path, ".meta", NULL);

  if (!g_key_file_load_from_file (meta, cache->meta_path, G_KEY_FILE_NONE, NULL))
    return;
  meta_url = g_key_file_get_string (meta, "cache", "url", NULL);
  if (g_strcmp0 (meta_url, url) != 0)
    return;
  if (g_stat (cache->path, &st) != 0 || st.st_size > HORDE_MODEL_REFERENCE_MAX_BYTES ||
      !g_file_get_contents (cache->path, &contents, &length, NULL) ||
      length > HORDE_MODEL_REFERENCE_MAX_BYTES)
    return;

  etag = g_key_file_get_string (meta, "cache", "etag", NULL);
  last_modified = g_key_file_get_string (meta, "cache", "last-modified", NULL);
  cache->etag = header_value (etag);
  cache->last_modified = header_value (last_modified);
  cache->fetched = g_key_file_get_int64 (meta, "cache", "fetched", NULL);
  cache->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Writes the file, then what is known of it; each atomically. A cache
 * that cannot be written costs a download next time, nothing more. */
static void
cache_write (Cache      *cache,
             const char *cache_dir,
             const char *url,
             GBytes     *bytes,
             const char *etag,
             const char *last_modified)
{
  g_autoptr(GKeyFile) meta = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autofree char *safe_etag = header_value (etag);
  g_autofree char *safe_last_modified = header_value (last_modified);
  gsize length = 0;

  if (g_mkdir_with_parents (cache_dir, 0700) != 0)
    return;
  if (bytes != NULL &&
      !g_file_set_contents_full (cache->path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    return;

  g_key_file_set_string (meta, "cache", "url", url);
  if (safe_etag != NULL)
    g_key_file_set_string (meta, "cache", "etag", safe_etag);
  if (safe_last_modified != NULL)
    g_key_file_set_string (meta, "cache", "last-modified", safe_last_modified);
  g_key_file_set_int64 (meta, "cache", "fetched", g_get_real_time () / G_USEC_PER_SEC);
  data = g_key_file_to_data (meta, &length, NULL);
  g_file_set_contents_full (cache->meta_path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
}

static GHashTable *
parse_kind (Kind          kind,
            GBytes       *bytes,
            GError      **error)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  if (kind == KIND_IMAGE)
    return horde_model_reference_parse_image (data ? data : "", length, NULL, error);
  return horde_model_reference_parse_text (data ? data : "", length, NULL, error);
}

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
}

/* GET @url: the body (at most the cap), or NULL with @not_modified set for
 * a 304, or NULL and @error */
static GBytes *
download (SoupSession  *session,
          const char   *url,
          Cache        *cache,
          gboolean     *not_modified,
          char        **etag,
          char        **last_modified,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *host = url_host (url);
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *headers;
  guint status;
  goffset length;

  *not_modified = FALSE;
  msg = soup_message_new ("GET", url);
  if (msg == NULL || (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")))
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_FAILED,
                   _("“%s” is not an http or https URL"), url);
      return NULL;
    }
  request_headers = soup_message_get_request_headers (msg);
  if (cache->bytes != NULL && cache->etag != NULL)
    soup_message_headers_replace (request_headers, "If-None-Match", cache->etag);
  if (cache->bytes != NULL && cache->last_modified != NULL)
    soup_message_headers_replace (request_headers, "If-Modified-Since", cache->last_modified);

  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT,
                     _("%s did not answer in time"), host);
      else
        g_set_error (error, HORDE_ERROR, HORDE_ERROR_NETWORK,
                     _("Could not reach %s: %s"), host, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  if (status == SOUP_STATUS_NOT_MODIFIED && cache->bytes != NULL)
    {
      *not_modified = TRUE;
      g_input_stream_close (stream, NULL, NULL);
      return NULL;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_input_stream_close (stream, NULL, NULL);
      g_set_error (error, HORDE_ERROR, horde_error_code_for_status (status),
                   _("The model reference at %s answered HTTP %u"), host, status);
      return NULL;
    }

  length = soup_message_headers_get_content_length (headers);
  if (length > HORDE_MODEL_REFERENCE_MAX_BYTES)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                   _("The model reference is larger than %u MiB"),
                   (guint) (HORDE_MODEL_REFERENCE_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }

  body = g_byte_array_new ();
  for (;;)
    {
      guint8 buf[16384];
      gssize n = g_input_stream_read (stream, buf, sizeof buf, cancellable, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, HORDE_ERROR, HORDE_ERROR_NETWORK,
                         _("Could not reach %s: %s"), host, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (body->len + (gsize) n > HORDE_MODEL_REFERENCE_MAX_BYTES)
        {
          g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                       _("The model reference is larger than %u MiB"),
                       (guint) (HORDE_MODEL_REFERENCE_MAX_BYTES / (1024 * 1024)));
          return NULL;
        }
      g_byte_array_append (body, buf, n);
    }
  g_input_stream_close (stream, NULL, NULL);

  *etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  *last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

/* One file: from a fresh cache, else from the server, else from a stale
 * cache; the records, or NULL and @error */
static GHashTable *
load_kind (Load         *load,
           SoupSession **session,
           Kind          kind,
           gboolean     *stale,
           GCancellable *cancellable,
           GError      **error)
{
  g_auto(Cache) cache = { 0, };
  g_autoptr(GHashTable) cached = NULL;
  g_autoptr(GHashTable) fresh = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  const char *url = load->urls[kind];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean cache_fresh, not_modified = FALSE;

  *stale = FALSE;
  cache_read (&cache, load->cache_dir, kind, url);
  if (cache.bytes != NULL)
    cached = parse_kind (kind, cache.bytes, NULL);
  if (cached == NULL)
    g_clear_pointer (&cache.bytes, g_bytes_unref);
  /* a cache from the future (a clock set back) is not fresh */
  cache_fresh = cached != NULL && cache.fetched <= now && now - cache.fetched < (gint64) load->max_age;

  if (cached != NULL && (load->flags & HORDE_MODEL_REFERENCE_OFFLINE))
    {
      *stale = !cache_fresh;
      return g_steal_pointer (&cached);
    }
  if (cached != NULL && cache_fresh && !(load->flags & HORDE_MODEL_REFERENCE_REFRESH))
    return g_steal_pointer (&cached);
  if (load->flags & HORDE_MODEL_REFERENCE_OFFLINE)
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_NETWORK,
                           kind == KIND_IMAGE
                           ? _("The image model reference is not cached, and the network may not be used")
                           : _("The text model reference is not cached, and the network may not be used"));
      return NULL;
    }

  if (*session == NULL)
    *session = soup_session_new_with_options ("user-agent", "libhorde/" PACKAGE_VERSION,
                                              "timeout", load->timeout,
                                              NULL);
  bytes = download (*session, url, &cache, &not_modified, &etag, &last_modified, cancellable, &local_error);
  if (not_modified)
    {
      cache_write (&cache, load->cache_dir, url, NULL, cache.etag, cache.last_modified);
      return g_steal_pointer (&cached);
    }
  if (bytes != NULL)
    fresh = parse_kind (kind, bytes, &local_error);
  if (fresh != NULL)
    {
      cache_write (&cache, load->cache_dir, url, bytes, etag, last_modified);
      return g_steal_pointer (&fresh);
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || cached == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_debug ("Using the stale %s model reference: %s", kind_names[kind], local_error->message);
  *stale = TRUE;
  return g_steal_pointer (&cached);
}

static gboolean
wants (HordeModelReferenceFlags flags,
       Kind                     kind)
{
  HordeModelReferenceFlags which = flags & (HORDE_MODEL_REFERENCE_IMAGE | HORDE_MODEL_REFERENCE_TEXT);

  if (which == 0)
    return TRUE;
  return (which & (kind == KIND_IMAGE ? HORDE_MODEL_REFERENCE_IMAGE : HORDE_MODEL_REFERENCE_TEXT)) != 0;
}

/* Runs in a thread of its own (or the caller's, for the sync form): the
 * files and the cache are read and written with blocking calls, and a
 * SoupSession of its own does the downloads. A kind that fails keeps
 * what was loaded before. */
static gboolean
load_run (HordeModelReference *self,
          Load                *load,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autoptr(SoupSession) session = NULL;

  for (Kind kind = 0; kind < N_KINDS; kind++)
    {
      g_autoptr(GHashTable) table = NULL;
      gboolean stale = FALSE;

      if (!wants (load->flags, kind))
        continue;
      table = load_kind (load, &session, kind, &stale, cancellable, error);
      if (table == NULL)
        return FALSE;
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->tables[kind], g_hash_table_unref);
      self->tables[kind] = g_steal_pointer (&table);
      self->stale[kind] = stale;
      g_mutex_unlock (&self->lock);
    }
  return TRUE;
}

static Load *
load_new (HordeModelReference      *self,
          HordeModelReferenceFlags  flags)
{
  Load *load = g_new0 (Load, 1);

  load->flags = flags;
  g_mutex_lock (&self->lock);
  for (guint k = 0; k < N_KINDS; k++)
    load->urls[k] = g_strdup (self->urls[k]);
  load->cache_dir = g_strdup (self->cache_dir);
  g_mutex_unlock (&self->lock);
  load->max_age = self->max_age;
  load->timeout = self->timeout;
  return load;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (load_run (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * horde_model_reference_load_async:
 * @self: a [class@Horde.ModelReference]
 * @flags: which references to load, and whether the network may be used
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the references are loaded or loading failed
 * @user_data: data for @callback
 *
 * Loads the model references @flags names: from the cache when it is
 * younger than [property@Horde.ModelReference:max-age], else from the
 * server (a conditional request: an unchanged file is not sent again),
 * else, when the server cannot be reached or sends something unusable,
 * from an older cache ([method@Horde.ModelReference.is_stale] then says
 * so). With %HORDE_MODEL_REFERENCE_OFFLINE only the cache is read.
 *
 * The files are read and parsed in a thread, so the main loop never waits
 * on them. A failure keeps what an earlier load gave.
 */
void
horde_model_reference_load_async (HordeModelReference      *self,
                                  HordeModelReferenceFlags  flags,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HORDE_IS_MODEL_REFERENCE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_model_reference_load_async);
  g_task_set_task_data (task, load_new (self, flags), (GDestroyNotify) load_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * horde_model_reference_load_finish:
 * @self: a [class@Horde.ModelReference]
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.ModelReference.load_async].
 *
 * Returns: %TRUE when every reference asked for is loaded (perhaps from a
 *   stale cache); %FALSE and @error (%HORDE_ERROR_NETWORK with no cache and
 *   no network, %HORDE_ERROR_INVALID_RESPONSE for a file that is not a
 *   model reference, %G_IO_ERROR_CANCELLED) otherwise
 */
gboolean
horde_model_reference_load_finish (HordeModelReference  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_model_reference_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * horde_model_reference_load_sync:
 * @self: a [class@Horde.ModelReference]
 * @flags: which references to load, and whether the network may be used
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads the model references, blocking the calling thread: see
 * [method@Horde.ModelReference.load_async].
 *
 * Returns: %TRUE when every reference asked for is loaded
 */
gboolean
horde_model_reference_load_sync (HordeModelReference       *self,
                                 HordeModelReferenceFlags   flags,
                                 GCancellable              *cancellable,
                                 GError                   **error)
{
  g_autoptr(Load) load = NULL;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  load = load_new (self, flags);
  return load_run (self, load, cancellable, error);
}

/**
 * horde_model_reference_is_loaded:
 * @self: a [class@Horde.ModelReference]
 * @which: %HORDE_MODEL_REFERENCE_IMAGE, %HORDE_MODEL_REFERENCE_TEXT, or
 *   both
 *
 * Tells whether every reference @which names has been loaded.
 *
 * Returns: whether every reference @which names has been loaded
 */
gboolean
horde_model_reference_is_loaded (HordeModelReference      *self,
                                 HordeModelReferenceFlags  which)
{
  gboolean loaded = TRUE;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), FALSE);

  g_mutex_lock (&self->lock);
  for (Kind kind = 0; kind < N_KINDS; kind++)
    if (wants (which, kind) && self->tables[kind] == NULL)
      loaded = FALSE;
  g_mutex_unlock (&self->lock);
  return loaded;
}

/**
 * horde_model_reference_is_stale:
 * @self: a [class@Horde.ModelReference]
 * @which: %HORDE_MODEL_REFERENCE_IMAGE, %HORDE_MODEL_REFERENCE_TEXT, or
 *   both
 *
 * Whether a reference @which names came, at its last load, from a cache
 * older than [property@Horde.ModelReference:max-age]: because the server
 * could not be reached or sent something unusable, or because the load
 * was %HORDE_MODEL_REFERENCE_OFFLINE.
 *
 * Returns: %TRUE if one of them is stale
 */
gboolean
horde_model_reference_is_stale (HordeModelReference      *self,
                                HordeModelReferenceFlags  which)
{
  gboolean stale = FALSE;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), FALSE);

  g_mutex_lock (&self->lock);
  for (Kind kind = 0; kind < N_KINDS; kind++)
    if (wants (which, kind) && self->tables[kind] != NULL && self->stale[kind])
      stale = TRUE;
  g_mutex_unlock (&self->lock);
  return stale;
}

static GHashTable *
ref_table (HordeModelReference *self,
           Kind                 kind)
{
  GHashTable *table;

  g_mutex_lock (&self->lock);
  table = self->tables[kind] ? g_hash_table_ref (self->tables[kind]) : NULL;
  g_mutex_unlock (&self->lock);
  return table;
}

/**
 * horde_model_reference_lookup_image:
 * @self: a [class@Horde.ModelReference]
 * @name: an image model's name
 *
 * Finds an image model by its exact name, as the server does.
 *
 * Returns: (transfer full) (nullable): its record, or %NULL when the
 *   image reference is not loaded or does not know @name
 */
HordeImageModelRecord *
horde_model_reference_lookup_image (HordeModelReference *self,
                                    const char          *name)
{
  g_autoptr(GHashTable) table = NULL;
  HordeImageModelRecord *record;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  table = ref_table (self, KIND_IMAGE);
  if (table == NULL || (record = g_hash_table_lookup (table, name)) == NULL)
    return NULL;
  return horde_image_model_record_ref (record);
}

/**
 * horde_model_reference_lookup_text:
 * @self: a [class@Horde.ModelReference]
 * @name: a text model's name
 *
 * Finds a text model as the server does (`is_known_text_model()`): by its
 * exact name, else without a worker's `::user` suffix, else without what
 * the server's pattern takes for a quantization suffix (`-GGUF-Q8_0`,
 * `.i1-Q4_K_M`).
 *
 * Returns: (transfer full) (nullable): its record, or %NULL when the text
 *   reference is not loaded or does not know @name
 */
HordeTextModelRecord *
horde_model_reference_lookup_text (HordeModelReference *self,
                                   const char          *name)
{
  static GRegex *no_q = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autofree char *base = NULL;
  g_autofree char *no_quant = NULL;
  HordeTextModelRecord *record;
  char **parts;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  table = ref_table (self, KIND_TEXT);
  if (table == NULL)
    return NULL;

  /* horde/model_reference.py: split("::"), and two parts mean a name
   * and a user */
  parts = g_strsplit (name, "::", -1);
  base = g_strdup (g_strv_length (parts) == 2 ? parts[0] : name);
  g_strfreev (parts);
  if ((record = g_hash_table_lookup (table, base)) != NULL)
    return horde_text_model_record_ref (record);

  if (g_once_init_enter (&no_q))
    g_once_init_leave (&no_q, g_regex_new ("[.,-][a-zA-Z0-9]+?-?Q(-[Ii]nt)?[2-9]{1,2}([_.-][0-9a-zA-Z]+)*",
                                           G_REGEX_OPTIMIZE, 0, NULL));
  no_quant = g_regex_replace_literal (no_q, base, -1, 0, "", 0, NULL);
  if (no_quant != NULL && (record = g_hash_table_lookup (table, no_quant)) != NULL)
    return horde_text_model_record_ref (record);
  return NULL;
}

static int
compare_image (gconstpointer a,
               gconstpointer b)
{
  return strcmp (horde_image_model_record_get_name (*(HordeImageModelRecord * const *) a),
                 horde_image_model_record_get_name (*(HordeImageModelRecord * const *) b));
}

static int
compare_text (gconstpointer a,
              gconstpointer b)
{
  return strcmp (horde_text_model_record_get_name (*(HordeTextModelRecord * const *) a),
                 horde_text_model_record_get_name (*(HordeTextModelRecord * const *) b));
}

static GPtrArray *
list_kind (HordeModelReference *self,
           Kind                 kind)
{
  g_autoptr(GHashTable) table = ref_table (self, kind);
  GPtrArray *list;
  GHashTableIter iter;
  gpointer record;

  list = g_ptr_array_new_with_free_func (kind == KIND_IMAGE ? (GDestroyNotify) horde_image_model_record_unref
                                                            : (GDestroyNotify) horde_text_model_record_unref);
  if (table == NULL)
    return list;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &record))
    g_ptr_array_add (list, kind == KIND_IMAGE ? (gpointer) horde_image_model_record_ref (record)
                                              : (gpointer) horde_text_model_record_ref (record));
  g_ptr_array_sort (list, kind == KIND_IMAGE ? compare_image : compare_text);
  return list;
}

/**
 * horde_model_reference_list_images:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets every image model of the reference.
 *
 * Returns: (transfer container) (element-type HordeImageModelRecord): every
 *   image model of the reference, by name; empty when it is not loaded.
 *   The array holds a reference to each record and drops it when freed
 *   (g_ptr_array_unref()).
 */
GPtrArray *
horde_model_reference_list_images (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);

  return list_kind (self, KIND_IMAGE);
}

/**
 * horde_model_reference_list_texts:
 * @self: a [class@Horde.ModelReference]
 *
 * Gets every text model of the reference.
 *
 * Returns: (transfer container) (element-type HordeTextModelRecord): every
 *   text model of the reference, by name; empty when it is not loaded.
 *   The array holds a reference to each record and drops it when freed
 *   (g_ptr_array_unref()).
 */
GPtrArray *
horde_model_reference_list_texts (HordeModelReference *self)
{
  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);

  return list_kind (self, KIND_TEXT);
}

/**
 * horde_model_reference_get_info:
 * @self: a [class@Horde.ModelReference]
 * @model: a model as `/v2/status/models` reports it
 *
 * Joins @model with its record: the image record for an image model, the
 * text record for a text model (the answer's `type`; with none, whichever
 * reference knows the name).
 *
 * Returns: (transfer full): the info, with no record when the references
 *   do not know the model (or are not loaded)
 */
HordeModelInfo *
horde_model_reference_get_info (HordeModelReference *self,
                                HordeActiveModel    *model)
{
  g_autoptr(HordeImageModelRecord) image = NULL;
  g_autoptr(HordeTextModelRecord) text = NULL;
  const char *name, *kind;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  name = horde_active_model_get_name (model);
  kind = horde_active_model_get_kind (model);
  if (name != NULL && g_strcmp0 (kind, "text") != 0)
    image = horde_model_reference_lookup_image (self, name);
  if (name != NULL && image == NULL && g_strcmp0 (kind, "image") != 0)
    text = horde_model_reference_lookup_text (self, name);
  return horde_model_info_new (model, image, text);
}

/**
 * horde_model_reference_join:
 * @self: a [class@Horde.ModelReference]
 * @models: the answer of `/v2/status/models`
 *
 * Joins every model of @models with its record
 * ([method@Horde.ModelReference.get_info]), in the order of @models.
 *
 * Returns: (transfer container) (element-type HordeModelInfo): the infos;
 *   the array holds a reference to each and drops it when freed
 *   (g_ptr_array_unref())
 */
GPtrArray *
horde_model_reference_join (HordeModelReference  *self,
                            HordeActiveModelList *models)
{
  HordeActiveModel * const *items;
  GPtrArray *infos;
  gsize n = 0;

  g_return_val_if_fail (HORDE_IS_MODEL_REFERENCE (self), NULL);
  g_return_val_if_fail (models != NULL, NULL);

  items = horde_active_model_list_get_items (models, &n);
  infos = g_ptr_array_new_full (n, (GDestroyNotify) horde_model_info_unref);
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (infos, horde_model_reference_get_info (self, items[i]));
  return infos;
}

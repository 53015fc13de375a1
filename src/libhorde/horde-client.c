/* horde-client.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <libsoup/soup.h>

#include "horde-body-reader-private.h"
#include "horde-client-private.h"
#include "horde-error-private.h"
#include "horde-generated-image.h"
#include "horde-job-private.h"
#include "horde-json-private.h"
#include "horde-model-infos-private.h"
#include "horde-rate-limiter-private.h"
#include "horde-util-private.h"

/**
 * HordeClient:
 *
 * A connection to an AI Horde server.
 *
 * The client holds what every request needs: the base URL of the API
 * ([property@Horde.Client:base-url], `https://aihorde.net/api` unless the
 * `AI_HORDE_URL` environment variable or the caller says otherwise), the API
 * key ([property@Horde.Client:api-key], the anonymous key unless
 * `AI_HORDE_API_KEY` or the caller gives one), the `Client-Agent` header and
 * the timeouts.
 *
 * The AI Horde Ratings API, a separate service, has a base URL of its own
 * ([property@Horde.Client:ratings-base-url], `https://ratings.aihorde.net/api`
 * unless `AI_HORDE_RATINGS_URL` or the caller says otherwise): each
 * operation goes to its service's base URL ([method@Horde.Operation.get_service]),
 * with the same key, agent, retries and pacing.
 *
 * [method@Horde.Client.send_async] sends any request type of libhorde and
 * gives back its typed response: the request knows its operation, and the
 * operation knows the type of each success status.
 *
 * ```c
 * g_auto(GValue) request = G_VALUE_INIT;
 * g_auto(GValue) response = G_VALUE_INIT;
 *
 * g_value_init (&request, HORDE_TYPE_FIND_USER_REQUEST);
 * g_value_take_boxed (&request, horde_find_user_request_new ());
 * if (horde_client_send_sync (client, &request, &response, NULL, &error))
 *   g_print ("%s\n", horde_user_details_get_username (g_value_get_boxed (&response)));
 * ```
 *
 * The client retries what is safe to retry: answers 408, 429, 502, 503 and
 * 504 and network failures, with exponential backoff and jitter, after the
 * delay a `Retry-After` header asks for. A request that is not idempotent
 * (creating a generation, say) is sent again only when the server surely did
 * not act on it: 429, 503, or a connection that never opened. Requests are
 * also paced under the server's rate limits
 * ([method@Horde.Operation.get_rate_limit]), so that a well-behaved program
 * rarely meets a 429 at all.
 *
 * The API key is never logged, and it is sent over plain `http` only to a
 * loopback address unless [property@Horde.Client:allow-insecure] is set.
 * A redirect is followed only on the same server (scheme, host and port),
 * or from `http` to `https` on the same host, with the same method and
 * body; any other fails with %HORDE_ERROR_INVALID_RESPONSE, so that the
 * key never goes where the server points.
 *
 * What a server sends is bounded: an answer is read up to
 * [property@Horde.Client:max-response-size], an image up to
 * [property@Horde.Client:max-download-size], an image's pixels up to
 * [property@Horde.Client:max-image-pixels], and a whole call, its retries
 * and a body sent a byte at a time included, up to
 * [property@Horde.Client:deadline].
 */

#define DEFAULT_CLIENT_AGENT "libhorde:" PACKAGE_VERSION ":https://github.com/hordestudio/horde-studio"
#define DEFAULT_TIMEOUT 30
#define DEFAULT_MAX_RETRIES 4
#define BACKOFF_BASE_MS 500
#define BACKOFF_CAP_MS 30000
#define RETRY_AFTER_CAP_S 300
#define DEFAULT_DEADLINE 120
#define DEFAULT_MAX_RESPONSE_SIZE (G_GUINT64_CONSTANT (128) << 20)
#define DEFAULT_MAX_DOWNLOAD_SIZE (G_GUINT64_CONSTANT (128) << 20)
/* the first kilobytes of an error body say what went wrong */
#define ERROR_BODY_LIMIT (64 * 1024)
#define MAX_REDIRECTS 5

struct _HordeClient
{
  GObject parent_instance;

  char *base_url;
  char *ratings_base_url;
  char *api_key;
  char *client_agent;
  guint timeout;
  guint max_retries;
  guint deadline;
  guint64 max_response_size;
  guint64 max_download_size;
  guint64 max_image_pixels;
  gboolean allow_insecure;
  gboolean pace_requests;

  SoupSession *session;
  GMutex session_lock;
  HordeRateLimiter *limiter;
  HordeRateLimiter *spare_limiter;  /* calls that can wait, by operation */

  GPtrArray *jobs;          /* TrackedJob of each job holding a server request */
  GPtrArray *cancel_all;    /* GTask of each cancel_all waiting for them */
};

/* A job holding a server request. The job is not referenced: it untracks
 * itself before it is finalized. */
typedef struct {
  HordeJob *job;
  GCancellable *cancellable;
} TrackedJob;

static void
tracked_job_free (gpointer data)
{
  TrackedJob *tracked = data;

  g_object_unref (tracked->cancellable);
  g_free (tracked);
}

/* What a cancel_all or clean_up waits with */
typedef struct {
  GSource *source;          /* the caller's cancellable, or NULL */
  GPtrArray *jobs;          /* HordeJob it cancelled, to report */
} CancelAll;

static void
cancel_all_free (gpointer data)
{
  CancelAll *all = data;

  if (all->source != NULL)
    {
      g_source_destroy (all->source);
      g_source_unref (all->source);
    }
  g_ptr_array_unref (all->jobs);
  g_free (all);
}

G_DEFINE_FINAL_TYPE (HordeClient, horde_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_RATINGS_BASE_URL,
  PROP_API_KEY,
  PROP_CLIENT_AGENT,
  PROP_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_DEADLINE,
  PROP_MAX_RESPONSE_SIZE,
  PROP_MAX_DOWNLOAD_SIZE,
  PROP_MAX_IMAGE_PIXELS,
  PROP_ALLOW_INSECURE,
  PROP_PACE_REQUESTS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/**
 * horde_client_new:
 *
 * Makes a client for the server in `AI_HORDE_URL`, or the public AI Horde,
 * with the key in `AI_HORDE_API_KEY`, or the anonymous key. The Ratings API
 * is the one in `AI_HORDE_RATINGS_URL`, or the public one.
 *
 * Making a client touches no network.
 *
 * Returns: (transfer full): a new #HordeClient
 */
HordeClient *
horde_client_new (void)
{
  return g_object_new (HORDE_TYPE_CLIENT, NULL);
}

static void
horde_client_finalize (GObject *object)
{
  HordeClient *self = (HordeClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->ratings_base_url, g_free);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->client_agent, g_free);
  g_clear_object (&self->session);
  g_clear_pointer (&self->limiter, horde_rate_limiter_free);
  g_clear_pointer (&self->spare_limiter, horde_rate_limiter_free);
  g_mutex_clear (&self->session_lock);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->cancel_all, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_client_parent_class)->finalize (object);
}

static void
horde_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HordeClient *self = HORDE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_RATINGS_BASE_URL:
      g_value_set_string (value, self->ratings_base_url);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_CLIENT_AGENT:
      g_value_set_string (value, self->client_agent);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_DEADLINE:
      g_value_set_uint (value, self->deadline);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    case PROP_MAX_DOWNLOAD_SIZE:
      g_value_set_uint64 (value, self->max_download_size);
      break;
    case PROP_MAX_IMAGE_PIXELS:
      g_value_set_uint64 (value, self->max_image_pixels);
      break;
    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;
    case PROP_PACE_REQUESTS:
      g_value_set_boolean (value, self->pace_requests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HordeClient *self = HORDE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      horde_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_RATINGS_BASE_URL:
      horde_client_set_ratings_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      horde_client_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_AGENT:
      horde_client_set_client_agent (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      horde_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      horde_client_set_max_retries (self, g_value_get_uint (value));
      break;
    case PROP_DEADLINE:
      horde_client_set_deadline (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      horde_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_DOWNLOAD_SIZE:
      horde_client_set_max_download_size (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_IMAGE_PIXELS:
      horde_client_set_max_image_pixels (self, g_value_get_uint64 (value));
      break;
    case PROP_ALLOW_INSECURE:
      horde_client_set_allow_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_PACE_REQUESTS:
      horde_client_set_pace_requests (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_client_class_init (HordeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_client_finalize;
  object_class->get_property = horde_client_get_property;
  object_class->set_property = horde_client_set_property;

  /**
   * HordeClient:base-url:
   *
   * The base URL of the API, such as `https://aihorde.net/api` or a local
   * `http://127.0.0.1:PORT/api`. Setting %NULL goes back to `AI_HORDE_URL`
   * or the public AI Horde.
   */
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         HORDE_DEFAULT_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:ratings-base-url:
   *
   * The base URL of the AI Horde Ratings API, to which the operations of
   * %HORDE_SERVICE_RATINGS go: `https://ratings.aihorde.net/api` or a local
   * `http://127.0.0.1:PORT/api`. Setting %NULL goes back to
   * `AI_HORDE_RATINGS_URL` or the public Ratings API. The API key travels
   * there under the same rules as to [property@Horde.Client:base-url]: over
   * plain `http` only to loopback, unless
   * [property@Horde.Client:allow-insecure] is set.
   */
  properties [PROP_RATINGS_BASE_URL] =
    g_param_spec_string ("ratings-base-url", NULL, NULL,
                         HORDE_DEFAULT_RATINGS_BASE_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:api-key:
   *
   * The API key sent with requests that take one. Setting %NULL goes back
   * to `AI_HORDE_API_KEY` or the anonymous key. A request can carry its own
   * key instead (its `apikey` field).
   */
  properties [PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         HORDE_ANONYMOUS_API_KEY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:client-agent:
   *
   * The `Client-Agent` header, `name:version:contact`, by which the Horde
   * knows which program talks to it. Set your program's own.
   */
  properties [PROP_CLIENT_AGENT] =
    g_param_spec_string ("client-agent", NULL, NULL,
                         DEFAULT_CLIENT_AGENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:timeout:
   *
   * How many seconds a connection may stay silent before the request fails
   * with %HORDE_ERROR_TIMEOUT (and is retried where that is safe); 0 waits
   * forever.
   */
  properties [PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:max-retries:
   *
   * How many times a failed request is sent again where that is safe.
   */
  properties [PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 100, DEFAULT_MAX_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:deadline:
   *
   * How many seconds one call may take in all, from its first send: every
   * attempt, the waits between retries (a `Retry-After` included) and the
   * reading of the answer, however slowly the server sends it. A call that
   * runs out of time fails with %HORDE_ERROR_TIMEOUT; a retry whose wait
   * would end past the deadline is not made. 0 sets no limit.
   *
   * Waiting for a turn under the rate limits before the first send does
   * not count ([property@Horde.Client:pace-requests]).
   */
  properties [PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_DEADLINE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:max-response-size:
   *
   * The most bytes of an API answer that the client reads (after it is
   * decompressed): a longer answer fails with
   * %HORDE_ERROR_INVALID_RESPONSE instead of filling the memory. The
   * largest answers of the AI Horde are a few megabytes (the list of
   * workers) and a status with twenty base64 images; the default,
   * 128 MiB, is far above both. Error bodies are read up to their first
   * 64 KiB whatever this says.
   */
  properties [PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL,
                         1024, G_MAXSIZE, DEFAULT_MAX_RESPONSE_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:max-download-size:
   *
   * The most bytes of an image that the client downloads (a generation's
   * `img` URL): a larger one fails with %HORDE_ERROR_INVALID_RESPONSE.
   * What does not start as a WebP, PNG or JPEG image is refused after its
   * first bytes. The default is 128 MiB.
   */
  properties [PROP_MAX_DOWNLOAD_SIZE] =
    g_param_spec_uint64 ("max-download-size", NULL, NULL,
                         1024, G_MAXSIZE, DEFAULT_MAX_DOWNLOAD_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:max-image-pixels:
   *
   * The most pixels an image of a job may have: the size in its header is
   * checked before anything is decoded, and a larger image fails the job's
   * download with %HORDE_ERROR_INVALID_RESPONSE. Decoded, an image takes
   * four bytes a pixel. The default is %HORDE_GENERATED_IMAGE_MAX_PIXELS.
   */
  properties [PROP_MAX_IMAGE_PIXELS] =
    g_param_spec_uint64 ("max-image-pixels", NULL, NULL,
                         1, G_MAXUINT64, HORDE_GENERATED_IMAGE_MAX_PIXELS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:allow-insecure:
   *
   * Whether a non-anonymous API key may be sent over plain `http` to a host
   * that is not loopback, where anyone on the path can read it.
   */
  properties [PROP_ALLOW_INSECURE] =
    g_param_spec_boolean ("allow-insecure", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeClient:pace-requests:
   *
   * Whether requests wait for their turn under the server's rate limits
   * ([method@Horde.Operation.get_rate_limit]). Turn it off only against a
   * server without limits, such as `horde-sim --no-rate-limits`.
   */
  properties [PROP_PACE_REQUESTS] =
    g_param_spec_boolean ("pace-requests", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_client_init (HordeClient *self)
{
  self->client_agent = g_strdup (DEFAULT_CLIENT_AGENT);
  self->timeout = DEFAULT_TIMEOUT;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->deadline = DEFAULT_DEADLINE;
  self->max_response_size = DEFAULT_MAX_RESPONSE_SIZE;
  self->max_download_size = DEFAULT_MAX_DOWNLOAD_SIZE;
  self->max_image_pixels = HORDE_GENERATED_IMAGE_MAX_PIXELS;
  self->pace_requests = TRUE;
  self->limiter = horde_rate_limiter_new ();
  self->spare_limiter = horde_rate_limiter_new ();
  g_mutex_init (&self->session_lock);
  self->jobs = g_ptr_array_new_with_free_func (tracked_job_free);
  self->cancel_all = g_ptr_array_new_with_free_func (g_object_unref);

  horde_client_set_base_url (self, NULL);
  horde_client_set_ratings_base_url (self, NULL);
  horde_client_set_api_key (self, NULL);
}

/* -------------------------------------------------------------------------
 * Properties
 */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Sets a base URL: @value, else $@variable, else @fallback, without the
 * trailing slashes. Returns whether it changed. */
static gboolean
set_base_url (char       **field,
              const char  *value,
              const char  *variable,
              const char  *fallback)
{
  g_autofree char *url = NULL;
  gsize len;

  if (value == NULL || *value == '\0')
    value = g_getenv (variable);
  if (value == NULL || *value == '\0')
    value = fallback;

  url = g_strdup (value);
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  if (g_strcmp0 (url, *field) == 0)
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&url);
  return TRUE;
}

/**
 * horde_client_get_base_url:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:base-url].
 *
 * Returns: the base URL of the API
 */
const char *
horde_client_get_base_url (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * horde_client_set_base_url:
 * @self: a #HordeClient
 * @base_url: (nullable): the base URL of the API, or %NULL for the default
 *
 * Sets [property@Horde.Client:base-url]. A URL that is not `http` or `https`
 * makes each request fail with a message saying so.
 */
void
horde_client_set_base_url (HordeClient *self,
                           const char  *base_url)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (set_base_url (&self->base_url, base_url, "AI_HORDE_URL", HORDE_DEFAULT_BASE_URL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BASE_URL]);
}

/**
 * horde_client_get_ratings_base_url:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:ratings-base-url].
 *
 * Returns: the base URL of the AI Horde Ratings API
 */
const char *
horde_client_get_ratings_base_url (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  return self->ratings_base_url;
}

/**
 * horde_client_set_ratings_base_url:
 * @self: a #HordeClient
 * @ratings_base_url: (nullable): the base URL of the AI Horde Ratings API,
 *   or %NULL for the default
 *
 * Sets [property@Horde.Client:ratings-base-url]. A URL that is not `http`
 * or `https` makes each request of the Ratings API fail with a message
 * saying so.
 */
void
horde_client_set_ratings_base_url (HordeClient *self,
                                   const char  *ratings_base_url)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (set_base_url (&self->ratings_base_url, ratings_base_url,
                    "AI_HORDE_RATINGS_URL", HORDE_DEFAULT_RATINGS_BASE_URL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RATINGS_BASE_URL]);
}

/**
 * horde_client_get_api_key:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:api-key].
 *
 * Returns: the API key
 */
const char *
horde_client_get_api_key (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  return self->api_key;
}

/**
 * horde_client_set_api_key:
 * @self: a #HordeClient
 * @api_key: (nullable): the API key, or %NULL for the default
 *
 * Sets [property@Horde.Client:api-key].
 */
void
horde_client_set_api_key (HordeClient *self,
                          const char  *api_key)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (api_key == NULL || *api_key == '\0')
    api_key = g_getenv ("AI_HORDE_API_KEY");
  if (api_key == NULL || *api_key == '\0')
    api_key = HORDE_ANONYMOUS_API_KEY;

  if (set_string (&self->api_key, api_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_API_KEY]);
}

/**
 * horde_client_get_client_agent:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:client-agent].
 *
 * Returns: the `Client-Agent` header
 */
const char *
horde_client_get_client_agent (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  return self->client_agent;
}

/**
 * horde_client_set_client_agent:
 * @self: a #HordeClient
 * @client_agent: (nullable): `name:version:contact`, or %NULL for libhorde's
 *
 * Sets [property@Horde.Client:client-agent].
 */
void
horde_client_set_client_agent (HordeClient *self,
                               const char  *client_agent)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (client_agent == NULL || *client_agent == '\0')
    client_agent = DEFAULT_CLIENT_AGENT;

  if (set_string (&self->client_agent, client_agent))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT_AGENT]);
}

/**
 * horde_client_get_timeout:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:timeout].
 *
 * Returns: the I/O timeout in seconds, or 0 for none
 */
guint
horde_client_get_timeout (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->timeout;
}

/**
 * horde_client_set_timeout:
 * @self: a #HordeClient
 * @timeout: seconds, or 0 for none
 *
 * Sets [property@Horde.Client:timeout]. It applies to requests started
 * after the call.
 */
void
horde_client_set_timeout (HordeClient *self,
                          guint        timeout)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_mutex_lock (&self->session_lock);
  if (self->session != NULL)
    soup_session_set_timeout (self->session, timeout);
  g_mutex_unlock (&self->session_lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TIMEOUT]);
}

/**
 * horde_client_get_max_retries:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:max-retries].
 *
 * Returns: how many times a failed request may be sent again
 */
guint
horde_client_get_max_retries (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->max_retries;
}

/**
 * horde_client_set_max_retries:
 * @self: a #HordeClient
 * @max_retries: how many times a failed request may be sent again
 *
 * Sets [property@Horde.Client:max-retries].
 */
void
horde_client_set_max_retries (HordeClient *self,
                              guint        max_retries)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (self->max_retries == max_retries)
    return;

  self->max_retries = max_retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_RETRIES]);
}

/**
 * horde_client_get_deadline:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:deadline].
 *
 * Returns: how many seconds one call may take in all, or 0 for no limit
 */
guint
horde_client_get_deadline (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->deadline;
}

/**
 * horde_client_set_deadline:
 * @self: a #HordeClient
 * @deadline: seconds, or 0 for no limit
 *
 * Sets [property@Horde.Client:deadline]. It applies to calls started after
 * this one.
 */
void
horde_client_set_deadline (HordeClient *self,
                           guint        deadline)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  if (self->deadline == deadline)
    return;

  self->deadline = deadline;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEADLINE]);
}

/**
 * horde_client_get_max_response_size:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:max-response-size].
 *
 * Returns: the most bytes of an API answer the client reads
 */
guint64
horde_client_get_max_response_size (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->max_response_size;
}

/**
 * horde_client_set_max_response_size:
 * @self: a #HordeClient
 * @max_response_size: bytes, at least 1024
 *
 * Sets [property@Horde.Client:max-response-size].
 */
void
horde_client_set_max_response_size (HordeClient *self,
                                    guint64      max_response_size)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (max_response_size >= 1024 && max_response_size <= G_MAXSIZE);

  if (self->max_response_size == max_response_size)
    return;

  self->max_response_size = max_response_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_RESPONSE_SIZE]);
}

/**
 * horde_client_get_max_download_size:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:max-download-size].
 *
 * Returns: the most bytes of an image the client downloads
 */
guint64
horde_client_get_max_download_size (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->max_download_size;
}

/**
 * horde_client_set_max_download_size:
 * @self: a #HordeClient
 * @max_download_size: bytes, at least 1024
 *
 * Sets [property@Horde.Client:max-download-size].
 */
void
horde_client_set_max_download_size (HordeClient *self,
                                    guint64      max_download_size)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (max_download_size >= 1024 && max_download_size <= G_MAXSIZE);

  if (self->max_download_size == max_download_size)
    return;

  self->max_download_size = max_download_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_DOWNLOAD_SIZE]);
}

/**
 * horde_client_get_max_image_pixels:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:max-image-pixels].
 *
 * Returns: the most pixels of an image the jobs of this client decode
 */
guint64
horde_client_get_max_image_pixels (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);
  return self->max_image_pixels;
}

/**
 * horde_client_set_max_image_pixels:
 * @self: a #HordeClient
 * @max_image_pixels: pixels, at least 1
 *
 * Sets [property@Horde.Client:max-image-pixels].
 */
void
horde_client_set_max_image_pixels (HordeClient *self,
                                   guint64      max_image_pixels)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (max_image_pixels >= 1);

  if (self->max_image_pixels == max_image_pixels)
    return;

  self->max_image_pixels = max_image_pixels;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_IMAGE_PIXELS]);
}

/**
 * horde_client_get_allow_insecure:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:allow-insecure].
 *
 * Returns: whether the API key may travel over plain `http`
 */
gboolean
horde_client_get_allow_insecure (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  return self->allow_insecure;
}

/**
 * horde_client_set_allow_insecure:
 * @self: a #HordeClient
 * @allow_insecure: whether the API key may travel over plain `http`
 *
 * Sets [property@Horde.Client:allow-insecure].
 */
void
horde_client_set_allow_insecure (HordeClient *self,
                                 gboolean     allow_insecure)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  allow_insecure = !!allow_insecure;
  if (self->allow_insecure == allow_insecure)
    return;

  self->allow_insecure = allow_insecure;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ALLOW_INSECURE]);
}

/**
 * horde_client_get_pace_requests:
 * @self: a #HordeClient
 *
 * Gets [property@Horde.Client:pace-requests].
 *
 * Returns: whether requests are paced under the server's rate limits
 */
gboolean
horde_client_get_pace_requests (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  return self->pace_requests;
}

/**
 * horde_client_set_pace_requests:
 * @self: a #HordeClient
 * @pace_requests: whether to pace requests
 *
 * Sets [property@Horde.Client:pace-requests].
 */
void
horde_client_set_pace_requests (HordeClient *self,
                                gboolean     pace_requests)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  pace_requests = !!pace_requests;
  if (self->pace_requests == pace_requests)
    return;

  self->pace_requests = pace_requests;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PACE_REQUESTS]);
}

/* -------------------------------------------------------------------------
 * Sending
 */

static SoupSession *
get_session (HordeClient *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->session_lock);

  if (self->session == NULL)
    self->session = g_object_new (SOUP_TYPE_SESSION,
                                  "user-agent", "libhorde/" PACKAGE_VERSION,
                                  "timeout", self->timeout,
                                  "max-conns-per-host", 8,
                                  NULL);

  return g_object_ref (self->session);
}

typedef enum {
  EXCHANGE_API,        /* a request of the API: JSON in, typed JSON out */
  EXCHANGE_DOWNLOAD,   /* a plain GET of a URL: bytes out */
  EXCHANGE_UPLOAD,     /* a plain PUT of bytes to a URL */
} ExchangeKind;

typedef struct {
  ExchangeKind kind;
  const HordeOperation *op;   /* EXCHANGE_API */
  gpointer request;           /* EXCHANGE_API: the request model */
  char *method;
  char *url;
  char *apikey;               /* NULL: send none */
  char *x_fields;
  char *idempotency_key;
  GBytes *body;
  gboolean idempotent;
  guint attempt;
  guint redirects;
  SoupMessage *message;
  guint status;               /* of the last answer */
  char *content_type;         /* EXCHANGE_DOWNLOAD: of the answer; EXCHANGE_UPLOAD: of the body */

  /* every wait and every read of the exchange stops on this one: the
   * caller cancelled, or the deadline passed */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_handler;
  guint deadline_s;           /* 0: none */
  gint64 deadline;            /* monotonic µs, from the first send; 0 until then */
  GSource *deadline_source;
  gboolean deadline_passed;
} Exchange;

static const char *
exchange_name (Exchange *ex)
{
  switch (ex->kind)
    {
    case EXCHANGE_API: return ex->op->path;
    case EXCHANGE_DOWNLOAD: return "(download)";
    case EXCHANGE_UPLOAD: return "(upload)";
    default: return "";
    }
}

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  g_clear_pointer (&ex->request, horde_model_unref);
  g_free (ex->method);
  g_free (ex->url);
  g_free (ex->apikey);
  g_free (ex->x_fields);
  g_free (ex->idempotency_key);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_clear_object (&ex->message);
  g_free (ex->content_type);
  if (ex->caller_handler != 0)
    g_cancellable_disconnect (ex->caller_cancellable, ex->caller_handler);
  g_clear_object (&ex->caller_cancellable);
  g_clear_object (&ex->cancellable);
  if (ex->deadline_source != NULL)
    {
      g_source_destroy (ex->deadline_source);
      g_source_unref (ex->deadline_source);
    }
  g_free (ex);
}

/* The path of @template with the request's parameters. A parameter is one
 * segment whatever it holds: "/" is escaped. "." and ".." (a job id a
 * server sent, say) are refused: URLs read them as dot segments, escaped
 * or not (GUri decodes %2E), and DELETE /v2/generate/status/.. would be
 * DELETE /v2/generate/. An empty one names no resource. */
static char *
expand_path (const HordeModel  *request,
             const char        *template,
             GError           **error)
{
  g_autoptr(GString) path = g_string_new (NULL);
  const char *p = template;

  while (*p)
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      const HordeFieldInfo *f;

      if (open == NULL || (close = strchr (open, '}')) == NULL)
        {
          g_string_append (path, p);
          break;
        }

      g_string_append_len (path, p, open - p);
      name = g_strndup (open + 1, close - open - 1);
      f = horde_model_info_find_field (request->info, name);
      g_assert (f != NULL && f->location == HORDE_FIELD_LOCATION_PATH);
      value = horde_model_dup_field_string (request, f - request->info->fields);

      if (value == NULL || *value == '\0' || g_str_equal (value, ".") || g_str_equal (value, ".."))
        {
          g_set_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION,
                       _("The request's %s “%s” cannot be part of a URL"), name, value ? value : "");
          return NULL;
        }
      {
        g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

        g_string_append (path, escaped);
      }
      p = close + 1;
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static char *
build_query (const HordeModel *request)
{
  g_autoptr(GString) query = NULL;

  for (guint i = 0; i < request->info->n_fields; i++)
    {
      const HordeFieldInfo *f = &request->info->fields[i];
      g_autofree char *value = NULL;
      g_autofree char *escaped = NULL;

      if (f->location != HORDE_FIELD_LOCATION_QUERY || !horde_model_field_is_set (request, i))
        continue;

      value = horde_model_dup_field_string (request, i);
      escaped = g_uri_escape_string (value, NULL, FALSE);
      if (query == NULL)
        query = g_string_new ("?");
      else
        g_string_append_c (query, '&');
      g_string_append_printf (query, "%s=%s", f->json_name, escaped);
    }

  return query ? g_string_free (g_steal_pointer (&query), FALSE) : g_strdup ("");
}

static char *
header_field (const HordeModel *request,
              const char       *name)
{
  const HordeFieldInfo *f = horde_model_info_find_field (request->info, name);

  if (f == NULL || f->location != HORDE_FIELD_LOCATION_HEADER)
    return NULL;

  return horde_model_dup_field_string (request, f - request->info->fields);
}

static gboolean
has_body (const HordeModel *request)
{
  for (guint i = 0; i < request->info->n_fields; i++)
    if (request->info->fields[i].location == HORDE_FIELD_LOCATION_BODY)
      return TRUE;

  return request->extra != NULL && json_object_get_size (request->extra) > 0;
}

/* The base URL of @service's API */
static const char *
service_base_url (HordeClient *self,
                  HordeService service)
{
  switch (service)
    {
    case HORDE_SERVICE_RATINGS:
      return self->ratings_base_url;
    case HORDE_SERVICE_HORDE:
    default:
      return self->base_url;
    }
}

/* Everything of the HTTP exchange that does not change between attempts,
 * worked out once; errors here are the caller's, never retried. */
static Exchange *
exchange_new_for_request (HordeClient  *self,
                          gpointer      request,
                          GError      **error)
{
  const HordeModel *model = request;
  const HordeOperation *op = model->info->operation;
  const char *base_url = service_base_url (self, op->service);
  g_autoptr(GUri) base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *apikey = NULL;
  Exchange *ex;

  if (!horde_model_validate (request, error))
    return NULL;

  base = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (base == NULL ||
      (g_strcmp0 (g_uri_get_scheme (base), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (base), "https") != 0) ||
      g_uri_get_host (base) == NULL || *g_uri_get_host (base) == '\0')
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_FAILED,
                   _("The server address “%s” is not an http or https URL"), base_url);
      return NULL;
    }

  /* a key goes only where the operation takes one */
  if (horde_model_info_find_field (model->info, "apikey") != NULL)
    {
      apikey = header_field (model, "apikey");
      if (apikey == NULL)
        apikey = g_strdup (self->api_key);
    }

  if (apikey != NULL &&
      !g_str_equal (apikey, HORDE_ANONYMOUS_API_KEY) &&
      g_str_equal (g_uri_get_scheme (base), "http") &&
      !horde_uri_is_loopback (base) &&
      !self->allow_insecure)
    {
      g_set_error (error, HORDE_ERROR, HORDE_ERROR_INSECURE,
                   _("Refusing to send the API key over plain http to %s: use https, "
                     "or allow insecure connections"),
                   g_uri_get_host (base));
      return NULL;
    }

  path = expand_path (model, op->path, error);
  if (path == NULL)
    return NULL;
  query = build_query (model);

  ex = g_new0 (Exchange, 1);
  ex->kind = EXCHANGE_API;
  ex->op = op;
  ex->request = horde_model_ref (request);
  ex->method = g_strdup (op->method);
  ex->url = g_strconcat (base_url, path, query, NULL);
  ex->apikey = g_steal_pointer (&apikey);
  ex->x_fields = header_field (model, "X-Fields");
  ex->idempotency_key = header_field (model, "Idempotency-Key");
  ex->idempotent = op->idempotent ||
                   (op->idempotency_header != NULL && ex->idempotency_key != NULL);

  if (has_body (model))
    {
      char *json = horde_model_to_json (request);
      ex->body = g_bytes_new_take (json, strlen (json));
    }

  return ex;
}

static SoupMessage *
exchange_message (HordeClient *self,
                  Exchange    *ex)
{
  SoupMessage *msg = soup_message_new (ex->method, ex->url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;

  headers = soup_message_get_request_headers (msg);

  /* A redirect would take the key (and a body) wherever the server says:
   * the API's are followed by hand, on the same server only (see
   * exchange_redirect()); an upload's presigned URL has no reason to move. */
  if (ex->kind != EXCHANGE_DOWNLOAD)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  if (ex->kind == EXCHANGE_API)
    {
      soup_message_headers_replace (headers, "Client-Agent", self->client_agent);
      soup_message_headers_replace (headers, "Accept", "application/json");
      if (ex->apikey != NULL)
        soup_message_headers_replace (headers, "apikey", ex->apikey);
      if (ex->x_fields != NULL)
        soup_message_headers_replace (headers, "X-Fields", ex->x_fields);
      if (ex->idempotency_key != NULL)
        soup_message_headers_replace (headers, "Idempotency-Key", ex->idempotency_key);
      if (ex->body != NULL)
        soup_message_set_request_body_from_bytes (msg, "application/json", ex->body);
    }
  else if (ex->kind == EXCHANGE_UPLOAD)
    soup_message_set_request_body_from_bytes (msg, ex->content_type, ex->body);

  return msg;
}

static void exchange_attempt (GTask *task);

/* What the exchange is, in messages: "GET /v2/workers", or the host of a
 * download or an upload */
static char *
exchange_describe (Exchange *ex)
{
  g_autoptr(GUri) uri = NULL;

  if (ex->kind == EXCHANGE_API)
    return g_strdup_printf ("%s %s", ex->op->method, ex->op->path);

  uri = g_uri_parse (ex->url, G_URI_FLAGS_NONE, NULL);
  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "?");
}

/* Every failure goes out here: a cancellation that the deadline caused is
 * a timeout to the caller, not a cancellation. */
static void
exchange_return_error (GTask  *task,
                       GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && ex->deadline_passed &&
      !g_cancellable_is_cancelled (ex->caller_cancellable))
    {
      g_autofree char *what = exchange_describe (ex);

      g_clear_error (&error);
      error = g_error_new (HORDE_ERROR, HORDE_ERROR_TIMEOUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%s did not finish within %u second",
                                        "%s did not finish within %u seconds",
                                        ex->deadline_s),
                           what, ex->deadline_s);
    }

  g_task_return_error (task, error);
}

static gboolean
exchange_deadline_passed (gpointer user_data)
{
  Exchange *ex = user_data;

  ex->deadline_passed = TRUE;
  g_cancellable_cancel (ex->cancellable);
  g_clear_pointer (&ex->deadline_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

/* The deadline counts from the first send, so that waiting for a turn
 * under the rate limits (many jobs polling, say) does not use it up. */
static void
exchange_start_deadline (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  if (ex->deadline != 0 || ex->deadline_s == 0)
    return;

  ex->deadline = g_get_monotonic_time () + (gint64) ex->deadline_s * G_USEC_PER_SEC;
  ex->deadline_source = g_timeout_source_new ((guint) MIN ((guint64) ex->deadline_s * 1000, G_MAXUINT));
  g_source_set_callback (ex->deadline_source, exchange_deadline_passed, ex, NULL);
  g_source_set_static_name (ex->deadline_source, "[libhorde] call deadline");
  g_source_attach (ex->deadline_source, g_task_get_context (task));
}

/* Whether a wait of @delay_ms still ends before the deadline */
static gboolean
exchange_has_time_for (Exchange *ex,
                       gint64    delay_ms)
{
  return ex->deadline == 0 || g_get_monotonic_time () + delay_ms * 1000 < ex->deadline;
}

static void
exchange_wait_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!horde_sleep_finish (result, &error))
    {
      exchange_return_error (task, error);
      return;
    }

  exchange_attempt (g_steal_pointer (&task));
}

/* Waits @delay_ms, then as long as the rate limit needs, then sends. */
static void
exchange_schedule (GTask *task,
                   guint  delay_ms)
{
  HordeClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  gint64 at = now + (gint64) delay_ms * 1000;

  if (self->pace_requests && ex->kind == EXCHANGE_API)
    at = horde_rate_limiter_reserve (self->limiter, ex->op,
                                     ex->op->rate_requests, ex->op->rate_seconds, at);

  if (at <= now)
    {
      exchange_attempt (g_object_ref (task));
      return;
    }

  horde_sleep_async ((guint) ((at - now + 999) / 1000),
                     ex->cancellable,
                     exchange_wait_done,
                     g_object_ref (task));
}

gboolean
horde_client_take_spare_turn (HordeClient *self,
                              gpointer     request,
                              guint        spare_requests,
                              guint        spare_seconds)
{
  const HordeModel *model = request;
  const HordeOperation *op = model->info->operation;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);

  if (self->pace_requests &&
      horde_rate_limiter_peek (self->limiter, op, op->rate_requests, op->rate_seconds, now) > now)
    return FALSE;
  if (horde_rate_limiter_peek (self->spare_limiter, op, spare_requests, spare_seconds, now) > now)
    return FALSE;

  horde_rate_limiter_reserve (self->spare_limiter, op, spare_requests, spare_seconds, now);
  return TRUE;
}

/* Retry-After is seconds or an HTTP date; -1 when absent or unreadable */
static gint64
retry_after_ms (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return horde_retry_after_ms (value, now);
}

/* Whether the failure may clear up, and resending cannot do harm twice */
static gboolean
should_retry (Exchange     *ex,
              guint         status,
              const GError *transport_error,
              const char   *rc)
{
  if (transport_error != NULL)
    {
      /* the connection never opened: nothing reached the server */
      if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
          g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
          g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
          transport_error->domain == G_RESOLVER_ERROR)
        return TRUE;
      return ex->idempotent && !g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }

  switch (status)
    {
    case 429:
      /* a per-user limit, not a rate limit: waiting seconds will not help */
      return g_strcmp0 (rc, "TooManyPrompts") != 0;
    case 503:
      return TRUE;
    case 408:
    case 502:
    case 504:
      return ex->idempotent;
    default:
      return FALSE;
    }
}

static GError *
transport_error_to_horde (const GError *error,
                          const char   *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : url;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (HORDE_ERROR, HORDE_ERROR_TIMEOUT,
                        _("%s did not answer in time"), host);

  return g_error_new (HORDE_ERROR, HORDE_ERROR_NETWORK,
                      _("Could not reach %s: %s"), host, error->message);
}

static gboolean
parse_answer (Exchange  *ex,
              GBytes    *body,
              GValue    *value,
              GError   **error)
{
  GType type = horde_operation_get_response_type (ex->op, ex->status);
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autoptr(GError) local_error = NULL;

  if (type == G_TYPE_INVALID)
    type = horde_operation_get_success_response_type (ex->op);

  if (type == JSON_TYPE_NODE)
    {
      g_autoptr(JsonNode) root = (data != NULL && len > 0) ? horde_json_parse (data, len, &local_error)
                                                           : json_node_init_null (json_node_alloc ());

      if (root == NULL)
        goto invalid;
      g_value_init (value, type);
      g_value_set_boxed (value, root);
      return TRUE;
    }

  {
    gpointer model = horde_model_read (horde_model_info_from_type (type), data ? data : "", len, &local_error);

    if (model == NULL)
      goto invalid;
    g_value_init (value, type);
    g_value_take_boxed (value, model);
    return TRUE;
  }

invalid:
  g_set_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
               /* TRANSLATORS: a method, a path and what is wrong with the answer */
               _("The server's answer to %s %s is not what the API describes (%s)"),
               ex->op->method, ex->op->path, local_error->message);
  return FALSE;
}

static void
free_value (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

/* Ports as they are when the URL gives none */
static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Whether a redirect from @from to @to may be followed with the API key
 * and the request as it is: to the same server (scheme, host and port),
 * or from http to https on the same host and default ports. A 301, 302
 * or 303 turns a request with a body into a GET, which is not the request
 * the caller made: only GET and HEAD follow those. */
gboolean
horde_redirect_is_allowed (GUri       *from,
                           GUri       *to,
                           const char *method,
                           guint       status)
{
  const char *from_scheme = g_uri_get_scheme (from);
  const char *to_scheme = g_uri_get_scheme (to);
  gboolean same_origin, upgrade;

  if (g_uri_get_host (to) == NULL || g_uri_get_host (from) == NULL ||
      (g_ascii_strcasecmp (to_scheme, "http") != 0 && g_ascii_strcasecmp (to_scheme, "https") != 0))
    return FALSE;

  if (g_ascii_strcasecmp (g_uri_get_host (from), g_uri_get_host (to)) != 0)
    return FALSE;

  same_origin = g_ascii_strcasecmp (from_scheme, to_scheme) == 0 && uri_port (from) == uri_port (to);
  upgrade = g_ascii_strcasecmp (from_scheme, "http") == 0 && g_ascii_strcasecmp (to_scheme, "https") == 0 &&
            uri_port (from) == 80 && uri_port (to) == 443;
  if (!same_origin && !upgrade)
    return FALSE;

  switch (status)
    {
    case 307:
    case 308:
      return TRUE;
    case 301:
    case 302:
    case 303:
      return g_ascii_strcasecmp (method, "GET") == 0 || g_ascii_strcasecmp (method, "HEAD") == 0;
    default:
      return FALSE;
    }
}

/* Server text in a message: at most @max bytes, cut on a character */
static char *
bounded_text (const char *text,
              gsize       max)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  const char *end;

  if (strlen (valid) <= max)
    return g_steal_pointer (&valid);

  end = g_utf8_find_prev_char (valid, valid + max + 1);
  return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

/* Takes the redirect of an API request when it may be followed (NULL),
 * or says why not */
static GError *
exchange_redirect (Exchange *ex)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (ex->message),
                                                       "Location");
  GUri *from = soup_message_get_uri (ex->message);
  g_autoptr(GUri) to = NULL;
  g_autofree char *what = exchange_describe (ex);

  if (location != NULL)
    to = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);

  if (to == NULL)
    return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                        _("The server answered %s with a redirect (HTTP %u) to no address"),
                        what, ex->status);

  if (ex->kind != EXCHANGE_API ||
      !horde_redirect_is_allowed (from, to, ex->method, ex->status))
    {
      g_autofree char *target = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (to), NULL,
                                            g_uri_get_host (to), g_uri_get_port (to), "", NULL, NULL);
      g_autofree char *shown = bounded_text (target, 200);

      return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                          _("The server sent %s on to another address (%s): libhorde follows a "
                            "redirect only on the same server, so that the API key and the "
                            "request stay there"),
                          what, shown);
    }

  if (ex->redirects >= MAX_REDIRECTS)
    return g_error_new (HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                        _("The server redirected %s more than %d times"), what, MAX_REDIRECTS);

  g_debug ("%s %s: redirected (%u)", ex->method, exchange_name (ex), ex->status);
  ex->redirects++;
  g_free (ex->url);
  ex->url = g_uri_to_string (to);

  return NULL;
}

/* What came back, whole: a success, or a failure to retry or to return */
static void
exchange_answered (GTask  *task,
                   GBytes *body,
                   GError *transport_error)
{
  HordeClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autofree char *rc = NULL;
  GError *failure = NULL;
  gint64 delay_ms = -1;

  if (transport_error != NULL)
    {
      if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          transport_error->domain == HORDE_ERROR)
        {
          exchange_return_error (task, transport_error);
          return;
        }
      g_debug ("%s %s: %s", ex->method, exchange_name (ex), transport_error->message);
      failure = transport_error_to_horde (transport_error, ex->url);
      if (should_retry (ex, 0, transport_error, NULL))
        delay_ms = horde_backoff_ms (BACKOFF_BASE_MS, BACKOFF_CAP_MS, ex->attempt);
      g_error_free (transport_error);
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      if (ex->kind == EXCHANGE_DOWNLOAD)
        {
          const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (ex->message), NULL);

          ex->content_type = g_strdup (type);
          g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
        }
      else if (ex->kind == EXCHANGE_UPLOAD)
        g_task_return_boolean (task, TRUE);
      else
        {
          GValue *value = g_new0 (GValue, 1);

          if (parse_answer (ex, body, value, &failure))
            g_task_return_pointer (task, value, free_value);
          else
            {
              g_free (value);
              g_task_return_error (task, failure);
            }
        }
      return;
    }
  else
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      failure = horde_error_new_for_answer (ex->status, soup_message_get_reason_phrase (ex->message),
                                            data, len);
      rc = g_strdup (horde_error_get_rc (failure));
      if (should_retry (ex, ex->status, NULL, rc))
        {
          gint64 asked = retry_after_ms (ex->message);

          if (asked > (gint64) RETRY_AFTER_CAP_S * 1000)
            delay_ms = -1;       /* longer than anyone wants a call to hang */
          else if (asked >= 0)
            delay_ms = asked + g_random_int_range (0, 250);
          else
            delay_ms = horde_backoff_ms (BACKOFF_BASE_MS, BACKOFF_CAP_MS, ex->attempt);
        }
    }

  /* a wait that would outlast the deadline fails now, with what is known */
  if (delay_ms >= 0 && ex->attempt < self->max_retries && exchange_has_time_for (ex, delay_ms))
    {
      g_debug ("retrying in %" G_GINT64_FORMAT " ms (%s)", delay_ms, failure->message);
      g_clear_error (&failure);
      ex->attempt++;
      exchange_schedule (task, (guint) delay_ms);
      return;
    }

  g_task_return_error (task, failure);
}

static void
exchange_body_read (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = horde_body_read_finish (G_INPUT_STREAM (object), result, &error);
  if (body == NULL && error->domain == HORDE_ERROR)
    {
      g_autofree char *what = exchange_describe (ex);

      g_prefix_error (&error, "%s: ", what);
    }

  exchange_answered (task, body, error);
}

static void
exchange_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HordeClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;
  GError *error = NULL;
  HordeBodyReadFlags flags = HORDE_BODY_READ_NONE;
  gsize limit;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      exchange_answered (task, NULL, error);
      return;
    }

  ex->status = soup_message_get_status (ex->message);
  g_debug ("%s %s → %u", ex->method, exchange_name (ex), ex->status);

  /* libsoup follows a download's redirects itself: no key travels there */
  if (ex->kind != EXCHANGE_DOWNLOAD &&
      (ex->status == 301 || ex->status == 302 || ex->status == 303 ||
       ex->status == 307 || ex->status == 308))
    {
      error = exchange_redirect (ex);
      if (error != NULL)
        exchange_answered (task, NULL, error);
      else
        exchange_attempt (g_steal_pointer (&task));
      return;
    }

  headers = soup_message_get_response_headers (ex->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      /* what went wrong is in the first kilobytes */
      limit = ERROR_BODY_LIMIT;
      flags = HORDE_BODY_READ_TRUNCATE;
    }
  else
    {
      limit = ex->kind == EXCHANGE_DOWNLOAD ? self->max_download_size : self->max_response_size;
      if (ex->kind == EXCHANGE_DOWNLOAD)
        flags = HORDE_BODY_READ_IMAGE;

      /* a length said up front is refused before a byte is read */
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          soup_message_headers_get_list (headers, "Content-Encoding") == NULL &&
          (guint64) soup_message_headers_get_content_length (headers) > limit)
        {
          g_autofree char *what = exchange_describe (ex);

          error = horde_body_too_large_error (limit);
          g_prefix_error (&error, "%s: ", what);
          exchange_answered (task, NULL, error);
          return;
        }
    }

  horde_body_read_async (stream, limit, flags, ex->cancellable,
                         exchange_body_read, g_steal_pointer (&task));
}

static void
exchange_attempt (GTask *task)
{
  g_autoptr(GTask) owned = task;
  HordeClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(SoupSession) session = NULL;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (ex->cancellable, &error))
    {
      exchange_return_error (task, error);
      return;
    }

  g_clear_object (&ex->message);
  ex->message = exchange_message (self, ex);
  if (ex->message == NULL)
    {
      g_task_return_new_error (task, HORDE_ERROR, HORDE_ERROR_FAILED,
                               "“%s” is not a URL libhorde can request", ex->url);
      return;
    }

  exchange_start_deadline (task);
  session = get_session (self);
  soup_session_send_async (session, ex->message, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_sent, g_steal_pointer (&owned));
}

static void
caller_cancelled (GCancellable *caller,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static GTask *
exchange_start (HordeClient         *self,
                Exchange            *ex,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, ex, exchange_free);

  ex->deadline_s = self->deadline;
  ex->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      ex->caller_cancellable = g_object_ref (cancellable);
      ex->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                  g_object_ref (ex->cancellable), g_object_unref);
    }

  exchange_schedule (task, 0);

  return task;
}

void
horde_client_call_async (HordeClient         *self,
                         gpointer             request,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Exchange *ex;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (((HordeModel *) request)->info->is_request);

  ex = exchange_new_for_request (self, request, &error);
  if (ex == NULL)
    {
      g_task_report_error (self, callback, user_data, horde_client_call_async, error);
      return;
    }

  task = exchange_start (self, ex, cancellable, callback, user_data, horde_client_call_async);
}

gpointer
horde_client_call_finish (HordeClient   *self,
                          GAsyncResult  *result,
                          guint         *status,
                          GError       **error)
{
  GValue *value;
  gpointer boxed;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return NULL;

  if (status != NULL)
    *status = ((Exchange *) g_task_get_task_data (G_TASK (result)))->status;

  boxed = g_value_dup_boxed (value);
  free_value (value);

  return boxed;
}

/**
 * horde_client_send_async:
 * @self: a #HordeClient
 * @request: a value holding any request of libhorde, such as a
 *   [struct@Horde.ImageGenerateAsyncRequest]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is in
 * @user_data: data for @callback
 *
 * Sends the request of @request's operation: the "manual" call, for any
 * operation of the API. The request is validated first; its path and query
 * parameters and headers go where the operation puts them, and its other
 * fields make the JSON body. Finish with [method@Horde.Client.send_finish].
 */
void
horde_client_send_async (HordeClient         *self,
                         const GValue        *request,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const HordeModelInfo *info;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  info = horde_model_info_from_type (G_VALUE_TYPE (request));
  if (info == NULL || !info->is_request || g_value_get_boxed (request) == NULL)
    {
      g_task_report_new_error (self, callback, user_data, horde_client_send_async,
                               G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "A value of type %s is not a request of libhorde",
                               G_VALUE_TYPE_NAME (request));
      return;
    }

  horde_client_call_async (self, g_value_get_boxed (request), cancellable, callback, user_data);
}

/**
 * horde_client_send_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @response: (out caller-allocates): an unset #GValue for the response
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.send_async]. On success @response holds
 * the typed answer: the type that the operation gives for the status of the
 * answer (see [method@Horde.Operation.get_response_type]), such as a
 * [struct@Horde.RequestAsync] for a 202 to an image request, a list type for
 * operations that answer arrays, or a #JsonNode where the API describes no
 * schema.
 *
 * On failure the error is in the %HORDE_ERROR domain, with the server's
 * details when it answered (see [func@Horde.Error.get_status]), or
 * %G_IO_ERROR_CANCELLED.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_client_send_finish (HordeClient   *self,
                          GAsyncResult  *result,
                          GValue        *response,
                          GError       **error)
{
  GValue *value;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;

  g_value_init (response, G_VALUE_TYPE (value));
  g_value_copy (value, response);
  free_value (value);

  return TRUE;
}

typedef struct {
  GMainContext *context;
  GAsyncResult *result;
} SyncWait;

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_context_wakeup (wait->context);
}

/* Runs an async call to its end in a private main context of this thread */
GAsyncResult *
horde_client_run_sync (HordeClient          *self,
                       HordeClientStartFunc  start,
                       gpointer              arg,
                       GCancellable         *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncWait wait = { context, NULL };

  g_main_context_push_thread_default (context);
  start (self, arg, cancellable, sync_done, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (context, TRUE);
  /* what is ready still runs: libsoup lets go of a finished (or dropped)
   * connection in an idle of this context */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return wait.result;
}

static void
send_start (HordeClient         *self,
            gpointer             request,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  horde_client_send_async (self, request, cancellable, callback, user_data);
}

/**
 * horde_client_send_sync:
 * @self: a #HordeClient
 * @request: a value holding any request of libhorde
 * @response: (out caller-allocates): an unset #GValue for the response
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a request and waits for the answer, blocking the calling thread:
 * [method@Horde.Client.send_async] made synchronous, with the same
 * retries and pacing. Use it from a worker thread or a script, not from a
 * program's main loop.
 *
 * Returns: %TRUE on success, with @response set
 */
gboolean
horde_client_send_sync (HordeClient   *self,
                        const GValue  *request,
                        GValue        *response,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  result = horde_client_run_sync (self, send_start, (gpointer) request, cancellable);

  return horde_client_send_finish (self, result, response, error);
}

static void
call_start (HordeClient         *self,
            gpointer             request,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  horde_client_call_async (self, request, cancellable, callback, user_data);
}

gpointer
horde_client_call_sync (HordeClient   *self,
                        gpointer       request,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = horde_client_run_sync (self, call_start, request, cancellable);

  return horde_client_call_finish (self, result, NULL, error);
}

void
horde_client_download_async (HordeClient         *self,
                             const char          *url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (url != NULL);

  /* no key, no agent header: an image URL is another host's */
  ex = g_new0 (Exchange, 1);
  ex->kind = EXCHANGE_DOWNLOAD;
  ex->method = g_strdup ("GET");
  ex->url = g_strdup (url);
  ex->idempotent = TRUE;

  task = exchange_start (self, ex, cancellable, callback, user_data, horde_client_download_async);
}

GBytes *
horde_client_download_finish (HordeClient   *self,
                              GAsyncResult  *result,
                              char         **content_type,
                              GError       **error)
{
  GBytes *bytes;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes != NULL && content_type != NULL)
    *content_type = g_strdup (((Exchange *) g_task_get_task_data (G_TASK (result)))->content_type);

  return bytes;
}

/**
 * horde_client_upload_async:
 * @self: a #HordeClient
 * @url: where to put @data: an `https` URL (or `http` on this machine)
 * @data: the bytes to upload
 * @content_type: their MIME type, such as `image/webp`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the upload is done
 * @user_data: data for @callback
 *
 * Puts @data at @url, as a worker uploads what it generated to the
 * presigned R2 URL that a pop answer gives it (the `r2_upload` of
 * [struct@Horde.GenerationPayloadStable]), before it submits the
 * generation as `R2`.
 *
 * The URL belongs to another host, and its signature is the permission:
 * neither the API key nor the `Client-Agent` header is sent. A PUT is
 * idempotent, so network failures and 408, 429, 502, 503 and 504 answers
 * are retried as downloads are, up to [property@Horde.Client:max-retries].
 * Finish with [method@Horde.Client.upload_finish].
 */
void
horde_client_upload_async (HordeClient         *self,
                           const char          *url,
                           GBytes              *data,
                           const char          *content_type,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (content_type != NULL);

  ex = g_new0 (Exchange, 1);
  ex->kind = EXCHANGE_UPLOAD;
  ex->method = g_strdup ("PUT");
  ex->url = g_strdup (url);
  ex->body = g_bytes_ref (data);
  ex->content_type = g_strdup (content_type);
  ex->idempotent = TRUE;

  task = exchange_start (self, ex, cancellable, callback, user_data, horde_client_upload_async);
}

/**
 * horde_client_upload_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.upload_async].
 *
 * The errors are those of the other calls: %HORDE_ERROR_FORBIDDEN when the
 * URL has expired or its signature is refused (403), %HORDE_ERROR_NETWORK,
 * %HORDE_ERROR_TIMEOUT or %HORDE_ERROR_SERVER_ERROR after the retries,
 * %HORDE_ERROR_FAILED for a URL that is not one, and %G_IO_ERROR_CANCELLED.
 *
 * Returns: %TRUE when the data was stored
 */
gboolean
horde_client_upload_finish (HordeClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_client_upload_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  const char *url;
  GBytes *data;
  const char *content_type;
} Upload;

static void
upload_start (HordeClient         *self,
              gpointer             arg,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  Upload *upload = arg;

  horde_client_upload_async (self, upload->url, upload->data, upload->content_type,
                             cancellable, callback, user_data);
}

/**
 * horde_client_upload_sync:
 * @self: a #HordeClient
 * @url: where to put @data: an `https` URL (or `http` on this machine)
 * @data: the bytes to upload
 * @content_type: their MIME type, such as `image/webp`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Puts @data at @url and waits until it is stored, blocking the calling
 * thread: [method@Horde.Client.upload_async] made synchronous.
 *
 * Returns: %TRUE when the data was stored
 */
gboolean
horde_client_upload_sync (HordeClient   *self,
                          const char    *url,
                          GBytes        *data,
                          const char    *content_type,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Upload upload = { url, data, content_type };
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (content_type != NULL, FALSE);

  result = horde_client_run_sync (self, upload_start, &upload, cancellable);

  return horde_client_upload_finish (self, result, error);
}

/* -------------------------------------------------------------------------
 * Jobs
 */

static gboolean
job_is_kept (TrackedJob *tracked)
{
  return tracked->job != NULL && horde_job_get_keep (tracked->job);
}

/* Ends every cancel_all once no job it must wait for holds a request */
static void
maybe_finish_cancel_all (HordeClient *self)
{
  if (self->cancel_all->len == 0)
    return;

  for (guint i = 0; i < self->jobs->len; i++)
    if (!job_is_kept (self->jobs->pdata[i]))
      return;

  while (self->cancel_all->len > 0)
    {
      g_autoptr(GTask) task = g_ptr_array_steal_index (self->cancel_all, 0);
      CancelAll *all = g_task_get_task_data (task);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

      for (guint i = 0; i < all->jobs->len; i++)
        {
          HordeJob *job = all->jobs->pdata[i];

          if (horde_job_was_deleted (job) && horde_job_get_id (job) != NULL)
            g_strv_builder_add (ids, horde_job_get_id (job));
        }
      /* drops the cancellable source, and with it its hold on the task */
      g_task_set_task_data (task, NULL, NULL);
      g_task_return_pointer (task, g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
    }
}

void
horde_client_track_job (HordeClient  *self,
                        HordeJob     *job,
                        GCancellable *job_cancellable)
{
  TrackedJob *tracked;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (HORDE_IS_JOB (job));
  g_return_if_fail (G_IS_CANCELLABLE (job_cancellable));

  tracked = g_new0 (TrackedJob, 1);
  tracked->job = job;
  tracked->cancellable = g_object_ref (job_cancellable);
  g_ptr_array_add (self->jobs, tracked);

  /* a job that comes to hold a request while cancel_all waits (a
   * submission answered since, a cancelled job that now follows its
   * request for the generations being made) is cancelled too: the wait
   * would otherwise last as long as it runs */
  if (self->cancel_all->len > 0 && !horde_job_get_keep (job))
    {
      for (guint i = 0; i < self->cancel_all->len; i++)
        {
          CancelAll *all = g_task_get_task_data (self->cancel_all->pdata[i]);

          if (!g_ptr_array_find (all->jobs, job, NULL))
            g_ptr_array_add (all->jobs, g_object_ref (job));
        }
      g_cancellable_cancel (job_cancellable);
    }
}

void
horde_client_untrack_job (HordeClient  *self,
                          GCancellable *job_cancellable)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  for (guint i = 0; i < self->jobs->len; i++)
    {
      TrackedJob *tracked = self->jobs->pdata[i];

      if (tracked->cancellable == job_cancellable)
        {
          g_ptr_array_remove_index (self->jobs, i);
          /* the last job to wait for settled: everyone waiting in
           * cancel_all is done */
          maybe_finish_cancel_all (self);
          return;
        }
    }
}

void
horde_client_job_keep_changed (HordeClient *self)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));

  maybe_finish_cancel_all (self);
}

/**
 * horde_client_get_n_jobs:
 * @self: a #HordeClient
 *
 * How many jobs of this client hold a request on the server, or are
 * submitting one: not yet finished, failed or deleted (kept ones too, see
 * [property@Horde.Job:keep]).
 *
 * Returns: the number of jobs
 */
guint
horde_client_get_n_jobs (HordeClient *self)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), 0);

  return self->jobs->len;
}

static gboolean
cancel_all_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  HordeClient *self = g_task_get_source_object (task);

  if (g_ptr_array_remove (self->cancel_all, task))
    {
      g_task_set_task_data (task, NULL, NULL);
      g_task_return_error_if_cancelled (task);
    }

  return G_SOURCE_REMOVE;
}

static void
cancel_all_start (HordeClient         *self,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) cancellables = NULL;
  CancelAll *all;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  all = g_new0 (CancelAll, 1);
  all->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, all, cancel_all_free);

  /* cancelling may settle a job at once: walk a copy */
  cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      TrackedJob *tracked = self->jobs->pdata[i];

      if (job_is_kept (tracked))
        continue;
      g_ptr_array_add (cancellables, g_object_ref (tracked->cancellable));
      if (!g_ptr_array_find (all->jobs, tracked->job, NULL))
        g_ptr_array_add (all->jobs, g_object_ref (tracked->job));
    }

  g_ptr_array_add (self->cancel_all, g_object_ref (task));
  if (cancellable != NULL)
    {
      all->source = g_cancellable_source_new (cancellable);
      g_source_set_callback (all->source, G_SOURCE_FUNC (cancel_all_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (all->source, g_main_context_get_thread_default ());
    }

  /* nothing of its own to cancel: done at once, unless an earlier call
   * still waits for jobs, whose end it then waits for too */
  if (cancellables->len == 0)
    {
      maybe_finish_cancel_all (self);
      return;
    }

  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (cancellables->pdata[i]);
}

/**
 * horde_client_cancel_all_async:
 * @self: a #HordeClient
 * @cancellable: (nullable): a #GCancellable to stop waiting
 * @callback: (scope async): called when every job has settled
 * @user_data: data for @callback
 *
 * Cancels every job of this client that holds a request on the server,
 * except those marked with [property@Horde.Job:keep], as a program does
 * when it quits, and completes once each of them had its server request
 * deleted (or failed to). Jobs keep what they had received, and do not
 * wait for the generations workers were making at the cancel (see
 * [method@Horde.Job.cancel]); a job that comes to hold a request while this
 * call waits is cancelled too.
 *
 * To give up waiting after a while, cancel @cancellable: the deletions
 * already sent go on, but the call returns %G_IO_ERROR_CANCELLED at once.
 *
 * [method@Horde.Client.clean_up_async] does the same and says which
 * requests it deleted.
 */
void
horde_client_cancel_all_async (HordeClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  cancel_all_start (self, horde_client_cancel_all_async, cancellable, callback, user_data);
}

/**
 * horde_client_cancel_all_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.cancel_all_async].
 *
 * Returns: %TRUE once every job has settled; %FALSE with
 *   %G_IO_ERROR_CANCELLED if the wait was cancelled
 */
gboolean
horde_client_cancel_all_finish (HordeClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_client_cancel_all_async, FALSE);

  ids = g_task_propagate_pointer (G_TASK (result), error);

  return ids != NULL;
}

/**
 * horde_client_clean_up_async:
 * @self: a #HordeClient
 * @cancellable: (nullable): a #GCancellable to stop waiting
 * @callback: (scope async): called when every job has settled
 * @user_data: data for @callback
 *
 * Deletes every request this client's jobs hold on the server, except
 * those of jobs marked with [property@Horde.Job:keep], and says which ones
 * it deleted: the clean-up a script or an application runs when it ends,
 * normally, on an error or on a signal, so that no request it forgot
 * spends kudos after it.
 *
 * It cancels the jobs as [method@Horde.Client.cancel_all_async] does, with
 * the same waiting (@cancellable stops the wait, not the deletions). From
 * Python, `Horde.Session` runs it on leaving a `with` block; from gjs,
 * `await client.clean_up_async(null)` once the method is promisified (see
 * the README).
 */
void
horde_client_clean_up_async (HordeClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  cancel_all_start (self, horde_client_clean_up_async, cancellable, callback, user_data);
}

/**
 * horde_client_clean_up_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.clean_up_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the ids of the
 *   requests whose deletion the server confirmed (empty when there was
 *   none), or %NULL with %G_IO_ERROR_CANCELLED if the wait was cancelled
 */
char **
horde_client_clean_up_finish (HordeClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_client_clean_up_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clean_up_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * horde_client_clean_up_sync:
 * @self: a #HordeClient
 * @cancellable: (nullable): a #GCancellable to stop waiting
 * @error: return location for a #GError
 *
 * [method@Horde.Client.clean_up_async] made synchronous: deletes every
 * request of this client's jobs that is not kept and waits until the
 * server answered each deletion.
 *
 * Unlike other `_sync` calls, it runs the thread-default main context of
 * the calling thread while it waits, because that is where the jobs it
 * cancels run (a script that started them with `run_async`): call it from
 * that thread, at the end of a script or after the main loop quit, not
 * from a callback of a program's main loop.
 *
 * Returns: (transfer full) (array zero-terminated=1): the ids of the
 *   requests whose deletion the server confirmed, or %NULL with @error set
 */
char **
horde_client_clean_up_sync (HordeClient   *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);

  context = g_main_context_ref_thread_default ();
  horde_client_clean_up_async (self, cancellable, clean_up_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);

  return horde_client_clean_up_finish (self, result, error);
}

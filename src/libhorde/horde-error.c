/* horde-error.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-error-private.h"
#include "horde-json-private.h"

typedef struct {
  /* TRUE once the facts below are known: set when libhorde makes the
   * error, or when a getter first looks them up for a copy a language
   * binding rebuilt from domain, code and message */
  gboolean known;
  guint status;
  char *rc;
  char *server_message;
  GHashTable *field_errors;
} HordeErrorPrivate;

static void
horde_error_private_init (HordeErrorPrivate *priv)
{
}

static void
horde_error_private_copy (const HordeErrorPrivate *src,
                          HordeErrorPrivate       *dest)
{
  dest->known = src->known;
  dest->status = src->status;
  dest->rc = g_strdup (src->rc);
  dest->server_message = g_strdup (src->server_message);
  dest->field_errors = src->field_errors ? g_hash_table_ref (src->field_errors) : NULL;
}

static void
horde_error_private_clear (HordeErrorPrivate *priv)
{
  g_clear_pointer (&priv->rc, g_free);
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->field_errors, g_hash_table_unref);
}

/**
 * horde_error_quark:
 *
 * The error domain of libhorde, %HORDE_ERROR.
 *
 * Returns: the quark of the domain
 */
G_DEFINE_EXTENDED_ERROR (HordeError, horde_error)

/* The facts of the errors libhorde made last, by code and message.
 *
 * A language binding does not keep a #GError: PyGObject turns it into a
 * GLib.Error exception of domain, code and message, and when that exception
 * is handed back to a function taking a #GError it makes a new one with
 * g_error_new_literal(), without the facts C sees (gjs keeps a copy, but a
 * GLib.Error made in JavaScript is rebuilt the same way). Such an error has
 * this domain's private data, all empty: the getters then look its code and
 * message up here and keep what they find in it. The message names the
 * HTTP status, the rc and the field problems (the first one, for a check
 * made before sending), so two errors with the same code and message have
 * the same facts, but for the rest of such a list; the newest one wins,
 * which is the one the caller just got. The table is
 * bounded: a binding asks right after the call failed (the Python override
 * module does it when it raises the exception), long before
 * %RECENT_ERRORS later errors push it out. */
#define RECENT_ERRORS 64

typedef struct {
  int code;
  char *message;
  HordeErrorPrivate facts;
} RecentError;

static GMutex recent_lock;
static RecentError recent[RECENT_ERRORS];
static guint recent_next;

static void
remember_error (const GError            *error,
                const HordeErrorPrivate *facts)
{
  RecentError *slot;

  g_mutex_lock (&recent_lock);
  slot = &recent[recent_next];
  recent_next = (recent_next + 1) % RECENT_ERRORS;
  g_free (slot->message);
  horde_error_private_clear (&slot->facts);
  slot->code = error->code;
  slot->message = g_strdup (error->message);
  horde_error_private_copy (facts, &slot->facts);
  g_mutex_unlock (&recent_lock);
}

static HordeErrorPrivate *
get_private (const GError *error)
{
  HordeErrorPrivate *priv;

  if (error == NULL || error->domain != HORDE_ERROR)
    return NULL;
  priv = horde_error_get_private (error);

  /* made by a binding: look the facts up once, newest first, and keep them
   * with the error (under the lock, so two threads asking agree) */
  g_mutex_lock (&recent_lock);
  if (!priv->known)
    {
      priv->known = TRUE;
      for (guint i = 1; i <= RECENT_ERRORS; i++)
        {
          const RecentError *slot = &recent[(recent_next + RECENT_ERRORS - i) % RECENT_ERRORS];

          if (slot->message != NULL && slot->code == error->code &&
              g_strcmp0 (slot->message, error->message) == 0)
            {
              horde_error_private_copy (&slot->facts, priv);
              break;
            }
        }
    }
  g_mutex_unlock (&recent_lock);

  return priv;
}

/**
 * horde_error_get_status:
 * @error: a #GError
 *
 * The HTTP status of the server's answer that caused @error.
 *
 * This and the other getters work on the #GError a language binding hands
 * back too (the GLib.Error a Python or JavaScript caller caught), though
 * bindings rebuild it from domain, code and message alone: libhorde keeps
 * the facts of the last 64 errors it made and finds them by code and
 * message. Ask soon after the call failed; Python's `Horde.AIHordeRequestError`
 * does it for you.
 *
 * Returns: the HTTP status, or 0 if @error is not a %HORDE_ERROR from an answer
 */
guint
horde_error_get_status (const GError *error)
{
  HordeErrorPrivate *priv = get_private (error);

  return priv ? priv->status : 0;
}

/**
 * horde_error_get_rc:
 * @error: a #GError
 *
 * The server's return code (`rc`), such as `KudosUpfront` or `InvalidSize`.
 *
 * Returns: (nullable): the return code, or %NULL if the answer had none
 */
const char *
horde_error_get_rc (const GError *error)
{
  HordeErrorPrivate *priv = get_private (error);

  return priv ? priv->rc : NULL;
}

/**
 * horde_error_get_rc_enum:
 * @error: a #GError
 *
 * The server's return code (`rc`) as a [enum@Horde.Rc]: the typed form of
 * [func@Horde.Error.get_rc], found the same way for an error a binding
 * rebuilt. `KudosUpfront` is %HORDE_RC_KUDOSUPFRONT.
 *
 * Returns: the return code, or %HORDE_RC_UNKNOWN if the answer had none or
 *   one this version of libhorde does not know ([func@Horde.Error.get_rc]
 *   still gives it)
 */
HordeRc
horde_error_get_rc_enum (const GError *error)
{
  return horde_rc_from_string (horde_error_get_rc (error));
}

/**
 * horde_error_get_server_message:
 * @error: a #GError
 *
 * The `message` of the server's error body, as the server wrote it.
 *
 * Returns: (nullable): the message, or %NULL if the answer had none
 */
const char *
horde_error_get_server_message (const GError *error)
{
  HordeErrorPrivate *priv = get_private (error);

  return priv ? priv->server_message : NULL;
}

/**
 * horde_error_get_field_errors:
 * @error: a #GError
 *
 * The problems by field: the `errors` of a server's validation answer, or
 * every constraint a value broke for %HORDE_ERROR_VALIDATION raised before
 * sending. Keys are field paths such as `params.width`.
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): field paths
 *   to their problems, or %NULL
 */
GHashTable *
horde_error_get_field_errors (const GError *error)
{
  HordeErrorPrivate *priv = get_private (error);

  return priv ? priv->field_errors : NULL;
}

/**
 * horde_error_is_transient:
 * @error: (nullable): a #GError
 *
 * Whether @error says that the server could not answer now, rather than
 * that it refused: a network failure, a timeout, a server error (5xx) or
 * rate limiting (429), each after the client's own retries. The same
 * request may succeed later; nothing is known about what it did on the
 * server.
 *
 * Returns: %TRUE when trying again later may succeed
 */
gboolean
horde_error_is_transient (const GError *error)
{
  return g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NETWORK) ||
         g_error_matches (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT) ||
         g_error_matches (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR) ||
         g_error_matches (error, HORDE_ERROR, HORDE_ERROR_RATE_LIMITED);
}

GError *
horde_error_new_full (HordeError   code,
                      guint        status,
                      const char  *rc,
                      const char  *server_message,
                      GHashTable  *field_errors,
                      const char  *message)
{
  GError *error = g_error_new_literal (HORDE_ERROR, code, message);
  HordeErrorPrivate *priv = horde_error_get_private (error);

  priv->known = TRUE;
  priv->status = status;
  priv->rc = g_strdup (rc);
  priv->server_message = g_strdup (server_message);
  priv->field_errors = field_errors ? g_hash_table_ref (field_errors) : NULL;
  remember_error (error, priv);

  return error;
}

HordeError
horde_error_code_for_status (guint status)
{
  switch (status)
    {
    case 400: return HORDE_ERROR_BAD_REQUEST;
    case 401: return HORDE_ERROR_UNAUTHORIZED;
    case 403: return HORDE_ERROR_FORBIDDEN;
    case 404: return HORDE_ERROR_NOT_FOUND;
    case 408: return HORDE_ERROR_TIMEOUT;
    case 410: return HORDE_ERROR_EXPIRED;
    case 429: return HORDE_ERROR_RATE_LIMITED;
    default:
      if (status >= 500)
        return HORDE_ERROR_SERVER_ERROR;
      if (status >= 400)
        return HORDE_ERROR_BAD_REQUEST;
      return HORDE_ERROR_INVALID_RESPONSE;
    }
}

/* the most of a message made of a server's answer, in bytes */
#define MAX_MESSAGE_BYTES 2000

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* One line a person can read: the server's words, then what identifies
 * the failure, then the field problems in a stable order. */
GError *
horde_error_new_for_http (guint        status,
                          const char  *reason,
                          const char  *rc,
                          const char  *server_message,
                          GHashTable  *field_errors)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *valid_reason = reason != NULL ? g_utf8_make_valid (reason, -1) : NULL;
  HordeError code = horde_error_code_for_status (status);

  if (status == 400 && field_errors != NULL && g_hash_table_size (field_errors) > 0)
    code = HORDE_ERROR_VALIDATION;

  if (server_message != NULL && *server_message != '\0')
    g_string_append (text, server_message);
  else if (valid_reason != NULL && *valid_reason != '\0')
    g_string_append (text, valid_reason);
  else
    g_string_append (text, _("The server refused the request"));

  g_string_append_printf (text, " (HTTP %u%s%s)", status, rc ? ", " : "", rc ? rc : "");

  if (field_errors != NULL && g_hash_table_size (field_errors) > 0)
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (field_errors, NULL);
      guint n = g_hash_table_size (field_errors);

      qsort (keys, n, sizeof (gpointer), compare_strings);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s %s: %s", i == 0 ? ":" : ";",
                                (const char *) keys[i],
                                (const char *) g_hash_table_lookup (field_errors, keys[i]));
    }

  /* the server's words are its own length: a message stays readable, and
   * the whole of them stays in horde_error_get_server_message() */
  if (text->len > MAX_MESSAGE_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text->str, text->str + MAX_MESSAGE_BYTES + 1);

      g_string_truncate (text, end - text->str);
      g_string_append (text, "…");
    }

  return horde_error_new_full (code, status, rc, server_message, field_errors, text->str);
}

/* The error for an answer with a failure status: the server's `rc`,
 * `message` and field `errors` when @data is the JSON object the AI Horde
 * sends, the HTTP reason otherwise (a proxy's HTML page, say). */
GError *
horde_error_new_for_answer (guint        status,
                            const char  *reason,
                            const char  *data,
                            gsize        length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) fields = NULL;
  const char *rc = NULL;
  const char *message = NULL;

  if (data != NULL && length > 0)
    root = horde_json_parse (data, length, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *node;

      if ((node = json_object_get_member (object, "rc")) && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        rc = json_node_get_string (node);
      if ((node = json_object_get_member (object, "message")) && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);
      if ((node = json_object_get_member (object, "errors")) && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &name, &value))
            g_hash_table_insert (fields, g_strdup (name),
                                 JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                                 ? g_strdup (json_node_get_string (value))
                                 : horde_json_node_to_string (value, NULL));
        }
    }

  return horde_error_new_for_http (status, reason, rc, message, fields);
}

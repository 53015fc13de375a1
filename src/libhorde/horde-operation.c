/* horde-operation.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-error.h"
#include "horde-json.h"
#include "horde-operation-private.h"
#include "horde-model-infos-private.h"

/**
 * HordeOperation:
 *
 * One operation of the AI Horde API: a method and a path template, the
 * request type that sends it and the response type of each success status.
 * The table also holds the operations of the AI Horde Ratings API, each
 * marked with its service ([method@Horde.Operation.get_service]); their
 * paths (`/v1/…`) do not meet the AI Horde's (`/v2/…`).
 *
 * The table of operations is generated from the API description; find an
 * operation with [func@Horde.Operation.lookup] (by method and path template)
 * or [func@Horde.Operation.lookup_for_request_type], or list them all with
 * [func@Horde.Operation.list]. Operations are static: they are never freed.
 */

static HordeOperation *
horde_operation_copy (HordeOperation *self)
{
  return self;
}

static void
horde_operation_free (HordeOperation *self)
{
}

G_DEFINE_BOXED_TYPE (HordeOperation, horde_operation, horde_operation_copy, horde_operation_free)

/**
 * horde_operation_lookup:
 * @method: an HTTP method, such as `POST`
 * @path_template: a path template as the API describes it, such as
 *   `/v2/generate/status/{id}`
 *
 * Finds an operation by method and path template. The method is compared
 * without regard to case.
 *
 * Returns: (transfer none) (nullable): the operation, or %NULL if the API has none
 */
const HordeOperation *
horde_operation_lookup (const char *method,
                        const char *path_template)
{
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path_template != NULL, NULL);

  for (gsize i = 0; i < horde_operation_table_size (); i++)
    {
      const HordeOperation *op = &horde_operation_table[i];

      if (g_ascii_strcasecmp (op->method, method) == 0 &&
          g_str_equal (op->path, path_template))
        return op;
    }

  return NULL;
}

/**
 * horde_operation_lookup_for_request_type:
 * @request_type: a request type, such as `HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST`
 *
 * Finds the operation a request type sends.
 *
 * Returns: (transfer none) (nullable): the operation, or %NULL if
 *   @request_type is not a request type
 */
const HordeOperation *
horde_operation_lookup_for_request_type (GType request_type)
{
  const HordeModelInfo *info = horde_model_info_from_type (request_type);

  if (info == NULL || !info->is_request)
    return NULL;

  return info->operation;
}

/**
 * horde_operation_list:
 * @n_operations: (out): return location for the number of operations
 *
 * Lists every operation libhorde knows, sorted by path then method.
 *
 * Returns: (array length=n_operations) (transfer container): the operations
 */
const HordeOperation **
horde_operation_list (gsize *n_operations)
{
  gsize n = horde_operation_table_size ();
  const HordeOperation **ops = g_new (const HordeOperation *, n + 1);

  g_return_val_if_fail (n_operations != NULL, NULL);

  for (gsize i = 0; i < n; i++)
    ops[i] = &horde_operation_table[i];
  ops[n] = NULL;
  *n_operations = n;

  return ops;
}

/**
 * horde_operation_get_method:
 * @self: a #HordeOperation
 *
 * The HTTP method of the operation.
 *
 * Returns: the HTTP method, in capitals
 */
const char *
horde_operation_get_method (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

/**
 * horde_operation_get_path:
 * @self: a #HordeOperation
 *
 * The path template of the operation.
 *
 * Returns: the path template, relative to the API base URL, such as
 *   `/v2/generate/check/{id}`
 */
const char *
horde_operation_get_path (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/**
 * horde_operation_get_operation_id:
 * @self: a #HordeOperation
 *
 * The identifier the API description gives the operation.
 *
 * Returns: (nullable): the `operationId` of the API description
 */
const char *
horde_operation_get_operation_id (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->operation_id;
}

/**
 * horde_operation_get_summary:
 * @self: a #HordeOperation
 *
 * What the operation does, in one line.
 *
 * Returns: (nullable): a one-line description of the operation
 */
const char *
horde_operation_get_summary (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->summary;
}

/**
 * horde_operation_get_name:
 * @self: a #HordeOperation
 *
 * The name of the request type without the `Horde` prefix, such as
 * `ImageGenerateAsyncRequest`: the name horde_sdk gives it where it has one.
 *
 * Returns: the request name
 */
const char *
horde_operation_get_name (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * horde_operation_get_service:
 * @self: a #HordeOperation
 *
 * The service the operation belongs to: [class@Horde.Client] sends it to
 * that service's base URL ([property@Horde.Client:base-url] for the AI
 * Horde, [property@Horde.Client:ratings-base-url] for the Ratings API).
 *
 * Returns: the service of the operation
 */
HordeService
horde_operation_get_service (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, HORDE_SERVICE_HORDE);
  return self->service;
}

/**
 * horde_operation_get_request_type:
 * @self: a #HordeOperation
 *
 * The request type of the operation.
 *
 * Returns: the boxed type of the request that sends this operation
 */
GType
horde_operation_get_request_type (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, G_TYPE_INVALID);
  return self->request->get_type ();
}

/**
 * horde_operation_get_response_type:
 * @self: a #HordeOperation
 * @status: an HTTP status of success, such as 200 or 202
 *
 * The type of the value an answer with @status holds: a model or list
 * type, or `JSON_TYPE_NODE` where the API describes no schema.
 *
 * Returns: the type, or %G_TYPE_INVALID if the operation has no such success status
 */
GType
horde_operation_get_response_type (const HordeOperation *self,
                                   guint                 status)
{
  g_return_val_if_fail (self != NULL, G_TYPE_INVALID);

  for (guint i = 0; i < self->n_responses; i++)
    if (self->responses[i].status == status)
      return self->responses[i].get_type ();

  return G_TYPE_INVALID;
}

/**
 * horde_operation_get_success_statuses:
 * @self: a #HordeOperation
 * @n_statuses: (out): return location for the number of statuses
 *
 * The HTTP statuses with which the server answers a success.
 *
 * Returns: (array length=n_statuses) (transfer full): the HTTP statuses of
 *   success, ascending
 */
guint *
horde_operation_get_success_statuses (const HordeOperation *self,
                                      gsize                *n_statuses)
{
  guint *statuses;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_statuses != NULL, NULL);

  statuses = g_new (guint, self->n_responses + 1);
  for (guint i = 0; i < self->n_responses; i++)
    statuses[i] = self->responses[i].status;
  statuses[self->n_responses] = 0;
  *n_statuses = self->n_responses;

  return statuses;
}

/**
 * horde_operation_get_success_response_type:
 * @self: a #HordeOperation
 *
 * The type of the answer to expect: that of the highest success status, the
 * one a normal call gets (202 for the async generation calls, whose 200 is
 * the dry run).
 *
 * Returns: the response type
 */
GType
horde_operation_get_success_response_type (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, G_TYPE_INVALID);
  g_return_val_if_fail (self->n_responses > 0, G_TYPE_INVALID);

  return self->responses[self->n_responses - 1].get_type ();
}

/**
 * horde_operation_is_idempotent:
 * @self: a #HordeOperation
 *
 * Whether sending the request twice has the effect of sending it once, so
 * that it can be sent again when its first answer was lost.
 *
 * Returns: %TRUE for idempotent methods (GET, PUT, DELETE)
 */
gboolean
horde_operation_is_idempotent (const HordeOperation *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->idempotent;
}

/**
 * horde_operation_get_rate_limit:
 * @self: a #HordeOperation
 * @requests: (out) (optional): return location for the number of requests
 * @seconds: (out) (optional): return location for the period in seconds
 *
 * The server's rate limit for this operation: at most @requests in
 * @seconds from one client. [class@Horde.Client] paces its requests under it.
 */
void
horde_operation_get_rate_limit (const HordeOperation *self,
                                guint                *requests,
                                guint                *seconds)
{
  g_return_if_fail (self != NULL);

  if (requests)
    *requests = self->rate_requests;
  if (seconds)
    *seconds = self->rate_seconds;
}

/* Sets the parameter @f of @builder from its text */
static gboolean
set_parameter (HordeModelBuilder     *builder,
               const HordeFieldInfo  *f,
               guint                  index,
               const char            *text,
               GError               **error)
{
  gint64 number = 0;
  double real;
  char *end = NULL;

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      horde_model_builder_set_string (builder, index, text);
      return TRUE;
    case HORDE_FIELD_INT:
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
        break;
      horde_model_builder_set_int (builder, index, number);
      return TRUE;
    case HORDE_FIELD_BOOLEAN:
      if (g_strcmp0 (text, "true") != 0 && g_strcmp0 (text, "false") != 0)
        break;
      horde_model_builder_set_boolean (builder, index, g_str_equal (text, "true"));
      return TRUE;
    case HORDE_FIELD_DOUBLE:
      real = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0')
        break;
      horde_model_builder_set_double (builder, index, real);
      return TRUE;
    default:
      break;
    }

  g_set_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION,
               /* TRANSLATORS: a parameter of the API and the text given for it */
               _("“%s” is not a valid value for the parameter %s"), text, f->json_name);
  return FALSE;
}

/**
 * horde_operation_new_request:
 * @self: a #HordeOperation
 * @body: (nullable): the JSON body of the request, or %NULL for none
 * @parameters: (nullable) (element-type utf8 utf8): the path, query and
 *   header parameters by their names in the API (`user_id`, `type`,
 *   `apikey`, `X-Fields`), as text
 * @request: (out caller-allocates): an unset #GValue for the request
 * @error: return location for a #GError
 *
 * Makes a request of this operation from text, as a command line or a
 * script has it: the body is read as the request type's `new_from_json()`
 * reads it, and each parameter is converted to its type (an integer, a
 * number, `true` or `false`). The request is then validated as a builder
 * validates what it ends. Send it with [method@Horde.Client.send_async].
 *
 * A parameter the operation does not take, or a value that is not of its
 * type, is a %HORDE_ERROR_VALIDATION error; a body that is not JSON of the
 * right shape is %HORDE_ERROR_INVALID_JSON.
 *
 * Returns: %TRUE with @request set to the request, or %FALSE with @error set
 */
gboolean
horde_operation_new_request (const HordeOperation  *self,
                             const char            *body,
                             GHashTable            *parameters,
                             GValue                *request,
                             GError               **error)
{
  const HordeModelInfo *info;
  g_autoptr(HordeModelBuilder) builder = NULL;
  gpointer base = NULL;
  gpointer model;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL && !G_IS_VALUE (request), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = self->request;
  if (body != NULL && (base = horde_model_new_from_json (info, body, -1, error)) == NULL)
    return FALSE;
  builder = horde_model_builder_new (info, base);
  g_clear_pointer (&base, horde_model_unref);

  if (parameters != NULL)
    {
      GHashTableIter iter;
      gpointer name, text;

      g_hash_table_iter_init (&iter, parameters);
      while (g_hash_table_iter_next (&iter, &name, &text))
        {
          const HordeFieldInfo *f = horde_model_info_find_field (info, name);

          if (f == NULL || f->location == HORDE_FIELD_LOCATION_BODY)
            {
              g_set_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION,
                           /* TRANSLATORS: a method and a path, then a parameter name */
                           _("%s %s takes no parameter “%s”"), self->method, self->path, (const char *) name);
              return FALSE;
            }
          if (!set_parameter (builder, f, (guint) (f - info->fields), text, error))
            return FALSE;
        }
    }

  model = horde_model_builder_end (builder, error);
  if (model == NULL)
    return FALSE;

  g_value_init (request, info->get_type ());
  g_value_take_boxed (request, model);
  return TRUE;
}

/**
 * horde_value_to_json:
 * @value: a #GValue holding a request or response of libhorde, or a
 *   #JsonNode
 *
 * Writes any request or response of libhorde as JSON text, as its own
 * `to_json()` does: the generic counterpart of
 * [method@Horde.Operation.new_request] for the answers of
 * [method@Horde.Client.send_async], whatever their type.
 *
 * A #JsonNode is written as [func@Horde.json_node_to_string] writes it.
 *
 * Returns: (transfer full) (nullable): the JSON text, or %NULL when @value
 *   holds no value of libhorde, or a #JsonNode that cannot be written as
 *   JSON (one holding a number that is not finite, see
 *   [func@Horde.json_node_to_string])
 */
char *
horde_value_to_json (const GValue *value)
{
  const HordeModelInfo *info;
  gconstpointer boxed;

  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    {
      JsonNode *node = g_value_get_boxed (value);

      return node != NULL ? horde_json_node_to_string (node, NULL) : NULL;
    }

  info = horde_model_info_from_type (G_VALUE_TYPE (value));
  boxed = G_VALUE_HOLDS_BOXED (value) ? g_value_get_boxed (value) : NULL;
  if (info == NULL || boxed == NULL)
    return NULL;

  return horde_model_to_json (boxed);
}

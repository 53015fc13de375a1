/* horde-error.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib.h>

#include "horde-known-values.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

/**
 * HORDE_ERROR:
 *
 * The error domain of libhorde.
 */
#define HORDE_ERROR (horde_error_quark ())

/**
 * HordeError:
 * @HORDE_ERROR_FAILED: anything else
 * @HORDE_ERROR_NETWORK: the server could not be reached or the connection broke
 * @HORDE_ERROR_TIMEOUT: the server did not answer in time, or a job ran past its timeout
 * @HORDE_ERROR_INVALID_RESPONSE: the server answered something that is not what the API
 *   describes: malformed or truncated JSON, or an image that cannot be decoded
 * @HORDE_ERROR_INVALID_JSON: JSON given to a `new_from_json` constructor is not valid
 *   JSON of the right shape
 * @HORDE_ERROR_VALIDATION: a value breaks a constraint of the API: checked before
 *   sending, or reported by the server (HTTP 400 with field errors)
 * @HORDE_ERROR_BAD_REQUEST: the server refused the request (HTTP 400 and other 4xx)
 * @HORDE_ERROR_UNAUTHORIZED: the API key is not valid (HTTP 401)
 * @HORDE_ERROR_FORBIDDEN: the key may not do this (HTTP 403: KudosUpfront,
 *   AnonForbidden, TimeoutIP, NotTrusted…)
 * @HORDE_ERROR_NOT_FOUND: no such request, user, worker… (HTTP 404)
 * @HORDE_ERROR_EXPIRED: the request expired on the server (HTTP 410)
 * @HORDE_ERROR_RATE_LIMITED: too many requests (HTTP 429), after the retries
 * @HORDE_ERROR_SERVER_ERROR: the server failed (HTTP 5xx), after the retries
 * @HORDE_ERROR_FAULTED: the Horde could not complete a generation request
 * @HORDE_ERROR_INSECURE: sending the API key would expose it: plain http to a host
 *   that is not loopback, without [property@Horde.Client:allow-insecure]
 *
 * Errors of libhorde. Cancellation is reported as %G_IO_ERROR_CANCELLED.
 * For errors that come from the server, [func@Horde.Error.get_status],
 * [func@Horde.Error.get_rc], [func@Horde.Error.get_server_message] and
 * [func@Horde.Error.get_field_errors] give the details; the message holds them
 * too, in words. They work on the `GLib.Error` a Python or JavaScript caller
 * caught as well, which the binding rebuilt from domain, code and message:
 * libhorde finds the facts of the errors it made last by code and message.
 * From Python, the override module raises `Horde.AIHordeRequestError` with `.rc`,
 * `.status`, `.server_message` and `.errors`.
 */
typedef enum {
  HORDE_ERROR_FAILED,
  HORDE_ERROR_NETWORK,
  HORDE_ERROR_TIMEOUT,
  HORDE_ERROR_INVALID_RESPONSE,
  HORDE_ERROR_INVALID_JSON,
  HORDE_ERROR_VALIDATION,
  HORDE_ERROR_BAD_REQUEST,
  HORDE_ERROR_UNAUTHORIZED,
  HORDE_ERROR_FORBIDDEN,
  HORDE_ERROR_NOT_FOUND,
  HORDE_ERROR_EXPIRED,
  HORDE_ERROR_RATE_LIMITED,
  HORDE_ERROR_SERVER_ERROR,
  HORDE_ERROR_FAULTED,
  HORDE_ERROR_INSECURE,
} HordeError;

HORDE_AVAILABLE_IN_ALL
GQuark       horde_error_quark               (void);
HORDE_AVAILABLE_IN_ALL
guint        horde_error_get_status          (const GError *error);
HORDE_AVAILABLE_IN_ALL
const char  *horde_error_get_rc              (const GError *error);
HORDE_AVAILABLE_IN_ALL
HordeRc      horde_error_get_rc_enum         (const GError *error);
HORDE_AVAILABLE_IN_ALL
const char  *horde_error_get_server_message  (const GError *error);
HORDE_AVAILABLE_IN_ALL
GHashTable  *horde_error_get_field_errors    (const GError *error);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_error_is_transient        (const GError *error);

G_END_DECLS

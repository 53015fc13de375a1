/* horde-studio-messages.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libhorde.h>

#include "horde-studio-messages.h"

typedef struct {
  const char *rc;                /* NULL: matches by code only */
  HordeError code;
  const char *text;
  const char *hint;
} Known;

/* The first match wins: return codes before the plain error codes. */
static const Known known[] = {
  { "KudosUpfront", HORDE_ERROR_FORBIDDEN,
    N_("This request needs kudos upfront: without an account that has kudos, the Horde makes images of at most 1024×1024 pixels and 50 steps."),
    N_("Use fewer steps or a smaller size, turn on “Allow downgrade”, or set an API key with kudos in Preferences.") },
  { "TooManyPrompts", HORDE_ERROR_RATE_LIMITED,
    N_("You have as many requests waiting on the Horde as it allows."),
    N_("Wait for one to finish, or cancel one, then retry.") },
  { "InvalidAPIKey", HORDE_ERROR_UNAUTHORIZED,
    N_("The Horde does not know your API key."),
    N_("Check the key in Preferences, or remove it to generate anonymously.") },
  { "AnonForbidden", HORDE_ERROR_FORBIDDEN,
    N_("The Horde does not allow this without an account."),
    N_("Set your API key in Preferences.") },
  { "TimeoutIP", HORDE_ERROR_FORBIDDEN,
    N_("The Horde is refusing requests from your network for a while."),
    N_("Wait a few minutes before trying again.") },
  { "MaintenanceMode", HORDE_ERROR_BAD_REQUEST,
    N_("The Horde is in maintenance and takes no new requests."),
    N_("Try again later.") },
  { NULL, HORDE_ERROR_VALIDATION, NULL, N_("Change the highlighted setting.") },
  { NULL, HORDE_ERROR_NETWORK,
    N_("Could not reach the Horde."),
    N_("Check your connection, or the server address in Preferences. Nothing was lost: retry when it is back.") },
  { NULL, HORDE_ERROR_TIMEOUT,
    N_("The Horde took too long to answer."),
    N_("Retry; if it keeps happening, the Horde may be busy.") },
  { NULL, HORDE_ERROR_RATE_LIMITED,
    N_("The Horde asked to slow down."),
    N_("Wait a moment, then retry.") },
  { NULL, HORDE_ERROR_SERVER_ERROR,
    N_("The Horde had a problem with this request."),
    N_("Retry in a moment.") },
  { NULL, HORDE_ERROR_FAULTED,
    N_("The Horde could not finish this request: its workers failed."),
    N_("Retry it; another worker may succeed, or try another model.") },
  { NULL, HORDE_ERROR_EXPIRED,
    N_("The Horde dropped this request: it waited too long."),
    N_("Retry it.") },
  { NULL, HORDE_ERROR_NOT_FOUND,
    N_("The Horde no longer knows this request."),
    N_("Retry it.") },
  { NULL, HORDE_ERROR_INVALID_RESPONSE,
    N_("The Horde sent something that could not be read."),
    N_("Retry; if it keeps happening, report it.") },
  { NULL, HORDE_ERROR_INSECURE,
    N_("Your API key would travel unencrypted to this server."),
    N_("Use an https server address in Preferences.") },
  { NULL, HORDE_ERROR_UNAUTHORIZED,
    N_("The Horde refused your API key."),
    N_("Check the key in Preferences.") },
  { NULL, HORDE_ERROR_FORBIDDEN,
    N_("The Horde does not allow this request."),
    NULL },
};

/**
 * horde_studio_describe_error:
 * @error: an error of libhorde (or a cancellation)
 * @hint: (out) (optional) (nullable): what the user can do about it
 *
 * Says what went wrong in words a person reads, never the raw answer of the
 * server: the server's own message only where no better words are known.
 *
 * Returns: (transfer full): the description
 */
char *
horde_studio_describe_error (const GError  *error,
                             char         **hint)
{
  const char *rc;

  if (hint)
    *hint = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Cancelled. The images finished before were kept."));

  if (error->domain != HORDE_ERROR)
    return g_strdup (error->message);

  rc = horde_error_get_rc (error);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      const Known *k = &known[i];

      if (k->rc != NULL ? g_strcmp0 (k->rc, rc) != 0 : (int) k->code != error->code)
        continue;

      if (hint && k->hint)
        *hint = g_strdup (_(k->hint));
      if (k->text == NULL)
        return g_strdup (error->message);
      return g_strdup (_(k->text));
    }

  /* the server's words, without the codes libhorde adds for programs */
  if (horde_error_get_server_message (error) != NULL)
    return g_strdup (horde_error_get_server_message (error));
  return g_strdup (error->message);
}

/* horde-studio-secret.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The API key lives in the keyring (the Secret Service, through libsecret),
 * never in GSettings, files or logs.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "horde-studio-secret.h"

static const SecretSchema *
api_key_schema (void)
{
  static const SecretSchema schema = {
    "io.github.hordestudio.HordeStudio.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
looked_up (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) secret_password_free);
}

/* Finishes with the key, or NULL when none is stored */
void
horde_studio_secret_lookup_async (GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, horde_studio_secret_lookup_async);
  secret_password_lookup (api_key_schema (), cancellable, looked_up, task,
                          "kind", "api-key", NULL);
}

char *
horde_studio_secret_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  char *secret = g_task_propagate_pointer (G_TASK (result), error);
  char *copy = g_strdup (secret);

  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

static void
stored (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok = g_task_get_task_data (task) != NULL
                ? secret_password_store_finish (result, &error)
                : (secret_password_clear_finish (result, &error), error == NULL);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Stores @api_key, or forgets the stored one when it is NULL or empty */
void
horde_studio_secret_store_async (const char          *api_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, horde_studio_secret_store_async);

  if (api_key == NULL || *api_key == '\0')
    {
      secret_password_clear (api_key_schema (), cancellable, stored, task,
                             "kind", "api-key", NULL);
      return;
    }

  g_task_set_task_data (task, GINT_TO_POINTER (1), NULL);
  secret_password_store (api_key_schema (), SECRET_COLLECTION_DEFAULT,
                         _("AI Horde API key"), api_key, cancellable, stored, task,
                         "kind", "api-key", NULL);
}

gboolean
horde_studio_secret_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* horde-studio-secret.h: the API key, kept in the user's keyring
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      horde_studio_secret_lookup_async   (GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char     *horde_studio_secret_lookup_finish  (GAsyncResult         *result,
                                              GError              **error);
void      horde_studio_secret_store_async    (const char           *api_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  horde_studio_secret_store_finish   (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS

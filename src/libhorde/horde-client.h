/* horde-client.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <gio/gio.h>

#include "horde-version-macros.h"

G_BEGIN_DECLS

/**
 * HORDE_DEFAULT_BASE_URL:
 *
 * The base URL of the public AI Horde API.
 */
#define HORDE_DEFAULT_BASE_URL "https://aihorde.net/api"

/**
 * HORDE_DEFAULT_RATINGS_BASE_URL:
 *
 * The base URL of the public AI Horde Ratings API.
 */
#define HORDE_DEFAULT_RATINGS_BASE_URL "https://ratings.aihorde.net/api"

/**
 * HORDE_ANONYMOUS_API_KEY:
 *
 * The API key of anonymous use: it works everywhere, with the lowest
 * priority and limits.
 */
#define HORDE_ANONYMOUS_API_KEY "0000000000"

#define HORDE_TYPE_CLIENT (horde_client_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeClient, horde_client, HORDE, CLIENT, GObject)

HORDE_AVAILABLE_IN_ALL
HordeClient *horde_client_new                 (void);
HORDE_AVAILABLE_IN_ALL
const char  *horde_client_get_base_url        (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_base_url        (HordeClient          *self,
                                               const char           *base_url);
HORDE_AVAILABLE_IN_ALL
const char  *horde_client_get_ratings_base_url (HordeClient         *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_ratings_base_url (HordeClient         *self,
                                                const char          *ratings_base_url);
HORDE_AVAILABLE_IN_ALL
const char  *horde_client_get_api_key         (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_api_key         (HordeClient          *self,
                                               const char           *api_key);
HORDE_AVAILABLE_IN_ALL
const char  *horde_client_get_client_agent    (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_client_agent    (HordeClient          *self,
                                               const char           *client_agent);
HORDE_AVAILABLE_IN_ALL
guint        horde_client_get_timeout         (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_timeout         (HordeClient          *self,
                                               guint                 timeout);
HORDE_AVAILABLE_IN_ALL
guint        horde_client_get_max_retries     (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_max_retries     (HordeClient          *self,
                                               guint                 max_retries);
HORDE_AVAILABLE_IN_ALL
guint        horde_client_get_deadline        (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_deadline        (HordeClient          *self,
                                               guint                 deadline);
HORDE_AVAILABLE_IN_ALL
guint64      horde_client_get_max_response_size (HordeClient        *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_max_response_size (HordeClient        *self,
                                                 guint64             max_response_size);
HORDE_AVAILABLE_IN_ALL
guint64      horde_client_get_max_download_size (HordeClient        *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_max_download_size (HordeClient        *self,
                                                 guint64             max_download_size);
HORDE_AVAILABLE_IN_ALL
guint64      horde_client_get_max_image_pixels (HordeClient         *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_max_image_pixels (HordeClient         *self,
                                                guint64              max_image_pixels);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_get_allow_insecure  (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_allow_insecure  (HordeClient          *self,
                                               gboolean              allow_insecure);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_get_pace_requests   (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_set_pace_requests   (HordeClient          *self,
                                               gboolean              pace_requests);

HORDE_AVAILABLE_IN_ALL
void         horde_client_send_async          (HordeClient          *self,
                                               const GValue         *request,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_send_finish         (HordeClient          *self,
                                               GAsyncResult         *result,
                                               GValue               *response,
                                               GError              **error);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_send_sync           (HordeClient          *self,
                                               const GValue         *request,
                                               GValue               *response,
                                               GCancellable         *cancellable,
                                               GError              **error);

HORDE_AVAILABLE_IN_ALL
void         horde_client_upload_async        (HordeClient          *self,
                                               const char           *url,
                                               GBytes               *data,
                                               const char           *content_type,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_upload_finish       (HordeClient          *self,
                                               GAsyncResult         *result,
                                               GError              **error);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_upload_sync         (HordeClient          *self,
                                               const char           *url,
                                               GBytes               *data,
                                               const char           *content_type,
                                               GCancellable         *cancellable,
                                               GError              **error);

HORDE_AVAILABLE_IN_ALL
guint        horde_client_get_n_jobs          (HordeClient          *self);
HORDE_AVAILABLE_IN_ALL
void         horde_client_cancel_all_async    (HordeClient          *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
gboolean     horde_client_cancel_all_finish   (HordeClient          *self,
                                               GAsyncResult         *result,
                                               GError              **error);
HORDE_AVAILABLE_IN_ALL
void         horde_client_clean_up_async      (HordeClient          *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
char       **horde_client_clean_up_finish     (HordeClient          *self,
                                               GAsyncResult         *result,
                                               GError              **error);
HORDE_AVAILABLE_IN_ALL
char       **horde_client_clean_up_sync       (HordeClient          *self,
                                               GCancellable         *cancellable,
                                               GError              **error);

G_END_DECLS

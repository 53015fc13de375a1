/* horde-client-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-client.h"
#include "horde-model-private.h"

G_BEGIN_DECLS

typedef void (*HordeClientStartFunc) (HordeClient         *self,
                                      gpointer             arg,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

/* Sends a request model; finish gives the response model (or JsonNode) */
void          horde_client_call_async       (HordeClient          *self,
                                             gpointer              request,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gpointer      horde_client_call_finish      (HordeClient          *self,
                                             GAsyncResult         *result,
                                             guint                *status,
                                             GError              **error);

gpointer      horde_client_call_sync        (HordeClient          *self,
                                             gpointer              request,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Whether a call of @request's operation that can wait (an early look at
 * results) may be sent at once: its operation's pacing leaves a turn free
 * now, and such calls of the whole client stay within @spare_requests in
 * @spare_seconds, leaving the rest of the operation's limit to the calls
 * that cannot wait. Books one of the spare turns when it answers TRUE. */
gboolean      horde_client_take_spare_turn  (HordeClient          *self,
                                             gpointer              request,
                                             guint                 spare_requests,
                                             guint                 spare_seconds);

/* A plain GET of a URL, without the API key: images */
void          horde_client_download_async   (HordeClient          *self,
                                             const char           *url,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes       *horde_client_download_finish  (HordeClient          *self,
                                             GAsyncResult         *result,
                                             char                **content_type,
                                             GError              **error);

/* Whether a redirect of an API request may be followed, key and all */
gboolean      horde_redirect_is_allowed     (GUri                 *from,
                                             GUri                 *to,
                                             const char           *method,
                                             guint                 status);

GAsyncResult *horde_client_run_sync         (HordeClient          *self,
                                             HordeClientStartFunc  start,
                                             gpointer              arg,
                                             GCancellable         *cancellable);

G_END_DECLS

G_BEGIN_DECLS

/* Jobs register the cancellable that stops them while they hold a server
 * request, so that horde_client_cancel_all_async() can reach them. */
struct _HordeJob;
void horde_client_track_job   (HordeClient      *self,
                               struct _HordeJob *job,
                               GCancellable     *job_cancellable);
void horde_client_untrack_job (HordeClient      *self,
                               GCancellable     *job_cancellable);
/* a job's keep mark changed: a cancel_all may be done */
void horde_client_job_keep_changed (HordeClient *self);

G_END_DECLS

/* horde-client-worker.h: what a worker needs beyond the typed calls
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include "horde-client.h"
#include "horde-models.h"

G_BEGIN_DECLS

/**
 * HORDE_GENERATION_STATE_OK:
 *
 * The `state` of a submitted generation that went well.
 */
#define HORDE_GENERATION_STATE_OK "ok"

/**
 * HORDE_GENERATION_STATE_CENSORED:
 *
 * The `state` of a submitted generation that the worker's safety check
 * replaced (its image is the censored placeholder).
 */
#define HORDE_GENERATION_STATE_CENSORED "censored"

/**
 * HORDE_GENERATION_STATE_FAULTED:
 *
 * The `state` of a generation the worker could not make: the server gives
 * it to another worker. See [method@Horde.Client.give_back_image_job_async].
 */
#define HORDE_GENERATION_STATE_FAULTED "faulted"

/**
 * HORDE_GENERATION_STATE_CSAM:
 *
 * The `state` of a submitted generation that the worker's safety check
 * found to be abuse material and withheld.
 */
#define HORDE_GENERATION_STATE_CSAM "csam"

HORDE_AVAILABLE_IN_ALL
void     horde_client_give_back_image_job_async     (HordeClient                       *self,
                                                     HordeGenerationPayloadStable      *job,
                                                     GCancellable                      *cancellable,
                                                     GAsyncReadyCallback                callback,
                                                     gpointer                           user_data);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_image_job_finish    (HordeClient                       *self,
                                                     GAsyncResult                      *result,
                                                     GError                           **error);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_image_job_sync      (HordeClient                       *self,
                                                     HordeGenerationPayloadStable      *job,
                                                     GCancellable                      *cancellable,
                                                     GError                           **error);

HORDE_AVAILABLE_IN_ALL
void     horde_client_give_back_text_job_async      (HordeClient                       *self,
                                                     HordeGenerationPayloadKobold      *job,
                                                     GCancellable                      *cancellable,
                                                     GAsyncReadyCallback                callback,
                                                     gpointer                           user_data);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_text_job_finish     (HordeClient                       *self,
                                                     GAsyncResult                      *result,
                                                     GError                           **error);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_text_job_sync       (HordeClient                       *self,
                                                     HordeGenerationPayloadKobold      *job,
                                                     GCancellable                      *cancellable,
                                                     GError                           **error);

HORDE_AVAILABLE_IN_ALL
void     horde_client_give_back_alchemy_form_async  (HordeClient                       *self,
                                                     HordeInterrogationPopFormPayload  *form,
                                                     GCancellable                      *cancellable,
                                                     GAsyncReadyCallback                callback,
                                                     gpointer                           user_data);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_alchemy_form_finish (HordeClient                       *self,
                                                     GAsyncResult                      *result,
                                                     GError                           **error);
HORDE_AVAILABLE_IN_ALL
gboolean horde_client_give_back_alchemy_form_sync   (HordeClient                       *self,
                                                     HordeInterrogationPopFormPayload  *form,
                                                     GCancellable                      *cancellable,
                                                     GError                           **error);

G_END_DECLS

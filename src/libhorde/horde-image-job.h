/* horde-image-job.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <gio/gio.h>

#include "horde-client.h"
#include "horde-job.h"
#include "horde-models.h"
#include "horde-requests.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_IMAGE_JOB (horde_image_job_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeImageJob, horde_image_job, HORDE, IMAGE_JOB, HordeJob)

HORDE_AVAILABLE_IN_ALL
HordeImageJob                  *horde_image_job_new                  (HordeClient                    *client,
                                                                      HordeImageGenerateAsyncRequest *request);
HORDE_AVAILABLE_IN_ALL
HordeImageJob                  *horde_image_job_new_for_id           (HordeClient                    *client,
                                                                      const char                     *id);
HORDE_AVAILABLE_IN_ALL
HordeClient                    *horde_image_job_get_client           (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeImageGenerateAsyncRequest *horde_image_job_get_request          (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
const char                     *horde_image_job_get_id               (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeJobState                   horde_image_job_get_state            (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
guint                           horde_image_job_get_timeout          (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
void                            horde_image_job_set_timeout          (HordeImageJob                  *self,
                                                                      guint                           timeout);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_queue_position   (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_wait_time        (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_waiting          (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_processing       (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_finished         (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gint64                          horde_image_job_get_restarted        (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
double                          horde_image_job_get_kudos            (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_get_is_possible      (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_get_faulted          (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
const char * const             *horde_image_job_get_warnings         (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeRequestAsync              *horde_image_job_get_submit_response  (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeRequestStatusCheck        *horde_image_job_get_last_check       (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
GListModel                     *horde_image_job_get_images           (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_get_on_server        (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
const GError                   *horde_image_job_get_connection_error (HordeImageJob                  *self);
HORDE_AVAILABLE_IN_ALL
void                            horde_image_job_cancel               (HordeImageJob                  *self);

HORDE_AVAILABLE_IN_ALL
void                            horde_image_job_run_async            (HordeImageJob                  *self,
                                                                      GCancellable                   *cancellable,
                                                                      GAsyncReadyCallback             callback,
                                                                      gpointer                        user_data);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_run_finish           (HordeImageJob                  *self,
                                                                      GAsyncResult                   *result,
                                                                      GError                        **error);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_run_sync             (HordeImageJob                  *self,
                                                                      GCancellable                   *cancellable,
                                                                      GError                        **error);

HORDE_AVAILABLE_IN_ALL
void                            horde_image_job_estimate_async       (HordeImageJob                  *self,
                                                                      GCancellable                   *cancellable,
                                                                      GAsyncReadyCallback             callback,
                                                                      gpointer                        user_data);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_estimate_finish      (HordeImageJob                  *self,
                                                                      GAsyncResult                   *result,
                                                                      double                         *kudos,
                                                                      GError                        **error);
HORDE_AVAILABLE_IN_ALL
gboolean                        horde_image_job_estimate_sync        (HordeImageJob                  *self,
                                                                      double                         *kudos,
                                                                      GCancellable                   *cancellable,
                                                                      GError                        **error);

G_END_DECLS

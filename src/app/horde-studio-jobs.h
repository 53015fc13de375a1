/* horde-studio-jobs.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

#include "horde-studio-connection.h"
#include "horde-studio-gallery.h"
#include "horde-studio-job.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_JOBS (horde_studio_jobs_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioJobs, horde_studio_jobs, HORDE_STUDIO, JOBS, GObject)

HordeStudioJobs *horde_studio_jobs_new               (HordeClient                    *client,
                                                      HordeStudioGallery             *gallery);
GListModel      *horde_studio_jobs_get_model         (HordeStudioJobs                *self);
HordeClient     *horde_studio_jobs_get_client        (HordeStudioJobs                *self);
void             horde_studio_jobs_set_connection    (HordeStudioJobs                *self,
                                                      HordeStudioConnection          *connection);
void             horde_studio_jobs_set_concurrency   (HordeStudioJobs                *self,
                                                      guint                           concurrency);
HordeStudioJob  *horde_studio_jobs_submit            (HordeStudioJobs                *self,
                                                      HordeImageGenerateAsyncRequest *request);
HordeStudioJob  *horde_studio_jobs_resume            (HordeStudioJobs                *self,
                                                      const char                     *id,
                                                      HordeImageGenerateAsyncRequest *request,
                                                      GDateTime                      *submitted);
void             horde_studio_jobs_cancel            (HordeStudioJobs                *self,
                                                      HordeStudioJob                 *job);
guint            horde_studio_jobs_cancel_all        (HordeStudioJobs                *self);
gboolean         horde_studio_jobs_get_sending       (HordeStudioJobs                *self);
HordeStudioJob  *horde_studio_jobs_retry             (HordeStudioJobs                *self,
                                                      HordeStudioJob                 *job);
void             horde_studio_jobs_remove            (HordeStudioJobs                *self,
                                                      HordeStudioJob                 *job);
guint            horde_studio_jobs_clear_finished    (HordeStudioJobs                *self);
guint            horde_studio_jobs_get_n_unfinished  (HordeStudioJobs                *self);
void             horde_studio_jobs_discard_async     (HordeStudioJobs                *self,
                                                      const char                     *id,
                                                      GCancellable                   *cancellable,
                                                      GAsyncReadyCallback             callback,
                                                      gpointer                        user_data);
gboolean         horde_studio_jobs_discard_finish    (HordeStudioJobs                *self,
                                                      GAsyncResult                   *result,
                                                      GError                        **error);
void             horde_studio_jobs_cancel_all_async  (HordeStudioJobs                *self,
                                                      GCancellable                   *cancellable,
                                                      GAsyncReadyCallback             callback,
                                                      gpointer                        user_data);
gboolean         horde_studio_jobs_cancel_all_finish (HordeStudioJobs                *self,
                                                      GAsyncResult                   *result,
                                                      GError                        **error);

G_END_DECLS

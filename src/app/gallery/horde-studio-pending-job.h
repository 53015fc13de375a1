/* horde-studio-pending-job.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_PENDING_JOB (horde_studio_pending_job_get_type ())

typedef struct _HordeStudioPendingJob HordeStudioPendingJob;

GType                           horde_studio_pending_job_get_type    (void) G_GNUC_CONST;
HordeStudioPendingJob          *horde_studio_pending_job_ref         (HordeStudioPendingJob *self);
void                            horde_studio_pending_job_unref       (HordeStudioPendingJob *self);
const char                     *horde_studio_pending_job_get_id      (HordeStudioPendingJob *self);
HordeImageGenerateAsyncRequest *horde_studio_pending_job_get_request (HordeStudioPendingJob *self);
GDateTime                      *horde_studio_pending_job_get_created (HordeStudioPendingJob *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeStudioPendingJob, horde_studio_pending_job_unref)

G_END_DECLS

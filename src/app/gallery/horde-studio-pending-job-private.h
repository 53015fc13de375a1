/* horde-studio-pending-job-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-studio-pending-job.h"

G_BEGIN_DECLS

HordeStudioPendingJob *horde_studio_pending_job_new (const char                     *id,
                                                     HordeImageGenerateAsyncRequest *request,
                                                     GDateTime                      *created);

G_END_DECLS

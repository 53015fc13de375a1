/* horde-alchemy-job.h
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

#define HORDE_TYPE_ALCHEMY_JOB (horde_alchemy_job_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeAlchemyJob, horde_alchemy_job, HORDE, ALCHEMY_JOB, HordeJob)

HORDE_AVAILABLE_IN_ALL
HordeAlchemyJob          *horde_alchemy_job_new             (HordeClient              *client,
                                                             HordeAlchemyAsyncRequest *request);
HORDE_AVAILABLE_IN_ALL
HordeAlchemyJob          *horde_alchemy_job_new_for_id      (HordeClient              *client,
                                                             const char               *id);
HORDE_AVAILABLE_IN_ALL
HordeAlchemyAsyncRequest *horde_alchemy_job_get_request     (HordeAlchemyJob          *self);
HORDE_AVAILABLE_IN_ALL
GListModel               *horde_alchemy_job_get_results     (HordeAlchemyJob          *self);
HORDE_AVAILABLE_IN_ALL
HordeInterrogationStatus *horde_alchemy_job_get_last_status (HordeAlchemyJob          *self);

G_END_DECLS

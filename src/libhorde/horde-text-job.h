/* horde-text-job.h
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

#define HORDE_TYPE_TEXT_JOB (horde_text_job_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeTextJob, horde_text_job, HORDE, TEXT_JOB, HordeJob)

HORDE_AVAILABLE_IN_ALL
HordeTextJob                          *horde_text_job_new             (HordeClient                   *client,
                                                                       HordeTextGenerateAsyncRequest *request);
HORDE_AVAILABLE_IN_ALL
HordeTextJob                          *horde_text_job_new_for_id      (HordeClient                   *client,
                                                                       const char                    *id);
HORDE_AVAILABLE_IN_ALL
HordeTextGenerateAsyncRequest         *horde_text_job_get_request     (HordeTextJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeGenerationKobold * const         *horde_text_job_get_generations (HordeTextJob                  *self,
                                                                       gsize                         *n_generations);
HORDE_AVAILABLE_IN_ALL
guint                                  horde_text_job_get_n_generations (HordeTextJob                *self);
HORDE_AVAILABLE_IN_ALL
char                                 **horde_text_job_dup_texts       (HordeTextJob                  *self);
HORDE_AVAILABLE_IN_ALL
HordeRequestStatusKobold              *horde_text_job_get_last_status (HordeTextJob                  *self);

G_END_DECLS

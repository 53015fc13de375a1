/* horde-studio-job-list.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-jobs.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_JOB_LIST (horde_studio_job_list_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioJobList, horde_studio_job_list, HORDE_STUDIO, JOB_LIST, GtkWidget)

void        horde_studio_job_list_set_jobs     (HordeStudioJobList *self,
                                                HordeStudioJobs    *jobs);
GtkListBox *horde_studio_job_list_get_list_box (HordeStudioJobList *self);

G_END_DECLS

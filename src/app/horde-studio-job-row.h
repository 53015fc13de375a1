/* horde-studio-job-row.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <adwaita.h>

#include "horde-studio-jobs.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_JOB_ROW (horde_studio_job_row_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioJobRow, horde_studio_job_row, HORDE_STUDIO, JOB_ROW, GtkWidget)

GtkWidget      *horde_studio_job_row_new      (HordeStudioJobs *jobs,
                                               HordeStudioJob  *job);
HordeStudioJob *horde_studio_job_row_get_job  (HordeStudioJobRow *self);
const char     *horde_studio_job_row_get_status_text (HordeStudioJobRow *self);
const char     *horde_studio_job_row_get_details_text (HordeStudioJobRow *self);
const char     *horde_studio_job_row_get_error_text  (HordeStudioJobRow *self);
guint           horde_studio_job_row_get_n_thumbnails (HordeStudioJobRow *self);

G_END_DECLS

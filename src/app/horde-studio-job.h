/* horde-studio-job.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_JOB (horde_studio_job_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioJob, horde_studio_job, HORDE_STUDIO, JOB, GObject)

HordeStudioJob                 *horde_studio_job_new               (HordeImageJob   *image_job,
                                                                    HordeImageGenerateAsyncRequest *request);
HordeImageJob                  *horde_studio_job_get_image_job     (HordeStudioJob  *self);
HordeImageGenerateAsyncRequest *horde_studio_job_get_request       (HordeStudioJob  *self);
GListModel                     *horde_studio_job_get_images        (HordeStudioJob  *self);
void                            horde_studio_job_add_image         (HordeStudioJob  *self,
                                                                    GObject         *gallery_item);
gint64                          horde_studio_job_get_n_requested   (HordeStudioJob  *self);
const char                     *horde_studio_job_get_prompt        (HordeStudioJob  *self);
gint64                          horde_studio_job_get_started       (HordeStudioJob  *self);
void                            horde_studio_job_set_started       (HordeStudioJob  *self,
                                                                    gint64           monotonic_time);
gint64                          horde_studio_job_get_ended         (HordeStudioJob  *self);
void                            horde_studio_job_set_ended         (HordeStudioJob  *self,
                                                                    gint64           monotonic_time);
const char                     *horde_studio_job_get_error_message (HordeStudioJob  *self);
const char                     *horde_studio_job_get_error_hint    (HordeStudioJob  *self);
void                            horde_studio_job_set_error         (HordeStudioJob  *self,
                                                                    const GError    *error);
void                            horde_studio_job_set_error_text    (HordeStudioJob  *self,
                                                                    const char      *message,
                                                                    const char      *hint);
double                          horde_studio_job_get_tax           (HordeStudioJob  *self);
GDateTime                      *horde_studio_job_get_submitted     (HordeStudioJob  *self);
void                            horde_studio_job_set_submitted     (HordeStudioJob  *self,
                                                                    GDateTime       *submitted);
gboolean                        horde_studio_job_is_running        (HordeStudioJob  *self);
gboolean                        horde_studio_job_is_ended          (HordeStudioJob  *self);

G_END_DECLS

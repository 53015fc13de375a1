/* horde-job.h
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
#include "horde-job-state.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_JOB (horde_job_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (HordeJob, horde_job, HORDE, JOB, GObject)

/**
 * HordeJobClass:
 * @parent_class: the parent class
 *
 * The class of [class@Horde.Job]. Its virtual functions are private to
 * libhorde: the job classes that derive from it are libhorde's own
 * ([class@Horde.ImageJob], [class@Horde.TextJob], [class@Horde.AlchemyJob]).
 */
struct _HordeJobClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

HORDE_AVAILABLE_IN_ALL
HordeClient         *horde_job_get_client           (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
const char          *horde_job_get_id               (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
HordeJobState        horde_job_get_state            (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
guint                horde_job_get_timeout          (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
void                 horde_job_set_timeout          (HordeJob             *self,
                                                     guint                 timeout);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_get_keep             (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
void                 horde_job_set_keep             (HordeJob             *self,
                                                     gboolean              keep);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_queue_position   (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_wait_time        (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_waiting          (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_processing       (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_finished         (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gint64               horde_job_get_restarted        (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
double               horde_job_get_kudos            (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_get_is_possible      (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_get_faulted          (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
const char * const  *horde_job_get_warnings         (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_get_on_server        (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
const GError        *horde_job_get_connection_error (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
GDateTime           *horde_job_get_expires_at       (HordeJob             *self);
HORDE_AVAILABLE_IN_ALL
void                 horde_job_cancel               (HordeJob             *self);

HORDE_AVAILABLE_IN_ALL
void                 horde_job_run_async            (HordeJob             *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_run_finish           (HordeJob             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_run_sync             (HordeJob             *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);

HORDE_AVAILABLE_IN_ALL
void                 horde_job_estimate_async       (HordeJob             *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_estimate_finish      (HordeJob             *self,
                                                     GAsyncResult         *result,
                                                     double               *kudos,
                                                     GError              **error);
HORDE_AVAILABLE_IN_ALL
gboolean             horde_job_estimate_sync        (HordeJob             *self,
                                                     double               *kudos,
                                                     GCancellable         *cancellable,
                                                     GError              **error);

G_END_DECLS

/* horde-studio-pending-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-studio-pending-job-private.h"

/**
 * HordeStudioPendingJob:
 *
 * A server request that was running when the gallery last heard of it:
 * its id, the request that started it and when it was recorded. The app
 * records each job it starts with [method@HordeStudio.Gallery.add_pending_job]
 * and forgets it when the job ends, so that after a crash
 * [method@HordeStudio.Gallery.list_pending_jobs] tells which server jobs to
 * resume or cancel.
 *
 * An immutable, reference-counted value.
 */

struct _HordeStudioPendingJob
{
  gatomicrefcount ref_count;
  char *id;
  HordeImageGenerateAsyncRequest *request;
  GDateTime *created;
};

G_DEFINE_BOXED_TYPE (HordeStudioPendingJob, horde_studio_pending_job,
                     horde_studio_pending_job_ref, horde_studio_pending_job_unref)

HordeStudioPendingJob *
horde_studio_pending_job_new (const char                     *id,
                              HordeImageGenerateAsyncRequest *request,
                              GDateTime                      *created)
{
  HordeStudioPendingJob *self = g_new0 (HordeStudioPendingJob, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  self->request = horde_image_generate_async_request_ref (request);
  self->created = g_date_time_ref (created);

  return self;
}

/**
 * horde_studio_pending_job_ref:
 * @self: a #HordeStudioPendingJob
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self
 */
HordeStudioPendingJob *
horde_studio_pending_job_ref (HordeStudioPendingJob *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * horde_studio_pending_job_unref:
 * @self: (transfer full): a #HordeStudioPendingJob
 *
 * Drops a reference, freeing @self with the last one.
 */
void
horde_studio_pending_job_unref (HordeStudioPendingJob *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  horde_image_generate_async_request_unref (self->request);
  g_date_time_unref (self->created);
  g_free (self);
}

/**
 * horde_studio_pending_job_get_id:
 * @self: a #HordeStudioPendingJob
 *
 * Gets the id of the server request.
 *
 * Returns: the id the Horde gave the request
 */
const char *
horde_studio_pending_job_get_id (HordeStudioPendingJob *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

/**
 * horde_studio_pending_job_get_request:
 * @self: a #HordeStudioPendingJob
 *
 * Gets the request that started the job, without its API key.
 *
 * Returns: (transfer none): the request
 */
HordeImageGenerateAsyncRequest *
horde_studio_pending_job_get_request (HordeStudioPendingJob *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->request;
}

/**
 * horde_studio_pending_job_get_created:
 * @self: a #HordeStudioPendingJob
 *
 * Gets when the job was recorded, to the second, in local time.
 *
 * Returns: (transfer none): when the job was recorded
 */
GDateTime *
horde_studio_pending_job_get_created (HordeStudioPendingJob *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->created;
}

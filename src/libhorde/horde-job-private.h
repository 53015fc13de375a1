/* horde-job-private.h: what a job class tells the shared machinery
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-job.h"

G_BEGIN_DECLS

/* The most results a request can ask for (n of an image or text request):
 * what a job resumed from an id accepts */
#define HORDE_JOB_MAX_RESULTS 20

/* How long the server keeps a request after it was submitted, or after it
 * last saw a generation of it start or finish (horde/utils.py,
 * get_expiry_date(); the NoAvailableWorker warning says the same) */
#define HORDE_JOB_EXPIRY_SECONDS (20 * 60)

/* The longest a cancelled job follows its request for the generations
 * that were being made at the cancel: longer than the server lets a worker
 * take over an ordinary image (150 s at least, its job TTL) */
#define HORDE_JOB_FOLLOW_MAX_MS (5 * 60 * 1000)

/* What one poll said; what it leaves out stays at its value before */
typedef struct {
  gint64 queue_position;
  gint64 wait_time;
  gint64 waiting;
  gint64 processing;
  gint64 finished;
  gint64 restarted;
  double kudos;
  gboolean is_possible;
  gboolean faulted;
  gboolean done;
} HordeJobProgress;

/* The virtual functions of HordeJob, kept in its class private data so
 * that they are not ABI. Every request is a model (horde-model-private.h),
 * answers come from horde_client_call_finish() and are borrowed. */
typedef struct {
  /* the least time between two polls, under the poll endpoint's limit */
  guint min_poll_ms;
  /* the most time between two polls while some generations of a request
   * are finished or being made and others are not, so that a job that
   * shows results before the end sees them come (0: the pace follows the
   * server's estimate of the end alone) */
  guint partial_poll_ms;
  /* whether a generation being made when the request is deleted is still
   * finished, charged and served by the server, so that a cancelled job
   * follows the request until nothing is being made (images, texts) */
  gboolean follows_cancel;

  /* the request to POST (transfer full), or NULL with @error set */
  gpointer  (*create_submit_request) (HordeJob          *self,
                                      GError           **error);
  /* reads the answer to the POST, calling horde_job_set_submitted() */
  gboolean  (*accept_submission)     (HordeJob          *self,
                                      gpointer           answer,
                                      GError           **error);
  /* one poll: /check or /status (transfer full) */
  gpointer  (*create_poll_request)   (HordeJob          *self);
  /* reads a poll's answer into @progress (filled with the values before) */
  void      (*read_poll)             (HordeJob          *self,
                                      gpointer           answer,
                                      HordeJobProgress  *progress);
  /* reads the answer of a fetch or a DELETE into @progress, as read_poll
   * (optional: read_poll reads them when they are of the same type) */
  void      (*read_status)           (HordeJob          *self,
                                      gpointer           answer,
                                      HordeJobProgress  *progress);
  /* the request that fetches the results once done, or NULL when the last
   * poll's answer holds them (optional) */
  gpointer  (*create_fetch_request)  (HordeJob          *self);
  /* the DELETE of the server request (transfer full) */
  gpointer  (*create_delete_request) (HordeJob          *self);
  /* what a faulted request ends with (optional) */
  GError   *(*create_fault_error)    (HordeJob          *self);
  /* takes the results of a fetch, a DELETE or the last poll, ending with
   * a GTask of @self that returns a boolean; @cancellable is NULL while
   * the run is cancelling: they are what is left of it */
  void      (*take_results_async)    (HordeJob          *self,
                                      gpointer           answer,
                                      GCancellable      *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer           user_data);
  /* the request sent as a dry run, whose answer is a HordeRequestAsync
   * with the price alone (transfer full); NULL with @error set when it
   * cannot be made, or NULL with @error unset for a job resumed from an
   * id, which has no request. Optional: a kind of request the Horde has
   * no dry run for (alchemy) leaves it NULL, and cannot be estimated. */
  gpointer  (*create_dry_run_request) (HordeJob          *self,
                                       GError           **error);
} HordeJobVFuncs;

HordeJobVFuncs *horde_job_class_get_vfuncs (gpointer          klass);

void            horde_job_set_submitted    (HordeJob         *self,
                                            const char       *id,
                                            double            kudos,
                                            char            **warnings);
gboolean        horde_job_was_deleted      (HordeJob         *self);
char          **horde_job_warnings_from_async (gpointer       request_async);

/* NULL, or the error for an answer with more results than the request
 * asked for: a server that lists 10,000 images for one would have a
 * program write 10,000 files */
GError *horde_job_check_n_results (gsize n,
                                   gsize expected);

G_END_DECLS

/* horde-job-state.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * HordeJobState:
 * @HORDE_JOB_STATE_NEW: not started yet
 * @HORDE_JOB_STATE_SUBMITTING: the request is on its way to the server
 * @HORDE_JOB_STATE_WAITING: queued on the server; no worker has it yet
 * @HORDE_JOB_STATE_PROCESSING: workers are generating
 * @HORDE_JOB_STATE_DOWNLOADING: done on the server; the results are on their way
 * @HORDE_JOB_STATE_CANCELLING: the server request is being deleted
 * @HORDE_JOB_STATE_DONE: finished, with all its results
 * @HORDE_JOB_STATE_CANCELLED: cancelled; the results finished before are kept
 * @HORDE_JOB_STATE_FAILED: failed (faulted, timed out, refused, unreachable);
 *   the results finished before are kept
 *
 * Where a job is in its life. The last three are final.
 */
typedef enum {
  HORDE_JOB_STATE_NEW,
  HORDE_JOB_STATE_SUBMITTING,
  HORDE_JOB_STATE_WAITING,
  HORDE_JOB_STATE_PROCESSING,
  HORDE_JOB_STATE_DOWNLOADING,
  HORDE_JOB_STATE_CANCELLING,
  HORDE_JOB_STATE_DONE,
  HORDE_JOB_STATE_CANCELLED,
  HORDE_JOB_STATE_FAILED,
} HordeJobState;

G_END_DECLS

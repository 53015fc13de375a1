/* horde-operation-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-operation.h"
#include "horde-service.h"
#include "horde-model-private.h"

G_BEGIN_DECLS

typedef struct {
  guint status;
  GType (*get_type) (void);
} HordeOperationResponse;

struct _HordeOperation {
  const char *method;
  const char *path;
  const char *operation_id;
  const char *summary;
  const char *name;
  const HordeModelInfo *request;
  const HordeOperationResponse *responses;   /* success statuses, ascending */
  guint n_responses;
  guint rate_requests;                       /* the server's limit: requests per… */
  guint rate_seconds;                        /* …this many seconds */
  guint idempotent : 1;                      /* safe to send again after an unknown outcome */
  const char *idempotency_header;            /* a header that makes it idempotent when set */
  HordeService service;                      /* whose base URL it goes to */
};

gsize horde_operation_table_size (void);

G_END_DECLS

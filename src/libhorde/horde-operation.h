/* horde-operation.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib-object.h>

#include "horde-version-macros.h"
#include "horde-service.h"

G_BEGIN_DECLS

#define HORDE_TYPE_OPERATION (horde_operation_get_type ())

typedef struct _HordeOperation HordeOperation;

HORDE_AVAILABLE_IN_ALL
GType                   horde_operation_get_type                  (void) G_GNUC_CONST;
HORDE_AVAILABLE_IN_ALL
const HordeOperation   *horde_operation_lookup                    (const char           *method,
                                                                   const char           *path_template);
HORDE_AVAILABLE_IN_ALL
const HordeOperation   *horde_operation_lookup_for_request_type   (GType                 request_type);
HORDE_AVAILABLE_IN_ALL
const HordeOperation  **horde_operation_list                      (gsize                *n_operations);
HORDE_AVAILABLE_IN_ALL
const char             *horde_operation_get_method                (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
const char             *horde_operation_get_path                  (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
const char             *horde_operation_get_operation_id          (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
const char             *horde_operation_get_summary               (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
const char             *horde_operation_get_name                  (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
HordeService            horde_operation_get_service               (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
GType                   horde_operation_get_request_type          (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
GType                   horde_operation_get_response_type         (const HordeOperation *self,
                                                                   guint                 status);
HORDE_AVAILABLE_IN_ALL
guint                  *horde_operation_get_success_statuses      (const HordeOperation *self,
                                                                   gsize                *n_statuses);
HORDE_AVAILABLE_IN_ALL
GType                   horde_operation_get_success_response_type (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
gboolean                horde_operation_is_idempotent             (const HordeOperation *self);
HORDE_AVAILABLE_IN_ALL
void                    horde_operation_get_rate_limit            (const HordeOperation *self,
                                                                   guint                *requests,
                                                                   guint                *seconds);
HORDE_AVAILABLE_IN_ALL
gboolean                horde_operation_new_request               (const HordeOperation *self,
                                                                   const char           *body,
                                                                   GHashTable           *parameters,
                                                                   GValue               *request,
                                                                   GError              **error);

HORDE_AVAILABLE_IN_ALL
char                   *horde_value_to_json                       (const GValue         *value);

G_END_DECLS

/* horde-error-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-error.h"

G_BEGIN_DECLS

GError *horde_error_new_full      (HordeError   code,
                                   guint        status,
                                   const char  *rc,
                                   const char  *server_message,
                                   GHashTable  *field_errors,
                                   const char  *message);
GError *horde_error_new_for_http  (guint        status,
                                   const char  *reason,
                                   const char  *rc,
                                   const char  *server_message,
                                   GHashTable  *field_errors);
GError *horde_error_new_for_answer (guint        status,
                                    const char  *reason,
                                    const char  *data,
                                    gsize        length);
HordeError horde_error_code_for_status (guint status);

G_END_DECLS

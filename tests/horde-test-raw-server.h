/* horde-test-raw-server.h: an HTTP server on 127.0.0.1 that writes what a
 * test tells it to, byte by byte
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HordeTestRawServer HordeTestRawServer;

typedef struct {
  char *method;
  char *path;             /* with the query */
  GHashTable *headers;    /* lower-case name → value */
  GBytes *body;
} HordeTestRawRequest;

/* Runs in a thread of its own for each connection: answers @request by
 * writing to @out whatever it likes (status line, headers, body), for as
 * long as it likes. The connection closes when it returns. */
typedef void (*HordeTestRawHandler) (HordeTestRawServer  *server,
                                     HordeTestRawRequest *request,
                                     GOutputStream       *out,
                                     gpointer             user_data);

HordeTestRawServer *horde_test_raw_server_start        (HordeTestRawHandler  handler,
                                                        gpointer             user_data);
const char         *horde_test_raw_server_get_url      (HordeTestRawServer  *self);
guint               horde_test_raw_server_get_n_requests (HordeTestRawServer *self);
HordeTestRawRequest *horde_test_raw_server_get_request (HordeTestRawServer  *self,
                                                        guint                index);
void                horde_test_raw_server_stop         (HordeTestRawServer  *self);

gboolean            horde_test_raw_write               (GOutputStream       *out,
                                                        const char          *text);
gboolean            horde_test_raw_write_len           (GOutputStream       *out,
                                                        const void          *data,
                                                        gsize                len);
gboolean            horde_test_raw_write_chunk         (GOutputStream       *out,
                                                        const void          *data,
                                                        gsize                len);

G_END_DECLS

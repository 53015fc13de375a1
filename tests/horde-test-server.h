/* horde-test-server.h: a SoupServer on 127.0.0.1 in a thread of its own
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _HordeTestServer HordeTestServer;

HordeTestServer *horde_test_server_start   (SoupServerCallback  handler,
                                            gpointer            user_data);
const char      *horde_test_server_get_url (HordeTestServer    *self);
void             horde_test_server_stop    (HordeTestServer    *self);

G_END_DECLS

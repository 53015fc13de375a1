/* horde-sim-server.h: the HTTP side of the simulator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "horde-sim-config.h"

G_BEGIN_DECLS

#define HORDE_SIM_TYPE_SERVER (horde_sim_server_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimServer, horde_sim_server, HORDE_SIM, SERVER, GObject)

HordeSimServer *horde_sim_server_new          (void);
gboolean        horde_sim_server_start        (HordeSimServer        *self,
                                               const HordeSimConfig  *config,
                                               GError               **error);
const char     *horde_sim_server_get_base_url (HordeSimServer        *self);
void            horde_sim_server_stop         (HordeSimServer        *self);

G_END_DECLS

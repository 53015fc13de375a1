/* horde-studio-connection.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_CONNECTION (horde_studio_connection_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioConnection, horde_studio_connection, HORDE_STUDIO, CONNECTION, GObject)

HordeStudioConnection *horde_studio_connection_new           (void);
gboolean               horde_studio_connection_get_reachable (HordeStudioConnection *self);
gboolean               horde_studio_connection_get_checking  (HordeStudioConnection *self);
const char            *horde_studio_connection_get_problem   (HordeStudioConnection *self);
guint                  horde_studio_connection_get_retry_in  (HordeStudioConnection *self);
gboolean               horde_studio_connection_report        (HordeStudioConnection *self,
                                                              const GError          *error);
void                   horde_studio_connection_retry_now     (HordeStudioConnection *self);
void                   horde_studio_connection_check         (HordeStudioConnection *self,
                                                              HordeClient           *client);

G_END_DECLS

/* horde-studio-compose-state.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libhorde.h>

G_BEGIN_DECLS

/**
 * HORDE_STUDIO_COMPOSE_STATE_MAX_SIZE:
 *
 * The largest state file read back, in bytes.
 */
#define HORDE_STUDIO_COMPOSE_STATE_MAX_SIZE (4 * 1024 * 1024)

char     *horde_studio_compose_state_default_path (void);

gboolean  horde_studio_compose_state_save         (const char                      *path,
                                                   const char                      *prompt,
                                                   const char                      *negative,
                                                   HordeImageGenerateAsyncRequest  *request,
                                                   GError                         **error);

gboolean  horde_studio_compose_state_load         (const char                      *path,
                                                   char                           **prompt,
                                                   char                           **negative,
                                                   HordeImageGenerateAsyncRequest **request,
                                                   GError                         **error);

G_END_DECLS

/* horde-sim-types.h: enums shared by the simulator's classes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The three kinds of work the AI Horde queues. */
typedef enum {
  HORDE_SIM_KIND_IMAGE,
  HORDE_SIM_KIND_TEXT,
  HORDE_SIM_KIND_ALCHEMY,
  HORDE_SIM_N_KINDS,
} HordeSimKind;

/* "image", "text" or "interrogation" (the WorkerDetails type strings) */
static inline const char *
horde_sim_kind_to_string (HordeSimKind kind)
{
  switch (kind)
    {
    case HORDE_SIM_KIND_TEXT:
      return "text";
    case HORDE_SIM_KIND_ALCHEMY:
      return "interrogation";
    default:
      return "image";
    }
}

G_END_DECLS

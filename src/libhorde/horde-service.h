/* horde-service.h
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
 * HordeService:
 * @HORDE_SERVICE_HORDE: the AI Horde itself, at
 *   [property@Horde.Client:base-url] (`https://aihorde.net/api`)
 * @HORDE_SERVICE_RATINGS: the AI Horde Ratings API, which collects
 *   aesthetic and artifact ratings of images, at
 *   [property@Horde.Client:ratings-base-url] (`https://ratings.aihorde.net/api`)
 *
 * The service an operation belongs to ([method@Horde.Operation.get_service]):
 * each has a base URL of its own, and [class@Horde.Client] sends an operation
 * to its service's.
 */
typedef enum {
  HORDE_SERVICE_HORDE,
  HORDE_SERVICE_RATINGS,
} HordeService;

G_END_DECLS

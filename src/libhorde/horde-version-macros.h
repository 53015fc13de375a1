/* horde-version-macros.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib.h>

#include "horde-version.h"

#ifndef _HORDE_EXTERN
# define _HORDE_EXTERN __attribute__((visibility("default"))) extern
#endif

#define HORDE_AVAILABLE_IN_ALL _HORDE_EXTERN

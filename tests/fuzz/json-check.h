/* json-check.h: a strict RFC 8259 grammar check, independent of libhorde
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint max_depth;          /* deepest nesting of arrays and objects; 0 for a scalar */
  char top;                 /* first character of the value: '{', '[', '"', 't', '-', '1'… */
  gboolean array_of_objects; /* the value is an array and each of its elements an object */
  gboolean lone_surrogate;  /* a \u escape of a UTF-16 surrogate without its pair */
  gboolean nul_escape;      /* a \u0000 escape */
} JsonCheck;

gboolean json_check (const char *text,
                     gsize       len,
                     JsonCheck  *info);

G_END_DECLS

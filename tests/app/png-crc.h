/* png-crc.h: the CRC of a PNG chunk, for the tests that write or check chunks
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint32 png_crc (const guint8 *data,
                 gsize         length);

G_END_DECLS

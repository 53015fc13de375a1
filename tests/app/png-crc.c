/* png-crc.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "png-crc.h"

/* The CRC-32 of PNG chunks (ISO 3309, as the PNG specification gives it)
 * over @length bytes at @data: a chunk's type and data */
guint32
png_crc (const guint8 *data,
         gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc & 1) ? 0xedb88320 ^ (crc >> 1) : crc >> 1;
    }
  return crc ^ 0xffffffff;
}

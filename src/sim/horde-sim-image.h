/* horde-sim-image.h: deterministic images, encoded as WebP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes   *horde_sim_image_render (const char *prompt,
                                  const char *seed,
                                  int         width,
                                  int         height,
                                  const char *model);
GBytes   *horde_sim_image_junk   (guint64     salt);
gboolean  horde_sim_image_probe  (GBytes     *bytes,
                                  int        *width,
                                  int        *height);

G_END_DECLS

/* horde-sim-content.h: deterministic pseudo-random content
 *
 * Everything a simulated worker "generates" is a pure function of its
 * inputs, so that the same request gives the same bytes on every run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* splitmix64: tiny, fast and good enough for shapes and words */
typedef struct {
  guint64 state;
} HordeSimRng;

void     horde_sim_rng_init          (HordeSimRng   *rng,
                                      guint64        seed);
guint64  horde_sim_rng_next          (HordeSimRng   *rng);
double   horde_sim_rng_double        (HordeSimRng   *rng);
guint    horde_sim_rng_range         (HordeSimRng   *rng,
                                      guint          n);

guint64  horde_sim_hash              (const char    *first,
                                      ...) G_GNUC_NULL_TERMINATED;
guint64  horde_sim_hash_bytes        (GBytes        *bytes);
char    *horde_sim_uuid_from_hash    (guint64        hash);
guint32  horde_sim_seed_from_string  (const char    *seed);

char    *horde_sim_content_text      (const char    *prompt,
                                      guint32        seed,
                                      int            max_length,
                                      const char * const *stop_sequences);
JsonNode *horde_sim_content_form     (const char    *form,
                                      guint64        source_hash,
                                      const char    *image_url);

G_END_DECLS

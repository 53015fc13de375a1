/* horde-sim-worker.h: a simulated worker
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "horde-sim-types.h"
#include "horde-sim-user.h"

G_BEGIN_DECLS

/* What an image worker says it takes (PopInputStable's allow_* fields) */
typedef enum {
  HORDE_SIM_ALLOW_IMG2IMG         = 1 << 0,
  HORDE_SIM_ALLOW_PAINTING        = 1 << 1,
  HORDE_SIM_ALLOW_POST_PROCESSING = 1 << 2,
  HORDE_SIM_ALLOW_CONTROLNET      = 1 << 3,
  HORDE_SIM_ALLOW_SDXL_CONTROLNET = 1 << 4,
  HORDE_SIM_ALLOW_LORA            = 1 << 5,
} HordeSimAllow;

/* What its bridge agent can do, as horde/bridge_reference.py
 * BRIDGE_CAPABILITIES knows it */
typedef enum {
  HORDE_SIM_BRIDGE_IMG2IMG            = 1 << 0,
  HORDE_SIM_BRIDGE_INPAINTING         = 1 << 1,
  HORDE_SIM_BRIDGE_POST_PROCESSING    = 1 << 2,
  HORDE_SIM_BRIDGE_CONTROLNET         = 1 << 3,
  HORDE_SIM_BRIDGE_IMAGE_IS_CONTROL   = 1 << 4,
  HORDE_SIM_BRIDGE_RETURN_CONTROL_MAP = 1 << 5,
  HORDE_SIM_BRIDGE_LORA               = 1 << 6,
  HORDE_SIM_BRIDGE_TEXTUAL_INVERSION  = 1 << 7,
  HORDE_SIM_BRIDGE_QR_CODE            = 1 << 8,
  HORDE_SIM_BRIDGE_LAYER_DIFFUSE      = 1 << 9,
  HORDE_SIM_BRIDGE_ALL                = (1 << 10) - 1,
} HordeSimBridge;

#define HORDE_SIM_TYPE_WORKER (horde_sim_worker_get_type ())
G_DECLARE_FINAL_TYPE (HordeSimWorker, horde_sim_worker, HORDE_SIM, WORKER, GObject)

HordeSimWorker     *horde_sim_worker_new                   (HordeSimKind        kind,
                                                            const char         *name,
                                                            const char * const *models,
                                                            double              speed);
HordeSimWorker     *horde_sim_worker_new_external          (HordeSimKind        kind,
                                                            const char         *name,
                                                            HordeSimUser       *owner,
                                                            double              speed);
gboolean            horde_sim_worker_is_external           (HordeSimWorker     *self);
HordeSimUser       *horde_sim_worker_get_owner             (HordeSimWorker     *self);
void                horde_sim_worker_check_in              (HordeSimWorker     *self,
                                                            const char * const *models,
                                                            const char         *bridge_agent,
                                                            gboolean            nsfw,
                                                            guint               threads);
void                horde_sim_worker_set_limits            (HordeSimWorker     *self,
                                                            gint64              max_pixels,
                                                            int                 max_length,
                                                            int                 max_context_length);

const char         *horde_sim_worker_get_id                (HordeSimWorker     *self);
const char         *horde_sim_worker_get_name              (HordeSimWorker     *self);
HordeSimKind        horde_sim_worker_get_kind              (HordeSimWorker     *self);
double              horde_sim_worker_get_speed             (HordeSimWorker     *self);
gint64              horde_sim_worker_get_max_pixels        (HordeSimWorker     *self);
int                 horde_sim_worker_get_max_length        (HordeSimWorker     *self);
int                 horde_sim_worker_get_max_context_length (HordeSimWorker    *self);
const char * const *horde_sim_worker_get_models            (HordeSimWorker     *self);
gboolean            horde_sim_worker_serves                (HordeSimWorker     *self,
                                                            const char         *model_or_form);
gboolean            horde_sim_worker_get_nsfw              (HordeSimWorker     *self);
void                horde_sim_worker_set_nsfw              (HordeSimWorker     *self,
                                                            gboolean            nsfw);
const char         *horde_sim_worker_get_bridge_agent      (HordeSimWorker     *self);
gboolean            horde_sim_worker_get_r2                (HordeSimWorker     *self);
void                horde_sim_worker_set_r2                (HordeSimWorker     *self,
                                                            gboolean            r2);
HordeSimAllow       horde_sim_worker_get_allowed           (HordeSimWorker     *self);
void                horde_sim_worker_set_allowed           (HordeSimWorker     *self,
                                                            HordeSimAllow       allowed);
HordeSimBridge      horde_sim_worker_get_bridge            (HordeSimWorker     *self);
void                horde_sim_worker_set_bridge            (HordeSimWorker     *self,
                                                            HordeSimBridge      bridge);
gboolean            horde_sim_worker_allows                (HordeSimWorker     *self,
                                                            HordeSimAllow       allow);
gboolean            horde_sim_worker_bridge_can            (HordeSimWorker     *self,
                                                            HordeSimBridge      capability);
gboolean            horde_sim_worker_get_serves_sdxl       (HordeSimWorker     *self);
void                horde_sim_worker_set_serves_sdxl       (HordeSimWorker     *self,
                                                            gboolean            serves_sdxl);
gpointer            horde_sim_worker_get_job               (HordeSimWorker     *self);
void                horde_sim_worker_set_job               (HordeSimWorker     *self,
                                                            gpointer            job);
void                horde_sim_worker_record_job            (HordeSimWorker     *self,
                                                            double              kudos,
                                                            double              megapixelsteps,
                                                            gint64              tokens);
guint               horde_sim_worker_get_threads           (HordeSimWorker     *self);
guint               horde_sim_worker_get_fulfilled         (HordeSimWorker     *self);
gboolean            horde_sim_worker_get_maintenance       (HordeSimWorker     *self);
const char         *horde_sim_worker_get_maintenance_msg   (HordeSimWorker     *self);
void                horde_sim_worker_set_maintenance       (HordeSimWorker     *self,
                                                            gboolean            maintenance,
                                                            const char         *msg);
gboolean            horde_sim_worker_get_paused            (HordeSimWorker     *self);
void                horde_sim_worker_set_paused            (HordeSimWorker     *self,
                                                            gboolean            paused);
JsonNode           *horde_sim_worker_to_json               (HordeSimWorker     *self,
                                                            gboolean            moderator);

G_END_DECLS

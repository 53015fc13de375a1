/* horde-alchemy-result.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "horde-generated-image.h"
#include "horde-models.h"
#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_ALCHEMY_RESULT (horde_alchemy_result_get_type ())

HORDE_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HordeAlchemyResult, horde_alchemy_result, HORDE, ALCHEMY_RESULT, GObject)

HORDE_AVAILABLE_IN_ALL
const char                   *horde_alchemy_result_get_form         (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
HordeAlchemyForm              horde_alchemy_result_get_form_enum    (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
const char                   *horde_alchemy_result_get_state        (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
gboolean                      horde_alchemy_result_get_done         (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
HordeInterrogationFormStatus *horde_alchemy_result_get_form_status  (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
const char                   *horde_alchemy_result_get_caption      (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
JsonObject                   *horde_alchemy_result_get_interrogation (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
char                        **horde_alchemy_result_dup_tags         (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
gboolean                      horde_alchemy_result_has_nsfw         (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
gboolean                      horde_alchemy_result_get_nsfw         (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
const char                   *horde_alchemy_result_get_image_url    (HordeAlchemyResult *self);
HORDE_AVAILABLE_IN_ALL
HordeGeneratedImage          *horde_alchemy_result_get_image        (HordeAlchemyResult *self);

G_END_DECLS

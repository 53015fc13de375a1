/* horde-text-model-record.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib-object.h>

#include "horde-version-macros.h"

G_BEGIN_DECLS

#define HORDE_TYPE_TEXT_MODEL_RECORD (horde_text_model_record_get_type ())

typedef struct _HordeTextModelRecord HordeTextModelRecord;

HORDE_AVAILABLE_IN_ALL
GType                 horde_text_model_record_get_type            (void) G_GNUC_CONST;
HORDE_AVAILABLE_IN_ALL
HordeTextModelRecord *horde_text_model_record_ref                 (HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
void                  horde_text_model_record_unref               (HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_name            (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_model_name      (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_display_name    (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_baseline        (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
gint64                horde_text_model_record_get_parameters      (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_description     (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_version         (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_style           (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
gboolean              horde_text_model_record_get_nsfw            (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_url             (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char           *horde_text_model_record_get_instruct_format (const HordeTextModelRecord *self);
HORDE_AVAILABLE_IN_ALL
const char * const   *horde_text_model_record_get_tags            (const HordeTextModelRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeTextModelRecord, horde_text_model_record_unref)

G_END_DECLS

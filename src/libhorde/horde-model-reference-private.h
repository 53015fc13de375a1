/* horde-model-reference-private.h: the model reference's parser and records
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "horde-image-model-record.h"
#include "horde-text-model-record.h"

G_BEGIN_DECLS

/* The most a reference file may weigh: the real ones are about 0.2 MB
 * (images) and 1.2 MB (text) */
#define HORDE_MODEL_REFERENCE_MAX_BYTES (32 * 1024 * 1024)
/* the most entries one file may hold */
#define HORDE_MODEL_REFERENCE_MAX_ENTRIES 65536
/* bounds on what one record keeps, in bytes */
#define HORDE_MODEL_REFERENCE_MAX_NAME 256
#define HORDE_MODEL_REFERENCE_MAX_TEXT 8192
#define HORDE_MODEL_REFERENCE_MAX_SHORT 256
#define HORDE_MODEL_REFERENCE_MAX_URL 2048
#define HORDE_MODEL_REFERENCE_MAX_LIST 64

struct _HordeImageModelRecord
{
  gatomicrefcount ref_count;

  char *name;
  HordeModelBaseline baseline;
  char *baseline_string;
  gboolean inpainting;
  gboolean nsfw;
  char *style;
  char *model_type;
  char *description;
  char *version;
  char *homepage;
  char **trigger;
  char **showcases;
  char **tags;
  char **features_not_supported;
  gint64 size_on_disk;
  char **samplers;
  char **schedulers;
  int min_steps;
  int max_steps;
  int clip_skip;
  double cfg_scale;
  double min_cfg_scale;
  double max_cfg_scale;
};

struct _HordeTextModelRecord
{
  gatomicrefcount ref_count;

  char *name;
  char *model_name;
  char *display_name;
  char *baseline;
  gint64 parameters;
  char *description;
  char *version;
  char *style;
  gboolean nsfw;
  char *url;
  char *instruct_format;
  char **tags;
};

HordeImageModelRecord *horde_image_model_record_new_from_json (const char  *name,
                                                               JsonObject  *object);
HordeTextModelRecord  *horde_text_model_record_new_from_json  (const char  *name,
                                                               JsonObject  *object);

/* name → record; NULL and @error when the text is not a JSON object of at
 * most HORDE_MODEL_REFERENCE_MAX_BYTES; bad entries are skipped and
 * counted in @skipped */
GHashTable *horde_model_reference_parse_image (const char  *data,
                                               gsize        length,
                                               guint       *skipped,
                                               GError     **error);
GHashTable *horde_model_reference_parse_text  (const char  *data,
                                               gsize        length,
                                               guint       *skipped,
                                               GError     **error);

/* helpers of the parser, for the records */
char  *horde_model_reference_dup_string (JsonObject *object,
                                         const char *member,
                                         gsize       max_bytes,
                                         gboolean    multiline);
char **horde_model_reference_dup_strv   (JsonObject *object,
                                         const char *member,
                                         gsize       max_bytes);
gboolean horde_model_reference_get_bool (JsonObject *object,
                                         const char *member);
gboolean horde_model_reference_get_number (JsonObject *object,
                                           const char *member,
                                           double      min,
                                           double      max,
                                           double     *value);
gboolean horde_model_reference_name_ok  (const char *name);

G_END_DECLS

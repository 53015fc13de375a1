/* horde-model-private.h: the table-driven runtime behind every generated model
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every schema of the API is a generated boxed type whose instance starts
 * with a HordeModel header and whose fields are described by a static
 * HordeFieldInfo table. Parsing, serializing, comparing, validating,
 * copying and freeing walk that table, so that the generated code is only
 * the struct, the table and one-line accessors.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "horde-operation.h"

G_BEGIN_DECLS

typedef enum {
  HORDE_FIELD_STRING,
  HORDE_FIELD_BOOLEAN,
  HORDE_FIELD_INT,
  HORDE_FIELD_DOUBLE,
  HORDE_FIELD_MODEL,
  HORDE_FIELD_STRV,
  HORDE_FIELD_INT_ARRAY,
  HORDE_FIELD_MODEL_ARRAY,
  HORDE_FIELD_JSON,
} HordeFieldKind;

typedef enum {
  HORDE_FIELD_LOCATION_BODY,
  HORDE_FIELD_LOCATION_PATH,
  HORDE_FIELD_LOCATION_QUERY,
  HORDE_FIELD_LOCATION_HEADER,
} HordeFieldLocation;

typedef enum {
  HORDE_FIELD_REQUIRED        = 1 << 0,
  HORDE_FIELD_HAS_MINIMUM     = 1 << 1,
  HORDE_FIELD_HAS_MAXIMUM     = 1 << 2,
  HORDE_FIELD_HAS_MULTIPLE_OF = 1 << 3,
  HORDE_FIELD_UNIQUE_ITEMS    = 1 << 4,
} HordeFieldFlags;

typedef struct _HordeModelInfo HordeModelInfo;

typedef struct {
  guint max;
  const char *what;
  const char * const *values;
} HordeFieldMaxMatching;

typedef struct {
  const char *name;        /* C name, used in validation messages of nested paths */
  const char *json_name;   /* name on the wire: JSON member, path/query parameter or header */
  guint16 offset;
  guint8 kind;             /* HordeFieldKind */
  guint8 location;         /* HordeFieldLocation */
  guint16 flags;           /* HordeFieldFlags */
  gint32 min_size;         /* characters for strings, items for arrays; -1 when unbounded */
  gint32 max_size;
  double minimum;
  double maximum;
  double multiple_of;
  const char *pattern;
  const char *pattern_text;
  const HordeModelInfo *model;                 /* HORDE_FIELD_MODEL and MODEL_ARRAY */
  const HordeFieldMaxMatching *max_matching;   /* HORDE_FIELD_STRV */
} HordeFieldInfo;

struct _HordeModelInfo {
  const char *schema;            /* name in swagger.json (or the request name) */
  GType (*get_type) (void);
  gsize instance_size;
  const HordeFieldInfo *fields;
  const guint8 *sorted;          /* field indices sorted by json_name, for lookups */
  guint n_fields;
  guint is_list : 1;             /* JSON is an array of fields[0].model */
  guint is_request : 1;
  const HordeOperation *operation;
};

typedef struct {
  gatomicrefcount ref_count;
  const HordeModelInfo *info;
  guint64 set;                   /* bit n: fields[n] holds a value */
  guint64 numeric;               /* bit n: a string field that came as a JSON number */
  JsonObject *extra;             /* members we do not know, kept for the round trip */
} HordeModel;

typedef struct {
  gatomicrefcount ref_count;
  HordeModel *model;
  gboolean shared;               /* model was handed out by end(): copy before writing */
} HordeModelBuilder;

#define HORDE_MODEL_FIELD_IS_SET(m, n) ((((const HordeModel *) (m))->set & (G_GUINT64_CONSTANT (1) << (n))) != 0)
#define HORDE_MODEL_FIELD_BIT(n) (G_GUINT64_CONSTANT (1) << (n))
#define HORDE_MODEL_FIELD_PTR(m, f) ((gpointer) (((guint8 *) (m)) + (f)->offset))

/* for the reader and the writer of JSON text (horde-model-reader.c,
 * horde-model-writer.c) */
void            horde_model_field_clear         (HordeModel            *model,
                                                 guint                  field);
void            horde_model_extra_set           (HordeModel            *model,
                                                 const char            *name,
                                                 JsonNode              *node);
GPtrArray      *horde_model_array_new           (guint                  reserved);
gpointer        horde_model_read                (const HordeModelInfo  *info,
                                                 const char            *data,
                                                 gsize                  length,
                                                 GError               **error);
void            horde_model_write               (gconstpointer          model,
                                                 GString               *out);
void            horde_model_write_field         (gconstpointer          model,
                                                 guint                  field,
                                                 GString               *out);

gpointer        horde_model_new                 (const HordeModelInfo  *info);
gpointer        horde_model_ref                 (gpointer               model);
void            horde_model_unref               (gpointer               model);
gboolean        horde_model_equal               (gconstpointer          a,
                                                 gconstpointer          b);
gpointer        horde_model_new_from_json_node  (const HordeModelInfo  *info,
                                                 JsonNode              *node,
                                                 GError               **error);
gpointer        horde_model_new_from_json       (const HordeModelInfo  *info,
                                                 const char            *data,
                                                 gssize                 length,
                                                 GError               **error);
JsonNode       *horde_model_to_json_node        (gconstpointer          model);
char           *horde_model_to_json             (gconstpointer          model);
gboolean        horde_model_validate            (gconstpointer          model,
                                                 GError               **error);
JsonObject     *horde_model_get_extra_fields    (gconstpointer          model);
gconstpointer   horde_model_get_array           (gconstpointer          model,
                                                 guint                  field,
                                                 gsize                 *n_items);
gpointer        horde_model_get_list_item       (gconstpointer          model,
                                                 gsize                  index);
gpointer        horde_model_new_list            (const HordeModelInfo  *info,
                                                 gconstpointer          items,
                                                 gsize                  n_items);
gboolean        horde_model_field_is_set        (gconstpointer          model,
                                                 guint                  field);
char           *horde_model_dup_field_string    (gconstpointer          model,
                                                 guint                  field);
const HordeFieldInfo *horde_model_info_find_field (const HordeModelInfo *info,
                                                   const char           *json_name);

/* Every generated model, request and list type, for lookups by GType and
 * schema name (tests, the client's generic call). */
const HordeModelInfo * const *horde_model_info_all          (gsize       *n_infos);
const HordeModelInfo *        horde_model_info_from_type    (GType        type);
const HordeModelInfo *        horde_model_info_from_schema  (const char  *schema);

HordeModelBuilder *horde_model_builder_new          (const HordeModelInfo *info,
                                                     gconstpointer         base);
HordeModelBuilder *horde_model_builder_ref          (HordeModelBuilder    *self);
void               horde_model_builder_unref        (HordeModelBuilder    *self);
gpointer           horde_model_builder_end          (HordeModelBuilder    *self,
                                                     GError              **error);
void               horde_model_builder_unset        (HordeModelBuilder    *self,
                                                     guint                 field);
void               horde_model_builder_set_string   (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     const char           *value);
void               horde_model_builder_set_boolean  (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     gboolean              value);
void               horde_model_builder_set_int      (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     gint64                value);
void               horde_model_builder_set_double   (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     double                value);
void               horde_model_builder_set_model    (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     gpointer              value);
void               horde_model_builder_set_strv     (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     const char * const   *value);
void               horde_model_builder_set_int_array (HordeModelBuilder   *self,
                                                      guint                field,
                                                      const gint64        *value,
                                                      gsize                n_value);
void               horde_model_builder_set_model_array (HordeModelBuilder *self,
                                                        guint              field,
                                                        gpointer const    *value,
                                                        gsize              n_value);
void               horde_model_builder_set_json     (HordeModelBuilder    *self,
                                                     guint                 field,
                                                     JsonNode             *value);
void               horde_model_builder_set_extra_field (HordeModelBuilder *self,
                                                        const char        *name,
                                                        JsonNode          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeModelBuilder, horde_model_builder_unref)

G_END_DECLS

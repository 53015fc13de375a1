/* horde-sim-validate.h: JSON Schema checks the way flask-restx reports them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  HORDE_SIM_FIELD_INTEGER,
  HORDE_SIM_FIELD_NUMBER,
  HORDE_SIM_FIELD_BOOLEAN,
  HORDE_SIM_FIELD_STRING,
  HORDE_SIM_FIELD_OBJECT,
  HORDE_SIM_FIELD_ARRAY,           /* of anything */
  HORDE_SIM_FIELD_STRING_ARRAY,    /* items checked against choices */
  HORDE_SIM_FIELD_INTEGER_ARRAY,
  HORDE_SIM_FIELD_OBJECT_ARRAY,
} HordeSimFieldType;

/* One property: "a.b" is member b of object a; "a.*.b" is member b of
 * every object in array a.  Bounds are optional (use HORDE_SIM_NO_BOUND). */
typedef struct {
  const char         *path;
  HordeSimFieldType   type;
  double              minimum;
  double              maximum;
  const char * const *choices;
} HordeSimField;

#define HORDE_SIM_NO_BOUND G_MAXDOUBLE

JsonObject *horde_sim_validate (JsonNode            *body,
                                const HordeSimField *fields,
                                gsize                n_fields);

G_END_DECLS

/* test-coverage.c: every schema and operation of the vendored specs has its type
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The specs (the AI Horde's, $HORDE_SPEC, and the Ratings API's,
 * $HORDE_RATINGS_SPEC) are read here independently of the generator, so
 * that a schema, a property or an operation the generator skips fails the
 * suite.
 */

#include "config.h"

#include <libhorde.h>

#include "horde-model-private.h"
#include "horde-operation-private.h"

/* The specs, with what each must give */
static const struct {
  const char *variable;
  HordeService service;
  guint n_schemas;
  guint n_operations;
} specs[] = {
  { "HORDE_SPEC", HORDE_SERVICE_HORDE, 119, 90 },
  { "HORDE_RATINGS_SPEC", HORDE_SERVICE_RATINGS, 13, 8 },
};

static JsonObject *
load_spec (guint which)
{
  static JsonNode *roots[G_N_ELEMENTS (specs)];

  if (roots[which] == NULL)
    {
      const char *path = g_getenv (specs[which].variable);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (path);
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      roots[which] = json_node_copy (json_parser_get_root (parser));
    }

  return json_node_get_object (roots[which]);
}

static void
check_properties (const HordeModelInfo *info,
                  JsonObject           *schema)
{
  JsonObject *props = json_object_has_member (schema, "properties")
                      ? json_object_get_object_member (schema, "properties") : NULL;
  g_autoptr(GList) names = props ? json_object_get_members (props) : NULL;

  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "*"))
        continue;
      if (horde_model_info_find_field (info, name) == NULL)
        g_error ("%s has no field for the property %s", info->schema, name);
    }
}

static void
check_every_schema_has_a_type (guint which)
{
  JsonObject *defs = json_object_get_object_member (load_spec (which), "definitions");
  g_autoptr(GList) names = json_object_get_members (defs);
  guint count = 0;

  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonObject *schema = json_object_get_object_member (defs, name);
      const HordeModelInfo *info = horde_model_info_from_schema (name);
      GType type;

      if (info == NULL)
        g_error ("the schema %s has no type", name);

      type = info->get_type ();
      g_assert_true (G_TYPE_IS_BOXED (type));
      g_assert_true (horde_model_info_from_type (type) == info);
      g_assert_true (g_str_has_prefix (g_type_name (type), "Horde"));

      /* every property, whether declared here or in an allOf part */
      check_properties (info, schema);
      if (json_object_has_member (schema, "allOf"))
        {
          JsonArray *parts = json_object_get_array_member (schema, "allOf");

          for (guint i = 0; i < json_array_get_length (parts); i++)
            check_properties (info, json_array_get_object_element (parts, i));
        }
      count++;
    }

  g_assert_cmpuint (count, ==, specs[which].n_schemas);
}

static void
test_every_schema_has_a_type (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    check_every_schema_has_a_type (i);
}

static guint
check_every_operation_has_a_request (guint which)
{
  JsonObject *paths = json_object_get_object_member (load_spec (which), "paths");
  g_autoptr(GList) path_names = json_object_get_members (paths);
  guint count = 0;

  for (GList *l = path_names; l; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);
      g_autoptr(GList) methods = json_object_get_members (item);

      for (GList *m = methods; m; m = m->next)
        {
          g_autofree char *method = g_ascii_strup (m->data, -1);
          JsonObject *spec_op, *responses;
          const HordeOperation *op;
          g_autoptr(GList) statuses = NULL;

          if (g_str_equal (m->data, "parameters"))
            continue;

          op = horde_operation_lookup (method, l->data);
          if (op == NULL)
            g_error ("%s %s has no request type", method, (const char *) l->data);

          /* sent to its own service's base URL */
          g_assert_cmpint (horde_operation_get_service (op), ==, specs[which].service);
          g_assert_true (G_TYPE_IS_BOXED (horde_operation_get_request_type (op)));
          g_assert_true (horde_operation_lookup_for_request_type (horde_operation_get_request_type (op)) == op);
          g_assert_true (g_type_is_a (horde_operation_get_success_response_type (op), G_TYPE_BOXED));

          /* each success status of the spec maps to a response type */
          spec_op = json_object_get_object_member (item, m->data);
          responses = json_object_get_object_member (spec_op, "responses");
          statuses = json_object_get_members (responses);
          for (GList *s = statuses; s; s = s->next)
            {
              guint status = (guint) g_ascii_strtoull (s->data, NULL, 10);

              if (status >= 200 && status < 300)
                g_assert_true (horde_operation_get_response_type (op, status) != G_TYPE_INVALID);
            }
          count++;
        }
    }

  g_assert_cmpuint (count, ==, specs[which].n_operations);
  return count;
}

static void
test_every_operation_has_a_request (void)
{
  guint count = 0;
  gsize n_table;
  g_autofree const HordeOperation **table = horde_operation_list (&n_table);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    count += check_every_operation_has_a_request (i);

  /* and the one the AI Horde serves but its spec hides */
  g_assert_cmpuint (n_table, ==, count + 1);
  g_assert_nonnull (horde_operation_lookup ("POST", "/v2/kudos/kai/{user_id}"));
  g_assert_cmpint (horde_operation_get_service (horde_operation_lookup ("POST", "/v2/kudos/kai/{user_id}")),
                   ==, HORDE_SERVICE_HORDE);
}

static void
test_operation_table (void)
{
  const HordeOperation *op = horde_operation_lookup ("post", "/v2/generate/async");
  guint requests = 0, seconds = 0;
  gsize n = 0;
  g_autofree guint *statuses = NULL;

  g_assert_nonnull (op);
  g_assert_cmpstr (horde_operation_get_name (op), ==, "ImageGenerateAsyncRequest");
  g_assert_cmpstr (horde_operation_get_operation_id (op), ==, "post_image_async_generate");
  g_assert_true (horde_operation_get_request_type (op) == HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);
  g_assert_true (horde_operation_get_response_type (op, 202) == HORDE_TYPE_REQUEST_ASYNC);
  /* the dry run answers 200 */
  g_assert_true (horde_operation_get_response_type (op, 200) == HORDE_TYPE_REQUEST_ASYNC);
  g_assert_true (horde_operation_get_response_type (op, 201) == G_TYPE_INVALID);
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_REQUEST_ASYNC);
  statuses = horde_operation_get_success_statuses (op, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (statuses[0], ==, 200);
  g_assert_cmpuint (statuses[1], ==, 202);
  g_assert_false (horde_operation_is_idempotent (op));
  horde_operation_get_rate_limit (op, &requests, &seconds);
  g_assert_cmpuint (requests, ==, 2);
  g_assert_cmpuint (seconds, ==, 1);

  op = horde_operation_lookup ("GET", "/v2/status/models");
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_ACTIVE_MODEL_LIST);
  g_assert_true (horde_operation_is_idempotent (op));

  /* the server answers a list where the spec says one user */
  op = horde_operation_lookup ("GET", "/v2/users");
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_USER_DETAILS_LIST);

  /* no schema in the spec: the overrides add the server's answer */
  op = horde_operation_lookup ("GET", "/v2/status/heartbeat");
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_HEARTBEAT);

  /* the spec says a list (marshal_with's as_list), the server answers one filter */
  op = horde_operation_lookup ("GET", "/v2/filters/{filter_id}");
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_FILTER_DETAILS);
  /* the list of all filters stays a list */
  op = horde_operation_lookup ("GET", "/v2/filters");
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_FILTER_DETAILS_LIST);

  /* an operation of the Ratings API, with horde_sdk's name */
  op = horde_operation_lookup ("GET", "/v1/user/check/{user_id}");
  g_assert_nonnull (op);
  g_assert_cmpstr (horde_operation_get_name (op), ==, "UserCheckRequest");
  g_assert_cmpint (horde_operation_get_service (op), ==, HORDE_SERVICE_RATINGS);
  g_assert_true (horde_operation_get_success_response_type (op) == HORDE_TYPE_USER_CHECK_RESPONSE);
  g_assert_cmpint (horde_operation_get_service (horde_operation_lookup ("GET", "/v2/find_user")),
                   ==, HORDE_SERVICE_HORDE);
  {
    g_autoptr(GEnumClass) services = g_type_class_ref (HORDE_TYPE_SERVICE);

    g_assert_cmpstr (g_enum_get_value (services, HORDE_SERVICE_RATINGS)->value_nick, ==, "ratings");
    g_assert_cmpstr (g_enum_get_value (services, HORDE_SERVICE_HORDE)->value_nick, ==, "horde");
  }

  g_assert_null (horde_operation_lookup ("GET", "/v2/no/such/thing"));
  g_assert_null (horde_operation_lookup_for_request_type (HORDE_TYPE_REQUEST_ASYNC));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/coverage/schemas", test_every_schema_has_a_type);
  g_test_add_func ("/coverage/operations", test_every_operation_has_a_request);
  g_test_add_func ("/coverage/operation-table", test_operation_table);

  return g_test_run ();
}

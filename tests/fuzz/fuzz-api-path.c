/* fuzz-api-path.c: `horde api METHOD PATH?query [--data BODY]`, short of sending
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: "METHOD PATH?query", and optionally a newline and the --data
 * body. The target runs what horde-cli-api.c runs before it sends
 * (src/cli/horde-cli-api-path.c, compiled here too), then makes the
 * request as the command does.
 *
 * Oracles: the path comes without its query; a matched operation has the
 * method asked for (in any case), a template of as many segments as the
 * path whose literal segments are the path's, and exactly one path
 * parameter per {name} of the template, holding that segment unescaped;
 * horde_operation_lookup() finds it again by its template; a path that is
 * literally a template without parameters always matches (that one or one
 * as good); a request, when one is made, is of the operation's request type
 * and its body writes as strict JSON; a failure is a HORDE_ERROR.
 */

#include "config.h"

#include "fuzz-common.h"
#include "json-check.h"

#include "horde-cli-api-path.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  return 0;
}

/* an operation of @method whose template is @segments, parameters and all */
static gboolean
literal_template_exists (const char *method,
                         char      **segments)
{
  gsize n = 0;
  g_autofree const HordeOperation **operations = horde_operation_list (&n);

  for (gsize i = 0; i < n; i++)
    {
      g_auto(GStrv) template = NULL;

      if (g_ascii_strcasecmp (horde_operation_get_method (operations[i]), method) != 0 ||
          strchr (horde_operation_get_path (operations[i]), '{') != NULL)
        continue;
      template = horde_cli_api_split_path (horde_operation_get_path (operations[i]));
      if (g_strv_equal ((const char * const *) template, (const char * const *) segments))
        return TRUE;
    }
  return FALSE;
}

static void
check_match (const HordeOperation *operation,
             const char           *method,
             const char           *path,
             GHashTable           *params)
{
  g_auto(GStrv) template = horde_cli_api_split_path (horde_operation_get_path (operation));
  g_auto(GStrv) segments = horde_cli_api_split_path (path);
  guint n_params = 0;

  FUZZ_CHECK (g_ascii_strcasecmp (horde_operation_get_method (operation), method) == 0,
              "%s matched for %s", horde_operation_get_method (operation), method);
  FUZZ_CHECK (g_strv_length (template) == g_strv_length (segments),
              "%s matched %s", horde_operation_get_path (operation), path);
  for (guint s = 0; template[s] != NULL; s++)
    {
      gsize len = strlen (template[s]);

      if (template[s][0] == '{' && template[s][len - 1] == '}')
        {
          g_autofree char *name = g_strndup (template[s] + 1, len - 2);
          g_autofree char *expected = g_uri_unescape_string (segments[s], NULL);
          gpointer value = NULL;

          n_params++;
          FUZZ_CHECK (g_hash_table_lookup_extended (params, name, NULL, &value),
                      "no parameter %s for %s", name, path);
          FUZZ_CHECK (g_strcmp0 (value, expected) == 0, "%s is “%s” for the segment “%s”",
                      name, (const char *) value, segments[s]);
        }
      else
        FUZZ_CHECK (g_str_equal (template[s], segments[s]), "%s matched %s",
                    horde_operation_get_path (operation), path);
    }
  FUZZ_CHECK (g_hash_table_size (params) == n_params, "%u path parameters for %u in %s",
              g_hash_table_size (params), n_params, horde_operation_get_path (operation));
  FUZZ_CHECK (horde_operation_lookup (horde_operation_get_method (operation),
                                      horde_operation_get_path (operation)) == operation,
              "%s %s is not found by its template", method, horde_operation_get_path (operation));
  FUZZ_CHECK (n_params == 0 || !literal_template_exists (method, segments),
              "%s matched %s, which is a template without parameters", horde_operation_get_path (operation), path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *line = g_strndup ((const char *) data, newline ? (gsize) (newline - data) : size);
  g_autofree char *body = newline ? g_strndup ((const char *) newline + 1, size - (newline + 1 - data)) : NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) query_params = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) request = G_VALUE_INIT;
  const HordeOperation *operation;
  char *space = strchr (line, ' ');
  JsonCheck check;

  if (space == NULL)
    return 0;
  *space = '\0';
  /* as horde-cli-api.c has them: argv[1] in capitals, argv[2] */
  method = g_ascii_strup (line, -1);

  if (!horde_cli_api_split_target (space + 1, &path, &query_params, &error))
    {
      FUZZ_CHECK (error != NULL, "a query refused without an error");
      return 0;
    }
  FUZZ_CHECK (strchr (path, '?') == NULL, "the path %s keeps a query", path);

  operation = horde_cli_api_match_operation (method, path, params);
  if (operation == NULL)
    {
      g_auto(GStrv) segments = horde_cli_api_split_path (path);

      FUZZ_CHECK (g_hash_table_size (params) == 0, "parameters without an operation");
      FUZZ_CHECK (!literal_template_exists (method, segments), "%s %s matches nothing", method, path);
      return 0;
    }
  check_match (operation, method, path, params);

  horde_cli_api_add_params (params, query_params);
  if (!horde_operation_new_request (operation, body, params, &request, &error))
    {
      FUZZ_CHECK (error != NULL && error->domain == HORDE_ERROR, "a request refused without a HORDE_ERROR");
      return 0;
    }
  FUZZ_CHECK (G_VALUE_TYPE (&request) == horde_operation_get_request_type (operation),
              "a %s for %s", G_VALUE_TYPE_NAME (&request), horde_operation_get_name (operation));
  json = horde_value_to_json (&request);
  FUZZ_CHECK (json != NULL && json_check (json, strlen (json), &check),
              "the body of %s is not JSON: %s", horde_operation_get_name (operation), json);

  return 0;
}

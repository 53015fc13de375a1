/* horde-cli-api-path.c: how `horde api` reads METHOD and PATH?query
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-cli-api-path.h"

/* Segments of a path: "/v2/users/1" → "v2", "users", "1" */
char **
horde_cli_api_split_path (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

/* PATH?query → the path (without the base URL's own /api, which may come
 * with it) and the parameters of the query, %NULL when there is none */
gboolean
horde_cli_api_split_target (const char   *target,
                            char        **path,
                            GHashTable  **query_params,
                            GError      **error)
{
  g_autofree char *p = g_strdup (target);
  g_autoptr(GHashTable) params = NULL;
  const char *query;

  if ((query = strchr (p, '?')) != NULL)
    {
      params = g_uri_parse_params (query + 1, -1, "&", G_URI_PARAMS_NONE, error);
      if (params == NULL)
        return FALSE;
      p[query - p] = '\0';
    }
  /* the base URL's own /api may come with the path */
  if (g_str_has_prefix (p, "/api/"))
    memmove (p, p + 4, strlen (p + 4) + 1);

  *path = g_steal_pointer (&p);
  *query_params = g_steal_pointer (&params);
  return TRUE;
}

/* The operation whose template fits @path best (the fewest parameters),
 * and the path parameters it takes from it */
const HordeOperation *
horde_cli_api_match_operation (const char  *method,
                               const char  *path,
                               GHashTable  *path_params)
{
  g_auto(GStrv) segments = horde_cli_api_split_path (path);
  const HordeOperation **operations;
  const HordeOperation *best = NULL;
  guint best_params = G_MAXUINT;
  gsize n = 0;

  operations = horde_operation_list (&n);
  for (gsize i = 0; i < n; i++)
    {
      g_auto(GStrv) template = NULL;
      guint n_params = 0;
      gboolean fits;

      if (g_ascii_strcasecmp (horde_operation_get_method (operations[i]), method) != 0)
        continue;
      template = horde_cli_api_split_path (horde_operation_get_path (operations[i]));
      fits = g_strv_length (template) == g_strv_length (segments);
      for (guint s = 0; fits && template[s] != NULL; s++)
        {
          if (template[s][0] == '{')
            n_params++;
          else
            fits = g_str_equal (template[s], segments[s]);
        }
      if (fits && n_params < best_params)
        {
          best = operations[i];
          best_params = n_params;
        }
    }
  g_free (operations);

  if (best != NULL)
    {
      g_auto(GStrv) template = horde_cli_api_split_path (horde_operation_get_path (best));

      for (guint s = 0; template[s] != NULL; s++)
        if (template[s][0] == '{')
          g_hash_table_insert (path_params,
                               g_strndup (template[s] + 1, strlen (template[s]) - 2),
                               g_uri_unescape_string (segments[s], NULL));
    }

  return best;
}

/* the path's parameters and the query's, by their names in the API */
void
horde_cli_api_add_params (GHashTable *params,
                          GHashTable *query_params)
{
  GHashTableIter iter;
  gpointer name, value;

  if (query_params == NULL)
    return;

  g_hash_table_iter_init (&iter, query_params);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_hash_table_insert (params, g_strdup (name), g_strdup (value));
}

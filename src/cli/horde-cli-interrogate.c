/* horde-cli-interrogate.c: `horde interrogate IMAGE --form …`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>

#include "horde-cli.h"

static char **opt_forms;
static char *opt_output;
static int opt_timeout = 0;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "form", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &opt_forms,
    "What to do: caption, interrogation, nsfw, or a post-processor such as RealESRGAN_x2plus "
    "or GFPGAN (repeat for several)", "FORM" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    "Directory to save post-processed images in (default: the current one)", "DIR" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, "Give up, and delete the request, after this many seconds", "SECONDS" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the request id and each form's result as JSON", NULL },
  { NULL }
};

/* An http(s) URL goes as it is (the server downloads it); a file goes as
 * base64 */
static char *
source_image (const char  *image,
              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_str_has_prefix (image, "https://") || g_str_has_prefix (image, "http://"))
    return g_strdup (image);
  if (!g_file_get_contents (image, &contents, &length, error))
    return NULL;
  return g_base64_encode ((const guchar *) contents, length);
}

static HordeAlchemyAsyncRequest *
build_request (const char  *source,
               GError     **error)
{
  g_autoptr(HordeAlchemyAsyncRequestBuilder) builder = horde_alchemy_async_request_builder_new ();
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_interrogation_form_stable_unref);

  for (guint i = 0; opt_forms[i] != NULL; i++)
    {
      g_autoptr(HordeModelInterrogationFormStableBuilder) form = horde_model_interrogation_form_stable_builder_new ();
      HordeModelInterrogationFormStable *built;

      /* any name passes: the Horde adds post-processors often, and says
       * itself which it does not know */
      horde_model_interrogation_form_stable_builder_set_name (form, opt_forms[i]);
      built = horde_model_interrogation_form_stable_builder_end (form, error);
      if (built == NULL)
        return NULL;
      g_ptr_array_add (forms, built);
    }
  horde_alchemy_async_request_builder_set_forms (builder, (HordeModelInterrogationFormStable * const *) forms->pdata,
                                                 forms->len);
  horde_alchemy_async_request_builder_set_source_image (builder, source);

  return horde_alchemy_async_request_builder_end (builder, error);
}

/* Saves each post-processed image as DIR/<job id>-<form>.<ext>, made a
 * safe file name (the server chose both words) that never replaces a file
 * that is there; @paths gets the path of each result (NULL where there is
 * no image). Stops at the first file that cannot be written. */
static gboolean
save_images (HordeAlchemyJob  *job,
             const char       *dir,
             GPtrArray        *paths,
             GError          **error)
{
  GListModel *results = horde_alchemy_job_get_results (job);
  guint n = g_list_model_get_n_items (results);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);
      HordeGeneratedImage *image = horde_alchemy_result_get_image (result);
      g_autofree char *words = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *path = NULL;

      if (image == NULL)
        {
          g_ptr_array_add (paths, NULL);
          continue;
        }
      words = g_strdup_printf ("%s-%s", horde_cli_or (horde_job_get_id (HORDE_JOB (job)), ""),
                               horde_cli_or (horde_alchemy_result_get_form (result), ""));
      stem = horde_sanitize_file_name (words, -1);
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "cannot make the directory %s: %s", dir, g_strerror (saved));
          return FALSE;
        }
      path = horde_cli_save_image (image, dir, stem, error);
      if (path == NULL)
        return FALSE;
      g_ptr_array_add (paths, g_steal_pointer (&path));
    }

  return TRUE;
}

/* "outdoors (0.87), sky (0.70)" from [{"text", "confidence"}, …] */
static char *
terms_line (JsonArray *terms)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (terms); i++)
    {
      JsonNode *term = json_array_get_element (terms, i);

      if (line->len > 0)
        g_string_append (line, ", ");
      if (JSON_NODE_HOLDS_OBJECT (term))
        {
          JsonObject *object = json_node_get_object (term);

          g_string_append (line, horde_cli_or (json_object_get_string_member_with_default (object, "text", NULL), "?"));
          if (json_object_has_member (object, "confidence"))
            g_string_append_printf (line, " (%.2f)", json_object_get_double_member (object, "confidence"));
        }
      else if (JSON_NODE_HOLDS_VALUE (term) && json_node_get_value_type (term) == G_TYPE_STRING)
        g_string_append (line, json_node_get_string (term));
      else
        {
          g_autofree char *json = horde_json_node_to_string (term, NULL);
          g_string_append (line, json);
        }
    }
  return g_string_free (line, FALSE);
}

static void
print_result (HordeAlchemyResult *result,
              const char         *path)
{
  const char *form_name = horde_alchemy_result_get_form (result);
  g_autofree char *form = horde_cli_name (form_name);
  HordeInterrogationFormResult *form_result = horde_interrogation_form_status_get_result (horde_alchemy_result_get_form_status (result));
  JsonObject *interrogation = horde_alchemy_result_get_interrogation (result);

  if (!horde_alchemy_result_get_done (result))
    g_print ("%s: %s\n", form, horde_cli_or (horde_alchemy_result_get_state (result), "unfinished"));
  else if (path != NULL)
    g_print ("%s: %s\n", form, path);
  else if (horde_alchemy_result_get_caption (result) != NULL)
    g_print ("%s: %s\n", form, horde_alchemy_result_get_caption (result));
  else if (horde_alchemy_result_has_nsfw (result))
    g_print ("%s: %s\n", form, horde_alchemy_result_get_nsfw (result) ? "yes" : "no");
  else if (interrogation != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (interrogation);

      g_print ("%s:\n", form);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (interrogation, l->data);
          g_autofree char *line = NULL;

          if (JSON_NODE_HOLDS_ARRAY (node))
            line = terms_line (json_node_get_array (node));
          else
            line = horde_json_node_to_string (node, NULL);
          g_print ("  %s: %s\n", (const char *) l->data, line);
        }
    }
  else if (form_result != NULL)
    {
      /* a form this program has no words for: what the server said */
      g_autoptr(JsonNode) node = horde_interrogation_form_result_to_json_node (form_result);
      JsonNode *value = JSON_NODE_HOLDS_OBJECT (node) && form_name != NULL &&
                        json_object_has_member (json_node_get_object (node), form_name)
                        ? json_object_get_member (json_node_get_object (node), form_name) : node;
      g_autofree char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                              ? g_strdup (json_node_get_string (value)) : horde_json_node_to_string (value, NULL);

      g_print ("%s: %s\n", form, text);
    }
  else
    g_print ("%s: (no result)\n", form);
}

static void
print_json (HordeAlchemyJob *job,
            GPtrArray       *paths)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *results = horde_alchemy_job_get_results (job);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, horde_job_get_id (HORDE_JOB (job)));
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, horde_job_get_state (HORDE_JOB (job)) == HORDE_JOB_STATE_DONE);
  json_builder_set_member_name (builder, "forms");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);
      JsonNode *node = horde_interrogation_form_status_to_json_node (horde_alchemy_result_get_form_status (result));

      /* the form as the server told it, and where its image was saved */
      if (i < paths->len && paths->pdata[i] != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_string_member (json_node_get_object (node), "file", paths->pdata[i]);
      json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  horde_cli_print_json (horde_json_node_to_string (root, NULL));
}

static guint
count_done (HordeAlchemyJob *job)
{
  GListModel *results = horde_alchemy_job_get_results (job);
  guint done = 0;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);

      if (horde_alchemy_result_get_done (result))
        done++;
    }
  return done;
}

int
horde_cli_interrogate (const HordeCliCommand  *command,
                       int                     argc,
                       char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeAlchemyAsyncRequest) request = NULL;
  g_autoptr(HordeAlchemyJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *source = NULL;
  guint done;
  gboolean ok;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc < 2)
    return horde_cli_usage (context, "“interrogate” needs an image: a file or an http(s) URL");
  if (argc > 2)
    return horde_cli_usage (context, "“interrogate” takes one image");
  if (opt_forms == NULL)
    return horde_cli_usage (context, "“interrogate” needs at least one --form");
  if (opt_timeout < 0)
    return horde_cli_usage (context, "--timeout must be a number of seconds");

  source = source_image (argv[1], &error);
  if (source == NULL)
    return horde_cli_fail (error);
  request = build_request (source, &error);
  if (request == NULL)
    return horde_cli_fail (error);

  client = horde_cli_client_new ();
  job = horde_alchemy_job_new (client, request);
  horde_job_set_timeout (HORDE_JOB (job), (guint) opt_timeout);

  ok = horde_cli_job_run (HORDE_JOB (job), &error);
  done = count_done (job);

  /* what finished is saved and shown, even when the run ended early */
  if (ok || done > 0 || (opt_json && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      GListModel *results = horde_alchemy_job_get_results (job);

      save_images (job, opt_output ? opt_output : ".", paths, &save_error);
      if (opt_json)
        print_json (job, paths);
      else
        for (guint i = 0; i < g_list_model_get_n_items (results); i++)
          {
            g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);

            print_result (result, i < paths->len ? paths->pdata[i] : NULL);
          }
    }

  if (!ok)
    return horde_cli_job_failed (HORDE_JOB (job), error, done, "form", "forms");
  if (save_error != NULL)
    return horde_cli_fail (save_error);
  return HORDE_CLI_EXIT_OK;
}

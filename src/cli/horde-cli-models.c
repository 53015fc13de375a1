/* horde-cli-models.c: `horde models`
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-cli.h"

/* how many characters the reference's columns show */
#define BASELINE_WIDTH 20
#define STYLE_WIDTH 12

static char *opt_type;
static gboolean opt_json;
static char *opt_details;
static char *opt_reference_url;
static gboolean opt_no_reference;

static GOptionEntry entries[] = {
  { "type", 't', 0, G_OPTION_ARG_STRING, &opt_type, "Models of this kind: image (default) or text", "TYPE" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the server's answer as JSON", NULL },
  { "details", 'd', 0, G_OPTION_ARG_STRING, &opt_details, "Print what the model reference says of one model", "NAME" },
  { "reference-url", 0, 0, G_OPTION_ARG_STRING, &opt_reference_url,
    "Load the model reference of TYPE from URL (default: $HORDE_IMAGE_MODEL_REFERENCE_URL or "
    "$HORDE_TEXT_MODEL_REFERENCE_URL, else the Horde's own)", "URL" },
  { "no-reference", 0, 0, G_OPTION_ARG_NONE, &opt_no_reference,
    "Do not load the model reference: no baseline and style columns", NULL },
  { NULL }
};

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel * const *) a;
  HordeActiveModel *y = *(HordeActiveModel * const *) b;
  gint64 cx = horde_active_model_get_count (x), cy = horde_active_model_get_count (y);

  if (cx != cy)
    return cx < cy ? 1 : -1;
  return g_strcmp0 (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

/* The reference of @text_models' kind, loaded (from its cache when fresh);
 * NULL and @error when it cannot be */
static HordeModelReference *
load_reference (gboolean   text_models,
                GError   **error)
{
  g_autoptr(HordeModelReference) reference = horde_model_reference_new ();
  const char *url = opt_reference_url;

  if (url == NULL)
    url = g_getenv (text_models ? "HORDE_TEXT_MODEL_REFERENCE_URL" : "HORDE_IMAGE_MODEL_REFERENCE_URL");
  if (url != NULL && *url != '\0')
    {
      if (text_models)
        horde_model_reference_set_text_url (reference, url);
      else
        horde_model_reference_set_image_url (reference, url);
    }
  if (!horde_model_reference_load_sync (reference,
                                        text_models ? HORDE_MODEL_REFERENCE_TEXT : HORDE_MODEL_REFERENCE_IMAGE,
                                        NULL, error))
    return NULL;
  return g_steal_pointer (&reference);
}

/* @text through the print handler's cleaning, cut to @width characters */
static char *
cell (const char *text,
      gssize      width)
{
  return horde_cli_safe_text (text ? text : "-", width, TRUE);
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *safe = NULL;

  if (value == NULL || *value == '\0')
    return;
  safe = horde_cli_safe_text (value, HORDE_CLI_MAX_LINE, TRUE);
  g_print ("%-15s %s\n", label, safe);
}

static void
print_list (const char         *label,
            const char * const *values)
{
  g_autofree char *joined = NULL;

  if (values == NULL || values[0] == NULL)
    return;
  joined = g_strjoinv (", ", (char **) values);
  print_field (label, joined);
}

static void
print_image_record (HordeImageModelRecord *record)
{
  const char *family = horde_model_baseline_get_display_name (horde_image_model_record_get_baseline (record));
  const char *baseline = horde_image_model_record_get_baseline_string (record);
  g_autofree char *baseline_text = family ? g_strdup_printf ("%s (%s)", family, baseline) : g_strdup (baseline);
  g_autofree char *native = NULL;
  g_autofree char *size = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *cfg = NULL;
  g_autofree char *clip_skip = NULL;
  g_autofree char *description = NULL;
  const char * const *showcases = horde_image_model_record_get_showcases (record);
  int min_steps = horde_image_model_record_get_min_steps (record);
  int max_steps = horde_image_model_record_get_max_steps (record);
  double min_cfg = horde_image_model_record_get_min_cfg_scale (record);
  double max_cfg = horde_image_model_record_get_max_cfg_scale (record);
  double fixed_cfg = horde_image_model_record_get_cfg_scale (record);

  if (horde_image_model_record_get_native_width (record) > 0)
    native = g_strdup_printf ("%d×%d", horde_image_model_record_get_native_width (record),
                              horde_image_model_record_get_native_height (record));
  if (horde_image_model_record_get_size_on_disk (record) >= 0)
    size = g_format_size ((guint64) horde_image_model_record_get_size_on_disk (record));
  if (min_steps > 0 || max_steps > 0)
    steps = g_strdup_printf ("%d to %d", min_steps > 0 ? min_steps : 1, max_steps > 0 ? max_steps : 500);
  if (fixed_cfg >= 0)
    cfg = g_strdup_printf ("%g", fixed_cfg);
  else if (min_cfg >= 0 || max_cfg >= 0)
    cfg = g_strdup_printf ("%g to %g", min_cfg >= 0 ? min_cfg : 0, max_cfg >= 0 ? max_cfg : 100);
  if (horde_image_model_record_get_clip_skip (record) > 0)
    clip_skip = g_strdup_printf ("%d", horde_image_model_record_get_clip_skip (record));

  print_field ("Name:", horde_image_model_record_get_name (record));
  print_field ("Baseline:", baseline_text);
  print_field ("Native size:", native);
  print_field ("Style:", horde_image_model_record_get_style (record));
  print_field ("Type:", horde_image_model_record_get_model_type (record));
  print_field ("Version:", horde_image_model_record_get_version (record));
  print_field ("NSFW:", horde_image_model_record_get_nsfw (record) ? "yes" : "no");
  print_field ("Inpainting:", horde_image_model_record_get_inpainting (record) ? "yes" : "no");
  print_list ("Trigger words:", horde_image_model_record_get_trigger (record));
  print_list ("Tags:", horde_image_model_record_get_tags (record));
  print_list ("Samplers:", horde_image_model_record_get_samplers (record));
  print_list ("Schedulers:", horde_image_model_record_get_schedulers (record));
  print_field ("Steps:", steps);
  print_field ("CFG scale:", cfg);
  print_field ("CLIP skip:", clip_skip);
  print_list ("Not supported:", horde_image_model_record_get_features_not_supported (record));
  print_field ("Size on disk:", size);
  print_field ("Homepage:", horde_image_model_record_get_homepage (record));
  for (guint i = 0; showcases[i] != NULL; i++)
    print_field (i == 0 ? "Showcases:" : "", showcases[i]);
  /* the description keeps its paragraphs, each line cleaned */
  if (horde_image_model_record_get_description (record) != NULL)
    {
      description = horde_cli_safe_text (horde_image_model_record_get_description (record), -1, FALSE);
      g_print ("\n%s\n", description);
    }
}

static void
print_text_record (HordeTextModelRecord *record)
{
  gint64 parameters = horde_text_model_record_get_parameters (record);
  g_autofree char *size = parameters > 0 ? g_strdup_printf ("%.3g billion", parameters / 1e9) : NULL;
  g_autofree char *description = NULL;

  print_field ("Name:", horde_text_model_record_get_name (record));
  print_field ("Model name:", horde_text_model_record_get_model_name (record));
  print_field ("Display name:", horde_text_model_record_get_display_name (record));
  print_field ("Baseline:", horde_text_model_record_get_baseline (record));
  print_field ("Parameters:", size);
  print_field ("Style:", horde_text_model_record_get_style (record));
  print_field ("Version:", horde_text_model_record_get_version (record));
  print_field ("NSFW:", horde_text_model_record_get_nsfw (record) ? "yes" : "no");
  print_field ("Prompt format:", horde_text_model_record_get_instruct_format (record));
  print_list ("Tags:", horde_text_model_record_get_tags (record));
  print_field ("URL:", horde_text_model_record_get_url (record));
  if (horde_text_model_record_get_description (record) != NULL)
    {
      description = horde_cli_safe_text (horde_text_model_record_get_description (record), -1, FALSE);
      g_print ("\n%s\n", description);
    }
}

static void
note_stale (HordeModelReference *reference)
{
  if (horde_model_reference_is_stale (reference, HORDE_MODEL_REFERENCE_NONE))
    g_printerr ("horde: note: the model reference is an old copy from the cache: its server could not be reached\n");
}

static int
print_details (HordeModelReference  *reference,
               gboolean              text_models,
               HordeActiveModelList *list)
{
  g_autoptr(HordeImageModelRecord) image = NULL;
  g_autoptr(HordeTextModelRecord) text = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;

  if (text_models)
    text = horde_model_reference_lookup_text (reference, opt_details);
  else
    image = horde_model_reference_lookup_image (reference, opt_details);
  if (image == NULL && text == NULL)
    {
      g_autofree char *name = horde_cli_name (opt_details);

      g_printerr ("horde: error: “%s” is not in the %s model reference\n", name, text_models ? "text" : "image");
      return HORDE_CLI_EXIT_FAILURE;
    }

  if (image != NULL)
    print_image_record (image);
  else
    print_text_record (text);

  /* and how the Horde serves it now, when the server said */
  if (list == NULL)
    return HORDE_CLI_EXIT_OK;
  items = horde_active_model_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (horde_active_model_get_name (items[i]), opt_details) == 0)
      {
        g_autoptr(HordeModelInfo) info = horde_model_info_new (items[i], image, text);
        g_autofree char *line = horde_model_info_to_string (info);

        g_print ("\n%s\n", line);
        return HORDE_CLI_EXIT_OK;
      }
  g_print ("\nNo worker serves it now.\n");
  return HORDE_CLI_EXIT_OK;
}

int
horde_cli_models (const HordeCliCommand  *command,
                  int                     argc,
                  char                  **argv)
{
  g_autoptr(GOptionContext) context = horde_cli_context_new (command, entries);
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) request = NULL;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(HordeModelReference) reference = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reference_error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  HordeActiveModel * const *items;
  gboolean text_models;
  gsize n = 0;

  if (!horde_cli_parse (context, &argc, &argv))
    return HORDE_CLI_EXIT_USAGE;
  if (argc > 1)
    return horde_cli_usage (context, "“models” takes no arguments");
  if (opt_type != NULL && !g_str_equal (opt_type, "image") && !g_str_equal (opt_type, "text"))
    return horde_cli_usage (context, "--type is “image” or “text”");
  if (opt_details != NULL && (opt_json || opt_no_reference))
    return horde_cli_usage (context, "--details prints the model reference's record: not with --json or --no-reference");
  text_models = g_strcmp0 (opt_type, "text") == 0;

  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, text_models ? "text" : "image");
  request = horde_status_models_all_request_builder_end (builder, &error);
  g_assert_no_error (error);

  client = horde_cli_client_new ();

  if (opt_details != NULL)
    {
      reference = load_reference (text_models, &error);
      if (reference == NULL)
        return horde_cli_fail (error);
      note_stale (reference);
      /* the record does not need the server: without it, no "now" line */
      list = horde_client_send_status_models_all_request_sync (client, request, NULL, &error);
      if (list == NULL)
        {
          g_autofree char *why = horde_cli_error_text (error, NULL);

          g_printerr ("horde: note: how the Horde serves the model now is unknown: %s\n", why);
        }
      return print_details (reference, text_models, list);
    }

  list = horde_client_send_status_models_all_request_sync (client, request, NULL, &error);
  if (list == NULL)
    return horde_cli_fail (error);

  if (opt_json)
    return horde_cli_print_json (horde_active_model_list_to_json (list));

  /* the reference adds columns when it can be had; the list works without */
  if (!opt_no_reference)
    {
      reference = load_reference (text_models, &reference_error);
      if (reference == NULL)
        {
          g_autofree char *why = horde_cli_error_text (reference_error, NULL);

          g_printerr ("horde: note: no BASELINE and STYLE columns: %s\n", why);
        }
      else
        note_stale (reference);
    }

  items = horde_active_model_list_get_items (list, &n);
  models = g_ptr_array_new ();
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (models, items[i]);
  g_ptr_array_sort (models, compare_models);

  if (reference != NULL)
    g_print ("%-40s %-*s %-*s %8s %8s %8s\n", "MODEL", BASELINE_WIDTH, "BASELINE", STYLE_WIDTH, "STYLE",
             "WORKERS", "QUEUED", "ETA");
  else
    g_print ("%-40s %8s %8s %8s\n", "MODEL", "WORKERS", "QUEUED", "ETA");
  for (guint i = 0; i < models->len; i++)
    {
      HordeActiveModel *model = models->pdata[i];
      g_autofree char *name = horde_cli_name (horde_cli_or (horde_active_model_get_name (model), "?"));

      if (reference != NULL)
        {
          g_autoptr(HordeModelInfo) info = horde_model_reference_get_info (reference, model);
          HordeImageModelRecord *image = horde_model_info_get_image_record (info);
          HordeTextModelRecord *text = horde_model_info_get_text_record (info);
          const char *baseline = NULL, *style = NULL;
          g_autofree char *baseline_cell = NULL;
          g_autofree char *style_cell = NULL;

          if (image != NULL)
            {
              baseline = horde_model_baseline_get_display_name (horde_image_model_record_get_baseline (image));
              if (baseline == NULL)
                baseline = horde_image_model_record_get_baseline_string (image);
              style = horde_image_model_record_get_style (image);
            }
          else if (text != NULL)
            {
              baseline = horde_text_model_record_get_baseline (text);
              style = horde_text_model_record_get_style (text);
            }
          baseline_cell = cell (baseline, BASELINE_WIDTH);
          style_cell = cell (style, STYLE_WIDTH);
          g_print ("%-40s %-*s %-*s %8" G_GINT64_FORMAT " %8.0f %7" G_GINT64_FORMAT "s\n",
                   name, BASELINE_WIDTH, baseline_cell, STYLE_WIDTH, style_cell,
                   horde_active_model_get_count (model),
                   horde_active_model_get_queued (model),
                   horde_active_model_get_eta (model));
        }
      else
        g_print ("%-40s %8" G_GINT64_FORMAT " %8.0f %7" G_GINT64_FORMAT "s\n",
                 name,
                 horde_active_model_get_count (model),
                 horde_active_model_get_queued (model),
                 horde_active_model_get_eta (model));
    }
  if (models->len == 0)
    g_print ("(no %s model is served right now)\n", text_models ? "text" : "image");

  return HORDE_CLI_EXIT_OK;
}

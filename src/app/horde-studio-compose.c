/* horde-studio-compose.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "horde-studio-util.h"
#include "horde-studio-baseline.h"
#include "horde-studio-compose.h"
#include "horde-studio-compose-state.h"
#include "horde-studio-cost-footer.h"
#include "horde-studio-lora-list.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-prompt-tools.h"
#include "horde-studio-png-settings.h"
#include "horde-studio-worker-lists.h"
#include "horde-studio-post-processing.h"
#include "horde-studio-source-image.h"
#include "horde-studio-control-net.h"
#include "horde-studio-ti-list.h"

#define SAVE_DELAY_MS 1000

/* HordeStudioCompose: the request being written. Every change rebuilds the
 * request with libhorde's builders, so that what the SDK would refuse is
 * shown at the setting it concerns before anything is sent; a valid request
 * is priced with a dry run, at most one at a time and not more often than
 * the server's limit for submissions allows. */
struct _HordeStudioCompose
{
  GtkWidget parent_instance;

  GSettings *settings;            /* the Workers page's allow and block lists */
  GtkTextView *prompt_view;
  GtkTextView *negative_view;
  GtkFrame *prompt_frame;
  HordeStudioModelChooser *model_chooser;
  AdwComboRow *size_row;
  GArray *shown_presets;          /* indices in size_presets, as the row lists them */
  AdwActionRow *width_row;
  GtkSpinButton *width_spin;
  AdwActionRow *height_row;
  GtkSpinButton *height_spin;
  GtkSwitch *aspect_switch;
  double aspect;                  /* height / width, while it is kept */
  AdwActionRow *n_row;
  GtkSpinButton *n_spin;
  AdwActionRow *steps_row;
  GtkSpinButton *steps_spin;
  AdwActionRow *cfg_row;
  GtkSpinButton *cfg_spin;
  AdwComboRow *sampler_row;
  AdwEntryRow *seed_row;
  AdwActionRow *clip_skip_row;
  GtkSpinButton *clip_skip_spin;
  GtkSwitch *karras_switch;
  GtkSwitch *hires_switch;
  GtkSwitch *nsfw_switch;
  GtkSwitch *censor_switch;
  GtkSwitch *trusted_switch;
  GtkSwitch *downgrade_switch;
  HordeStudioCostFooter *cost_footer;
  HordeStudioSourceImage *source_image;
  GtkWidget *denoising_row;       /* the source image's, to mark */
  HordeStudioPostProcessing *post_processing;
  GtkWidget *upscaler_row;        /* the post-processing's, to mark */
  GtkWidget *facefixer_strength_row;
  HordeStudioLoraList *lora_list;
  HordeStudioControlNet *control_net;
  HordeStudioTiList *ti_list;
  HordeStudioPromptTools *prompt_tools;

  HordeClient *client;
  HordeStudioConnection *connection;
  HordeImageGenerateAsyncRequest *request;
  GCancellable *cancellable;
  gboolean syncing;               /* set while the code, not the user, moves widgets */
  gboolean sending;               /* a request is on its way: Generate waits */
  char *state_path;               /* where the state is kept, once restored */
  HordeImageGenerateAsyncRequest *last_request; /* the last one that built */
  guint save_source;
};

G_DEFINE_FINAL_TYPE (HordeStudioCompose, horde_studio_compose, GTK_TYPE_WIDGET)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* the sizes a family of models makes best: its native square and the
 * shapes of about as many pixels it was trained on */
#define FOR_512 (1 << 0)
#define FOR_768 (1 << 1)
#define FOR_1024 (1 << 2)
#define FOR_ALL (FOR_512 | FOR_768 | FOR_1024)

typedef struct {
  const char *label;
  int width;
  int height;
  guint suits;                   /* FOR_*: the native sides it suits */
} SizePreset;

static const SizePreset size_presets[] = {
  { N_("Square, 512 × 512"), 512, 512, FOR_512 },
  { N_("Portrait, 512 × 768"), 512, 768, FOR_512 },
  { N_("Landscape, 768 × 512"), 768, 512, FOR_512 },
  { N_("Square, 768 × 768"), 768, 768, FOR_512 | FOR_768 },
  { N_("Portrait, 768 × 1024"), 768, 1024, FOR_768 },
  { N_("Landscape, 1024 × 768"), 1024, 768, FOR_768 },
  { N_("Square, 1024 × 1024"), 1024, 1024, FOR_768 | FOR_1024 },
  { N_("Portrait, 896 × 1152"), 896, 1152, FOR_1024 },
  { N_("Landscape, 1152 × 896"), 1152, 896, FOR_1024 },
  { N_("Portrait, 832 × 1216"), 832, 1216, FOR_1024 },
  { N_("Landscape, 1216 × 832"), 1216, 832, FOR_1024 },
  { N_("Custom"), 0, 0, FOR_ALL },
};

static void update (HordeStudioCompose *self);
static void one_tab_stop_per_row (GtkWidget *widget);

GtkWidget *
horde_studio_compose_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_COMPOSE, NULL);
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

/* The request the widgets describe, or NULL with @problems naming what is
 * wrong, by the request's paths ("params.width") */
static HordeImageGenerateAsyncRequest *
build_request (HordeStudioCompose  *self,
               GHashTable         **problems)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) params_error = NULL;
  g_autoptr(GError) request_error = NULL;
  g_autofree char *prompt = text_of (self->prompt_view);
  g_autofree char *negative = text_of (self->negative_view);
  const char *seed = gtk_editable_get_text (GTK_EDITABLE (self->seed_row));
  const char *model = horde_studio_model_chooser_get_model (self->model_chooser);
  guint sampler = adw_combo_row_get_selected (self->sampler_row);
  const char * const *samplers = horde_studio_get_samplers ();
  g_autofree char *control_problem = NULL;

  horde_model_generation_input_stable_builder_set_width (pb, gtk_spin_button_get_value_as_int (self->width_spin));
  horde_model_generation_input_stable_builder_set_height (pb, gtk_spin_button_get_value_as_int (self->height_spin));
  horde_model_generation_input_stable_builder_set_n (pb, gtk_spin_button_get_value_as_int (self->n_spin));
  horde_model_generation_input_stable_builder_set_steps (pb, gtk_spin_button_get_value_as_int (self->steps_spin));
  horde_model_generation_input_stable_builder_set_cfg_scale (pb, gtk_spin_button_get_value (self->cfg_spin));
  horde_model_generation_input_stable_builder_set_clip_skip (pb, gtk_spin_button_get_value_as_int (self->clip_skip_spin));
  horde_model_generation_input_stable_builder_set_karras (pb, gtk_switch_get_active (self->karras_switch));
  horde_model_generation_input_stable_builder_set_hires_fix (pb, gtk_switch_get_active (self->hires_switch));
  if (sampler != GTK_INVALID_LIST_POSITION && sampler < g_strv_length ((char **) samplers))
    horde_model_generation_input_stable_builder_set_sampler_name (pb, samplers[sampler]);
  if (seed != NULL && *seed != '\0')
    horde_model_generation_input_stable_builder_set_seed (pb, seed);
  /* the chosen model warns when these break what it requires */
  horde_studio_model_chooser_set_params (self->model_chooser,
                                         sampler < g_strv_length ((char **) samplers) ? samplers[sampler] : NULL,
                                         gtk_spin_button_get_value_as_int (self->steps_spin),
                                         gtk_spin_button_get_value (self->cfg_spin),
                                         gtk_spin_button_get_value_as_int (self->clip_skip_spin),
                                         gtk_switch_get_active (self->karras_switch));
  horde_studio_post_processing_add_to_params (self->post_processing, pb);
  horde_studio_lora_list_add_to_params (self->lora_list, pb);
  horde_studio_source_image_add_to_request (self->source_image, pb, rb);
  horde_studio_ti_list_add_to_params (self->ti_list, pb);
  horde_studio_control_net_add_to_params (self->control_net, pb, model,
                                          horde_studio_source_image_is_set (self->source_image), &control_problem);
  horde_studio_prompt_tools_add_to_request (self->prompt_tools, rb);
  /* stable.py validate(): ControlNetInpaintingMismatch (outpainting is
   * not refused) */
  if (control_problem == NULL && horde_studio_control_net_get_control_type (self->control_net) != NULL &&
      g_strcmp0 (horde_studio_source_image_get_processing (self->source_image), "inpainting") == 0)
    control_problem = g_strdup (_("does not work with inpainting at this time"));
  params = horde_model_generation_input_stable_builder_end (pb, &params_error);

  /* the Horde's convention: what follows ### is the negative prompt */
  if (*negative != '\0')
    {
      g_autofree char *full = g_strdup_printf ("%s ### %s", prompt, negative);
      horde_image_generate_async_request_builder_set_prompt (rb, full);
    }
  else
    horde_image_generate_async_request_builder_set_prompt (rb, prompt);
  if (params != NULL)
    horde_image_generate_async_request_builder_set_params (rb, params);
  horde_studio_model_chooser_add_to_request (self->model_chooser, rb);
  horde_image_generate_async_request_builder_set_nsfw (rb, gtk_switch_get_active (self->nsfw_switch));
  horde_image_generate_async_request_builder_set_censor_nsfw (rb, gtk_switch_get_active (self->censor_switch));
  horde_image_generate_async_request_builder_set_trusted_workers (rb, gtk_switch_get_active (self->trusted_switch));
  horde_image_generate_async_request_builder_set_allow_downgrade (rb, gtk_switch_get_active (self->downgrade_switch));
  if (self->settings != NULL)
    horde_studio_worker_lists_add_to_request (self->settings, rb);
  request = horde_image_generate_async_request_builder_end (rb, &request_error);

  if (params_error == NULL && request_error == NULL && control_problem == NULL)
    return g_steal_pointer (&request);

  /* every problem, in the request's own paths */
  {
    GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *p = params_error ? horde_error_get_field_errors (params_error) : NULL;
    GHashTable *r = request_error ? horde_error_get_field_errors (request_error) : NULL;
    GHashTableIter iter;
    gpointer key, value;

    if (p != NULL)
      {
        g_hash_table_iter_init (&iter, p);
        while (g_hash_table_iter_next (&iter, &key, &value))
          g_hash_table_insert (fields, g_strconcat ("params.", key, NULL), g_strdup (value));
      }
    if (r != NULL)
      {
        g_hash_table_iter_init (&iter, r);
        while (g_hash_table_iter_next (&iter, &key, &value))
          g_hash_table_insert (fields, g_strdup (key), g_strdup (value));
      }
    /* what the Horde refuses with ControlNet, which the SDK does not check */
    if (control_problem != NULL)
      g_hash_table_insert (fields, g_strdup ("params.control_type"), g_steal_pointer (&control_problem));

    *problems = fields;
    return NULL;
  }
}

typedef struct {
  const char *path;
  gsize offset;          /* of the row or frame to mark, in HordeStudioCompose */
  const char *name;
} FieldRow;

#define ROW(path, member, name) { path, G_STRUCT_OFFSET (HordeStudioCompose, member), name }

static const FieldRow field_rows[] = {
  ROW ("prompt", prompt_frame, N_("Prompt")),
  ROW ("params.width", width_row, N_("Width")),
  ROW ("params.height", height_row, N_("Height")),
  ROW ("params.n", n_row, N_("Images")),
  ROW ("params.steps", steps_row, N_("Steps")),
  ROW ("params.cfg_scale", cfg_row, N_("Guidance")),
  ROW ("params.clip_skip", clip_skip_row, N_("Clip skip")),
  ROW ("params.seed", seed_row, N_("Seed")),
  ROW ("params.sampler_name", sampler_row, N_("Sampler")),
  ROW ("models", model_chooser, N_("Model")),
  ROW ("params.denoising_strength", denoising_row, N_("Denoising strength")),
  ROW ("params.post_processing", upscaler_row, N_("Post-processing")),
  ROW ("params.facefixer_strength", facefixer_strength_row, N_("Face fixer strength")),
  ROW ("params.loras", lora_list, N_("LoRAs")),
  ROW ("params.control_type", control_net, N_("ControlNet")),
  ROW ("params.tis", ti_list, N_("Textual Inversions")),
  ROW ("style", prompt_tools, N_("Style")),
};

/* the problem of @path or of a field inside it ("params.loras[1].name") */
static const char *
problem_for (GHashTable *problems,
             const char *path)
{
  GHashTableIter iter;
  gpointer key, value;
  gsize len = strlen (path);

  if (problems == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, problems);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (strncmp (key, path, len) == 0 && (((char *) key)[len] == '\0' || ((char *) key)[len] == '.' || ((char *) key)[len] == '['))
      return value;

  return NULL;
}

#define FIELD_WIDGET(self, row) (*(GtkWidget **) ((guint8 *) (self) + (row)->offset))

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* a list part's words for the problem of one of its rows */
typedef char *(*DescribeProblem) (gpointer    part,
                                  const char *path,
                                  const char *problem,
                                  gboolean   *touched);

/* The problems of a list part's rows (the LoRAs: @prefix "params.loras"),
 * a line each in the order of the rows; the part is marked when a row the
 * user touched is wrong. Returns whether it is. */
static gboolean
describe_part_problems (GHashTable      *fields,
                        const char      *prefix,
                        gpointer         part,
                        DescribeProblem  describe,
                        GPtrArray       *lines)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gboolean marked = FALSE;

  if (fields == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      g_ptr_array_add (paths, g_strdup (key));
  /* in the order of the rows */
  g_ptr_array_sort (paths, compare_strings);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];
      gboolean touched = TRUE;

      g_ptr_array_add (lines, describe (part, path, g_hash_table_lookup (fields, path), &touched));
      marked |= touched;
    }
  if (marked)
    gtk_widget_add_css_class (GTK_WIDGET (part), "error");
  return marked;
}

/* Marks each setting the SDK refused, and says why in words below: the
 * first problem on one line, all of them in its tooltip. An empty prompt is
 * where everyone starts, and a LoRA row just added is on its way to being
 * filled: neither is marked as a mistake. */
static void
show_problems (HordeStudioCompose *self,
               GHashTable         *fields)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prompt = text_of (self->prompt_view);
  gboolean marked = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      const FieldRow *row = &field_rows[i];
      GtkWidget *widget = FIELD_WIDGET (self, row);
      const char *problem = problem_for (fields, row->path);

      if (g_str_equal (row->path, "prompt") && *prompt == '\0')
        problem = NULL;

      /* the LoRA and textual inversion rows are said one by one, below */
      if (problem == NULL || g_str_equal (row->path, "params.loras") || g_str_equal (row->path, "params.tis"))
        {
          gtk_widget_remove_css_class (widget, "error");
          gtk_widget_set_tooltip_text (widget, NULL);
          continue;
        }

      gtk_widget_add_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, problem);
      marked = TRUE;
      /* TRANSLATORS: a setting and what is wrong with it, such as
       * "Width: 500 is not a multiple of 64" */
      g_ptr_array_add (lines, g_strdup_printf (_("%s: %s"), _(row->name), problem));
    }

  marked |= describe_part_problems (fields, "params.loras", self->lora_list,
                                    (DescribeProblem) horde_studio_lora_list_describe_problem, lines);
  marked |= describe_part_problems (fields, "params.tis", self->ti_list,
                                    (DescribeProblem) horde_studio_ti_list_describe_problem, lines);

  g_ptr_array_add (lines, NULL);
  horde_studio_cost_footer_show_problems (self->cost_footer, (const char * const *) lines->pdata, marked);
}

/* The prompt as typed, and the last request that built: kept across
 * restarts (horde-studio-compose-state.c) */
static void
save_state (HordeStudioCompose *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = text_of (self->prompt_view);
  g_autofree char *negative = text_of (self->negative_view);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!horde_studio_compose_state_save (self->state_path, prompt, negative, self->last_request, &error))
    g_warning ("Cannot keep the prompt: %s", error->message);
}

static gboolean
save_timeout (gpointer user_data)
{
  HordeStudioCompose *self = user_data;

  self->save_source = 0;
  save_state (self);
  return G_SOURCE_REMOVE;
}

static void
update (HordeStudioCompose *self)
{
  g_autoptr(GHashTable) problems = NULL;

  if (self->syncing)
    return;

  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  self->request = build_request (self, &problems);
  if (self->request != NULL)
    {
      g_clear_pointer (&self->last_request, horde_image_generate_async_request_unref);
      self->last_request = horde_image_generate_async_request_ref (self->request);
    }
  if (self->state_path != NULL)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout, self);
    }
  show_problems (self, problems);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.generate", self->request != NULL && !self->sending);

  {
    g_autofree char *prompt = text_of (self->prompt_view);

    horde_studio_cost_footer_set_request (self->cost_footer, self->request, *prompt != '\0');
  }
}

static void
remember_aspect (HordeStudioCompose *self)
{
  self->aspect = gtk_spin_button_get_value (self->height_spin) / gtk_spin_button_get_value (self->width_spin);
}

/* With the aspect ratio kept, the other side follows the one the user
 * changed, in steps of 64 */
static void
follow_aspect (HordeStudioCompose *self,
               GtkSpinButton      *changed,
               GtkSpinButton      *other,
               double              ratio)
{
  if (self->syncing || !gtk_switch_get_active (self->aspect_switch) || ratio <= 0)
    return;

  self->syncing = TRUE;
  gtk_spin_button_set_value (other, MAX (64, round (gtk_spin_button_get_value (changed) * ratio / 64) * 64));
  self->syncing = FALSE;
}

/* "2:3 · 0.39 megapixels" */
static char *
describe_size (int width,
               int height)
{
  int a = width, b = height;
  g_autofree char *ratio = NULL;

  while (b != 0)
    {
      int t = a % b;
      a = b;
      b = t;
    }
  if (a > 0 && width / a <= 32 && height / a <= 32)
    ratio = g_strdup_printf ("%d:%d", width / a, height / a);
  else
    ratio = g_strdup_printf ("%.2f:1", (double) width / MAX (height, 1));

  return g_strdup_printf (_("%s · %.2f megapixels"), ratio, width * (double) height / 1e6);
}

/* the size the chosen model makes its best images near (the model
 * reference's, else its family's), as the side of a square of as many
 * pixels; 0 for any model */
static int
native_side (HordeStudioCompose *self)
{
  const char *model = horde_studio_model_chooser_get_model (self->model_chooser);
  int width, height = 0;

  if (model == NULL)
    return 0;
  width = horde_studio_model_native_size (model, &height);
  return (int) (sqrt ((double) width * height) + 0.5);
}

static void
size_selected (HordeStudioCompose *self)
{
  guint position = adw_combo_row_get_selected (self->size_row);
  const SizePreset *preset;

  if (self->syncing || position >= self->shown_presets->len)
    return;
  preset = &size_presets[g_array_index (self->shown_presets, guint, position)];
  if (preset->width == 0)
    return;

  self->syncing = TRUE;
  gtk_spin_button_set_value (self->width_spin, preset->width);
  gtk_spin_button_set_value (self->height_spin, preset->height);
  self->syncing = FALSE;
  remember_aspect (self);
  update (self);
}

/* the preset that matches the spin buttons, or Custom */
static void
sync_size_preset (HordeStudioCompose *self)
{
  int width = gtk_spin_button_get_value_as_int (self->width_spin);
  int height = gtk_spin_button_get_value_as_int (self->height_spin);
  guint position = self->shown_presets->len - 1;
  gboolean was_syncing = self->syncing;
  g_autofree char *caption = describe_size (width, height);
  int side = native_side (self);
  double share = side > 0 ? width * (double) height / ((double) side * side) : 1.0;

  for (guint i = 0; i < self->shown_presets->len; i++)
    {
      const SizePreset *preset = &size_presets[g_array_index (self->shown_presets, guint, i)];

      if (preset->width == width && preset->height == height)
        position = i;
    }

  self->syncing = TRUE;
  adw_combo_row_set_selected (self->size_row, position);
  self->syncing = was_syncing;

  /* far from the pixels the model was trained at, images come out poor
   * (too small) or repeat themselves (too large) */
  if (share < 0.55 || share > 2.3)
    {
      HordeStudioBaseline baseline = HORDE_STUDIO_BASELINE_SD1;
      const char *model = horde_studio_model_chooser_get_model (self->model_chooser);
      g_autofree char *hint = NULL;
      g_autofree char *both = NULL;
      int native_width, native_height = 0;

      /* a model is chosen: any model has no native side */
      horde_studio_model_chooser_get_baseline (self->model_chooser, &baseline);
      native_width = horde_studio_model_native_size (model, &native_height);
      /* TRANSLATORS: a family of models ("SDXL") and the size it was
       * trained at, "SDXL models make their best images near 1024 × 1024" */
      hint = g_strdup_printf (_("%s models make their best images near %d × %d"),
                              horde_studio_baseline_get_name (baseline), native_width, native_height);
      both = g_strdup_printf ("%s\n%s", caption, hint);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->size_row), both);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->size_row), caption);
}

/* The size presets the chosen model's family makes best, all of them for
 * any model */
static void
presets_follow_model (HordeStudioCompose *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  int side = native_side (self);
  guint suits = side == 512 ? FOR_512 : side == 768 ? FOR_768 : side == 1024 ? FOR_1024 : FOR_ALL;
  gboolean was_syncing = self->syncing;

  g_array_set_size (self->shown_presets, 0);
  for (guint i = 0; i < G_N_ELEMENTS (size_presets); i++)
    if (size_presets[i].suits & suits)
      {
        g_array_append_val (self->shown_presets, i);
        gtk_string_list_append (labels, _(size_presets[i].label));
      }

  self->syncing = TRUE;
  adw_combo_row_set_model (self->size_row, G_LIST_MODEL (labels));
  self->syncing = was_syncing;
  sync_size_preset (self);
}

static void
size_changed (HordeStudioCompose *self)
{
  sync_size_preset (self);
  update (self);
}

static void
width_changed (HordeStudioCompose *self)
{
  follow_aspect (self, self->width_spin, self->height_spin, self->aspect);
  size_changed (self);
}

static void
height_changed (HordeStudioCompose *self)
{
  follow_aspect (self, self->height_spin, self->width_spin, self->aspect > 0 ? 1 / self->aspect : 0);
  size_changed (self);
}

/* The model chosen: by the user, or a request loaded */
static void
model_changed (HordeStudioCompose *self)
{
  horde_studio_source_image_set_model (self->source_image, horde_studio_model_chooser_get_model (self->model_chooser));
  presets_follow_model (self);
  horde_studio_lora_list_set_model (self->lora_list, horde_studio_model_chooser_get_model (self->model_chooser));
  update (self);
}

/* a trigger word of the chosen model, into the prompt */
static void
model_insert_word (HordeStudioCompose *self,
                   const char         *word)
{
  horde_studio_lora_list_insert_word (self->prompt_view, word, NULL);
}

static void
painting_changed (HordeStudioCompose *self)
{
  horde_studio_model_chooser_set_painting (self->model_chooser, horde_studio_source_image_is_painting (self->source_image));
}

/**
 * horde_studio_compose_show_account:
 * @self: a #HordeStudioCompose
 * @user: the server's answer to find_user for the client's key
 *
 * Shows the user's name and kudos from an answer already in hand (the
 * check of a key just set), without asking the server again.
 */
void
horde_studio_compose_show_account (HordeStudioCompose *self,
                                   HordeUserDetails   *user)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  horde_studio_cost_footer_show_account (self->cost_footer, user);
}

/**
 * horde_studio_compose_refresh_account:
 * @self: a #HordeStudioCompose
 *
 * Asks the server again for the user's name and kudos: after the key
 * changed, or a request spent kudos. Without a key nothing is asked: the
 * anonymous account has nothing to show.
 */
void
horde_studio_compose_refresh_account (HordeStudioCompose *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  horde_studio_cost_footer_refresh_account (self->cost_footer);
}

/**
 * horde_studio_compose_follow_kudos:
 * @self: a #HordeStudioCompose
 *
 * A job has ended: reads the account now, then again while the server
 * settles what the job cost (at 10, 30, 60 and 120 s), until two readings
 * in a row are the same.
 */
void
horde_studio_compose_follow_kudos (HordeStudioCompose *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  horde_studio_cost_footer_follow_kudos (self->cost_footer);
}

/**
 * horde_studio_compose_refresh_models:
 * @self: a #HordeStudioCompose
 *
 * Asks the server again for the models its workers serve (a large answer:
 * not for every change), so that a model a new worker brings appears.
 */
void
horde_studio_compose_refresh_models (HordeStudioCompose *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  horde_studio_model_chooser_refresh (self->model_chooser);
}

/**
 * horde_studio_compose_refresh:
 * @self: a #HordeStudioCompose
 *
 * Asks the server again for the models it serves and the user's kudos.
 */
void
horde_studio_compose_refresh (HordeStudioCompose *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  horde_studio_compose_refresh_models (self);
  horde_studio_compose_refresh_account (self);
}

static void
compose_unmap (GtkWidget *widget)
{
  HordeStudioCompose *self = HORDE_STUDIO_COMPOSE (widget);

  /* the window closing: a change of the last second is kept too */
  if (self->save_source != 0)
    save_state (self);
  GTK_WIDGET_CLASS (horde_studio_compose_parent_class)->unmap (widget);
}

void
horde_studio_compose_set_connection (HordeStudioCompose    *self,
                                     HordeStudioConnection *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));
  g_return_if_fail (connection == NULL || HORDE_STUDIO_IS_CONNECTION (connection));

  horde_studio_model_chooser_set_connection (self->model_chooser, connection);
  horde_studio_cost_footer_set_connection (self->cost_footer, connection);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (!g_set_object (&self->connection, connection) || connection == NULL)
    return;
  g_signal_connect_object (connection, "retry", G_CALLBACK (horde_studio_compose_refresh), self, G_CONNECT_SWAPPED);
}

void
horde_studio_compose_set_client (HordeStudioCompose *self,
                                 HordeClient        *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  if (!g_set_object (&self->client, client))
    return;

  horde_studio_prompt_tools_set_client (self->prompt_tools, client);
  horde_studio_model_chooser_set_client (self->model_chooser, client);
  horde_studio_cost_footer_set_client (self->cost_footer, client);

  horde_studio_compose_refresh (self);
  update (self);
}

HordeImageGenerateAsyncRequest *
horde_studio_compose_get_request (HordeStudioCompose *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_COMPOSE (self), NULL);
  return self->request;
}

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

/**
 * horde_studio_compose_load_request:
 * @self: a #HordeStudioCompose
 * @request: the request to show
 *
 * Shows @request in the settings, to send it again or change it: "use
 * these parameters again" and "duplicate". Fields the request leaves unset
 * keep their current value.
 */
void
horde_studio_compose_load_request (HordeStudioCompose             *self,
                                   HordeImageGenerateAsyncRequest *request)
{
  HordeModelGenerationInputStable *params;
  const char *prompt;

  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));
  g_return_if_fail (request != NULL);

  self->syncing = TRUE;

  prompt = horde_image_generate_async_request_get_prompt (request);
  if (prompt != NULL && strstr (prompt, " ### ") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (prompt, " ### ", 2);
      set_text (self->prompt_view, parts[0]);
      set_text (self->negative_view, parts[1]);
    }
  else
    {
      set_text (self->prompt_view, prompt);
      set_text (self->negative_view, NULL);
    }

  params = horde_image_generate_async_request_get_params (request);
  if (params != NULL)
    {
      const char *sampler = horde_model_generation_input_stable_get_sampler_name (params);

#define LOAD_SPIN(field, spin) \
      if (horde_model_generation_input_stable_has_##field (params)) \
        gtk_spin_button_set_value (self->spin, horde_model_generation_input_stable_get_##field (params))
      LOAD_SPIN (width, width_spin);
      LOAD_SPIN (height, height_spin);
      LOAD_SPIN (n, n_spin);
      LOAD_SPIN (steps, steps_spin);
      LOAD_SPIN (cfg_scale, cfg_spin);
      LOAD_SPIN (clip_skip, clip_skip_spin);
#undef LOAD_SPIN
      if (horde_model_generation_input_stable_has_karras (params))
        gtk_switch_set_active (self->karras_switch, horde_model_generation_input_stable_get_karras (params));
      if (horde_model_generation_input_stable_has_hires_fix (params))
        gtk_switch_set_active (self->hires_switch, horde_model_generation_input_stable_get_hires_fix (params));
      if (sampler != NULL)
        horde_studio_combo_select (self->sampler_row, horde_studio_get_samplers (), sampler);
      gtk_editable_set_text (GTK_EDITABLE (self->seed_row),
                             horde_model_generation_input_stable_get_seed (params)
                             ? horde_model_generation_input_stable_get_seed (params) : "");
      horde_studio_post_processing_load (self->post_processing, params);
      horde_studio_lora_list_load (self->lora_list, params);
      horde_studio_ti_list_load (self->ti_list, params);
    }

  horde_studio_source_image_load_request (self->source_image, request);
  horde_studio_control_net_load (self->control_net, params);
  horde_studio_prompt_tools_load_request (self->prompt_tools, request);

  /* unset (settings read from an image): the user's choice stays */
#define LOAD_SWITCH(field, sw) \
  if (horde_image_generate_async_request_has_##field (request)) \
    gtk_switch_set_active (self->sw, horde_image_generate_async_request_get_##field (request))
  LOAD_SWITCH (nsfw, nsfw_switch);
  LOAD_SWITCH (censor_nsfw, censor_switch);
  LOAD_SWITCH (trusted_workers, trusted_switch);
  LOAD_SWITCH (allow_downgrade, downgrade_switch);
#undef LOAD_SWITCH

  horde_studio_model_chooser_load_request (self->model_chooser, request);

  sync_size_preset (self);
  self->syncing = FALSE;
  remember_aspect (self);
  horde_studio_source_image_set_model (self->source_image, horde_studio_model_chooser_get_model (self->model_chooser));
  update (self);
}

/**
 * horde_studio_compose_apply_settings:
 * @self: a #HordeStudioCompose
 * @settings: the application's settings
 *
 * Starts from the user's default parameters.
 */
void
horde_studio_compose_apply_settings (HordeStudioCompose *self,
                                     GSettings          *settings)
{
  g_autofree char *sampler = g_settings_get_string (settings, "default-sampler");

  self->syncing = TRUE;
  gtk_spin_button_set_value (self->width_spin, g_settings_get_int (settings, "default-width"));
  gtk_spin_button_set_value (self->height_spin, g_settings_get_int (settings, "default-height"));
  gtk_spin_button_set_value (self->steps_spin, g_settings_get_int (settings, "default-steps"));
  gtk_spin_button_set_value (self->cfg_spin, g_settings_get_double (settings, "default-cfg-scale"));
  gtk_spin_button_set_value (self->n_spin, g_settings_get_int (settings, "default-n"));
  gtk_switch_set_active (self->nsfw_switch, g_settings_get_boolean (settings, "nsfw"));
  gtk_switch_set_active (self->censor_switch, g_settings_get_boolean (settings, "censor-nsfw"));
  horde_studio_combo_select (self->sampler_row, horde_studio_get_samplers (), sampler);
  sync_size_preset (self);
  self->syncing = FALSE;
  remember_aspect (self);
  /* the requests follow the Workers page's lists as they change */
  if (g_set_object (&self->settings, settings))
    {
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_ALLOW_KEY,
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_BLOCK_KEY,
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

/**
 * horde_studio_compose_set_sending:
 * @self: a #HordeStudioCompose
 * @sending: whether a request is on its way to the server
 *
 * Turns Generate off while a request is being sent, so that a second
 * press or Ctrl+Enter does not send it twice.
 */
void
horde_studio_compose_set_sending (HordeStudioCompose *self,
                                  gboolean            sending)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  self->sending = !!sending;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.generate", self->request != NULL && !self->sending);
}

/**
 * horde_studio_compose_restore_state:
 * @self: a #HordeStudioCompose
 * @path: (type filename): the state file
 *
 * Shows the prompt and the settings kept in @path, if there are any (after
 * horde_studio_compose_apply_settings(): they win over the defaults), then
 * keeps every change there, a second after the last one, and when the pane
 * goes.
 */
void
horde_studio_compose_restore_state (HordeStudioCompose *self,
                                    const char         *path)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *negative = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));
  g_return_if_fail (path != NULL);

  g_free (self->state_path);
  self->state_path = NULL;
  if (horde_studio_compose_state_load (path, &prompt, &negative, &request, &error))
    {
      if (request != NULL)
        horde_studio_compose_load_request (self, request);
      /* as typed, even when it did not build */
      self->syncing = TRUE;
      set_text (self->prompt_view, prompt);
      set_text (self->negative_view, negative);
      self->syncing = FALSE;
      update (self);
    }
  else if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Cannot restore the prompt: %s", error->message);
  self->state_path = g_strdup (path);
}

/**
 * horde_studio_compose_set_source_bytes:
 * @self: a #HordeStudioCompose
 * @bytes: (nullable): an image (WebP, PNG or JPEG), or %NULL for none
 * @error: return location for a #GError
 *
 * Starts from this image (img2img).
 *
 * Returns: %TRUE if @bytes is an image the request can carry
 */
gboolean
horde_studio_compose_set_source_bytes (HordeStudioCompose  *self,
                                       GBytes              *bytes,
                                       GError             **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_COMPOSE (self), FALSE);

  return horde_studio_source_image_set_bytes (self->source_image, bytes, error);
}

/* an image the pane cannot use: said where the problems are said, until
 * the next change */
static void
source_problem (HordeStudioCompose *self,
                const char         *text)
{
  horde_studio_cost_footer_show_problem (self->cost_footer, text);
}

static void
png_answered (AdwMessageDialog   *dialog,
              const char         *response,
              HordeStudioCompose *self)
{
  HordeImageGenerateAsyncRequest *request = g_object_get_data (G_OBJECT (dialog), "request");

  if (g_str_equal (response, "settings") && request != NULL)
    horde_studio_compose_load_request (self, request);
  else if (g_str_equal (response, "source"))
    horde_studio_source_image_set_file (self->source_image, g_object_get_data (G_OBJECT (dialog), "file"));
}

typedef struct {
  HordeStudioCompose *self;
  GFile *file;
} PngOpen;

static void
png_open_free (PngOpen *open)
{
  g_object_unref (open->self);
  g_object_unref (open->file);
  g_free (open);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PngOpen, png_open_free)

static void
png_read (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PngOpen) open = user_data;
  HordeStudioCompose *self = open->self;
  GFile *file = open->file;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  request = horde_studio_png_settings_read_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* no settings (or not a PNG): the image is the source, as before */
  if (request == NULL && !g_error_matches (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID))
    {
      horde_studio_source_image_set_file (self->source_image, file);
      return;
    }

  if (request != NULL)
    dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                     _("Use the Settings of This Image?"),
                                     _("The image carries the settings it was made with. The prompt and the settings you have now are replaced."));
  else
    dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                     _("The Settings of This Image Cannot Be Used"),
                                     error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "source", _("Use as _Source Image"),
                                    NULL);
  if (request != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "settings", _("Use Its _Settings"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "settings", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "settings");
      g_object_set_data_full (G_OBJECT (dialog), "request", g_steal_pointer (&request),
                              (GDestroyNotify) horde_image_generate_async_request_unref);
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (png_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * horde_studio_compose_open_file:
 * @self: a #HordeStudioCompose
 * @file: an image, dropped on the pane
 *
 * Takes an image dropped on the pane: a PNG that carries the settings it
 * was made with (Horde Studio's export, AUTOMATIC1111-style tools) asks
 * whether to use its settings or to use it as the source image; any other
 * image is the source image.
 */
void
horde_studio_compose_open_file (HordeStudioCompose *self,
                                GFile              *file)
{
  PngOpen *open;

  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));
  g_return_if_fail (G_IS_FILE (file));

  open = g_new0 (PngOpen, 1);
  open->self = g_object_ref (self);
  open->file = g_object_ref (file);
  horde_studio_png_settings_read_file_async (file, self->cancellable, png_read, open);
}

static gboolean
dropped (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         HordeStudioCompose *self)
{
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    horde_studio_compose_open_file (self, g_value_get_object (value));
  else if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    horde_studio_source_image_set_texture (self->source_image, g_value_get_object (value));
  else
    return FALSE;
  return TRUE;
}

/* whether @widget holds a widget that takes the focus, among those shown */
static gboolean
holds_focusable (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && !GTK_IS_POPOVER (child) &&
        (gtk_widget_get_focusable (child) || holds_focusable (child)))
      return TRUE;
  return FALSE;
}

/* A row that holds a control (a spin button, a switch, a drop-down, a
 * LoRA's entry) is one Tab stop, its control's: the row itself would be a
 * second stop with nothing to do there. It stays clickable, and a switch's
 * row still activates its switch (activatable-widget). A combo row is its
 * own control, and an expander row's header expands it: both keep theirs. */
static void
one_tab_stop_per_row (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && !ADW_IS_COMBO_ROW (child) && !ADW_IS_EXPANDER_ROW (child) &&
          holds_focusable (child))
        gtk_widget_set_focusable (child, FALSE);
      one_tab_stop_per_row (child);
    }
}

/* A part of the pane changed: it may have added or shown rows, which take
 * one Tab stop too (not on every keystroke: typing adds no rows) */
static void
part_changed (HordeStudioCompose *self)
{
  one_tab_stop_per_row (GTK_WIDGET (self));
  update (self);
}

static void
loras_changed (HordeStudioCompose *self)
{
  one_tab_stop_per_row (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.add-lora", horde_studio_lora_list_can_add (self->lora_list));
  update (self);
}

static void
compose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HordeStudioCompose *self = HORDE_STUDIO_COMPOSE (widget);

  if (g_str_equal (action_name, "compose.add-lora"))
    horde_studio_lora_list_add (self->lora_list, NULL, 1.0);
  else if (g_str_equal (action_name, "compose.refresh-models"))
    horde_studio_compose_refresh_models (self);
  else if (g_str_equal (action_name, "compose.clear-source"))
    horde_studio_source_image_set_bytes (self->source_image, NULL, NULL);
  else if (g_str_equal (action_name, "compose.paste-source"))
    horde_studio_source_image_paste (self->source_image);
  else if (g_str_equal (action_name, "compose.choose-source"))
    horde_studio_source_image_choose (self->source_image);
}

static void
generate (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  HordeStudioCompose *self = HORDE_STUDIO_COMPOSE (widget);

  update (self);
  if (self->request == NULL)
    return;

  g_signal_emit (self, signals [SUBMIT], 0, self->request);
}

static void
horde_studio_compose_dispose (GObject *object)
{
  HordeStudioCompose *self = (HordeStudioCompose *)object;

  g_cancellable_cancel (self->cancellable);
  /* a change of the last second is kept too */
  if (self->save_source != 0)
    save_state (self);
  horde_studio_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_COMPOSE);

  G_OBJECT_CLASS (horde_studio_compose_parent_class)->dispose (object);
}

static void
horde_studio_compose_finalize (GObject *object)
{
  HordeStudioCompose *self = (HordeStudioCompose *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->shown_presets, g_array_unref);
  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  g_clear_pointer (&self->last_request, horde_image_generate_async_request_unref);
  g_clear_pointer (&self->state_path, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (horde_studio_compose_parent_class)->finalize (object);
}

static void
horde_studio_compose_class_init (HordeStudioComposeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_compose_dispose;
  object_class->finalize = horde_studio_compose_finalize;

  /**
   * HordeStudioCompose::submit:
   * @self: the compose pane
   * @request: the request to send
   *
   * Emitted when the user asks to generate a valid request.
   */
  signals [SUBMIT] =
    g_signal_new ("submit",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST);

  g_type_ensure (HORDE_STUDIO_TYPE_SOURCE_IMAGE);
  g_type_ensure (HORDE_STUDIO_TYPE_LORA_LIST);
  g_type_ensure (HORDE_STUDIO_TYPE_CONTROL_NET);
  g_type_ensure (HORDE_STUDIO_TYPE_TI_LIST);
  g_type_ensure (HORDE_STUDIO_TYPE_PROMPT_TOOLS);
  g_type_ensure (HORDE_STUDIO_TYPE_MODEL_CHOOSER);
  g_type_ensure (HORDE_STUDIO_TYPE_COST_FOOTER);
  g_type_ensure (HORDE_STUDIO_TYPE_POST_PROCESSING);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-compose.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioCompose, name)
  BIND (prompt_view);
  BIND (negative_view);
  BIND (prompt_frame);
  BIND (model_chooser);
  BIND (size_row);
  BIND (width_row);
  BIND (width_spin);
  BIND (height_row);
  BIND (height_spin);
  BIND (aspect_switch);
  BIND (n_row);
  BIND (n_spin);
  BIND (steps_row);
  BIND (steps_spin);
  BIND (cfg_row);
  BIND (cfg_spin);
  BIND (sampler_row);
  BIND (seed_row);
  BIND (clip_skip_row);
  BIND (clip_skip_spin);
  BIND (karras_switch);
  BIND (hires_switch);
  BIND (nsfw_switch);
  BIND (censor_switch);
  BIND (trusted_switch);
  BIND (downgrade_switch);
  BIND (cost_footer);
  BIND (source_image);
  BIND (post_processing);
  BIND (lora_list);
  BIND (control_net);
  BIND (ti_list);
  BIND (prompt_tools);
#undef BIND

  widget_class->unmap = compose_unmap;

  gtk_widget_class_install_action (widget_class, "compose.generate", NULL, generate);
  gtk_widget_class_install_action (widget_class, "compose.refresh-models", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "compose.add-lora", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "compose.choose-source", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "compose.paste-source", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "compose.clear-source", NULL, compose_action);
}

static void
horde_studio_compose_init (HordeStudioCompose *self)
{
  g_autoptr(GtkStringList) sampler_list = gtk_string_list_new (horde_studio_get_samplers ());
  GtkEventController *shortcuts;
  GtkWidget *spins[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->denoising_row = horde_studio_source_image_get_denoising_row (self->source_image);
  self->upscaler_row = horde_studio_post_processing_get_upscaler_row (self->post_processing);
  self->facefixer_strength_row = horde_studio_post_processing_get_strength_row (self->post_processing);
  g_signal_connect_swapped (self->post_processing, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->source_image, "changed", G_CALLBACK (part_changed), self);
  g_signal_connect_swapped (self->source_image, "problem", G_CALLBACK (source_problem), self);
  g_signal_connect_swapped (self->source_image, "notify::painting", G_CALLBACK (painting_changed), self);
  g_signal_connect_swapped (self->model_chooser, "changed", G_CALLBACK (model_changed), self);
  g_signal_connect_swapped (self->model_chooser, "insert-text", G_CALLBACK (model_insert_word), self);
  g_signal_connect_swapped (self->lora_list, "changed", G_CALLBACK (loras_changed), self);
  g_signal_connect_swapped (self->lora_list, "insert-text", G_CALLBACK (horde_studio_lora_list_insert_word), self->prompt_view);
  g_signal_connect_swapped (self->control_net, "changed", G_CALLBACK (part_changed), self);
  g_signal_connect_swapped (self->ti_list, "changed", G_CALLBACK (part_changed), self);
  g_signal_connect_swapped (self->prompt_tools, "changed", G_CALLBACK (part_changed), self);
  g_signal_connect_swapped (self, "submit", G_CALLBACK (horde_studio_prompt_tools_record), self->prompt_tools);

  self->shown_presets = g_array_new (FALSE, FALSE, sizeof (guint));
  presets_follow_model (self);
  adw_combo_row_set_model (self->sampler_row, G_LIST_MODEL (sampler_list));
  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
    GType types[] = { G_TYPE_FILE, GDK_TYPE_TEXTURE };

    /* an image dropped anywhere on the pane is the source */
    gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
    g_signal_connect (drop, "drop", G_CALLBACK (dropped), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->prompt_view), "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->negative_view), "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->size_row, "notify::selected", G_CALLBACK (size_selected), self);
  g_signal_connect_swapped (self->width_spin, "value-changed", G_CALLBACK (width_changed), self);
  g_signal_connect_swapped (self->height_spin, "value-changed", G_CALLBACK (height_changed), self);
  g_signal_connect_swapped (self->aspect_switch, "notify::active", G_CALLBACK (remember_aspect), self);
  g_signal_connect_swapped (self->sampler_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->seed_row, "changed", G_CALLBACK (update), self);

  spins[0] = GTK_WIDGET (self->n_spin);
  spins[1] = GTK_WIDGET (self->steps_spin);
  spins[2] = GTK_WIDGET (self->cfg_spin);
  spins[3] = GTK_WIDGET (self->clip_skip_spin);
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (update), self);
  {
    GtkSwitch *switches[] = { self->karras_switch, self->hires_switch, self->nsfw_switch,
                              self->censor_switch, self->trusted_switch, self->downgrade_switch };

    for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
      g_signal_connect_swapped (switches[i], "notify::active", G_CALLBACK (update), self);
  }

  /* Ctrl+Enter from anywhere in the pane, the prompt included: caught
   * before the text view would take it as a new line */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("compose.generate")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("compose.generate")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  sync_size_preset (self);
  horde_studio_source_image_set_model (self->source_image, NULL);
  part_changed (self);
}

/* for tests and for the window's focus: the prompt */
GtkTextView *
horde_studio_compose_get_prompt_view (HordeStudioCompose *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_COMPOSE (self), NULL);
  return self->prompt_view;
}

/**
 * horde_studio_compose_get_prompt:
 * @self: a #HordeStudioCompose
 * @prompt: (out) (transfer full): the prompt, without spaces around it
 * @negative: (out) (transfer full): the negative prompt, "" for none
 *
 * What the user wrote in the prompts.
 */
void
horde_studio_compose_get_prompt (HordeStudioCompose  *self,
                                 char               **prompt,
                                 char               **negative)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  *prompt = text_of (self->prompt_view);
  *negative = text_of (self->negative_view);
}

/**
 * horde_studio_compose_set_prompt:
 * @self: a #HordeStudioCompose
 * @prompt: the prompt
 * @negative: (nullable): the negative prompt
 *
 * Puts a prompt (one sent before, say) in place of the one written.
 */
void
horde_studio_compose_set_prompt (HordeStudioCompose *self,
                                 const char         *prompt,
                                 const char         *negative)
{
  g_return_if_fail (HORDE_STUDIO_IS_COMPOSE (self));

  set_text (self->prompt_view, prompt);
  set_text (self->negative_view, negative);
}

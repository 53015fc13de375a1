/* horde-studio-control-net.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-baseline.h"
#include "horde-studio-control-net.h"
#include "horde-studio-util.h"

/* HordeStudioControlNet: ControlNet, the image guided by a control map.
 * In the API the control image is the request's source image (the source
 * image group keeps it); this group chooses the control type and the two
 * switches, and says before anything is sent what the Horde would refuse
 * (horde/apis/v2/stable.py ImageAsyncGenerate.validate()):
 *
 * - ControlNet without a source image (rc ControlNetSourceMissing);
 * - with an SDXL, Stable Cascade, Flux, Qwen or Z-Image model
 *   (ControlNetMismatch), and with pix2pix (ControlNetUnsupported);
 * - "normal" and "hough" with a Stable Diffusion 2 model
 *   (ControlNetUnsupported);
 * - with inpainting (ControlNetInpaintingMismatch): the compose pane
 *   says this one, from the source image's mode.
 *
 * The server does not refuse hires fix, a denoising strength or any n with
 * ControlNet. It runs it at most 40 steps (a larger number is lowered to 40
 * without a word, waiting_prompt.py), and more than 20 steps needs kudos
 * upfront (require_upfront_kudos): the dry run says that one. */
struct _HordeStudioControlNet
{
  AdwPreferencesGroup parent_instance;

  AdwComboRow *control_type_row;
  AdwActionRow *image_is_control_row;
  GtkSwitch *image_is_control_switch;
  AdwActionRow *return_control_map_row;
  GtkSwitch *return_control_map_switch;
};

G_DEFINE_FINAL_TYPE (HordeStudioControlNet, horde_studio_control_net, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* "" first: none; then the API's enum (ModelGenerationInputStable.
 * control_type in the spec, the same in horde/apis/models/stable_v2.py) */
static const char * const control_types[] = {
  "", "canny", "hed", "depth", "normal", "openpose", "seg", "scribble", "fakescribbles", "hough", NULL,
};

/**
 * horde_studio_control_net_get_control_type:
 * @self: a #HordeStudioControlNet
 *
 * Returns: (nullable): the control type chosen, "canny", or %NULL for none
 */
const char *
horde_studio_control_net_get_control_type (HordeStudioControlNet *self)
{
  guint position;

  g_return_val_if_fail (HORDE_STUDIO_IS_CONTROL_NET (self), NULL);

  position = adw_combo_row_get_selected (self->control_type_row);
  if (position == 0 || position == GTK_INVALID_LIST_POSITION || position >= G_N_ELEMENTS (control_types) - 1)
    return NULL;
  return control_types[position];
}

/* what the Horde would say of ControlNet with @model, or NULL */
static char *
refusal (const char *control_type,
         const char *model,
         gboolean    has_source)
{
  HordeStudioBaseline baseline;

  if (!has_source)
    return g_strdup (_("needs a control image: choose, drop or paste a source image"));
  if (model == NULL)
    return NULL;
  if (g_str_equal (model, "pix2pix"))
    return g_strdup (_("does not work with pix2pix"));

  /* the family from the model reference, else a guess from the name:
   * see horde-studio-baseline.c */
  baseline = horde_studio_model_baseline (model);
  if (baseline == HORDE_STUDIO_BASELINE_SD1)
    return NULL;
  if (baseline == HORDE_STUDIO_BASELINE_SD2)
    {
      /* the server also names "mlsd", which the API does not offer */
      if (g_str_equal (control_type, "normal") || g_str_equal (control_type, "hough"))
        /* TRANSLATORS: %s is a control type, "hough" */
        return g_strdup_printf (_("%s does not work with Stable Diffusion 2 models"), control_type);
      return NULL;
    }

  /* TRANSLATORS: %s is a family of models, "SDXL" or "Flux" */
  return g_strdup_printf (_("does not work with %s models"), horde_studio_baseline_get_name (baseline));
}

/**
 * horde_studio_control_net_add_to_params:
 * @self: a #HordeStudioControlNet
 * @params: the parameters being built
 * @model: (nullable): the model asked for, or %NULL for any
 * @has_source: whether the request carries a source image, the control
 *   image
 * @problem: (out) (optional): where to put what the Horde would refuse, in
 *   words
 *
 * Puts the control type and its switches in the parameters, if a control
 * type is chosen.
 *
 * Returns: %FALSE if the Horde would refuse ControlNet with this request
 */
gboolean
horde_studio_control_net_add_to_params (HordeStudioControlNet                  *self,
                                        HordeModelGenerationInputStableBuilder *params,
                                        const char                             *model,
                                        gboolean                                has_source,
                                        char                                  **problem)
{
  const char *control_type;
  g_autofree char *refused = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_CONTROL_NET (self), FALSE);

  control_type = horde_studio_control_net_get_control_type (self);
  if (control_type == NULL)
    return TRUE;

  /* both switches said, as the user set them */
  horde_model_generation_input_stable_builder_set_control_type (params, control_type);
  horde_model_generation_input_stable_builder_set_image_is_control (params, gtk_switch_get_active (self->image_is_control_switch));
  horde_model_generation_input_stable_builder_set_return_control_map (params,
                                                                      gtk_switch_get_active (self->return_control_map_switch) &&
                                                                      !gtk_switch_get_active (self->image_is_control_switch));

  refused = refusal (control_type, model, has_source);
  if (refused == NULL)
    return TRUE;
  if (problem != NULL)
    *problem = g_steal_pointer (&refused);
  return FALSE;
}

/**
 * horde_studio_control_net_load:
 * @self: a #HordeStudioControlNet
 * @params: parameters to show
 *
 * Shows the ControlNet settings of @params, none if it has none.
 */
void
horde_studio_control_net_load (HordeStudioControlNet           *self,
                               HordeModelGenerationInputStable *params)
{
  const char *control_type;
  guint position = 0;

  g_return_if_fail (HORDE_STUDIO_IS_CONTROL_NET (self));

  control_type = params ? horde_model_generation_input_stable_get_control_type (params) : NULL;
  for (guint i = 1; control_type != NULL && control_types[i]; i++)
    if (g_str_equal (control_types[i], control_type))
      position = i;
  adw_combo_row_set_selected (self->control_type_row, position);
  gtk_switch_set_active (self->image_is_control_switch,
                         params != NULL && horde_model_generation_input_stable_get_image_is_control (params));
  gtk_switch_set_active (self->return_control_map_switch,
                         params != NULL && horde_model_generation_input_stable_get_return_control_map (params));
}

/* The switches mean something only with a control type. A map sent as the
 * control image and asked back is the same map: the server refuses that
 * pair under the old name of image_is_control (stable.py checks
 * "init_as_image" with "return_control_map", rc ControlNetInvalidPayload),
 * so the pane never offers it. */
static void
sync_rows (HordeStudioControlNet *self)
{
  const char *control_type = horde_studio_control_net_get_control_type (self);
  gboolean on = control_type != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->image_is_control_row), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->return_control_map_row),
                            on && !gtk_switch_get_active (self->image_is_control_switch));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->control_type_row),
                               on ? _("At most 40 steps; more than 20 need kudos upfront") : "");
}

static void
changed (HordeStudioControlNet *self)
{
  sync_rows (self);
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
horde_studio_control_net_class_init (HordeStudioControlNetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* the group's own children are its parent class's to drop */
  object_class->dispose = horde_studio_template_widget_dispose;

  /**
   * HordeStudioControlNet::changed:
   * @self: the group
   *
   * Emitted when the control type or a switch changed.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-control-net.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioControlNet, control_type_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioControlNet, image_is_control_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioControlNet, image_is_control_switch);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioControlNet, return_control_map_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioControlNet, return_control_map_switch);
}

static void
horde_studio_control_net_init (HordeStudioControlNet *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (types, C_("control type", "None"));
  for (guint i = 1; control_types[i]; i++)
    gtk_string_list_append (types, control_types[i]);
  adw_combo_row_set_model (self->control_type_row, G_LIST_MODEL (types));
  sync_rows (self);

  g_signal_connect_swapped (self->control_type_row, "notify::selected", G_CALLBACK (changed), self);
  g_signal_connect_swapped (self->image_is_control_switch, "notify::active", G_CALLBACK (changed), self);
  g_signal_connect_swapped (self->return_control_map_switch, "notify::active", G_CALLBACK (changed), self);
}

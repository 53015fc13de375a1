/* horde-studio-post-processing.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-post-processing.h"
#include "horde-studio-util.h"

/* HordeStudioPostProcessing: what the Horde does to the images once made:
 * an upscaler, a face fixer with its strength, the background removed. */
struct _HordeStudioPostProcessing
{
  AdwPreferencesGroup parent_instance;

  AdwComboRow *upscaler_row;
  AdwComboRow *facefixer_row;
  AdwActionRow *facefixer_strength_row;
  GtkSpinButton *facefixer_strength_spin;
  GtkSwitch *strip_background_switch;
};

G_DEFINE_FINAL_TYPE (HordeStudioPostProcessing, horde_studio_post_processing, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* "" first: none. The Horde may know more; these are the API's. */
static const char * const upscalers[] = {
  "", "RealESRGAN_x4plus", "RealESRGAN_x2plus", "RealESRGAN_x4plus_anime_6B", "NMKD_Siax",
  "4x_AnimeSharp", "4xNomos8kSC", "4xLSDIRplus", "4xNomosWebPhoto_RealPLKSR", "2xModernSpanimationV1", NULL,
};
static const char * const facefixers[] = { "", "GFPGAN", "CodeFormers", "RestoreFormer", NULL };

static const char *
combo_value (AdwComboRow        *row,
             const char * const *values)
{
  guint position = adw_combo_row_get_selected (row);

  if (position == GTK_INVALID_LIST_POSITION || position >= g_strv_length ((char **) values))
    return "";
  return values[position];
}

/**
 * horde_studio_post_processing_add_to_params:
 * @self: a #HordeStudioPostProcessing
 * @params: the parameters being built
 *
 * Puts the post-processing chosen in @params: the face fixer, then the
 * upscaler, then the background removal, the order they run in; the face
 * fixer's strength only with a face fixer (its row is off without one).
 */
void
horde_studio_post_processing_add_to_params (HordeStudioPostProcessing              *self,
                                            HordeModelGenerationInputStableBuilder *params)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  const char *facefixer;
  const char *upscaler;

  g_return_if_fail (HORDE_STUDIO_IS_POST_PROCESSING (self));

  facefixer = combo_value (self->facefixer_row, facefixers);
  upscaler = combo_value (self->upscaler_row, upscalers);
  if (*facefixer)
    {
      g_strv_builder_add (builder, facefixer);
      horde_model_generation_input_stable_builder_set_facefixer_strength (params, gtk_spin_button_get_value (self->facefixer_strength_spin));
    }
  if (*upscaler)
    g_strv_builder_add (builder, upscaler);
  if (gtk_switch_get_active (self->strip_background_switch))
    g_strv_builder_add (builder, "strip_background");

  list = g_strv_builder_end (builder);
  if (list[0] != NULL)
    horde_model_generation_input_stable_builder_set_post_processing (params, (const char * const *) list);
  gtk_widget_set_sensitive (GTK_WIDGET (self->facefixer_strength_row), *facefixer != '\0');
}

/**
 * horde_studio_post_processing_load:
 * @self: a #HordeStudioPostProcessing
 * @params: the parameters to show
 *
 * Shows the post-processing of @params: what it does not name is off; the
 * face fixer's strength, when @params has one.
 */
void
horde_studio_post_processing_load (HordeStudioPostProcessing       *self,
                                   HordeModelGenerationInputStable *params)
{
  const char * const *post;

  g_return_if_fail (HORDE_STUDIO_IS_POST_PROCESSING (self));
  g_return_if_fail (params != NULL);

  if (horde_model_generation_input_stable_has_facefixer_strength (params))
    gtk_spin_button_set_value (self->facefixer_strength_spin, horde_model_generation_input_stable_get_facefixer_strength (params));

  post = horde_model_generation_input_stable_get_post_processing (params);
  adw_combo_row_set_selected (self->upscaler_row, 0);
  adw_combo_row_set_selected (self->facefixer_row, 0);
  gtk_switch_set_active (self->strip_background_switch, FALSE);
  for (guint i = 0; post && post[i]; i++)
    {
      horde_studio_combo_select (self->upscaler_row, upscalers, post[i]);
      horde_studio_combo_select (self->facefixer_row, facefixers, post[i]);
      if (g_str_equal (post[i], "strip_background"))
        gtk_switch_set_active (self->strip_background_switch, TRUE);
    }
}

/**
 * horde_studio_post_processing_get_upscaler_row:
 * @self: a #HordeStudioPostProcessing
 *
 * Returns: (transfer none): the row to mark when the post-processing is
 *   refused
 */
GtkWidget *
horde_studio_post_processing_get_upscaler_row (HordeStudioPostProcessing *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_POST_PROCESSING (self), NULL);
  return GTK_WIDGET (self->upscaler_row);
}

/**
 * horde_studio_post_processing_get_strength_row:
 * @self: a #HordeStudioPostProcessing
 *
 * Returns: (transfer none): the row to mark when the face fixer's strength
 *   is refused
 */
GtkWidget *
horde_studio_post_processing_get_strength_row (HordeStudioPostProcessing *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_POST_PROCESSING (self), NULL);
  return GTK_WIDGET (self->facefixer_strength_row);
}

static void
emit_changed (HordeStudioPostProcessing *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
horde_studio_post_processing_class_init (HordeStudioPostProcessingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_template_widget_dispose;

  /**
   * HordeStudioPostProcessing::changed:
   * @self: the post-processing group
   *
   * Emitted when the user changed the post-processing.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-post-processing.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioPostProcessing, name)
  BIND (upscaler_row);
  BIND (facefixer_row);
  BIND (facefixer_strength_row);
  BIND (facefixer_strength_spin);
  BIND (strip_background_switch);
#undef BIND
}

static void
horde_studio_post_processing_init (HordeStudioPostProcessing *self)
{
  g_autoptr(GtkStringList) upscaler_list = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) facefixer_list = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (upscaler_list, C_("upscaler", "None"));
  for (guint i = 1; upscalers[i]; i++)
    gtk_string_list_append (upscaler_list, upscalers[i]);
  gtk_string_list_append (facefixer_list, C_("face fixer", "None"));
  for (guint i = 1; facefixers[i]; i++)
    gtk_string_list_append (facefixer_list, facefixers[i]);
  adw_combo_row_set_model (self->upscaler_row, G_LIST_MODEL (upscaler_list));
  adw_combo_row_set_model (self->facefixer_row, G_LIST_MODEL (facefixer_list));
  g_signal_connect_swapped (self->upscaler_row, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->facefixer_row, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->strip_background_switch, "notify::active", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->facefixer_strength_spin, "value-changed", G_CALLBACK (emit_changed), self);
}

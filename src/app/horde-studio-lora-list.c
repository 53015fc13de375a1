/* horde-studio-lora-list.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-item-rows.h"
#include "horde-studio-lora-list.h"
#include "horde-studio-util.h"

#define MAX_LORAS 5

/* HordeStudioLoraList: the LoRAs a request applies, each a name (or a
 * CivitAI id) and a strength. A row just added is empty on its way to being
 * filled: it becomes the user's, and a mistake can be shown on it, once
 * they type in it or leave it. */
struct _HordeStudioLoraList
{
  AdwPreferencesGroup parent_instance;

  GtkButton *add_lora_button;
  GtkListBox *loras_list;
};

G_DEFINE_FINAL_TYPE (HordeStudioLoraList, horde_studio_lora_list, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
emit_changed (HordeStudioLoraList *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
count_changed (HordeStudioLoraList *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->loras_list), horde_studio_item_rows_count (self->loras_list) > 0);
  emit_changed (self);
}

/**
 * horde_studio_lora_list_can_add:
 * @self: a #HordeStudioLoraList
 *
 * Returns: whether the request can take one more LoRA
 */
gboolean
horde_studio_lora_list_can_add (HordeStudioLoraList *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_LIST (self), FALSE);
  return horde_studio_item_rows_count (self->loras_list) < MAX_LORAS;
}

/**
 * horde_studio_lora_list_add:
 * @self: a #HordeStudioLoraList
 * @name: (nullable): the LoRA's name or CivitAI id, or %NULL for an empty
 *   row the user fills
 * @strength: how strongly to apply it
 *
 * Adds a row for one LoRA.
 */
void
horde_studio_lora_list_add (HordeStudioLoraList *self,
                            const char          *name,
                            double               strength)
{
  g_return_if_fail (HORDE_STUDIO_IS_LORA_LIST (self));

  gtk_list_box_append (self->loras_list,
                       horde_studio_item_row_new (name, strength, NULL, _("Remove this LoRA"),
                                                  (HordeStudioItemRowsFunc) emit_changed,
                                                  (HordeStudioItemRowsFunc) count_changed, self));
  count_changed (self);
}

/**
 * horde_studio_lora_list_add_to_params:
 * @self: a #HordeStudioLoraList
 * @params: the parameters being built
 *
 * Puts the LoRAs in the parameters, an empty row too, so that the
 * request's validation names it.
 */
void
horde_studio_lora_list_add_to_params (HordeStudioLoraList                    *self,
                                      HordeModelGenerationInputStableBuilder *params)
{
  g_autoptr(GPtrArray) loras = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_payload_loras_stable_unref);

  g_return_if_fail (HORDE_STUDIO_IS_LORA_LIST (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->loras_list)); row; row = gtk_widget_get_next_sibling (row))
    {
      const char *name = horde_studio_item_row_get_name (row);
      g_autoptr(HordeModelPayloadLorasStableBuilder) lb = horde_model_payload_loras_stable_builder_new ();
      HordeModelPayloadLorasStable *lora;

      if (name == NULL)
        continue;
      horde_model_payload_loras_stable_builder_set_name (lb, name);
      horde_model_payload_loras_stable_builder_set_model (lb, horde_studio_item_row_get_strength (row));
      lora = horde_model_payload_loras_stable_builder_end (lb, NULL);
      if (lora == NULL)
        {
          /* keep what the user wrote, unchecked, so that the request's
           * validation names it */
          g_autofree char *json = g_strdup_printf ("{\"name\": \"\", \"model\": %g}", horde_studio_item_row_get_strength (row));
          lora = horde_model_payload_loras_stable_new_from_json (json, -1, NULL);
        }
      g_ptr_array_add (loras, lora);
    }

  if (loras->len > 0)
    horde_model_generation_input_stable_builder_set_loras (params, (HordeModelPayloadLorasStable * const *) loras->pdata, loras->len);
}

/**
 * horde_studio_lora_list_load:
 * @self: a #HordeStudioLoraList
 * @params: parameters to show
 *
 * Shows the LoRAs of @params, in place of the current ones.
 */
void
horde_studio_lora_list_load (HordeStudioLoraList             *self,
                             HordeModelGenerationInputStable *params)
{
  HordeModelPayloadLorasStable * const *loras;
  gsize n_loras = 0;

  g_return_if_fail (HORDE_STUDIO_IS_LORA_LIST (self));

  horde_studio_item_rows_clear (self->loras_list);
  loras = horde_model_generation_input_stable_get_loras (params, &n_loras);
  for (gsize i = 0; i < n_loras && i < MAX_LORAS; i++)
    horde_studio_lora_list_add (self, horde_model_payload_loras_stable_get_name (loras[i]),
                                horde_model_payload_loras_stable_get_model (loras[i]));
  count_changed (self);
}

static const HordeStudioItemRowsProblems problems = {
  .prefix = "params.loras",
  .title = N_("LoRAs"),
  /* TRANSLATORS: the place of a LoRA row in the list and what is wrong
   * with its name, "LoRA 2 name: must not be empty" */
  .name_format = N_("LoRA %u name: %s"),
  .strength_field = ".model",
  /* TRANSLATORS: "LoRA 2 strength: must be at most 5" */
  .strength_format = N_("LoRA %u strength: %s"),
  /* TRANSLATORS: "LoRA 2: …" */
  .row_format = N_("LoRA %u: %s"),
};

/**
 * horde_studio_lora_list_describe_problem:
 * @self: a #HordeStudioLoraList
 * @path: the problem's place in the request, "params.loras[1].name"
 * @problem: what is wrong
 * @touched: (out): whether the user has been at the row (a row just added
 *   is empty on its way to being filled, not wrong)
 *
 * Returns: (transfer full): the problem in words, "LoRA 2 name: must not
 *   be empty"
 */
char *
horde_studio_lora_list_describe_problem (HordeStudioLoraList *self,
                                         const char          *path,
                                         const char          *problem,
                                         gboolean            *touched)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_LIST (self), NULL);

  return horde_studio_item_rows_describe_problem (self->loras_list, &problems, path, problem, touched);
}

static void
horde_studio_lora_list_class_init (HordeStudioLoraListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* the group's own children are its parent class's to drop */
  object_class->dispose = horde_studio_template_widget_dispose;

  /**
   * HordeStudioLoraList::changed:
   * @self: the list
   *
   * Emitted when a LoRA is added, removed or edited.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-lora-list.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioLoraList, add_lora_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioLoraList, loras_list);
}

static void
horde_studio_lora_list_init (HordeStudioLoraList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

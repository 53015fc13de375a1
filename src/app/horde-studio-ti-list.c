/* horde-studio-ti-list.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-item-rows.h"
#include "horde-studio-ti-list.h"
#include "horde-studio-util.h"

/* the server's limit: horde/validation.py refuses more than 20 (rc
 * TooManyTIs) */
#define MAX_TIS 20

/* HordeStudioTiList: the textual inversions a request applies, each a
 * name (or a CivitAI id), where the Horde adds it (the prompt, the negative
 * prompt, or neither: then the user writes it in the prompt) and with which
 * strength. As in the LoRA list, a row just added is empty on its way to
 * being filled: it becomes the user's, and a mistake can be shown on it,
 * once they type in it or leave it. */
struct _HordeStudioTiList
{
  AdwPreferencesGroup parent_instance;

  GtkButton *add_ti_button;
  GtkListBox *tis_list;
};

G_DEFINE_FINAL_TYPE (HordeStudioTiList, horde_studio_ti_list, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* the API's inject_ti, in the order of the choices; "" is none */
static const char * const injections[] = { "prompt", "negprompt", "", NULL };

static void
emit_changed (HordeStudioTiList *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
count_changed (HordeStudioTiList *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->tis_list), horde_studio_item_rows_count (self->tis_list) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_ti_button), horde_studio_ti_list_can_add (self));
  emit_changed (self);
}

/**
 * horde_studio_ti_list_can_add:
 * @self: a #HordeStudioTiList
 *
 * Returns: whether the request can take one more textual inversion
 */
gboolean
horde_studio_ti_list_can_add (HordeStudioTiList *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TI_LIST (self), FALSE);
  return horde_studio_item_rows_count (self->tis_list) < MAX_TIS;
}

static const char *
row_injection (GtkWidget *row)
{
  guint position = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "inject"));

  if (position >= G_N_ELEMENTS (injections) - 1)
    return "";
  return injections[position];
}

/* the strength is used only when the Horde adds the inversion itself */
static void
sync_strength (GtkWidget *row)
{
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "strength"), *row_injection (row) != '\0');
}

/**
 * horde_studio_ti_list_add:
 * @self: a #HordeStudioTiList
 * @name: (nullable): the inversion's name or CivitAI id, or %NULL for an
 *   empty row the user fills
 * @strength: how strongly to apply it
 * @inject: (nullable): where the Horde adds it, "prompt" or "negprompt",
 *   or %NULL for neither
 *
 * Adds a row for one textual inversion.
 */
void
horde_studio_ti_list_add (HordeStudioTiList *self,
                          const char        *name,
                          double             strength,
                          const char        *inject)
{
  const char *choices[] = { _("Prompt"), _("Negative prompt"), C_("inject ti", "Neither"), NULL };
  GtkWidget *row;
  GtkWidget *dropdown;

  g_return_if_fail (HORDE_STUDIO_IS_TI_LIST (self));

  dropdown = gtk_drop_down_new_from_strings (choices);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dropdown, _("Where the Horde adds it"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 2);
  for (guint i = 0; inject != NULL && injections[i]; i++)
    if (g_str_equal (injections[i], inject))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);

  row = horde_studio_item_row_new (name, strength, dropdown, _("Remove this textual inversion"),
                                   (HordeStudioItemRowsFunc) emit_changed,
                                   (HordeStudioItemRowsFunc) count_changed, self);
  g_object_set_data (G_OBJECT (row), "inject", dropdown);
  sync_strength (row);
  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (sync_strength), row);
  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (emit_changed), self);
  gtk_list_box_append (self->tis_list, row);
  count_changed (self);
}

/**
 * horde_studio_ti_list_add_to_params:
 * @self: a #HordeStudioTiList
 * @params: the parameters being built
 *
 * Puts the textual inversions in the parameters, an empty row too, so
 * that the request's validation names it.
 */
void
horde_studio_ti_list_add_to_params (HordeStudioTiList                      *self,
                                    HordeModelGenerationInputStableBuilder *params)
{
  g_autoptr(GPtrArray) tis = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_payload_textual_inversions_stable_unref);

  g_return_if_fail (HORDE_STUDIO_IS_TI_LIST (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->tis_list)); row; row = gtk_widget_get_next_sibling (row))
    {
      const char *name = horde_studio_item_row_get_name (row);
      const char *inject = row_injection (row);
      g_autoptr(HordeModelPayloadTextualInversionsStableBuilder) tb = horde_model_payload_textual_inversions_stable_builder_new ();
      HordeModelPayloadTextualInversionsStable *ti;

      if (name == NULL)
        continue;
      horde_model_payload_textual_inversions_stable_builder_set_name (tb, name);
      /* the strength means something only when the Horde injects it */
      if (*inject != '\0')
        {
          horde_model_payload_textual_inversions_stable_builder_set_inject_ti (tb, inject);
          horde_model_payload_textual_inversions_stable_builder_set_strength (tb, horde_studio_item_row_get_strength (row));
        }
      ti = horde_model_payload_textual_inversions_stable_builder_end (tb, NULL);
      if (ti == NULL)
        {
          /* keep the row, unchecked, so that the request's validation
           * names it */
          ti = horde_model_payload_textual_inversions_stable_new_from_json ("{\"name\": \"\"}", -1, NULL);
        }
      g_ptr_array_add (tis, ti);
    }

  if (tis->len > 0)
    horde_model_generation_input_stable_builder_set_tis (params, (HordeModelPayloadTextualInversionsStable * const *) tis->pdata, tis->len);
}

/**
 * horde_studio_ti_list_load:
 * @self: a #HordeStudioTiList
 * @params: parameters to show
 *
 * Shows the textual inversions of @params, in place of the current ones.
 */
void
horde_studio_ti_list_load (HordeStudioTiList               *self,
                           HordeModelGenerationInputStable *params)
{
  HordeModelPayloadTextualInversionsStable * const *tis;
  gsize n_tis = 0;

  g_return_if_fail (HORDE_STUDIO_IS_TI_LIST (self));

  horde_studio_item_rows_clear (self->tis_list);
  tis = horde_model_generation_input_stable_get_tis (params, &n_tis);
  for (gsize i = 0; i < n_tis && i < MAX_TIS; i++)
    horde_studio_ti_list_add (self, horde_model_payload_textual_inversions_stable_get_name (tis[i]),
                              horde_model_payload_textual_inversions_stable_has_strength (tis[i])
                              ? horde_model_payload_textual_inversions_stable_get_strength (tis[i]) : 1.0,
                              horde_model_payload_textual_inversions_stable_get_inject_ti (tis[i]));
  count_changed (self);
}

static const HordeStudioItemRowsProblems problems = {
  .prefix = "params.tis",
  .title = N_("Textual Inversions"),
  /* TRANSLATORS: the place of a textual inversion row in the list and
   * what is wrong with its name, "Textual inversion 2 name: must not be
   * empty" */
  .name_format = N_("Textual inversion %u name: %s"),
  .strength_field = ".strength",
  /* TRANSLATORS: "Textual inversion 2 strength: must be at most 5" */
  .strength_format = N_("Textual inversion %u strength: %s"),
  /* TRANSLATORS: "Textual inversion 2: …" */
  .row_format = N_("Textual inversion %u: %s"),
};

/**
 * horde_studio_ti_list_describe_problem:
 * @self: a #HordeStudioTiList
 * @path: the problem's place in the request, "params.tis[1].name"
 * @problem: what is wrong
 * @touched: (out): whether the user has been at the row (a row just added
 *   is empty on its way to being filled, not wrong)
 *
 * Returns: (transfer full): the problem in words, "Textual inversion 2
 *   name: must not be empty"
 */
char *
horde_studio_ti_list_describe_problem (HordeStudioTiList *self,
                                       const char        *path,
                                       const char        *problem,
                                       gboolean          *touched)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TI_LIST (self), NULL);

  return horde_studio_item_rows_describe_problem (self->tis_list, &problems, path, problem, touched);
}

static void
add_clicked (HordeStudioTiList *self)
{
  horde_studio_ti_list_add (self, NULL, 1.0, "prompt");
}

static void
horde_studio_ti_list_class_init (HordeStudioTiListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* the group's own children are its parent class's to drop */
  object_class->dispose = horde_studio_template_widget_dispose;

  /**
   * HordeStudioTiList::changed:
   * @self: the list
   *
   * Emitted when a textual inversion is added, removed or edited.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-ti-list.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioTiList, add_ti_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioTiList, tis_list);
}

static void
horde_studio_ti_list_init (HordeStudioTiList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->add_ti_button, "clicked", G_CALLBACK (add_clicked), self);
}

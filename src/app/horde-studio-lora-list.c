/* horde-studio-lora-list.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-application.h"
#include "horde-studio-item-rows.h"
#include "horde-studio-lora-details.h"
#include "horde-studio-lora-list.h"
#include "horde-studio-util.h"

#define MAX_LORAS 5

/* HordeStudioLoraList: the LoRAs a request applies, each a name (or a
 * CivitAI id) and a strength. A row just added is empty on its way to being
 * filled: it becomes the user's, and a mistake can be shown on it, once
 * they type in it or leave it. Under its name, each row shows what
 * CivitAI says of the LoRA ([class@LoraDetails]): its name and family, a
 * warning when that is not the chosen model's, its trigger words. */
struct _HordeStudioLoraList
{
  AdwPreferencesGroup parent_instance;

  GtkButton *add_lora_button;
  GtkListBox *loras_list;

  gboolean model_known;
  HordeStudioBaseline model_baseline;
};

G_DEFINE_FINAL_TYPE (HordeStudioLoraList, horde_studio_lora_list, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  INSERT_TEXT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
emit_changed (HordeStudioLoraList *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
insert_text (HordeStudioLoraList *self,
             const char          *text)
{
  g_signal_emit (self, signals [INSERT_TEXT], 0, text);
}

/* the user's own name: not a version id the app filled in any more */
static void
name_changed (GtkEditable *entry,
              GtkWidget   *row)
{
  g_object_set_data (G_OBJECT (row), "is-version", GINT_TO_POINTER (FALSE));
  horde_studio_lora_details_set_name (g_object_get_data (G_OBJECT (row), "details"),
                                      gtk_editable_get_text (entry), FALSE);
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

/* A row for one LoRA; @is_version: @name is a CivitAI model version id
 * (a request's, kept until the user changes the name) */
static void
add_row (HordeStudioLoraList *self,
         const char          *name,
         double               strength,
         gboolean             is_version)
{
  GtkWidget *row;
  GtkWidget *parts;
  GtkWidget *details;
  GtkEditable *entry;

  row = horde_studio_item_row_new (name, strength, NULL, _("Remove this LoRA"),
                                   (HordeStudioItemRowsFunc) emit_changed,
                                   (HordeStudioItemRowsFunc) count_changed, self);

  /* the details go under the row's name, strength and remove button */
  parts = g_object_ref (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_box_append (GTK_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))), parts);
  g_object_unref (parts);
  details = horde_studio_lora_details_new ();
  gtk_box_append (GTK_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))), details);
  g_object_set_data (G_OBJECT (row), "details", details);

  g_object_set_data (G_OBJECT (row), "is-version", GINT_TO_POINTER (is_version));

  entry = g_object_get_data (G_OBJECT (row), "name");
  g_signal_connect_object (entry, "changed", G_CALLBACK (name_changed), row, 0);
  g_signal_connect_object (details, "insert-text", G_CALLBACK (insert_text), self, G_CONNECT_SWAPPED);
  horde_studio_lora_details_set_model_baseline (HORDE_STUDIO_LORA_DETAILS (details), self->model_known, self->model_baseline);
  horde_studio_lora_details_set_name (HORDE_STUDIO_LORA_DETAILS (details), name, is_version);

  gtk_list_box_append (self->loras_list, row);
  count_changed (self);
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

  add_row (self, name, strength, FALSE);
}

/**
 * horde_studio_lora_list_set_model:
 * @self: a #HordeStudioLoraList
 * @model: (nullable): the chosen model, %NULL for any model
 *
 * Warns on the rows of LoRAs made for another family of models than
 * @model's (none for any model).
 */
void
horde_studio_lora_list_set_model (HordeStudioLoraList *self,
                                  const char          *model)
{
  g_return_if_fail (HORDE_STUDIO_IS_LORA_LIST (self));

  self->model_known = model != NULL;
  self->model_baseline = model != NULL ? horde_studio_model_baseline (model) : HORDE_STUDIO_BASELINE_SD1;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->loras_list)); row; row = gtk_widget_get_next_sibling (row))
    {
      HordeStudioLoraDetails *details = g_object_get_data (G_OBJECT (row), "details");

      if (details != NULL)
        horde_studio_lora_details_set_model_baseline (details, self->model_known, self->model_baseline);
    }
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
      if (g_object_get_data (G_OBJECT (row), "is-version"))
        horde_model_payload_loras_stable_builder_set_is_version (lb, TRUE);
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
    add_row (self, horde_model_payload_loras_stable_get_name (loras[i]),
             horde_model_payload_loras_stable_get_model (loras[i]),
             horde_model_payload_loras_stable_get_is_version (loras[i]));
  count_changed (self);
}

static gboolean
is_separator (gunichar c)
{
  return c == 0 || c == ',' || g_unichar_isspace (c);
}

/**
 * horde_studio_lora_list_insert_word:
 * @prompt: the prompt's view
 * @word: a trigger word
 * @list: (nullable): the list that emitted #HordeStudioLoraList::insert-text
 *   (not used: the function is that signal's handler, swapped)
 *
 * Puts @word in the prompt at the cursor, set apart from the words around
 * it by commas, and the cursor after it.
 */
void
horde_studio_lora_list_insert_word (GtkTextView         *prompt,
                                    const char          *word,
                                    HordeStudioLoraList *list)
{
  GtkTextBuffer *buffer;
  GtkTextIter at;
  g_autoptr(GString) text = g_string_new (NULL);
  gunichar before = 0, after;

  g_return_if_fail (GTK_IS_TEXT_VIEW (prompt));
  g_return_if_fail (word != NULL);

  buffer = gtk_text_view_get_buffer (prompt);
  gtk_text_buffer_get_iter_at_mark (buffer, &at, gtk_text_buffer_get_insert (buffer));
  after = gtk_text_iter_get_char (&at);
  if (!gtk_text_iter_is_start (&at))
    {
      GtkTextIter previous = at;

      gtk_text_iter_backward_char (&previous);
      before = gtk_text_iter_get_char (&previous);
    }

  if (before != 0 && !is_separator (before))
    g_string_append (text, ", ");
  else if (before == ',')
    g_string_append_c (text, ' ');
  g_string_append (text, word);
  if (!is_separator (after))
    g_string_append (text, ", ");
  gtk_text_buffer_insert_at_cursor (buffer, text->str, (int) text->len);
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

  /**
   * HordeStudioLoraList::insert-text:
   * @self: the list
   * @text: a trigger word of one of the LoRAs
   *
   * Emitted when the user asks for a LoRA's trigger word in the prompt.
   */
  signals [INSERT_TEXT] = g_signal_new ("insert-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-lora-list.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioLoraList, add_lora_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioLoraList, loras_list);
}

/* the look-ups turned on or off: every row asks again, or says nothing */
static void
lookup_switched (HordeStudioLoraList *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->loras_list)); row; row = gtk_widget_get_next_sibling (row))
    {
      HordeStudioLoraDetails *details = g_object_get_data (G_OBJECT (row), "details");

      if (details != NULL)
        horde_studio_lora_details_refresh (details);
    }
}

static void
horde_studio_lora_list_init (HordeStudioLoraList *self)
{
  GApplication *app = g_application_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  if (HORDE_STUDIO_IS_APPLICATION (app))
    g_signal_connect_object (horde_studio_application_get_settings (HORDE_STUDIO_APPLICATION (app)),
                             "changed::civitai-lookup", G_CALLBACK (lookup_switched), self, G_CONNECT_SWAPPED);
}

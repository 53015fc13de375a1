/* horde-studio-text-params.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "horde-studio-text-params.h"

/* HordeStudioTextParams: the Write page's parameters, as AdwPreferencesGroup
 * rows: the text model (each listed with its workers, queue and wait), a
 * soft prompt, the length, the context, how many generations, and the
 * sampling (temperature, top-p, top-k, repetition penalty) behind a switch
 * that, off, leaves them to the worker. The limits are the API's
 * (ModelGenerationInputKobold); the length and context start at the
 * server's defaults, 80 and 2048. "changed" says that any of them did. */
struct _HordeStudioTextParams
{
  GtkBox parent_instance;

  AdwComboRow *model_row;
  AdwEntryRow *softprompt_row;
  GtkSpinButton *max_length_spin;
  GtkSpinButton *max_context_spin;
  GtkSpinButton *n_spin;
  AdwExpanderRow *sampling_row;
  GtkSpinButton *temperature_spin;
  GtkSpinButton *top_p_spin;
  GtkSpinButton *top_k_spin;
  GtkSpinButton *rep_pen_spin;

  GtkStringList *model_names;
  GHashTable *model_info;           /* name → HordeActiveModel */
};

G_DEFINE_FINAL_TYPE (HordeStudioTextParams, horde_studio_text_params, GTK_TYPE_BOX)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
changed (HordeStudioTextParams *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * horde_studio_text_params_get_model:
 * @self: the parameters
 *
 * Returns: (nullable): the model chosen, %NULL while none is listed
 */
const char *
horde_studio_text_params_get_model (HordeStudioTextParams *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PARAMS (self), NULL);

  item = adw_combo_row_get_selected_item (self->model_row);
  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* What the server says of a text model: "2 workers · 3 requests waiting ·
 * about 40 s" */
static char *
model_summary (HordeStudioTextParams *self,
               const char            *name)
{
  HordeActiveModel *model = name ? g_hash_table_lookup (self->model_info, name) : NULL;
  g_autofree char *workers = NULL;
  gint64 count, jobs;

  if (model == NULL)
    return g_strdup (_("No worker serves it now"));
  count = horde_active_model_get_count (model);
  workers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d worker", "%d workers", count), (int) count);
  jobs = (gint64) horde_active_model_get_jobs (model);
  if (jobs <= 0)
    return g_strdup_printf (_("%s · no queue"), workers);
  /* TRANSLATORS: a text model's line: its workers, the requests waiting
   * for it and the estimated wait, "2 workers · 3 requests waiting · about 40 s" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d request waiting · about %d s",
                                       "%s · %d requests waiting · about %d s", jobs),
                          workers, (int) MIN (jobs, G_MAXINT),
                          (int) CLAMP (horde_active_model_get_eta (model), 0, G_MAXINT));
}

static void
model_selected (HordeStudioTextParams *self)
{
  const char *model = horde_studio_text_params_get_model (self);
  g_autofree char *summary = model_summary (self, model);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row), model ? summary : "");
  changed (self);
}

static int
by_workers (gconstpointer a,
            gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel * const *) a;
  HordeActiveModel *y = *(HordeActiveModel * const *) b;
  gint64 cx = horde_active_model_get_count (x), cy = horde_active_model_get_count (y);

  if (cx != cy)
    return cx > cy ? -1 : 1;
  return g_utf8_collate (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

/**
 * horde_studio_text_params_set_models:
 * @self: the parameters
 * @list: the server's text models
 *
 * Lists the models, those with the most workers first; the model chosen
 * before stays chosen if it is still listed, else the first is.
 *
 * Returns: how many models are listed
 */
guint
horde_studio_text_params_set_models (HordeStudioTextParams *self,
                                     HordeActiveModelList  *list)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *previous = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;
  guint position = 0;

  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PARAMS (self), 0);

  previous = g_strdup (horde_studio_text_params_get_model (self));
  items = horde_active_model_list_get_items (list, &n);
  for (gsize i = 0; i < n && sorted->len < 1000; i++)
    {
      const char *name = horde_active_model_get_name (items[i]);

      /* a name of the server's, shown in a list: one line, bounded */
      if (name != NULL && *name != '\0' && strlen (name) <= 256 && g_utf8_validate (name, -1, NULL) &&
          strpbrk (name, "\n\r\t") == NULL)
        g_ptr_array_add (sorted, items[i]);
    }
  g_ptr_array_sort (sorted, by_workers);

  g_hash_table_remove_all (self->model_info);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *name = horde_active_model_get_name (sorted->pdata[i]);

      if (g_hash_table_contains (self->model_info, name))
        continue;
      g_hash_table_insert (self->model_info, g_strdup (name), horde_active_model_ref (sorted->pdata[i]));
      if (g_strcmp0 (name, previous) == 0)
        position = names->len;
      g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->model_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model_names)),
                          (const char * const *) names->pdata);
  if (names->len > 1)
    adw_combo_row_set_selected (self->model_row, position);
  model_selected (self);

  return names->len - 1;
}

/**
 * horde_studio_text_params_dup_softprompt:
 * @self: the parameters
 *
 * Returns: (transfer full) (nullable): the soft prompt, trimmed; %NULL for
 *   none
 */
char *
horde_studio_text_params_dup_softprompt (HordeStudioTextParams *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PARAMS (self), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->softprompt_row))));
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/**
 * horde_studio_text_params_build:
 * @self: the parameters
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the request's parameters
 */
HordeModelGenerationInputKobold *
horde_studio_text_params_build (HordeStudioTextParams  *self,
                                GError                **error)
{
  g_autoptr(HordeModelGenerationInputKoboldBuilder) builder = horde_model_generation_input_kobold_builder_new ();
  gint64 max_length, max_context;

  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PARAMS (self), NULL);

  max_length = gtk_spin_button_get_value_as_int (self->max_length_spin);
  /* the generated text is part of the context (the server refuses a
   * max_length above max_context_length) */
  max_context = MAX (gtk_spin_button_get_value_as_int (self->max_context_spin), max_length);
  horde_model_generation_input_kobold_builder_set_max_length (builder, max_length);
  horde_model_generation_input_kobold_builder_set_max_context_length (builder, max_context);
  horde_model_generation_input_kobold_builder_set_n (builder, gtk_spin_button_get_value_as_int (self->n_spin));
  if (adw_expander_row_get_enable_expansion (self->sampling_row))
    {
      horde_model_generation_input_kobold_builder_set_temperature (builder, gtk_spin_button_get_value (self->temperature_spin));
      horde_model_generation_input_kobold_builder_set_top_p (builder, gtk_spin_button_get_value (self->top_p_spin));
      horde_model_generation_input_kobold_builder_set_top_k (builder, gtk_spin_button_get_value_as_int (self->top_k_spin));
      horde_model_generation_input_kobold_builder_set_rep_pen (builder, gtk_spin_button_get_value (self->rep_pen_spin));
    }
  return horde_model_generation_input_kobold_builder_end (builder, error);
}

/**
 * horde_studio_text_params_load:
 * @self: the parameters
 * @entry: a past generation
 *
 * Sets the parameters a past generation was made with; its model is
 * chosen if it is listed.
 */
void
horde_studio_text_params_load (HordeStudioTextParams             *self,
                               const HordeStudioTextHistoryEntry *entry)
{
  g_return_if_fail (HORDE_STUDIO_IS_TEXT_PARAMS (self));
  g_return_if_fail (entry != NULL);

  for (guint position = 0; position < g_list_model_get_n_items (G_LIST_MODEL (self->model_names)); position++)
    if (g_strcmp0 (gtk_string_list_get_string (self->model_names, position), entry->model) == 0)
      {
        adw_combo_row_set_selected (self->model_row, position);
        break;
      }
  gtk_editable_set_text (GTK_EDITABLE (self->softprompt_row), entry->softprompt);
  gtk_spin_button_set_value (self->max_length_spin, entry->max_length);
  gtk_spin_button_set_value (self->max_context_spin, entry->max_context_length);
  adw_expander_row_set_enable_expansion (self->sampling_row, entry->temperature >= 0);
  if (entry->temperature >= 0)
    gtk_spin_button_set_value (self->temperature_spin, entry->temperature);
  if (entry->top_p >= 0)
    gtk_spin_button_set_value (self->top_p_spin, entry->top_p);
  if (entry->top_k >= 0)
    gtk_spin_button_set_value (self->top_k_spin, entry->top_k);
  if (entry->rep_pen >= 0)
    gtk_spin_button_set_value (self->rep_pen_spin, entry->rep_pen);
}

static void
list_item_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_widget_add_css_class (summary, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_list_item_set_child (item, box);
}

static void
list_item_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                HordeStudioTextParams    *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autofree char *summary = model_summary (self, name);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), summary);
}

static void
horde_studio_text_params_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HORDE_STUDIO_TYPE_TEXT_PARAMS);

  G_OBJECT_CLASS (horde_studio_text_params_parent_class)->dispose (object);
}

static void
horde_studio_text_params_finalize (GObject *object)
{
  HordeStudioTextParams *self = (HordeStudioTextParams *)object;

  g_clear_object (&self->model_names);
  g_clear_pointer (&self->model_info, g_hash_table_unref);

  G_OBJECT_CLASS (horde_studio_text_params_parent_class)->finalize (object);
}

static void
horde_studio_text_params_class_init (HordeStudioTextParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_text_params_dispose;
  object_class->finalize = horde_studio_text_params_finalize;

  /**
   * HordeStudioTextParams::changed:
   * @self: the parameters
   *
   * Emitted when the model or any parameter changed.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-text-params.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioTextParams, name)
  CHILD (model_row);
  CHILD (softprompt_row);
  CHILD (max_length_spin);
  CHILD (max_context_spin);
  CHILD (n_spin);
  CHILD (sampling_row);
  CHILD (temperature_spin);
  CHILD (top_p_spin);
  CHILD (top_k_spin);
  CHILD (rep_pen_spin);
#undef CHILD
}

static void
horde_studio_text_params_init (HordeStudioTextParams *self)
{
  GtkListItemFactory *factory;
  GtkSpinButton *spins[7];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model_info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) horde_active_model_unref);
  self->model_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (self->model_names));
  adw_combo_row_set_expression (self->model_row,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (list_item_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (list_item_bind), self);
  adw_combo_row_set_list_factory (self->model_row, factory);
  g_object_unref (factory);
  g_signal_connect_object (self->model_row, "notify::selected", G_CALLBACK (model_selected), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->softprompt_row, "changed", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sampling_row, "notify::enable-expansion", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);
  spins[0] = self->max_length_spin;
  spins[1] = self->max_context_spin;
  spins[2] = self->n_spin;
  spins[3] = self->temperature_spin;
  spins[4] = self->top_p_spin;
  spins[5] = self->top_k_spin;
  spins[6] = self->rep_pen_spin;
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_object (spins[i], "value-changed", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);
}

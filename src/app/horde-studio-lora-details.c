/* horde-studio-lora-details.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-civitai.h"
#include "horde-studio-lora-details.h"
#include "horde-studio-util.h"

/* HordeStudioLoraDetails: what CivitAI says of the LoRA of one row, under
 * its name: "Detail Tweaker · SD 1.5", a warning when it was made for
 * another family than the chosen model's, its trigger words as buttons
 * that put them in the prompt, and a word when CivitAI does not know it
 * (the workers would fail to fetch it; the request is not held back).
 *
 * CivitAI is asked only once the user stopped typing a name for a while,
 * and not at all when lookups are turned off in Preferences. */

#define LOOKUP_DELAY_MS 600

typedef enum {
  STATE_NONE,
  STATE_LOOKING,
  STATE_FOUND,
  STATE_NOT_FOUND,
  STATE_FAILED,
} State;

struct _HordeStudioLoraDetails
{
  GtkBox parent_instance;

  GtkLabel *summary;
  GtkBox *warning_box;
  GtkLabel *warning_label;
  GtkFlowBox *triggers;

  char *name;
  gboolean is_version;
  State state;
  HordeStudioLoraInfo *info;
  gboolean model_known;
  HordeStudioBaseline model_baseline;
  char *warning;

  guint timeout_id;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (HordeStudioLoraDetails, horde_studio_lora_details, GTK_TYPE_BOX)

enum {
  INSERT_TEXT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
trigger_clicked (GtkButton              *button,
                 HordeStudioLoraDetails *self)
{
  const char *word = g_object_get_data (G_OBJECT (button), "word");

  g_signal_emit (self, signals [INSERT_TEXT], 0, word);
}

static void
show_warning (HordeStudioLoraDetails *self)
{
  HordeStudioBaseline lora_baseline;

  g_clear_pointer (&self->warning, g_free);
  if (self->state == STATE_FOUND && self->model_known &&
      horde_studio_lora_info_get_baseline (self->info, &lora_baseline) &&
      lora_baseline != self->model_baseline)
    {
      /* TRANSLATORS: the family a LoRA was made for, in CivitAI's words
       * ("SD 1.5"), and the chosen model's family ("SDXL") */
      self->warning = g_strdup_printf (_("Made for %s: it does not work with %s models"),
                                       horde_studio_lora_info_get_base_model (self->info),
                                       horde_studio_baseline_get_name (self->model_baseline));
    }
  else if (self->state == STATE_NOT_FOUND)
    self->warning = g_strdup (_("CivitAI does not know this LoRA: workers cannot fetch it"));

  gtk_label_set_text (self->warning_label, self->warning ? self->warning : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->warning_box), self->warning);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_box), self->warning != NULL);
}

static void
show (HordeStudioLoraDetails *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  const char * const *words = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->triggers))))
    gtk_flow_box_remove (self->triggers, child);

  switch (self->state)
    {
    case STATE_NONE:
    case STATE_NOT_FOUND:
      break;
    case STATE_LOOKING:
      g_string_append (summary, _("Looking it up on CivitAI…"));
      break;
    case STATE_FAILED:
      g_string_append (summary, _("CivitAI could not be asked about this LoRA"));
      break;
    case STATE_FOUND:
      {
        const char *model = horde_studio_lora_info_get_model_name (self->info);
        const char *version = horde_studio_lora_info_get_version_name (self->info);
        const char *base = horde_studio_lora_info_get_base_model (self->info);

        g_string_append (summary, model ? model : version ? version : _("Unnamed LoRA"));
        if (base != NULL)
          g_string_append_printf (summary, " · %s", base);
        if (horde_studio_lora_info_get_nsfw (self->info))
          /* TRANSLATORS: CivitAI marks the LoRA as not safe for work */
          g_string_append_printf (summary, " · %s", _("NSFW"));
        words = horde_studio_lora_info_get_trained_words (self->info);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (self->summary, summary->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary),
                               self->state == STATE_FOUND && horde_studio_lora_info_get_version_name (self->info)
                               ? horde_studio_lora_info_get_version_name (self->info) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->summary), summary->len > 0);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      GtkWidget *button = horde_studio_trigger_word_new (words[i]);

      gtk_widget_set_name (button, "lora-trigger");
      g_signal_connect (button, "clicked", G_CALLBACK (trigger_clicked), self);
      gtk_flow_box_append (self->triggers, button);
      /* one Tab stop a word: the button's, not its place's too */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->triggers), words != NULL && words[0] != NULL);

  show_warning (self);
  gtk_widget_set_visible (GTK_WIDGET (self), self->state != STATE_NONE);
}

static void
looked_up (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeStudioLoraDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioLoraInfo) info = horde_studio_civitai_lookup_finish (HORDE_STUDIO_CIVITAI (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->info);
  if (info != NULL)
    {
      self->info = g_steal_pointer (&info);
      self->state = STATE_FOUND;
    }
  else if (g_error_matches (error, HORDE_STUDIO_CIVITAI_ERROR, HORDE_STUDIO_CIVITAI_ERROR_NOT_FOUND))
    self->state = STATE_NOT_FOUND;
  else
    {
      g_debug ("LoRA look-up failed: %s", error->message);
      self->state = STATE_FAILED;
    }
  show (self);
}

static gboolean
look_up (gpointer data)
{
  HordeStudioLoraDetails *self = data;
  HordeStudioCivitai *civitai = horde_studio_civitai_get_default ();

  self->timeout_id = 0;
  if (civitai == NULL)
    {
      /* turned off: nothing is asked */
      self->state = STATE_NONE;
      show (self);
      return G_SOURCE_REMOVE;
    }

  self->state = STATE_LOOKING;
  show (self);
  self->cancellable = g_cancellable_new ();
  horde_studio_civitai_lookup_async (civitai, self->name, self->is_version, self->cancellable, looked_up,
                                     g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
stop (HordeStudioLoraDetails *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/**
 * horde_studio_lora_details_set_name:
 * @self: a #HordeStudioLoraDetails
 * @name: (nullable): the LoRA's name or CivitAI id as the user wrote it
 * @is_version: whether @name is a CivitAI model version id
 *
 * Shows what CivitAI says of @name, once the user stopped typing for a
 * while (nothing for an empty name).
 */
void
horde_studio_lora_details_set_name (HordeStudioLoraDetails *self,
                                    const char             *name,
                                    gboolean                is_version)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_LORA_DETAILS (self));

  trimmed = g_strstrip (g_strdup (name ? name : ""));
  if (g_strcmp0 (trimmed, self->name) == 0 && !is_version == !self->is_version)
    return;
  g_free (self->name);
  self->name = g_steal_pointer (&trimmed);
  self->is_version = is_version;
  horde_studio_lora_details_refresh (self);
}

/**
 * horde_studio_lora_details_refresh:
 * @self: a #HordeStudioLoraDetails
 *
 * Looks the LoRA up again, after a while, as if its name had just been
 * written: when the look-ups were turned on or off.
 */
void
horde_studio_lora_details_refresh (HordeStudioLoraDetails *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_LORA_DETAILS (self));

  stop (self);
  g_clear_object (&self->info);
  self->state = STATE_NONE;
  show (self);
  if (*self->name != '\0')
    self->timeout_id = g_timeout_add (LOOKUP_DELAY_MS, look_up, self);
}

/**
 * horde_studio_lora_details_set_model_baseline:
 * @self: a #HordeStudioLoraDetails
 * @known: whether a model is chosen (for any model: no warning)
 * @baseline: the chosen model's family
 *
 * Warns when the LoRA was made for another family.
 */
void
horde_studio_lora_details_set_model_baseline (HordeStudioLoraDetails *self,
                                              gboolean                known,
                                              HordeStudioBaseline     baseline)
{
  g_return_if_fail (HORDE_STUDIO_IS_LORA_DETAILS (self));

  self->model_known = known;
  self->model_baseline = baseline;
  show_warning (self);
}

/**
 * horde_studio_lora_details_get_warning:
 * @self: a #HordeStudioLoraDetails
 *
 * Returns: (nullable): what the row warns of: a LoRA made for another
 *   family than the model's, or one CivitAI does not know
 */
const char *
horde_studio_lora_details_get_warning (HordeStudioLoraDetails *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_LORA_DETAILS (self), NULL);
  return self->warning;
}

static void
horde_studio_lora_details_dispose (GObject *object)
{
  HordeStudioLoraDetails *self = HORDE_STUDIO_LORA_DETAILS (object);

  stop (self);
  G_OBJECT_CLASS (horde_studio_lora_details_parent_class)->dispose (object);
}

static void
horde_studio_lora_details_finalize (GObject *object)
{
  HordeStudioLoraDetails *self = HORDE_STUDIO_LORA_DETAILS (object);

  g_free (self->name);
  g_free (self->warning);
  g_clear_object (&self->info);
  G_OBJECT_CLASS (horde_studio_lora_details_parent_class)->finalize (object);
}

static void
horde_studio_lora_details_class_init (HordeStudioLoraDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = horde_studio_lora_details_dispose;
  object_class->finalize = horde_studio_lora_details_finalize;

  /**
   * HordeStudioLoraDetails::insert-text:
   * @self: the details
   * @text: a trigger word of the LoRA
   *
   * Emitted when the user asks for a trigger word in the prompt.
   */
  signals [INSERT_TEXT] = g_signal_new ("insert-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
horde_studio_lora_details_init (HordeStudioLoraDetails *self)
{
  GtkWidget *icon;

  self->name = g_strdup ("");
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 8);

  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->summary), "lora-summary");
  gtk_label_set_xalign (self->summary, 0);
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_label_set_wrap_mode (self->summary, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "dim-label");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->summary));

  self->warning_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  gtk_widget_set_name (GTK_WIDGET (self->warning_box), "lora-warning");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  self->warning_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->warning_label, 0);
  gtk_label_set_wrap (self->warning_label, TRUE);
  gtk_label_set_wrap_mode (self->warning_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (GTK_WIDGET (self->warning_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->warning_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->warning_box), "warning");
  gtk_box_append (self->warning_box, icon);
  gtk_box_append (self->warning_box, GTK_WIDGET (self->warning_label));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->warning_box));

  self->triggers = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->triggers), "lora-triggers");
  gtk_flow_box_set_selection_mode (self->triggers, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->triggers, FALSE);
  gtk_flow_box_set_max_children_per_line (self->triggers, 12);
  gtk_flow_box_set_column_spacing (self->triggers, 4);
  gtk_flow_box_set_row_spacing (self->triggers, 4);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->triggers));

  show (self);
}

/**
 * horde_studio_lora_details_new:
 *
 * Returns: (transfer floating): a new #HordeStudioLoraDetails, hidden until
 *   it has something to say
 */
GtkWidget *
horde_studio_lora_details_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_LORA_DETAILS, NULL);
}

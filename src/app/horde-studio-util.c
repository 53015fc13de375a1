/* horde-studio-util.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "horde-studio-util.h"

/* For the widgets whose template is one box in a bin layout: clears the
 * template's children, then unparents that box, which no field points to. */
void
horde_studio_dispose_template (GtkWidget *widget,
                               GType      widget_type)
{
  GtkWidget *child;

  gtk_widget_dispose_template (widget, widget_type);
  while ((child = gtk_widget_get_first_child (widget)))
    gtk_widget_unparent (child);
}

/**
 * horde_studio_template_widget_dispose:
 * @object: a widget of a final type built from a template
 *
 * A dispose for the final widget types that have nothing of their own to
 * drop: clears the template's children, then chains up. The template's
 * top children are the parent class's to drop (an #AdwPreferencesGroup or
 * a #GtkBox drops its own children).
 */
void
horde_studio_template_widget_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), G_OBJECT_TYPE (object));

  /* the type is final: its parent class is the one to chain up to */
  G_OBJECT_CLASS (g_type_class_peek_parent (G_OBJECT_GET_CLASS (object)))->dispose (object);
}

/**
 * horde_studio_changed_signal_new:
 * @klass: the class that gets the signal
 *
 * Creates a "changed" signal without arguments, run last, the one the
 * compose pane's parts emit when the user changed something in them.
 *
 * Returns: the signal's id
 */
guint
horde_studio_changed_signal_new (gpointer klass)
{
  return g_signal_new ("changed",
                       G_TYPE_FROM_CLASS (klass),
                       G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL,
                       G_TYPE_NONE, 0);
}

/* A toast that shows @text as it is: a toast's title is markup, and user
 * names, paths and server words are not */
AdwToast *
horde_studio_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}

/* the most characters of the prompt a file name takes */
#define EXPORT_NAME_CHARS 40

/**
 * horde_studio_export_name:
 * @prompt: (nullable): the prompt of the image
 *
 * The file name suggested for an exported image: the start of the prompt
 * (before any negative prompt), its words joined by single dashes, such as
 * `a-red-fox-in-the-snow-watercolor.png`; `image.png` when the prompt
 * gives no word.
 *
 * Returns: (transfer full): the file name
 */
char *
horde_studio_export_name (const char *prompt)
{
  g_autoptr(GString) base = g_string_new (NULL);
  const char *end;
  glong n_chars = 0;
  gboolean dash = FALSE;

  if (prompt == NULL || !g_utf8_validate (prompt, -1, NULL))
    return g_strdup ("image.png");

  /* the Horde's convention: what follows ### is the negative prompt */
  end = strstr (prompt, "###");
  if (end == NULL)
    end = prompt + strlen (prompt);

  for (const char *p = prompt; p < end && n_chars < EXPORT_NAME_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          /* a run of spaces and punctuation is one dash, none at the start */
          dash = base->len > 0;
          continue;
        }
      if (dash)
        {
          g_string_append_c (base, '-');
          n_chars++;
          dash = FALSE;
        }
      g_string_append_unichar (base, c);
      n_chars++;
    }

  if (base->len == 0)
    return g_strdup ("image.png");
  return g_strdup_printf ("%s.png", base->str);
}

/**
 * horde_studio_export_folder:
 *
 * Where an export starts: the user's Pictures folder, or the home folder
 * when there is none.
 *
 * Returns: (transfer full): the folder
 */
GFile *
horde_studio_export_folder (void)
{
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);

  if (pictures != NULL && g_file_test (pictures, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (pictures);
  return g_file_new_for_path (g_get_home_dir ());
}

/* the samplers the API knows (ModelGenerationInputStable.sampler_name);
 * the Horde may add more */
static const char * const samplers[] = {
  "k_euler_a", "k_euler", "k_dpmpp_2m", "k_dpmpp_sde", "k_dpmpp_2s_a", "k_dpm_2", "k_dpm_2_a",
  "k_dpm_fast", "k_dpm_adaptive", "k_heun", "k_lms", "DDIM", "dpmsolver", "lcm", NULL,
};

/**
 * horde_studio_get_samplers:
 *
 * The samplers the compose pane and the comparison grid offer.
 *
 * Returns: (transfer none) (array zero-terminated=1): the samplers' names
 */
const char * const *
horde_studio_get_samplers (void)
{
  return samplers;
}

/**
 * horde_studio_combo_select:
 * @row: a combo row that lists @values, in their order
 * @values: (array zero-terminated=1): the values of its choices
 * @value: the value to choose
 *
 * Chooses @value in @row; a value it does not list leaves it as it is.
 */
void
horde_studio_combo_select (AdwComboRow        *row,
                           const char * const *values,
                           const char         *value)
{
  for (guint i = 0; values[i]; i++)
    if (g_str_equal (values[i], value))
      adw_combo_row_set_selected (row, i);
}

/**
 * horde_studio_trigger_word_new:
 * @word: a trigger word (already made safe to show)
 *
 * A trigger word as a small pill (the `trigger-word` style) that offers to
 * put it in the prompt: the LoRAs' and the models' alike. The word is the
 * button's "word" data, for its "clicked" handler.
 *
 * Returns: (transfer floating): the button
 */
GtkWidget *
horde_studio_trigger_word_new (const char *word)
{
  GtkWidget *button = gtk_button_new_with_label (word);
  GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));
  g_autofree char *tooltip = g_strdup_printf (_("Add “%s” to the prompt"), word);

  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (label, 24);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "trigger-word");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_object_set_data_full (G_OBJECT (button), "word", g_strdup (word), g_free);
  return button;
}

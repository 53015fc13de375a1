/* horde-studio-history-popover.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-history-popover.h"
#include "horde-studio-prompt-history.h"

/* the most prompts the list shows at once: a search finds the others */
#define MAX_ROWS 200

/* HordeStudioHistoryPopover: the prompts sent before, newest first, with a
 * search; choosing one emits "chosen" and closes. The list is made when
 * the popover opens, from the user's history. */
struct _HordeStudioHistoryPopover
{
  GtkPopover parent_instance;

  GtkSearchEntry *search_entry;
  GtkListBox *list;
  GtkLabel *empty_label;
  HordeStudioPromptHistory *history;
};

G_DEFINE_FINAL_TYPE (HordeStudioHistoryPopover, horde_studio_history_popover, GTK_TYPE_POPOVER)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * horde_studio_history_popover_new:
 *
 * Returns: (transfer floating): a popover of the user's prompt history
 */
GtkWidget *
horde_studio_history_popover_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_HISTORY_POPOVER, NULL);
}

static GtkWidget *
entry_row (const HordeStudioPromptHistoryEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *prompt = gtk_label_new (entry->prompt);

  gtk_label_set_xalign (GTK_LABEL (prompt), 0);
  gtk_label_set_wrap (GTK_LABEL (prompt), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (prompt), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (prompt), 2);
  gtk_label_set_ellipsize (GTK_LABEL (prompt), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (prompt), 40);
  gtk_box_append (GTK_BOX (box), prompt);
  if (*entry->negative != '\0')
    {
      /* TRANSLATORS: the negative prompt under a prompt in the history */
      g_autofree char *text = g_strdup_printf (_("Not: %s"), entry->negative);
      GtkWidget *negative = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (negative), 0);
      gtk_label_set_ellipsize (GTK_LABEL (negative), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (negative), 40);
      gtk_widget_add_css_class (negative, "dim-label");
      gtk_widget_add_css_class (negative, "caption");
      gtk_box_append (GTK_BOX (box), negative);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, entry->prompt);
  g_object_set_data_full (G_OBJECT (row), "prompt", g_strdup (entry->prompt), g_free);
  g_object_set_data_full (G_OBJECT (row), "negative", g_strdup (entry->negative), g_free);
  return row;
}

static void
refill (HordeStudioHistoryPopover *self)
{
  g_autoptr(GPtrArray) found = NULL;
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, row);

  found = horde_studio_prompt_history_search (self->history, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  for (guint i = 0; i < found->len && i < MAX_ROWS; i++)
    gtk_list_box_append (self->list, entry_row (found->pdata[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->list), found->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), found->len == 0);
  gtk_label_set_text (self->empty_label,
                      horde_studio_prompt_history_get_n_entries (self->history) == 0
                      ? _("The prompts you send appear here.")
                      : _("No prompt sent matches."));
}

static void
row_activated (HordeStudioHistoryPopover *self,
               GtkListBoxRow             *row)
{
  g_autofree char *prompt = g_strdup (g_object_get_data (G_OBJECT (row), "prompt"));
  g_autofree char *negative = g_strdup (g_object_get_data (G_OBJECT (row), "negative"));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals [CHOSEN], 0, prompt, negative);
}

static void
popover_show (GtkWidget *widget)
{
  HordeStudioHistoryPopover *self = HORDE_STUDIO_HISTORY_POPOVER (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refill (self);
  GTK_WIDGET_CLASS (horde_studio_history_popover_parent_class)->show (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Enter in the search takes the newest prompt that matches */
static void
search_activated (HordeStudioHistoryPopover *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list, 0);

  if (first != NULL)
    row_activated (self, first);
}

static void
stop_search (HordeStudioHistoryPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
horde_studio_history_popover_dispose (GObject *object)
{
  HordeStudioHistoryPopover *self = (HordeStudioHistoryPopover *)object;

  g_clear_object (&self->history);

  G_OBJECT_CLASS (horde_studio_history_popover_parent_class)->dispose (object);
}

static void
horde_studio_history_popover_class_init (HordeStudioHistoryPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_history_popover_dispose;
  widget_class->show = popover_show;

  /**
   * HordeStudioHistoryPopover::chosen:
   * @self: the popover
   * @prompt: the prompt chosen
   * @negative: its negative prompt, "" for none
   *
   * Emitted when the user chooses a prompt of the history.
   */
  signals [CHOSEN] =
    g_signal_new ("chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
horde_studio_history_popover_init (HordeStudioHistoryPopover *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->history = horde_studio_prompt_history_get_default ();

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search_entry, "placeholder-text", _("Search prompts"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search prompts"), -1);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  self->empty_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->empty_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_label), "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->empty_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->empty_label), 12);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_widget_set_size_request (box, 300, -1);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_entry));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->empty_label));
  gtk_popover_set_child (GTK_POPOVER (self), box);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (refill), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (stop_search), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activated), self);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated), self);
  g_signal_connect_object (self->history, "changed", G_CALLBACK (refill), self, G_CONNECT_SWAPPED);
  refill (self);
}

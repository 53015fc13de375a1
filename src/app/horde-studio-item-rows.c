/* horde-studio-item-rows.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "horde-studio-item-rows.h"

/* The rows of the LoRA and textual inversion lists: each one item of a
 * request, a name (or a CivitAI id) and a strength, with a remove button.
 * A row just added is empty on its way to being filled: it becomes the
 * user's, and a mistake can be shown on it, once they type in it or leave
 * it ("touched"). */

typedef struct {
  HordeStudioItemRowsFunc removed;
  gpointer owner;
} RemoveData;

static void
touch (GtkWidget *row)
{
  g_object_set_data (G_OBJECT (row), "touched", GINT_TO_POINTER (TRUE));
}

static void
remove_data_free (gpointer  data,
                  GClosure *closure)
{
  g_free (data);
}

static void
remove_clicked (GtkButton  *button,
                RemoveData *data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (row)), row);
  data->removed (data->owner);
}

/**
 * horde_studio_item_row_new:
 * @name: (nullable): the item's name or CivitAI id, or %NULL for an empty
 *   row the user fills
 * @strength: how strongly to apply it
 * @extra: (nullable) (transfer floating): a widget put between the name
 *   and the strength
 * @remove_tooltip: the remove button's tooltip, "Remove this LoRA"
 * @changed: called with @owner when the user edits or leaves the name, or
 *   changes the strength
 * @removed: called with @owner once the remove button took the row out of
 *   its list
 * @owner: the group that keeps the list
 *
 * Builds a row for one item; the caller appends it to its list.
 *
 * Returns: (transfer floating): the #GtkListBoxRow
 */
GtkWidget *
horde_studio_item_row_new (const char              *name,
                           double                   strength,
                           GtkWidget               *extra,
                           const char              *remove_tooltip,
                           HordeStudioItemRowsFunc  changed,
                           HordeStudioItemRowsFunc  removed,
                           gpointer                 owner)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *spin;
  GtkWidget *remove;
  RemoveData *remove_data;

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  entry = gtk_entry_new ();
  spin = gtk_spin_button_new_with_range (-5, 5, 0.1);
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name or CivitAI id"));
  gtk_editable_set_text (GTK_EDITABLE (entry), name ? name : "");
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), strength);
  gtk_widget_set_tooltip_text (spin, _("Strength"));
  gtk_widget_set_tooltip_text (remove, remove_tooltip);
  gtk_widget_add_css_class (remove, "flat");

  gtk_box_append (GTK_BOX (box), entry);
  if (extra != NULL)
    gtk_box_append (GTK_BOX (box), extra);
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "name", entry);
  g_object_set_data (G_OBJECT (row), "strength", spin);

  /* a row the app fills (settings used again) is the user's; an empty
   * one becomes theirs once they type in it or leave it */
  g_object_set_data (G_OBJECT (row), "touched", GINT_TO_POINTER (name != NULL && *name != '\0'));
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_swapped (focus, "leave", G_CALLBACK (touch), row);
    g_signal_connect_swapped (focus, "leave", G_CALLBACK (changed), owner);
    gtk_widget_add_controller (entry, focus);
  }
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (touch), row);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (changed), owner);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (changed), owner);

  remove_data = g_new0 (RemoveData, 1);
  remove_data->removed = removed;
  remove_data->owner = owner;
  g_signal_connect_data (remove, "clicked", G_CALLBACK (remove_clicked), remove_data, remove_data_free, 0);

  return row;
}

/**
 * horde_studio_item_row_get_name:
 * @row: a child of an item list
 *
 * Returns: (nullable): the name written in @row, or %NULL if @row is no
 *   item row
 */
const char *
horde_studio_item_row_get_name (GtkWidget *row)
{
  GtkEditable *name = g_object_get_data (G_OBJECT (row), "name");

  return name != NULL ? gtk_editable_get_text (name) : NULL;
}

/**
 * horde_studio_item_row_get_strength:
 * @row: an item row
 *
 * Returns: the strength set in @row
 */
double
horde_studio_item_row_get_strength (GtkWidget *row)
{
  return gtk_spin_button_get_value (g_object_get_data (G_OBJECT (row), "strength"));
}

/**
 * horde_studio_item_rows_count:
 * @list: an item list
 *
 * Returns: how many rows @list has
 */
guint
horde_studio_item_rows_count (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

/**
 * horde_studio_item_rows_clear:
 * @list: an item list
 *
 * Removes every row of @list.
 */
void
horde_studio_item_rows_clear (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, row);
}

/* Finds the row a problem of the request names, "params.loras[1].name"
 * with @prefix "params.loras": its number from 1 in @number and what of it
 * is wrong (the rest of @path after the row's index, ".name", or "" for the
 * whole row) in @field. Says in @touched whether the user has been at the
 * row (a row just added is empty on its way to being filled, not wrong),
 * %TRUE for a problem of the whole list; returns %FALSE for such one. */
static gboolean
problem_place (GtkListBox  *list,
               const char  *path,
               const char  *prefix,
               guint       *number,
               const char **field,
               gboolean    *touched)
{
  const char *p;
  char *end = NULL;
  guint64 index;
  GtkListBoxRow *row;

  *touched = TRUE;
  p = path + strlen (prefix);
  if (*p != '[')
    return FALSE;
  p++;
  index = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ']')
    return FALSE;

  row = gtk_list_box_get_row_at_index (list, (int) MIN (index, G_MAXINT));
  if (row != NULL && !GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "touched")))
    *touched = FALSE;

  *number = (guint) (index + 1);
  *field = end + 1;
  return TRUE;
}

/**
 * horde_studio_item_rows_describe_problem:
 * @list: an item list
 * @problems: where the list's items are in the request and how its
 *   problems are said
 * @path: the problem's place in the request, "params.loras[1].name"; it
 *   starts with @problems's prefix
 * @problem: what is wrong
 * @touched: (out): whether the user has been at the row (a row just added
 *   is empty on its way to being filled, not wrong)
 *
 * Returns: (transfer full): the problem in words, "LoRA 2 name: must not
 *   be empty"
 */
char *
horde_studio_item_rows_describe_problem (GtkListBox                        *list,
                                         const HordeStudioItemRowsProblems *problems,
                                         const char                        *path,
                                         const char                        *problem,
                                         gboolean                          *touched)
{
  guint number;
  const char *field;

  g_return_val_if_fail (g_str_has_prefix (path, problems->prefix), NULL);

  if (!problem_place (list, path, problems->prefix, &number, &field, touched))
    return g_strdup_printf (_("%s: %s"), _(problems->title), problem);
  if (g_str_equal (field, ".name"))
    return g_strdup_printf (_(problems->name_format), number, problem);
  if (g_str_equal (field, problems->strength_field))
    return g_strdup_printf (_(problems->strength_format), number, problem);
  return g_strdup_printf (_(problems->row_format), number, problem);
}

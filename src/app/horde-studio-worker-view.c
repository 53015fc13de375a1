/* horde-studio-worker-view.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "horde-studio-messages.h"
#include "horde-studio-worker-lists.h"
#include "horde-studio-worker-row.h"
#include "horde-studio-worker-view.h"

/* One worker's details, as the Workers page shows them when a worker is
 * picked: its name and line, "Always Use" and "Never Use" (image workers:
 * the lists compose sends with image requests), then its state, what it
 * can do, its work and its models. In a column that fits 360 px; every
 * word of the server in it is bounded and plain text. */
struct _HordeStudioWorkerView
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkLabel *name_label;
  GtkLabel *summary_label;
  GtkWidget *lists_box;
  GtkButton *allow_button;
  GtkButton *block_button;
  GtkLabel *lists_label;
  GtkBox *groups;

  GSettings *settings;
  HordeWorkerDetails *worker;
};

G_DEFINE_FINAL_TYPE (HordeStudioWorkerView, horde_studio_worker_view, GTK_TYPE_WIDGET)

/* The most model rows shown: a worker may offer hundreds */
#define MAX_MODEL_ROWS 300

/**
 * horde_studio_worker_view_new:
 *
 * Returns: (transfer floating): a view showing no worker yet
 */
GtkWidget *
horde_studio_worker_view_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_WORKER_VIEW, NULL);
}

static GtkWidget *
info_row (AdwPreferencesGroup *group,
          const char          *title,
          const char          *value,
          const char          *name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value ? value : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, name);
  adw_preferences_group_add (group, row);
  return row;
}

static void
yes_no_row (AdwPreferencesGroup *group,
            const char          *title,
            gboolean             value,
            const char          *name)
{
  info_row (group, title, value ? _("Yes") : _("No"), name);
}

static AdwPreferencesGroup *
add_group (HordeStudioWorkerView *self,
           const char            *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static char *
format_count (double value)
{
  if (!isfinite (value) || value < 0)
    value = 0;
  return g_strdup_printf ("%'.0f", MIN (value, 1e15));
}

static void
add_models (HordeStudioWorkerView *self,
            const char * const    *models,
            gboolean               forms)
{
  AdwPreferencesGroup *group = add_group (self, forms ? _("Forms") : _("Models"));
  GtkWidget *expander = adw_expander_row_new ();
  guint n = models ? g_strv_length ((char **) models) : 0;
  g_autofree char *title = g_strdup_printf (forms ? g_dngettext (GETTEXT_PACKAGE, "%u form", "%u forms", n)
                                                  : g_dngettext (GETTEXT_PACKAGE, "%u model", "%u models", n), n);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  gtk_widget_set_name (expander, "worker-models");
  adw_preferences_group_add (group, expander);
  for (guint i = 0; i < n && i < MAX_MODEL_ROWS; i++)
    {
      g_autofree char *model = horde_studio_server_text (models[i]);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), model ? model : "?");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  if (n > MAX_MODEL_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                            n - MAX_MODEL_ROWS), n - MAX_MODEL_ROWS);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
}

/* The lists' buttons say what pressing them does now */
static void
update_lists (HordeStudioWorkerView *self)
{
  const char *id;
  gboolean image;

  image = self->worker != NULL && horde_worker_details_get_kind_enum (self->worker) == HORDE_WORKER_TYPE_IMAGE;
  gtk_widget_set_visible (self->lists_box, image && self->settings != NULL);
  if (!image || self->settings == NULL)
    return;
  id = horde_worker_details_get_id (self->worker);
  gtk_button_set_label (self->allow_button,
                        horde_studio_worker_lists_contains (self->settings, HORDE_STUDIO_WORKER_ALLOW_KEY, id)
                        ? _("Stop Always Using") : _("_Always Use"));
  gtk_button_set_label (self->block_button,
                        horde_studio_worker_lists_contains (self->settings, HORDE_STUDIO_WORKER_BLOCK_KEY, id)
                        ? _("Stop Never Using") : _("_Never Use"));
}

static void
say (HordeStudioWorkerView *self,
     const char            *text)
{
  gtk_label_set_text (self->lists_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->lists_label), *text != '\0');
}

static void
toggle_on_list (HordeStudioWorkerView *self,
                const char            *key)
{
  const char *id;
  g_autofree char *name = NULL;

  if (self->worker == NULL || self->settings == NULL)
    return;
  id = horde_worker_details_get_id (self->worker);
  if (id == NULL || *id == '\0')
    return;
  say (self, "");
  if (horde_studio_worker_lists_contains (self->settings, key, id))
    {
      horde_studio_worker_lists_remove (self->settings, key, id);
      return;
    }
  name = horde_studio_worker_describe_name (self->worker);
  if (!horde_studio_worker_lists_add (self->settings, key, id, name))
    say (self, g_str_equal (key, HORDE_STUDIO_WORKER_ALLOW_KEY)
                        ? _("Image requests can name at most five workers: remove one from “Always Use” first.")
                     : _("Image requests can name at most five workers: remove one from “Never Use” first."));
}

static void
allow_clicked (HordeStudioWorkerView *self)
{
  toggle_on_list (self, HORDE_STUDIO_WORKER_ALLOW_KEY);
}

static void
block_clicked (HordeStudioWorkerView *self)
{
  toggle_on_list (self, HORDE_STUDIO_WORKER_BLOCK_KEY);
}

/**
 * horde_studio_worker_view_set_settings:
 * @self: a view
 * @settings: the application's settings, where the lists are kept
 *
 * Lets the view put the worker on the allow or block list.
 */
void
horde_studio_worker_view_set_settings (HordeStudioWorkerView *self,
                                       GSettings             *settings)
{
  g_return_if_fail (HORDE_STUDIO_IS_WORKER_VIEW (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_ALLOW_KEY,
                               G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::" HORDE_STUDIO_WORKER_BLOCK_KEY,
                               G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
    }
  update_lists (self);
}

/**
 * horde_studio_worker_view_set_worker:
 * @self: a view
 * @worker: (nullable): the worker to show
 *
 * Shows @worker's details.
 */
void
horde_studio_worker_view_set_worker (HordeStudioWorkerView *self,
                                     HordeWorkerDetails    *worker)
{
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *child;
  HordeWorkerType kind;

  g_return_if_fail (HORDE_STUDIO_IS_WORKER_VIEW (self));

  if (worker != NULL)
    horde_worker_details_ref (worker);
  g_clear_pointer (&self->worker, horde_worker_details_unref);
  self->worker = worker;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups))))
    gtk_box_remove (self->groups, child);
  say (self, "");
  update_lists (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled)), 0);
  if (worker == NULL)
    return;

  kind = horde_worker_details_get_kind_enum (worker);
  name = horde_studio_worker_describe_name (worker);
  summary = horde_studio_worker_describe_summary (worker);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->summary_label, summary);

  group = add_group (self, _("State"));
  {
    g_autofree char *info = horde_studio_server_text (horde_worker_details_get_info (worker));
    g_autofree char *owner = horde_studio_server_text (horde_worker_details_get_owner (worker));
    HordeTeamDetailsLite *team = horde_worker_details_get_team (worker);
    g_autofree char *team_name = team ? horde_studio_server_text (horde_team_details_lite_get_name (team)) : NULL;
    g_autofree char *agent = horde_studio_server_text (horde_worker_details_get_bridge_agent (worker));
    g_autofree char *uptime = horde_studio_worker_describe_uptime (horde_worker_details_get_uptime (worker));

    if (info != NULL)
      info_row (group, _("Info"), info, "worker-info");
    info_row (group, _("Online"), horde_worker_details_get_online (worker) ? _("Yes") : _("No, not seen for a while"),
              "worker-online");
    yes_no_row (group, _("Trusted"), horde_worker_details_get_trusted (worker), "worker-trusted");
    yes_no_row (group, _("In maintenance"), horde_worker_details_get_maintenance_mode (worker), "worker-maintenance");
    if (horde_worker_details_has_paused (worker))
      yes_no_row (group, _("Paused"), horde_worker_details_get_paused (worker), "worker-paused");
    yes_no_row (group, _("Takes NSFW requests"), horde_worker_details_get_nsfw (worker), "worker-nsfw");
    if (owner != NULL)
      info_row (group, _("Owner"), owner, "worker-owner");
    info_row (group, _("Team"), team_name ? team_name : _("None"), "worker-team");
    info_row (group, _("Bridge"), agent ? agent : _("Unknown"), "worker-bridge");
    info_row (group, _("Uptime"), uptime, "worker-uptime");
  }

  group = add_group (self, _("Capabilities"));
  {
    g_autofree char *threads = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (horde_worker_details_get_threads (worker), 0));

    info_row (group, _("Threads"), threads, "worker-threads");
  }
  if (kind == HORDE_WORKER_TYPE_IMAGE)
    {
      gint64 max_pixels = MAX (horde_worker_details_get_max_pixels (worker), 0);
      int side = (int) floor (sqrt ((double) max_pixels));
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, max_pixels);
      /* TRANSLATORS: a worker's largest image: its pixels ("1048576"), and the square of that size */
      g_autofree char *pixels = g_strdup_printf (_("%s pixels (%d × %d)"), count, side, side);

      info_row (group, _("Largest image"), pixels, "worker-max-pixels");
      yes_no_row (group, _("Image to image"), horde_worker_details_get_img2img (worker), "worker-img2img");
      yes_no_row (group, _("Inpainting"), horde_worker_details_get_painting (worker), "worker-painting");
      yes_no_row (group, _("Post-processing"), horde_worker_details_get_post_processing (worker), "worker-post-processing");
      yes_no_row (group, _("LoRAs"), horde_worker_details_get_lora (worker), "worker-lora");
      yes_no_row (group, _("ControlNet"), horde_worker_details_get_controlnet (worker), "worker-controlnet");
    }
  else if (kind == HORDE_WORKER_TYPE_TEXT)
    {
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (horde_worker_details_get_max_length (worker), 0));
      g_autofree char *context = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  MAX (horde_worker_details_get_max_context_length (worker), 0));

      info_row (group, _("Longest answer, in tokens"), length, "worker-max-length");
      info_row (group, _("Longest context, in tokens"), context, "worker-max-context");
    }

  group = add_group (self, _("Work"));
  {
    HordeWorkerKudosDetails *kudos = horde_worker_details_get_kudos_details (worker);
    g_autofree char *speed = horde_studio_worker_describe_speed (worker);
    g_autofree char *fulfilled = format_count (horde_worker_details_get_requests_fulfilled (worker));
    g_autofree char *rewards = format_count (horde_worker_details_get_kudos_rewards (worker));

    info_row (group, _("Speed"), speed, "worker-speed");
    info_row (group, _("Requests fulfilled"), fulfilled, "worker-fulfilled");
    info_row (group, _("Kudos earned"), rewards, "worker-kudos");
    if (kudos != NULL)
      {
        g_autofree char *generated = format_count (horde_worker_kudos_details_get_generated (kudos));
        g_autofree char *uptime = format_count (horde_worker_kudos_details_get_uptime (kudos));

        info_row (group, _("Kudos for generating"), generated, "worker-kudos-generated");
        info_row (group, _("Kudos for staying up"), uptime, "worker-kudos-uptime");
      }
    if (kind == HORDE_WORKER_TYPE_IMAGE)
      {
        g_autofree char *done = format_count (horde_worker_details_get_megapixelsteps_generated (worker));

        info_row (group, _("Megapixelsteps generated"), done, "worker-generated");
      }
    else if (kind == HORDE_WORKER_TYPE_TEXT)
      {
        g_autofree char *done = format_count (horde_worker_details_get_tokens_generated (worker));

        info_row (group, _("Tokens generated"), done, "worker-generated");
      }
  }

  if (kind == HORDE_WORKER_TYPE_INTERROGATION)
    add_models (self, horde_worker_details_get_forms (worker), TRUE);
  else
    add_models (self, horde_worker_details_get_models (worker), FALSE);
}

/**
 * horde_studio_worker_view_get_worker:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the worker shown
 */
HordeWorkerDetails *
horde_studio_worker_view_get_worker (HordeStudioWorkerView *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WORKER_VIEW (self), NULL);
  return self->worker;
}

static void
horde_studio_worker_view_dispose (GObject *object)
{
  HordeStudioWorkerView *self = HORDE_STUDIO_WORKER_VIEW (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->worker, horde_worker_details_unref);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  G_OBJECT_CLASS (horde_studio_worker_view_parent_class)->dispose (object);
}

static void
horde_studio_worker_view_class_init (HordeStudioWorkerViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = horde_studio_worker_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkLabel *
text_label (const char *style,
            const char *name)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_use_markup (label, FALSE);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (label, 0);
  gtk_label_set_selectable (label, FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
  gtk_widget_set_name (GTK_WIDGET (label), name);
  return label;
}

static void
horde_studio_worker_view_init (HordeStudioWorkerView *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkLabel *explanation;

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  self->name_label = text_label ("title-2", "worker-title");
  self->summary_label = text_label ("dim-label", "worker-line");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->summary_label));

  self->lists_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  {
    GtkWidget *buttons = gtk_flow_box_new ();

    gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
    gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 2);
    gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (buttons), TRUE);
    gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
    gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
    self->allow_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Always Use")));
    self->block_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Never Use")));
    gtk_widget_set_name (GTK_WIDGET (self->allow_button), "worker-allow");
    gtk_widget_set_name (GTK_WIDGET (self->block_button), "worker-block");
    gtk_widget_add_css_class (GTK_WIDGET (self->allow_button), "pill");
    gtk_widget_add_css_class (GTK_WIDGET (self->block_button), "pill");
    g_signal_connect_swapped (self->allow_button, "clicked", G_CALLBACK (allow_clicked), self);
    g_signal_connect_swapped (self->block_button, "clicked", G_CALLBACK (block_clicked), self);
    gtk_flow_box_append (GTK_FLOW_BOX (buttons), GTK_WIDGET (self->allow_button));
    gtk_flow_box_append (GTK_FLOW_BOX (buttons), GTK_WIDGET (self->block_button));
    gtk_box_append (GTK_BOX (self->lists_box), buttons);
  }
  explanation = text_label ("caption", "worker-lists-explanation");
  gtk_widget_add_css_class (GTK_WIDGET (explanation), "dim-label");
  gtk_label_set_text (explanation, _("Image requests from the Create page go only to the workers you always use, or never to those you never use."));
  gtk_box_append (GTK_BOX (self->lists_box), GTK_WIDGET (explanation));
  self->lists_label = text_label ("error", "worker-lists-message");
  gtk_box_append (GTK_BOX (self->lists_box), GTK_WIDGET (self->lists_label));
  gtk_box_append (GTK_BOX (box), self->lists_box);

  self->groups = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->groups));
}

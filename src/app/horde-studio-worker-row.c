/* horde-studio-worker-row.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "horde-studio-messages.h"
#include "horde-studio-worker-row.h"

/* One worker in the Workers page's list: its name and badges (offline,
 * trusted, maintenance, paused), and a line with its type, models, speed,
 * kudos and uptime. Every word of the server in it is bounded and shown
 * as plain text. */
struct _HordeStudioWorkerRow
{
  GtkWidget parent_instance;

  GtkLabel *name_label;
  GtkLabel *summary_label;
  GtkWidget *offline_badge;
  GtkWidget *trusted_badge;
  GtkWidget *maintenance_badge;
  GtkWidget *paused_badge;

  HordeWorkerDetails *worker;
};

G_DEFINE_FINAL_TYPE (HordeStudioWorkerRow, horde_studio_worker_row, GTK_TYPE_WIDGET)

/* Worker names are at most 100 characters on the server (set_name's "Too
 * Long"); anything longer is cut here */
#define MAX_NAME_CHARS 100

/**
 * horde_studio_worker_describe_name:
 * @worker: a worker's details
 *
 * Returns: (transfer full): the worker's name, fit to show
 */
char *
horde_studio_worker_describe_name (HordeWorkerDetails *worker)
{
  g_autofree char *text = horde_studio_server_text (horde_worker_details_get_name (worker));
  const char *end;

  if (text == NULL)
    return g_strdup (_("Unnamed worker"));
  if (g_utf8_strlen (text, -1) <= MAX_NAME_CHARS)
    return g_steal_pointer (&text);
  end = g_utf8_offset_to_pointer (text, MAX_NAME_CHARS);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/**
 * horde_studio_worker_describe_kind:
 * @worker: a worker's details
 *
 * Returns: (transfer full): what the worker makes: "Image", "Text" or
 *   "Interrogation"
 */
char *
horde_studio_worker_describe_kind (HordeWorkerDetails *worker)
{
  switch (horde_worker_details_get_kind_enum (worker))
    {
    case HORDE_WORKER_TYPE_IMAGE:
      return g_strdup (_("Image"));
    case HORDE_WORKER_TYPE_TEXT:
      return g_strdup (_("Text"));
    case HORDE_WORKER_TYPE_INTERROGATION:
      return g_strdup (_("Interrogation"));
    default:
      return g_strdup (_("Unknown type"));
    }
}

/**
 * horde_studio_worker_describe_speed:
 * @worker: a worker's details
 *
 * Reads the figure of the server's "performance" ("1.5 megapixelsteps
 * per second", "No requests fulfilled yet": horde/classes/base/worker.py
 * get_performance) and says it in the app's words, never the server's.
 *
 * Returns: (transfer full): the speed, "1.5 megapixelsteps/s"
 */
char *
horde_studio_worker_describe_speed (HordeWorkerDetails *worker)
{
  const char *performance = horde_worker_details_get_performance (worker);
  char *end = NULL;
  double speed;

  if (performance == NULL || !g_ascii_isdigit (*performance))
    return g_strdup (_("No speed yet"));
  speed = g_ascii_strtod (performance, &end);
  if (end == performance || *end != ' ' || !isfinite (speed) || speed < 0 || speed > 1e9)
    return g_strdup (_("No speed yet"));

  switch (horde_worker_details_get_kind_enum (worker))
    {
    case HORDE_WORKER_TYPE_IMAGE:
      /* TRANSLATORS: an image worker's speed */
      return g_strdup_printf (_("%.1f megapixelsteps/s"), speed);
    case HORDE_WORKER_TYPE_TEXT:
      /* TRANSLATORS: a text worker's speed */
      return g_strdup_printf (_("%.1f tokens/s"), speed);
    default:
      /* TRANSLATORS: an interrogation worker's speed */
      return g_strdup_printf (_("%.1f forms/s"), speed);
    }
}

/**
 * horde_studio_worker_describe_uptime:
 * @seconds: how long a worker has run, in seconds
 *
 * Returns: (transfer full): the time in the largest unit that fits: "up 3 h"
 */
char *
horde_studio_worker_describe_uptime (gint64 seconds)
{
  guint n;

  if (seconds < 3600)
    {
      n = (guint) (MAX (seconds, 0) / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %u minute", "up %u minutes", n), n);
    }
  if (seconds < 2 * 86400)
    {
      n = (guint) (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %u hour", "up %u hours", n), n);
    }
  n = (guint) MIN (seconds / 86400, 999999);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "up %u day", "up %u days", n), n);
}

/**
 * horde_studio_worker_describe_summary:
 * @worker: a worker's details
 *
 * Returns: (transfer full): one line: type, models, speed, kudos, uptime
 */
char *
horde_studio_worker_describe_summary (HordeWorkerDetails *worker)
{
  g_autofree char *kind = horde_studio_worker_describe_kind (worker);
  g_autofree char *speed = horde_studio_worker_describe_speed (worker);
  g_autofree char *uptime = horde_studio_worker_describe_uptime (horde_worker_details_get_uptime (worker));
  g_autofree char *models = NULL;
  g_autofree char *kudos = NULL;
  double rewards = horde_worker_details_get_kudos_rewards (worker);
  guint n;

  if (horde_worker_details_get_kind_enum (worker) == HORDE_WORKER_TYPE_INTERROGATION)
    {
      const char * const *forms = horde_worker_details_get_forms (worker);

      n = forms ? g_strv_length ((char **) forms) : 0;
      models = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u form", "%u forms", n), n);
    }
  else
    {
      const char * const *names = horde_worker_details_get_models (worker);

      n = names ? g_strv_length ((char **) names) : 0;
      models = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model", "%u models", n), n);
    }
  if (!isfinite (rewards) || rewards < 0)
    rewards = 0;
  kudos = g_strdup_printf (_("%.0f kudos"), MIN (rewards, 1e15));

  return g_strjoin (" · ", kind, models, speed, kudos, uptime, NULL);
}

static GtkWidget *
badge_new (const char *text,
           const char *style,
           const char *name)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, style);
  gtk_widget_set_name (label, name);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

/**
 * horde_studio_worker_row_new:
 *
 * Returns: (transfer floating): a row showing no worker yet
 */
GtkWidget *
horde_studio_worker_row_new (void)
{
  return g_object_new (HORDE_STUDIO_TYPE_WORKER_ROW, NULL);
}

/**
 * horde_studio_worker_row_set_worker:
 * @self: a row
 * @worker: (nullable): the worker to show
 *
 * Shows @worker.
 */
void
horde_studio_worker_row_set_worker (HordeStudioWorkerRow *self,
                                    HordeWorkerDetails   *worker)
{
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_WORKER_ROW (self));

  if (worker != NULL)
    horde_worker_details_ref (worker);
  g_clear_pointer (&self->worker, horde_worker_details_unref);
  self->worker = worker;
  if (worker == NULL)
    return;

  name = horde_studio_worker_describe_name (worker);
  summary = horde_studio_worker_describe_summary (worker);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (self->offline_badge, !horde_worker_details_get_online (worker));
  gtk_widget_set_visible (self->trusted_badge, horde_worker_details_get_trusted (worker));
  gtk_widget_set_visible (self->maintenance_badge, horde_worker_details_get_maintenance_mode (worker));
  gtk_widget_set_visible (self->paused_badge, horde_worker_details_get_paused (worker));
}

/**
 * horde_studio_worker_row_get_worker:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the worker shown
 */
HordeWorkerDetails *
horde_studio_worker_row_get_worker (HordeStudioWorkerRow *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_WORKER_ROW (self), NULL);
  return self->worker;
}

static void
horde_studio_worker_row_dispose (GObject *object)
{
  HordeStudioWorkerRow *self = HORDE_STUDIO_WORKER_ROW (object);
  GtkWidget *child;

  g_clear_pointer (&self->worker, horde_worker_details_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (horde_studio_worker_row_parent_class)->dispose (object);
}

static void
horde_studio_worker_row_class_init (HordeStudioWorkerRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = horde_studio_worker_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "workerrow");
}

static void
horde_studio_worker_row_init (HordeStudioWorkerRow *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 8);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);

  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_markup (self->name_label, FALSE);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (self->name_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  gtk_widget_set_name (GTK_WIDGET (self->name_label), "worker-name");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->name_label));

  self->offline_badge = badge_new (_("Offline"), "error", "badge-offline");
  self->trusted_badge = badge_new (_("Trusted"), "success", "badge-trusted");
  self->maintenance_badge = badge_new (_("Maintenance"), "warning", "badge-maintenance");
  self->paused_badge = badge_new (_("Paused"), "warning", "badge-paused");
  gtk_box_append (GTK_BOX (top), self->offline_badge);
  gtk_box_append (GTK_BOX (top), self->trusted_badge);
  gtk_box_append (GTK_BOX (top), self->maintenance_badge);
  gtk_box_append (GTK_BOX (top), self->paused_badge);
  gtk_widget_set_parent (top, GTK_WIDGET (self));

  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_markup (self->summary_label, FALSE);
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_label_set_wrap_mode (self->summary_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "dim-label");
  gtk_widget_set_name (GTK_WIDGET (self->summary_label), "worker-summary");
  gtk_widget_set_parent (GTK_WIDGET (self->summary_label), GTK_WIDGET (self));
}

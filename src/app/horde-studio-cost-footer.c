/* horde-studio-cost-footer.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-cost-footer.h"
#include "horde-studio-messages.h"
#include "horde-studio-util.h"

#define ANONYMOUS_TEXT N_("Anonymous: lowest priority, and at most 1024 × 1024 pixels and 50 steps. Set an API key in Preferences to do more.")
/* while the cost line already says the limits */
#define ANONYMOUS_SHORT_TEXT N_("Anonymous: lowest priority. Set an API key in Preferences to do more.")

/* HordeStudioCostFooter: the foot of the compose pane, beside Generate:
 * what is wrong with the request (the first problem, all of them in the
 * tooltip), what it would cost, and whose account pays. The pane tells it
 * what happened; it keeps the footer short, each line at most two lines
 * long with the rest in its tooltip, and says the anonymous limits once. */
struct _HordeStudioCostFooter
{
  GtkWidget parent_instance;

  GtkLabel *problem_label;
  GtkLabel *cost_label;
  GtkLabel *account_label;
  GtkButton *generate_button;

  gboolean cost_says_limits;      /* the cost line says the anonymous limits */
  gboolean cost_failed;           /* the cost line says the dry run failed */
};

G_DEFINE_FINAL_TYPE (HordeStudioCostFooter, horde_studio_cost_footer, GTK_TYPE_WIDGET)

/* The words for @error on @label, what to do about it in its tooltip: the
 * footer stays short */
static void
show_error_on (GtkLabel     *label,
               const GError *error,
               gboolean      signed_in)
{
  g_autofree char *hint = NULL;
  g_autofree char *words = horde_studio_describe_error_for (error, signed_in, &hint);

  gtk_label_set_text (label, words);
  if (hint != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s\n%s", words, hint);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), both);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), words);
}

/* The account line: one line, all of it in the tooltip */
static void
set_account_text (HordeStudioCostFooter *self,
                  const char            *text)
{
  gtk_label_set_text (self->account_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_label), text);
}

/**
 * horde_studio_cost_footer_show_anonymous:
 * @self: a #HordeStudioCostFooter
 *
 * Says on the account line that requests are anonymous, with the
 * anonymous limits unless the cost line says them already.
 */
void
horde_studio_cost_footer_show_anonymous (HordeStudioCostFooter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  set_account_text (self, self->cost_says_limits ? _(ANONYMOUS_SHORT_TEXT) : _(ANONYMOUS_TEXT));
}

/* The anonymous limits are said once in the footer: by the cost line when
 * they are why the request cannot run, else by the account line */
static void
set_cost_says_limits (HordeStudioCostFooter *self,
                      gboolean               says)
{
  const char *text = gtk_label_get_text (self->account_label);

  if (self->cost_says_limits == says)
    return;
  self->cost_says_limits = says;
  if (g_strcmp0 (text, _(ANONYMOUS_TEXT)) == 0 || g_strcmp0 (text, _(ANONYMOUS_SHORT_TEXT)) == 0)
    horde_studio_cost_footer_show_anonymous (self);
}

/**
 * horde_studio_cost_footer_show_problems:
 * @self: a #HordeStudioCostFooter
 * @lines: (nullable) (array zero-terminated=1): what is wrong with the
 *   request, a line each, the first the most important
 * @marked: whether a setting is marked as wrong for them
 *
 * Says the first problem on the problem line, how many more there are,
 * and all of them in its tooltip; none hides the line. The line looks
 * like an error only when a setting is marked: a problem nobody made yet
 * is said, not marked.
 */
void
horde_studio_cost_footer_show_problems (HordeStudioCostFooter *self,
                                        const char * const    *lines,
                                        gboolean               marked)
{
  guint n;

  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  n = lines ? g_strv_length ((char **) lines) : 0;
  if (n == 0)
    {
      gtk_label_set_text (self->problem_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->problem_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
      return;
    }

  if (n == 1)
    gtk_label_set_text (self->problem_label, lines[0]);
  else
    {
      /* TRANSLATORS: the first of several problems, then how many more
       * there are (they are listed in its tooltip) */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (and %u more)", "%s (and %u more)", n - 1),
                                               lines[0], n - 1);
      gtk_label_set_text (self->problem_label, text);
    }
  {
    g_autofree char *all = g_strjoinv ("\n", (char **) lines);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->problem_label), all);
  }
  if (marked)
    gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
}

/**
 * horde_studio_cost_footer_show_problem:
 * @self: a #HordeStudioCostFooter
 * @text: what is wrong
 *
 * Says one problem (an image the pane cannot use, say) on the problem
 * line, as an error, until the problems are shown again.
 */
void
horde_studio_cost_footer_show_problem (HordeStudioCostFooter *self,
                                       const char            *text)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  gtk_label_set_text (self->problem_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->problem_label), text);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
}

/**
 * horde_studio_cost_footer_show_estimating:
 * @self: a #HordeStudioCostFooter
 *
 * Says that the request is being priced (a price said before was for
 * another request, key or server).
 */
void
horde_studio_cost_footer_show_estimating (HordeStudioCostFooter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  gtk_label_set_text (self->cost_label, _("Estimating the cost…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
  self->cost_failed = FALSE;
  set_cost_says_limits (self, FALSE);
}

/**
 * horde_studio_cost_footer_show_request:
 * @self: a #HordeStudioCostFooter
 * @built: whether the request was built, and is about to be priced
 * @has_prompt: whether the user wrote a prompt
 *
 * The request was built again after a change: one that built is being
 * priced; of one that did not, the problem line says what to change,
 * unless it is only the prompt that is missing, which the cost line asks
 * for. The cost line shows only when it says something.
 */
void
horde_studio_cost_footer_show_request (HordeStudioCostFooter *self,
                                       gboolean               built,
                                       gboolean               has_prompt)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  if (built)
    horde_studio_cost_footer_show_estimating (self);
  else
    {
      self->cost_failed = FALSE;
      set_cost_says_limits (self, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
      gtk_label_set_text (self->cost_label, has_prompt ? "" : _("Write a prompt to make images."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cost_label), *gtk_label_get_text (self->cost_label) != '\0');
}

/**
 * horde_studio_cost_footer_show_estimate:
 * @self: a #HordeStudioCostFooter
 * @kudos: what the dry run says the request costs
 *
 * Says the price of the request.
 */
void
horde_studio_cost_footer_show_estimate (HordeStudioCostFooter *self,
                                        double                 kudos)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  text = horde_studio_describe_estimate (kudos);
  gtk_label_set_text (self->cost_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
  self->cost_failed = FALSE;
  set_cost_says_limits (self, FALSE);
}

/**
 * horde_studio_cost_footer_show_estimate_error:
 * @self: a #HordeStudioCostFooter
 * @error: why the dry run failed
 * @signed_in: whether the request was priced with the user's key
 *
 * Says why the request cannot be priced, as a warning, what to do about it
 * in the tooltip. An anonymous request that needs kudos upfront is told
 * the anonymous limits here: the account line then does not repeat them.
 */
void
horde_studio_cost_footer_show_estimate_error (HordeStudioCostFooter *self,
                                              const GError          *error,
                                              gboolean               signed_in)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));
  g_return_if_fail (error != NULL);

  show_error_on (self->cost_label, error, signed_in);
  gtk_widget_add_css_class (GTK_WIDGET (self->cost_label), "warning");
  self->cost_failed = TRUE;
  set_cost_says_limits (self, !signed_in && g_strcmp0 (horde_error_get_rc (error), "KudosUpfront") == 0);
}

/**
 * horde_studio_cost_footer_get_estimate_failed:
 * @self: a #HordeStudioCostFooter
 *
 * Returns: whether the cost line says that the last dry run failed
 */
gboolean
horde_studio_cost_footer_get_estimate_failed (HordeStudioCostFooter *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self), FALSE);
  return self->cost_failed;
}

/**
 * horde_studio_cost_footer_show_user:
 * @self: a #HordeStudioCostFooter
 * @user: the server's answer to find_user for the user's key
 *
 * Says the user's name (as the server gave it, made safe to show) and
 * kudos on the account line.
 */
void
horde_studio_cost_footer_show_user (HordeStudioCostFooter *self,
                                    HordeUserDetails      *user)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));
  g_return_if_fail (user != NULL);

  name = horde_studio_server_text (horde_user_details_get_username (user));
  text = g_strdup_printf (_("%s · %.0f kudos"), name ? name : "?", horde_user_details_get_kudos (user));
  set_account_text (self, text);
}

/**
 * horde_studio_cost_footer_show_account_error:
 * @self: a #HordeStudioCostFooter
 * @error: why the account could not be read
 * @signed_in: whether it was asked with the user's key
 *
 * Says why the account could not be read on the account line, what to do
 * about it in its tooltip.
 */
void
horde_studio_cost_footer_show_account_error (HordeStudioCostFooter *self,
                                             const GError          *error,
                                             gboolean               signed_in)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));
  g_return_if_fail (error != NULL);

  show_error_on (self->account_label, error, signed_in);
}

static void
horde_studio_cost_footer_dispose (GObject *object)
{
  horde_studio_dispose_template (GTK_WIDGET (object), HORDE_STUDIO_TYPE_COST_FOOTER);

  G_OBJECT_CLASS (horde_studio_cost_footer_parent_class)->dispose (object);
}

static void
horde_studio_cost_footer_class_init (HordeStudioCostFooterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_cost_footer_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-cost-footer.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioCostFooter, name)
  BIND (problem_label);
  BIND (cost_label);
  BIND (account_label);
  BIND (generate_button);
#undef BIND
}

static void
horde_studio_cost_footer_init (HordeStudioCostFooter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

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

/* a change is priced once the user pauses */
#define ESTIMATE_DELAY_MS 800

#define ANONYMOUS_TEXT N_("Anonymous: lowest priority, and at most 1024 × 1024 pixels and 50 steps. Set an API key in Preferences to do more.")
/* while the cost line already says the limits */
#define ANONYMOUS_SHORT_TEXT N_("Anonymous: lowest priority. Set an API key in Preferences to do more.")

/* HordeStudioCostFooter: the foot of the compose pane, beside Generate:
 * what is wrong with the request (the first problem, all of them in the
 * tooltip), what it would cost, and whose account pays. The pane gives it
 * each request it builds; the footer prices it with a dry run, at most one
 * at a time, and reads the account (again while the server settles what a
 * job cost). It keeps the footer short, each line at most two lines long
 * with the rest in its tooltip, and says the anonymous limits once. */
struct _HordeStudioCostFooter
{
  GtkWidget parent_instance;

  GtkLabel *problem_label;
  GtkLabel *cost_label;
  GtkLabel *account_label;
  GtkButton *generate_button;

  HordeClient *client;
  HordeStudioConnection *connection;
  HordeImageGenerateAsyncRequest *request; /* to price, or NULL */
  GCancellable *cancellable;
  GCancellable *user_cancellable; /* the latest find_user: its key is the current one */
  guint estimate_source;
  gboolean estimating;
  gboolean estimate_again;
  guint settle_source;            /* the account again, while kudos settle */
  guint settle_step;
  guint settle_unchanged;
  double last_kudos;              /* of the last answer, or -1 */
  gboolean cost_says_limits;      /* the cost line says the anonymous limits */
  gboolean cost_failed;           /* the cost line says the dry run failed */
};

G_DEFINE_FINAL_TYPE (HordeStudioCostFooter, horde_studio_cost_footer, GTK_TYPE_WIDGET)

static gboolean
signed_in (HordeStudioCostFooter *self)
{
  const char *key = self->client ? horde_client_get_api_key (self->client) : NULL;

  return key != NULL && *key != '\0' && g_strcmp0 (key, HORDE_ANONYMOUS_API_KEY) != 0;
}

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

static void
show_anonymous (HordeStudioCostFooter *self)
{
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
    show_anonymous (self);
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

/* ---- the price ---------------------------------------------------------- */

static void estimate (HordeStudioCostFooter *self);

static void
estimated (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeStudioCostFooter) self = user_data;
  g_autoptr(GError) error = NULL;
  double kudos = 0;

  self->estimating = FALSE;

  if (!horde_image_job_estimate_finish (HORDE_IMAGE_JOB (object), result, &kudos, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error_on (self->cost_label, error, signed_in (self));
      gtk_widget_add_css_class (GTK_WIDGET (self->cost_label), "warning");
      self->cost_failed = TRUE;
      /* its words for an anonymous request that needs kudos upfront give
       * the anonymous limits: the account line does not repeat them */
      set_cost_says_limits (self, !signed_in (self) && g_strcmp0 (horde_error_get_rc (error), "KudosUpfront") == 0);
    }
  else
    {
      g_autofree char *text = horde_studio_describe_estimate (kudos);

      gtk_label_set_text (self->cost_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
      self->cost_failed = FALSE;
      set_cost_says_limits (self, FALSE);
    }

  if (self->estimate_again)
    {
      self->estimate_again = FALSE;
      estimate (self);
    }
}

/* One dry run at a time: a change made meanwhile is priced next */
static void
estimate (HordeStudioCostFooter *self)
{
  g_autoptr(HordeImageJob) job = NULL;

  if (self->client == NULL || self->request == NULL)
    return;
  if (self->estimating)
    {
      self->estimate_again = TRUE;
      return;
    }

  self->estimating = TRUE;
  job = horde_image_job_new (self->client, self->request);
  horde_image_job_estimate_async (job, self->cancellable, estimated, g_object_ref (self));
}

static gboolean
estimate_timeout (gpointer user_data)
{
  HordeStudioCostFooter *self = user_data;

  self->estimate_source = 0;
  estimate (self);
  return G_SOURCE_REMOVE;
}

static void
show_estimating (HordeStudioCostFooter *self)
{
  gtk_label_set_text (self->cost_label, _("Estimating the cost…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
  self->cost_failed = FALSE;
  set_cost_says_limits (self, FALSE);
}

/**
 * horde_studio_cost_footer_set_request:
 * @self: a #HordeStudioCostFooter
 * @request: (nullable): the request as the pane built it again, %NULL
 *   when it did not build
 * @has_prompt: whether the user wrote a prompt
 *
 * The request changed: one that built is priced once the user pauses; of
 * one that did not, the problem line says what to change, unless it is
 * only the prompt that is missing, which the cost line asks for. The cost
 * line shows only when it says something.
 */
void
horde_studio_cost_footer_set_request (HordeStudioCostFooter          *self,
                                      HordeImageGenerateAsyncRequest *request,
                                      gboolean                        has_prompt)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  if (request != NULL)
    self->request = horde_image_generate_async_request_ref (request);

  self->cost_failed = FALSE;
  set_cost_says_limits (self, FALSE);
  g_clear_handle_id (&self->estimate_source, g_source_remove);
  if (request != NULL)
    {
      show_estimating (self);
      self->estimate_source = g_timeout_add (ESTIMATE_DELAY_MS, estimate_timeout, self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->cost_label), "warning");
      gtk_label_set_text (self->cost_label, has_prompt ? "" : _("Write a prompt to make images."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cost_label), *gtk_label_get_text (self->cost_label) != '\0');
}

/* A price shown is for the key and the server it was asked with: asked
 * again after either changed, or the server came back */
static void
reprice (HordeStudioCostFooter *self)
{
  if (self->request == NULL || self->client == NULL)
    return;
  g_clear_handle_id (&self->estimate_source, g_source_remove);
  show_estimating (self);
  estimate (self);
}

/* A failed price that the server answers again is asked for again */
static void
reachable_changed (HordeStudioCostFooter *self)
{
  if (self->cost_failed && horde_studio_connection_get_reachable (self->connection))
    reprice (self);
}

/* ---- the account -------------------------------------------------------- */

static void settle_next (HordeStudioCostFooter *self);

/**
 * horde_studio_cost_footer_show_account:
 * @self: a #HordeStudioCostFooter
 * @user: the server's answer to find_user for the client's key
 *
 * Shows the user's name (made safe to show) and kudos from an answer
 * already in hand, without asking the server again; an answer still on its
 * way is older and is dropped.
 */
void
horde_studio_cost_footer_show_account (HordeStudioCostFooter *self,
                                       HordeUserDetails      *user)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));
  g_return_if_fail (user != NULL);

  /* an answer still on its way is older than this one */
  g_cancellable_cancel (self->user_cancellable);

  if (!signed_in (self))
    {
      show_anonymous (self);
      return;
    }

  name = horde_studio_server_text (horde_user_details_get_username (user));
  text = g_strdup_printf (_("%s · %.0f kudos"), name ? name : "?", horde_user_details_get_kudos (user));
  set_account_text (self, text);
}

static void
user_loaded (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HordeStudioCostFooter) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeUserDetails) user = NULL;

  user = horde_client_send_find_user_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->connection != NULL)
    horde_studio_connection_report (self->connection, error);
  if (user == NULL)
    {
      show_error_on (self->account_label, error, signed_in (self));
      return;
    }

  horde_studio_cost_footer_show_account (self, user);

  /* after a job: the server settles what it cost some time later */
  if (self->settle_step > 0)
    {
      double kudos = horde_user_details_get_kudos (user);

      if (kudos == self->last_kudos)
        self->settle_unchanged++;
      else
        self->settle_unchanged = 0;
      self->last_kudos = kudos;
      settle_next (self);
    }
}

static void
ask_account (HordeStudioCostFooter *self)
{
  g_autoptr(HordeFindUserRequest) user = NULL;

  /* an answer for a key the client no longer uses must not land */
  g_cancellable_cancel (self->user_cancellable);
  g_clear_object (&self->user_cancellable);
  self->user_cancellable = g_cancellable_new ();
  user = horde_find_user_request_new ();
  horde_client_send_find_user_request_async (self->client, user, self->user_cancellable,
                                             user_loaded, g_object_ref (self));
}

/**
 * horde_studio_cost_footer_refresh_account:
 * @self: a #HordeStudioCostFooter
 *
 * Asks the server again for the user's name and kudos (after the key
 * changed, or a request spent kudos), and the price again: it was for the
 * key before. Without a key nothing is asked: the anonymous account has
 * nothing to show, the line says the anonymous limits.
 */
void
horde_studio_cost_footer_refresh_account (HordeStudioCostFooter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  if (self->client == NULL)
    return;

  if (!signed_in (self))
    {
      g_cancellable_cancel (self->user_cancellable);
      g_clear_handle_id (&self->settle_source, g_source_remove);
      self->settle_step = 0;
      show_anonymous (self);
      reprice (self);
      return;
    }

  ask_account (self);
  reprice (self);
}

/* The server settles a request's kudos 30 to 60 s after it ends: the
 * account is read again after these many seconds from the job's end,
 * until it reads the same twice in a row */
static const guint settle_delays[] = { 10, 30, 60, 120 };

static gboolean
settle_timeout (gpointer user_data)
{
  HordeStudioCostFooter *self = user_data;

  self->settle_source = 0;
  ask_account (self);
  return G_SOURCE_REMOVE;
}

static void
settle_next (HordeStudioCostFooter *self)
{
  guint step = self->settle_step;
  guint delay;

  g_clear_handle_id (&self->settle_source, g_source_remove);
  /* step 1 is the answer right after the end; steps 2… the delays */
  if (self->settle_unchanged >= 2 || step > G_N_ELEMENTS (settle_delays))
    {
      self->settle_step = 0;
      return;
    }

  delay = settle_delays[step - 1] - (step > 1 ? settle_delays[step - 2] : 0);
  self->settle_step++;
  self->settle_source = g_timeout_add_seconds (delay, settle_timeout, self);
}

/**
 * horde_studio_cost_footer_follow_kudos:
 * @self: a #HordeStudioCostFooter
 *
 * A job has ended: reads the account now, then again while the server
 * settles what the job cost (at 10, 30, 60 and 120 s), until two readings
 * in a row are the same. Nothing is read without a key.
 */
void
horde_studio_cost_footer_follow_kudos (HordeStudioCostFooter *self)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  if (self->client == NULL || !signed_in (self))
    return;

  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_step = 1;
  self->settle_unchanged = 0;
  self->last_kudos = -1;
  ask_account (self);
}

/**
 * horde_studio_cost_footer_set_client:
 * @self: a #HordeStudioCostFooter
 * @client: (nullable): the client to price the request and read the
 *   account with
 *
 * Sets the client; nothing is asked until the next request or
 * horde_studio_cost_footer_refresh_account().
 */
void
horde_studio_cost_footer_set_client (HordeStudioCostFooter *self,
                                     HordeClient           *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));

  g_set_object (&self->client, client);
}

/**
 * horde_studio_cost_footer_set_connection:
 * @self: a #HordeStudioCostFooter
 * @connection: (nullable): where to tell whether the server answers
 *
 * Each reading of the account is reported to @connection; a price that
 * failed is asked for again when @connection says the server answers.
 */
void
horde_studio_cost_footer_set_connection (HordeStudioCostFooter *self,
                                         HordeStudioConnection *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_COST_FOOTER (self));
  g_return_if_fail (connection == NULL || HORDE_STUDIO_IS_CONNECTION (connection));

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (!g_set_object (&self->connection, connection) || connection == NULL)
    return;
  g_signal_connect_object (connection, "notify::reachable", G_CALLBACK (reachable_changed), self, G_CONNECT_SWAPPED);
}

static void
horde_studio_cost_footer_dispose (GObject *object)
{
  HordeStudioCostFooter *self = HORDE_STUDIO_COST_FOOTER (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->user_cancellable);
  g_clear_handle_id (&self->estimate_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  horde_studio_dispose_template (GTK_WIDGET (object), HORDE_STUDIO_TYPE_COST_FOOTER);

  G_OBJECT_CLASS (horde_studio_cost_footer_parent_class)->dispose (object);
}

static void
horde_studio_cost_footer_finalize (GObject *object)
{
  HordeStudioCostFooter *self = HORDE_STUDIO_COST_FOOTER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user_cancellable);

  G_OBJECT_CLASS (horde_studio_cost_footer_parent_class)->finalize (object);
}

static void
horde_studio_cost_footer_class_init (HordeStudioCostFooterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_cost_footer_dispose;
  object_class->finalize = horde_studio_cost_footer_finalize;

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
  self->cancellable = g_cancellable_new ();
}

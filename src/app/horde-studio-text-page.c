/* horde-studio-text-page.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "horde-studio-fold-bin.h"
#include "horde-studio-messages.h"
#include "horde-studio-text-page.h"
#include "horde-studio-text-params.h"

/* The page lays the parameters out beside the editor from this width on,
 * under it below */
/* how long the parameters stay still before the price is asked for */
#define ESTIMATE_DELAY_MS 500
/* the most of one generation shown and kept (the API's max_length is
 * 4096 tokens) */
#define MAX_GENERATION 65536
/* the characters a token stands for, on average, in the story sent: the
 * Horde counts tokens, which the app cannot count without the model's
 * tokenizer (KoboldAI Lite guesses 3 as well) */
#define CHARS_PER_TOKEN 3

/* HordeStudioTextPage: the "Write" page. The story so far is in the
 * editor; Generate sends its end (as much as the context allows) to a text
 * model of the Horde as a HordeTextJob, with its progress in words and a
 * Cancel that deletes the request on the server. The generations come
 * back as choices: "Use" appends one to the story, from which the next
 * Generate continues; Regenerate asks again with the same prompt. The
 * price of the request (a dry run) is shown beside Generate, asked again
 * when the parameters change. Every finished generation goes to the text
 * history, from which a past story can be reopened. */
struct _HordeStudioTextPage
{
  AdwBin parent_instance;

  GtkStack *stack;
  GtkTextView *story_view;
  GtkButton *generate_button;
  GtkButton *cancel_button;
  GtkButton *regenerate_button;
  GtkLabel *price_label;
  GtkLabel *status_label;
  GtkBox *choices_box;
  GtkListBox *choices_list;
  GtkStack *history_stack;
  GtkListBox *history_list;
  HordeStudioTextParams *params;
  AdwStatusPage *empty_page;
  GtkButton *retry_button;

  HordeClient *client;
  HordeStudioConnection *connection;
  HordeStudioTextHistory *history;
  gboolean models_listed;
  GCancellable *models_cancellable;
  GCancellable *estimate_cancellable;
  guint estimate_source;
  HordeTextJob *job;
  char *job_story;                  /* the story when the job was sent */
  HordeTextGenerateAsyncRequest *last_request;
};

G_DEFINE_FINAL_TYPE (HordeStudioTextPage, horde_studio_text_page, ADW_TYPE_BIN)

static void update_actions (HordeStudioTextPage *self);
static void schedule_estimate (HordeStudioTextPage *self);

/**
 * horde_studio_text_trim_story:
 * @story: the story so far
 * @max_context_length: the context the request allows, in tokens
 * @max_length: the length it asks for, in tokens
 *
 * The end of @story that fits in the context left beside the text to
 * generate, guessed at %CHARS_PER_TOKEN characters a token, starting at a
 * word where it is cut.
 *
 * Returns: (transfer full): the prompt to send
 */
char *
horde_studio_text_trim_story (const char *story,
                              gint64      max_context_length,
                              gint64      max_length)
{
  gint64 room = MAX (max_context_length - max_length, 16) * CHARS_PER_TOKEN;
  glong length = g_utf8_strlen (story, -1);
  const char *start;
  const char *space;

  if (length <= room)
    return g_strdup (story);
  start = g_utf8_offset_to_pointer (story, length - room);
  /* not half a word: from the next space, if there is one near */
  space = strpbrk (start, " \n\t");
  if (space != NULL && space - start < 32)
    start = space + 1;
  return g_strdup (start);
}

/* A generation made fit to show and keep: valid UTF-8, no control
 * characters but line breaks and tabs, bounded */
static char *
clean_generation (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0' && out->len < MAX_GENERATION; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c == '\n' || c == '\t' ||
          (type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT && type != G_UNICODE_UNASSIGNED))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
signed_in (HordeStudioTextPage *self)
{
  const char *key = self->client ? horde_client_get_api_key (self->client) : NULL;

  return key != NULL && *key != '\0' && g_strcmp0 (key, HORDE_ANONYMOUS_API_KEY) != 0;
}

/* An error in words: HordeStudio's, but for KudosUpfront, which the
 * messages helper words for images (their size and steps), while text
 * needs kudos upfront for its length and number of generations
 * (kobold.py: max_length × the model's multiplier / 21 × n, when the
 * Horde is busy) */
static char *
describe (HordeStudioTextPage  *self,
          const GError         *error,
          char                **hint)
{
  if (error->domain == HORDE_ERROR && g_strcmp0 (horde_error_get_rc (error), "KudosUpfront") == 0)
    {
      if (hint != NULL)
        *hint = g_strdup (signed_in (self)
                          ? _("Ask for fewer generations or a shorter length, or wait until the Horde is less busy.")
                          : _("Set the API key of an account with kudos in Preferences, or ask for fewer generations or a shorter length."));
      return g_strdup (_("The Horde asks for kudos upfront for a request this long."));
    }
  return horde_studio_describe_error_for (error, signed_in (self), hint);
}

static char *
story_text (HordeStudioTextPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->story_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
selected_model (HordeStudioTextPage *self)
{
  return horde_studio_text_params_get_model (self->params);
}

/* ---- models ---------------------------------------------------------- */

static void
show_empty (HordeStudioTextPage *self,
            const char          *title,
            const char          *description,
            const char          *icon)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  adw_status_page_set_icon_name (self->empty_page, icon);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
models_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioTextPage) self = user_data;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(GError) error = NULL;

  list = horde_client_send_status_models_all_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->models_cancellable);
  if (list == NULL)
    {
      g_autofree char *hint = NULL;
      g_autofree char *words = describe (self, error, &hint);

      show_empty (self, _("Text Models Unavailable"), words, "network-offline-symbolic");
      return;
    }

  self->models_listed = horde_studio_text_params_set_models (self->params, list) > 0;
  if (!self->models_listed)
    {
      show_empty (self, _("No Text Models"),
                  _("No worker of the Horde serves a text model now. Workers come and go: try again in a while."),
                  "document-edit-symbolic");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "write");
}

static void
load_models (HordeStudioTextPage *self)
{
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) request = NULL;

  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();

  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, "text");
  request = horde_status_models_all_request_builder_end (builder, NULL);
  horde_client_send_status_models_all_request_async (self->client, request, self->models_cancellable,
                                                     models_loaded, g_object_ref (self));
}

static void
reload_models (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load_models (HORDE_STUDIO_TEXT_PAGE (widget));
}

/* ---- the request ------------------------------------------------------- */

static HordeTextGenerateAsyncRequest *
build_request (HordeStudioTextPage  *self,
               const char           *story,
               GError              **error)
{
  g_autoptr(HordeModelGenerationInputKobold) params = horde_studio_text_params_build (self->params, error);
  g_autoptr(HordeTextGenerateAsyncRequestBuilder) builder = horde_text_generate_async_request_builder_new ();
  g_autofree char *softprompt = horde_studio_text_params_dup_softprompt (self->params);
  g_autofree char *prompt = NULL;
  const char *model = selected_model (self);

  if (params == NULL)
    return NULL;
  prompt = horde_studio_text_trim_story (story, horde_model_generation_input_kobold_get_max_context_length (params),
                                         horde_model_generation_input_kobold_get_max_length (params));
  horde_text_generate_async_request_builder_set_prompt (builder, prompt);
  horde_text_generate_async_request_builder_set_params (builder, params);
  if (model != NULL)
    horde_text_generate_async_request_builder_set_models (builder, (const char * const []) { model, NULL });
  if (softprompt != NULL)
    horde_text_generate_async_request_builder_set_softprompt (builder, softprompt);
  return horde_text_generate_async_request_builder_end (builder, error);
}

/* Generate needs a story, a model and no request running */
static void
update_actions (HordeStudioTextPage *self)
{
  g_autofree char *story = story_text (self);
  gboolean running = self->job != NULL;
  gboolean can = self->client != NULL && !running && selected_model (self) != NULL && !is_blank (story);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "text.generate", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "text.regenerate", !running && self->last_request != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "text.cancel", running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
}

/* ---- the price --------------------------------------------------------- */

static void
estimated (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HordeStudioTextPage) self = user_data;
  g_autoptr(GError) error = NULL;
  double kudos = 0;

  if (!horde_job_estimate_finish (HORDE_JOB (object), result, &kudos, &error))
    {
      g_autofree char *hint = NULL;
      g_autofree char *words = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      words = describe (self, error, &hint);
      gtk_label_set_text (self->price_label, words);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->price_label), hint);
      gtk_widget_add_css_class (GTK_WIDGET (self->price_label), "error");
      return;
    }
  {
    g_autofree char *words = g_strdup_printf (_("About %.0f kudos"), CLAMP (kudos, 0, 1e12));

    gtk_widget_remove_css_class (GTK_WIDGET (self->price_label), "error");
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->price_label),
                                 _("What the Horde estimates this request costs"));
    gtk_label_set_text (self->price_label, words);
  }
}

static gboolean
estimate (gpointer user_data)
{
  HordeStudioTextPage *self = user_data;
  g_autoptr(HordeTextGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeTextJob) job = NULL;
  g_autofree char *story = story_text (self);

  self->estimate_source = 0;
  g_cancellable_cancel (self->estimate_cancellable);
  g_clear_object (&self->estimate_cancellable);

  if (self->client == NULL || selected_model (self) == NULL || is_blank (story) ||
      (request = build_request (self, story, NULL)) == NULL)
    {
      gtk_label_set_text (self->price_label, "");
      return G_SOURCE_REMOVE;
    }
  self->estimate_cancellable = g_cancellable_new ();
  job = horde_text_job_new (self->client, request);
  horde_job_estimate_async (HORDE_JOB (job), self->estimate_cancellable, estimated, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_estimate (HordeStudioTextPage *self)
{
  g_clear_handle_id (&self->estimate_source, g_source_remove);
  self->estimate_source = g_timeout_add (ESTIMATE_DELAY_MS, estimate, self);
}

/* ---- the choices ------------------------------------------------------- */

static void
set_status (HordeStudioTextPage *self,
            const char          *text,
            gboolean             error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
clear_choices (HordeStudioTextPage *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->choices_list))) != NULL)
    gtk_list_box_remove (self->choices_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->choices_box), FALSE);
}

/* "Use": the choice goes at the end of the story, from which the next
 * Generate goes on */
static void
use_choice (GtkButton           *button,
            HordeStudioTextPage *self)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->story_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  clear_choices (self);
  set_status (self, NULL, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->story_view));
}

static void
show_choices (HordeStudioTextPage *self,
              const char * const  *texts)
{
  clear_choices (self);
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *label = gtk_label_new (texts[i]);
      GtkWidget *use = gtk_button_new_with_mnemonic (_("_Use"));
      g_autofree char *name = g_strdup_printf (_("Use choice %u"), i + 1);

      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 12);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_halign (use, GTK_ALIGN_END);
      gtk_widget_set_tooltip_text (use, name);
      g_object_set_data_full (G_OBJECT (use), "text", g_strdup (texts[i]), g_free);
      g_signal_connect (use, "clicked", G_CALLBACK (use_choice), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), use);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->choices_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->choices_box), texts != NULL && texts[0] != NULL);
}

/* ---- the history ------------------------------------------------------- */

static void
fill_history (HordeStudioTextPage *self)
{
  GtkWidget *row;
  guint n = self->history ? horde_studio_text_history_get_n_entries (self->history) : 0;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, row);
  for (guint i = 0; i < n; i++)
    {
      const HordeStudioTextHistoryEntry *entry = horde_studio_text_history_get_entry (self->history, i);
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (entry->time);
      g_autofree char *when = date ? g_date_time_format (date, "%x %X") : g_strdup ("");
      g_autofree char *end = horde_studio_text_trim_story (entry->story, 40, 16);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      glong length = g_utf8_strlen (end, -1);

      /* the story's last words, on one line */
      if (length > 60)
        title = g_strconcat ("…", g_utf8_offset_to_pointer (end, length - 60), NULL);
      else
        title = g_strdup (end);
      g_strdelimit (title, "\n\r\t", ' ');
      subtitle = g_strdup_printf ("%s · %s", *entry->model ? entry->model : _("Any model"), when);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *title ? title : _("(empty story)"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->history_list, row);
    }
  gtk_stack_set_visible_child_name (self->history_stack, n > 0 ? "list" : "empty");
}

/* Reopens a past story: its text, its model and parameters, and its
 * generations to choose from */
static void
history_row_activated (HordeStudioTextPage *self,
                       GtkListBoxRow       *row)
{
  const HordeStudioTextHistoryEntry *entry =
    horde_studio_text_history_get_entry (self->history, gtk_list_box_row_get_index (row));
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (row), GTK_TYPE_POPOVER);

  if (entry == NULL)
    return;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->story_view), entry->story, -1);
  horde_studio_text_params_load (self->params, entry);
  show_choices (self, (const char * const *) entry->texts);
  set_status (self, NULL, FALSE);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
remember (HordeStudioTextPage           *self,
          HordeTextGenerateAsyncRequest *request,
          const char * const            *texts,
          double                         kudos)
{
  HordeStudioTextHistoryEntry *entry;
  HordeModelGenerationInputKobold *params = horde_text_generate_async_request_get_params (request);
  const char * const *models = horde_text_generate_async_request_get_models (request);
  const char *softprompt = horde_text_generate_async_request_get_softprompt (request);
  g_autoptr(GError) error = NULL;

  if (self->history == NULL)
    return;
  entry = horde_studio_text_history_entry_new ();
  g_free (entry->story);
  entry->story = g_strdup (self->job_story);
  g_free (entry->model);
  entry->model = g_strdup (models != NULL && models[0] != NULL ? models[0] : "");
  g_free (entry->softprompt);
  entry->softprompt = g_strdup (softprompt ? softprompt : "");
  entry->max_length = horde_model_generation_input_kobold_get_max_length (params);
  entry->max_context_length = horde_model_generation_input_kobold_get_max_context_length (params);
  if (horde_model_generation_input_kobold_has_temperature (params))
    {
      entry->temperature = horde_model_generation_input_kobold_get_temperature (params);
      entry->top_p = horde_model_generation_input_kobold_get_top_p (params);
      entry->top_k = horde_model_generation_input_kobold_get_top_k (params);
      entry->rep_pen = horde_model_generation_input_kobold_get_rep_pen (params);
    }
  g_strfreev (entry->texts);
  entry->texts = g_strdupv ((char **) texts);
  entry->kudos = kudos;
  entry->time = g_get_real_time () / G_USEC_PER_SEC;
  if (!horde_studio_text_history_add (self->history, entry, &error))
    g_warning ("Could not save the text history: %s", error->message);
  fill_history (self);
}

/* ---- running ----------------------------------------------------------- */

static void
job_changed (HordeStudioTextPage *self)
{
  HordeJob *job = HORDE_JOB (self->job);
  g_autofree char *text = NULL;

  if (job == NULL)
    return;
  switch (horde_job_get_state (job))
    {
    case HORDE_JOB_STATE_NEW:
    case HORDE_JOB_STATE_SUBMITTING:
      text = g_strdup (_("Sending the request…"));
      break;
    case HORDE_JOB_STATE_WAITING:
      if (!horde_job_get_is_possible (job))
        text = g_strdup (_("No worker can take this request now: it waits until one can."));
      else if (horde_job_get_queue_position (job) > 0 && horde_job_get_wait_time (job) > 0)
        text = g_strdup_printf (_("Waiting for a worker: number %d in the queue, about %d s"),
                                (int) MIN (horde_job_get_queue_position (job), G_MAXINT),
                                (int) MIN (horde_job_get_wait_time (job), G_MAXINT));
      else if (horde_job_get_queue_position (job) > 0)
        text = g_strdup_printf (_("Waiting for a worker: number %d in the queue"),
                                (int) MIN (horde_job_get_queue_position (job), G_MAXINT));
      else
        text = g_strdup (_("Waiting for a worker…"));
      break;
    case HORDE_JOB_STATE_PROCESSING:
      text = g_strdup (_("A worker is writing…"));
      break;
    case HORDE_JOB_STATE_DOWNLOADING:
      text = g_strdup (_("Fetching the text…"));
      break;
    case HORDE_JOB_STATE_CANCELLING:
      text = g_strdup (_("Cancelling the request on the server…"));
      break;
    default:
      return;
    }
  set_status (self, text, FALSE);
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HordeStudioTextPage) self = user_data;
  g_autoptr(HordeTextJob) job = HORDE_TEXT_JOB (g_object_ref (object));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = horde_job_run_finish (HORDE_JOB (job), result, &error);
  gsize n = 0;
  HordeGenerationKobold * const *generations = horde_text_job_get_generations (job, &n);

  /* the window closed (and cancelled it): the page has no widgets left */
  if (self->stack == NULL)
    return;

  if (self->job == job)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  for (gsize i = 0; i < n && texts->len < 20; i++)
    g_ptr_array_add (texts, clean_generation (horde_generation_kobold_get_text (generations[i])));
  g_ptr_array_add (texts, NULL);

  if (n > 0)
    {
      show_choices (self, (const char * const *) texts->pdata);
      remember (self, horde_text_job_get_request (job), (const char * const *) texts->pdata,
                horde_job_get_kudos (HORDE_JOB (job)));
    }

  if (ok)
    {
      g_autofree char *words = g_strdup_printf (_("Done, for %.0f kudos."), horde_job_get_kudos (HORDE_JOB (job)));

      set_status (self, words, FALSE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Cancelled: the request was deleted on the server."), FALSE);
  else
    {
      g_autofree char *hint = NULL;
      g_autofree char *words = describe (self, error, &hint);
      g_autofree char *text = hint ? g_strdup_printf ("%s %s", words, hint) : g_strdup (words);

      set_status (self, text, TRUE);
    }
  update_actions (self);
}

static void
run (HordeStudioTextPage           *self,
     HordeTextGenerateAsyncRequest *request,
     const char                    *story)
{
  if (self->job != NULL || self->client == NULL)
    return;
  if (request != self->last_request)
    {
      g_clear_pointer (&self->last_request, horde_text_generate_async_request_unref);
      self->last_request = horde_text_generate_async_request_ref (request);
    }
  g_free (self->job_story);
  self->job_story = g_strdup (story);
  clear_choices (self);

  self->job = horde_text_job_new (self->client, request);
  g_signal_connect_object (self->job, "notify", G_CALLBACK (job_changed), self, G_CONNECT_SWAPPED);
  job_changed (self);
  update_actions (self);
  horde_job_run_async (HORDE_JOB (self->job), NULL, run_done, g_object_ref (self));
}

static void
generate (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  HordeStudioTextPage *self = HORDE_STUDIO_TEXT_PAGE (widget);
  g_autoptr(HordeTextGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *story = story_text (self);

  if (self->job != NULL || selected_model (self) == NULL || is_blank (story))
    return;
  request = build_request (self, story, &error);
  if (request == NULL)
    {
      g_autofree char *words = horde_studio_describe_error (error, NULL);

      set_status (self, words, TRUE);
      return;
    }
  run (self, request, story);
}

static void
regenerate (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HordeStudioTextPage *self = HORDE_STUDIO_TEXT_PAGE (widget);
  g_autofree char *story = g_strdup (self->job_story);

  if (self->last_request != NULL)
    run (self, self->last_request, story);
}

static void
cancel (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  HordeStudioTextPage *self = HORDE_STUDIO_TEXT_PAGE (widget);

  if (self->job != NULL)
    horde_job_cancel (HORDE_JOB (self->job));
}

/* ---- public ------------------------------------------------------------ */

static void
connection_changed (HordeStudioTextPage *self)
{
  /* back online: the models the page could not list */
  if (horde_studio_connection_get_reachable (self->connection) &&
      !horde_studio_connection_get_checking (self->connection) &&
      !self->models_listed && self->models_cancellable == NULL)
    load_models (self);
}

/**
 * horde_studio_text_page_set_client:
 * @self: the page
 * @client: the app's client, whose jobs the window cancels when it closes
 * @connection: (nullable): the app's connection, to list the models again
 *   when the server comes back
 *
 * Lists the text models and lets the page generate.
 */
void
horde_studio_text_page_set_client (HordeStudioTextPage   *self,
                                   HordeClient           *client,
                                   HordeStudioConnection *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_TEXT_PAGE (self));

  g_set_object (&self->client, client);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify", G_CALLBACK (connection_changed), self, G_CONNECT_SWAPPED);
  load_models (self);
  update_actions (self);
}

/**
 * horde_studio_text_page_set_history:
 * @self: the page
 * @history: (nullable): where finished generations are kept
 */
void
horde_studio_text_page_set_history (HordeStudioTextPage    *self,
                                    HordeStudioTextHistory *history)
{
  g_return_if_fail (HORDE_STUDIO_IS_TEXT_PAGE (self));

  g_set_object (&self->history, history);
  fill_history (self);
}

/**
 * horde_studio_text_page_get_n_running:
 * @self: the page
 *
 * Returns: how many requests of the page are running (0 or 1)
 */
guint
horde_studio_text_page_get_n_running (HordeStudioTextPage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PAGE (self), 0);
  return self->job != NULL ? 1 : 0;
}

/**
 * horde_studio_text_page_get_job:
 * @self: the page
 *
 * Returns: (transfer none) (nullable): the request running, if any
 */
HordeTextJob *
horde_studio_text_page_get_job (HordeStudioTextPage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_TEXT_PAGE (self), NULL);
  return self->job;
}

static void
story_changed (HordeStudioTextPage *self)
{
  update_actions (self);
  schedule_estimate (self);
}

static void
params_changed (HordeStudioTextPage *self)
{
  update_actions (self);
  schedule_estimate (self);
}

static void
horde_studio_text_page_dispose (GObject *object)
{
  HordeStudioTextPage *self = (HordeStudioTextPage *)object;

  g_clear_handle_id (&self->estimate_source, g_source_remove);
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  g_cancellable_cancel (self->estimate_cancellable);
  g_clear_object (&self->estimate_cancellable);
  /* a running job goes on (the client's cancel_all deletes it when the
   * app quits); the page no longer listens */
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  /* the bin's child is a template child: the bin lets it go first, so
   * that it is not unparented twice */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_TEXT_PAGE);

  G_OBJECT_CLASS (horde_studio_text_page_parent_class)->dispose (object);
}

static void
horde_studio_text_page_finalize (GObject *object)
{
  HordeStudioTextPage *self = (HordeStudioTextPage *)object;

  g_clear_pointer (&self->last_request, horde_text_generate_async_request_unref);
  g_free (self->job_story);

  G_OBJECT_CLASS (horde_studio_text_page_parent_class)->finalize (object);
}

static void
horde_studio_text_page_class_init (HordeStudioTextPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_text_page_dispose;
  object_class->finalize = horde_studio_text_page_finalize;

  g_type_ensure (HORDE_STUDIO_TYPE_FOLD_BIN);
  g_type_ensure (HORDE_STUDIO_TYPE_TEXT_PARAMS);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-text-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioTextPage, name)
  CHILD (stack);
  CHILD (params);
  CHILD (story_view);
  CHILD (generate_button);
  CHILD (cancel_button);
  CHILD (regenerate_button);
  CHILD (price_label);
  CHILD (status_label);
  CHILD (choices_box);
  CHILD (choices_list);
  CHILD (history_stack);
  CHILD (history_list);
  CHILD (empty_page);
  CHILD (retry_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, history_row_activated);

  gtk_widget_class_install_action (widget_class, "text.generate", NULL, generate);
  gtk_widget_class_install_action (widget_class, "text.regenerate", NULL, regenerate);
  gtk_widget_class_install_action (widget_class, "text.cancel", NULL, cancel);
  gtk_widget_class_install_action (widget_class, "text.reload-models", NULL, reload_models);
}

static void
horde_studio_text_page_init (HordeStudioTextPage *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->params, "changed", G_CALLBACK (params_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->story_view), "changed",
                           G_CALLBACK (story_changed), self, G_CONNECT_SWAPPED);

  /* Ctrl+Enter generates, from the editor too */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("text.generate")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("text.generate")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  fill_history (self);
  update_actions (self);
}

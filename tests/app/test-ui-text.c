/* test-ui-text.c: Horde Studio's "Write" page, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). Each test
 * starts the application in this process with its own horde-sim. Where a
 * test must see what the server was sent, the simulator has no text
 * worker of its own: the test is the worker, pops the requests (as a
 * KoboldAI worker does) and reads their prompts there.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "horde-studio-text-page.h"
#include "horde-studio-text-params.h"
#include "ui-driver.h"

#define TEXT_MODEL "koboldcpp/LLaMA2-13B-Psyfighter2"
#define WORKER_NAME "Test Text Worker"

static HordeStudioTextPage *
page (Fixture *f)
{
  return child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "text_page");
}

static gpointer
part (Fixture    *f,
      const char *name)
{
  return child (GTK_WIDGET (page (f)), HORDE_STUDIO_TYPE_TEXT_PAGE, name);
}

/* a widget of the page's parameters */
static gpointer
param (Fixture    *f,
       const char *name)
{
  return child (part (f, "params"), HORDE_STUDIO_TYPE_TEXT_PARAMS, name);
}

static void
type_story (Fixture    *f,
            const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (part (f, "story_view")), text, -1);
}

static char *
story (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (part (f, "story_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (part (f, "stack"));
}

static gboolean
writing (gpointer data)
{
  return g_strcmp0 (visible_page (data), "write") == 0;
}

/* the models are listed, one is chosen */
static gboolean
ready (gpointer data)
{
  return writing (data) && adw_combo_row_get_selected_item (param (data, "model_row")) != NULL;
}

static gboolean
empty (gpointer data)
{
  return g_strcmp0 (visible_page (data), "empty") == 0;
}

/* the test as a text worker: a pop, which also makes the worker (and its
 * model) known to the simulator */
static HordeGenerationPayloadKobold *
text_pop (Fixture *f)
{
  g_autoptr(HordeClient) worker = horde_test_sim_new_client (f->sim);
  g_autoptr(HordeTextGenerateJobPopRequest) pop = NULL;
  g_autoptr(GError) error = NULL;
  HordeGenerationPayloadKobold *payload;

  pop = horde_text_generate_job_pop_request_new_from_json ("{\"name\": \"" WORKER_NAME "\", \"models\": [\"" TEXT_MODEL "\"],"
                                                           " \"max_length\": 512, \"max_context_length\": 8192}", -1, &error);
  g_assert_no_error (error);
  horde_client_set_api_key (worker, TEST_KEY);
  payload = horde_client_send_text_generate_job_pop_request_sync (worker, pop, NULL, &error);
  g_assert_no_error (error);
  return payload;
}

static void
text_submit (Fixture    *f,
             const char *id,
             const char *text)
{
  g_autoptr(HordeClient) worker = horde_test_sim_new_client (f->sim);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HordeTextGenerationJobSubmitRequest) submit = NULL;
  g_autoptr(HordeGenerationSubmitted) answer = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "generation");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  submit = horde_text_generation_job_submit_request_new_from_json_node (root, &error);
  g_assert_no_error (error);
  horde_client_set_api_key (worker, TEST_KEY);
  answer = horde_client_send_text_generation_job_submit_request_sync (worker, submit, NULL, &error);
  g_assert_no_error (error);
}

/* the next generation the page asked for, popped; its prompt returned */
static char *
pop_and_answer (Fixture    *f,
                const char *text)
{
  for (guint tries = 0; tries < 200; tries++)
    {
      g_autoptr(HordeGenerationPayloadKobold) payload = text_pop (f);
      const char *id = horde_generation_payload_kobold_get_id (payload);

      if (id != NULL)
        {
          char *prompt = g_strdup (horde_model_payload_kobold_get_prompt (horde_generation_payload_kobold_get_payload (payload)));

          text_submit (f, id, text);
          return prompt;
        }
      iterate_for (50);
    }
  g_assert_not_reached ();
}

/* the simulator lists the test's worker once it has popped: the page,
 * which found no text model at its start, lists it after "Try Again" */
static void
register_worker (Fixture *f)
{
  g_autoptr(HordeGenerationPayloadKobold) payload = NULL;
  AdwStatusPage *status;

  g_assert_true (iterate_until (empty, f, 10));
  status = part (f, "empty_page");
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Text Models");
  payload = text_pop (f);
  g_assert_null (horde_generation_payload_kobold_get_id (payload));
  click (part (f, "retry_button"));
  g_assert_true (iterate_until (writing, f, 10));
}

static gboolean
job_sent (gpointer data)
{
  HordeTextJob *job = horde_studio_text_page_get_job (page (data));

  return job != NULL && horde_job_get_id (HORDE_JOB (job)) != NULL;
}

static gboolean
no_job (gpointer data)
{
  return horde_studio_text_page_get_job (page (data)) == NULL;
}

static gboolean
choices_shown (gpointer data)
{
  return gtk_widget_get_visible (part (data, "choices_box"));
}

static gboolean
priced (gpointer data)
{
  const char *text = gtk_label_get_text (part (data, "price_label"));

  return g_str_has_prefix (text, "About ") && g_str_has_suffix (text, " kudos");
}

static GtkWidget *
choice_use_button (Fixture *f,
                   guint    position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (part (f, "choices_list"), position);
  GtkWidget *box;

  g_assert_nonnull (row);
  box = gtk_list_box_row_get_child (row);
  return gtk_widget_get_last_child (box);
}

static guint
n_choices (Fixture *f)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (part (f, "choices_list"), n) != NULL)
    n++;
  return n;
}

/* The server cannot be reached: the page says so in words, and lists the
 * models once it can */
static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  AdwStatusPage *status;

  g_assert_true (iterate_until (empty, f, 20));
  status = part (f, "empty_page");
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Text Models Unavailable");
  g_assert_cmpstr (adw_status_page_get_description (status), ==, "Could not reach the Horde.");
  horde_test_sim_set_faults (f->sim, NULL);
  click (part (f, "retry_button"));
  g_assert_true (iterate_until (ready, f, 20));
}

/* Generate (Ctrl+Enter) sends the story to the chosen model with the
 * parameters; the generations come back as choices; "Use" appends one,
 * and the next request's prompt (as the worker gets it) holds it */
static void
test_generate_and_continue (Fixture       *f,
                            gconstpointer  data)
{
  AdwComboRow *model_row;
  g_autofree char *prompt = NULL;
  g_autofree char *second_prompt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *chosen = NULL;
  HordeTextGenerateAsyncRequest *request;
  HordeModelGenerationInputKobold *params;

  register_worker (f);
  model_row = param (f, "model_row");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (model_row)), ==, TEXT_MODEL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (model_row)), ==, "1 worker · no queue");

  /* nothing to continue: nothing to send */
  g_assert_false (gtk_widget_is_sensitive (part (f, "generate_button")));
  type_story (f, "The dragon slept under the mountain.");
  g_assert_true (gtk_widget_is_sensitive (part (f, "generate_button")));
  gtk_spin_button_set_value (param (f, "n_spin"), 2);
  gtk_spin_button_set_value (param (f, "max_length_spin"), 120);
  adw_expander_row_set_enable_expansion (param (f, "sampling_row"), TRUE);
  gtk_spin_button_set_value (param (f, "temperature_spin"), 0.9);

  gtk_widget_grab_focus (part (f, "story_view"));
  g_assert_true (press_key (f, part (f, "story_view"), GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (iterate_until (job_sent, f, 20));
  g_assert_true (gtk_widget_get_visible (part (f, "cancel_button")));
  g_assert_false (gtk_widget_is_sensitive (part (f, "generate_button")));
  g_assert_true (gtk_widget_get_visible (part (f, "status_label")));

  request = horde_text_job_get_request (horde_studio_text_page_get_job (page (f)));
  params = horde_text_generate_async_request_get_params (request);
  g_assert_cmpint (horde_model_generation_input_kobold_get_n (params), ==, 2);
  g_assert_cmpint (horde_model_generation_input_kobold_get_max_length (params), ==, 120);
  g_assert_cmpint (horde_model_generation_input_kobold_get_max_context_length (params), ==, 2048);
  g_assert_cmpfloat_with_epsilon (horde_model_generation_input_kobold_get_temperature (params), 0.9, 1e-9);
  g_assert_cmpstr (horde_text_generate_async_request_get_models (request)[0], ==, TEXT_MODEL);

  /* the worker gets the story, and writes two continuations */
  prompt = pop_and_answer (f, " It dreamt of gold.");
  g_assert_cmpstr (prompt, ==, "The dragon slept under the mountain.");
  g_clear_pointer (&prompt, g_free);
  prompt = pop_and_answer (f, " A knight\x07 came\nby night.");
  g_assert_cmpstr (prompt, ==, "The dragon slept under the mountain.");

  g_assert_true (iterate_until (choices_shown, f, 30));
  g_assert_true (iterate_until (no_job, f, 10));
  g_assert_cmpuint (n_choices (f), ==, 2);
  g_assert_false (gtk_widget_get_visible (part (f, "cancel_button")));

  /* the second choice, without the control character the worker sent */
  for (guint i = 0; i < 2; i++)
    {
      const char *t = g_object_get_data (G_OBJECT (choice_use_button (f, i)), "text");

      if (g_str_has_prefix (t, " A knight"))
        {
          chosen = g_strdup (t);
          click (choice_use_button (f, i));
        }
    }
  g_assert_cmpstr (chosen, ==, " A knight came\nby night.");
  text = story (f);
  g_assert_cmpstr (text, ==, "The dragon slept under the mountain. A knight came\nby night.");
  g_assert_false (gtk_widget_get_visible (part (f, "choices_box")));

  /* the next request continues from there */
  gtk_spin_button_set_value (param (f, "n_spin"), 1);
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (job_sent, f, 20));
  second_prompt = pop_and_answer (f, " The end.");
  g_assert_cmpstr (second_prompt, ==, text);
  g_assert_true (iterate_until (choices_shown, f, 30));
  g_assert_cmpuint (n_choices (f), ==, 1);
}

/* Regenerate asks again with the same prompt, whatever the editor holds */
static void
test_regenerate (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *prompt = NULL;

  register_worker (f);
  g_assert_false (gtk_widget_is_sensitive (part (f, "regenerate_button")));
  type_story (f, "First words.");
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (job_sent, f, 20));
  g_free (pop_and_answer (f, " Second words."));
  g_assert_true (iterate_until (choices_shown, f, 30));
  g_assert_true (iterate_until (no_job, f, 10));

  click (part (f, "regenerate_button"));
  g_assert_true (iterate_until (job_sent, f, 20));
  g_assert_false (gtk_widget_get_visible (part (f, "choices_box")));
  prompt = pop_and_answer (f, " Other words.");
  g_assert_cmpstr (prompt, ==, "First words.");
  g_assert_true (iterate_until (choices_shown, f, 30));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (choice_use_button (f, 0)), "text"), ==, " Other words.");
}

static gboolean
deleted (gpointer data)
{
  Fixture *f = data;
  const char *id = g_object_get_data (G_OBJECT (f->app), "text-job-id");

  return horde_test_sim_job_count (f->sim, id, "delete") == 1;
}

/* Cancel deletes the request on the server and says so */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  register_worker (f);
  type_story (f, "A request no worker takes.");
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (job_sent, f, 20));
  g_object_set_data_full (G_OBJECT (f->app), "text-job-id",
                          g_strdup (horde_job_get_id (HORDE_JOB (horde_studio_text_page_get_job (page (f))))), g_free);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (part (f, "status_label")), "Waiting for a worker"));

  click (part (f, "cancel_button"));
  g_assert_true (iterate_until (deleted, f, 10));
  g_assert_true (iterate_until (no_job, f, 10));
  g_assert_cmpstr (gtk_label_get_text (part (f, "status_label")), ==,
                   "Cancelled: the request was deleted on the server.");
  g_assert_true (gtk_widget_is_sensitive (part (f, "generate_button")));
}

/* Closing the window with a text request running asks, then deletes it
 * on the server, as it does image requests */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  register_worker (f);
  type_story (f, "A request still running when the window closes.");
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (job_sent, f, 20));
  g_object_set_data_full (G_OBJECT (f->app), "text-job-id",
                          g_strdup (horde_job_get_id (HORDE_JOB (horde_studio_text_page_get_job (page (f))))), g_free);

  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (find_dialog (f))),
                            "A request is still running"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog (f)), "cancel");
  f->window = NULL;       /* the application closes it */

  g_assert_true (iterate_until (deleted, f, 10));
}

/* The server refuses: said in words, in the page, not the server's raw
 * answer; the price says it too */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  GtkLabel *status = NULL;

  g_assert_true (iterate_until (ready, f, 10));
  horde_test_sim_set_faults (f->sim, "status:429@POST /api/v2/generate/text/async,rc=TooManyPrompts,"
                                     "message=Parallel requests (1) exceeded \x1b[31m");
  type_story (f, "Refused.");
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (no_job, f, 20));
  status = part (f, "status_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   "You have as many requests waiting on the Horde as it allows. "
                   "Wait for one to finish, or cancel one, then retry.");
  g_assert_false (gtk_widget_get_visible (part (f, "choices_box")));
  g_assert_true (gtk_widget_is_sensitive (part (f, "generate_button")));
  horde_test_sim_set_faults (f->sim, NULL);
}

static gboolean
price_says_error (gpointer data)
{
  return gtk_widget_has_css_class (part (data, "price_label"), "error");
}

typedef struct {
  Fixture *f;
  const char *before;
} PriceChange;

static gboolean
price_changed (gpointer data)
{
  PriceChange *change = data;

  return priced (change->f) && g_strcmp0 (gtk_label_get_text (part (change->f, "price_label")), change->before) != 0;
}

static gboolean
price_text_changed (gpointer data)
{
  PriceChange *change = data;

  return g_strcmp0 (gtk_label_get_text (part (change->f, "price_label")), change->before) != 0;
}

static double
price_of (Fixture *f)
{
  return g_ascii_strtod (gtk_label_get_text (part (f, "price_label")) + strlen ("About "), NULL);
}

/* The price of the request, a dry run, beside Generate; asked again when
 * the parameters change (once they stay still); the dry run queues
 * nothing; a refusal is said there too */
static void
test_price (Fixture       *f,
            gconstpointer  data)
{
  GtkLabel *price = NULL;
  g_autofree char *first = NULL;
  PriceChange change;
  double before;

  g_assert_true (iterate_until (ready, f, 10));
  price = part (f, "price_label");
  g_assert_cmpstr (gtk_label_get_text (price), ==, "");
  type_story (f, "How much is this?");
  g_assert_true (iterate_until (priced, f, 10));
  first = g_strdup (gtk_label_get_text (price));
  before = price_of (f);
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/text/async"), ==, 1);

  /* three generations of a longer text cost more: one dry run for the
   * three changes */
  gtk_spin_button_set_value (param (f, "n_spin"), 3);
  gtk_spin_button_set_value (param (f, "max_length_spin"), 160);
  gtk_spin_button_set_value (param (f, "max_context_spin"), 4096);
  change.f = f;
  change.before = first;
  g_assert_true (iterate_until (price_changed, &change, 10));
  g_assert_cmpfloat (price_of (f), >, before);
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/text/async"), ==, 2);
  g_assert_null (horde_studio_text_page_get_job (page (f)));

  /* more than the anonymous user may ask without kudos: said for text
   * (its length and number), with what to do in the tooltip */
  gtk_spin_button_set_value (param (f, "n_spin"), 20);
  gtk_spin_button_set_value (param (f, "max_length_spin"), 1024);
  g_assert_true (iterate_until (price_says_error, f, 10));
  g_assert_cmpstr (gtk_label_get_text (price), ==, "The Horde asks for kudos upfront for a request this long.");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (price)), "fewer generations"));

  /* refused otherwise: in words too */
  horde_test_sim_set_faults (f->sim, "status:429@POST /api/v2/generate/text/async,rc=TooManyPrompts");
  gtk_spin_button_set_value (param (f, "n_spin"), 2);
  change.before = "The Horde asks for kudos upfront for a request this long.";
  g_assert_true (iterate_until (price_text_changed, &change, 10));
  g_assert_true (price_says_error (f));
  g_assert_cmpstr (gtk_label_get_text (price), ==, "You have as many requests waiting on the Horde as it allows.");
  horde_test_sim_set_faults (f->sim, NULL);
}

static gboolean
params_under_editor (gpointer data)
{
  Fixture *f = data;
  GtkWidget *params = part (f, "params");
  GtkWidget *editor = part (f, "story_view");
  graphene_point_t p, e;

  if (!gtk_widget_get_mapped (params) ||
      !gtk_widget_compute_point (params, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (0, 0), &p) ||
      !gtk_widget_compute_point (editor, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (0, 0), &e))
    return FALSE;
  return p.y > e.y + gtk_widget_get_height (editor);
}

static gboolean
params_beside_editor (gpointer data)
{
  Fixture *f = data;
  GtkWidget *params = part (f, "params");
  GtkWidget *editor = part (f, "story_view");
  graphene_point_t p, e;

  if (!gtk_widget_get_mapped (params) ||
      !gtk_widget_compute_point (params, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (0, 0), &p) ||
      !gtk_widget_compute_point (editor, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (0, 0), &e))
    return FALSE;
  return p.x > e.x + gtk_widget_get_width (editor);
}

/* A phone's width: the window keeps it, the parameters go under the
 * editor; a desktop's: beside it */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_assert_true (iterate_until (ready, f, 10));
  horde_studio_window_show_page (f->window, "write");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  g_assert_true (iterate_until (params_beside_editor, f, 10));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  g_assert_true (iterate_until (params_under_editor, f, 10));
  iterate_for (200);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (part (f, "params")), <=, 360);
}

/* Every finished generation is kept on disk: after a restart, the past
 * story is in the page's history, and reopening it brings back its text,
 * its parameters and its choices */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_assert_true (iterate_until (ready, f, 10));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "history_stack")), ==, "empty");
  type_story (f, "A story to keep.");
  gtk_spin_button_set_value (param (f, "max_length_spin"), 64);
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (choices_shown, f, 60));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "history_stack")), ==, "list");
}

static void
test_history_after_restart (Fixture       *f,
                            gconstpointer  data)
{
  GtkListBox *list;
  GtkListBoxRow *row;
  g_autofree char *text = NULL;

  g_assert_true (iterate_until (ready, f, 10));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "history_stack")), ==, "list");
  list = part (f, "history_list");
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "A story to keep.");

  g_signal_emit_by_name (list, "row-activated", row);
  text = story (f);
  g_assert_cmpstr (text, ==, "A story to keep.");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (param (f, "max_length_spin")), ==, 64);
  g_assert_true (gtk_widget_get_visible (part (f, "choices_box")));
  g_assert_cmpuint (n_choices (f), ==, 1);
}

/* a corrupt history file does not stop the page: it starts empty */
static void
test_corrupt_history (Fixture       *f,
                      gconstpointer  data)
{
  g_test_assert_expected_messages ();
  g_assert_true (iterate_until (ready, f, 10));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "history_stack")), ==, "empty");
  /* and the next generation is kept, in a file the app can read */
  type_story (f, "After the corrupt file.");
  click (part (f, "generate_button"));
  g_assert_true (iterate_until (choices_shown, f, 60));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "history_stack")), ==, "list");
}

static void
write_corrupt_history (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "horde-studio", NULL);
  g_autofree char *path = g_build_filename (folder, "text-history.json", NULL);

  g_mkdir_with_parents (folder, 0700);
  g_assert_true (g_file_set_contents (path, "{\"generations\": [{\"story\": \"x\", \"texts\": [\"\xff\xfe\"]", -1, NULL));
}

/* the store says in the log that it could not read the corrupt file */
static void
expect_warning (void)
{
  if (g_strcmp0 (g_test_get_path (), "/ui-text/corrupt-history") == 0)
    g_test_expect_message ("HordeStudio", G_LOG_LEVEL_WARNING, "Could not read the text history *");
}

/* each test starts from an empty data folder, but the one that starts
 * from a corrupt history */
static void
prepare (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "horde-studio", "text-history.json", NULL);

  g_remove (path);
  if (g_strcmp0 (g_test_get_path (), "/ui-text/corrupt-history") == 0)
    write_corrupt_history ();
}

int
main (int argc, char *argv[])
{
  /* the test is the only text worker, signed in as a user the simulator
   * knows */
  static const char *worker[] = { "--text-workers", "0", "--users", NULL };
  static const char *quick[] = { "--text-workers", "1", "--job-time", "100" };
  static const char *unreachable[] = { "--faults", "drop", "--job-time", "100" };
  static const UiTest tests[] = {
    { "/ui-text/generate-and-continue", test_generate_and_continue, worker },
    { "/ui-text/regenerate", test_regenerate, worker },
    { "/ui-text/cancel", test_cancel, worker },
    { "/ui-text/close", test_close, worker },
    { "/ui-text/error", test_error, quick },
    { "/ui-text/offline", test_offline, unreachable },
    { "/ui-text/price", test_price, quick },
    { "/ui-text/narrow", test_narrow, quick },
    { "/ui-text/history", test_history, quick, .after_restart = test_history_after_restart },
    { "/ui-text/corrupt-history", test_corrupt_history, quick },
  };
  static const UiTestHooks hooks = { .prepare = prepare, .set_up = expect_warning };

  ui_test_init (&argc, &argv);
  worker[3] = ui_test_users ("[{\"key\": \"" TEST_KEY "\", \"username\": \"Tester\", \"id\": 1, "
                             "\"kudos\": 5000, \"trusted\": true}]");
  ui_test_add (tests, G_N_ELEMENTS (tests), &hooks);
  return ui_test_run ();
}

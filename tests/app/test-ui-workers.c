/* test-ui-workers.c: Horde Studio's Workers page against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session and home (see meson.build).
 * Each test starts the application in a process of its own with its own
 * horde-sim. The tests use the page as a user does: the list of the
 * Horde's workers, filtered by type and searched by name or model, a
 * worker's details, the user's own workers with their maintenance switch
 * (and the Horde's refusal said in words when the key is not the
 * owner's), a moderator's pause switch, the allow and block lists
 * reaching the image requests (seen
 * on the sim's side: which worker's pop gets the job), hostile names
 * shown plain and bounded, and the page at 360 px.
 */

#include "config.h"

#include <string.h>

#include "horde-studio-worker-item.h"
#include "horde-studio-worker-lists.h"
#include "horde-studio-worker-row.h"
#include "horde-studio-worker-view.h"
#include "horde-studio-workers-page.h"
#include "ui-driver.h"

/* another user of the sim, who owns none of the test's workers */
#define OTHER_KEY "UiOtherKey-0123456789a"
/* a moderator of the sim */
#define MODERATOR_KEY "UiModeratorKey-0123456"

#define POP(name) \
  "{\"name\": \"" name "\", \"models\": [\"stable_diffusion\"], \"max_pixels\": 1048576," \
  " \"bridge_agent\": \"AI Horde Worker reGen:9.0.6:https://example.org\", \"nsfw\": true}"

static HordeStudioWorkersPage *
page (Fixture *f)
{
  return HORDE_STUDIO_WORKERS_PAGE (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "workers_page"));
}

static gpointer
part (Fixture    *f,
      const char *name)
{
  return child (GTK_WIDGET (page (f)), HORDE_STUDIO_TYPE_WORKERS_PAGE, name);
}

static GListModel *
model (Fixture *f)
{
  return horde_studio_workers_page_get_model (page (f));
}

typedef struct {
  Fixture *f;
  guint n;
} Count;

static gboolean
listed (gpointer data)
{
  Count *count = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (part (count->f, "all_stack")), "list") == 0 &&
         g_list_model_get_n_items (model (count->f)) == count->n;
}

static gboolean
all_says (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (part (f, "all_stack")), "message") == 0;
}

static HordeWorkerDetails *
worker_at (Fixture *f,
           guint    position)
{
  g_autoptr(HordeStudioWorkerItem) item = g_list_model_get_item (model (f), position);

  g_assert_nonnull (item);
  return horde_studio_worker_item_get_details (item);
}

static HordeWorkerDetails *
worker_named (Fixture    *f,
              const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model (f)); i++)
    if (g_strcmp0 (horde_worker_details_get_name (worker_at (f, i)), name) == 0)
      return worker_at (f, i);
  g_error ("no worker “%s” listed", name);
}

static void
search (Fixture    *f,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (part (f, "search_entry")), text);
  /* a search entry waits a moment before it says the text changed */
  g_signal_emit_by_name (part (f, "search_entry"), "search-changed");
}

/* the page's rows as the list view shows them */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (HORDE_STUDIO_IS_WORKER_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_rows (c, rows);
}

static HordeStudioWorkerRow *
shown_row (Fixture    *f,
           const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (part (f, "list_view"), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      HordeWorkerDetails *worker = horde_studio_worker_row_get_worker (g_ptr_array_index (rows, i));

      if (worker != NULL && g_strcmp0 (horde_worker_details_get_name (worker), name) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

static const char *
label_text (GtkWidget  *widget,
            const char *name)
{
  GtkWidget *label = find_named (widget, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
subtitle_of (GtkWidget  *widget,
             const char *name)
{
  GtkWidget *row = find_named (widget, name);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
open_page (Fixture *f,
           guint    n_workers)
{
  Count count = { f, n_workers };

  horde_studio_window_show_page (f->window, "workers");
  g_assert_true (iterate_until (listed, &count, 20));
}

/* The Horde's workers, all types at first (the sim's three image workers,
 * its text and its alchemy worker); one type asks the server again with
 * ?type=; the search keeps the workers whose name or a model matches;
 * each row says the type, models, speed and kudos, and the badges */
static void
test_browse (Fixture       *f,
             gconstpointer  data)
{
  Count text = { f, 1 };
  Count all = { f, 5 };
  HordeStudioWorkerRow *row;
  const char *summary;

  open_page (f, 5);
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/workers"), ==, 1);

  /* Text: asked of the server */
  gtk_drop_down_set_selected (part (f, "type_dropdown"), 2);
  g_assert_true (iterate_until (listed, &text, 20));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/workers"), ==, 2);
  g_assert_cmpstr (horde_worker_details_get_name (worker_at (f, 0)), ==, "sim-scribe");
  iterate_for (100);
  row = shown_row (f, "sim-scribe");
  g_assert_nonnull (row);
  g_assert_cmpstr (label_text (GTK_WIDGET (row), "worker-name"), ==, "sim-scribe");
  summary = label_text (GTK_WIDGET (row), "worker-summary");
  g_assert_true (g_str_has_prefix (summary, "Text · 1 model · 25.0 tokens/s · 0 kudos · up "));
  g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (row), "badge-trusted")));
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (row), "badge-maintenance")));
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (row), "badge-offline")));

  /* all types again, then searched: by name, by model, case aside */
  gtk_drop_down_set_selected (part (f, "type_dropdown"), 0);
  g_assert_true (iterate_until (listed, &all, 20));
  search (f, "BOREALIS");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 1);
  g_assert_cmpstr (horde_worker_details_get_name (worker_at (f, 0)), ==, "sim-borealis");
  search (f, "realistic vision");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 1);
  g_assert_cmpstr (horde_worker_details_get_name (worker_at (f, 0)), ==, "sim-cirrus");
  search (f, "deliberate");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 3);
  search (f, "no such worker");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 0);
  g_assert_true (all_says (f));
  g_assert_cmpstr (adw_status_page_get_title (part (f, "all_status")), ==, "No Workers Found");
  search (f, "");
  g_assert_true (iterate_until (listed, &all, 5));

  /* Refresh asks again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (f)), "workers.refresh", NULL));
  g_assert_true (iterate_until (listed, &all, 20));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/workers"), ==, 4);
}

/* A worker picked in the list: its details on a view of their own, back
 * to the list after */
static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  HordeStudioWorkerView *view;
  GtkWidget *models;

  open_page (f, 5);
  search (f, "sim-borealis");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 1);
  /* as a click on the row does */
  g_signal_emit_by_name (part (f, "list_view"), "activate", 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "views")), ==, "details");

  view = part (f, "worker_view");
  g_assert_cmpstr (horde_worker_details_get_name (horde_studio_worker_view_get_worker (view)), ==, "sim-borealis");
  g_assert_cmpstr (label_text (GTK_WIDGET (view), "worker-title"), ==, "sim-borealis");
  models = find_named (GTK_WIDGET (view), "worker-models");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (models)), ==, "3 models");
  g_assert_cmpstr (subtitle_of (GTK_WIDGET (view), "worker-max-pixels"), ==,
                   "1048576 pixels (1024 × 1024)");
  g_assert_cmpstr (subtitle_of (GTK_WIDGET (view), "worker-speed"), ==,
                   "2.0 megapixelsteps/s");
  g_assert_cmpstr (subtitle_of (GTK_WIDGET (view), "worker-maintenance"), ==, "No");
  /* an image worker may go on the lists */
  g_assert_true (gtk_widget_is_visible (find_named (GTK_WIDGET (view), "worker-allow")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (f)), "workers.back", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "views")), ==, "main");

  /* a text worker has no lists: they are for image requests */
  search (f, "sim-scribe");
  horde_studio_workers_page_show_worker (page (f), worker_at (f, 0));
  g_assert_false (gtk_widget_is_visible (find_named (GTK_WIDGET (view), "worker-allow")));
  g_assert_nonnull (find_named (GTK_WIDGET (view), "worker-max-context"));
}

/* A name the server gives with markup and control characters is shown as
 * the plain text it is, on one line, bounded */
static void
test_hostile_name (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HordeGenerationPayloadStable) payload =
    worker_pop (f, "{\"name\": \"<b>bold</b>\\u0007\\u202eevil\", \"models\": [\"<i>m</i>\"]}");
  HordeStudioWorkerRow *row;
  const char *shown;

  /* the sim's text and alchemy workers, and this one */
  open_page (f, 3);
  search (f, "evil");
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 1);
  iterate_for (100);
  row = shown_row (f, "<b>bold</b>\a\u202eevil");
  g_assert_nonnull (row);
  shown = label_text (GTK_WIDGET (row), "worker-name");
  g_assert_cmpstr (shown, ==, "<b>bold</b>  evil");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (find_named (GTK_WIDGET (row), "worker-name"))));

  horde_studio_workers_page_show_worker (page (f), worker_at (f, 0));
  g_assert_cmpstr (label_text (GTK_WIDGET (part (f, "worker_view")), "worker-title"), ==, "<b>bold</b>  evil");
}

static gboolean
mine_listed (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (part (f, "mine_stack")), "list") == 0;
}

static gboolean
mine_says (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (part (f, "mine_stack")), "message") == 0;
}

static gboolean
switch_settled (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
mine_message_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (part (f, "mine_message"));
}

static HordeWorkerDetails *
sim_worker (Fixture    *f,
            const char *id)
{
  g_autoptr(HordeClient) client = horde_test_sim_new_client (f->sim);
  g_autoptr(HordeSingleWorkerDetailsRequestBuilder) builder = horde_single_worker_details_request_builder_new ();
  g_autoptr(HordeSingleWorkerDetailsRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  HordeWorkerDetails *worker;

  horde_single_worker_details_request_builder_set_worker_id (builder, id);
  request = horde_single_worker_details_request_builder_end (builder, &error);
  g_assert_no_error (error);
  worker = horde_client_send_single_worker_details_request_sync (client, request, NULL, &error);
  g_assert_no_error (error);
  return worker;
}

/* "Mine": without a key, what to do; with the key of the user who runs a
 * worker, the worker and its maintenance switch, which the Horde follows;
 * with another user's key, the Horde's refusal in words, and the switch
 * back where it was. Not a moderator: no pause switch. */
static void
test_mine (Fixture       *f,
           gconstpointer  data)
{
  HordeClient *client = horde_studio_application_get_client (f->app);
  g_autoptr(HordeGenerationPayloadStable) payload = worker_pop (f, POP ("my-painter"));
  g_autoptr(HordeWorkerDetails) on_sim = NULL;
  GtkSwitch *maintenance;
  GtkWidget *row;

  horde_studio_window_show_page (f->window, "workers");
  horde_studio_workers_page_show_section (page (f), "mine");
  g_assert_true (iterate_until (mine_says, f, 20));
  g_assert_cmpstr (adw_status_page_get_title (part (f, "mine_status")), ==, "No API Key");

  horde_client_set_api_key (client, TEST_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (f)), "workers.refresh", NULL));
  g_assert_true (iterate_until (mine_listed, f, 20));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/find_user"), >=, 1);
  row = find_named (part (f, "mine_box"), "mine-worker");
  g_assert_nonnull (row);
  g_assert_null (find_named (part (f, "mine_box"), "paused-switch"));
  maintenance = GTK_SWITCH (find_named (part (f, "mine_box"), "maintenance-switch"));
  g_assert_nonnull (maintenance);
  g_assert_false (gtk_switch_get_state (maintenance));

  /* the owner puts it in maintenance */
  gtk_switch_set_active (maintenance, TRUE);
  iterate_for (10);
  g_assert_true (iterate_until (switch_settled, maintenance, 20));
  g_assert_true (gtk_switch_get_state (maintenance));
  g_assert_false (gtk_widget_get_visible (part (f, "mine_message")));
  {
    HordeWorkerDetails *shown = g_object_get_data (G_OBJECT (maintenance), "worker");

    on_sim = sim_worker (f, horde_worker_details_get_id (shown));
  }
  g_assert_true (horde_worker_details_get_maintenance_mode (on_sim));

  /* another user's key: the Horde refuses, the page says why */
  horde_client_set_api_key (client, OTHER_KEY);
  gtk_switch_set_active (maintenance, FALSE);
  g_assert_true (iterate_until (mine_message_shown, f, 20));
  g_assert_true (iterate_until (switch_settled, maintenance, 20));
  g_assert_nonnull (strstr (gtk_label_get_text (part (f, "mine_message")), "Only the worker’s owner can put “my-painter” in maintenance"));
  g_assert_true (gtk_switch_get_state (maintenance));
  g_assert_true (gtk_switch_get_active (maintenance));
  g_clear_pointer (&on_sim, horde_worker_details_unref);
  on_sim = sim_worker (f, horde_worker_details_get_id (g_object_get_data (G_OBJECT (maintenance), "worker")));
  g_assert_true (horde_worker_details_get_maintenance_mode (on_sim));

  /* the details from there */
  g_signal_emit_by_name (gtk_list_box_get_row_at_index (GTK_LIST_BOX (row), 0), "activated");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (part (f, "views")), ==, "details");
  g_assert_cmpstr (label_text (GTK_WIDGET (part (f, "worker_view")), "worker-title"), ==, "my-painter");
}

/* A moderator's own worker: the pause switch too, which the Horde follows */
static void
test_moderator (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HordeClient) worker = horde_test_sim_new_client (f->sim);
  g_autoptr(HordeImageGenerateJobPopRequest) pop = NULL;
  g_autoptr(HordeGenerationPayloadStable) payload = NULL;
  g_autoptr(HordeWorkerDetails) on_sim = NULL;
  g_autoptr(GError) error = NULL;
  GtkSwitch *paused;

  pop = horde_image_generate_job_pop_request_new_from_json (POP ("moderated-painter"), -1, &error);
  g_assert_no_error (error);
  horde_client_set_api_key (worker, MODERATOR_KEY);
  payload = horde_client_send_image_generate_job_pop_request_sync (worker, pop, NULL, &error);
  g_assert_no_error (error);

  horde_client_set_api_key (horde_studio_application_get_client (f->app), MODERATOR_KEY);
  horde_studio_window_show_page (f->window, "workers");
  horde_studio_workers_page_show_section (page (f), "mine");
  g_assert_true (iterate_until (mine_listed, f, 20));
  paused = GTK_SWITCH (find_named (part (f, "mine_box"), "paused-switch"));
  g_assert_nonnull (paused);
  g_assert_false (gtk_switch_get_state (paused));
  gtk_switch_set_active (paused, TRUE);
  iterate_for (10);
  g_assert_true (iterate_until (switch_settled, paused, 20));
  g_assert_true (gtk_switch_get_state (paused));

  /* the Horde shows "paused" to a moderator only */
  {
    g_autoptr(HordeSingleWorkerDetailsRequestBuilder) builder = horde_single_worker_details_request_builder_new ();
    g_autoptr(HordeSingleWorkerDetailsRequest) request = NULL;

    horde_single_worker_details_request_builder_set_worker_id (builder,
      horde_worker_details_get_id (g_object_get_data (G_OBJECT (paused), "worker")));
    request = horde_single_worker_details_request_builder_end (builder, &error);
    g_assert_no_error (error);
    on_sim = horde_client_send_single_worker_details_request_sync (worker, request, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_true (horde_worker_details_get_paused (on_sim));
}

static const char *
pop_id (Fixture    *f,
        const char *pop)
{
  g_autoptr(HordeGenerationPayloadStable) payload = worker_pop (f, pop);
  const char *id = horde_generation_payload_stable_get_id (payload);

  return g_intern_string (id);
}

typedef struct {
  Fixture *f;
  guint n;
} Jobs;

static gboolean
jobs_sent (gpointer data)
{
  Jobs *jobs = data;

  if (g_list_model_get_n_items (jobs_model (jobs->f)) < jobs->n)
    return FALSE;
  for (guint i = 0; i < jobs->n; i++)
    if (!job_has_id (job_at (jobs->f, i)))
      return FALSE;
  return TRUE;
}

/* one more image request, on the Horde's queue */
static void
generate (Fixture    *f,
          const char *prompt)
{
  Jobs jobs = { f, g_list_model_get_n_items (jobs_model (f)) + 1 };

  type_prompt (f, prompt);
  press_generate (f);
  g_assert_true (iterate_until (jobs_sent, &jobs, 20));
}

/* "Always Use" in a worker's details: the next image request goes to
 * that worker only (another worker's pop does not get it); "Never Use":
 * the worker moves to the other list and the request goes to any worker
 * but it. The lists show the names and remove them. */
static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(HordeGenerationPayloadStable) first = worker_pop (f, POP ("chosen-painter"));
  g_autoptr(HordeGenerationPayloadStable) second = worker_pop (f, POP ("other-painter"));
  GSettings *settings = horde_studio_application_get_settings (f->app);
  HordeStudioWorkerView *view;
  HordeWorkerDetails *chosen;
  g_auto(GStrv) names = NULL;

  horde_client_set_api_key (horde_studio_application_get_client (f->app), TEST_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.refresh-models", NULL));
  select_model (f, "stable_diffusion");

  open_page (f, 4);
  chosen = worker_named (f, "chosen-painter");
  horde_studio_workers_page_show_worker (page (f), chosen);
  view = part (f, "worker_view");
  click (find_named (GTK_WIDGET (view), "worker-allow"));
  g_assert_true (horde_studio_worker_lists_contains (settings, HORDE_STUDIO_WORKER_ALLOW_KEY,
                                                     horde_worker_details_get_id (chosen)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_named (GTK_WIDGET (view), "worker-allow"))), ==, "Stop Always Using");
  g_assert_cmpuint (horde_studio_worker_lists_get (settings, HORDE_STUDIO_WORKER_ALLOW_KEY, NULL, &names), ==, 1);
  g_assert_cmpstr (names[0], ==, "chosen-painter");
  g_assert_nonnull (find_named (part (f, "allow_group"), "list-remove"));
  g_assert_null (find_named (part (f, "block_group"), "list-remove"));

  /* the request names it: only it gets the job */
  horde_studio_window_show_page (f->window, "create");
  generate (f, "a lighthouse for the chosen one");
  g_assert_null (pop_id (f, POP ("other-painter")));
  g_assert_nonnull (pop_id (f, POP ("chosen-painter")));

  /* never use it: the block list, and the allow list is empty again */
  horde_studio_window_show_page (f->window, "workers");
  click (find_named (GTK_WIDGET (view), "worker-block"));
  g_assert_false (horde_studio_worker_lists_contains (settings, HORDE_STUDIO_WORKER_ALLOW_KEY,
                                                      horde_worker_details_get_id (chosen)));
  g_assert_true (horde_studio_worker_lists_contains (settings, HORDE_STUDIO_WORKER_BLOCK_KEY,
                                                     horde_worker_details_get_id (chosen)));
  g_assert_null (find_named (part (f, "allow_group"), "list-remove"));
  g_assert_nonnull (find_named (part (f, "block_group"), "list-remove"));
  horde_studio_window_show_page (f->window, "create");
  generate (f, "a lighthouse for anyone else");
  g_assert_null (pop_id (f, POP ("chosen-painter")));
  g_assert_nonnull (pop_id (f, POP ("other-painter")));

  /* removed in the Lists section: requests go to anyone again */
  horde_studio_window_show_page (f->window, "workers");
  horde_studio_workers_page_show_section (page (f), "lists");
  click (find_named (part (f, "block_group"), "list-remove"));
  g_assert_cmpuint (horde_studio_worker_lists_get (settings, HORDE_STUDIO_WORKER_BLOCK_KEY, NULL, NULL), ==, 0);
  g_assert_null (find_named (part (f, "block_group"), "list-remove"));
  horde_studio_window_show_page (f->window, "create");
  generate (f, "a lighthouse for the chosen one again");
  g_assert_nonnull (pop_id (f, POP ("chosen-painter")));
}

/* At most five workers on a list, as the API says; the sixth is refused
 * in words */
static void
test_list_limit (Fixture       *f,
                 gconstpointer  data)
{
  GSettings *settings = horde_studio_application_get_settings (f->app);
  HordeStudioWorkerView *view;
  GtkWidget *message;

  for (guint i = 0; i < HORDE_STUDIO_WORKER_LIST_MAX; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autofree char *name = g_strdup_printf ("worker %u", i);

      g_assert_true (horde_studio_worker_lists_add (settings, HORDE_STUDIO_WORKER_BLOCK_KEY, id, name));
    }
  open_page (f, 5);
  horde_studio_workers_page_show_worker (page (f), worker_named (f, "sim-aurora"));
  view = part (f, "worker_view");
  message = find_named (GTK_WIDGET (view), "worker-lists-message");
  g_assert_false (gtk_widget_get_visible (message));
  click (find_named (GTK_WIDGET (view), "worker-block"));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "at most five workers"));
  g_assert_cmpuint (horde_studio_worker_lists_get (settings, HORDE_STUDIO_WORKER_BLOCK_KEY, NULL, NULL), ==,
                    HORDE_STUDIO_WORKER_LIST_MAX);
}

/* The Horde failing: the list says so in words, and Try Again asks again */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  horde_test_sim_set_faults (f->sim, "status:500@GET /api/v2/workers");
  horde_studio_window_show_page (f->window, "workers");
  g_assert_true (iterate_until (all_says, f, 60));
  g_assert_cmpstr (adw_status_page_get_title (part (f, "all_status")), ==, "Could Not Load the Workers");
  g_assert_true (g_str_has_prefix (adw_status_page_get_description (part (f, "all_status")),
                                   "The Horde had a problem with this request."));
  g_assert_true (gtk_widget_get_visible (part (f, "all_retry")));
  horde_test_sim_set_faults (f->sim, NULL);
  {
    Count all = { f, 5 };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (f)), "workers.refresh", NULL));
    g_assert_true (iterate_until (listed, &all, 20));
  }
}

static gboolean
window_offline (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "offline_icon"));
}

/* The Horde out of reach: the page says so without asking, and lists the
 * workers by itself once the Horde is back */
static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  Count all = { f, 5 };

  g_assert_true (iterate_until (window_offline, f, 20));
  horde_studio_window_show_page (f->window, "workers");
  g_assert_true (iterate_until (all_says, f, 5));
  g_assert_cmpstr (adw_status_page_get_title (part (f, "all_status")), ==, "Offline");
  g_assert_nonnull (strstr (adw_status_page_get_description (part (f, "all_status")), "Could not reach the Horde"));
  g_assert_cmpint (horde_test_sim_count (f->sim, "GET /api/v2/workers"), ==, 0);

  horde_test_sim_set_faults (f->sim, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry-connection", NULL));
  g_assert_true (iterate_until (listed, &all, 20));
}

static gboolean
narrow_laid_out (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->window)) <= 360 &&
         gtk_widget_get_width (GTK_WIDGET (page (f))) > 0;
}

static void
dump_wide (GtkWidget *w, int depth)
{
  int min = 0;

  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min > 340)
    g_printerr ("%*s%s %s %d\n", depth, "", G_OBJECT_TYPE_NAME (w), gtk_widget_get_name (w), min);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump_wide (c, depth + 1);
}

/* A phone: the list, the details and the lists fit 360 px */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  int minimum = 0;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  open_page (f, 5);
  if (!iterate_until (narrow_laid_out, f, 10))
    {
      gtk_widget_measure (GTK_WIDGET (page (f)), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      dump_wide (GTK_WIDGET (page (f)), 0);
      g_error ("window %d wide, the page needs %d", gtk_widget_get_width (GTK_WIDGET (f->window)), minimum);
    }
  gtk_widget_measure (GTK_WIDGET (page (f)), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  horde_studio_workers_page_show_worker (page (f), worker_named (f, "sim-borealis"));
  iterate_for (200);
  gtk_widget_measure (GTK_WIDGET (page (f)), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);

  horde_studio_workers_page_show_section (page (f), "lists");
  iterate_for (200);
  gtk_widget_measure (GTK_WIDGET (page (f)), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
}

int
main (int argc, char *argv[])
{
  /* users the simulator knows, and no simulated image worker: the
   * test's own workers take the jobs */
  static const char *keyed[] = { "--users", NULL, "--workers", "0" };
  /* every connection to the sim breaks */
  static const char *unreachable[] = { "--faults", "drop", "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui-workers/browse", test_browse },
    { "/ui-workers/details", test_details },
    { "/ui-workers/hostile-name", test_hostile_name, keyed },
    { "/ui-workers/mine", test_mine, keyed },
    { "/ui-workers/moderator", test_moderator, keyed },
    { "/ui-workers/lists", test_lists, keyed },
    { "/ui-workers/list-limit", test_list_limit },
    { "/ui-workers/error", test_error },
    { "/ui-workers/offline", test_offline, unreachable },
    { "/ui-workers/narrow", test_narrow },
  };

  ui_test_init (&argc, &argv);
  keyed[1] = ui_test_users ("[{\"key\": \"" TEST_KEY "\", \"username\": \"Tester\", \"id\": 1, "
                            "\"kudos\": 5000, \"trusted\": true},"
                            " {\"key\": \"" OTHER_KEY "\", \"username\": \"Other\", \"id\": 2, "
                            "\"kudos\": 10},"
                            " {\"key\": \"" MODERATOR_KEY "\", \"username\": \"Moderator\", \"id\": 3, "
                            "\"kudos\": 10, \"moderator\": true}]");
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

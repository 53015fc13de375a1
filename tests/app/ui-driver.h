/* ui-driver.h: drive Horde Studio's window as a user does, for UI tests and screenshots
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "horde-studio-application.h"
#include "horde-studio-job-row.h"
#include "horde-studio-window.h"
#include "horde-test-sim.h"

G_BEGIN_DECLS

/* the key of the user that ui_test_users() files are written for */
#define TEST_KEY "UiTestKey-0123456789ab"

typedef struct {
  HordeTestSim *sim;
  char *gallery_dir;
  HordeStudioApplication *app;
  HordeStudioWindow *window;
} Fixture;

extern GPtrArray *notifications;

/* set (by a test, before its application starts): where the app loads
 * the image model reference from, instead of horde-sim's copy */
extern char *ui_test_model_reference_url;

/**
 * UiTestFunc:
 * @f: the fixture: the application started on the test's horde-sim
 * @data: the test's sim options; in a test with restarts, the run's
 *   number (GUINT_TO_POINTER), 0 first
 */
typedef void (*UiTestFunc) (Fixture *f, gconstpointer data);

/* A test of the window. Each runs in a process of its own: an
 * application, once started, keeps its D-Bus objects until the process
 * ends. A test with restarts runs in a process a run, one after the
 * other, on one horde-sim and one gallery folder (its notes in
 * $HORDE_TEST_NOTES): @func first, then @after_restart where there is
 * one, else @func again. */
typedef struct {
  const char *path;
  UiTestFunc func;
  const char * const *sim_args;   /* horde-sim's, as fixture_set_up takes them */
  UiTestFunc after_restart;       /* set: two runs */
  guint runs;                     /* more than one: restarted between them */
} UiTest;

/* What a test file does around each of its tests */
typedef struct {
  void (*prepare) (void);         /* in the parent, before the test's processes */
  void (*set_up) (void);          /* in each test process, before the application */
  void (*tear_down) (void);       /* in each test process, after it */
} UiTestHooks;

void                ui_test_init              (int        *argc,
                                               char     ***argv);
const char         *ui_test_users             (const char *json);
void                ui_test_add               (const UiTest *tests,
                                               gsize       n_tests,
                                               const UiTestHooks *hooks);
int                 ui_test_run               (void);

gboolean            iterate_until             (gboolean  (*condition) (gpointer),
                                               gpointer    data,
                                               guint       seconds);
void                iterate_for               (guint       ms);
void                remove_tree               (const char *path);
GtkSwitch          *preferences_switch        (GtkWidget  *widget,
                                               const char *title);
void                assert_harmless           (const char *text,
                                               glong       max_chars);
void                app_start                 (Fixture    *f);
void                app_start_on              (Fixture    *f,
                                               const char *server_url);
void                app_stop                  (Fixture    *f);
void                fixture_set_up            (Fixture    *f,
                                               gconstpointer data);
void                fixture_tear_down         (Fixture    *f,
                                               gconstpointer data);
void                start_notification_server (void);
gpointer            child                     (GtkWidget  *widget,
                                               GType       type,
                                               const char *name);
HordeStudioCompose *compose                   (Fixture    *f);
gpointer            compose_part              (Fixture    *f,
                                               const char *name);
void                type_prompt               (Fixture    *f,
                                               const char *text);
void                set_spin                  (Fixture    *f,
                                               const char *name,
                                               double      value);
void                press_generate            (Fixture    *f);
GListModel         *jobs_model                (Fixture    *f);
HordeStudioJob     *job_at                    (Fixture    *f,
                                               guint       position);
HordeStudioJobRow  *row_at                    (Fixture    *f,
                                               guint       position);
GtkWindow          *find_dialog               (Fixture    *f);
gboolean            dialog_shown              (gpointer    data);
gboolean            job_ended                 (gpointer    data);
gboolean            job_has_id                (gpointer    data);
gboolean            job_has_finished_one      (gpointer    data);
gboolean            window_inactive           (gpointer    data);
gboolean            notified                  (gpointer    data);
gboolean            sim_saw_request           (gpointer    data);
guint               string_position           (GListModel *model,
                                               const char *value);
void                select_in                 (AdwComboRow *row,
                                               const char *value);
GtkDropDown        *model_dropdown            (Fixture    *f);
gboolean            models_listed             (gpointer    data);
void                select_model              (Fixture    *f,
                                               const char *name);
void                set_source_fill           (Fixture    *f,
                                               int         width,
                                               int         height,
                                               gboolean    has_alpha,
                                               guint32     rgba);
void                click                     (gpointer    button);
GtkWidget          *find_named                (GtkWidget  *widget,
                                               const char *name);
GtkWidget          *find_window               (GType       type);
gboolean            grid_filled               (gpointer    data);
gboolean            no_dialog                 (gpointer    data);
gpointer            find_controller           (GtkWidget  *widget,
                                               GType       type);
HordeGenerationPayloadStable *worker_pop     (Fixture    *f,
                                               const char *pop_json);
gboolean            press_key                 (Fixture    *f,
                                               GtkWidget  *from,
                                               guint       keyval,
                                               GdkModifierType modifiers);

G_END_DECLS

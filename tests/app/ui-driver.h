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

typedef struct {
  HordeTestSim *sim;
  char *gallery_dir;
  HordeStudioApplication *app;
  HordeStudioWindow *window;
} Fixture;

extern GPtrArray *notifications;

gboolean            iterate_until             (gboolean  (*condition) (gpointer),
                                               gpointer    data,
                                               guint       seconds);
void                iterate_for               (guint       ms);
void                remove_tree               (const char *path);
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
gboolean            press_key                 (Fixture    *f,
                                               GtkWidget  *from,
                                               guint       keyval,
                                               GdkModifierType modifiers);

G_END_DECLS

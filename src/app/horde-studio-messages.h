/* horde-studio-messages.h: errors of the Horde in words, with what fixes them
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *horde_studio_describe_error     (const GError  *error,
                                       char         **hint);
char *horde_studio_describe_error_for (const GError  *error,
                                       gboolean       signed_in,
                                       char         **hint);
char *horde_studio_server_text        (const char    *text);
char *horde_studio_describe_warning   (const char    *code,
                                       const char    *message);
char *horde_studio_describe_wait      (gboolean       is_possible,
                                       gint64         wait_time,
                                       gint64         since_check,
                                       gint64         processing);
char *horde_studio_describe_estimate  (double         dry_run_kudos);
char *horde_studio_describe_expected_cost (double         accepted_kudos,
                                           gint64         n);
char *horde_studio_describe_cost      (double         kudos,
                                       double         tax,
                                       gboolean       cancelled,
                                       guint          n_images,
                                       gint64         n_requested);
char *horde_studio_describe_queue     (gboolean       has_jobs,
                                       double         jobs,
                                       double         queued);

G_END_DECLS

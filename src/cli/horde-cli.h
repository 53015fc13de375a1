/* horde-cli.h: what the subcommands of `horde` share
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stdio.h>

#include <libhorde.h>

G_BEGIN_DECLS

typedef struct _HordeCliCommand HordeCliCommand;

struct _HordeCliCommand {
  const char *name;
  const char *parameter_string;
  const char *summary;
  int (*run) (const HordeCliCommand *command, int argc, char **argv);
};

/* exit statuses */
#define HORDE_CLI_EXIT_OK        0
#define HORDE_CLI_EXIT_FAILURE   1
#define HORDE_CLI_EXIT_USAGE     2
#define HORDE_CLI_EXIT_CANCELLED 130

/* how much of a server's words one line shows, in characters: a name or
 * an id, and a message on the error line */
#define HORDE_CLI_MAX_NAME 200
#define HORDE_CLI_MAX_LINE 1000

void            horde_cli_output_init    (void);
char           *horde_cli_safe_text      (const char            *text,
                                          gssize                 max_chars,
                                          gboolean               one_line);
char           *horde_cli_name           (const char            *text);
void            horde_cli_write          (FILE                  *stream,
                                          const char            *text);

GOptionEntry   *horde_cli_global_entries (void);
GOptionContext *horde_cli_context_new    (const HordeCliCommand *command,
                                          const GOptionEntry    *entries);
gboolean        horde_cli_parse          (GOptionContext        *context,
                                          int                   *argc,
                                          char                ***argv);
HordeClient    *horde_cli_client_new     (void);
int             horde_cli_fail           (const GError          *error);
int             horde_cli_fail_with      (const GError          *error,
                                          const char            *words);
char           *horde_cli_error_text     (const GError          *error,
                                          const char            *words);
int             horde_cli_usage          (GOptionContext        *context,
                                          const char            *message);
gboolean        horde_cli_check_choice   (const char            *value,
                                          const char            *first_choice,
                                          ...) G_GNUC_NULL_TERMINATED;
int             horde_cli_print_json     (char                  *json);
const char     *horde_cli_or             (const char            *text,
                                          const char            *fallback);
gboolean        horde_cli_job_run        (HordeJob              *job,
                                          GError               **error);

/* Says why nobody serves a job's request: calls @done once, with the
 * reason in words or NULL when it finds none (or @cancellable fires) */
typedef void (*HordeCliUnservedDone) (const char *why,
                                      gpointer    user_data);
typedef void (*HordeCliUnservedFunc) (HordeJob             *job,
                                      GCancellable         *cancellable,
                                      HordeCliUnservedDone  done,
                                      gpointer              done_data,
                                      gpointer              user_data);

gboolean        horde_cli_job_run_full   (HordeJob              *job,
                                          HordeCliUnservedFunc   unserved,
                                          gpointer               unserved_data,
                                          GError               **error);
void            horde_cli_warn           (const char            *text);
gboolean        horde_cli_bridge_can_upload_r2 (const char      *bridge_agent);
char           *horde_cli_why_unserved   (HordeImageGenerateAsyncRequest *request,
                                          HordeWorkerDetails * const     *workers,
                                          gsize                           n_workers);
int             horde_cli_job_failed     (HordeJob              *job,
                                          const GError          *error,
                                          guint                  kept,
                                          const char            *noun,
                                          const char            *nouns);
char           *horde_cli_save_image     (HordeGeneratedImage   *image,
                                          const char            *dir,
                                          const char            *stem,
                                          GError               **error);

int horde_cli_generate (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_text     (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_interrogate (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_models   (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_user     (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_status   (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_news     (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_stats    (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_workers  (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_styles   (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_cancel   (const HordeCliCommand *command, int argc, char **argv);
int horde_cli_api      (const HordeCliCommand *command, int argc, char **argv);

G_END_DECLS

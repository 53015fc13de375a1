/* horde-cli-job.c: running a HordeJob the way `horde generate` runs its
 * image job: a progress line, Ctrl+C that deletes the server request
 * first, and one line about what was kept when it ends early
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "horde-cli.h"

typedef struct {
  GMainLoop *loop;
  HordeJob *job;
  gboolean tty;
  gboolean cancelling;
  gint64 started;
  char *last_line;
  gboolean warned_impossible;
  gboolean told_warnings;
  /* why nobody serves the request: asked once */
  HordeCliUnservedFunc unserved;
  gpointer unserved_data;
  GCancellable *unserved_cancellable;
  HordeRequestStatusCheck *last_seen_poll;  /* a ref on the last poll counted */
  guint idle_polls;            /* polls in a row: waiting, nobody on it */
  gboolean asked_why;
  gboolean ok;
  GError *error;
} Run;

/* a request that waited this many polls with nobody on it: ask why */
#define IDLE_POLLS_BEFORE_ASKING 2

static const char *
state_words (HordeJobState state)
{
  switch (state)
    {
    case HORDE_JOB_STATE_NEW: return "starting";
    case HORDE_JOB_STATE_SUBMITTING: return "submitting";
    case HORDE_JOB_STATE_WAITING: return "queued";
    case HORDE_JOB_STATE_PROCESSING: return "processing";
    case HORDE_JOB_STATE_DOWNLOADING: return "downloading";
    case HORDE_JOB_STATE_CANCELLING: return "cancelling";
    case HORDE_JOB_STATE_DONE: return "done";
    case HORDE_JOB_STATE_CANCELLED: return "cancelled";
    case HORDE_JOB_STATE_FAILED: return "failed";
    default: return "?";
    }
}

static char *
progress_line (Run      *run,
               gboolean  with_clock)
{
  HordeJob *job = run->job;
  HordeJobState state = horde_job_get_state (job);
  GString *line = g_string_new (state_words (state));

  /* the counts once a poll told them: every request has at least one
   * generation waiting, processing or finished */
  if ((state == HORDE_JOB_STATE_WAITING || state == HORDE_JOB_STATE_PROCESSING) &&
      horde_job_get_waiting (job) + horde_job_get_processing (job) + horde_job_get_finished (job) > 0)
    {
      g_string_append_printf (line, "  queue %" G_GINT64_FORMAT "  ETA %" G_GINT64_FORMAT "s"
                              "  finished %" G_GINT64_FORMAT "  processing %" G_GINT64_FORMAT
                              "  waiting %" G_GINT64_FORMAT,
                              horde_job_get_queue_position (job),
                              horde_job_get_wait_time (job),
                              horde_job_get_finished (job),
                              horde_job_get_processing (job),
                              horde_job_get_waiting (job));
      if (horde_job_get_restarted (job) > 0)
        g_string_append_printf (line, "  restarted %" G_GINT64_FORMAT, horde_job_get_restarted (job));
    }
  if (horde_job_get_connection_error (job) != NULL)
    {
      g_autofree char *why = horde_cli_name (horde_job_get_connection_error (job)->message);

      g_string_append_printf (line, "  no answer from the server (%s), asking again", why);
    }
  if (with_clock)
    g_string_append_printf (line, "  %.0fs", (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC);

  return g_string_free (line, FALSE);
}

/* The line's own control bytes on a terminal: back to its start, and
 * clear it. Only they go out without horde_cli_write(). */
#define REWRITE_LINE "\r\033[K"

/* A line of its own on stderr: on a terminal, the progress line is
 * cleared first and comes back at the next tick. @text may hold a
 * server's words: it is made safe and cut. */
void
horde_cli_warn (const char *text)
{
  g_autofree char *line = horde_cli_safe_text (text, HORDE_CLI_MAX_LINE, TRUE);

  if (isatty (STDERR_FILENO))
    fputs (REWRITE_LINE, stderr);
  g_printerr ("warning: %s\n", line);
}

/* The server's words on accepting the request (the 202 answer's message
 * and warnings: "No available workers can fulfill this request…"), once */
static void
tell_warnings (Run *run)
{
  const char * const *warnings = horde_job_get_warnings (run->job);

  if (run->told_warnings || warnings == NULL || warnings[0] == NULL)
    return;
  run->told_warnings = TRUE;
  for (guint i = 0; warnings[i] != NULL; i++)
    {
      const char *words = warnings[i];
      g_autofree char *text = NULL;

      /* "Warning: No available workers…": the line says warning already */
      if (g_ascii_strncasecmp (words, "Warning: ", strlen ("Warning: ")) == 0)
        words += strlen ("Warning: ");
      text = g_strdup_printf ("the Horde says: %s", words);
      horde_cli_warn (text);
    }
}

static void
unserved_done (const char *why,
               gpointer    user_data)
{
  if (why != NULL)
    {
      g_autofree char *text = g_strdup_printf ("no worker takes this request now: %s", why);

      horde_cli_warn (text);
    }
}

/* After each poll (seen as a new answer): when the Horde says nobody can
 * serve the request, or it waited IDLE_POLLS_BEFORE_ASKING polls with
 * nobody on it, ask once why (the caller looks at the workers). */
static void
watch_unserved (Run *run)
{
  HordeJob *job = run->job;
  HordeRequestStatusCheck *poll;

  if (run->unserved == NULL || run->asked_why || !HORDE_IS_IMAGE_JOB (job))
    return;
  poll = horde_image_job_get_last_check (HORDE_IMAGE_JOB (job));
  if (poll == NULL || poll == run->last_seen_poll)
    return;
  g_clear_pointer (&run->last_seen_poll, horde_request_status_check_unref);
  run->last_seen_poll = horde_request_status_check_ref (poll);

  if (horde_job_get_state (job) != HORDE_JOB_STATE_WAITING ||
      horde_job_get_processing (job) > 0 || horde_job_get_finished (job) > 0)
    {
      run->idle_polls = 0;
      return;
    }
  run->idle_polls++;
  if (horde_job_get_is_possible (job) && run->idle_polls < IDLE_POLLS_BEFORE_ASKING)
    return;

  run->asked_why = TRUE;
  run->unserved (job, run->unserved_cancellable, unserved_done, NULL, run->unserved_data);
}

/* On a terminal, one line rewritten in place (with a running clock); in a
 * pipe or a log, one line each time something changes. The text of the
 * line goes through horde_cli_write() like all else. */
static void
show_progress (Run *run)
{
  g_autofree char *line = NULL;

  tell_warnings (run);
  watch_unserved (run);
  if (!horde_job_get_is_possible (run->job) && !run->warned_impossible)
    {
      /* the server's own words said it, when it gave them */
      if (!run->told_warnings)
        horde_cli_warn ("no worker online can serve this request now; unless one comes online, "
                        "the Horde drops it about 20 minutes after it was sent");
      run->warned_impossible = TRUE;
    }

  line = progress_line (run, run->tty);

  if (run->tty)
    {
      fputs (REWRITE_LINE, stderr);
      horde_cli_write (stderr, line);
      return;
    }

  if (g_strcmp0 (line, run->last_line) != 0)
    {
      g_printerr ("%s\n", line);
      g_free (run->last_line);
      run->last_line = g_steal_pointer (&line);
    }
}

static void
end_progress (Run *run)
{
  if (run->tty)
    {
      fputs (REWRITE_LINE, stderr);
      fflush (stderr);
    }
}

static void
job_notify (GObject    *object,
            GParamSpec *pspec,
            gpointer    user_data)
{
  show_progress (user_data);
}

static gboolean
tick (gpointer user_data)
{
  show_progress (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
interrupted (gpointer user_data)
{
  Run *run = user_data;

  if (run->cancelling)
    {
      g_autofree char *id = horde_cli_name (horde_job_get_id (run->job));

      /* a second Ctrl+C: the user will not wait for the server */
      end_progress (run);
      g_printerr ("horde: interrupted; the request %s may still run on the server\n", id);
      exit (HORDE_CLI_EXIT_CANCELLED);
    }

  run->cancelling = TRUE;
  end_progress (run);
  g_printerr ("Cancelling: deleting the request on the server (Ctrl+C again to quit at once)…\n");
  horde_job_cancel (run->job);

  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;

  run->ok = horde_job_run_finish (HORDE_JOB (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

/* Runs @job to its end with progress on stderr; SIGINT and SIGTERM cancel
 * it (the job deletes the server request and keeps what finished). With
 * @unserved, an image job that nobody serves asks it, once, why. */
gboolean
horde_cli_job_run_full (HordeJob              *job,
                        HordeCliUnservedFunc   unserved,
                        gpointer               unserved_data,
                        GError               **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) unserved_cancellable = g_cancellable_new ();
  Run run = { 0 };
  guint sigint, sigterm, ticker = 0;

  run.loop = loop;
  run.job = job;
  run.tty = isatty (STDERR_FILENO);
  run.started = g_get_monotonic_time ();
  run.unserved = unserved;
  run.unserved_data = unserved_data;
  run.unserved_cancellable = unserved_cancellable;

  g_signal_connect (job, "notify", G_CALLBACK (job_notify), &run);
  sigint = g_unix_signal_add (SIGINT, interrupted, &run);
  sigterm = g_unix_signal_add (SIGTERM, interrupted, &run);
  if (run.tty)
    ticker = g_timeout_add_seconds (1, tick, &run);
  /* a poll that changes nothing notifies nothing: look for new answers */
  else if (unserved != NULL)
    ticker = g_timeout_add (250, tick, &run);

  horde_job_run_async (job, NULL, run_done, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (ticker)
    g_source_remove (ticker);
  g_signal_handlers_disconnect_by_data (job, &run);
  /* a question still on its way is not waited for */
  g_cancellable_cancel (unserved_cancellable);
  end_progress (&run);
  g_free (run.last_line);
  g_clear_pointer (&run.last_seen_poll, horde_request_status_check_unref);

  if (!run.ok)
    g_propagate_error (error, run.error);
  return run.ok;
}

gboolean
horde_cli_job_run (HordeJob  *job,
                   GError   **error)
{
  return horde_cli_job_run_full (job, NULL, NULL, error);
}

/* After a run that did not succeed, and after what was kept is shown:
 * one line about the server request, and the exit status. @kept counts
 * the @noun (singular, plural) that finished. */
int
horde_cli_job_failed (HordeJob     *job,
                      const GError *error,
                      guint         kept,
                      const char   *noun,
                      const char   *nouns)
{
  const char *what = kept == 1 ? noun : nouns;
  g_autofree char *id = horde_cli_name (horde_job_get_id (job));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (horde_job_get_on_server (job))
        g_printerr ("horde: cancelled, but the server could not be told: request %s may run on until it expires (%u %s kept)\n",
                    id, kept, what);
      else
        g_printerr ("horde: cancelled; the server request was deleted (%u %s kept)\n", kept, what);
      return HORDE_CLI_EXIT_CANCELLED;
    }

  if (horde_job_get_id (job) != NULL)
    g_printerr ("Request %s\n", id);
  return horde_cli_fail (error);
}

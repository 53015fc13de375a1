/* main.c: the horde-sim executable
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "horde-sim-config.h"
#include "horde-sim-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(HordeSimConfig) config;
  g_autoptr(HordeSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint sigint, sigterm;

  setlocale (LC_ALL, "");

  /* stdout carries the base URL only; every log line goes to stderr */
  g_log_writer_default_set_use_stderr (TRUE);
  horde_sim_config_init (&config);
  if (!horde_sim_config_parse (&config, &argc, &argv, &error))
    {
      g_printerr ("horde-sim: %s\n", error->message);
      return 1;
    }
  if (config.version)
    {
      g_print ("horde-sim %s\n", HORDE_SIM_VERSION);
      return 0;
    }

  /* before the URL is out: whoever reads it may signal us right away */
  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

  server = horde_sim_server_new ();
  if (!horde_sim_server_start (server, &config, &error))
    {
      g_printerr ("horde-sim: %s\n", error->message);
      return 1;
    }

  /* the first stdout line is what tests and scripts wait for */
  g_print ("%s\n", horde_sim_server_get_base_url (server));
  fflush (stdout);
  g_message ("listening on %s (seed %" G_GUINT64_FORMAT ", %d image, %d text, %d alchemy workers, speed %g)",
             horde_sim_server_get_base_url (server), config.seed, config.workers, config.text_workers,
             config.alchemy_workers, config.speed);

  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_message ("stopping");
  horde_sim_server_stop (server);
  return 0;
}

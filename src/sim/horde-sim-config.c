/* horde-sim-config.c: the simulator's command line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-config.h"

#include <gio/gio.h>
#include <string.h>

void
horde_sim_config_init (HordeSimConfig *config)
{
  *config = (HordeSimConfig) {
    .port = 0,
    .host = g_strdup ("127.0.0.1"),
    .workers = 3,
    .text_workers = 1,
    .alchemy_workers = 1,
    .job_ttl = 150,
    .speed = 1.0,
    .job_time_ms = -1,
    .expiry = 1200,
    .r2_ttl = 1800,
    .check_cache = 1,
  };
}

void
horde_sim_config_clear (HordeSimConfig *config)
{
  g_clear_pointer (&config->host, g_free);
  g_clear_pointer (&config->faults, g_free);
  g_clear_pointer (&config->log_path, g_free);
  g_clear_pointer (&config->users_path, g_free);
  g_clear_pointer (&config->r2_bridge_agents, g_strfreev);
}

/* Only loopback addresses may be bound without --allow-remote. */
static gboolean
check_host (HordeSimConfig  *config,
            GError         **error)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (config->host, "localhost") == 0)
    {
      g_free (config->host);
      config->host = g_strdup ("127.0.0.1");
    }
  address = g_inet_address_new_from_string (config->host);
  if (address == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--host needs an IP address, not “%s”", config->host);
      return FALSE;
    }
  if (!g_inet_address_get_is_loopback (address) && !config->allow_remote)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "refusing to listen on non-loopback address %s: the simulator has no "
                   "authentication; pass --allow-remote to do it anyway",
                   config->host);
      return FALSE;
    }
  return TRUE;
}

gboolean
horde_sim_config_parse (HordeSimConfig   *config,
                        int              *argc,
                        char           ***argv,
                        GError          **error)
{
  g_autofree char *seed = NULL;
  g_autofree char *host = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &config->port, "TCP port (0 picks a free one)", "N" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Address to bind (default 127.0.0.1)", "ADDR" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &config->allow_remote, "Allow a non-loopback --host", NULL },
    { "workers", 0, 0, G_OPTION_ARG_INT, &config->workers, "Number of simulated image workers (default 3)", "N" },
    { "text-workers", 0, 0, G_OPTION_ARG_INT, &config->text_workers, "Number of simulated text workers (default 1)", "N" },
    { "alchemy-workers", 0, 0, G_OPTION_ARG_INT, &config->alchemy_workers, "Number of simulated alchemy workers (default 1)", "N" },
    { "job-ttl", 0, 0, G_OPTION_ARG_DOUBLE, &config->job_ttl, "Seconds an external worker has for a popped job (150)", "SECONDS" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &config->speed, "Divide every simulated duration by FACTOR", "FACTOR" },
    { "job-time", 0, 0, G_OPTION_ARG_INT, &config->job_time_ms, "Fixed simulated time per job", "MS" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed for everything that shapes outputs", "S" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &config->faults, "Fault rules (see /_sim/faults)", "SPEC" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &config->log_path, "Append one JSON line per request", "FILE" },
    { "users", 0, 0, G_OPTION_ARG_FILENAME, &config->users_path, "JSON array of users", "FILE" },
    { "expiry", 0, 0, G_OPTION_ARG_DOUBLE, &config->expiry, "Seconds a request lives after it was queued, last picked up or last paid for (1200)", "SECONDS" },
    { "r2-ttl", 0, 0, G_OPTION_ARG_DOUBLE, &config->r2_ttl, "Lifetime of r2 download URLs (1800)", "SECONDS" },
    { "sfw-workers", 0, 0, G_OPTION_ARG_NONE, &config->sfw_workers,
      "Make every simulated image worker SFW (nsfw false); by default sim-cirrus is", NULL },
    { "r2-bridge-agent", 0, 0, G_OPTION_ARG_STRING_ARRAY, &config->r2_bridge_agents,
      "Also treat this bridge agent name (the part before the first “:”) as able to upload to R2, "
      "and to do all a current reGen does (repeatable)", "NAME" },
    { "check-cache", 0, 0, G_OPTION_ARG_DOUBLE, &config->check_cache,
      "Seconds a /generate/check answer is cached, like the server's (1; 0: never)", "SECONDS" },
    { "no-rate-limits", 0, 0, G_OPTION_ARG_NONE, &config->no_rate_limits, "Switch off rate and concurrency limits", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &config->version, "Print the version and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
                                "A local simulator of the AI Horde REST API v2.\n"
                                "The first line on stdout is the API base URL.");
  g_option_context_set_description (context,
    "Fault rules, separated by “;”:  ACTION[:ARG][@[METHOD ]PATH-GLOB][,key=value…]\n"
    "  actions: status:CODE  html:CODE  latency:MS  drop  stall  malformed  truncate\n"
    "           worker-restart  worker-fault  corrupt-image  expire-r2\n"
    "  keys:    count=N  after=N  rc=RC  message=TEXT  retry_after=SECONDS\n"
    "  e.g.     --faults 'status:503@POST /api/v2/generate/async,count=2;latency:200'\n"
    "At run time: POST (add), GET (list) or DELETE (clear) /_sim/faults.\n"
    "Other loopback-only endpoints: GET /_sim/stats, POST /_sim/control {\"paused\": true},\n"
    "POST /_sim/users.\n"
    "External workers: any registered user (not the anonymous key) can serve the queue\n"
    "with POST /api/v2/generate/pop, /generate/text/pop, /interrogate/pop and the\n"
    "matching …/submit, PUTting images to the r2_upload URLs.  With --workers 0\n"
    "--text-workers 0 --alchemy-workers 0 only external workers serve requests.\n"
    "Like the real server: an image request without nsfw/censor_nsfw has them true and\n"
    "reaches only workers with nsfw true (sim-cirrus is SFW; --sfw-workers makes all SFW);\n"
    "an r2 request (the default) reaches only bridge agents known to upload to R2\n"
    "(AI Horde Worker reGen, AI Horde Worker >= 8, SD-WebUI Stable Horde Worker Bridge,\n"
    "and each --r2-bridge-agent NAME); DELETE keeps the request with nothing left to\n"
    "start, its running images still finish; /generate/check is cached --check-cache s.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "unexpected argument “%s”", (*argv)[1]);
      return FALSE;
    }
  if (config->version)
    return TRUE;

  if (host != NULL)
    {
      g_free (config->host);
      config->host = g_steal_pointer (&host);
    }
  if (seed != NULL)
    {
      char *end = NULL;

      config->seed = g_ascii_strtoull (seed, &end, 10);
      if (end == seed || *end != '\0')
        config->seed = g_str_hash (seed); /* any text seeds too */
      config->seed_set = TRUE;
    }
  else
    config->seed = g_get_real_time ();

  if (config->port < 0 || config->port > 65535)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--port must be 0..65535");
      return FALSE;
    }
  if (config->workers < 0 || config->workers > 1000 ||
      config->text_workers < 0 || config->text_workers > 1000 ||
      config->alchemy_workers < 0 || config->alchemy_workers > 1000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--workers, --text-workers and --alchemy-workers must be 0..1000");
      return FALSE;
    }
  if (!(config->speed > 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--speed must be positive");
      return FALSE;
    }
  if (config->job_time_ms < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--job-time must be >= 0");
      return FALSE;
    }
  if (!(config->check_cache >= 0) || config->check_cache > 3600)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--check-cache must be 0..3600");
      return FALSE;
    }
  for (guint i = 0; config->r2_bridge_agents != NULL && config->r2_bridge_agents[i] != NULL; i++)
    if (*config->r2_bridge_agents[i] == '\0' || strchr (config->r2_bridge_agents[i], ':') != NULL)
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--r2-bridge-agent needs a bridge agent name without “:”");
        return FALSE;
      }
  if (!(config->expiry > 0) || !(config->r2_ttl > 0) || !(config->job_ttl > 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--expiry, --r2-ttl and --job-ttl must be positive");
      return FALSE;
    }
  return check_host (config, error);
}

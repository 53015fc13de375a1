/* main.c: `horde`, the command-line client of the AI Horde
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "horde-cli.h"

static const HordeCliCommand commands[] = {
  { "generate", "PROMPT", "Generate images from a prompt and save them", horde_cli_generate },
  { "text", "PROMPT", "Generate text from a prompt and print it", horde_cli_text },
  { "interrogate", "IMAGE", "Caption, tag, check or post-process an image (alchemy)", horde_cli_interrogate },
  { "status", NULL, "Show whether the server is up, its queues and workers", horde_cli_status },
  { "news", NULL, "Show the latest news of the Horde", horde_cli_news },
  { "models", NULL, "List the models workers serve now", horde_cli_models },
  { "workers", NULL, "List the workers online", horde_cli_workers },
  { "styles", NULL, "List the image or text styles", horde_cli_styles },
  { "user", NULL, "Show the user of the API key: name, kudos, limits", horde_cli_user },
  { "stats", NULL, "Show how many images or texts the Horde generated", horde_cli_stats },
  { "cancel", "ID", "Delete an image request on the server, keeping what finished", horde_cli_cancel },
  { "api", "METHOD PATH", "Send any API request and print the answer as JSON", horde_cli_api },
};

static void
usage (gboolean to_stderr)
{
  g_autoptr(GString) text = g_string_new ("Usage:\n"
                                          "  horde [--server URL] [--api-key KEY] COMMAND [OPTION…]\n"
                                          "\n"
                                          "Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-12s %s\n", commands[i].name, commands[i].summary);
  g_string_append (text,
                   "\n"
                   "Run “horde COMMAND --help” for the options of a command.\n"
                   "The server is $AI_HORDE_URL, or https://aihorde.net/api; the key is\n"
                   "$AI_HORDE_API_KEY, or the anonymous key.\n");
  if (to_stderr)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *name = NULL;

  setlocale (LC_ALL, "");
  g_set_prgname ("horde");
  /* whatever is printed from here on reaches a terminal only as text */
  horde_cli_output_init ();

  /* The command is the first argument that is neither an option nor the
   * value of a global option; the globals may stand before or after it. */
  for (int i = 1; i < argc; i++)
    {
      if (name == NULL && argv[i][0] != '-')
        {
          name = argv[i];
          continue;
        }
      g_ptr_array_add (args, argv[i]);
      if (name == NULL && (g_str_equal (argv[i], "--server") || g_str_equal (argv[i], "--api-key")) && i + 1 < argc)
        g_ptr_array_add (args, argv[++i]);
    }

  if (name == NULL)
    {
      for (guint i = 0; i < args->len; i++)
        {
          if (g_str_equal (args->pdata[i], "--version"))
            {
              g_print ("horde %s (libhorde %s)\n", PACKAGE_VERSION, HORDE_VERSION_S);
              return HORDE_CLI_EXIT_OK;
            }
          if (g_str_equal (args->pdata[i], "--help") || g_str_equal (args->pdata[i], "-h"))
            {
              usage (FALSE);
              return HORDE_CLI_EXIT_OK;
            }
        }
      usage (TRUE);
      return HORDE_CLI_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        {
          /* argv of the command: its name first, then every other argument */
          g_ptr_array_insert (args, 0, (gpointer) name);
          g_ptr_array_add (args, NULL);
          return commands[i].run (&commands[i], args->len - 1, (char **) args->pdata);
        }
    }

  g_printerr ("horde: “%s” is not a command.\n\n", name);
  usage (TRUE);
  return HORDE_CLI_EXIT_USAGE;
}

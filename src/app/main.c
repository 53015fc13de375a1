/* main.c: Horde Studio
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "horde-studio-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HordeStudioApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = horde_studio_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

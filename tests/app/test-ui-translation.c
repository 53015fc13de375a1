/* test-ui-translation.c: the window speaks the language of $LANGUAGE
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * meson runs this once a language, with LANGUAGE set and a locale that is
 * not C (gettext ignores LANGUAGE under C). The driver binds the
 * translations that po/ built, as main.c binds the installed ones; the
 * test reads the labels of the real window: one from a .ui template, one
 * set by C code, a plural, and a problem that libhorde's validation finds
 * (libhorde's messages are a domain of their own, po/libhorde).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-compose.h"
#include "ui-driver.h"

typedef struct {
  const char *language;
  const char *generate;   /* compose.ui: "_Generate" */
  const char *any_model;  /* horde-studio-compose.c: "Any model a worker serves" */
  const char *gallery;    /* window.ui: the "Gallery" page */
  const char *workers;    /* g_dngettext: "%d worker", "%d workers", n = 3 */
  const char *problem;    /* the width 500, in the app's words and libhorde's */
} Expected;

static const Expected expected[] = {
  { "de", "_Erzeugen", "Jedes Modell, das ein Worker anbietet", "Galerie", "3 Worker",
    "Breite: 500 ist kein Vielfaches von 64" },
  { "es", "_Generar", "Cualquier modelo disponible", "Galería", "3 trabajadores",
    "Anchura: 500 no es múltiplo de 64" },
};

static const Expected *
expected_for_language (void)
{
  const char *language = g_getenv ("LANGUAGE");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (g_strcmp0 (language, expected[i].language) == 0)
      return &expected[i];
  g_error ("no expectations for LANGUAGE=%s", language ? language : "(unset)");
  return NULL;
}

static gboolean
model_described (gpointer data)
{
  return g_str_has_prefix (adw_action_row_get_subtitle (data), "3 ");
}

static gboolean
problem_shown (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_translated_window (void)
{
  const Expected *e = expected_for_language ();
  Fixture f = { 0 };
  GtkButton *generate;
  AdwActionRow *model_row;
  GtkDropDown *models;
  GtkLabel *problem;
  AdwViewStack *stack;
  AdwViewStackPage *page;

  start_notification_server ();
  fixture_set_up (&f, NULL);

  generate = compose_part (&f, "generate_button");
  g_assert_cmpstr (gtk_button_get_label (generate), ==, e->generate);

  model_row = compose_part (&f, "model_chooser");
  g_assert_cmpstr (adw_action_row_get_subtitle (model_row), ==, e->any_model);

  stack = child (GTK_WIDGET (f.window), HORDE_STUDIO_TYPE_WINDOW, "stack");
  page = adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "gallery"));
  g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, e->gallery);

  /* a model that horde-sim's three workers serve: its line starts with
   * the plural of "worker" */
  models = model_dropdown (&f);
  g_assert_true (iterate_until (models_listed, &f, 10));
  gtk_drop_down_set_selected (models, 1);
  g_assert_true (iterate_until (model_described, model_row, 5));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (model_row), e->workers));

  /* a size the API refuses: the row's name from the app, the problem
   * from libhorde's validation */
  problem = compose_part (&f, "problem_label");
  type_prompt (&f, "ein Quadrat, das keines ist");
  set_spin (&f, "width_spin", 500);
  g_assert_true (iterate_until (problem_shown, problem, 5));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, e->problem);

  fixture_tear_down (&f, NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/translation", test_translated_window);
  return g_test_run ();
}

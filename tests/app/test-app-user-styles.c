/* test-app-user-styles.c: the user's own styles on disk, without a window
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "horde-studio-user-styles.h"
#include "store-fixture.h"

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  store_fixture_set_up (f, "horde-studio-styles-XXXXXX", "styles.json");
}

static HordeImageGenerateAsyncRequest *
request (const char *json)
{
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *parsed = horde_image_generate_async_request_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return parsed;
}

/* kept under a name, the key and the source image left out, read back by
 * another store; a name saved again replaces the settings */
static void
test_save_and_load (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HordeStudioUserStyles) styles = horde_studio_user_styles_new (f->path);
  g_autoptr(HordeStudioUserStyles) again = horde_studio_user_styles_new (f->path);
  g_autoptr(HordeImageGenerateAsyncRequest) first = request (
    "{\"prompt\": \"a fox\", \"apikey\": \"0123456789\", \"source_image\": \"UklGRg==\","
    " \"source_processing\": \"img2img\", \"models\": [\"Deliberate\"],"
    " \"params\": {\"steps\": 42, \"width\": 640, \"height\": 512}}");
  g_autoptr(HordeImageGenerateAsyncRequest) second = request ("{\"prompt\": \"a whale\", \"params\": {\"steps\": 10}}");
  g_autoptr(HordeImageGenerateAsyncRequest) replaced = request ("{\"prompt\": \"a fox\", \"params\": {\"steps\": 7}}");
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *kept;

  g_assert_true (horde_studio_user_styles_load (styles, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (styles), ==, 0);

  g_assert_true (horde_studio_user_styles_save_style (styles, " Foxes ", first, &error));
  g_assert_no_error (error);
  g_assert_true (horde_studio_user_styles_save_style (styles, "Whales", second, &error));
  g_assert_no_error (error);
  /* no name, no style */
  g_assert_false (horde_studio_user_styles_save_style (styles, "  ", second, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (horde_studio_user_styles_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (again), ==, 2);
  g_assert_cmpstr (horde_studio_user_styles_get_name (again, 0), ==, "Foxes");
  kept = horde_studio_user_styles_get_request (again, 0);
  g_assert_null (horde_image_generate_async_request_get_apikey (kept));
  g_assert_null (horde_image_generate_async_request_get_source_image (kept));
  g_assert_null (horde_image_generate_async_request_get_source_processing (kept));
  g_assert_cmpstr (horde_image_generate_async_request_get_models (kept)[0], ==, "Deliberate");
  g_assert_cmpint (horde_model_generation_input_stable_get_steps (horde_image_generate_async_request_get_params (kept)), ==, 42);
  g_assert_cmpstr (horde_studio_user_styles_get_name (again, 1), ==, "Whales");

  g_assert_true (horde_studio_user_styles_save_style (again, "Foxes", replaced, &error));
  g_assert_no_error (error);
  g_assert_true (horde_studio_user_styles_load (styles, NULL));
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (styles), ==, 2);
  g_assert_cmpint (horde_model_generation_input_stable_get_steps (horde_image_generate_async_request_get_params (
                     horde_studio_user_styles_get_request (styles, 0))), ==, 7);

  g_assert_true (horde_studio_user_styles_remove (styles, "Foxes", &error));
  g_assert_no_error (error);
  g_assert_true (horde_studio_user_styles_remove (styles, "nobody", &error));
  g_assert_true (horde_studio_user_styles_load (again, NULL));
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (again), ==, 1);
  g_assert_cmpstr (horde_studio_user_styles_get_name (again, 0), ==, "Whales");
}

/* a file that is not the app's: an error and no styles; a style that is
 * not a request is left out */
static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HordeStudioUserStyles) styles = horde_studio_user_styles_new (f->path);
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, "not json", -1, NULL));
  g_assert_false (horde_studio_user_styles_load (styles, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (styles), ==, 0);

  g_assert_true (g_file_set_contents (f->path,
                                      "{\"styles\": [1, {\"name\": 2, \"request\": {\"prompt\": \"x\"}},"
                                      " {\"name\": \"\", \"request\": {\"prompt\": \"x\"}},"
                                      " {\"name\": \"no request\"},"
                                      " {\"name\": \"wrong request\", \"request\": [1]},"
                                      " {\"name\": \"kept\", \"request\": {\"prompt\": \"x\", \"params\": {\"steps\": 5}}}]}",
                                      -1, NULL));
  g_assert_true (horde_studio_user_styles_load (styles, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (horde_studio_user_styles_get_n_styles (styles), ==, 1);
  g_assert_cmpstr (horde_studio_user_styles_get_name (styles, 0), ==, "kept");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/user-styles/save-and-load", Fixture, NULL, fixture_set_up, test_save_and_load, fixture_tear_down);
  g_test_add ("/user-styles/bad-file", Fixture, NULL, fixture_set_up, test_bad_file, fixture_tear_down);

  return g_test_run ();
}

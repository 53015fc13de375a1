/* test-cli-models.c: `horde models` with the model reference (issue 13)
 *
 * The BASELINE and STYLE columns when the reference can be had, the list
 * without them (and a note) when it cannot, `--details NAME`, the cache
 * answering when the server is gone, and a reference full of terminal
 * escapes printed harmless.
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libhorde.h>
#include <string.h>

#include "horde-test-cli.h"
#include "horde-test-server.h"
#include "horde-test-sim.h"

/* Runs `horde ARGS…` with its cache in @cache_home and, when given, the
 * image reference's URL in the environment; its output is UTF-8 text */
static void
run_horde (HordeTestCliResult *result,
           const char         *cache_home,
           const char         *image_url_env,
           const char * const *args)
{
  const char * const env[] = {
    "XDG_CACHE_HOME", cache_home,
    "LANGUAGE", "C",
    image_url_env != NULL ? "HORDE_IMAGE_MODEL_REFERENCE_URL" : NULL, image_url_env,
    NULL,
  };

  horde_test_cli_run (result, env, args);
  g_assert_true (g_utf8_validate (result->out, -1, NULL));
  g_assert_true (g_utf8_validate (result->err, -1, NULL));
}

static char *
sim_root (HordeTestSim *sim)
{
  const char *url = horde_test_sim_get_url (sim);

  return g_strndup (url, strlen (url) - strlen ("/api"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* the line of @out that starts with @start */
static char *
line_starting (const char *out,
               const char *start)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], start))
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_columns (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autofree char *root = sim_root (sim);
  g_autofree char *cache_home = g_dir_make_tmp ("horde-cli-models-XXXXXX", NULL);
  g_autofree char *image_url = g_strconcat (root, "/model-reference/image.json", NULL);
  g_autofree char *text_url = g_strconcat (root, "/model-reference/text.json", NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autofree char *line = NULL;
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", "--reference-url", image_url, NULL };

    run_horde (&r, cache_home, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_true (g_str_has_prefix (r.out,
      "MODEL                                    BASELINE             STYLE         WORKERS   QUEUED      ETA\n"
      "Deliberate                               Stable Diffusion 1   generalist          3        0       0s\n"));
    line = line_starting (r.out, "AlbedoBase XL (SDXL)");
    g_assert_cmpstr (line, ==,
      "AlbedoBase XL (SDXL)                     SDXL                 generalist          1        0       0s");
    g_clear_pointer (&line, g_free);
    line = line_starting (r.out, "Realistic Vision");
    g_assert_nonnull (strstr (line, " realistic "));
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /model-reference/{file}"), ==, 1);

  /* the environment's URL, and the cache: no second download */
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "MODEL                                    BASELINE"));
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /model-reference/{file}"), ==, 1);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autofree char *line = NULL;
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", "--type", "text",
                           "--reference-url", text_url, NULL };

    run_horde (&r, cache_home, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    line = line_starting (r.out, "koboldcpp/LLaMA2-13B-Psyfighter2");
    g_assert_nonnull (line);
    g_assert_nonnull (strstr (line, " llama2 "));
    g_assert_nonnull (strstr (line, " roleplay "));
  }

  /* --no-reference: the list as it was, and no request for the reference */
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", "--no-reference", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "MODEL                                     WORKERS   QUEUED      ETA\n"));
  }
  g_assert_cmpint (horde_test_sim_count (sim, "GET /model-reference/{file}"), ==, 2);

  remove_tree (cache_home);
}

/* No reference to be had (the tests' environment points at a closed
 * port): the list still works, without the columns, and says why */
static void
test_no_reference (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autofree char *cache_home = g_dir_make_tmp ("horde-cli-models-XXXXXX", NULL);
  g_auto(HordeTestCliResult) r = { 0 };
  const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", NULL };

  run_horde (&r, cache_home, NULL, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out,
    "MODEL                                     WORKERS   QUEUED      ETA\n"
    "Deliberate                                      3        0       0s\n"));
  g_assert_true (g_str_has_prefix (r.err, "horde: note: no BASELINE and STYLE columns: "));
  g_assert_nonnull (strstr (r.err, "127.0.0.1"));

  remove_tree (cache_home);
}

static void
test_details (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autofree char *root = sim_root (sim);
  g_autofree char *api = g_strdup (horde_test_sim_get_url (sim));
  g_autofree char *cache_home = g_dir_make_tmp ("horde-cli-models-XXXXXX", NULL);
  g_autofree char *image_url = g_strconcat (root, "/model-reference/image.json", NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", api, "models", "--details", "AlbedoBase XL (SDXL)", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_true (g_str_has_prefix (r.out,
      "Name:           AlbedoBase XL (SDXL)\n"
      "Baseline:       SDXL (stable_diffusion_xl)\n"
      "Native size:    1024×1024\n"
      "Style:          generalist\n"));
    g_assert_nonnull (strstr (r.out, "Not supported:  hires_fix, inpainting, controlnet\n"));
    g_assert_nonnull (strstr (r.out, "\nAlbedoBase XL (SDXL): SDXL, 1024×1024 native, 1 worker, 0 s wait\n"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", api, "models", "--details", "Flux.1-Schnell fp8 (Compact)", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Samplers:       k_euler\n"));
    g_assert_nonnull (strstr (r.out, "Steps:          3 to 8\n"));
    g_assert_nonnull (strstr (r.out, "CFG scale:      1 to 4\n"));
    g_assert_nonnull (strstr (r.out, "No worker serves it now."));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", api, "models", "--details", "deliberate", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "horde: error: “deliberate” is not in the image model reference\n");
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", api, "models", "--details", "Deliberate", "--json", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 2);
  }

  /* the server is gone: the cache answers, and the live line is missing */
  g_clear_pointer (&sim, horde_test_sim_stop);
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", api, "models", "--details", "Realistic Vision", NULL };

    run_horde (&r, cache_home, image_url, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "Name:           Realistic Vision\n"));
    g_assert_nonnull (strstr (r.out, "Trigger words:  analog style, modelshoot style\n"));
    g_assert_true (g_str_has_prefix (r.err, "horde: note: how the Horde serves the model now is unknown:"));
  }

  remove_tree (cache_home);
}

static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  static const char body[] =
    "{\"Deliberate\": {\"baseline\": \"\\u001b[2J\\u001b]0;pwned\\u0007sd\", \"style\": \"\\u009b31m\","
    "  \"description\": \"one\\n\\u001b[1mtwo\\r\\nthree\", \"trigger\": [\"\\u001bP\"],"
    "  \"homepage\": \"http://x/\\u202e\\u0000\"},"
    " \"AlbedoBase XL (SDXL)\": {\"baseline\": {\"no\": 1}, \"style\": 7}}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

/* A reference of escapes: nothing of them reaches the terminal */
static void
test_hostile_reference (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  HordeTestServer *server = horde_test_server_start (hostile_handler, NULL);
  g_autofree char *url = g_strconcat (horde_test_server_get_url (server), "reference.json", NULL);
  g_autofree char *cache_home = g_dir_make_tmp ("horde-cli-models-XXXXXX", NULL);

  {
    g_auto(HordeTestCliResult) r = { 0 };
    g_autofree char *line = NULL;
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", "--reference-url", url, NULL };

    run_horde (&r, cache_home, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strchr (r.out, '\x1b'));
    g_assert_null (strchr (r.out, '\a'));
    g_assert_null (strstr (r.out, "\xc2\x9b"));
    line = line_starting (r.out, "AlbedoBase XL (SDXL)");
    /* a baseline of the wrong type is none: the server's default */
    g_assert_nonnull (strstr (line, " Stable Diffusion 1 "));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };
    const char *args[] = { "--server", horde_test_sim_get_url (sim), "models", "--reference-url", url,
                           "--details", "Deliberate", NULL };

    run_horde (&r, cache_home, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strchr (r.out, '\x1b'));
    g_assert_null (strchr (r.out, '\a'));
    g_assert_null (strchr (r.out, '\r'));
    g_assert_null (strstr (r.out, "\xc2\x9b"));
    g_assert_null (strstr (r.out, "\xe2\x80\xae"));
    g_assert_nonnull (strstr (r.out, "one\n"));
  }

  horde_test_server_stop (server);
  remove_tree (cache_home);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-models/columns", test_columns);
  g_test_add_func ("/cli-models/no-reference", test_no_reference);
  g_test_add_func ("/cli-models/details", test_details);
  g_test_add_func ("/cli-models/hostile-reference", test_hostile_reference);

  return g_test_run ();
}

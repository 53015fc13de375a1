/* bench-parse.c: parse large API answers into typed models and back
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Builds a realistic /v2/workers answer (2,000 workers) and /v2/status/models
 * answer (500 models) in the shapes of the spec and the real server, then
 * prints the throughput of: json-glib's bare parse of the bytes, libhorde's
 * typed parse (text to models), serializing the models back to text, and
 * Python's json.loads of the same bytes; and the peak memory. A benchmark
 * prints figures; it asserts only that the results are right.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

#include <libhorde.h>

#define N_WORKERS 2000
#define N_MODELS  500

static const char *model_names[] = {
  "stable_diffusion", "Deliberate", "AlbedoBase XL (SDXL)", "Anything Diffusion", "Dreamshaper",
  "ICBINP - I Can't Believe It's Not Photography", "Juggernaut XL", "Realistic Vision", "SDXL 1.0",
  "Flux.1-Schnell fp8 (Compact)", "stable_diffusion_2.1", "Epic Diffusion", "majicMIX realistic",
};

static char *
workers_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  json_builder_begin_array (b);
  for (int i = 0; i < N_WORKERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%04d-%08x", i, g_rand_int (rand));
      g_autofree char *id = g_strdup_printf ("%08x-%04x-%04x-%04x-%012x", g_rand_int (rand),
                                             g_rand_int_range (rand, 0, 0xffff), g_rand_int_range (rand, 0, 0xffff),
                                             g_rand_int_range (rand, 0, 0xffff), g_rand_int (rand));
      g_autofree char *perf = g_strdup_printf ("%.1f megapixelsteps per second", g_rand_double_range (rand, 0.1, 40));
      int n_models = g_rand_int_range (rand, 1, 6);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "requests_fulfilled"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 500000));
      json_builder_set_member_name (b, "kudos_rewards"); json_builder_add_double_value (b, g_rand_double_range (rand, 0, 9e6));
      json_builder_set_member_name (b, "kudos_details");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "generated"); json_builder_add_double_value (b, g_rand_double_range (rand, 0, 9e6));
      json_builder_set_member_name (b, "uptime"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 900000));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "performance"); json_builder_add_string_value (b, perf);
      json_builder_set_member_name (b, "threads"); json_builder_add_int_value (b, g_rand_int_range (rand, 1, 4));
      json_builder_set_member_name (b, "uptime"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 90000000));
      json_builder_set_member_name (b, "maintenance_mode"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "nsfw"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "trusted"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "flagged"); json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "uncompleted_jobs"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 300));
      json_builder_set_member_name (b, "models");
      json_builder_begin_array (b);
      for (int m = 0; m < n_models; m++)
        json_builder_add_string_value (b, model_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (model_names))]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "team");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name"); json_builder_add_null_value (b);
      json_builder_set_member_name (b, "id"); json_builder_add_null_value (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "bridge_agent");
      json_builder_add_string_value (b, "AI Horde Worker reGen:9.0.2:https://github.com/Haidra-Org/horde-worker-reGen");
      json_builder_set_member_name (b, "max_pixels"); json_builder_add_int_value (b, 262144 * g_rand_int_range (rand, 1, 16));
      json_builder_set_member_name (b, "megapixelsteps_generated"); json_builder_add_double_value (b, g_rand_double_range (rand, 0, 1e8));
      json_builder_set_member_name (b, "img2img"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "painting"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "post-processing"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "lora"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "controlnet"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "sdxl_controlnet"); json_builder_add_boolean_value (b, g_rand_boolean (rand));
      json_builder_set_member_name (b, "info"); json_builder_add_string_value (b, "A worker of the benchmark, online most of the day.");
      json_builder_set_member_name (b, "type"); json_builder_add_string_value (b, "image");
      json_builder_set_member_name (b, "name"); json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "id"); json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "online"); json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  g_rand_free (rand);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
models_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  json_builder_begin_array (b);
  for (int i = 0; i < N_MODELS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s v%d", model_names[i % G_N_ELEMENTS (model_names)], i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name"); json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "count"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 80));
      json_builder_set_member_name (b, "performance"); json_builder_add_double_value (b, g_rand_double_range (rand, 0, 2e6));
      json_builder_set_member_name (b, "queued"); json_builder_add_double_value (b, g_rand_double_range (rand, 0, 5e7));
      json_builder_set_member_name (b, "jobs"); json_builder_add_double_value (b, g_rand_int_range (rand, 0, 400));
      json_builder_set_member_name (b, "eta"); json_builder_add_int_value (b, g_rand_int_range (rand, 0, 2000));
      json_builder_set_member_name (b, "type"); json_builder_add_string_value (b, "image");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  g_rand_free (rand);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static double
now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

typedef gpointer (*ParseFunc) (const char *text, gssize len, GError **error);

static gpointer
bare_parse (const char *text, gssize len, GError **error)
{
  JsonParser *parser = json_parser_new_immutable ();

  json_parser_load_from_data (parser, text, len, error);
  return parser;
}

static double
throughput (const char *what,
            const char *text,
            ParseFunc   parse,
            GDestroyNotify free_func,
            int         rounds)
{
  gsize len = strlen (text);
  double start = now (), elapsed;

  for (int i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer result = parse (text, len, &error);

      g_assert_no_error (error);
      free_func (result);
    }
  elapsed = now () - start;

  g_print ("  %-34s %8.1f MB/s  (%6.2f ms a parse)\n", what,
           len * rounds / elapsed / 1e6, elapsed / rounds * 1000);
  return len * rounds / elapsed / 1e6;
}

static double
python_throughput (const char *text,
                   int         rounds)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *script = NULL;
  int fd, status = 0;
  const char *python = g_getenv ("HORDE_BENCH_PYTHON") ? g_getenv ("HORDE_BENCH_PYTHON") : "python3";

  fd = g_file_open_tmp ("horde-bench-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  script = g_strdup_printf ("import json, time\n"
                            "data = open(%s, 'rb').read()\n"
                            "start = time.perf_counter()\n"
                            "for _ in range(%d): json.loads(data)\n"
                            "print(len(data) * %d / (time.perf_counter() - start) / 1e6)\n",
                            g_shell_quote (path), rounds, rounds);
  {
    const char *argv[] = { python, "-c", script, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error))
      {
        g_print ("  %-34s (could not run %s: %s)\n", "Python json.loads", python, error->message);
        g_unlink (path);
        return 0;
      }
  }
  g_unlink (path);

  g_print ("  %-34s %8.1f MB/s\n", "Python json.loads", g_ascii_strtod (out, NULL));
  return g_ascii_strtod (out, NULL);
}

static gpointer
typed_workers (const char *text, gssize len, GError **error)
{
  return horde_worker_details_list_new_from_json (text, len, error);
}

static gpointer
typed_models (const char *text, gssize len, GError **error)
{
  return horde_active_model_list_new_from_json (text, len, error);
}

static void
bench (const char *title,
       const char *text,
       ParseFunc   typed,
       GDestroyNotify typed_free,
       char *    (*to_json) (gconstpointer),
       int         rounds)
{
  gpointer list;
  double start, elapsed;
  gsize len = strlen (text);

  g_print ("%s: %.2f MB of JSON\n", title, len / 1e6);
  throughput ("json-glib parse (bare tree)", text, bare_parse, g_object_unref, rounds);
  throughput ("libhorde typed parse", text, typed, typed_free, rounds);

  list = typed (text, len, NULL);
  start = now ();
  for (int i = 0; i < rounds; i++)
    g_free (to_json (list));
  elapsed = now () - start;
  g_print ("  %-34s %8.1f MB/s\n", "libhorde typed serialize", len * rounds / elapsed / 1e6);
  typed_free (list);

  python_throughput (text, rounds);
}

int
main (int argc, char *argv[])
{
  g_autofree char *workers = workers_json ();
  g_autofree char *models = models_json ();
  long base_rss = peak_rss_kib ();
  int rounds = argc > 1 ? atoi (argv[1]) : 20;

  /* the results are right before they are fast */
  {
    g_autoptr(HordeWorkerDetailsList) list = horde_worker_details_list_new_from_json (workers, -1, NULL);
    HordeWorkerDetails *first;

    g_assert_cmpuint (horde_worker_details_list_get_n_items (list), ==, N_WORKERS);
    first = horde_worker_details_list_get_item (list, 0);
    g_assert_cmpstr (horde_worker_details_get_kind (first), ==, "image");
    g_assert_true (horde_worker_details_get_online (first));
    g_assert_null (horde_worker_details_get_extra_fields (first));
  }

  bench ("GET /v2/workers (2,000 workers)", workers, typed_workers,
         (GDestroyNotify) horde_worker_details_list_unref,
         (char *(*) (gconstpointer)) horde_worker_details_list_to_json, rounds);
  bench ("GET /v2/status/models (500 models)", models, typed_models,
         (GDestroyNotify) horde_active_model_list_unref,
         (char *(*) (gconstpointer)) horde_active_model_list_to_json, rounds * 4);

  g_print ("peak RSS: %.1f MB (%.1f MB before parsing)\n", peak_rss_kib () / 1024.0, base_rss / 1024.0);

  return 0;
}

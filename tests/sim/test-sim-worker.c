/* test-sim-worker.c: horde-sim's worker side (pop, r2 upload, submit)
 *
 * A test plays an external worker with a registered user's key, against a
 * simulator whose own workers are switched off, and checks what the
 * requester sees.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <string.h>
#include <webp/encode.h>

#define USERS \
  "[{\"key\": \"alice-key-0001\", \"username\": \"alice\", \"kudos\": 5000, \"id\": 5}," \
  " {\"key\": \"worker-key-001\", \"username\": \"wowner\", \"kudos\": 10, \"trusted\": true, \"id\": 6}," \
  " {\"key\": \"mallory-key-01\", \"username\": \"mallory\", \"kudos\": 10, \"id\": 7}," \
  " {\"key\": \"moderator-key1\", \"username\": \"moddy\", \"kudos\": 10, \"id\": 8, \"moderator\": true}]"
#define ALICE "alice-key-0001"
#define WORKER "worker-key-001"
#define MALLORY "mallory-key-01"
#define MODERATOR "moderator-key1"

#define IMAGE_POP(extra) \
  "{\"name\": \"ext-painter\", \"models\": [\"stable_diffusion\", \"Deliberate\"], \"max_pixels\": 1048576," \
  " \"bridge_agent\": \"test-worker:1:local\", \"nsfw\": true" extra "}"

typedef struct {
  Sim  *sim;
  char *users;
} Fixture;

/* Only external workers: no simulated image, text or alchemy worker.  The
 * test worker's bridge agent ("test-worker:1:local") is made known to
 * upload to R2, as the real server's bridge reference knows the real
 * bridges, so it gets r2 requests (the default).  The tests read /check
 * right after each pop and submit, so they switch its 1 s cache off. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *ttl = data;

  fixture->users = sim_write_users (USERS);
  fixture->sim = sim_start ("--workers", "0", "--text-workers", "0", "--alchemy-workers", "0",
                            "--users", fixture->users, "--job-ttl", ttl ? ttl : "150",
                            "--r2-bridge-agent", "test-worker", "--check-cache", "0", NULL);
}

/* Like fixture_set_up() with no rate or concurrency limits, for tests
 * that queue several requests at once */
static void
fixture_set_up_unlimited (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->users = sim_write_users (USERS);
  fixture->sim = sim_start ("--workers", "0", "--text-workers", "0", "--alchemy-workers", "0",
                            "--users", fixture->users, "--no-rate-limits",
                            "--r2-bridge-agent", "test-worker", "--check-cache", "0", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sim_stop (fixture->sim);
  g_unlink (fixture->users);
  g_free (fixture->users);
}

static JsonObject *
stats_for (Sim        *sim,
           const char *kind)
{
  g_autoptr(JsonObject) stats = sim_get_object (sim, "/_sim/stats");
  JsonObject *external = json_object_get_object_member (stats, "external_workers");

  return json_object_ref (json_object_get_object_member (external, kind));
}

static gint64
count_of (JsonObject *stats,
      const char *name)
{
  return json_object_get_int_member (stats, name);
}

static char *
submit_body (const char *id,
             const char *generation,
             const char *state,
             int         seed)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"%s\", \"state\": \"%s\", \"seed\": %d}",
                          id, generation, state, seed);
}

/* Queues an image request of @n images as alice; returns its id. */
static char *
queue_image (Sim        *sim,
             int         n,
             const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"prompt\": \"a red fox in the snow\", \"params\": {\"width\": 512,"
                                           " \"height\": 512, \"steps\": 20, \"sampler_name\": \"k_euler\","
                                           " \"cfg_scale\": 6.5, \"karras\": true, \"n\": %d},"
                                           " \"models\": [\"stable_diffusion\"]%s}",
                                           n, extra ? extra : "");

  return sim_submit (sim, "/v2/generate/async", ALICE, body);
}

/* ---- image ---------------------------------------------------------- */

static void
test_empty_pop (Fixture       *fixture,
                gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(SimReply) anon = sim_request (sim, "POST", "/v2/generate/pop", SIM_ANON, IMAGE_POP (""));
  g_autoptr(SimReply) bad_key = sim_request (sim, "POST", "/v2/generate/pop", "not-a-key-00", IMAGE_POP (""));
  g_autoptr(SimReply) no_name = sim_request (sim, "POST", "/v2/generate/pop", WORKER, "{\"models\": [\"x\"]}");
  g_autoptr(SimReply) stolen = sim_request (sim, "POST", "/v2/generate/pop", MALLORY, IMAGE_POP (""));
  g_autoptr(SimReply) other_kind = sim_request (sim, "POST", "/v2/generate/text/pop", WORKER,
                                                "{\"name\": \"ext-painter\", \"models\": [\"x\"]}");
  g_autoptr(JsonObject) workers = NULL;
  JsonObject *skipped = json_object_get_object_member (pop, "skipped");

  /* the real server's empty pop */
  g_assert_true (json_object_get_null_member (pop, "id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pop, "ids")), ==, 0);
  g_assert_true (json_object_get_null_member (pop, "ttl"));
  g_assert_true (json_object_get_null_member (pop, "r2_upload"));
  g_assert_true (json_object_get_null_member (pop, "r2_uploads"));
  g_assert_true (json_object_get_null_member (pop, "model"));
  g_assert_cmpint (json_object_get_int_member (skipped, "models"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (skipped, "worker_id"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pop, "payload"), "ddim_steps"), ==, 30);

  sim_assert_error (anon, 403, "AnonForbiddenWorker");
  sim_assert_error (bad_key, 401, "InvalidAPIKey");
  g_assert_cmpuint (no_name->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (no_name), "errors"), "name"));
  sim_assert_error (stolen, 403, "WrongCredentials");
  sim_assert_error (other_kind, 400, "PolymorphicNameConflict");

  /* the worker is listed like any other */
  {
    g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/workers/name/ext-painter", NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    workers = json_object_ref (sim_reply_object (reply));
  }
  g_assert_cmpstr (json_object_get_string_member (workers, "type"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (workers, "bridge_agent"), ==, "test-worker:1:local");
  g_assert_cmpint (json_object_get_int_member (workers, "max_pixels"), ==, 1048576);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (workers, "models")), ==, 2);

  stats = stats_for (sim, "image");
  g_assert_cmpint (count_of (stats, "workers"), ==, 1);
  g_assert_cmpint (count_of (stats, "empty_pops"), ==, 1);
  g_assert_cmpint (count_of (stats, "pops"), ==, 0);
}

static void
test_image_r2_flow (Fixture       *fixture,
                    gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) pop = NULL;
  g_autoptr(JsonObject) during = NULL;
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GBytes) webp = sim_make_webp (128, 64, 220);
  g_autoptr(GBytes) downloaded = NULL;
  g_autofree char *upload_prefix = g_strconcat (sim->root, "/r2/upload/", NULL);
  g_autofree char *download_prefix = g_strconcat (sim->root, "/r2/", NULL);
  g_autofree char *body = NULL;
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", id);
  JsonObject *payload;
  JsonObject *generation;
  const char *job;
  const char *upload;
  double worker_kudos = sim_user_kudos (sim, WORKER);
  double reward;

  /* no simulated worker takes it: it waits for us */
  g_usleep (300 * 1000);
  before = sim_check (sim, id);
  g_assert_cmpint (json_object_get_int_member (before, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (before, "processing"), ==, 0);
  g_assert_false (json_object_get_boolean_member (before, "done"));

  pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  job = json_object_get_string_member (pop, "id");
  g_assert_nonnull (job);
  g_assert_cmpuint (strlen (job), ==, 36);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (pop, "ids"), 0), ==, job);
  g_assert_cmpint (json_object_get_int_member (pop, "ttl"), ==, 150);
  g_assert_cmpstr (json_object_get_string_member (pop, "model"), ==, "stable_diffusion");
  g_assert_cmpstr (json_object_get_string_member (pop, "source_processing"), ==, "img2img");
  payload = json_object_get_object_member (pop, "payload");
  g_assert_cmpstr (json_object_get_string_member (payload, "prompt"), ==, "a red fox in the snow");
  g_assert_cmpint (json_object_get_int_member (payload, "ddim_steps"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (payload, "n_iter"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "width"), ==, 512);
  g_assert_cmpstr (json_object_get_string_member (payload, "sampler_name"), ==, "k_euler");
  g_assert_cmpfloat (json_object_get_double_member (payload, "cfg_scale"), ==, 6.5);
  g_assert_true (json_object_get_boolean_member (payload, "karras"));
  g_assert_nonnull (json_object_get_string_member (payload, "seed"));
  upload = json_object_get_string_member (pop, "r2_upload");
  g_assert_true (g_str_has_prefix (upload, upload_prefix));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (pop, "r2_uploads"), 0), ==, upload);

  during = sim_check (sim, id);
  g_assert_cmpint (json_object_get_int_member (during, "processing"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (during, "waiting"), ==, 0);

  /* r2 wants the signed type, a WebP, and a URL it signed */
  g_assert_cmpuint (sim_put (sim, upload, "image/png", webp), ==, 403);
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("not a webp at all", 17);
    g_autofree char *forged = g_strndup (upload, strlen (upload) - 4);
    g_autofree char *forged_url = g_strconcat (forged, "0000", NULL);

    g_assert_cmpuint (sim_put (sim, upload, "image/webp", junk), ==, 400);
    g_assert_cmpuint (sim_put (sim, forged_url, "image/webp", webp), ==, 403);
  }
  g_assert_cmpuint (sim_put (sim, upload, "image/webp", webp), ==, 200);

  body = submit_body (job, "R2", "ok", 4242);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  reward = json_object_get_double_member (submitted, "reward");
  g_assert_cmpfloat (reward, >, 1);
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, WORKER), worker_kudos + reward, 0.01);

  status = sim_get_object (sim, status_path);
  g_assert_true (json_object_get_boolean_member (status, "done"));
  g_assert_cmpint (json_object_get_int_member (status, "finished"), ==, 1);
  generation = json_array_get_object_element (json_object_get_array_member (status, "generations"), 0);
  g_assert_cmpstr (json_object_get_string_member (generation, "id"), ==, job);
  g_assert_cmpstr (json_object_get_string_member (generation, "seed"), ==, "4242");
  g_assert_cmpstr (json_object_get_string_member (generation, "worker_name"), ==, "ext-painter");
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "stable_diffusion");
  g_assert_cmpstr (json_object_get_string_member (generation, "state"), ==, "ok");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (generation, "img"), download_prefix));
  downloaded = sim_image_bytes (sim, generation);
  g_assert_true (g_bytes_equal (downloaded, webp));

  stats = stats_for (sim, "image");
  g_assert_cmpint (count_of (stats, "pops"), ==, 1);
  g_assert_cmpint (count_of (stats, "jobs"), ==, 1);
  g_assert_cmpint (count_of (stats, "submits"), ==, 1);
  g_assert_cmpint (count_of (stats, "uploads"), ==, 1);
  g_assert_cmpint (count_of (stats, "rejected_uploads"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (stats, "rewards"), reward, 0.01);
}

static void
test_image_base64 (Fixture       *fixture,
                   gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 2, ", \"r2\": false");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (", \"amount\": 2"));
  g_autoptr(GBytes) first = sim_make_webp (64, 64, 10);
  g_autoptr(GBytes) second = sim_make_webp (64, 64, 250);
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) status = NULL;
  JsonArray *ids = json_object_get_array_member (pop, "ids");
  JsonArray *generations;
  GBytes *images[] = { first, second };

  /* a batch: two generations of the one request, one upload URL each */
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pop, "r2_uploads")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pop, "payload"), "n_iter"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (images[i], NULL), g_bytes_get_size (images[i]));
      g_autofree char *body = submit_body (json_array_get_string_element (ids, i), base64, "ok", (int) i);
      g_autoptr(JsonObject) submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
    }
  status = sim_get_object (sim, status_path);
  generations = json_object_get_array_member (status, "generations");
  g_assert_cmpuint (json_array_get_length (generations), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *generation = json_array_get_object_element (generations, i);
      g_autoptr(GBytes) image = sim_image_bytes (sim, generation);

      g_assert_false (g_str_has_prefix (json_object_get_string_member (generation, "img"), "http"));
      g_assert_true (g_bytes_equal (image, images[i]));
    }
}

/* Pops a job of request @id and submits it as faulted; returns the job id
 * and the request's /check answer after it. */
static char *
fault_one (Sim         *sim,
           const char  *id,
           JsonObject **after)
{
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  const char *job = json_object_get_string_member (pop, "id");
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) submitted = NULL;

  g_assert_nonnull (job);
  body = submit_body (job, "", "faulted", 0);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  g_assert_cmpfloat (json_object_get_double_member (submitted, "reward"), ==, 0);
  *after = sim_check (sim, id);
  return g_strdup (job);
}

static void
test_faulted (Fixture       *fixture,
              gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autofree char *first_job = NULL;
  g_autofree char *second_job = NULL;
  g_autofree char *three = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) empty = NULL;
  g_autoptr(JsonObject) stats = NULL;

  /* the first failure of a one-image request: back in the queue, for
   * another worker (or this one) */
  first_job = fault_one (sim, id, &after);
  g_assert_cmpint (json_object_get_int_member (after, "restarted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (after, "processing"), ==, 0);
  g_assert_false (json_object_get_boolean_member (after, "done"));
  g_assert_false (json_object_get_boolean_member (after, "faulted"));
  g_clear_pointer (&after, json_object_unref);

  /* the second: finished plus failed generations (1) are no longer fewer
   * than its images (1), so the server does not queue it again
   * (stable/processing_generation.py): done, not faulted, no image,
   * restarted 2, as 5.1.5 answers */
  second_job = fault_one (sim, id, &after);
  g_assert_cmpstr (second_job, !=, first_job);
  g_assert_cmpint (json_object_get_int_member (after, "restarted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (after, "processing"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (after, "finished"), ==, 0);
  g_assert_true (json_object_get_boolean_member (after, "done"));
  g_assert_false (json_object_get_boolean_member (after, "faulted"));
  /* the tax only: failures cost nothing */
  g_assert_cmpfloat (json_object_get_double_member (after, "kudos"), ==, 3);
  g_clear_pointer (&after, json_object_unref);
  empty = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_assert_true (json_object_get_null_member (empty, "id"));

  /* a faulted job cannot be turned into a result afterwards */
  {
    g_autofree char *body = submit_body (first_job, "R2", "ok", 1);
    g_autoptr(SimReply) late = sim_request (sim, "POST", "/v2/generate/submit", WORKER, body);

    sim_assert_error (late, 400, "AbortedGen");
  }

  /* three images: each failure is queued again (0, 1, 2 < 3), and the
   * third faulted generation faults the request (more than 2) */
  three = queue_image (sim, 3, NULL);
  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      g_autofree char *job = fault_one (sim, three, &after);

      g_assert_cmpint (json_object_get_int_member (after, "restarted"), ==, attempt);
      /* (the server would go on saying waiting 3 once faulted; the
       * simulator ends what waited) */
      g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, attempt < 3 ? 3 : 0);
      g_assert_cmpint (json_object_get_boolean_member (after, "faulted"), ==, attempt == 3);
      g_assert_cmpint (json_object_get_boolean_member (after, "done"), ==, attempt == 3);
      g_clear_pointer (&after, json_object_unref);
    }

  stats = stats_for (sim, "image");
  g_assert_cmpint (count_of (stats, "faulted"), ==, 5);
  g_assert_cmpint (count_of (stats, "submits"), ==, 0);
  g_assert_cmpint (count_of (stats, "rejected"), ==, 1);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  const char *job = json_object_get_string_member (pop, "id");
  g_autofree char *body = submit_body (job, "R2", "ok", 3);
  g_autofree char *unknown = submit_body ("00000000-0000-0000-0000-000000000000", "R2", "ok", 3);
  g_autoptr(SimReply) wrong_user = sim_request (sim, "POST", "/v2/generate/submit", MALLORY, body);
  g_autoptr(SimReply) bad_key = sim_request (sim, "POST", "/v2/generate/submit", "not-a-key-00", body);
  g_autoptr(SimReply) no_seed = sim_request (sim, "POST", "/v2/generate/submit", WORKER,
                                             "{\"id\": \"x\", \"generation\": \"R2\"}");
  g_autoptr(SimReply) bad_state = sim_request (sim, "POST", "/v2/generate/submit", WORKER,
                                               "{\"id\": \"x\", \"generation\": \"R2\", \"seed\": 1, \"state\": \"great\"}");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(SimReply) second = NULL;
  g_autoptr(SimReply) missing = NULL;
  g_autoptr(SimReply) wrong_kind = NULL;
  g_autoptr(JsonObject) after = NULL;

  sim_assert_error (wrong_user, 403, "WrongCredentials");
  sim_assert_error (bad_key, 401, "InvalidAPIKey");
  g_assert_cmpuint (no_seed->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (no_seed), "errors"), "seed"));
  g_assert_cmpuint (bad_state->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (bad_state), "errors"), "state"));

  first = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  second = sim_request (sim, "POST", "/v2/generate/submit", WORKER, body);
  missing = sim_request (sim, "POST", "/v2/generate/submit", WORKER, unknown);
  wrong_kind = sim_request (sim, "POST", "/v2/generate/text/submit", WORKER, body);
  sim_assert_error (second, 400, "DuplicateGen");
  sim_assert_error (missing, 404, "InvalidJobID");
  sim_assert_error (wrong_kind, 404, "InvalidJobID");

  /* the first submit counted once; said R2 but uploaded nothing: r2 has no such key */
  after = sim_check (sim, id);
  g_assert_cmpint (json_object_get_int_member (after, "finished"), ==, 1);
  {
    g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
    g_autoptr(JsonObject) status = sim_get_object (sim, path);
    JsonObject *generation = json_array_get_object_element (json_object_get_array_member (status, "generations"), 0);
    g_autoptr(SimReply) download = sim_request (sim, "GET", json_object_get_string_member (generation, "img"), NULL, NULL);

    g_assert_cmpuint (download->status, ==, 404);
  }
}

static void
test_skipped (Fixture       *fixture,
              gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *deliberate = sim_submit (sim, "/v2/generate/async", ALICE,
                                            "{\"prompt\": \"x\", \"models\": [\"Deliberate\"]}");
  g_autofree char *big = sim_submit (sim, "/v2/generate/async", ALICE,
                                     "{\"prompt\": \"y\", \"params\": {\"width\": 1024, \"height\": 1024},"
                                     " \"models\": [\"stable_diffusion\"]}");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                       "{\"name\": \"small\", \"models\": [\"stable_diffusion\"], \"max_pixels\": 262144,"
                                       " \"bridge_agent\": \"test-worker:1:local\"}");
  g_autoptr(JsonObject) served = NULL;
  g_autoptr(JsonObject) left = NULL;
  JsonObject *skipped = json_object_get_object_member (pop, "skipped");

  g_assert_true (json_object_get_null_member (pop, "id"));
  /* like the server's count_skipped_image_wp: each waiting request under
   * every reason that applies, and max_pixels compared with ≥ (the 512×512
   * one is exactly 262144) */
  g_assert_cmpint (json_object_get_int_member (skipped, "models"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "max_pixels"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (skipped, "nsfw"), ==, 0);

  /* a worker that serves the model and the size gets the older one */
  served = sim_post_object (sim, "/v2/generate/pop", WORKER,
                    "{\"name\": \"big\", \"models\": [\"Deliberate\", \"stable_diffusion\"], \"max_pixels\": 4194304,"
                    " \"bridge_agent\": \"test-worker:1:local\"}");
  g_assert_cmpstr (json_object_get_string_member (served, "model"), ==, "Deliberate");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (served, "payload"), "prompt"), ==, "x");
  left = sim_check (sim, big);
  g_assert_cmpint (json_object_get_int_member (left, "waiting"), ==, 1);
}

static void
test_stale (Fixture       *fixture,
            gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  const char *job = json_object_get_string_member (pop, "id");
  g_autofree char *body = submit_body (job, "R2", "ok", 1);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  g_autoptr(SimReply) late = NULL;
  g_autoptr(JsonObject) stats = NULL;

  g_assert_cmpint (json_object_get_int_member (pop, "ttl"), ==, 1);
  for (;;)
    {
      g_autoptr(JsonObject) state = sim_check (sim, id);

      if (json_object_get_int_member (state, "restarted") == 1)
        {
          g_assert_cmpint (json_object_get_int_member (state, "waiting"), ==, 1);
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (150 * 1000);
    }
  late = sim_request (sim, "POST", "/v2/generate/submit", WORKER, body);
  sim_assert_error (late, 400, "AbortedGen");
  stats = stats_for (sim, "image");
  g_assert_cmpint (count_of (stats, "aborted"), ==, 1);
}

static void
test_upload_expired (Fixture       *fixture,
                     gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_autoptr(GBytes) webp = sim_make_webp (64, 64, 1);
  const char *upload = json_object_get_string_member (pop, "r2_upload");
  g_autofree char *unknown = g_strconcat (sim->root, "/r2/upload/00000000-0000-0000-0000-000000000000.webp"
                                          "?expires=99999999999999&signature=0", NULL);
  g_autoptr(SimReply) faults = sim_request (sim, "POST", "/_sim/faults", NULL, "expire-r2@PUT /r2/upload/*,count=1");

  g_assert_cmpuint (faults->status, ==, 200);
  /* an expired URL, then the same URL in time; an unknown one never */
  g_assert_cmpuint (sim_put (sim, upload, "image/webp", webp), ==, 403);
  g_assert_cmpuint (sim_put (sim, upload, "image/webp", webp), ==, 200);
  g_assert_cmpuint (sim_put (sim, unknown, "image/webp", webp), ==, 403);
}

/* Like the real server: the requester cancels while the worker holds the
 * job; the worker's submit still counts. */
static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = queue_image (sim, 1, ", \"r2\": false");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", path, ALICE, NULL);
  g_autoptr(GBytes) webp = sim_make_webp (64, 64, 99);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
  g_autofree char *body = submit_body (json_object_get_string_member (pop, "id"), base64, "ok", 5);
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sim_reply_object (cancel), "processing"), ==, 1);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  g_assert_cmpfloat (json_object_get_double_member (submitted, "reward"), >, 1);
  after = sim_check (sim, id);
  g_assert_true (json_object_get_boolean_member (after, "done"));
  g_assert_cmpint (json_object_get_int_member (after, "finished"), ==, 1);
}

/* ---- text ----------------------------------------------------------- */

/* A text generation a worker reports as failed is always queued again
 * (kobold/processing_generation.py set_generation: "wp.n += 1"), until
 * the third failure faults the request. */
static void
test_text_faulted (Fixture       *fixture,
                   gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = sim_submit (sim, "/v2/generate/text/async", ALICE,
                                    "{\"prompt\": \"Once\", \"params\": {\"max_length\": 64,"
                                    " \"max_context_length\": 1024}, \"models\": [\"my-llm\"]}");
  g_autofree char *check_path = g_strdup_printf ("/v2/generate/text/status/%s", id);

  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/text/pop", WORKER,
                                           "{\"name\": \"ext-writer\", \"models\": [\"my-llm\"], \"max_length\": 512,"
                                           " \"max_context_length\": 4096}");
      g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"\", \"state\": \"faulted\"}",
                                               json_object_get_string_member (pop, "id"));
      g_autoptr(JsonObject) submitted = sim_post_object (sim, "/v2/generate/text/submit", WORKER, body);
      g_autoptr(JsonObject) after = sim_get_object (sim, check_path);

      g_assert_cmpfloat (json_object_get_double_member (submitted, "reward"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (after, "restarted"), ==, attempt);
      g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, attempt < 3 ? 1 : 0);
      g_assert_cmpint (json_object_get_boolean_member (after, "done"), ==, attempt == 3);
      g_assert_cmpint (json_object_get_boolean_member (after, "faulted"), ==, attempt == 3);
      /* the text horde tax of 1, nothing for the failures */
      g_assert_cmpfloat (json_object_get_double_member (after, "kudos"), ==, 1);
    }
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = sim_submit (sim, "/v2/generate/text/async", ALICE,
                                    "{\"prompt\": \"Once upon a time\", \"params\": {\"max_length\": 64,"
                                    " \"max_context_length\": 1024, \"temperature\": 0.5}, \"models\": [\"my-llm\"]}");
  g_autoptr(JsonObject) short_pop = sim_post_object (sim, "/v2/generate/text/pop", WORKER,
                                             "{\"name\": \"ext-writer\", \"models\": [\"my-llm\"], \"max_length\": 32}");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/text/pop", WORKER,
                                       "{\"name\": \"ext-writer\", \"models\": [\"my-llm\"], \"max_length\": 512,"
                                       " \"max_context_length\": 4096}");
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/text/status/%s", id);
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *body = NULL;
  JsonObject *payload = json_object_get_object_member (pop, "payload");
  JsonObject *generation;

  g_assert_true (json_object_get_null_member (short_pop, "id"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (short_pop, "skipped"), "max_length"), ==, 1);

  g_assert_nonnull (json_object_get_string_member (pop, "id"));
  g_assert_cmpstr (json_object_get_string_member (pop, "model"), ==, "my-llm");
  g_assert_cmpint (json_object_get_int_member (pop, "ttl"), ==, 150);
  g_assert_true (json_object_get_null_member (pop, "softprompt"));
  g_assert_cmpstr (json_object_get_string_member (payload, "prompt"), ==, "Once upon a time");
  g_assert_cmpint (json_object_get_int_member (payload, "max_length"), ==, 64);
  g_assert_cmpint (json_object_get_int_member (payload, "max_context_length"), ==, 1024);
  g_assert_cmpfloat (json_object_get_double_member (payload, "temperature"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (payload, "n"), ==, 1);

  body = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \" there was a fox.\", \"state\": \"ok\"}",
                          json_object_get_string_member (pop, "id"));
  submitted = sim_post_object (sim, "/v2/generate/text/submit", WORKER, body);
  g_assert_cmpfloat (json_object_get_double_member (submitted, "reward"), >, 1);

  status = sim_get_object (sim, status_path);
  g_assert_true (json_object_get_boolean_member (status, "done"));
  generation = json_array_get_object_element (json_object_get_array_member (status, "generations"), 0);
  g_assert_cmpstr (json_object_get_string_member (generation, "text"), ==, " there was a fox.");
  g_assert_cmpstr (json_object_get_string_member (generation, "worker_name"), ==, "ext-writer");
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "my-llm");

  stats = stats_for (sim, "text");
  g_assert_cmpint (count_of (stats, "pops"), ==, 1);
  g_assert_cmpint (count_of (stats, "empty_pops"), ==, 1);
  g_assert_cmpint (count_of (stats, "submits"), ==, 1);
}

/* ---- alchemy -------------------------------------------------------- */

static void
test_interrogate (Fixture       *fixture,
                  gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autoptr(GBytes) source = sim_make_webp (96, 64, 30);
  g_autoptr(GBytes) upscaled = sim_make_webp (192, 128, 30);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (source, NULL), g_bytes_get_size (source));
  g_autofree char *request = g_strdup_printf ("{\"source_image\": \"%s\", \"forms\": [{\"name\": \"caption\"},"
                                              " {\"name\": \"RealESRGAN_x2plus\"}]}", base64);
  g_autofree char *id = sim_submit (sim, "/v2/interrogate/async", ALICE, request);
  g_autoptr(JsonObject) other = sim_post_object (sim, "/v2/interrogate/pop", WORKER,
                                         "{\"name\": \"ext-nsfw\", \"forms\": [\"nsfw\"]}");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/interrogate/pop", WORKER,
                                       "{\"name\": \"ext-alchemist\", \"forms\": [\"caption\", \"RealESRGAN_x2plus\"],"
                                       " \"amount\": 4}");
  g_autofree char *status_path = g_strdup_printf ("/v2/interrogate/status/%s", id);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *forms = json_object_get_array_member (pop, "forms");
  JsonObject *caption = NULL;
  JsonObject *upscale = NULL;
  JsonArray *done;

  /* nothing for a worker with other forms */
  g_assert_true (json_object_get_null_member (other, "forms"));
  g_assert_true (json_object_has_member (other, "skipped"));

  g_assert_cmpuint (json_array_get_length (forms), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *form = json_array_get_object_element (forms, i);

      if (g_str_equal (json_object_get_string_member (form, "form"), "caption"))
        caption = form;
      else
        upscale = form;
    }
  g_assert_nonnull (caption);
  g_assert_nonnull (upscale);
  g_assert_cmpstr (json_object_get_string_member (upscale, "form"), ==, "RealESRGAN_x2plus");
  /* only post-processors upload an image */
  g_assert_false (json_object_has_member (caption, "r2_upload"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (upscale, "r2_upload"), sim->root));
  {
    g_autoptr(SimReply) download = sim_request (sim, "GET", json_object_get_string_member (caption, "source_image"),
                                                NULL, NULL);

    g_assert_cmpuint (download->status, ==, 200);
    g_assert_true (g_bytes_equal (download->body, source));
  }

  {
    g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"result\": {\"caption\": \"a blue square\"},"
                                             " \"state\": \"ok\"}", json_object_get_string_member (caption, "id"));
    g_autoptr(JsonObject) submitted = sim_post_object (sim, "/v2/interrogate/submit", WORKER, body);
    g_autoptr(SimReply) again = sim_request (sim, "POST", "/v2/interrogate/submit", WORKER, body);

    g_assert_cmpfloat (json_object_get_double_member (submitted, "reward"), >, 0);
    sim_assert_error (again, 400, "DuplicateGen");
  }
  g_assert_cmpuint (sim_put (sim, json_object_get_string_member (upscale, "r2_upload"), "image/webp", upscaled), ==, 200);
  {
    g_autofree char *body = g_strdup_printf ("{\"id\": \"%s\", \"result\": {\"RealESRGAN_x2plus\": \"R2\"},"
                                             " \"state\": \"ok\"}", json_object_get_string_member (upscale, "id"));
    g_autoptr(JsonObject) submitted = sim_post_object (sim, "/v2/interrogate/submit", WORKER, body);
  }

  status = sim_get_object (sim, status_path);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "done");
  done = json_object_get_array_member (status, "forms");
  for (guint i = 0; i < json_array_get_length (done); i++)
    {
      JsonObject *form = json_array_get_object_element (done, i);
      JsonObject *result = json_object_get_object_member (form, "result");

      g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, "done");
      g_assert_cmpstr (json_object_get_string_member (form, "worker_name"), ==, "ext-alchemist");
      if (g_str_equal (json_object_get_string_member (form, "form"), "caption"))
        g_assert_cmpstr (json_object_get_string_member (result, "caption"), ==, "a blue square");
      else
        {
          g_autoptr(SimReply) download = sim_request (sim, "GET",
                                                      json_object_get_string_member (result, "RealESRGAN_x2plus"),
                                                      NULL, NULL);

          g_assert_cmpuint (download->status, ==, 200);
          g_assert_true (g_bytes_equal (download->body, upscaled));
        }
    }
  stats = stats_for (sim, "interrogation");
  g_assert_cmpint (count_of (stats, "workers"), ==, 2);
  g_assert_cmpint (count_of (stats, "jobs"), ==, 2);
  g_assert_cmpint (count_of (stats, "submits"), ==, 2);
  g_assert_cmpint (count_of (stats, "uploads"), ==, 1);
  g_assert_cmpint (count_of (stats, "rejected"), ==, 1);
}

/* An external worker's own model is a "custom" one in /v2/stats, and what
 * it submits counts as much as what the simulated workers make. */
static void
test_stats_custom_model (Fixture       *fixture,
                         gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64, \"steps\": 5},"
                                    " \"models\": [\"my-own-merge\"], \"r2\": false}");
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                       "{\"name\": \"ext-merger\", \"models\": [\"my-own-merge\"]}");
  g_autoptr(GBytes) webp = sim_make_webp (64, 64, 99);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
  g_autofree char *body = submit_body (json_object_get_string_member (pop, "id"), base64, "ok", 7);
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(JsonObject) before = sim_get_object (sim, "/v2/stats/img/totals");
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(JsonObject) custom = NULL;
  g_autoptr(JsonObject) known = NULL;
  g_autoptr(JsonObject) all = NULL;

  /* popped is not finished */
  g_assert_cmpstr (json_object_get_string_member (pop, "model"), ==, "my-own-merge");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (before, "total"), "images"), ==, 0);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  totals = sim_get_object (sim, "/v2/stats/img/totals");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "minute"), "images"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "total"), "ps"), ==, 64 * 64 * 5);
  custom = sim_get_object (sim, "/v2/stats/img/models?model_state=custom");
  known = sim_get_object (sim, "/v2/stats/img/models?model_state=known");
  all = sim_get_object (sim, "/v2/stats/img/models?model_state=all");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (custom, "day"), "my-own-merge"), ==, 1);
  g_assert_false (json_object_has_member (json_object_get_object_member (known, "day"), "my-own-merge"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (all, "total"), "my-own-merge"), ==, 1);
}

/* ---- alongside the simulated workers -------------------------------- */

static void
test_sim_worker_names (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "1", "--users", users, NULL);
  g_autoptr(SimReply) image = sim_request (sim, "POST", "/v2/generate/pop", WORKER,
                                           "{\"name\": \"sim-aurora\", \"models\": [\"stable_diffusion\"]}");
  g_autoptr(SimReply) text = sim_request (sim, "POST", "/v2/generate/text/pop", WORKER,
                                          "{\"name\": \"sim-scribe\", \"models\": [\"x\"]}");

  /* the simulator's own workers belong to nobody */
  sim_assert_error (image, 403, "WrongCredentials");
  sim_assert_error (text, 403, "WrongCredentials");
  sim_stop (sim);
  g_unlink (users);
}

/* The server moves a request's expiry when a worker picks up one of its
 * generations and when one is paid for (WaitingPrompt.refresh()), not
 * when its client polls: with --expiry 2, a request whose image is picked
 * up at 1.2 s and submitted at 2.4 s lives to 4.4 s, then expires
 * however often it is polled. */
static void
test_expiry_refresh (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "0", "--text-workers", "0", "--alchemy-workers", "0", "--users", users,
                        "--r2-bridge-agent", "test-worker", "--check-cache", "0", "--expiry", "2", NULL);
  g_autofree char *id = queue_image (sim, 1, NULL);
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autoptr(JsonObject) pop = NULL;
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(SimReply) alive = NULL;
  g_autoptr(SimReply) gone = NULL;
  g_autofree char *body = NULL;
  gint64 until;

  g_usleep (1200 * 1000);
  pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_assert_nonnull (json_object_get_string_member (pop, "id"));
  g_usleep (1200 * 1000);
  body = submit_body (json_object_get_string_member (pop, "id"), "R2", "ok", 1);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  g_usleep (1200 * 1000);
  /* 2.4 s after the pickup, 1.2 s after the payment */
  alive = sim_request (sim, "GET", path, NULL, NULL);
  g_assert_cmpuint (alive->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (sim_reply_object (alive), "done"));
  until = g_get_monotonic_time () + 2400 * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_autoptr(SimReply) poll = sim_request (sim, "GET", path, NULL, NULL);

      g_assert_true (poll->status == 200 || poll->status == 404);
      g_usleep (200 * 1000);
    }
  gone = sim_request (sim, "GET", path, NULL, NULL);
  sim_assert_error (gone, 404, "RequestNotFound");
  sim_stop (sim);
  g_unlink (users);
}

/* ---- ControlNet, TIs, LoRAs, inpainting ----------------------------- */

/* A worker like IMAGE_POP that says what it allows */
#define CAPABLE_POP(name, bridge, extra) \
  "{\"name\": \"" name "\", \"models\": [\"stable_diffusion\"], \"max_pixels\": 1048576," \
  " \"bridge_agent\": \"" bridge "\", \"nsfw\": true" extra "}"
#define ALL_ALLOWED \
  ", \"allow_img2img\": true, \"allow_painting\": true, \"allow_post_processing\": true," \
  " \"allow_controlnet\": true, \"allow_lora\": true"

/* A small WebP in base64, for source images and masks */
static char *
source_b64 (guint8 shade)
{
  g_autoptr(GBytes) webp = sim_make_webp (64, 64, shade);

  return g_base64_encode (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
}

/* Queues an image request as alice with @params (the members inside
 * "params") and @extra (more top-level members); returns its id. */
static char *
queue_special (Sim        *sim,
               const char *params,
               const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"prompt\": \"a lighthouse\", \"params\": {%s},"
                                           " \"models\": [\"stable_diffusion\"]%s}", params, extra ? extra : "");

  return sim_submit (sim, "/v2/generate/async", ALICE, body);
}

/* What a worker gets for ControlNet, TIs and inpainting: the server's
 * get_pop_payload sends the request's params (control_type,
 * image_is_control, return_control_map, tis with the marshalling's
 * defaults, cfg_scale 5 and karras when absent: extract_params) and, with
 * a source image, source_processing and source_mask. */
static void
test_special_payload (Fixture       *fixture,
                      gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *source = source_b64 (40);
  g_autofree char *mask = source_b64 (250);
  g_autofree char *control_extra = g_strdup_printf (", \"source_image\": \"%s\"", source);
  g_autofree char *paint_extra = g_strdup_printf (", \"source_image\": \"%s\", \"source_processing\": \"inpainting\","
                                                  " \"source_mask\": \"%s\"", source, mask);
  g_autofree char *control = queue_special (sim, "\"control_type\": \"canny\", \"image_is_control\": true,"
                                                 " \"tis\": [{\"name\": \"7808\", \"inject_ti\": \"negprompt\"}]",
                                            control_extra);
  g_autofree char *paint = queue_special (sim, "\"steps\": 12", paint_extra);
  g_autoptr(JsonObject) first = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                                 CAPABLE_POP ("ext-all", "test-worker:1:local", ALL_ALLOWED));
  g_autoptr(JsonObject) second = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                                  CAPABLE_POP ("ext-all", "test-worker:1:local", ALL_ALLOWED));
  JsonObject *payload = json_object_get_object_member (first, "payload");
  JsonObject *ti;

  g_assert_nonnull (json_object_get_string_member (first, "id"));
  g_assert_cmpstr (json_object_get_string_member (payload, "control_type"), ==, "canny");
  g_assert_true (json_object_get_boolean_member (payload, "image_is_control"));
  g_assert_false (json_object_get_boolean_member (payload, "return_control_map"));
  /* ControlNet's 20 steps when none are asked */
  g_assert_cmpint (json_object_get_int_member (payload, "ddim_steps"), ==, 20);
  g_assert_cmpfloat (json_object_get_double_member (payload, "cfg_scale"), ==, 5.0);
  g_assert_true (json_object_get_boolean_member (payload, "karras"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload, "tis")), ==, 1);
  ti = json_array_get_object_element (json_object_get_array_member (payload, "tis"), 0);
  g_assert_cmpstr (json_object_get_string_member (ti, "name"), ==, "7808");
  g_assert_cmpstr (json_object_get_string_member (ti, "inject_ti"), ==, "negprompt");
  g_assert_cmpfloat (json_object_get_double_member (ti, "strength"), ==, 1.0);
  g_assert_cmpstr (json_object_get_string_member (first, "source_image"), ==, source);
  g_assert_cmpstr (json_object_get_string_member (first, "source_processing"), ==, "img2img");
  g_assert_true (json_object_get_null_member (first, "source_mask"));

  payload = json_object_get_object_member (second, "payload");
  g_assert_nonnull (json_object_get_string_member (second, "id"));
  g_assert_cmpint (json_object_get_int_member (payload, "ddim_steps"), ==, 12);
  g_assert_false (json_object_has_member (payload, "control_type"));
  g_assert_cmpstr (json_object_get_string_member (second, "source_image"), ==, source);
  g_assert_cmpstr (json_object_get_string_member (second, "source_processing"), ==, "inpainting");
  g_assert_cmpstr (json_object_get_string_member (second, "source_mask"), ==, mask);
}

/* Who gets what: the server's pop query and ImageWorker.can_generate
 * give ControlNet only to allow_controlnet, inpainting only to
 * allow_painting, LoRAs only to allow_lora (with a bridge that can),
 * post-processing only to allow_post_processing, and TIs to any bridge
 * that can do them; an empty pop counts them as count_skipped_image_wp
 * does. */
static void
test_capabilities (Fixture       *fixture,
                   gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *source = source_b64 (90);
  g_autofree char *mask = source_b64 (200);
  g_autofree char *control_extra = g_strdup_printf (", \"source_image\": \"%s\"", source);
  g_autofree char *paint_extra = g_strdup_printf (", \"source_image\": \"%s\", \"source_processing\": \"outpainting\","
                                                  " \"source_mask\": \"%s\"", source, mask);
  g_autofree char *control = queue_special (sim, "\"control_type\": \"depth\"", control_extra);
  g_autofree char *paint = queue_special (sim, "\"steps\": 10", paint_extra);
  g_autofree char *lora = queue_special (sim, "\"loras\": [{\"name\": \"76589\"}]", NULL);
  g_autofree char *upscale = queue_special (sim, "\"post_processing\": [\"GFPGAN\"]", NULL);
  g_autofree char *tis = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) old_bridge = NULL;
  g_autoptr(JsonObject) ti_pop = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(JsonObject) details = NULL;
  JsonObject *skipped;

  /* a worker that allows none of it (the server's defaults: no ControlNet,
   * no LoRA) and says no to painting and post-processing */
  plain = sim_post_object (sim, "/v2/generate/pop", WORKER,
                           CAPABLE_POP ("ext-plain", "test-worker:1:local",
                                        ", \"allow_painting\": false, \"allow_post_processing\": false"));
  g_assert_true (json_object_get_null_member (plain, "id"));
  skipped = json_object_get_object_member (plain, "skipped");
  g_assert_cmpint (json_object_get_int_member (skipped, "controlnet"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "painting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "lora"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "img2img"), ==, 0);
  /* the server counts requests with a "post-processing" key, which none
   * has (theirs is post_processing): 0, though it was skipped */
  g_assert_cmpint (json_object_get_int_member (skipped, "post-processing"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (skipped, "bridge_version"), ==, 0);
  {
    g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/workers/name/ext-plain", NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    details = json_object_ref (sim_reply_object (reply));
  }
  g_assert_false (json_object_get_boolean_member (details, "controlnet"));
  g_assert_false (json_object_get_boolean_member (details, "painting"));
  g_assert_false (json_object_get_boolean_member (details, "lora"));
  g_assert_false (json_object_get_boolean_member (details, "post-processing"));
  g_assert_true (json_object_get_boolean_member (details, "img2img"));

  /* reGen 1 can upload to R2 but not load LoRAs: allowing them is not
   * enough, and the count says bridge_version */
  old_bridge = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                CAPABLE_POP ("ext-old", "AI Horde Worker reGen:1.0.0:local",
                                             ", \"allow_lora\": true, \"allow_painting\": false,"
                                             " \"allow_post_processing\": false"));
  g_assert_true (json_object_get_null_member (old_bridge, "id"));
  skipped = json_object_get_object_member (old_bridge, "skipped");
  g_assert_cmpint (json_object_get_int_member (skipped, "lora"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (skipped, "bridge_version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "controlnet"), ==, 1);

  /* TIs need no allow_lora on the server, only a bridge that can */
  tis = queue_special (sim, "\"tis\": [{\"name\": \"4629\"}]", NULL);
  ti_pop = sim_post_object (sim, "/v2/generate/pop", WORKER,
                            CAPABLE_POP ("ext-plain", "test-worker:1:local",
                                         ", \"allow_painting\": false, \"allow_post_processing\": false"));
  g_assert_nonnull (json_object_get_string_member (ti_pop, "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ti_pop, "payload"), "prompt"),
                   ==, "a lighthouse");
  g_assert_true (json_object_has_member (json_object_get_object_member (ti_pop, "payload"), "tis"));
  {
    g_autoptr(JsonObject) left = sim_check (sim, tis);

    g_assert_cmpint (json_object_get_int_member (left, "processing"), ==, 1);
  }

  /* a worker that allows everything takes the oldest: the ControlNet one */
  full = sim_post_object (sim, "/v2/generate/pop", WORKER, CAPABLE_POP ("ext-full", "test-worker:1:local", ALL_ALLOWED));
  g_assert_nonnull (json_object_get_string_member (full, "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (full, "payload"), "control_type"),
                   ==, "depth");
  {
    g_autoptr(JsonObject) taken = sim_check (sim, control);
    g_autoptr(JsonObject) waiting = sim_check (sim, upscale);

    g_assert_cmpint (json_object_get_int_member (taken, "processing"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (waiting, "waiting"), ==, 1);
  }
}

/* SDXL ControlNet: the server gives Layer Diffuse (transparent) only to
 * workers with allow_sdxl_controlnet and a bridge that can (its pop
 * query; a missing capability counts under bridge_version), and the
 * qr_code workflow to a worker that serves an SDXL model only with
 * allow_sdxl_controlnet (ImageWorker.can_generate, not counted). */
static void
test_sdxl_controlnet (Fixture       *fixture,
                      gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autofree char *transparent = queue_special (sim, "\"transparent\": true", NULL);
  g_autofree char *qr = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"a qr code\", \"params\": {\"workflow\": \"qr_code\"},"
                                    " \"models\": [\"AlbedoBase XL (SDXL)\"]}");
  g_autoptr(JsonObject) without = NULL;
  g_autoptr(JsonObject) old_bridge = NULL;
  g_autoptr(JsonObject) sdxl_without = NULL;
  g_autoptr(JsonObject) sdxl_with = NULL;
  g_autoptr(JsonObject) with = NULL;
  JsonObject *skipped;

  without = sim_post_object (sim, "/v2/generate/pop", WORKER, CAPABLE_POP ("ext-all", "test-worker:1:local", ALL_ALLOWED));
  g_assert_true (json_object_get_null_member (without, "id"));
  skipped = json_object_get_object_member (without, "skipped");
  g_assert_cmpint (json_object_get_int_member (skipped, "bridge_version"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (skipped, "controlnet"), ==, 0);

  /* reGen 7 has no Layer Diffuse */
  old_bridge = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                CAPABLE_POP ("ext-old", "AI Horde Worker reGen:7.0.0:local",
                                             ALL_ALLOWED ", \"allow_sdxl_controlnet\": true"));
  g_assert_true (json_object_get_null_member (old_bridge, "id"));
  skipped = json_object_get_object_member (old_bridge, "skipped");
  g_assert_cmpint (json_object_get_int_member (skipped, "bridge_version"), ==, 1);

  /* the SDXL model's worker needs allow_sdxl_controlnet for qr_code */
  sdxl_without = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                  "{\"name\": \"ext-xl\", \"models\": [\"AlbedoBase XL (SDXL)\"],"
                                  " \"max_pixels\": 1048576, \"bridge_agent\": \"test-worker:1:local\"" ALL_ALLOWED "}");
  g_assert_true (json_object_get_null_member (sdxl_without, "id"));
  sdxl_with = sim_post_object (sim, "/v2/generate/pop", WORKER,
                               "{\"name\": \"ext-xl\", \"models\": [\"AlbedoBase XL (SDXL)\"],"
                               " \"max_pixels\": 1048576, \"bridge_agent\": \"test-worker:1:local\"" ALL_ALLOWED
                               ", \"allow_sdxl_controlnet\": true}");
  g_assert_nonnull (json_object_get_string_member (sdxl_with, "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sdxl_with, "payload"), "workflow"),
                   ==, "qr_code");

  with = sim_post_object (sim, "/v2/generate/pop", WORKER,
                          CAPABLE_POP ("ext-all", "test-worker:1:local", ALL_ALLOWED ", \"allow_sdxl_controlnet\": true"));
  g_assert_nonnull (json_object_get_string_member (with, "id"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (with, "payload"), "transparent"));
}

/* The server's kudos for these (horde/classes/stable/waiting_prompt.py):
 * ControlNet triples the image's legacy kudos unless it returns the
 * control map, each LoRA adds 3, TIs add 1, and a source image makes the
 * requester's burn 1.3 times the kudos (calculate_extra_kudos_burn).
 * 512×512 at 20 steps: 4.33 by the legacy formula, + 2 in the
 * simulator's model. */
static void
test_special_kudos (Fixture       *fixture,
                    gconstpointer  data)
{
  Sim *sim = fixture->sim;
  static const struct {
    const char *params;
    gboolean    source;
    double      dry_run;
  } cases[] = {
    { "\"steps\": 20", FALSE, 8 },                                                  /* 6.33 + 1 + 1 */
    { "\"steps\": 20", TRUE, 10 },                                                  /* 6.33 × 1.3 + 1 + 1 */
    { "\"control_type\": \"canny\"", TRUE, 21 },                                    /* 14.99 × 1.3 + 1 + 1 */
    { "\"control_type\": \"canny\", \"return_control_map\": true", TRUE, 10 },
    { "\"steps\": 20, \"loras\": [{\"name\": \"1\"}, {\"name\": \"2\"}]", FALSE, 14 }, /* 12.33 + 1 + 1 */
    { "\"steps\": 20, \"tis\": [{\"name\": \"1\"}, {\"name\": \"2\"}]", FALSE, 9 },   /* 7.33 + 1 + 1 */
  };
  g_autofree char *source = source_b64 (128);
  g_autofree char *source_extra = g_strdup_printf (", \"source_image\": \"%s\"", source);
  g_autofree char *dry_extra = g_strdup_printf (", \"dry_run\": true, \"source_image\": \"%s\"", source);
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimReply) queued_reply = NULL;
  JsonObject *queued;
  g_autoptr(JsonObject) pop = NULL;
  g_autoptr(JsonObject) submitted = NULL;
  g_autoptr(GBytes) webp = sim_make_webp (64, 64, 30);
  double alice_before;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *request = g_strdup_printf ("{\"prompt\": \"a lighthouse\", \"params\": {%s},"
                                                  " \"models\": [\"stable_diffusion\"]%s}", cases[i].params,
                                                  cases[i].source ? dry_extra : ", \"dry_run\": true");
      g_autoptr(JsonObject) answer = sim_post_object (sim, "/v2/generate/async", ALICE, request);

      g_test_message ("case %u: %s", i, cases[i].params);
      g_assert_cmpfloat (json_object_get_double_member (answer, "kudos"), ==, cases[i].dry_run);
    }

  /* the worker earns the tripled kudos, and the requester pays 1.3 × + 1 */
  body = g_strdup_printf ("{\"prompt\": \"a lighthouse\", \"params\": {\"control_type\": \"canny\"},"
                          " \"models\": [\"stable_diffusion\"]%s}", source_extra);
  queued_reply = sim_request (sim, "POST", "/v2/generate/async", ALICE, body);
  g_assert_cmpuint (queued_reply->status, ==, 202);
  queued = sim_reply_object (queued_reply);
  g_assert_cmpfloat (json_object_get_double_member (queued, "kudos"), ==, 15);
  id = g_strdup (json_object_get_string_member (queued, "id"));
  alice_before = sim_user_kudos (sim, ALICE);
  pop = sim_post_object (sim, "/v2/generate/pop", WORKER, CAPABLE_POP ("ext-all", "test-worker:1:local", ALL_ALLOWED));
  g_assert_nonnull (json_object_get_string_member (pop, "id"));
  g_assert_cmpuint (sim_put (sim, json_object_get_string_member (pop, "r2_upload"), "image/webp", webp), ==, 200);
  g_clear_pointer (&body, g_free);
  body = submit_body (json_object_get_string_member (pop, "id"), "R2", "ok", 7);
  submitted = sim_post_object (sim, "/v2/generate/submit", WORKER, body);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (submitted, "reward"), 14.99, 0.001);
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE), alice_before - (14.99 * 1.3 + 1), 0.01);
}

/* PUT /v2/workers/{id} as the server's WorkerSingle.put: maintenance is
 * the owner's (or a moderator's), paused a moderator's only; the owner's
 * find_user lists the worker, and its details show the maintenance, the
 * pause only to a moderator */
static void
test_worker_put (Fixture       *fixture,
                 gconstpointer  data)
{
  Sim *sim = fixture->sim;
  g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));
  g_autoptr(SimReply) owner = sim_request (sim, "GET", "/v2/find_user", WORKER, NULL);
  g_autoptr(SimReply) other = sim_request (sim, "GET", "/v2/find_user", MALLORY, NULL);
  g_autoptr(SimReply) public_view = sim_request (sim, "GET", "/v2/users/6", NULL, NULL);
  g_autoptr(SimReply) details = NULL;
  g_autoptr(SimReply) mod_details = NULL;
  g_autofree char *path = NULL;
  JsonArray *ids;
  const char *id;

  g_assert_cmpuint (owner->status, ==, 200);
  ids = json_object_get_array_member (sim_reply_object (owner), "worker_ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  g_assert_cmpint (json_object_get_int_member (sim_reply_object (owner), "worker_count"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_reply_object (other), "worker_ids")), ==, 0);
  /* others see the count, not the ids */
  g_assert_false (json_object_has_member (sim_reply_object (public_view), "worker_ids"));
  g_assert_cmpint (json_object_get_int_member (sim_reply_object (public_view), "worker_count"), ==, 1);
  id = json_array_get_string_element (ids, 0);
  path = g_strdup_printf ("/v2/workers/%s", id);

  {
    g_autoptr(SimReply) not_owner = sim_request (sim, "PUT", path, MALLORY, "{\"maintenance\": true}");
    g_autoptr(SimReply) not_mod = sim_request (sim, "PUT", path, WORKER, "{\"paused\": true}");
    g_autoptr(SimReply) nothing = sim_request (sim, "PUT", path, WORKER, "{}");
    g_autoptr(SimReply) anonymous = sim_request (sim, "PUT", path, NULL, "{\"maintenance\": true}");
    g_autoptr(SimReply) unknown = sim_request (sim, "PUT", "/v2/workers/00000000-0000-0000-0000-000000000000",
                                               WORKER, "{\"maintenance\": true}");
    g_autoptr(SimReply) maintenance = NULL;
    g_autoptr(SimReply) paused = NULL;
    g_autoptr(SimReply) mod_maintenance = NULL;

    sim_assert_error (not_owner, 403, "NotOwner");
    sim_assert_error (not_mod, 403, "NotModerator");
    sim_assert_error (nothing, 400, "NoWorkerModSelected");
    g_assert_cmpuint (anonymous->status, ==, 400);
    sim_assert_error (unknown, 404, "WorkerNotFound");

    maintenance = sim_request (sim, "PUT", path, WORKER, "{\"maintenance\": true, \"maintenance_msg\": \"back soon\"}");
    g_assert_cmpuint (maintenance->status, ==, 200);
    g_assert_true (json_object_get_boolean_member (sim_reply_object (maintenance), "maintenance"));
    g_assert_false (json_object_has_member (sim_reply_object (maintenance), "paused"));

    /* in maintenance: another user's request is not its to take, and a
     * pop that finds nothing says why, in the owner's words; its owner's
     * request it still takes */
    {
      g_autofree char *alices = queue_image (sim, 1, NULL);
      g_autoptr(SimReply) refused = sim_request (sim, "POST", "/v2/generate/pop", WORKER, IMAGE_POP (""));
      g_autofree char *owners = sim_submit (sim, "/v2/generate/async", WORKER,
                                            "{\"prompt\": \"the owner's own\", \"models\": [\"stable_diffusion\"]}");
      g_autoptr(JsonObject) taken = sim_post_object (sim, "/v2/generate/pop", WORKER, IMAGE_POP (""));

      sim_assert_error (refused, 403, "WorkerMaintenance");
      g_assert_cmpstr (json_object_get_string_member (sim_reply_object (refused), "message"), ==, "back soon");
      g_assert_cmpstr (json_object_get_string_member (taken, "id"), !=, NULL);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (taken, "payload"), "prompt"), ==,
                       "the owner's own");
    }

    paused = sim_request (sim, "PUT", path, MODERATOR, "{\"paused\": true}");
    g_assert_cmpuint (paused->status, ==, 200);
    g_assert_true (json_object_get_boolean_member (sim_reply_object (paused), "paused"));
    mod_maintenance = sim_request (sim, "PUT", path, MODERATOR, "{\"maintenance\": false}");
    g_assert_cmpuint (mod_maintenance->status, ==, 200);
    g_assert_false (json_object_get_boolean_member (sim_reply_object (mod_maintenance), "maintenance"));
  }

  details = sim_request (sim, "GET", path, WORKER, NULL);
  g_assert_false (json_object_get_boolean_member (sim_reply_object (details), "maintenance_mode"));
  g_assert_false (json_object_has_member (sim_reply_object (details), "paused"));
  mod_details = sim_request (sim, "GET", path, MODERATOR, NULL);
  g_assert_true (json_object_get_boolean_member (sim_reply_object (mod_details), "paused"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/sim/worker/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("empty-pop", test_empty_pop, NULL);
  ADD ("image-r2", test_image_r2_flow, NULL);
  ADD ("image-base64", test_image_base64, NULL);
  ADD ("faulted", test_faulted, NULL);
  ADD ("duplicate", test_duplicate, NULL);
  ADD ("skipped", test_skipped, NULL);
  ADD ("stale", test_stale, "1");
  ADD ("upload-expired", test_upload_expired, NULL);
  ADD ("cancelled", test_cancelled, NULL);
  ADD ("text", test_text, NULL);
  ADD ("text-faulted", test_text_faulted, NULL);
  ADD ("interrogate", test_interrogate, NULL);
  ADD ("stats-custom-model", test_stats_custom_model, NULL);
  ADD ("put", test_worker_put, NULL);
#undef ADD
#define ADD_UNLIMITED(path, func) \
  g_test_add ("/sim/worker/" path, Fixture, NULL, fixture_set_up_unlimited, func, fixture_tear_down)
  ADD_UNLIMITED ("special-payload", test_special_payload);
  ADD_UNLIMITED ("capabilities", test_capabilities);
  ADD_UNLIMITED ("sdxl-controlnet", test_sdxl_controlnet);
  ADD_UNLIMITED ("special-kudos", test_special_kudos);
#undef ADD_UNLIMITED
  g_test_add_func ("/sim/worker/sim-worker-names", test_sim_worker_names);
  g_test_add_func ("/sim/worker/expiry-refresh", test_expiry_refresh);

  return g_test_run ();
}

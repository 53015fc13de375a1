/* test-sim-likeness.c: horde-sim behaves like the real AI Horde server
 *
 * Each test pins one behaviour of the real server (5.1.5, read from its
 * source) that the simulator once modelled otherwise: nsfw defaults and
 * SFW workers, the bridge agents that get r2 requests, what a DELETE
 * leaves behind, the /check cache, styles PATCH, the single filter, the
 * heartbeat, the units of /v2/status/models, wait_time and is_possible,
 * and how a test makes a text dry run fail as 5.1.5 does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <math.h>
#include <string.h>
#include <webp/encode.h>

#define USERS \
  "[{\"key\": \"alice-key-0001\", \"username\": \"alice\", \"kudos\": 5000, \"id\": 5}," \
  " {\"key\": \"worker-key-001\", \"username\": \"wowner\", \"kudos\": 10, \"trusted\": true, \"id\": 6}," \
  " {\"key\": \"moder-key-0001\", \"username\": \"mod\", \"kudos\": 10, \"moderator\": true, \"id\": 7}]"
#define ALICE "alice-key-0001"
#define WORKER "worker-key-001"
#define MODERATOR "moder-key-0001"

#define EXAMPLE_AGENT "libhorde image-worker example:1.0:https://github.com/hordestudio"
#define SMALL "\"params\": {\"width\": 64, \"height\": 64, \"steps\": 10}"

static char *
write_users (void)
{
  return sim_write_users (USERS);
}

static JsonObject *
status (Sim        *sim,
        const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);

  return sim_get_object (sim, path);
}

static JsonObject *
find_worker (JsonArray  *workers,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (workers); i++)
    {
      JsonObject *worker = json_array_get_object_element (workers, i);

      if (g_str_equal (json_object_get_string_member (worker, "name"), name))
        return worker;
    }
  return NULL;
}

/* ---- 1. nsfw ------------------------------------------------------- */

/* By default one simulated image worker is SFW, and /v2/workers says so;
 * a request without nsfw (true on the server) still meets NSFW workers. */
static void
test_nsfw_default_workers (void)
{
  Sim *sim = sim_start ("--no-rate-limits", "--check-cache", "0", NULL);
  g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/workers?type=image", NULL, NULL);
  JsonArray *workers = json_node_get_array (reply->json);
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) done = NULL;
  JsonArray *generations;

  g_assert_true (json_object_get_boolean_member (find_worker (workers, "sim-aurora"), "nsfw"));
  g_assert_true (json_object_get_boolean_member (find_worker (workers, "sim-borealis"), "nsfw"));
  g_assert_false (json_object_get_boolean_member (find_worker (workers, "sim-cirrus"), "nsfw"));

  /* only sim-cirrus serves this model, and it is SFW: the request sent
   * without nsfw is impossible */
  id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL ", \"models\": [\"Realistic Vision\"]}");
  {
    g_autoptr(JsonObject) first = sim_check (sim, id);

    g_assert_false (json_object_get_boolean_member (first, "is_possible"));
  }
  g_free (id);
  id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                   "{\"prompt\": \"x\", " SMALL ", \"models\": [\"Realistic Vision\"], \"nsfw\": false}");
  done = sim_wait_done (sim, "/v2/generate/check", id);
  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 1);
  {
    g_autoptr(JsonObject) full = status (sim, id);

    generations = json_object_get_array_member (full, "generations");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (generations, 0), "worker_name"),
                     ==, "sim-cirrus");
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (generations, 0), "censored"));
  }
  sim_stop (sim);
}

/* --sfw-workers: a request without nsfw is left unserved, one with nsfw
 * false is served. */
static void
test_nsfw_sfw_only (void)
{
  Sim *sim = sim_start ("--sfw-workers", "--workers", "2", "--job-time", "20", "--no-rate-limits",
                        "--check-cache", "0", NULL);
  g_autofree char *unsafe = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL "}");
  g_autofree char *safe = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                      "{\"prompt\": \"x\", " SMALL ", \"nsfw\": false}");
  g_autoptr(JsonObject) done = sim_wait_done (sim, "/v2/generate/check", safe);
  g_autoptr(JsonObject) left = sim_check (sim, unsafe);
  g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/workers?type=image", NULL, NULL);
  JsonArray *workers = json_node_get_array (reply->json);

  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (left, "waiting"), ==, 1);
  g_assert_false (json_object_get_boolean_member (left, "is_possible"));
  g_assert_false (json_object_get_boolean_member (left, "done"));
  for (guint i = 0; i < json_array_get_length (workers); i++)
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (workers, i), "nsfw"));
  sim_stop (sim);
}

/* An external SFW worker skips the request sent without nsfw and counts
 * it in skipped.nsfw; it gets the one with nsfw false, with the censor
 * asked for since censor_nsfw defaults to true.  A pop without nsfw
 * means an NSFW worker. */
static void
test_nsfw_external (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", "--check-cache", "0", NULL);
  g_autofree char *unsafe = sim_submit (sim, "/v2/generate/async", ALICE, "{\"prompt\": \"x\", " SMALL "}");
  g_autoptr(JsonObject) skip = sim_post_object (sim, "/v2/generate/pop", WORKER,
                                        "{\"name\": \"sfw\", \"nsfw\": false, \"models\": [\"stable_diffusion\"],"
                                        " \"bridge_agent\": \"AI Horde Worker reGen:9.0.1:https://x\"}");
  g_autofree char *safe = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonObject) nsfw_job = NULL;
  g_autoptr(SimReply) listed = NULL;
  JsonObject *skipped = json_object_get_object_member (skip, "skipped");

  g_assert_true (json_object_get_null_member (skip, "id"));
  g_assert_cmpint (json_object_get_int_member (skipped, "nsfw"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (skipped, "models"), ==, 0);

  safe = sim_submit (sim, "/v2/generate/async", ALICE, "{\"prompt\": \"y\", " SMALL ", \"nsfw\": false}");
  job = sim_post_object (sim, "/v2/generate/pop", WORKER,
                 "{\"name\": \"sfw\", \"nsfw\": false, \"models\": [\"stable_diffusion\"],"
                 " \"bridge_agent\": \"AI Horde Worker reGen:9.0.1:https://x\"}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (job, "payload"), "prompt"), ==, "y");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (job, "payload"), "use_nsfw_censor"));

  /* no nsfw in the pop: the server's job_pop_parser makes it true */
  nsfw_job = sim_post_object (sim, "/v2/generate/pop", WORKER,
                      "{\"name\": \"any\", \"models\": [\"stable_diffusion\"],"
                      " \"bridge_agent\": \"AI Horde Worker reGen:9.0.1:https://x\"}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (nsfw_job, "payload"), "prompt"), ==, "x");
  g_assert_false (json_object_has_member (json_object_get_object_member (nsfw_job, "payload"), "use_nsfw_censor"));
  listed = sim_request (sim, "GET", "/v2/workers/name/any", NULL, NULL);
  g_assert_true (json_object_get_boolean_member (sim_reply_object (listed), "nsfw"));
  sim_stop (sim);
  g_unlink (users);
}

/* ---- 2. bridge agents and r2 ---------------------------------------- */

#define EXAMPLE_POP \
  "{\"name\": \"example\", \"nsfw\": true, \"models\": [\"stable_diffusion\"], \"bridge_agent\": \"" EXAMPLE_AGENT "\"}"

/* An unknown agent gets no r2 request and no skipped count says why; the
 * request still says possible.  It gets an r2:false one, with an
 * r2_upload URL all the same. */
static void
test_r2_unknown_agent (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", "--check-cache", "0", NULL);
  g_autofree char *r2 = sim_submit (sim, "/v2/generate/async", ALICE, "{\"prompt\": \"x\", " SMALL "}");
  g_autoptr(JsonObject) empty = sim_post_object (sim, "/v2/generate/pop", WORKER, EXAMPLE_POP);
  g_autoptr(JsonObject) waiting = sim_check (sim, r2);
  g_autofree char *plain = NULL;
  g_autoptr(JsonObject) job = NULL;
  JsonObject *skipped = json_object_get_object_member (empty, "skipped");
  g_autoptr(GList) reasons = json_object_get_members (skipped);

  g_assert_true (json_object_get_null_member (empty, "id"));
  for (GList *l = reasons; l != NULL; l = l->next)
    g_assert_cmpint (json_object_get_int_member (skipped, l->data), ==, 0);
  g_assert_true (json_object_get_boolean_member (waiting, "is_possible"));
  g_assert_cmpint (json_object_get_int_member (waiting, "waiting"), ==, 1);

  plain = sim_submit (sim, "/v2/generate/async", ALICE, "{\"prompt\": \"y\", " SMALL ", \"r2\": false}");
  job = sim_post_object (sim, "/v2/generate/pop", WORKER, EXAMPLE_POP);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (job, "payload"), "prompt"), ==, "y");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (job, "r2_upload"), sim->root));
  sim_stop (sim);
  g_unlink (users);
}

/* The real bridges from bridge_reference.py (from their first version
 * with r2) get r2 requests; --r2-bridge-agent adds a name. */
static void
test_r2_known_agents (void)
{
  static const struct {
    const char *agent;
    gboolean    r2;
  } cases[] = {
    { "AI Horde Worker reGen:9.0.1:https://github.com/Haidra-Org/horde-worker-reGen", TRUE },
    { "AI Horde Worker reGen:1:x", TRUE },
    { "AI Horde Worker:8:x", TRUE },
    { "AI Horde Worker:7.5.0:x", FALSE },
    { "SD-WebUI Stable Horde Worker Bridge:1.2:x", TRUE },
    { "HordeAutoWebBridge:2:x", FALSE },
    { "AI Horde Worker reGen:9", FALSE },
    { "AI Horde Worker reGen:latest:x", FALSE },
    { EXAMPLE_AGENT, TRUE },       /* with --r2-bridge-agent below */
    { "libhorde image-worker example:banana:x", FALSE },
  };
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", "--check-cache", "0",
                        "--r2-bridge-agent", "libhorde image-worker example", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE, "{\"prompt\": \"x\", " SMALL "}");
      g_autofree char *pop_body = g_strdup_printf ("{\"name\": \"w%u\", \"models\": [\"stable_diffusion\"],"
                                                   " \"bridge_agent\": \"%s\"}", i, cases[i].agent);
      g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, pop_body);
      g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
      g_autoptr(SimReply) cancel = NULL;

      g_test_message ("%s", cases[i].agent);
      g_assert_cmpint (json_object_get_null_member (pop, "id"), ==, !cases[i].r2);
      cancel = sim_request (sim, "DELETE", path, ALICE, NULL);
      g_assert_cmpuint (cancel->status, ==, 200);
    }
  sim_stop (sim);
  g_unlink (users);
}

/* What the requester gets (processing_generation.py): the server uploads
 * a base64 image itself, so a base64 submit and an "R2" one with an
 * upload read alike: a download URL for an r2 request, the image in
 * base64 for an r2:false one.  What is not an image stays the text the
 * worker sent. */
static void
test_r2_submit_forms (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", "--check-cache", "0",
                        "--r2-bridge-agent", "libhorde image-worker example", NULL);
  g_autoptr(GBytes) webp = sim_make_webp (32, 32, 120);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));
  static const struct {
    gboolean    r2;
    const char *generation;   /* NULL: the WebP in base64 */
    gboolean    upload;
  } cases[] = {
    { TRUE, NULL, FALSE }, { FALSE, NULL, FALSE }, { FALSE, "R2", TRUE }, { TRUE, "R2", TRUE },
    { TRUE, "bm90IGFuIGltYWdl", FALSE }, { FALSE, "bm90IGFuIGltYWdl", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"prompt\": \"x\", " SMALL ", \"r2\": %s}",
                                               cases[i].r2 ? "true" : "false");
      g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE, body);
      g_autoptr(JsonObject) pop = sim_post_object (sim, "/v2/generate/pop", WORKER, EXAMPLE_POP);
      const char *job = json_object_get_string_member (pop, "id");
      g_autofree char *submit = NULL;
      g_autoptr(JsonObject) reward = NULL;
      g_autoptr(JsonObject) full = NULL;
      JsonObject *generation;
      const char *img;

      g_test_message ("case %u", i);
      g_assert_nonnull (job);
      if (cases[i].upload)
        g_assert_cmpuint (sim_put (sim, json_object_get_string_member (pop, "r2_upload"), "image/webp", webp), ==, 200);
      submit = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"%s\", \"state\": \"ok\", \"seed\": 1}",
                                job, cases[i].generation ? cases[i].generation : b64);
      reward = sim_post_object (sim, "/v2/generate/submit", WORKER, submit);
      full = status (sim, id);
      generation = json_array_get_object_element (json_object_get_array_member (full, "generations"), 0);
      img = json_object_get_string_member (generation, "img");
      if (cases[i].generation != NULL && !cases[i].upload)
        g_assert_cmpstr (img, ==, cases[i].generation);
      else if (!cases[i].r2)
        {
          g_autoptr(GBytes) bytes = sim_image_bytes (sim, generation);

          g_assert_false (g_str_has_prefix (img, "http"));
          g_assert_true (g_bytes_equal (bytes, webp));
        }
      else
        {
          g_autoptr(GBytes) bytes = sim_image_bytes (sim, generation);

          g_assert_true (g_str_has_prefix (img, sim->root));
          g_assert_true (g_bytes_equal (bytes, webp));
        }
    }
  sim_stop (sim);
  g_unlink (users);
}

/* censor_nsfw: a request that is not nsfw gets the censor's placeholder
 * when a worker draws NSFW (the sim's do for a prompt with "nsfw" in it),
 * marked censored, and pays nothing for it; with censor_nsfw false, or a
 * worker's submit without censorship metadata, it is not censored. */
static void
test_censorship (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "1", "--job-time", "20", "--users", users, "--no-rate-limits", NULL);
  double kudos_before = sim_user_kudos (sim, ALICE);
  g_autofree char *censored = sim_submit (sim, "/v2/generate/async", ALICE,
                                          "{\"prompt\": \"an nsfw fox\", " SMALL ", \"nsfw\": false}");
  g_autoptr(JsonObject) done = sim_wait_done (sim, "/v2/generate/check", censored);
  g_autoptr(JsonObject) full = status (sim, censored);
  JsonObject *generation = json_array_get_object_element (json_object_get_array_member (full, "generations"), 0);
  JsonArray *metadata = json_object_get_array_member (generation, "gen_metadata");
  g_autofree char *kept = sim_submit (sim, "/v2/generate/async", ALICE,
                                      "{\"prompt\": \"an nsfw fox\", " SMALL ", \"nsfw\": false, \"censor_nsfw\": false}");
  g_autofree char *allowed = sim_submit (sim, "/v2/generate/async", ALICE,
                                         "{\"prompt\": \"an nsfw fox\", " SMALL "}");
  g_autoptr(JsonObject) kept_done = sim_wait_done (sim, "/v2/generate/check", kept);
  g_autoptr(JsonObject) allowed_done = sim_wait_done (sim, "/v2/generate/check", allowed);
  g_autoptr(JsonObject) kept_full = status (sim, kept);
  g_autoptr(JsonObject) allowed_full = status (sim, allowed);

  g_assert_true (json_object_get_boolean_member (generation, "censored"));
  g_assert_cmpuint (json_array_get_length (metadata), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (metadata, 0), "type"), ==, "censorship");
  /* the horde tax of 3, and for the censored image only the burn of 0
   * kudos (adjust_user_kudos, then calculate_extra_kudos_burn: + 1) */
  g_assert_cmpfloat (json_object_get_double_member (full, "kudos"), ==, 3 + 1);
  /* charged: the censored request's tax and burn, and the two others in
   * full (tax, image, burn) */
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE),
                                  kudos_before - 4 - 2 * (3 + round ((0.1232 * 10) * 100) / 100 + 2 + 1), 0.011);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (json_object_get_array_member (kept_full, "generations"), 0),
                                                  "censored"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (json_object_get_array_member (allowed_full, "generations"), 0),
                                                  "censored"));
  sim_stop (sim);
  g_unlink (users);
}

/* ---- 3. cancel ------------------------------------------------------ */

static JsonObject *
wait_processing (Sim        *sim,
                 const char *path)
{
  for (;;)
    {
      g_autoptr(JsonObject) answer = sim_get_object (sim, path);

      if (json_object_get_int_member (answer, "processing") > 0)
        return g_steal_pointer (&answer);
      g_usleep (10 * 1000);
    }
}

/* A DELETE while one image renders: that one is still finished, charged
 * and served; the one waiting is refunded; done only once nothing runs;
 * the request is found until it expires. */
static void
test_cancel_keeps_running (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--workers", "1", "--job-time", "600", "--users", users, "--no-rate-limits",
                        "--check-cache", "0", "--expiry", "1", NULL);
  /* what one image earns its worker */
  double per_image = round ((0.1232 * 10) * 100) / 100 + 2;
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"two\", \"params\": {\"width\": 64, \"height\": 64, \"steps\": 10, \"n\": 2},"
                                    " \"nsfw\": false}");
  g_autofree char *check_path = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) rendering = wait_processing (sim, check_path);
  double kudos_before = sim_user_kudos (sim, ALICE);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", status_path, ALICE, NULL);
  g_autoptr(JsonObject) after = sim_check (sim, id);
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(SimReply) gone = NULL;

  g_assert_cmpint (json_object_get_int_member (rendering, "finished"), ==, 0);
  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sim_reply_object (cancel), "waiting"), ==, 1);
  g_assert_false (json_object_get_boolean_member (sim_reply_object (cancel), "done"));
  /* n = 0, the running one goes on: not done yet */
  g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (after, "processing"), ==, 1);
  g_assert_false (json_object_get_boolean_member (after, "done"));
  done = sim_wait_done (sim, "/v2/generate/check", id);
  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (done, "processing"), ==, 0);
  full = status (sim, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "generations")), ==, 1);
  g_assert_true (json_object_get_boolean_member (full, "done"));
  /* the image that ran is paid when it finishes, the one that waited
   * never is; the tax stays */
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE), kudos_before - (per_image + 1), 0.011);
  g_assert_cmpfloat (json_object_get_double_member (full, "kudos"), ==, 3 + round (per_image + 1));

  /* past --expiry after its last image, it is gone: then 404 */
  g_usleep (1500 * 1000);
  gone = sim_request (sim, "GET", status_path, NULL, NULL);
  sim_assert_error (gone, 404, "RequestNotFound");
  sim_stop (sim);
  g_unlink (users);
}

/* Text keeps jobs = n after a DELETE (kobold.py): the text that was
 * generating still arrives and makes it done; one cancelled before any
 * worker took it is never done. */
static void
test_cancel_text (void)
{
  Sim *sim = sim_start ("--job-time", "400", "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/text/async", SIM_ANON, "{\"prompt\": \"once upon\"}");
  g_autofree char *path = g_strdup_printf ("/v2/generate/text/status/%s", id);
  g_autoptr(JsonObject) running = wait_processing (sim, path);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", path, NULL, NULL);
  g_autoptr(JsonObject) done = sim_wait_done (sim, "/v2/generate/text/status", id);
  g_autofree char *never = NULL;
  g_autofree char *never_path = NULL;
  g_autoptr(SimReply) never_cancel = NULL;

  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (done, "generations")), ==, 1);

  never = sim_submit (sim, "/v2/generate/text/async", SIM_ANON,
                      "{\"prompt\": \"x\", \"params\": {\"max_context_length\": 100000}}");
  never_path = g_strdup_printf ("/v2/generate/text/status/%s", never);
  never_cancel = sim_request (sim, "DELETE", never_path, NULL, NULL);
  g_assert_cmpuint (never_cancel->status, ==, 200);
  {
    g_autoptr(JsonObject) after = sim_get_object (sim, never_path);

    g_assert_false (json_object_get_boolean_member (after, "done"));
    g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 0);
  }
  sim_stop (sim);
}

/* Alchemy cancels every form (interrogation.py cancel): the answer has
 * them cancelled and the request is done. */
static void
test_cancel_alchemy (void)
{
  Sim *sim = sim_start ("--alchemy-workers", "0", "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/interrogate/async", SIM_ANON,
                                    "{\"forms\": [{\"name\": \"caption\"}], \"source_image\": \"https://example.org/a.webp\"}");
  g_autofree char *path = g_strdup_printf ("/v2/interrogate/status/%s", id);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", path, NULL, NULL);
  JsonArray *forms = json_object_get_array_member (sim_reply_object (cancel), "forms");

  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (forms, 0), "state"), ==, "cancelled");
  sim_stop (sim);
}

/* ---- 4. /check cache ------------------------------------------------ */

static void
test_check_cache (void)
{
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", "--check-cache", "3600", NULL);
  Sim *quick = NULL;
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL "}");
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) first = sim_check (sim, id);
  g_autoptr(SimReply) cancel = sim_request (sim, "DELETE", status_path, NULL, NULL);
  g_autoptr(JsonObject) cached = sim_check (sim, id);
  g_autoptr(JsonObject) fresh = status (sim, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *quick_id = NULL;
  g_autofree char *quick_path = NULL;
  g_autoptr(SimReply) quick_cancel = NULL;
  gint64 deadline;

  g_assert_cmpint (json_object_get_int_member (first, "waiting"), ==, 1);
  g_assert_cmpuint (cancel->status, ==, 200);
  /* the cached answer, as the server's cache gives it for a while */
  g_assert_cmpint (json_object_get_int_member (cached, "waiting"), ==, 1);
  g_assert_false (json_object_get_boolean_member (cached, "done"));
  /* /status is not cached */
  g_assert_cmpint (json_object_get_int_member (fresh, "waiting"), ==, 0);
  g_assert_true (json_object_get_boolean_member (fresh, "done"));
  sim_stop (sim);

  /* the cache lapses */
  quick = sim_start ("--workers", "0", "--no-rate-limits", "--check-cache", "0.2", NULL);
  quick_id = sim_submit (quick, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL "}");
  quick_path = g_strdup_printf ("/v2/generate/status/%s", quick_id);
  json_object_unref (sim_check (quick, quick_id));
  quick_cancel = sim_request (quick, "DELETE", quick_path, NULL, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(JsonObject) answer = sim_check (quick, quick_id);

      if (json_object_get_boolean_member (answer, "done"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  sim_stop (quick);

  /* a bad value is refused */
  {
    const char *args[] = { "--check-cache", "-1", NULL };
    g_autofree char *stderr_text = NULL;

    g_assert_cmpint (sim_run_failing (args, &stderr_text), !=, 0);
    g_assert_nonnull (strstr (stderr_text, "--check-cache"));
  }
}

/* ---- 5. styles PATCH ------------------------------------------------ */

static void
test_style_patch (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--users", users, NULL);
  const char *paths[] = {
    "/v2/styles/image/7c2bd3c2-5a0e-4c4e-9d8b-1c2d3e4f5a01",
    "/v2/styles/text/3f1e9a7d-2b4c-4d5e-8f60-7a8b9c0d1e01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SimReply) no_name = sim_request (sim, "PATCH", paths[i], ALICE, "{\"info\": \"new\"}");
      g_autoptr(SimReply) no_key = sim_request (sim, "PATCH", paths[i], NULL, "{\"info\": \"new\"}");
      g_autoptr(SimReply) not_mine = sim_request (sim, "PATCH", paths[i], ALICE, "{\"name\": \"mine\"}");
      g_autofree char *unknown_path = g_strdup_printf ("%.*s00000000-0000-0000-0000-000000000000",
                                                       (int) (strrchr (paths[i], '/') + 1 - paths[i]), paths[i]);
      g_autoptr(SimReply) unknown = sim_request (sim, "PATCH", unknown_path, ALICE, "{\"name\": \"mine\"}");
      JsonObject *errors;

      g_assert_cmpuint (no_name->status, ==, 400);
      g_assert_cmpstr (json_object_get_string_member (sim_reply_object (no_name), "message"), ==,
                       "Input payload validation failed");
      errors = json_object_get_object_member (sim_reply_object (no_name), "errors");
      g_assert_cmpstr (json_object_get_string_member (errors, "name"), ==,
                       "The name of the style. Missing required parameter in the JSON body");
      g_assert_cmpuint (no_key->status, ==, 400);
      g_assert_true (json_object_has_member (json_object_get_object_member (sim_reply_object (no_key), "errors"),
                                             "apikey"));
      sim_assert_error (not_mine, 403, "Forbidden");
      g_assert_cmpstr (json_object_get_string_member (sim_reply_object (not_mine), "message"), ==,
                       "This Style is not owned by user alice#5");
      sim_assert_error (unknown, 404, "StyleNotFound");
    }
  sim_stop (sim);
  g_unlink (users);
}

/* ---- 6. filters ----------------------------------------------------- */

static void
test_filter_single (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--users", users, NULL);
  g_autoptr(SimReply) one = sim_request (sim, "GET", "/v2/filters/1", MODERATOR, NULL);
  g_autoptr(SimReply) list = sim_request (sim, "GET", "/v2/filters?filter_type=20", MODERATOR, NULL);
  g_autoptr(SimReply) not_mod = sim_request (sim, "GET", "/v2/filters/1", ALICE, NULL);
  g_autoptr(SimReply) no_key = sim_request (sim, "GET", "/v2/filters/1", NULL, NULL);
  g_autoptr(SimReply) missing = sim_request (sim, "GET", "/v2/filters/99", MODERATOR, NULL);
  g_autoptr(SimReply) not_number = sim_request (sim, "GET", "/v2/filters/abc", MODERATOR, NULL);
  JsonObject *filter;

  g_assert_cmpuint (one->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (one->json));
  filter = sim_reply_object (one);
  g_assert_cmpint (json_object_get_int_member (filter, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (filter, "filter_type"), ==, 10);
  g_assert_true (json_object_has_member (filter, "regex"));
  g_assert_true (json_object_has_member (filter, "description"));
  g_assert_true (json_object_has_member (filter, "replacement"));
  g_assert_cmpstr (json_object_get_string_member (filter, "user"), ==, "horde-sim#0");
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list->json)), ==, 1);
  sim_assert_error (not_mod, 403, "NotModerator");
  g_assert_cmpuint (no_key->status, ==, 400);
  sim_assert_error (missing, 404, "FilterNotFound");
  sim_assert_error (not_number, 404, "FilterNotFound");
  sim_stop (sim);
  g_unlink (users);
}

/* ---- 7. heartbeat --------------------------------------------------- */

static void
test_heartbeat (void)
{
  Sim *sim = sim_start ("--workers", "0", NULL);
  g_autoptr(JsonObject) beat = sim_get_object (sim, "/v2/status/heartbeat");

  g_assert_cmpuint (json_object_get_size (beat), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (beat, "message"), ==, "OK");
  g_assert_cmpstr (json_object_get_string_member (beat, "version"), ==, "5.1.5");
  sim_stop (sim);
}

/* A key the server does not know: 404 UserNotFound, with the routing
 * help flask-restx appends to a 404 on a path close to its routes */
static void
test_user_not_found (void)
{
  Sim *sim = sim_start ("--workers", "0", NULL);
  g_autoptr(SimReply) reply = sim_request (sim, "GET", "/v2/find_user", "no-such-key-000000000", NULL);
  const char *message;

  sim_assert_error (reply, 404, "UserNotFound");
  message = json_object_get_string_member (sim_reply_object (reply), "message");
  g_assert_true (g_str_has_prefix (message, "User with api_key 'no-"));
  g_assert_nonnull (strstr (message, " not found. You have requested this URI [/api/v2/find_user] but did you mean "));
  /* the key itself is not echoed whole */
  g_assert_null (strstr (message, "no-such-key-000000000"));
  sim_stop (sim);
}

/* ---- 8. /v2/status/models units ------------------------------------- */

static JsonObject *
model_named (Sim        *sim,
             const char *path,
             const char *name)
{
  g_autoptr(SimReply) reply = sim_request (sim, "GET", path, NULL, NULL);
  JsonArray *array = json_node_get_array (reply->json);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *model = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (model, "name"), name))
        return json_object_ref (model);
    }
  g_assert_not_reached ();
}

static void
test_models_units (void)
{
  Sim *sim = sim_start ("--no-rate-limits", "--job-time", "20", NULL);
  g_autoptr(SimReply) pause = NULL;
  g_autofree char *warm = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                      "{\"prompt\": \"x\", " SMALL ", \"models\": [\"Deliberate\"]}");
  g_autoptr(JsonObject) warmed = sim_wait_done (sim, "/v2/generate/check", warm);
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(JsonObject) single = NULL;
  double pixelsteps = 512.0 * 512 * 30;

  pause = sim_request (sim, "POST", "/_sim/control", NULL, "{\"paused\": true}");
  id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                   "{\"prompt\": \"x\", \"params\": {\"n\": 3}, \"models\": [\"Deliberate\"]}");
  listed = model_named (sim, "/v2/status/models", "Deliberate");
  single = model_named (sim, "/v2/status/models/Deliberate", "Deliberate");
  /* pixelsteps, not megapixelsteps; the list counts the request once
   * (count_things_per_model), the single model each generation */
  g_assert_cmpfloat (json_object_get_double_member (listed, "queued"), ==, pixelsteps);
  g_assert_cmpfloat (json_object_get_double_member (single, "queued"), ==, 3 * pixelsteps);
  g_assert_cmpint (json_object_get_int_member (listed, "jobs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (single, "jobs"), ==, 3);
  /* pixelsteps per second, from the fulfilment of the first request */
  g_assert_cmpfloat (json_object_get_double_member (single, "performance"), >, 64 * 64 * 30);
  g_assert_cmpint (json_object_get_int_member (single, "eta"), ==,
                   (gint64) (3 * pixelsteps / (json_object_get_int_member (single, "count") *
                                               json_object_get_double_member (single, "performance"))));
  sim_stop (sim);
}

/* ---- 9. wait_time and is_possible ----------------------------------- */

static void
test_wait_time (void)
{
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", "--check-cache", "0", NULL);
  g_autofree char *big = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                     "{\"prompt\": \"x\", \"params\": {\"width\": 512, \"height\": 512, \"steps\": 30}}");
  g_autofree char *small = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL "}");
  g_autoptr(JsonObject) big_check = sim_check (sim, big);
  g_autoptr(JsonObject) small_check = sim_check (sim, small);

  /* nobody to serve it: is_possible false; wait_time the server's
   * queued megapixelsteps / 1 per second on a horde with no history:
   * 7.86 → 8 for the first, 7.86 + 0.04 → 8 for the second behind it */
  g_assert_false (json_object_get_boolean_member (big_check, "is_possible"));
  g_assert_cmpint (json_object_get_int_member (big_check, "wait_time"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (small_check, "wait_time"), ==, 8);
  sim_stop (sim);

  /* alone, a small one says 0 */
  sim = sim_start ("--workers", "0", "--no-rate-limits", "--check-cache", "0", NULL);
  g_free (small);
  small = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", " SMALL "}");
  {
    g_autoptr(JsonObject) alone = sim_check (sim, small);

    g_assert_cmpint (json_object_get_int_member (alone, "wait_time"), ==, 0);
    g_assert_false (json_object_get_boolean_member (alone, "is_possible"));
  }
  sim_stop (sim);
}

/* ---- 10. text dry run 500 ------------------------------------------- */

/* 5.1.5 answers a text dry run with 500.  The fault grammar matches
 * method and path, not the body, so a test that wants it adds a one-shot
 * fault right before its dry run. */
static void
test_text_dry_run_500 (void)
{
  Sim *sim = sim_start ("--no-rate-limits", NULL);
  g_autoptr(SimReply) added = sim_request (sim, "POST", "/_sim/faults", NULL,
                                           "status:500@POST /api/v2/generate/text/async,count=1");
  g_autoptr(SimReply) dry = sim_request (sim, "POST", "/v2/generate/text/async", SIM_ANON,
                                         "{\"prompt\": \"x\", \"dry_run\": true}");
  g_autoptr(SimReply) again = sim_request (sim, "POST", "/v2/generate/text/async", SIM_ANON,
                                           "{\"prompt\": \"x\", \"dry_run\": true}");

  g_assert_cmpuint (added->status, ==, 200);
  g_assert_cmpuint (dry->status, ==, 500);
  g_assert_cmpuint (again->status, ==, 200);
  sim_stop (sim);
}

/* ---- 7. money ------------------------------------------------------- */

/* 512×512, 20 steps: what one image earns its worker (the legacy 4.33 + 2
 * of the simulator's model: the transcript's 202 said 6) */
#define FOX_KUDOS 6.33
#define FOXES(extra) "{\"prompt\": \"foxes\", \"params\": {\"width\": 512, \"height\": 512, \"steps\": 20," \
  " \"n\": 2}, \"nsfw\": false" extra "}"

/* What the server's dry run, 202, horde tax and charges say for two
 * images (horde/apis/v2/base.py GenerateTemplate, stable.py
 * ImageAsyncGenerate.post, waiting_prompt.py _activate and
 * record_usage). */
static void
test_money_image (void)
{
  g_autofree char *users = write_users ();
  Sim *idle = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", "--check-cache", "0", NULL);
  Sim *busy = NULL;
  g_autoptr(SimReply) dry = sim_request (idle, "POST", "/v2/generate/async", ALICE, FOXES (", \"dry_run\": true"));
  g_autoptr(SimReply) dry_fast = sim_request (idle, "POST", "/v2/generate/async", ALICE,
                                              FOXES (", \"dry_run\": true, \"slow_workers\": false"));
  g_autoptr(SimReply) accepted = NULL;
  g_autoptr(SimReply) cancel = NULL;
  g_autoptr(JsonObject) queued = NULL;
  g_autoptr(JsonObject) cancelled = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  const char *accepted_id;

  /* a dry run: the charge per image × n + 1, without the horde tax:
   * (6.33 + 1) × 2 + 1; × 1.2 per image without slow workers */
  g_assert_cmpuint (dry->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry), "kudos"), ==, 16);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry_fast), "kudos"), ==, 19);
  g_assert_cmpfloat (sim_user_kudos (idle, ALICE), ==, 5000);

  /* a 202: round(wp.kudos), one image's worth whatever n is */
  accepted = sim_request (idle, "POST", "/v2/generate/async", ALICE, FOXES (""));
  g_assert_cmpuint (accepted->status, ==, 202);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (accepted), "kudos"), ==, 6);
  accepted_id = json_object_get_string_member (sim_reply_object (accepted), "id");
  /* paid at once: the horde tax of 1 + 2 (style_kudos is not None) */
  queued = sim_check (idle, accepted_id);
  g_assert_cmpfloat (json_object_get_double_member (queued, "kudos"), ==, 3);
  g_assert_cmpfloat (sim_user_kudos (idle, ALICE), ==, 4997);
  /* a cancelled request keeps its tax */
  path = g_strdup_printf ("/v2/generate/status/%s", accepted_id);
  cancel = sim_request (idle, "DELETE", path, ALICE, NULL);
  g_assert_cmpuint (cancel->status, ==, 200);
  cancelled = sim_check (idle, accepted_id);
  g_assert_true (json_object_get_boolean_member (cancelled, "done"));
  g_assert_cmpfloat (json_object_get_double_member (cancelled, "kudos"), ==, 3);
  g_assert_cmpfloat (sim_user_kudos (idle, ALICE), ==, 4997);
  sim_stop (idle);

  /* each finished image: its 6.33 + 1 of burn; consumed_kudos is an
   * integer column, rounded at every addition: 3, 10, 17 */
  busy = sim_start ("--workers", "1", "--job-time", "20", "--users", users, "--no-rate-limits", NULL);
  id = sim_submit (busy, "/v2/generate/async", ALICE, FOXES (""));
  done = sim_wait_done (busy, "/v2/generate/check", id);
  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (done, "kudos"), ==, 17);
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (busy, ALICE), 5000 - 3 - 2 * (FOX_KUDOS + 1), 0.011);
  sim_stop (busy);
  g_unlink (users);
}

/* Text: the tax is 1, a 202 says 0 (the text waiting prompt computes its
 * kudos only for a dry run), each text costs its kudos + 1. */
static void
test_money_text (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--text-workers", "1", "--job-time", "20", "--users", users, "--no-rate-limits", NULL);
  /* 80 tokens, 2048 of context: 80 × 13 × (1.2 + 2.2) / 100 */
  double kudos = 35.36;
  g_autoptr(SimReply) dry = sim_request (sim, "POST", "/v2/generate/text/async", ALICE,
                                         "{\"prompt\": \"x\", \"dry_run\": true}");
  g_autoptr(SimReply) accepted = sim_request (sim, "POST", "/v2/generate/text/async", ALICE, "{\"prompt\": \"x\"}");
  g_autoptr(JsonObject) done = NULL;

  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry), "kudos"), ==, round (kudos + 1 + 1));
  g_assert_cmpuint (accepted->status, ==, 202);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (accepted), "kudos"), ==, 0);
  done = sim_wait_done (sim, "/v2/generate/text/status",
                        json_object_get_string_member (sim_reply_object (accepted), "id"));
  g_assert_cmpfloat (json_object_get_double_member (done, "kudos"), ==, round (1 + kudos + 1));
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE), 5000 - 1 - (kudos + 1), 0.011);
  sim_stop (sim);
  g_unlink (users);
}

/* Alchemy: no tax; a form costs its kudos + 1, + 1 more with slow
 * workers (interrogation.py InterrogationForms.record). */
static void
test_money_alchemy (void)
{
  g_autofree char *users = write_users ();
  Sim *sim = sim_start ("--alchemy-workers", "1", "--job-time", "20", "--users", users, "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/interrogate/async", ALICE,
                                    "{\"forms\": [{\"name\": \"caption\"}], \"source_image\": \"https://example.org/a.webp\"}");
  g_autoptr(JsonObject) done = NULL;

  g_assert_cmpfloat (sim_user_kudos (sim, ALICE), ==, 5000);
  done = sim_wait_done (sim, "/v2/interrogate/status", id);
  g_assert_cmpstr (json_object_get_string_member (done, "state"), ==, "done");
  g_assert_cmpfloat (sim_user_kudos (sim, ALICE), ==, 5000 - (1 + 1 + 1));
  sim_stop (sim);
  g_unlink (users);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/likeness/nsfw/default-workers", test_nsfw_default_workers);
  g_test_add_func ("/sim/likeness/nsfw/sfw-only", test_nsfw_sfw_only);
  g_test_add_func ("/sim/likeness/nsfw/external", test_nsfw_external);
  g_test_add_func ("/sim/likeness/r2/unknown-agent", test_r2_unknown_agent);
  g_test_add_func ("/sim/likeness/r2/known-agents", test_r2_known_agents);
  g_test_add_func ("/sim/likeness/r2/submit-forms", test_r2_submit_forms);
  g_test_add_func ("/sim/likeness/nsfw/censorship", test_censorship);
  g_test_add_func ("/sim/likeness/cancel/keeps-running", test_cancel_keeps_running);
  g_test_add_func ("/sim/likeness/cancel/text", test_cancel_text);
  g_test_add_func ("/sim/likeness/cancel/alchemy", test_cancel_alchemy);
  g_test_add_func ("/sim/likeness/check-cache", test_check_cache);
  g_test_add_func ("/sim/likeness/style-patch", test_style_patch);
  g_test_add_func ("/sim/likeness/filter-single", test_filter_single);
  g_test_add_func ("/sim/likeness/heartbeat", test_heartbeat);
  g_test_add_func ("/sim/likeness/user-not-found", test_user_not_found);
  g_test_add_func ("/sim/likeness/models-units", test_models_units);
  g_test_add_func ("/sim/likeness/wait-time", test_wait_time);
  g_test_add_func ("/sim/likeness/text-dry-run-500", test_text_dry_run_500);
  g_test_add_func ("/sim/likeness/money/image", test_money_image);
  g_test_add_func ("/sim/likeness/money/text", test_money_text);
  g_test_add_func ("/sim/likeness/money/alchemy", test_money_alchemy);
  return g_test_run ();
}

/* test-sim-image.c: horde-sim's image generation flow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sim-helper.h"

#include <math.h>

#define USERS \
  "[{\"key\": \"alice-key-0001\", \"username\": \"alice\", \"kudos\": 5000, \"trusted\": true, \"id\": 5}," \
  " {\"key\": \"bob-key-000002\", \"username\": \"bob\", \"kudos\": 0, \"trusted\": false}," \
  " {\"key\": \"carol-key-0003\", \"username\": \"carol\", \"kudos\": 100, \"trusted\": false, \"concurrency\": 2}]"
#define ALICE "alice-key-0001"
#define BOB "bob-key-000002"
#define CAROL "carol-key-0003"

static JsonObject *
first_generation (JsonObject *status)
{
  JsonArray *generations = json_object_get_array_member (status, "generations");

  g_assert_cmpuint (json_array_get_length (generations), >=, 1);
  return json_array_get_object_element (generations, 0);
}

static JsonObject *
wait_image (Sim        *sim,
            const char *id)
{
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);

  g_assert_false (json_object_get_boolean_member (check, "faulted"));
  return sim_get_object (sim, path);
}

static void
test_flow_base64 (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "50", "--seed", "7", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"a red fox in the snow\", \"params\": {\"width\": 512, \"height\": 512,"
                                    " \"steps\": 20, \"n\": 1, \"seed\": \"42\"}, \"models\": [\"stable_diffusion\"],"
                                    " \"r2\": false}");
  g_autoptr(JsonObject) status = wait_image (sim, id);
  JsonObject *generation = first_generation (status);
  g_autoptr(GBytes) image = sim_image_bytes (sim, generation);
  int width = 0, height = 0;

  g_assert_true (sim_webp_size (image, &width, &height));
  g_assert_cmpint (width, ==, 512);
  g_assert_cmpint (height, ==, 512);
  g_assert_false (g_str_has_prefix (json_object_get_string_member (generation, "img"), "http"));
  /* the shapes the real server answers with */
  g_assert_cmpstr (json_object_get_string_member (generation, "seed"), ==, "42");
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "stable_diffusion");
  g_assert_cmpstr (json_object_get_string_member (generation, "state"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (generation, "worker_name"), ==, "sim-aurora");
  g_assert_cmpuint (strlen (json_object_get_string_member (generation, "worker_id")), ==, 36);
  g_assert_false (json_object_get_boolean_member (generation, "censored"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (generation, "gen_metadata")), ==, 0);
  g_assert_false (json_object_get_boolean_member (status, "shared"));
  g_assert_cmpint (json_object_get_int_member (status, "finished"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "wait_time"), ==, 0);
  g_assert_true (json_object_get_boolean_member (status, "done"));
  /* 512x512, 20 steps: what the real server charges (the transcript's
   * 10: the horde tax of 3, then the image's 6.33 + 1 of burn) */
  g_assert_cmpfloat (json_object_get_double_member (status, "kudos"), ==, 10.0);
  sim_stop (sim);
}

static void
test_flow_r2 (void)
{
  Sim *sim = sim_start ("--workers", "3", "--job-time", "30", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"a blue owl\", \"params\": {\"width\": 256, \"height\": 192,"
                                    " \"steps\": 10}, \"models\": [\"Deliberate\"]}");
  g_autoptr(JsonObject) status = wait_image (sim, id);
  JsonObject *generation = first_generation (status);
  const char *url = json_object_get_string_member (generation, "img");
  g_autofree char *prefix = g_strconcat (sim->root, "/r2/", NULL);
  g_autoptr(GBytes) image = NULL;
  int width = 0, height = 0;

  g_assert_true (g_str_has_prefix (url, prefix));
  image = sim_image_bytes (sim, generation);
  g_assert_true (sim_webp_size (image, &width, &height));
  g_assert_cmpint (width, ==, 256);
  g_assert_cmpint (height, ==, 192);
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "Deliberate");
  sim_stop (sim);
}

static void
test_dry_run (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "1", "--users", users, NULL);
  g_autoptr(SimReply) dry = sim_request (sim, "POST", "/v2/generate/async", ALICE,
                                         "{\"prompt\": \"x\", \"params\": {\"width\": 512, \"height\": 512, \"steps\": 20},"
                                         " \"dry_run\": true}");
  g_autoptr(SimReply) dry_default = sim_request (sim, "POST", "/v2/generate/async", ALICE,
                                                 "{\"prompt\": \"x\", \"dry_run\": true}");
  g_autoptr(JsonObject) stats = NULL;

  g_assert_cmpuint (dry->status, ==, 200);
  g_assert_false (json_object_has_member (sim_reply_object (dry), "id"));
  /* the server's extrapolate_dry_run_kudos(): (kudos + 1) × n + 1, no
   * horde tax: 6.33 + 1 + 1 and 8.5 + 1 + 1 (rounded to even) */
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry), "kudos"), ==, 8.0);
  g_assert_cmpuint (dry_default->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sim_reply_object (dry_default), "kudos"), ==, 10.0);
  /* nothing queued, nothing charged */
  stats = sim_get_object (sim, "/_sim/stats");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (stats, "jobs")), ==, 0);
  g_assert_cmpfloat (sim_user_kudos (sim, ALICE), ==, 5000);
  sim_stop (sim);
  g_unlink (users);
}

static void
test_validation (void)
{
  static const struct {
    const char *apikey;
    const char *body;
    guint       status;
    const char *rc;
    const char *field;
    const char *field_message;
  } cases[] = {
    { SIM_ANON, "{\"params\": {\"width\": 512}}", 400, "MissingPrompt" },
    { SIM_ANON, "{\"prompt\": \"\"}", 400, "MissingPrompt" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 500}}", 400, "InvalidSize" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"height\": 3136}}", 400, "InvalidSize" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 0}}", 400, "InvalidSize" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"steps\": 501}}", 400, "TooManySteps" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"loras\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"},"
                " {\"name\": \"d\"}, {\"name\": \"e\"}, {\"name\": \"f\"}]}}", 400, "TooManyLoras" },
    { SIM_ANON, "{\"prompt\": \"x\", \"workers\": [\"no-such-worker\"]}", 404, "WorkerNotFound" },
    /* ControlNet as horde/apis/v2/stable.py validate() refuses it */
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"control_type\": \"canny\"}}", 400, "ControlNetSourceMissing" },
    { SIM_ANON, "{\"prompt\": \"x\", \"models\": [\"pix2pix\"], \"source_image\": \"UklGRg==\","
                " \"params\": {\"control_type\": \"canny\"}}", 400, "ControlNetUnsupported" },
    { SIM_ANON, "{\"prompt\": \"x\", \"models\": [\"stable_diffusion_2.1\"], \"source_image\": \"UklGRg==\","
                " \"params\": {\"control_type\": \"hough\", \"steps\": 20}}", 400, "ControlNetUnsupported" },
    { SIM_ANON, "{\"prompt\": \"x\", \"source_image\": \"UklGRg==\", \"source_processing\": \"inpainting\","
                " \"params\": {\"control_type\": \"depth\", \"steps\": 20}}", 400, "ControlNetInpaintingMismatch" },
    { SIM_ANON, "{\"prompt\": \"x\", \"models\": [\"AlbedoBase XL (SDXL)\"], \"source_image\": \"UklGRg==\","
                " \"params\": {\"control_type\": \"canny\", \"steps\": 20}}", 400, "ControlNetMismatch" },
    { SIM_ANON, "{\"prompt\": \"x\", \"models\": [\"Some Model [Flux]\"], \"source_image\": \"UklGRg==\","
                " \"params\": {\"control_type\": \"canny\", \"steps\": 20}}", 400, "ControlNetMismatch" },
    /* more than 20 ControlNet steps need kudos upfront */
    { SIM_ANON, "{\"prompt\": \"x\", \"source_image\": \"UklGRg==\","
                " \"params\": {\"control_type\": \"canny\", \"steps\": 30}}", 403, "KudosUpfront" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"tis\": [{\"name\": \"a\", \"inject_ti\": \"elsewhere\"}]}}", 400, NULL,
      "params.tis.0.inject_ti", NULL },
    { SIM_ANON, "{\"prompt\": \"x\", \"style\": \"no-such-style\"}", 404, "StyleNotFound" },
    { "not-a-key", "{\"prompt\": \"x\"}", 401, "InvalidAPIKey" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": \"abc\"}}", 400, NULL,
      "params.width", "'abc' is not of type 'integer'" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"n\": 21}}", 400, NULL,
      "params.n", "21 is greater than the maximum of 20" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"steps\": 0}}", 400, NULL,
      "params.steps", "0 is less than the minimum of 1" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"cfg_scale\": 101.5}}", 400, NULL,
      "params.cfg_scale", "101.5 is greater than the maximum of 100" },
    { SIM_ANON, "{\"prompt\": \"x\", \"r2\": \"yes\"}", 400, NULL, "r2", "'yes' is not of type 'boolean'" },
    { SIM_ANON, "{\"prompt\": 5}", 400, NULL, "prompt", "5 is not of type 'string'" },
    { SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"sampler_name\": \"k_magic\"}}", 400, NULL, "params.sampler_name", NULL },
    { NULL, "{\"prompt\": \"x\"}", 400, NULL, "apikey", NULL },
  };
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimReply) reply = sim_request (sim, "POST", "/v2/generate/async", cases[i].apikey, cases[i].body);
      JsonObject *object = sim_reply_object (reply);

      g_test_message ("case %u: %s", i, cases[i].body);
      if (cases[i].rc != NULL)
        sim_assert_error (reply, cases[i].status, cases[i].rc);
      else
        {
          JsonObject *errors = json_object_get_object_member (object, "errors");

          g_assert_cmpuint (reply->status, ==, cases[i].status);
          g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "Input payload validation failed");
          g_assert_true (json_object_has_member (errors, cases[i].field));
          if (cases[i].field_message != NULL)
            g_assert_cmpstr (json_object_get_string_member (errors, cases[i].field), ==, cases[i].field_message);
        }
    }

  {
    g_autoptr(SimReply) reply = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, "{\"prompt\": ");

    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_true (g_str_has_prefix (json_object_get_string_member (sim_reply_object (reply), "message"),
                                     "Failed to decode JSON"));
  }
  sim_stop (sim);
}

/* 1 × 1 PNGs: RGB (colour type 2), and RGBA (6), whose alpha the server
 * takes as the inpainting mask */
#define PNG_RGB "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGMwTlsFAAITAUQ+3ZB8AAAAAElFTkSuQmCC"
#define PNG_RGBA "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMwTlvVAAAD1wHEkpb82wAAAABJRU5ErkJggg=="

/* The server's refusals of a mask: one without a source
 * (SourceMaskUnnecessary, in validate(), so for a dry run too), and
 * inpainting with neither a mask nor an alpha channel
 * (InpaintingMissingMask, when the request is activated: not for a dry
 * run) */
static void
test_inpainting_mask (void)
{
  static const struct {
    const char *body;
    guint       status;
    const char *rc;
  } cases[] = {
    { "{\"prompt\": \"x\", \"source_mask\": \"" PNG_RGB "\"}", 400, "SourceMaskUnnecessary" },
    { "{\"prompt\": \"x\", \"dry_run\": true, \"source_mask\": \"" PNG_RGB "\"}", 400, "SourceMaskUnnecessary" },
    { "{\"prompt\": \"x\", \"source_processing\": \"inpainting\", \"source_image\": \"" PNG_RGB "\"}",
      400, "InpaintingMissingMask" },
    { "{\"prompt\": \"x\", \"dry_run\": true, \"source_processing\": \"inpainting\", \"source_image\": \"" PNG_RGB "\"}",
      200, NULL },
    { "{\"prompt\": \"x\", \"source_processing\": \"inpainting\", \"source_image\": \"" PNG_RGBA "\"}",
      202, NULL },
    { "{\"prompt\": \"x\", \"source_processing\": \"inpainting\", \"source_image\": \"" PNG_RGB "\","
      " \"source_mask\": \"" PNG_RGB "\"}", 202, NULL },
    { "{\"prompt\": \"x\", \"source_processing\": \"outpainting\", \"source_image\": \"" PNG_RGB "\"}",
      202, NULL },
    { "{\"prompt\": \"x\", \"source_image\": \"" PNG_RGB "\"}", 202, NULL },
  };
  Sim *sim = sim_start ("--workers", "0", "--no-rate-limits", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimReply) reply = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      if (cases[i].rc != NULL)
        sim_assert_error (reply, cases[i].status, cases[i].rc);
      else
        g_assert_cmpuint (reply->status, ==, cases[i].status);
    }
  sim_stop (sim);
}

static void
test_kudos_upfront (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "0", "--users", users, "--no-rate-limits", NULL);
  static const char * const big[] = {
    "{\"prompt\": \"x\", \"params\": {\"steps\": 51}}",
    "{\"prompt\": \"x\", \"params\": {\"width\": 1088, \"height\": 1024}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    {
      g_autoptr(SimReply) anon = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, big[i]);
      g_autoptr(SimReply) poor = sim_request (sim, "POST", "/v2/generate/async", BOB, big[i]);
      g_autoptr(SimReply) rich = sim_request (sim, "POST", "/v2/generate/async", ALICE, big[i]);

      sim_assert_error (anon, 403, "KudosUpfront");
      sim_assert_error (poor, 403, "KudosUpfront");
      g_assert_cmpuint (rich->status, ==, 202);
    }
  {
    /* within the limits anonymous is fine */
    g_autoptr(SimReply) small = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON,
                                             "{\"prompt\": \"x\", \"params\": {\"steps\": 50, \"width\": 1024, \"height\": 1024}}");

    g_assert_cmpuint (small->status, ==, 202);
  }
  sim_stop (sim);
  g_unlink (users);
}

static void
test_too_many_prompts (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "0", "--users", users, NULL);
  Sim *unlimited = NULL;
  g_autofree char *first = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"n\": 10}}");
  g_autoptr(SimReply) anon = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON, "{\"prompt\": \"y\"}");
  g_autofree char *carol = sim_submit (sim, "/v2/generate/async", CAROL, "{\"prompt\": \"x\", \"params\": {\"n\": 2}}");
  g_autoptr(SimReply) carol_more = sim_request (sim, "POST", "/v2/generate/async", CAROL, "{\"prompt\": \"y\"}");
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", carol);
  g_autoptr(SimReply) cancel = NULL;
  g_autofree char *after_cancel = NULL;

  sim_assert_error (anon, 429, "TooManyPrompts");
  sim_assert_error (carol_more, 429, "TooManyPrompts");
  /* cancelling frees the slots */
  cancel = sim_request (sim, "DELETE", path, NULL, NULL);
  g_assert_cmpuint (cancel->status, ==, 200);
  after_cancel = sim_submit (sim, "/v2/generate/async", CAROL, "{\"prompt\": \"y\"}");
  sim_stop (sim);

  unlimited = sim_start ("--workers", "0", "--no-rate-limits", NULL);
  for (guint i = 0; i < 3; i++)
    g_free (sim_submit (unlimited, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"n\": 10}}"));
  sim_stop (unlimited);
  g_unlink (users);
}

static void
test_cancel_partial (void)
{
  g_autofree char *users = sim_write_users (USERS);
  /* --check-cache 0: it must cancel between two images, so it needs
   * /check's fresh answer rather than the server's 1 s cached one */
  Sim *sim = sim_start ("--workers", "1", "--job-time", "300", "--users", users, "--no-rate-limits",
                        "--check-cache", "0", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"three foxes\", \"params\": {\"width\": 64, \"height\": 64,"
                                    " \"steps\": 10, \"n\": 3}, \"r2\": false}");
  g_autofree char *check_path = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", id);
  /* what an image earns its worker, and what its requester pays */
  double per_image = round ((0.1232 * 10) * 100) / 100 + 2;
  double charge = per_image + 1;
  double consumed = 3;
  g_autoptr(SimReply) cancel = NULL;
  g_autoptr(JsonObject) check = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonObject *answer;
  double kudos_before;
  gint64 finished = 0, waiting, processing;

  /* charged when queued: only the horde tax (images are paid as they
   * finish) */
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE), 5000 - 3, 0.011);
  while (finished == 0)
    {
      g_autoptr(JsonObject) progress = sim_get_object (sim, check_path);

      finished = json_object_get_int_member (progress, "finished");
      g_assert_cmpint (finished, <, 3);
      g_usleep (20 * 1000);
    }
  kudos_before = sim_user_kudos (sim, ALICE);
  cancel = sim_request (sim, "DELETE", status_path, NULL, NULL);
  answer = sim_reply_object (cancel);
  g_assert_cmpuint (cancel->status, ==, 200);
  /* like the real server: the status just before the cancel, with the
   * images finished so far */
  g_assert_cmpint (json_object_get_int_member (answer, "finished"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (answer, "finished"), <, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "generations")), ==,
                    json_object_get_int_member (answer, "finished"));
  waiting = json_object_get_int_member (answer, "waiting");
  processing = json_object_get_int_member (answer, "processing");
  g_assert_cmpint (waiting, >=, 1);

  /* the request stays with n = 0: what was rendering is finished and
   * served, what waited never runs */
  check = sim_wait_done (sim, "/v2/generate/check", id);
  g_assert_true (json_object_get_boolean_member (check, "done"));
  g_assert_cmpint (json_object_get_int_member (check, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (check, "processing"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (check, "finished"), ==,
                   json_object_get_int_member (answer, "finished") + processing);
  status = sim_get_object (sim, status_path);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "generations")), ==,
                    json_object_get_int_member (answer, "finished") + processing);
  /* what never started costs nothing; the tax stays; consumed_kudos is
   * rounded at every image */
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE), kudos_before - processing * charge, 0.011);
  g_assert_cmpfloat_with_epsilon (sim_user_kudos (sim, ALICE),
                                  5000 - 3 - json_object_get_int_member (check, "finished") * charge, 0.011);
  for (gint64 i = 0; i < json_object_get_int_member (check, "finished"); i++)
    consumed = round (consumed + charge);
  g_assert_cmpfloat (json_object_get_double_member (check, "kudos"), ==, consumed);
  sim_stop (sim);
  g_unlink (users);
}

static void
test_queue_progress (void)
{
  /* --check-cache 0: it watches every step of a queue of 250 ms jobs */
  Sim *sim = sim_start ("--workers", "1", "--job-time", "250", "--no-rate-limits", "--check-cache", "0", NULL);
  const char *body = "{\"prompt\": \"queued\", \"params\": {\"width\": 64, \"height\": 64}}";
  g_autofree char *a = sim_submit (sim, "/v2/generate/async", SIM_ANON, body);
  g_autofree char *b = sim_submit (sim, "/v2/generate/async", SIM_ANON, body);
  g_autofree char *c = sim_submit (sim, "/v2/generate/async", SIM_ANON, body);
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", c);
  gint64 last_position = G_MAXINT64, last_wait = G_MAXINT64;
  gboolean saw_one = FALSE, saw_processing = FALSE;
  gint64 first_wait = -1;

  for (;;)
    {
      g_autoptr(JsonObject) check = sim_get_object (sim, path);
      gint64 position = json_object_get_int_member (check, "queue_position");
      gint64 wait = json_object_get_int_member (check, "wait_time");

      if (first_wait < 0)
        {
          first_wait = wait;
          g_assert_cmpint (position, >=, 2);
        }
      /* the server's formula: 0.25 megapixelsteps queued up to it, at 1
       * per second on a horde with no history (then 3 MPS/s), plus the
       * time left of its own generation at 3 MPS/s: rounds to 0 */
      g_assert_cmpint (wait, ==, 0);
      g_assert_cmpint (position, <=, last_position);
      g_assert_cmpint (wait, <=, last_wait);
      saw_one |= position == 1;
      saw_processing |= json_object_get_int_member (check, "processing") == 1;
      last_position = position;
      last_wait = wait;
      if (json_object_get_boolean_member (check, "done"))
        break;
      g_usleep (30 * 1000);
    }
  g_assert_true (saw_one);
  g_assert_true (saw_processing);
  g_assert_cmpint (last_position, ==, 0);
  g_assert_cmpint (last_wait, ==, 0);
  sim_stop (sim);
}

static gint64
first_wait_time (const char *speed)
{
  Sim *sim = sim_start ("--workers", "1", "--speed", speed, "--check-cache", "0", "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 512, \"height\": 512, \"steps\": 30}}");
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autoptr(JsonObject) check = sim_get_object (sim, path);
  gint64 wait_time;

  /* once it renders: before, it is the server's queue estimate */
  while (json_object_get_int_member (check, "processing") == 0 && !json_object_get_boolean_member (check, "done"))
    {
      json_object_unref (check);
      check = sim_get_object (sim, path);
    }
  wait_time = json_object_get_int_member (check, "wait_time");

  sim_stop (sim);
  return wait_time;
}

static void
test_speed (void)
{
  /* 512x512 × 30 steps = 7.86 megapixelsteps, already rendering on a
   * 3 MPS/s worker: 2.6 s left, a tenth of that at --speed 10, rounded
   * like the server's round() */
  g_assert_cmpint (first_wait_time ("1"), ==, 3);
  g_assert_cmpint (first_wait_time ("10"), ==, 0);
}

static void
test_pause (void)
{
  Sim *sim = sim_start ("--workers", "2", "--job-time", "20", "--no-rate-limits", NULL);
  g_autoptr(SimReply) pause = sim_request (sim, "POST", "/_sim/control", NULL, "{\"paused\": true}");
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"held\", \"params\": {\"width\": 64, \"height\": 64}}");
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", id);
  g_autoptr(SimReply) resume = NULL;
  g_autoptr(JsonObject) done = NULL;

  g_assert_cmpuint (pause->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (sim_reply_object (pause), "paused"));
  /* well past the job time, still waiting */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JsonObject) check = sim_get_object (sim, path);

      g_assert_cmpint (json_object_get_int_member (check, "waiting"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (check, "queue_position"), ==, 1);
      g_usleep (20 * 1000);
    }
  resume = sim_request (sim, "POST", "/_sim/control", NULL, "{\"paused\": false}");
  g_assert_false (json_object_get_boolean_member (sim_reply_object (resume), "paused"));
  done = sim_wait_done (sim, "/v2/generate/check", id);
  g_assert_cmpint (json_object_get_int_member (done, "finished"), ==, 1);
  sim_stop (sim);
}

static void
test_no_worker_warning (void)
{
  Sim *sim = sim_start ("--workers", "3", NULL);
  g_autoptr(SimReply) reply = sim_request (sim, "POST", "/v2/generate/async", SIM_ANON,
                                           "{\"prompt\": \"x\", \"models\": [\"no_such_model\"]}");
  JsonObject *object = sim_reply_object (reply);
  JsonArray *warnings = json_object_get_array_member (object, "warnings");
  g_autofree char *path = g_strdup_printf ("/v2/generate/check/%s", json_object_get_string_member (object, "id"));
  g_autoptr(JsonObject) check = NULL;

  g_assert_cmpuint (reply->status, ==, 202);
  g_assert_cmpfloat (json_object_get_double_member (object, "kudos"), ==, 8.0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "message"), "Warning: No available workers"));
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (warnings, 0), "code"), ==,
                   "NoAvailableWorker");
  check = sim_get_object (sim, path);
  g_assert_false (json_object_get_boolean_member (check, "is_possible"));
  g_assert_false (json_object_get_boolean_member (check, "done"));
  sim_stop (sim);
}

static void
test_worker_restart (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "30", "--faults", "worker-restart,count=1", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}, \"r2\": false}");
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);

  g_assert_cmpint (json_object_get_int_member (check, "restarted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (check, "finished"), ==, 1);
  g_assert_false (json_object_get_boolean_member (check, "faulted"));
  sim_stop (sim);
}

static void
test_worker_restart_each (void)
{
  /* without a count, every generation is dropped once, then completes */
  Sim *sim = sim_start ("--workers", "2", "--job-time", "30", "--faults", "worker-restart@POST /api/v2/generate/async", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64, \"n\": 2}}");
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
  g_autoptr(SimReply) rules = sim_request (sim, "GET", "/_sim/faults", NULL, NULL);

  g_assert_cmpint (json_object_get_int_member (check, "restarted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (check, "finished"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_node_get_array (rules->json), 0), "fired"), ==, 2);
  sim_stop (sim);
}

static void
test_worker_fault (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "2", "--job-time", "20", "--users", users,
                        "--faults", "worker-fault@POST /api/v2/generate/async", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64, \"n\": 2}}");
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(JsonObject) status = sim_get_object (sim, path);
  Sim *flaky;
  g_autofree char *flaky_id = NULL;
  g_autoptr(JsonObject) flaky_check = NULL;

  g_assert_true (json_object_get_boolean_member (check, "faulted"));
  g_assert_true (json_object_get_boolean_member (check, "done"));
  g_assert_cmpint (json_object_get_int_member (check, "restarted"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (check, "finished"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "generations")), ==, 0);
  /* failed generations cost nothing: only the horde tax stays charged */
  g_assert_cmpfloat (sim_user_kudos (sim, ALICE), ==, 4997);
  g_assert_cmpfloat (json_object_get_double_member (check, "kudos"), ==, 3);
  sim_stop (sim);

  /* the server re-queues a reported failure only while finished plus
   * failed generations are fewer than the request's images: a one-image
   * request whose worker fails twice is done, not faulted, with no image
   * and restarted 2, as 5.1.5 answers */
  flaky = sim_start ("--workers", "1", "--job-time", "20", "--faults", "worker-fault,count=2", NULL);
  flaky_id = sim_submit (flaky, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  flaky_check = sim_wait_done (flaky, "/v2/generate/check", flaky_id);
  g_assert_true (json_object_get_boolean_member (flaky_check, "done"));
  g_assert_false (json_object_get_boolean_member (flaky_check, "faulted"));
  g_assert_cmpint (json_object_get_int_member (flaky_check, "restarted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (flaky_check, "finished"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (flaky_check, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (flaky_check, "processing"), ==, 0);
  sim_stop (flaky);
  g_unlink (users);
}

static void
test_expiry (void)
{
  Sim *sim = sim_start ("--workers", "0", "--expiry", "1", "--no-rate-limits", NULL);
  g_autofree char *forgotten = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}");
  g_autofree char *polled = sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"y\"}");
  g_autofree char *forgotten_path = g_strdup_printf ("/v2/generate/check/%s", forgotten);
  g_autofree char *polled_path = g_strdup_printf ("/v2/generate/check/%s", polled);
  g_autofree char *status_path = g_strdup_printf ("/v2/generate/status/%s", forgotten);
  g_autoptr(SimReply) gone = NULL;
  g_autoptr(SimReply) gone_status = NULL;
  g_autoptr(SimReply) polled_gone = NULL;
  gint64 until = g_get_monotonic_time () + 1600 * 1000;

  /* only the second one is polled, which does not keep it alive: the
   * server moves a request's expiry when a worker picks up or finishes
   * one of its generations, never when its client polls */
  while (g_get_monotonic_time () < until)
    {
      g_autoptr(SimReply) poll = sim_request (sim, "GET", polled_path, NULL, NULL);

      g_assert_true (poll->status == 200 || poll->status == 404);
      g_usleep (200 * 1000);
    }
  polled_gone = sim_request (sim, "GET", polled_path, NULL, NULL);
  sim_assert_error (polled_gone, 404, "RequestNotFound");
  gone = sim_request (sim, "GET", forgotten_path, NULL, NULL);
  gone_status = sim_request (sim, "GET", status_path, NULL, NULL);
  sim_assert_error (gone, 404, "RequestNotFound");
  sim_assert_error (gone_status, 404, "RequestNotFound");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (sim_reply_object (gone), "message"),
                                   "Image Waiting Prompt (Check) with ID"));
  sim_stop (sim);
}

static void
test_r2_expiry (void)
{
  Sim *sim = sim_start ("--workers", "1", "--job-time", "10", "--r2-ttl", "1", "--no-rate-limits", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 64, \"height\": 64}}");
  g_autoptr(JsonObject) status = wait_image (sim, id);
  g_autofree char *url = g_strdup (json_object_get_string_member (first_generation (status), "img"));
  g_autofree char *tampered = g_strconcat (url, "0", NULL);
  g_autofree char *path = g_strdup_printf ("/v2/generate/status/%s", id);
  g_autoptr(SimReply) fresh = sim_request (sim, "GET", url, NULL, NULL);
  g_autoptr(SimReply) forged = sim_request (sim, "GET", tampered, NULL, NULL);
  g_autoptr(SimReply) expired = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GBytes) image = NULL;

  g_assert_cmpuint (fresh->status, ==, 200);
  g_assert_cmpuint (forged->status, ==, 403);
  g_usleep (1200 * 1000);
  expired = sim_request (sim, "GET", url, NULL, NULL);
  g_assert_cmpuint (expired->status, ==, 403);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (expired->body, NULL), g_bytes_get_size (expired->body),
                                  "Request has expired"));
  /* a new status answer signs a new URL */
  again = sim_get_object (sim, path);
  image = sim_image_bytes (sim, first_generation (again));
  g_assert_true (sim_webp_size (image, NULL, NULL));
  sim_stop (sim);
}

static GBytes *
render (Sim        *sim,
        const char *body)
{
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, body);
  g_autoptr(JsonObject) status = wait_image (sim, id);

  return sim_image_bytes (sim, first_generation (status));
}

static void
test_deterministic (void)
{
  Sim *one = sim_start ("--workers", "3", "--job-time", "10", "--seed", "11", "--no-rate-limits", NULL);
  Sim *two = sim_start ("--workers", "3", "--job-time", "10", "--seed", "11", "--no-rate-limits", NULL);
  const char *a = "{\"prompt\": \"a lighthouse\", \"params\": {\"width\": 128, \"height\": 128, \"seed\": \"123\"},"
                  " \"models\": [\"stable_diffusion\"], \"r2\": false}";
  const char *b = "{\"prompt\": \"a lighthouse\", \"params\": {\"width\": 128, \"height\": 128, \"seed\": \"124\"},"
                  " \"models\": [\"stable_diffusion\"], \"r2\": false}";
  const char *unseeded = "{\"prompt\": \"a lighthouse\", \"params\": {\"width\": 128, \"height\": 128},"
                         " \"models\": [\"stable_diffusion\"]}";
  g_autoptr(GBytes) a1 = render (one, a);
  g_autoptr(GBytes) a2 = render (one, a);
  g_autoptr(GBytes) a3 = render (two, a);
  g_autoptr(GBytes) b1 = render (one, b);
  g_autoptr(GBytes) u1 = render (one, unseeded);
  g_autoptr(GBytes) u2 = render (two, unseeded);
  g_autoptr(GBytes) u3 = render (one, unseeded);

  g_assert_true (sim_webp_size (a1, NULL, NULL));
  g_assert_true (g_bytes_equal (a1, a2));
  g_assert_true (g_bytes_equal (a1, a3));
  g_assert_false (g_bytes_equal (a1, b1));
  /* default seeds follow --seed: the nth unseeded request is the same
   * picture in both runs, and differs from the next one */
  g_assert_false (g_bytes_equal (u1, a1));
  g_assert_false (g_bytes_equal (u2, a1));
  g_assert_false (g_bytes_equal (u1, u3));
  sim_stop (one);
  sim_stop (two);
}

static void
test_default_seeds (void)
{
  const char *body = "{\"prompt\": \"an owl\", \"params\": {\"width\": 64, \"height\": 64, \"n\": 2}, \"r2\": false}";
  char *seeds[2][2];

  for (guint run = 0; run < 2; run++)
    {
      Sim *sim = sim_start ("--workers", "1", "--job-time", "5", "--seed", "99", NULL);
      g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON, body);
      g_autoptr(JsonObject) status = wait_image (sim, id);
      JsonArray *generations = json_object_get_array_member (status, "generations");

      for (guint i = 0; i < 2; i++)
        seeds[run][i] = g_strdup (json_object_get_string_member (json_array_get_object_element (generations, i), "seed"));
      sim_stop (sim);
    }
  g_assert_cmpstr (seeds[0][0], ==, seeds[1][0]);
  g_assert_cmpstr (seeds[0][1], ==, seeds[1][1]);
  g_assert_cmpstr (seeds[0][0], !=, seeds[0][1]);
  for (guint run = 0; run < 2; run++)
    for (guint i = 0; i < 2; i++)
      g_free (seeds[run][i]);
}

static void
test_kudos_account (void)
{
  g_autofree char *users = sim_write_users (USERS);
  Sim *sim = sim_start ("--workers", "1", "--job-time", "10", "--users", users, NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", ALICE,
                                    "{\"prompt\": \"x\", \"params\": {\"width\": 512, \"height\": 512, \"steps\": 20}}");
  g_autoptr(JsonObject) check = sim_wait_done (sim, "/v2/generate/check", id);
  g_autoptr(SimReply) user = sim_request (sim, "GET", "/v2/find_user", ALICE, NULL);
  JsonObject *records;

  /* the horde tax of 3, then the image's 6.33 and 1 of burn */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (sim_reply_object (user), "kudos"), 5000 - 3 - 7.33, 0.001);
  g_assert_cmpfloat (json_object_get_double_member (check, "kudos"), ==, 10.0);
  records = json_object_get_object_member (json_object_get_object_member (sim_reply_object (user), "records"), "request");
  g_assert_cmpint (json_object_get_int_member (records, "image"), ==, 1);
  /* anonymous is never charged */
  g_free (sim_submit (sim, "/v2/generate/async", SIM_ANON, "{\"prompt\": \"x\"}"));
  g_assert_cmpfloat (sim_user_kudos (sim, SIM_ANON), ==, 0);
  sim_stop (sim);
  g_unlink (users);
}

static void
test_style (void)
{
  Sim *sim = sim_start ("--workers", "3", "--job-time", "10", NULL);
  g_autofree char *id = sim_submit (sim, "/v2/generate/async", SIM_ANON,
                                    "{\"prompt\": \"a harbor###people\", \"style\": \"sim-cinematic\", \"r2\": false}");
  g_autoptr(JsonObject) status = wait_image (sim, id);
  JsonObject *generation = first_generation (status);
  g_autoptr(GBytes) image = sim_image_bytes (sim, generation);
  int width = 0, height = 0;

  g_assert_true (sim_webp_size (image, &width, &height));
  g_assert_cmpint (width, ==, 768);
  g_assert_cmpint (height, ==, 512);
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, "Deliberate");
  sim_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/image/flow-base64", test_flow_base64);
  g_test_add_func ("/sim/image/flow-r2", test_flow_r2);
  g_test_add_func ("/sim/image/dry-run", test_dry_run);
  g_test_add_func ("/sim/image/validation", test_validation);
  g_test_add_func ("/sim/image/inpainting-mask", test_inpainting_mask);
  g_test_add_func ("/sim/image/kudos-upfront", test_kudos_upfront);
  g_test_add_func ("/sim/image/too-many-prompts", test_too_many_prompts);
  g_test_add_func ("/sim/image/cancel-partial", test_cancel_partial);
  g_test_add_func ("/sim/image/queue-progress", test_queue_progress);
  g_test_add_func ("/sim/image/speed", test_speed);
  g_test_add_func ("/sim/image/pause", test_pause);
  g_test_add_func ("/sim/image/no-worker-warning", test_no_worker_warning);
  g_test_add_func ("/sim/image/worker-restart", test_worker_restart);
  g_test_add_func ("/sim/image/worker-restart-each", test_worker_restart_each);
  g_test_add_func ("/sim/image/worker-fault", test_worker_fault);
  g_test_add_func ("/sim/image/expiry", test_expiry);
  g_test_add_func ("/sim/image/r2-expiry", test_r2_expiry);
  g_test_add_func ("/sim/image/deterministic", test_deterministic);
  g_test_add_func ("/sim/image/default-seeds", test_default_seeds);
  g_test_add_func ("/sim/image/kudos-account", test_kudos_account);
  g_test_add_func ("/sim/image/style", test_style);

  return g_test_run ();
}

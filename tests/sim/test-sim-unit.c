/* test-sim-unit.c: horde-sim's pieces, without a server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>

#include "horde-sim-content.h"
#include "horde-sim-faults.h"
#include "horde-sim-image.h"
#include "horde-sim-json.h"
#include "horde-sim-request.h"
#include "horde-sim-validate.h"

static void
test_fault_grammar (void)
{
  static const char * const good[] = {
    "status:503",
    "status:503@POST /api/v2/generate/async,count=1",
    "status:429,count=2,retry_after=1",
    "status:500@/api/v2/generate/check/*,after=3,rc=Boom,message=it broke, badly",
    "html:502@GET /api/*",
    "latency:250",
    "drop@/api/v2/find_user",
    "stall,count=1",
    "malformed;truncate@/api/v2/workers",
    "worker-restart,count=1",
    "worker-fault@POST /api/v2/generate/text/async",
    "corrupt-image",
    "expire-r2",
    " status:404 ; latency:5 ;",
  };
  static const char * const bad[] = {
    "",
    "explode",
    "status",
    "status:abc",
    "status:99",
    "latency",
    "drop:5",
    "status:500,cuont=1",
    "status:500,count=-1",
    "latency:5,rc=Nope",
    "status:500@api/v2",
    "status:500@post /api",
    "drop,message=x",
    "status:500;bogus",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(HordeSimFaults) faults = horde_sim_faults_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("good: %s", good[i]);
      g_assert_true (horde_sim_faults_add (faults, good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(HordeSimFaults) faults = horde_sim_faults_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) listed = NULL;

      g_test_message ("bad: %s", bad[i]);
      g_assert_false (horde_sim_faults_add (faults, bad[i], &error));
      g_assert_nonnull (error);
      /* nothing from a bad spec is kept */
      listed = horde_sim_faults_to_json (faults);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 0);
    }
}

static void
test_fault_matching (void)
{
  g_autoptr(HordeSimFaults) faults = horde_sim_faults_new ();
  g_autoptr(GError) error = NULL;
  const HordeSimFaultRule *rule;
  g_autofree char *message = NULL;
  g_autofree char *rc = NULL;
  guint latency;

  g_assert_true (horde_sim_faults_add (faults,
                                       "latency:100@GET /api/v2/generate/check/*;"
                                       "status:503@GET /api/v2/generate/check/*,after=1,count=2,message=busy, sorry;"
                                       "worker-restart@POST /api/v2/generate/async,count=1",
                                       &error));
  g_assert_no_error (error);

  rule = horde_sim_faults_match_request (faults, "GET", "/api/v2/generate/check/abc", TRUE, &latency);
  g_assert_null (rule);
  g_assert_cmpuint (latency, ==, 100);
  for (guint i = 0; i < 2; i++)
    {
      rule = horde_sim_faults_match_request (faults, "GET", "/api/v2/generate/check/abc", TRUE, &latency);
      g_assert_nonnull (rule);
      g_assert_cmpint (rule->action, ==, HORDE_SIM_FAULT_STATUS);
      g_assert_cmpint (rule->arg, ==, 503);
    }
  message = horde_sim_fault_rule_dup_message (rule);
  rc = horde_sim_fault_rule_dup_rc (rule);
  g_assert_cmpstr (message, ==, "busy, sorry");
  g_assert_cmpstr (rc, ==, "ServiceUnavailable");
  /* used up */
  g_assert_null (horde_sim_faults_match_request (faults, "GET", "/api/v2/generate/check/abc", TRUE, &latency));
  /* other paths and methods are untouched */
  g_assert_null (horde_sim_faults_match_request (faults, "DELETE", "/api/v2/generate/check/abc", TRUE, &latency));
  g_assert_cmpuint (latency, ==, 0);
  /* job rules are not answer rules */
  g_assert_null (horde_sim_faults_match_request (faults, "POST", "/api/v2/generate/async", TRUE, &latency));
  g_assert_false (horde_sim_faults_match_job (faults, HORDE_SIM_FAULT_WORKER_RESTART, "POST", "/api/v2/generate/text/async"));
  g_assert_true (horde_sim_faults_match_job (faults, HORDE_SIM_FAULT_WORKER_RESTART, "POST", "/api/v2/generate/async"));
  g_assert_false (horde_sim_faults_match_job (faults, HORDE_SIM_FAULT_WORKER_RESTART, "POST", "/api/v2/generate/async"));
}

static void
test_validate (void)
{
  static const char * const colors[] = { "red", "green", NULL };
  static const HordeSimField fields[] = {
    { "a", HORDE_SIM_FIELD_INTEGER, 1, 10, NULL },
    { "b.c", HORDE_SIM_FIELD_NUMBER, 0, 1, NULL },
    { "d", HORDE_SIM_FIELD_STRING_ARRAY, HORDE_SIM_NO_BOUND, HORDE_SIM_NO_BOUND, colors },
    { "e.*.f", HORDE_SIM_FIELD_STRING, 2, 4, NULL },
  };
  g_autoptr(JsonNode) good = json_from_string ("{\"a\": 3.0, \"b\": {\"c\": 0.5}, \"d\": [\"red\"], \"e\": [{\"f\": \"abc\"}]}", NULL);
  g_autoptr(JsonNode) bad = json_from_string ("{\"a\": 11, \"b\": {\"c\": true}, \"d\": [\"blue\"], \"e\": [{\"f\": \"a\"}]}", NULL);
  g_autoptr(JsonObject) errors = NULL;

  g_assert_null (horde_sim_validate (good, fields, G_N_ELEMENTS (fields)));
  errors = horde_sim_validate (bad, fields, G_N_ELEMENTS (fields));
  g_assert_nonnull (errors);
  g_assert_cmpstr (json_object_get_string_member (errors, "a"), ==, "11 is greater than the maximum of 10");
  g_assert_cmpstr (json_object_get_string_member (errors, "b.c"), ==, "True is not of type 'number'");
  g_assert_cmpstr (json_object_get_string_member (errors, "d.0"), ==, "'blue' is not one of ['red', 'green']");
  g_assert_cmpstr (json_object_get_string_member (errors, "e.0.f"), ==, "'a' is too short");
}

static void
test_image_render (void)
{
  g_autoptr(GBytes) a = horde_sim_image_render ("a cat", "1", 96, 64, "stable_diffusion");
  g_autoptr(GBytes) b = horde_sim_image_render ("a cat", "1", 96, 64, "stable_diffusion");
  g_autoptr(GBytes) c = horde_sim_image_render ("a cat", "1", 96, 64, "Deliberate");
  g_autoptr(GBytes) junk = horde_sim_image_junk (3);
  int width = 0, height = 0;

  g_assert_true (horde_sim_image_probe (a, &width, &height));
  g_assert_cmpint (width, ==, 96);
  g_assert_cmpint (height, ==, 64);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));
  g_assert_false (horde_sim_image_probe (junk, &width, &height));
}

/* A source image's size, read from a WebP, PNG or JPEG header: what the
 * post-processors' images are sized after */
static void
test_image_probe_formats (void)
{
  /* a PNG's signature and IHDR: 72 × 40 */
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0, 72, 0, 0, 0, 40, 8, 2, 0, 0, 0,
  };
  /* a JPEG: SOI, an APP0 to walk over, then SOF0 of 40 rows of 72 */
  static const guint8 jpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 17, 8, 0, 40, 0, 72, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  };
  static const struct { const guint8 *data; gsize length; } images[] = {
    { png, sizeof png }, { jpeg, sizeof jpeg },
  };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (images[i].data, images[i].length);
      g_autoptr(GBytes) cut = g_bytes_new_static (images[i].data, 22);
      int width = 0, height = 0;

      g_assert_true (horde_sim_image_probe (bytes, &width, &height));
      g_assert_cmpint (width, ==, 72);
      g_assert_cmpint (height, ==, 40);
      /* a header cut short is no image */
      g_assert_false (horde_sim_image_probe (cut, &width, &height));
    }
}

static void
test_kudos (void)
{
  /* the real server's 202 answers in the transcript (round(wp.kudos)) */
  g_assert_cmpfloat (nearbyint (horde_sim_kudos_image (512, 512, 20, 0)), ==, 6);
  g_assert_cmpfloat (nearbyint (horde_sim_kudos_image (512, 512, 10, 0)), ==, 4);
  g_assert_cmpfloat (nearbyint (horde_sim_kudos_image (512, 512, 30, 0)), ==, 8);
  g_assert_cmpfloat (horde_sim_kudos_image (512, 512, 30, 1), >, horde_sim_kudos_image (512, 512, 30, 0));
  g_assert_cmpfloat (horde_sim_kudos_text (80, 2048), >, 1);
}

/* What the requester pays per finished generation: the server's
 * calculate_extra_kudos_burn() of what its worker earns */
static void
test_charge (void)
{
  g_autoptr(HordeSimRequest) image = horde_sim_request_new (HORDE_SIM_KIND_IMAGE, NULL);
  g_autoptr(HordeSimRequest) text = horde_sim_request_new (HORDE_SIM_KIND_TEXT, NULL);
  g_autoptr(HordeSimRequest) alchemy = horde_sim_request_new (HORDE_SIM_KIND_ALCHEMY, NULL);

  /* slow_workers is true unless said otherwise */
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (image, 6), 7, 1e-9);
  image->slow_workers = FALSE;
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (image, 6), 7 * 1.2, 1e-9);
  image->worker_blacklist = TRUE;
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (image, 6), 7 * 1.2 * 1.1, 1e-9);
  /* a censored image: the burn of 0 */
  image->slow_workers = TRUE;
  image->worker_blacklist = FALSE;
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (image, 0), 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (text, 10), 11, 1e-9);
  /* a form: + 1, + 1 more with slow workers */
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (alchemy, 3), 5, 1e-9);
  alchemy->slow_workers = FALSE;
  g_assert_cmpfloat_with_epsilon (horde_sim_request_charge (alchemy, 3), 4, 1e-9);
}

static void
test_content (void)
{
  const char * const stops[] = { ".", NULL };
  g_autofree char *a = horde_sim_content_text ("once upon a time", 5, 80, NULL);
  g_autofree char *b = horde_sim_content_text ("once upon a time", 5, 80, NULL);
  g_autofree char *c = horde_sim_content_text ("once upon a time", 6, 80, NULL);
  g_autofree char *stopped = horde_sim_content_text ("once upon a time", 5, 80, stops);
  g_autoptr(JsonNode) caption = horde_sim_content_form ("caption", 42, NULL);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (g_str_has_suffix (stopped, "."));
  g_assert_cmpuint (strlen (stopped), <=, strlen (a));
  g_assert_true (json_object_has_member (json_node_get_object (caption), "caption"));
  g_assert_cmpuint (horde_sim_seed_from_string ("42"), ==, 42);
  g_assert_cmpuint (horde_sim_seed_from_string ("The little seed"), ==, horde_sim_seed_from_string ("The little seed"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/unit/fault-grammar", test_fault_grammar);
  g_test_add_func ("/sim/unit/fault-matching", test_fault_matching);
  g_test_add_func ("/sim/unit/validate", test_validate);
  g_test_add_func ("/sim/unit/image-render", test_image_render);
  g_test_add_func ("/sim/unit/image-probe-formats", test_image_probe_formats);
  g_test_add_func ("/sim/unit/kudos", test_kudos);
  g_test_add_func ("/sim/unit/charge", test_charge);
  g_test_add_func ("/sim/unit/content", test_content);

  return g_test_run ();
}

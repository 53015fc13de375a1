/* test-app-messages.c: what Horde Studio says of what the server says
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The words of the job rows, the model list and the cost line, from the
 * figures of the server as the real AI Horde gives them, and the errors
 * of the server (answered by horde-sim with the real server's rc and
 * message) in words.
 */

#include "config.h"

#include <locale.h>

#include "horde-studio-messages.h"
#include "horde-test-sim.h"

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not say “%s”", text ? text : "(null)", part);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (text != NULL && strstr (text, part) != NULL)
    g_error ("“%s” says “%s”", text, part);
}

/* wait_time 0 is "no estimate" on the real server, never "0 s left"; an
 * estimate counts down between two checks, and never below 0 */
static void
test_wait (void)
{
  g_autofree char *impossible = horde_studio_describe_wait (FALSE, 1, 0, 0);
  g_autofree char *queued = horde_studio_describe_wait (TRUE, 0, 0, 0);
  g_autofree char *rendering = horde_studio_describe_wait (TRUE, 0, 5, 1);
  g_autofree char *estimate = horde_studio_describe_wait (TRUE, 40, 0, 1);
  g_autofree char *later = horde_studio_describe_wait (TRUE, 40, 12, 1);
  g_autofree char *run_out = horde_studio_describe_wait (TRUE, 40, 40, 0);
  g_autofree char *overdue = horde_studio_describe_wait (TRUE, 40, 95, 0);

  assert_contains (impossible, "no worker can make it");
  assert_lacks (impossible, "s left");
  assert_contains (queued, "waiting for a worker");
  assert_lacks (queued, "0\u00a0s");
  assert_contains (rendering, "rendering");
  assert_lacks (rendering, "0\u00a0s");
  /* a figure and its unit never part at the end of a line */
  assert_contains (estimate, "about 40\u00a0s left");
  assert_lacks (estimate, "40 s");
  assert_contains (later, "about 28\u00a0s left");
  assert_contains (run_out, "any moment now");
  assert_lacks (run_out, "s left");
  assert_contains (overdue, "any moment now");
  assert_lacks (overdue, "-");
}

/* `queued` is pixelsteps, the images waiting are `jobs` */
static void
test_queue (void)
{
  g_autofree char *real = horde_studio_describe_queue (TRUE, 12, 70778880);
  g_autofree char *one = horde_studio_describe_queue (TRUE, 1, 0);
  g_autofree char *no_jobs = horde_studio_describe_queue (FALSE, 0, 2500000);
  g_autofree char *nothing = horde_studio_describe_queue (TRUE, 0, 0);
  g_autofree char *tiny = horde_studio_describe_queue (TRUE, 7, 55);

  g_assert_cmpstr (real, ==, "12 images waiting (70.8 megapixelsteps)");
  g_assert_cmpstr (one, ==, "1 image waiting");
  g_assert_cmpstr (no_jobs, ==, "2.5 megapixelsteps waiting");
  g_assert_null (nothing);
  g_assert_cmpstr (tiny, ==, "7 images waiting");
  g_assert_null (horde_studio_describe_queue (FALSE, 0, 55));
}

/* the dry run is n × (cost + 1) + 1; the charge is 3 + n × (cost + 1) */
static void
test_estimate (void)
{
  g_autofree char *estimate = horde_studio_describe_estimate (19);
  g_autofree char *zero = horde_studio_describe_estimate (0);

  g_assert_cmpstr (estimate, ==, "About 18 kudos + 3 tax");
  g_assert_cmpstr (zero, ==, "About 0 kudos + 3 tax");
}

/* the 202's kudos is each image's cost before the Horde's share: the
 * real server answered 6 for one image, then charged 10 */
static void
test_expected_cost (void)
{
  g_autofree char *one = horde_studio_describe_expected_cost (6, 1);
  g_autofree char *two = horde_studio_describe_expected_cost (8, 2);

  g_assert_cmpstr (one, ==, " · about 10\u00a0kudos");
  g_assert_cmpstr (two, ==, " · about 21\u00a0kudos");
  g_assert_null (horde_studio_describe_expected_cost (0, 2));
}

static void
test_cost (void)
{
  g_autofree char *done = horde_studio_describe_cost (21, 3, FALSE, 2, 2);
  g_autofree char *cancelled_empty = horde_studio_describe_cost (3, 3, TRUE, 0, 2);
  g_autofree char *cancelled_some = horde_studio_describe_cost (12, 3, TRUE, 1, 3);
  g_autofree char *cancelled_all = horde_studio_describe_cost (21, 3, TRUE, 2, 2);
  g_autofree char *free_of_charge = horde_studio_describe_cost (0, -1, TRUE, 0, 2);

  g_assert_cmpstr (done, ==, " · cost 21\u00a0kudos");
  assert_contains (cancelled_empty, "cost 3\u00a0kudos");
  assert_contains (cancelled_empty, "tax");
  assert_contains (cancelled_some, "cost 12\u00a0kudos");
  assert_contains (cancelled_some, "3\u00a0are the Horde’s tax");
  g_assert_cmpstr (cancelled_all, ==, " · cost 21\u00a0kudos");
  g_assert_null (free_of_charge);
}

static void
test_warnings (void)
{
  g_autofree char *steps = horde_studio_describe_warning ("StepsTooMany", "The steps specified for this generation are too many for this model.");
  g_autofree char *sampler = horde_studio_describe_warning ("SamplerMismatch", NULL);
  g_autofree char *cfg = horde_studio_describe_warning ("CfgScaleMismatch", NULL);
  g_autofree char *unknown = horde_studio_describe_warning ("SomethingNew", "Something\nnew\x1b[31m happened");
  g_autofree char *nothing = horde_studio_describe_warning (NULL, NULL);

  assert_contains (steps, "fewer steps");
  assert_lacks (steps, "generation");
  assert_contains (sampler, "sampler");
  assert_contains (cfg, "guidance scale");
  /* a code the app does not know: the server's words, made safe */
  g_assert_cmpstr (unknown, ==, "Something new [31m happened");
  g_assert_null (nothing);
}

static void
test_server_text (void)
{
  g_autofree char *hinted = horde_studio_server_text ("User with api_key 'x' not found. You have requested this URI [/api/v2/find_user] but did you mean /api/v2/find_user or /api/v2/users ?");
  g_autofree char *long_text = g_strnfill (5000, 'a');
  g_autofree char *bounded = horde_studio_server_text (long_text);
  g_autofree char *invalid = horde_studio_server_text ("caf\xc3 \xff");
  g_autofree char *blank = horde_studio_server_text (" \n\t");

  g_assert_cmpstr (hinted, ==, "User with api_key 'x' not found.");
  g_assert_cmpuint (g_utf8_strlen (bounded, -1), <=, 401);
  g_assert_true (g_str_has_suffix (bounded, "…"));
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_null (blank);
  g_assert_null (horde_studio_server_text (NULL));
}

/* ---- errors, as a server answers them ------------------------------- */

/* The error of find_user when the server answers with @fault */
static GError *
error_for_fault (HordeTestSim *sim,
                 const char   *fault)
{
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  g_autoptr(HordeFindUserRequest) request = horde_find_user_request_new ();
  g_autoptr(HordeUserDetails) user = NULL;
  GError *error = NULL;

  horde_client_set_max_retries (client, 0);
  horde_test_sim_set_faults (sim, fault);
  user = horde_client_send_find_user_request_sync (client, request, NULL, &error);
  g_assert_null (user);
  g_assert_nonnull (error);
  horde_test_sim_set_faults (sim, NULL);
  return error;
}

/* A wrong key: the real server's 404, with flask-restx's routing hint */
static void
test_user_not_found (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(GError) error = error_for_fault (sim, "status:404@GET /api/v2/find_user,rc=UserNotFound,"
                                                  "message=User with api_key 'abcdefghij' not found. "
                                                  "You have requested this URI [/api/v2/find_user] "
                                                  "but did you mean /api/v2/find_user or /api/v2/users ?");
  g_autofree char *hint = NULL;
  g_autofree char *words = horde_studio_describe_error (error, &hint);

  g_assert_cmpstr (horde_error_get_rc (error), ==, "UserNotFound");
  g_assert_cmpstr (words, ==, "The Horde does not know this API key.");
  assert_contains (hint, "Preferences");
}

static void
test_kudos_upfront (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(GError) error = error_for_fault (sim, "status:403@GET /api/v2/find_user,rc=KudosUpfront,"
                                                  "message=Due to heavy demand the client needs to already have "
                                                  "the required kudos. This request requires 59.56 kudos to fulfil.");
  g_autofree char *hint = NULL;
  g_autofree char *signed_in = horde_studio_describe_error_for (error, TRUE, &hint);
  g_autofree char *anonymous = horde_studio_describe_error_for (error, FALSE, NULL);

  /* signed in with 0 kudos: the server's figure, no "get an account" */
  assert_contains (signed_in, "needs 59.56 kudos upfront");
  assert_lacks (signed_in, "account that has kudos");
  assert_contains (hint, "fewer steps");
  assert_lacks (hint, "API key");
  /* anonymous: an account is what helps */
  assert_contains (anonymous, "needs 59.56 kudos upfront");
  assert_contains (anonymous, "account that has kudos");
}

/* The figure is read only when it is a plain, sane number */
static void
test_kudos_upfront_bounded (void)
{
  static const char *messages[] = {
    "This request requires 1e308 kudos to fulfil.",
    "This request requires 99999999999999999999999 kudos to fulfil.",
    "This request requires -5 kudos to fulfil.",
    "This request requires nan kudos to fulfil.",
    "This request requires 12 apples to fulfil.",
    "This request requires",
  };
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *fault = g_strdup_printf ("status:403@GET /api/v2/find_user,rc=KudosUpfront,message=%s", messages[i]);
      g_autoptr(GError) error = error_for_fault (sim, fault);
      g_autofree char *words = horde_studio_describe_error_for (error, TRUE, NULL);

      g_assert_cmpstr (words, ==, "This request needs kudos upfront, more than your account has now.");
    }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/messages/wait", test_wait);
  g_test_add_func ("/app/messages/queue", test_queue);
  g_test_add_func ("/app/messages/estimate", test_estimate);
  g_test_add_func ("/app/messages/expected-cost", test_expected_cost);
  g_test_add_func ("/app/messages/cost", test_cost);
  g_test_add_func ("/app/messages/warnings", test_warnings);
  g_test_add_func ("/app/messages/server-text", test_server_text);
  g_test_add_func ("/app/messages/user-not-found", test_user_not_found);
  g_test_add_func ("/app/messages/kudos-upfront", test_kudos_upfront);
  g_test_add_func ("/app/messages/kudos-upfront-bounded", test_kudos_upfront_bounded);

  return g_test_run ();
}

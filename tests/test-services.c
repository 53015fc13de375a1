/* test-services.c: each operation goes to its service's base URL
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libhorde talks to two services: the AI Horde (base-url) and the AI Horde
 * Ratings API (ratings-base-url). A SoupServer on 127.0.0.1 (port 0), in a
 * thread of this process, stands for both under two prefixes and records
 * the path and key of each request; the test reads them only after the call
 * has returned.
 */

#include "config.h"

#include <libhorde.h>
#include <libsoup/soup.h>

#include "horde-test-server.h"

#define KEY "0123456789abcdefghijkl"

typedef struct {
  HordeTestServer *server;
  char *root;              /* http://127.0.0.1:PORT, no slash */
  GPtrArray *paths;        /* of each request, in order */
  GPtrArray *keys;         /* the apikey header of each, "" for none */
} Fixture;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "apikey");
  const char *answer = "{}";

  g_ptr_array_add (f->paths, g_strdup (path));
  g_ptr_array_add (f->keys, g_strdup (key ? key : ""));

  if (g_str_equal (path, "/ratings/api/v1/user/check/1234"))
    answer = "{\"ratings_in_timeframe\": 183, \"ratings_per_minute_in_timeframe\": 1.525, "
             "\"ratings_past_three_hours\": 183, \"ratings_per_minute_for_past_three_hours\": 1.0166666666666666, "
             "\"suspect_divergences\": 11, \"captchas_failed\": 0}";
  else if (g_str_equal (path, "/horde/api/v2/find_user"))
    answer = "{\"username\": \"db0#1\", \"id\": 1}";
  /* the real server's answers (5.1.5), where the spec says otherwise */
  else if (g_str_equal (path, "/horde/api/v2/status/heartbeat"))
    answer = "{\"message\": \"OK\", \"version\": \"5.1.5\", \"queue\": 0, \"threads\": 8, "
             "\"active_count\": 1, \"db_connection\": true}";
  else if (g_str_equal (path, "/horde/api/v2/filters/7"))
    answer = "{\"id\": \"7\", \"regex\": \"badword\", \"filter_type\": 10, "
             "\"description\": \"a test\", \"replacement\": \"\", \"user\": \"mod#1\"}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *url;

  f->paths = g_ptr_array_new_with_free_func (g_free);
  f->keys = g_ptr_array_new_with_free_func (g_free);
  f->server = horde_test_server_start (handler, f);
  url = horde_test_server_get_url (f->server);
  f->root = g_strndup (url, strlen (url) - 1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  horde_test_server_stop (f->server);
  g_free (f->root);
  g_ptr_array_unref (f->paths);
  g_ptr_array_unref (f->keys);
}

static HordeClient *
client_for (Fixture *f)
{
  HordeClient *client = horde_client_new ();
  g_autofree char *horde = g_strconcat (f->root, "/horde/api", NULL);
  g_autofree char *ratings = g_strconcat (f->root, "/ratings/api/", NULL);

  horde_client_set_base_url (client, horde);
  horde_client_set_ratings_base_url (client, ratings);
  horde_client_set_api_key (client, KEY);
  horde_client_set_max_retries (client, 0);
  horde_client_set_pace_requests (client, FALSE);
  return client;
}

static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(HordeClient) client = client_for (f);
  g_autoptr(HordeUserCheckRequestBuilder) builder = horde_user_check_request_builder_new ();
  g_autoptr(HordeUserCheckRequest) check = NULL;
  g_autoptr(HordeUserCheckResponse) stats = NULL;
  g_autoptr(HordeFindUserRequest) find = horde_find_user_request_new ();
  g_autoptr(HordeUserDetails) user = NULL;
  g_autoptr(GError) error = NULL;

  /* the trailing slash is dropped, as for base-url */
  g_assert_true (g_str_has_suffix (horde_client_get_ratings_base_url (client), "/ratings/api"));

  horde_user_check_request_builder_set_user_id (builder, "1234");
  horde_user_check_request_builder_set_minutes (builder, 120);
  check = horde_user_check_request_builder_end (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_operation_get_service (horde_user_check_request_get_operation (check)),
                   ==, HORDE_SERVICE_RATINGS);

  /* a Ratings API call goes to ratings-base-url, with the client's key… */
  stats = horde_client_send_user_check_request_sync (client, check, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpint (horde_user_check_response_get_suspect_divergences (stats), ==, 11);
  g_assert_cmpfloat (horde_user_check_response_get_ratings_per_minute_in_timeframe (stats), ==, 1.525);

  /* …and an AI Horde call to base-url */
  user = horde_client_send_find_user_request_sync (client, find, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_user_details_get_username (user), ==, "db0#1");

  g_assert_cmpuint (f->paths->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->paths, 0), ==, "/ratings/api/v1/user/check/1234");
  g_assert_cmpstr (g_ptr_array_index (f->keys, 0), ==, KEY);
  g_assert_cmpstr (g_ptr_array_index (f->paths, 1), ==, "/horde/api/v2/find_user");
  g_assert_cmpstr (g_ptr_array_index (f->keys, 1), ==, KEY);
}

static void
test_insecure_ratings_key (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(HordeClient) client = client_for (f);
  g_autoptr(HordeRatingsDatasetsRequest) request = horde_ratings_datasets_request_new ();
  g_autoptr(HordeRatingsDatasetList) datasets = NULL;
  g_autoptr(GError) error = NULL;

  /* the key's rules hold for the Ratings API's own base URL: not in clear
   * text off this machine (TEST-NET-1, never reached: the refusal comes
   * first), though the AI Horde's base URL is loopback */
  horde_client_set_ratings_base_url (client, "http://192.0.2.1:9/api");
  datasets = horde_client_send_ratings_datasets_request_sync (client, request, NULL, &error);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INSECURE);
  g_assert_null (datasets);
  g_assert_null (strstr (error->message, KEY));
  g_assert_cmpuint (f->paths->len, ==, 0);
}

/* Answers the spec gets wrong, typed as the server sends them: the
 * heartbeat (no schema in the spec) and one filter (a list in the spec). */
static void
test_server_answers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeClient) client = client_for (f);
  g_autoptr(HordeHeartbeatRequest) heartbeat_request = horde_heartbeat_request_new ();
  g_autoptr(HordeHeartbeat) heartbeat = NULL;
  g_autoptr(HordeSingleFilterRequestBuilder) builder = horde_single_filter_request_builder_new ();
  g_autoptr(HordeSingleFilterRequest) filter_request = NULL;
  g_autoptr(HordeFilterDetails) filter = NULL;
  g_auto(GValue) request_value = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  heartbeat = horde_client_send_heartbeat_request_sync (client, heartbeat_request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_heartbeat_get_message (heartbeat), ==, "OK");
  g_assert_cmpstr (horde_heartbeat_get_version (heartbeat), ==, "5.1.5");
  g_assert_cmpint (horde_heartbeat_get_threads (heartbeat), ==, 8);
  g_assert_cmpint (horde_heartbeat_get_active_count (heartbeat), ==, 1);
  g_assert_true (horde_heartbeat_has_queue (heartbeat));
  g_assert_cmpint (horde_heartbeat_get_queue (heartbeat), ==, 0);
  g_assert_true (horde_heartbeat_get_db_connection (heartbeat));
  g_assert_null (horde_heartbeat_get_extra_fields (heartbeat));

  horde_single_filter_request_builder_set_filter_id (builder, "7");
  horde_single_filter_request_builder_set_apikey (builder, KEY);
  filter_request = horde_single_filter_request_builder_end (builder, &error);
  g_assert_no_error (error);
  filter = horde_client_send_single_filter_request_sync (client, filter_request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_filter_details_get_id (filter), ==, "7");
  g_assert_cmpstr (horde_filter_details_get_regex (filter), ==, "badword");
  g_assert_cmpint (horde_filter_details_get_filter_type (filter), ==, 10);
  g_assert_cmpstr (horde_filter_details_get_user (filter), ==, "mod#1");

  /* the manual call gives the same type */
  g_value_init (&request_value, HORDE_TYPE_SINGLE_FILTER_REQUEST);
  g_value_set_boxed (&request_value, filter_request);
  g_assert_true (horde_client_send_sync (client, &request_value, &response, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_HOLDS (&response, HORDE_TYPE_FILTER_DETAILS));
  g_assert_true (horde_filter_details_equal (g_value_get_boxed (&response), filter));

  g_assert_cmpuint (f->paths->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->paths, 0), ==, "/horde/api/v2/status/heartbeat");
  g_assert_cmpstr (g_ptr_array_index (f->paths, 1), ==, "/horde/api/v2/filters/7");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_environment (void)
{
  g_autoptr(HordeClient) client = NULL;
  guint notified = 0;

  /* tests/meson.build points it nowhere routable */
  g_assert_cmpstr (g_getenv ("AI_HORDE_RATINGS_URL"), !=, NULL);

  g_setenv ("AI_HORDE_URL", "http://127.0.0.1:1/api", TRUE);
  g_setenv ("AI_HORDE_RATINGS_URL", "http://127.0.0.1:2/api/", TRUE);
  client = horde_client_new ();
  g_assert_cmpstr (horde_client_get_base_url (client), ==, "http://127.0.0.1:1/api");
  g_assert_cmpstr (horde_client_get_ratings_base_url (client), ==, "http://127.0.0.1:2/api");

  /* the caller's choice wins, and NULL goes back to the environment; the
   * property notifies only changes */
  g_signal_connect (client, "notify::ratings-base-url", G_CALLBACK (count_notify), &notified);
  g_object_set (client, "ratings-base-url", "https://ratings.example.invalid/api", NULL);
  g_assert_cmpstr (horde_client_get_ratings_base_url (client), ==, "https://ratings.example.invalid/api");
  g_assert_cmpstr (horde_client_get_base_url (client), ==, "http://127.0.0.1:1/api");
  horde_client_set_ratings_base_url (client, "https://ratings.example.invalid/api");
  g_assert_cmpuint (notified, ==, 1);
  horde_client_set_ratings_base_url (client, NULL);
  g_assert_cmpstr (horde_client_get_ratings_base_url (client), ==, "http://127.0.0.1:2/api");
  g_assert_cmpuint (notified, ==, 2);

  /* unset, the public Ratings API */
  g_unsetenv ("AI_HORDE_RATINGS_URL");
  horde_client_set_ratings_base_url (client, NULL);
  g_assert_cmpstr (horde_client_get_ratings_base_url (client), ==, HORDE_DEFAULT_RATINGS_BASE_URL);
  g_assert_cmpstr (HORDE_DEFAULT_RATINGS_BASE_URL, ==, "https://ratings.aihorde.net/api");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/services/routing", Fixture, NULL, fixture_set_up, test_routing, fixture_tear_down);
  g_test_add ("/services/insecure-ratings-key", Fixture, NULL, fixture_set_up, test_insecure_ratings_key,
              fixture_tear_down);
  g_test_add ("/services/server-answers", Fixture, NULL, fixture_set_up, test_server_answers, fixture_tear_down);
  g_test_add_func ("/services/environment", test_environment);

  return g_test_run ();
}

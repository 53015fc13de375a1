/* test-client.c: HordeClient's manual call against horde-sim over loopback
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>

#include "horde-test-sim.h"

static HordeClient *
client_for (HordeTestSim *sim)
{
  HordeClient *client = horde_client_new ();

  horde_client_set_base_url (client, horde_test_sim_get_url (sim));
  horde_client_set_client_agent (client, "libhorde-tests:1:https://example.invalid");
  return client;
}

/* horde_sdk's getting-started request */
static HordeImageGenerateAsyncRequest *
cat_in_a_hat (gboolean r2)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) params = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelGenerationInputStable) built = NULL;
  g_autoptr(GError) error = NULL;
  const char *models[] = { "Deliberate", NULL };
  HordeImageGenerateAsyncRequest *request;

  horde_model_generation_input_stable_builder_set_width (params, 512);
  horde_model_generation_input_stable_builder_set_height (params, 768);
  horde_model_generation_input_stable_builder_set_sampler_name (params, "k_euler_a");
  horde_model_generation_input_stable_builder_set_clip_skip (params, 1);
  horde_model_generation_input_stable_builder_set_n (params, 2);
  built = horde_model_generation_input_stable_builder_end (params, &error);
  g_assert_no_error (error);

  horde_image_generate_async_request_builder_set_prompt (builder, "A cat in a hat");
  horde_image_generate_async_request_builder_set_models (builder, models);
  horde_image_generate_async_request_builder_set_params (builder, built);
  horde_image_generate_async_request_builder_set_r2 (builder, r2);
  request = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);

  return request;
}

static gboolean
send_request (HordeClient  *client,
              gpointer      request,
              GType         type,
              GValue       *response,
              GError      **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, type);
  g_value_set_boxed (&value, request);
  return horde_client_send_sync (client, &value, response, NULL, error);
}

static gboolean
find_user (HordeClient  *client,
           GError      **error)
{
  g_autoptr(HordeFindUserRequest) request = horde_find_user_request_new ();
  g_auto(GValue) response = G_VALUE_INIT;

  if (!send_request (client, request, HORDE_TYPE_FIND_USER_REQUEST, &response, error))
    return FALSE;

  g_assert_true (G_VALUE_HOLDS (&response, HORDE_TYPE_USER_DETAILS));
  return TRUE;
}

static void
test_manual_call (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = cat_in_a_hat (FALSE);
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GType expected = horde_image_generate_async_request_get_success_response_type (request);
  HordeRequestAsync *answer;

  /* the response type is known before sending, as in horde_sdk */
  g_assert_true (expected == HORDE_TYPE_REQUEST_ASYNC);

  g_assert_true (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_TYPE (&response) == expected);

  answer = g_value_get_boxed (&response);
  g_assert_nonnull (horde_request_async_get_id (answer));
  g_assert_cmpfloat (horde_request_async_get_kudos (answer), >, 0);

  /* the operation a path names, and the answer it expects */
  {
    const HordeOperation *op = horde_operation_lookup ("GET", "/v2/generate/check/{id}");
    g_autoptr(HordeImageGenerateCheckRequest) check = horde_image_generate_check_request_new (horde_request_async_get_id (answer));
    g_auto(GValue) status = G_VALUE_INIT;

    g_assert_true (send_request (client, check, horde_operation_get_request_type (op), &status, &error));
    g_assert_no_error (error);
    g_assert_true (G_VALUE_HOLDS (&status, horde_operation_get_success_response_type (op)));
    g_assert_false (horde_request_status_check_get_faulted (g_value_get_boxed (&status)));
  }
}

typedef struct {
  gboolean done;
  gboolean ok;
  GValue value;
  GError *error;
} AsyncCall;

static void
send_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncCall *call = user_data;

  call->ok = horde_client_send_finish (HORDE_CLIENT (object), result, &call->value, &call->error);
  call->done = TRUE;
}

static void
test_manual_call_async (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeStatusModelsAllRequest) request = horde_status_models_all_request_new ();
  g_auto(GValue) value = G_VALUE_INIT;
  AsyncCall call = { 0 };
  HordeActiveModelList *models;
  gboolean deliberate = FALSE;

  g_value_init (&value, HORDE_TYPE_STATUS_MODELS_ALL_REQUEST);
  g_value_set_boxed (&value, request);
  horde_client_send_async (client, &value, NULL, send_done, &call);
  g_assert_true (horde_test_wait_for (&call.done, 10));
  g_assert_no_error (call.error);
  g_assert_true (call.ok);

  models = g_value_get_boxed (&call.value);
  for (gsize i = 0; i < horde_active_model_list_get_n_items (models); i++)
    if (g_strcmp0 (horde_active_model_get_name (horde_active_model_list_get_item (models, i)), "Deliberate") == 0)
      deliberate = TRUE;
  g_assert_true (deliberate);
  g_value_unset (&call.value);

  /* a value that is not a request is refused */
  {
    g_auto(GValue) other = G_VALUE_INIT;
    AsyncCall bad = { 0 };

    g_value_init (&other, G_TYPE_STRING);
    g_value_set_static_string (&other, "GET /v2/find_user");
    horde_client_send_async (client, &other, NULL, send_done, &bad);
    g_assert_true (horde_test_wait_for (&bad.done, 5));
    g_assert_error (bad.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&bad.error);
  }
}

static void
test_validation_before_sending (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* parsed, not built: the client still checks it, and sends nothing */
  request = horde_image_generate_async_request_new_from_json ("{\"prompt\": \"x\", \"params\": {\"width\": 500}}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_false (horde_error_is_transient (error));
  g_assert_nonnull (g_hash_table_lookup (horde_error_get_field_errors (error), "params.width"));
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 0);
}

static void
test_server_validation_errors (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GHashTable *fields;

  /* a width of the wrong type is kept aside by the parser, not checked by
   * the client: the server's schema validation answers 400 with field errors */
  request = horde_image_generate_async_request_new_from_json ("{\"prompt\": \"x\", \"params\": {\"width\": \"wide\"}}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_cmpuint (horde_error_get_status (error), ==, 400);
  fields = horde_error_get_field_errors (error);
  g_assert_nonnull (fields);
  g_assert_nonnull (g_hash_table_lookup (fields, "params.width"));
  g_assert_nonnull (strstr (error->message, "params.width"));
  g_clear_error (&error);

  /* a member this version does not know goes to the server as it came */
  {
    g_autoptr(HordeImageGenerateAsyncRequest) empty =
      horde_image_generate_async_request_new_from_json ("{\"prompt\": \"x\", \"params\": {\"steps\": 30}, \"models\": [\"Deliberate\"], \"extra\": 1}", -1, NULL);
    g_auto(GValue) ok = G_VALUE_INIT;

    g_assert_true (send_request (client, empty, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &ok, &error));
    g_assert_no_error (error);
  }
}

static void
test_unauthorized (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = cat_in_a_hat (FALSE);
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  horde_client_set_api_key (client, "abcdefghijklmnopqrstuv");
  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_UNAUTHORIZED);
  g_assert_false (horde_error_is_transient (error));
  g_assert_cmpuint (horde_error_get_status (error), ==, 401);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "InvalidAPIKey");
  g_assert_cmpint (horde_error_get_rc_enum (error), ==, HORDE_RC_INVALID_API_KEY);
  g_assert_nonnull (horde_error_get_server_message (error));
  g_assert_nonnull (strstr (error->message, "InvalidAPIKey"));
  /* the key is never in a message of ours */
  g_assert_null (strstr (error->message, "abcdefghijklmnopqrstuv"));
  g_clear_error (&error);

  /* find_user answers an unknown key with 404, as the real server does */
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "UserNotFound");
  g_assert_cmpint (horde_error_get_rc_enum (error), ==, HORDE_RC_USER_NOT_FOUND);
}

static void
test_kudos_upfront (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* anonymous, 100 steps: the Horde wants the kudos upfront */
  request = horde_image_generate_async_request_new_from_json (
    "{\"prompt\": \"a castle\", \"params\": {\"steps\": 100, \"width\": 1024, \"height\": 1024}}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_false (horde_error_is_transient (error));
  g_assert_cmpuint (horde_error_get_status (error), ==, 403);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "KudosUpfront");
  g_assert_cmpint (horde_error_get_rc_enum (error), ==, HORDE_RC_KUDOS_UPFRONT);
  /* refused before acting: not sent twice */
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 1);
}

static void
test_not_found (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateCheckRequest) request = horde_image_generate_check_request_new ("00000000-0000-0000-0000-000000000000");
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_CHECK_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
  g_assert_false (horde_error_is_transient (error));
  g_assert_cmpstr (horde_error_get_rc (error), ==, "RequestNotFound");
  g_assert_cmpint (horde_error_get_rc_enum (error), ==, HORDE_RC_REQUEST_NOT_FOUND);
}

static void
test_expired (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--expiry", "1", "--workers", "0", NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = cat_in_a_hat (FALSE);
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  const char *id;

  g_assert_true (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  id = horde_request_async_get_id (g_value_get_boxed (&response));

  /* nobody polls it for longer than the server keeps requests: like the
   * real server, the simulator forgets it */
  g_usleep (2500 * G_TIME_SPAN_MILLISECOND);
  {
    g_autoptr(HordeImageGenerateStatusRequest) status = horde_image_generate_status_request_new (id);
    g_auto(GValue) answer = G_VALUE_INIT;

    g_assert_false (send_request (client, status, HORDE_TYPE_IMAGE_GENERATE_STATUS_REQUEST, &answer, &error));
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND);
    g_clear_error (&error);

    /* and where a server says 410 Gone, the request expired */
    horde_test_sim_set_faults (sim, "status:410,rc=RequestExpired,message=This request has expired");
    g_assert_false (send_request (client, status, HORDE_TYPE_IMAGE_GENERATE_STATUS_REQUEST, &answer, &error));
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_EXPIRED);
    g_assert_cmpuint (horde_error_get_status (error), ==, 410);
    g_assert_cmpstr (horde_error_get_rc (error), ==, "RequestExpired");
    g_assert_cmpstr (horde_error_get_server_message (error), ==, "This request has expired");
  }
}

static void
test_rate_limited_then_success (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(GError) error = NULL;
  gint64 start;

  horde_test_sim_set_faults (sim, "status:429@GET /api/v2/find_user,count=1,retry_after=1");

  start = g_get_monotonic_time ();
  g_assert_true (find_user (client, &error));
  g_assert_no_error (error);
  /* it waited as long as Retry-After asked */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/find_user"), ==, 2);
}

static void
test_unavailable_then_success (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = cat_in_a_hat (FALSE);
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* 503 means the server did not act: even a POST is safe to send again */
  horde_test_sim_set_faults (sim, "status:503@POST /api/v2/generate/async,count=2");
  g_assert_true (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 3);

  /* and it gives up after max-retries */
  horde_client_set_max_retries (client, 1);
  horde_test_sim_set_faults (sim, "status:503@GET /api/v2/find_user");
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
  g_assert_true (horde_error_is_transient (error));
  g_assert_cmpuint (horde_error_get_status (error), ==, 503);
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/find_user"), ==, 2);
}

static void
test_not_resent_when_maybe_accepted (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeImageGenerateAsyncRequest) request = cat_in_a_hat (FALSE);
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* a gateway error after a POST: the server may have queued it, so a
   * second POST could make the images twice */
  horde_test_sim_set_faults (sim, "html:502@POST /api/v2/generate/async,count=1");
  g_assert_false (send_request (client, request, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST, &response, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/generate/async"), ==, 1);
  g_clear_error (&error);

  /* while a GET is simply asked again */
  horde_test_sim_set_faults (sim, "html:502@GET /api/v2/find_user,count=1");
  g_assert_true (find_user (client, &error));
  g_assert_no_error (error);
}

static void
test_html_500 (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(GError) error = NULL;

  horde_test_sim_set_faults (sim, "html:500@GET /api/v2/find_user");
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
  g_assert_cmpuint (horde_error_get_status (error), ==, 500);
  g_assert_null (horde_error_get_rc (error));
  g_assert_cmpint (horde_error_get_rc_enum (error), ==, HORDE_RC_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "500"));
  /* a 500 is not retried: it is the server's bug, not a passing state */
  g_assert_cmpint (horde_test_sim_count (sim, "GET /api/v2/find_user"), ==, 1);
}

static void
test_malformed_json (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(GError) error = NULL;

  horde_test_sim_set_faults (sim, "malformed@GET /api/v2/find_user,count=1");
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  horde_test_sim_set_faults (sim, "truncate@GET /api/v2/find_user,count=1");
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* and the next answer is fine again */
  g_assert_true (find_user (client, &error));
  g_assert_no_error (error);
}

static void
test_connection_refused (void)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* a port that was free a moment ago and has nobody listening */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/api", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  horde_client_set_base_url (client, url);
  horde_client_set_max_retries (client, 1);
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_NETWORK);
  g_assert_true (horde_error_is_transient (error));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_timeout (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(GError) error = NULL;
  gint64 start;

  horde_test_sim_set_faults (sim, "stall@GET /api/v2/find_user");
  horde_client_set_timeout (client, 1);
  horde_client_set_max_retries (client, 0);

  start = g_get_monotonic_time ();
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_assert_true (horde_error_is_transient (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_cancel_call (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = client_for (sim);
  g_autoptr(HordeFindUserRequest) request = horde_find_user_request_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GValue) value = G_VALUE_INIT;
  AsyncCall call = { 0 };

  horde_test_sim_set_faults (sim, "stall@GET /api/v2/find_user");
  g_value_init (&value, HORDE_TYPE_FIND_USER_REQUEST);
  g_value_set_boxed (&value, request);
  horde_client_send_async (client, &value, cancellable, send_done, &call);
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_true (horde_test_wait_for (&call.done, 5));
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&call.error);
}

static void
test_insecure_key (void)
{
  g_autoptr(HordeClient) client = horde_client_new ();
  g_autoptr(GError) error = NULL;

  /* a real key is not sent in clear text to a host off this machine; the
   * address is never reached (TEST-NET-1 and the refusal comes first) */
  horde_client_set_base_url (client, "http://192.0.2.1:9/api");
  horde_client_set_api_key (client, "abcdefghijklmnopqrstuv");
  g_assert_false (find_user (client, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INSECURE);
  g_assert_null (strstr (error->message, "abcdefghijklmnopqrstuv"));
}

static void
test_environment (void)
{
  g_autoptr(HordeClient) client = NULL;

  g_setenv ("AI_HORDE_URL", "http://127.0.0.1:1/api/", TRUE);
  g_setenv ("AI_HORDE_API_KEY", "abcdefghijklmnopqrstuv", TRUE);
  client = horde_client_new ();
  g_assert_cmpstr (horde_client_get_base_url (client), ==, "http://127.0.0.1:1/api");
  g_assert_cmpstr (horde_client_get_api_key (client), ==, "abcdefghijklmnopqrstuv");

  /* the caller's choice wins, and NULL goes back to the environment */
  horde_client_set_base_url (client, "https://example.invalid/api");
  g_assert_cmpstr (horde_client_get_base_url (client), ==, "https://example.invalid/api");
  horde_client_set_base_url (client, NULL);
  g_assert_cmpstr (horde_client_get_base_url (client), ==, "http://127.0.0.1:1/api");

  g_unsetenv ("AI_HORDE_URL");
  g_unsetenv ("AI_HORDE_API_KEY");
  horde_client_set_base_url (client, NULL);
  horde_client_set_api_key (client, NULL);
  g_assert_cmpstr (horde_client_get_base_url (client), ==, HORDE_DEFAULT_BASE_URL);
  g_assert_cmpstr (horde_client_get_api_key (client), ==, HORDE_ANONYMOUS_API_KEY);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/manual-call", test_manual_call);
  g_test_add_func ("/client/manual-call-async", test_manual_call_async);
  g_test_add_func ("/client/validation-before-sending", test_validation_before_sending);
  g_test_add_func ("/client/server-validation-errors", test_server_validation_errors);
  g_test_add_func ("/client/unauthorized", test_unauthorized);
  g_test_add_func ("/client/kudos-upfront", test_kudos_upfront);
  g_test_add_func ("/client/not-found", test_not_found);
  g_test_add_func ("/client/expired", test_expired);
  g_test_add_func ("/client/rate-limited-then-success", test_rate_limited_then_success);
  g_test_add_func ("/client/unavailable-then-success", test_unavailable_then_success);
  g_test_add_func ("/client/not-resent-when-maybe-accepted", test_not_resent_when_maybe_accepted);
  g_test_add_func ("/client/html-500", test_html_500);
  g_test_add_func ("/client/malformed-json", test_malformed_json);
  g_test_add_func ("/client/connection-refused", test_connection_refused);
  g_test_add_func ("/client/timeout", test_timeout);
  g_test_add_func ("/client/cancel-call", test_cancel_call);
  g_test_add_func ("/client/insecure-key", test_insecure_key);
  g_test_add_func ("/client/environment", test_environment);

  return g_test_run ();
}

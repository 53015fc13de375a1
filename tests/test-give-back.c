/* test-give-back.c: a worker gives back the jobs it popped and cannot
 * finish (horde_client_give_back_*()), against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The simulator runs no worker of its own: the test requests generations
 * as a user, pops them as an external worker with a registered key, gives
 * them back, and checks what the server did with them: faulted submits
 * seen, the generations waiting again and popped by the next worker.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libhorde.h>

#include "horde-test-sim.h"

#define WORKER_KEY "worker-key-001"
#define USERS "[{\"key\": \"" WORKER_KEY "\", \"username\": \"wowner\", \"kudos\": 10, \"trusted\": true, \"id\": 6}]"

typedef struct {
  char *users;
  HordeTestSim *sim;
  HordeClient *requester;   /* anonymous */
  HordeClient *worker;      /* the worker's owner's key */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->users = horde_test_write_users (USERS);

  /* the test worker's bridge agent is one the sim gives r2 requests to;
   * /check is read right after each pop and give-back: no 1 s cache */
  f->sim = horde_test_sim_start ("--workers", "0", "--text-workers", "0", "--alchemy-workers", "0",
                                 "--users", f->users, "--r2-bridge-agent", "test-give-back",
                                 "--check-cache", "0", NULL);
  f->requester = horde_test_sim_new_client (f->sim);
  horde_client_set_api_key (f->requester, HORDE_ANONYMOUS_API_KEY);
  f->worker = horde_test_sim_new_client (f->sim);
  horde_client_set_api_key (f->worker, WORKER_KEY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->requester);
  g_clear_object (&f->worker);
  horde_test_sim_stop (f->sim);
  g_unlink (f->users);
  g_free (f->users);
}

/* A request on the server: its id */
static char *
request (Fixture    *f,
         const char *path,
         const char *body)
{
  g_auto(GValue) answer = G_VALUE_INIT;

  horde_test_send_op (f->requester, "POST", path, body, NULL, &answer);
  return g_strdup (horde_request_async_get_id (g_value_get_boxed (&answer)));
}

/* What GET @path says of request @id, as JSON */
static JsonObject *
status_of (Fixture    *f,
           const char *path,
           const char *id)
{
  g_auto(GValue) answer = G_VALUE_INIT;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  horde_test_send_op (f->requester, "GET", path, NULL, id, &answer);
  text = horde_value_to_json (&answer);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* The sim's count of @what for its external @kind workers */
static gint64
external (Fixture    *f,
          const char *kind,
          const char *what)
{
  g_autoptr(JsonNode) stats = horde_test_sim_stats (f->sim);
  JsonObject *workers = json_object_get_object_member (json_node_get_object (stats), "external_workers");

  return json_object_get_int_member (json_object_get_object_member (workers, kind), what);
}

static HordeGenerationPayloadStable *
pop_images (Fixture *f,
            guint    amount)
{
  g_autofree char *body = g_strdup_printf ("{\"name\": \"giver\", \"models\": [\"stable_diffusion\"],"
                                           " \"max_pixels\": 1048576, \"amount\": %u,"
                                           " \"bridge_agent\": \"test-give-back:1:local\"}", amount);
  g_auto(GValue) answer = G_VALUE_INIT;

  horde_test_send_op (f->worker, "POST", "/v2/generate/pop", body, NULL, &answer);
  return g_value_dup_boxed (&answer);
}

static void
test_image (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/generate/async",
                                 "{\"prompt\": \"a lighthouse\", \"models\": [\"stable_diffusion\"],"
                                 " \"params\": {\"n\": 2, \"seed\": \"4242\", \"width\": 512, \"height\": 512}}");
  g_autoptr(HordeGenerationPayloadStable) job = pop_images (f, 2);
  g_autoptr(HordeGenerationPayloadStable) again = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;

  /* a batch: two generations, both held by this worker */
  g_assert_cmpuint (g_strv_length ((GStrv) horde_generation_payload_stable_get_ids (job)), ==, 2);
  status = status_of (f, "/v2/generate/check/{id}", id);
  g_assert_cmpint (json_object_get_int_member (status, "processing"), ==, 2);
  g_clear_pointer (&status, json_object_unref);

  g_assert_true (horde_client_give_back_image_job_sync (f->worker, job, NULL, &error));
  g_assert_no_error (error);

  /* each generation submitted as faulted, and waiting again */
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/submit"), ==, 2);
  g_assert_cmpint (external (f, "image", "faulted"), ==, 2);
  g_assert_cmpint (external (f, "image", "rejected"), ==, 0);
  status = status_of (f, "/v2/generate/check/{id}", id);
  g_assert_cmpint (json_object_get_int_member (status, "processing"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "waiting"), ==, 2);
  g_assert_false (json_object_get_boolean_member (status, "done"));

  /* the next worker gets them */
  again = pop_images (f, 2);
  g_assert_cmpuint (g_strv_length ((GStrv) horde_generation_payload_stable_get_ids (again)), ==, 2);
}

typedef struct {
  gboolean done;
  gboolean given_back;
  GError *error;
} Wait;

static void
given_back_image (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Wait *wait = user_data;

  wait->given_back = horde_client_give_back_image_job_finish (HORDE_CLIENT (source), result, &wait->error);
  wait->done = TRUE;
}

static void
test_image_partly_submitted (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/generate/async",
                                 "{\"prompt\": \"two boats\", \"models\": [\"stable_diffusion\"],"
                                 " \"params\": {\"n\": 2, \"width\": 512, \"height\": 512}}");
  g_autoptr(HordeGenerationPayloadStable) job = pop_images (f, 2);
  const char * const *ids = horde_generation_payload_stable_get_ids (job);
  g_autofree char *submit = NULL;
  g_auto(GValue) answer = G_VALUE_INIT;
  Wait wait = { 0 };

  /* the first image made it (as a base64 WebP would; the sim takes text) */
  submit = g_strdup_printf ("{\"id\": \"%s\", \"generation\": \"UklGRg==\", \"state\": \"%s\", \"seed\": 1}",
                            ids[0], HORDE_GENERATION_STATE_OK);
  horde_test_send_op (f->worker, "POST", "/v2/generate/submit", submit, NULL, &answer);

  /* giving back the whole job: the second is taken back, the first is
   * refused as already submitted, and that refusal is the error */
  horde_client_give_back_image_job_async (f->worker, job, NULL, given_back_image, &wait);
  g_assert_true (horde_test_wait_for (&wait.done, 20));
  g_assert_false (wait.given_back);
  g_assert_error (wait.error, HORDE_ERROR, HORDE_ERROR_BAD_REQUEST);
  g_assert_cmpstr (horde_error_get_rc (wait.error), ==, "DuplicateGen");
  g_clear_error (&wait.error);

  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/submit"), ==, 3);
  g_assert_cmpint (external (f, "image", "faulted"), ==, 1);
  g_assert_cmpint (external (f, "image", "submits"), ==, 1);
}

static void
test_empty_pop (Fixture       *f,
                gconstpointer  data)
{
  /* nothing to do on the server: a pop without a job */
  g_autoptr(HordeGenerationPayloadStable) job = pop_images (f, 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (horde_generation_payload_stable_get_id (job));
  g_assert_true (horde_client_give_back_image_job_sync (f->worker, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/submit"), ==, 0);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/generate/async",
                                 "{\"prompt\": \"a lighthouse\", \"models\": [\"stable_diffusion\"]}");
  g_autoptr(HordeGenerationPayloadStable) job = pop_images (f, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (horde_client_give_back_image_job_sync (f->worker, job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (external (f, "image", "faulted"), ==, 0);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/generate/async",
                                 "{\"prompt\": \"a lighthouse\", \"models\": [\"stable_diffusion\"]}");
  g_autoptr(HordeGenerationPayloadStable) job = pop_images (f, 1);
  g_autoptr(GError) error = NULL;

  /* only the worker's owner may give it back */
  g_assert_false (horde_client_give_back_image_job_sync (f->requester, job, NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN);
  g_assert_cmpstr (horde_error_get_rc (error), ==, "WrongCredentials");
  g_assert_cmpint (external (f, "image", "faulted"), ==, 0);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/generate/text/async",
                                 "{\"prompt\": \"Once upon a time\", \"params\": {\"max_length\": 16}}");
  g_auto(GValue) answer = G_VALUE_INIT;
  HordeGenerationPayloadKobold *job;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;

  horde_test_send_op (f->worker, "POST", "/v2/generate/text/pop",
        "{\"name\": \"scribe\", \"models\": [\"koboldcpp/LLaMA2-13B-Psyfighter2\"], \"max_length\": 512,"
        " \"max_context_length\": 4096, \"bridge_agent\": \"test-give-back:1:local\"}", NULL, &answer);
  job = g_value_get_boxed (&answer);
  g_assert_nonnull (horde_generation_payload_kobold_get_id (job));

  g_assert_true (horde_client_give_back_text_job_sync (f->worker, job, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/generate/text/submit"), ==, 1);
  g_assert_cmpint (external (f, "text", "faulted"), ==, 1);
  status = status_of (f, "/v2/generate/text/status/{id}", id);
  g_assert_cmpint (json_object_get_int_member (status, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "processing"), ==, 0);
}

static void
test_alchemy (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = request (f, "/v2/interrogate/async",
                                 "{\"source_image\": \"https://example.invalid/cat.webp\","
                                 " \"forms\": [{\"name\": \"caption\"}, {\"name\": \"nsfw\"}]}");
  g_auto(GValue) answer = G_VALUE_INIT;
  g_auto(GValue) submitted = G_VALUE_INIT;
  HordeInterrogationPopFormPayload * const *forms;
  g_autofree char *submit = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  gsize n_forms = 0;

  horde_test_send_op (f->worker, "POST", "/v2/interrogate/pop",
        "{\"name\": \"alchemist\", \"forms\": [\"caption\", \"nsfw\"], \"amount\": 2,"
        " \"bridge_agent\": \"test-give-back:1:local\"}", NULL, &answer);
  forms = horde_interrogation_pop_payload_get_forms (g_value_get_boxed (&answer), &n_forms);
  g_assert_cmpuint (n_forms, ==, 2);

  /* one form done (its result an object, as the server takes it), the
   * other given back */
  submit = g_strdup_printf ("{\"id\": \"%s\", \"result\": {\"%s\": \"a cat\"}}",
                            horde_interrogation_pop_form_payload_get_id (forms[0]),
                            horde_interrogation_pop_form_payload_get_form (forms[0]));
  horde_test_send_op (f->worker, "POST", "/v2/interrogate/submit", submit, NULL, &submitted);
  g_assert_true (horde_client_give_back_alchemy_form_sync (f->worker, forms[1], NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (horde_test_sim_count (f->sim, "POST /api/v2/interrogate/submit"), ==, 2);
  g_assert_cmpint (external (f, "interrogation", "faulted"), ==, 1);
  g_assert_cmpint (external (f, "interrogation", "submits"), ==, 1);
  g_assert_cmpint (external (f, "interrogation", "rejected"), ==, 0);
  /* the form given back waits for another worker; the other is done */
  status = status_of (f, "/v2/interrogate/status/{id}", id);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "waiting");
  array = json_object_get_array_member (status, "forms");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *form = json_array_get_object_element (array, i);
      gboolean given_back = g_str_equal (json_object_get_string_member (form, "form"),
                                         horde_interrogation_pop_form_payload_get_form (forms[1]));

      g_assert_cmpstr (json_object_get_string_member (form, "state"), ==, given_back ? "waiting" : "done");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/give-back/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("image", test_image);
  ADD ("image-partly-submitted", test_image_partly_submitted);
  ADD ("empty-pop", test_empty_pop);
  ADD ("cancelled", test_cancelled);
  ADD ("wrong-key", test_wrong_key);
  ADD ("text", test_text);
  ADD ("alchemy", test_alchemy);
#undef ADD

  return g_test_run ();
}

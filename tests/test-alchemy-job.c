/* test-alchemy-job.c: the alchemy job from submission to typed results,
 * against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libhorde.h>

#include "horde-alchemy-result-private.h"
#include "horde-test-sim.h"

/* a 64×48 PNG, base64 */
static char *
source_image (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autofree char *png = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL));
  return g_base64_encode ((const guchar *) png, len);
}

static HordeAlchemyAsyncRequest *
alchemy_request (const char * const *names)
{
  g_autoptr(HordeAlchemyAsyncRequestBuilder) builder = horde_alchemy_async_request_builder_new ();
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_interrogation_form_stable_unref);
  g_autofree char *source = source_image ();
  HordeAlchemyAsyncRequest *request;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(HordeModelInterrogationFormStableBuilder) form = horde_model_interrogation_form_stable_builder_new ();

      horde_model_interrogation_form_stable_builder_set_name (form, names[i]);
      g_ptr_array_add (forms, horde_model_interrogation_form_stable_builder_end (form, NULL));
      g_assert_nonnull (forms->pdata[forms->len - 1]);
    }
  horde_alchemy_async_request_builder_set_forms (builder, (HordeModelInterrogationFormStable * const *) forms->pdata, forms->len);
  horde_alchemy_async_request_builder_set_source_image (builder, source);
  request = horde_alchemy_async_request_builder_end (builder, NULL);
  g_assert_nonnull (request);

  return request;
}

static HordeAlchemyResult *
result_at (HordeAlchemyJob *job,
           guint            index)
{
  HordeAlchemyResult *result = g_list_model_get_item (horde_alchemy_job_get_results (job), index);

  g_assert_nonnull (result);
  g_object_unref (result);    /* the job holds it */
  return result;
}

typedef struct {
  GPtrArray *states;
  gint64 max_finished;
} Watch;

static void
watch_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Watch *watch = user_data;
  HordeJobState state = horde_job_get_state (HORDE_JOB (object));

  watch->max_finished = MAX (watch->max_finished, horde_job_get_finished (HORDE_JOB (object)));
  if (watch->states->len == 0 ||
      GPOINTER_TO_UINT (g_ptr_array_index (watch->states, watch->states->len - 1)) != state)
    g_ptr_array_add (watch->states, GUINT_TO_POINTER (state));
}

static void
test_forms (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", "interrogation", "nsfw", "RealESRGAN_x2plus", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = horde_alchemy_job_new (client, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  g_auto(GStrv) tags = NULL;
  Watch watch = { states, 0 };
  HordeAlchemyResult *result;
  HordeGeneratedImage *image;

  g_signal_connect (job, "notify", G_CALLBACK (watch_notify), &watch);
  g_assert_true (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_DONE);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
  g_assert_cmpint (horde_job_get_finished (HORDE_JOB (job)), ==, 4);
  g_assert_cmpint (watch.max_finished, ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (states->pdata[0]), ==, HORDE_JOB_STATE_SUBMITTING);
  g_assert_cmpuint (GPOINTER_TO_UINT (states->pdata[states->len - 1]), ==, HORDE_JOB_STATE_DONE);
  g_assert_nonnull (horde_alchemy_job_get_last_status (job));
  g_assert_cmpuint (g_list_model_get_n_items (horde_alchemy_job_get_results (job)), ==, 4);

  /* each form read for its kind */
  result = result_at (job, 0);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "caption");
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_CAPTION);
  g_assert_true (horde_alchemy_result_get_done (result));
  g_assert_nonnull (horde_alchemy_result_get_caption (result));
  g_assert_cmpuint (strlen (horde_alchemy_result_get_caption (result)), >, 0);
  g_assert_null (horde_alchemy_result_get_image (result));
  g_assert_false (horde_alchemy_result_has_nsfw (result));

  result = result_at (job, 1);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "interrogation");
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_INTERROGATION);
  tags = horde_alchemy_result_dup_tags (result);
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_strv_length (tags), >=, 1);
  g_assert_nonnull (horde_alchemy_result_get_interrogation (result));
  g_assert_null (horde_alchemy_result_get_caption (result));

  result = result_at (job, 2);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "nsfw");
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_NSFW);
  g_assert_true (horde_alchemy_result_has_nsfw (result));
  g_assert_null (horde_alchemy_result_dup_tags (result));

  /* the post-processor's image, downloaded (r2-style URL) and decoded */
  result = result_at (job, 3);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "RealESRGAN_x2plus");
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_REALESRGAN_X2PLUS);
  g_assert_nonnull (horde_alchemy_result_get_image_url (result));
  image = horde_alchemy_result_get_image (result);
  g_assert_nonnull (image);
  g_assert_cmpstr (horde_generated_image_get_mime_type (image), ==, "image/webp");
  /* upscaled (the simulator's upscale of a source it does not measure is
   * 2 × 512) */
  g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (image)), >, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (horde_generated_image_get_pixbuf (image)), >, 48);
  g_assert_null (horde_generated_image_get_generation (image));
  g_assert_nonnull (horde_interrogation_form_status_get_result (horde_alchemy_result_get_form_status (result)));

  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 0);
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);
}

static void
test_cancel (void)
{
  /* one alchemist, two seconds a form: cancelling at 3 s leaves one form
   * done and the others cancelled */
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "2000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", "interrogation", "nsfw", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = horde_alchemy_job_new (client, request);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GListModel *results;
  guint done = 0;
  HordeTestRun run = { 0 };

  horde_job_run_async (HORDE_JOB (job), cancellable, horde_test_run_done, &run);
  g_timeout_add_once (3000, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_true (horde_test_wait_for (&run.done, 60));

  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_CANCELLED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));

  /* every form has its result; the finished ones with their content */
  results = horde_alchemy_job_get_results (job);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      HordeAlchemyResult *result = result_at (job, i);

      if (horde_alchemy_result_get_done (result))
        done++;
      else
        g_assert_cmpstr (horde_alchemy_result_get_state (result), ==, "cancelled");
    }
  g_assert_cmpuint (done, >=, 1);
  g_assert_cmpuint (done, <, 3);
  g_assert_nonnull (horde_alchemy_result_get_caption (result_at (job, 0)));
  g_assert_cmpuint (horde_client_get_n_jobs (client), ==, 0);
}

static void
test_job_timeout (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "6000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = horde_alchemy_job_new (client, request);
  g_autoptr(GError) error = NULL;

  horde_job_set_timeout (HORDE_JOB (job), 2);
  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_TIMEOUT);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
  g_assert_false (horde_job_get_on_server (HORDE_JOB (job)));
  g_assert_cmpuint (g_list_model_get_n_items (horde_alchemy_job_get_results (job)), ==, 1);
  g_assert_false (horde_alchemy_result_get_done (result_at (job, 0)));
}

static void
test_resume (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "1000", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) response = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  const char *id;

  g_value_init (&value, HORDE_TYPE_ALCHEMY_ASYNC_REQUEST);
  g_value_set_boxed (&value, request);
  g_assert_true (horde_client_send_sync (client, &value, &response, NULL, &error));
  g_assert_no_error (error);
  id = horde_request_interrogation_response_get_id (g_value_get_boxed (&response));

  job = horde_alchemy_job_new_for_id (client, id);
  g_assert_null (horde_alchemy_job_get_request (job));
  g_assert_true (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (horde_alchemy_job_get_results (job)), ==, 1);
  g_assert_nonnull (horde_alchemy_result_get_caption (result_at (job, 0)));
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/interrogate/async"), ==, 1);
}

static void
test_faulted (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start ("--job-time", "100", "--faults", "worker-fault", NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = horde_alchemy_job_new (client, request);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_job_run_sync (HORDE_JOB (job), NULL, &error));
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_FAULTED);
  g_assert_true (horde_job_get_faulted (HORDE_JOB (job)));
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_FAILED);
  g_assert_cmpint (horde_test_sim_job_count (sim, horde_job_get_id (HORDE_JOB (job)), "delete"), ==, 1);
}

static void
test_estimate_not_supported (void)
{
  g_autoptr(HordeTestSim) sim = horde_test_sim_start (NULL);
  g_autoptr(HordeClient) client = horde_test_sim_new_client (sim);
  const char *names[] = { "caption", NULL };
  g_autoptr(HordeAlchemyAsyncRequest) request = alchemy_request (names);
  g_autoptr(HordeAlchemyJob) job = horde_alchemy_job_new (client, request);
  g_autoptr(GError) error = NULL;
  double kudos = -1;

  /* the Horde has no dry run for alchemy: a clear error, nothing sent */
  g_assert_false (horde_job_estimate_sync (HORDE_JOB (job), &kudos, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "HordeAlchemyJob"));
  g_assert_nonnull (strstr (error->message, "dry run"));
  g_assert_cmpfloat (kudos, ==, -1);
  g_assert_cmpint (horde_test_sim_count (sim, "POST /api/v2/interrogate/async"), ==, 0);
  g_assert_cmpint (horde_job_get_state (HORDE_JOB (job)), ==, HORDE_JOB_STATE_NEW);
}

/* A form this version does not know (the server added one): the typed
 * getter answers UNKNOWN, the string one its name */
static void
test_form_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeInterrogationFormStatus) status = horde_interrogation_form_status_new_from_json (
    "{\"form\": \"4xUltraSharpNext\", \"state\": \"done\", \"result\": {}}", -1, &error);
  g_autoptr(HordeInterrogationFormStatus) known = horde_interrogation_form_status_new_from_json (
    "{\"form\": \"GFPGANv1.3\", \"state\": \"done\", \"result\": {}}", -1, &error);
  g_autoptr(HordeAlchemyResult) result = NULL;

  g_assert_no_error (error);
  result = horde_alchemy_result_new (status, NULL);
  g_assert_cmpstr (horde_alchemy_result_get_form (result), ==, "4xUltraSharpNext");
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_UNKNOWN);
  g_clear_object (&result);

  /* the wire string GI cannot name as it is */
  result = horde_alchemy_result_new (known, NULL);
  g_assert_cmpint (horde_alchemy_result_get_form_enum (result), ==, HORDE_ALCHEMY_FORM_GFPGANV1_3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alchemy-job/forms", test_forms);
  g_test_add_func ("/alchemy-job/form-unknown", test_form_unknown);
  g_test_add_func ("/alchemy-job/cancel", test_cancel);
  g_test_add_func ("/alchemy-job/timeout", test_job_timeout);
  g_test_add_func ("/alchemy-job/resume", test_resume);
  g_test_add_func ("/alchemy-job/faulted", test_faulted);
  g_test_add_func ("/alchemy-job/estimate-not-supported", test_estimate_not_supported);

  return g_test_run ();
}

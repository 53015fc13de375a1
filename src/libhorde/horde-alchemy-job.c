/* horde-alchemy-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-alchemy-job.h"
#include "horde-alchemy-result-private.h"
#include "horde-generated-image-private.h"
#include "horde-client-private.h"
#include "horde-error.h"
#include "horde-job-private.h"

/**
 * HordeAlchemyJob:
 *
 * One alchemy request on the Horde: forms run on a source image (a
 * caption, an interrogation, an NSFW check, post-processors such as
 * upscalers), from submission to results: a [class@Horde.Job] whose
 * results are [class@Horde.AlchemyResult]s, one a form, read for their
 * kind, with the images of post-processors downloaded and decoded.
 *
 * The job polls `GET /v2/interrogate/status/{id}` (at most once a second)
 * and counts the forms waiting, in process and finished in the progress
 * properties; the server gives no estimate of the time left. Cancelling,
 * a [property@Horde.Job:timeout] and a faulted request delete the request
 * on the server, and the forms finished before are kept.
 */

struct _HordeAlchemyJob
{
  HordeJob parent_instance;

  HordeAlchemyAsyncRequest *request;
  HordeInterrogationStatus *status;
  GListStore *results;

  /* taking the results */
  GTask *results_task;
  GError *download_error;
  guint pending;
  GPtrArray *taken;               /* HordeAlchemyResult, by position */
};

G_DEFINE_FINAL_TYPE (HordeAlchemyJob, horde_alchemy_job, HORDE_TYPE_JOB)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_RESULTS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/**
 * horde_alchemy_job_new:
 * @client: the client to send with
 * @request: the request to submit
 *
 * Makes a job that submits @request when it runs.
 *
 * Returns: (transfer full): a new #HordeAlchemyJob
 */
HordeAlchemyJob *
horde_alchemy_job_new (HordeClient              *client,
                       HordeAlchemyAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return g_object_new (HORDE_TYPE_ALCHEMY_JOB,
                       "client", client,
                       "request", request,
                       NULL);
}

/**
 * horde_alchemy_job_new_for_id:
 * @client: the client to send with
 * @id: the id of an alchemy request submitted earlier
 *
 * Makes a job that follows an alchemy request already on the server, as
 * after a restart: running it polls and takes the results, without
 * submitting.
 *
 * Returns: (transfer full): a new #HordeAlchemyJob
 */
HordeAlchemyJob *
horde_alchemy_job_new_for_id (HordeClient *client,
                              const char  *id)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (HORDE_TYPE_ALCHEMY_JOB,
                       "client", client,
                       "id", id,
                       NULL);
}

static void
horde_alchemy_job_finalize (GObject *object)
{
  HordeAlchemyJob *self = (HordeAlchemyJob *)object;

  g_clear_pointer (&self->request, horde_alchemy_async_request_unref);
  g_clear_pointer (&self->status, horde_interrogation_status_unref);
  g_clear_object (&self->results);
  g_clear_error (&self->download_error);
  g_clear_pointer (&self->taken, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_alchemy_job_parent_class)->finalize (object);
}

static void
horde_alchemy_job_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HordeAlchemyJob *self = HORDE_ALCHEMY_JOB (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_RESULTS:
      g_value_set_object (value, self->results);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_alchemy_job_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HordeAlchemyJob *self = HORDE_ALCHEMY_JOB (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      self->request = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* -------------------------------------------------------------------------
 * What differs from the other jobs
 */

static gpointer
horde_alchemy_job_create_submit_request (HordeJob  *job,
                                         GError   **error)
{
  HordeAlchemyJob *self = HORDE_ALCHEMY_JOB (job);

  return horde_alchemy_async_request_ref (self->request);
}

static gboolean
horde_alchemy_job_accept_submission (HordeJob  *job,
                                     gpointer   answer,
                                     GError   **error)
{
  HordeRequestInterrogationResponse *submitted = answer;
  const char *message = horde_request_interrogation_response_get_message (submitted);
  g_autoptr(GStrvBuilder) warnings = g_strv_builder_new ();

  if (horde_request_interrogation_response_get_id (submitted) == NULL)
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                           _("The server accepted the request but gave no id for it"));
      return FALSE;
    }

  /* alchemy has no coded warnings: its message is the warning */
  if (message != NULL)
    g_strv_builder_add (warnings, message);
  horde_job_set_submitted (job, horde_request_interrogation_response_get_id (submitted), 0,
                           g_strv_builder_end (warnings));
  return TRUE;
}

static gpointer
horde_alchemy_job_create_poll_request (HordeJob *job)
{
  return horde_alchemy_status_request_new (horde_job_get_id (job));
}

/* The forms' states make the counts; the request's state says whether it
 * is over: "done", "faulted", "cancelled" or "partial" (some forms done,
 * the others failed) */
static void
horde_alchemy_job_read_poll (HordeJob         *job,
                             gpointer          answer,
                             HordeJobProgress *progress)
{
  HordeAlchemyJob *self = HORDE_ALCHEMY_JOB (job);
  HordeInterrogationStatus *status = answer;
  HordeInterrogationFormStatus * const *forms;
  const char *state = horde_interrogation_status_get_state (status);
  gsize n_forms = 0;

  g_clear_pointer (&self->status, horde_interrogation_status_unref);
  self->status = horde_interrogation_status_ref (status);

  progress->waiting = progress->processing = progress->finished = 0;
  forms = horde_interrogation_status_get_forms (status, &n_forms);
  for (gsize i = 0; i < n_forms; i++)
    {
      const char *form_state = horde_interrogation_form_status_get_state (forms[i]);

      if (g_strcmp0 (form_state, "waiting") == 0)
        progress->waiting++;
      else if (g_strcmp0 (form_state, "processing") == 0)
        progress->processing++;
      else if (g_strcmp0 (form_state, "done") == 0)
        progress->finished++;
    }

  progress->faulted = g_strcmp0 (state, "faulted") == 0;
  progress->done = progress->faulted ||
                   (state != NULL &&
                    g_strcmp0 (state, "waiting") != 0 &&
                    g_strcmp0 (state, "processing") != 0);
}

static gpointer
horde_alchemy_job_create_delete_request (HordeJob *job)
{
  return horde_alchemy_delete_request_new (horde_job_get_id (job));
}

typedef struct {
  HordeAlchemyJob *job;
  guint index;
  HordeInterrogationFormStatus *form;
} Take;

static void
take_free (Take *take)
{
  g_object_unref (take->job);
  horde_interrogation_form_status_unref (take->form);
  g_free (take);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Take, take_free)

static void
results_taken (HordeAlchemyJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->results_task);

  /* all of them, in the order of the forms */
  for (guint i = 0; i < self->taken->len; i++)
    g_list_store_append (self->results, self->taken->pdata[i]);
  g_clear_pointer (&self->taken, g_ptr_array_unref);

  if (self->download_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->download_error));
  else
    g_task_return_boolean (task, TRUE);
}

/* The form's result is made, with its image or without (takes @error) */
static void
take_settled (Take                *take,
              HordeGeneratedImage *image,
              GError              *error)
{
  HordeAlchemyJob *self = take->job;

  self->taken->pdata[take->index] = horde_alchemy_result_new (take->form, image);

  if (error != NULL)
    {
      if (self->download_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->download_error = g_error_new (error->domain, error->code,
                                            _("The image of %s: %s"),
                                            horde_interrogation_form_status_get_form (take->form),
                                            error->message);
      g_error_free (error);
    }

  if (--self->pending == 0)
    results_taken (self);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Take) take = user_data;
  GError *error = NULL;
  g_autoptr(HordeGeneratedImage) image = horde_generated_image_load_finish (result, &error);

  take_settled (take, image, error);
}

static void
downloaded (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Take) take = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = horde_client_download_finish (HORDE_CLIENT (object), result, NULL, &error);

  if (bytes == NULL)
    {
      take_settled (take, NULL, error);
      return;
    }

  /* its size checked against the limit; decoded when someone asks */
  horde_generated_image_load_async (bytes, NULL, NULL,
                                    horde_client_get_max_image_pixels (HORDE_CLIENT (object)),
                                    load_done, g_steal_pointer (&take));
}

/* Makes a result of each form, downloading the images of post-processors */
static void
horde_alchemy_job_take_results_async (HordeJob            *job,
                                      gpointer             answer,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  HordeAlchemyJob *self = HORDE_ALCHEMY_JOB (job);
  HordeInterrogationFormStatus * const *forms;
  gsize n_forms = 0;
  gsize expected = HORDE_JOB_MAX_RESULTS;

  self->results_task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->results_task, horde_alchemy_job_take_results_async);

  forms = horde_interrogation_status_get_forms (answer, &n_forms);
  self->taken = g_ptr_array_new_with_free_func (g_object_unref);

  /* a result a form the request asked for; up to the API's limit for a
   * job resumed from an id */
  if (self->request != NULL)
    horde_alchemy_async_request_get_forms (self->request, &expected);
  self->download_error = horde_job_check_n_results (n_forms, expected);
  if (self->download_error != NULL)
    n_forms = 0;
  g_ptr_array_set_size (self->taken, n_forms);

  if (n_forms == 0)
    {
      results_taken (self);
      return;
    }

  self->pending = n_forms;
  for (gsize i = 0; i < n_forms; i++)
    {
      g_autoptr(HordeAlchemyResult) plain = horde_alchemy_result_new (forms[i], NULL);
      const char *url = horde_alchemy_result_get_image_url (plain);
      Take *take = g_new0 (Take, 1);

      take->job = g_object_ref (self);
      take->index = i;
      take->form = horde_interrogation_form_status_ref (forms[i]);

      if (url == NULL)
        {
          take_settled (take, NULL, NULL);
          take_free (take);
        }
      else
        horde_client_download_async (horde_job_get_client (job), url, cancellable, downloaded, take);
    }
}


static void
horde_alchemy_job_class_init (HordeAlchemyJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeJobVFuncs *vfuncs = horde_job_class_get_vfuncs (klass);

  object_class->finalize = horde_alchemy_job_finalize;
  object_class->get_property = horde_alchemy_job_get_property;
  object_class->set_property = horde_alchemy_job_set_property;

  /* the full status is the only poll: once a second at most, well under
   * the 90 a minute of the server */
  vfuncs->min_poll_ms = 1000;
  /* not follows_cancel: the server's DELETE cancels every form at once and
   * charges one being made, but drops its result when the worker delivers
   * it (horde/classes/stable/interrogation.py, cancel() and deliver()):
   * there is nothing to wait for */
  vfuncs->follows_cancel = FALSE;
  vfuncs->create_submit_request = horde_alchemy_job_create_submit_request;
  vfuncs->accept_submission = horde_alchemy_job_accept_submission;
  vfuncs->create_poll_request = horde_alchemy_job_create_poll_request;
  vfuncs->read_poll = horde_alchemy_job_read_poll;
  vfuncs->create_fetch_request = NULL;
  vfuncs->create_delete_request = horde_alchemy_job_create_delete_request;
  vfuncs->take_results_async = horde_alchemy_job_take_results_async;

  /**
   * HordeAlchemyJob:request:
   *
   * The request the job submits; %NULL for a job resumed from an id.
   */
  properties [PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, HORDE_TYPE_ALCHEMY_ASYNC_REQUEST,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeAlchemyJob:results:
   *
   * The results, a #GListModel of [class@Horde.AlchemyResult], one a form,
   * in the order of the request; they appear once the request is over.
   */
  properties [PROP_RESULTS] =
    g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_alchemy_job_init (HordeAlchemyJob *self)
{
  self->results = g_list_store_new (HORDE_TYPE_ALCHEMY_RESULT);
}

/**
 * horde_alchemy_job_get_request:
 * @self: a #HordeAlchemyJob
 *
 * Gets [property@Horde.AlchemyJob:request].
 *
 * Returns: (transfer none) (nullable): the request, or %NULL for a job
 *   resumed from an id
 */
HordeAlchemyAsyncRequest *
horde_alchemy_job_get_request (HordeAlchemyJob *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_JOB (self), NULL);
  return self->request;
}

/**
 * horde_alchemy_job_get_results:
 * @self: a #HordeAlchemyJob
 *
 * Gets [property@Horde.AlchemyJob:results]: one result a form, in the
 * order of the request. After a cancel or a failure, the forms that had
 * finished have their result, the others only their state.
 *
 * Returns: (transfer none): a #GListModel of [class@Horde.AlchemyResult]
 */
GListModel *
horde_alchemy_job_get_results (HordeAlchemyJob *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_JOB (self), NULL);
  return G_LIST_MODEL (self->results);
}

/**
 * horde_alchemy_job_get_last_status:
 * @self: a #HordeAlchemyJob
 *
 * The last answer of the server about the request.
 *
 * Returns: (transfer none) (nullable): the last status, or %NULL before
 *   the first poll
 */
HordeInterrogationStatus *
horde_alchemy_job_get_last_status (HordeAlchemyJob *self)
{
  g_return_val_if_fail (HORDE_IS_ALCHEMY_JOB (self), NULL);
  return self->status;
}

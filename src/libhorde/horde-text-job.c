/* horde-text-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-error.h"
#include "horde-job-private.h"
#include "horde-text-job.h"

/**
 * HordeTextJob:
 *
 * One text generation request on the Horde (a large language model writing
 * on from a prompt), from submission to the generated texts: a
 * [class@Horde.Job] whose results are [struct@Horde.GenerationKobold]s.
 *
 * Text has no cheap progress endpoint: the job polls the full status, which
 * the server allows 60 times a minute, never more than once a second, and
 * less often while the server's estimate says the end is far. Every status
 * carries the generations finished so far, so that
 * [method@Horde.TextJob.get_generations] fills as they finish and keeps
 * them after a cancel (a DELETE, whose answer brings the last of them), a
 * [property@Horde.Job:timeout] or a fault.
 *
 * ```c
 * g_autoptr(HordeModelGenerationInputKoboldBuilder) params = horde_model_generation_input_kobold_builder_new ();
 * g_autoptr(HordeTextGenerateAsyncRequestBuilder) builder = horde_text_generate_async_request_builder_new ();
 *
 * horde_model_generation_input_kobold_builder_set_max_length (params, 80);
 * horde_text_generate_async_request_builder_set_prompt (builder, "Once upon a time");
 * horde_text_generate_async_request_builder_set_params (builder,
 *     horde_model_generation_input_kobold_builder_end (params, NULL));
 *
 * request = horde_text_generate_async_request_builder_end (builder, &error);
 * job = horde_text_job_new (client, request);
 * if (horde_job_run_sync (HORDE_JOB (job), NULL, &error))
 *   texts = horde_text_job_dup_texts (job);
 * ```
 */

struct _HordeTextJob
{
  HordeJob parent_instance;

  HordeTextGenerateAsyncRequest *request;
  HordeRequestStatusKobold *status;
  GPtrArray *generations;         /* HordeGenerationKobold, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (HordeTextJob, horde_text_job, HORDE_TYPE_JOB)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_N_GENERATIONS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/**
 * horde_text_job_new:
 * @client: the client to send with
 * @request: the request to submit
 *
 * Makes a job that submits @request when it runs.
 *
 * Returns: (transfer full): a new #HordeTextJob
 */
HordeTextJob *
horde_text_job_new (HordeClient                   *client,
                    HordeTextGenerateAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return g_object_new (HORDE_TYPE_TEXT_JOB,
                       "client", client,
                       "request", request,
                       NULL);
}

/**
 * horde_text_job_new_for_id:
 * @client: the client to send with
 * @id: the id of a text request submitted earlier
 *
 * Makes a job that follows a text request already on the server, as after
 * a restart: running it polls and takes the texts, without submitting.
 *
 * Returns: (transfer full): a new #HordeTextJob
 */
HordeTextJob *
horde_text_job_new_for_id (HordeClient *client,
                           const char  *id)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (HORDE_TYPE_TEXT_JOB,
                       "client", client,
                       "id", id,
                       NULL);
}

static void
horde_text_job_finalize (GObject *object)
{
  HordeTextJob *self = (HordeTextJob *)object;

  g_clear_pointer (&self->request, horde_text_generate_async_request_unref);
  g_clear_pointer (&self->status, horde_request_status_kobold_unref);
  g_clear_pointer (&self->generations, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_text_job_parent_class)->finalize (object);
}

static void
horde_text_job_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HordeTextJob *self = HORDE_TEXT_JOB (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_N_GENERATIONS:
      g_value_set_uint (value, horde_text_job_get_n_generations (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_text_job_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HordeTextJob *self = HORDE_TEXT_JOB (object);

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

/* Keeps the generations of a status, unless it has fewer than those kept
 * (a status of a request the server lost track of) */
/* As many texts as the request asked for; any number up to the API's
 * limit for a job resumed from an id */
static gsize
expected_texts (HordeTextJob *self)
{
  HordeModelGenerationInputKobold *params;

  if (self->request == NULL)
    return HORDE_JOB_MAX_RESULTS;

  params = horde_text_generate_async_request_get_params (self->request);
  if (params == NULL || !horde_model_generation_input_kobold_has_n (params))
    return 1;

  return CLAMP (horde_model_generation_input_kobold_get_n (params), 1, HORDE_JOB_MAX_RESULTS);
}

static void
keep_generations (HordeTextJob             *self,
                  HordeRequestStatusKobold *status)
{
  HordeGenerationKobold * const *generations;
  gsize n = 0;

  generations = horde_request_status_kobold_get_generations (status, &n);
  /* more than were asked for are not kept (take_results fails on them) */
  if (n > expected_texts (self) ||
      n < horde_text_job_get_n_generations (self) ||
      (n == 0 && horde_text_job_get_n_generations (self) == 0))
    return;

  g_ptr_array_set_size (self->generations, 0);
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (self->generations, horde_generation_kobold_ref (generations[i]));
  g_ptr_array_add (self->generations, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_GENERATIONS]);
}

static gpointer
horde_text_job_create_submit_request (HordeJob  *job,
                                      GError   **error)
{
  HordeTextJob *self = HORDE_TEXT_JOB (job);

  if (horde_text_generate_async_request_get_dry_run (self->request))
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_FAILED,
                           _("The request is a dry run: estimate it instead of running it"));
      return NULL;
    }

  return horde_text_generate_async_request_ref (self->request);
}

static gboolean
horde_text_job_accept_submission (HordeJob  *job,
                                  gpointer   answer,
                                  GError   **error)
{
  HordeRequestAsync *submitted = answer;

  if (horde_request_async_get_id (submitted) == NULL)
    {
      g_set_error_literal (error, HORDE_ERROR, HORDE_ERROR_INVALID_RESPONSE,
                           _("The server accepted the request but gave no id for it"));
      return FALSE;
    }

  horde_job_set_submitted (job, horde_request_async_get_id (submitted),
                           horde_request_async_get_kudos (submitted),
                           horde_job_warnings_from_async (submitted));
  return TRUE;
}

/* The request again, as a dry run */
static gpointer
horde_text_job_create_dry_run_request (HordeJob  *job,
                                       GError   **error)
{
  HordeTextJob *self = HORDE_TEXT_JOB (job);
  g_autoptr(HordeTextGenerateAsyncRequestBuilder) builder = NULL;

  if (self->request == NULL)
    return NULL;

  builder = horde_text_generate_async_request_builder_new_from (self->request);
  horde_text_generate_async_request_builder_set_dry_run (builder, TRUE);
  return horde_text_generate_async_request_builder_end (builder, error);
}

static gpointer
horde_text_job_create_poll_request (HordeJob *job)
{
  return horde_text_generate_status_request_new (horde_job_get_id (job));
}

#define STATUS_FIELD(status, field, fallback) \
  (horde_request_status_kobold_has_##field (status) \
   ? horde_request_status_kobold_get_##field (status) : (fallback))

static void
horde_text_job_read_poll (HordeJob         *job,
                          gpointer          answer,
                          HordeJobProgress *progress)
{
  HordeTextJob *self = HORDE_TEXT_JOB (job);
  HordeRequestStatusKobold *status = answer;

  g_clear_pointer (&self->status, horde_request_status_kobold_unref);
  self->status = horde_request_status_kobold_ref (status);

  progress->queue_position = STATUS_FIELD (status, queue_position, 0);
  progress->wait_time = STATUS_FIELD (status, wait_time, 0);
  progress->waiting = STATUS_FIELD (status, waiting, 0);
  progress->processing = STATUS_FIELD (status, processing, 0);
  progress->finished = STATUS_FIELD (status, finished, 0);
  progress->restarted = STATUS_FIELD (status, restarted, 0);
  if (horde_request_status_kobold_has_kudos (status))
    progress->kudos = horde_request_status_kobold_get_kudos (status);
  progress->is_possible = horde_request_status_kobold_get_is_possible (status);
  progress->faulted = horde_request_status_kobold_get_faulted (status);
  progress->done = horde_request_status_kobold_get_done (status);

  keep_generations (self, status);
}

static gpointer
horde_text_job_create_delete_request (HordeJob *job)
{
  return horde_delete_text_generate_request_new (horde_job_get_id (job));
}

/* The texts come with the status: nothing to download */
static void
horde_text_job_take_results_async (HordeJob            *job,
                                   gpointer             answer,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  HordeTextJob *self = HORDE_TEXT_JOB (job);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, horde_text_job_take_results_async);
  if (answer != NULL)
    {
      gsize n = 0;
      GError *error;

      horde_request_status_kobold_get_generations (answer, &n);
      error = horde_job_check_n_results (n, expected_texts (self));
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      keep_generations (self, answer);
    }
  g_task_return_boolean (task, TRUE);
}


static void
horde_text_job_class_init (HordeTextJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HordeJobVFuncs *vfuncs = horde_job_class_get_vfuncs (klass);

  object_class->finalize = horde_text_job_finalize;
  object_class->get_property = horde_text_job_get_property;
  object_class->set_property = horde_text_job_set_property;

  /* GET /v2/generate/text/status allows 60 a minute, and the server caches
   * a status for a second: once a second at most */
  vfuncs->min_poll_ms = 1000;
  /* kobold.py's DELETE sets n to 0, as for images: a text being made is
   * finished, charged and served by the status */
  vfuncs->follows_cancel = TRUE;
  vfuncs->create_submit_request = horde_text_job_create_submit_request;
  vfuncs->accept_submission = horde_text_job_accept_submission;
  vfuncs->create_poll_request = horde_text_job_create_poll_request;
  vfuncs->read_poll = horde_text_job_read_poll;
  vfuncs->create_fetch_request = NULL;
  vfuncs->create_delete_request = horde_text_job_create_delete_request;
  vfuncs->take_results_async = horde_text_job_take_results_async;
  vfuncs->create_dry_run_request = horde_text_job_create_dry_run_request;

  /**
   * HordeTextJob:request:
   *
   * The request the job submits; %NULL for a job resumed from an id.
   */
  properties [PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, HORDE_TYPE_TEXT_GENERATE_ASYNC_REQUEST,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HordeTextJob:n-generations:
   *
   * How many texts the job holds; it notifies as they arrive.
   */
  properties [PROP_N_GENERATIONS] =
    g_param_spec_uint ("n-generations", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
unref_if_set (gpointer generation)
{
  if (generation != NULL)
    horde_generation_kobold_unref (generation);
}

static void
horde_text_job_init (HordeTextJob *self)
{
  self->generations = g_ptr_array_new_with_free_func (unref_if_set);
  g_ptr_array_add (self->generations, NULL);
}

/* -------------------------------------------------------------------------
 * Accessors
 */

/**
 * horde_text_job_get_request:
 * @self: a #HordeTextJob
 *
 * Gets [property@Horde.TextJob:request].
 *
 * Returns: (transfer none) (nullable): the request, or %NULL for a job
 *   resumed from an id
 */
HordeTextGenerateAsyncRequest *
horde_text_job_get_request (HordeTextJob *self)
{
  g_return_val_if_fail (HORDE_IS_TEXT_JOB (self), NULL);
  return self->request;
}

/**
 * horde_text_job_get_generations:
 * @self: a #HordeTextJob
 * @n_generations: (out) (optional): return location for their number
 *
 * The texts finished so far, with their worker, model and seed, in the
 * order of the server; they stay after a cancel or failure.
 *
 * Returns: (array length=n_generations) (transfer none): the generations
 */
HordeGenerationKobold * const *
horde_text_job_get_generations (HordeTextJob *self,
                                gsize        *n_generations)
{
  g_return_val_if_fail (HORDE_IS_TEXT_JOB (self), NULL);

  if (n_generations != NULL)
    *n_generations = self->generations->len - 1;
  return (HordeGenerationKobold * const *) self->generations->pdata;
}

/**
 * horde_text_job_get_n_generations:
 * @self: a #HordeTextJob
 *
 * Gets [property@Horde.TextJob:n-generations].
 *
 * Returns: how many texts the job holds
 */
guint
horde_text_job_get_n_generations (HordeTextJob *self)
{
  g_return_val_if_fail (HORDE_IS_TEXT_JOB (self), 0);
  return self->generations->len - 1;
}

/**
 * horde_text_job_dup_texts:
 * @self: a #HordeTextJob
 *
 * The texts finished so far, alone.
 *
 * Returns: (transfer full) (array zero-terminated=1): the texts, in the
 *   order of [method@Horde.TextJob.get_generations]
 */
char **
horde_text_job_dup_texts (HordeTextJob *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HORDE_IS_TEXT_JOB (self), NULL);

  for (guint i = 0; i + 1 < self->generations->len; i++)
    {
      const char *text = horde_generation_kobold_get_text (self->generations->pdata[i]);

      g_strv_builder_add (builder, text ? text : "");
    }
  return g_strv_builder_end (builder);
}

/**
 * horde_text_job_get_last_status:
 * @self: a #HordeTextJob
 *
 * The last answer of the server about the request.
 *
 * Returns: (transfer none) (nullable): the last status, or %NULL before
 *   the first poll
 */
HordeRequestStatusKobold *
horde_text_job_get_last_status (HordeTextJob *self)
{
  g_return_val_if_fail (HORDE_IS_TEXT_JOB (self), NULL);
  return self->status;
}

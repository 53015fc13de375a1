/* horde-client-worker.c: what a worker needs beyond the typed calls
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "horde-client-worker.h"
#include "horde-client-private.h"
#include "horde-requests.h"

/* A worker that pops a job holds it until it submits it: the requester's
 * generation waits for that worker alone until the job's ttl runs out.
 * Giving a job back submits each of its generations as "faulted", which the
 * server accepts at once (reward 0) and hands the generation to another
 * worker. These calls build those submits from the pop answer itself, so
 * that a worker's clean-up path needs nothing it might have lost. */

typedef struct {
  GPtrArray *requests;   /* request models, sent one after another */
  guint next;
  GError *error;         /* the first refusal; the others are still sent */
} GiveBack;

static void
give_back_free (gpointer data)
{
  GiveBack *give_back = data;

  g_ptr_array_unref (give_back->requests);
  g_clear_error (&give_back->error);
  g_free (give_back);
}

static void give_back_next (GTask *task);

static void
give_back_answered (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GiveBack *give_back = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer answer;

  answer = horde_client_call_finish (HORDE_CLIENT (source), result, NULL, &error);
  g_clear_pointer (&answer, horde_model_unref);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("giving back generation %u of %u: %s", give_back->next, give_back->requests->len, error->message);
      if (give_back->error == NULL)
        give_back->error = g_steal_pointer (&error);
    }

  give_back_next (g_steal_pointer (&task));
}

static void
give_back_next (GTask *task)
{
  GiveBack *give_back = g_task_get_task_data (task);

  if (give_back->next < give_back->requests->len)
    {
      gpointer request = g_ptr_array_index (give_back->requests, give_back->next++);

      horde_client_call_async (g_task_get_source_object (task), request,
                               g_task_get_cancellable (task), give_back_answered, task);
      return;
    }

  if (give_back->error != NULL)
    g_task_return_error (task, g_steal_pointer (&give_back->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Sends @requests (transfer full), the faulted submits of one popped job,
 * or reports @error (transfer full) when they could not be made */
static void
give_back_async (HordeClient         *self,
                 GPtrArray           *requests,
                 GError              *error,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task;
  GiveBack *give_back;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  if (requests == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  give_back = g_new0 (GiveBack, 1);
  give_back->requests = requests;
  g_task_set_task_data (task, give_back, give_back_free);

  give_back_next (task);
}

static gboolean
give_back_finish (HordeClient   *self,
                  GAsyncResult  *result,
                  gpointer       source_tag,
                  GError       **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef GPtrArray *(*BuildFunc) (gconstpointer   job,
                                 GError        **error);

typedef struct {
  BuildFunc build;
  gconstpointer job;
} GiveBackStart;

static void
give_back_start (HordeClient         *self,
                 gpointer             arg,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GiveBackStart *start = arg;
  GError *error = NULL;
  GPtrArray *requests = start->build (start->job, &error);

  give_back_async (self, requests, error, cancellable, callback, user_data, give_back_start);
}

static gboolean
give_back_sync (HordeClient    *self,
                BuildFunc       build,
                gconstpointer   job,
                GCancellable   *cancellable,
                GError        **error)
{
  GiveBackStart start = { build, job };
  g_autoptr(GAsyncResult) result = horde_client_run_sync (self, give_back_start, &start, cancellable);

  return give_back_finish (self, result, give_back_start, error);
}

/* The generation ids of a pop: a batch lists them all in `ids`, a single
 * job may give `id` only; a pop that found no job has neither */
static GStrv
popped_ids (const char         *id,
            const char * const *ids)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (ids != NULL && ids[0] != NULL)
    g_strv_builder_addv (builder, (const char **) ids);
  else if (id != NULL && *id != '\0')
    g_strv_builder_add (builder, id);

  return g_strv_builder_end (builder);
}

/* The pop gives the seed as text; the submit wants the number */
static gint64
image_seed (const HordeGenerationPayloadStable *job)
{
  HordeModelPayloadStable *payload = horde_generation_payload_stable_get_payload (job);
  const char *text = payload ? horde_model_payload_stable_get_seed (payload) : NULL;
  gint64 seed = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &seed, NULL))
    return 0;
  return seed;
}

static GPtrArray *
build_image (gconstpointer   data,
              GError        **error)
{
  const HordeGenerationPayloadStable *job = data;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (horde_model_unref);
  g_auto(GStrv) ids = popped_ids (horde_generation_payload_stable_get_id (job),
                                  horde_generation_payload_stable_get_ids (job));
  gint64 seed = image_seed (job);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(HordeImageGenerationJobSubmitRequestBuilder) builder = horde_image_generation_job_submit_request_builder_new ();

      horde_image_generation_job_submit_request_builder_set_id (builder, ids[i]);
      horde_image_generation_job_submit_request_builder_set_state (builder, HORDE_GENERATION_STATE_FAULTED);
      horde_image_generation_job_submit_request_builder_set_generation (builder, HORDE_GENERATION_STATE_FAULTED);
      horde_image_generation_job_submit_request_builder_set_seed (builder, seed);
      gpointer request = horde_image_generation_job_submit_request_builder_end (builder, error);

      if (request == NULL)
        return NULL;
      g_ptr_array_add (requests, request);
    }

  return g_steal_pointer (&requests);
}

static GPtrArray *
build_text (gconstpointer   data,
             GError        **error)
{
  const HordeGenerationPayloadKobold *job = data;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (horde_model_unref);
  g_auto(GStrv) ids = popped_ids (horde_generation_payload_kobold_get_id (job),
                                  horde_generation_payload_kobold_get_ids (job));

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(HordeTextGenerationJobSubmitRequestBuilder) builder = horde_text_generation_job_submit_request_builder_new ();

      horde_text_generation_job_submit_request_builder_set_id (builder, ids[i]);
      horde_text_generation_job_submit_request_builder_set_state (builder, HORDE_GENERATION_STATE_FAULTED);
      horde_text_generation_job_submit_request_builder_set_generation (builder, HORDE_GENERATION_STATE_FAULTED);
      gpointer request = horde_text_generation_job_submit_request_builder_end (builder, error);

      if (request == NULL)
        return NULL;
      g_ptr_array_add (requests, request);
    }

  return g_steal_pointer (&requests);
}

static GPtrArray *
build_alchemy (gconstpointer   data,
                GError        **error)
{
  const HordeInterrogationPopFormPayload *form = data;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (horde_model_unref);
  const char *id = horde_interrogation_pop_form_payload_get_id (form);
  g_autoptr(HordeAlchemyJobSubmitRequestBuilder) builder = NULL;
  g_autoptr(JsonNode) result = NULL;
  gpointer request;

  if (id == NULL || *id == '\0')
    return g_steal_pointer (&requests);

  /* the server requires a result, even for a faulted form: an empty one */
  result = json_node_init_object (json_node_alloc (), json_object_new ());
  builder = horde_alchemy_job_submit_request_builder_new ();
  horde_alchemy_job_submit_request_builder_set_id (builder, id);
  horde_alchemy_job_submit_request_builder_set_state (builder, HORDE_GENERATION_STATE_FAULTED);
  horde_alchemy_job_submit_request_builder_set_result (builder, result);
  request = horde_alchemy_job_submit_request_builder_end (builder, error);
  if (request == NULL)
    return NULL;
  g_ptr_array_add (requests, request);

  return g_steal_pointer (&requests);
}

/**
 * horde_client_give_back_image_job_async:
 * @self: a #HordeClient
 * @job: the answer of an image pop ([method@Horde.Client.send_image_generate_job_pop_request_async])
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the server has them back
 * @user_data: data for @callback
 *
 * Gives back an image job the worker popped and cannot finish: each of its
 * generations (every id of a batch) is submitted with the state
 * %HORDE_GENERATION_STATE_FAULTED, so that the server hands it to another
 * worker at once instead of waiting for the job's ttl to run out. The
 * worker earns nothing for it, and a worker that faults often is trusted
 * less: give back what failed, not what was merely slow.
 *
 * Call it on every path that leaves a popped job unsubmitted (an error
 * while generating or uploading, the worker stopping), with the pop's own
 * answer: the submit's seed is read from it. A pop that found no job (no
 * id) has nothing to give back and succeeds at once. Every generation is
 * tried even when one is refused; the first refusal is the error. Finish
 * with [method@Horde.Client.give_back_image_job_finish].
 */
void
horde_client_give_back_image_job_async (HordeClient                  *self,
                                        HordeGenerationPayloadStable *job,
                                        GCancellable                 *cancellable,
                                        GAsyncReadyCallback           callback,
                                        gpointer                      user_data)
{
  GError *error = NULL;
  GPtrArray *requests;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (job != NULL);

  requests = build_image (job, &error);
  give_back_async (self, requests, error, cancellable, callback, user_data,
                   horde_client_give_back_image_job_async);
}

/**
 * horde_client_give_back_image_job_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.give_back_image_job_async].
 *
 * The errors are those of the submit: %HORDE_ERROR_NOT_FOUND for a job the
 * server does not know (its ttl ran out long ago), %HORDE_ERROR_BAD_REQUEST
 * for one already submitted (rc `DuplicateGen`), %HORDE_ERROR_UNAUTHORIZED
 * or %HORDE_ERROR_FORBIDDEN when the key is not the worker's owner's, the
 * network errors, and %G_IO_ERROR_CANCELLED.
 *
 * Returns: %TRUE when the server took every generation back
 */
gboolean
horde_client_give_back_image_job_finish (HordeClient   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return give_back_finish (self, result, horde_client_give_back_image_job_async, error);
}

/**
 * horde_client_give_back_image_job_sync:
 * @self: a #HordeClient
 * @job: the answer of an image pop
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.Client.give_back_image_job_async], blocking the calling
 * thread until the server has answered.
 *
 * Returns: %TRUE when the server took every generation back
 */
gboolean
horde_client_give_back_image_job_sync (HordeClient                   *self,
                                       HordeGenerationPayloadStable  *job,
                                       GCancellable                  *cancellable,
                                       GError                       **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);

  return give_back_sync (self, build_image, job, cancellable, error);
}

/**
 * horde_client_give_back_text_job_async:
 * @self: a #HordeClient
 * @job: the answer of a text pop ([method@Horde.Client.send_text_generate_job_pop_request_async])
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the server has them back
 * @user_data: data for @callback
 *
 * Gives back a text job the worker popped and cannot finish, as
 * [method@Horde.Client.give_back_image_job_async] does for images: each
 * generation submitted as %HORDE_GENERATION_STATE_FAULTED. Finish with
 * [method@Horde.Client.give_back_text_job_finish].
 */
void
horde_client_give_back_text_job_async (HordeClient                  *self,
                                       HordeGenerationPayloadKobold *job,
                                       GCancellable                 *cancellable,
                                       GAsyncReadyCallback           callback,
                                       gpointer                      user_data)
{
  GError *error = NULL;
  GPtrArray *requests;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (job != NULL);

  requests = build_text (job, &error);
  give_back_async (self, requests, error, cancellable, callback, user_data,
                   horde_client_give_back_text_job_async);
}

/**
 * horde_client_give_back_text_job_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.give_back_text_job_async]; the errors are
 * those of [method@Horde.Client.give_back_image_job_finish].
 *
 * Returns: %TRUE when the server took every generation back
 */
gboolean
horde_client_give_back_text_job_finish (HordeClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return give_back_finish (self, result, horde_client_give_back_text_job_async, error);
}

/**
 * horde_client_give_back_text_job_sync:
 * @self: a #HordeClient
 * @job: the answer of a text pop
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.Client.give_back_text_job_async], blocking the calling
 * thread until the server has answered.
 *
 * Returns: %TRUE when the server took every generation back
 */
gboolean
horde_client_give_back_text_job_sync (HordeClient                   *self,
                                      HordeGenerationPayloadKobold  *job,
                                      GCancellable                  *cancellable,
                                      GError                       **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);

  return give_back_sync (self, build_text, job, cancellable, error);
}

/**
 * horde_client_give_back_alchemy_form_async:
 * @self: a #HordeClient
 * @form: one form of an interrogation pop's answer
 *   ([method@Horde.InterrogationPopPayload.get_forms])
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the server has it back
 * @user_data: data for @callback
 *
 * Gives back an alchemy form the worker popped and cannot finish: it is
 * submitted as %HORDE_GENERATION_STATE_FAULTED with an empty result, as
 * [method@Horde.Client.give_back_image_job_async] does for images. An
 * interrogation pop gives several forms, each submitted on its own: give
 * back those not submitted. Finish with
 * [method@Horde.Client.give_back_alchemy_form_finish].
 */
void
horde_client_give_back_alchemy_form_async (HordeClient                      *self,
                                           HordeInterrogationPopFormPayload *form,
                                           GCancellable                     *cancellable,
                                           GAsyncReadyCallback               callback,
                                           gpointer                          user_data)
{
  GError *error = NULL;
  GPtrArray *requests;

  g_return_if_fail (HORDE_IS_CLIENT (self));
  g_return_if_fail (form != NULL);

  requests = build_alchemy (form, &error);
  give_back_async (self, requests, error, cancellable, callback, user_data,
                   horde_client_give_back_alchemy_form_async);
}

/**
 * horde_client_give_back_alchemy_form_finish:
 * @self: a #HordeClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Horde.Client.give_back_alchemy_form_async]; the errors
 * are those of [method@Horde.Client.give_back_image_job_finish].
 *
 * Returns: %TRUE when the server took the form back
 */
gboolean
horde_client_give_back_alchemy_form_finish (HordeClient   *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return give_back_finish (self, result, horde_client_give_back_alchemy_form_async, error);
}

/**
 * horde_client_give_back_alchemy_form_sync:
 * @self: a #HordeClient
 * @form: one form of an interrogation pop's answer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * [method@Horde.Client.give_back_alchemy_form_async], blocking the calling
 * thread until the server has answered.
 *
 * Returns: %TRUE when the server took the form back
 */
gboolean
horde_client_give_back_alchemy_form_sync (HordeClient                       *self,
                                          HordeInterrogationPopFormPayload  *form,
                                          GCancellable                      *cancellable,
                                          GError                           **error)
{
  g_return_val_if_fail (HORDE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (form != NULL, FALSE);

  return give_back_sync (self, build_alchemy, form, cancellable, error);
}

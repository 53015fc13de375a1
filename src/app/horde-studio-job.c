/* horde-studio-job.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-job.h"
#include "horde-studio-messages.h"

/* One request of the job list: the libhorde job, the request as the user
 * composed it (a resumed job has only its id on the server), the images as
 * they are saved in the gallery, and what went wrong, in words. */
struct _HordeStudioJob
{
  GObject parent_instance;

  HordeImageJob *image_job;
  HordeImageGenerateAsyncRequest *request;
  GListStore *images;
  gint64 started;
  gint64 ended;
  char *error_message;
  char *error_hint;
  double tax;                     /* kudos before any image, or -1 */
  GDateTime *submitted;           /* when the server took it, if known */
};

G_DEFINE_FINAL_TYPE (HordeStudioJob, horde_studio_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IMAGE_JOB,
  PROP_REQUEST,
  PROP_STARTED,
  PROP_ENDED,
  PROP_ERROR_MESSAGE,
  PROP_ERROR_HINT,
  PROP_TAX,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

HordeStudioJob *
horde_studio_job_new (HordeImageJob                  *image_job,
                      HordeImageGenerateAsyncRequest *request)
{
  g_return_val_if_fail (HORDE_IS_IMAGE_JOB (image_job), NULL);

  return g_object_new (HORDE_STUDIO_TYPE_JOB,
                       "image-job", image_job,
                       "request", request,
                       NULL);
}

static void
horde_studio_job_finalize (GObject *object)
{
  HordeStudioJob *self = (HordeStudioJob *)object;

  g_clear_object (&self->image_job);
  g_clear_pointer (&self->request, horde_image_generate_async_request_unref);
  g_clear_object (&self->images);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_hint, g_free);
  g_clear_pointer (&self->submitted, g_date_time_unref);

  G_OBJECT_CLASS (horde_studio_job_parent_class)->finalize (object);
}

static void
horde_studio_job_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HordeStudioJob *self = HORDE_STUDIO_JOB (object);

  switch (prop_id)
    {
    case PROP_IMAGE_JOB:
      g_value_set_object (value, self->image_job);
      break;
    case PROP_REQUEST:
      g_value_set_boxed (value, self->request);
      break;
    case PROP_STARTED:
      g_value_set_int64 (value, self->started);
      break;
    case PROP_ENDED:
      g_value_set_int64 (value, self->ended);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_ERROR_HINT:
      g_value_set_string (value, self->error_hint);
      break;
    case PROP_TAX:
      g_value_set_double (value, self->tax);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* What the request cost before a worker finished any image is the Horde's
 * tax for it: charged when it was accepted, and kept after a cancel */
static void
kudos_changed (HordeStudioJob *self)
{
  double kudos = horde_image_job_get_kudos (self->image_job);

  if (horde_image_job_get_last_check (self->image_job) == NULL ||
      horde_image_job_get_finished (self->image_job) > 0 || kudos <= 0 || kudos == self->tax)
    return;

  self->tax = kudos;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX]);
}

static void
horde_studio_job_constructed (GObject *object)
{
  HordeStudioJob *self = HORDE_STUDIO_JOB (object);

  G_OBJECT_CLASS (horde_studio_job_parent_class)->constructed (object);

  /* kudos, finished and the last check change together */
  g_signal_connect_object (self->image_job, "notify", G_CALLBACK (kudos_changed), self, G_CONNECT_SWAPPED);
}

static void
horde_studio_job_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HordeStudioJob *self = HORDE_STUDIO_JOB (object);

  switch (prop_id)
    {
    case PROP_IMAGE_JOB:
      self->image_job = g_value_dup_object (value);
      break;
    case PROP_REQUEST:
      self->request = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_job_class_init (HordeStudioJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = horde_studio_job_constructed;
  object_class->finalize = horde_studio_job_finalize;
  object_class->get_property = horde_studio_job_get_property;
  object_class->set_property = horde_studio_job_set_property;

  properties [PROP_IMAGE_JOB] =
    g_param_spec_object ("image-job", NULL, NULL, HORDE_TYPE_IMAGE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_REQUEST] =
    g_param_spec_boxed ("request", NULL, NULL, HORDE_TYPE_IMAGE_GENERATE_ASYNC_REQUEST,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_STARTED] =
    g_param_spec_int64 ("started", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_ENDED] =
    g_param_spec_int64 ("ended", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_ERROR_HINT] =
    g_param_spec_string ("error-hint", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_TAX] =
    g_param_spec_double ("tax", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_job_init (HordeStudioJob *self)
{
  self->images = g_list_store_new (G_TYPE_OBJECT);
  self->tax = -1;
}

HordeImageJob *
horde_studio_job_get_image_job (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return self->image_job;
}

HordeImageGenerateAsyncRequest *
horde_studio_job_get_request (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return self->request;
}

/* The images of the job once they are safe in the gallery */
GListModel *
horde_studio_job_get_images (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return G_LIST_MODEL (self->images);
}

void
horde_studio_job_add_image (HordeStudioJob *self,
                            GObject        *gallery_item)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));
  g_list_store_append (self->images, gallery_item);
}

gint64
horde_studio_job_get_n_requested (HordeStudioJob *self)
{
  HordeModelGenerationInputStable *params;

  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), 0);

  if (self->request == NULL)
    return 0;
  params = horde_image_generate_async_request_get_params (self->request);
  return params ? horde_model_generation_input_stable_get_n (params) : 1;
}

const char *
horde_studio_job_get_prompt (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);

  if (self->request == NULL)
    return NULL;
  return horde_image_generate_async_request_get_prompt (self->request);
}

gint64
horde_studio_job_get_started (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), 0);
  return self->started;
}

void
horde_studio_job_set_started (HordeStudioJob *self,
                              gint64          monotonic_time)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));

  self->started = monotonic_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STARTED]);
}

gint64
horde_studio_job_get_ended (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), 0);
  return self->ended;
}

void
horde_studio_job_set_ended (HordeStudioJob *self,
                            gint64          monotonic_time)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));

  self->ended = monotonic_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENDED]);
}

const char *
horde_studio_job_get_error_message (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return self->error_message;
}

const char *
horde_studio_job_get_error_hint (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return self->error_hint;
}

static gboolean
signed_in (HordeStudioJob *self)
{
  const char *key = horde_client_get_api_key (horde_image_job_get_client (self->image_job));

  return key != NULL && *key != '\0' && g_strcmp0 (key, HORDE_ANONYMOUS_API_KEY) != 0;
}

void
horde_studio_job_set_error (HordeStudioJob *self,
                            const GError   *error)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));

  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_hint, g_free);
  if (error != NULL &&
      (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_NOT_FOUND) ||
       g_error_matches (error, HORDE_ERROR, HORDE_ERROR_EXPIRED)) &&
      horde_image_job_get_last_check (self->image_job) != NULL &&
      !horde_image_job_get_is_possible (self->image_job) &&
      horde_image_job_get_finished (self->image_job) == 0 &&
      horde_image_job_get_processing (self->image_job) == 0)
    {
      /* gone while no worker could take it: the Horde's expiry, not a loss */
      self->error_message = g_strdup (_("The request expired without a worker: none that can make it came online while the Horde kept it."));
      self->error_hint = g_strdup (_("Choose another model or a smaller size, then retry."));
    }
  else if (error != NULL)
    self->error_message = horde_studio_describe_error_for (error, signed_in (self), &self->error_hint);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_HINT]);
}

/* An ending in words the job did not report as an error: done with nothing */
void
horde_studio_job_set_error_text (HordeStudioJob *self,
                                 const char     *message,
                                 const char     *hint)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_free (self->error_hint);
  self->error_hint = g_strdup (hint);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_HINT]);
}

/* What the request cost before any image was finished: the Horde's tax
 * for it, or -1 if no answer said it */
double
horde_studio_job_get_tax (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), -1);
  return self->tax;
}

/* When the server took the request: for one of an earlier session, when
 * that session sent it */
GDateTime *
horde_studio_job_get_submitted (HordeStudioJob *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_JOB (self), NULL);
  return self->submitted;
}

void
horde_studio_job_set_submitted (HordeStudioJob *self,
                                GDateTime      *submitted)
{
  g_return_if_fail (HORDE_STUDIO_IS_JOB (self));

  g_clear_pointer (&self->submitted, g_date_time_unref);
  if (submitted != NULL)
    self->submitted = g_date_time_ref (submitted);
}

gboolean
horde_studio_job_is_running (HordeStudioJob *self)
{
  HordeJobState state = horde_image_job_get_state (self->image_job);

  return state != HORDE_JOB_STATE_NEW && !horde_studio_job_is_ended (self);
}

gboolean
horde_studio_job_is_ended (HordeStudioJob *self)
{
  HordeJobState state = horde_image_job_get_state (self->image_job);

  return state == HORDE_JOB_STATE_DONE || state == HORDE_JOB_STATE_CANCELLED ||
         state == HORDE_JOB_STATE_FAILED;
}

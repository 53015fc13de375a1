/* image-worker.c: serve the Horde's image queue as a worker
 *
 * A worker is the other side of the AI Horde: it asks the server for a job
 * (POST /v2/generate/pop, saying which models it serves and how large an
 * image it can make), generates the image, uploads it as WebP to the
 * presigned R2 URL the pop gave (r2_upload), and hands it in with
 * POST /v2/generate/submit ("generation": "R2"). A pop without an
 * r2_upload URL gets the image in the submit itself, in base64. The Horde
 * pays the worker's user in kudos for each image.
 *
 * Which jobs the real AI Horde gives this worker: fewer than a requester
 * may think. The server hands a request that wants its images on R2
 * ("r2": true, the default) only to workers whose bridge agent its bridge
 * reference (horde/bridge_reference.py) knows can upload there, and this
 * worker's agent, "libhorde image-worker example", is not among them: it
 * gets only requests sent with "r2": false. For those the server still
 * hands it an r2_upload URL (and serves the image to the requester in
 * base64 itself), so the upload path is the one taken against the real
 * Horde; the base64 path serves a Horde that gives no URL. It pops with
 * "nsfw": false, so it gets only requests that say "nsfw": false (the
 * server takes a request that leaves nsfw out as NSFW), and none with a
 * source image, inpainting, post-processing, ControlNet or LoRAs (see
 * build_pop_request()). A request for it therefore says, at least:
 *
 *   {"prompt": "…", "models": ["stable_diffusion"], "nsfw": false, "r2": false}
 *
 * An empty pop counts in "skipped" some of the requests it passed over
 * (nsfw, models, max_pixels, …), but not the r2 requests: with only those
 * in the queue every counter stays 0 and the worker looks idle, while
 * such a request that only it could serve waits with nobody on it.
 *
 * This one has no GPU: it "generates" an image of the requested size from
 * the prompt and the seed (a colour from a hash of the prompt, with stripes
 * placed by the seed) and encodes it with libwebp. Everything else is what a
 * real worker does, including the clean-up path: a job it popped but cannot
 * finish (the drawing or the upload failed, or Ctrl+C / SIGTERM arrived
 * while it held the job) is given back with
 * horde_client_give_back_image_job_async(), which submits it as "faulted",
 * so that the Horde gives it to another worker at once instead of waiting
 * for the job's ttl to run out. Look for give_back().
 *
 * The server comes from $AI_HORDE_URL (default: the public AI Horde), the
 * key from $AI_HORDE_API_KEY: a worker needs the key of a registered user,
 * not the anonymous one.
 *
 *   cc image-worker.c -o image-worker $(pkg-config --cflags --libs libhorde-1 libwebp)
 *   ./image-worker --name my-worker --model stable_diffusion --jobs 10
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib-unix.h>
#include <libhorde.h>
#include <locale.h>
#include <stdio.h>
#include <webp/encode.h>

#define BRIDGE_AGENT "libhorde image-worker example:1.0:https://github.com/hordestudio"

/* One job the worker holds: popped, and not yet submitted. */
typedef struct {
  char                         *id;
  HordeGenerationPayloadStable *pop;       /* the server's answer to the pop */
  gint64                        seed;
  GBytes                       *webp;      /* the image, once drawn */
  guint                         generating_id;  /* the simulated GPU time */
} Job;

typedef struct {
  GMainLoop                       *loop;
  HordeClient                     *client;
  HordeImageGenerateJobPopRequest *pop_request;  /* the same for every pop */
  GCancellable                    *cancellable;  /* cancelled by Ctrl+C or SIGTERM */

  /* the options */
  gint64                           max_pixels;
  guint                            max_jobs;      /* 0: until interrupted */
  guint                            interval_ms;   /* between empty pops */
  guint                            generate_ms;   /* how long "generating" takes */
  gboolean                         fail_after_pop;

  Job                             *job;           /* the job held, or NULL */
  guint                            wait_id;       /* the wait before the next pop */
  gboolean                         waiting_said;  /* "Waiting for jobs" printed */
  gboolean                         stopping;
  guint                            n_popped;      /* jobs held, however they ended */
  guint                            n_done;
  guint                            n_given_back;
  double                           kudos;
  int                              exit_status;
} Worker;

static void pop_next (Worker *self);

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->generating_id, g_source_remove);
  g_free (job->id);
  g_clear_pointer (&job->pop, horde_generation_payload_stable_unref);
  g_clear_pointer (&job->webp, g_bytes_unref);
  g_free (job);
}

/* ---- after a job: the next pop, or the end --------------------------- */

static void
job_done (Worker *self)
{
  g_clear_pointer (&self->job, job_free);

  if (self->stopping || (self->max_jobs > 0 && self->n_popped >= self->max_jobs))
    g_main_loop_quit (self->loop);
  else
    pop_next (self);   /* there may be more work: no wait after a job */
}

/* ---- submit ------------------------------------------------------------ */

static void
submit_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Worker *self = user_data;
  g_autoptr(HordeGenerationSubmitted) submitted = NULL;
  g_autoptr(GError) error = NULL;

  submitted = horde_client_send_image_generation_job_submit_request_finish (HORDE_CLIENT (source), result, &error);
  if (submitted == NULL)
    {
      /* AbortedGen, say: we took longer than the job's ttl, and the Horde
       * has already given the job to another worker. Nothing to do but go
       * on with the next one. */
      g_printerr ("image-worker: job %s: the submit failed: %s\n", self->job->id, error->message);
    }
  else
    {
      self->n_done++;
      self->kudos += horde_generation_submitted_get_reward (submitted);
      g_print ("Job %s: submitted, %.2f kudos earned\n", self->job->id,
               horde_generation_submitted_get_reward (submitted));
    }
  job_done (self);
}

/* POST /v2/generate/submit for the job held: @generation is "R2" when the
 * image is at the job's r2_upload URL, or the image itself in base64. */
static void
submit (Worker     *self,
        const char *generation)
{
  g_autoptr(HordeImageGenerationJobSubmitRequestBuilder) builder = NULL;
  g_autoptr(HordeImageGenerationJobSubmitRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  builder = horde_image_generation_job_submit_request_builder_new ();
  horde_image_generation_job_submit_request_builder_set_id (builder, self->job->id);
  horde_image_generation_job_submit_request_builder_set_state (builder, HORDE_GENERATION_STATE_OK);
  horde_image_generation_job_submit_request_builder_set_generation (builder, generation);
  horde_image_generation_job_submit_request_builder_set_seed (builder, self->job->seed);
  request = horde_image_generation_job_submit_request_builder_end (builder, &error);
  if (request == NULL)
    {
      g_printerr ("image-worker: job %s: cannot submit: %s\n", self->job->id, error->message);
      job_done (self);
      return;
    }

  /* No cancellable: the submit must reach the server even when we are
   * stopping, or the job waits out its ttl. */
  horde_client_send_image_generation_job_submit_request_async (self->client, request, NULL, submit_cb, self);
}

/* ---- the clean-up path --------------------------------------------------- */

static void
given_back_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Worker *self = user_data;
  g_autoptr(GError) error = NULL;

  if (horde_client_give_back_image_job_finish (HORDE_CLIENT (source), result, &error))
    g_print ("Job %s: back in the queue, for another worker\n", self->job->id);
  else
    g_printerr ("image-worker: job %s: could not give it back: %s\n", self->job->id, error->message);
  job_done (self);
}

/* The worker cannot finish the job it holds: say so to the Horde. A job
 * given back (submitted as "faulted") goes back to the queue at once (the
 * Horde restarts it on another worker, and faults the request after a few
 * tries); a job that is simply dropped stays "processing" until its ttl
 * runs out, and the requester waits all that time for nothing. */
static void
give_back (Worker     *self,
           const char *reason)
{
  g_printerr ("image-worker: job %s: %s\n", self->job->id, reason);
  g_print ("Job %s: giving it back (submitted as faulted)\n", self->job->id);
  self->n_given_back++;
  /* No cancellable, as for a submit: it must reach the server */
  horde_client_give_back_image_job_async (self->client, self->job->pop, NULL, given_back_cb, self);
}

/* ---- upload ---------------------------------------------------------------- */

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Worker *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!horde_client_upload_finish (HORDE_CLIENT (source), result, &error))
    {
      g_autofree char *reason = g_strdup_printf ("the upload failed: %s", error->message);

      give_back (self, reason);   /* cancelled by Ctrl+C too */
      return;
    }
  g_print ("Job %s: uploaded\n", self->job->id);
  submit (self, "R2");
}

/* The image is ready: PUT it to the presigned URL of the pop (no API key
 * goes there: the URL's signature is the permission), then submit "R2". */
static void
deliver (Worker *self)
{
  const char *url = horde_generation_payload_stable_get_r2_upload (self->job->pop);

  if (self->stopping)
    {
      give_back (self, "interrupted while generating");
      return;
    }
  if (url == NULL)
    {
      /* no URL to put it at: the image goes in the submit, in base64 */
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (self->job->webp, NULL),
                                                 g_bytes_get_size (self->job->webp));

      g_print ("Job %s: no r2_upload URL: the image goes in the submit, in base64\n", self->job->id);
      submit (self, base64);
      return;
    }
  horde_client_upload_async (self->client, url, self->job->webp, "image/webp",
                             self->cancellable, upload_cb, self);
}

static gboolean
generated_cb (gpointer user_data)
{
  Worker *self = user_data;

  self->job->generating_id = 0;
  deliver (self);
  return G_SOURCE_REMOVE;
}

/* ---- "generation" ------------------------------------------------------------ */

/* FNV-1a: the same prompt always gives the same colour */
static guint32
hash_prompt (const char *prompt)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) prompt; *p != '\0'; p++)
    hash = (hash ^ *p) * 16777619u;
  return hash;
}

/* A @width × @height WebP: the prompt's colour, with diagonal stripes of
 * half its brightness whose position follows the seed. */
static GBytes *
draw_image (const char  *prompt,
            gint64       seed,
            int          width,
            int          height,
            guint32     *colour)
{
  guint32 hash = hash_prompt (prompt);
  guint8 rgb[3];
  guint offset = (guint) (seed % 64);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 3);
  guint8 *webp = NULL;
  size_t size;

  /* red, green and blue from the hash's bytes, never too dark */
  for (int c = 0; c < 3; c++)
    rgb[c] = (guint8) (64 + (hash >> (16 - 8 * c) & 0xff) % 192);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *pixel = pixels + ((gsize) y * width + x) * 3;
        gboolean stripe = (x + y + offset) % 64 >= 48;

        for (int c = 0; c < 3; c++)
          pixel[c] = stripe ? rgb[c] / 2 : rgb[c];
      }

  /* libwebp's simple encoder: lossy, quality 80 (0 bytes on failure) */
  size = WebPEncodeRGB (pixels, width, height, width * 3, 80, &webp);
  if (size == 0)
    return NULL;
  *colour = (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
  return g_bytes_new_with_free_func (webp, size, WebPFree, webp);
}

static void
generate (Worker *self)
{
  Job *job = self->job;
  HordeModelPayloadStable *payload = horde_generation_payload_stable_get_payload (job->pop);
  const char *prompt = horde_model_payload_stable_get_prompt (payload);
  gint64 width = horde_model_payload_stable_get_width (payload);
  gint64 height = horde_model_payload_stable_get_height (payload);
  g_autofree char *checksum = NULL;
  guint32 colour = 0;

  /* the server knows our max_pixels and should not send more: check anyway */
  if (width < 64 || height < 64 || width * height > self->max_pixels)
    {
      give_back (self, "the image is larger than this worker can make");
      return;
    }
  job->webp = draw_image (prompt ? prompt : "", job->seed, (int) width, (int) height, &colour);
  if (job->webp == NULL)
    {
      give_back (self, "the WebP encoder failed");
      return;
    }
  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, job->webp);
  g_print ("Job %s: drew a %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT " image of colour #%06x, "
           "%" G_GSIZE_FORMAT " bytes of WebP, sha256 %s\n",
           job->id, width, height, colour, g_bytes_get_size (job->webp), checksum);

  /* A real worker would run the model in a thread (g_task_run_in_thread)
   * and come back here; we only wait, as long as --generate-time says. */
  if (self->generate_ms > 0)
    job->generating_id = g_timeout_add (self->generate_ms, generated_cb, self);
  else
    deliver (self);
}

/* ---- pop -------------------------------------------------------------------- */

static gboolean
wait_over_cb (gpointer user_data)
{
  Worker *self = user_data;

  self->wait_id = 0;
  pop_next (self);
  return G_SOURCE_REMOVE;
}

static void
pop_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Worker *self = user_data;
  g_autoptr(HordeGenerationPayloadStable) pop = NULL;
  g_autoptr(GError) error = NULL;
  HordeModelPayloadStable *payload;
  const char *seed;
  Job *job;

  pop = horde_client_send_image_generate_job_pop_request_finish (HORDE_CLIENT (source), result, &error);
  if (pop == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Ctrl+C during a pop: we hold nothing (if the server had already
           * handed us a job, its ttl will free it) */
          g_main_loop_quit (self->loop);
          return;
        }
      g_printerr ("image-worker: the pop failed: %s\n", error->message);
      if (g_error_matches (error, HORDE_ERROR, HORDE_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, HORDE_ERROR, HORDE_ERROR_FORBIDDEN) ||
          g_error_matches (error, HORDE_ERROR, HORDE_ERROR_VALIDATION) ||
          g_error_matches (error, HORDE_ERROR, HORDE_ERROR_BAD_REQUEST) ||
          g_error_matches (error, HORDE_ERROR, HORDE_ERROR_INSECURE))
        {
          /* the key, the name or the options are wrong: trying again won't help */
          self->exit_status = 1;
          g_main_loop_quit (self->loop);
          return;
        }
      /* the server or the network failed (after libhorde's retries): try
       * again a little later */
      self->wait_id = g_timeout_add (self->interval_ms * 5, wait_over_cb, self);
      return;
    }

  if (horde_generation_payload_stable_get_id (pop) == NULL)
    {
      /* an empty pop: nothing we can serve right now. Wait a moment, as
       * every worker does, so as not to hammer the server. */
      if (!self->waiting_said)
        g_print ("Waiting for jobs\n");
      self->waiting_said = TRUE;
      if (self->stopping)
        g_main_loop_quit (self->loop);
      else
        self->wait_id = g_timeout_add (self->interval_ms, wait_over_cb, self);
      return;
    }

  /* We hold a job from now on: every path below ends with a submit. */
  payload = horde_generation_payload_stable_get_payload (pop);
  seed = horde_model_payload_stable_get_seed (payload);
  job = g_new0 (Job, 1);
  job->id = g_strdup (horde_generation_payload_stable_get_id (pop));
  job->pop = g_steal_pointer (&pop);
  job->seed = seed ? (gint64) g_ascii_strtoull (seed, NULL, 10) : 0;
  self->job = job;
  self->n_popped++;
  self->waiting_said = FALSE;
  g_print ("Job %s: %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT " of \"%s\", seed %" G_GINT64_FORMAT
           ", model %s, %" G_GINT64_FORMAT " s to submit it\n",
           job->id, horde_model_payload_stable_get_width (payload), horde_model_payload_stable_get_height (payload),
           horde_model_payload_stable_get_prompt (payload), job->seed,
           horde_generation_payload_stable_get_model (job->pop),
           horde_generation_payload_stable_get_ttl (job->pop));

  if (self->stopping)
    give_back (self, "interrupted during the pop");
  else if (self->fail_after_pop)
    give_back (self, "a simulated failure (--fail-after-pop)");
  else
    generate (self);
}

static void
pop_next (Worker *self)
{
  if (self->stopping)
    {
      g_main_loop_quit (self->loop);
      return;
    }
  horde_client_send_image_generate_job_pop_request_async (self->client, self->pop_request, self->cancellable,
                                                          pop_cb, self);
}

/* ---- Ctrl+C and SIGTERM --------------------------------------------------------- */

static gboolean
stop_cb (gpointer user_data)
{
  Worker *self = user_data;

  if (self->stopping)
    {
      /* a second Ctrl+C: leave at once, even holding a job */
      g_printerr ("image-worker: stopping now\n");
      self->exit_status = 1;
      g_main_loop_quit (self->loop);
      return G_SOURCE_CONTINUE;
    }
  self->stopping = TRUE;
  g_print ("Stopping\n");

  /* between pops: nothing held, nothing running */
  if (self->wait_id != 0)
    {
      g_clear_handle_id (&self->wait_id, g_source_remove);
      g_main_loop_quit (self->loop);
    }
  /* holding a job that is being "generated": give it back now */
  else if (self->job != NULL && self->job->generating_id != 0)
    {
      g_clear_handle_id (&self->job->generating_id, g_source_remove);
      give_back (self, "interrupted while generating");
    }
  /* Otherwise a pop or an upload is running: cancelling it lands in
   * pop_cb() (which quits) or upload_cb() (which gives the job back). A
   * submit that runs is left to finish; submit_cb() then quits. */
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_CONTINUE;
}

/* ---- main --------------------------------------------------------------------- */

static HordeImageGenerateJobPopRequest *
build_pop_request (const char          *name,
                   const char * const  *models,
                   gint64               max_pixels,
                   GError             **error)
{
  g_autoptr(HordeImageGenerateJobPopRequestBuilder) builder = horde_image_generate_job_pop_request_builder_new ();

  horde_image_generate_job_pop_request_builder_set_name (builder, name);
  horde_image_generate_job_pop_request_builder_set_models (builder, models);
  horde_image_generate_job_pop_request_builder_set_max_pixels (builder, max_pixels);
  horde_image_generate_job_pop_request_builder_set_bridge_agent (builder, BRIDGE_AGENT);
  horde_image_generate_job_pop_request_builder_set_nsfw (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_amount (builder, 1);
  /* what this worker cannot do: the Horde then keeps such requests for others */
  horde_image_generate_job_pop_request_builder_set_allow_img2img (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_allow_painting (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_allow_post_processing (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_allow_controlnet (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_allow_sdxl_controlnet (builder, FALSE);
  horde_image_generate_job_pop_request_builder_set_allow_lora (builder, FALSE);

  return horde_image_generate_job_pop_request_builder_end (builder, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HordeClient) client = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) models = NULL;
  gint64 max_pixels = 1024 * 1024;
  int jobs = 0;
  int generate_ms = 0;
  double interval = 2.0;
  gboolean fail_after_pop = FALSE;
  const char *default_models[] = { "stable_diffusion", NULL };
  Worker worker = { 0 };
  guint sigint_id, sigterm_id;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "The worker's name (default: image-worker@HOST)", "NAME" },
    { "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &models, "A model to serve (repeat for more; default: stable_diffusion)", "NAME" },
    { "max-pixels", 0, 0, G_OPTION_ARG_INT64, &max_pixels, "The largest image to make, in pixels (default: 1048576)", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Stop after N jobs (default: 0, until interrupted)", "N" },
    { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &interval, "Seconds to wait after an empty pop (default: 2)", "SECONDS" },
    { "generate-time", 0, 0, G_OPTION_ARG_INT, &generate_ms, "How long generating an image takes (default: 0)", "MS" },
    { "fail-after-pop", 0, 0, G_OPTION_ARG_NONE, &fail_after_pop, "Fail each job after popping it (tries the clean-up path)", NULL },
    G_OPTION_ENTRY_NULL
  };

  /* g_print() and g_printerr() write in the charset of the user's locale */
  setlocale (LC_ALL, "");
  /* a log: a line at a time, also when it goes to a pipe or a file */
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new ("- serve image jobs of the AI Horde");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1 ||
      jobs < 0 || generate_ms < 0 || max_pixels < 64 * 64 || interval < 0.1)
    {
      g_printerr ("image-worker: %s\n", error ? error->message : "invalid arguments (see --help)");
      return 2;
    }
  if (name == NULL)
    name = g_strdup_printf ("image-worker@%s", g_get_host_name ());

  worker.pop_request = build_pop_request (name, models ? (const char * const *) models : default_models,
                                          max_pixels, &error);
  if (worker.pop_request == NULL)
    {
      g_printerr ("image-worker: %s\n", error->message);
      return 2;
    }

  /* $AI_HORDE_URL and $AI_HORDE_API_KEY */
  client = horde_client_new ();
  if (g_strcmp0 (horde_client_get_api_key (client), HORDE_ANONYMOUS_API_KEY) == 0)
    {
      g_printerr ("image-worker: a worker needs the API key of a registered user in $AI_HORDE_API_KEY\n");
      horde_image_generate_job_pop_request_unref (worker.pop_request);
      return 2;
    }

  worker.loop = loop;
  worker.client = client;
  worker.cancellable = cancellable;
  worker.max_pixels = max_pixels;
  worker.max_jobs = (guint) jobs;
  worker.interval_ms = (guint) (interval * 1000);
  worker.generate_ms = (guint) generate_ms;
  worker.fail_after_pop = fail_after_pop;

  sigint_id = g_unix_signal_add (SIGINT, stop_cb, &worker);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_cb, &worker);

  {
    g_autofree char *served = g_strjoinv (", ", models ? models : (char **) default_models);

    g_print ("Worker \"%s\" serving %s, up to %" G_GINT64_FORMAT " pixels\n", name, served, max_pixels);
  }
  pop_next (&worker);
  g_main_loop_run (loop);

  g_print ("Jobs served: %u, given back: %u; %.2f kudos earned\n", worker.n_done, worker.n_given_back, worker.kudos);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&worker.wait_id, g_source_remove);
  g_clear_pointer (&worker.job, job_free);
  horde_image_generate_job_pop_request_unref (worker.pop_request);
  return worker.exit_status;
}

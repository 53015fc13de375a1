/* horde-cli-unserved.c: why no worker takes an image request, from the
 * workers the Horde lists
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Horde says that no worker can serve a request (is_possible false)
 * but not why, and it says nothing when the only workers of a model are
 * ones it never gives the request to (an r2 request and a worker whose
 * bridge it does not know can upload). GET /v2/workers tells, per worker,
 * most of what the server checks (its horde/classes/stable/worker.py
 * can_generate() and database/functions.py): the models, maintenance,
 * nsfw, max_pixels, trust, img2img, lora, and the bridge agent, which the
 * server's bridge reference (horde/bridge_reference.py) judges. Where every
 * worker that serves the model is kept out by what the list shows, that
 * is the reason; where one is not, the list says nothing and neither does
 * the CLI.
 */

#include "config.h"

#include "horde-cli.h"

typedef enum {
  KEPT_OUT_MAINTENANCE = 1 << 0,
  KEPT_OUT_NSFW = 1 << 1,
  KEPT_OUT_SIZE = 1 << 2,
  KEPT_OUT_TRUSTED = 1 << 3,
  KEPT_OUT_R2 = 1 << 4,
  KEPT_OUT_IMG2IMG = 1 << 5,
  KEPT_OUT_LORA = 1 << 6,
} KeptOut;

/* The bridges the AI Horde knows can upload to R2, from the version on
 * (its bridge reference, BRIDGE_CAPABILITIES, capability "r2"). Any other
 * bridge agent gets only requests with r2: false. */
static const struct {
  const char *name;
  guint       since_major;
} r2_bridges[] = {
  { "AI Horde Worker reGen", 1 },
  { "AI Horde Worker", 8 },
  { "SD-WebUI Stable Horde Worker Bridge", 1 },
};

/* "NAME:VERSION:URL", as the server splits it; a version it cannot read
 * counts as 0 there too */
gboolean
horde_cli_bridge_can_upload_r2 (const char *bridge_agent)
{
  g_auto(GStrv) parts = NULL;
  guint64 major = 0;

  if (bridge_agent == NULL)
    return FALSE;
  parts = g_strsplit (bridge_agent, ":", 3);
  if (g_strv_length (parts) < 3)
    return FALSE;
  if (!g_ascii_isdigit (parts[1][0]))
    return FALSE;
  major = g_ascii_strtoull (parts[1], NULL, 10);
  for (guint i = 0; i < G_N_ELEMENTS (r2_bridges); i++)
    if (g_str_equal (parts[0], r2_bridges[i].name))
      return major >= r2_bridges[i].since_major;
  return FALSE;
}

static gboolean
serves_a_model (HordeWorkerDetails *worker,
                const char * const *models)
{
  const char * const *has = horde_worker_details_get_models (worker);

  if (models == NULL || models[0] == NULL)
    return TRUE;
  for (guint i = 0; models[i] != NULL; i++)
    if (has != NULL && g_strv_contains (has, models[i]))
      return TRUE;
  return FALSE;
}

static KeptOut
kept_out (HordeImageGenerateAsyncRequest *request,
          HordeWorkerDetails             *worker)
{
  HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (request);
  gint64 width = 512, height = 512;
  gsize n_loras = 0;
  KeptOut why = 0;

  if (params != NULL)
    {
      width = horde_model_generation_input_stable_get_width (params);
      height = horde_model_generation_input_stable_get_height (params);
      horde_model_generation_input_stable_get_loras (params, &n_loras);
    }

  if (horde_worker_details_get_maintenance_mode (worker) || horde_worker_details_get_paused (worker))
    why |= KEPT_OUT_MAINTENANCE;
  /* unset, the server takes nsfw as true (so does the getter) */
  if (horde_image_generate_async_request_get_nsfw (request) && !horde_worker_details_get_nsfw (worker))
    why |= KEPT_OUT_NSFW;
  if (horde_worker_details_has_max_pixels (worker) && width * height > horde_worker_details_get_max_pixels (worker))
    why |= KEPT_OUT_SIZE;
  if (horde_image_generate_async_request_get_trusted_workers (request) && !horde_worker_details_get_trusted (worker))
    why |= KEPT_OUT_TRUSTED;
  if (horde_image_generate_async_request_get_r2 (request) &&
      !horde_cli_bridge_can_upload_r2 (horde_worker_details_get_bridge_agent (worker)))
    why |= KEPT_OUT_R2;
  if (horde_image_generate_async_request_get_source_image (request) != NULL &&
      horde_worker_details_has_img2img (worker) && !horde_worker_details_get_img2img (worker))
    why |= KEPT_OUT_IMG2IMG;
  if (n_loras > 0 && horde_worker_details_has_lora (worker) && !horde_worker_details_get_lora (worker))
    why |= KEPT_OUT_LORA;

  return why;
}

/* what keeps a worker out, as the end of "the N workers serving M …" */
static char *
kept_out_words (KeptOut                         why,
                guint                           n,
                HordeImageGenerateAsyncRequest *request,
                gint64                          max_pixels)
{
  HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (request);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean one = n == 1;

  if (why & KEPT_OUT_MAINTENANCE)
    g_ptr_array_add (parts, g_strdup (one ? "is in maintenance or paused" : "are in maintenance or paused"));
  if (why & KEPT_OUT_NSFW)
    g_ptr_array_add (parts, g_strdup (one ? "does not take NSFW requests (ask without --nsfw)"
                                          : "do not take NSFW requests (ask without --nsfw)"));
  if (why & KEPT_OUT_SIZE)
    g_ptr_array_add (parts, g_strdup_printf ("%s images of at most %" G_GINT64_FORMAT " pixels, and this one has "
                                             "%" G_GINT64_FORMAT "×%" G_GINT64_FORMAT " (ask for a smaller size)",
                                             one ? "makes" : "make", max_pixels,
                                             params ? horde_model_generation_input_stable_get_width (params) : 512,
                                             params ? horde_model_generation_input_stable_get_height (params) : 512));
  if (why & KEPT_OUT_TRUSTED)
    g_ptr_array_add (parts, g_strdup (one ? "is not trusted, and the request asks for trusted workers"
                                          : "are not trusted, and the request asks for trusted workers"));
  if (why & KEPT_OUT_R2)
    g_ptr_array_add (parts, g_strdup_printf ("%s a bridge the Horde knows can upload to R2, so the Horde gives %s "
                                             "only requests that ask for base64 images (r2: false)",
                                             one ? "does not run" : "do not run", one ? "it" : "them"));
  if (why & KEPT_OUT_IMG2IMG)
    g_ptr_array_add (parts, g_strdup (one ? "does not take a source image" : "do not take a source image"));
  if (why & KEPT_OUT_LORA)
    g_ptr_array_add (parts, g_strdup (one ? "does not take LoRAs" : "do not take LoRAs"));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", and ", (char **) parts->pdata);
}

/* "“Deliberate”", "any of “A”, “B”", or NULL for any model */
static char *
models_words (const char * const *models)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = models ? g_strv_length ((char **) models) : 0;

  if (n == 0)
    return NULL;
  if (n > 1)
    g_string_append (text, "any of ");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = horde_cli_name (models[i]);

      g_string_append_printf (text, "%s“%s”", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Why no worker of @workers (an image worker list) takes @request, in
 * words, or NULL when the list shows a worker that can. */
char *
horde_cli_why_unserved (HordeImageGenerateAsyncRequest *request,
                        HordeWorkerDetails * const     *workers,
                        gsize                           n_workers)
{
  const char * const *models = horde_image_generate_async_request_get_models (request);
  g_autofree char *model = models_words (models);
  g_autofree char *serving = NULL;
  KeptOut common = ~0;
  guint n = 0, counts[7] = { 0 };
  gint64 max_pixels = 0;

  for (gsize i = 0; i < n_workers; i++)
    {
      HordeWorkerDetails *worker = workers[i];
      KeptOut why;

      if (horde_worker_details_has_online (worker) && !horde_worker_details_get_online (worker))
        continue;
      if (!serves_a_model (worker, models))
        continue;
      why = kept_out (request, worker);
      if (why == 0)
        return NULL;
      n++;
      common &= why;
      for (guint bit = 0; bit < G_N_ELEMENTS (counts); bit++)
        if (why & (1 << bit))
          counts[bit]++;
      if (why & KEPT_OUT_SIZE)
        max_pixels = MAX (max_pixels, horde_worker_details_get_max_pixels (worker));
    }

  if (n == 0)
    return model
      ? g_strdup_printf ("no worker online serves %s (“horde models” lists the models served now)", model)
      : g_strdup ("no image worker is online");

  serving = model
    ? g_strdup_printf ("%u worker%s serving %s", n, n == 1 ? "" : "s", model)
    : g_strdup_printf ("%u image worker%s online", n, n == 1 ? "" : "s");

  if (common != 0)
    {
      g_autofree char *words = kept_out_words (common, n, request, max_pixels);

      return g_strdup_printf ("the %s %s", serving, words);
    }

  /* each is kept out, not all for the same reason */
  {
    g_autoptr(GString) text = g_string_new (NULL);
    gboolean first = TRUE;

    g_string_append_printf (text, "none of the %s can take it:", serving);
    for (guint bit = 0; bit < G_N_ELEMENTS (counts); bit++)
      {
        g_autofree char *words = NULL;

        if (counts[bit] == 0)
          continue;
        words = kept_out_words (1 << bit, counts[bit], request, max_pixels);
        g_string_append_printf (text, "%s %u %s", first ? "" : ";", counts[bit], words);
        first = FALSE;
      }
    return g_string_free (g_steal_pointer (&text), FALSE);
  }
}

/* horde-studio-messages.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <libhorde.h>

#include "horde-studio-messages.h"

typedef struct {
  const char *rc;                /* NULL: matches by code only */
  HordeError code;
  const char *text;
  const char *hint;
} Known;

/* The first match wins: return codes before the plain error codes. */
static const Known known[] = {
  /* KudosUpfront is worded by describe_upfront(), with the server's figure */
  /* the real server answers a wrong key on find_user with 404 UserNotFound
   * ("User with api_key '…' not found.", plus flask-restx's routing hint) */
  { "UserNotFound", HORDE_ERROR_NOT_FOUND,
    N_("The Horde does not know this API key."),
    N_("Check the key in Preferences, or remove it to generate anonymously.") },
  { "TooManyPrompts", HORDE_ERROR_RATE_LIMITED,
    N_("You have as many requests waiting on the Horde as it allows."),
    N_("Wait for one to finish, or cancel one, then retry.") },
  { "InvalidAPIKey", HORDE_ERROR_UNAUTHORIZED,
    N_("The Horde does not know your API key."),
    N_("Check the key in Preferences, or remove it to generate anonymously.") },
  { "AnonForbidden", HORDE_ERROR_FORBIDDEN,
    N_("The Horde does not allow this without an account."),
    N_("Set your API key in Preferences.") },
  { "TimeoutIP", HORDE_ERROR_FORBIDDEN,
    N_("The Horde is refusing requests from your network for a while."),
    N_("Wait a few minutes before trying again.") },
  { "MaintenanceMode", HORDE_ERROR_BAD_REQUEST,
    N_("The Horde is in maintenance and takes no new requests."),
    N_("Try again later.") },
  { NULL, HORDE_ERROR_VALIDATION, NULL, N_("Change the highlighted setting.") },
  { NULL, HORDE_ERROR_NETWORK,
    N_("Could not reach the Horde."),
    N_("Check your connection, or the server address in Preferences. Nothing was lost: retry when it is back.") },
  { NULL, HORDE_ERROR_TIMEOUT,
    N_("The Horde took too long to answer."),
    N_("Retry; if it keeps happening, the Horde may be busy.") },
  { NULL, HORDE_ERROR_RATE_LIMITED,
    N_("The Horde asked to slow down."),
    N_("Wait a moment, then retry.") },
  { NULL, HORDE_ERROR_SERVER_ERROR,
    N_("The Horde had a problem with this request."),
    N_("Retry in a moment.") },
  { NULL, HORDE_ERROR_FAULTED,
    N_("The Horde could not finish this request: its workers failed."),
    N_("Retry it; another worker may succeed, or try another model.") },
  { NULL, HORDE_ERROR_EXPIRED,
    N_("The Horde dropped this request: it waited too long."),
    N_("Retry it.") },
  { NULL, HORDE_ERROR_NOT_FOUND,
    N_("The Horde no longer knows this request."),
    N_("Retry it.") },
  { NULL, HORDE_ERROR_INVALID_RESPONSE,
    N_("The Horde sent something that could not be read."),
    N_("Retry; if it keeps happening, report it.") },
  { NULL, HORDE_ERROR_INSECURE,
    N_("Your API key would travel unencrypted to this server."),
    N_("Use an https server address in Preferences.") },
  { NULL, HORDE_ERROR_UNAUTHORIZED,
    N_("The Horde refused your API key."),
    N_("Check the key in Preferences.") },
  { NULL, HORDE_ERROR_FORBIDDEN,
    N_("The Horde does not allow this request."),
    NULL },
};

/* The most of the server's words shown in one place */
#define MAX_SERVER_TEXT 400

/**
 * horde_studio_server_text:
 * @text: (nullable): words of the server, untrusted
 *
 * Makes the server's own words fit to show: valid UTF-8 on one line, with
 * no control characters, without the routing hint flask-restx appends to
 * a 404 ("… You have requested this URI [/api/v2/find_user] but did you
 * mean …"), and at most a few hundred characters.
 *
 * Returns: (transfer full) (nullable): the words, or %NULL if none are left
 */
char *
horde_studio_server_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  const char *hint;
  glong n_chars = 0;
  const char *p;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  hint = strstr (valid, "You have requested this URI");
  if (hint == NULL)
    hint = strstr (valid, " but did you mean ");
  if (hint != NULL)
    *(char *) hint = '\0';

  out = g_string_new (NULL);
  for (p = valid; *p != '\0' && n_chars < MAX_SERVER_TEXT; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        c = ' ';
      g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");

  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The kudos a KudosUpfront answer says the request needs: "… This request
 * requires 59.56 kudos to fulfil." (stable.py); -1 when it says none */
static double
required_kudos (const char *message)
{
  const char *p;
  char *end = NULL;
  double kudos;

  if (message == NULL || (p = strstr (message, "requires ")) == NULL)
    return -1;
  p += strlen ("requires ");
  /* digits and one point only: no signs, exponents, "inf" or "nan" */
  if (!g_ascii_isdigit (*p))
    return -1;
  kudos = g_ascii_strtod (p, &end);
  if (end == p || end - p > 16 || !g_str_has_prefix (end, " kudos") ||
      !isfinite (kudos) || kudos < 0 || kudos > 1e12)
    return -1;
  for (const char *q = p; q < end; q++)
    if (!g_ascii_isdigit (*q) && *q != '.')
      return -1;
  return kudos;
}

static char *
describe_upfront (const GError  *error,
                  gboolean       signed_in,
                  char         **hint)
{
  double kudos = required_kudos (horde_error_get_server_message (error));
  g_autofree char *figure = NULL;

  /* as the server gave it, without trailing zeros: 59.56, 60 */
  if (kudos >= 0)
    figure = g_strdup_printf ("%.*f", kudos == floor (kudos) ? 0 : 2, kudos);

  if (signed_in)
    {
      if (hint)
        *hint = g_strdup (_("Use fewer steps or a smaller size, or turn on “Allow downgrade”. Kudos come from running a worker or from other users."));
      if (figure != NULL)
        /* TRANSLATORS: %s is the server's figure, "59.56" */
        return g_strdup_printf (_("This request needs %s kudos upfront, more than your account has now."), figure);
      return g_strdup (_("This request needs kudos upfront, more than your account has now."));
    }

  if (hint)
    *hint = g_strdup (_("Use fewer steps or a smaller size, turn on “Allow downgrade”, or set an API key with kudos in Preferences."));
  if (figure != NULL)
    return g_strdup_printf (_("This request needs %s kudos upfront: without an account that has kudos, the Horde makes images of at most 1024×1024 pixels and 50 steps."), figure);
  return g_strdup (_("This request needs kudos upfront: without an account that has kudos, the Horde makes images of at most 1024×1024 pixels and 50 steps."));
}

/**
 * horde_studio_describe_error_for:
 * @error: an error of libhorde (or a cancellation)
 * @signed_in: whether the request carried a key of an account (not the
 *   anonymous one): the advice differs
 * @hint: (out) (optional) (nullable): what the user can do about it
 *
 * Says what went wrong in words a person reads, never the raw answer of the
 * server: the server's own message only where no better words are known.
 *
 * Returns: (transfer full): the description
 */
char *
horde_studio_describe_error_for (const GError  *error,
                                 gboolean       signed_in,
                                 char         **hint)
{
  const char *rc;

  if (hint)
    *hint = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Cancelled. The images finished before were kept."));

  if (error->domain != HORDE_ERROR)
    return g_strdup (error->message);

  rc = horde_error_get_rc (error);
  if (g_strcmp0 (rc, "KudosUpfront") == 0)
    return describe_upfront (error, signed_in, hint);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      const Known *k = &known[i];

      if (k->rc != NULL ? g_strcmp0 (k->rc, rc) != 0 : (int) k->code != error->code)
        continue;

      if (hint && k->hint)
        *hint = g_strdup (_(k->hint));
      if (k->text == NULL)
        return g_strdup (error->message);
      return g_strdup (_(k->text));
    }

  /* the server's words, without the codes libhorde adds for programs */
  {
    char *words = horde_studio_server_text (horde_error_get_server_message (error));

    if (words != NULL)
      return words;
  }
  return g_strdup (error->message);
}

/**
 * horde_studio_describe_error:
 * @error: an error of libhorde (or a cancellation)
 * @hint: (out) (optional) (nullable): what the user can do about it
 *
 * [func@describe_error_for] for a request made without an account.
 *
 * Returns: (transfer full): the description
 */
char *
horde_studio_describe_error (const GError  *error,
                             char         **hint)
{
  return horde_studio_describe_error_for (error, FALSE, hint);
}

typedef struct {
  const char *code;
  const char *text;
} KnownWarning;

/* The warnings of the server's 202 answer (horde/enums.py, WarningMessage;
 * set in horde/validation.py from the model reference). The request runs
 * as it was sent all the same. */
static const KnownWarning known_warnings[] = {
  { "StepsTooMany", N_("This model is made for fewer steps than these: the images may come out worse.") },
  { "StepsTooFew", N_("This model needs more steps than these: the images may come out unfinished.") },
  { "CfgScaleMismatch", N_("The guidance scale does not suit one of the chosen models.") },
  { "CfgScaleTooSmall", N_("The guidance scale is too small for this model.") },
  { "CfgScaleTooLarge", N_("The guidance scale is too large for this model.") },
  { "SamplerMismatch", N_("The sampler does not suit one of the chosen models.") },
  { "SchedulerMismatch", N_("The Karras setting does not suit one of the chosen models.") },
  { "ClipSkipMismatch", N_("The CLIP skip does not suit one of the chosen models.") },
};

/**
 * horde_studio_describe_warning:
 * @code: (nullable): the warning's code, "StepsTooMany"
 * @message: (nullable): the server's words for it
 *
 * Says a warning of the server in words. `NoAvailableWorker` is not here:
 * the job's row says it with the request's expiry.
 *
 * Returns: (transfer full) (nullable): the words, or %NULL if there are none
 */
char *
horde_studio_describe_warning (const char *code,
                               const char *message)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (known_warnings); i++)
    if (g_str_equal (known_warnings[i].code, code))
      return g_strdup (_(known_warnings[i].text));

  if (message != NULL)
    return horde_studio_server_text (message);
  return horde_studio_server_text (code);
}

/**
 * horde_studio_describe_wait:
 * @is_possible: the last /check's `is_possible`
 * @wait_time: its `wait_time`, in seconds
 * @since_check: the seconds since that answer came
 * @processing: its `processing`
 *
 * What is known of the time left, counted down from the last answer: the
 * app asks the server only every few seconds, and the time left must not
 * stand still in between. The real server answers `wait_time` 0 when it
 * has no estimate: while the request waits with no worker on it, and
 * while it renders; that is no promise of "0 s". An estimate that has run
 * out says so without going below 0.
 *
 * Returns: (transfer full): " · about 40 s left", " · rendering", …
 */
char *
horde_studio_describe_wait (gboolean is_possible,
                            gint64   wait_time,
                            gint64   since_check,
                            gint64   processing)
{
  if (!is_possible)
    return g_strdup (_(" · no worker can make it now"));
  if (wait_time > 0 && wait_time - MAX (since_check, 0) > 0)
    /* TRANSLATORS: keep the no-break space (U+00A0) between the figure
     * and its unit */
    return g_strdup_printf (_(" · about %d\u00a0s left"), (int) MIN (wait_time - MAX (since_check, 0), G_MAXINT));
  if (wait_time > 0)
    /* TRANSLATORS: the time the Horde estimated has run out, and the
     * request is still on its way */
    return g_strdup (_(" · any moment now"));
  if (processing > 0)
    return g_strdup (_(" · rendering"));
  return g_strdup (_(" · waiting for a worker"));
}

/* The tax the real server takes from an image request when it accepts it
 * (WaitingPrompt._activate: 1, plus the kudos_adjustment of 2 that
 * stable.py passes whenever style_kudos is not None, which it never is:
 * it starts as False), whatever happens to the request afterwards. The
 * dry run counts 1 for it instead. */
#define IMAGE_REQUEST_TAX 3
#define DRY_RUN_REQUEST_TAX 1

/**
 * horde_studio_describe_estimate:
 * @dry_run_kudos: the `kudos` of the dry run's answer
 *
 * The dry run's figure as what will be charged: the server's dry run is
 * n × (each image's cost and its own 1 kudos) + 1, while a request that is
 * accepted pays a tax of 3 at once, kept even if it is cancelled, then each
 * image's cost as it is finished.
 *
 * Returns: (transfer full): "About 18 kudos + 3 tax"
 */
char *
horde_studio_describe_estimate (double dry_run_kudos)
{
  double images = MAX (0, dry_run_kudos - DRY_RUN_REQUEST_TAX);

  /* TRANSLATORS: the estimate before sending: the images' cost, then the
   * tax the Horde takes for each request, "About 18 kudos + 3 tax" */
  return g_strdup_printf (_("About %.0f kudos + %d tax"), images, IMAGE_REQUEST_TAX);
}

/**
 * horde_studio_describe_expected_cost:
 * @accepted_kudos: the `kudos` of the answer that accepted the request
 * @n: the images asked for
 *
 * What a running request is expected to cost. The real server's 202
 * answer gives each image's cost before the Horde's share (the
 * WaitingPrompt's kudos); each finished image is charged that plus 1, on
 * top of the request's tax of 3. Post-processing and img2img cost more:
 * it is an estimate.
 *
 * Returns: (transfer full) (nullable): " · about 10 kudos", or %NULL if
 *   nothing is known
 */
char *
horde_studio_describe_expected_cost (double accepted_kudos,
                                     gint64 n)
{
  if (accepted_kudos <= 0 || !isfinite (accepted_kudos) || n <= 0)
    return NULL;

  /* TRANSLATORS: what a running request is expected to cost */
  return g_strdup_printf (_(" · about %.0f\u00a0kudos"), IMAGE_REQUEST_TAX + n * (accepted_kudos + 1));
}

/**
 * horde_studio_describe_cost:
 * @kudos: what the request cost, from the server
 * @tax: what it cost before any image was finished (the request's tax),
 *   or a negative number if that was not seen
 * @cancelled: whether the request was cancelled
 * @n_images: the images it brought
 * @n_requested: the images it asked for
 *
 * What a request cost, once it has ended.
 *
 * Returns: (transfer full) (nullable): " · cost 21 kudos", or %NULL if
 *   it cost nothing
 */
char *
horde_studio_describe_cost (double   kudos,
                            double   tax,
                            gboolean cancelled,
                            guint    n_images,
                            gint64   n_requested)
{
  if (kudos <= 0)
    return NULL;

  if (cancelled && n_images < n_requested && tax > 0)
    {
      if (n_images == 0 || tax >= kudos)
        /* TRANSLATORS: a cancelled request that brought no image */
        return g_strdup_printf (_(" · cost %.0f\u00a0kudos: the Horde’s tax for the request, kept after a cancel"), kudos);
      return g_strdup_printf (_(" · cost %.0f\u00a0kudos, of which %.0f\u00a0are the Horde’s tax for the request"), kudos, tax);
    }
  return g_strdup_printf (_(" · cost %.0f\u00a0kudos"), kudos);
}

/**
 * horde_studio_describe_queue:
 * @has_jobs: whether the server gave `jobs`
 * @jobs: the images waiting for the model (`jobs`)
 * @queued: the work waiting for it (`queued`: pixelsteps for an image
 *   model, in the real server's count_things_per_model)
 *
 * The queue of a model in words.
 *
 * Returns: (transfer full) (nullable): "12 images waiting (3.1 megapixelsteps)",
 *   or %NULL if nothing waits
 */
char *
horde_studio_describe_queue (gboolean has_jobs,
                             double   jobs,
                             double   queued)
{
  double mps = queued / 1e6;

  if (has_jobs && jobs >= 1)
    {
      int n = (int) MIN (jobs, G_MAXINT);

      /* under a tenth of a megapixelstep is no figure worth a word */
      if (mps >= 0.1)
        /* TRANSLATORS: a model's queue: the images waiting, and the work
         * they are, "12 images waiting (3.1 megapixelsteps)" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d image waiting (%.1f megapixelsteps)",
                                             "%d images waiting (%.1f megapixelsteps)", n), n, mps);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d image waiting", "%d images waiting", n), n);
    }
  if (mps >= 0.1)
    return g_strdup_printf (_("%.1f megapixelsteps waiting"), mps);
  return NULL;
}

/* horde-studio-model-chooser.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <webp/decode.h>

#include "horde-studio-application.h"
#include "horde-studio-messages.h"
#include "horde-studio-model-chooser.h"
#include "horde-studio-source-image.h"
#include "horde-studio-util.h"

/* The models again every few minutes while the row is on screen: workers
 * come and go, and bring their models */
#define MODELS_REFRESH_SECONDS 300
/* a showcase image comes from another host: no more than this */
#define SHOWCASE_MAX_BYTES (4 * 1024 * 1024)
#define SHOWCASE_MAX_SIDE 4096
/* and decoded no larger than this */
#define SHOWCASE_SHOWN_SIDE 512
/* the most trigger words the details offer */
#define MAX_TRIGGERS 24

/* HordeStudioModelChooser: the compose pane's Model row. It lists the
 * models the Horde's workers serve, each with its workers, queue and wait
 * (the most served first, those made for inpainting first while the
 * request paints), says the chosen one's in its subtitle, and asks the
 * server again while it is shown. "Any model" is the first choice.
 *
 * What the Horde's model reference says of the chosen model (the
 * application's, horde-studio-baseline.c) shows under its line ("SDXL ·
 * 1024×1024 · generalist") and in "About this model": its description,
 * version, homepage, trigger words, what it requires of the request
 * (warned of when the form breaks it) and, once the user opens it, a
 * showcase image. Every word of the reference is the network's: cleaned
 * and bounded before it is shown. */
struct _HordeStudioModelChooser
{
  AdwActionRow parent_instance;

  GtkDropDown *model_dropdown;

  HordeClient *client;
  HordeStudioConnection *connection;
  GtkStringList *models;          /* "" (any model), then the served models */
  GHashTable *model_info;         /* name → HordeActiveModel */
  GCancellable *models_cancellable; /* the latest list of models */
  gint64 models_loaded_at;        /* monotonic time of the last list asked for */
  guint models_source;            /* asks again while the row is shown */
  gboolean painting;              /* the request inpaints or outpaints */
  gboolean syncing;               /* set while the code reorders the list */

  GtkImage *warning_icon;
  GtkMenuButton *details_button;
  GtkPopover *details_popover;
  GtkBox *details_box;
  GtkLabel *description_label;
  GtkLabel *version_label;
  GtkLinkButton *homepage_button;
  GtkFlowBox *triggers;
  GtkLabel *requirements_label;
  GtkBox *warning_box;
  GtkLabel *warning_label;
  GtkPicture *showcase;

  HordeImageModelRecord *record;  /* the chosen model's, if the reference has it */
  char *warning;                  /* how the form breaks the model's requirements */
  /* the form's values, horde_studio_model_chooser_set_params() */
  char *sampler;
  int steps;
  double cfg;
  int clip_skip;
  gboolean karras;
  gboolean has_params;

  SoupSession *session;           /* for showcase images, made when needed */
  GCancellable *showcase_cancellable;
  HordeImageModelRecord *showcase_for; /* the record whose showcase is shown or asked */
  GByteArray *showcase_data;
  GInputStream *showcase_stream;
};

G_DEFINE_FINAL_TYPE (HordeStudioModelChooser, horde_studio_model_chooser, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  INSERT_TEXT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void sort_models (HordeStudioModelChooser *self);

/**
 * horde_studio_model_chooser_get_model:
 * @self: a #HordeStudioModelChooser
 *
 * Returns: (nullable): the name of the model chosen, %NULL for any model
 */
const char *
horde_studio_model_chooser_get_model (HordeStudioModelChooser *self)
{
  guint position;

  g_return_val_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self), NULL);

  position = gtk_drop_down_get_selected (self->model_dropdown);
  if (position == GTK_INVALID_LIST_POSITION || position == 0)
    return NULL;
  return gtk_string_list_get_string (self->models, position);
}

/**
 * horde_studio_model_chooser_get_baseline:
 * @self: a #HordeStudioModelChooser
 * @baseline: (out) (optional): the family of the model chosen
 *
 * The family of models the chosen one belongs to, as the model reference
 * says, else as its name tells (horde_studio_model_baseline()).
 *
 * Returns: %FALSE for any model (@baseline is then left alone)
 */
gboolean
horde_studio_model_chooser_get_baseline (HordeStudioModelChooser *self,
                                         HordeStudioBaseline     *baseline)
{
  const char *model = horde_studio_model_chooser_get_model (self);

  if (model == NULL)
    return FALSE;
  if (baseline != NULL)
    *baseline = horde_studio_model_baseline (model);
  return TRUE;
}

/* What the server says of a model: "3 workers · 12 images waiting (3.1
 * megapixelsteps) · about 40 s";
 * @name NULL is "any model" */
static char *
model_summary (HordeStudioModelChooser *self,
               const char              *name)
{
  HordeActiveModel *model = name ? g_hash_table_lookup (self->model_info, name) : NULL;
  g_autofree char *workers = NULL;
  g_autofree char *queue = NULL;
  gint64 count;

  if (name == NULL)
    return g_strdup (_("Any model a worker serves"));
  if (model == NULL)
    return g_strdup (_("No worker serves it now"));

  count = horde_active_model_get_count (model);
  workers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d worker", "%d workers", count), (int) count);
  /* the real server's `queued` is pixelsteps for an image model; the
   * images waiting are its `jobs` */
  queue = horde_studio_describe_queue (horde_active_model_has_jobs (model),
                                       horde_active_model_get_jobs (model),
                                       horde_active_model_get_queued (model));
  if (queue == NULL)
    return g_strdup_printf (_("%s · no queue"), workers);
  if (horde_active_model_get_eta (model) <= 0)
    return g_strdup_printf ("%s · %s", workers, queue);

  /* TRANSLATORS: a model's line: its workers, its queue and the
   * estimated wait, "3 workers · 12 images waiting (3.1 megapixelsteps) · about 40 s" */
  return g_strdup_printf (_("%s · %s · about %d s"),
                          workers, queue, (int) MIN (horde_active_model_get_eta (model), G_MAXINT));
}

/* the reference's words made safe to show: valid UTF-8, no control or
 * format characters, bounded; NULL if nothing is left */
static char *
clean (const char *text)
{
  g_autofree char *safe = text != NULL ? horde_studio_server_text (text) : NULL;
  GString *out;

  if (safe == NULL)
    return NULL;
  /* and the runs of spaces the removed characters left, as one */
  out = g_string_new (NULL);
  for (const char *p = safe; *p != '\0'; p++)
    if (*p != ' ' || (out->len > 0 && out->str[out->len - 1] != ' '))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The compact line of a model's details: "SDXL · 1024×1024 · generalist",
 * and NSFW when the reference says so */
static char *
details_line (HordeImageModelRecord *record)
{
  g_autoptr(GString) line = g_string_new (NULL);
  HordeModelBaseline baseline = horde_image_model_record_get_baseline (record);
  g_autofree char *family = NULL;
  g_autofree char *style = clean (horde_image_model_record_get_style (record));
  int width = horde_image_model_record_get_native_width (record);
  int height = horde_image_model_record_get_native_height (record);

  if (baseline != HORDE_MODEL_BASELINE_UNKNOWN)
    family = g_strdup (horde_model_baseline_get_display_name (baseline));
  else
    family = clean (horde_image_model_record_get_baseline_string (record));
  if (family != NULL)
    g_string_append (line, family);
  if (width > 0 && height > 0)
    g_string_append_printf (line, "%s%d×%d", line->len ? " · " : "", width, height);
  if (style != NULL)
    g_string_append_printf (line, "%s%s", line->len ? " · " : "", style);
  if (horde_image_model_record_get_nsfw (record))
    /* TRANSLATORS: the model reference marks the model as not safe for work */
    g_string_append_printf (line, "%s%s", line->len ? " · " : "", _("NSFW"));
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
describe_model (HordeStudioModelChooser *self)
{
  g_autofree char *text = model_summary (self, horde_studio_model_chooser_get_model (self));

  if (self->record != NULL)
    {
      g_autofree char *line = details_line (self->record);

      if (*line != '\0')
        {
          g_autofree char *both = g_strdup_printf ("%s\n%s", text, line);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self), both);
          return;
        }
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
}

static gboolean
strv_contains_folded (const char * const *strv,
                      const char         *value)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (value != NULL && g_ascii_strcasecmp (strv[i], value) == 0)
      return TRUE;
  return FALSE;
}

/* a list of the reference's names, cleaned: "k_euler, k_dpm_2" */
static char *
join_clean (const char * const *strv)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; strv != NULL && strv[i] != NULL && i < 8; i++)
    {
      g_autofree char *word = clean (strv[i]);

      if (word != NULL)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", word);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* What the model requires of the request: "Sampler: k_euler · Steps: 3–8 ·
 * CFG scale: 1–4 · CLIP skip: 1"; NULL when nothing */
static char *
describe_requirements (HordeImageModelRecord *record)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *samplers = join_clean (horde_image_model_record_get_samplers (record));
  g_autofree char *schedulers = join_clean (horde_image_model_record_get_schedulers (record));
  int min_steps = horde_image_model_record_get_min_steps (record);
  int max_steps = horde_image_model_record_get_max_steps (record);
  double cfg = horde_image_model_record_get_cfg_scale (record);
  double min_cfg = horde_image_model_record_get_min_cfg_scale (record);
  double max_cfg = horde_image_model_record_get_max_cfg_scale (record);
  int clip_skip = horde_image_model_record_get_clip_skip (record);

  if (samplers != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Sampler: %s"), samplers));
  if (schedulers != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Scheduler: %s"), schedulers));
  if (min_steps > 0 && max_steps > 0)
    /* TRANSLATORS: the fewest and the most steps a model allows */
    g_ptr_array_add (parts, g_strdup_printf (_("Steps: %d–%d"), min_steps, max_steps));
  else if (min_steps > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("Steps: at least %d"), min_steps));
  else if (max_steps > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("Steps: at most %d"), max_steps));
  if (cfg >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("CFG scale: %g"), cfg));
  else if (min_cfg >= 0 && max_cfg >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("CFG scale: %g–%g"), min_cfg, max_cfg));
  else if (min_cfg >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("CFG scale: at least %g"), min_cfg));
  else if (max_cfg >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("CFG scale: at most %g"), max_cfg));
  if (clip_skip > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("CLIP skip: %d"), clip_skip));

  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* How the form's values break the model's requirements, NULL if they
 * do not */
static char *
describe_broken (HordeStudioModelChooser *self)
{
  HordeImageModelRecord *record = self->record;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char * const *samplers;
  const char * const *schedulers;
  int min_steps, max_steps, clip_skip;
  double cfg, min_cfg, max_cfg;

  if (record == NULL || !self->has_params)
    return NULL;

  samplers = horde_image_model_record_get_samplers (record);
  schedulers = horde_image_model_record_get_schedulers (record);
  min_steps = horde_image_model_record_get_min_steps (record);
  max_steps = horde_image_model_record_get_max_steps (record);
  clip_skip = horde_image_model_record_get_clip_skip (record);
  cfg = horde_image_model_record_get_cfg_scale (record);
  min_cfg = horde_image_model_record_get_min_cfg_scale (record);
  max_cfg = horde_image_model_record_get_max_cfg_scale (record);

  if (samplers != NULL && samplers[0] != NULL && !strv_contains_folded (samplers, self->sampler))
    g_ptr_array_add (parts, g_strdup (_("another sampler")));
  /* the form says the scheduler with its Karras switch */
  if (schedulers != NULL && schedulers[0] != NULL)
    {
      gboolean wants_karras = strv_contains_folded (schedulers, "karras");
      gboolean wants_other = !wants_karras || g_strv_length ((char **) schedulers) > 1;

      if (self->karras && !wants_karras)
        g_ptr_array_add (parts, g_strdup (_("no Karras scheduler")));
      else if (!self->karras && !wants_other)
        g_ptr_array_add (parts, g_strdup (_("the Karras scheduler")));
    }
  if ((min_steps > 0 && self->steps < min_steps) || (max_steps > 0 && self->steps > max_steps))
    g_ptr_array_add (parts, g_strdup (_("another number of steps")));
  if ((cfg >= 0 && G_APPROX_VALUE (cfg, self->cfg, 0.001) == FALSE) ||
      (min_cfg >= 0 && self->cfg < min_cfg - 0.001) || (max_cfg >= 0 && self->cfg > max_cfg + 0.001))
    g_ptr_array_add (parts, g_strdup (_("another CFG scale")));
  if (clip_skip > 0 && self->clip_skip != clip_skip)
    g_ptr_array_add (parts, g_strdup (_("another CLIP skip")));

  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  {
    g_autofree char *what = g_strjoinv (", ", (char **) parts->pdata);
    /* TRANSLATORS: what a model wants that the form does not give it,
     * "This model wants another sampler, another number of steps" */
    return g_strdup_printf (_("This model wants %s"), what);
  }
}

static void
show_warning (HordeStudioModelChooser *self)
{
  g_clear_pointer (&self->warning, g_free);
  self->warning = describe_broken (self);

  gtk_label_set_text (self->warning_label, self->warning ? self->warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_box), self->warning != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->warning_icon), self->warning);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_icon), self->warning != NULL);
}

static void
trigger_clicked (GtkButton               *button,
                 HordeStudioModelChooser *self)
{
  const char *word = g_object_get_data (G_OBJECT (button), "word");

  g_signal_emit (self, signals [INSERT_TEXT], 0, word);
}

static void
stop_showcase (HordeStudioModelChooser *self)
{
  g_cancellable_cancel (self->showcase_cancellable);
  g_clear_object (&self->showcase_cancellable);
  g_clear_object (&self->showcase_stream);
  g_clear_pointer (&self->showcase_data, g_byte_array_unref);
  g_clear_pointer (&self->showcase_for, horde_image_model_record_unref);
  gtk_picture_set_paintable (self->showcase, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->showcase), FALSE);
}

/* The popover's words for the chosen model's record */
static void
show_details (HordeStudioModelChooser *self)
{
  HordeImageModelRecord *record = self->record;
  g_autofree char *description = NULL;
  g_autofree char *version = NULL;
  g_autofree char *homepage = NULL;
  g_autofree char *requirements = NULL;
  const char * const *words;
  GtkWidget *child;
  guint n_words = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->details_button), record != NULL);
  if (self->showcase_for != record)
    stop_showcase (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->triggers))))
    gtk_flow_box_remove (self->triggers, child);
  if (record == NULL)
    {
      gtk_popover_popdown (self->details_popover);
      show_warning (self);
      return;
    }

  description = clean (horde_image_model_record_get_description (record));
  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);

  if (horde_image_model_record_get_version (record) != NULL)
    {
      g_autofree char *cleaned = clean (horde_image_model_record_get_version (record));

      if (cleaned != NULL)
        /* TRANSLATORS: a model's version, as the model reference says it */
        version = g_strdup_printf (_("Version %s"), cleaned);
    }
  gtk_label_set_text (self->version_label, version ? version : "");
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), version != NULL);

  /* only a web page: nothing else is opened */
  homepage = clean (horde_image_model_record_get_homepage (record));
  if (homepage != NULL && strchr (homepage, ' ') == NULL && strlen (homepage) < 300 &&
      (g_str_has_prefix (homepage, "https://") || g_str_has_prefix (homepage, "http://")))
    {
      gtk_link_button_set_uri (self->homepage_button, homepage);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->homepage_button), homepage);
      gtk_widget_set_visible (GTK_WIDGET (self->homepage_button), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->homepage_button), FALSE);

  words = horde_image_model_record_get_trigger (record);
  for (guint i = 0; words != NULL && words[i] != NULL && n_words < MAX_TRIGGERS; i++)
    {
      g_autofree char *word = clean (words[i]);
      GtkWidget *button;

      if (word == NULL)
        continue;
      button = horde_studio_trigger_word_new (word);
      gtk_widget_set_name (button, "model-trigger");
      g_signal_connect (button, "clicked", G_CALLBACK (trigger_clicked), self);
      gtk_flow_box_append (self->triggers, button);
      /* one Tab stop a word: the button's, not its place's too */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
      n_words++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->triggers), n_words > 0);

  requirements = describe_requirements (record);
  gtk_label_set_text (self->requirements_label, requirements ? requirements : "");
  gtk_widget_set_visible (GTK_WIDGET (self->requirements_label), requirements != NULL);

  show_warning (self);
}

/* the chosen model's record from the reference, and all that shows it */
static void
follow_model (HordeStudioModelChooser *self)
{
  const char *model = horde_studio_model_chooser_get_model (self);
  g_autoptr(HordeImageModelRecord) record = model ? horde_studio_lookup_model (model) : NULL;

  if (record != self->record)
    {
      g_clear_pointer (&self->record, horde_image_model_record_unref);
      self->record = g_steal_pointer (&record);
    }
  show_details (self);
  describe_model (self);
}

/* A showcase image: read up to SHOWCASE_MAX_BYTES, then shown small */
static void showcase_read (GObject *object, GAsyncResult *result, gpointer user_data);

/* a large image is decoded at a small size: never a huge one in memory */
static void
showcase_size_prepared (GdkPixbufLoader *loader,
                        int              width,
                        int              height)
{
  double scale = MIN (SHOWCASE_SHOWN_SIDE / (double) MAX (width, 1), SHOWCASE_SHOWN_SIDE / (double) MAX (height, 1));

  if (scale < 1)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)));
}

static void
showcase_decoded (HordeStudioModelChooser *self)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->showcase_data));
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkTexture) texture = NULL;
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize size = g_bytes_get_size (bytes);
  int width = 0, height = 0;

  gboolean written;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (showcase_size_prepared), NULL);
  written = gdk_pixbuf_loader_write_bytes (loader, bytes, NULL);
  /* closed once, written or not */
  if (gdk_pixbuf_loader_close (loader, NULL) && written && gdk_pixbuf_loader_get_pixbuf (loader) != NULL)
    texture = gdk_texture_new_for_pixbuf (gdk_pixbuf_loader_get_pixbuf (loader));
  /* the Horde's showcases are WebP, which gdk-pixbuf may not read */
  if (texture == NULL && WebPGetInfo (data, size, &width, &height) &&
      width > 0 && height > 0 && width <= SHOWCASE_MAX_SIDE && height <= SHOWCASE_MAX_SIDE)
    {
      uint8_t *rgba = WebPDecodeRGBA (data, size, &width, &height);

      if (rgba != NULL)
        {
          g_autoptr(GBytes) pixels = g_bytes_new_with_free_func (rgba, (gsize) width * height * 4,
                                                                 (GDestroyNotify) WebPFree, rgba);
          texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, (gsize) width * 4);
        }
    }
  if (texture == NULL)
    {
      /* failure shows nothing */
      g_debug ("The model's showcase image cannot be shown");
      return;
    }
  gtk_picture_set_paintable (self->showcase, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->showcase), TRUE);
}

static void
showcase_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioModelChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->showcase_data == NULL)
    return;
  if (chunk == NULL || self->showcase_data->len + g_bytes_get_size (chunk) > SHOWCASE_MAX_BYTES)
    {
      /* failure shows nothing */
      g_debug ("No showcase image: %s", error ? error->message : "too large");
      g_cancellable_cancel (self->showcase_cancellable);
      g_clear_pointer (&self->showcase_data, g_byte_array_unref);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      showcase_decoded (self);
      return;
    }
  g_byte_array_append (self->showcase_data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 64 * 1024, G_PRIORITY_LOW, self->showcase_cancellable,
                                   showcase_read, g_object_ref (self));
}

static void
showcase_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioModelChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stream == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)) ||
      soup_message_headers_get_content_length (soup_message_get_response_headers (message)) > SHOWCASE_MAX_BYTES)
    {
      g_debug ("No showcase image: %s", error ? error->message : "refused");
      return;
    }
  self->showcase_data = g_byte_array_new ();
  g_set_object (&self->showcase_stream, stream);
  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_LOW, self->showcase_cancellable,
                                   showcase_read, g_object_ref (self));
}

/* The first showcase image of the chosen model, when the user opens the
 * details: never before (it lives on another host) */
static void
details_shown (HordeStudioModelChooser *self)
{
  const char * const *showcases;
  g_autoptr(SoupMessage) message = NULL;

  if (self->record == NULL || self->showcase_for == self->record)
    return;
  stop_showcase (self);
  self->showcase_for = horde_image_model_record_ref (self->record);
  showcases = horde_image_model_record_get_showcases (self->record);
  if (showcases == NULL || showcases[0] == NULL ||
      !(g_str_has_prefix (showcases[0], "https://") || g_str_has_prefix (showcases[0], "http://")))
    return;
  message = soup_message_new (SOUP_METHOD_GET, showcases[0]);
  if (message == NULL)
    return;
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 2, NULL);
  self->showcase_cancellable = g_cancellable_new ();
  soup_session_send_async (self->session, message, G_PRIORITY_LOW, self->showcase_cancellable,
                           showcase_sent, g_object_ref (self));
}

/**
 * horde_studio_model_chooser_set_params:
 * @self: a #HordeStudioModelChooser
 * @sampler: (nullable): the form's sampler
 * @steps: the form's steps
 * @cfg_scale: the form's CFG scale
 * @clip_skip: the form's CLIP skip
 * @karras: whether the form asks for the Karras scheduler
 *
 * The form's values, which the chooser checks against what the chosen
 * model requires (the model reference's `requirements`), and warns of
 * when they break it.
 */
void
horde_studio_model_chooser_set_params (HordeStudioModelChooser *self,
                                       const char              *sampler,
                                       int                      steps,
                                       double                   cfg_scale,
                                       int                      clip_skip,
                                       gboolean                 karras)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  g_free (self->sampler);
  self->sampler = g_strdup (sampler);
  self->steps = steps;
  self->cfg = cfg_scale;
  self->clip_skip = clip_skip;
  self->karras = !!karras;
  self->has_params = TRUE;
  show_warning (self);
}

/**
 * horde_studio_model_chooser_get_warning:
 * @self: a #HordeStudioModelChooser
 *
 * Returns: (nullable): how the form's values break what the chosen model
 *   requires, %NULL when they do not
 */
const char *
horde_studio_model_chooser_get_warning (HordeStudioModelChooser *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self), NULL);

  return self->warning;
}

/* the reference loaded: what it says of the models may differ from the
 * names' guesses (their order while painting, the chosen one's details) */
static void
reference_loaded (HordeStudioModelChooser *self)
{
  HordeImageModelRecord *before = self->record;

  sort_models (self);
  follow_model (self);
  /* told only when it changes what is known of the chosen model */
  if (self->record != before)
    g_signal_emit (self, signals [CHANGED], 0);
}

/* The list of models, each with its workers, queue and wait */
static void
model_item_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  HordeStudioModelChooser  *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_list_item_set_child (item, box);
}

static void
model_item_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 HordeStudioModelChooser  *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  g_autoptr(GtkStringObject) any = g_list_model_get_item (G_LIST_MODEL (self->models), 0);
  g_autofree char *summary = model_summary (self, string == any ? NULL : gtk_string_object_get_string (string));

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), summary);
}

/* the user's choice, or one loaded: said, and told; a reordering of the
 * list keeps the choice and is not */
static void
model_selected (HordeStudioModelChooser *self)
{
  if (self->syncing)
    return;
  follow_model (self);
  g_signal_emit (self, signals [CHANGED], 0);
}

static int
compare_by_workers (gconstpointer a,
                    gconstpointer b)
{
  HordeActiveModel *x = *(HordeActiveModel * const *) a;
  HordeActiveModel *y = *(HordeActiveModel * const *) b;
  gint64 cx = horde_active_model_get_count (x), cy = horde_active_model_get_count (y);

  if (cx != cy)
    return cx < cy ? 1 : -1;
  return g_utf8_collate (horde_active_model_get_name (x), horde_active_model_get_name (y));
}

/* The order of the list: while inpainting or outpainting, the models made
 * for it first; then the most workers first (compare_by_workers), a model
 * nobody serves last */
static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  HordeStudioModelChooser *self = user_data;
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  HordeActiveModel *mx = g_hash_table_lookup (self->model_info, x);
  HordeActiveModel *my = g_hash_table_lookup (self->model_info, y);

  if (self->painting &&
      horde_studio_source_image_model_paints (x) != horde_studio_source_image_model_paints (y))
    return horde_studio_source_image_model_paints (x) ? -1 : 1;
  if ((mx == NULL) != (my == NULL))
    return mx == NULL ? 1 : -1;
  if (mx != NULL)
    return compare_by_workers (&mx, &my);
  return g_utf8_collate (x, y);
}

/* the position of @name in the list, after "Any model"; or, when it is not
 * there, GTK_INVALID_LIST_POSITION */
static guint
position_of (HordeStudioModelChooser *self,
             const char              *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 1; name != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->models, i), name))
      found = i;
  return found;
}

static void
sort_models (HordeStudioModelChooser *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));
  g_autofree char *keep = g_strdup (horde_studio_model_chooser_get_model (self));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean was_syncing = self->syncing;

  if (n < 3)
    return;
  for (guint i = 1; i < n; i++)
    g_ptr_array_add (names, g_strdup (gtk_string_list_get_string (self->models, i)));
  g_ptr_array_sort_with_data (names, compare_names, self);
  g_ptr_array_add (names, NULL);

  self->syncing = TRUE;
  gtk_string_list_splice (self->models, 1, n - 1, (const char * const *) names->pdata);
  if (keep == NULL)
    gtk_drop_down_set_selected (self->model_dropdown, 0);
  else if (position_of (self, keep) != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (self->model_dropdown, position_of (self, keep));
  self->syncing = was_syncing;
}

/**
 * horde_studio_model_chooser_set_painting:
 * @self: a #HordeStudioModelChooser
 * @painting: whether the request inpaints or outpaints
 *
 * While the request paints, the models made for inpainting come first.
 */
void
horde_studio_model_chooser_set_painting (HordeStudioModelChooser *self,
                                         gboolean                 painting)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  self->painting = !!painting;
  sort_models (self);
}

static void
models_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HordeStudioModelChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeActiveModelList) list = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autofree char *keep = NULL;
  HordeActiveModel * const *items;
  gsize n = 0;
  guint selected = 0;

  list = horde_client_send_status_models_all_request_finish (HORDE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->connection != NULL)
    horde_studio_connection_report (self->connection, error);
  if (list == NULL)
    {
      g_debug ("No list of models: %s", error->message);
      return;
    }

  keep = g_strdup (horde_studio_model_chooser_get_model (self));
  items = horde_active_model_list_get_items (list, &n);
  for (gsize i = 0; i < n; i++)
    if (horde_active_model_get_name (items[i]) != NULL)
      g_ptr_array_add (sorted, items[i]);
  g_ptr_array_sort (sorted, compare_by_workers);

  self->syncing = TRUE;
  g_hash_table_remove_all (self->model_info);
  gtk_string_list_splice (self->models, 1, g_list_model_get_n_items (G_LIST_MODEL (self->models)) - 1, NULL);
  for (guint i = 0; i < sorted->len; i++)
    {
      HordeActiveModel *model = sorted->pdata[i];
      const char *name = horde_active_model_get_name (model);

      g_hash_table_insert (self->model_info, g_strdup (name), horde_active_model_ref (model));
      gtk_string_list_append (self->models, name);
      if (g_strcmp0 (name, keep) == 0)
        selected = i + 1;
    }
  /* a model the user chose stays chosen, even when nobody serves it now */
  if (keep != NULL && selected == 0)
    {
      gtk_string_list_append (self->models, keep);
      selected = g_list_model_get_n_items (G_LIST_MODEL (self->models)) - 1;
    }
  gtk_drop_down_set_selected (self->model_dropdown, selected);
  sort_models (self);
  self->syncing = FALSE;

  follow_model (self);
}

/**
 * horde_studio_model_chooser_refresh:
 * @self: a #HordeStudioModelChooser
 *
 * Asks the server again for the models its workers serve (a large answer:
 * not for every change), so that a model a new worker brings appears.
 * Without a client nothing is asked.
 */
void
horde_studio_model_chooser_refresh (HordeStudioModelChooser *self)
{
  g_autoptr(HordeStatusModelsAllRequestBuilder) builder = NULL;
  g_autoptr(HordeStatusModelsAllRequest) models = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  if (self->client == NULL)
    return;

  /* the newest answer wins */
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();
  self->models_loaded_at = g_get_monotonic_time ();

  builder = horde_status_models_all_request_builder_new ();
  horde_status_models_all_request_builder_set_kind (builder, "image");
  models = horde_status_models_all_request_builder_end (builder, NULL);
  horde_client_send_status_models_all_request_async (self->client, models, self->models_cancellable,
                                                     models_loaded, g_object_ref (self));
}

/**
 * horde_studio_model_chooser_set_client:
 * @self: a #HordeStudioModelChooser
 * @client: (nullable): the client to ask the models with
 *
 * Sets the client horde_studio_model_chooser_refresh() asks with; nothing
 * is asked yet.
 */
void
horde_studio_model_chooser_set_client (HordeStudioModelChooser *self,
                                       HordeClient             *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  g_set_object (&self->client, client);
}

/**
 * horde_studio_model_chooser_set_connection:
 * @self: a #HordeStudioModelChooser
 * @connection: (nullable): where to tell whether the server answers
 *
 * Each answer to the list of models is reported to @connection.
 */
void
horde_studio_model_chooser_set_connection (HordeStudioModelChooser *self,
                                           HordeStudioConnection   *connection)
{
  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));

  g_set_object (&self->connection, connection);
}

/**
 * horde_studio_model_chooser_add_to_request:
 * @self: a #HordeStudioModelChooser
 * @request: the request being built
 *
 * Puts the model chosen in @request; any model leaves its models unset.
 */
void
horde_studio_model_chooser_add_to_request (HordeStudioModelChooser               *self,
                                           HordeImageGenerateAsyncRequestBuilder *request)
{
  const char *model = horde_studio_model_chooser_get_model (self);

  if (model != NULL)
    {
      const char *models[] = { model, NULL };
      horde_image_generate_async_request_builder_set_models (request, models);
    }
}

/**
 * horde_studio_model_chooser_load_request:
 * @self: a #HordeStudioModelChooser
 * @request: the request to show
 *
 * Chooses the first model @request asks for, by its name, even one no
 * worker serves now (it is added to the list); a request without models
 * is any model. Emits #HordeStudioModelChooser::changed when the choice
 * changes.
 */
void
horde_studio_model_chooser_load_request (HordeStudioModelChooser        *self,
                                         HordeImageGenerateAsyncRequest *request)
{
  const char * const *models;

  g_return_if_fail (HORDE_STUDIO_IS_MODEL_CHOOSER (self));
  g_return_if_fail (request != NULL);

  models = horde_image_generate_async_request_get_models (request);
  if (models != NULL && models[0] != NULL)
    {
      guint found = position_of (self, models[0]);

      if (found == GTK_INVALID_LIST_POSITION)
        {
          found = g_list_model_get_n_items (G_LIST_MODEL (self->models));
          gtk_string_list_append (self->models, models[0]);
        }
      gtk_drop_down_set_selected (self->model_dropdown, found);
    }
  else
    gtk_drop_down_set_selected (self->model_dropdown, 0);

  follow_model (self);
}

static gboolean
models_timeout (gpointer user_data)
{
  HordeStudioModelChooser *self = user_data;

  horde_studio_model_chooser_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
model_chooser_map (GtkWidget *widget)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (widget);

  GTK_WIDGET_CLASS (horde_studio_model_chooser_parent_class)->map (widget);

  if (self->models_loaded_at > 0 &&
      g_get_monotonic_time () - self->models_loaded_at >= MODELS_REFRESH_SECONDS * G_USEC_PER_SEC)
    horde_studio_model_chooser_refresh (self);
  if (self->models_source == 0)
    self->models_source = g_timeout_add_seconds (MODELS_REFRESH_SECONDS, models_timeout, self);
}

static void
model_chooser_unmap (GtkWidget *widget)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (widget);

  g_clear_handle_id (&self->models_source, g_source_remove);
  GTK_WIDGET_CLASS (horde_studio_model_chooser_parent_class)->unmap (widget);
}

static void
horde_studio_model_chooser_dispose (GObject *object)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (object);

  g_cancellable_cancel (self->models_cancellable);
  g_clear_handle_id (&self->models_source, g_source_remove);
  stop_showcase (self);
  if (G_IS_APPLICATION (g_application_get_default ()))
    g_signal_handlers_disconnect_by_data (g_application_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_MODEL_CHOOSER);

  G_OBJECT_CLASS (horde_studio_model_chooser_parent_class)->dispose (object);
}

static void
horde_studio_model_chooser_finalize (GObject *object)
{
  HordeStudioModelChooser *self = HORDE_STUDIO_MODEL_CHOOSER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_object (&self->models);
  g_clear_pointer (&self->model_info, g_hash_table_unref);
  g_clear_object (&self->models_cancellable);
  g_clear_pointer (&self->record, horde_image_model_record_unref);
  g_clear_pointer (&self->warning, g_free);
  g_clear_pointer (&self->sampler, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (horde_studio_model_chooser_parent_class)->finalize (object);
}

static void
horde_studio_model_chooser_class_init (HordeStudioModelChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_model_chooser_dispose;
  object_class->finalize = horde_studio_model_chooser_finalize;
  widget_class->map = model_chooser_map;
  widget_class->unmap = model_chooser_unmap;

  /**
   * HordeStudioModelChooser::changed:
   * @self: the model chooser
   *
   * Emitted when the model chosen changed: by the user, or by
   * horde_studio_model_chooser_load_request(); and when the model
   * reference, once loaded, tells what it is. A new list of models, or
   * its new order, keeps the choice and does not emit it.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  /**
   * HordeStudioModelChooser::insert-text:
   * @self: the model chooser
   * @text: a trigger word of the chosen model
   *
   * Emitted when the user asks for a trigger word in the prompt.
   */
  signals [INSERT_TEXT] = g_signal_new ("insert-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-model-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, warning_icon);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, details_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, details_popover);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioModelChooser, details_box);
}

static GtkLabel *
details_label (HordeStudioModelChooser *self,
               const char              *name)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_set_name (GTK_WIDGET (label), name);
  gtk_label_set_xalign (label, 0);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (label, 40);
  gtk_box_append (self->details_box, GTK_WIDGET (label));
  return label;
}

/* The popover's parts, filled by show_details() */
static void
build_details (HordeStudioModelChooser *self)
{
  GtkWidget *icon;

  self->showcase = GTK_PICTURE (gtk_picture_new ());
  gtk_widget_set_name (GTK_WIDGET (self->showcase), "model-showcase");
  gtk_picture_set_can_shrink (self->showcase, TRUE);
  gtk_picture_set_content_fit (self->showcase, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (GTK_WIDGET (self->showcase), -1, 160);
  gtk_widget_set_visible (GTK_WIDGET (self->showcase), FALSE);
  gtk_box_append (self->details_box, GTK_WIDGET (self->showcase));

  self->description_label = details_label (self, "model-description");
  self->version_label = details_label (self, "model-version");
  gtk_widget_add_css_class (GTK_WIDGET (self->version_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->version_label), "caption");

  self->homepage_button = GTK_LINK_BUTTON (gtk_link_button_new_with_label ("about:blank", _("Homepage")));
  gtk_widget_set_name (GTK_WIDGET (self->homepage_button), "model-homepage");
  gtk_widget_set_halign (GTK_WIDGET (self->homepage_button), GTK_ALIGN_START);
  gtk_box_append (self->details_box, GTK_WIDGET (self->homepage_button));

  self->triggers = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->triggers), "model-triggers");
  gtk_flow_box_set_selection_mode (self->triggers, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->triggers, FALSE);
  gtk_flow_box_set_max_children_per_line (self->triggers, 12);
  gtk_flow_box_set_column_spacing (self->triggers, 4);
  gtk_flow_box_set_row_spacing (self->triggers, 4);
  gtk_box_append (self->details_box, GTK_WIDGET (self->triggers));

  self->requirements_label = details_label (self, "model-requirements");
  gtk_widget_add_css_class (GTK_WIDGET (self->requirements_label), "caption");

  self->warning_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  gtk_widget_set_name (GTK_WIDGET (self->warning_box), "model-warning");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (self->warning_box, icon);
  gtk_box_append (self->details_box, GTK_WIDGET (self->warning_box));
  self->warning_label = details_label (self, "model-warning-text");
  g_object_ref (self->warning_label);
  gtk_box_remove (self->details_box, GTK_WIDGET (self->warning_label));
  gtk_box_append (self->warning_box, GTK_WIDGET (self->warning_label));
  g_object_unref (self->warning_label);
  gtk_widget_set_hexpand (GTK_WIDGET (self->warning_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->warning_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->warning_box), "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_box), FALSE);
}

static void
horde_studio_model_chooser_init (HordeStudioModelChooser *self)
{
  g_autoptr(GtkExpression) expression = NULL;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GApplication *app;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model_info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) horde_active_model_unref);
  self->models = gtk_string_list_new (NULL);
  gtk_string_list_append (self->models, _("Any model"));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->model_dropdown, expression);
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->models));
  g_signal_connect (factory, "setup", G_CALLBACK (model_item_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (model_item_bind), self);
  gtk_drop_down_set_list_factory (self->model_dropdown, factory);

  g_signal_connect_swapped (self->model_dropdown, "notify::selected", G_CALLBACK (model_selected), self);
  build_details (self);
  g_signal_connect_swapped (self->details_popover, "show", G_CALLBACK (details_shown), self);
  app = g_application_get_default ();
  if (HORDE_STUDIO_IS_APPLICATION (app))
    g_signal_connect_object (app, "model-reference-loaded", G_CALLBACK (reference_loaded), self, G_CONNECT_SWAPPED);
  describe_model (self);
}

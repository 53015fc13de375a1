/* horde-studio-alchemy-page.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-alchemy-page.h"
#include "horde-studio-fold-bin.h"
#include "horde-studio-messages.h"
#include "horde-studio-util.h"

/* HordeStudioAlchemyPage: the "Analyse" page of the window, the Horde's
 * alchemy on an image the user already has: one of the gallery (its
 * viewer's "Analyse…"), or a file opened or dropped on the page. The
 * forms are chosen with check boxes (a caption, an interrogation, the
 * NSFW check, upscalers, face fixers, background removal), one request
 * runs them with its progress in words and a Cancel that deletes it on
 * the server, and the results show beside the image (under it, narrow):
 * the caption, the tags with their weights, the verdict, and each new
 * image, saved to the gallery with its lineage.
 *
 * A page of the window's stack rather than a dialog: it keeps its results
 * while the user goes back to the gallery (to open an upscale, to pick
 * another image), it takes drops like the Create page, and at 360 px a
 * dialog would cover the window all the same. */

/* a file bigger than this is not read: no image the Horde takes is */
#define MAX_SOURCE_BYTES (32 * 1024 * 1024)
/* the terms of an interrogation shown, and the length of one */
#define MAX_TERMS 60
#define MAX_TERM_LENGTH 80
/* a caption longer than this is cut */
#define MAX_CAPTION_LENGTH 2000

struct _HordeStudioAlchemyPage
{
  AdwBin parent_instance;

  GtkWidget *source_column;
  GtkWidget *empty_box;
  GtkWidget *source_box;
  GtkPicture *source_picture;
  GtkLabel *source_label;
  AdwPreferencesGroup *analysis_group;
  AdwPreferencesGroup *upscaler_group;
  AdwPreferencesGroup *facefixer_group;
  AdwPreferencesGroup *background_group;
  GtkButton *run_button;
  GtkButton *cancel_button;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkWidget *results_box;
  GtkWidget *caption_group;
  GtkLabel *caption_label;
  GtkWidget *tags_group;
  GtkFlowBox *tags_box;
  GtkWidget *nsfw_group;
  AdwActionRow *nsfw_row;
  AdwPreferencesGroup *images_group;

  GPtrArray *checks;              /* GtkCheckButton, one a form */
  GPtrArray *image_rows;          /* the rows of images_group */

  HordeClient *client;
  HordeStudioGallery *gallery;
  GCancellable *cancellable;      /* loads and saves; cancelled at dispose */

  /* the source */
  GBytes *source;
  char *source_name;              /* a file's name; NULL for a gallery item */
  HordeStudioGalleryItem *source_item;

  HordeAlchemyJob *job;
  /* the source of the running job, for the lineage of its images: the
   * user may open another image while it runs */
  HordeStudioGalleryItem *job_item;
  char *job_name;
  char *tags_prompt;              /* what "Copy as Prompt" copies */
};


G_DEFINE_FINAL_TYPE (HordeStudioAlchemyPage, horde_studio_alchemy_page, ADW_TYPE_BIN)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* The forms offered, from libhorde's list of the Horde's, by group */
static const HordeAlchemyForm analysis_forms[] = {
  HORDE_ALCHEMY_FORM_CAPTION, HORDE_ALCHEMY_FORM_INTERROGATION, HORDE_ALCHEMY_FORM_NSFW,
};
static const HordeAlchemyForm upscaler_forms[] = {
  HORDE_ALCHEMY_FORM_REALESRGAN_X4PLUS, HORDE_ALCHEMY_FORM_REALESRGAN_X2PLUS,
  HORDE_ALCHEMY_FORM_4X_ANIMESHARP, HORDE_ALCHEMY_FORM_NMKD_SIAX,
  HORDE_ALCHEMY_FORM_REALESRGAN_X4PLUS_ANIME_6B,
};
static const HordeAlchemyForm facefixer_forms[] = {
  HORDE_ALCHEMY_FORM_GFPGAN, HORDE_ALCHEMY_FORM_CODE_FORMERS,
};
static const HordeAlchemyForm background_forms[] = {
  HORDE_ALCHEMY_FORM_STRIP_BACKGROUND,
};

/* What a form is called on the page: the analyses and background removal
 * in words; upscalers and face fixers by their model's name, as the Horde
 * and the Create page's post-processing call them */
static const char *
form_title (HordeAlchemyForm form)
{
  switch (form)
    {
    case HORDE_ALCHEMY_FORM_CAPTION:
      return _("Caption");
    case HORDE_ALCHEMY_FORM_INTERROGATION:
      return _("Tags");
    case HORDE_ALCHEMY_FORM_NSFW:
      return _("NSFW Check");
    case HORDE_ALCHEMY_FORM_STRIP_BACKGROUND:
      return _("Remove Background");
    default:
      return horde_alchemy_form_to_string (form);
    }
}

static const char *
form_subtitle (HordeAlchemyForm form)
{
  switch (form)
    {
    case HORDE_ALCHEMY_FORM_CAPTION:
      return _("A sentence that describes the image");
    case HORDE_ALCHEMY_FORM_INTERROGATION:
      return _("Tags, artists and mediums, with how sure the model is of each");
    case HORDE_ALCHEMY_FORM_NSFW:
      return _("Whether the image is safe for work");
    case HORDE_ALCHEMY_FORM_STRIP_BACKGROUND:
      return _("A copy with a transparent background");
    case HORDE_ALCHEMY_FORM_REALESRGAN_X2PLUS:
      return _("Twice the width and height");
    case HORDE_ALCHEMY_FORM_GFPGAN:
    case HORDE_ALCHEMY_FORM_CODE_FORMERS:
      return _("Restores faces");
    case HORDE_ALCHEMY_FORM_4X_ANIMESHARP:
    case HORDE_ALCHEMY_FORM_REALESRGAN_X4PLUS_ANIME_6B:
      return _("Four times the width and height, for drawings and anime");
    default:
      return _("Four times the width and height");
    }
}

/* the title of a form the server named, which may be one this page does
 * not offer (a job resumed, a newer server) */
static char *
dup_form_title (const char *name)
{
  HordeAlchemyForm form = horde_alchemy_form_from_string (name);

  if (form != HORDE_ALCHEMY_FORM_UNKNOWN)
    return g_strdup (form_title (form));
  return horde_studio_server_text (name);
}

static void
update_run_button (HordeStudioAlchemyPage *self)
{
  gboolean any = FALSE;
  gboolean running = self->job != NULL;

  for (guint i = 0; i < self->checks->len && !any; i++)
    any = gtk_check_button_get_active (self->checks->pdata[i]);

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running && any && self->source != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
}

static void
set_status (HordeStudioAlchemyPage *self,
            const char             *text,
            gboolean                busy)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
add_form_rows (HordeStudioAlchemyPage *self,
               AdwPreferencesGroup    *group,
               const HordeAlchemyForm *forms,
               gsize                   n_forms)
{
  for (gsize i = 0; i < n_forms; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strconcat ("form-", horde_alchemy_form_to_string (forms[i]), NULL);

      /* the form's name is the Horde's, not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), form_title (forms[i]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), form_subtitle (forms[i]));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_name (check, name);
      g_object_set_data (G_OBJECT (check), "form", GINT_TO_POINTER (forms[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_run_button), self);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->checks, check);
    }
}

/* ---- the results -------------------------------------------------------- */

static void
clear_results (HordeStudioAlchemyPage *self)
{
  GtkWidget *chip;

  gtk_label_set_text (self->caption_label, "");
  gtk_widget_set_visible (self->caption_group, FALSE);
  while ((chip = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, chip);
  g_clear_pointer (&self->tags_prompt, g_free);
  gtk_widget_set_visible (self->tags_group, FALSE);
  gtk_widget_set_visible (self->nsfw_group, FALSE);
  for (guint i = 0; i < self->image_rows->len; i++)
    adw_preferences_group_remove (self->images_group, self->image_rows->pdata[i]);
  g_ptr_array_set_size (self->image_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->images_group), FALSE);
}

static void
show_caption (HordeStudioAlchemyPage *self,
              const char             *caption)
{
  g_autofree char *text = horde_studio_server_text (caption);

  if (g_utf8_strlen (text, -1) > MAX_CAPTION_LENGTH)
    *g_utf8_offset_to_pointer (text, MAX_CAPTION_LENGTH) = '\0';
  gtk_label_set_text (self->caption_label, text);
  gtk_widget_set_visible (self->caption_group, TRUE);
}

typedef struct {
  char *text;
  double confidence;
} Term;

static void
term_clear (Term *term)
{
  g_free (term->text);
}

static int
compare_terms (gconstpointer a,
               gconstpointer b)
{
  const Term *x = a, *y = b;

  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  return g_strcmp0 (x->text, y->text);
}

/* The terms of every kind ("tags", "artists", "mediums"…), most certain
 * first, each once, at most MAX_TERMS: what the server sent is bounded */
static GArray *
collect_terms (JsonObject *interrogation)
{
  GArray *terms = g_array_new (FALSE, TRUE, sizeof (Term));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) kinds = json_object_get_members (interrogation);

  g_array_set_clear_func (terms, (GDestroyNotify) term_clear);
  for (GList *l = kinds; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (interrogation, l->data);
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array) && terms->len < 4 * MAX_TERMS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          const char *text = object ? json_object_get_string_member_with_default (object, "text", NULL) : NULL;
          Term term = { NULL, 0 };

          if (text == NULL || *text == '\0')
            continue;
          term.text = horde_studio_server_text (text);
          if (g_utf8_strlen (term.text, -1) > MAX_TERM_LENGTH)
            *g_utf8_offset_to_pointer (term.text, MAX_TERM_LENGTH) = '\0';
          term.confidence = CLAMP (json_object_get_double_member_with_default (object, "confidence", 0), 0, 1);
          if (*term.text == '\0' || g_hash_table_contains (seen, term.text))
            {
              g_free (term.text);
              continue;
            }
          g_array_append_val (terms, term);
          g_hash_table_add (seen, term.text);
        }
    }

  g_array_sort (terms, compare_terms);
  if (terms->len > MAX_TERMS)
    g_array_set_size (terms, MAX_TERMS);
  return terms;
}

static void
show_terms (HordeStudioAlchemyPage *self,
            JsonObject             *interrogation)
{
  g_autoptr(GArray) terms = collect_terms (interrogation);
  g_autoptr(GString) prompt = g_string_new (NULL);

  for (guint i = 0; i < terms->len; i++)
    {
      Term *term = &g_array_index (terms, Term, i);
      g_autofree char *weight = g_strdup_printf ("%.2f", term->confidence);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (term->text);
      GtkWidget *value = gtk_label_new (weight);

      gtk_widget_add_css_class (chip, "alchemy-tag");
      gtk_widget_set_halign (chip, GTK_ALIGN_START);
      gtk_widget_add_css_class (value, "dim-label");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), value);
      gtk_flow_box_append (self->tags_box, chip);
      g_string_append_printf (prompt, "%s%s", i > 0 ? ", " : "", term->text);
    }

  g_free (self->tags_prompt);
  self->tags_prompt = g_string_free (g_steal_pointer (&prompt), FALSE);
  gtk_widget_set_visible (self->tags_group, terms->len > 0);
}

static void
show_nsfw (HordeStudioAlchemyPage *self,
           gboolean                nsfw)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->nsfw_row),
                                 nsfw ? _("Not safe for work") : _("Safe for work"));
  adw_action_row_set_subtitle (self->nsfw_row,
                               nsfw ? _("The Horde’s check found content not safe for work.")
                                    : _("The Horde’s check found nothing not safe for work."));
  gtk_widget_set_visible (self->nsfw_group, TRUE);
}

/* One image a form made, and where it went */
static GtkWidget *
add_image_row (HordeStudioAlchemyPage *self,
               const char             *form,
               GdkPixbuf              *pixbuf)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = dup_form_title (form);
  g_autofree char *name = g_strconcat ("image-", form, NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Saving to the gallery…"));
  gtk_widget_set_name (row, name);
  if (pixbuf != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, 64, 64);
      gtk_widget_set_margin_top (picture, 6);
      gtk_widget_set_margin_bottom (picture, 6);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
    }
  adw_preferences_group_add (self->images_group, row);
  g_ptr_array_add (self->image_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self->images_group), TRUE);
  return row;
}

static void
show_saved (GtkButton *button,
            gpointer   user_data)
{
  HordeStudioAlchemyPage *self = user_data;
  HordeStudioGalleryItem *item = g_object_get_data (G_OBJECT (button), "item");

  g_signal_emit (self, signals [OPEN_ITEM], 0, item);
}

typedef struct {
  HordeStudioAlchemyPage *self;
  GtkWidget *row;
} Save;

static void
saved (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(HordeStudioAlchemyPage) self = save->self;
  g_autoptr(GtkWidget) row = save->row;
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGalleryItem) item = horde_studio_gallery_add_finish (HORDE_STUDIO_GALLERY (object), result, &error);

  g_free (save);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (item == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      return;
    }
  {
    GtkWidget *button = gtk_button_new_with_mnemonic (_("_Show"));
    g_autofree char *size = g_strdup_printf (_("%d × %d, saved to the gallery"),
                                             horde_studio_gallery_item_get_width (item),
                                             horde_studio_gallery_item_get_height (item));

    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (button, _("Show in the Gallery"));
    g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
    g_signal_connect_object (button, "clicked", G_CALLBACK (show_saved), self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  }
}

static void
save_image (HordeStudioAlchemyPage *self,
            HordeAlchemyResult     *result)
{
  HordeGeneratedImage *image = horde_alchemy_result_get_image (result);
  const char *form = horde_alchemy_result_get_form (result);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = horde_generated_image_decode (image, &error);   /* the image's own */
  GtkWidget *row = add_image_row (self, form, pixbuf);
  Save *save;

  /* the bytes were bounded by the client's max-image-pixels as they came
   * (HordeAlchemyJob); their pixels are decoded only here */
  if (pixbuf == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      return;
    }
  if (self->gallery == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not saved: the gallery could not be opened"));
      return;
    }

  if (self->job_item != NULL)
    request = horde_studio_gallery_item_dup_request (self->job_item, NULL);
  save = g_new0 (Save, 1);
  save->self = g_object_ref (self);
  save->row = g_object_ref (row);
  horde_studio_gallery_add_derived_async (self->gallery, horde_generated_image_get_bytes (image), request,
                                          self->job_item ? horde_studio_gallery_item_get_id (self->job_item) : 0,
                                          self->job_name, form, horde_job_get_id (HORDE_JOB (self->job)),
                                          self->cancellable, saved, save);
}

static void
show_results (HordeStudioAlchemyPage *self)
{
  GListModel *results = horde_alchemy_job_get_results (self->job);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);
      JsonObject *interrogation;

      if (!horde_alchemy_result_get_done (result))
        continue;
      if (horde_alchemy_result_get_caption (result) != NULL)
        show_caption (self, horde_alchemy_result_get_caption (result));
      else if ((interrogation = horde_alchemy_result_get_interrogation (result)) != NULL)
        show_terms (self, interrogation);
      else if (horde_alchemy_result_has_nsfw (result))
        show_nsfw (self, horde_alchemy_result_get_nsfw (result));
      else if (horde_alchemy_result_get_image (result) != NULL)
        save_image (self, result);
      else if (horde_alchemy_result_get_image_url (result) != NULL)
        {
          /* too big for the client's max-image-pixels, or unreadable: the
           * run's error says which */
          GtkWidget *row = add_image_row (self, horde_alchemy_result_get_form (result), NULL);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not saved: the image could not be taken"));
        }
    }
}

/* whether a form finished with an image that could not be taken */
static gboolean
lost_an_image (HordeStudioAlchemyPage *self)
{
  GListModel *results = horde_alchemy_job_get_results (self->job);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(HordeAlchemyResult) result = g_list_model_get_item (results, i);

      if (horde_alchemy_result_get_done (result) &&
          horde_alchemy_result_get_image_url (result) != NULL &&
          horde_alchemy_result_get_image (result) == NULL)
        return TRUE;
    }
  return FALSE;
}

/* ---- running ------------------------------------------------------------ */

/* The progress, in words: the server gives no time estimate for alchemy,
 * only the forms waiting, being made and done */
static void
job_changed (HordeStudioAlchemyPage *self)
{
  HordeJob *job = HORDE_JOB (self->job);
  gint64 done = horde_job_get_finished (job);
  gint64 total = done + horde_job_get_waiting (job) + horde_job_get_processing (job);
  g_autofree char *text = NULL;

  switch (horde_job_get_state (job))
    {
    case HORDE_JOB_STATE_SUBMITTING:
      text = g_strdup (_("Sending the image to the Horde…"));
      break;
    case HORDE_JOB_STATE_CANCELLING:
      text = g_strdup (_("Cancelling on the server…"));
      break;
    default:
      if (total == 0)
        text = g_strdup (_("Waiting for a worker…"));
      else if (horde_job_get_processing (job) > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "A worker is on it: %u of %u form done.",
                                             "A worker is on it: %u of %u forms done.",
                                             (gulong) total),
                                (guint) done, (guint) total);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Waiting for a worker: %u of %u form done.",
                                             "Waiting for a worker: %u of %u forms done.",
                                             (gulong) total),
                                (guint) done, (guint) total);
      break;
    }
  set_status (self, text, TRUE);
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HordeStudioAlchemyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return;                       /* disposed */

  horde_job_run_finish (HORDE_JOB (object), result, &error);
  g_signal_handlers_disconnect_by_data (self->job, self);

  if (error == NULL)
    text = g_strdup (_("Done."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("Cancelled: the request was deleted on the Horde. Forms finished before are shown."));
  else if (lost_an_image (self))
    /* libhorde's own words, with the form and the image's size */
    text = g_strdup_printf (_("Finished, but not every image could be taken. %s"), error->message);
  else
    {
      g_autofree char *hint = NULL;
      g_autofree char *problem = horde_studio_describe_error (error, &hint);

      text = hint != NULL ? g_strdup_printf ("%s %s", problem, hint) : g_steal_pointer (&problem);
    }
  set_status (self, text, FALSE);
  show_results (self);

  /* the results shown; the next run is a new job */
  g_clear_object (&self->job);
  update_run_button (self);
}

static HordeAlchemyAsyncRequest *
build_request (HordeStudioAlchemyPage  *self,
               GError                 **error)
{
  g_autoptr(HordeAlchemyAsyncRequestBuilder) builder = horde_alchemy_async_request_builder_new ();
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_interrogation_form_stable_unref);
  g_autofree char *source = NULL;

  for (guint i = 0; i < self->checks->len; i++)
    {
      HordeAlchemyForm form = GPOINTER_TO_INT (g_object_get_data (self->checks->pdata[i], "form"));
      g_autoptr(HordeModelInterrogationFormStableBuilder) form_builder = NULL;
      HordeModelInterrogationFormStable *built;

      if (!gtk_check_button_get_active (self->checks->pdata[i]))
        continue;
      form_builder = horde_model_interrogation_form_stable_builder_new ();
      horde_model_interrogation_form_stable_builder_set_name (form_builder, horde_alchemy_form_to_string (form));
      built = horde_model_interrogation_form_stable_builder_end (form_builder, error);
      if (built == NULL)
        return NULL;
      g_ptr_array_add (forms, built);
    }

  /* the file's own bytes, checked when it was opened: an upscaler works on
   * the user's pixels, not on a copy encoded again */
  source = g_base64_encode (g_bytes_get_data (self->source, NULL), g_bytes_get_size (self->source));
  horde_alchemy_async_request_builder_set_forms (builder, (HordeModelInterrogationFormStable * const *) forms->pdata, forms->len);
  horde_alchemy_async_request_builder_set_source_image (builder, source);
  return horde_alchemy_async_request_builder_end (builder, error);
}

static void
run (HordeStudioAlchemyPage *self)
{
  g_autoptr(HordeAlchemyAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  if (self->job != NULL || self->source == NULL || self->client == NULL)
    return;

  request = build_request (self, &error);
  if (request == NULL)
    {
      set_status (self, error->message, FALSE);
      return;
    }

  clear_results (self);
  g_set_object (&self->job_item, self->source_item);
  g_free (self->job_name);
  self->job_name = g_strdup (self->source_name);
  self->job = horde_alchemy_job_new (self->client, request);
  g_signal_connect_object (self->job, "notify", G_CALLBACK (job_changed), self, G_CONNECT_SWAPPED);
  update_run_button (self);
  job_changed (self);
  horde_job_run_async (HORDE_JOB (self->job), NULL, run_done, g_object_ref (self));
}

static void
cancel (HordeStudioAlchemyPage *self)
{
  if (self->job != NULL)
    horde_job_cancel (HORDE_JOB (self->job));
}

/* ---- the source --------------------------------------------------------- */

/**
 * horde_studio_alchemy_page_set_bytes:
 * @self: a #HordeStudioAlchemyPage
 * @bytes: an image: WebP, PNG or JPEG
 * @name: (nullable): the name of its file, or %NULL for an image of the
 *   gallery (set with [method@HordeStudio.AlchemyPage.set_item])
 * @error: return location for a #GError
 *
 * Analyses this image next. It is decoded as a server's image is: its
 * size read from its header first, and refused beyond the pixels a
 * generated image may have.
 *
 * Returns: %TRUE if @bytes is an image the page can send
 */
gboolean
horde_studio_alchemy_page_set_bytes (HordeStudioAlchemyPage  *self,
                                     GBytes                  *bytes,
                                     const char              *name,
                                     GError                 **error)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkPixbuf *pixbuf;              /* the image's own */

  g_return_val_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (g_bytes_get_size (bytes) > MAX_SOURCE_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file is too big: an image to analyse is %d MB at most"), MAX_SOURCE_BYTES / (1024 * 1024));
      return FALSE;
    }
  image = horde_generated_image_new_from_bytes (bytes, NULL, error);
  if (image == NULL || (pixbuf = horde_generated_image_decode (image, error)) == NULL)
    return FALSE;

  g_clear_pointer (&self->source, g_bytes_unref);
  self->source = g_bytes_ref (bytes);
  g_free (self->source_name);
  self->source_name = g_strdup (name);
  if (name != NULL)
    g_clear_object (&self->source_item);

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (self->source_picture, GDK_PAINTABLE (texture));
  if (self->source_item != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Image of the gallery: %s"),
                                                horde_studio_gallery_item_get_prompt (self->source_item));
      gtk_label_set_text (self->source_label, label);
    }
  else
    gtk_label_set_text (self->source_label, name);
  gtk_widget_set_visible (self->empty_box, FALSE);
  gtk_widget_set_visible (self->source_box, TRUE);
  if (self->job == NULL)
    {
      clear_results (self);
      set_status (self, NULL, FALSE);
    }
  update_run_button (self);
  return TRUE;
}

static void
say_unusable (HordeStudioAlchemyPage *self,
              const GError           *error)
{
  g_autofree char *text = g_strdup_printf (_("Cannot analyse this image: %s"), error->message);

  set_status (self, text, FALSE);
}

/**
 * horde_studio_alchemy_page_set_item:
 * @self: a #HordeStudioAlchemyPage
 * @item: an image of the gallery
 *
 * Analyses this image of the gallery next: the images made from it are
 * saved with it as their parent.
 */
void
horde_studio_alchemy_page_set_item (HordeStudioAlchemyPage *self,
                                    HordeStudioGalleryItem *item)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HordeStudioGalleryItem) previous = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self));
  g_return_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item));

  file = g_file_new_for_path (horde_studio_gallery_item_get_path (item));
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  previous = g_steal_pointer (&self->source_item);
  self->source_item = g_object_ref (item);
  if (bytes == NULL || !horde_studio_alchemy_page_set_bytes (self, bytes, NULL, &error))
    {
      g_clear_object (&self->source_item);
      self->source_item = g_steal_pointer (&previous);
      say_unusable (self, error);
    }
}

typedef struct {
  HordeStudioAlchemyPage *self;
  char *name;
} Load;

static void
loaded (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(HordeStudioAlchemyPage) self = load->self;
  g_autofree char *name = load->name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);

  g_free (load);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL || !horde_studio_alchemy_page_set_bytes (self, bytes, name, &error))
    say_unusable (self, error);
}

/**
 * horde_studio_alchemy_page_open_file:
 * @self: a #HordeStudioAlchemyPage
 * @file: an image file, opened or dropped
 *
 * Analyses the image in @file next, or says why it cannot: a file bigger
 * than an image to analyse is not read.
 */
void
horde_studio_alchemy_page_open_file (HordeStudioAlchemyPage *self,
                                     GFile                  *file)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Load *load;

  g_return_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      say_unusable (self, error);
      return;
    }
  if (g_file_info_get_size (info) > MAX_SOURCE_BYTES)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file is too big: an image to analyse is %d MB at most"), MAX_SOURCE_BYTES / (1024 * 1024));
      say_unusable (self, error);
      return;
    }

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->name = g_strdup (g_file_info_get_display_name (info));
  g_file_load_bytes_async (file, self->cancellable, loaded, load);
}

static void
chosen (GtkNativeDialog        *dialog,
        int                     response,
        HordeStudioAlchemyPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    horde_studio_alchemy_page_open_file (self, file);
  g_object_unref (dialog);
}

static void
choose_file (HordeStudioAlchemyPage *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Image to Analyse"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
dropped (GtkDropTarget          *target,
         const GValue           *value,
         double                  x,
         double                  y,
         HordeStudioAlchemyPage *self)
{
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    horde_studio_alchemy_page_open_file (self, g_value_get_object (value));
  else if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (g_value_get_object (value));
      g_autoptr(GError) error = NULL;

      if (!horde_studio_alchemy_page_set_bytes (self, png, _("Dropped image"), &error))
        say_unusable (self, error);
    }
  else
    return FALSE;
  return TRUE;
}

/* ---- copying ------------------------------------------------------------ */

static void
copy_text (HordeStudioAlchemyPage *self,
           const char             *text,
           const char             *done)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *overlay = root ? gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY) : NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), horde_studio_toast_new (done));
}

static void
copy_caption (HordeStudioAlchemyPage *self)
{
  copy_text (self, gtk_label_get_text (self->caption_label), _("Caption copied"));
}

static void
copy_tags (HordeStudioAlchemyPage *self)
{
  if (self->tags_prompt != NULL)
    copy_text (self, self->tags_prompt, _("Tags copied as a prompt"));
}

/* ---- the widget --------------------------------------------------------- */

/**
 * horde_studio_alchemy_page_set_client:
 * @self: a #HordeStudioAlchemyPage
 * @client: the client requests go through
 *
 * Sets the client the page's requests go through.
 */
void
horde_studio_alchemy_page_set_client (HordeStudioAlchemyPage *self,
                                      HordeClient            *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self));
  g_set_object (&self->client, client);
}

/**
 * horde_studio_alchemy_page_set_gallery:
 * @self: a #HordeStudioAlchemyPage
 * @gallery: (nullable): where new images are saved
 *
 * Sets the gallery the images the forms make are saved to.
 */
void
horde_studio_alchemy_page_set_gallery (HordeStudioAlchemyPage *self,
                                       HordeStudioGallery     *gallery)
{
  g_return_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self));
  g_set_object (&self->gallery, gallery);
}

/**
 * horde_studio_alchemy_page_get_job:
 * @self: a #HordeStudioAlchemyPage
 *
 * The request running, if any.
 *
 * Returns: (transfer none) (nullable): the job running
 */
HordeAlchemyJob *
horde_studio_alchemy_page_get_job (HordeStudioAlchemyPage *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_ALCHEMY_PAGE (self), NULL);
  return self->job;
}

static void
horde_studio_alchemy_page_dispose (GObject *object)
{
  HordeStudioAlchemyPage *self = (HordeStudioAlchemyPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    {
      /* a request left running would spend kudos for nothing */
      g_signal_handlers_disconnect_by_data (self->job, self);
      horde_job_cancel (HORDE_JOB (self->job));
      g_clear_object (&self->job);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), HORDE_STUDIO_TYPE_ALCHEMY_PAGE);

  G_OBJECT_CLASS (horde_studio_alchemy_page_parent_class)->dispose (object);
}

static void
horde_studio_alchemy_page_finalize (GObject *object)
{
  HordeStudioAlchemyPage *self = (HordeStudioAlchemyPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->gallery);
  g_clear_object (&self->source_item);
  g_clear_object (&self->job_item);
  g_clear_pointer (&self->job_name, g_free);
  g_clear_pointer (&self->source, g_bytes_unref);
  g_clear_pointer (&self->source_name, g_free);
  g_clear_pointer (&self->tags_prompt, g_free);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->image_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_studio_alchemy_page_parent_class)->finalize (object);
}

static void
horde_studio_alchemy_page_class_init (HordeStudioAlchemyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_alchemy_page_dispose;
  object_class->finalize = horde_studio_alchemy_page_finalize;

  /**
   * HordeStudioAlchemyPage::open-item:
   * @self: the page
   * @item: an image the forms made, saved to the gallery
   *
   * Emitted when the user asks to see a new image in the gallery.
   */
  signals [OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HORDE_STUDIO_TYPE_GALLERY_ITEM);

  g_type_ensure (HORDE_STUDIO_TYPE_FOLD_BIN);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-alchemy-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HordeStudioAlchemyPage, name)
  BIND (source_column);
  BIND (empty_box);
  BIND (source_box);
  BIND (source_picture);
  BIND (source_label);
  BIND (analysis_group);
  BIND (upscaler_group);
  BIND (facefixer_group);
  BIND (background_group);
  BIND (run_button);
  BIND (cancel_button);
  BIND (spinner);
  BIND (status_label);
  BIND (results_box);
  BIND (caption_group);
  BIND (caption_label);
  BIND (tags_group);
  BIND (tags_box);
  BIND (nsfw_group);
  BIND (nsfw_row);
  BIND (images_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, run);
  gtk_widget_class_bind_template_callback (widget_class, cancel);
  gtk_widget_class_bind_template_callback (widget_class, choose_file);
  gtk_widget_class_bind_template_callback (widget_class, copy_caption);
  gtk_widget_class_bind_template_callback (widget_class, copy_tags);
}

static void
horde_studio_alchemy_page_init (HordeStudioAlchemyPage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { G_TYPE_FILE, GDK_TYPE_TEXTURE };

  self->checks = g_ptr_array_new ();
  self->image_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  add_form_rows (self, self->analysis_group, analysis_forms, G_N_ELEMENTS (analysis_forms));
  add_form_rows (self, self->upscaler_group, upscaler_forms, G_N_ELEMENTS (upscaler_forms));
  add_form_rows (self, self->facefixer_group, facefixer_forms, G_N_ELEMENTS (facefixer_forms));
  add_form_rows (self, self->background_group, background_forms, G_N_ELEMENTS (background_forms));
  /* what most want first: what the image shows */
  gtk_check_button_set_active (self->checks->pdata[0], TRUE);
  gtk_check_button_set_active (self->checks->pdata[1], TRUE);

  /* an image dropped anywhere on the page is the one to analyse */
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (dropped), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  clear_results (self);
  set_status (self, NULL, FALSE);
  update_run_button (self);
}

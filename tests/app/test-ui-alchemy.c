/* test-ui-alchemy.c: Horde Studio's "Analyse" page (the Horde's alchemy)
 * against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb in a private D-Bus session (see meson.build). The tests
 * start from an image made through the compose pane and opened in the
 * gallery's viewer, or from a file opened on the page, run forms on
 * horde-sim's alchemy worker as a user does, and look at what the page
 * shows and what the gallery keeps.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "horde-studio-alchemy-page.h"
#include "ui-driver.h"

#define PROMPT "a lighthouse on a cliff at dusk"

static HordeStudioAlchemyPage *
page (Fixture *f)
{
  AdwViewStack *stack = child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack");

  return HORDE_STUDIO_ALCHEMY_PAGE (adw_view_stack_get_child_by_name (stack, "analyse"));
}

static gpointer
page_child (Fixture    *f,
            const char *name)
{
  return child (GTK_WIDGET (page (f)), HORDE_STUDIO_TYPE_ALCHEMY_PAGE, name);
}

static HordeStudioGallery *
gallery (Fixture *f)
{
  return horde_studio_application_get_gallery (f->app);
}

static HordeStudioImageViewer *
viewer (Fixture *f)
{
  return horde_studio_gallery_view_get_viewer (horde_studio_window_get_gallery_view (f->window));
}

/* the check box of a form, by its Horde name */
static GtkCheckButton *
form_check (Fixture    *f,
            const char *form)
{
  g_autofree char *name = g_strconcat ("form-", form, NULL);
  GtkWidget *check = find_named (GTK_WIDGET (page (f)), name);

  g_assert_nonnull (check);
  return GTK_CHECK_BUTTON (check);
}

/* exactly these forms */
static void
choose_forms (Fixture            *f,
              const char * const *forms)
{
  static const char * const all[] = {
    "caption", "interrogation", "nsfw", "RealESRGAN_x4plus", "RealESRGAN_x2plus", "4x_AnimeSharp",
    "NMKD_Siax", "RealESRGAN_x4plus_anime_6B", "GFPGAN", "CodeFormers", "strip_background",
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_check_button_set_active (form_check (f, all[i]), g_strv_contains (forms, all[i]));
}

static gboolean
page_idle (gpointer data)
{
  return horde_studio_alchemy_page_get_job (page (data)) == NULL;
}

static gboolean
job_on_server (gpointer data)
{
  HordeAlchemyJob *job = horde_studio_alchemy_page_get_job (page (data));

  return job != NULL && horde_job_get_id (HORDE_JOB (job)) != NULL;
}

static gboolean
source_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (page_child (f, "source_box")) &&
         gtk_widget_is_sensitive (page_child (f, "run_button"));
}

static const char *
status_text (Fixture *f)
{
  return gtk_label_get_text (page_child (f, "status_label"));
}

/* a row of a new image, saved: it has its "Show" button */
static GtkWidget *
saved_row (Fixture    *f,
           const char *form)
{
  g_autofree char *name = g_strconcat ("image-", form, NULL);

  return find_named (GTK_WIDGET (page (f)), name);
}

/* the only button of an image's row: "Show", once it is saved */
static GtkButton *
show_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return GTK_BUTTON (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkButton *found = show_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  Fixture *f;
  const char *form;
} SavedWait;

static gboolean
image_saved (gpointer data)
{
  SavedWait *wait = data;
  GtkWidget *row = saved_row (wait->f, wait->form);

  return row != NULL && show_button (row) != NULL;
}

/* an image made through the compose pane, open in the viewer */
static HordeStudioGalleryItem *
make_image (Fixture *f)
{
  HordeStudioJob *job;
  HordeStudioGalleryItem *item;

  type_prompt (f, PROMPT);
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_ended, job, 30));
  item = g_list_model_get_item (horde_studio_job_get_images (job), 0);
  g_assert_nonnull (item);
  return item;
}

/* a PNG file of @width × @height in the test's gallery folder */
static GFile *
write_png (Fixture    *f,
           const char *name,
           int         width,
           int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (f->gallery_dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return g_file_new_for_path (path);
}

static void
open_file (Fixture *f,
           GFile   *file)
{
  horde_studio_window_show_page (f->window, "analyse");
  horde_studio_alchemy_page_open_file (page (f), file);
  g_assert_true (iterate_until (source_shown, f, 10));
}

/* the subtitle of the viewer's detail row titled @title, or NULL */
static const char *
viewer_detail (Fixture    *f,
               const char *title)
{
  GtkWidget *list = child (GTK_WIDGET (viewer (f)), HORDE_STUDIO_TYPE_IMAGE_VIEWER, "details_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  return NULL;
}

/* From the viewer's "Analyse…": the caption and the tags shown, the NSFW
 * verdict, an upscale saved to the gallery with its lineage, shown in the
 * gallery with "Made from … by …" */
static void
test_from_gallery (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) source = make_image (f);
  g_autoptr(HordeStudioGalleryItem) made = NULL;
  const char * const forms[] = { "caption", "interrogation", "nsfw", "RealESRGAN_x2plus", NULL };
  SavedWait wait = { f, "RealESRGAN_x2plus" };
  GtkFlowBox *tags;
  GtkWidget *first;
  const char *lineage;
  g_autofree char *expected = NULL;

  horde_studio_window_show_page (f->window, "gallery");
  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), source);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer (f)), "win.analyse-shown", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack")),
                   ==, "analyse");
  g_assert_true (source_shown (f));
  g_assert_nonnull (strstr (gtk_label_get_text (page_child (f, "source_label")), PROMPT));

  choose_forms (f, forms);
  click (page_child (f, "run_button"));
  g_assert_false (gtk_widget_get_visible (page_child (f, "run_button")));
  g_assert_true (gtk_widget_get_visible (page_child (f, "cancel_button")));
  g_assert_cmpstr (status_text (f), !=, "");
  g_assert_true (iterate_until (page_idle, f, 60));
  g_assert_cmpstr (status_text (f), ==, "Done.");

  /* the caption, selectable */
  g_assert_true (gtk_widget_get_visible (page_child (f, "caption_group")));
  g_assert_cmpuint (strlen (gtk_label_get_text (page_child (f, "caption_label"))), >, 0);
  g_assert_true (gtk_label_get_selectable (page_child (f, "caption_label")));
  /* the tags with their weights, most certain first */
  g_assert_true (gtk_widget_get_visible (page_child (f, "tags_group")));
  tags = page_child (f, "tags_box");
  first = gtk_widget_get_first_child (GTK_WIDGET (tags));
  g_assert_nonnull (first);
  {
    double previous = 2;

    for (GtkWidget *chip = first; chip != NULL; chip = gtk_widget_get_next_sibling (chip))
      {
        GtkWidget *box = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (chip));
        GtkWidget *weight = gtk_widget_get_last_child (box);
        double value = g_ascii_strtod (gtk_label_get_text (GTK_LABEL (weight)), NULL);

        g_assert_cmpfloat (value, >, 0);
        g_assert_cmpfloat (value, <=, previous);
        previous = value;
      }
  }
  /* the verdict */
  g_assert_true (gtk_widget_get_visible (page_child (f, "nsfw_group")));
  {
    const char *verdict = adw_preferences_row_get_title (page_child (f, "nsfw_row"));

    g_assert_true (g_str_equal (verdict, "Safe for work") || g_str_equal (verdict, "Not safe for work"));
  }

  /* the upscale: saved, twice the size, with its lineage */
  g_assert_true (iterate_until (image_saved, &wait, 20));
  made = g_list_model_get_item (G_LIST_MODEL (gallery (f)), 0);
  g_assert_true (made != source);
  g_assert_cmpint (horde_studio_gallery_item_get_parent_id (made), ==, horde_studio_gallery_item_get_id (source));
  g_assert_cmpstr (horde_studio_gallery_item_get_form (made), ==, "RealESRGAN_x2plus");
  g_assert_cmpint (horde_studio_gallery_item_get_width (made), ==, 2 * horde_studio_gallery_item_get_width (source));
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (made), ==, PROMPT);

  /* "Show": the gallery, the new image, where it came from */
  click (show_button (saved_row (f, "RealESRGAN_x2plus")));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (child (GTK_WIDGET (f->window), HORDE_STUDIO_TYPE_WINDOW, "stack")),
                   ==, "gallery");
  g_assert_true (horde_studio_image_viewer_get_item (viewer (f)) == made);
  lineage = viewer_detail (f, "Source");
  g_assert_nonnull (lineage);
  expected = g_strdup_printf ("Made from image %" G_GINT64_FORMAT ", “%s” by RealESRGAN_x2plus",
                              horde_studio_gallery_item_get_id (source), PROMPT);
  g_assert_cmpstr (lineage, ==, expected);
  /* a generated image has no such line */
  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), source);
  g_assert_null (viewer_detail (f, "Source"));
}

static gboolean
other_shown (gpointer data)
{
  return g_strcmp0 (gtk_label_get_text (page_child (data, "source_label")), "other.png") == 0;
}

/* A file dropped on the page: its images are saved with the file's name
 * as their source */
static void
test_from_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "holiday.png", 64, 48);
  g_autoptr(GFile) other = write_png (f, "other.png", 32, 32);
  g_autoptr(HordeStudioGalleryItem) made = NULL;
  const char * const forms[] = { "strip_background", NULL };
  SavedWait wait = { f, "strip_background" };

  /* dropped on the page, as from Files */
  horde_studio_window_show_page (f->window, "analyse");
  {
    GtkDropTarget *target = find_controller (GTK_WIDGET (page (f)), GTK_TYPE_DROP_TARGET);
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean taken = FALSE;

    g_assert_nonnull (target);
    g_value_init (&value, G_TYPE_FILE);
    g_value_set_object (&value, file);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &taken);
    g_assert_true (taken);
  }
  g_assert_true (iterate_until (source_shown, f, 10));
  g_assert_cmpstr (gtk_label_get_text (page_child (f, "source_label")), ==, "holiday.png");
  choose_forms (f, forms);
  click (page_child (f, "run_button"));
  /* another image opened while it runs: the results are still the first's */
  horde_studio_alchemy_page_open_file (page (f), other);
  g_assert_true (iterate_until (other_shown, f, 10));
  g_assert_false (page_idle (f));
  g_assert_true (iterate_until (page_idle, f, 60));
  g_assert_true (iterate_until (image_saved, &wait, 20));
  g_assert_false (gtk_widget_get_visible (page_child (f, "caption_group")));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery (f))), ==, 1);
  made = g_list_model_get_item (G_LIST_MODEL (gallery (f)), 0);
  g_assert_cmpint (horde_studio_gallery_item_get_parent_id (made), ==, 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_parent_name (made), ==, "holiday.png");
  g_assert_cmpstr (horde_studio_gallery_item_get_form (made), ==, "strip_background");
  g_assert_cmpint (horde_studio_gallery_item_get_width (made), ==, 64);

  horde_studio_window_show_page (f->window, "gallery");
  horde_studio_gallery_view_show_item (horde_studio_window_get_gallery_view (f->window), made);
  g_assert_cmpstr (viewer_detail (f, "Source"), ==, "Made from holiday.png by strip_background");
}

/* Cancel deletes the request on the server, and says so */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "cancel.png", 64, 48);
  g_autofree char *id = NULL;

  open_file (f, file);
  click (page_child (f, "run_button"));
  /* no alchemy worker: the request waits */
  g_assert_true (iterate_until (job_on_server, f, 20));
  id = g_strdup (horde_job_get_id (HORDE_JOB (horde_studio_alchemy_page_get_job (page (f)))));
  g_assert_nonnull (strstr (status_text (f), "Waiting for a worker"));
  click (page_child (f, "cancel_button"));
  g_assert_true (iterate_until (page_idle, f, 20));

  g_assert_cmpint (horde_test_sim_job_count (f->sim, id, "delete"), ==, 1);
  g_assert_nonnull (strstr (status_text (f), "Cancelled"));
  g_assert_true (gtk_widget_get_visible (page_child (f, "run_button")));
  g_assert_false (gtk_widget_get_visible (page_child (f, "cancel_button")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery (f))), ==, 0);
}

/* The server's refusal, in words; and a file that is no image */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "refused.png", 64, 48);
  g_autofree char *junk_path = g_build_filename (f->gallery_dir, "junk.png", NULL);
  g_autoptr(GFile) junk = g_file_new_for_path (junk_path);

  open_file (f, file);
  horde_test_sim_set_faults (f->sim, "status:401@POST /api/v2/interrogate/async,rc=InvalidAPIKey,"
                                     "message=Invalid API Key");
  click (page_child (f, "run_button"));
  g_assert_true (iterate_until (page_idle, f, 20));
  horde_test_sim_set_faults (f->sim, NULL);
  g_assert_cmpstr (status_text (f), ==,
                   "The Horde does not know your API key. Check the key in Preferences, or remove it to generate anonymously.");

  /* not an image: said, and the image before is kept */
  g_assert_true (g_file_set_contents (junk_path, "this is no image", -1, NULL));
  horde_studio_alchemy_page_open_file (page (f), junk);
  iterate_for (300);
  g_assert_true (g_str_has_prefix (status_text (f), "Cannot analyse this image: "));
  g_assert_cmpstr (gtk_label_get_text (page_child (f, "source_label")), ==, "refused.png");
}

/* An upscale bigger than the client takes is refused as it comes, in
 * words, and nothing is saved */
static void
test_image_bounded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "big.png", 64, 48);
  const char * const forms[] = { "caption", "RealESRGAN_x4plus", NULL };
  HordeClient *client = horde_studio_application_get_client (f->app);

  /* the source fits; its 4× upscale (256 × 192) does not */
  horde_client_set_max_image_pixels (client, 200 * 200);
  open_file (f, file);
  choose_forms (f, forms);
  click (page_child (f, "run_button"));
  g_assert_true (iterate_until (page_idle, f, 60));
  g_assert_true (g_str_has_prefix (status_text (f), "Finished, but not every image could be taken. "));
  g_assert_nonnull (strstr (status_text (f), "RealESRGAN_x4plus"));
  g_assert_nonnull (strstr (status_text (f), "256×192"));
  /* the caption came: shown all the same */
  g_assert_true (gtk_widget_get_visible (page_child (f, "caption_group")));
  g_assert_nonnull (saved_row (f, "RealESRGAN_x4plus"));
  g_assert_null (show_button (saved_row (f, "RealESRGAN_x4plus")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (saved_row (f, "RealESRGAN_x4plus"))), ==,
                   "Not saved: the image could not be taken");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery (f))), ==, 0);
}

/* At a phone's width: the window stays at 360 px, the forms and the
 * button can be reached, and the results go under the image */
static gboolean
laid_out_narrow (gpointer data)
{
  Fixture *f = data;
  graphene_rect_t source, results;

  return gtk_widget_get_width (GTK_WIDGET (f->window)) <= 360 &&
         gtk_widget_get_mapped (page_child (f, "run_button")) &&
         gtk_widget_compute_bounds (page_child (f, "source_column"), GTK_WIDGET (page (f)), &source) &&
         gtk_widget_compute_bounds (page_child (f, "results_box"), GTK_WIDGET (page (f)), &results) &&
         source.size.width <= 360 &&
         results.origin.y >= source.origin.y + source.size.height;
}

static gboolean
laid_out_wide (gpointer data)
{
  Fixture *f = data;
  graphene_rect_t source, results;

  return gtk_widget_compute_bounds (page_child (f, "source_column"), GTK_WIDGET (page (f)), &source) &&
         gtk_widget_compute_bounds (page_child (f, "results_box"), GTK_WIDGET (page (f)), &results) &&
         results.origin.x >= source.origin.x + source.size.width;
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "phone.png", 64, 48);
  const char * const forms[] = { "caption", "interrogation", NULL };

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  open_file (f, file);
  choose_forms (f, forms);
  click (page_child (f, "run_button"));
  g_assert_true (iterate_until (page_idle, f, 60));
  g_assert_true (iterate_until (laid_out_narrow, f, 10));

  /* and beside it on a desktop */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 720);
  g_assert_true (iterate_until (laid_out_wide, f, 10));

  /* and narrow again: the wide layout does not hold the window wide */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  g_assert_true (iterate_until (laid_out_narrow, f, 10));
}

/* Closing the window while an analysis waits asks first, as for the
 * other requests, and the request is deleted on the server */
static gboolean
analysis_deleted (gpointer data)
{
  Fixture *f = data;
  const char *id = g_object_get_data (G_OBJECT (f->app), "alchemy-job-id");

  return horde_test_sim_job_count (f->sim, id, "delete") == 1;
}

static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = write_png (f, "close.png", 64, 48);

  open_file (f, file);
  click (page_child (f, "run_button"));
  g_assert_true (iterate_until (job_on_server, f, 20));
  g_object_set_data_full (G_OBJECT (f->app), "alchemy-job-id",
                          g_strdup (horde_job_get_id (HORDE_JOB (horde_studio_alchemy_page_get_job (page (f))))),
                          g_free);

  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (iterate_until (dialog_shown, f, 5));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (find_dialog (f))),
                            "A request is still running"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog (f)), "cancel");
  f->window = NULL;       /* the application closes it */

  g_assert_true (iterate_until (analysis_deleted, f, 10));
}

int
main (int argc, char *argv[])
{
  static const char * const no_worker[] = { "--alchemy-workers", "0", "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui/alchemy/from-gallery", test_from_gallery },
    { "/ui/alchemy/from-file", test_from_file },
    { "/ui/alchemy/cancel", test_cancel, no_worker },
    { "/ui/alchemy/close", test_close, no_worker },
    { "/ui/alchemy/errors", test_errors },
    { "/ui/alchemy/image-bounded", test_image_bounded },
    { "/ui/alchemy/narrow", test_narrow },
  };

  ui_test_init (&argc, &argv);
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

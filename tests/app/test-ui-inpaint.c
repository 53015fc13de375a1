/* test-ui-inpaint.c: inpainting and outpainting in Horde Studio's window, against horde-sim
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs under Xvfb (see meson.build). The user starts from an image, turns
 * the mode to Inpaint or Outpaint, paints a mask over the image with the
 * pointer (the painter's drag gesture, given the pointer's positions in
 * the widget), and sends: the mask must reach the request and the server,
 * as the Horde's workers read it (white painted again, black kept).
 */

#include "config.h"

#include <unistd.h>

#include "horde-studio-mask-painter.h"
#include "horde-studio-source-image.h"
#include "ui-driver.h"

/* the mode row's items */
enum { IMG2IMG, INPAINT, OUTPAINT };

static void
set_mode (Fixture *f,
          guint    mode)
{
  adw_combo_row_set_selected (compose_part (f, "mode_row"), mode);
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

/* A base64 image of the request, decoded */
static GdkPixbuf *
decode (const char *base64)
{
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guchar *data;
  gsize len = 0;
  GdkPixbuf *pixbuf;

  g_assert_nonnull (base64);
  data = g_base64_decode (base64, &len);
  bytes = g_bytes_new_take (data, len);
  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  pixbuf = horde_generated_image_decode (image, &error);
  g_assert_no_error (error);
  /* the image's own */
  return g_object_ref (pixbuf);
}

static const guint8 *
pixel (GdkPixbuf *pixbuf,
       int        x,
       int        y)
{
  return gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * gdk_pixbuf_get_n_channels (pixbuf);
}

/* The mask's luminance at a pixel, as the workers read it (its channels
 * are equal: a grey image) */
static int
mask_at (GdkPixbuf *mask,
         int        x,
         int        y)
{
  const guint8 *p = pixel (mask, x, y);

  g_assert_cmpint (p[0], ==, p[1]);
  g_assert_cmpint (p[1], ==, p[2]);
  return p[0];
}

static GdkPixbuf *
request_mask (Fixture *f)
{
  HordeImageGenerateAsyncRequest *request = horde_studio_compose_get_request (compose (f));

  g_assert_nonnull (request);
  return decode (horde_image_generate_async_request_get_source_mask (request));
}

/* Where a pixel of the image is in the painter, from what the painter
 * makes of two positions of the pointer */
static void
image_to_widget (HordeStudioMaskPainter *painter,
                 double                  x,
                 double                  y,
                 double                 *wx,
                 double                 *wy)
{
  graphene_point_t origin, far;

  g_assert_true (horde_studio_mask_painter_widget_to_image (painter, 0, 0, &origin));
  g_assert_true (horde_studio_mask_painter_widget_to_image (painter, 100, 100, &far));
  /* pixels of the image for 100 of the widget */
  *wx = (x - origin.x) * 100 / (far.x - origin.x);
  *wy = (y - origin.y) * 100 / (far.y - origin.y);
}

/* A drag of the pointer over the painter, from one pixel of the image to
 * another */
static void
drag (HordeStudioMaskPainter *painter,
      double                  x1,
      double                  y1,
      double                  x2,
      double                  y2)
{
  GtkGestureDrag *gesture = find_controller (GTK_WIDGET (painter), GTK_TYPE_GESTURE_DRAG);
  double sx, sy, ex, ey;

  image_to_widget (painter, x1, y1, &sx, &sy);
  image_to_widget (painter, x2, y2, &ex, &ey);
  g_signal_emit_by_name (gesture, "drag-begin", sx, sy);
  g_signal_emit_by_name (gesture, "drag-update", (ex - sx) / 2, (ey - sy) / 2);
  g_signal_emit_by_name (gesture, "drag-update", ex - sx, ey - sy);
  g_signal_emit_by_name (gesture, "drag-end", ex - sx, ey - sy);
}

static HordeStudioMaskPainter *
shown_painter (Fixture *f)
{
  HordeStudioMaskPainter *painter = compose_part (f, "painter");

  g_assert_true (iterate_until (allocated, painter, 10));
  return painter;
}

/* The stroke painted in the tests: along the middle row of a 256 × 192
 * image, from x 40 to 200, 20 pixels wide */
static void
assert_stroke (GdkPixbuf *mask,
               gboolean   painted)
{
  int in = painted ? 255 : 0;
  int out = painted ? 0 : 255;

  g_assert_cmpint (gdk_pixbuf_get_width (mask), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (mask), ==, 192);
  /* on the stroke */
  g_assert_cmpint (mask_at (mask, 40, 96), ==, in);
  g_assert_cmpint (mask_at (mask, 120, 96), ==, in);
  g_assert_cmpint (mask_at (mask, 120, 104), ==, in);
  g_assert_cmpint (mask_at (mask, 200, 90), ==, in);
  /* off it */
  g_assert_cmpint (mask_at (mask, 120, 60), ==, out);
  g_assert_cmpint (mask_at (mask, 120, 120), ==, out);
  g_assert_cmpint (mask_at (mask, 10, 10), ==, out);
  g_assert_cmpint (mask_at (mask, 220, 96), ==, out);
  g_assert_cmpint (mask_at (mask, 255, 191), ==, out);
}

static void
assert_mask_empty (GdkPixbuf *mask)
{
  for (int y = 0; y < gdk_pixbuf_get_height (mask); y += 8)
    for (int x = 0; x < gdk_pixbuf_get_width (mask); x += 8)
      g_assert_cmpint (mask_at (mask, x, y), ==, 0);
}

/* A stroke reaches the request as the mask, at the source's size; invert,
 * clear, undo (the button and Ctrl+Z) and the eraser change it as they
 * say; the server takes the request and the job is done; "use these
 * settings" brings the mask back */
static void
test_inpaint (Fixture       *f,
              gconstpointer  data)
{
  HordeStudioMaskPainter *painter;
  HordeImageGenerateAsyncRequest *request;
  HordeStudioJob *job;
  GtkWidget *hint = compose_part (f, "mask_hint");

  type_prompt (f, "a red door in a blue wall");
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  g_assert_true (gtk_widget_get_visible (compose_part (f, "source_picture")));
  g_assert_false (gtk_widget_get_visible (compose_part (f, "painting_box")));

  set_mode (f, INPAINT);
  g_assert_false (gtk_widget_get_visible (compose_part (f, "source_picture")));
  g_assert_true (gtk_widget_get_visible (compose_part (f, "painting_box")));
  g_assert_false (gtk_widget_get_visible (compose_part (f, "extension_row")));
  painter = shown_painter (f);

  /* nothing painted yet: an all-black mask, and the hint says so */
  request = horde_studio_compose_get_request (compose (f));
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "inpainting");
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_mask_empty (mask);
  }
  g_assert_true (gtk_widget_has_css_class (hint, "warning"));
  g_assert_false (gtk_widget_is_sensitive (compose_part (f, "undo_button")));

  /* a stroke with the brush */
  set_spin (f, "brush_size_spin", 20);
  drag (painter, 40, 96, 200, 96);
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_stroke (mask, TRUE);
  }
  g_assert_false (gtk_widget_has_css_class (hint, "warning"));
  g_assert_true (gtk_widget_is_sensitive (compose_part (f, "undo_button")));

  /* invert */
  click (compose_part (f, "invert_button"));
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_stroke (mask, FALSE);
  }

  /* Ctrl+Z, where the drag left the focus: the stroke again */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (painter)));
  g_assert_true (press_key (f, GTK_WIDGET (painter), GDK_KEY_z, GDK_CONTROL_MASK));
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_stroke (mask, TRUE);
  }

  /* clear, then the undo button */
  click (compose_part (f, "clear_button"));
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_mask_empty (mask);
  }
  g_assert_true (gtk_widget_has_css_class (hint, "warning"));
  click (compose_part (f, "undo_button"));
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_stroke (mask, TRUE);
  }

  /* the eraser takes paint away where it goes, and only there */
  gtk_toggle_button_set_active (compose_part (f, "eraser_button"), TRUE);
  drag (painter, 120, 96, 120, 96);
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);

    g_assert_cmpint (mask_at (mask, 120, 96), ==, 0);
    g_assert_cmpint (mask_at (mask, 60, 96), ==, 255);
    g_assert_cmpint (mask_at (mask, 180, 96), ==, 255);
  }
  click (compose_part (f, "undo_button"));
  gtk_toggle_button_set_active (compose_part (f, "brush_button"), TRUE);

  /* Ctrl+Z with the focus on a button of the tools, as after a click */
  click (compose_part (f, "invert_button"));
  g_assert_true (gtk_widget_grab_focus (compose_part (f, "invert_button")));
  g_assert_true (press_key (f, GTK_WIDGET (painter), GDK_KEY_z, GDK_CONTROL_MASK));
  {
    g_autoptr(GdkPixbuf) mask = request_mask (f);
    assert_stroke (mask, TRUE);
  }

  /* sent: the request carries the image, the mask and the mode */
  press_generate (f);
  job = job_at (f, 0);
  request = horde_studio_job_get_request (job);
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "inpainting");
  {
    g_autoptr(GdkPixbuf) source = decode (horde_image_generate_async_request_get_source_image (request));
    g_autoptr(GdkPixbuf) mask = decode (horde_image_generate_async_request_get_source_mask (request));

    g_assert_cmpint (gdk_pixbuf_get_width (source), ==, 256);
    g_assert_cmpint (gdk_pixbuf_get_height (source), ==, 192);
    assert_stroke (mask, TRUE);
  }

  /* and the server takes it */
  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);

  /* "use these settings" brings the mode and the mask back */
  horde_studio_compose_set_source_bytes (compose (f), NULL, NULL);
  set_mode (f, IMG2IMG);
  horde_studio_compose_load_request (compose (f), request);
  g_assert_cmpuint (adw_combo_row_get_selected (compose_part (f, "mode_row")), ==, INPAINT);
  g_assert_true (horde_image_generate_async_request_equal (horde_studio_compose_get_request (compose (f)), request));
}

/* Outpainting: the image on a canvas extended on the chosen sides, the
 * extension transparent and painted in the mask, with what is painted
 * over the image */
static void
test_outpaint (Fixture       *f,
               gconstpointer  data)
{
  HordeStudioMaskPainter *painter;
  HordeImageGenerateAsyncRequest *request;
  HordeStudioJob *job;

  type_prompt (f, "the same room, wider");
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  set_mode (f, OUTPAINT);
  g_assert_true (gtk_widget_get_visible (compose_part (f, "extension_row")));
  painter = shown_painter (f);

  /* the tools fit a 360 px window: the pane's margins are 12 px */
  {
    int minimum = 0;

    gtk_widget_measure (compose_part (f, "source_image"), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_test_message ("the source image group is at least %d px wide", minimum);
    g_assert_cmpint (minimum, <=, 360 - 2 * 12);
  }

  /* 64 pixels on the left and on the right (the sides chosen at first) */
  set_spin (f, "extension_spin", 64);
  set_spin (f, "brush_size_spin", 20);
  /* the pointer on the image, not on the extension */
  drag (painter, 40, 96, 200, 96);

  press_generate (f);
  job = job_at (f, 0);
  request = horde_studio_job_get_request (job);
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "outpainting");
  {
    g_autoptr(GdkPixbuf) source = decode (horde_image_generate_async_request_get_source_image (request));
    g_autoptr(GdkPixbuf) mask = decode (horde_image_generate_async_request_get_source_mask (request));

    g_assert_cmpint (gdk_pixbuf_get_width (source), ==, 64 + 256 + 64);
    g_assert_cmpint (gdk_pixbuf_get_height (source), ==, 192);
    g_assert_true (gdk_pixbuf_get_has_alpha (source));
    /* the extension is transparent, the image is where it was */
    g_assert_cmpint (pixel (source, 10, 96)[3], ==, 0);
    g_assert_cmpint (pixel (source, 373, 10)[3], ==, 0);
    g_assert_cmpint (pixel (source, 64 + 10, 10)[3], ==, 255);
    g_assert_cmpint (pixel (source, 64 + 10, 10)[2], >, 0x90);

    g_assert_cmpint (gdk_pixbuf_get_width (mask), ==, 64 + 256 + 64);
    g_assert_cmpint (gdk_pixbuf_get_height (mask), ==, 192);
    /* the extension is painted again, all of it */
    g_assert_cmpint (mask_at (mask, 0, 0), ==, 255);
    g_assert_cmpint (mask_at (mask, 63, 191), ==, 255);
    g_assert_cmpint (mask_at (mask, 64 + 256, 0), ==, 255);
    g_assert_cmpint (mask_at (mask, 64 + 256 + 63, 100), ==, 255);
    /* the image is kept, but for the stroke */
    g_assert_cmpint (mask_at (mask, 64, 0), ==, 0);
    g_assert_cmpint (mask_at (mask, 64 + 255, 191), ==, 0);
    g_assert_cmpint (mask_at (mask, 64 + 120, 60), ==, 0);
    g_assert_cmpint (mask_at (mask, 64 + 120, 96), ==, 255);
  }

  g_assert_true (iterate_until (job_ended, job, 30));
  g_assert_cmpint (horde_image_job_get_state (horde_studio_job_get_image_job (job)), ==, HORDE_JOB_STATE_DONE);

  /* only the top: the canvas grows upwards */
  gtk_toggle_button_set_active (compose_part (f, "extend_left"), FALSE);
  gtk_toggle_button_set_active (compose_part (f, "extend_right"), FALSE);
  gtk_toggle_button_set_active (compose_part (f, "extend_top"), TRUE);
  request = horde_studio_compose_get_request (compose (f));
  {
    g_autoptr(GdkPixbuf) source = decode (horde_image_generate_async_request_get_source_image (request));
    g_autoptr(GdkPixbuf) mask = decode (horde_image_generate_async_request_get_source_mask (request));

    g_assert_cmpint (gdk_pixbuf_get_width (source), ==, 256);
    g_assert_cmpint (gdk_pixbuf_get_height (source), ==, 64 + 192);
    g_assert_cmpint (pixel (source, 10, 10)[3], ==, 0);
    g_assert_cmpint (pixel (source, 10, 64 + 10)[3], ==, 255);
    g_assert_cmpint (mask_at (mask, 10, 10), ==, 255);
    g_assert_cmpint (mask_at (mask, 10, 64 + 10), ==, 0);
    g_assert_cmpint (mask_at (mask, 120, 64 + 96), ==, 255);
  }

  /* back to img2img: the image alone, no mask */
  set_mode (f, IMG2IMG);
  request = horde_studio_compose_get_request (compose (f));
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "img2img");
  g_assert_null (horde_image_generate_async_request_get_source_mask (request));
  {
    g_autoptr(GdkPixbuf) source = decode (horde_image_generate_async_request_get_source_image (request));

    g_assert_cmpint (gdk_pixbuf_get_width (source), ==, 256);
  }
}

/* What a worker of the Horde is given: the mask and the mode, as sent */
static void
test_worker_gets_mask (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HordeGenerationPayloadStable) payload = NULL;
  HordeImageGenerateAsyncRequest *request;
  HordeStudioJob *job;

  type_prompt (f, "a red door in a blue wall");
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  set_mode (f, INPAINT);
  set_spin (f, "brush_size_spin", 20);
  drag (shown_painter (f), 40, 96, 200, 96);
  press_generate (f);
  job = job_at (f, 0);
  g_assert_true (iterate_until (job_has_id, job, 10));
  request = horde_studio_job_get_request (job);

  payload = worker_pop (f, "{\"name\": \"a painting worker\", \"models\": [\"stable_diffusion\"], \"nsfw\": true,"
                           " \"allow_img2img\": true, \"allow_painting\": true, \"bridge_agent\": \"AI Horde Worker reGen:9.0.0:local\"}");
  /* the only request waiting: the app's */
  g_assert_nonnull (horde_generation_payload_stable_get_id (payload));
  g_assert_cmpstr (horde_generation_payload_stable_get_source_processing (payload), ==, "inpainting");
  g_assert_cmpstr (horde_generation_payload_stable_get_source_mask (payload), ==,
                   horde_image_generate_async_request_get_source_mask (request));
  {
    g_autoptr(GdkPixbuf) mask = decode (horde_generation_payload_stable_get_source_mask (payload));
    assert_stroke (mask, TRUE);
  }
}

static gboolean
model_is_first (gpointer data)
{
  GtkDropDown *dropdown = model_dropdown (data);
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr(GtkStringObject) item = NULL;

  if (g_list_model_get_n_items (model) < 2)
    return FALSE;
  item = g_list_model_get_item (model, 1);
  return g_str_equal (gtk_string_object_get_string (item), "stable_diffusion_inpainting");
}

static gboolean
inpainting_model_offered (gpointer data)
{
  return string_position (gtk_drop_down_get_model (model_dropdown (data)), "stable_diffusion_inpainting") !=
         GTK_INVALID_LIST_POSITION;
}

/* While inpainting, the models made for it come first, and a model not
 * made for it is said */
static void
test_inpainting_models_first (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(HordeGenerationPayloadStable) payload = NULL;
  GtkDropDown *dropdown = model_dropdown (f);
  GtkWidget *warning = compose_part (f, "model_warning");

  /* a worker with an inpainting model, fewer workers than the others */
  payload = worker_pop (f, "{\"name\": \"an inpainting worker\", \"models\": [\"stable_diffusion_inpainting\"]}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compose (f)), "compose.refresh-models", NULL));
  g_assert_true (iterate_until (inpainting_model_offered, f, 10));
  g_assert_false (model_is_first (f));

  gtk_drop_down_set_selected (dropdown, string_position (gtk_drop_down_get_model (dropdown), "Deliberate"));
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  g_assert_false (gtk_widget_get_visible (warning));

  /* inpainting: first, and the model chosen stays chosen, with a warning */
  set_mode (f, INPAINT);
  g_assert_true (model_is_first (f));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, string_position (gtk_drop_down_get_model (dropdown), "Deliberate"));
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (warning)), "Deliberate"));

  /* a model made for it: no warning */
  gtk_drop_down_set_selected (dropdown, string_position (gtk_drop_down_get_model (dropdown), "stable_diffusion_inpainting"));
  g_assert_false (gtk_widget_get_visible (warning));
  gtk_drop_down_set_selected (dropdown, string_position (gtk_drop_down_get_model (dropdown), "Deliberate"));
  g_assert_true (gtk_widget_get_visible (warning));

  /* img2img: the usual order, no warning */
  set_mode (f, IMG2IMG);
  g_assert_false (model_is_first (f));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, string_position (gtk_drop_down_get_model (dropdown), "Deliberate"));
  g_assert_false (gtk_widget_get_visible (warning));

  /* outpainting too; without a source image, the usual order */
  set_mode (f, OUTPAINT);
  g_assert_true (model_is_first (f));
  horde_studio_compose_set_source_bytes (compose (f), NULL, NULL);
  g_assert_false (model_is_first (f));
  g_assert_false (gtk_widget_get_visible (warning));
}

/* The Horde refuses ControlNet with inpainting
 * (ControlNetInpaintingMismatch), not with outpainting: the app says it
 * before sending */
static void
test_controlnet_inpainting (Fixture       *f,
                            gconstpointer  data)
{
  GtkLabel *problem = compose_part (f, "problem_label");
  GtkWidget *button = compose_part (f, "generate_button");
  HordeImageGenerateAsyncRequest *request;

  type_prompt (f, "a red door in a blue wall");
  set_spin (f, "steps_spin", 20);
  set_source_fill (f, 256, 192, TRUE, 0x3366aaff);
  select_in (compose_part (f, "control_type_row"), "depth");
  g_assert_true (gtk_widget_is_sensitive (button));

  set_mode (f, INPAINT);
  g_assert_cmpstr (gtk_label_get_text (problem), ==, "ControlNet: does not work with inpainting at this time");
  g_assert_true (gtk_widget_has_css_class (compose_part (f, "control_net"), "error"));
  g_assert_false (gtk_widget_is_sensitive (button));

  set_mode (f, OUTPAINT);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (button));
  request = horde_studio_compose_get_request (compose (f));
  g_assert_cmpstr (horde_image_generate_async_request_get_source_processing (request), ==, "outpainting");
  g_assert_cmpstr (horde_model_generation_input_stable_get_control_type (horde_image_generate_async_request_get_params (request)),
                   ==, "depth");
}

int
main (int argc, char *argv[])
{
  /* no worker but the test's own, and a user it works as */
  static const char *held_keyed[] = { "--users", NULL, "--workers", "0" };
  static const char *keyed[] = { "--users", NULL, "--job-time", "300" };
  static const UiTest tests[] = {
    { "/ui/inpaint/inpaint", test_inpaint },
    { "/ui/inpaint/outpaint", test_outpaint },
    { "/ui/inpaint/worker-gets-mask", test_worker_gets_mask, held_keyed },
    { "/ui/inpaint/inpainting-models-first", test_inpainting_models_first, keyed },
    { "/ui/inpaint/controlnet-inpainting", test_controlnet_inpainting },
  };

  ui_test_init (&argc, &argv);
  /* a user the simulator knows, for the worker of the tests */
  held_keyed[1] = keyed[1] = ui_test_users ("[{\"key\": \"" TEST_KEY "\", \"username\": \"Tester\", \"id\": 1, "
                                            "\"kudos\": 5000, \"trusted\": true}]");
  ui_test_add (tests, G_N_ELEMENTS (tests), NULL);
  return ui_test_run ();
}

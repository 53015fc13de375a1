/* gallery-test-utils.c: what the gallery tests and benchmark share
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <webp/encode.h>

#include "gallery-test-utils.h"

/* A new empty folder under the system's temporary folder. */
char *
gallery_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("horde-gallery-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

/* Removes @path and everything below it. */
void
gallery_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gallery_test_remove_dir (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* The number of entries in @directory/@folder. */
guint
gallery_test_count_files (const char *directory,
                          const char *folder)
{
  g_autofree char *path = g_build_filename (directory, folder, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* A PNG of one colour, with an alpha channel. */
GBytes *
gallery_test_png (int     width,
                  int     height,
                  guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (data, len);
}

static void
webp_free (gpointer data)
{
  WebPFree (data);
}

/* A lossy WebP (no alpha) of a gradient that depends on @seed. */
GBytes *
gallery_test_webp (int   width,
                   int   height,
                   guint seed)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  guint8 *webp = NULL;
  size_t len;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + ((gsize) y * width + x) * 3;

        p[0] = (guint8) (x * 255 / width);
        p[1] = (guint8) (y * 255 / height);
        p[2] = (guint8) (seed * 37);
      }

  len = WebPEncodeRGB (rgb, width, height, width * 3, 80, &webp);
  g_assert_cmpuint (len, >, 0);

  return g_bytes_new_with_free_func (webp, len, webp_free, webp);
}

/* A request as the compose page makes one. */
HordeImageGenerateAsyncRequest *
gallery_test_request (const char *prompt,
                      const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *request;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt);
  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, model);
  json_builder_add_string_value (builder, "stable_diffusion");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "nsfw");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "r2");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sampler_name");
  json_builder_add_string_value (builder, "k_dpmpp_2m");
  json_builder_set_member_name (builder, "cfg_scale");
  json_builder_add_double_value (builder, 7.5);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, 512);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, 768);
  json_builder_set_member_name (builder, "steps");
  json_builder_add_int_value (builder, 28);
  json_builder_set_member_name (builder, "karras");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_string_value (builder, "42");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  request = horde_image_generate_async_request_new_from_json_node (root, &error);
  g_assert_no_error (error);

  return request;
}

/* A generation as GET /v2/generate/status returns it. */
HordeGenerationStable *
gallery_test_generation (const char *id,
                         const char *model,
                         const char *seed)
{
  g_autofree char *json = g_strdup_printf ("{\"img\": \"https://r2.example/%s.webp\", \"seed\": \"%s\","
                                           " \"id\": \"%s\", \"censored\": false,"
                                           " \"worker_id\": \"5b1f0a42-2c0b-4f6e-9d1e-6f7a2c3b4d5e\","
                                           " \"worker_name\": \"Test Worker\", \"model\": \"%s\","
                                           " \"state\": \"ok\", \"gen_metadata\": []}",
                                           id, seed, id, model);
  g_autoptr(GError) error = NULL;
  HordeGenerationStable *generation = horde_generation_stable_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return generation;
}

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  GalleryTestChange change = { position, removed, added };

  /* The list already has its new length when the signal is emitted. */
  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));
  g_array_append_val (changes, change);
}

/* Records the items-changed emissions of @model, for as long as it lives. */
GArray *
gallery_test_record_changes (GListModel *model)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (GalleryTestChange));

  g_object_set_data_full (G_OBJECT (model), "gallery-test-changes",
                          g_array_ref (changes), (GDestroyNotify) g_array_unref);
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change), changes);

  return changes;
}

void
gallery_test_assert_change (GArray *changes,
                            guint   index,
                            guint   position,
                            guint   removed,
                            guint   added)
{
  GalleryTestChange *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, GalleryTestChange, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

/* test-gallery.c: the gallery store, on real files and a real SQLite index
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <webp/decode.h>

#include "horde-studio-gallery-private.h"
#include "gallery-test-utils.h"

#define GEN_ID "0f2c4b1e-8d7a-4c3b-9e6f-1a2b3c4d5e6f"
#define WORKER_ID "5b1f0a42-2c0b-4f6e-9d1e-6f7a2c3b4d5e"

typedef struct {
  char *tmp;        /* removed at teardown */
  char *directory;  /* tmp/gallery */
  HordeStudioGallery *gallery;
} Fixture;

static void
open_gallery (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->gallery);
  f->gallery = horde_studio_gallery_new (f->directory, &error);
  g_assert_no_error (error);
  g_assert_true (HORDE_STUDIO_IS_GALLERY (f->gallery));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmp = gallery_test_make_dir ();
  f->directory = g_build_filename (f->tmp, "gallery", NULL);
  open_gallery (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->gallery);
  gallery_test_remove_dir (f->tmp);
  g_free (f->directory);
  g_free (f->tmp);
}

static HordeStudioGalleryItem *
add_image (Fixture    *f,
           const char *prompt,
           const char *model,
           const char *generation_id)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request (prompt, model);
  g_autoptr(HordeGenerationStable) generation = gallery_test_generation (generation_id, model, "1234567");
  g_autoptr(GBytes) image = gallery_test_png (64, 64, 0x3366ccff);
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;

  item = horde_studio_gallery_add (f->gallery, image, request, generation, "job-1", 12.5, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

static HordeStudioGalleryItem *
get_item (Fixture *f,
          guint    position)
{
  return g_list_model_get_item (G_LIST_MODEL (f->gallery), position);
}

static char *
query_text (const char *directory,
            const char *sql)
{
  g_autofree char *path = g_build_filename (directory, "gallery.sqlite", NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

static void
test_open_creates (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const folders[] = { "images", "thumbnails" };
  g_autofree char *journal = query_text (f->directory, "PRAGMA journal_mode");
  g_autofree char *version = query_text (f->directory, "PRAGMA user_version");
  g_autofree char *index = g_build_filename (f->directory, "gallery.sqlite", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(HordeStudioGallery) relative = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (f->directory, folders[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
    }
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (version, ==, "2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 0);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->gallery)) == HORDE_STUDIO_TYPE_GALLERY_ITEM);
  g_assert_null (get_item (f, 0));
  g_assert_cmpstr (horde_studio_gallery_get_directory (f->gallery), ==, f->directory);

  /* A relative folder is made absolute. */
  g_assert_cmpint (g_chdir (f->tmp), ==, 0);
  relative = horde_studio_gallery_new ("gallery2", &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_true (g_path_is_absolute (horde_studio_gallery_get_directory (relative)));
  g_assert_true (g_str_has_prefix (horde_studio_gallery_get_directory (relative), f->tmp));
}

static void
test_open_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->tmp, "a-file", NULL);
  g_autofree char *garbage = g_build_filename (f->tmp, "garbage", NULL);
  g_autofree char *garbage_index = g_build_filename (garbage, "gallery.sqlite", NULL);
  g_autofree char *index = g_build_filename (f->directory, "gallery.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  HordeStudioGallery *gallery;
  sqlite3 *db = NULL;

  /* A file where the folder should be */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  gallery = horde_studio_gallery_new (file, &error);
  g_assert_null (gallery);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, file));
  g_clear_error (&error);

  /* An index that is not SQLite */
  g_assert_cmpint (g_mkdir (garbage, 0755), ==, 0);
  g_assert_true (g_file_set_contents (garbage_index, "not a database, not at all, no", -1, NULL));
  gallery = horde_studio_gallery_new (garbage, &error);
  g_assert_null (gallery);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, garbage_index));
  g_clear_error (&error);

  /* An index from a newer version */
  g_clear_object (&f->gallery);
  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  gallery = horde_studio_gallery_new (f->directory, &error);
  g_assert_null (gallery);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Put it back for the teardown. */
  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  open_gallery (f);
}

/* Every field of an image added by test_add_sync_reopen */
static void
assert_full_item (Fixture                *f,
                  HordeStudioGalleryItem *item,
                  gint64                  before,
                  gint64                  after)
{
  g_autofree char *images = g_build_filename (f->directory, "images", NULL);
  g_autofree char *thumbnails = g_build_filename (f->directory, "thumbnails", NULL);
  g_autofree char *path_dir = g_path_get_dirname (horde_studio_gallery_item_get_path (item));
  g_autofree char *thumb_dir = g_path_get_dirname (horde_studio_gallery_item_get_thumbnail_path (item));
  g_autofree char *path_name = g_path_get_basename (horde_studio_gallery_item_get_path (item));
  g_autofree char *thumb_name = g_path_get_basename (horde_studio_gallery_item_get_thumbnail_path (item));
  g_autoptr(HordeGenerationStable) generation = NULL;
  g_autofree char *generation_json = NULL;
  g_autofree char *prompt = NULL;
  gint64 created;

  g_assert_cmpint (horde_studio_gallery_item_get_id (item), >, 0);
  g_assert_cmpstr (path_dir, ==, images);
  g_assert_cmpstr (path_name, ==, GEN_ID ".webp");
  g_assert_cmpstr (thumb_dir, ==, thumbnails);
  g_assert_cmpstr (thumb_name, ==, GEN_ID ".webp.jpg");
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (item), ==, "A red fox in the snow");
  g_assert_cmpstr (horde_studio_gallery_item_get_negative_prompt (item), ==, "blurry, low quality");
  g_assert_cmpstr (horde_studio_gallery_item_get_model (item), ==, "AlbedoBase XL");
  g_assert_cmpstr (horde_studio_gallery_item_get_seed (item), ==, "1234567");
  g_assert_cmpint (horde_studio_gallery_item_get_width (item), ==, 512);
  g_assert_cmpint (horde_studio_gallery_item_get_height (item), ==, 768);
  g_assert_cmpint (horde_studio_gallery_item_get_steps (item), ==, 28);
  g_assert_cmpstr (horde_studio_gallery_item_get_sampler (item), ==, "k_dpmpp_2m");
  g_assert_cmpfloat (horde_studio_gallery_item_get_cfg_scale (item), ==, 7.5);
  g_assert_cmpstr (horde_studio_gallery_item_get_worker_id (item), ==, WORKER_ID);
  g_assert_cmpstr (horde_studio_gallery_item_get_worker_name (item), ==, "Test Worker");
  g_assert_cmpfloat (horde_studio_gallery_item_get_kudos (item), ==, 12.5);
  g_assert_cmpstr (horde_studio_gallery_item_get_job_id (item), ==, "job-1");
  created = g_date_time_to_unix (horde_studio_gallery_item_get_created (item));
  g_assert_cmpint (created, >=, before);
  g_assert_cmpint (created, <=, after);
  g_assert_false (horde_studio_gallery_item_get_favourite (item));

  /* The stored JSON is what libhorde writes for these values. */
  generation = gallery_test_generation (GEN_ID, "AlbedoBase XL", "1234567");
  generation_json = horde_generation_stable_to_json (generation);
  g_assert_cmpstr (horde_studio_gallery_item_get_generation_json (item), ==, generation_json);
  g_assert_nonnull (strstr (horde_studio_gallery_item_get_request_json (item), "\"k_dpmpp_2m\""));

  /* Properties give the same values as getters. */
  g_object_get (item, "prompt", &prompt, NULL);
  g_assert_cmpstr (prompt, ==, horde_studio_gallery_item_get_prompt (item));
}

static void
assert_image_files (HordeStudioGalleryItem *item,
                    int                     width,
                    int                     height,
                    int                     thumb_width,
                    int                     thumb_height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HordeGeneratedImage) image = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (horde_studio_gallery_item_get_path (item), &contents, &len, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  image = horde_generated_image_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (horde_generated_image_get_pixbuf (image)), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (horde_generated_image_get_pixbuf (image)), ==, height);

  thumbnail = gdk_pixbuf_new_from_file (horde_studio_gallery_item_get_thumbnail_path (item), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), ==, thumb_width);
  g_assert_cmpint (gdk_pixbuf_get_height (thumbnail), ==, thumb_height);
}

static void
test_add_sync_reopen (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("A red fox in the snow ### blurry, low quality", "Deliberate");
  g_autoptr(HordeGenerationStable) generation = gallery_test_generation (GEN_ID, "AlbedoBase XL", "1234567");
  g_autoptr(GBytes) webp = gallery_test_webp (320, 512, 1);
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  g_autoptr(HordeStudioGalleryItem) again = NULL;
  g_autoptr(HordeStudioGalleryItem) reopened = NULL;
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 after;

  /* The gdk-pixbuf of this system has no WebP loader: libwebp decodes. */
  item = horde_studio_gallery_add (f->gallery, webp, request, generation, "job-1", 12.5, NULL, &error);
  g_assert_no_error (error);
  after = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpuint (changes->len, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  assert_full_item (f, item, before, after);
  assert_image_files (item, 320, 512, 160, 256);

  /* The list hands out the same item while it lives. */
  again = get_item (f, 0);
  g_assert_true (again == item);

  /* The file is the bytes as received. */
  g_assert_true (g_file_get_contents (horde_studio_gallery_item_get_path (item), &stored, NULL, NULL));
  g_assert_cmpmem (stored, g_bytes_get_size (webp), g_bytes_get_data (webp, NULL), g_bytes_get_size (webp));

  g_clear_object (&item);
  g_clear_object (&again);
  open_gallery (f);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 1);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 1);
  reopened = get_item (f, 0);
  assert_full_item (f, reopened, before, after);
  assert_image_files (reopened, 320, 512, 160, 256);
}

typedef struct {
  GMainLoop *loop;
  HordeStudioGalleryItem *item;
  GError *error;
  guint changes_before_callback;
  GArray *changes;
} AsyncAdd;

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncAdd *add = user_data;

  add->changes_before_callback = add->changes->len;
  add->item = horde_studio_gallery_add_finish (HORDE_STUDIO_GALLERY (object), result, &add->error);
  g_main_loop_quit (add->loop);
}

static void
add_async_and_wait (Fixture        *f,
                    GArray         *changes,
                    GBytes         *image,
                    const char     *generation_id,
                    GCancellable   *cancellable,
                    AsyncAdd       *add)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("A lighthouse", "Deliberate");
  g_autoptr(HordeGenerationStable) generation = gallery_test_generation (generation_id, "Deliberate", "7");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  *add = (AsyncAdd) { loop, NULL, NULL, 0, changes };
  horde_studio_gallery_add_async (f->gallery, image, request, generation, "job-2", 3.0,
                                  cancellable, added_cb, add);
  /* Nothing is shown before the files are on disk. */
  g_assert_cmpuint (changes->len, ==, 0);
  g_main_loop_run (loop);
  add->loop = NULL;
}

static void
test_add_async (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GBytes) png = gallery_test_png (600, 300, 0xff000080);
  g_autoptr(HordeStudioGalleryItem) at0 = NULL;
  g_autoptr(HordeStudioGalleryItem) at1 = NULL;
  g_autofree char *name = NULL;
  AsyncAdd first, second;

  add_async_and_wait (f, changes, png, "first", NULL, &first);
  g_assert_no_error (first.error);
  g_assert_nonnull (first.item);
  g_assert_cmpuint (first.changes_before_callback, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  at0 = get_item (f, 0);
  g_assert_true (at0 == first.item);
  name = g_path_get_basename (horde_studio_gallery_item_get_path (first.item));
  g_assert_cmpstr (name, ==, "first.png");
  /* An image with alpha gets a PNG thumbnail. */
  g_assert_true (g_str_has_suffix (horde_studio_gallery_item_get_thumbnail_path (first.item), ".png.png"));
  assert_image_files (first.item, 600, 300, 256, 128);

  g_array_set_size (changes, 0);
  add_async_and_wait (f, changes, png, "second", NULL, &second);
  g_assert_no_error (second.error);
  g_assert_cmpuint (second.changes_before_callback, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  g_clear_object (&at0);
  at0 = get_item (f, 0);
  at1 = get_item (f, 1);
  g_assert_true (at0 == second.item);
  g_assert_true (at1 == first.item);
  g_assert_cmpint (horde_studio_gallery_item_get_id (second.item), >, horde_studio_gallery_item_get_id (first.item));

  g_object_unref (first.item);
  g_object_unref (second.item);
}

static void
test_add_concurrent (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Same id", "Deliberate");
  g_autoptr(HordeGenerationStable) generation = gallery_test_generation ("same", "Deliberate", "7");
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncAdd adds[6];

  /* Six adds of the same generation id at once: six distinct files. */
  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      g_autoptr(GBytes) webp = gallery_test_webp (96, 64, i);
      adds[i] = (AsyncAdd) { loop, NULL, NULL, 0, g_array_new (FALSE, FALSE, 1) };
      horde_studio_gallery_add_async (f->gallery, webp, request, generation, NULL, 1.0, NULL, added_cb, &adds[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    while (adds[i].item == NULL && adds[i].error == NULL)
      g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      g_assert_no_error (adds[i].error);
      g_assert_true (g_hash_table_add (paths, (gpointer) horde_studio_gallery_item_get_path (adds[i].item)));
      g_ptr_array_add (items, adds[i].item);
      g_array_unref (adds[i].changes);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 6);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "images"), ==, 6);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "thumbnails"), ==, 6);
}

static void
test_add_cancelled (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) png = gallery_test_png (64, 64, 0xffffffff);
  AsyncAdd add;

  g_cancellable_cancel (cancellable);
  add_async_and_wait (f, changes, png, "cancelled", cancellable, &add);
  g_assert_error (add.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (add.item);
  g_clear_error (&add.error);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 0);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "images"), ==, 0);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "thumbnails"), ==, 0);
}

static void
test_add_invalid (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Broken", "Deliberate");
  g_autoptr(GBytes) junk = g_bytes_new_static ("RIFF\x10\0\0\0WEBPVP8 garbage garbage", 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeStudioGalleryItem) item = NULL;

  item = horde_studio_gallery_add (f->gallery, junk, request, NULL, "job", 0.0, NULL, &error);
  g_assert_null (item);
  g_assert_nonnull (error);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 0);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "images"), ==, 0);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "thumbnails"), ==, 0);
}

static void
test_file_names (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Names", "Deliberate");
  g_autoptr(HordeGenerationStable) evil = gallery_test_generation ("../../evil/x", "Deliberate", "1");
  g_autoptr(GBytes) png = gallery_test_png (64, 64, 0x000000ff);
  g_autofree char *images = g_build_filename (f->directory, "images", NULL);
  struct {
    HordeGenerationStable *generation;
    const char *job_id;
    const char *name;
  } cases[] = {
    { evil, NULL, "______evil_x.png" },
    { NULL, "job-abc", "job-abc.png" },
    { NULL, "job-abc", "job-abc-1.png" },
    { NULL, NULL, "image.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeStudioGalleryItem) item = NULL;
      g_autofree char *dir = NULL;
      g_autofree char *name = NULL;

      item = horde_studio_gallery_add (f->gallery, png, request, cases[i].generation,
                                       cases[i].job_id, 0.0, NULL, &error);
      g_assert_no_error (error);
      dir = g_path_get_dirname (horde_studio_gallery_item_get_path (item));
      name = g_path_get_basename (horde_studio_gallery_item_get_path (item));
      g_assert_cmpstr (dir, ==, images);
      g_assert_cmpstr (name, ==, cases[i].name);
    }

  /* Without a generation, the model is the first requested one. */
  {
    g_autoptr(HordeStudioGalleryItem) item = get_item (f, 0);
    g_assert_cmpstr (horde_studio_gallery_item_get_model (item), ==, "Deliberate");
    g_assert_cmpstr (horde_studio_gallery_item_get_seed (item), ==, "42");
    g_assert_null (horde_studio_gallery_item_get_worker_id (item));
    g_assert_null (horde_studio_gallery_item_get_generation_json (item));
  }
}

static void
test_missing_file_hidden (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "first", "Deliberate", "a");
  g_autoptr(HordeStudioGalleryItem) b = add_image (f, "second", "Deliberate", "b");
  g_autoptr(HordeStudioGalleryItem) c = add_image (f, "third", "Deliberate", "c");
  g_autoptr(HordeStudioGalleryItem) at0 = NULL;
  g_autoptr(HordeStudioGalleryItem) at1 = NULL;
  g_autoptr(HordeStudioGalleryItem) d = NULL;
  gint64 a_id = horde_studio_gallery_item_get_id (a);
  gint64 c_id = horde_studio_gallery_item_get_id (c);

  g_assert_cmpint (g_remove (horde_studio_gallery_item_get_path (b)), ==, 0);
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);

  g_test_expect_message ("HordeStudio", G_LOG_LEVEL_WARNING, "*1 image file* missing*“b.png”*");
  open_gallery (f);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 2);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 2);
  at0 = get_item (f, 0);
  at1 = get_item (f, 1);
  g_assert_cmpint (horde_studio_gallery_item_get_id (at0), ==, c_id);
  g_assert_cmpint (horde_studio_gallery_item_get_id (at1), ==, a_id);

  /* The gallery goes on working. */
  d = add_image (f, "fourth", "Deliberate", "d");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 3);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 3);
}

static void
test_orphan_ignored (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "first", "Deliberate", "a");
  g_autofree char *orphan = g_build_filename (f->directory, "images", "orphan.png", NULL);
  g_autofree char *orphan_thumb = g_build_filename (f->directory, "thumbnails", "orphan.png.jpg", NULL);
  g_autoptr(GBytes) png = gallery_test_png (8, 8, 0);

  g_assert_true (g_file_set_contents (orphan, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  g_assert_true (g_file_set_contents (orphan_thumb, "", 0, NULL));
  g_clear_object (&a);

  /* No warning (it would be fatal here), no item, and the files stay. */
  open_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 1);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 1);
  g_assert_true (horde_studio_gallery_purge_deleted (f->gallery, NULL));
  g_assert_true (g_file_test (orphan, G_FILE_TEST_EXISTS));
}

static char *test_program;

static void
crash_after_files (const char *path,
                   gpointer    user_data)
{
  /* What a power cut or a kill -9 does: no cleanup of any kind. */
  g_print ("files written: %s\n", path);
  fflush (stdout);
  _exit (0);
}

/* `test-gallery --crash-add DIRECTORY`: adds an image to the gallery in
 * DIRECTORY, dying between the files and the row. */
static int
crash_add (const char *directory)
{
  g_autoptr(HordeStudioGallery) gallery = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Lost", "Deliberate");
  g_autoptr(GBytes) png = gallery_test_png (64, 64, 0xff0000ff);
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  g_autoptr(GError) error = NULL;

  gallery = horde_studio_gallery_new (directory, &error);
  g_assert_no_error (error);
  horde_studio_gallery_set_files_written_hook (crash_after_files, NULL);
  item = horde_studio_gallery_add (gallery, png, request, NULL, "crash", 0.0, NULL, &error);
  g_print ("row inserted\n");
  return 1;
}

static void
test_crash_between_file_and_row (Fixture       *f,
                                 gconstpointer  data)
{
  const char *argv[] = { test_program, "--crash-add", f->directory, NULL };
  g_autoptr(HordeStudioGalleryItem) before = NULL;
  g_autoptr(HordeStudioGalleryItem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *name = NULL;
  int status;

  before = add_image (f, "kept", "Deliberate", "kept");
  g_clear_object (&before);

  /* Another process adds to the same index while this one has it open,
   * and dies after writing the files. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &output, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_pattern_match_simple ("files written: *crash.png\n", output));

  /* The files are there, without a row: the gallery shows what it had. */
  g_assert_cmpuint (gallery_test_count_files (f->directory, "images"), ==, 2);
  open_gallery (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 1);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 1);
  before = get_item (f, 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (before), ==, "kept");
  integrity = query_text (f->directory, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  /* The orphan keeps its name; a new image goes beside it. */
  after = add_image (f, "new", "Deliberate", "crash");
  name = g_path_get_basename (horde_studio_gallery_item_get_path (after));
  g_assert_cmpstr (name, ==, "crash-1.png");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_favourite (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "first", "Deliberate", "a");
  g_autoptr(HordeStudioGalleryItem) b = add_image (f, "second", "Deliberate", "b");
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (b, "notify::favourite", G_CALLBACK (count_notify), &notified);
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, b, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (horde_studio_gallery_item_get_favourite (b));
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, b, TRUE, &error));
  g_assert_cmpuint (notified, ==, 1);

  g_clear_object (&a);
  g_clear_object (&b);
  open_gallery (f);
  b = get_item (f, 0);
  a = get_item (f, 1);
  g_assert_true (horde_studio_gallery_item_get_favourite (b));
  g_assert_false (horde_studio_gallery_item_get_favourite (a));

  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, b, FALSE, &error));
  g_clear_object (&a);
  g_clear_object (&b);
  open_gallery (f);
  b = get_item (f, 0);
  g_assert_false (horde_studio_gallery_item_get_favourite (b));
}

/* An image is kept before its request's charge is final: its cost is
 * recorded afterwards, for good */
static void
test_set_kudos (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "first", "Deliberate", "a");
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (a, "notify::kudos", G_CALLBACK (count_notify), &notified);
  g_assert_true (horde_studio_gallery_set_kudos (f->gallery, a, 10.5, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpfloat (horde_studio_gallery_item_get_kudos (a), ==, 10.5);
  g_assert_true (horde_studio_gallery_set_kudos (f->gallery, a, 10.5, &error));
  g_assert_cmpuint (notified, ==, 1);

  g_clear_object (&a);
  open_gallery (f);
  a = get_item (f, 0);
  g_assert_cmpfloat (horde_studio_gallery_item_get_kudos (a), ==, 10.5);
}

static void
test_delete_undelete_purge (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "first", "Deliberate", "a");
  g_autoptr(HordeStudioGalleryItem) b = add_image (f, "second", "Deliberate", "b");
  g_autoptr(HordeStudioGalleryItem) c = add_image (f, "third", "Deliberate", "c");
  g_autoptr(HordeStudioGalleryItem) at1 = NULL;
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GError) error = NULL;
  g_autofree char *a_path = g_strdup (horde_studio_gallery_item_get_path (a));
  g_autofree char *a_thumb = g_strdup (horde_studio_gallery_item_get_thumbnail_path (a));
  g_autofree char *b_path = g_strdup (horde_studio_gallery_item_get_path (b));
  g_autofree char *b_thumb = g_strdup (horde_studio_gallery_item_get_thumbnail_path (b));

  /* List: c, b, a */
  g_assert_true (horde_studio_gallery_delete (f->gallery, b, &error));
  g_assert_no_error (error);
  gallery_test_assert_change (changes, 0, 1, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 2);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 2);
  g_assert_true (g_file_test (b_path, G_FILE_TEST_EXISTS));

  g_assert_true (horde_studio_gallery_undelete (f->gallery, b, &error));
  gallery_test_assert_change (changes, 1, 1, 0, 1);
  at1 = get_item (f, 1);
  g_assert_true (at1 == b);

  /* Delete the oldest, then purge: the files go, the row too. */
  g_assert_true (horde_studio_gallery_delete (f->gallery, a, &error));
  gallery_test_assert_change (changes, 2, 2, 1, 0);
  g_assert_true (horde_studio_gallery_purge_deleted (f->gallery, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_false (g_file_test (a_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (a_thumb, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (b_path, G_FILE_TEST_EXISTS));
  g_assert_false (horde_studio_gallery_undelete (f->gallery, a, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 2);

  /* A deletion not purged before the app ended is purged at the next open. */
  g_assert_true (horde_studio_gallery_delete (f->gallery, b, &error));
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);
  g_clear_object (&at1);
  open_gallery (f);
  g_assert_false (g_file_test (b_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b_thumb, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->gallery)), ==, 1);
  g_assert_cmpuint (gallery_test_count_files (f->directory, "images"), ==, 1);
}

static guint
n_items (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->gallery));
}

static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) fox = add_image (f, "A red fox in the snow", "Deliberate", "fox");
  g_autoptr(HordeStudioGalleryItem) whale = add_image (f, "Blue whale, 50% under water", "AlbedoBase XL", "whale");
  g_autoptr(HordeStudioGalleryItem) street = add_image (f, "Große Straße at night", "Deliberate", "street");
  g_autoptr(HordeStudioGalleryItem) at0 = NULL;
  g_autoptr(HordeStudioGalleryItem) extra = NULL;
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GError) error = NULL;
  struct {
    const char *text;
    gboolean favourites_only;
    guint n_items;
  } cases[] = {
    { "FOX", FALSE, 1 },
    { "deliberate", FALSE, 2 },  /* the model */
    { "albedobase", FALSE, 1 },
    { "STRASSE", FALSE, 1 },     /* case folding beyond ASCII */
    { "50%", FALSE, 1 },
    { "%", FALSE, 1 },           /* not a wildcard */
    { "_", FALSE, 0 },
    { "nothing like it", FALSE, 0 },
    { "", TRUE, 1 },
    { "fox", TRUE, 0 },
    { "whale", TRUE, 1 },
    { NULL, FALSE, 3 },
  };

  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, whale, TRUE, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint before = n_items (f);

      g_array_set_size (changes, 0);
      horde_studio_gallery_set_filter (f->gallery, cases[i].text, cases[i].favourites_only);
      g_assert_cmpuint (n_items (f), ==, cases[i].n_items);
      g_assert_cmpuint (changes->len, ==, before + cases[i].n_items > 0 ? 1 : 0);
      if (changes->len > 0)
        gallery_test_assert_change (changes, 0, 0, before, cases[i].n_items);
    }

  /* The same filter again changes nothing. */
  g_array_set_size (changes, 0);
  horde_studio_gallery_set_filter (f->gallery, "", FALSE);
  g_assert_cmpuint (changes->len, ==, 0);

  /* New images show only if they match. */
  horde_studio_gallery_set_filter (f->gallery, "fox", FALSE);
  g_array_set_size (changes, 0);
  extra = add_image (f, "A cat", "Deliberate", "cat");
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_object (&extra);
  extra = add_image (f, "Another fox", "Deliberate", "fox2");
  g_assert_cmpuint (changes->len, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  at0 = get_item (f, 0);
  g_assert_true (at0 == extra);
  g_assert_cmpuint (horde_studio_gallery_get_n_total (f->gallery), ==, 5);

  /* With only favourites shown, unmarking one takes it out. */
  horde_studio_gallery_set_filter (f->gallery, NULL, TRUE);
  g_assert_cmpuint (n_items (f), ==, 1);
  g_array_set_size (changes, 0);
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, whale, FALSE, &error));
  g_assert_cmpuint (n_items (f), ==, 0);
  gallery_test_assert_change (changes, 0, 0, 1, 0);
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, fox, TRUE, &error));
  gallery_test_assert_change (changes, 1, 0, 0, 1);
}

static void
assert_order (Fixture                 *f,
              HordeStudioGalleryItem **expected,
              guint                    n)
{
  g_assert_cmpuint (n_items (f), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HordeStudioGalleryItem) item = get_item (f, i);
      guint position = G_MAXUINT;

      g_assert_true (item == expected[i]);
      g_assert_cmpint (horde_studio_gallery_get_id_at (f->gallery, i), ==, horde_studio_gallery_item_get_id (item));
      g_assert_true (horde_studio_gallery_find_item (f->gallery, item, &position));
      g_assert_cmpuint (position, ==, i);
    }
  g_assert_cmpint (horde_studio_gallery_get_id_at (f->gallery, n), ==, -1);
}

/* Newest first, oldest first, or by model (case ignored, newest first
 * within one); what changes afterwards lands where a reload would put it. */
static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) a = add_image (f, "one", "Deliberate", "a");
  g_autoptr(HordeStudioGalleryItem) b = add_image (f, "two", "Bright XL", "b");
  g_autoptr(HordeStudioGalleryItem) c = add_image (f, "three", "Deliberate", "c");
  g_autoptr(HordeStudioGalleryItem) e = NULL;
  g_autoptr(GArray) changes = gallery_test_record_changes (G_LIST_MODEL (f->gallery));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (horde_studio_gallery_get_sort (f->gallery), ==, HORDE_STUDIO_GALLERY_SORT_NEWEST);
  assert_order (f, (HordeStudioGalleryItem *[]) { c, b, a }, 3);

  horde_studio_gallery_set_sort (f->gallery, HORDE_STUDIO_GALLERY_SORT_OLDEST);
  g_assert_cmpuint (changes->len, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 3, 3);
  assert_order (f, (HordeStudioGalleryItem *[]) { a, b, c }, 3);

  /* the same order again changes nothing */
  horde_studio_gallery_set_sort (f->gallery, HORDE_STUDIO_GALLERY_SORT_OLDEST);
  g_assert_cmpuint (changes->len, ==, 1);

  horde_studio_gallery_set_sort (f->gallery, HORDE_STUDIO_GALLERY_SORT_MODEL);
  g_assert_cmpint (horde_studio_gallery_get_sort (f->gallery), ==, HORDE_STUDIO_GALLERY_SORT_MODEL);
  assert_order (f, (HordeStudioGalleryItem *[]) { b, c, a }, 3);

  /* "anything" before "Bright": case ignored, as in the index's order */
  g_array_set_size (changes, 0);
  e = add_image (f, "four", "anything v3", "e");
  g_assert_cmpuint (changes->len, ==, 1);
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  assert_order (f, (HordeStudioGalleryItem *[]) { e, b, c, a }, 4);

  /* a deletion and a filter, in that order */
  g_assert_true (horde_studio_gallery_delete (f->gallery, b, &error));
  g_assert_no_error (error);
  gallery_test_assert_change (changes, 1, 1, 1, 0);
  assert_order (f, (HordeStudioGalleryItem *[]) { e, c, a }, 3);
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, a, TRUE, &error));
  horde_studio_gallery_set_filter (f->gallery, NULL, TRUE);
  assert_order (f, (HordeStudioGalleryItem *[]) { a }, 1);
  g_array_set_size (changes, 0);
  g_assert_true (horde_studio_gallery_set_favourite (f->gallery, c, TRUE, &error));
  gallery_test_assert_change (changes, 0, 0, 0, 1);
  assert_order (f, (HordeStudioGalleryItem *[]) { c, a }, 2);
  horde_studio_gallery_set_filter (f->gallery, NULL, FALSE);
  g_assert_true (horde_studio_gallery_undelete (f->gallery, b, &error));
  assert_order (f, (HordeStudioGalleryItem *[]) { e, b, c, a }, 4);

  horde_studio_gallery_set_sort (f->gallery, HORDE_STUDIO_GALLERY_SORT_NEWEST);
  assert_order (f, (HordeStudioGalleryItem *[]) { e, c, b, a }, 4);
}

static void
test_pending_jobs (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Pending", "Deliberate");
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new_from (request);
  g_autoptr(HordeImageGenerateAsyncRequest) keyed = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 created;

  horde_image_generate_async_request_builder_set_apikey (builder, "0123456789abcdefghijkl");
  keyed = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);

  g_assert_true (horde_studio_gallery_add_pending_job (f->gallery, "job-a", keyed, &error));
  g_assert_no_error (error);
  g_assert_true (horde_studio_gallery_add_pending_job (f->gallery, "job-b", request, &error));

  jobs = horde_studio_gallery_list_pending_jobs (f->gallery, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);
  g_assert_cmpstr (horde_studio_pending_job_get_id (jobs->pdata[0]), ==, "job-a");
  g_assert_cmpstr (horde_studio_pending_job_get_id (jobs->pdata[1]), ==, "job-b");
  /* The API key is not stored. */
  g_assert_true (horde_image_generate_async_request_equal (horde_studio_pending_job_get_request (jobs->pdata[0]), request));
  g_assert_null (horde_image_generate_async_request_get_apikey (horde_studio_pending_job_get_request (jobs->pdata[0])));
  created = g_date_time_to_unix (horde_studio_pending_job_get_created (jobs->pdata[0]));
  g_assert_cmpint (created, >=, before);
  g_assert_cmpint (created, <=, g_get_real_time () / G_USEC_PER_SEC);
  g_clear_pointer (&jobs, g_ptr_array_unref);

  g_assert_true (horde_studio_gallery_remove_pending_job (f->gallery, "job-a", &error));
  g_assert_true (horde_studio_gallery_remove_pending_job (f->gallery, "never-added", &error));
  g_assert_no_error (error);

  open_gallery (f);
  jobs = horde_studio_gallery_list_pending_jobs (f->gallery, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpstr (horde_studio_pending_job_get_id (jobs->pdata[0]), ==, "job-b");
  g_assert_true (horde_image_generate_async_request_equal (horde_studio_pending_job_get_request (jobs->pdata[0]), request));
}

/* The text chunks of a PNG file, as UTF-8: key → "tEXt:" or "iTXt:" + text */
static GHashTable *
read_png_text_chunks (const char *filename)
{
  g_autoptr(GHashTable) chunks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree guint8 *data = NULL;
  gsize len, at = 8;

  g_assert_true (g_file_get_contents (filename, (char **) &data, &len, NULL));
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);

  while (at + 12 <= len)
    {
      const char *type = (const char *) data + at + 4;
      const char *body = (const char *) data + at + 8;
      guint32 size;
      gsize key_len;

      memcpy (&size, data + at, sizeof size);
      size = GUINT32_FROM_BE (size);
      g_assert_cmpuint (at + 12 + size, <=, len);
      if (memcmp (type, "tEXt", 4) == 0)
        {
          g_autofree char *text = NULL;

          key_len = strnlen (body, size);
          text = g_convert (body + key_len + 1, size - key_len - 1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
          g_hash_table_insert (chunks, g_strndup (body, key_len), g_strconcat ("tEXt:", text, NULL));
        }
      else if (memcmp (type, "iTXt", 4) == 0)
        {
          const char *p, *end = body + size;
          g_autofree char *text = NULL;

          key_len = strnlen (body, size);
          p = body + key_len + 1;
          g_assert_cmpint (p[0], ==, 0); /* not compressed */
          p += 2;
          p += strnlen (p, end - p) + 1; /* language tag */
          p += strnlen (p, end - p) + 1; /* translated keyword */
          text = g_strndup (p, end - p);
          g_assert_true (g_utf8_validate (text, -1, NULL));
          g_hash_table_insert (chunks, g_strndup (body, key_len), g_strconcat ("iTXt:", text, NULL));
        }
      at += 12 + size;
    }

  return g_steal_pointer (&chunks);
}

static void
assert_export (Fixture                *f,
               HordeStudioGalleryItem *item,
               const char             *expected_parameters,
               const char             *chunk_type)
{
  g_autofree char *exports = g_build_filename (f->tmp, "exports", NULL);
  g_autofree char *filename = g_build_filename (exports, "out.png", NULL);
  g_autofree char *horde = g_strdup_printf ("{\"request\":%s,\"generation\":%s}",
                                            horde_studio_gallery_item_get_request_json (item),
                                            horde_studio_gallery_item_get_generation_json (item));
  g_autofree char *expected_chunk = g_strconcat (chunk_type, expected_parameters, NULL);
  g_autofree char *expected_horde = g_strconcat (chunk_type, horde, NULL);
  g_autoptr(HordeImageGenerateAsyncRequest) original = horde_studio_gallery_item_dup_request (item, NULL);
  g_autoptr(HordeImageGenerateAsyncRequest) embedded = NULL;
  g_autoptr(HordeGenerationStable) generation = NULL;
  g_autoptr(GHashTable) chunks = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_cmpint (g_mkdir_with_parents (exports, 0755), ==, 0);
  g_assert_true (horde_studio_gallery_export_png (item, filename, &error));
  g_assert_no_error (error);

  /* Written by rename: nothing else is left in the folder. */
  g_assert_cmpuint (gallery_test_count_files (f->tmp, "exports"), ==, 1);

  chunks = read_png_text_chunks (filename);
  g_assert_cmpstr (g_hash_table_lookup (chunks, "parameters"), ==, expected_chunk);
  g_assert_cmpstr (g_hash_table_lookup (chunks, "horde"), ==, expected_horde);

  /* gdk-pixbuf reads them back as UTF-8 too. */
  pixbuf = gdk_pixbuf_new_from_file (filename, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpstr (gdk_pixbuf_get_option (pixbuf, "tEXt::parameters"), ==, expected_parameters);
  g_assert_cmpstr (gdk_pixbuf_get_option (pixbuf, "tEXt::horde"), ==, horde);

  /* The horde chunk gives back the request and the generation. */
  g_assert_true (json_parser_load_from_data (parser, horde, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  embedded = horde_image_generate_async_request_new_from_json_node (json_object_get_member (root, "request"), &error);
  g_assert_no_error (error);
  g_assert_true (horde_image_generate_async_request_equal (embedded, original));
  generation = horde_generation_stable_new_from_json_node (json_object_get_member (root, "generation"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_generation_stable_get_seed (generation), ==, "1234567");

  g_assert_cmpint (g_remove (filename), ==, 0);
}

static void
test_export_png (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) unicode = add_image (f, "A cat 猫 in a hat ### blurry, déformé", "Deliberate", "cat");
  g_autoptr(HordeStudioGalleryItem) latin1 = add_image (f, "Café au lait, still life", "Deliberate", "cafe");

  /* Beyond Latin-1: UTF-8 in iTXt chunks */
  assert_export (f, unicode,
                 "A cat 猫 in a hat\n"
                 "Negative prompt: blurry, déformé\n"
                 "Steps: 28, Sampler: k_dpmpp_2m, CFG scale: 7.5, Seed: 1234567, Size: 512x768, Model: Deliberate",
                 "iTXt:");
  /* Latin-1 fits in tEXt chunks */
  assert_export (f, latin1,
                 "Café au lait, still life\n"
                 "Steps: 28, Sampler: k_dpmpp_2m, CFG scale: 7.5, Seed: 1234567, Size: 512x768, Model: Deliberate",
                 "tEXt:");
}

static void
test_export_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HordeStudioGalleryItem) item = add_image (f, "Export", "Deliberate", "exp");
  g_autofree char *nowhere = g_build_filename (f->tmp, "no", "such", "folder", "x.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (horde_studio_gallery_export_png (item, nowhere, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_cmpint (g_remove (horde_studio_gallery_item_get_path (item)), ==, 0);
  g_assert_false (horde_studio_gallery_export_png (item, nowhere, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_dup_request (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = gallery_test_request ("Again ### not this", "Deliberate");
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) builder = horde_image_generate_async_request_builder_new_from (request);
  g_autoptr(HordeImageGenerateAsyncRequest) keyed = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) copy = NULL;
  g_autoptr(HordeStudioGalleryItem) item = NULL;
  g_autoptr(GBytes) png = gallery_test_png (16, 16, 0x123456ff);
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;

  horde_image_generate_async_request_builder_set_apikey (builder, "0123456789abcdefghijkl");
  keyed = horde_image_generate_async_request_builder_end (builder, &error);
  g_assert_no_error (error);

  item = horde_studio_gallery_add (f->gallery, png, keyed, NULL, "job", 0.0, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&item);
  open_gallery (f);
  item = get_item (f, 0);

  copy = horde_studio_gallery_item_dup_request (item, &error);
  g_assert_no_error (error);
  g_assert_true (horde_image_generate_async_request_equal (copy, request));
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (copy), ==, "Again ### not this");
  g_assert_null (horde_image_generate_async_request_get_apikey (copy));

  /* The key is nowhere in the index. */
  row = query_text (f->directory, "SELECT group_concat (request_json) FROM images");
  g_assert_null (strstr (row, "0123456789abcdefghijkl"));
}

/* The schema of version 1, as Horde Studio 0.x wrote it, with one image */
static const char v1_schema[] =
  "CREATE TABLE images (id INTEGER PRIMARY KEY AUTOINCREMENT, file TEXT NOT NULL,"
  "  thumbnail TEXT NOT NULL, prompt TEXT NOT NULL, negative_prompt TEXT, model TEXT, seed TEXT,"
  "  width INTEGER NOT NULL, height INTEGER NOT NULL, steps INTEGER NOT NULL, sampler TEXT,"
  "  cfg_scale REAL NOT NULL, worker_id TEXT, worker_name TEXT, kudos REAL NOT NULL, job_id TEXT,"
  "  created INTEGER NOT NULL, favourite INTEGER NOT NULL DEFAULT 0, request_json TEXT NOT NULL,"
  "  generation_json TEXT, search TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX images_by_file ON images (file);"
  "CREATE INDEX images_deleted ON images (deleted) WHERE deleted != 0;"
  "CREATE TABLE pending_jobs (job_id TEXT PRIMARY KEY, request_json TEXT NOT NULL, created INTEGER NOT NULL);"
  "INSERT INTO images (file, thumbnail, prompt, model, width, height, steps, cfg_scale, kudos, created,"
  "  request_json, search) VALUES ('old.png', 'old.png.png', 'an old fox', 'Deliberate', 64, 64, 30, 7.5,"
  "  3.0, 1700000000, '{\"prompt\": \"an old fox\"}', 'an old fox deliberate');"
  "PRAGMA user_version = 1;";

/* An index of version 1 (before lineage) migrates: its images are kept,
 * without lineage, and an image made from one of them by an alchemy form
 * keeps its lineage across a reopen. */
static void
test_migrate_lineage (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *old_dir = g_build_filename (f->tmp, "old", NULL);
  g_autofree char *images = g_build_filename (old_dir, "images", NULL);
  g_autofree char *thumbnails = g_build_filename (old_dir, "thumbnails", NULL);
  g_autofree char *index = g_build_filename (old_dir, "gallery.sqlite", NULL);
  g_autofree char *old_png = g_build_filename (images, "old.png", NULL);
  g_autofree char *old_thumb = g_build_filename (thumbnails, "old.png.png", NULL);
  g_autoptr(GBytes) png = gallery_test_png (64, 64, 0x3366ccff);
  g_autoptr(GBytes) upscaled = gallery_test_webp (256, 256, 3);
  g_autoptr(GBytes) junk = g_bytes_new_static ("junk", 4);
  g_autoptr(HordeStudioGallery) gallery = NULL;
  g_autoptr(HordeStudioGalleryItem) old = NULL;
  g_autoptr(HordeStudioGalleryItem) made = NULL;
  g_autoptr(HordeStudioGalleryItem) dropped = NULL;
  g_autoptr(HordeStudioGalleryItem) none = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *nulls = NULL;
  sqlite3 *db = NULL;
  gint64 made_id;

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (thumbnails, 0755), ==, 0);
  g_assert_true (g_file_set_contents (old_png, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  g_assert_true (g_file_set_contents (old_thumb, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  gallery = horde_studio_gallery_new (old_dir, &error);
  g_assert_no_error (error);
  version = query_text (old_dir, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 1);
  old = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (old), ==, "an old fox");
  g_assert_cmpint (horde_studio_gallery_item_get_parent_id (old), ==, 0);
  g_assert_null (horde_studio_gallery_item_get_parent_name (old));
  g_assert_null (horde_studio_gallery_item_get_form (old));

  /* an upscale of the old image: its prompt, its own size, its lineage */
  request = horde_studio_gallery_item_dup_request (old, &error);
  g_assert_no_error (error);
  made = horde_studio_gallery_add_derived (gallery, upscaled, request, horde_studio_gallery_item_get_id (old),
                                           NULL, "RealESRGAN_x4plus", "alchemy-1", &error);
  g_assert_no_error (error);
  made_id = horde_studio_gallery_item_get_id (made);
  g_assert_cmpint (made_id, >, horde_studio_gallery_item_get_id (old));
  /* a file dropped from outside the gallery */
  dropped = horde_studio_gallery_add_derived (gallery, png, NULL, 0, "holiday.jpg", "strip_background",
                                              "alchemy-2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 3);

  /* not an image: refused, nothing added */
  none = horde_studio_gallery_add_derived (gallery, junk, NULL, 0, "x", "GFPGAN", NULL, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gallery)), ==, 3);

  g_clear_object (&made);
  g_clear_object (&dropped);
  g_clear_object (&old);
  g_assert_finalize_object (g_steal_pointer (&gallery));
  gallery = horde_studio_gallery_new (old_dir, &error);
  g_assert_no_error (error);

  made = horde_studio_gallery_lookup (gallery, made_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (made), ==, "an old fox");
  g_assert_cmpint (horde_studio_gallery_item_get_parent_id (made), ==, 1);
  g_assert_null (horde_studio_gallery_item_get_parent_name (made));
  g_assert_cmpstr (horde_studio_gallery_item_get_form (made), ==, "RealESRGAN_x4plus");
  g_assert_cmpint (horde_studio_gallery_item_get_width (made), ==, 256);
  g_assert_cmpint (horde_studio_gallery_item_get_height (made), ==, 256);
  g_assert_true (g_file_test (horde_studio_gallery_item_get_path (made), G_FILE_TEST_IS_REGULAR));

  dropped = g_list_model_get_item (G_LIST_MODEL (gallery), 0);
  g_assert_cmpint (horde_studio_gallery_item_get_parent_id (dropped), ==, 0);
  g_assert_cmpstr (horde_studio_gallery_item_get_parent_name (dropped), ==, "holiday.jpg");
  g_assert_cmpstr (horde_studio_gallery_item_get_form (dropped), ==, "strip_background");
  g_assert_cmpstr (horde_studio_gallery_item_get_prompt (dropped), ==, "");
  /* none is SQL NULL in the index, not 0 */
  nulls = query_text (old_dir, "SELECT count(*) FROM images WHERE parent_id IS NULL");
  g_assert_cmpstr (nulls, ==, "2");

  g_clear_object (&made);
  g_clear_object (&dropped);
  g_assert_finalize_object (g_steal_pointer (&gallery));
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "/gallery/open/creates", test_open_creates },
    { "/gallery/open/errors", test_open_errors },
    { "/gallery/add/sync-reopen", test_add_sync_reopen },
    { "/gallery/add/async", test_add_async },
    { "/gallery/add/concurrent", test_add_concurrent },
    { "/gallery/add/cancelled", test_add_cancelled },
    { "/gallery/add/invalid", test_add_invalid },
    { "/gallery/add/file-names", test_file_names },
    { "/gallery/atomicity/missing-file", test_missing_file_hidden },
    { "/gallery/atomicity/orphan", test_orphan_ignored },
    { "/gallery/atomicity/crash", test_crash_between_file_and_row },
    { "/gallery/favourite", test_favourite },
    { "/gallery/set-kudos", test_set_kudos },
    { "/gallery/delete", test_delete_undelete_purge },
    { "/gallery/filter", test_filter },
    { "/gallery/sort", test_sort },
    { "/gallery/pending-jobs", test_pending_jobs },
    { "/gallery/export/png", test_export_png },
    { "/gallery/export/errors", test_export_errors },
    { "/gallery/dup-request", test_dup_request },
    { "/gallery/migrate/lineage", test_migrate_lineage },
  };

  int status;

  if (argc == 3 && g_str_equal (argv[1], "--crash-add"))
    return crash_add (argv[2]);

  test_program = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_setup, tests[i].func, fixture_teardown);

  status = g_test_run ();
  g_free (test_program);
  return status;
}

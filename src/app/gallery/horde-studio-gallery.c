/* horde-studio-gallery.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <glib/gstdio.h>

#include "horde-studio-gallery-db-private.h"
#include "horde-studio-gallery-files-private.h"
#include "horde-studio-gallery-item-private.h"
#include "horde-studio-gallery-private.h"
#include "horde-studio-pending-job-private.h"

/**
 * HordeStudioGallery:
 *
 * The images the user made, kept on disk, as a [iface@Gio.ListModel] of
 * [class@HordeStudio.GalleryItem], newest first.
 *
 * A gallery is a folder: `images/` holds the images as the Horde sent
 * them, `thumbnails/` a small PNG or JPEG of each, and `gallery.sqlite`
 * (SQLite, write-ahead log) indexes them with the parameters that made
 * them. An image is written whole and flushed to disk before its row is
 * committed, and only then shown, so a crash never leaves a row without
 * its file. At open, rows whose image file has gone are hidden (with a
 * warning), and files without a row are ignored.
 *
 * Opening reads only the row ids; an item's metadata is read when the list
 * is asked for it. Items are not kept once nobody holds them, and while
 * someone does, the gallery hands out that same item.
 *
 * A gallery belongs to the thread that made it: call it from that thread
 * only. [method@HordeStudio.Gallery.add_async] writes the files in a
 * worker thread and commits the row back in the caller's thread, so the
 * one SQLite connection is only ever used by one thread.
 */

/* Which rows the list shows: ?1 the folded filter text or NULL, ?2 whether
 * only favourites. */
#define VISIBLE_SQL "deleted = 0 AND (?1 IS NULL OR instr (search, ?1) > 0) AND (?2 = 0 OR favourite != 0)"

/* The item cache is swept of dead entries when it reaches this size, or
 * twice the size of the last sweep. */
#define SWEEP_MIN 256

typedef struct {
  gint64 id;
  GWeakRef item;
} CacheEntry;

struct _HordeStudioGallery
{
  GObject parent_instance;

  char *directory;
  sqlite3 *db;
  sqlite3_stmt *select_item;
  sqlite3_stmt *insert_item;

  GArray *ids;         /* gint64: the rows shown, highest (newest) id first */
  GHashTable *hidden;  /* gint64 ids of rows whose image was missing at open */
  GHashTable *items;   /* gint64 id → CacheEntry of each item handed out */
  guint sweep_at;

  char *filter;        /* folded filter text, or NULL */
  gboolean favourites_only;

  HordeStudioGallerySort sort;
  GPtrArray *models;   /* by model: the model of each row shown, from… */
  GHashTable *model_names;  /* …this pool of the models' names */
};

static void list_model_iface_init (GListModelInterface *iface);
static void initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HordeStudioGallery, horde_studio_gallery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init))

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static HordeStudioGalleryFilesWrittenHook files_written_hook;
static gpointer files_written_hook_data;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_weak_ref_clear (&entry->item);
  g_free (entry);
}

static gboolean
cache_entry_is_dead (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  CacheEntry *entry = value;
  g_autoptr(GObject) item = g_weak_ref_get (&entry->item);

  return item == NULL;
}

static void
cache_item (HordeStudioGallery     *self,
            HordeStudioGalleryItem *item)
{
  gint64 id = horde_studio_gallery_item_get_id (item);
  CacheEntry *entry = g_hash_table_lookup (self->items, &id);

  if (entry == NULL)
    {
      if (g_hash_table_size (self->items) >= self->sweep_at)
        {
          g_hash_table_foreach_remove (self->items, cache_entry_is_dead, NULL);
          self->sweep_at = MAX (SWEEP_MIN, 2 * g_hash_table_size (self->items));
        }

      entry = g_new0 (CacheEntry, 1);
      entry->id = id;
      g_weak_ref_init (&entry->item, NULL);
      g_hash_table_insert (self->items, &entry->id, entry);
    }

  g_weak_ref_set (&entry->item, item);
}

/* The live item of row @id, or a new one read from the index. */
static HordeStudioGalleryItem *
lookup_item (HordeStudioGallery  *self,
             gint64               id,
             GError             **error)
{
  CacheEntry *entry = g_hash_table_lookup (self->items, &id);
  HordeStudioGalleryItem *item = NULL;
  int rc;

  if (entry != NULL && (item = g_weak_ref_get (&entry->item)) != NULL)
    return item;

  sqlite3_bind_int64 (self->select_item, 1, id);
  rc = sqlite3_step (self->select_item);
  if (rc == SQLITE_ROW)
    item = horde_studio_gallery_item_new_from_row (self->select_item, self->directory);
  else if (rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("Image %lld is not in the gallery"), (long long) id);
  else
    horde_studio_gallery_db_error (self->db, error);
  sqlite3_reset (self->select_item);

  if (item != NULL)
    cache_item (self, item);

  return item;
}

/* Which row comes first, as ORDER_SQL sorts them: newest (highest id)
 * first, oldest first, or by model (ASCII case ignored, no model first)
 * then newest first. */
static int
compare_rows (HordeStudioGallery *self,
              gint64              a_id,
              const char         *a_model,
              gint64              b_id,
              const char         *b_model)
{
  if (self->sort == HORDE_STUDIO_GALLERY_SORT_OLDEST)
    return a_id < b_id ? -1 : a_id > b_id;

  if (self->sort == HORDE_STUDIO_GALLERY_SORT_MODEL && a_model != b_model)
    {
      int c;

      if (a_model == NULL)
        return -1;
      if (b_model == NULL)
        return 1;
      if ((c = g_ascii_strcasecmp (a_model, b_model)) != 0)
        return c;
    }

  return a_id > b_id ? -1 : a_id < b_id;
}

static const char *
order_sql (HordeStudioGallery *self)
{
  switch (self->sort)
    {
    case HORDE_STUDIO_GALLERY_SORT_OLDEST:
      return "id ASC";
    case HORDE_STUDIO_GALLERY_SORT_MODEL:
      /* NOCASE folds ASCII as g_ascii_strcasecmp() does; NULL first */
      return "model COLLATE NOCASE ASC, id DESC";
    case HORDE_STUDIO_GALLERY_SORT_NEWEST:
    default:
      return "id DESC";
    }
}

/* the pooled copy of @model, which the list of models points to */
static const char *
pool_model (HordeStudioGallery *self,
            const char         *model)
{
  char *pooled;

  if (model == NULL)
    return NULL;
  pooled = g_hash_table_lookup (self->model_names, model);
  if (pooled == NULL)
    {
      pooled = g_strdup (model);
      g_hash_table_add (self->model_names, pooled);
    }
  return pooled;
}

/* Where row @id (of @model) is in the list, or would go. */
static gboolean
find_position (HordeStudioGallery *self,
               gint64              id,
               const char         *model,
               guint              *position)
{
  guint lo = 0, hi = self->ids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const char *mid_model = self->models ? g_ptr_array_index (self->models, mid) : NULL;

      if (compare_rows (self, g_array_index (self->ids, gint64, mid), mid_model, id, model) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  *position = lo;
  return lo < self->ids->len && g_array_index (self->ids, gint64, lo) == id;
}

/* Whether row @id passes the filter, and its model; a row gone from the
 * index is not visible. */
static gboolean
row_is_visible (HordeStudioGallery  *self,
                gint64               id,
                gboolean            *visible,
                char               **model,
                GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *visible = FALSE;
  *model = NULL;
  stmt = horde_studio_gallery_db_prepare (self->db, error,
                                          "SELECT model, " VISIBLE_SQL " FROM images WHERE id = ?3",
                                          "sbi", self->filter, self->favourites_only, id);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *model = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *visible = sqlite3_column_int (stmt, 1) != 0 && !g_hash_table_contains (self->hidden, &id);
    }
  return rc == SQLITE_ROW || rc == SQLITE_DONE || horde_studio_gallery_db_error (self->db, error);
}

/* Shows or hides row @id after it changed, as the filter says. */
static void
sync_row (HordeStudioGallery *self,
          gint64              id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  guint position;
  gboolean shown;
  gboolean visible;

  if (!row_is_visible (self, id, &visible, &model, &error))
    {
      g_warning ("Cannot update the gallery list: %s", error->message);
      return;
    }

  shown = find_position (self, id, model, &position);
  if (visible == shown)
    return;

  if (visible)
    {
      g_array_insert_val (self->ids, position, id);
      if (self->models != NULL)
        g_ptr_array_insert (self->models, position, (gpointer) pool_model (self, model));
    }
  else
    {
      g_array_remove_index (self->ids, position);
      if (self->models != NULL)
        g_ptr_array_remove_index (self->models, position);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, !visible, visible);
}

/* Reads the ids of the rows to show, and replaces the list with them. */
static gboolean
load_ids (HordeStudioGallery  *self,
          GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *sql = NULL;
  guint removed = self->ids->len;
  int rc;

  /* the models only when they order the list: opening reads ids only */
  if (self->sort == HORDE_STUDIO_GALLERY_SORT_MODEL)
    models = g_ptr_array_new ();
  sql = g_strdup_printf ("SELECT id%s FROM images WHERE " VISIBLE_SQL " ORDER BY %s",
                         models ? ", model" : "", order_sql (self));
  stmt = horde_studio_gallery_db_prepare (self->db, error, sql, "sb", self->filter, self->favourites_only);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (g_hash_table_contains (self->hidden, &id))
        continue;
      g_array_append_val (ids, id);
      if (models != NULL)
        g_ptr_array_add (models, (gpointer) pool_model (self, (const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    return horde_studio_gallery_db_error (self->db, error);

  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  self->models = g_steal_pointer (&models);

  if (removed > 0 || self->ids->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);

  return TRUE;
}

/*
 * Hides the rows whose image file is gone (deleted by hand, or a disk
 * restored from an older backup). They stay in the index: if the file
 * comes back, so does the image.
 */
static gboolean
hide_missing_files (HordeStudioGallery  *self,
                    GError             **error)
{
  g_autofree char *folder = g_build_filename (self->directory, "images", NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_missing = 0;
  int rc;

  dir = g_dir_open (folder, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_hash_table_add (names, g_strdup (name));

  stmt = horde_studio_gallery_db_prepare (self->db, error, "SELECT id, file FROM images WHERE deleted = 0", "");
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *file = (const char *) sqlite3_column_text (stmt, 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (g_hash_table_contains (names, file))
        continue;

      g_hash_table_add (self->hidden, g_memdup2 (&id, sizeof id));
      if (n_missing++ < 5)
        g_string_append_printf (missing, "%s“%s”", missing->len ? ", " : "", file);
    }
  if (rc != SQLITE_DONE)
    return horde_studio_gallery_db_error (self->db, error);

  if (n_missing > 0)
    g_warning ("%u image file(s) of the gallery are missing from “%s”, their entries are hidden: %s%s",
               n_missing, folder, missing->str, n_missing > 5 ? "…" : "");

  return TRUE;
}

static gboolean
horde_studio_gallery_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  static const char * const folders[] = { "images", "thumbnails" };
  HordeStudioGallery *self = HORDE_STUDIO_GALLERY (initable);
  g_autofree char *index = NULL;
  g_autoptr(GError) purge_error = NULL;

  if (self->db != NULL)
    return TRUE;

  if (self->directory == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No gallery folder given"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *folder = g_build_filename (self->directory, folders[i], NULL);

      if (g_mkdir_with_parents (folder, 0755) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot use “%s” as the gallery folder: %s"),
                       self->directory, g_strerror (saved_errno));
          return FALSE;
        }
    }

  index = g_build_filename (self->directory, "gallery.sqlite", NULL);
  self->db = horde_studio_gallery_db_open (index, error);
  if (self->db == NULL)
    return FALSE;

  if (sqlite3_prepare_v3 (self->db, horde_studio_gallery_item_get_select_sql (), -1,
                          SQLITE_PREPARE_PERSISTENT, &self->select_item, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db, horde_studio_gallery_item_get_insert_sql (), -1,
                          SQLITE_PREPARE_PERSISTENT, &self->insert_item, NULL) != SQLITE_OK)
    return horde_studio_gallery_db_error (self->db, error);

  /* Deletions that an earlier run could not purge (it crashed, say). */
  if (!horde_studio_gallery_purge_deleted (self, &purge_error))
    g_warning ("Cannot purge the deleted images of the gallery: %s", purge_error->message);

  return hide_missing_files (self, error) && load_ids (self, error);
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = horde_studio_gallery_initable_init;
}

static GType
horde_studio_gallery_get_item_type (GListModel *model)
{
  return HORDE_STUDIO_TYPE_GALLERY_ITEM;
}

static guint
horde_studio_gallery_get_n_items (GListModel *model)
{
  return HORDE_STUDIO_GALLERY (model)->ids->len;
}

static gpointer
horde_studio_gallery_get_item (GListModel *model,
                               guint       position)
{
  HordeStudioGallery *self = HORDE_STUDIO_GALLERY (model);
  g_autoptr(GError) error = NULL;
  HordeStudioGalleryItem *item;

  if (position >= self->ids->len)
    return NULL;

  item = lookup_item (self, g_array_index (self->ids, gint64, position), &error);
  if (item == NULL)
    g_warning ("Cannot read the gallery image at %u: %s", position, error->message);

  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = horde_studio_gallery_get_item_type;
  iface->get_n_items = horde_studio_gallery_get_n_items;
  iface->get_item = horde_studio_gallery_get_item;
}

static void
horde_studio_gallery_finalize (GObject *object)
{
  HordeStudioGallery *self = (HordeStudioGallery *)object;

  g_clear_pointer (&self->select_item, sqlite3_finalize);
  g_clear_pointer (&self->insert_item, sqlite3_finalize);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Cannot close the gallery index: %s", sqlite3_errmsg (self->db));

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->model_names, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->filter, g_free);

  G_OBJECT_CLASS (horde_studio_gallery_parent_class)->finalize (object);
}

static void
horde_studio_gallery_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HordeStudioGallery *self = HORDE_STUDIO_GALLERY (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_gallery_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HordeStudioGallery *self = HORDE_STUDIO_GALLERY (object);
  const char *directory;

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      directory = g_value_get_string (value);
      self->directory = directory ? g_canonicalize_filename (directory, NULL) : NULL;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_studio_gallery_class_init (HordeStudioGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_gallery_finalize;
  object_class->get_property = horde_studio_gallery_get_property;
  object_class->set_property = horde_studio_gallery_set_property;

  /**
   * HordeStudioGallery:directory:
   *
   * The gallery folder, as an absolute path.
   */
  properties [PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_studio_gallery_init (HordeStudioGallery *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->model_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, cache_entry_free);
  self->sweep_at = SWEEP_MIN;
}

/**
 * horde_studio_gallery_new:
 * @directory: (type filename): the gallery folder; made if it does not exist
 * @error: return location for a #GError
 *
 * Opens the gallery in @directory, or makes a new one there.
 *
 * Rows that an earlier run deleted are purged now. The images are read
 * lazily, so this is fast for large galleries.
 *
 * Returns: (transfer full): the gallery, or %NULL if @directory cannot be
 *   used (not a folder, not writable, an index that is not SQLite or was
 *   written by a newer version)
 */
HordeStudioGallery *
horde_studio_gallery_new (const char  *directory,
                          GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (HORDE_STUDIO_TYPE_GALLERY, NULL, error,
                         "directory", directory,
                         NULL);
}

/**
 * horde_studio_gallery_get_directory:
 * @self: a #HordeStudioGallery
 *
 * Gets [property@HordeStudio.Gallery:directory].
 *
 * Returns: (type filename): the gallery folder, as an absolute path
 */
const char *
horde_studio_gallery_get_directory (HordeStudioGallery *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);
  return self->directory;
}

/**
 * horde_studio_gallery_find_item:
 * @self: a #HordeStudioGallery
 * @item: an image of the gallery
 * @position: (out): where @item is in the list, or where it would be if
 *   the filter let it in
 *
 * Finds @item in the list as filtered, without reading any other item:
 * the viewer's previous and next follow the grid's order this way.
 *
 * Returns: whether the filter shows @item
 */
gboolean
horde_studio_gallery_find_item (HordeStudioGallery     *self,
                                HordeStudioGalleryItem *item,
                                guint                  *position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  return find_position (self, horde_studio_gallery_item_get_id (item),
                        horde_studio_gallery_item_get_model (item), position);
}

/**
 * horde_studio_gallery_get_id_at:
 * @self: a #HordeStudioGallery
 * @position: a position in the list
 *
 * The id of the item at @position, without reading it: selecting every
 * image of a large gallery reads none of them.
 *
 * Returns: the id, as [method@HordeStudio.GalleryItem.get_id] gives it, or
 *   -1 if @position is past the end
 */
gint64
horde_studio_gallery_get_id_at (HordeStudioGallery *self,
                                guint               position)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), -1);

  if (position >= self->ids->len)
    return -1;
  return g_array_index (self->ids, gint64, position);
}

/**
 * horde_studio_gallery_get_n_total:
 * @self: a #HordeStudioGallery
 *
 * Counts the images of the gallery whatever the filter: all but those
 * deleted and those whose file is missing.
 *
 * Returns: the number of images in the gallery
 */
guint
horde_studio_gallery_get_n_total (HordeStudioGallery *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), 0);

  stmt = horde_studio_gallery_db_prepare (self->db, &error, "SELECT count(*) FROM images WHERE deleted = 0", "");
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (error == NULL)
        horde_studio_gallery_db_error (self->db, &error);
      g_warning ("Cannot count the gallery images: %s", error->message);
      return self->ids->len;
    }

  count = sqlite3_column_int64 (stmt, 0) - g_hash_table_size (self->hidden);
  return (guint) MAX (count, 0);
}

/* Adding an image: AddData is made in the caller's thread, its files are
 * written in any thread, its row is inserted in the caller's thread. */
typedef struct {
  char *directory;
  char *stem;
  GBytes *image;
  HordeStudioGalleryItem *item;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->directory);
  g_free (data->stem);
  g_bytes_unref (data->image);
  g_object_unref (data->item);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddData, add_data_free)

static AddData *
add_data_new (HordeStudioGallery             *self,
              GBytes                         *image,
              HordeImageGenerateAsyncRequest *request,
              HordeGenerationStable          *generation,
              const char                     *job_id,
              double                          kudos)
{
  AddData *data = g_new0 (AddData, 1);

  data->directory = g_strdup (self->directory);
  data->stem = horde_studio_gallery_files_make_stem (generation, job_id);
  data->image = g_bytes_ref (image);
  data->item = horde_studio_gallery_item_new_for_image (request, generation, job_id, kudos);

  return data;
}

static gboolean
add_data_write_files (AddData       *data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *thumbnail_path = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !horde_studio_gallery_files_write (data->directory, data->stem, data->image,
                                         &path, &thumbnail_path, error))
    return FALSE;

  horde_studio_gallery_item_set_files (data->item, path, thumbnail_path);
  return TRUE;
}

static gboolean
insert_item (HordeStudioGallery      *self,
             HordeStudioGalleryItem  *item,
             GError                 **error)
{
  gboolean inserted = horde_studio_gallery_item_bind (item, self->insert_item) &&
                      sqlite3_step (self->insert_item) == SQLITE_DONE;

  if (!inserted)
    horde_studio_gallery_db_error (self->db, error);
  sqlite3_reset (self->insert_item);

  if (inserted)
    horde_studio_gallery_item_set_id (item, sqlite3_last_insert_rowid (self->db));

  return inserted;
}

/* Commits the row of an image whose files are written, and shows it. */
static HordeStudioGalleryItem *
add_data_insert (HordeStudioGallery  *self,
                 AddData             *data,
                 GError             **error)
{
  HordeStudioGalleryItem *item = data->item;

  if (files_written_hook != NULL)
    files_written_hook (horde_studio_gallery_item_get_path (item), files_written_hook_data);

  if (!insert_item (self, item, error))
    {
      horde_studio_gallery_files_remove (horde_studio_gallery_item_get_path (item),
                                         horde_studio_gallery_item_get_thumbnail_path (item));
      return NULL;
    }

  cache_item (self, item);
  sync_row (self, horde_studio_gallery_item_get_id (item));

  return g_object_ref (item);
}

static void
add_write_files_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (add_data_write_files (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
add_files_written_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HordeStudioGallery *self = g_task_get_source_object (task);
  GTask *files_task = G_TASK (result);
  GError *error = NULL;
  HordeStudioGalleryItem *item = NULL;

  if (g_task_propagate_boolean (files_task, &error))
    item = add_data_insert (self, g_task_get_task_data (files_task), &error);

  /* Free the data here, not in the worker thread whenever it lets go. */
  g_task_set_task_data (files_task, NULL, NULL);

  if (item != NULL)
    g_task_return_pointer (task, item, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* Writes the files of @data (taken) in a worker thread, then inserts its
 * row; finished by horde_studio_gallery_add_finish() */
static void
add_start (HordeStudioGallery  *self,
           AddData             *data,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) files_task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_gallery_add_async);
  g_task_set_check_cancellable (task, FALSE);

  /* The worker thread drops its reference to files_task at a time of its
   * own: files_task holds no reference to the gallery. */
  files_task = g_task_new (NULL, cancellable, add_files_written_cb, g_steal_pointer (&task));
  g_task_set_source_tag (files_task, add_write_files_thread);
  g_task_set_check_cancellable (files_task, FALSE);
  g_task_set_task_data (files_task, data, (GDestroyNotify) add_data_free);
  g_task_run_in_thread (files_task, add_write_files_thread);
}

/**
 * horde_studio_gallery_add_async:
 * @self: a #HordeStudioGallery
 * @image: the image as the Horde sent it: WebP, PNG or JPEG
 * @request: the request that made it
 * @generation: (nullable): what the Horde said of the image
 * @job_id: (nullable): the id of the server request
 * @kudos: what the request cost
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the image is in the gallery
 * @user_data: data for @callback
 *
 * Adds an image: a worker thread writes the file (named after the
 * generation id, or the job id) and a thumbnail, flushing both to disk;
 * then, in the thread-default main context of the caller, its row is
 * committed and the item appears in the list (at position 0, unless the
 * filter hides it) before @callback runs.
 *
 * @cancellable stops the add only until the files are written; from then
 * on the image is kept.
 */
void
horde_studio_gallery_add_async (HordeStudioGallery             *self,
                                GBytes                         *image,
                                HordeImageGenerateAsyncRequest *request,
                                HordeGenerationStable          *generation,
                                const char                     *job_id,
                                double                          kudos,
                                GCancellable                   *cancellable,
                                GAsyncReadyCallback             callback,
                                gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) files_task = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY (self));
  g_return_if_fail (image != NULL);
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  add_start (self, add_data_new (self, image, request, generation, job_id, kudos),
             cancellable, callback, user_data);
}

/* An AddData for an image an alchemy form made; NULL if @image is not an
 * image (its header is read, not its pixels) */
static AddData *
derived_data_new (HordeStudioGallery              *self,
                  GBytes                          *image,
                  HordeImageGenerateAsyncRequest  *request,
                  gint64                           parent_id,
                  const char                      *parent_name,
                  const char                      *form,
                  const char                      *job_id,
                  GError                         **error)
{
  g_autoptr(HordeGeneratedImage) header = horde_generated_image_new_from_bytes (image, NULL, error);
  g_autoptr(HordeImageGenerateAsyncRequest) none = NULL;
  g_autofree char *stem_id = g_strdup_printf ("%s-%s", job_id ? job_id : "alchemy", form);
  AddData *data;

  if (header == NULL)
    return NULL;
  /* a file from outside the gallery was made by no generation request:
   * its row has an empty one */
  if (request == NULL)
    request = none = horde_image_generate_async_request_new_from_json ("{\"prompt\": \"\"}", -1, NULL);

  data = add_data_new (self, image, request, NULL, job_id, 0.0);
  g_free (data->stem);
  data->stem = horde_studio_gallery_files_make_stem (NULL, stem_id);
  horde_studio_gallery_item_set_lineage (data->item, parent_id, parent_name, form,
                                         horde_generated_image_get_width (header),
                                         horde_generated_image_get_height (header));
  return data;
}

/**
 * horde_studio_gallery_lookup:
 * @self: a #HordeStudioGallery
 * @id: an image's id
 * @error: return location for a #GError
 *
 * The image with this id, whether the filter shows it or not (deleted
 * ones too, until they are purged): the item the list hands out for it.
 *
 * Returns: (transfer full): the item, or %NULL if there is none
 */
HordeStudioGalleryItem *
horde_studio_gallery_lookup (HordeStudioGallery  *self,
                             gint64               id,
                             GError             **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);

  return lookup_item (self, id, error);
}

/**
 * horde_studio_gallery_add_derived_async:
 * @self: a #HordeStudioGallery
 * @image: the image an alchemy form made: WebP, PNG or JPEG
 * @request: (nullable): the request that made the source image, when it
 *   is in the gallery
 * @parent_id: the gallery id of the source image, or 0
 * @parent_name: (nullable): the file name of a source that is not in the
 *   gallery
 * @form: the alchemy form that made @image, such as `RealESRGAN_x4plus`
 * @job_id: (nullable): the id of the alchemy request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the image is in the gallery
 * @user_data: data for @callback
 *
 * Like [method@HordeStudio.Gallery.add_async], for an image made from
 * another: the item keeps the source's prompt and model (when it came
 * from the gallery), its own size, and its lineage
 * ([property@HordeStudio.GalleryItem:parent-id],
 * [property@HordeStudio.GalleryItem:parent-name],
 * [property@HordeStudio.GalleryItem:form]). Finish with
 * [method@HordeStudio.Gallery.add_finish].
 */
void
horde_studio_gallery_add_derived_async (HordeStudioGallery             *self,
                                        GBytes                         *image,
                                        HordeImageGenerateAsyncRequest *request,
                                        gint64                          parent_id,
                                        const char                     *parent_name,
                                        const char                     *form,
                                        const char                     *job_id,
                                        GCancellable                   *cancellable,
                                        GAsyncReadyCallback             callback,
                                        gpointer                        user_data)
{
  GError *error = NULL;
  AddData *data;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY (self));
  g_return_if_fail (image != NULL);
  g_return_if_fail (form != NULL);

  data = derived_data_new (self, image, request, parent_id, parent_name, form, job_id, &error);
  if (data == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, horde_studio_gallery_add_async);
      g_task_return_error (task, error);
      return;
    }
  add_start (self, data, cancellable, callback, user_data);
}

/**
 * horde_studio_gallery_add_derived:
 * @self: a #HordeStudioGallery
 * @image: the image an alchemy form made
 * @request: (nullable): the request that made the source image
 * @parent_id: the gallery id of the source image, or 0
 * @parent_name: (nullable): the file name of a source outside the gallery
 * @form: the alchemy form that made @image
 * @job_id: (nullable): the id of the alchemy request
 * @error: return location for a #GError
 *
 * Like [method@HordeStudio.Gallery.add_derived_async], in the calling
 * thread, which must be the gallery's. For tests and tools.
 *
 * Returns: (transfer full): the new item, or %NULL on error
 */
HordeStudioGalleryItem *
horde_studio_gallery_add_derived (HordeStudioGallery              *self,
                                  GBytes                          *image,
                                  HordeImageGenerateAsyncRequest  *request,
                                  gint64                           parent_id,
                                  const char                      *parent_name,
                                  const char                      *form,
                                  const char                      *job_id,
                                  GError                         **error)
{
  g_autoptr(AddData) data = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (form != NULL, NULL);

  data = derived_data_new (self, image, request, parent_id, parent_name, form, job_id, error);
  if (data == NULL || !add_data_write_files (data, NULL, error))
    return NULL;

  return add_data_insert (self, data, error);
}

/**
 * horde_studio_gallery_add_finish:
 * @self: a #HordeStudioGallery
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@HordeStudio.Gallery.add_async].
 *
 * Returns: (transfer full): the new item, or %NULL if the image could not
 *   be decoded or saved, or the add was cancelled
 */
HordeStudioGalleryItem *
horde_studio_gallery_add_finish (HordeStudioGallery  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_studio_gallery_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * horde_studio_gallery_add:
 * @self: a #HordeStudioGallery
 * @image: the image as the Horde sent it: WebP, PNG or JPEG
 * @request: the request that made it
 * @generation: (nullable): what the Horde said of the image
 * @job_id: (nullable): the id of the server request
 * @kudos: what the request cost
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like [method@HordeStudio.Gallery.add_async], but decodes and writes in
 * the calling thread, which must be the gallery's. For tests and tools.
 *
 * Returns: (transfer full): the new item, or %NULL on error
 */
HordeStudioGalleryItem *
horde_studio_gallery_add (HordeStudioGallery              *self,
                          GBytes                          *image,
                          HordeImageGenerateAsyncRequest  *request,
                          HordeGenerationStable           *generation,
                          const char                      *job_id,
                          double                           kudos,
                          GCancellable                    *cancellable,
                          GError                         **error)
{
  g_autoptr(AddData) data = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  data = add_data_new (self, image, request, generation, job_id, kudos);
  if (!add_data_write_files (data, cancellable, error))
    return NULL;

  return add_data_insert (self, data, error);
}

typedef enum {
  FLAG_FAVOURITE,
  FLAG_DELETED,
} RowFlag;

static const char * const flag_sql[] = {
  [FLAG_FAVOURITE] = "UPDATE images SET favourite = ?2 WHERE id = ?1",
  [FLAG_DELETED] = "UPDATE images SET deleted = ?2 WHERE id = ?1",
};

/* Sets one flag of the row of @item, then shows or hides the row as the
 * filter says. */
static gboolean
update_row (HordeStudioGallery      *self,
            HordeStudioGalleryItem  *item,
            RowFlag                  flag,
            gboolean                 value,
            GError                 **error)
{
  gint64 id = horde_studio_gallery_item_get_id (item);

  if (!horde_studio_gallery_db_run (self->db, error, flag_sql[flag], "ib", id, value))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Image %lld is no longer in the gallery"), (long long) id);
      return FALSE;
    }

  if (flag == FLAG_FAVOURITE)
    horde_studio_gallery_item_set_favourite (item, value);

  sync_row (self, id);
  return TRUE;
}

/**
 * horde_studio_gallery_set_favourite:
 * @self: a #HordeStudioGallery
 * @item: an item of @self
 * @favourite: whether @item is a favourite
 * @error: return location for a #GError
 *
 * Marks or unmarks @item as a favourite, for good. @item notifies
 * [property@HordeStudio.GalleryItem:favourite]; if only favourites are
 * shown, @item leaves or joins the list.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_set_favourite (HordeStudioGallery      *self,
                                    HordeStudioGalleryItem  *item,
                                    gboolean                 favourite,
                                    GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);

  return update_row (self, item, FLAG_FAVOURITE, !!favourite, error);
}

/**
 * horde_studio_gallery_set_kudos:
 * @self: a #HordeStudioGallery
 * @item: an item of @self
 * @kudos: its share of what its request cost
 * @error: return location for a #GError
 *
 * Records what @item cost, once its request's charge is final (an image is
 * kept as soon as it arrives, before the request is charged for all of
 * its images). @item notifies [property@HordeStudio.GalleryItem:kudos].
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_set_kudos (HordeStudioGallery      *self,
                                HordeStudioGalleryItem  *item,
                                double                   kudos,
                                GError                 **error)
{
  gint64 id;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);
  g_return_val_if_fail (kudos >= 0 && isfinite (kudos), FALSE);

  id = horde_studio_gallery_item_get_id (item);
  if (!horde_studio_gallery_db_run (self->db, error, "UPDATE images SET kudos = ?2 WHERE id = ?1", "id", id, kudos))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Image %lld is no longer in the gallery"), (long long) id);
      return FALSE;
    }

  horde_studio_gallery_item_set_kudos (item, kudos);
  return TRUE;
}

/**
 * horde_studio_gallery_delete:
 * @self: a #HordeStudioGallery
 * @item: an item of @self
 * @error: return location for a #GError
 *
 * Takes @item out of the gallery, keeping its files until
 * [method@HordeStudio.Gallery.purge_deleted], so that
 * [method@HordeStudio.Gallery.undelete] can bring it back.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_delete (HordeStudioGallery      *self,
                             HordeStudioGalleryItem  *item,
                             GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);

  return update_row (self, item, FLAG_DELETED, TRUE, error);
}

/**
 * horde_studio_gallery_undelete:
 * @self: a #HordeStudioGallery
 * @item: an item deleted from @self
 * @error: return location for a #GError
 *
 * Brings a deleted item back, at its place in the list.
 *
 * Returns: %TRUE on success; %FALSE with %G_IO_ERROR_NOT_FOUND if
 *   @item was purged already
 */
gboolean
horde_studio_gallery_undelete (HordeStudioGallery      *self,
                               HordeStudioGalleryItem  *item,
                               GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);

  return update_row (self, item, FLAG_DELETED, FALSE, error);
}

static gboolean
purge_in_transaction (sqlite3   *db,
                      gpointer   user_data,
                      GError   **error)
{
  HordeStudioGallery *self = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) purged = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  /* Rows share a file only when made by the bulk test helper; a file is
   * removed when no row that is kept uses it. */
  stmt = horde_studio_gallery_db_prepare (db, error,
                                          "SELECT id, file, thumbnail, EXISTS (SELECT 1 FROM images AS kept"
                                          " WHERE kept.file = images.file AND kept.deleted = 0)"
                                          " FROM images WHERE deleted != 0", "");
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *path = g_build_filename (self->directory, "images",
                                                sqlite3_column_text (stmt, 1), NULL);
      g_autofree char *thumbnail_path = g_build_filename (self->directory, "thumbnails",
                                                          sqlite3_column_text (stmt, 2), NULL);

      /* Files first: a crash now leaves a deleted row without its files,
       * which is never shown and is purged at the next open. */
      if (sqlite3_column_int (stmt, 3) != 0 ||
          horde_studio_gallery_files_remove (path, thumbnail_path))
        g_array_append_val (purged, id);
    }
  if (rc != SQLITE_DONE)
    return horde_studio_gallery_db_error (db, error);

  for (guint i = 0; i < purged->len; i++)
    if (!horde_studio_gallery_db_run (db, error, "DELETE FROM images WHERE id = ?1", "i",
                                      g_array_index (purged, gint64, i)))
      return FALSE;

  return TRUE;
}

/**
 * horde_studio_gallery_purge_deleted:
 * @self: a #HordeStudioGallery
 * @error: return location for a #GError
 *
 * Removes the deleted items and their files for good. The app calls this
 * when the undo offer goes away and at shutdown; opening a gallery does it
 * too. A file that cannot be removed keeps its row for the next purge.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_purge_deleted (HordeStudioGallery  *self,
                                    GError             **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);

  return horde_studio_gallery_db_transaction (self->db, purge_in_transaction, self, error);
}

/**
 * horde_studio_gallery_set_filter:
 * @self: a #HordeStudioGallery
 * @text: (nullable): what the prompt or model must contain, ignoring case;
 *   %NULL or empty for anything
 * @favourites_only: whether to show only favourites
 *
 * Shows only the images that match, in one
 * [signal@Gio.ListModel::items-changed].
 */
void
horde_studio_gallery_set_filter (HordeStudioGallery *self,
                                 const char         *text,
                                 gboolean            favourites_only)
{
  g_autofree char *filter = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY (self));

  filter = text != NULL && text[0] != '\0' ? horde_studio_gallery_fold (text) : NULL;
  favourites_only = !!favourites_only;
  if (g_strcmp0 (filter, self->filter) == 0 && favourites_only == self->favourites_only)
    return;

  g_free (self->filter);
  self->filter = g_steal_pointer (&filter);
  self->favourites_only = favourites_only;

  if (!load_ids (self, &error))
    g_warning ("Cannot filter the gallery: %s", error->message);
}

/**
 * horde_studio_gallery_set_sort:
 * @self: a #HordeStudioGallery
 * @sort: the order of the list
 *
 * Orders the list: newest first (the default), oldest first, or by model
 * (by name, ignoring case; newest first within a model), in one
 * [signal@Gio.ListModel::items-changed].
 */
void
horde_studio_gallery_set_sort (HordeStudioGallery     *self,
                               HordeStudioGallerySort  sort)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_GALLERY (self));
  g_return_if_fail (sort <= HORDE_STUDIO_GALLERY_SORT_MODEL);

  if (self->sort == sort)
    return;
  self->sort = sort;
  if (!load_ids (self, &error))
    g_warning ("Cannot sort the gallery: %s", error->message);
}

/**
 * horde_studio_gallery_get_sort:
 * @self: a #HordeStudioGallery
 *
 * The order of the list.
 *
 * Returns: the order
 */
HordeStudioGallerySort
horde_studio_gallery_get_sort (HordeStudioGallery *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), HORDE_STUDIO_GALLERY_SORT_NEWEST);

  return self->sort;
}

/**
 * horde_studio_gallery_add_pending_job:
 * @self: a #HordeStudioGallery
 * @job_id: the id the Horde gave a request
 * @request: the request (its API key is not stored)
 * @error: return location for a #GError
 *
 * Records a server job that is running, so that it can be found again
 * after a crash. Recording the same id again replaces it.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_add_pending_job (HordeStudioGallery              *self,
                                      const char                      *job_id,
                                      HordeImageGenerateAsyncRequest  *request,
                                      GError                         **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  json = horde_image_generate_async_request_to_json (request);
  return horde_studio_gallery_db_run (self->db, error,
                                      "INSERT OR REPLACE INTO pending_jobs (job_id, request_json, created)"
                                      " VALUES (?1, ?2, ?3)",
                                      "ssi", job_id, json, g_get_real_time () / G_USEC_PER_SEC);
}

/**
 * horde_studio_gallery_remove_pending_job:
 * @self: a #HordeStudioGallery
 * @job_id: the id of a recorded job
 * @error: return location for a #GError
 *
 * Forgets a job recorded with [method@HordeStudio.Gallery.add_pending_job],
 * once it has ended. Forgetting an unknown id does nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_remove_pending_job (HordeStudioGallery  *self,
                                         const char          *job_id,
                                         GError             **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  return horde_studio_gallery_db_run (self->db, error, "DELETE FROM pending_jobs WHERE job_id = ?1", "s", job_id);
}

/**
 * horde_studio_gallery_list_pending_jobs:
 * @self: a #HordeStudioGallery
 * @error: return location for a #GError
 *
 * Lists the recorded jobs, oldest first. A record whose request no longer
 * parses is skipped with a warning.
 *
 * Returns: (transfer container) (element-type HordeStudioPendingJob): the
 *   recorded jobs, or %NULL on error
 */
GPtrArray *
horde_studio_gallery_list_pending_jobs (HordeStudioGallery  *self,
                                        GError             **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_studio_pending_job_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY (self), NULL);

  stmt = horde_studio_gallery_db_prepare (self->db, error,
                                          "SELECT job_id, request_json, created FROM pending_jobs"
                                          " ORDER BY created, rowid", "");
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 2));

      request = horde_image_generate_async_request_new_from_json ((const char *) sqlite3_column_text (stmt, 1),
                                                                  -1, &local_error);
      if (request == NULL)
        g_warning ("Skipping the recorded job %s: %s", id, local_error->message);
      else
        g_ptr_array_add (jobs, horde_studio_pending_job_new (id, request, created));
    }
  if (rc != SQLITE_DONE)
    {
      horde_studio_gallery_db_error (self->db, error);
      return NULL;
    }

  return g_steal_pointer (&jobs);
}

/**
 * horde_studio_gallery_export_png:
 * @item: a #HordeStudioGalleryItem
 * @filename: (type filename): where to write
 * @error: return location for a #GError
 *
 * Writes the image of @item as a PNG that carries its parameters: a
 * `parameters` text chunk in the format of common Stable Diffusion tools
 * (`PROMPT`, `Negative prompt: …`, then `Steps: 30, Sampler: k_euler_a,
 * CFG scale: 7.5, Seed: 42, Size: 512x768, Model: …`), and a `horde`
 * chunk holding `{"request": …, "generation": …}` as JSON. Texts that
 * fit in Latin-1 go in tEXt chunks, others in UTF-8 iTXt chunks.
 *
 * The file is written to a temporary name in the same folder and renamed,
 * so @filename never holds a partial image. This decodes and encodes the
 * whole image: call it from a worker thread for large images.
 *
 * Returns: %TRUE on success
 */
gboolean
horde_studio_gallery_export_png (HordeStudioGalleryItem  *item,
                                 const char              *filename,
                                 GError                 **error)
{
  g_autofree char *parameters = NULL;
  g_autofree char *horde = NULL;
  const char *generation;

  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (item), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  generation = horde_studio_gallery_item_get_generation_json (item);
  parameters = horde_studio_gallery_item_dup_parameters (item);
  horde = g_strdup_printf ("{\"request\":%s,\"generation\":%s}",
                           horde_studio_gallery_item_get_request_json (item),
                           generation ? generation : "null");

  return horde_studio_gallery_files_export_png (horde_studio_gallery_item_get_path (item),
                                                parameters, horde, filename, error);
}

/*
 * Calls @hook between writing an image's files and inserting its row, in
 * the gallery's thread: a test can crash the process there.
 */
void
horde_studio_gallery_set_files_written_hook (HordeStudioGalleryFilesWrittenHook hook,
                                             gpointer                           user_data)
{
  files_written_hook = hook;
  files_written_hook_data = user_data;
}

typedef struct {
  HordeStudioGallery *self;
  HordeStudioGalleryItem *item;
  guint n_rows;
} AddRows;

static gboolean
add_rows_in_transaction (sqlite3   *db,
                         gpointer   user_data,
                         GError   **error)
{
  AddRows *rows = user_data;

  for (guint i = 0; i < rows->n_rows; i++)
    if (!insert_item (rows->self, rows->item, error))
      return FALSE;

  return TRUE;
}

/*
 * Adds @n_rows rows for one image, written once, in one transaction, and
 * reloads the list: a quick way to make a large gallery.
 */
gboolean
horde_studio_gallery_add_rows_for_testing (HordeStudioGallery              *self,
                                           GBytes                          *image,
                                           HordeImageGenerateAsyncRequest  *request,
                                           HordeGenerationStable           *generation,
                                           guint                            n_rows,
                                           GError                         **error)
{
  g_autoptr(AddData) data = add_data_new (self, image, request, generation, "bulk", 0.0);
  AddRows rows = { self, data->item, n_rows };

  return add_data_write_files (data, NULL, error) &&
         horde_studio_gallery_db_transaction (self->db, add_rows_in_transaction, &rows, error) &&
         load_ids (self, error);
}

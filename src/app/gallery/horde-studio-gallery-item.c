/* horde-studio-gallery-item.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "horde-studio-gallery-item-private.h"

/**
 * HordeStudioGalleryItem:
 *
 * One image of a [class@HordeStudio.Gallery]: where its file and thumbnail
 * are, and the parameters that made it.
 *
 * Items are read-only; only [property@HordeStudio.GalleryItem:favourite]
 * changes, through [method@HordeStudio.Gallery.set_favourite], and
 * [property@HordeStudio.GalleryItem:kudos], through
 * [method@HordeStudio.Gallery.set_kudos] once the request's charge is
 * final, and they notify.
 * The gallery hands out one item per image at a time, so a binding to an
 * item sees that change wherever the item is shown.
 */

struct _HordeStudioGalleryItem
{
  GObject parent_instance;

  gint64 id;
  char *path;
  char *thumbnail_path;
  char *prompt;
  char *negative_prompt;
  char *model;
  char *seed;
  int width;
  int height;
  int steps;
  char *sampler;
  double cfg_scale;
  char *worker_id;
  char *worker_name;
  double kudos;
  char *job_id;
  GDateTime *created;
  gboolean favourite;
  char *request_json;
  char *generation_json;
  gint64 parent_id;
  char *parent_name;
  char *form;
};

G_DEFINE_FINAL_TYPE (HordeStudioGalleryItem, horde_studio_gallery_item, G_TYPE_OBJECT)

typedef enum {
  KIND_INT64,
  KIND_INT,
  KIND_DOUBLE,
  KIND_BOOLEAN,
  KIND_STRING,
  KIND_FILE,      /* a file name in the column, an absolute path in the item */
  KIND_DATE_TIME, /* unix time in the column */
  KIND_ROW_ID,    /* a gint64 id of another row, 0 for SQL NULL: none */
} FieldKind;

/* One row of the images table, one member of the item, one property. */
typedef struct {
  const char *property;
  const char *column;
  FieldKind kind;
  gsize offset;
  const char *folder; /* KIND_FILE: the gallery folder holding the file */
} Field;

#define FIELD(property, column, kind, member) \
  { property, column, kind, G_STRUCT_OFFSET (HordeStudioGalleryItem, member), NULL }
#define FILE_FIELD(property, column, member, folder) \
  { property, column, KIND_FILE, G_STRUCT_OFFSET (HordeStudioGalleryItem, member), folder }

static const Field fields[] = {
  /**
   * HordeStudioGalleryItem:id:
   *
   * The image's row id in the gallery index.
   */
  FIELD ("id", "id", KIND_INT64, id),
  /**
   * HordeStudioGalleryItem:path:
   *
   * The absolute path of the image file, as the Horde sent it (WebP,
   * usually).
   */
  FILE_FIELD ("path", "file", path, "images"),
  /**
   * HordeStudioGalleryItem:thumbnail-path:
   *
   * The absolute path of a PNG or JPEG thumbnail, 256 pixels on its
   * longest side at most.
   */
  FILE_FIELD ("thumbnail-path", "thumbnail", thumbnail_path, "thumbnails"),
  /**
   * HordeStudioGalleryItem:prompt:
   *
   * The prompt, without its negative part.
   */
  FIELD ("prompt", "prompt", KIND_STRING, prompt),
  /**
   * HordeStudioGalleryItem:negative-prompt:
   *
   * What followed `###` in the request's prompt (the Horde's convention
   * for a negative prompt), or %NULL.
   */
  FIELD ("negative-prompt", "negative_prompt", KIND_STRING, negative_prompt),
  /**
   * HordeStudioGalleryItem:model:
   *
   * The model that made the image, or else the first requested one.
   */
  FIELD ("model", "model", KIND_STRING, model),
  /**
   * HordeStudioGalleryItem:seed:
   *
   * The seed that made the image (a string: the Horde takes any text).
   */
  FIELD ("seed", "seed", KIND_STRING, seed),
  /**
   * HordeStudioGalleryItem:width:
   *
   * The requested width in pixels (post-processing may have enlarged the
   * image itself).
   */
  FIELD ("width", "width", KIND_INT, width),
  /**
   * HordeStudioGalleryItem:height:
   *
   * The requested height in pixels.
   */
  FIELD ("height", "height", KIND_INT, height),
  /**
   * HordeStudioGalleryItem:steps:
   *
   * The number of sampling steps.
   */
  FIELD ("steps", "steps", KIND_INT, steps),
  /**
   * HordeStudioGalleryItem:sampler:
   *
   * The sampler, such as `k_euler_a`.
   */
  FIELD ("sampler", "sampler", KIND_STRING, sampler),
  /**
   * HordeStudioGalleryItem:cfg-scale:
   *
   * The classifier-free guidance scale.
   */
  FIELD ("cfg-scale", "cfg_scale", KIND_DOUBLE, cfg_scale),
  /**
   * HordeStudioGalleryItem:worker-id:
   *
   * The id of the worker that made the image, or %NULL.
   */
  FIELD ("worker-id", "worker_id", KIND_STRING, worker_id),
  /**
   * HordeStudioGalleryItem:worker-name:
   *
   * The name of the worker that made the image, or %NULL.
   */
  FIELD ("worker-name", "worker_name", KIND_STRING, worker_name),
  /**
   * HordeStudioGalleryItem:kudos:
   *
   * This image's share of what its request cost: the request's charge
   * over the images it brought.
   */
  FIELD ("kudos", "kudos", KIND_DOUBLE, kudos),
  /**
   * HordeStudioGalleryItem:job-id:
   *
   * The id of the server request that made the image, or %NULL.
   */
  FIELD ("job-id", "job_id", KIND_STRING, job_id),
  /**
   * HordeStudioGalleryItem:created:
   *
   * When the image was added to the gallery, to the second, in local time.
   */
  FIELD ("created", "created", KIND_DATE_TIME, created),
  /**
   * HordeStudioGalleryItem:favourite:
   *
   * Whether the user marked the image as a favourite.
   */
  FIELD ("favourite", "favourite", KIND_BOOLEAN, favourite),
  /**
   * HordeStudioGalleryItem:request-json:
   *
   * The request that made the image, as JSON (without the API key).
   */
  FIELD ("request-json", "request_json", KIND_STRING, request_json),
  /**
   * HordeStudioGalleryItem:generation-json:
   *
   * What the Horde said of the image (a `GenerationStable`), as JSON, or
   * %NULL.
   */
  FIELD ("generation-json", "generation_json", KIND_STRING, generation_json),
  /**
   * HordeStudioGalleryItem:parent-id:
   *
   * For an image an alchemy form made from another image of the gallery,
   * the id of that image; 0 otherwise.
   */
  FIELD ("parent-id", "parent_id", KIND_ROW_ID, parent_id),
  /**
   * HordeStudioGalleryItem:parent-name:
   *
   * For an image an alchemy form made from a file that was not in the
   * gallery, the file's name (for display); %NULL otherwise.
   */
  FIELD ("parent-name", "parent_name", KIND_STRING, parent_name),
  /**
   * HordeStudioGalleryItem:form:
   *
   * The alchemy form (a [enum@Horde.AlchemyForm]'s name, such as
   * `RealESRGAN_x4plus`) that made the image from its parent, or %NULL
   * for a generated image.
   */
  FIELD ("form", "form", KIND_STRING, form),
};

static GParamSpec *properties [G_N_ELEMENTS (fields) + 1];
static GParamSpec *favourite_pspec;
static GParamSpec *kudos_pspec;

static void
horde_studio_gallery_item_finalize (GObject *object)
{
  HordeStudioGalleryItem *self = (HordeStudioGalleryItem *)object;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gpointer member = G_STRUCT_MEMBER_P (self, fields[i].offset);

      if (fields[i].kind == KIND_STRING || fields[i].kind == KIND_FILE)
        g_clear_pointer ((char **) member, g_free);
      else if (fields[i].kind == KIND_DATE_TIME)
        g_clear_pointer ((GDateTime **) member, g_date_time_unref);
    }

  G_OBJECT_CLASS (horde_studio_gallery_item_parent_class)->finalize (object);
}

static void
horde_studio_gallery_item_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HordeStudioGalleryItem *self = HORDE_STUDIO_GALLERY_ITEM (object);
  const Field *field;
  gpointer member;

  if (prop_id == 0 || prop_id > G_N_ELEMENTS (fields))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  field = &fields[prop_id - 1];
  member = G_STRUCT_MEMBER_P (self, field->offset);

  switch (field->kind)
    {
    case KIND_INT64:
    case KIND_ROW_ID:
      g_value_set_int64 (value, *(gint64 *) member);
      break;
    case KIND_INT:
      g_value_set_int (value, *(int *) member);
      break;
    case KIND_DOUBLE:
      g_value_set_double (value, *(double *) member);
      break;
    case KIND_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) member);
      break;
    case KIND_STRING:
    case KIND_FILE:
      g_value_set_string (value, *(char **) member);
      break;
    case KIND_DATE_TIME:
      g_value_set_boxed (value, *(GDateTime **) member);
      break;
    default:
      g_assert_not_reached ();
    }
}

static GParamSpec *
param_spec_for_field (const Field *field)
{
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const char *name = field->property;

  switch (field->kind)
    {
    case KIND_INT64:
    case KIND_ROW_ID:
      return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, flags);
    case KIND_INT:
      return g_param_spec_int (name, NULL, NULL, 0, G_MAXINT, 0, flags);
    case KIND_DOUBLE:
      return g_param_spec_double (name, NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, flags);
    case KIND_BOOLEAN:
      return g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
    case KIND_STRING:
    case KIND_FILE:
      return g_param_spec_string (name, NULL, NULL, NULL, flags);
    case KIND_DATE_TIME:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME, flags);
    default:
      g_assert_not_reached ();
    }
}

static void
horde_studio_gallery_item_class_init (HordeStudioGalleryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = horde_studio_gallery_item_finalize;
  object_class->get_property = horde_studio_gallery_item_get_property;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    properties[i + 1] = param_spec_for_field (&fields[i]);

  g_object_class_install_properties (object_class, G_N_ELEMENTS (properties), properties);
  favourite_pspec = g_object_class_find_property (object_class, "favourite");
  kudos_pspec = g_object_class_find_property (object_class, "kudos");
}

static void
horde_studio_gallery_item_init (HordeStudioGalleryItem *self)
{
}

/*
 * The SQL that loads one item by id (?1), its columns in the order of
 * fields[], and the SQL that inserts one, binding fields[1…] then the
 * search key.
 */
const char *
horde_studio_gallery_item_get_select_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      GString *s = g_string_new ("SELECT ");

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        g_string_append_printf (s, "%s%s", i ? ", " : "", fields[i].column);
      g_string_append (s, " FROM images WHERE id = ?1");
      g_once_init_leave (&sql, g_string_free (s, FALSE));
    }

  return sql;
}

const char *
horde_studio_gallery_item_get_insert_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      GString *s = g_string_new ("INSERT INTO images (");

      for (guint i = 1; i < G_N_ELEMENTS (fields); i++)
        g_string_append_printf (s, "%s, ", fields[i].column);
      g_string_append (s, "search) VALUES (");
      for (guint i = 1; i < G_N_ELEMENTS (fields); i++)
        g_string_append_printf (s, "?%u, ", i);
      g_string_append_printf (s, "?%u)", (guint) G_N_ELEMENTS (fields));
      g_once_init_leave (&sql, g_string_free (s, FALSE));
    }

  return sql;
}

/*
 * The text that the gallery filter compares: Unicode-normalized and
 * case-folded, so that "STRASSE" finds "Straße".
 */
char *
horde_studio_gallery_fold (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *normal = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normal, -1);
}

/*
 * Binds the insert statement of horde_studio_gallery_item_get_insert_sql().
 */
gboolean
horde_studio_gallery_item_bind (HordeStudioGalleryItem *self,
                                sqlite3_stmt           *stmt)
{
  g_autofree char *prompt = horde_studio_gallery_fold (self->prompt);
  g_autofree char *model = horde_studio_gallery_fold (self->model);
  g_autofree char *search = g_strconcat (prompt, "\n", model, NULL);
  guint i;

  for (i = 1; i < G_N_ELEMENTS (fields); i++)
    {
      gconstpointer member = G_STRUCT_MEMBER_P (self, fields[i].offset);
      g_autofree char *basename = NULL;
      int rc;

      switch (fields[i].kind)
        {
        case KIND_INT64:
          rc = sqlite3_bind_int64 (stmt, i, *(const gint64 *) member);
          break;
        case KIND_ROW_ID:
          if (*(const gint64 *) member > 0)
            rc = sqlite3_bind_int64 (stmt, i, *(const gint64 *) member);
          else
            rc = sqlite3_bind_null (stmt, i);
          break;
        case KIND_INT:
        case KIND_BOOLEAN:
          rc = sqlite3_bind_int (stmt, i, *(const int *) member);
          break;
        case KIND_DOUBLE:
          rc = sqlite3_bind_double (stmt, i, *(const double *) member);
          break;
        case KIND_STRING:
          rc = sqlite3_bind_text (stmt, i, *(char * const *) member, -1, SQLITE_TRANSIENT);
          break;
        case KIND_FILE:
          basename = g_path_get_basename (*(char * const *) member);
          rc = sqlite3_bind_text (stmt, i, basename, -1, SQLITE_TRANSIENT);
          break;
        case KIND_DATE_TIME:
          rc = sqlite3_bind_int64 (stmt, i, g_date_time_to_unix (*(GDateTime * const *) member));
          break;
        default:
          g_assert_not_reached ();
        }

      if (rc != SQLITE_OK)
        return FALSE;
    }

  return sqlite3_bind_text (stmt, i, search, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

/*
 * Makes an item of the row that the statement of
 * horde_studio_gallery_item_get_select_sql() stands on.
 */
HordeStudioGalleryItem *
horde_studio_gallery_item_new_from_row (sqlite3_stmt *stmt,
                                        const char   *directory)
{
  HordeStudioGalleryItem *self = g_object_new (HORDE_STUDIO_TYPE_GALLERY_ITEM, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gpointer member = G_STRUCT_MEMBER_P (self, fields[i].offset);
      const char *text = (const char *) sqlite3_column_text (stmt, i);

      switch (fields[i].kind)
        {
        case KIND_INT64:
        case KIND_ROW_ID:
          *(gint64 *) member = sqlite3_column_int64 (stmt, i);
          break;
        case KIND_INT:
        case KIND_BOOLEAN:
          *(int *) member = sqlite3_column_int (stmt, i);
          break;
        case KIND_DOUBLE:
          *(double *) member = sqlite3_column_double (stmt, i);
          break;
        case KIND_STRING:
          *(char **) member = g_strdup (text);
          break;
        case KIND_FILE:
          *(char **) member = g_build_filename (directory, fields[i].folder, text, NULL);
          break;
        case KIND_DATE_TIME:
          *(GDateTime **) member = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, i));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  self->favourite = self->favourite != 0;
  return self;
}

/*
 * Makes an item, not yet stored, for an image that @request made.
 * The files and id are set once they exist.
 */
HordeStudioGalleryItem *
horde_studio_gallery_item_new_for_image (HordeImageGenerateAsyncRequest *request,
                                         HordeGenerationStable          *generation,
                                         const char                     *job_id,
                                         double                          kudos)
{
  HordeStudioGalleryItem *self = g_object_new (HORDE_STUDIO_TYPE_GALLERY_ITEM, NULL);
  g_autoptr(HordeModelGenerationInputStable) defaults = NULL;
  HordeModelGenerationInputStable *params = horde_image_generate_async_request_get_params (request);
  const char * const *models = horde_image_generate_async_request_get_models (request);
  const char *prompt = horde_image_generate_async_request_get_prompt (request);
  const char *separator = prompt ? strstr (prompt, "###") : NULL;
  const char *model = generation ? horde_generation_stable_get_model (generation) : NULL;
  const char *seed = generation ? horde_generation_stable_get_seed (generation) : NULL;

  if (params == NULL)
    params = defaults = horde_model_generation_input_stable_new_from_json ("{}", -1, NULL);

  if (separator != NULL)
    {
      self->prompt = g_strstrip (g_strndup (prompt, separator - prompt));
      self->negative_prompt = g_strstrip (g_strdup (separator + 3));
      if (self->negative_prompt[0] == '\0')
        g_clear_pointer (&self->negative_prompt, g_free);
    }
  else
    self->prompt = g_strdup (prompt ? prompt : "");

  if (model == NULL && models != NULL)
    model = models[0];
  if (seed == NULL)
    seed = horde_model_generation_input_stable_get_seed (params);

  self->model = g_strdup (model);
  self->seed = g_strdup (seed);
  self->width = (int) horde_model_generation_input_stable_get_width (params);
  self->height = (int) horde_model_generation_input_stable_get_height (params);
  self->steps = (int) horde_model_generation_input_stable_get_steps (params);
  self->sampler = g_strdup (horde_model_generation_input_stable_get_sampler_name (params));
  if (self->sampler == NULL)
    self->sampler = g_strdup (HORDE_STUDIO_DEFAULT_SAMPLER);
  self->cfg_scale = horde_model_generation_input_stable_get_cfg_scale (params);
  if (generation != NULL)
    {
      self->worker_id = g_strdup (horde_generation_stable_get_worker_id (generation));
      self->worker_name = g_strdup (horde_generation_stable_get_worker_name (generation));
      self->generation_json = horde_generation_stable_to_json (generation);
    }
  self->kudos = kudos;
  self->job_id = g_strdup (job_id);
  self->created = g_date_time_new_from_unix_local (g_get_real_time () / G_USEC_PER_SEC);
  self->request_json = horde_image_generate_async_request_to_json (request);

  return self;
}

/*
 * Marks an item not yet stored as made from another image by an alchemy
 * @form: @parent_id, a gallery id (0 for none), or @parent_name, the name
 * of a file outside the gallery; @width × @height is the image's own size.
 */
void
horde_studio_gallery_item_set_lineage (HordeStudioGalleryItem *self,
                                       gint64                  parent_id,
                                       const char             *parent_name,
                                       const char             *form,
                                       int                     width,
                                       int                     height)
{
  self->parent_id = MAX (parent_id, 0);
  g_free (self->parent_name);
  self->parent_name = g_strdup (parent_name);
  g_free (self->form);
  self->form = g_strdup (form);
  self->width = width;
  self->height = height;
}

void
horde_studio_gallery_item_set_files (HordeStudioGalleryItem *self,
                                     const char             *path,
                                     const char             *thumbnail_path)
{
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->thumbnail_path);
  self->thumbnail_path = g_strdup (thumbnail_path);
}

void
horde_studio_gallery_item_set_id (HordeStudioGalleryItem *self,
                                  gint64                  id)
{
  self->id = id;
}

void
horde_studio_gallery_item_set_favourite (HordeStudioGalleryItem *self,
                                         gboolean                favourite)
{
  favourite = !!favourite;
  if (self->favourite == favourite)
    return;

  self->favourite = favourite;
  g_object_notify_by_pspec (G_OBJECT (self), favourite_pspec);
}

void
horde_studio_gallery_item_set_kudos (HordeStudioGalleryItem *self,
                                     double                  kudos)
{
  if (self->kudos == kudos)
    return;

  self->kudos = kudos;
  g_object_notify_by_pspec (G_OBJECT (self), kudos_pspec);
}

/*
 * The parameters in the common "parameters" text of Stable Diffusion
 * tools (AUTOMATIC1111's):
 *
 *   PROMPT
 *   Negative prompt: NEGATIVE
 *   Steps: 30, Sampler: k_euler_a, CFG scale: 7.5, Seed: 42, Size: 512x768, Model: M
 *
 * The negative line, seed and model are left out when unknown.
 */
char *
horde_studio_gallery_item_dup_parameters (HordeStudioGalleryItem *self)
{
  GString *text = g_string_new (self->prompt);
  char cfg_scale[G_ASCII_DTOSTR_BUF_SIZE];

  if (self->negative_prompt != NULL)
    g_string_append_printf (text, "\nNegative prompt: %s", self->negative_prompt);

  g_string_append_printf (text, "\nSteps: %d, Sampler: %s, CFG scale: %s",
                          self->steps, self->sampler ? self->sampler : HORDE_STUDIO_DEFAULT_SAMPLER,
                          g_ascii_formatd (cfg_scale, sizeof cfg_scale, "%g", self->cfg_scale));
  if (self->seed != NULL)
    g_string_append_printf (text, ", Seed: %s", self->seed);
  g_string_append_printf (text, ", Size: %dx%d", self->width, self->height);
  if (self->model != NULL)
    g_string_append_printf (text, ", Model: %s", self->model);

  return g_string_free (text, FALSE);
}

/**
 * horde_studio_gallery_item_get_id:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:id].
 *
 * Returns: the image's row id in the gallery index
 */
gint64
horde_studio_gallery_item_get_id (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0);
  return self->id;
}

/**
 * horde_studio_gallery_item_get_path:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:path].
 *
 * Returns: (type filename): the absolute path of the image file
 */
const char *
horde_studio_gallery_item_get_path (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->path;
}

/**
 * horde_studio_gallery_item_get_thumbnail_path:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:thumbnail-path].
 *
 * Returns: (type filename): the absolute path of the thumbnail file
 */
const char *
horde_studio_gallery_item_get_thumbnail_path (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->thumbnail_path;
}

/**
 * horde_studio_gallery_item_get_prompt:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:prompt].
 *
 * Returns: the prompt, without its negative part
 */
const char *
horde_studio_gallery_item_get_prompt (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->prompt;
}

/**
 * horde_studio_gallery_item_get_negative_prompt:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:negative-prompt].
 *
 * Returns: (nullable): the negative prompt
 */
const char *
horde_studio_gallery_item_get_negative_prompt (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->negative_prompt;
}

/**
 * horde_studio_gallery_item_get_model:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:model].
 *
 * Returns: (nullable): the model that made the image
 */
const char *
horde_studio_gallery_item_get_model (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->model;
}

/**
 * horde_studio_gallery_item_get_seed:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:seed].
 *
 * Returns: (nullable): the seed that made the image
 */
const char *
horde_studio_gallery_item_get_seed (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->seed;
}

/**
 * horde_studio_gallery_item_get_width:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:width].
 *
 * Returns: the requested width in pixels
 */
int
horde_studio_gallery_item_get_width (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0);
  return self->width;
}

/**
 * horde_studio_gallery_item_get_height:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:height].
 *
 * Returns: the requested height in pixels
 */
int
horde_studio_gallery_item_get_height (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0);
  return self->height;
}

/**
 * horde_studio_gallery_item_get_steps:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:steps].
 *
 * Returns: the number of sampling steps
 */
int
horde_studio_gallery_item_get_steps (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0);
  return self->steps;
}

/**
 * horde_studio_gallery_item_get_sampler:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:sampler].
 *
 * Returns: (nullable): the sampler
 */
const char *
horde_studio_gallery_item_get_sampler (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->sampler;
}

/**
 * horde_studio_gallery_item_get_cfg_scale:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:cfg-scale].
 *
 * Returns: the classifier-free guidance scale
 */
double
horde_studio_gallery_item_get_cfg_scale (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0.0);
  return self->cfg_scale;
}

/**
 * horde_studio_gallery_item_get_worker_id:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:worker-id].
 *
 * Returns: (nullable): the id of the worker that made the image
 */
const char *
horde_studio_gallery_item_get_worker_id (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->worker_id;
}

/**
 * horde_studio_gallery_item_get_worker_name:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:worker-name].
 *
 * Returns: (nullable): the name of the worker that made the image
 */
const char *
horde_studio_gallery_item_get_worker_name (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->worker_name;
}

/**
 * horde_studio_gallery_item_get_kudos:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:kudos].
 *
 * Returns: the kudos the request cost
 */
double
horde_studio_gallery_item_get_kudos (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0.0);
  return self->kudos;
}

/**
 * horde_studio_gallery_item_get_job_id:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:job-id].
 *
 * Returns: (nullable): the id of the server request that made the image
 */
const char *
horde_studio_gallery_item_get_job_id (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->job_id;
}

/**
 * horde_studio_gallery_item_get_created:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:created].
 *
 * Returns: (transfer none): when the image was added
 */
GDateTime *
horde_studio_gallery_item_get_created (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->created;
}

/**
 * horde_studio_gallery_item_get_favourite:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:favourite].
 *
 * Returns: whether the image is a favourite
 */
gboolean
horde_studio_gallery_item_get_favourite (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), FALSE);
  return self->favourite;
}

/**
 * horde_studio_gallery_item_get_request_json:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:request-json].
 *
 * Returns: the request that made the image, as JSON
 */
const char *
horde_studio_gallery_item_get_request_json (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->request_json;
}

/**
 * horde_studio_gallery_item_get_parent_id:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:parent-id].
 *
 * Returns: the id of the image this one was made from, or 0
 */
gint64
horde_studio_gallery_item_get_parent_id (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), 0);
  return self->parent_id;
}

/**
 * horde_studio_gallery_item_get_parent_name:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:parent-name].
 *
 * Returns: (nullable): the name of the file this image was made from
 */
const char *
horde_studio_gallery_item_get_parent_name (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->parent_name;
}

/**
 * horde_studio_gallery_item_get_form:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:form].
 *
 * Returns: (nullable): the alchemy form that made the image
 */
const char *
horde_studio_gallery_item_get_form (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->form;
}

/**
 * horde_studio_gallery_item_get_generation_json:
 * @self: a #HordeStudioGalleryItem
 *
 * Gets [property@HordeStudio.GalleryItem:generation-json].
 *
 * Returns: (nullable): what the Horde said of the image, as JSON
 */
const char *
horde_studio_gallery_item_get_generation_json (HordeStudioGalleryItem *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return self->generation_json;
}

/**
 * horde_studio_gallery_item_dup_request:
 * @self: a #HordeStudioGalleryItem
 * @error: return location for a #GError
 *
 * Parses the stored request again, to send it again or to start a new one
 * from its parameters. The API key was not stored: set it before sending.
 *
 * Returns: (transfer full): the request that made the image, or %NULL
 *   if the stored JSON no longer parses
 */
HordeImageGenerateAsyncRequest *
horde_studio_gallery_item_dup_request (HordeStudioGalleryItem  *self,
                                       GError                 **error)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_GALLERY_ITEM (self), NULL);
  return horde_image_generate_async_request_new_from_json (self->request_json, -1, error);
}

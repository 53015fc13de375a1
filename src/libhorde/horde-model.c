/* horde-model.c: parse, serialize, compare, validate and build any model
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "horde-error-private.h"
#include "horde-json-private.h"
#include "horde-model-infos-private.h"

#define FIELD_BIT(i) HORDE_MODEL_FIELD_BIT (i)
#define FIELD_PTR(m, f) HORDE_MODEL_FIELD_PTR (m, f)

static inline const HordeFieldInfo *
field_at (const HordeModel *m,
          guint             i)
{
  return &m->info->fields[i];
}

void
horde_model_field_clear (HordeModel *m,
                         guint       i)
{
  const HordeFieldInfo *f = field_at (m, i);
  gpointer p = FIELD_PTR (m, f);

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      g_clear_pointer ((char **) p, g_free);
      break;
    case HORDE_FIELD_BOOLEAN:
      *(gboolean *) p = FALSE;
      break;
    case HORDE_FIELD_INT:
      *(gint64 *) p = 0;
      break;
    case HORDE_FIELD_DOUBLE:
      *(double *) p = 0.0;
      break;
    case HORDE_FIELD_MODEL:
      g_clear_pointer ((gpointer *) p, horde_model_unref);
      break;
    case HORDE_FIELD_STRV:
      g_clear_pointer ((char ***) p, g_strfreev);
      break;
    case HORDE_FIELD_INT_ARRAY:
      g_clear_pointer ((GArray **) p, g_array_unref);
      break;
    case HORDE_FIELD_MODEL_ARRAY:
      g_clear_pointer ((GPtrArray **) p, g_ptr_array_unref);
      break;
    case HORDE_FIELD_JSON:
      g_clear_pointer ((JsonNode **) p, json_node_unref);
      break;
    default:
      g_assert_not_reached ();
    }

  m->set &= ~FIELD_BIT (i);
  m->numeric &= ~FIELD_BIT (i);
}

gpointer
horde_model_new (const HordeModelInfo *info)
{
  HordeModel *m = g_malloc0 (info->instance_size);

  g_atomic_ref_count_init (&m->ref_count);
  m->info = info;

  return m;
}

gpointer
horde_model_ref (gpointer model)
{
  HordeModel *m = model;

  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref_count);

  return m;
}

void
horde_model_unref (gpointer model)
{
  HordeModel *m = model;

  g_return_if_fail (m != NULL);

  if (!g_atomic_ref_count_dec (&m->ref_count))
    return;

  for (guint i = 0; i < m->info->n_fields; i++)
    if (m->set & FIELD_BIT (i))
      horde_model_field_clear (m, i);
  g_clear_pointer (&m->extra, json_object_unref);
  g_free (m);
}

gboolean
horde_model_field_is_set (gconstpointer model,
                          guint         field)
{
  return HORDE_MODEL_FIELD_IS_SET (model, field);
}

GPtrArray *
horde_model_array_new (guint reserved)
{
  return g_ptr_array_new_full (reserved, horde_model_unref);
}

static JsonObject *
extra_copy (JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonObject *copy;

  if (extra == NULL)
    return NULL;

  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, extra);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));

  return copy;
}

/* A writable copy for a builder: strings and containers are duplicated,
 * nested models and JSON nodes are immutable and only referenced. */
static HordeModel *
model_copy (const HordeModel *src)
{
  HordeModel *dst = horde_model_new (src->info);

  for (guint i = 0; i < src->info->n_fields; i++)
    {
      const HordeFieldInfo *f = field_at (src, i);
      gconstpointer sp = FIELD_PTR (src, f);
      gpointer dp = FIELD_PTR (dst, f);

      if (!(src->set & FIELD_BIT (i)))
        continue;

      switch ((HordeFieldKind) f->kind)
        {
        case HORDE_FIELD_STRING:
          *(char **) dp = g_strdup (*(char * const *) sp);
          break;
        case HORDE_FIELD_BOOLEAN:
          *(gboolean *) dp = *(const gboolean *) sp;
          break;
        case HORDE_FIELD_INT:
          *(gint64 *) dp = *(const gint64 *) sp;
          break;
        case HORDE_FIELD_DOUBLE:
          *(double *) dp = *(const double *) sp;
          break;
        case HORDE_FIELD_MODEL:
          *(gpointer *) dp = horde_model_ref (*(gpointer const *) sp);
          break;
        case HORDE_FIELD_STRV:
          *(char ***) dp = g_strdupv (*(char ** const *) sp);
          break;
        case HORDE_FIELD_INT_ARRAY:
          *(GArray **) dp = g_array_copy (*(GArray * const *) sp);
          break;
        case HORDE_FIELD_MODEL_ARRAY:
          {
            GPtrArray *from = *(GPtrArray * const *) sp;
            GPtrArray *to = horde_model_array_new (from->len);

            for (guint j = 0; j < from->len; j++)
              g_ptr_array_add (to, horde_model_ref (from->pdata[j]));
            *(GPtrArray **) dp = to;
          }
          break;
        case HORDE_FIELD_JSON:
          *(JsonNode **) dp = json_node_ref (*(JsonNode * const *) sp);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  dst->set = src->set;
  dst->numeric = src->numeric;
  dst->extra = extra_copy (src->extra);

  return dst;
}

const HordeFieldInfo *
horde_model_info_find_field (const HordeModelInfo *info,
                             const char           *json_name)
{
  guint lo = 0, hi = info->n_fields;

  if (info->is_list)
    return NULL;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const HordeFieldInfo *f = &info->fields[info->sorted[mid]];
      int cmp = strcmp (json_name, f->json_name);

      if (cmp == 0)
        return f;
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }

  return NULL;
}

/* -------------------------------------------------------------------------
 * JSON in
 *
 * One reader for text and nodes (horde-model-reader.c), so that there is
 * one set of rules for what fits a field: a node is written out and read.
 * The rules are lenient by design: the server adds fields and sometimes
 * sends a value of another type than it documents (a number for a string
 * seed, null for an unset id). Nothing of that fails a parse: a value that
 * does not fit its field is kept, as it came, among the extra members, and
 * goes back out on serialization.
 */

void
horde_model_extra_set (HordeModel *m,
                       const char *name,
                       JsonNode   *node)
{
  if (m->extra == NULL)
    m->extra = json_object_new ();
  json_object_set_member (m->extra, name, node);
}

gpointer
horde_model_new_from_json_node (const HordeModelInfo  *info,
                                JsonNode              *node,
                                GError               **error)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* a tree that cannot be JSON (NaN, text that is not UTF-8) is refused
   * as text holding it would be */
  text = g_string_new (NULL);
  if (horde_json_check (node, HORDE_JSON_MAX_DEPTH, text) != HORDE_JSON_OK)
    {
      g_propagate_error (error, horde_json_check_error (node));
      return NULL;
    }

  g_string_truncate (text, 0);
  horde_json_write_node (text, node);
  return horde_model_read (info, text->str, text->len, error);
}

gpointer
horde_model_new_from_json (const HordeModelInfo  *info,
                           const char            *data,
                           gssize                 length,
                           GError               **error)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return horde_model_read (info, data, length < 0 ? strlen (data) : (gsize) length, error);
}

/* -------------------------------------------------------------------------
 * JSON out
 */

static JsonNode *
take_array (JsonNode  *node,
            JsonArray *array)
{
  json_node_init_array (node, array);
  json_array_unref (array);
  return node;
}

static JsonNode *
field_to_node (const HordeModel *m,
               guint             i)
{
  const HordeFieldInfo *f = field_at (m, i);
  gconstpointer p = FIELD_PTR (m, f);
  JsonNode *node = json_node_alloc ();

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      {
        const char *s = *(char * const *) p;
        gint64 iv;
        char *end = NULL;

        /* A number the server sent for a string goes back as a number
         * when a node can hold it as it is: its text is what an int64 or
         * a double writes. Else (a seed of 45 digits, "-0") as a string:
         * the same value to horde_model_equal(), which would not be true
         * of the number a node makes of it. */
        if (m->numeric & FIELD_BIT (i))
          {
            char buf[HORDE_JSON_DOUBLE_BUF_SIZE];
            double dv;

            if (g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &iv, NULL))
              {
                g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, iv);
                if (g_str_equal (buf, s))
                  return json_node_init_int (node, iv);
              }
            dv = g_ascii_strtod (s, &end);
            if (end != s && *end == '\0' && isfinite (dv) &&
                horde_json_format_double (buf, dv) > 0 && g_str_equal (buf, s))
              return json_node_init_double (node, dv);
          }
        return json_node_init_string (node, s);
      }
    case HORDE_FIELD_BOOLEAN:
      return json_node_init_boolean (node, *(const gboolean *) p);
    case HORDE_FIELD_INT:
      return json_node_init_int (node, *(const gint64 *) p);
    case HORDE_FIELD_DOUBLE:
      return json_node_init_double (node, *(const double *) p);
    case HORDE_FIELD_MODEL:
      json_node_unref (node);
      return horde_model_to_json_node (*(gconstpointer const *) p);
    case HORDE_FIELD_STRV:
      {
        char * const *strv = *(char ** const *) p;
        JsonArray *array = json_array_sized_new (g_strv_length ((char **) strv));

        for (guint j = 0; strv[j]; j++)
          json_array_add_string_element (array, strv[j]);
        return take_array (node, array);
      }
    case HORDE_FIELD_INT_ARRAY:
      {
        const GArray *ints = *(GArray * const *) p;
        JsonArray *array = json_array_sized_new (ints->len);

        for (guint j = 0; j < ints->len; j++)
          json_array_add_int_element (array, g_array_index (ints, gint64, j));
        return take_array (node, array);
      }
    case HORDE_FIELD_MODEL_ARRAY:
      {
        const GPtrArray *items = *(GPtrArray * const *) p;
        JsonArray *array = json_array_sized_new (items->len);

        for (guint j = 0; j < items->len; j++)
          json_array_add_element (array, horde_model_to_json_node (items->pdata[j]));
        return take_array (node, array);
      }
    case HORDE_FIELD_JSON:
      json_node_unref (node);
      return json_node_copy (*(JsonNode * const *) p);
    default:
      g_assert_not_reached ();
    }
}

JsonNode *
horde_model_to_json_node (gconstpointer model)
{
  const HordeModel *m = model;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (m != NULL, NULL);

  if (m->info->is_list)
    return field_to_node (m, 0);

  object = json_object_new ();
  for (guint i = 0; i < m->info->n_fields; i++)
    {
      const HordeFieldInfo *f = field_at (m, i);

      if ((m->set & FIELD_BIT (i)) && f->location == HORDE_FIELD_LOCATION_BODY)
        json_object_set_member (object, f->json_name, field_to_node (m, i));
    }

  if (m->extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, m->extra);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        if (!json_object_has_member (object, name))
          json_object_set_member (object, name, json_node_copy (node));
    }

  json_node_init_object (node = json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

char *
horde_model_to_json (gconstpointer model)
{
  GString *out = g_string_sized_new (256);

  g_return_val_if_fail (model != NULL, NULL);

  horde_model_write (model, out);
  return g_string_free (out, FALSE);
}

/* -------------------------------------------------------------------------
 * Equality
 */

static gboolean
field_equal (const HordeModel *a,
             const HordeModel *b,
             guint             i)
{
  const HordeFieldInfo *f = field_at (a, i);
  gconstpointer pa = FIELD_PTR (a, f);
  gconstpointer pb = FIELD_PTR (b, f);

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      return g_strcmp0 (*(char * const *) pa, *(char * const *) pb) == 0;
    case HORDE_FIELD_BOOLEAN:
      return !*(const gboolean *) pa == !*(const gboolean *) pb;
    case HORDE_FIELD_INT:
      return *(const gint64 *) pa == *(const gint64 *) pb;
    case HORDE_FIELD_DOUBLE:
      return *(const double *) pa == *(const double *) pb;
    case HORDE_FIELD_MODEL:
      return horde_model_equal (*(gconstpointer const *) pa, *(gconstpointer const *) pb);
    case HORDE_FIELD_STRV:
      return g_strv_equal ((const char * const *) *(char ** const *) pa,
                           (const char * const *) *(char ** const *) pb);
    case HORDE_FIELD_INT_ARRAY:
      {
        const GArray *x = *(GArray * const *) pa, *y = *(GArray * const *) pb;

        /* an empty GArray may have no data: memcmp() wants pointers even
         * for nothing */
        return x->len == y->len &&
               (x->len == 0 || memcmp (x->data, y->data, x->len * sizeof (gint64)) == 0);
      }
    case HORDE_FIELD_MODEL_ARRAY:
      {
        const GPtrArray *x = *(GPtrArray * const *) pa, *y = *(GPtrArray * const *) pb;

        if (x->len != y->len)
          return FALSE;
        for (guint j = 0; j < x->len; j++)
          if (!horde_model_equal (x->pdata[j], y->pdata[j]))
            return FALSE;
        return TRUE;
      }
    case HORDE_FIELD_JSON:
      return horde_json_equal (*(JsonNode * const *) pa, *(JsonNode * const *) pb);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
extra_equal (JsonObject *a,
             JsonObject *b)
{
  guint na = a ? json_object_get_size (a) : 0;
  guint nb = b ? json_object_get_size (b) : 0;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (na != nb)
    return FALSE;
  if (na == 0)
    return TRUE;

  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *other = json_object_get_member (b, name);

      if (other == NULL || !horde_json_equal (node, other))
        return FALSE;
    }

  return TRUE;
}

gboolean
horde_model_equal (gconstpointer a,
                   gconstpointer b)
{
  const HordeModel *ma = a, *mb = b;

  if (ma == mb)
    return TRUE;
  if (ma == NULL || mb == NULL)
    return FALSE;
  if (ma->info != mb->info || ma->set != mb->set)
    return FALSE;

  for (guint i = 0; i < ma->info->n_fields; i++)
    if ((ma->set & FIELD_BIT (i)) && !field_equal (ma, mb, i))
      return FALSE;

  return extra_equal (ma->extra, mb->extra);
}

/* -------------------------------------------------------------------------
 * Validation
 */

typedef struct {
  GHashTable *problems;     /* path → text */
  GPtrArray *order;         /* paths, in the order found (borrowed from problems) */
} Problems;

/* The "patternText" descriptions of codegen/overrides.json, for xgettext:
 * a new one is added here too. */
G_GNUC_UNUSED static const char * const pattern_texts[] = {
  /* TRANSLATORS: follows "must be" */
  N_("an API key of 10, 22 or 36 characters"),
};

static void G_GNUC_PRINTF (3, 4)
add_problem (Problems   *problems,
             const char *path,
             const char *format,
             ...)
{
  va_list args;
  char *text;
  char *key;

  if (g_hash_table_contains (problems->problems, path))
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  key = g_strdup (path);
  g_hash_table_insert (problems->problems, key, text);
  g_ptr_array_add (problems->order, key);
}

static char *
format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) v);

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
}

G_LOCK_DEFINE_STATIC (patterns);

static gboolean
matches_pattern (const char *pattern,
                 const char *value)
{
  static GHashTable *cache;
  GRegex *regex;

  G_LOCK (patterns);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_regex_unref);
  regex = g_hash_table_lookup (cache, pattern);
  if (regex == NULL)
    {
      regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (regex != NULL);
      g_hash_table_insert (cache, (gpointer) pattern, regex);
    }
  g_regex_ref (regex);
  G_UNLOCK (patterns);

  {
    gboolean ok = g_regex_match (regex, value, 0, NULL);
    g_regex_unref (regex);
    return ok;
  }
}

static void validate_model (const HordeModel *m, const char *prefix, guint depth, Problems *problems);

static void
validate_number (const HordeFieldInfo *f,
                 double                v,
                 const char           *path,
                 Problems             *problems)
{
  g_autofree char *vs = format_number (v);

  if ((f->flags & HORDE_FIELD_HAS_MINIMUM) && v < f->minimum)
    {
      g_autofree char *ms = format_number (f->minimum);
      add_problem (problems, path, _("%s is less than the minimum, %s"), vs, ms);
    }
  else if ((f->flags & HORDE_FIELD_HAS_MAXIMUM) && v > f->maximum)
    {
      g_autofree char *ms = format_number (f->maximum);
      add_problem (problems, path, _("%s is more than the maximum, %s"), vs, ms);
    }
  else if ((f->flags & HORDE_FIELD_HAS_MULTIPLE_OF) && f->multiple_of > 0)
    {
      double q = v / f->multiple_of;

      if (fabs (q - round (q)) > 1e-9)
        {
          g_autofree char *ms = format_number (f->multiple_of);
          add_problem (problems, path, _("%s is not a multiple of %s"), vs, ms);
        }
    }
}

static void
validate_count (const HordeFieldInfo *f,
                guint                 n,
                const char           *path,
                Problems             *problems)
{
  if (f->max_size >= 0 && n > (guint) f->max_size)
    add_problem (problems, path, g_dngettext (GETTEXT_PACKAGE, "has %u item, and at most %d are allowed",
                                              "has %u items, and at most %d are allowed", n), n, f->max_size);
  else if (f->min_size >= 0 && n < (guint) f->min_size)
    add_problem (problems, path, g_dngettext (GETTEXT_PACKAGE, "has %u item, and at least %d are needed",
                                              "has %u items, and at least %d are needed", n), n, f->min_size);
}

static void
validate_strv (const HordeFieldInfo *f,
               char * const         *strv,
               const char           *path,
               Problems             *problems)
{
  guint n = g_strv_length ((char **) strv);

  /* JSON text is UTF-8, and so are the messages below */
  for (guint j = 0; j < n; j++)
    if (!g_utf8_validate (strv[j], -1, NULL))
      {
        add_problem (problems, path, _("is not valid UTF-8"));
        return;
      }

  validate_count (f, n, path, problems);

  if (f->flags & HORDE_FIELD_UNIQUE_ITEMS)
    for (guint j = 0; j < n; j++)
      for (guint k = j + 1; k < n; k++)
        if (g_str_equal (strv[j], strv[k]))
          {
            add_problem (problems, path, _("lists “%s” twice"), strv[j]);
            return;
          }

  if (f->max_matching != NULL)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new ();

      for (guint j = 0; j < n; j++)
        if (g_strv_contains (f->max_matching->values, strv[j]))
          g_ptr_array_add (found, strv[j]);

      if (found->len > f->max_matching->max)
        {
          g_autofree char *list = NULL;

          g_ptr_array_add (found, NULL);
          list = g_strjoinv (", ", (char **) found->pdata);
          add_problem (problems, path, g_dngettext (GETTEXT_PACKAGE, "lists %s together, and at most %u of them is allowed",
                                                    "lists %s together, and at most %u of them are allowed",
                                                    f->max_matching->max),
                       list, f->max_matching->max);
        }
    }
}

/* A value of JSON in a model whose object is @depth levels deep: it must
 * be writable as JSON that the reader reads back (see horde_json_check()) */
static void
validate_json (JsonNode   *node,
               const char *path,
               guint       depth,
               Problems   *problems)
{
  g_autoptr(GString) where = g_string_new (path);

  switch (horde_json_check (node, HORDE_JSON_MAX_DEPTH - MIN (depth, HORDE_JSON_MAX_DEPTH), where))
    {
    case HORDE_JSON_OK:
      break;
    case HORDE_JSON_NOT_FINITE:
      add_problem (problems, where->str, _("is not a finite number"));
      break;
    case HORDE_JSON_NOT_UTF8:
      add_problem (problems, where->str, _("is not valid UTF-8"));
      break;
    case HORDE_JSON_TOO_DEEP:
      /* where it starts: "[0]" 500 times says nothing more */
      add_problem (problems, path, _("nests more than %d levels deep"), HORDE_JSON_MAX_DEPTH);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* @depth: how deep the object of @m is in the JSON text, as the reader
 * counts it (the top object is 1) */
static void
validate_field (const HordeModel *m,
                guint             i,
                const char       *path,
                guint             depth,
                Problems         *problems)
{
  const HordeFieldInfo *f = field_at (m, i);
  gconstpointer p = FIELD_PTR (m, f);

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      {
        const char *s = *(char * const *) p;
        glong len;

        if (!g_utf8_validate (s, -1, NULL))
          {
            add_problem (problems, path, _("is not valid UTF-8"));
            break;
          }
        len = g_utf8_strlen (s, -1);
        if (f->min_size == 1 && len == 0)
          add_problem (problems, path, _("must not be empty"));
        else if (f->min_size >= 0 && len < f->min_size)
          add_problem (problems, path, _("must be at least %d characters long, not %ld"), f->min_size, len);
        else if (f->max_size >= 0 && len > f->max_size)
          add_problem (problems, path, _("must be at most %d characters long, not %ld"), f->max_size, len);
        else if (f->pattern != NULL && !matches_pattern (f->pattern, s))
          {
            if (f->pattern_text != NULL)
              add_problem (problems, path, _("must be %s"), g_dgettext (GETTEXT_PACKAGE, f->pattern_text));
            else
              add_problem (problems, path, _("does not match %s"), f->pattern);
          }
      }
      break;
    case HORDE_FIELD_BOOLEAN:
      break;
    case HORDE_FIELD_INT:
      validate_number (f, (double) *(const gint64 *) p, path, problems);
      break;
    case HORDE_FIELD_DOUBLE:
      if (!isfinite (*(const double *) p))
        add_problem (problems, path, _("is not a finite number"));
      else
        validate_number (f, *(const double *) p, path, problems);
      break;
    case HORDE_FIELD_MODEL:
      validate_model (*(const HordeModel * const *) p, path, depth + 1, problems);
      break;
    case HORDE_FIELD_STRV:
      validate_strv (f, *(char ** const *) p, path, problems);
      break;
    case HORDE_FIELD_INT_ARRAY:
      {
        const GArray *ints = *(GArray * const *) p;

        validate_count (f, ints->len, path, problems);
        if (f->flags & HORDE_FIELD_UNIQUE_ITEMS)
          for (guint j = 0; j < ints->len; j++)
            for (guint k = j + 1; k < ints->len; k++)
              if (g_array_index (ints, gint64, j) == g_array_index (ints, gint64, k))
                add_problem (problems, path, _("lists %lld twice"),
                             (long long) g_array_index (ints, gint64, j));
      }
      break;
    case HORDE_FIELD_MODEL_ARRAY:
      {
        const GPtrArray *items = *(GPtrArray * const *) p;

        validate_count (f, items->len, path, problems);
        for (guint j = 0; j < items->len; j++)
          {
            g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, j);

            /* the array, and the object in it */
            validate_model (items->pdata[j], item_path, depth + 2, problems);
          }
      }
      break;
    case HORDE_FIELD_JSON:
      validate_json (*(JsonNode * const *) p, path, depth, problems);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
validate_model (const HordeModel *m,
                const char       *prefix,
                guint             depth,
                Problems         *problems)
{
  for (guint i = 0; i < m->info->n_fields; i++)
    {
      const HordeFieldInfo *f = field_at (m, i);
      g_autofree char *path = NULL;

      if (m->info->is_list)
        path = g_strdup (prefix);
      else if (*prefix)
        path = g_strconcat (prefix, ".", f->json_name, NULL);
      else
        path = g_strdup (f->json_name);

      if (!(m->set & FIELD_BIT (i)))
        {
          if (f->flags & HORDE_FIELD_REQUIRED)
            add_problem (problems, path, _("is required"));
          continue;
        }

      validate_field (m, i, path, depth, problems);
    }

  /* the unknown members a builder was given: what the server gave is
   * fine by construction */
  if (m->extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, m->extra);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);
          g_autofree char *path = *prefix ? g_strconcat (prefix, ".", shown, NULL) : g_strdup (shown);

          if (!g_utf8_validate (name, -1, NULL))
            add_problem (problems, path, _("is not valid UTF-8"));
          else
            validate_json (node, path, depth, problems);
        }
    }
}

gboolean
horde_model_validate (gconstpointer   model,
                      GError        **error)
{
  const HordeModel *m = model;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GPtrArray) order = NULL;
  Problems problems;
  g_autoptr(GString) message = NULL;
  const char *first;

  g_return_val_if_fail (m != NULL, FALSE);

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  order = g_ptr_array_new ();
  problems.problems = table;
  problems.order = order;

  /* a list is an array whose items are objects: the list's own level is 0
   * and its field (the array) counts for the items */
  validate_model (m, "", m->info->is_list ? 0 : 1, &problems);

  if (order->len == 0)
    return TRUE;

  first = order->pdata[0];
  message = g_string_new (NULL);
  /* TRANSLATORS: a schema of the API, the path of a field in it and the
   * field's problem: "Invalid ModelGenerationInputStable: width is not a
   * multiple of 64" */
  g_string_append_printf (message, _("Invalid %s: %s %s"), m->info->schema, first,
                          (const char *) g_hash_table_lookup (table, first));
  if (order->len > 1)
    g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, " (and %u more problem)", " (and %u more problems)",
                                                  order->len - 1),
                            order->len - 1);

  g_propagate_error (error, horde_error_new_full (HORDE_ERROR_VALIDATION, 0, NULL, NULL,
                                                  table, message->str));
  return FALSE;
}

/* -------------------------------------------------------------------------
 * Access helpers for the generated getters and for the client
 */

JsonObject *
horde_model_get_extra_fields (gconstpointer model)
{
  const HordeModel *m = model;

  g_return_val_if_fail (m != NULL, NULL);

  return m->extra;
}

gconstpointer
horde_model_get_array (gconstpointer  model,
                       guint          field,
                       gsize         *n_items)
{
  const HordeModel *m = model;
  const HordeFieldInfo *f = field_at (m, field);
  gconstpointer p = FIELD_PTR (m, f);

  if (!(m->set & FIELD_BIT (field)))
    {
      if (n_items)
        *n_items = 0;
      return NULL;
    }

  if (f->kind == HORDE_FIELD_INT_ARRAY)
    {
      const GArray *ints = *(GArray * const *) p;

      if (n_items)
        *n_items = ints->len;
      return ints->data;
    }

  g_assert (f->kind == HORDE_FIELD_MODEL_ARRAY);
  {
    const GPtrArray *items = *(GPtrArray * const *) p;

    if (n_items)
      *n_items = items->len;
    return items->pdata;
  }
}

gpointer
horde_model_get_list_item (gconstpointer model,
                           gsize         index)
{
  gsize n = 0;
  gpointer const *items = horde_model_get_array (model, 0, &n);

  if (index >= n)
    return NULL;

  return items[index];
}

gpointer
horde_model_new_list (const HordeModelInfo *info,
                      gconstpointer         items,
                      gsize                 n_items)
{
  HordeModel *m = horde_model_new (info);
  GPtrArray *array = horde_model_array_new (n_items);
  gpointer const *in = items;

  g_return_val_if_fail (info->is_list, NULL);

  for (gsize i = 0; i < n_items; i++)
    {
      g_return_val_if_fail (in[i] != NULL, NULL);
      g_ptr_array_add (array, horde_model_ref (in[i]));
    }
  *(GPtrArray **) FIELD_PTR (m, &info->fields[0]) = array;
  m->set = 1;

  return m;
}

char *
horde_model_dup_field_string (gconstpointer model,
                              guint         field)
{
  const HordeModel *m = model;
  const HordeFieldInfo *f = field_at (m, field);
  gconstpointer p = FIELD_PTR (m, f);
  char buf[HORDE_JSON_DOUBLE_BUF_SIZE];

  if (!(m->set & FIELD_BIT (field)))
    return NULL;

  switch ((HordeFieldKind) f->kind)
    {
    case HORDE_FIELD_STRING:
      return g_strdup (*(char * const *) p);
    case HORDE_FIELD_BOOLEAN:
      return g_strdup (*(const gboolean *) p ? "true" : "false");
    case HORDE_FIELD_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) p);
    case HORDE_FIELD_DOUBLE:
      /* as in JSON: "10" and "0.1", not "10.0" and "0.10000000000000001" */
      return g_strndup (buf, horde_json_format_double (buf, *(const double *) p));
    case HORDE_FIELD_STRV:
      return g_strjoinv (",", *(char ** const *) p);
    case HORDE_FIELD_INT_ARRAY:
    case HORDE_FIELD_MODEL:
    case HORDE_FIELD_MODEL_ARRAY:
    case HORDE_FIELD_JSON:
    default:
      {
        GString *out = g_string_new (NULL);

        horde_model_write_field (m, field, out);
        return g_string_free (out, FALSE);
      }
    }
}

/* -------------------------------------------------------------------------
 * Lookups
 */

const HordeModelInfo *
horde_model_info_from_type (GType type)
{
  static GHashTable *by_type;

  if (g_once_init_enter (&by_type))
    {
      GHashTable *table = g_hash_table_new (NULL, NULL);
      gsize n;
      const HordeModelInfo * const *infos = horde_model_info_all (&n);

      for (gsize i = 0; i < n; i++)
        g_hash_table_insert (table, GSIZE_TO_POINTER (infos[i]->get_type ()), (gpointer) infos[i]);
      g_once_init_leave (&by_type, table);
    }

  return g_hash_table_lookup (by_type, GSIZE_TO_POINTER (type));
}

const HordeModelInfo *
horde_model_info_from_schema (const char *schema)
{
  gsize n;
  const HordeModelInfo * const *infos = horde_model_info_all (&n);

  for (gsize i = 0; i < n; i++)
    if (!infos[i]->is_list && !infos[i]->is_request && g_str_equal (infos[i]->schema, schema))
      return infos[i];

  return NULL;
}

/* -------------------------------------------------------------------------
 * Builders: a private model written in place until end() hands it out,
 * copied on the next write after that.
 */

HordeModelBuilder *
horde_model_builder_new (const HordeModelInfo *info,
                         gconstpointer         base)
{
  HordeModelBuilder *self = g_new0 (HordeModelBuilder, 1);

  g_atomic_ref_count_init (&self->ref_count);
  if (base != NULL)
    {
      g_return_val_if_fail (((const HordeModel *) base)->info == info, NULL);
      self->model = horde_model_ref ((gpointer) base);
      self->shared = TRUE;
    }
  else
    self->model = horde_model_new (info);

  return self;
}

HordeModelBuilder *
horde_model_builder_ref (HordeModelBuilder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
horde_model_builder_unref (HordeModelBuilder *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  horde_model_unref (self->model);
  g_free (self);
}

static HordeModel *
builder_edit (HordeModelBuilder *self,
              guint              field)
{
  HordeModel *m;

  if (self->shared)
    {
      HordeModel *copy = model_copy (self->model);

      horde_model_unref (self->model);
      self->model = copy;
      self->shared = FALSE;
    }

  m = self->model;
  horde_model_field_clear (m, field);
  if (m->extra != NULL)
    json_object_remove_member (m->extra, field_at (m, field)->json_name);

  return m;
}

#define BUILDER_FIELD(self, field, kind_) \
  G_STMT_START { \
    g_return_if_fail (self != NULL); \
    g_return_if_fail (field < self->model->info->n_fields); \
    g_return_if_fail (self->model->info->fields[field].kind == kind_); \
  } G_STMT_END

gpointer
horde_model_builder_end (HordeModelBuilder  *self,
                         GError            **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!horde_model_validate (self->model, error))
    return NULL;

  if (self->model->extra != NULL)
    json_object_seal (self->model->extra);
  self->shared = TRUE;

  return horde_model_ref (self->model);
}

void
horde_model_builder_unset (HordeModelBuilder *self,
                           guint              field)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (field < self->model->info->n_fields);

  builder_edit (self, field);
}

static void
mark_set (HordeModel *m,
          guint       field)
{
  m->set |= FIELD_BIT (field);
}

void
horde_model_builder_set_string (HordeModelBuilder *self,
                                guint              field,
                                const char        *value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_STRING);
  m = builder_edit (self, field);
  if (value == NULL)
    return;
  *(char **) FIELD_PTR (m, field_at (m, field)) = g_strdup (value);
  mark_set (m, field);
}

void
horde_model_builder_set_boolean (HordeModelBuilder *self,
                                 guint              field,
                                 gboolean           value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_BOOLEAN);
  m = builder_edit (self, field);
  *(gboolean *) FIELD_PTR (m, field_at (m, field)) = !!value;
  mark_set (m, field);
}

void
horde_model_builder_set_int (HordeModelBuilder *self,
                             guint              field,
                             gint64             value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_INT);
  m = builder_edit (self, field);
  *(gint64 *) FIELD_PTR (m, field_at (m, field)) = value;
  mark_set (m, field);
}

void
horde_model_builder_set_double (HordeModelBuilder *self,
                                guint              field,
                                double             value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_DOUBLE);
  m = builder_edit (self, field);
  *(double *) FIELD_PTR (m, field_at (m, field)) = value;
  mark_set (m, field);
}

void
horde_model_builder_set_model (HordeModelBuilder *self,
                               guint              field,
                               gpointer           value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_MODEL);
  g_return_if_fail (value == NULL ||
                    ((HordeModel *) value)->info == self->model->info->fields[field].model);
  m = builder_edit (self, field);
  if (value == NULL)
    return;
  *(gpointer *) FIELD_PTR (m, field_at (m, field)) = horde_model_ref (value);
  mark_set (m, field);
}

void
horde_model_builder_set_strv (HordeModelBuilder  *self,
                              guint               field,
                              const char * const *value)
{
  HordeModel *m;

  BUILDER_FIELD (self, field, HORDE_FIELD_STRV);
  m = builder_edit (self, field);
  if (value == NULL)
    return;
  *(char ***) FIELD_PTR (m, field_at (m, field)) = g_strdupv ((char **) value);
  mark_set (m, field);
}

void
horde_model_builder_set_int_array (HordeModelBuilder *self,
                                   guint              field,
                                   const gint64      *value,
                                   gsize              n_value)
{
  HordeModel *m;
  GArray *ints;

  BUILDER_FIELD (self, field, HORDE_FIELD_INT_ARRAY);
  g_return_if_fail (value != NULL || n_value == 0);
  m = builder_edit (self, field);
  if (value == NULL)
    return;
  ints = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_value);
  g_array_append_vals (ints, value, n_value);
  *(GArray **) FIELD_PTR (m, field_at (m, field)) = ints;
  mark_set (m, field);
}

void
horde_model_builder_set_model_array (HordeModelBuilder *self,
                                     guint              field,
                                     gpointer const    *value,
                                     gsize              n_value)
{
  const HordeModelInfo *item_info;
  HordeModel *m;
  GPtrArray *items;

  BUILDER_FIELD (self, field, HORDE_FIELD_MODEL_ARRAY);
  g_return_if_fail (value != NULL || n_value == 0);
  item_info = self->model->info->fields[field].model;
  for (gsize j = 0; j < n_value; j++)
    g_return_if_fail (value[j] != NULL && ((HordeModel *) value[j])->info == item_info);

  m = builder_edit (self, field);
  if (value == NULL)
    return;
  items = horde_model_array_new (n_value);
  for (gsize j = 0; j < n_value; j++)
    g_ptr_array_add (items, horde_model_ref (value[j]));
  *(GPtrArray **) FIELD_PTR (m, field_at (m, field)) = items;
  mark_set (m, field);
}

void
horde_model_builder_set_json (HordeModelBuilder *self,
                              guint              field,
                              JsonNode          *value)
{
  HordeModel *m;
  JsonNode *copy;

  BUILDER_FIELD (self, field, HORDE_FIELD_JSON);
  m = builder_edit (self, field);
  if (value == NULL)
    return;
  copy = json_node_copy (value);
  json_node_seal (copy);
  *(JsonNode **) FIELD_PTR (m, field_at (m, field)) = copy;
  mark_set (m, field);
}

void
horde_model_builder_set_extra_field (HordeModelBuilder *self,
                                     const char        *name,
                                     JsonNode          *value)
{
  const HordeFieldInfo *f;
  HordeModel *m;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  f = horde_model_info_find_field (self->model->info, name);
  g_return_if_fail (f == NULL || f->location != HORDE_FIELD_LOCATION_BODY);

  if (self->shared)
    {
      HordeModel *copy = model_copy (self->model);

      horde_model_unref (self->model);
      self->model = copy;
      self->shared = FALSE;
    }
  m = self->model;

  if (value == NULL)
    {
      if (m->extra != NULL)
        json_object_remove_member (m->extra, name);
      return;
    }

  horde_model_extra_set (m, name, json_node_copy (value));
}

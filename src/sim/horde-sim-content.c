/* horde-sim-content.c: deterministic pseudo-random content
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-content.h"

#include <stdarg.h>
#include <string.h>

void
horde_sim_rng_init (HordeSimRng *rng,
                    guint64      seed)
{
  rng->state = seed;
}

guint64
horde_sim_rng_next (HordeSimRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* uniform in [0, 1) */
double
horde_sim_rng_double (HordeSimRng *rng)
{
  return (horde_sim_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

guint
horde_sim_rng_range (HordeSimRng *rng,
                     guint        n)
{
  return n > 0 ? (guint) (horde_sim_rng_next (rng) % n) : 0;
}

static guint64
fnv1a (guint64     hash,
       const void *data,
       gsize       length)
{
  const guint8 *p = data;

  for (gsize i = 0; i < length; i++)
    {
      hash ^= p[i];
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return hash;
}

/* A 64-bit hash of NUL-separated strings (NULL-terminated list). */
guint64
horde_sim_hash (const char *first,
                ...)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    hash = fnv1a (hash, s, strlen (s) + 1);
  va_end (args);
  /* one splitmix round spreads FNV's weak low bits */
  return horde_sim_rng_next (&(HordeSimRng) { hash });
}

guint64
horde_sim_hash_bytes (GBytes *bytes)
{
  gsize length = 0;
  const void *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;
  guint64 hash = fnv1a (G_GUINT64_CONSTANT (0xcbf29ce484222325), data, length);

  return horde_sim_rng_next (&(HordeSimRng) { hash });
}

/* A version-4-shaped UUID whose bits come from @hash: stable ids for workers. */
char *
horde_sim_uuid_from_hash (guint64 hash)
{
  HordeSimRng rng = { hash };
  guint64 a = horde_sim_rng_next (&rng);
  guint64 b = horde_sim_rng_next (&rng);

  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x",
                          (guint) (a >> 32), (guint) ((a >> 16) & 0xffff),
                          (guint) (a & 0xfff), (guint) (0x8000 | ((b >> 48) & 0x3fff)),
                          b & G_GUINT64_CONSTANT (0xffffffffffff));
}

/* The worker's view of a seed: decimal text is the number itself (mod 2^32),
 * anything else is hashed, like the reGen worker does. */
guint32
horde_sim_seed_from_string (const char *seed)
{
  char *end = NULL;
  guint64 value;

  if (seed == NULL || *seed == '\0')
    return 0;
  value = g_ascii_strtoull (seed, &end, 10);
  if (end != seed && *end == '\0' && g_ascii_isdigit (*seed))
    return (guint32) value;
  return (guint32) horde_sim_hash (seed, NULL);
}

static const char * const words[] = {
  "the", "a", "quiet", "river", "lantern", "mountain", "ancient", "city", "whispered",
  "across", "under", "silver", "stars", "and", "of", "wanderer", "forest", "glass",
  "storm", "remembered", "library", "harbor", "slowly", "golden", "machine", "dreams",
  "beneath", "old", "bridge", "echoes", "morning", "through", "fog", "carried", "letters",
  "distant", "bells", "keeper", "garden", "iron", "north", "wind", "songs", "hidden",
};

/* Words that read a little like a story, about max_length tokens long. */
char *
horde_sim_content_text (const char         *prompt,
                        guint32             seed,
                        int                 max_length,
                        const char * const *stop_sequences)
{
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  HordeSimRng rng = { horde_sim_hash (prompt, seed_text, NULL) };
  int n_words = MAX (1, max_length * 3 / 4);
  GString *out = g_string_new (NULL);

  for (int i = 0; i < n_words; i++)
    {
      const char *word = words[horde_sim_rng_range (&rng, G_N_ELEMENTS (words))];

      g_string_append_c (out, ' ');
      if (i == 0 || out->str[out->len - 2] == '.')
        {
          g_string_append_c (out, g_ascii_toupper (word[0]));
          g_string_append (out, word + 1);
        }
      else
        g_string_append (out, word);
      if (horde_sim_rng_range (&rng, 9) == 0 || i == n_words - 1)
        g_string_append_c (out, '.');
    }

  for (guint i = 0; stop_sequences != NULL && stop_sequences[i] != NULL; i++)
    {
      char *hit = *stop_sequences[i] ? strstr (out->str, stop_sequences[i]) : NULL;

      if (hit != NULL)
        g_string_truncate (out, (gsize) (hit - out->str) + strlen (stop_sequences[i]));
    }
  return g_string_free (out, FALSE);
}

static const char * const subjects[] = {
  "a cat", "a lighthouse", "a red fox", "an old castle", "a robot", "a bowl of fruit",
  "a sailing ship", "a mountain lake", "a city street", "a portrait of a woman",
};
static const char * const settings[] = {
  "at sunset", "in the snow", "on a wooden table", "under a starry sky", "in the rain",
  "in a misty forest", "by the sea", "in a busy market",
};
static const char * const tags[] = {
  "outdoors", "sky", "no humans", "scenery", "cloud", "tree", "water", "building",
  "animal", "realistic", "painting", "night", "day", "landscape",
};
static const char * const artists[] = { "greg rutkowski", "monet", "hokusai", "studio ghibli" };
static const char * const mediums[] = { "digital art", "oil painting", "photograph", "watercolor" };

static JsonArray *
ranked_terms (HordeSimRng        *rng,
              const char * const *terms,
              guint               n_terms,
              guint               count)
{
  JsonArray *array = json_array_new ();
  double confidence = 0.6 + 0.35 * horde_sim_rng_double (rng);
  guint start = horde_sim_rng_range (rng, n_terms);

  for (guint i = 0; i < MIN (count, n_terms); i++)
    {
      JsonObject *term = json_object_new ();

      json_object_set_string_member (term, "text", terms[(start + i * 7) % n_terms]);
      json_object_set_double_member (term, "confidence", confidence);
      json_array_add_object_element (array, term);
      confidence *= 0.8;
    }
  return array;
}

/* The "result" object of an alchemy form, e.g. {"caption": "a cat at sunset"};
 * post-processors answer with @image_url. */
JsonNode *
horde_sim_content_form (const char *form,
                        guint64     source_hash,
                        const char *image_url)
{
  HordeSimRng rng = { source_hash ^ horde_sim_hash (form, NULL) };
  JsonObject *result = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), result);

  if (g_str_equal (form, "caption") || g_str_equal (form, "describe"))
    {
      g_autofree char *caption = g_strdup_printf ("%s %s",
                                                  subjects[horde_sim_rng_range (&rng, G_N_ELEMENTS (subjects))],
                                                  settings[horde_sim_rng_range (&rng, G_N_ELEMENTS (settings))]);
      json_object_set_string_member (result, form, caption);
    }
  else if (g_str_equal (form, "interrogation"))
    {
      JsonObject *interrogation = json_object_new ();

      json_object_set_array_member (interrogation, "tags", ranked_terms (&rng, tags, G_N_ELEMENTS (tags), 5));
      json_object_set_array_member (interrogation, "artists", ranked_terms (&rng, artists, G_N_ELEMENTS (artists), 2));
      json_object_set_array_member (interrogation, "mediums", ranked_terms (&rng, mediums, G_N_ELEMENTS (mediums), 2));
      json_object_set_object_member (result, "interrogation", interrogation);
    }
  else if (g_str_equal (form, "nsfw"))
    json_object_set_boolean_member (result, "nsfw", horde_sim_rng_range (&rng, 10) == 0);
  else if (g_str_equal (form, "aesthetic"))
    json_object_set_double_member (result, "aesthetic", 4.0 + 4.0 * horde_sim_rng_double (&rng));
  else if (image_url != NULL)
    json_object_set_string_member (result, form, image_url);
  else
    json_object_set_string_member (result, form, "");

  json_object_unref (result);
  return node;
}

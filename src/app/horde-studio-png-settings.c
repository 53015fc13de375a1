/* horde-studio-png-settings.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "horde-studio-png-settings.h"

/* Settings read back from a PNG: the text chunks (tEXt, zTXt, iTXt) of a
 * file that is untrusted, read within limits, then
 *
 * - `horde`: what Horde Studio's export writes (horde_studio_gallery_
 *   export_png): `{"request": …, "generation": …}`, the request as sent;
 * - `parameters`: the text of AUTOMATIC1111's web UI, which other tools
 *   (and Horde Studio's export) write too: the prompt, a line
 *   `Negative prompt: …`, then one line of `Key: value` pairs.
 *
 * ArtBot: the ArtBot code found offline (daveschumaker/artbot-for-stable-
 * diffusion, utils/imageUtils.ts) saves a PNG converted from the WebP
 * without any text chunk, and puts the settings of a batch download in a
 * separate _image_details.json: there is nothing in its PNGs to read.
 *
 * Whatever is read goes through libhorde's builders, so that a value the
 * Horde would refuse is refused here, with the builder's reason. */

#define MAX_TEXT_CHUNKS 64
#define MAX_KEYWORD 79

G_DEFINE_QUARK (horde-studio-png-settings-error-quark, horde_studio_png_settings_error)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32
crc32_of (const guint8 *type,
          const guint8 *data,
          gsize         length)
{
  static guint32 table[256];
  static gsize table_ready = 0;
  guint32 crc = 0xffffffff;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  for (gsize i = 0; i < 4; i++)
    crc = table[(crc ^ type[i]) & 0xff] ^ (crc >> 8);
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffff;
}

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
fail (GError     **error,
      int          code,
      const char  *message)
{
  g_set_error_literal (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, code, message);
  return FALSE;
}

/* zlib data, inflated to at most HORDE_STUDIO_PNG_MAX_TEXT_SIZE bytes */
static GByteArray *
inflate_bounded (const guint8  *data,
                 gsize          length,
                 GError       **error)
{
  g_autoptr(GConverter) converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[16384];
  gsize in_offset = 0;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (converter, data + in_offset, length - in_offset,
                                    buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A compressed text in the image is damaged."));
          return NULL;
        }
      in_offset += read;
      if (out->len + written > HORDE_STUDIO_PNG_MAX_TEXT_SIZE)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE, _("A compressed text in the image is too large."));
          return NULL;
        }
      g_byte_array_append (out, buffer, written);
      if (result == G_CONVERTER_FINISHED)
        return g_steal_pointer (&out);
      if (read == 0 && written == 0)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A compressed text in the image is damaged."));
          return NULL;
        }
    }
}

/* Latin-1 (tEXt, zTXt) to UTF-8: every byte is a character */
static char *
latin1_to_utf8 (const guint8 *data,
                gsize         length)
{
  GString *text = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    g_string_append_unichar (text, data[i]);
  return g_string_free (text, FALSE);
}

/* The keyword, nul-terminated within @length, 1–79 bytes; returns where
 * the rest starts */
static gboolean
read_keyword (const guint8  *data,
              gsize          length,
              char         **keyword,
              gsize         *rest,
              GError       **error)
{
  const guint8 *nul = memchr (data, 0, MIN (length, MAX_KEYWORD + 1));

  if (nul == NULL || nul == data)
    return fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A text in the image has no valid keyword."));
  *keyword = latin1_to_utf8 (data, nul - data);
  *rest = nul - data + 1;
  return TRUE;
}

static char *
decode_text_chunk (const char    *type,
                   const guint8  *data,
                   gsize          length,
                   char         **keyword,
                   GError       **error)
{
  g_autofree char *key = NULL;
  gsize offset = 0;

  if (!read_keyword (data, length, &key, &offset, error))
    return NULL;

  if (memcmp (type, "tEXt", 4) == 0)
    {
      *keyword = g_steal_pointer (&key);
      return latin1_to_utf8 (data + offset, length - offset);
    }

  if (memcmp (type, "zTXt", 4) == 0)
    {
      g_autoptr(GByteArray) inflated = NULL;

      if (offset >= length || data[offset] != 0)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A compressed text in the image is damaged."));
          return NULL;
        }
      inflated = inflate_bounded (data + offset + 1, length - offset - 1, error);
      if (inflated == NULL)
        return NULL;
      *keyword = g_steal_pointer (&key);
      return latin1_to_utf8 (inflated->data, inflated->len);
    }

  /* iTXt: compression flag, method, language tag, translated keyword, text */
  {
    g_autoptr(GByteArray) inflated = NULL;
    const guint8 *text;
    gsize text_length;
    gboolean compressed;
    const guint8 *nul;

    if (length - offset < 2 || data[offset] > 1 || data[offset + 1] != 0)
      {
        fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A text in the image is damaged."));
        return NULL;
      }
    compressed = data[offset] == 1;
    offset += 2;
    for (int i = 0; i < 2; i++)
      {
        nul = memchr (data + offset, 0, length - offset);
        if (nul == NULL)
          {
            fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A text in the image is damaged."));
            return NULL;
          }
        offset = nul - data + 1;
      }

    text = data + offset;
    text_length = length - offset;
    if (compressed)
      {
        inflated = inflate_bounded (text, text_length, error);
        if (inflated == NULL)
          return NULL;
        text = inflated->data;
        text_length = inflated->len;
      }
    if (!g_utf8_validate_len ((const char *) text, text_length, NULL))
      {
        fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A text in the image is not valid UTF-8."));
        return NULL;
      }
    *keyword = g_steal_pointer (&key);
    return g_strndup ((const char *) text, text_length);
  }
}

/**
 * horde_studio_png_read_text_chunks:
 * @data: (array length=length): the bytes of a PNG file
 * @length: their number
 * @error: return location for a #GError
 *
 * Reads the text chunks of a PNG: tEXt and zTXt (Latin-1) and iTXt
 * (UTF-8), compressed or not. The file is untrusted: each chunk's checksum
 * is checked, a text chunk and its inflated text are at most
 * %HORDE_STUDIO_PNG_MAX_TEXT_SIZE bytes and so are all texts together,
 * and the file must end with its IEND chunk. Of a keyword given twice the
 * first text is kept.
 *
 * Returns: (transfer full) (element-type utf8 utf8): keyword → UTF-8 text,
 *   or %NULL with @error set (#HORDE_STUDIO_PNG_SETTINGS_ERROR)
 */
GHashTable *
horde_studio_png_read_text_chunks (const guint8  *data,
                                   gsize          length,
                                   GError       **error)
{
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize offset = sizeof png_signature;
  gsize total = 0;
  guint n_texts = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < sizeof png_signature || memcmp (data, png_signature, sizeof png_signature) != 0)
    {
      fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_NOT_PNG, _("The file is not a PNG image."));
      return NULL;
    }
  if (length > HORDE_STUDIO_PNG_MAX_FILE_SIZE)
    {
      fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE, _("The image is too large to read its settings."));
      return NULL;
    }

  for (;;)
    {
      const guint8 *type;
      const guint8 *body;
      guint32 chunk_length;

      if (length - offset < 12)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The image is cut short."));
          return NULL;
        }
      chunk_length = read_u32 (data + offset);
      type = data + offset + 4;
      body = data + offset + 8;
      if (chunk_length > G_MAXINT32)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The image is damaged."));
          return NULL;
        }
      if (chunk_length > length - offset - 12)
        {
          fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The image is cut short."));
          return NULL;
        }
      for (int i = 0; i < 4; i++)
        if (!g_ascii_isalpha (type[i]))
          {
            fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The image is damaged."));
            return NULL;
          }

      if (memcmp (type, "IEND", 4) == 0)
        break;

      if (memcmp (type, "tEXt", 4) == 0 || memcmp (type, "zTXt", 4) == 0 || memcmp (type, "iTXt", 4) == 0)
        {
          g_autofree char *keyword = NULL;
          g_autofree char *text = NULL;
          char chunk_type[5] = { 0 };

          if (chunk_length > HORDE_STUDIO_PNG_MAX_TEXT_SIZE || ++n_texts > MAX_TEXT_CHUNKS)
            {
              fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE, _("The texts in the image are too large."));
              return NULL;
            }
          if (crc32_of (type, body, chunk_length) != read_u32 (body + chunk_length))
            {
              fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("A text in the image is damaged: its checksum does not match."));
              return NULL;
            }
          memcpy (chunk_type, type, 4);
          text = decode_text_chunk (chunk_type, body, chunk_length, &keyword, error);
          if (text == NULL)
            return NULL;
          total += strlen (text);
          if (total > HORDE_STUDIO_PNG_MAX_TEXT_SIZE)
            {
              fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE, _("The texts in the image are too large."));
              return NULL;
            }
          if (!g_hash_table_contains (texts, keyword))
            g_hash_table_insert (texts, g_steal_pointer (&keyword), g_steal_pointer (&text));
        }

      offset += 12 + (gsize) chunk_length;
    }

  return g_steal_pointer (&texts);
}

/* AUTOMATIC1111's names of samplers, and the Horde's */
typedef struct {
  const char *a1111;
  const char *horde;
} SamplerName;

static const SamplerName sampler_names[] = {
  { "Euler a", "k_euler_a" },
  { "Euler", "k_euler" },
  { "LMS", "k_lms" },
  { "Heun", "k_heun" },
  { "DPM2", "k_dpm_2" },
  { "DPM2 a", "k_dpm_2_a" },
  { "DPM++ 2S a", "k_dpmpp_2s_a" },
  { "DPM++ 2M", "k_dpmpp_2m" },
  { "DPM++ SDE", "k_dpmpp_sde" },
  { "DPM fast", "k_dpm_fast" },
  { "DPM adaptive", "k_dpm_adaptive" },
  { "DDIM", "DDIM" },
  { "LCM", "lcm" },
};

static const char * const horde_samplers[] = {
  "k_euler_a", "k_euler", "k_dpmpp_2m", "k_dpmpp_sde", "k_dpmpp_2s_a", "k_dpm_2", "k_dpm_2_a",
  "k_dpm_fast", "k_dpm_adaptive", "k_heun", "k_lms", "DDIM", "dpmsolver", "lcm", NULL,
};

/* The Horde's name of an A1111 sampler ("DPM++ 2M Karras" is k_dpmpp_2m
 * with karras), a Horde name as it is, or NULL */
static const char *
horde_sampler (const char *name,
               gboolean   *karras)
{
  g_autofree char *base = g_strdup (name);

  *karras = FALSE;
  for (gsize i = 0; horde_samplers[i]; i++)
    if (g_str_equal (horde_samplers[i], name))
      return horde_samplers[i];
  if (g_str_has_suffix (base, " Karras"))
    {
      base[strlen (base) - strlen (" Karras")] = '\0';
      *karras = TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sampler_names); i++)
    if (g_ascii_strcasecmp (sampler_names[i].a1111, base) == 0)
      return sampler_names[i].horde;
  return NULL;
}

static gboolean
invalid (GError    **error,
         const char *key,
         const char *value)
{
  g_autofree char *shown = g_utf8_substring (value, 0, MIN (g_utf8_strlen (value, -1), 40));

  /* TRANSLATORS: a setting read from an image, and its value that is not
   * a number, such as "Steps: “twenty” is not a number" */
  g_set_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID,
               _("%s: “%s” is not a number"), key, shown);
  return FALSE;
}

static gboolean
parse_int (const char  *key,
           const char  *value,
           gint64      *out,
           GError     **error)
{
  if (!g_ascii_string_to_signed (value, 10, G_MININT32, G_MAXINT32, out, NULL))
    return invalid (error, key, value);
  return TRUE;
}

static gboolean
parse_double (const char  *key,
              const char  *value,
              double      *out,
              GError     **error)
{
  char *end = NULL;

  *out = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (*out))
    return invalid (error, key, value);
  return TRUE;
}

/* The `Key: value, Key: "quoted, value", …` line, into pairs */
static GPtrArray *
split_settings_line (const char *line)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  while (*p != '\0')
    {
      const char *colon;
      GString *value = g_string_new (NULL);

      while (*p == ' ' || *p == ',')
        p++;
      if (*p == '\0')
        {
          g_string_free (value, TRUE);
          break;
        }
      colon = strstr (p, ": ");
      if (colon == NULL)
        {
          g_string_free (value, TRUE);
          break;
        }
      g_ptr_array_add (pairs, g_strndup (p, colon - p));
      p = colon + 2;
      if (*p == '"')
        {
          /* quoted as JSON quotes a string */
          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (value, *p);
            }
          if (*p == '"')
            p++;
        }
      else
        {
          const char *end = strstr (p, ", ");

          if (end == NULL)
            end = p + strlen (p);
          g_string_append_len (value, p, end - p);
          p = end;
        }
      g_ptr_array_add (pairs, g_string_free (value, FALSE));
    }

  return pairs;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The builder's problems, by field ("steps: 5000 is more than the
 * maximum, 500"), sorted; its message when it has none */
static char *
describe_refusal (const GError *error)
{
  GHashTable *fields = horde_error_get_field_errors (error);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (fields == NULL || g_hash_table_size (fields) == 0)
    return g_strdup (error->message);

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    /* TRANSLATORS: a field of the settings and what is wrong with it */
    g_ptr_array_add (lines, g_strdup_printf (_("%s: %s"), (char *) key, (char *) value));
  g_ptr_array_sort (lines, (GCompareFunc) compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("; ", (char **) lines->pdata);
}

/* <lora:NAME:WEIGHT> in the prompt: taken out, as LoRAs of the request,
 * with the space before a tag when a space, a comma or the end follows */
static char *
take_loras (const char  *prompt,
            GPtrArray   *loras,
            GError     **error)
{
  g_autoptr(GString) rest = g_string_new (NULL);
  const char *p = prompt;
  const char *start;
  gboolean removed = FALSE;

  while ((start = strstr (p, "<lora:")) != NULL)
    {
      const char *end = strchr (start, '>');
      g_autofree char *inner = NULL;
      g_auto(GStrv) parts = NULL;
      g_autoptr(HordeModelPayloadLorasStableBuilder) lb = NULL;
      g_autoptr(GError) local_error = NULL;
      HordeModelPayloadLorasStable *lora;
      double strength = 1.0;

      if (end == NULL)
        break;
      g_string_append_len (rest, p, start - p);
      if (end[1] == ' ' || end[1] == ',' || end[1] == '\0')
        while (rest->len > 0 && rest->str[rest->len - 1] == ' ')
          g_string_truncate (rest, rest->len - 1);
      inner = g_strndup (start + strlen ("<lora:"), end - start - strlen ("<lora:"));
      parts = g_strsplit (inner, ":", 3);
      if (parts[0] != NULL && parts[1] != NULL && !parse_double ("LoRA", parts[1], &strength, error))
        return NULL;
      lb = horde_model_payload_loras_stable_builder_new ();
      horde_model_payload_loras_stable_builder_set_name (lb, parts[0] ? parts[0] : "");
      horde_model_payload_loras_stable_builder_set_model (lb, strength);
      lora = horde_model_payload_loras_stable_builder_end (lb, &local_error);
      if (lora == NULL)
        {
          g_autofree char *why = describe_refusal (local_error);

          g_set_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID,
                       _("The settings in the image cannot be used: %s"), why);
          return NULL;
        }
      g_ptr_array_add (loras, lora);
      removed = TRUE;
      p = end + 1;
    }
  g_string_append (rest, p);

  g_strstrip (rest->str);
  rest->len = strlen (rest->str);
  /* "a cat, <lora:x:1>": no comma left at the end */
  if (removed && rest->len > 0 && rest->str[rest->len - 1] == ',')
    g_string_truncate (rest, rest->len - 1);
  return g_string_free (g_steal_pointer (&rest), FALSE);
}

static HordeImageGenerateAsyncRequest *
end_request (HordeModelGenerationInputStableBuilder  *pb,
             HordeImageGenerateAsyncRequestBuilder   *rb,
             GError                                 **error)
{
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(GError) local_error = NULL;
  HordeImageGenerateAsyncRequest *request;

  params = horde_model_generation_input_stable_builder_end (pb, &local_error);
  if (params != NULL)
    {
      horde_image_generate_async_request_builder_set_params (rb, params);
      request = horde_image_generate_async_request_builder_end (rb, &local_error);
      if (request != NULL)
        return request;
    }

  {
    g_autofree char *why = describe_refusal (local_error);

    /* TRANSLATORS: why the settings read from an image were refused */
    g_set_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID,
                 _("The settings in the image cannot be used: %s"), why);
    return NULL;
  }
}

/**
 * horde_studio_png_settings_parse_parameters:
 * @text: the text of a `parameters` chunk
 * @error: return location for a #GError
 *
 * Reads AUTOMATIC1111's `parameters` text: the prompt (with its
 * `<lora:NAME:WEIGHT>` tags, which become LoRAs), a line starting with
 * `Negative prompt: `, and a last line of settings such as `Steps: 20,
 * Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x768, Model: NAME,
 * Denoising strength: 0.5, Clip skip: 2`. Samplers are given the Horde's
 * names (`DPM++ 2M Karras` is `k_dpmpp_2m` with karras); the Horde's own
 * names are taken as they are. A setting the Horde has no use for
 * (`Model hash`, `VAE`, `Version`…), or a sampler it does not have, is
 * left out.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
HordeImageGenerateAsyncRequest *
horde_studio_png_settings_parse_parameters (const char  *text,
                                            GError     **error)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(GPtrArray) loras = g_ptr_array_new_with_free_func ((GDestroyNotify) horde_model_payload_loras_stable_unref);
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GString) prompt_text = g_string_new (NULL);
  g_autoptr(GString) negative = NULL;
  g_autofree char *prompt = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;
  gboolean karras = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* the settings are the last line that has Steps */
  while (n_lines > 0 && *g_strstrip (lines[n_lines - 1]) == '\0')
    n_lines--;
  if (n_lines == 0 || !g_str_has_prefix (lines[n_lines - 1], "Steps: "))
    {
      fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS, _("The image carries no settings."));
      return NULL;
    }

  for (guint i = 0; i + 1 < n_lines; i++)
    {
      const char *line = lines[i];

      if (negative == NULL && g_str_has_prefix (line, "Negative prompt: "))
        {
          negative = g_string_new (line + strlen ("Negative prompt: "));
          continue;
        }
      if (negative != NULL)
        g_string_append_printf (negative, "\n%s", line);
      else
        g_string_append_printf (prompt_text, "%s%s", i > 0 ? "\n" : "", line);
    }

  prompt = take_loras (g_strstrip (prompt_text->str), loras, error);
  if (prompt == NULL)
    return NULL;
  if (loras->len > 0)
    horde_model_generation_input_stable_builder_set_loras (pb, (HordeModelPayloadLorasStable * const *) loras->pdata, loras->len);

  pairs = split_settings_line (lines[n_lines - 1]);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *key = pairs->pdata[i];
      const char *value = pairs->pdata[i + 1];
      gint64 n;
      double d;

      if (g_str_equal (key, "Steps"))
        {
          if (!parse_int (key, value, &n, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_steps (pb, n);
        }
      else if (g_str_equal (key, "Sampler"))
        {
          gboolean sampler_karras;
          const char *sampler = horde_sampler (value, &sampler_karras);

          if (sampler != NULL)
            horde_model_generation_input_stable_builder_set_sampler_name (pb, sampler);
          karras |= sampler_karras;
        }
      else if (g_str_equal (key, "Schedule type"))
        karras |= g_ascii_strcasecmp (value, "Karras") == 0;
      else if (g_str_equal (key, "CFG scale"))
        {
          if (!parse_double (key, value, &d, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_cfg_scale (pb, d);
        }
      else if (g_str_equal (key, "Seed"))
        horde_model_generation_input_stable_builder_set_seed (pb, value);
      else if (g_str_equal (key, "Size"))
        {
          g_auto(GStrv) size = g_strsplit (value, "x", 2);

          if (size[0] == NULL || size[1] == NULL)
            return invalid (error, key, value), NULL;
          if (!parse_int (key, size[0], &n, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_width (pb, n);
          if (!parse_int (key, size[1], &n, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_height (pb, n);
        }
      else if (g_str_equal (key, "Model"))
        {
          const char *models[] = { value, NULL };

          horde_image_generate_async_request_builder_set_models (rb, models);
        }
      else if (g_str_equal (key, "Denoising strength"))
        {
          if (!parse_double (key, value, &d, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_denoising_strength (pb, d);
        }
      else if (g_str_equal (key, "Clip skip"))
        {
          if (!parse_int (key, value, &n, error))
            return NULL;
          horde_model_generation_input_stable_builder_set_clip_skip (pb, n);
        }
      else if (g_str_equal (key, "Hires upscale") || g_str_equal (key, "Hires steps"))
        horde_model_generation_input_stable_builder_set_hires_fix (pb, TRUE);
    }
  horde_model_generation_input_stable_builder_set_karras (pb, karras);

  /* the Horde's convention: what follows ### is the negative prompt */
  if (negative != NULL && *g_strstrip (negative->str) != '\0')
    {
      g_autofree char *full = g_strdup_printf ("%s ### %s", prompt, negative->str);
      horde_image_generate_async_request_builder_set_prompt (rb, full);
    }
  else
    horde_image_generate_async_request_builder_set_prompt (rb, prompt);

  return end_request (pb, rb, error);
}

/**
 * horde_studio_png_settings_parse_horde:
 * @json: the text of a `horde` chunk, as Horde Studio's export writes it
 * @error: return location for a #GError
 *
 * Reads the request of `{"request": …, "generation": …}`, and checks it
 * as its builder checks what it ends.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
HordeImageGenerateAsyncRequest *
horde_studio_png_settings_parse_horde (const char  *json,
                                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = NULL;
  g_autoptr(GError) local_error = NULL;
  HordeImageGenerateAsyncRequest *checked;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);

  /* libhorde's reader: the file is anybody's, and json-glib's parser has
   * no depth limit and keeps what it read of a text it refuses */
  root = horde_json_node_from_string (json, -1, NULL);
  if (root == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (node = json_object_get_member (json_node_get_object (root), "request")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The settings in the image are damaged."));
      return NULL;
    }

  request = horde_image_generate_async_request_new_from_json_node (node, &local_error);
  if (request == NULL)
    {
      fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT, _("The settings in the image are damaged."));
      return NULL;
    }

  /* a key has no place in a file */
  rb = horde_image_generate_async_request_builder_new_from (request);
  horde_image_generate_async_request_builder_set_apikey (rb, NULL);
  checked = horde_image_generate_async_request_builder_end (rb, &local_error);
  if (checked == NULL)
    {
      g_autofree char *why = describe_refusal (local_error);

      g_set_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID,
                   _("The settings in the image cannot be used: %s"), why);
    }
  return checked;
}

/**
 * horde_studio_png_settings_read:
 * @png: the bytes of a PNG file
 * @error: return location for a #GError
 *
 * Reads the settings a PNG carries: Horde Studio's own `horde` chunk when
 * there is one, else an AUTOMATIC1111-style `parameters` chunk. See
 * horde_studio_png_read_text_chunks() for the limits.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
HordeImageGenerateAsyncRequest *
horde_studio_png_settings_read (GBytes  *png,
                                GError **error)
{
  g_autoptr(GHashTable) texts = NULL;
  const char *text;
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (png != NULL, NULL);

  data = g_bytes_get_data (png, &length);
  texts = horde_studio_png_read_text_chunks (data, length, error);
  if (texts == NULL)
    return NULL;

  if ((text = g_hash_table_lookup (texts, "horde")) != NULL)
    return horde_studio_png_settings_parse_horde (text, error);
  if ((text = g_hash_table_lookup (texts, "parameters")) != NULL)
    return horde_studio_png_settings_parse_parameters (text, error);

  fail (error, HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS, _("The image carries no settings."));
  return NULL;
}

static void
read_file_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  HordeImageGenerateAsyncRequest *request;
  guint8 buffer[65536];

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* up to one byte more than the limit: a larger file is known as such */
  for (;;)
    {
      gsize read = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer, &read, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_byte_array_append (contents, buffer, read);
      if (read < sizeof buffer)
        break;
      if (contents->len > HORDE_STUDIO_PNG_MAX_FILE_SIZE)
        {
          g_task_return_new_error (task, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE,
                                   "%s", _("The image is too large to read its settings."));
          return;
        }
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&contents));
  request = horde_studio_png_settings_read (bytes, &error);
  if (request == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, request, (GDestroyNotify) horde_image_generate_async_request_unref);
}

/**
 * horde_studio_png_settings_read_file_async:
 * @file: a PNG file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is read
 * @user_data: data for @callback
 *
 * Reads the settings of @file as horde_studio_png_settings_read() does,
 * in a worker thread, reading at most %HORDE_STUDIO_PNG_MAX_FILE_SIZE
 * bytes.
 */
void
horde_studio_png_settings_read_file_async (GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, horde_studio_png_settings_read_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_file_in_thread);
}

/**
 * horde_studio_png_settings_read_file_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes horde_studio_png_settings_read_file_async().
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
HordeImageGenerateAsyncRequest *
horde_studio_png_settings_read_file_finish (GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == horde_studio_png_settings_read_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* test-png-settings.c: settings read back from a PNG
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PNGs written here as the tools write them (gdk-pixbuf's "tEXt::KEY"
 * options write tEXt, or iTXt for text beyond Latin-1; zTXt and
 * compressed iTXt chunks are put in by hand), and hostile ones: a huge
 * chunk, a wrong checksum, a file cut short, a zTXt that inflates to far
 * more than it is. Every one ends in a request or a clean error.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "horde-studio-png-settings.h"
#include "png-crc.h"

/* a 8 × 8 PNG, with text chunks given as gdk-pixbuf options */
static GByteArray *
make_png (const char *key,
          const char *value,
          ...)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize length = 0;
  GByteArray *png;
  va_list args;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  va_start (args, value);
  while (key != NULL)
    {
      g_ptr_array_add (keys, g_strconcat ("tEXt::", key, NULL));
      g_ptr_array_add (values, (gpointer) value);
      key = va_arg (args, const char *);
      if (key != NULL)
        value = va_arg (args, const char *);
    }
  va_end (args);
  g_ptr_array_add (keys, NULL);
  g_ptr_array_add (values, NULL);

  g_assert_true (gdk_pixbuf_save_to_bufferv (pixbuf, &buffer, &length, "png",
                                             (char **) keys->pdata, (char **) values->pdata, &error));
  g_assert_no_error (error);
  png = g_byte_array_new_take ((guint8 *) buffer, length);
  return png;
}

static void
put_u32 (guint8  *p,
         guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* @png with a chunk put in before its IEND (its last 12 bytes) */
static void
insert_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         length,
              gboolean      good_crc)
{
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  guint8 word[4];

  put_u32 (word, length);
  g_byte_array_append (chunk, word, 4);
  g_byte_array_append (chunk, (const guint8 *) type, 4);
  g_byte_array_append (chunk, data, length);
  put_u32 (word, png_crc (chunk->data + 4, length + 4) ^ (good_crc ? 0 : 1));
  g_byte_array_append (chunk, word, 4);

  g_assert_cmpuint (png->len, >, 12);
  g_assert_cmpmem (png->data + png->len - 8, 4, "IEND", 4);
  {
    g_autoptr(GByteArray) copy = g_byte_array_new ();

    g_byte_array_append (copy, png->data + png->len - 12, 12);
    g_byte_array_set_size (png, png->len - 12);
    g_byte_array_append (png, chunk->data, chunk->len);
    g_byte_array_append (png, copy->data, copy->len);
  }
}

static GByteArray *
deflate (const guint8 *data,
         gsize         length)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9));
  GByteArray *out = g_byte_array_new ();
  gsize in = 0;
  guint8 buffer[65536];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result = g_converter_convert (compressor, data + in, length - in, buffer, sizeof buffer,
                                                     G_CONVERTER_INPUT_AT_END, &read, &written, &error);

      g_assert_no_error (error);
      in += read;
      g_byte_array_append (out, buffer, written);
      if (result == G_CONVERTER_FINISHED)
        return out;
    }
}

static HordeImageGenerateAsyncRequest *
read_png (GByteArray  *png,
          GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (png->data, png->len);

  return horde_studio_png_settings_read (bytes, error);
}

static void
assert_requests_equal (HordeImageGenerateAsyncRequest *request,
                       HordeImageGenerateAsyncRequest *expected)
{
  g_autofree char *got = horde_image_generate_async_request_to_json (request);
  g_autofree char *want = horde_image_generate_async_request_to_json (expected);

  g_assert_cmpstr (got, ==, want);
  g_assert_true (horde_image_generate_async_request_equal (request, expected));
}

/* AUTOMATIC1111's text, as its web UI writes it (v1.6) */
#define A1111_TEXT \
  "a cat in a hat <lora:add_detail:0.8>, oil painting\n" \
  "Negative prompt: blurry, lowres\n" \
  "Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1, Size: 512x768, " \
  "Model hash: 6ce0161689, Model: Deliberate, Denoising strength: 0.5, Clip skip: 2, " \
  "Lora hashes: \"add_detail: 7c6bad76eb54\", Version: v1.6.0"

static HordeImageGenerateAsyncRequest *
a1111_expected (void)
{
  g_autoptr(HordeModelGenerationInputStableBuilder) pb = horde_model_generation_input_stable_builder_new ();
  g_autoptr(HordeImageGenerateAsyncRequestBuilder) rb = horde_image_generate_async_request_builder_new ();
  g_autoptr(HordeModelPayloadLorasStableBuilder) lb = horde_model_payload_loras_stable_builder_new ();
  g_autoptr(HordeModelPayloadLorasStable) lora = NULL;
  g_autoptr(HordeModelGenerationInputStable) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *models[] = { "Deliberate", NULL };
  HordeImageGenerateAsyncRequest *request;

  horde_model_payload_loras_stable_builder_set_name (lb, "add_detail");
  horde_model_payload_loras_stable_builder_set_model (lb, 0.8);
  lora = horde_model_payload_loras_stable_builder_end (lb, &error);
  g_assert_no_error (error);
  horde_model_generation_input_stable_builder_set_loras (pb, &lora, 1);
  horde_model_generation_input_stable_builder_set_steps (pb, 20);
  horde_model_generation_input_stable_builder_set_sampler_name (pb, "k_dpmpp_2m");
  horde_model_generation_input_stable_builder_set_cfg_scale (pb, 7);
  horde_model_generation_input_stable_builder_set_seed (pb, "1");
  horde_model_generation_input_stable_builder_set_width (pb, 512);
  horde_model_generation_input_stable_builder_set_height (pb, 768);
  horde_model_generation_input_stable_builder_set_denoising_strength (pb, 0.5);
  horde_model_generation_input_stable_builder_set_clip_skip (pb, 2);
  horde_model_generation_input_stable_builder_set_karras (pb, TRUE);
  params = horde_model_generation_input_stable_builder_end (pb, &error);
  g_assert_no_error (error);
  horde_image_generate_async_request_builder_set_prompt (rb, "a cat in a hat, oil painting ### blurry, lowres");
  horde_image_generate_async_request_builder_set_params (rb, params);
  horde_image_generate_async_request_builder_set_models (rb, models);
  request = horde_image_generate_async_request_builder_end (rb, &error);
  g_assert_no_error (error);
  return request;
}

static void
test_a1111 (void)
{
  g_autoptr(GByteArray) png = make_png ("parameters", A1111_TEXT, NULL);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) expected = a1111_expected ();
  g_autoptr(GError) error = NULL;

  request = read_png (png, &error);
  g_assert_no_error (error);
  assert_requests_equal (request, expected);
}

/* newer versions name the schedule apart; a multi-line prompt; a sampler
 * the Horde does not have is left out */
static void
test_a1111_schedule (void)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  HordeModelGenerationInputStable *params;

  request = horde_studio_png_settings_parse_parameters ("a fox,\nin snow\n"
                                                        "Steps: 30, Sampler: Euler a, Schedule type: Karras, "
                                                        "CFG scale: 5.5, Seed: 42, Size: 768x512, Hires upscale: 2\n",
                                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, "a fox,\nin snow");
  params = horde_image_generate_async_request_get_params (request);
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (params), ==, "k_euler_a");
  g_assert_true (horde_model_generation_input_stable_get_karras (params));
  g_assert_true (horde_model_generation_input_stable_get_hires_fix (params));
  g_assert_cmpfloat (horde_model_generation_input_stable_get_cfg_scale (params), ==, 5.5);
  g_assert_cmpint (horde_model_generation_input_stable_get_width (params), ==, 768);
  g_assert_cmpint (horde_model_generation_input_stable_get_height (params), ==, 512);
  g_assert_cmpstr (horde_model_generation_input_stable_get_seed (params), ==, "42");

  /* LoRA tags anywhere: the words around them as they were */
  {
    const char *prompts[][2] = {
      { "<lora:a:1> a  fox, <lora:b:0.5>", "a  fox" },
      { "a <lora:a> fox,\nin snow", "a fox,\nin snow" },
      { "a fox<lora:a:1>in snow", "a foxin snow" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (prompts); i++)
      {
        g_autofree char *text = g_strdup_printf ("%s\nSteps: 30", prompts[i][0]);

        g_clear_pointer (&request, horde_image_generate_async_request_unref);
        request = horde_studio_png_settings_parse_parameters (text, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, prompts[i][1]);
      }
    {
      gsize n_loras = 0;

      horde_model_generation_input_stable_get_loras (horde_image_generate_async_request_get_params (request), &n_loras);
      g_assert_cmpuint (n_loras, ==, 1);
    }
  }

  g_clear_pointer (&request, horde_image_generate_async_request_unref);
  request = horde_studio_png_settings_parse_parameters ("a fox\nSteps: 30, Sampler: UniPC, CFG scale: 7", &error);
  g_assert_no_error (error);
  params = horde_image_generate_async_request_get_params (request);
  g_assert_null (horde_model_generation_input_stable_get_sampler_name (params));
  g_assert_false (horde_model_generation_input_stable_get_karras (params));
}

/* Horde Studio's own export: the request as JSON in `horde`, and the
 * same in `parameters` (with the Horde's sampler name) for other tools.
 * Texts beyond Latin-1 are written as iTXt. */
static void
test_horde_studio (void)
{
  g_autoptr(HordeImageGenerateAsyncRequest) expected = a1111_expected ();
  g_autofree char *request_json = horde_image_generate_async_request_to_json (expected);
  g_autofree char *horde = g_strdup_printf ("{\"request\":%s,\"generation\":null}", request_json);
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  png = make_png ("parameters", "something else\nSteps: 5, Sampler: k_euler, CFG scale: 7",
                  "horde", horde, NULL);
  request = read_png (png, &error);
  g_assert_no_error (error);
  assert_requests_equal (request, expected);

  /* what Horde Studio's export writes in `parameters` reads back too */
  g_clear_pointer (&request, horde_image_generate_async_request_unref);
  g_clear_pointer (&png, g_byte_array_unref);
  png = make_png ("parameters", "un chat 🐱\nSteps: 30, Sampler: k_dpmpp_sde, CFG scale: 7.5, Seed: 42, Size: 512x768, Model: AlbedoBase XL (SDXL)", NULL);
  request = read_png (png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, "un chat 🐱");
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (horde_image_generate_async_request_get_params (request)),
                   ==, "k_dpmpp_sde");
  g_assert_cmpstr (horde_image_generate_async_request_get_models (request)[0], ==, "AlbedoBase XL (SDXL)");

  /* a request the builders refuse is refused with their reason */
  g_clear_pointer (&request, horde_image_generate_async_request_unref);
  g_clear_pointer (&png, g_byte_array_unref);
  png = make_png ("horde", "{\"request\":{\"prompt\":\"x\",\"params\":{\"steps\":5000}}}", NULL);
  request = read_png (png, &error);
  g_assert_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID);
  g_assert_null (request);
  g_clear_error (&error);

  png = (g_byte_array_unref (png), make_png ("horde", "[1, 2", NULL));
  request = read_png (png, &error);
  g_assert_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT);
  g_assert_null (request);
}

static void
test_compressed (void)
{
  const char *text = "a lighthouse\nSteps: 12, Sampler: LMS, CFG scale: 6, Size: 640x512";
  g_autoptr(GByteArray) png = make_png (NULL, NULL);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) packed = deflate ((const guint8 *) text, strlen (text));
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  /* zTXt: keyword, nul, method 0, zlib data */
  g_byte_array_append (body, (const guint8 *) "parameters\0\0", 12);
  g_byte_array_append (body, packed->data, packed->len);
  insert_chunk (png, "zTXt", body->data, body->len, TRUE);
  request = read_png (png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (horde_image_generate_async_request_get_prompt (request), ==, "a lighthouse");
  g_assert_cmpint (horde_model_generation_input_stable_get_steps (horde_image_generate_async_request_get_params (request)), ==, 12);
  g_assert_cmpstr (horde_model_generation_input_stable_get_sampler_name (horde_image_generate_async_request_get_params (request)), ==, "k_lms");

  /* iTXt, compressed: keyword, nul, flag 1, method 0, language, nul,
   * translated keyword, nul, zlib data */
  g_clear_pointer (&request, horde_image_generate_async_request_unref);
  g_clear_pointer (&png, g_byte_array_unref);
  png = make_png (NULL, NULL);
  g_byte_array_set_size (body, 0);
  g_byte_array_append (body, (const guint8 *) "parameters\0\1\0en\0\0", 17);
  g_byte_array_append (body, packed->data, packed->len);
  insert_chunk (png, "iTXt", body->data, body->len, TRUE);
  request = read_png (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (horde_model_generation_input_stable_get_width (horde_image_generate_async_request_get_params (request)), ==, 640);
}

static void
assert_fails (GByteArray *png,
              int         code)
{
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = read_png (png, &error);
  g_assert_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, code);
  g_assert_null (request);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_no_settings (void)
{
  g_autoptr(GByteArray) plain = make_png (NULL, NULL);
  g_autoptr(GByteArray) other = make_png ("Software", "GIMP", "parameters", "just words", NULL);
  g_autoptr(GByteArray) jpeg = g_byte_array_new ();

  assert_fails (plain, HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS);
  assert_fails (other, HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS);
  g_byte_array_append (jpeg, (const guint8 *) "\xff\xd8\xff\xe0\0\x10JFIF", 10);
  assert_fails (jpeg, HORDE_STUDIO_PNG_SETTINGS_ERROR_NOT_PNG);
}

static void
test_invalid_values (void)
{
  const char *texts[] = {
    "x\nSteps: 5000, Sampler: Euler a, CFG scale: 7",  /* the builder's maximum is 500 */
    "x\nSteps: twenty, Sampler: Euler a",
    "x\nSteps: 20, Size: 512",
    "x\nSteps: 20, CFG scale: nan",
    "x <lora:a:lots>\nSteps: 20",
    "x <lora:a:5.8>\nSteps: 20",         /* a LoRA's builder refuses it (found by the fuzzer) */
  };

  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GByteArray) png = make_png ("parameters", texts[i], NULL);

      assert_fails (png, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID);
    }

  /* the reason is the builder's, by field */
  request = horde_studio_png_settings_parse_parameters (texts[0], &error);
  g_assert_error (error, HORDE_STUDIO_PNG_SETTINGS_ERROR, HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "steps: 5000"));
  g_clear_error (&error);
  request = horde_studio_png_settings_parse_parameters (texts[1], &error);
  g_assert_nonnull (strstr (error->message, "Steps: “twenty” is not a number"));
}

static void
test_hostile (void)
{
  g_autoptr(GByteArray) huge = make_png (NULL, NULL);
  g_autoptr(GByteArray) bad_crc = make_png (NULL, NULL);
  g_autoptr(GByteArray) truncated = make_png ("parameters", A1111_TEXT, NULL);
  g_autoptr(GByteArray) bomb = make_png (NULL, NULL);
  g_autoptr(GByteArray) itxt_bomb = make_png (NULL, NULL);
  g_autoptr(GByteArray) bad_zlib = make_png (NULL, NULL);
  g_autoptr(GByteArray) bad_utf8 = make_png (NULL, NULL);
  g_autoptr(GByteArray) lying_length = make_png (NULL, NULL);
  g_autoptr(GByteArray) many = make_png (NULL, NULL);
  g_autofree guint8 *zeros = g_malloc0 (16 * 1024 * 1024);
  g_autoptr(GByteArray) packed = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();

  /* a text chunk of 2 MiB */
  {
    g_autofree guint8 *text = g_malloc (2 * 1024 * 1024);

    memset (text, 'a', 2 * 1024 * 1024);
    memcpy (text, "parameters", 11);
    insert_chunk (huge, "tEXt", text, 2 * 1024 * 1024, TRUE);
    assert_fails (huge, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE);
  }

  insert_chunk (bad_crc, "tEXt", (const guint8 *) "parameters\0x\nSteps: 20", 22, FALSE);
  assert_fails (bad_crc, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT);

  /* cut anywhere: never read past the end, never a request */
  for (guint cut = 0; cut < truncated->len; cut += 7)
    {
      g_autoptr(GByteArray) part = g_byte_array_new ();
      g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
      g_autoptr(GError) error = NULL;

      g_byte_array_append (part, truncated->data, cut);
      request = read_png (part, &error);
      g_assert_null (request);
      g_assert_nonnull (error);
      g_assert_true (error->code == HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT ||
                     error->code == HORDE_STUDIO_PNG_SETTINGS_ERROR_NOT_PNG);
    }

  /* 16 MiB of zeros in some 16 KiB: refused at 1 MiB inflated */
  packed = deflate (zeros, 16 * 1024 * 1024);
  g_assert_cmpuint (packed->len, <, 64 * 1024);
  g_byte_array_append (body, (const guint8 *) "parameters\0\0", 12);
  g_byte_array_append (body, packed->data, packed->len);
  insert_chunk (bomb, "zTXt", body->data, body->len, TRUE);
  assert_fails (bomb, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE);

  g_byte_array_set_size (body, 0);
  g_byte_array_append (body, (const guint8 *) "parameters\0\1\0\0\0", 15);
  g_byte_array_append (body, packed->data, packed->len);
  insert_chunk (itxt_bomb, "iTXt", body->data, body->len, TRUE);
  assert_fails (itxt_bomb, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE);

  insert_chunk (bad_zlib, "zTXt", (const guint8 *) "parameters\0\0garbage", 19, TRUE);
  assert_fails (bad_zlib, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT);

  insert_chunk (bad_utf8, "iTXt", (const guint8 *) "parameters\0\0\0\0\0\xff\xfe", 17, TRUE);
  assert_fails (bad_utf8, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT);

  /* a length far past the end of the file */
  insert_chunk (lying_length, "tEXt", (const guint8 *) "parameters\0x", 12, TRUE);
  put_u32 (lying_length->data + lying_length->len - 12 - 24, 0xfffffff0);
  assert_fails (lying_length, HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT);

  /* more text chunks than any tool writes */
  for (int i = 0; i < 100; i++)
    insert_chunk (many, "tEXt", (const guint8 *) "Comment\0x", 9, TRUE);
  assert_fails (many, HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/png-settings/a1111", test_a1111);
  g_test_add_func ("/png-settings/a1111-schedule", test_a1111_schedule);
  g_test_add_func ("/png-settings/horde-studio", test_horde_studio);
  g_test_add_func ("/png-settings/compressed", test_compressed);
  g_test_add_func ("/png-settings/no-settings", test_no_settings);
  g_test_add_func ("/png-settings/invalid-values", test_invalid_values);
  g_test_add_func ("/png-settings/hostile", test_hostile);

  return g_test_run ();
}

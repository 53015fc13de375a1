/* fuzz-png-settings.c: settings read back from a dropped PNG
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the bytes of a PNG file (the corpus holds PNGs with tEXt, zTXt
 * and iTXt chunks of AUTOMATIC1111's `parameters` and Horde Studio's
 * `horde`). Oracles: reading ends in a request or in an error of
 * HORDE_STUDIO_PNG_SETTINGS_ERROR with a UTF-8 message, never both or
 * neither; a request read is one its builder accepts (validate) and that
 * reads back equal from its JSON. The same input, when it is UTF-8 text,
 * goes through the `parameters` parser directly.
 */

#include "config.h"

#include "fuzz-common.h"
#include "horde-studio-png-settings.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

static void
check (HordeImageGenerateAsyncRequest *request,
       GError                         *error)
{
  FUZZ_CHECK ((request == NULL) != (error == NULL), "request %p, error %p", (void *) request, (void *) error);
  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == HORDE_STUDIO_PNG_SETTINGS_ERROR, "error of domain %s: %s",
                  g_quark_to_string (error->domain), error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "a message that is not UTF-8");
      return;
    }

  {
    g_autoptr(GError) local_error = NULL;
    g_autofree char *json = horde_image_generate_async_request_to_json (request);
    g_autoptr(HordeImageGenerateAsyncRequest) again = NULL;

    FUZZ_CHECK (horde_image_generate_async_request_validate (request, &local_error),
                "a request the builder refuses: %s", local_error->message);
    again = horde_image_generate_async_request_new_from_json (json, -1, &local_error);
    FUZZ_CHECK (again != NULL && horde_image_generate_async_request_equal (request, again),
                "a request that does not read back from %s", json);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(HordeImageGenerateAsyncRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = horde_studio_png_settings_read (bytes, &error);
  check (request, error);

  if (g_utf8_validate_len ((const char *) data, size, NULL))
    {
      g_autofree char *text = g_strndup ((const char *) data, size);
      g_autoptr(HordeImageGenerateAsyncRequest) parsed = NULL;
      g_autoptr(GError) parse_error = NULL;

      parsed = horde_studio_png_settings_parse_parameters (text, &parse_error);
      check (parsed, parse_error);
    }
  return 0;
}

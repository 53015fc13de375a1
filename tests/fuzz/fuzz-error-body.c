/* fuzz-error-body.c: the error of a failed answer, from its body
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: a status line, "STATUS REASON\n", then the body as the server
 * sent it (every 4xx and 5xx goes through horde_error_new_for_answer(),
 * whatever its Content-Type). Without a newline the whole input is the
 * body of a 500 without a reason.
 *
 * Oracles: the error is a HORDE_ERROR with the status and the code that
 * status means (HORDE_ERROR_VALIDATION for a 400 with field errors); its
 * message, rc, server message and field errors are valid UTF-8 and the
 * message names the rc; a copy of the error keeps every detail;
 * horde_json_parse() of the body returns a node or a HORDE_ERROR.
 */

#include "config.h"

#include "fuzz-common.h"

#include "horde-error-private.h"
#include "horde-json-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (argc, argv);
  horde_error_quark ();
  return 0;
}

static void
check_utf8 (const char *what,
            const char *text)
{
  FUZZ_CHECK (text == NULL || g_utf8_validate (text, -1, NULL), "the %s is not UTF-8", what);
}

static gboolean
same_fields (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *reason = NULL, *body, *rc;
  gsize body_len;
  guint status = 500;
  GHashTable *fields;
  HordeError code;

  if (newline != NULL)
    {
      char *space;

      line = g_strndup ((const char *) data, newline - data);
      status = (guint) (g_ascii_strtoull (line, NULL, 10) % 1000);
      if ((space = strchr (line, ' ')) != NULL)
        reason = space + 1;
      body = (const char *) newline + 1;
      body_len = size - (newline + 1 - data);
    }
  else
    {
      body = (const char *) data;
      body_len = size;
    }
  /* the reason phrase is a header line's text: libsoup gives UTF-8 or nothing */
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    reason = NULL;

  error = horde_error_new_for_answer (status, reason, body, body_len);
  FUZZ_CHECK (error != NULL && error->domain == HORDE_ERROR, "no HORDE_ERROR");
  FUZZ_CHECK (horde_error_get_status (error) == status, "status %u, not %u", horde_error_get_status (error), status);

  fields = horde_error_get_field_errors (error);
  code = horde_error_code_for_status (status);
  if (status == 400 && fields != NULL && g_hash_table_size (fields) > 0)
    code = HORDE_ERROR_VALIDATION;
  FUZZ_CHECK (error->code == (int) code, "code %d for status %u, not %d", error->code, status, code);
  FUZZ_CHECK (horde_error_is_transient (error) ==
              (code == HORDE_ERROR_TIMEOUT || code == HORDE_ERROR_SERVER_ERROR || code == HORDE_ERROR_RATE_LIMITED),
              "is_transient() is wrong for code %d", code);

  check_utf8 ("message", error->message);
  rc = horde_error_get_rc (error);
  check_utf8 ("rc", rc);
  check_utf8 ("server message", horde_error_get_server_message (error));
  FUZZ_CHECK (rc == NULL || strstr (error->message, rc) != NULL, "the message does not name the rc");
  if (fields != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          FUZZ_CHECK (key != NULL && value != NULL, "a field error without a name or a text");
          check_utf8 ("field name", key);
          check_utf8 ("field error", value);
        }
    }

  copy = g_error_copy (error);
  FUZZ_CHECK (copy->code == error->code && g_str_equal (copy->message, error->message) &&
              horde_error_get_status (copy) == status &&
              g_strcmp0 (horde_error_get_rc (copy), rc) == 0 &&
              g_strcmp0 (horde_error_get_server_message (copy), horde_error_get_server_message (error)) == 0 &&
              same_fields (horde_error_get_field_errors (copy), fields),
              "a copy of the error lost details");

  /* the untyped answers' parser, on its own */
  node = horde_json_parse (body, body_len, &parse_error);
  FUZZ_CHECK ((node != NULL) != (parse_error != NULL), "horde_json_parse() gave both or neither");
  FUZZ_CHECK (node != NULL || g_error_matches (parse_error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON),
              "horde_json_parse() failed without HORDE_ERROR_INVALID_JSON");
  if (node != NULL)
    g_free (json_to_string (node, FALSE));

  return 0;
}

/* test-json.c: JSON in and out, as a hostile server would test it
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything a server sends goes through libhorde's own reader, and
 * everything libhorde writes must be JSON that any strict reader takes.
 * These cases are the documents an attacker (or a broken proxy) would
 * send: deep nesting, numbers at and past the limits of the C types,
 * NULs, duplicate members, control characters.
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <libhorde.h>

#include "horde-error-private.h"
#include "horde-json-private.h"
#include "horde-model-private.h"

/* -------------------------------------------------------------------------
 * A strict reader of RFC 8259, grammar only, to check what libhorde
 * writes: no NaN, no infinity, no leading zeros or "+", no raw control
 * characters, valid UTF-8 (RFC 8259 §8.1), no lone surrogate escapes.
 * libhorde's own rule comes on top: no raw U+007F..U+009F in strings.
 */

typedef struct {
  const guchar *p, *end;
  const char *why;
} Strict;

static gboolean strict_value (Strict *s, guint depth);

static void
strict_space (Strict *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
strict_fail (Strict     *s,
             const char *why)
{
  if (s->why == NULL)
    s->why = why;
  return FALSE;
}

static gboolean
strict_hex4 (Strict   *s,
             gunichar *u)
{
  *u = 0;
  for (int i = 0; i < 4; i++, s->p++)
    {
      if (s->p >= s->end || !g_ascii_isxdigit (*s->p))
        return strict_fail (s, "bad \\u escape");
      *u = *u * 16 + g_ascii_xdigit_value (*s->p);
    }
  return TRUE;
}

static gboolean
strict_string (Strict *s)
{
  const guchar *start;

  if (s->p >= s->end || *s->p != '"')
    return strict_fail (s, "a string was expected");
  start = ++s->p;
  while (s->p < s->end && *s->p != '"')
    {
      if (*s->p < 0x20)
        return strict_fail (s, "raw control character in a string");
      if (*s->p == 0x7f || (*s->p == 0xc2 && s->p + 1 < s->end && s->p[1] >= 0x80 && s->p[1] <= 0x9f))
        return strict_fail (s, "raw C1 control character (or DEL) in a string");
      if (*s->p == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            return strict_fail (s, "text ends in an escape");
          if (*s->p == 'u')
            {
              gunichar u;

              s->p++;
              if (!strict_hex4 (s, &u))
                return FALSE;
              if (u >= 0xdc00 && u <= 0xdfff)
                return strict_fail (s, "lone low surrogate");
              if (u >= 0xd800 && u <= 0xdbff)
                {
                  if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                    return strict_fail (s, "lone high surrogate");
                  s->p += 2;
                  if (!strict_hex4 (s, &u))
                    return FALSE;
                  if (u < 0xdc00 || u > 0xdfff)
                    return strict_fail (s, "lone high surrogate");
                }
              continue;
            }
          if (strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return strict_fail (s, "unknown escape");
        }
      s->p++;
    }
  if (s->p >= s->end)
    return strict_fail (s, "text ends in a string");
  if (!g_utf8_validate ((const char *) start, s->p - start, NULL))
    return strict_fail (s, "a string is not UTF-8");
  s->p++;
  return TRUE;
}

static gboolean
strict_digits (Strict *s)
{
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return strict_fail (s, "a digit was expected");
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return TRUE;
}

static gboolean
strict_number (Strict *s)
{
  const guchar *start = s->p;
  char *text;
  double d;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!strict_digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!strict_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!strict_digits (s))
        return FALSE;
    }

  /* RFC 8259 §6: beyond a double is beyond interoperable */
  text = g_strndup ((const char *) start, s->p - start);
  d = g_ascii_strtod (text, NULL);
  g_free (text);
  if (!isfinite (d))
    return strict_fail (s, "a number past the range of a double");
  return TRUE;
}

static gboolean
strict_value (Strict *s,
              guint   depth)
{
  if (depth > 600)
    return strict_fail (s, "too deep");
  strict_space (s);
  if (s->p >= s->end)
    return strict_fail (s, "text ends where a value was expected");

  switch (*s->p)
    {
    case '{':
      s->p++;
      strict_space (s);
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          strict_space (s);
          if (!strict_string (s))
            return FALSE;
          strict_space (s);
          if (s->p >= s->end || *s->p++ != ':')
            return strict_fail (s, "“:” was expected");
          if (!strict_value (s, depth + 1))
            return FALSE;
          strict_space (s);
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == '}')
            {
              s->p++;
              return TRUE;
            }
          return strict_fail (s, "“,” or “}” was expected");
        }

    case '[':
      s->p++;
      strict_space (s);
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          if (!strict_value (s, depth + 1))
            return FALSE;
          strict_space (s);
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == ']')
            {
              s->p++;
              return TRUE;
            }
          return strict_fail (s, "“,” or “]” was expected");
        }

    case '"':
      return strict_string (s);

    case 't':
    case 'f':
    case 'n':
      {
        const char *word = *s->p == 't' ? "true" : *s->p == 'f' ? "false" : "null";
        gsize len = strlen (word);

        if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
          return strict_fail (s, "unknown literal");
        s->p += len;
        return TRUE;
      }

    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return strict_number (s);
      return strict_fail (s, "unexpected character");
    }
}

/* Texts that passed the C check, for Python's reader too (one process for
 * many: see check_with_python()) */
static GPtrArray *python_queue;

/* Asserts that @text is strict JSON, by this file's reader now and by
 * Python's json module at the end of the test */
static void
assert_strict_json (const char *text)
{
  Strict s = { (const guchar *) text, (const guchar *) text + strlen (text), NULL };

  if (!strict_value (&s, 0))
    g_error ("not strict JSON (%s at offset %ld): %s", s.why, (long) (s.p - (const guchar *) text), text);
  strict_space (&s);
  if (s.p != s.end)
    g_error ("not strict JSON (text after the value at offset %ld): %s", (long) (s.p - (const guchar *) text), text);

  if (python_queue == NULL)
    python_queue = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (python_queue, g_strdup (text));
}

/* Python's json module, with NaN, Infinity and numbers that become
 * infinite refused: the texts go one a line (what libhorde writes has no
 * raw newline), and the script says which line fails. */
static void
check_with_python (void)
{
  const char *script =
    "import json, math, sys\n"
    "def constant(c):\n"
    "    raise ValueError('not JSON: ' + c)\n"
    "def number(t):\n"
    "    v = float(t)\n"
    "    if not math.isfinite(v):\n"
    "        raise ValueError('past a double: ' + t)\n"
    "    return v\n"
    "n = 0\n"
    "for line in sys.stdin.buffer.read().split(b'\\n')[:-1]:\n"
    "    try:\n"
    "        json.loads(line.decode('utf-8', 'strict'), parse_constant=constant, parse_float=number)\n"
    "    except Exception as e:\n"
    "        print('%s: %r' % (e, line[:300]))\n"
    "        sys.exit(1)\n"
    "    n += 1\n"
    "print(n)\n";
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (python_queue == NULL || python_queue->len == 0)
    return;
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("no /usr/bin/python3: the texts were checked by this file's reader only");
      g_ptr_array_set_size (python_queue, 0);
      return;
    }

  for (guint i = 0; i < python_queue->len; i++)
    {
      g_assert_null (strchr (python_queue->pdata[i], '\n'));
      g_string_append (input, python_queue->pdata[i]);
      g_string_append_c (input, '\n');
    }
  stdin_bytes = g_bytes_new (input->str, input->len);

  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "/usr/bin/python3", "-I", "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (python, stdin_bytes, NULL, &stdout_bytes, NULL, &error);
  g_assert_no_error (error);
  out = g_strndup (g_bytes_get_data (stdout_bytes, NULL), g_bytes_get_size (stdout_bytes));
  if (!g_subprocess_get_if_exited (python) || g_subprocess_get_exit_status (python) != 0)
    g_error ("Python's json module refuses a text: %s", out);
  g_assert_cmpuint (g_ascii_strtoull (out, NULL, 10), ==, python_queue->len);

  g_ptr_array_set_size (python_queue, 0);
}

/* The round trip every model must survive: what the reader takes, the
 * writer writes; that reads back as an equal model, which writes the same
 * text byte for byte. Returns the text written (or NULL if @text is
 * refused). */
static char *
check_round_trip (const HordeModelInfo *info,
                  const char           *text,
                  gssize                length)
{
  g_autoptr(GError) error = NULL;
  gpointer first, second;
  char *written;
  g_autofree char *again = NULL;

  first = horde_model_new_from_json (info, text, length, &error);
  if (first == NULL)
    return NULL;

  written = horde_model_to_json (first);
  assert_strict_json (written);
  second = horde_model_new_from_json (info, written, -1, &error);
  if (second == NULL)
    g_error ("%s: %s\n  read from %s\n  wrote %s", info->schema, error->message, text, written);
  if (!horde_model_equal (first, second))
    g_error ("%s: the model read back differs\n  read from %s\n  wrote %s", info->schema, text, written);
  again = horde_model_to_json (second);
  if (!g_str_equal (written, again))
    g_error ("%s: written twice, the texts differ\n  read from %s\n  wrote %s\n  then %s",
             info->schema, text, written, again);

  horde_model_unref (first);
  horde_model_unref (second);
  return written;
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* "[{<item>},{<item>},…]" with @n items */
static char *
repeat_list (const char *item,
             guint       n)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, item);
    }
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* An array element that is not an object makes the reader read the array
 * again as a plain value: the depth of the first attempt must not stay
 * counted, or a long enough list of such arrays is "too deep". */
static void
test_read_depth_restored (void)
{
  g_autofree char *users = repeat_list ("{\"id\": 1, \"styles\": [null]}", 520);
  g_autofree char *workers = repeat_list ("{\"name\": \"w\", \"messages\": [null, 1]}", 520);
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeUserDetailsList) user_list = NULL;
  g_autoptr(HordeWorkerDetailsList) worker_list = NULL;
  HordeUserDetails *user;

  user_list = horde_user_details_list_new_from_json (users, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (horde_user_details_list_get_n_items (user_list), ==, 520);
  user = horde_user_details_list_get_item (user_list, 519);
  g_assert_cmpint (horde_user_details_get_id (user), ==, 1);
  /* the array that is not one of styles is kept as it came */
  g_assert_true (json_object_has_member (horde_user_details_get_extra_fields (user), "styles"));

  worker_list = horde_worker_details_list_new_from_json (workers, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (horde_worker_details_list_get_n_items (worker_list), ==, 520);

  /* and the limit itself still holds, counted right: the list, a user and
   * 510 arrays are 512 levels, one more array is too deep */
  for (guint levels = 511; levels <= 513; levels++)
    {
      g_autoptr(GString) deep = g_string_new ("[{\"id\": 1, \"styles\": [null], \"x\": ");
      g_autoptr(HordeUserDetailsList) list = NULL;
      g_autoptr(GError) deep_error = NULL;

      for (guint i = 2; i < levels; i++)
        g_string_append_c (deep, '[');
      for (guint i = 2; i < levels; i++)
        g_string_append_c (deep, ']');
      g_string_append (deep, "}]");
      list = horde_user_details_list_new_from_json (deep->str, deep->len, &deep_error);
      if (levels <= 512)
        {
          g_assert_no_error (deep_error);
          g_assert_nonnull (list);
        }
      else
        {
          g_assert_null (list);
          g_assert_error (deep_error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
          g_assert_nonnull (strstr (deep_error->message, "512"));
        }
    }
}

/* A C string cannot hold U+0000: an escaped one becomes U+FFFD, the
 * replacement character, rather than failing the whole document (one
 * worker's name would break the list of all workers). A raw NUL byte is
 * a control character, which JSON does not allow inside a string. */
static void
test_read_nul_escape (void)
{
  const char *workers = "[{\"name\": \"good\"}, {\"name\": \"bad\\u0000name\", \"\\u0000\": \"x\\u0000\"}]";
  const char raw[] = "[{\"name\": \"bad\0name\"}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeWorkerDetailsList) list = NULL;
  HordeWorkerDetails *worker;
  JsonObject *extra;

  list = horde_worker_details_list_new_from_json (workers, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (horde_worker_details_list_get_n_items (list), ==, 2);
  worker = horde_worker_details_list_get_item (list, 1);
  g_assert_cmpstr (horde_worker_details_get_name (worker), ==, "bad\xef\xbf\xbdname");
  extra = horde_worker_details_get_extra_fields (worker);
  g_assert_cmpstr (json_object_get_string_member (extra, "\xef\xbf\xbd"), ==, "x\xef\xbf\xbd");
  g_clear_pointer (&list, horde_worker_details_list_unref);

  list = horde_worker_details_list_new_from_json (raw, sizeof raw - 1, &error);
  g_assert_null (list);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "control character"));
  g_clear_error (&error);

  /* and after an escape, where the reader takes its slower path */
  {
    const char raw_escaped[] = "[{\"name\": \"\\n\0\"}]";

    list = horde_worker_details_list_new_from_json (raw_escaped, sizeof raw_escaped - 1, &error);
    g_assert_null (list);
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
  }
}

/* An integer field takes a number written with a fraction or an exponent
 * when its value is an integer that gint64 holds; the range is checked
 * before any conversion (a double past gint64 converted is undefined
 * behaviour, which UBSan reports), and all of gint64's range is taken. */
static void
test_read_int_range (void)
{
  static const struct {
    const char *text;
    gboolean fits;
    gint64 value;
  } cases[] = {
    { "1e45", FALSE, 0 },
    { "-1e45", FALSE, 0 },
    { "1e400", FALSE, 0 },
    { "9.223372036854775807e18", FALSE, 0 },   /* 2^63, as a double */
    { "9223372036854775808", FALSE, 0 },       /* 2^63 */
    { "18446744073709551616", FALSE, 0 },      /* 2^64 */
    { "1.5", FALSE, 0 },
    { "9.22e18", TRUE, G_GINT64_CONSTANT (9220000000000000000) },
    { "-9.223372036854775808e18", TRUE, G_MININT64 },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "-9223372036854775808", TRUE, G_MININT64 },
    { "2.0", TRUE, 2 },
    { "25e-1", FALSE, 0 },
    { "1E3", TRUE, 1000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"finished\": %s}", cases[i].text);
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeRequestStatusCheck) check = horde_request_status_check_new_from_json (text, -1, &error);

      g_test_message ("%s", text);
      g_assert_no_error (error);
      g_assert_cmpint (horde_request_status_check_has_finished (check), ==, cases[i].fits);
      if (cases[i].fits)
        g_assert_cmpint (horde_request_status_check_get_finished (check), ==, cases[i].value);
      else
        g_assert_true (json_object_has_member (horde_request_status_check_get_extra_fields (check), "finished"));
    }
}

/* A member given twice: the last value wins, whichever of the two fits
 * its field, and the member is written once. */
static void
test_read_duplicate_members (void)
{
  const HordeModelInfo *info = horde_model_info_from_type (HORDE_TYPE_REQUEST_STATUS_CHECK);
  static const struct {
    const char *text;
    const char *written;
  } cases[] = {
    /* the first does not fit (kept as it came), the second does */
    { "{\"finished\": \"many\", \"finished\": 3}", "{\"finished\":3}" },
    { "{\"finished\": null, \"finished\": 3}", "{\"finished\":3}" },
    { "{\"finished\": [1], \"finished\": 3, \"x\": 1}", "{\"finished\":3,\"x\":1}" },
    /* the first fits, the second does not */
    { "{\"finished\": 3, \"finished\": \"many\"}", "{\"finished\":\"many\"}" },
    { "{\"finished\": 3, \"finished\": null}", "{\"finished\":null}" },
    { "{\"done\": true, \"done\": null}", "{\"done\":null}" },
    { "{\"done\": true, \"done\": 1}", "{\"done\":1}" },
    /* three times, and both kinds of member */
    { "{\"finished\": 1, \"finished\": null, \"finished\": 2}", "{\"finished\":2}" },
    { "{\"finished\": null, \"finished\": 2, \"finished\": {}}", "{\"finished\":{}}" },
    { "{\"x\": 1, \"x\": [2]}", "{\"x\":[2]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *written = NULL;

      g_test_message ("%s", cases[i].text);
      written = check_round_trip (info, cases[i].text, -1);
      g_assert_cmpstr (written, ==, cases[i].written);
    }

  /* in the items of a list too */
  {
    const HordeModelInfo *list = horde_model_info_from_type (HORDE_TYPE_WORKER_DETAILS_LIST);
    g_autofree char *written = check_round_trip (list, "[{\"name\": 1, \"name\": \"a\"}, {\"name\": \"a\", \"name\": null}]", -1);

    g_assert_cmpstr (written, ==, "[{\"name\":\"a\"},{\"name\":null}]");
    g_assert_cmpuint (count_occurrences (written, "\"name\""), ==, 2);
  }

  check_with_python ();
}

/* JSON has no infinity: a number past the range of a double is read as the
 * largest double of its sign, so that no model read from text holds a
 * value that cannot be written back as JSON. */
static void
test_read_out_of_range (void)
{
  static const struct {
    const char *text;
    double value;
  } cases[] = {
    { "1e400", DBL_MAX },
    { "-1e400", -DBL_MAX },
    { "1.8e308", DBL_MAX },
    { "123456789e305", DBL_MAX },
    { "0.000001e314", 1e308 },
    { "1.7976931348623157e308", DBL_MAX },
    { "-1.7976931348623157e308", -DBL_MAX },
    { "1e-400", 0.0 },
    { "4.9e-324", 4.9406564584124654e-324 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"performance\": %s, \"count\": %s, \"new\": %s, \"list\": [%s]}",
                                               cases[i].text, cases[i].text, cases[i].text, cases[i].text);
      g_autoptr(GError) error = NULL;
      g_autoptr(HordeActiveModel) model = horde_active_model_new_from_json (text, -1, &error);
      JsonObject *extra;

      g_test_message ("%s", text);
      g_assert_no_error (error);
      /* a double field */
      g_assert_cmpfloat (horde_active_model_get_performance (model), ==, cases[i].value);
      /* an integer field it does not fit, an unknown member, an array */
      extra = horde_active_model_get_extra_fields (model);
      if (cases[i].value == 0.0)
        g_assert_cmpint (horde_active_model_get_count (model), ==, 0);
      else
        g_assert_cmpfloat (json_object_get_double_member (extra, "count"), ==, cases[i].value);
      g_assert_cmpfloat (json_object_get_double_member (extra, "new"), ==, cases[i].value);
      g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (extra, "list"), 0), ==,
                         cases[i].value);
    }

  /* a number for a string field is kept as text, a finite one */
  {
    g_autoptr(HordeGenerationStable) gen =
      horde_generation_stable_new_from_json ("{\"seed\": -1e400}", -1, NULL);

    g_assert_cmpfloat (g_ascii_strtod (horde_generation_stable_get_seed (gen), NULL), ==, -DBL_MAX);
  }
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *text = g_string_sized_new (strlen (unit) * n);

  for (guint i = 0; i < n; i++)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

/* Error bodies and answers of no model type are read into a tree by the
 * same depth-limited reader: 200,000 "[" are an error, not a stack
 * overflow, and an error body that is not JSON leaves the HTTP reason as
 * the message. */
static void
test_parse_deep (void)
{
  const char *units[] = { "[", "{\"a\":", "[{\"a\":[" };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree char *deep = repeat (units[i], 200000);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = horde_json_parse (deep, -1, &error);

      g_assert_null (node);
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      g_assert_nonnull (strstr (error->message, "512"));
      g_clear_error (&error);

      error = horde_error_new_for_answer (500, "Internal Server Error", deep, strlen (deep));
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_SERVER_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "Internal Server Error"));
      g_assert_null (horde_error_get_rc (error));
      g_assert_null (horde_error_get_server_message (error));
    }

  /* 512 levels are still fine */
  {
    g_autofree char *open = repeat ("[", 512);
    g_autofree char *close = repeat ("]", 512);
    g_autofree char *text = g_strconcat (open, close, NULL);
    g_autoptr(JsonNode) node = horde_json_parse (text, -1, NULL);

    g_assert_nonnull (node);
  }
}

static void
assert_parses_to_double (const char *text,
                         double      value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = horde_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    g_error ("%s: not read as a double but as a %s", text, g_type_name (json_node_get_value_type (node)));
  g_assert_cmpfloat (json_node_get_double (node), ==, value);
}

/* The tree reader has the text reader's rules: integers past gint64 are
 * doubles (json-glib's parser wraps 2^63 to -2^63), numbers past a double
 * are ±DBL_MAX, U+0000 is U+FFFD, lone surrogates and raw control
 * characters are refused, a byte order mark is skipped, the tree is
 * immutable as json-glib's immutable parser makes it. */
static void
test_parse_rules (void)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  assert_parses_to_double ("9223372036854775808", 9223372036854775808.0);
  assert_parses_to_double ("-9223372036854775809", -9223372036854775808.0);
  assert_parses_to_double ("18446744073709551616", 18446744073709551616.0);
  assert_parses_to_double ("1e400", DBL_MAX);
  assert_parses_to_double (" -1e400 ", -DBL_MAX);
  assert_parses_to_double ("2.5", 2.5);

  node = horde_json_parse ("[9223372036854775807, -9223372036854775808, 0]", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (node), 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (node), 1), ==, G_MININT64);
  g_assert_true (json_node_is_immutable (node));
  g_clear_pointer (&node, json_node_unref);

  node = horde_json_parse ("\xef\xbb\xbf{\"a\\u0000\": \"b\\u0000c\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a\xef\xbf\xbd"), ==,
                   "b\xef\xbf\xbd" "c");
  g_clear_pointer (&node, json_node_unref);

  {
    const char *bad[] = {
      "", "  ", "[1,]", "{\"a\" 1}", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud800\\u0041\"",
      "\"a\tb\"", "NaN", "Infinity", "-Infinity", "[1] [2]", "01", "1.", ".5", "+1", "\"\xc0\xaf\"",
      "'a'", "[1, 2", "{\"a\": 1,}", "tru", "nul",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;
        g_autofree char *shown = g_strescape (bad[i], NULL);

        /* escaped: TAP output must be UTF-8 */
        g_test_message ("%s", shown);
        node = horde_json_parse (bad[i], -1, &bad_error);
        g_assert_null (node);
        g_assert_error (bad_error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      }
  }

  /* an error body as the AI Horde sends it still gives its parts */
  {
    const char *body = "{\"message\": \"Wrong\", \"rc\": \"Bad\\u0000\", \"errors\": {\"a\": \"x\"}}";

    error = horde_error_new_for_answer (400, "Bad Request", body, strlen (body));
  }
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_assert_cmpstr (horde_error_get_server_message (error), ==, "Wrong");
  g_assert_cmpstr (horde_error_get_rc (error), ==, "Bad\xef\xbf\xbd");
  g_assert_cmpstr (g_hash_table_lookup (horde_error_get_field_errors (error), "a"), ==, "x");
}

/* What the writer makes of a double: the shortest text that reads back
 * as the same double, integers below 2^53 as integers, larger ones in
 * exponent form, and nothing that is not JSON. */
static void
test_write_numbers (void)
{
  static const struct {
    double value;
    const char *text;
  } cases[] = {
    { 10.0, "10" },
    { -10.0, "-10" },
    { 0.0, "0" },
    { -0.0, "-0.0" },
    { 0.1, "0.1" },
    { 2.5, "2.5" },
    { 123.456, "123.456" },
    { 1e-5, "1e-05" },
    { 1.5e-7, "1.5e-07" },
    { 5e20, "5e+20" },
    { 1e21, "1e+21" },
    { 1e15, "1000000000000000" },
    { 1000000000000000.5, "1000000000000000.5" },
    { 9007199254740991.0, "9007199254740991" },   /* 2^53 - 1 */
    { 9007199254740992.0, "9.007199254740992e+15" },
    { 9223372036854775808.0, "9.223372036854776e+18" },
    { 18446744073709551616.0, "1.8446744073709552e+19" },
    { DBL_MAX, "1.7976931348623157e+308" },
    { -DBL_MAX, "-1.7976931348623157e+308" },
    { DBL_MIN, "2.2250738585072014e-308" },
    { 4.9406564584124654e-324, "5e-324" },        /* the smallest subnormal */
    { 1e-310, "1e-310" },
    { 0.30000000000000004, "0.30000000000000004" },
  };
  char buf[HORDE_JSON_DOUBLE_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = horde_json_node_to_string (node, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].text);
      assert_strict_json (text);
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
      g_assert_cmpint (!!signbit (g_ascii_strtod (text, NULL)), ==, !!signbit (cases[i].value));
    }

  /* integers, through another path than printf */
  {
    const gint64 ints[] = { 0, 1, -1, 42, G_MAXINT64, G_MININT64, G_MININT64 + 1, 1000000 };

    for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
      {
        g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), ints[i]);
        g_autofree char *text = horde_json_node_to_string (node, NULL);
        g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, ints[i]);

        g_assert_cmpstr (text, ==, expected);
      }
  }

  /* any double: random bits, and random short decimals */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (20260517);

    for (guint i = 0; i < 200000; i++)
      {
        double d;
        gsize len;
        double back;

        if (i % 2 == 0)
          {
            guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

            memcpy (&d, &bits, sizeof d);
            if (!isfinite (d))
              continue;
          }
        else
          d = (double) g_rand_int_range (rand, -100000, 100000) /
              pow (10, g_rand_int_range (rand, -20, 20));

        len = horde_json_format_double (buf, d);
        g_assert_cmpuint (len, ==, strlen (buf));
        back = g_ascii_strtod (buf, NULL);
        if (back != d || !!signbit (back) != !!signbit (d))
          g_error ("%.17g is written %s, which reads as %.17g", d, buf, back);
        if (fabs (d) < 0x1p53 && d == trunc (d) && d != 0)
          g_assert_null (strpbrk (buf, ".eE"));
        else if (fabs (d) >= 0x1p53)
          g_assert_nonnull (strchr (buf, 'e'));
        else
          g_assert_nonnull (strpbrk (buf, ".eE"));

        /* and none shorter would do, for a sample */
        if (i % 50 == 0 && fabs (d) < 0x1p53 && d != trunc (d))
          {
            char shorter[HORDE_JSON_DOUBLE_BUF_SIZE];
            const char *mantissa_end = strpbrk (buf, "eE");
            guint digits = 0;

            for (const char *p = buf; *p && p != mantissa_end; p++)
              if (g_ascii_isdigit (*p))
                digits++;
            /* leading zeros of 0.000123 are no significant digits */
            for (const char *p = buf; *p == '-' || *p == '0' || *p == '.'; p++)
              if (*p == '0')
                digits--;
            for (guint n = 1; n + 1 < digits; n++)
              {
                g_snprintf (shorter, sizeof shorter, "%.*g", (int) n, d);
                if (g_ascii_strtod (shorter, NULL) == d)
                  g_error ("%.17g is written %s, where %s reads back the same", d, buf, shorter);
              }
          }

        if (i % 1000 == 0)
          assert_strict_json (buf);
      }
  }

  check_with_python ();
}

/* Numbers in models as the server wrote them: an integer-valued number
 * stays an integer ("10", not "10.0"), a double that only an exponent
 * writes briefly is "5e+20", not json-glib's "5e+20.0", and nothing is
 * "inf.0". */
static void
test_write_model_numbers (void)
{
  static const struct {
    GType (*type) (void);
    const char *text;
    const char *written;
  } cases[] = {
    { horde_active_model_get_type, "{\"performance\": 10}", "{\"performance\":10}" },
    { horde_active_model_get_type, "{\"performance\": 10.0}", "{\"performance\":10}" },
    { horde_active_model_get_type, "{\"performance\": 0.1}", "{\"performance\":0.1}" },
    { horde_active_model_get_type, "{\"performance\": -0.0}", "{\"performance\":-0.0}" },
    { horde_active_model_get_type, "{\"performance\": 1e400}", "{\"performance\":1.7976931348623157e+308}" },
    { horde_active_model_get_type, "{\"performance\": 5e20}", "{\"performance\":5e+20}" },
    /* the unknown members: json-glib's generator wrote these */
    { horde_active_model_get_type, "{\"a\": 5e20}", "{\"a\":5e+20}" },
    { horde_active_model_get_type, "{\"a\": 1e400}", "{\"a\":1.7976931348623157e+308}" },
    { horde_active_model_get_type, "{\"a\": 2.0}", "{\"a\":2}" },
    { horde_active_model_get_type, "{\"a\": -0.0}", "{\"a\":-0.0}" },
    { horde_active_model_get_type, "{\"a\": 9223372036854775808}", "{\"a\":9.223372036854776e+18}" },
    { horde_active_model_get_type, "{\"a\": [1.5e300, -1e400, {\"b\": 0.5, \"c\": 1E2}]}",
      "{\"a\":[1.5e+300,-1.7976931348623157e+308,{\"b\":0.5,\"c\":100}]}" },
    /* a field of JSON */
    { horde_img_model_stats_get_type, "{\"day\": {\"x\": 1e400, \"y\": 3.0}}",
      "{\"day\":{\"x\":1.7976931348623157e+308,\"y\":3}}" },
    /* a list of news, as `horde api GET /v2/status/news` printed it */
    { horde_newspiece_list_get_type, "[{\"extra\": 1e400}]", "[{\"extra\":1.7976931348623157e+308}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *written = NULL;

      g_test_message ("%s", cases[i].text);
      written = check_round_trip (horde_model_info_from_type (cases[i].type ()), cases[i].text, -1);
      g_assert_cmpstr (written, ==, cases[i].written);
    }

  /* an answer of no model, and the field errors of an error body */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(JsonNode) node = horde_json_parse ("{\"kudos\": 5e20, \"n\": 10.0}", -1, NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    const char *body = "{\"message\": \"m\", \"errors\": {\"a\": 5e20, \"b\": [1.0]}}";

    g_value_init (&value, JSON_TYPE_NODE);
    g_value_set_boxed (&value, node);
    text = horde_value_to_json (&value);
    g_assert_cmpstr (text, ==, "{\"kudos\":5e+20,\"n\":10}");

    error = horde_error_new_for_answer (400, "Bad Request", body, strlen (body));
    g_assert_cmpstr (g_hash_table_lookup (horde_error_get_field_errors (error), "a"), ==, "5e+20");
    g_assert_cmpstr (g_hash_table_lookup (horde_error_get_field_errors (error), "b"), ==, "[1]");
  }

  check_with_python ();
}

/* A tree that cannot be JSON is refused, with where and why, rather than
 * written as "nan", "inf.0" or a null it never was. */
static void
test_write_refuses (void)
{
  static const struct {
    const char *where;
    const char *what;
  } cases[] = {
    { "$", "not a finite number" },
    { "$.a[1]", "not a finite number" },
    { "$.a[2]", "not a finite number" },
    { "$.s", "not valid UTF-8" },
    { "$.o", "not valid UTF-8" },
    { "$", "512" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_auto(GValue) value = G_VALUE_INIT;

      switch (i)
        {
        case 0:
          node = json_node_init_double (json_node_alloc (), NAN);
          break;
        case 1:
        case 2:
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "a");
          json_builder_begin_array (builder);
          json_builder_add_int_value (builder, 1);
          if (i == 2)
            json_builder_add_double_value (builder, 2.5);
          json_builder_add_double_value (builder, i == 1 ? INFINITY : -INFINITY);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          break;
        case 3:
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "s");
          json_builder_add_string_value (builder, "caf\xe9");
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          break;
        case 4:
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "o");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "\xff");
          json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          break;
        case 5:
          node = json_node_init_array (json_node_alloc (), json_array_new ());
          for (guint j = 0; j < 600; j++)
            {
              JsonArray *outer = json_array_new ();

              json_array_add_element (outer, node);
              node = json_node_init_array (json_node_alloc (), outer);
              json_array_unref (outer);
            }
          break;
        default:
          g_assert_not_reached ();
        }

      text = horde_json_node_to_string (node, &error);
      g_assert_null (text);
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].where));
      g_assert_nonnull (strstr (error->message, cases[i].what));
      g_clear_error (&error);

      /* nor does it make a model, nor the text of an answer */
      g_assert_null (horde_model_new_from_json_node (horde_model_info_from_type (HORDE_TYPE_ACTIVE_MODEL),
                                                     node, &error));
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      g_value_init (&value, JSON_TYPE_NODE);
      g_value_set_boxed (&value, node);
      g_assert_null (horde_value_to_json (&value));
    }

  /* 512 levels are written, and read back */
  {
    g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), json_array_new ());
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) back = NULL;

    for (guint j = 1; j < 512; j++)
      {
        JsonArray *outer = json_array_new ();

        json_array_add_element (outer, node);
        node = json_node_init_array (json_node_alloc (), outer);
        json_array_unref (outer);
      }
    text = horde_json_node_to_string (node, NULL);
    g_assert_nonnull (text);
    back = horde_json_parse (text, -1, NULL);
    g_assert_nonnull (back);
    g_assert_true (horde_json_equal (node, back));
  }
}

/* Control characters are escaped, the C1 ones (U+0080..U+009F) and DEL
 * too: a terminal may act on them (U+009B is a one-character CSI), and
 * JSON text is printed to terminals. Other characters go as they are. */
static void
test_write_controls (void)
{
  const char *text = "{\"name\": \"\\u001b[6n\\u009b2J\\u007f\\u0080\\u009f\\u00a0\\u00ff\\n\\t\\\"\\\\/\\u2028\\ud83d\\ude00\","
                     " \"\\u009bkey\": \"\\u0085\"}";
  const char *expected = "{\"name\":\"\\u001b[6n\\u009b2J\\u007f\\u0080\\u009f\xc2\xa0\xc3\xbf\\n\\t\\\"\\\\/\xe2\x80\xa8\xf0\x9f\x98\x80\","
                         "\"\\u009bkey\":\"\\u0085\"}";
  g_autofree char *written = check_round_trip (horde_model_info_from_type (HORDE_TYPE_WORKER_DETAILS), text, -1);
  g_autoptr(HordeWorkerDetails) worker = horde_worker_details_new_from_json (text, -1, NULL);

  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpstr (horde_worker_details_get_name (worker), ==,
                   "\x1b[6n\xc2\x9b" "2J\x7f\xc2\x80\xc2\x9f\xc2\xa0\xc3\xbf\n\t\"\\/\xe2\x80\xa8\xf0\x9f\x98\x80");

  /* every one of them, in a tree */
  for (gunichar c = 1; c < 0x100; c++)
    {
      char utf8[8] = { 0 };
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *out = NULL;
      g_autofree char *escape = g_strdup_printf ("\"\\u%04x\"", c);

      g_unichar_to_utf8 (c, utf8);
      node = json_node_init_string (json_node_alloc (), utf8);
      out = horde_json_node_to_string (node, NULL);
      assert_strict_json (out);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        {
          if (c != '\n' && c != '\t' && c != '\r' && c != '\b' && c != '\f')
            g_assert_cmpstr (out, ==, escape);
        }
      else if (c == '"' || c == '\\')
        g_assert_cmpuint (strlen (out), ==, 4);
      else
        g_assert_cmpuint (strlen (out), ==, strlen (utf8) + 2);
    }

  check_with_python ();
}

/* Unknown members go back out in the order they came (not in the order of
 * a hash table), after a builder's copy too: the text written is
 * predictable, and the same for equal models. */
static void
test_write_member_order (void)
{
  g_autoptr(GString) text = g_string_new ("{\"count\": 1");
  g_autoptr(GString) expected = g_string_new ("{\"count\":1");
  g_autoptr(HordeActiveModel) model = NULL;
  g_autoptr(HordeActiveModelBuilder) builder = NULL;
  g_autoptr(HordeActiveModel) copy = NULL;
  g_autofree char *written = NULL;
  g_autofree char *copied = NULL;

  for (guint i = 0; i < 64; i++)
    {
      /* names in no sorted order */
      guint k = (i * 37) % 64;

      g_string_append_printf (text, ", \"m%u\": {\"z\": %u, \"a\": [%u]}", k, i, k);
      g_string_append_printf (expected, ",\"m%u\":{\"z\":%u,\"a\":[%u]}", k, i, k);
    }
  g_string_append_c (text, '}');
  g_string_append_c (expected, '}');

  written = check_round_trip (horde_model_info_from_type (HORDE_TYPE_ACTIVE_MODEL), text->str, text->len);
  g_assert_cmpstr (written, ==, expected->str);

  /* a builder's changed copy keeps them in order */
  model = horde_active_model_new_from_json (text->str, text->len, NULL);
  builder = horde_active_model_builder_new_from (model);
  horde_active_model_builder_set_count (builder, 1);
  copy = horde_active_model_builder_end (builder, NULL);
  copied = horde_active_model_to_json (copy);
  g_assert_cmpstr (copied, ==, expected->str);

  check_with_python ();
}

static JsonNode *
nested_arrays (guint levels)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), json_array_new ());

  for (guint j = 1; j < levels; j++)
    {
      JsonArray *outer = json_array_new ();

      json_array_add_element (outer, node);
      node = json_node_init_array (json_node_alloc (), outer);
      json_array_unref (outer);
    }
  return node;
}

static void
assert_invalid (GError     *error,
                const char *message)
{
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_VALIDATION);
  g_test_message ("%s", error->message);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

/* A builder makes only values that can be written as JSON and read back:
 * end() refuses a number that is not finite, text that is not UTF-8 and
 * nesting past the reader's limit, wherever they are (a double field, a
 * field of JSON, an unknown member, a list of strings), naming the
 * field. */
static void
test_builder_refuses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) inf = json_node_init_double (json_node_alloc (), INFINITY);
  g_autoptr(JsonNode) fine = horde_json_parse ("{\"x\": [1, 2]}", -1, NULL);
  g_autoptr(JsonNode) one = json_node_init_int (json_node_alloc (), 1);
  g_autoptr(JsonNode) bad_text = json_node_init_string (json_node_alloc (), "caf\xe9");

  /* a double field */
  {
    g_autoptr(HordeActiveModelBuilder) builder = horde_active_model_builder_new ();
    g_autoptr(HordeActiveModel) model = NULL;

    horde_active_model_builder_set_performance (builder, -INFINITY);
    model = horde_active_model_builder_end (builder, &error);
    g_assert_null (model);
    assert_invalid (error, "performance is not a finite number");
    g_clear_error (&error);
  }

  /* an unknown member, with a bad value or a bad name */
  {
    g_autoptr(HordeActiveModelBuilder) builder = horde_active_model_builder_new ();
    g_autoptr(HordeActiveModel) model = NULL;
    g_autofree char *text = NULL;

    horde_active_model_builder_set_extra_field (builder, "future", inf);
    model = horde_active_model_builder_end (builder, &error);
    g_assert_null (model);
    assert_invalid (error, "future is not a finite number");
    g_clear_error (&error);

    horde_active_model_builder_set_extra_field (builder, "future", NULL);
    horde_active_model_builder_set_extra_field (builder, "text", bad_text);
    model = horde_active_model_builder_end (builder, &error);
    g_assert_null (model);
    assert_invalid (error, "text is not valid UTF-8");
    g_clear_error (&error);

    horde_active_model_builder_set_extra_field (builder, "text", NULL);
    horde_active_model_builder_set_extra_field (builder, "b\xffname", one);
    model = horde_active_model_builder_end (builder, &error);
    g_assert_null (model);
    assert_invalid (error, "b\xef\xbf\xbdname is not valid UTF-8");
    g_clear_error (&error);

    /* and once corrected, the value is made */
    horde_active_model_builder_set_extra_field (builder, "b\xffname", NULL);
    horde_active_model_builder_set_extra_field (builder, "fine", fine);
    model = horde_active_model_builder_end (builder, &error);
    g_assert_no_error (error);
    text = horde_active_model_to_json (model);
    g_assert_cmpstr (text, ==, "{\"fine\":{\"x\":[1,2]}}");
  }

  /* a field of JSON, deep inside */
  {
    g_autoptr(HordeImgModelStatsBuilder) builder = horde_img_model_stats_builder_new ();
    g_autoptr(HordeImgModelStats) stats = NULL;
    g_autoptr(JsonBuilder) json = json_builder_new ();
    g_autoptr(JsonNode) day = NULL;

    json_builder_begin_object (json);
    json_builder_set_member_name (json, "models");
    json_builder_begin_array (json);
    json_builder_add_int_value (json, 1);
    json_builder_add_double_value (json, NAN);
    json_builder_end_array (json);
    json_builder_end_object (json);
    day = json_builder_get_root (json);

    horde_img_model_stats_builder_set_day (builder, day);
    stats = horde_img_model_stats_builder_end (builder, &error);
    g_assert_null (stats);
    assert_invalid (error, "day.models[1] is not a finite number");
    g_clear_error (&error);
  }

  /* a list of strings */
  {
    g_autoptr(HordeGenerationInputKoboldBuilder) builder = horde_generation_input_kobold_builder_new ();
    g_autoptr(HordeGenerationInputKobold) input = NULL;
    const char *models[] = { "good", "b\xc3", NULL };

    horde_generation_input_kobold_builder_set_prompt (builder, "a");
    horde_generation_input_kobold_builder_set_models (builder, models);
    input = horde_generation_input_kobold_builder_end (builder, &error);
    g_assert_null (input);
    assert_invalid (error, "models is not valid UTF-8");
    g_clear_error (&error);
  }

  /* nesting: what the builder makes, the reader reads back; the model is
   * one level, so an unknown member may nest 511 more */
  for (guint levels = 511; levels <= 512; levels++)
    {
      g_autoptr(HordeActiveModelBuilder) builder = horde_active_model_builder_new ();
      g_autoptr(HordeActiveModel) model = NULL;
      g_autoptr(JsonNode) deep = nested_arrays (levels);

      horde_active_model_builder_set_extra_field (builder, "deep", deep);
      model = horde_active_model_builder_end (builder, &error);
      if (levels == 511)
        {
          g_autofree char *text = NULL;
          g_autoptr(HordeActiveModel) back = NULL;

          g_assert_no_error (error);
          text = horde_active_model_to_json (model);
          back = horde_active_model_new_from_json (text, -1, &error);
          g_assert_no_error (error);
          g_assert_true (horde_active_model_equal (model, back));
        }
      else
        {
          g_assert_null (model);
          assert_invalid (error, "deep nests more than 512 levels deep");
          g_clear_error (&error);
        }
    }

  /* in the item of a list, a level deeper (the list and the item) */
  {
    g_autoptr(HordeActiveModelBuilder) builder = horde_active_model_builder_new ();
    g_autoptr(HordeActiveModel) item = NULL;
    g_autoptr(HordeActiveModelList) list = NULL;
    g_autoptr(JsonNode) deep = nested_arrays (511);
    g_autofree char *text = NULL;
    g_autoptr(HordeActiveModelList) back = NULL;

    horde_active_model_builder_set_extra_field (builder, "deep", deep);
    item = horde_active_model_builder_end (builder, &error);
    g_assert_no_error (error);
    list = horde_active_model_list_new (&item, 1);
    g_assert_false (horde_model_validate (list, &error));
    assert_invalid (error, "[0].deep nests more than 512 levels deep");
    g_clear_error (&error);

    /* as it would not be read back */
    text = horde_active_model_list_to_json (list);
    back = horde_active_model_list_new_from_json (text, -1, &error);
    g_assert_null (back);
    g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
  }
}

/* A number where the API has a string (a worker's seed) is kept as text
 * and written back as the number: an integer exactly as the server wrote
 * it (past gint64 too, "-0" too), anything else in the writer's form of its
 * double, so that the text written reads back as the same text. */
static void
test_read_number_for_string (void)
{
  static const struct {
    const char *number;
    const char *seed;
  } cases[] = {
    { "42", "42" },
    { "-0", "-0" },
    { "18446744073709551615", "18446744073709551615" },
    { "123456789012345678901234567890", "123456789012345678901234567890" },
    { "-0.0", "-0.0" },
    { "10.0", "10" },
    { "0.1", "0.1" },
    { "1e2", "100" },
    { "5e20", "5e+20" },
    { "1e400", "1.7976931348623157e+308" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"seed\": %s}", cases[i].number);
      g_autofree char *expected = g_strdup_printf ("{\"seed\":%s}", cases[i].seed);
      g_autoptr(HordeGenerationStable) gen = horde_generation_stable_new_from_json (text, -1, NULL);
      g_autofree char *written = check_round_trip (horde_model_info_from_type (HORDE_TYPE_GENERATION_STABLE),
                                                   text, -1);

      g_assert_cmpstr (horde_generation_stable_get_seed (gen), ==, cases[i].seed);
      g_assert_cmpstr (written, ==, expected);
    }

  check_with_python ();
}

/* A list of integers takes what an integer field takes: 2.0 and 1e1 are
 * integers, as they are alone (where the list went among the unknown
 * members as a whole) */
static void
test_read_int_array_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HordeModelGenerationInputKobold) input =
    horde_model_generation_input_kobold_new_from_json ("{\"sampler_order\": [6, 0.0, -0, 1e1, 2.0, 9.22e18]}", -1, &error);
  g_autoptr(HordeModelGenerationInputKobold) not_ints = NULL;
  const gint64 *order;
  gsize n = 0;
  g_autofree char *written = NULL;

  g_assert_no_error (error);
  order = horde_model_generation_input_kobold_get_sampler_order (input, &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (order[0], ==, 6);
  g_assert_cmpint (order[1], ==, 0);
  g_assert_cmpint (order[2], ==, 0);
  g_assert_cmpint (order[3], ==, 10);
  g_assert_cmpint (order[4], ==, 2);
  g_assert_cmpint (order[5], ==, G_GINT64_CONSTANT (9220000000000000000));
  g_assert_null (horde_model_generation_input_kobold_get_extra_fields (input));

  written = check_round_trip (horde_model_info_from_type (HORDE_TYPE_MODEL_GENERATION_INPUT_KOBOLD),
                              "{\"sampler_order\": [6, 0.0, 1e1]}", -1);
  g_assert_cmpstr (written, ==, "{\"sampler_order\":[6,0,10]}");

  /* what is no integer keeps the list out of the field */
  not_ints = horde_model_generation_input_kobold_new_from_json ("{\"sampler_order\": [1, 2.5]}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (horde_model_generation_input_kobold_get_sampler_order (not_ints, &n));
  g_assert_true (json_object_has_member (horde_model_generation_input_kobold_get_extra_fields (not_ints),
                                         "sampler_order"));

  check_with_python ();
}

/* Numbers compare by value, exactly: 1 and 1.0 are equal, but two
 * integers that one double would hold are not (2^53 + 1 and 2^53), and a
 * double is not equal to an integer it only rounds to. */
static void
test_equal_numbers (void)
{
  static const struct {
    const char *a, *b;
    gboolean equal;
  } cases[] = {
    { "1", "1.0", TRUE },
    { "0", "-0.0", TRUE },
    { "1e2", "100", TRUE },
    { "9007199254740993", "9007199254740992", FALSE },
    { "9007199254740993", "9007199254740992.0", FALSE },
    { "9007199254740992", "9007199254740992.0", TRUE },
    { "9223372036854775807", "9223372036854775807", TRUE },
    { "9223372036854775807", "9223372036854775806", FALSE },
    { "9223372036854775807", "9.223372036854775807e18", FALSE },   /* 2^63 as a double */
    { "-9223372036854775808", "-9.223372036854775808e18", TRUE },
    { "[1, 2]", "[1.0, 2e0]", TRUE },
    { "{\"a\": 1, \"b\": 2}", "{\"b\": 2.0, \"a\": 1}", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) a = horde_json_parse (cases[i].a, -1, NULL);
      g_autoptr(JsonNode) b = horde_json_parse (cases[i].b, -1, NULL);
      g_autofree char *ma = g_strdup_printf ("{\"x\": %s}", cases[i].a);
      g_autofree char *mb = g_strdup_printf ("{\"x\": %s}", cases[i].b);
      g_autoptr(HordeActiveModel) model_a = horde_active_model_new_from_json (ma, -1, NULL);
      g_autoptr(HordeActiveModel) model_b = horde_active_model_new_from_json (mb, -1, NULL);

      g_test_message ("%s, %s", cases[i].a, cases[i].b);
      g_assert_cmpint (horde_json_equal (a, b), ==, cases[i].equal);
      g_assert_cmpint (horde_json_equal (b, a), ==, cases[i].equal);
      g_assert_cmpint (horde_active_model_equal (model_a, model_b), ==, cases[i].equal);
    }
}

/* Values a hostile server would put in any member */
static const char * const hostile_values[] = {
  "1e400", "-1e400", "1.7976931348623157e308", "-0", "-0.0", "0", "-0e5", "0E-0", "1e-400", "-1e-400",
  "4.9e-324", "2.2250738585072014e-308", "9223372036854775807", "-9223372036854775808",
  "9223372036854775808", "-9223372036854775809", "18446744073709551616",
  "123456789012345678901234567890", "9007199254740993", "1.5", "10.0", "5e20", "1E2", "0.1",
  "100000000000000000000000000000000000000000000000000000000000000000000000000000",
  "\"\\u0000\"", "\"a\\u0000\"", "\"\\u001b[6n\\u009b2J\\u007f\\u0085\"", "\"\\ud83d\\ude00 \\u2028\"",
  "\"\xef\xbb\xbf\"", "\"\xc2\x9b\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\"", "\"10\"", "\"-0\"",
  "null", "true", "false", "[]", "[null]", "[null, 1]", "[1, 2.0, -0, 1e400]", "[\"a\", 1]", "[\"\\u0000\"]",
  "{}", "{\"x\": 1e400, \"x\": 2}", "{\"\\u0000\": null}", "[{}]", "[{\"a\": 1}, null]", "[[[[1e400]]]]",
  "{\"a\": {\"b\": [{\"c\": -0.0}]}}", "[{\"name\": 1, \"name\": \"n\"}]",
  "1E+2", "-1.5E-3", "\"\\u00C9\\u00e9\"", "\t[ 1 ,\r\n2 ]\n",
};

/* Hostile documents for a model of @info: each value of hostile_values in
 * each member, alone, twice (both orders), and one level down in nested
 * models; lists hold such items. */
static GPtrArray *
hostile_documents (const HordeModelInfo *info)
{
  GPtrArray *docs = g_ptr_array_new_with_free_func (g_free);
  const HordeModelInfo *item = info->is_list ? info->fields[0].model : info;
  const char *open = info->is_list ? "[" : "";
  const char *close = info->is_list ? "]" : "";

  g_autofree char *deep_open = repeat ("[", 506);
  g_autofree char *deep_close = repeat ("]", 506);
  g_autofree char *deep = g_strconcat (deep_open, "\"at the bottom\"", deep_close, NULL);

  /* as deep as the reader reads, in some places (and too deep in others,
   * which the reader refuses): an unknown member, the fields of JSON, and
   * the first field, whatever it is */
  g_ptr_array_add (docs, g_strdup_printf ("%s{\"unknown\": %s}%s", open, deep, close));
  for (guint i = 0; i < item->n_fields; i++)
    if (i == 0 || item->fields[i].kind == HORDE_FIELD_JSON)
      g_ptr_array_add (docs, g_strdup_printf ("%s{\"%s\": %s}%s", open, item->fields[i].json_name, deep, close));

  for (guint v = 0; v < G_N_ELEMENTS (hostile_values); v++)
    {
      const char *value = hostile_values[v];
      const char *other = hostile_values[(v * 7 + 3) % G_N_ELEMENTS (hostile_values)];

      g_ptr_array_add (docs, g_strdup_printf ("%s{\"unknown\": %s}%s", open, value, close));
      g_ptr_array_add (docs, g_strdup_printf ("%s{\"a\": %s, \"a\": %s}%s", open, value, other, close));
      for (guint i = 0; i < item->n_fields; i++)
        {
          const HordeFieldInfo *f = &item->fields[i];

          if (f->location != HORDE_FIELD_LOCATION_BODY)
            continue;
          g_ptr_array_add (docs, g_strdup_printf ("%s{\"%s\": %s}%s", open, f->json_name, value, close));
          g_ptr_array_add (docs, g_strdup_printf ("%s{\"%s\": %s, \"%s\": %s}%s", open,
                                                  f->json_name, value, f->json_name, other, close));
          g_ptr_array_add (docs, g_strdup_printf ("\xef\xbb\xbf%s {\"%s\": %s, \"%s\" : %s} %s", open,
                                                  f->json_name, other, f->json_name, value, close));

          /* one level down, each value in each member once (a fifth of
           * the values for each member, in turn) */
          if ((f->kind == HORDE_FIELD_MODEL || f->kind == HORDE_FIELD_MODEL_ARRAY))
            for (guint j = 0; j < f->model->n_fields; j++)
              if ((j + v) % 5 == 0)
                g_ptr_array_add (docs, g_strdup_printf (f->kind == HORDE_FIELD_MODEL ? "%s{\"%s\": {\"%s\": %s}}%s"
                                                                                      : "%s{\"%s\": [{\"%s\": %s}, {}]}%s",
                                                        open, f->json_name, f->model->fields[j].json_name,
                                                        value, close));
        }
    }

  return docs;
}

/* The round trip, for every type: whatever text the reader takes, the
 * writer writes strict JSON that reads back as an equal model and writes
 * the same text again; over the example payloads (as every type, not only
 * their own) and over hostile documents. What must be refused is. */
static void
test_round_trip_all_types (void)
{
  const char *dir = g_test_get_filename (G_TEST_DIST, "payloads", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func (g_free);
  const HordeModelInfo * const *infos;
  gsize n_infos;
  const char *filename;
  guint accepted = 0, tried = 0;

  g_assert_nonnull (d);
  while ((filename = g_dir_read_name (d)))
    if (g_str_has_suffix (filename, ".json"))
      {
        g_autofree char *path = g_build_filename (dir, filename, NULL);
        char *text = NULL;

        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        g_ptr_array_add (payloads, text);
      }
  g_assert_cmpuint (payloads->len, ==, 35);

  infos = horde_model_info_all (&n_infos);
  for (gsize k = 0; k < n_infos; k++)
    {
      g_autoptr(GPtrArray) docs = hostile_documents (infos[k]);

      for (guint i = 0; i < payloads->len; i++)
        g_ptr_array_add (docs, g_strdup (payloads->pdata[i]));

      for (guint i = 0; i < docs->len; i++)
        {
          g_autofree char *written = check_round_trip (infos[k], docs->pdata[i], -1);

          tried++;
          if (written != NULL)
            accepted++;
        }
    }
  /* and Python's reader, once for all */
  check_with_python ();

  g_test_message ("%u documents, %u read", tried, accepted);
  g_assert_cmpuint (accepted, >, tried / 2);

  /* lone surrogates, raw NUL and raw control bytes are never read */
  {
    const char *refused[] = {
      "{\"name\": \"\\ud800\"}", "{\"name\": \"\\udfff\"}", "{\"name\": \"\\ud800\\u0041\"}",
      "{\"name\": \"\\ud800\\ud800\"}", "{\"name\": \"\xed\xa0\x80\"}", "{\"\\udc00\": 1}",
      "{\"name\": \"a\x01\"}", "{\"name\": NaN}", "{\"name\": Infinity}", "{\"name\": -Infinity}",
      "{\"name\": 1.}", "{\"name\": .5}", "{\"name\": +1}", "{\"name\": 0x10}", "{\"name\": 01}",
    };
    const char raw_nul[] = "{\"name\": \"a\0b\"}";

    for (gsize k = 0; k < n_infos; k++)
      {
        g_autoptr(GError) error = NULL;

        if (infos[k]->is_list)
          continue;
        for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
          {
            g_assert_null (horde_model_new_from_json (infos[k], refused[i], -1, &error));
            g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
            g_clear_error (&error);
          }
        g_assert_null (horde_model_new_from_json (infos[k], raw_nul, sizeof raw_nul - 1, &error));
        g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      }
  }
}

/* The public reader: what an application reads of an untrusted answer */
static void
test_node_from_string (void)
{
  static const char * const refused[] = {
    "44444444444444444[1,.2]",   /* json-glib 1.6 leaks what it read of it */
    "{\"a\": 1} x",
    "[1, 2",
    "{\"a\": \"\xff\"}",
    "NaN",
    "",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  node = horde_json_node_from_string ("{\"name\": \"Detail Tweaker\", \"ids\": [1, 2.5, -3], \"nsfw\": false}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_node_is_immutable (node));
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (json_node_get_object (node), "ids"), 2), ==, -3);
  text = horde_json_node_to_string (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "{\"name\":\"Detail Tweaker\",\"ids\":[1,2.5,-3],\"nsfw\":false}");
  g_clear_pointer (&node, json_node_unref);

  /* @length counts: what follows it is not read */
  node = horde_json_node_from_string ("[7] trailing", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      node = horde_json_node_from_string (refused[i], -1, &error);
      g_assert_null (node);
      g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }

  /* deeper than libhorde reads, and deep enough to overflow a parser that
   * recurses without a limit */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  node = horde_json_node_from_string (deep->str, deep->len, &error);
  g_assert_null (node);
  g_assert_error (error, HORDE_ERROR, HORDE_ERROR_INVALID_JSON);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/read/depth-restored", test_read_depth_restored);
  g_test_add_func ("/json/read/nul-escape", test_read_nul_escape);
  g_test_add_func ("/json/read/int-range", test_read_int_range);
  g_test_add_func ("/json/read/duplicate-members", test_read_duplicate_members);
  g_test_add_func ("/json/read/out-of-range", test_read_out_of_range);
  g_test_add_func ("/json/parse/deep", test_parse_deep);
  g_test_add_func ("/json/parse/rules", test_parse_rules);
  g_test_add_func ("/json/parse/node-from-string", test_node_from_string);
  g_test_add_func ("/json/write/numbers", test_write_numbers);
  g_test_add_func ("/json/write/model-numbers", test_write_model_numbers);
  g_test_add_func ("/json/write/refuses", test_write_refuses);
  g_test_add_func ("/json/write/controls", test_write_controls);
  g_test_add_func ("/json/write/member-order", test_write_member_order);
  g_test_add_func ("/json/builder/refuses", test_builder_refuses);
  g_test_add_func ("/json/read/number-for-string", test_read_number_for_string);
  g_test_add_func ("/json/read/int-array-forms", test_read_int_array_forms);
  g_test_add_func ("/json/equal/numbers", test_equal_numbers);
  g_test_add_func ("/json/round-trip/all-types", test_round_trip_all_types);

  return g_test_run ();
}

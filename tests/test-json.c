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

#include <libhorde.h>

#include "horde-error-private.h"
#include "horde-json-private.h"
#include "horde-model-private.h"

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

        g_test_message ("%s", bad[i]);
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

  return g_test_run ();
}

/* replay-main.c: a libFuzzer target's main() where there is no libFuzzer
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Linked with each target of tests/fuzz in every build (gcc or clang),
 * it runs LLVMFuzzerTestOneInput() once over each file named on the
 * command line, or each file of each folder named there: `meson test
 * --suite fuzz` replays the corpora. Every input is given in a buffer of
 * its exact size, as libFuzzer gives it, so that a sanitizer build sees a
 * read past its end.
 */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static int
replay_file (const char *path)
{
  FILE *file = fopen (path, "rb");
  uint8_t *data = NULL;
  size_t size = 0, allocated = 0;

  if (file == NULL)
    {
      fprintf (stderr, "%s: %s\n", path, strerror (errno));
      return -1;
    }
  for (;;)
    {
      size_t n;

      if (size == allocated)
        {
          allocated = allocated ? allocated * 2 : 4096;
          data = realloc (data, allocated);
          if (data == NULL)
            abort ();
        }
      n = fread (data + size, 1, allocated - size, file);
      if (n == 0)
        break;
      size += n;
    }
  if (ferror (file))
    {
      fprintf (stderr, "%s: cannot be read\n", path);
      fclose (file);
      free (data);
      return -1;
    }
  fclose (file);

  /* exactly @size bytes: an empty input is a zero-sized allocation */
  data = realloc (data, size ? size : 1);
  printf ("replaying %s (%zu bytes)\n", path, size);
  fflush (stdout);
  LLVMFuzzerTestOneInput (data, size);
  free (data);

  return 1;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* each regular file of @dir, in name order, so that runs are repeatable */
static int
replay_dir (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *entry;
  char **names = NULL;
  size_t n = 0;
  int count = 0;

  if (d == NULL)
    {
      fprintf (stderr, "%s: %s\n", dir, strerror (errno));
      return -1;
    }
  while ((entry = readdir (d)) != NULL)
    {
      if (entry->d_name[0] == '.')
        continue;
      names = realloc (names, (n + 1) * sizeof *names);
      if (names == NULL)
        abort ();
      names[n++] = strdup (entry->d_name);
    }
  closedir (d);
  qsort (names, n, sizeof *names, compare_names);

  for (size_t i = 0; i < n; i++)
    {
      size_t len = strlen (dir) + strlen (names[i]) + 2;
      char *path = malloc (len);
      struct stat st;

      snprintf (path, len, "%s/%s", dir, names[i]);
      if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
        {
          if (replay_file (path) < 0)
            count = -1;
          else if (count >= 0)
            count++;
        }
      free (path);
      free (names[i]);
    }
  free (names);

  return count;
}

int
main (int    argc,
      char **argv)
{
  int total = 0;

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FILE-OR-FOLDER…\n"
               "Runs the fuzz target once over each file (libFuzzer's flags are not understood).\n",
               argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      int n;

      if (stat (argv[i], &st) != 0)
        {
          fprintf (stderr, "%s: %s\n", argv[i], strerror (errno));
          return 1;
        }
      n = S_ISDIR (st.st_mode) ? replay_dir (argv[i]) : replay_file (argv[i]);
      if (n < 0)
        return 1;
      total += n;
    }

  /* an empty corpus replays nothing: a mistake, not a pass */
  if (total == 0)
    {
      fprintf (stderr, "no input to replay\n");
      return 1;
    }
  printf ("%d inputs replayed\n", total);

  return 0;
}

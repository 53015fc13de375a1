#!/usr/bin/python3
# check-translations.py SOURCE_ROOT: every language of po/LINGUAS
# (Horde Studio) and of po/libhorde/LINGUAS (libhorde's messages, which
# the window shows too) translates all the messages of the source as it
# is now. Each template is made afresh from its POTFILES.in (as `meson
# compile horde-studio-pot` would, but in a temporary folder), each .po is
# merged with it there, and
# msgfmt --check must find every message translated, none fuzzy, and the
# printf formats of each translation matching its original.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys
import tempfile

# the keywords of meson's 'glib' preset that this source uses
KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
            '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
            '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
            '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
            '--flag=g_string_append_printf:2:c-format', '--flag=g_set_error:4:c-format',
            '--flag=g_error_new:3:c-format', '--flag=add_problem:3:c-format']


def check_domain(root, po_dir, problems):
    po = os.path.join(root, po_dir)
    with open(os.path.join(po, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for l in f if not l.startswith('#') for w in l.split()]
    if len(languages) < 2:
        problems.append('%s/LINGUAS has %d languages' % (po_dir, len(languages)))

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'template.pot')
        subprocess.run(['xgettext', '--from-code=UTF-8', '--add-comments=TRANSLATORS',
                        '--directory=' + root, '--files-from=' + os.path.join(po, 'POTFILES.in'),
                        '--output=' + pot] + KEYWORDS, check=True)
        with open(pot, encoding='utf-8') as f:
            template = f.read()
        total = len(re.findall(r'^msgid ', template, flags=re.M)) - 1

        for lang in languages:
            merged = os.path.join(tmp, lang + '.po')
            subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file=' + merged,
                            os.path.join(po, lang + '.po'), pot], check=True)
            checked = subprocess.run(['msgfmt', '--check', '--statistics', '--output-file=/dev/null', merged],
                                     capture_output=True, text=True)
            stats = checked.stderr.strip().splitlines()[-1] if checked.stderr.strip() else ''
            done = re.match(r'(\d+) translated message', stats)
            if checked.returncode != 0:
                problems.append('%s/%s.po: msgfmt --check fails:\n%s' % (po_dir, lang, checked.stderr))
            elif done is None or int(done.group(1)) != total or 'fuzzy' in stats or 'untranslated' in stats:
                problems.append('%s/%s.po: %s of the %d messages of the source' % (po_dir, lang, stats, total))
            else:
                print('%s/%s: %s' % (po_dir, lang, stats))
    return template


def main(root):
    problems = []
    check_domain(root, 'po', problems)
    template = check_domain(root, 'po/libhorde', problems)

    # the descriptions of patterns in the generator's naming table are
    # shown by libhorde's validation; each must be a message of its domain
    with open(os.path.join(root, 'src', 'libhorde', 'codegen', 'overrides.json'), encoding='utf-8') as f:
        texts = re.findall(r'"patternText":\s*"((?:[^"\\]|\\.)*)"', f.read())
    for text in texts:
        if 'msgid "%s"' % text not in template:
            problems.append('patternText "%s" of overrides.json is not among libhorde\'s messages '
                            '(src/libhorde/horde-model.c: pattern_texts)' % text)

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

#!/usr/bin/python3
# check-potfiles.py SOURCE_ROOT: po/POTFILES.in (Horde Studio) and
# po/libhorde/POTFILES.in (libhorde) list exactly the files that have
# translatable strings. A file with _(), N_(), C_(), NC_() or
# g_dngettext (), a .ui file with translatable="yes", a desktop or
# metainfo template or a schema with a gettext domain must be listed, or
# its strings would never reach the translators; a listed file must exist
# and have some.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import sys

C_MARK = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)\s*\(')
SEARCHED = ('src', 'data')


def translatable(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith(('.c', '.h')):
        # comments do not count
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'//[^\n]*', '', text)
        return C_MARK.search(text) is not None
    if name.endswith('.ui'):
        return 'translatable="yes"' in text
    if name.endswith(('.desktop.in', '.desktop.in.in', '.metainfo.xml.in', '.metainfo.xml.in.in')):
        return True
    if name.endswith('.gschema.xml'):
        return 'gettext-domain=' in text
    return False


# each translation domain: its po folder and the folders it covers
DOMAINS = [
    ('po', ('src/app', 'data')),              # horde-studio
    ('po/libhorde', ('src/libhorde',)),       # libhorde-1
]


def check_domain(root, po, subtrees, found, problems):
    with open(os.path.join(root, po, 'POTFILES.in'), encoding='utf-8') as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    mine = {p for p in found if p.startswith(tuple(t + '/' for t in subtrees))}

    for path in sorted(mine - set(listed)):
        problems.append('%s has translatable strings but is not in %s/POTFILES.in' % (path, po))
    for path in listed:
        if not path.startswith(tuple(t + '/' for t in subtrees)):
            problems.append('%s/POTFILES.in lists %s, which belongs to another domain' % (po, path))
        elif not os.path.exists(os.path.join(root, path)):
            problems.append('%s/POTFILES.in lists %s, which does not exist' % (po, path))
        elif path not in found:
            problems.append('%s/POTFILES.in lists %s, which has no translatable strings' % (po, path))
    if len(listed) != len(set(listed)):
        problems.append('%s/POTFILES.in lists a file twice' % po)
    if listed != sorted(listed, key=lambda p: (not p.startswith('data/'), p)):
        problems.append('%s/POTFILES.in is not sorted (data/ first, then by path)' % po)
    print('%s: %d files with translatable strings, %d listed' % (po, len(mine), len(listed)))
    return mine


def main(root):
    found = set()
    for top in SEARCHED:
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                path = os.path.join(folder, name)
                if translatable(path):
                    found.add(os.path.relpath(path, root))

    problems = []
    covered = set()
    for po, subtrees in DOMAINS:
        covered |= check_domain(root, po, subtrees, found, problems)
    for path in sorted(found - covered):
        problems.append('%s has translatable strings but no translation domain covers it' % path)

    for p in problems:
        print(p)
    print('%d problems' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

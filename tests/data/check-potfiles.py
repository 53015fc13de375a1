#!/usr/bin/python3
# check-potfiles.py SOURCE_ROOT: po/POTFILES.in lists exactly the files
# that have translatable strings. A file with _(), N_(), C_(), NC_() or
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


def main(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith('#')]

    found = set()
    for top in SEARCHED:
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                path = os.path.join(folder, name)
                if translatable(path):
                    found.add(os.path.relpath(path, root))

    problems = []
    for path in sorted(found - set(listed)):
        problems.append('%s has translatable strings but is not in po/POTFILES.in' % path)
    for path in listed:
        if not os.path.exists(os.path.join(root, path)):
            problems.append('po/POTFILES.in lists %s, which does not exist' % path)
        elif path not in found:
            problems.append('po/POTFILES.in lists %s, which has no translatable strings' % path)
    if len(listed) != len(set(listed)):
        problems.append('po/POTFILES.in lists a file twice')
    if listed != sorted(listed, key=lambda p: (not p.startswith('data/'), p)):
        problems.append('po/POTFILES.in is not sorted (data/ first, then by path)')

    for p in problems:
        print(p)
    print('%d files with translatable strings, %d listed, %d problems' % (len(found), len(listed), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

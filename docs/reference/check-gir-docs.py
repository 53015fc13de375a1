#!/usr/bin/env python3
# check-gir-docs.py: the gate in front of the API reference. Runs the
# project's own documentation check (tests/gi/check-docs.py) and
# `gi-docgen check` on the GIR, shows what they report, and writes STAMP
# only when both pass, so that the reference is not built, and the build
# fails, while a public symbol lacks documentation.
#
#   check-gir-docs.py --check-docs tests/gi/check-docs.py --gi-docgen gi-docgen \
#                     --config libhorde.toml --stamp STAMP Horde-1.0.gir
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import subprocess
import sys


def run(what, command):
    """Runs a check: quiet when it passes, its report on stderr when it fails."""
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = result.stdout.strip()
    if result.returncode != 0:
        sys.stderr.write('%s failed (exit status %d):\n' % (what, result.returncode))
        if output:
            sys.stderr.write(output + '\n')
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description='Check that every public symbol of a GIR is documented')
    parser.add_argument('--check-docs', required=True, help='tests/gi/check-docs.py')
    parser.add_argument('--gi-docgen', required=True, help='the gi-docgen program')
    parser.add_argument('--config', required=True, help='the gi-docgen configuration (.toml)')
    parser.add_argument('--stamp', required=True, help='the file written when the checks pass')
    parser.add_argument('gir', help='the GIR file to check')
    args = parser.parse_args()

    if os.path.exists(args.stamp):
        os.unlink(args.stamp)

    # both run, so that one build lists everything there is to fix
    ok = run('check-docs.py', [sys.executable, args.check_docs, args.gir])
    ok = run('gi-docgen check', [args.gi_docgen, 'check', '--quiet', '--config', args.config, args.gir]) and ok
    if not ok:
        sys.stderr.write('Document the symbols above (gi-docgen comments in src/libhorde/, '
                         'or in src/libhorde/codegen/horde-codegen.py for generated code).\n')
        return 1

    with open(args.stamp, 'w', encoding='utf-8') as f:
        f.write('%s: every public symbol is documented\n' % os.path.basename(args.gir))
    return 0


if __name__ == '__main__':
    sys.exit(main())

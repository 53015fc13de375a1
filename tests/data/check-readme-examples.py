#!/usr/bin/python3
# check-readme-examples.py: the README's example blocks are the example files
#
#   check-readme-examples.py SOURCE_ROOT
#
# A fenced block of README.md just after an HTML comment
#
#   <!-- example: docs/examples/getting-started.c -->
#
# must be that file's code: the file without its leading comment header
# (a /* … */ comment, or the lines that start with # or //, a shebang
# among them) and the blank lines after it. The examples suite runs the
# files, so the README cannot show code that does not run. Each block is
# also changed by one line and must then fail the check, so that the
# check itself is known to catch a drifted README.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import difflib
import os
import re
import sys

MARKER = re.compile(r'<!--\s*example:\s*(\S+)\s*-->')


def code_of(text):
    """@text without its leading comment header and the blank lines after it"""
    lines = text.splitlines()
    i = 0
    if lines and lines[0].lstrip().startswith('/*'):
        while i < len(lines) and '*/' not in lines[i]:
            i += 1
        i += 1
    else:
        while i < len(lines) and re.match(r'\s*(#|//)', lines[i]):
            i += 1
    while i < len(lines) and lines[i].strip() == '':
        i += 1
    return lines[i:]


def blocks_of(readme):
    """[(line number, path, [lines of the block])] of the marked blocks;
    raises ValueError for a marker without a block after it"""
    lines = readme.splitlines()
    blocks = []
    for n, line in enumerate(lines):
        match = MARKER.fullmatch(line.strip())
        if not match:
            continue
        j = n + 1
        while j < len(lines) and lines[j].strip() == '':
            j += 1
        if j == len(lines) or not lines[j].startswith('```'):
            raise ValueError('README.md:%d: no fenced block after the example marker' % (n + 1))
        end = j + 1
        while end < len(lines) and lines[end] != '```':
            end += 1
        if end == len(lines):
            raise ValueError('README.md:%d: the block after the example marker does not end' % (j + 1))
        blocks.append((n + 1, match.group(1), lines[j + 1:end]))
    return blocks


def problems(root, blocks):
    found = []
    for n, path, block in blocks:
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            found.append('README.md:%d: %s does not exist' % (n, path))
            continue
        with open(full, encoding='utf-8') as f:
            code = code_of(f.read())
        if block != code:
            diff = '\n'.join(difflib.unified_diff(code, block, path, 'README.md:%d' % n, lineterm=''))
            found.append('README.md:%d: the block differs from %s:\n%s' % (n, path, diff))
    return found


def main(argv):
    root = argv[1]
    with open(os.path.join(root, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    try:
        blocks = blocks_of(readme)
    except ValueError as e:
        print(e)
        return 1
    if not blocks:
        print('README.md has no <!-- example: … --> block')
        return 1

    found = problems(root, blocks)
    for problem in found:
        print(problem)
    if found:
        return 1

    # the check catches a drift: a line added to, or the last line taken
    # from, any one block
    for i, (n, path, block) in enumerate(blocks):
        for drifted in (block + ['/* drifted */'], block[:-1]):
            if not problems(root, blocks[:i] + [(n, path, drifted)] + blocks[i + 1:]):
                print('README.md:%d: a drifted block of %s passes the check' % (n, path))
                return 1

    for n, path, block in blocks:
        print('ok: README.md:%d is %s (%d lines)' % (n, path, len(block)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

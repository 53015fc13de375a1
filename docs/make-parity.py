#!/usr/bin/python3
# make-parity.py TSV [--check PARITY_MD]: the table of docs/parity.md, from
# horde_sdk's request classes (shared/api/horde_sdk-requests.tsv, vendored
# as docs/horde_sdk-requests.tsv) and libhorde's own operation table, read
# through GObject introspection (Horde-1.0 on GI_TYPELIB_PATH).
#
# Without --check it prints the page. With --check it fails, showing the
# difference, when docs/parity.md is not what it would print: a class of
# horde_sdk without its libhorde request, a request type or a typed call
# that does not exist, an operation of libhorde missing from the page.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import difflib
import re
import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GObject, Horde  # noqa: E402

HEADER = '''# horde_sdk → libhorde

Every request class of horde_sdk (the AI Horde's Python SDK, v0.27), the
operation it sends, and what does the same in libhorde: the request type
(a boxed type with a builder, the same name with the `Horde` prefix in C),
and the typed call that sends it. Each call also has an `_async`/`_finish`
pair in C; from Python and JavaScript the same names are methods of
`Horde.Client` (`client.send_find_user_request_sync(request, None)`), and
`Horde.Operation.lookup(method, path)` finds the operation of any path.
The generic call, `horde_client_send_async()`, sends any request.

This page is made by `docs/make-parity.py` from horde_sdk's list and
libhorde's operation table; the `parity` test fails when it is out of date.

| horde_sdk | operation | libhorde request | C call (sync) | success response |
|---|---|---|---|---|
'''

EXTRA_HEADER = '''
## Operations horde_sdk does not have

The AI Horde serves these too; libhorde covers them the same way. Those of
the AI Horde Ratings API (service `ratings`, `Horde.Service.RATINGS`) go to
the client's `ratings-base-url` (`https://ratings.aihorde.net/api`), the
others to its `base-url`. horde_sdk has a ratings client too, outside the
list above; libhorde's request names follow it where it has one.

| operation | service | libhorde request | C call (sync) | success response |
|---|---|---|---|---|
'''


def typed_calls():
    """request type name → the client's typed sync call, read from the typelib"""
    calls = {}
    for name in dir(Horde.Client):
        if not (name.startswith('send_') and name.endswith('_sync')) or name == 'send_sync':
            continue
        method = getattr(Horde.Client, name)
        args = method.get_arguments()
        iface = args[0].get_type().get_interface()
        calls[iface.get_name()] = name
    return calls


def rows():
    calls = typed_calls()
    by_route = {}
    for op in Horde.Operation.list():
        request = GObject.type_name(op.get_request_type())
        name = request[len('Horde'):]
        if name not in calls:
            raise SystemExit('%s %s: no typed call for %s' % (op.get_method(), op.get_path(), request))
        by_route[(op.get_method(), op.get_path())] = (
            request, 'horde_client_' + calls[name], GObject.type_name(op.get_success_response_type()),
            op.get_service().value_nick)
    return by_route


def page(tsv):
    by_route = rows()
    lines = [HEADER]
    seen = set()
    classes = 0
    with open(tsv, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or line.startswith('request_class\t'):
                continue
            cls, method, path, _ = line.rstrip('\n').split('\t')
            route = (method, path)
            if route not in by_route:
                raise SystemExit('horde_sdk %s (%s %s): libhorde has no such operation' % (cls, method, path))
            seen.add(route)
            classes += 1
            request, call, response, _ = by_route[route]
            lines.append('| `%s` | `%s %s` | `%s` | `%s()` | `%s` |\n' % (cls, method, path, request, call, response))
    lines.append(EXTRA_HEADER)
    for route in sorted(set(by_route) - seen, key=lambda r: (r[1], r[0])):
        request, call, response, service = by_route[route]
        lines.append('| `%s %s` | %s | `%s` | `%s()` | `%s` |\n' % (route[0], route[1], service, request, call, response))
    lines.append('\n%d request classes of horde_sdk on %d operations, %d more operations in libhorde, '
                 '%d in all.\n' % (classes, len(seen), len(by_route) - len(seen), len(by_route)))
    return ''.join(lines)


def main(argv):
    text = page(argv[1])
    if len(argv) == 4 and argv[2] == '--check':
        with open(argv[3], encoding='utf-8') as f:
            current = f.read()
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                                       argv[3], 'docs/make-parity.py'))
            print('docs/parity.md is out of date: docs/make-parity.py %s > docs/parity.md' % argv[1])
            return 1
        print('docs/parity.md lists all %d operations' % len(re.findall(r'^\| `', text, flags=re.M)))
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

#!/usr/bin/python3
# test-every-operation.py: every operation of libhorde's table, sent with
# its typed call from Python, arrives at a server as the API describes it.
#
# The server is in this process (http.server on 127.0.0.1, port 0) and
# records each request. For each operation the request is built the way a
# user builds one: the body from the API's example payload (tests/payloads),
# read with new_from_json(), then a builder made from it sets every path
# and query parameter the spec lists and the per-request `apikey` and
# `X-Fields` headers. The test checks the method, the expanded path,
# the query, that the key sent is the request's own (and that no key goes
# where the operation takes none), the X-Fields header, the JSON body, and
# that the answer comes back as the operation's success type. The specs are
# read here independently of the generator: the AI Horde's (HORDE_SPEC) and
# the Ratings API's (HORDE_RATINGS_SPEC). The server stands for both
# services, under two base URLs, and each operation must arrive under its
# own service's.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import http.server
import json
import os
import re
import sys
import threading
import urllib.parse

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, GObject, Horde  # noqa: E402

SPECS = {'horde': os.environ['HORDE_SPEC'], 'ratings': os.environ['HORDE_RATINGS_SPEC']}
# where each service lives on the in-process server
PREFIXES = {'horde': '/api', 'ratings': '/ratings/api'}
PAYLOADS = os.path.join(os.environ['G_TEST_SRCDIR'], 'payloads')
CLIENT_KEY = 'client0key'                    # 10 characters: a valid key
REQUEST_KEY = 'requestkey0123456789AB'       # 22 characters, the request's own
# libhorde's names for parameters whose own name clashes with GObject's
RENAMED = {'type': 'kind'}
# bodies the API gives no example for
EXTRA_PAYLOADS = {('DELETE', '/v2/operations/ipaddr'): {'ipaddr': '10.1.2.3'}}

seen = []


class Handler(http.server.BaseHTTPRequestHandler):
    answers = {}

    def handle_any(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        url = urllib.parse.urlsplit(self.path)
        seen.append({
            'method': self.command,
            'path': url.path,
            'query': urllib.parse.parse_qs(url.query, keep_blank_values=True),
            'headers': {k.lower(): v for k, v in self.headers.items()},
            'body': json.loads(body) if body else None,
        })
        status, text = Handler.answers.get('next', (200, '{}'))
        data = text.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


def typed_calls():
    calls = {}
    for name in dir(Horde.Client):
        if name.startswith('send_') and name.endswith('_sync') and name != 'send_sync':
            iface = getattr(Horde.Client, name).get_arguments()[0].get_type().get_interface()
            calls[iface.get_name()] = name
    return calls


def spec_operations():
    ops = {}
    for service, spec_path in SPECS.items():
        with open(spec_path, encoding='utf-8') as f:
            spec = json.load(f)
        for path, item in spec['paths'].items():
            for method, op in item.items():
                if method == 'parameters':
                    continue
                assert (method.upper(), path) not in ops, (method, path)
                ops[(method.upper(), path)] = (op.get('parameters', []) + item.get('parameters', []), op, service)
    return ops


def value_for(param, set_value):
    if 'enum' in param:
        return param['enum'][0]
    # the type libhorde gives the parameter (the spec says integer for
    # some ids that the server takes as text, and libhorde follows the server)
    tag = set_value.get_arguments()[0].get_type().get_tag_as_string()
    kind = {'utf8': 'string', 'gint64': 'integer', 'gint': 'integer', 'gdouble': 'number',
            'gboolean': 'boolean'}.get(tag, param.get('type', 'string'))
    if kind == 'integer':
        # 7, or the nearest value the parameter allows
        return max(param.get('minimum', 7), min(param.get('maximum', 7), 7))
    if kind == 'number':
        return 2.5
    if kind == 'boolean':
        return True
    if param['name'] == 'ipaddr':
        return '10.1.2.3'
    return 'v-' + re.sub(r'[^a-z0-9]', '', param['name'].lower())


def query_text(value):
    if value is True:
        return 'true'
    return str(value)


def answer_for(response_type):
    # what the server answers: a JSON array where libhorde's success type is
    # a list (GET /v2/users answers one, though the spec says an object)
    name = GObject.type_name(response_type)
    if name != 'JsonNode' and hasattr(getattr(Horde, name[len('Horde'):]), 'get_items'):
        return '[]'
    return '{}'


def setter(builder, name):
    snake = RENAMED.get(name, re.sub(r'[^a-z0-9]+', '_', name.lower()))
    return getattr(builder, 'set_' + snake, None)


def check(problems, route, what, ok):
    if not ok:
        problems.append('%s %s: %s' % (route[0], route[1], what))


def main():
    spec_ops = spec_operations()
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Horde.Client.new()
    root = 'http://127.0.0.1:%d' % server.server_address[1]
    client.set_base_url(root + PREFIXES['horde'])
    client.set_ratings_base_url(root + PREFIXES['ratings'])
    client.set_api_key(CLIENT_KEY)
    client.set_max_retries(0)
    client.set_pace_requests(False)
    calls = typed_calls()
    problems = []
    covered = set()
    operations = Horde.Operation.list()

    print('1..%d' % len(operations))
    for number, op in enumerate(operations, 1):
        route = (op.get_method(), op.get_path())
        before = len(problems)
        params, _, service = spec_ops.get(route, ([], {}, 'horde'))
        check(problems, route, 'service %s, not %s' % (op.get_service().value_nick, service),
              op.get_service().value_nick == service)
        if route not in spec_ops:
            # the operation the server serves but the spec hides
            params = [{'name': 'user_id', 'in': 'path', 'type': 'integer'},
                      {'name': 'apikey', 'in': 'header', 'type': 'string'},
                      {'name': 'payload', 'in': 'body'}]
        by_place = {place: [p for p in params if p['in'] == place]
                    for place in ('path', 'query', 'header', 'body')}
        header_names = {p['name'] for p in by_place['header']}

        payload = None
        if by_place['body']:
            name = (route[1].replace('/', '_').replace('{', '').replace('}', '')
                    + '_' + route[0].lower() + '.json')
            if route in EXTRA_PAYLOADS:
                payload = EXTRA_PAYLOADS[route]
            else:
                with open(os.path.join(PAYLOADS, name), encoding='utf-8') as f:
                    payload = json.load(f)

        request_type = op.get_request_type()
        request_name = GObject.type_name(request_type)[len('Horde'):]
        request_class = getattr(Horde, request_name)
        builder_class = getattr(Horde, request_name + 'Builder')
        request = request_class.new_from_json(json.dumps(payload or {}), -1)
        builder = builder_class.new_from(request)
        values = {}
        for p in by_place['path'] + by_place['query']:
            set_value = setter(builder, p['name'])
            check(problems, route, 'no builder setter for %s parameter %s' % (p['in'], p['name']),
                  set_value is not None)
            if set_value is not None:
                values[p['name']] = value_for(p, set_value)
                set_value(values[p['name']])
        # the request's own key and fields mask, where the operation takes them
        for name, value in (('apikey', REQUEST_KEY), ('X-Fields', 'id')):
            if name in header_names:
                set_value = setter(builder, name)
                check(problems, route, 'no builder setter for header %s' % name, set_value is not None)
                if set_value is not None:
                    set_value(value)
        try:
            request = builder.end()
        except GLib.GError as e:
            check(problems, route, 'the request does not validate: %s' % e.message, False)
            print('not ok %d - %s %s' % (number, route[0], route[1]))
            print('# ' + problems[-1])
            continue

        # the last success status: 202 for an accepted generation, 201 for a
        # rating (the first, 200, is what a dry run or an older server says)
        status = op.get_success_statuses()[-1]
        Handler.answers['next'] = (status, answer_for(op.get_response_type(status)))
        del seen[:]
        call = calls.get(request_name)
        check(problems, route, 'no typed call', call is not None)
        try:
            response = getattr(client, call)(request, None)
        except GLib.GError as e:
            response = None
            check(problems, route, 'the call failed: %s' % e.message, False)

        check(problems, route, 'sent %d requests' % len(seen), len(seen) == 1)
        if len(seen) == 1:
            got = seen[0]
            path = PREFIXES[service] + route[1]
            for p in by_place['path']:
                path = path.replace('{%s}' % p['name'], urllib.parse.quote(str(values[p['name']]), safe=''))
            check(problems, route, 'method %s' % got['method'], got['method'] == route[0])
            check(problems, route, 'path %s, not %s' % (got['path'], path), got['path'] == path)
            for p in by_place['query']:
                check(problems, route, 'query %s = %s' % (p['name'], got['query'].get(p['name'])),
                      got['query'].get(p['name']) == [query_text(values[p['name']])])
            extra = set(got['query']) - {p['name'] for p in by_place['query']}
            check(problems, route, 'query parameters the spec does not list: %s' % extra, not extra)
            if 'apikey' in header_names:
                check(problems, route, 'apikey %s, not the request\'s own' % got['headers'].get('apikey'),
                      got['headers'].get('apikey') == REQUEST_KEY)
            else:
                check(problems, route, 'a key sent where the operation takes none',
                      'apikey' not in got['headers'])
            if 'X-Fields' in header_names:
                check(problems, route, 'X-Fields %s' % got['headers'].get('x-fields'),
                      got['headers'].get('x-fields') == 'id')
            check(problems, route, 'body %s, not the payload %s' % (got['body'], payload),
                  got['body'] == payload)
        expected = op.get_success_response_type()
        if response is not None and GObject.type_name(expected) != 'JsonNode':
            check(problems, route, 'answer is a %s, not a %s' % (type(response).__name__, GObject.type_name(expected)),
                  type(response).__gtype__ == expected)

        covered.add(route)
        if len(problems) == before:
            print('ok %d - %s %s with %s' % (number, route[0], route[1], call))
        else:
            print('not ok %d - %s %s' % (number, route[0], route[1]))
            for p in problems[before:]:
                print('# ' + p)

    missing = set(spec_ops) - covered
    if missing:
        problems.append('operations of the spec not exercised: %s' % sorted(missing))
        print('# ' + problems[-1])
    server.shutdown()
    print('# %d operations sent, %d problems' % (len(covered), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

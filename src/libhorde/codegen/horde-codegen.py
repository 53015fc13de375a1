#!/usr/bin/env python3
# horde-codegen.py: generate libhorde's models, requests and operation table
# from the vendored API descriptions (the AI Horde's swagger.json, the
# Ratings API's ratings.json) and the naming table.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Python 3 standard library only. Run by meson at build time:
#   horde-codegen.py --spec swagger.json --spec ratings=ratings.json \
#                    --overrides overrides.json --known-values known-values.json
#                    --outdir DIR
# Each --spec is one service's API description, `SERVICE=PATH` (no SERVICE
# is the AI Horde itself); its operations are marked with the service, whose
# base URL the client sends them to. It writes horde-models.{h,c}, horde-requests.{h,c}, horde-model-infos-private.h
# and horde-operation-table.c, and from --known-values the enums of the
# server's known values, horde-known-values.{h,c}. A new server field is a
# regenerated build.

import argparse
import json
import os
import re
import sys

KINDS = {
    'string': 'HORDE_FIELD_STRING',
    'boolean': 'HORDE_FIELD_BOOLEAN',
    'integer': 'HORDE_FIELD_INT',
    'number': 'HORDE_FIELD_DOUBLE',
    'model': 'HORDE_FIELD_MODEL',
    'strv': 'HORDE_FIELD_STRV',
    'int_array': 'HORDE_FIELD_INT_ARRAY',
    'model_array': 'HORDE_FIELD_MODEL_ARRAY',
    'json': 'HORDE_FIELD_JSON',
}
SCALARS = ('boolean', 'integer', 'number')
LOCATIONS = {
    'body': 'HORDE_FIELD_LOCATION_BODY',
    'path': 'HORDE_FIELD_LOCATION_PATH',
    'query': 'HORDE_FIELD_LOCATION_QUERY',
    'header': 'HORDE_FIELD_LOCATION_HEADER',
}
# Headers the client owns: never a request field.
CLIENT_HEADERS = {'client-agent'}
HTTP_METHODS = ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')
# The services libhorde talks to: --spec name -> (HordeService member, title
# in the documentation). horde-service.h declares the same members.
SERVICES = {
    'horde': ('HORDE_SERVICE_HORDE', 'AI Horde API'),
    'ratings': ('HORDE_SERVICE_RATINGS', 'AI Horde Ratings API'),
}


def fail(msg):
    sys.stderr.write('horde-codegen: error: %s\n' % msg)
    sys.exit(1)


def snake(name):
    s = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    s = re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', s)
    return s.lower()


def c_identifier(json_name, renames):
    if json_name in renames:
        return renames[json_name]
    s = re.sub(r'[^0-9A-Za-z]+', '_', json_name).strip('_').lower()
    if not s or s[0].isdigit():
        s = 'f_' + s
    return s


def c_string(s):
    if s is None:
        return 'NULL'
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def c_double(v):
    r = repr(float(v))
    if r in ('inf', '-inf', 'nan'):
        fail('non-finite constraint %r' % v)
    return r


def doc_text(s):
    """Spec prose made safe inside a C comment and for gi-docgen."""
    if not s:
        return ''
    s = s.replace('*/', '* /').replace('/*', '/ *')
    s = s.replace('\\', '\\\\')
    for ch in '@#%':
        s = s.replace(ch, '\\' + ch)
    s = s.replace('<', '&lt;').replace('>', '&gt;')
    return s.strip()


def doc_block(lines):
    out = ['/**']
    for line in lines:
        for sub in line.split('\n'):
            out.append((' * ' + sub).rstrip())
    out.append(' */')
    return '\n'.join(out)


class Field:
    def __init__(self, json_name, cname, kind, location, schema, required, owner):
        self.json_name = json_name
        self.cname = cname
        self.kind = kind
        self.location = location
        self.schema = schema          # the property's schema (for docs and constraints)
        self.required = required
        self.owner = owner            # schema that declares it (for constraint overrides)
        self.ref = None               # Model for model / model_array
        self.constraints = {}
        self.note = None              # what the docs add to the spec's description
        self.index = -1
        self.enum = None              # KnownEnum of its values, for typed accessors

    @property
    def member(self):
        return 'f_' + self.cname

    def c_type(self):
        return {
            'string': 'char *',
            'boolean': 'gboolean ',
            'integer': 'gint64 ',
            'number': 'double ',
            'model': self.ref.ctype + ' *' if self.ref else None,
            'strv': 'char **',
            'int_array': 'GArray *',
            'model_array': 'GPtrArray *',
            'json': 'JsonNode *',
        }[self.kind]

    def default(self):
        d = self.schema.get('default')
        if self.kind == 'boolean':
            return 'TRUE' if d else 'FALSE'
        if self.kind == 'integer':
            return 'G_GINT64_CONSTANT (%d)' % int(d) if d is not None else '0'
        if self.kind == 'number':
            return c_double(d) if d is not None else '0.0'
        return None

    def default_text(self):
        d = self.schema.get('default')
        if d is None:
            return None
        if isinstance(d, bool):
            return '%TRUE' if d else '%FALSE'
        return '`%s`' % json.dumps(d)


class Model:
    def __init__(self, schema_name, cname, kind='model'):
        self.schema_name = schema_name
        self.cname = cname                 # e.g. GenerationInputStable
        self.ctype = 'Horde' + cname
        self.snake = 'horde_' + snake(cname)
        self.upper = snake(cname).upper()
        self.kind = kind                   # 'model', 'list', 'request'
        self.service = 'horde'             # the service whose API describes it
        self.fields = []
        self.description = ''
        self.item = None                   # list: the item Model
        self.op = None                     # request: the Operation

    @property
    def info(self):
        return self.snake + '_info'


def gi_nick(wire):
    """A value's nick: its wire string, but GObject-Introspection names enum
    values after their nicks and takes only letters, digits, - and _."""
    return re.sub(r'[^A-Za-z0-9_-]', '_', wire)


def camel_words(name):
    """MissingPrompt -> missing_prompt, TooManySameIPs -> too_many_same_ips,
    InvalidAPIKey -> invalid_api_key, Img2ImgMismatch -> img2img_mismatch."""
    tokens = re.findall(r'[A-Z]+s(?=[A-Z]|$)|[A-Z]?[a-z]+|[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[0-9]+', name)
    if ''.join(tokens) != name:
        return snake(name)
    words = []
    glue = False
    for t in tokens:
        if t.isdigit() and words:
            words[-1] += t
            glue = True
        elif glue:
            words[-1] += t
            glue = False
        else:
            words.append(t)
    return '_'.join(words).lower()


class KnownEnum:
    """A GEnum of the server's known values for a string field: value 0 is
    UNKNOWN, then the wire strings, each the nick of its value."""
    def __init__(self, name, doc, values, fields):
        self.name = name
        self.ctype = 'Horde' + name
        self.snake = 'horde_' + snake(name)
        self.upper = snake(name).upper()
        self.doc = doc
        self.values = []                   # (wire string, C name)
        self.fields = fields               # field keys that get typed accessors
        self.fields_used = set()
        seen = {'%s_UNKNOWN' % ('HORDE_' + self.upper)}
        for v in values:
            self.add(v, seen)
        self.seen = seen

    def add(self, wire, seen=None):
        seen = self.seen if seen is None else seen
        if any(w == wire for w, _ in self.values):
            return
        if not wire or len(wire) > 100 or not re.fullmatch(r'[0-9A-Za-z_.\-]+', wire):
            fail('%s: the value %r cannot be a nick' % (self.ctype, wire))
        # CamelCase words (MissingPrompt, CodeFormers) are split; anything
        # else (k_euler_a, RealESRGAN_x4plus, GFPGANv1.3) is kept as written
        word = camel_words(wire) if re.fullmatch(r'[A-Z][A-Za-z0-9]*', wire) else wire
        cname = 'HORDE_%s_%s' % (self.upper, re.sub(r'[^0-9A-Za-z]+', '_', word).strip('_').upper())
        if cname in seen:
            fail('%s: two values would be named %s' % (self.ctype, cname))
        seen.add(cname)
        if any(gi_nick(w) == gi_nick(wire) for w, _ in self.values) or gi_nick(wire) == 'unknown':
            fail('%s: two values would have the nick %s' % (self.ctype, gi_nick(wire)))
        self.values.append((wire, cname))

    @property
    def unknown(self):
        return 'HORDE_%s_UNKNOWN' % self.upper


class Operation:
    def __init__(self, method, path, spec, name, extra):
        self.method = method
        self.path = path
        self.spec = spec
        self.name = name
        self.extra = extra
        self.request = None
        self.responses = []                # (status, Model or 'json')
        self.hidden = False
        self.service = 'horde'


class Generator:
    def __init__(self, specs, overrides, known=None, known_dir=None):
        """@specs: [(service, parsed spec)], the AI Horde's first"""
        self.specs = specs
        self.ov = overrides
        self.enums = []
        self.enum_for_field = {}
        for e in (known or {}).get('enums', []):
            values = list(e.get('values', []))
            if 'values_tsv' in e:
                with open(os.path.join(known_dir, e['values_tsv']), encoding='utf-8') as f:
                    rows = [l.rstrip('\n').split('\t') for l in f if l.strip() and not l.startswith('#')]
                values += [r[0] for r in rows[1:]]
            if '_from' not in e or not e.get('doc'):
                fail('known values: %s needs a doc and a _from' % e.get('name'))
            ke = KnownEnum(e['name'], e['doc'], values, e.get('fields', []))
            ke.spec = e.get('spec', [])
            ke.source = e['_from'].split(' (')[0]
            for key in ke.fields:
                if key in self.enum_for_field:
                    fail('known values: %s is in two enums' % key)
                self.enum_for_field[key] = ke
            self.enums.append(ke)
        self.defs = {}
        self.def_service = {}              # schema name -> service
        for service, spec in specs:
            for name, d in spec.get('definitions', {}).items():
                if name in self.defs:
                    fail('the %s and %s specs both define %s: prefix one' % (self.def_service[name], service, name))
                self.defs[name] = d
                self.def_service[name] = service
        # schemas the AI Horde's spec lacks, for answers it leaves untyped
        for name, d in overrides.get('definitions', {}).items():
            if name in self.defs:
                fail('overrides.json defines %s, which the spec has' % name)
            if '_why' not in d:
                fail('overrides.json: the definition %s needs a _why' % name)
            self.defs[name] = {k: v for k, v in d.items() if not k.startswith('_')}
            self.def_service[name] = 'horde'
        self.models = {}                   # schema name -> Model
        self.lists = {}                    # item schema name -> list Model
        self.requests = []
        self.ops = []
        self.ctypes = {}
        self.field_renames = overrides.get('fields', {})
        self.constraints = overrides.get('constraints', {})
        self.defaults = overrides.get('defaults', {})
        for key, d in self.defaults.items():
            if '_why' not in d or 'default' not in d:
                fail('overrides.json: the default of %s needs a default and a _why' % key)
        self.defaults_used = set()

    # -- schemas ---------------------------------------------------------

    def properties(self, schema_name, seen=()):
        """Flattened (json_name, schema, required, owner) of a definition, allOf parents first."""
        if schema_name in seen:
            fail('allOf cycle at %s' % schema_name)
        d = self.defs.get(schema_name)
        if d is None:
            fail('unknown schema %s' % schema_name)
        out = {}
        parts = d.get('allOf', [d])
        required = set(d.get('required', []))
        for part in parts:
            if '$ref' in part:
                for k, (p, r, o) in self.properties(ref_name(part['$ref']), seen + (schema_name,)).items():
                    out[k] = (p, r, o)
            else:
                req = set(part.get('required', [])) | required
                for k, p in part.get('properties', {}).items():
                    out[k] = (p, k in req, schema_name)
        for k in list(out):
            p, r, o = out[k]
            out[k] = (p, r or k in required, o)
        return out

    def make_field(self, json_name, prop, required, owner, location):
        cname = c_identifier(json_name, self.field_renames)
        note = None
        key = '%s.%s' % (owner, json_name)
        if key in self.defaults:
            # the default the server applies when the member is absent
            prop = dict(prop, default=self.defaults[key]['default'])
            note = self.defaults[key].get('note')
            self.defaults_used.add(key)
        if '$ref' in prop:
            f = Field(json_name, cname, 'model', location, prop, required, owner)
            f.ref = ref_name(prop['$ref'])
        else:
            t = prop.get('type')
            if t in ('string', 'boolean', 'integer', 'number'):
                f = Field(json_name, cname, t, location, prop, required, owner)
            elif t == 'array':
                items = prop.get('items', {})
                if '$ref' in items:
                    f = Field(json_name, cname, 'model_array', location, prop, required, owner)
                    f.ref = ref_name(items['$ref'])
                elif items.get('type') == 'string':
                    f = Field(json_name, cname, 'strv', location, prop, required, owner)
                elif items.get('type') == 'integer':
                    f = Field(json_name, cname, 'int_array', location, prop, required, owner)
                else:
                    f = Field(json_name, cname, 'json', location, prop, required, owner)
            else:
                f = Field(json_name, cname, 'json', location, prop, required, owner)
        c = {}
        for key in ('minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength',
                    'minItems', 'maxItems', 'uniqueItems', 'pattern'):
            if key in prop:
                c[key] = prop[key]
        for key in ('%s.%s' % (owner, json_name), '*.%s' % json_name):
            if key in self.constraints:
                c.update(self.constraints[key])
        f.constraints = c
        f.note = note
        for key in ('%s.%s' % (owner, json_name), '*.%s' % json_name):
            ke = self.enum_for_field.get(key)
            if ke is None:
                continue
            if f.kind not in ('string', 'strv'):
                fail('%s is a %s: only string and string array fields take known values' % (key, f.kind))
            spec_enum = prop.get('enum') or prop.get('items', {}).get('enum') or []
            missing = [v for v in spec_enum if not any(v == w for w, _ in ke.values)]
            if missing:
                fail('%s: the spec allows %s, which %s lacks' % (key, ', '.join(missing), ke.ctype))
            ke.fields_used.add(key)
            f.enum = ke
            break
        return f

    def model_for_schema(self, name):
        if name in self.models:
            return self.models[name]
        cname = self.ov.get('schemas', {}).get(name, name)
        m = Model(name, cname)
        m.service = self.def_service[name]
        self.register_ctype(m)
        self.models[name] = m
        d = self.defs[name]
        m.description = d.get('description', '')
        for json_name, (prop, required, owner) in self.properties(name).items():
            if json_name == '*':
                continue                  # a map: its members live in the extra fields
            m.fields.append(self.make_field(json_name, prop, required, owner, 'body'))
        return m

    def list_for(self, item_schema):
        if item_schema not in self.lists:
            item = self.model_for_schema(item_schema)
            m = Model(None, item.cname + 'List', kind='list')
            m.item = item
            m.description = 'A list of [struct@Horde.%s], as the API answers it.' % item.cname
            m.service = item.service
            self.register_ctype(m)
            self.lists[item_schema] = m
        return self.lists[item_schema]

    def register_ctype(self, m):
        if m.ctype in self.ctypes:
            fail('two types would be named %s' % m.ctype)
        self.ctypes[m.ctype] = m

    # -- operations ------------------------------------------------------

    def response_type(self, schema):
        if schema is None:
            return 'json'
        if isinstance(schema, str):
            return self.model_for_schema(schema)
        if isinstance(schema, list):
            return self.list_for(schema[0])
        if '$ref' in schema:
            return self.model_for_schema(ref_name(schema['$ref']))
        if schema.get('type') == 'array' and '$ref' in schema.get('items', {}):
            return self.list_for(ref_name(schema['items']['$ref']))
        return 'json'

    def build_operation(self, method, path, spec, extra, path_params, hidden=False, service='horde'):
        key = '%s %s' % (method, path)
        name = extra.get('name')
        if not name:
            fail('operation %s has no name in overrides.json' % key)
        op = Operation(method, path, spec, name, extra)
        op.hidden = hidden
        op.service = service
        req = Model(None, name, kind='request')
        req.service = service
        req.op = op
        req.description = spec.get('description') or spec.get('summary', '')
        self.register_ctype(req)
        op.request = req

        # body members whose type the real server takes otherwise than the spec says
        body_ov = dict(extra.get('body_properties', {}))
        # body members the real server requires where the spec does not
        body_required = set(extra.get('body_required', []))
        if body_required and '_why' not in extra:
            fail('overrides.json: %s has body_required without a _why' % key)
        params = list(path_params) + list(spec.get('parameters', []))
        for p in params:
            where = p['in']
            if where == 'body':
                schema = p.get('schema', {})
                if '$ref' in schema:
                    body_name = ref_name(schema['$ref'])
                    members = [(json_name, prop, required, owner)
                               for json_name, (prop, required, owner) in self.properties(body_name).items()
                               if json_name != '*']
                else:
                    req_set = set(schema.get('required', []))
                    members = [(json_name, prop, json_name in req_set, name)
                               for json_name, prop in schema.get('properties', {}).items()]
                for json_name, prop, required, owner in members:
                    if json_name in body_ov:
                        prop = {k: v for k, v in body_ov.pop(json_name).items() if not k.startswith('_')}
                    if json_name in body_required:
                        body_required.discard(json_name)
                        required = True
                    req.fields.append(self.make_field(json_name, prop, required, owner, 'body'))
                continue
            if where == 'header' and p['name'].lower() in CLIENT_HEADERS:
                continue
            prop = {k: v for k, v in p.items() if k not in ('name', 'in', 'required')}
            prop.setdefault('type', 'string')
            if where == 'header' and p['name'] == 'apikey':
                prop['description'] = ('The API key for this request only; unset, the client\'s own key is sent. '
                                       'Never logged.')
            elif where == 'header' and p['name'] == 'X-Fields':
                prop['description'] = 'A field mask: the server returns only these fields.'
            # the client supplies the key: a request never requires one
            required = bool(p.get('required')) and where == 'path'
            req.fields.append(self.make_field(p['name'], prop, required, name, where))

        # names must be unique among C names and among wire names of the body
        seen_c, seen_json = {}, {}
        for f in req.fields:
            if f.cname in seen_c:
                fail('%s: two fields named %s' % (name, f.cname))
            seen_c[f.cname] = f
            if f.location == 'body':
                seen_json[f.json_name] = f
        for f in req.fields:
            if f.location != 'body' and f.json_name in seen_json:
                fail('%s: parameter %s clashes with a body field' % (name, f.json_name))

        if body_ov:
            fail('overrides.json: %s has no body member %s' % (key, ', '.join(sorted(body_ov))))
        if body_required:
            fail('overrides.json: %s has no body member %s to require' % (key, ', '.join(sorted(body_required))))

        responses = {}
        for status, r in spec.get('responses', {}).items():
            if status.startswith('2'):
                responses[int(status)] = self.response_type(r.get('schema'))
        for status, schema in extra.get('responses', {}).items():
            responses[int(status)] = self.response_type(schema)
        if not responses:
            fail('operation %s has no success response' % key)
        op.responses = sorted(responses.items())
        self.ops.append(op)
        self.requests.append(req)

    def run(self):
        for ke in self.enums:
            for key in ke.spec:
                schema, _, member = key.partition('.')
                d = self.defs.get(schema)
                if d is None:
                    fail('known values: %s names the unknown schema %s' % (ke.ctype, schema))
                props = self.properties(schema)
                if member not in props:
                    fail('known values: %s has no member %s' % (schema, member))
                prop = props[member][0]
                spec_enum = prop.get('enum') or prop.get('items', {}).get('enum')
                if not spec_enum:
                    fail('known values: %s has no enumeration' % key)
                for v in spec_enum:
                    ke.add(v)
        for name in sorted(self.defs):
            self.model_for_schema(name)
        ops_ov = self.ov.get('operations', {})
        used = {}
        for service, api in self.specs:
            for path, item in api['paths'].items():
                path_params = item.get('parameters', [])
                for method, spec in item.items():
                    if method not in HTTP_METHODS:
                        continue
                    key = '%s %s' % (method.upper(), path)
                    if key in used:
                        # the operation table finds an operation by method and path
                        fail('%s is in both the %s and the %s spec' % (key, used[key], service))
                    used[key] = service
                    self.build_operation(method.upper(), path, spec, ops_ov.get(key, {}), path_params,
                                         service=service)
        for key in ops_ov:
            if key not in used:
                fail('overrides.json names %s, which the spec does not have' % key)
        for ke in self.enums:
            for key in ke.fields:
                if key not in ke.fields_used:
                    fail('known values: %s names %s, which the spec does not have' % (ke.ctype, key))
        for key in self.defaults:
            if key not in self.defaults_used:
                fail('overrides.json gives a default to %s, which the spec does not have' % key)
        for key, extra in self.ov.get('hidden_operations', {}).items():
            method, path = key.split(' ', 1)
            self.build_operation(method, path, extra, extra, [], hidden=True)

        for m in list(self.models.values()) + self.requests:
            for f in m.fields:
                if f.ref is not None and isinstance(f.ref, str):
                    f.ref = self.model_for_schema(f.ref)
            if len(m.fields) > 64:
                fail('%s has %d fields; the set mask holds 64' % (m.ctype, len(m.fields)))
            names = set()
            for i, f in enumerate(m.fields):
                f.index = i
                if f.cname in names:
                    fail('%s: two fields named %s' % (m.ctype, f.cname))
                names.add(f.cname)
            for f in m.fields:
                if f.enum is not None and (f.cname + '_enum') in names:
                    fail('%s: the typed accessors of %s clash with the field %s_enum' % (m.ctype, f.cname, f.cname))
                if f.cname == 'extra_fields':
                    fail('%s: field name extra_fields clashes with the generated API' % m.ctype)
        self.ops.sort(key=lambda o: (o.path, o.method))
        self.requests.sort(key=lambda r: r.ctype)


def ref_name(ref):
    return ref.split('/')[-1]


# ---------------------------------------------------------------------------
# Emitting C


class Writer:
    def __init__(self):
        self.parts = []

    def __call__(self, s=''):
        self.parts.append(s)

    def text(self):
        return '\n'.join(self.parts) + '\n'


HEADER_PREAMBLE = '''/* %s: generated by horde-codegen.py from the API descriptions. Do not edit. */

#pragma once

#if !defined(LIBHORDE_INSIDE) && !defined(LIBHORDE_COMPILATION)
# error "Only <libhorde.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "horde-version-macros.h"
%s
G_BEGIN_DECLS
'''


def field_doc(f, m):
    lines = []
    desc = doc_text(f.schema.get('description') or f.schema.get('title') or '')
    if desc:
        lines.append(desc)
        lines.append('')
    if f.note:
        lines.append(doc_text(f.note))
        lines.append('')
    where = {'body': 'JSON member', 'path': 'path parameter', 'query': 'query parameter',
             'header': 'HTTP header'}[f.location]
    facts = ['%s `%s`' % (where.capitalize(), f.json_name)]
    if f.required:
        facts.append('required')
    c = f.constraints
    if 'minimum' in c:
        facts.append('at least %s' % c['minimum'])
    if 'maximum' in c:
        facts.append('at most %s' % c['maximum'])
    if 'multipleOf' in c:
        facts.append('a multiple of %s' % c['multipleOf'])
    if 'minLength' in c:
        facts.append('at least %s characters' % c['minLength'])
    if 'maxLength' in c:
        facts.append('at most %s characters' % c['maxLength'])
    if 'maxItems' in c:
        facts.append('at most %s items' % c['maxItems'])
    if 'minItems' in c:
        facts.append('at least %s items' % c['minItems'])
    if 'pattern' in c:
        facts.append(doc_text(c.get('patternText') or 'matching `%s`' % c['pattern']))
    if 'maxMatching' in c:
        facts.append('at most %d %s' % (c['maxMatching']['max'], c['maxMatching']['what']))
    enum = f.schema.get('enum') or f.schema.get('items', {}).get('enum')
    lines.append(', '.join(facts) + '.')
    if f.enum is not None:
        lines.append('')
        lines.append('Known values: the nicks of [enum@Horde.%s]; [method@Horde.%s.get_%s_enum] gives'
                     % (f.enum.name, m.cname, f.cname))
        lines.append('the typed value. Values this version does not know pass through unchanged.')
    elif enum:
        lines.append('')
        lines.append('Known values: %s. Values this version does not know pass through unchanged.'
                     % ', '.join('`%s`' % doc_text(str(e)) for e in enum))
    return lines


class Emitter:
    def __init__(self, gen):
        self.g = gen

    def all_types(self):
        models = [self.g.models[k] for k in sorted(self.g.models)]
        lists = [self.g.lists[k] for k in sorted(self.g.lists)]
        return models, lists, self.g.requests

    # -- declarations ----------------------------------------------------

    def declare_common(self, w, m, with_builder=True):
        w('#define HORDE_TYPE_%s (%s_get_type ())' % (m.upper, m.snake))
        w('typedef struct _%s %s;' % (m.ctype, m.ctype))
        if with_builder:
            w('typedef struct _%sBuilder %sBuilder;' % (m.ctype, m.ctype))
        w()
        S, T = m.snake, m.ctype
        protos = [
            ('GType', '%s_get_type' % S, 'void', ' G_GNUC_CONST'),
            ('%s *' % T, '%s_ref' % S, '%s *self' % T, ''),
            ('void', '%s_unref' % S, '%s *self' % T, ''),
            ('%s *' % T, '%s_new_from_json' % S, 'const char *data, gssize length, GError **error', ''),
            ('%s *' % T, '%s_new_from_json_node' % S, 'JsonNode *node, GError **error', ''),
            ('char *', '%s_to_json' % S, 'const %s *self' % T, ''),
            ('JsonNode *', '%s_to_json_node' % S, 'const %s *self' % T, ''),
            ('gboolean', '%s_equal' % S, 'const %s *a, const %s *b' % (T, T), ''),
            ('gboolean', '%s_validate' % S, 'const %s *self, GError **error' % T, ''),
            ('JsonObject *', '%s_get_extra_fields' % S, 'const %s *self' % T, ''),
        ]
        for ret, name, args, attr in protos:
            w('HORDE_AVAILABLE_IN_ALL')
            w('%s %s (%s)%s;' % (ret, name, args, attr))

    def getter_proto(self, m, f):
        T = m.ctype
        if f.kind == 'string':
            return 'const char *', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'boolean':
            return 'gboolean', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'integer':
            return 'gint64', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'number':
            return 'double', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'model':
            return '%s *' % f.ref.ctype, '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'strv':
            return 'const char * const *', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        if f.kind == 'int_array':
            return ('const gint64 *', '%s_get_%s' % (m.snake, f.cname),
                    'const %s *self, gsize *n_%s' % (T, f.cname))
        if f.kind == 'model_array':
            return ('%s * const *' % f.ref.ctype, '%s_get_%s' % (m.snake, f.cname),
                    'const %s *self, gsize *n_%s' % (T, f.cname))
        if f.kind == 'json':
            return 'JsonNode *', '%s_get_%s' % (m.snake, f.cname), 'const %s *self' % T
        raise AssertionError(f.kind)

    def setter_args(self, m, f):
        B = m.ctype + 'Builder'
        v = {
            'string': 'const char *value',
            'boolean': 'gboolean value',
            'integer': 'gint64 value',
            'number': 'double value',
            'model': '%s *value' % (f.ref.ctype if f.ref else ''),
            'strv': 'const char * const *value',
            'int_array': 'const gint64 *value, gsize n_value',
            'model_array': '%s * const *value, gsize n_value' % (f.ref.ctype if f.ref else ''),
            'json': 'JsonNode *value',
        }[f.kind]
        return '%s *self, %s' % (B, v)

    def enum_getter_proto(self, m, f):
        E = f.enum.ctype
        if f.kind == 'string':
            return E, '%s_get_%s_enum' % (m.snake, f.cname), 'const %s *self' % m.ctype
        return '%s *' % E, '%s_get_%s_enum' % (m.snake, f.cname), 'const %s *self, gsize *n_values' % m.ctype

    def enum_setter_args(self, m, f):
        B = m.ctype + 'Builder'
        if f.kind == 'string':
            return '%s *self, %s value' % (B, f.enum.ctype)
        return '%s *self, const %s *value, gsize n_value' % (B, f.enum.ctype)

    def define_enum_getter(self, w, m, f):
        ke = f.enum
        ret, name, args = self.enum_getter_proto(m, f)
        lines = ['%s:' % name, '@self: a [struct@Horde.%s]' % m.cname]
        if f.kind == 'string':
            lines += ['',
                      '`%s` as a [enum@Horde.%s]: the typed form of' % (f.json_name, ke.name),
                      '[method@Horde.%s.get_%s].' % (m.cname, f.cname), '',
                      'Returns: the value, or %%%s when the field is unset or holds a' % ke.unknown,
                      '  value this version does not know (the string getter still gives it)']
        else:
            lines += ['@n_values: (out) (optional): return location for the number of values', '',
                      '`%s` as [enum@Horde.%s] values: the typed form of' % (f.json_name, ke.name),
                      '[method@Horde.%s.get_%s]. A value this version does not know is' % (m.cname, f.cname),
                      '%%%s there (the string getter still gives it).' % ke.unknown, '',
                      'Returns: (array length=n_values) (transfer full) (nullable): the values,',
                      '  or %NULL when unset']
        w(doc_block(lines))
        w('%s\n%s (%s)\n{' % (ret.rstrip(), name, args))
        if f.kind == 'string':
            w('  g_return_val_if_fail (self != NULL, %s);' % ke.unknown)
            w('  return %s_from_string (self->%s);\n}\n' % (ke.snake, f.member))
            return
        w('  %s *out;\n  gsize n;\n' % ke.ctype)
        w('  if (n_values != NULL)\n    *n_values = 0;')
        w('  g_return_val_if_fail (self != NULL, NULL);')
        w('  if (self->%s == NULL)\n    return NULL;' % f.member)
        w('  n = g_strv_length (self->%s);' % f.member)
        w('  out = g_new (%s, n + 1);' % ke.ctype)
        w('  for (gsize i = 0; i < n; i++)')
        w('    out[i] = %s_from_string (self->%s[i]);' % (ke.snake, f.member))
        w('  out[n] = %s;' % ke.unknown)
        w('  if (n_values != NULL)\n    *n_values = n;')
        w('  return out;\n}\n')

    def define_enum_setter(self, w, m, f):
        ke = f.enum
        Bs = m.snake + '_builder'
        lines = ['%s_set_%s_enum:' % (Bs, f.cname), '@self: a [struct@Horde.%s]' % (m.cname + 'Builder')]
        if f.kind == 'string':
            lines += ['@value: the value, or %%%s to unset the field' % ke.unknown, '',
                      'Sets `%s` to the wire string of @value, the typed form of' % f.json_name,
                      '[method@Horde.%sBuilder.set_%s] (which takes values this version' % (m.cname, f.cname),
                      'does not know).']
        else:
            lines += ['@value: (array length=n_value) (nullable) (transfer none): the values, or %NULL to unset',
                      '@n_value: the number of values in @value', '',
                      'Sets `%s` to the wire strings of @value, the typed form of' % f.json_name,
                      '[method@Horde.%sBuilder.set_%s] (which takes values this version' % (m.cname, f.cname),
                      'does not know). %%%s is not a value to send: it sets nothing.' % ke.unknown]
        w(doc_block(lines))
        w('void\n%s_set_%s_enum (%s)\n{' % (Bs, f.cname, self.enum_setter_args(m, f)))
        if f.kind == 'string':
            w('  horde_model_builder_set_string ((HordeModelBuilder *) self, %d, %s_to_string (value));\n}\n'
              % (f.index, ke.snake))
            return
        w('  g_autofree const char **strv = NULL;\n')
        w('  if (value == NULL)\n    {')
        w('      horde_model_builder_set_strv ((HordeModelBuilder *) self, %d, NULL);' % f.index)
        w('      return;\n    }')
        w('  strv = g_new0 (const char *, n_value + 1);')
        w('  for (gsize i = 0; i < n_value; i++)\n    {')
        w('      strv[i] = %s_to_string (value[i]);' % ke.snake)
        w('      g_return_if_fail (strv[i] != NULL);\n    }')
        w('  horde_model_builder_set_strv ((HordeModelBuilder *) self, %d, strv);\n}\n' % f.index)

    def declare_model(self, w, m):
        w('/* %s */' % m.ctype)
        w()
        self.declare_common(w, m)
        for f in m.fields:
            ret, name, args = self.getter_proto(m, f)
            w('HORDE_AVAILABLE_IN_ALL')
            w('%s %s (%s);' % (ret, name, args))
            if f.kind in SCALARS:
                w('HORDE_AVAILABLE_IN_ALL')
                w('gboolean %s_has_%s (const %s *self);' % (m.snake, f.cname, m.ctype))
            if f.enum is not None:
                w('HORDE_AVAILABLE_IN_ALL')
                w('%s %s (%s);' % self.enum_getter_proto(m, f))
        if m.kind == 'request':
            w('HORDE_AVAILABLE_IN_ALL')
            w('const HordeOperation *%s_get_operation (const %s *self);' % (m.snake, m.ctype))
            w('HORDE_AVAILABLE_IN_ALL')
            w('GType %s_get_success_response_type (const %s *self);' % (m.snake, m.ctype))
            args = self.new_args(m)
            if args is not None:
                w('HORDE_AVAILABLE_IN_ALL')
                w('%s *%s_new (%s);' % (m.ctype, m.snake, ', '.join('const char *%s' % f.cname for f in args) or 'void'))
        w()
        B = m.ctype + 'Builder'
        Bs = m.snake + '_builder'
        w('#define HORDE_TYPE_%s_BUILDER (%s_get_type ())' % (m.upper, Bs))
        for ret, name, args, attr in [
            ('GType', Bs + '_get_type', 'void', ' G_GNUC_CONST'),
            ('%s *' % B, Bs + '_new', 'void', ''),
            ('%s *' % B, Bs + '_new_from', 'const %s *base' % m.ctype, ''),
            ('%s *' % B, Bs + '_ref', '%s *self' % B, ''),
            ('void', Bs + '_unref', '%s *self' % B, ''),
            ('%s *' % m.ctype, Bs + '_end', '%s *self, GError **error' % B, ''),
            ('void', Bs + '_set_extra_field', '%s *self, const char *name, JsonNode *value' % B, ''),
        ]:
            w('HORDE_AVAILABLE_IN_ALL')
            w('%s %s (%s)%s;' % (ret, name, args, attr))
        for f in m.fields:
            w('HORDE_AVAILABLE_IN_ALL')
            w('void %s_set_%s (%s);' % (Bs, f.cname, self.setter_args(m, f)))
            if f.kind in SCALARS:
                w('HORDE_AVAILABLE_IN_ALL')
                w('void %s_unset_%s (%s *self);' % (Bs, f.cname, B))
            if f.enum is not None:
                w('HORDE_AVAILABLE_IN_ALL')
                w('void %s_set_%s_enum (%s);' % (Bs, f.cname, self.enum_setter_args(m, f)))
        w()
        w('G_DEFINE_AUTOPTR_CLEANUP_FUNC (%s, %s_unref)' % (m.ctype, m.snake))
        w('G_DEFINE_AUTOPTR_CLEANUP_FUNC (%s, %s_unref)' % (B, Bs))
        w()

    def declare_list(self, w, m):
        w('/* %s */' % m.ctype)
        w()
        self.declare_common(w, m, with_builder=False)
        I = m.item.ctype
        for ret, name, args in [
            ('%s *' % m.ctype, m.snake + '_new', '%s * const *items, gsize n_items' % I),
            ('%s * const *' % I, m.snake + '_get_items', 'const %s *self, gsize *n_items' % m.ctype),
            ('gsize', m.snake + '_get_n_items', 'const %s *self' % m.ctype),
            ('%s *' % I, m.snake + '_get_item', 'const %s *self, gsize index' % m.ctype),
        ]:
            w('HORDE_AVAILABLE_IN_ALL')
            w('%s %s (%s);' % (ret, name, args))
        w()
        w('G_DEFINE_AUTOPTR_CLEANUP_FUNC (%s, %s_unref)' % (m.ctype, m.snake))
        w()

    def new_args(self, m):
        """Path parameters for a request's convenience constructor, or None
        when the request has required body fields (use the builder)."""
        if any(f.required and f.location != 'path' for f in m.fields):
            return None
        return [f for f in m.fields if f.location == 'path']

    # -- definitions -----------------------------------------------------

    def define_common(self, w, m, schema_doc):
        S, T = m.snake, m.ctype
        w(doc_block([
            '%s_ref:' % S,
            '@self: a [struct@Horde.%s]' % m.cname,
            '',
            'Takes a reference: the value is immutable, so a reference is a copy.',
            '',
            'Returns: (transfer full): @self',
        ]))
        w('%s *\n%s_ref (%s *self)\n{\n  return horde_model_ref (self);\n}\n' % (T, S, T))
        w(doc_block([
            '%s_unref:' % S,
            '@self: (transfer full): a [struct@Horde.%s]' % m.cname,
            '',
            'Drops a reference; the last one frees the value.',
        ]))
        w('void\n%s_unref (%s *self)\n{\n  horde_model_unref (self);\n}\n' % (S, T))
        w(doc_block([
            '%s_new_from_json: (constructor)' % S,
            '@data: JSON text',
            '@length: length of @data in bytes, or -1 if it is nul-terminated',
            '@error: return location for a #GError',
            '',
            'Parses %s. Members this version does not know are kept and written' % schema_doc,
            'back by [method@Horde.%s.to_json]; a known member whose value has the wrong' % m.cname,
            'type is kept the same way, leaving the field unset. Parsing does not check',
            'constraints: call [method@Horde.%s.validate] for that.' % m.cname,
        ] + ([
            '',
            'The JSON is the request\'s body: its path and query parameters and headers',
            'are not read from it (a member of that name is kept as an unknown one);',
            'set them on a builder made from it ([ctor@Horde.%sBuilder.new_from]), or give' % m.cname,
            'body and parameters to [method@Horde.Operation.new_request].',
        ] if m.kind == 'request' and any(f.location != 'body' for f in m.fields) else []) + [
            '',
            'Returns: (transfer full): the value, or %NULL with @error set if @data is',
            '  not JSON of the right shape',
        ]))
        w('%s *\n%s_new_from_json (const char *data, gssize length, GError **error)\n{\n'
          '  return horde_model_new_from_json (&%s, data, length, error);\n}\n' % (T, S, m.info))
        w(doc_block([
            '%s_new_from_json_node: (constructor)' % S,
            '@node: a #JsonNode',
            '@error: return location for a #GError',
            '',
            'Like [ctor@Horde.%s.new_from_json], from a parsed node.' % m.cname,
            '',
            'Returns: (transfer full): the value, or %NULL with @error set',
        ]))
        w('%s *\n%s_new_from_json_node (JsonNode *node, GError **error)\n{\n'
          '  return horde_model_new_from_json_node (&%s, node, error);\n}\n' % (T, S, m.info))
        body = ' body' if m.kind == 'request' else ''
        w(doc_block([
            '%s_to_json:' % S,
            '@self: a [struct@Horde.%s]' % m.cname,
            '',
            'Serializes the value to its JSON%s: only fields that are set, then the' % body,
            'members this version did not know.',
            '',
            'Returns: (transfer full): compact JSON text',
        ]))
        w('char *\n%s_to_json (const %s *self)\n{\n  return horde_model_to_json (self);\n}\n' % (S, T))
        w(doc_block([
            '%s_to_json_node:' % S,
            '@self: a [struct@Horde.%s]' % m.cname,
            '',
            'Like [method@Horde.%s.to_json], as a node.' % m.cname,
            '',
            'Returns: (transfer full): a new #JsonNode',
        ]))
        w('JsonNode *\n%s_to_json_node (const %s *self)\n{\n  return horde_model_to_json_node (self);\n}\n' % (S, T))
        w(doc_block([
            '%s_equal:' % S,
            '@a: a [struct@Horde.%s]' % m.cname,
            '@b: another [struct@Horde.%s]' % m.cname,
            '',
            'Compares two values field by field, including which fields are set and',
            'the unknown members.',
            '',
            'Returns: %TRUE if @a and @b hold the same value',
        ]))
        w('gboolean\n%s_equal (const %s *a, const %s *b)\n{\n  return horde_model_equal (a, b);\n}\n' % (S, T, T))
        w(doc_block([
            '%s_validate:' % S,
            '@self: a [struct@Horde.%s]' % m.cname,
            '@error: return location for a #GError',
            '',
            'Checks the value against the constraints of the API (required fields,',
            'ranges, lengths, item counts, patterns), nested values included. On failure',
            'the error is %HORDE_ERROR_VALIDATION and names the field; all the problems',
            'are in [func@Horde.Error.get_field_errors].',
            '',
            'Returns: %TRUE if the value is valid',
        ]))
        w('gboolean\n%s_validate (const %s *self, GError **error)\n{\n  return horde_model_validate (self, error);\n}\n' % (S, T))
        w(doc_block([
            '%s_get_extra_fields:' % S,
            '@self: a [struct@Horde.%s]' % m.cname,
            '',
            'The JSON members this version of libhorde does not know (newer server',
            'fields), and known members that came with a value of the wrong type.',
            '',
            'Returns: (transfer none) (nullable): the members, or %NULL if there are none',
        ]))
        w('JsonObject *\n%s_get_extra_fields (const %s *self)\n{\n  return horde_model_get_extra_fields (self);\n}\n' % (S, T))

    def define_struct(self, w, m):
        w('struct _%s\n{\n  HordeModel parent;' % m.ctype)
        if m.kind == 'list':
            w('  GPtrArray *f_items;')
        for f in m.fields:
            w('  %s%s;' % (f.c_type(), f.member))
        w('};\n')

    def field_table(self, w, m):
        if m.kind == 'list':
            w('static const HordeFieldInfo %s_fields[] = {' % m.snake)
            w('  { "items", NULL, G_STRUCT_OFFSET (%s, f_items), HORDE_FIELD_MODEL_ARRAY, '
              'HORDE_FIELD_LOCATION_BODY, 0, -1, -1, 0, 0, 0, NULL, NULL, &%s, NULL },' % (m.ctype, m.item.info))
            w('};\n')
            w('static const guint8 %s_sorted[] = { 0 };\n' % m.snake)
            return
        matching = []
        for f in m.fields:
            mm = f.constraints.get('maxMatching')
            if mm:
                vals = '%s_%s_matching_values' % (m.snake, f.cname)
                w('static const char * const %s[] = { %s, NULL };' % (vals, ', '.join(c_string(v) for v in mm['values'])))
                w('static const HordeFieldMaxMatching %s_%s_matching = { %d, %s, %s };'
                  % (m.snake, f.cname, mm['max'], c_string(mm['what']), vals))
                matching.append(f)
        if not m.fields:
            w('static const HordeFieldInfo %s_fields[1] = { { NULL } };' % m.snake)
            w('static const guint8 %s_sorted[1] = { 0 };\n' % m.snake)
            return
        w('static const HordeFieldInfo %s_fields[] = {' % m.snake)
        for f in m.fields:
            c = f.constraints
            flags = []
            if f.required:
                flags.append('HORDE_FIELD_REQUIRED')
            if 'minimum' in c:
                flags.append('HORDE_FIELD_HAS_MINIMUM')
            if 'maximum' in c:
                flags.append('HORDE_FIELD_HAS_MAXIMUM')
            if 'multipleOf' in c:
                flags.append('HORDE_FIELD_HAS_MULTIPLE_OF')
            if c.get('uniqueItems'):
                flags.append('HORDE_FIELD_UNIQUE_ITEMS')
            if f.kind in ('strv', 'int_array', 'model_array'):
                mn, mx = c.get('minItems', -1), c.get('maxItems', -1)
            elif f.kind == 'string':
                mn, mx = c.get('minLength', -1), c.get('maxLength', -1)
            else:
                mn, mx = -1, -1
            w('  { %s, %s, G_STRUCT_OFFSET (%s, %s), %s, %s, %s, %d, %d, %s, %s, %s, %s, %s, %s, %s },' % (
                c_string(f.cname), c_string(f.json_name), m.ctype, f.member, KINDS[f.kind],
                LOCATIONS[f.location], ' | '.join(flags) or '0', mn, mx,
                c_double(c.get('minimum', 0)), c_double(c.get('maximum', 0)), c_double(c.get('multipleOf', 0)),
                c_string(c.get('pattern')), c_string(c.get('patternText')),
                '&' + f.ref.info if f.ref else 'NULL',
                '&%s_%s_matching' % (m.snake, f.cname) if f in matching else 'NULL'))
        w('};\n')
        order = sorted(range(len(m.fields)), key=lambda i: m.fields[i].json_name.encode())
        w('static const guint8 %s_sorted[] = { %s };\n' % (m.snake, ', '.join(str(i) for i in order)))

    def define_info(self, w, m):
        op = ('&horde_operation_table[%d]' % self.g.ops.index(m.op)) if m.kind == 'request' else 'NULL'
        schema = m.schema_name or m.cname
        w('const HordeModelInfo %s = {' % m.info)
        w('  %s, %s_get_type, sizeof (%s), %s_fields, %s_sorted, %d, %s, %s, %s,' % (
            c_string(schema), m.snake, m.ctype, m.snake, m.snake,
            1 if m.kind == 'list' else len(m.fields),
            'TRUE' if m.kind == 'list' else 'FALSE', 'TRUE' if m.kind == 'request' else 'FALSE', op))
        w('};\n')
        w('G_DEFINE_BOXED_TYPE (%s, %s, %s_ref, %s_unref)\n' % (m.ctype, m.snake, m.snake, m.snake))

    def define_model(self, w, m):
        T, S = m.ctype, m.snake
        desc = doc_text(m.description)
        if m.kind == 'request':
            op = m.op
            doc = ['%s:' % T, '']
            summary = doc_text(op.spec.get('summary', ''))
            doc.append('The request of `%s %s`%s.' % (op.method, op.path, (': ' + summary) if summary else ''))
            if desc and desc != summary:
                doc += ['', desc]
            doc += ['',
                    'An immutable, reference-counted value. Build one with',
                    '[struct@Horde.%sBuilder] (or parse its JSON body with' % m.cname,
                    '[ctor@Horde.%s.new_from_json]) and send it with' % m.cname,
                    '[method@Horde.Client.send_async]. It knows its operation',
                    '([method@Horde.%s.get_operation]) and the type of its success' % m.cname,
                    'response ([method@Horde.%s.get_success_response_type]).' % m.cname]
            if op.hidden:
                doc += ['', 'The server serves this operation but its API description hides it.']
            if op.service != 'horde':
                doc += ['', 'An operation of the %s: the client sends it to' % SERVICES[op.service][1],
                        '[property@Horde.Client:%s-base-url].' % op.service]
            schema_doc = 'the JSON body of this request'
        else:
            doc = ['%s:' % T, '']
            title = SERVICES[m.service][1]
            doc.append(desc or 'The `%s` schema of the %s.' % (m.schema_name, title))
            if desc:
                doc += ['', 'The `%s` schema of the %s.' % (m.schema_name, title)]
            doc += ['',
                    'An immutable, reference-counted value: parse one with',
                    '[ctor@Horde.%s.new_from_json] or build one with' % m.cname,
                    '[struct@Horde.%sBuilder].' % m.cname]
            if not m.fields:
                doc += ['', 'Its members are free-form: read them with',
                        '[method@Horde.%s.get_extra_fields].' % m.cname]
            schema_doc = 'the JSON of a `%s`' % m.schema_name
        w(doc_block(doc))
        w()
        self.define_struct(w, m)
        w('struct _%sBuilder\n{\n  HordeModelBuilder parent;\n};\n' % T)
        self.field_table(w, m)
        self.define_info(w, m)
        self.define_common(w, m, schema_doc)

        for f in m.fields:
            ret, name, args = self.getter_proto(m, f)
            lines = ['%s:' % name, '@self: a [struct@Horde.%s]' % m.cname]
            if f.kind in ('int_array', 'model_array'):
                lines.append('@n_%s: (out) (optional): return location for the number of items' % f.cname)
            lines.append('')
            lines += field_doc(f, m)
            lines.append('')
            if f.kind in SCALARS:
                dt = f.default_text()
                lines.append('Returns: the value, or %s when unset' % (('its default, ' + dt) if dt else 'zero'))
            elif f.kind == 'string':
                dt = f.default_text()
                extra = (' (the server then uses %s)' % dt) if dt else ''
                lines.append('Returns: (nullable): the value, or %%NULL when unset%s' % extra)
            elif f.kind == 'strv':
                lines.append('Returns: (array zero-terminated=1) (transfer none) (nullable): the strings,')
                lines.append('  or %NULL when unset')
            elif f.kind == 'int_array':
                lines.append('Returns: (array length=n_%s) (transfer none) (nullable): the numbers,' % f.cname)
                lines.append('  or %NULL when unset')
            elif f.kind == 'model_array':
                lines.append('Returns: (array length=n_%s) (transfer none) (nullable): the items,' % f.cname)
                lines.append('  or %NULL when unset')
            else:
                lines.append('Returns: (transfer none) (nullable): the value, or %NULL when unset')
            w(doc_block(lines))
            w('%s\n%s (%s)\n{' % (ret.rstrip(), name, args))
            if f.kind in SCALARS:
                w('  g_return_val_if_fail (self != NULL, %s);' % f.default())
                w('  return HORDE_MODEL_FIELD_IS_SET (self, %d) ? self->%s : %s;' % (f.index, f.member, f.default()))
            elif f.kind in ('int_array', 'model_array'):
                w('  g_return_val_if_fail (self != NULL, NULL);')
                w('  return horde_model_get_array (self, %d, n_%s);' % (f.index, f.cname))
            elif f.kind == 'strv':
                w('  g_return_val_if_fail (self != NULL, NULL);')
                w('  return (const char * const *) self->%s;' % f.member)
            else:
                w('  g_return_val_if_fail (self != NULL, NULL);')
                w('  return self->%s;' % f.member)
            w('}\n')
            if f.kind in SCALARS:
                w(doc_block(['%s_has_%s:' % (S, f.cname), '@self: a [struct@Horde.%s]' % m.cname, '',
                             'Whether `%s` is set: an unset field is not sent, and the server' % f.json_name,
                             'applies its default.', '',
                             'Returns: %TRUE if the field holds a value']))
                w('gboolean\n%s_has_%s (const %s *self)\n{\n  g_return_val_if_fail (self != NULL, FALSE);\n'
                  '  return HORDE_MODEL_FIELD_IS_SET (self, %d);\n}\n' % (S, f.cname, T, f.index))
            if f.enum is not None:
                self.define_enum_getter(w, m, f)

        if m.kind == 'request':
            self.define_request_extras(w, m)
        self.define_builder(w, m)

    def define_request_extras(self, w, m):
        T, S = m.ctype, m.snake
        op_index = self.g.ops.index(m.op)
        w(doc_block(['%s_get_operation:' % S, '@self: a [struct@Horde.%s]' % m.cname, '',
                     'The operation this request sends: `%s %s`.' % (m.op.method, m.op.path), '',
                     'Returns: (transfer none): the operation']))
        w('const HordeOperation *\n%s_get_operation (const %s *self)\n{\n'
          '  return &horde_operation_table[%d];\n}\n' % (S, T, op_index))
        w(doc_block(['%s_get_success_response_type:' % S, '@self: a [struct@Horde.%s]' % m.cname, '',
                     'The type of the value a successful answer to this request holds, as',
                     '[method@Horde.Client.send_finish] returns it: the C form of horde_sdk\'s',
                     '`get_default_success_response_type()`.', '',
                     'Returns: the #GType of the success response']))
        w('GType\n%s_get_success_response_type (const %s *self)\n{\n'
          '  return horde_operation_get_success_response_type (&horde_operation_table[%d]);\n}\n' % (S, T, op_index))
        args = self.new_args(m)
        if args is not None:
            lines = ['%s_new: (constructor)' % S]
            for f in args:
                lines.append('@%s: %s' % (f.cname, doc_text(f.schema.get('description') or 'the `%s` path parameter' % f.json_name)))
            lines += ['', 'Makes the request in one call; use [struct@Horde.%sBuilder] to set' % m.cname,
                      'its optional fields.', '',
                      'Returns: (transfer full): a new request']
            w(doc_block(lines))
            params = ', '.join('const char *%s' % f.cname for f in args) or 'void'
            w('%s *\n%s_new (%s)\n{' % (T, S, params))
            w('  g_autoptr(HordeModelBuilder) builder = horde_model_builder_new (&%s, NULL);' % m.info)
            for f in args:
                w('  g_return_val_if_fail (%s != NULL, NULL);' % f.cname)
                w('  horde_model_builder_set_string (builder, %d, %s);' % (f.index, f.cname))
            w('  return horde_model_builder_end (builder, NULL);\n}\n')

    def define_builder(self, w, m):
        T, S = m.ctype, m.snake
        B, Bs = T + 'Builder', S + '_builder'
        w(doc_block(['%s:' % B, '',
                     'Builds a [struct@Horde.%s]: set fields, then call' % m.cname,
                     '[method@Horde.%sBuilder.end], which validates them. A builder can' % m.cname,
                     'start from an existing value to make a changed copy.']))
        w('G_DEFINE_BOXED_TYPE (%s, %s, %s_ref, %s_unref)\n' % (B, Bs, Bs, Bs))
        w(doc_block(['%s_new: (constructor)' % Bs, '',
                     'Makes a builder with no field set.', '',
                     'Returns: (transfer full): a new builder']))
        w('%s *\n%s_new (void)\n{\n  return (%s *) horde_model_builder_new (&%s, NULL);\n}\n' % (B, Bs, B, m.info))
        w(doc_block(['%s_new_from: (constructor)' % Bs, '@base: the value to start from', '',
                     'Makes a builder holding the fields of @base, to make a changed copy.', '',
                     'Returns: (transfer full): a new builder']))
        w('%s *\n%s_new_from (const %s *base)\n{\n  g_return_val_if_fail (base != NULL, NULL);\n'
          '  return (%s *) horde_model_builder_new (&%s, base);\n}\n' % (B, Bs, T, B, m.info))
        w(doc_block(['%s_ref:' % Bs, '@self: a [struct@Horde.%s]' % (m.cname + 'Builder'), '',
                     'Takes a reference on the builder.', '', 'Returns: (transfer full): @self']))
        w('%s *\n%s_ref (%s *self)\n{\n  return (%s *) horde_model_builder_ref ((HordeModelBuilder *) self);\n}\n' % (B, Bs, B, B))
        w(doc_block(['%s_unref:' % Bs, '@self: (transfer full): a [struct@Horde.%s]' % (m.cname + 'Builder'), '',
                     'Drops a reference on the builder.']))
        w('void\n%s_unref (%s *self)\n{\n  horde_model_builder_unref ((HordeModelBuilder *) self);\n}\n' % (Bs, B))
        w(doc_block(['%s_end:' % Bs, '@self: a [struct@Horde.%s]' % (m.cname + 'Builder'),
                     '@error: return location for a #GError', '',
                     'Validates the fields set so far and makes the value. The builder stays',
                     'usable: later changes do not touch the value returned.', '',
                     'Returns: (transfer full): the new value, or %NULL with @error set to',
                     '  %HORDE_ERROR_VALIDATION naming the first invalid field']))
        w('%s *\n%s_end (%s *self, GError **error)\n{\n  return horde_model_builder_end ((HordeModelBuilder *) self, error);\n}\n' % (T, Bs, B))
        w(doc_block(['%s_set_extra_field:' % Bs, '@self: a [struct@Horde.%s]' % (m.cname + 'Builder'),
                     '@name: a JSON member name',
                     '@value: (nullable): the member\'s value, or %NULL to remove it', '',
                     'Sets a JSON member this version of libhorde does not know, to use a',
                     'server feature newer than it. A known member\'s name sets nothing: use',
                     'its setter.']))
        w('void\n%s_set_extra_field (%s *self, const char *name, JsonNode *value)\n{\n'
          '  horde_model_builder_set_extra_field ((HordeModelBuilder *) self, name, value);\n}\n' % (Bs, B))

        for f in m.fields:
            args = self.setter_args(m, f)
            lines = ['%s_set_%s:' % (Bs, f.cname), '@self: a [struct@Horde.%s]' % (m.cname + 'Builder')]
            ann = {
                'string': '(nullable): the value, or %NULL to unset it',
                'boolean': 'the value',
                'integer': 'the value',
                'number': 'the value',
                'model': '(nullable) (transfer none): the value, or %NULL to unset it',
                'strv': '(array zero-terminated=1) (nullable) (transfer none): the strings, or %NULL to unset',
                'int_array': '(array length=n_value) (nullable) (transfer none): the numbers, or %NULL to unset',
                'model_array': '(array length=n_value) (nullable) (transfer none): the items, or %NULL to unset',
                'json': '(nullable) (transfer none): the value, or %NULL to unset it',
            }[f.kind]
            lines.append('@value: ' + ann)
            if f.kind in ('int_array', 'model_array'):
                lines.append('@n_value: the number of items in @value')
            lines.append('')
            lines.append('Sets `%s`. See [method@Horde.%s.get_%s].' % (f.json_name, m.cname, f.cname))
            if f.note:
                lines += ['', doc_text(f.note)]
            w(doc_block(lines))
            w('void\n%s_set_%s (%s)\n{' % (Bs, f.cname, args))
            call = {
                'string': 'horde_model_builder_set_string ((HordeModelBuilder *) self, %d, value)',
                'boolean': 'horde_model_builder_set_boolean ((HordeModelBuilder *) self, %d, value)',
                'integer': 'horde_model_builder_set_int ((HordeModelBuilder *) self, %d, value)',
                'number': 'horde_model_builder_set_double ((HordeModelBuilder *) self, %d, value)',
                'model': 'horde_model_builder_set_model ((HordeModelBuilder *) self, %d, value)',
                'strv': 'horde_model_builder_set_strv ((HordeModelBuilder *) self, %d, value)',
                'int_array': 'horde_model_builder_set_int_array ((HordeModelBuilder *) self, %d, value, n_value)',
                'model_array': 'horde_model_builder_set_model_array ((HordeModelBuilder *) self, %d, (gpointer const *) value, n_value)',
                'json': 'horde_model_builder_set_json ((HordeModelBuilder *) self, %d, value)',
            }[f.kind] % f.index
            w('  %s;\n}\n' % call)
            if f.kind in SCALARS:
                w(doc_block(['%s_unset_%s:' % (Bs, f.cname), '@self: a [struct@Horde.%s]' % (m.cname + 'Builder'), '',
                             'Unsets `%s`: it is not sent, and the server applies its default.' % f.json_name]))
                w('void\n%s_unset_%s (%s *self)\n{\n  horde_model_builder_unset ((HordeModelBuilder *) self, %d);\n}\n'
                  % (Bs, f.cname, B, f.index))
            if f.enum is not None:
                self.define_enum_setter(w, m, f)

    def define_list(self, w, m):
        T, S, I = m.ctype, m.snake, m.item.ctype
        w(doc_block(['%s:' % T, '', m.description, '',
                     'An immutable, reference-counted value; its JSON is an array.']))
        w()
        self.define_struct(w, m)
        self.field_table(w, m)
        self.define_info(w, m)
        self.define_common(w, m, 'a JSON array of `%s`' % m.item.schema_name)
        w(doc_block(['%s_new: (constructor)' % S,
                     '@items: (array length=n_items) (transfer none) (nullable): the items',
                     '@n_items: the number of items', '',
                     'Makes a list of @items.', '', 'Returns: (transfer full): a new list']))
        w('%s *\n%s_new (%s * const *items, gsize n_items)\n{\n'
          '  return horde_model_new_list (&%s, (gconstpointer) items, n_items);\n}\n' % (T, S, I, m.info))
        w(doc_block(['%s_get_items:' % S, '@self: a [struct@Horde.%s]' % m.cname,
                     '@n_items: (out) (optional): return location for the number of items', '',
                     'The items of the list.', '',
                     'Returns: (array length=n_items) (transfer none): the items']))
        w('%s * const *\n%s_get_items (const %s *self, gsize *n_items)\n{\n'
          '  g_return_val_if_fail (self != NULL, NULL);\n  return horde_model_get_array (self, 0, n_items);\n}\n' % (I, S, T))
        w(doc_block(['%s_get_n_items:' % S, '@self: a [struct@Horde.%s]' % m.cname, '',
                     'The number of items in the list.', '',
                     'Returns: the number of items']))
        w('gsize\n%s_get_n_items (const %s *self)\n{\n  gsize n = 0;\n\n'
          '  g_return_val_if_fail (self != NULL, 0);\n  horde_model_get_array (self, 0, &n);\n  return n;\n}\n' % (S, T))
        w(doc_block(['%s_get_item:' % S, '@self: a [struct@Horde.%s]' % m.cname,
                     '@index: the position of the item', '',
                     'The item at @index.', '',
                     'Returns: (transfer none) (nullable): the item at @index, or %NULL past the end']))
        w('%s *\n%s_get_item (const %s *self, gsize index)\n{\n'
          '  g_return_val_if_fail (self != NULL, NULL);\n  return horde_model_get_list_item (self, index);\n}\n' % (I, S, T))

    # -- files -----------------------------------------------------------

    def emit(self, outdir):
        models, lists, requests = self.all_types()

        # public headers
        self.emit_enums(outdir)

        w = Writer()
        w(HEADER_PREAMBLE % ('horde-models.h', '#include "horde-known-values.h"\n'))
        for m in models:
            w('typedef struct _%s %s;' % (m.ctype, m.ctype))
        w()
        for m in models:
            self.declare_model(w, m)
        for m in lists:
            self.declare_list(w, m)
        w('G_END_DECLS')
        write(outdir, 'horde-models.h', w.text())

        w = Writer()
        w(HEADER_PREAMBLE % ('horde-requests.h', '#include "horde-models.h"\n#include "horde-operation.h"\n'))
        for m in requests:
            self.declare_model(w, m)
        w('G_END_DECLS')
        write(outdir, 'horde-requests.h', w.text())

        # private declarations shared by the generated sources
        w = Writer()
        w('/* horde-model-infos-private.h: generated by horde-codegen.py. Do not edit. */\n')
        w('#pragma once\n\n#include "horde-model-private.h"\n#include "horde-operation-private.h"\n')
        w('G_BEGIN_DECLS\n')
        for m in models + lists + requests:
            w('extern const HordeModelInfo %s;' % m.info)
        w('\nextern const HordeOperation horde_operation_table[%d];' % len(self.g.ops))
        w('\nG_END_DECLS')
        write(outdir, 'horde-model-infos-private.h', w.text())

        src_head = ('/* %s: generated by horde-codegen.py from the API descriptions. Do not edit. */\n\n'
                    '#include "config.h"\n\n#include "horde-models.h"\n#include "horde-requests.h"\n'
                    '#include "horde-model-infos-private.h"\n')
        w = Writer()
        w(src_head % 'horde-models.c')
        for m in models:
            self.define_model(w, m)
        for m in lists:
            self.define_list(w, m)
        write(outdir, 'horde-models.c', w.text())

        w = Writer()
        w(src_head % 'horde-requests.c')
        for m in requests:
            self.define_model(w, m)
        write(outdir, 'horde-requests.c', w.text())

        self.emit_table(outdir, models + lists + requests)
        self.emit_calls(outdir)

    def emit_enums(self, outdir):
        for ke in self.g.enums:
            if ke.ctype in self.g.ctypes:
                fail('%s is both a model and an enum' % ke.ctype)
        w = Writer()
        w(HEADER_PREAMBLE % ('horde-known-values.h', ''))
        for ke in self.g.enums:
            lines = ['%s:' % ke.ctype,
                     '@%s: a value this version of libhorde does not know, or none' % ke.unknown]
            for wire, cname in ke.values:
                if gi_nick(wire) == wire:
                    lines.append('@%s: `%s`' % (cname, doc_text(wire)))
                else:
                    lines.append('@%s: `%s` (its nick is `%s`: GObject-Introspection names values' % (
                        cname, doc_text(wire), gi_nick(wire)))
                    lines.append('  after their nicks and allows no `%s` there)' % doc_text(
                        ''.join(sorted(set(re.sub(r'[A-Za-z0-9_-]', '', wire))))))
            lines += ['', doc_text(ke.doc), '',
                      'The values are the server\'s (%s) and those of the API description.' % doc_text(ke.source), '',
                      'Each value\'s nick is its wire string: `%s` is' % doc_text(ke.values[0][0]),
                      '%%%s. [func@Horde.%s.from_string] and [func@Horde.%s.to_string]' % (ke.values[0][1], ke.name, ke.name),
                      'convert; the fields that hold these values have typed accessors beside',
                      'their string ones, which keep working for values newer than this version.',
                      'In the bindings a value\'s name is its nick in capitals',
                      '(`%s` is `%s` in Python).' % (doc_text(ke.values[0][0]), gi_nick(ke.values[0][0]).upper())]
            w(doc_block(lines))
            w('typedef enum {')
            w('  %s = 0,' % ke.unknown)
            for i, (wire, cname) in enumerate(ke.values):
                w('  %s = %d,' % (cname, i + 1))
            w('} %s;\n' % ke.ctype)
            w('#define HORDE_TYPE_%s (%s_get_type ())' % (ke.upper, ke.snake))
            w('HORDE_AVAILABLE_IN_ALL')
            w('GType %s_get_type (void) G_GNUC_CONST;' % ke.snake)
            w('HORDE_AVAILABLE_IN_ALL')
            w('%s %s_from_string (const char *value);' % (ke.ctype, ke.snake))
            w('HORDE_AVAILABLE_IN_ALL')
            w('const char *%s_to_string (%s value);\n' % (ke.snake, ke.ctype))
        w('G_END_DECLS')
        write(outdir, 'horde-known-values.h', w.text())

        w = Writer()
        w('/* horde-known-values.c: generated by horde-codegen.py from the API descriptions. Do not edit. */\n')
        w('#include "config.h"\n\n#include <string.h>\n\n#include "horde-known-values.h"\n')
        for ke in self.g.enums:
            w('static const GEnumValue %s_values[] = {' % ke.snake)
            w('  { %s, "%s", "unknown" },' % (ke.unknown, ke.unknown))
            for wire, cname in ke.values:
                w('  { %s, "%s", %s },' % (cname, cname, c_string(gi_nick(wire))))
            w('  { 0, NULL, NULL }\n};\n')
            w('/* the wire strings, by value: the nicks but for characters GI forbids */')
            w('static const char * const %s_wire[] = {' % ke.snake)
            w('  NULL,')
            for wire, cname in ke.values:
                w('  %s,' % c_string(wire))
            w('};\n')
            w('GType\n%s_get_type (void)\n{\n  static gsize type_id = 0;\n' % ke.snake)
            w('  if (g_once_init_enter (&type_id))\n    {')
            w('      GType id = g_enum_register_static (g_intern_static_string ("%s"), %s_values);' % (ke.ctype, ke.snake))
            w('      g_once_init_leave (&type_id, id);\n    }')
            w('  return type_id;\n}\n')
            w(doc_block(['%s_from_string:' % ke.snake,
                         '@value: (nullable): a wire string, as the server sends it',
                         '', 'The value whose wire string is @value (compared exactly, case included).', '',
                         'Returns: the value, or %%%s when @value is %%NULL or a string' % ke.unknown,
                         '  this version does not know']))
            w('%s\n%s_from_string (const char *value)\n{' % (ke.ctype, ke.snake))
            w('  if (value == NULL)\n    return %s;' % ke.unknown)
            w('  for (gsize i = 1; i < G_N_ELEMENTS (%s_wire); i++)' % ke.snake)
            w('    if (strcmp (value, %s_wire[i]) == 0)' % ke.snake)
            w('      return (%s) i;' % ke.ctype)
            w('  return %s;\n}\n' % ke.unknown)
            w(doc_block(['%s_to_string:' % ke.snake,
                         '@value: a [enum@Horde.%s]' % ke.name,
                         '', 'The wire string of @value: its nick (see [enum@Horde.%s] for the' % ke.name,
                         'few whose nick has to differ).', '',
                         'Returns: (nullable): the wire string, or %%NULL for %%%s' % ke.unknown,
                         '  and numbers that are no value']))
            w('const char *\n%s_to_string (%s value)\n{' % (ke.snake, ke.ctype))
            w('  if ((guint) value < 1 || (guint) value > %d)\n    return NULL;' % len(ke.values))
            w('  return %s_wire[value];\n}\n' % ke.snake)
        write(outdir, 'horde-known-values.c', w.text())

    def call_return(self, op):
        """The C type of an operation's default success response, for its typed call."""
        types = {t if t == 'json' else t.ctype for _, t in op.responses}
        if len(types) != 1:
            fail('%s %s answers different types on success: %s' % (op.method, op.path, sorted(types)))
        t = op.responses[-1][1]
        return ('JsonNode', 'the JSON the server answered') if t == 'json' else (t.ctype, 'a [struct@Horde.%s]' % t.cname)

    def emit_calls(self, outdir):
        """A typed call on the client for each operation: async, finish and sync."""
        h = Writer()
        h(HEADER_PREAMBLE % ('horde-client-calls.h', '#include <gio/gio.h>\n\n#include "horde-client.h"\n#include "horde-requests.h"\n'))
        c = Writer()
        c('/* horde-client-calls.c: generated by horde-codegen.py from the API descriptions. Do not edit. */\n')
        c('#include "config.h"\n\n#include "horde-client-calls.h"\n#include "horde-client-private.h"\n')
        for op in self.g.ops:
            req = op.request
            base = 'horde_client_send_' + req.snake[len('horde_'):]
            ret, ret_doc = self.call_return(op)
            summary = doc_text(op.spec.get('summary', ''))
            what = '`%s %s`%s' % (op.method, op.path, (': ' + summary) if summary else '')
            if op.service != 'horde':
                what += ' (%s, at [property@Horde.Client:%s-base-url])' % (SERVICES[op.service][1], op.service)
            h('HORDE_AVAILABLE_IN_ALL')
            h('void %s_async (HordeClient *self, %s *request, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);' % (base, req.ctype))
            h('HORDE_AVAILABLE_IN_ALL')
            h('%s *%s_finish (HordeClient *self, GAsyncResult *result, GError **error);' % (ret, base))
            h('HORDE_AVAILABLE_IN_ALL')
            h('%s *%s_sync (HordeClient *self, %s *request, GCancellable *cancellable, GError **error);' % (ret, base, req.ctype))
            h()
            c(doc_block(['%s_async:' % base, '@self: a [class@Horde.Client]',
                         '@request: the request', '@cancellable: (nullable): a #GCancellable',
                         '@callback: (scope async): called with the answer', '@user_data: data for @callback', '',
                         'Sends %s.' % what, '',
                         'The typed form of [method@Horde.Client.send_async]: the same validation, retries',
                         'and pacing. Finish with [method@Horde.Client.send_%s_finish].' % req.snake[len('horde_'):]]))
            c('void\n%s_async (HordeClient *self,\n    %s *request,\n    GCancellable *cancellable,\n'
              '    GAsyncReadyCallback callback,\n    gpointer user_data)\n{\n'
              '  g_return_if_fail (HORDE_IS_CLIENT (self));\n  g_return_if_fail (request != NULL);\n\n'
              '  horde_client_call_async (self, request, cancellable, callback, user_data);\n}\n' % (base, req.ctype))
            errors = self.errors_doc(op)
            c(doc_block(['%s_finish:' % base, '@self: a [class@Horde.Client]',
                         '@result: the #GAsyncResult given to the callback',
                         '@error: return location for a #GError', '',
                         'Finishes [method@Horde.Client.send_%s_async].' % req.snake[len('horde_'):], '']
                        + errors +
                        ['Returns: (transfer full): %s, or %%NULL with @error set' % ret_doc]))
            c('%s *\n%s_finish (HordeClient *self,\n    GAsyncResult *result,\n    GError **error)\n{\n'
              '  return horde_client_call_finish (self, result, NULL, error);\n}\n' % (ret, base))
            c(doc_block(['%s_sync:' % base, '@self: a [class@Horde.Client]',
                         '@request: the request', '@cancellable: (nullable): a #GCancellable',
                         '@error: return location for a #GError', '',
                         'Sends %s and waits for the answer, blocking the calling thread.' % what, '']
                        + errors +
                        ['Returns: (transfer full): %s, or %%NULL with @error set' % ret_doc]))
            c('%s *\n%s_sync (HordeClient *self,\n    %s *request,\n    GCancellable *cancellable,\n'
              '    GError **error)\n{\n  g_return_val_if_fail (HORDE_IS_CLIENT (self), NULL);\n'
              '  g_return_val_if_fail (request != NULL, NULL);\n\n'
              '  return horde_client_call_sync (self, request, cancellable, error);\n}\n' % (ret, base, req.ctype))
        h('G_END_DECLS')
        write(outdir, 'horde-client-calls.h', h.text())
        write(outdir, 'horde-client-calls.c', c.text())

    # what horde_error_code_for_status() makes of a status (horde-error.c)
    ERROR_FOR_STATUS = {400: 'HORDE_ERROR_BAD_REQUEST', 401: 'HORDE_ERROR_UNAUTHORIZED',
                        403: 'HORDE_ERROR_FORBIDDEN', 404: 'HORDE_ERROR_NOT_FOUND',
                        408: 'HORDE_ERROR_TIMEOUT', 410: 'HORDE_ERROR_EXPIRED',
                        429: 'HORDE_ERROR_RATE_LIMITED'}

    def errors_doc(self, op):
        """The errors of a typed call: those the spec lists for the
        operation, then those any call can fail with."""
        lines = ['The errors the server answers with for this operation:', '']
        listed = False
        for status, answer in sorted(op.spec.get('responses', {}).items(), key=lambda kv: str(kv[0])):
            if not str(status).isdigit() or int(status) < 400:
                continue
            code = self.ERROR_FOR_STATUS.get(int(status),
                                             'HORDE_ERROR_SERVER_ERROR' if int(status) >= 500 else 'HORDE_ERROR_BAD_REQUEST')
            if int(status) == 400:
                code = 'HORDE_ERROR_VALIDATION or %HORDE_ERROR_BAD_REQUEST'
            desc = doc_text(answer.get('description', '')) if isinstance(answer, dict) else ''
            lines.append('- %%%s: %s%s' % (code, status, (', ' + desc) if desc else ''))
            listed = True
        lines = lines + [''] if listed else []
        lines += ['Like any call, it also fails with %HORDE_ERROR_VALIDATION when the request',
                  'breaks a constraint of the API (before anything is sent), %HORDE_ERROR_NETWORK,',
                  '%HORDE_ERROR_TIMEOUT, %HORDE_ERROR_RATE_LIMITED or %HORDE_ERROR_SERVER_ERROR after',
                  'the retries, and %G_IO_ERROR_CANCELLED. See [error@Horde.Error].', '']
        return lines

    def emit_table(self, outdir, all_models):
        w = Writer()
        w('/* horde-operation-table.c: generated by horde-codegen.py from the API descriptions. Do not edit. */\n')
        w('#include "config.h"\n\n#include "horde-models.h"\n#include "horde-requests.h"\n'
          '#include "horde-model-infos-private.h"\n')
        default_rate = self.g.ov.get('default_rate_limit', [90, 60])
        for i, op in enumerate(self.g.ops):
            w('static const HordeOperationResponse op_%d_responses[] = {' % i)
            for status, t in op.responses:
                getter = 'json_node_get_type' if t == 'json' else t.snake + '_get_type'
                w('  { %d, %s },' % (status, getter))
            w('};')
        w()
        w('const HordeOperation horde_operation_table[%d] = {' % len(self.g.ops))
        for i, op in enumerate(self.g.ops):
            rate = op.extra.get('rate_limit', default_rate)
            idem = op.method in ('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS')
            w('  { %s, %s, %s, %s, %s, &%s, op_%d_responses, %d, %d, %d, %s, %s, %s },' % (
                c_string(op.method), c_string(op.path), c_string(op.spec.get('operationId')),
                c_string(op.spec.get('summary')), c_string(op.name), op.request.info, i, len(op.responses),
                rate[0], rate[1], 'TRUE' if idem else 'FALSE',
                c_string(op.extra.get('idempotent_with_header')), SERVICES[op.service][0],
            ))
        w('};\n')
        w('static const HordeModelInfo * const all_infos[] = {')
        for m in all_models:
            w('  &%s,' % m.info)
        w('};\n')
        w('const HordeModelInfo * const *\nhorde_model_info_all (gsize *n_infos)\n{\n'
          '  *n_infos = G_N_ELEMENTS (all_infos);\n  return all_infos;\n}\n')
        w('gsize\nhorde_operation_table_size (void)\n{\n  return G_N_ELEMENTS (horde_operation_table);\n}')
        write(outdir, 'horde-operation-table.c', w.text())


def write(outdir, name, text):
    path = os.path.join(outdir, name)
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--spec', required=True, action='append', metavar='[SERVICE=]PATH',
                    help='an API description; SERVICE is one of %s, horde by default' % ', '.join(SERVICES))
    ap.add_argument('--overrides', required=True)
    ap.add_argument('--known-values', required=True,
                    help='the known values made into enums (their value lists beside it)')
    ap.add_argument('--outdir', required=True)
    args = ap.parse_args()
    specs = []
    for arg in args.spec:
        service, sep, path = arg.partition('=')
        if not sep:
            service, path = 'horde', arg
        if service not in SERVICES:
            fail('unknown service %s (known: %s)' % (service, ', '.join(SERVICES)))
        if any(s == service for s, _ in specs):
            fail('two specs for the service %s' % service)
        with open(path, encoding='utf-8') as f:
            specs.append((service, json.load(f)))
    specs.sort(key=lambda s: list(SERVICES).index(s[0]))
    with open(args.overrides, encoding='utf-8') as f:
        overrides = json.load(f)
    with open(args.known_values, encoding='utf-8') as f:
        known = json.load(f)
    gen = Generator(specs, overrides, known, os.path.dirname(os.path.abspath(args.known_values)))
    gen.run()
    Emitter(gen).emit(args.outdir)


if __name__ == '__main__':
    main()

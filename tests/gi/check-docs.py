#!/usr/bin/python3
# check-docs.py GIR: fails when a public symbol of libhorde has no
# documentation: a type, function, method, property, enum member, parameter
# or return value without a gi-docgen comment.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'


def name_of(el):
    return el.get(C + 'identifier') or el.get(C + 'type') or el.get('name')


def main(path):
    tree = ET.parse(path)
    missing = []
    checked = 0

    for tag in ('class', 'record', 'enumeration', 'bitfield', 'function', 'method',
                'constructor', 'property', 'member', 'constant', 'signal', 'callback'):
        for el in tree.iter(CORE + tag):
            # the class structs of final types are private
            if tag == 'record' and el.get(GLIB + 'is-gtype-struct-for'):
                continue
            checked += 1
            if el.find(CORE + 'doc') is None:
                missing.append('%s %s' % (tag, name_of(el)))
            if tag in ('function', 'method', 'constructor', 'callback', 'signal'):
                for param in el.iter(CORE + 'parameter'):
                    if param.find(CORE + 'doc') is None:
                        missing.append('%s %s: parameter %s' % (tag, name_of(el), param.get('name')))
                ret = el.find(CORE + 'return-value')
                if ret is not None:
                    rtype = ret.find(CORE + 'type')
                    if (rtype is None or rtype.get('name') != 'none') and ret.find(CORE + 'doc') is None:
                        missing.append('%s %s: return value' % (tag, name_of(el)))

    if missing:
        print('%d undocumented public symbols in %s:' % (len(missing), path))
        for m in missing:
            print('  ' + m)
        return 1

    print('%d public symbols, all documented' % checked)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))

#!/usr/bin/python3
# check-flatpak.py SOURCE_ROOT BUILD_ROOT: the Flatpak manifests in flatpak/
# are what flatpak-builder accepts and what the app may ask for. The GNOME
# runtime cannot be downloaded here, so the build itself is not run; what
# can be checked without it is:
#  - flatpak-builder parses each manifest (--show-manifest, with warnings
#    made fatal so that an unknown key or source type fails);
#  - strict JSON (no duplicate keys);
#  - the ids: the file name, the release and the .Devel variant;
#  - permissions: exactly network, ipc, wayland + fallback-x11 and dri,
#    nothing of the file system (files go through the portals);
#  - the app is built from this tree, with options this project has;
#  - any other module is a pinned source with a checksum.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import re
import subprocess
import sys
import tempfile

BASE_ID = 'io.github.hordestudio.HordeStudio'
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
}

problems = []


def problem(manifest, text):
    problems.append('%s: %s' % (os.path.basename(manifest), text))


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError('duplicate keys: %s' % ', '.join(sorted(dup)))
    return dict(pairs)


def project_options(build_root):
    out = subprocess.run(['meson', 'introspect', '--buildoptions', build_root],
                         check=True, capture_output=True, text=True).stdout
    return {o['name']: o for o in json.loads(out)}


def check_config_opts(manifest, opts, options):
    names = {}
    for opt in opts:
        m = re.fullmatch(r'-D([A-Za-z0-9_.]+)=(.*)', opt)
        if m is None:
            problem(manifest, 'config-opt %r is not -Dname=value' % opt)
            continue
        name, value = m.groups()
        names[name] = value
        known = options.get(name)
        if known is None:
            problem(manifest, 'config-opt %r: this project has no option %s' % (opt, name))
        elif known['type'] == 'combo' and value not in known['choices']:
            problem(manifest, 'config-opt %r: %s is one of %s' % (opt, name, known['choices']))
        elif known['type'] == 'boolean' and value not in ('true', 'false'):
            problem(manifest, 'config-opt %r: %s is true or false' % (opt, name))
    return names


def check_pinned(manifest, module):
    for source in module.get('sources', []):
        if isinstance(source, str):
            problem(manifest, 'module %s: source %s is an unpinned file' % (module.get('name'), source))
            continue
        kind = source.get('type')
        if kind in ('archive', 'file'):
            if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                problem(manifest, 'module %s: %s source without a sha256' % (module.get('name'), kind))
            if not source.get('url', '').startswith('https://'):
                problem(manifest, 'module %s: %s source not over https' % (module.get('name'), kind))
        elif kind == 'git':
            if not re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')):
                problem(manifest, 'module %s: git source without a commit' % module.get('name'))
        elif kind != 'patch':
            problem(manifest, 'module %s: source type %s is not pinned' % (module.get('name'), kind))


def check(manifest, source_root, options):
    stem = os.path.basename(manifest)[:-len('.json')]
    devel = stem.endswith('.Devel')

    with open(manifest, encoding='utf-8') as f:
        try:
            m = json.load(f, object_pairs_hook=no_duplicates)
        except ValueError as e:
            problem(manifest, 'not strict JSON: %s' % e)
            return

    env = dict(os.environ, G_DEBUG='fatal-warnings')
    # flatpak-builder keeps a state folder where it runs
    with tempfile.TemporaryDirectory() as cwd:
        shown = subprocess.run(['flatpak-builder', '--show-manifest', os.path.abspath(manifest)],
                               capture_output=True, text=True, env=env, cwd=cwd)
    if shown.returncode != 0:
        problem(manifest, 'flatpak-builder does not accept it (exit %d): %s'
                % (shown.returncode, shown.stderr.strip()))
    elif json.loads(shown.stdout).get('id') != stem:
        problem(manifest, 'flatpak-builder reads another id: %s' % shown.stdout[:200])

    if m.get('id') != stem or stem not in (BASE_ID, BASE_ID + '.Devel'):
        problem(manifest, 'id %r does not match the file name or the app id' % m.get('id'))
    if m.get('runtime') != 'org.gnome.Platform' or m.get('sdk') != 'org.gnome.Sdk':
        problem(manifest, 'not on the GNOME runtime and SDK')
    version = m.get('runtime-version', '')
    if devel and version != 'master':
        problem(manifest, 'the .Devel variant follows the nightly runtime (master), not %r' % version)
    if not devel and not re.fullmatch(r'[0-9]+', version):
        problem(manifest, 'the release is on a stable GNOME runtime, not %r' % version)
    if m.get('command') != 'horde-studio':
        problem(manifest, 'command is %r' % m.get('command'))

    finish = m.get('finish-args', [])
    if len(finish) != len(set(finish)):
        problem(manifest, 'finish-args repeat themselves')
    if set(finish) != ALLOWED_FINISH_ARGS:
        extra = sorted(set(finish) - ALLOWED_FINISH_ARGS)
        missing = sorted(ALLOWED_FINISH_ARGS - set(finish))
        problem(manifest, 'finish-args: asks for %s, lacks %s' % (extra, missing))

    modules = m.get('modules', [])
    if not modules or not isinstance(modules[-1], dict):
        problem(manifest, 'no module builds the app')
        return
    app = modules[-1]
    if app.get('buildsystem') != 'meson':
        problem(manifest, 'the app module is not built with meson')
    tree = [s for s in app.get('sources', []) if s.get('type') == 'dir']
    if len(tree) != 1 or os.path.realpath(os.path.join(os.path.dirname(manifest), tree[0].get('path', ''))) \
            != os.path.realpath(source_root):
        problem(manifest, 'the app module is not built from this tree')
    names = check_config_opts(manifest, app.get('config-opts', []), options)
    if names.get('profile', 'default') != ('development' if devel else 'default'):
        problem(manifest, 'profile %r for %s' % (names.get('profile'), stem))
    if names.get('tests') != 'false':
        problem(manifest, 'the tests (which need Xvfb) are not built in the sandbox: -Dtests=false')

    for module in modules[:-1]:
        if isinstance(module, str):
            problem(manifest, 'module file %s: keep modules in the manifest' % module)
        else:
            check_pinned(manifest, module)


def main(source_root, build_root):
    options = project_options(build_root)
    folder = os.path.join(source_root, 'flatpak')
    manifests = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith('.json'))
    wanted = {BASE_ID + '.json', BASE_ID + '.Devel.json'}
    if {os.path.basename(p) for p in manifests} != wanted:
        problems.append('flatpak/ should hold exactly %s' % sorted(wanted))
    for manifest in manifests:
        check(manifest, source_root, options)
    for p in problems:
        print(p)
    print('%d manifests checked, %d problems' % (len(manifests), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))

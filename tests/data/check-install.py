#!/usr/bin/python3
# check-install.py BUILD_ROOT SOURCE_ROOT: `meson install` of this build
# into a temporary folder (DESTDIR) gives everything a user or a packager
# expects, and what is installed works from there:
#  - every file meson means to install is there, and the ones people look
#    for by name: horde, horde-sim, horde-studio, the library, <libhorde.h>,
#    libhorde-1.pc, Horde-1.0.gir/.typelib, the translations (Horde
#    Studio's and libhorde's), icons, schema, desktop, metainfo and D-Bus
#    service files;
#  - the installed desktop file, metainfo and schema pass
#    desktop-file-validate, appstreamcli validate --no-net and
#    glib-compile-schemas --strict; the D-Bus service starts the installed
#    binary under the application id;
#  - `horde --version` runs; Python and gjs import Horde from the installed
#    typelib (not the build tree's);
#  - the C examples of docs/examples/ compile against the installed
#    headers with the command their header comment gives, nothing but
#    `pkg-config --cflags --libs libhorde-1` (image-worker adds libwebp, for
#    its encoder), and one of them runs against the installed horde-sim.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

problems = []


def problem(text):
    problems.append(text)
    print('not ok: ' + text)


def ok(text):
    print('ok: ' + text)


def run(argv, env=None, **kwargs):
    return subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)


def expect(argv, what, env=None):
    r = run(argv, env)
    if r.returncode != 0:
        problem('%s: exit %d\n%s%s' % (what, r.returncode, r.stdout, r.stderr))
    else:
        ok(what)
    return r


def options(build):
    out = run(['meson', 'introspect', '--buildoptions', build]).stdout
    return {o['name']: o['value'] for o in json.loads(out)}


def main(build, source):
    opts = options(build)
    prefix = opts['prefix']
    app = opts['app']
    app_id = 'io.github.hordestudio.HordeStudio' + ('.Devel' if opts['profile'] == 'development' else '')

    with tempfile.TemporaryDirectory(prefix='horde-install-') as dest:
        r = run(['meson', 'install', '-C', build, '--destdir', dest, '--no-rebuild', '--quiet'])
        if r.returncode != 0:
            problem('meson install failed:\n' + r.stdout + r.stderr)
            return 1
        root = dest + prefix

        def at(option, *parts):
            return os.path.join(root, opts[option], *parts)

        # what meson installs, all of it
        installed = json.loads(run(['meson', 'introspect', '--installed', build]).stdout)
        absent = [p for p in installed.values() if not os.path.lexists(dest + p)]
        if absent:
            problem('meson installed less than it lists: %s' % absent)
        else:
            ok('%d files installed as meson lists them' % len(installed))

        libdir = at('libdir')
        wanted = [
            at('bindir', 'horde'),
            at('bindir', 'horde-sim'),
            at('includedir', 'libhorde-1', 'libhorde.h'),
            at('libdir', 'pkgconfig', 'libhorde-1.pc'),
            at('libdir', 'libhorde-1.so'),
        ]
        with open(os.path.join(source, 'po', 'libhorde', 'LINGUAS'), encoding='utf-8') as f:
            for lang in (w for l in f if not l.startswith('#') for w in l.split()):
                wanted.append(at('localedir', lang, 'LC_MESSAGES', 'libhorde-1.mo'))
        if opts['introspection']:
            wanted += [at('datadir', 'gir-1.0', 'Horde-1.0.gir'),
                       at('libdir', 'girepository-1.0', 'Horde-1.0.typelib')]
        if app:
            wanted += [at('bindir', 'horde-studio'),
                       at('datadir', 'applications', app_id + '.desktop'),
                       at('datadir', 'metainfo', app_id + '.metainfo.xml'),
                       at('datadir', 'dbus-1', 'services', app_id + '.service'),
                       at('datadir', 'glib-2.0', 'schemas', 'io.github.hordestudio.HordeStudio.gschema.xml'),
                       at('datadir', 'icons', 'hicolor', 'scalable', 'apps', app_id + '.svg'),
                       at('datadir', 'icons', 'hicolor', 'symbolic', 'apps', app_id + '-symbolic.svg')]
            with open(os.path.join(source, 'po', 'LINGUAS'), encoding='utf-8') as f:
                for lang in (w for l in f if not l.startswith('#') for w in l.split()):
                    wanted.append(at('localedir', lang, 'LC_MESSAGES', 'horde-studio.mo'))
        missing = [os.path.relpath(p, root) for p in wanted if not os.path.exists(p)]
        if missing:
            problem('not installed: %s' % missing)
        else:
            ok('the %d files people look for by name are there' % len(wanted))

        if app:
            desktop = at('datadir', 'applications', app_id + '.desktop')
            expect(['desktop-file-validate', desktop], 'desktop-file-validate ' + os.path.basename(desktop))
            expect(['appstreamcli', 'validate', '--no-net', at('datadir', 'metainfo', app_id + '.metainfo.xml')],
                   'appstreamcli validate --no-net on the installed metainfo')
            expect(['glib-compile-schemas', '--strict', '--dry-run', at('datadir', 'glib-2.0', 'schemas')],
                   'glib-compile-schemas --strict on the installed schemas')
            with open(at('datadir', 'dbus-1', 'services', app_id + '.service'), encoding='utf-8') as f:
                service = dict(l.strip().split('=', 1) for l in f if '=' in l)
            binary = service.get('Exec', '').split()[0] if service.get('Exec') else ''
            if service.get('Name') != app_id or not os.path.exists(dest + binary):
                problem('the D-Bus service does not start the installed horde-studio as %s: %s' % (app_id, service))
            else:
                ok('the D-Bus service starts %s as %s' % (binary, app_id))
            with open(desktop, encoding='utf-8') as f:
                text = f.read()
            if 'Comment[de]=' not in text or 'Comment[es]=' not in text:
                problem('the installed desktop file is not translated')
            else:
                ok('the installed desktop file carries the translations')

        env = dict(os.environ, LD_LIBRARY_PATH=libdir)
        sanitizer = os.environ.get('HORDE_TEST_SANITIZER_RUNTIME')
        r = expect([at('bindir', 'horde'), '--version'], 'installed horde --version', env)
        if r.returncode == 0 and os.environ['HORDE_VERSION'] not in r.stdout.split():
            problem('horde --version says %r, the project is %s' % (r.stdout, os.environ['HORDE_VERSION']))

        if opts['introspection']:
            gi_env = dict(env, GI_TYPELIB_PATH=at('libdir', 'girepository-1.0'))
            if sanitizer:
                gi_env['LD_PRELOAD'] = sanitizer
                gi_env['ASAN_OPTIONS'] = 'detect_leaks=0'
            typelib = at('libdir', 'girepository-1.0', 'Horde-1.0.typelib')
            r = expect(['/usr/bin/python3', '-c',
                        'import gi; gi.require_version("Horde", "1.0"); '
                        'from gi.repository import GIRepository, Horde; '
                        'print(GIRepository.Repository.get_default().get_typelib_path("Horde")); '
                        'print(Horde.Client.new().get_base_url())'],
                       'Python imports Horde from the installed typelib', gi_env)
            if r.returncode == 0 and r.stdout.splitlines()[0] != typelib:
                problem('Python loaded %s, not the installed typelib' % r.stdout.splitlines()[0])
            r = expect(['gjs', '-c',
                        'imports.gi.versions.Horde = "1.0"; const {GIRepository, Horde} = imports.gi; '
                        'print(GIRepository.Repository.get_default().get_typelib_path("Horde")); '
                        'print(Horde.Client.new().get_base_url());'],
                       'gjs imports Horde from the installed typelib', gi_env)
            if r.returncode == 0 and r.stdout.splitlines()[0] != typelib:
                problem('gjs loaded %s, not the installed typelib' % r.stdout.splitlines()[0])

        # a consumer of the installed headers and .pc: the C examples
        pc_env = dict(env, PKG_CONFIG_PATH=at('libdir', 'pkgconfig'))
        flags = run(['pkg-config', '--cflags', '--libs', 'libhorde-1'], pc_env)
        if flags.returncode != 0:
            problem('pkg-config does not find the installed libhorde-1:\n' + flags.stderr)
            return 1
        if root not in flags.stdout:
            problem('pkg-config points elsewhere than the install: %s' % flags.stdout)
        examples = sorted(glob.glob(os.path.join(source, 'docs', 'examples', '*.c')))
        if not examples:
            problem('no C program in docs/examples to build against the install')
        cc = shlex.split(os.environ.get('CC', 'cc'))
        extra = os.environ.get('HORDE_TEST_SANITIZER_FLAGS', '').split()
        built = {}
        for example in examples:
            out = os.path.join(dest, os.path.basename(example)[:-2])
            # the packages of the build command in the example's comment
            with open(example) as f:
                documented = re.search(r'\$\(pkg-config --cflags --libs ([^)]*)\)', f.read())
            packages = documented.group(1).split() if documented else []
            if 'libhorde-1' not in packages:
                problem('%s does not say how to build it with pkg-config libhorde-1' % os.path.basename(example))
                continue
            example_flags = flags.stdout.split()
            if packages != ['libhorde-1']:
                more = run(['pkg-config', '--cflags', '--libs', *packages], pc_env)
                if more.returncode != 0:
                    problem('pkg-config does not find %s:\n%s' % (' '.join(packages), more.stderr))
                    continue
                example_flags = more.stdout.split()
            r = expect([*cc, '-Wall', '-Werror', '-o', out, example] + extra + example_flags,
                       'cc %s with only pkg-config %s' % (os.path.basename(example), ' '.join(packages)), pc_env)
            if r.returncode == 0:
                built[os.path.basename(out)] = out

        # and one of them runs, with the installed library, against the
        # installed simulator
        if 'list-models' in built:
            sim = subprocess.Popen([at('bindir', 'horde-sim'), '--port', '0'], env=env,
                                   stdout=subprocess.PIPE, text=True)
            try:
                url = sim.stdout.readline().strip()
                ldd = run(['ldd', built['list-models']], env).stdout
                if libdir not in ldd:
                    problem('list-models does not use the installed library:\n' + ldd)
                r = expect([built['list-models']], 'list-models, built against the install, on its horde-sim',
                           dict(env, AI_HORDE_URL=url, AI_HORDE_API_KEY=''))
                if r.returncode == 0 and not r.stdout.strip():
                    problem('list-models printed nothing')
            finally:
                sim.terminate()
                sim.wait()
        elif examples:
            problem('docs/examples has no list-models.c to run against the install')

    print('%d problems' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))

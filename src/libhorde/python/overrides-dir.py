#!/usr/bin/env python3
# overrides-dir.py PREFIX: where Horde.py goes so that this Python's
# PyGObject finds it: gi/overrides in the first site (or dist) packages
# folder of sys.path under PREFIX (Debian: /usr/local/lib/python3.X/
# dist-packages for /usr/local, /usr/lib/python3/dist-packages for /usr),
# else PREFIX/lib/python3.X/site-packages. gi.overrides extends its path
# over every gi/overrides folder on sys.path. Fails when this Python has
# no PyGObject: the build then asks the next one.
import os
import sys
import sysconfig

# not the gi/ folder beside this script, which holds only the override
here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
import gi.repository  # noqa: E402,F401 (only a Python that has PyGObject answers)

prefix = os.path.normpath(sys.argv[1])
for path in sys.path:
    if (path.startswith(prefix + os.sep)
            and os.path.relpath(path, prefix).split(os.sep)[0] in ('lib', 'lib64')
            and os.path.basename(path.rstrip(os.sep)) in ('site-packages', 'dist-packages')):
        site = path
        break
else:
    site = os.path.join(prefix, 'lib', 'python' + sysconfig.get_python_version(), 'site-packages')
print(os.path.join(site, 'gi', 'overrides'))

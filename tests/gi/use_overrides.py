# use_overrides.py: puts libhorde's PyGObject override module of the source
# tree (HORDE_PYTHON_OVERRIDES, set by tests/meson.build) on the path
# PyGObject loads overrides from, as the installed gi/overrides/Horde.py is.
# Import it before `from gi.repository import Horde`.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os

import gi.overrides

gi.overrides.__path__.insert(0, os.environ['HORDE_PYTHON_OVERRIDES'])

#!/bin/sh
# run-under-xvfb.sh PROGRAM [ARG…]: runs a UI test as a desktop session
# would, but private: a virtual X display, a D-Bus session bus of its own
# (where the keyring, if installed, is activated on demand) and a home
# directory of its own, removed afterwards.
set -eu
home=$(mktemp -d "${TMPDIR:-/tmp}/horde-studio-ui-home-XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home"
export XDG_DATA_HOME="$home/.local/share"
export XDG_CONFIG_HOME="$home/.config"
export XDG_CACHE_HOME="$home/.cache"
export XDG_RUNTIME_DIR="$home/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export GTK_A11Y=none
export ADW_DISABLE_PORTAL=1
exec xvfb-run -a -s "-screen 0 1280x860x24 -nolisten tcp" dbus-run-session -- "$@"

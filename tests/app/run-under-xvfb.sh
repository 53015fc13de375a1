#!/bin/sh
# run-under-xvfb.sh PROGRAM [ARG…]: runs a UI test as a desktop session
# would, but private: a virtual X display, a D-Bus session bus of its own
# with a keyring on it (gnome-keyring's Secret Service, its "login"
# collection unlocked with a throwaway password) and a home directory of
# its own; the keyring and the home go afterwards.
set -eu

if [ "${1-}" = "--in-session" ]; then
  # the second half, on the private bus: the keyring, then the program
  shift
  status=0
  if command -v gnome-keyring-daemon >/dev/null 2>&1; then
    # --unlock creates the login keyring with the password on stdin;
    # in the foreground, so that it is this script's to stop
    printf '%s' "horde-studio-test" |
      gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
    keyring=$!
    trap 'kill "$keyring" 2>/dev/null || :; wait "$keyring" 2>/dev/null || :' EXIT
    trap 'exit 143' HUP INT TERM
    if gdbus wait --session --timeout 10 org.freedesktop.secrets; then
      # tests that write to the default collection check this first
      export HORDE_TEST_KEYRING=private
    else
      echo "run-under-xvfb.sh: gnome-keyring-daemon did not come up on the session bus" >&2
    fi
  else
    echo "run-under-xvfb.sh: no gnome-keyring-daemon: this session has no keyring" >&2
  fi
  "$@" || status=$?
  exit "$status"
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/horde-studio-ui-home-XXXXXX")
trap 'rm -rf "$home"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
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
# not exec'd: the home is removed once the session has ended
status=0
xvfb-run -a -s "-screen 0 1280x860x24 -nolisten tcp" \
  dbus-run-session -- "$0" --in-session "$@" || status=$?
exit "$status"

#!/bin/sh
# Qt's wheels need a few system libraries; find the missing ones and install them as root,
# or print the exact apt-get line for a user who is not root.
set -eu

# library file -> Debian/Ubuntu package that ships it
pairs="
libEGL.so.1:libegl1
libGL.so.1:libgl1
libxkbcommon.so.0:libxkbcommon0
libxkbcommon-x11.so.0:libxkbcommon-x11-0
libfontconfig.so.1:libfontconfig1
libfreetype.so.6:libfreetype6
libdbus-1.so.3:libdbus-1-3
libglib-2.0.so.0:libglib2.0-0
libX11-xcb.so.1:libx11-xcb1
libxcb-cursor.so.0:libxcb-cursor0
libxcb-icccm.so.4:libxcb-icccm4
libxcb-image.so.0:libxcb-image0
libxcb-keysyms.so.1:libxcb-keysyms1
libxcb-randr.so.0:libxcb-randr0
libxcb-render-util.so.0:libxcb-render-util0
libxcb-shape.so.0:libxcb-shape0
libxcb-xkb.so.1:libxcb-xkb1
"

[ "$(uname -s)" = "Linux" ] || exit 0
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
[ -x "$LDCONFIG" ] || exit 0  # no ldconfig: nothing we can check
known=$("$LDCONFIG" -p)

missing=""
for pair in $pairs; do
  lib=${pair%%:*}
  pkg=${pair#*:}
  case "$known" in
    *"$lib "*) ;;
    *) missing="$missing $pkg" ;;
  esac
done
# Text on an offscreen or virtual screen needs at least one font.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list 2>/dev/null | head -n 1)" ]; then
  missing="$missing fonts-dejavu-core"
fi

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Qt needs these system libraries, which are missing:$missing" >&2
  echo "Install them with your distribution's package manager, then run make again." >&2
  exit 1
fi
# Debian 13 / Ubuntu 24.04 renamed the GLib package for the 64-bit time_t transition.
if apt-cache show libglib2.0-0t64 >/dev/null 2>&1; then
  missing=$(echo "$missing" | sed 's/libglib2.0-0\b/libglib2.0-0t64/')
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing the system libraries Qt needs:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
  echo "Qt needs system libraries that are missing. Run this, then make again:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi

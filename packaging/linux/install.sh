#!/bin/sh
# Installs this Newsdesk folder for the current user: the app in ~/.local/lib/newsdesk, the
# command in ~/.local/bin, and its menu entry, icons and AppStream metadata in ~/.local/share.
#
#     ./install.sh               # for you (no root needed)
#     sudo ./install.sh /usr/local   # for everyone on this machine
#     ./install.sh --uninstall [PREFIX]
#
# Your articles are not touched by either: they live in ~/.local/share/newsdesk/.
set -eu
uninstall=false
if [ "${1:-}" = "--uninstall" ]; then
  uninstall=true
  shift
fi
prefix=${1:-$HOME/.local}
here=$(cd "$(dirname "$0")" && pwd)
app=$prefix/lib/newsdesk
icons=$prefix/share/icons/hicolor
sizes="16 22 24 32 48 64 128 256 512"

remove() {
  rm -rf "$app"
  rm -f "$prefix/bin/newsdesk" "$prefix/share/applications/newsdesk.desktop" \
    "$prefix/share/metainfo/newsdesk.metainfo.xml" "$icons/scalable/apps/newsdesk.svg"
  for size in $sizes; do rm -f "$icons/${size}x${size}/apps/newsdesk.png"; done
}

refresh() {
  # Let the desktop notice the new entry and icons now rather than at the next login.
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if $uninstall; then
  remove
  refresh
  echo "Newsdesk removed from $prefix (your articles are still in your data folder)."
  exit 0
fi

[ -x "$here/newsdesk" ] || { echo "Run install.sh from the unpacked Newsdesk folder." >&2; exit 1; }
if [ "$here" != "$(cd "$prefix" 2>/dev/null && pwd)/lib/newsdesk" ]; then
  remove
  mkdir -p "$app"
  cp -R "$here/." "$app/"
fi
mkdir -p "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo" \
  "$icons/scalable/apps"
ln -sf "$app/newsdesk" "$prefix/bin/newsdesk"
# The menu entry names the installed program by its full path, so it works even when
# ~/.local/bin is not on the desktop's PATH. Exec quotes and escapes it as the Desktop Entry
# specification asks (the argument's quoting, %% for %, then the value's own backslashes);
# TryExec is the bare program, nothing else: with arguments GLib refuses the whole entry.
program=$app/newsdesk
case $program in
  # GLib looks for Exec's program without undoing the %%, and finds none.
  *%*) echo "Warning: GNOME will not list Newsdesk in its menu: its folder's path has a %." \
    "Install it into a folder whose path has no % to get the menu entry." >&2 ;;
esac
exec_arg=$(printf '%s' "$program" | sed -e 's/[\\"`$]/\\&/g' -e 's/%/%%/g' -e 's/\\/\\\\/g')
try_exec=$(printf '%s' "$program" | sed 's/\\/\\\\/g')
replacement() { printf '%s' "$1" | sed 's/[\\&|]/\\&/g'; } # safe after "s|...|"
sed -e "s|^Exec=newsdesk |Exec=\"$(replacement "$exec_arg")\" |" \
  -e "s|^TryExec=newsdesk\$|TryExec=$(replacement "$try_exec")|" \
  "$app/share/newsdesk.desktop" >"$prefix/share/applications/newsdesk.desktop"
cp "$app/share/newsdesk.metainfo.xml" "$prefix/share/metainfo/"
cp "$app/share/icons/newsdesk.svg" "$icons/scalable/apps/newsdesk.svg"
for size in $sizes; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$app/share/icons/newsdesk-$size.png" "$icons/${size}x${size}/apps/newsdesk.png"
done
refresh
echo "Newsdesk installed in $app; start it from your applications menu or run:"
echo "  $prefix/bin/newsdesk"

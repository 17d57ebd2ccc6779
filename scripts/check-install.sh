#!/usr/bin/env bash
# Installs soundloc under a scratch PREFIX (and DESTDIR), checks that the installed binary, man
# page and completions work, then uninstalls and checks that nothing of it is left.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d /tmp/soundloc-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
make install PREFIX="$prefix" >/dev/null
# Whole outputs are captured first: `grep -q` stopping early would fail the pipe under pipefail.
help=$("$prefix/bin/soundloc" --help)
grep -q "Find where a sound comes from" <<<"$help"
grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' <<<"$("$prefix/bin/soundloc" --version)"
page=$(MANPAGER=cat man -M "$prefix/share/man" soundloc 2>/dev/null)
grep -q "SOUNDLOC(1)" <<<"$page"
grep -q "localize" <<<"$page"
grep -q "_soundloc()" "$prefix/share/bash-completion/completions/soundloc"
grep -q "#compdef soundloc" "$prefix/share/zsh/site-functions/_soundloc"
grep -q "^complete -c 'soundloc'" "$prefix/share/fish/vendor_completions.d/soundloc.fish"
make uninstall PREFIX="$prefix" >/dev/null
left=$(find "$prefix" -type f | wc -l)
[ "$left" -eq 0 ] || { echo "make uninstall left $left files under $prefix" >&2; exit 1; }
# DESTDIR stages the same tree under another root, for packaging.
make install PREFIX=/usr/local DESTDIR="$prefix" >/dev/null
[ -x "$prefix/usr/local/bin/soundloc" ] && [ -f "$prefix/usr/local/share/man/man1/soundloc.1" ]
make uninstall PREFIX=/usr/local DESTDIR="$prefix" >/dev/null
echo "install check: binary, --help, --version, man page, bash/zsh/fish completions, uninstall, DESTDIR: ok"

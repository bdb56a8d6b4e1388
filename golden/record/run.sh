#!/usr/bin/env bash
# Runs a program from bin/ under Wine, on Linux or macOS:
#
#   ./run.sh [PROGRAM [ARGS...]]      PROGRAM defaults to parent.exe
#
# Go programs, shmem.dll included, need ProcessPrng from
# bcryptprimitives.dll, which Wine 8 lacks, so a plain "wine bin/parent.exe"
# fails. This runs them in a private Wine prefix, .wine/ here (or
# $SHMEM_WINEPREFIX), made on first use with a stub built from
# wine/bcryptprimitives.c. Your ~/.wine is never touched; delete .wine/ to
# start afresh. Needs Wine and mingw-w64 (Debian: apt-get install wine wine64
# mingw-w64); override the C compiler with CC.
set -euo pipefail
cd "$(dirname "$0")"

cc=${CC:-x86_64-w64-mingw32-gcc}
WINEPREFIX=${SHMEM_WINEPREFIX:-$PWD/.wine}
WINEARCH=win64
WINEDEBUG=${WINEDEBUG:--all}
# No network needed: do not offer Mono or Gecko, and write no .desktop files.
WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe=d'
export WINEPREFIX WINEARCH WINEDEBUG WINEDLLOVERRIDES

stub=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$stub" ]; then
	echo "run.sh: making a Wine prefix in $WINEPREFIX (once; it takes a while)" >&2
	wine wineboot --init </dev/null >/dev/null 2>&1
	wineserver -w
	"$cc" -shared -O2 -s -o "$stub" wine/bcryptprimitives.c -ladvapi32
fi
# Wine's daemons keep whatever output they start with open: start them now,
# on /dev/null, so that they never hold this program's output open.
wineserver -p60 </dev/null >/dev/null 2>&1 || true
wine wineboot </dev/null >/dev/null 2>&1

program=${1:-parent.exe}
if [ $# -gt 0 ]; then
	shift
fi
exec wine "bin/$program" "$@"

#!/usr/bin/env bash
# Runs a program from bin/ under Wine, on Linux or macOS:
#
#   ./run.sh [PROGRAM [ARGS...]]      PROGRAM defaults to parent.exe
#
# PROGRAM is a program in bin/, named as you like: parent, parent.exe and
# bin/parent.exe are the same one.
#
# Go programs, telemetry.dll included, need ProcessPrng from
# bcryptprimitives.dll, which Wine 8 lacks, so a plain "wine bin/parent.exe"
# fails. This runs them in a private Wine prefix, .wine/ here (or
# $SHMEM_WINEPREFIX), made on first use with a stub built from
# wine/bcryptprimitives.c. Your ~/.wine is never touched; delete .wine/ to
# start afresh. Needs Wine and mingw-w64 (Debian: apt-get install wine wine64
# mingw-w64); override the C compiler with CC.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
	echo "usage: ./run.sh [PROGRAM [ARGS...]]"
	echo
	echo "Runs PROGRAM from bin/ under Wine, in a private prefix (.wine/);"
	echo "PROGRAM defaults to parent.exe. parent, parent.exe and bin/parent.exe"
	echo "name the same program. Build the programs first with ./build.sh."
}
case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
esac

# The program's file in bin/, however it was named.
program=${1:-parent.exe}
if [ $# -gt 0 ]; then
	shift
fi
program=${program#./}
program=${program#bin/}
case "$program" in
*.exe) ;;
*) program=$program.exe ;;
esac
if [ ! -f "bin/$program" ]; then
	if [ -d bin ]; then
		built=(bin/*.exe)
		echo "run.sh: bin/$program does not exist: build it with ./build.sh windows" >&2
		if [ -f "${built[0]}" ]; then
			echo "(the programs built: ${built[*]#bin/})" >&2
		fi
		if [ -x "bin/${program%.exe}" ]; then
			echo "bin/${program%.exe} is a Linux program: run it directly, without run.sh" >&2
		fi
	else
		echo "run.sh: nothing is built yet (no bin/): run ./build.sh windows first" >&2
	fi
	exit 1
fi

cc=${CC:-x86_64-w64-mingw32-gcc}
WINEPREFIX=${SHMEM_WINEPREFIX:-$PWD/.wine}
WINEARCH=win64
WINEDEBUG=${WINEDEBUG:--all}
# No network needed: do not offer Mono or Gecko, and write no .desktop files.
WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe=d'
export WINEPREFIX WINEARCH WINEDEBUG WINEDLLOVERRIDES

if ! command -v wine >/dev/null || ! command -v wineserver >/dev/null; then
	echo "run.sh: Wine is not installed (no wine or wineserver on PATH): it runs the" >&2
	echo "Windows programs here. Install it (Debian, Ubuntu: sudo apt-get install wine wine64;" >&2
	echo "Fedora: sudo dnf install wine; macOS: brew install --cask wine-stable), or run" >&2
	echo "bin/$program on Windows." >&2
	exit 1
fi

stub=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$stub" ]; then
	if ! command -v "$cc" >/dev/null; then
		echo "run.sh: $cc is not installed: it builds the ProcessPrng stub Wine needs." >&2
		echo "Install mingw-w64 (Debian, Ubuntu: sudo apt-get install mingw-w64; macOS:" >&2
		echo "brew install mingw-w64), or name another compiler with CC." >&2
		exit 1
	fi
	echo "run.sh: making a Wine prefix in $WINEPREFIX (once; it takes a while)" >&2
	wine wineboot --init </dev/null >/dev/null 2>&1
	wineserver -w
	"$cc" -shared -O2 -s -o "$stub" wine/bcryptprimitives.c -ladvapi32
fi
# Wine's daemons keep whatever output they start with open: start them now,
# on /dev/null, so that they never hold this program's output open.
wineserver -p60 </dev/null >/dev/null 2>&1 || true
wine wineboot </dev/null >/dev/null 2>&1

exec wine "bin/$program" "$@"

#!/usr/bin/env bash
# Usage: ./build.sh [windows|linux]
#
# Builds for every system the project is for, or for the one named. What
# it takes from shmemgen.yaml (the library's name NAME, the systems, the
# Windows architectures) it reads from build.env, which shmemgen generates.
#
# windows: cross-builds NAME.dll, its header, its import library and both
# pairs of host programs from Linux or macOS, with Go and mingw-w64
# (Debian: apt-get install mingw-w64), for each architecture: amd64 into
# bin/, 386 into bin/386/. Override the C compiler with CC (CC_386 for 386),
# its flags with CFLAGS, dlltool with DLLTOOL (DLLTOOL_386) and windres with
# WINDRES.
#
# linux: builds libNAME.so, its header and both pairs of host programs
# natively on Linux, with Go and gcc, for the machine's architecture, into
# bin/: bin/libNAME.so, bin/parent, bin/child, bin/parent-go and
# bin/child-go. Override the C compiler with CC_LINUX.
#
# The bindings chosen in shmemgen.yaml (bindings), from bindings/ into bin/:
# csharp: bin/parent-cs.exe and bin/child-cs.exe with mcs, whichever the
# system (the same .exe runs natively on Windows and with mono on Linux);
# python: bin/parent.py and bin/child.py beside bin/sharedmem.py (python3
# checks them), whichever the system; rust: bin/parent-rs and bin/child-rs
# with linux, with rustc (RUSTC), offline (on Windows, build.ps1 makes
# bin\parent-rs.exe and bin\child-rs.exe the same way). Windows runs them
# beside bin/NAME.dll, Linux beside bin/libNAME.so.
#
# Each step prints a line as it starts and one with its time when it ends.
# The build_* functions run through step, where shellcheck cannot follow.
# shellcheck disable=SC2317
set -euo pipefail
cd "$(dirname "$0")"

# dll, systems, arches and bindings, from shmemgen.yaml.
# shellcheck source=build.env
. ./build.env
project_systems=$systems
case "${1:-}" in
"") ;;
windows | linux)
	if [[ " $systems " != *" $1 "* ]]; then
		echo "build.sh: this project is not built for $1 (os: ${systems// /,})" >&2
		exit 2
	fi
	systems=$1
	;;
*)
	echo "usage: ./build.sh [windows|linux]" >&2
	exit 2
	;;
esac
if [ $# -gt 1 ]; then
	echo "usage: ./build.sh [windows|linux]" >&2
	exit 2
fi

cflags=${CFLAGS:--O2 -Wall -Wextra}
windres=${WINDRES:-x86_64-w64-mingw32-windres}
cc_amd64=${CC:-x86_64-w64-mingw32-gcc}
dlltool_amd64=${DLLTOOL:-x86_64-w64-mingw32-dlltool}
cc_386=${CC_386:-i686-w64-mingw32-gcc}
dlltool_386=${DLLTOOL_386:-i686-w64-mingw32-dlltool}
cc_linux=${CC_LINUX:-gcc}
rustc=${RUSTC:-rustc}

# binding NAME: whether the project has the binding NAME.
binding() { [[ " $bindings " == *" $1 "* ]]; }

# Every tool is looked for before anything is built, so that one missing is
# named with what to install rather than met half-way as "command not found".
missing=0
# need WHAT TOOL...: says which of the TOOLs are not on PATH and what to do.
need() {
	local what=$1 tool absent=
	shift
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null; then
			absent="$absent $tool"
		fi
	done
	if [ -n "$absent" ]; then
		echo "build.sh: not found:$absent" >&2
		echo "  $what" >&2
		missing=1
	fi
}
need "install Go 1.26 or later: https://go.dev/dl/" go
for system in $systems; do
	case $system in
	windows)
		tools=("$windres") also=
		for arch in $arches; do
			case $arch in
			amd64) tools+=("$cc_amd64" "$dlltool_amd64") ;;
			386) tools+=("$cc_386" "$dlltool_386") also=" (CC_386, DLLTOOL_386)" ;;
			esac
		done
		if [[ " $project_systems " == *" linux "* ]]; then
			also="$also; ./build.sh linux builds the Linux side alone"
		fi
		need "install mingw-w64 (Debian, Ubuntu: sudo apt-get install mingw-w64; macOS: brew install mingw-w64), or name the tools with CC, DLLTOOL and WINDRES$also" "${tools[@]}"
		;;
	linux)
		need "install gcc (Debian, Ubuntu: sudo apt-get install gcc), or name a C compiler with CC_LINUX" "$cc_linux"
		if binding csharp; then
			need "install Mono to run the C# binding's programs (Debian, Ubuntu: sudo apt-get install mono-runtime)" mono
		fi
		if binding rust; then
			need "install Rust for the Rust binding (https://rustup.rs, or Debian, Ubuntu: sudo apt-get install rustc), or name the compiler with RUSTC" "$rustc"
		fi
		;;
	esac
done
if binding csharp; then
	need "install Mono's C# compiler for the C# binding (Debian, Ubuntu: sudo apt-get install mono-mcs; macOS: brew install mono)" mcs
fi
if binding python; then
	need "install Python 3.8 or later for the Python binding (Debian, Ubuntu: sudo apt-get install python3)" python3
fi
if [ "$missing" = 1 ]; then
	echo "build.sh: nothing built" >&2
	exit 1
fi

# now prints the time in milliseconds: EPOCHREALTIME where bash has it (5.0
# and later), whole seconds elsewhere (macOS's bash 3.2).
now() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		echo $((10#$t / 1000))
	else
		echo $((SECONDS * 1000))
	fi
}

# step WHAT COMMAND...: runs COMMAND, saying what it makes and how long it took.
step() {
	local what=$1 start
	shift
	echo "building $what"
	start=$(now)
	"$@"
	local ms=$(($(now) - start))
	printf 'built    %s in %d.%ds\n' "$what" $((ms / 1000)) $((ms % 1000 / 100))
}

all=$(now)

# build_arch GOARCH DIR CC DLLTOOL RCTARGET builds everything for GOARCH
# into DIR; RCTARGET is windres's name for the architecture.
build_arch() {
	local goarch=$1 out=$2 cc=$3 dlltool=$4 rctarget=$5
	mkdir -p "$out/obj"

	# The version resources, from version.rc (file-version in shmemgen.yaml): a
	# .syso file in each Go package, which go build links in, and an object
	# file for each C host.
	build_rc() {
		local pkg
		for pkg in VI_DLL:dll VI_PARENT_GO:hosts/go/parent VI_CHILD_GO:hosts/go/child; do
			"$windres" --target="$rctarget" -D"${pkg%%:*}" -O coff -i version.rc -o "${pkg#*:}/version_windows_$goarch.syso"
		done
		"$windres" --target="$rctarget" -DVI_PARENT -O coff -i version.rc -o "$out/obj/parent-version.o"
		"$windres" --target="$rctarget" -DVI_CHILD -O coff -i version.rc -o "$out/obj/child-version.o"
	}
	step "version resources ($goarch)" build_rc

	# The DLL records the name it is built under: build it under its final
	# name. The generated exports are C, declared in dll/api.h. cgo writes a
	# header only for Go exports, which dll/user.go may add: it becomes
	# NAME_go.h. Without a Go export, Go's linker would export a
	# placeholder, _cgo_stub_export; the extldflags stop it writing its
	# export list, so that the DLL exports exactly its dllexport functions.
	# -static-libgcc: on 386, 64-bit division calls libgcc's __udivdi3,
	# which gcc would otherwise import from libgcc_s_dw2-1.dll, a DLL that
	# Windows does not have.
	build_dll() {
		local extldflags=-static-libgcc
		if ! grep -qs '^//export ' dll/*.go; then
			extldflags="$extldflags -Wl,--export-all-symbols -Wl,--exclude-all-symbols"
		fi
		rm -f "$out/$dll.h" "$out/${dll}_go.h"
		CGO_ENABLED=1 GOOS=windows GOARCH="$goarch" CC="$cc" \
			go build -buildmode=c-shared -trimpath -ldflags "-extldflags '$extldflags'" -o "$out/$dll.dll" ./dll
		if [ -f "$out/$dll.h" ]; then
			mv "$out/$dll.h" "$out/${dll}_go.h"
		fi
		cp dll/api.h "$out/$dll.h"
	}
	step "$out/$dll.dll, $out/$dll.h" build_dll

	# The import library, for linkers that want one rather than the DLL
	# itself (-L$out -lNAME), made from the module-definition file
	# dll/exports.def. The exports are __cdecl on 386 too: undecorated.
	build_implib() {
		cp dll/exports.def "$out/$dll.def"
		"$dlltool" --input-def "$out/$dll.def" --dllname "$dll.dll" --output-lib "$out/lib$dll.dll.a"
	}
	step "$out/$dll.def, $out/lib$dll.dll.a" build_implib

	# The C hosts include the DLL's header and load the DLL explicitly,
	# by full path (hosts/c/load.h): they do not link against it.
	# shellcheck disable=SC2086 # cflags holds several flags
	step "$out/parent.exe" "$cc" $cflags -municode -I"$out" -o "$out/parent.exe" hosts/c/parent.c "$out/obj/parent-version.o"
	# shellcheck disable=SC2086
	step "$out/child.exe" "$cc" $cflags -municode -I"$out" -o "$out/child.exe" hosts/c/child.c "$out/obj/child-version.o"

	step "$out/parent-go.exe" env CGO_ENABLED=0 GOOS=windows GOARCH="$goarch" go build -trimpath -o "$out/parent-go.exe" ./hosts/go/parent
	step "$out/child-go.exe" env CGO_ENABLED=0 GOOS=windows GOARCH="$goarch" go build -trimpath -o "$out/child-go.exe" ./hosts/go/child

	built="$built $out/$dll.dll $out/$dll.h $out/$dll.def $out/lib$dll.dll.a $out/parent.exe $out/child.exe $out/parent-go.exe $out/child-go.exe"
}

built=
build_windows() {
	local arch
	for arch in $arches; do
		case $arch in
		amd64) build_arch amd64 bin "$cc_amd64" "$dlltool_amd64" pe-x86-64 ;;
		# 386: the same, 32-bit, with i686 mingw-w64. The exports are
		# __cdecl there too, and their names undecorated.
		386) build_arch 386 bin/386 "$cc_386" "$dlltool_386" pe-i386 ;;
		esac
	done
}

# build_linux builds the Linux library and hosts natively into bin/.
build_linux() {
	local out=bin cc=$cc_linux
	mkdir -p "$out"

	# The library exports exactly the generated exports (and any Go
	# exports dll/user.go adds): dll/exports.map is a version script that
	# makes every other symbol local, Go's runtime ones included. cgo
	# writes a header only for Go exports: it becomes NAME_go.h.
	build_so() {
		local extldflags="-Wl,--version-script=$PWD/dll/exports.map"
		if grep -qs '^//export ' dll/*.go; then
			extldflags=
		fi
		if binding csharp; then
			# The soname lets the C# binding's DllImport of the library's name
			# resolve to the library it loaded by full path, never to one on a
			# search path.
			extldflags="$extldflags -Wl,-soname,lib$dll.so"
		fi
		rm -f "$out/lib$dll.h" "$out/${dll}_go.h"
		CGO_ENABLED=1 GOOS=linux CC="$cc" \
			go build -buildmode=c-shared -trimpath -ldflags "-extldflags '$extldflags'" -o "$out/lib$dll.so" ./dll
		if [ -f "$out/lib$dll.h" ]; then
			mv "$out/lib$dll.h" "$out/${dll}_go.h"
		fi
		cp dll/api.h "$out/$dll.h"
	}
	step "$out/lib$dll.so, $out/$dll.h" build_so

	# The C hosts load the library with dlopen, by full path.
	# shellcheck disable=SC2086 # cflags holds several flags
	step "$out/parent" "$cc" $cflags -I"$out" -o "$out/parent" hosts/c/parent.c -ldl
	# shellcheck disable=SC2086
	step "$out/child" "$cc" $cflags -I"$out" -o "$out/child" hosts/c/child.c -ldl

	step "$out/parent-go" env CGO_ENABLED=1 GOOS=linux CC="$cc" go build -trimpath -o "$out/parent-go" ./hosts/go/parent
	step "$out/child-go" env CGO_ENABLED=1 GOOS=linux CC="$cc" go build -trimpath -o "$out/child-go" ./hosts/go/child

	built="$built $out/lib$dll.so $out/$dll.h $out/parent $out/child $out/parent-go $out/child-go"

	if binding rust; then
		# The Rust binding: the sharedmem crate, then each program against it,
		# with rustc alone (cargo build in bindings/rust does the same).
		local rs=bindings/rust
		mkdir -p "$out/obj"
		step "$out/obj/libsharedmem.rlib" "$rustc" --edition 2021 -O -D warnings --crate-type rlib --crate-name sharedmem -o "$out/obj/libsharedmem.rlib" "$rs/src/lib.rs"
		step "$out/parent-rs" "$rustc" --edition 2021 -O -D warnings --crate-name parent --extern sharedmem="$out/obj/libsharedmem.rlib" -o "$out/parent-rs" "$rs/src/bin/parent.rs"
		step "$out/child-rs" "$rustc" --edition 2021 -O -D warnings --crate-name child --extern sharedmem="$out/obj/libsharedmem.rlib" -o "$out/child-rs" "$rs/src/bin/child.rs"
		built="$built $out/parent-rs $out/child-rs"
	fi
}

for system in $systems; do
	"build_$system"
done

# build_bindings builds what of the bindings is the same for every system
# into bin/, once.
build_bindings() {
	local out=bin
	mkdir -p "$out"
	if binding csharp; then
		# The C# binding: one assembly per program, for .NET Framework 4.x: the
		# same .exe runs with mono on Linux and natively on Windows.
		local cs=bindings/csharp
		step "$out/parent-cs.exe" mcs -nologo -unsafe -optimize+ -warnaserror+ -out:"$out/parent-cs.exe" "$cs/SharedMem.cs" "$cs/Hosts.cs" "$cs/Parent.cs"
		step "$out/child-cs.exe" mcs -nologo -unsafe -optimize+ -warnaserror+ -out:"$out/child-cs.exe" "$cs/SharedMem.cs" "$cs/Hosts.cs" "$cs/Child.cs"
		built="$built $out/parent-cs.exe $out/child-cs.exe"
	fi
	if binding python; then
		# The Python binding: the module and the programs, beside the library
		# they load, each checked for syntax.
		step "$out/parent.py, $out/child.py, $out/sharedmem.py" build_python "$out"
		built="$built $out/parent.py $out/child.py $out/sharedmem.py"
	fi
}

# build_python OUT: copies the Python binding into OUT, each file compiled
# first so that a syntax error stops the build.
build_python() {
	local f
	for f in sharedmem.py parent.py child.py; do
		python3 -c 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")' "bindings/python/$f"
		cp "bindings/python/$f" "$1/$f"
	done
	chmod +x "$1/parent.py" "$1/child.py"
}

if [ -n "$bindings" ]; then
	build_bindings
fi

ms=$(($(now) - all))
printf 'built%s in %d.%ds\n' "$built" $((ms / 1000)) $((ms % 1000 / 100))

#!/usr/bin/env bash
# Cross-builds telemetry.dll, its header and both pairs of host programs into
# bin/ from Linux or macOS, with Go and mingw-w64 (Debian: apt-get install
# mingw-w64). Override the C compiler with CC, its flags with CFLAGS and
# dlltool with DLLTOOL. Each step prints a line as it starts and one with its
# time when it ends.
set -euo pipefail
cd "$(dirname "$0")"

cc=${CC:-x86_64-w64-mingw32-gcc}
cflags=${CFLAGS:--O2 -Wall -Wextra}
dlltool=${DLLTOOL:-x86_64-w64-mingw32-dlltool}
mkdir -p bin

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

# The DLL records the name it is built under: build it under its final name.
# The generated exports are C, declared in dll/api.h. cgo writes a header
# only for Go exports, which dll/user.go may add: it becomes telemetry_go.h.
# Without a Go export, Go's linker would export a placeholder,
# _cgo_stub_export; the extldflags stop it writing its export list, so that
# the DLL exports exactly its dllexport functions.
build_dll() {
	local extldflags=
	if ! grep -qs '^//export ' dll/*.go; then
		extldflags='-Wl,--export-all-symbols -Wl,--exclude-all-symbols'
	fi
	rm -f bin/telemetry.h bin/telemetry_go.h
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$cc" \
		go build -buildmode=c-shared -trimpath -ldflags "-extldflags '$extldflags'" -o bin/telemetry.dll ./dll
	if [ -f bin/telemetry.h ]; then
		mv bin/telemetry.h bin/telemetry_go.h
	fi
	cp dll/api.h bin/telemetry.h
}
step "bin/telemetry.dll, bin/telemetry.h" build_dll

# The import library, for linkers that want one rather than the DLL itself
# (-Lbin -ltelemetry), made from the module-definition file dll/exports.def.
build_implib() {
	cp dll/exports.def bin/telemetry.def
	"$dlltool" --input-def bin/telemetry.def --dllname telemetry.dll --output-lib bin/libtelemetry.dll.a
}
step "bin/telemetry.def, bin/libtelemetry.dll.a" build_implib

# The C hosts link against the DLL itself and include its header.
# shellcheck disable=SC2086 # cflags holds several flags
step bin/parent.exe "$cc" $cflags -municode -Ibin -o bin/parent.exe hosts/c/parent.c bin/telemetry.dll
# shellcheck disable=SC2086
step bin/child.exe "$cc" $cflags -municode -Ibin -o bin/child.exe hosts/c/child.c bin/telemetry.dll

step bin/parent-go.exe env CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -o bin/parent-go.exe ./hosts/go/parent
step bin/child-go.exe env CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -o bin/child-go.exe ./hosts/go/child

ms=$(($(now) - all))
printf 'built bin/telemetry.dll bin/telemetry.h bin/telemetry.def bin/libtelemetry.dll.a bin/parent.exe bin/child.exe bin/parent-go.exe bin/child-go.exe in %d.%ds\n' $((ms / 1000)) $((ms % 1000 / 100))

#!/usr/bin/env bash
# Cross-builds hostile.dll, its header and both pairs of host programs into
# bin/ from Linux or macOS, with Go and mingw-w64 (Debian: apt-get install
# mingw-w64). Override the C compiler with CC and its flags with CFLAGS.
set -euo pipefail
cd "$(dirname "$0")"

cc=${CC:-x86_64-w64-mingw32-gcc}
cflags=${CFLAGS:--O2 -Wall -Wextra}
mkdir -p bin

# The DLL records the name it is built under: build it under its final name.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$cc" \
	go build -buildmode=c-shared -trimpath -o bin/hostile.dll ./dll

# The C hosts link against the DLL itself and include the header cgo wrote.
# shellcheck disable=SC2086 # cflags holds several flags
"$cc" $cflags -municode -Ibin -o bin/parent.exe hosts/c/parent.c bin/hostile.dll
# shellcheck disable=SC2086
"$cc" $cflags -municode -Ibin -o bin/child.exe hosts/c/child.c bin/hostile.dll

CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -o bin/parent-go.exe ./hosts/go/parent
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -o bin/child-go.exe ./hosts/go/child

echo "built bin/hostile.dll bin/hostile.h bin/parent.exe bin/child.exe bin/parent-go.exe bin/child-go.exe"

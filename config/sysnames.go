package config

import _ "embed"

// sysnames.txt lists every identifier that the headers the generated code
// includes (windows.h and the C runtime's, with mingw-w64) declare at file
// scope, every macro they define, and cgo's own names (GoString, GoInt,
// _GoString_, …). An export of one of those names would clash with it in
// the generated header or in a host: Sleep or CreateFile fail to build,
// near is a macro, and an export named like a Win32 function a Go DLL
// calls deadlocks it (golang/go#73083). The list is derived, never edited:
// internal/cnames reads it from the headers.
//
//go:generate go run ../internal/cnames/mksysnames -o sysnames.txt
//go:embed sysnames.txt
var sysNamesFile string

// systemNames are the names the headers or cgo declare or define.
var systemNames = nameList(sysNamesFile)

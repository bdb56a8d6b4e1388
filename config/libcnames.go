package config

import _ "embed"

// libcnames.txt lists the functions and variables glibc's libc.so.6
// exports. On Linux, an export of lib<dll>.so with one of those names would
// interpose it for the whole host process (the dynamic linker binds every
// reference to the first definition it finds), so with linux in --os such
// names are refused. It is derived, never edited:
//
//	nm -D --defined-only /lib/x86_64-linux-gnu/libc.so.6 | awk '{print $3}' |
//		sed 's/@.*//' | grep -v '^_' | LC_ALL=C sort -u
//
// (with the two comment lines at its top), sorted bytewise, as nameList's
// search needs.
//
//go:embed libcnames.txt
var libcNamesFile string

// libcNames are the names libc.so.6 exports.
var libcNames = nameList(libcNamesFile)

// This file is yours. shmemgen wrote it once and, when it regenerates the
// project, never overwrites your edits; core.c, setup.go and the other
// generated files beside it are rewritten every time. It depends on no
// input, so that changing one in shmemgen.yaml never brings a new version
// of it; nor has it a build constraint, so it is compiled for every system.
// Code that calls one system's API goes in a file of your own beside it
// that is built only there, such as user_windows.go.
//
// Add your own exports here, beside the generated ones: a Go function with
// an export directive becomes a C function of the DLL, and cgo declares it
// in bin/<dll>_go.h (build.sh keeps cgo's header under that name; the
// generated exports are in bin/<dll>.h). For example:
//
//	//export Answer
//	func Answer() C.int { return 42 }
//
// Choose names that clash neither with the generated exports nor with the
// identifiers in the generated files, and recover panics: a panic that
// reaches C kills the host. A call into a Go export costs tens of
// microseconds under Wine (the calling thread is attached to the Go runtime
// and detached again each time), the generated C exports tens of
// nanoseconds.

package main

// The C pseudo-package, for the C types of your exports and because cgo
// reads export directives only in files that import it. The blank line
// keeps this comment out of the C preamble, where it would not compile.

import "C"

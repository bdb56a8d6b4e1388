package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// denyCreate is a file TestGlobalClientFirst adds to a project's DLL, a
// test build that no project ships: with SHMEMGEN_DENY_CREATE set as the
// DLL loads, creating the section fails with ERROR_ACCESS_DENIED, as
// Windows refuses a Global\ section to a process without
// SeCreateGlobalPrivilege. Wine does not enforce the privilege. Package
// variables are set before any init runs, so before setup.
const denyCreate = `//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

var _ = func() bool {
	if os.Getenv("SHMEMGEN_DENY_CREATE") != "" {
		createSection = func(*windows.SecurityAttributes, string) (windows.Handle, error) {
			return 0, windows.ERROR_ACCESS_DENIED
		}
	}
	return true
}()
`

// globalArgs are TestGlobalClientFirst's project's flags; addDenyCreate
// is the file it adds (prebuiltProjects).
var globalArgs = []string{"--name", `Global\shmemgen-e2e-global`}

func addDenyCreate(dir string) error {
	return os.WriteFile(filepath.Join(dir, "dll", "deny_create.go"), []byte(denyCreate), 0o644)
}

// TestGlobalClientFirst has a client of a Global\ mapping load the DLL
// before its service, as a program without SeCreateGlobalPrivilege: every
// call fails with ERROR_ACCESS_DENIED (5), the truth, while setup retries
// in the background, and the DLL works once the service has created the
// section. (docs/security.md's manual check 5 covers real Windows.)
func TestGlobalClientFirst(t *testing.T) {
	alone(t) // its own mapping name
	win.require(t)
	bin := filepath.Join(newProject(t, "global", globalArgs...), "bin")
	cProgram(t, bin, "global")
	wantOutput(t, run(t, bin, "global.exe"),
		"before the service: get: ok=0 status=win32:5",
		"a second later: get: ok=0 status=win32:5",
		"service: set: ok=1 status=0",
		`after the service: get: ok=1 status=0 text="service"`,
	)
}

package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/shmemgen/shmemgen/internal/wine"
)

// Host is where a project's programs run: its Windows build under Wine
// (WineHost, in a prefix) or natively on Windows (WindowsHost), its Linux
// build natively on Linux (LinuxHost). verify and the end-to-end tests run
// programs through it alone. The native hosts are the same code under
// different names; only Wine runs programs through a launcher and sees
// paths its own way.
type Host struct {
	// Name says which host: "wine", "windows" or "linux".
	Name string
	// System is the build the host runs, as build.sh and --os name it.
	System string
	// Wine is set for the Wine host, whose programs run in Prefix.
	Wine   bool
	Prefix *wine.Prefix
}

// The hosts, the Wine host without its prefix: see InPrefix.
var (
	WineHost    = Host{Name: "wine", System: "windows", Wine: true}
	WindowsHost = Host{Name: "windows", System: "windows"}
	LinuxHost   = Host{Name: "linux", System: "linux"}
)

// Windows is this machine's host for a Windows build: Windows itself, or
// else Wine.
func Windows() Host {
	if runtime.GOOS == "windows" {
		return WindowsHost
	}
	return WineHost
}

// InPrefix is h running its programs in the Wine prefix p.
func (h Host) InPrefix(p *wine.Prefix) Host {
	h.Prefix = p
	return h
}

// nativeWaitDelay bounds how long Wait waits for the pipes of a native
// program that has exited (wine.Prefix.Command sets its own).
const nativeWaitDelay = 10 * time.Second

// Command makes the command that runs exe with args in dir: a program file
// in dir, or one found on the host's search path.
func (h Host) Command(ctx context.Context, dir, exe string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if h.Wine {
		if h.Prefix == nil {
			panic("verify: the Wine host runs programs in a prefix: use InPrefix")
		}
		cmd = h.Prefix.Command(ctx, exe, args...)
	} else {
		// Native: a name in dir, never ./name through PATH (exec refuses
		// that on Windows, ErrDot).
		if !filepath.IsAbs(exe) {
			if _, err := os.Stat(filepath.Join(dir, exe)); err == nil {
				exe = filepath.Join(dir, exe)
			}
		}
		cmd = exec.CommandContext(ctx, exe, args...)
		cmd.WaitDelay = nativeWaitDelay
	}
	cmd.Dir = dir
	return cmd
}

// Path is the absolute path abs as h's programs see it.
func (h Host) Path(abs string) string {
	if h.Wine {
		return wine.Path(abs)
	}
	return abs
}

// Exe is the suffix of a program's file name on h.
func (h Host) Exe() string {
	if h.System == "windows" {
		return ".exe"
	}
	return ""
}

// Prog is the file name of the program name on h.
func (h Host) Prog(name string) string { return name + h.Exe() }

// Lib is the file name of the library a project calls dll.
func (h Host) Lib(dll string) string {
	if h.System == "linux" {
		return "lib" + dll + ".so"
	}
	return dll + ".dll"
}

// ChildArg is a program's path as a parent's child command line: quoted
// for CreateProcess on Windows, for /bin/sh -c on Linux.
func (h Host) ChildArg(path string) string {
	if h.System == "windows" {
		return `"` + path + `"`
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

package e2e

import (
	"path/filepath"
	"testing"

	"github.com/shmemgen/shmemgen/verify"
)

// TestVersionInfo reads the VERSIONINFO resource back from every program
// build.sh makes, for both architectures: it goes through windres and, for
// the DLL and the Go programs, a .syso file that Go's linker must keep
// (Go 1.26 broke some .syso files, golang/go#77783), so only the built
// file proves it is there.
func TestVersionInfo(t *testing.T) {
	serial(t)
	win.require(t)
	check := func(t *testing.T, path string, version [4]uint16, full string) {
		t.Helper()
		got, err := verify.ReadVersionInfo(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got.FileVersion != version || got.ProductVersion != version {
			t.Errorf("%s: file version %v, product version %v, want %v", path, got.FileVersion, got.ProductVersion, version)
		}
		name := filepath.Base(path)
		for key, want := range map[string]string{
			"FileVersion": full, "ProductVersion": full, "OriginalFilename": name, "ProductName": "shmem",
		} {
			if got.Strings[key] != want {
				t.Errorf("%s: %s = %q, want %q", path, key, got.Strings[key], want)
			}
		}
		if got.Strings["FileDescription"] == "" {
			t.Errorf("%s: no FileDescription (strings: %q)", path, got.Strings)
		}
	}
	programs := []string{"shmem.dll", "parent.exe", "child.exe", "parent-go.exe", "child-go.exe"}
	t.Run("default", func(t *testing.T) {
		bin := filepath.Join(defaultProject(t), "bin")
		for _, p := range programs {
			check(t, filepath.Join(bin, p), [4]uint16{1, 0, 0, 0}, "1.0.0.0")
		}
	})
	t.Run("--file-version 2.5.17, amd64 and 386", func(t *testing.T) {
		bin := filepath.Join(x86Project(t), "bin")
		for _, dir := range []string{bin, filepath.Join(bin, "386")} {
			for _, p := range programs {
				check(t, filepath.Join(dir, p), [4]uint16{2, 5, 17, 0}, "2.5.17.0")
			}
		}
	})
}

package verify_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
	"github.com/shmemgen/shmemgen/verify"
)

// TestReadVersionInfo reads back a VERSIONINFO that windres compiled into
// a 64-bit and a 32-bit program, and finds none in a program without one.
func TestReadVersionInfo(t *testing.T) {
	const rc = `#include <winver.h>
1 VERSIONINFO
FILEVERSION 7,65535,0,3
PRODUCTVERSION 1,2,3,4
FILEFLAGSMASK VS_FFI_FILEFLAGSMASK
FILEFLAGS 0
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
FILESUBTYPE VFT2_UNKNOWN
BEGIN
    BLOCK "StringFileInfo"
    BEGIN
        BLOCK "040904B0"
        BEGIN
            VALUE "FileDescription", "a test, ünïcödé"
            VALUE "OriginalFilename", "v.exe"
            VALUE "ProductName", "x"
        END
    END
    BLOCK "VarFileInfo"
    BEGIN
        VALUE "Translation", 0x0409, 1200
    END
END
`
	for _, tc := range []struct{ cc, windres, target string }{
		{wine.MinGWCC, "x86_64-w64-mingw32-windres", "pe-x86-64"},
		{"i686-w64-mingw32-gcc", "x86_64-w64-mingw32-windres", "pe-i386"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			testenv.RequireTool(t, tc.cc)
			testenv.RequireTool(t, tc.windres)
			dir := t.TempDir()
			testenv.WriteFile(t, filepath.Join(dir, "v.rc"), rc)
			testenv.WriteFile(t, filepath.Join(dir, "v.c"), "int main(void) { return 0; }\n")
			testenv.Run(t, dir, nil, tc.windres, "--target="+tc.target, "-c", "65001", "-O", "coff", "-i", "v.rc", "-o", "v.o")
			testenv.Run(t, dir, nil, tc.cc, "-o", "v.exe", "v.c", "v.o")
			testenv.Run(t, dir, nil, tc.cc, "-o", "bare.exe", "v.c")

			got, err := verify.ReadVersionInfo(filepath.Join(dir, "v.exe"))
			if err != nil {
				t.Fatal(err)
			}
			if got.FileVersion != [4]uint16{7, 65535, 0, 3} || got.ProductVersion != [4]uint16{1, 2, 3, 4} {
				t.Errorf("versions %v and %v, want 7.65535.0.3 and 1.2.3.4", got.FileVersion, got.ProductVersion)
			}
			for k, want := range map[string]string{"FileDescription": "a test, ünïcödé", "OriginalFilename": "v.exe", "ProductName": "x"} {
				if got.Strings[k] != want {
					t.Errorf("%s = %q, want %q (all: %q)", k, got.Strings[k], want, got.Strings)
				}
			}

			if _, err := verify.ReadVersionInfo(filepath.Join(dir, "bare.exe")); !errors.Is(err, verify.ErrNoVersionInfo) {
				t.Errorf("a program without a version resource: got %v, want ErrNoVersionInfo", err)
			}
		})
	}
}

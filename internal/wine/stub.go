package wine

import (
	"context"
	"os"
	"path/filepath"
)

// stubSource is a stand-in for bcryptprimitives.dll. Since Go 1.22 the
// runtime of every Windows Go binary imports ProcessPrng from it, Wine 8.0
// ships no such DLL, and so every Go exe/dll dies at startup with
// "bcryptprimitives.dll not found". RtlGenRandom (exported by advapi32 as
// SystemFunction036) provides the same guarantee. It takes a ULONG length,
// hence the loop for SIZE_T requests.
//
// On amd64 there is one calling convention and no @N name decoration, so the
// export is plain "ProcessPrng" without a .def file or --kill-at.
const stubSource = `#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData)
{
	while (cbData > 0) {
		ULONG n = cbData > 0x7fffffff ? 0x7fffffff : (ULONG)cbData;
		if (!SystemFunction036(pbData, n))
			return FALSE;
		pbData += n;
		cbData -= n;
	}
	return TRUE;
}
`

// BuildStub compiles the 64-bit ProcessPrng stub DLL to dst. NewPrefix
// installs it as system32\bcryptprimitives.dll; call this directly only to
// place the stub elsewhere, e.g. next to an exe for a prefix you manage.
func BuildStub(dst string) error {
	tmp, err := os.MkdirTemp("", "shmemgen-wine-stub-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "bcryptprimitives.c")
	if err := os.WriteFile(src, []byte(stubSource), 0o644); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	// -s: nobody debugs the stub, and stripping keeps it ~13 KB.
	return runLogged(ctx, nil, MinGWCC, "-shared", "-O2", "-s", "-o", dst, src, "-ladvapi32")
}

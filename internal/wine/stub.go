package wine

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/shmemgen/shmemgen/templates"
)

// StubTemplate is the ProcessPrng stub's C source in the embedded templates:
// generated projects ship it as wine/bcryptprimitives.c for their run.sh,
// and NewPrefix builds the same text, so there is one copy of it. Since Go
// 1.22 the runtime of every Windows Go binary imports ProcessPrng from
// bcryptprimitives.dll, which Wine 8.0 lacks.
const StubTemplate = "wine/bcryptprimitives.c.tmpl"

// stubSource reads the stub's source from the templates. It holds no
// template actions, so that it is its own rendering.
func stubSource() ([]byte, error) {
	return fs.ReadFile(templates.FS, path.Join(templates.Root, StubTemplate))
}

// BuildStub compiles the 64-bit ProcessPrng stub DLL to dst. NewPrefix
// installs it as system32\bcryptprimitives.dll; call this directly only to
// place the stub elsewhere, e.g. next to an exe for a prefix you manage.
func BuildStub(dst string) error {
	tmp, err := os.MkdirTemp("", "shmemgen-wine-stub-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	text, err := stubSource()
	if err != nil {
		return err
	}
	src := filepath.Join(tmp, "bcryptprimitives.c")
	if err := os.WriteFile(src, text, 0o644); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	// -s: nobody debugs the stub, and stripping keeps it ~13 KB.
	return runLogged(ctx, nil, MinGWCC, "-shared", "-O2", "-s", "-o", dst, src, "-ladvapi32")
}

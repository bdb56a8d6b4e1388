// Package uptodate is generate's fast path: it tells a project that is up
// to date without loading or rendering it. A full run that finds nothing to
// do records what it rendered, in the user's cache, under a key made of
// everything a render depends on: the running executable, the project's
// directory, its answers file's bytes and its overlay's files (rendering is
// hermetic: gen.Render reads no clock, environment or other file). A later
// run with the same key checks the files on disk against what was
// recorded, with write.UpToDate, as PlanRegenerate would; any difference,
// or any doubt (no cache, an entry that does not verify, an executable this
// package cannot identify), means the full path.
//
// The overlay a run renders with is the one its answers file names,
// relative to the project: the same answers bytes in the same directory
// name the same overlay. So the entry keeps the overlay's name, and a later
// run hashes that directory's files for its key before parsing the answers
// file at all.
package uptodate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/usercache"
	"github.com/shmemgen/shmemgen/write"
)

// Probe is what one generate run knows of its project before rendering it.
// The zero Probe, and one that could not be made, finds nothing fresh and
// records nothing.
type Probe struct {
	dir     string // the project, absolute
	answers []byte // its answers file, as read before the project was loaded
	exe     string // the running executable's identity
	entry   string // the cache file for dir and exe
	key     string // the render's key, once BeforeRender has made it
	overlay string // the overlay the key hashes
}

// Start reads dir's answers file and identifies the running executable,
// before the caller loads the project: a run records only when the answers
// file it rendered from holds these bytes.
func Start(dir string) *Probe {
	exe, err := executableID()
	if err != nil {
		return &Probe{}
	}
	cache, err := usercache.Dir("uptodate")
	if err != nil {
		return &Probe{}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return &Probe{}
	}
	data, err := os.ReadFile(filepath.Join(abs, answers.FileName))
	if err != nil {
		return &Probe{}
	}
	// An entry a project and executable: two builds run on one project,
	// as a benchmark against an older build does, keep one each.
	name := sha256.Sum256([]byte(exe + "\x00" + abs))
	return &Probe{dir: abs, answers: data, exe: exe,
		entry: filepath.Join(cache, hex.EncodeToString(name[:16]))}
}

// Fresh reports whether the project is up to date, as a full run would
// find it: a run of this executable recorded a render from the same answers
// file and overlay in which nothing changed, and every file is still as
// that render made it. It needs no Load: the entry names the overlay.
func (p *Probe) Fresh(fsys write.FS) bool {
	if p.entry == "" {
		return false
	}
	e, ok := readEntry(p.entry)
	if !ok {
		return false
	}
	key, err := renderKey(p, e.Overlay)
	return err == nil && key == e.Key && write.UpToDate(fsys, p.dir, e.Files)
}

// BeforeRender makes the key that Record records under, from the overlay
// Load found (its directory, or "" for none) as it is now, before the
// caller renders: an overlay changed during the render then only makes
// the next run miss.
func (p *Probe) BeforeRender(overlay string) {
	if p.entry == "" {
		return
	}
	if key, err := renderKey(p, overlay); err == nil {
		p.key, p.overlay = key, overlay
	}
}

// Record notes that a full render from this run's inputs, files (the
// answers file among them), changed nothing. It records nothing unless
// BeforeRender made the key, nor when the answers file rendered is not the
// one Start read: the project changed meanwhile. Failing to record only
// costs the next run its fast path.
func (p *Probe) Record(files gen.FileSet) {
	if p.key == "" {
		return
	}
	if f, ok := files.Lookup(answers.FileName); !ok || !bytes.Equal(f.Data, p.answers) {
		return
	}
	sums := map[string]string{}
	for _, f := range files {
		sums[f.Path] = answers.Sum(f.Data)
	}
	writeEntry(p.entry, entry{Key: p.key, Overlay: p.overlay, Files: sums})
}

// renderKey hashes everything a render of the project depends on.
func renderKey(p *Probe, overlay string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "shmemgen uptodate 2\x00%s\x00%s\x00%s\x00%d\x00", p.exe, p.dir, overlay, len(p.answers))
	h.Write(p.answers)
	if overlay != "" {
		if err := hashTree(h, overlay); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree adds to h every file below dir, by path, as gen.Templates reads
// an overlay; anything it would refuse is an error.
func hashTree(h io.Writer, dir string) error {
	fsys := os.DirFS(dir)
	return fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", path)
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(data))
		h.Write(data)
		return nil
	})
}

// An entry is the cache file of one project: the key of the render it
// records, the overlay that key hashed, and the hash of each file that
// render made. On disk it is the hex SHA-256 of the JSON that follows, a
// newline, then the JSON: an entry cut short or garbled by a crash does not
// verify, so it needs no fsync.
type entry struct {
	Key     string            `json:"key"`
	Overlay string            `json:"overlay,omitempty"`
	Files   map[string]string `json:"files"`
}

func readEntry(name string) (entry, bool) {
	data, err := os.ReadFile(name)
	if err != nil {
		return entry{}, false
	}
	sum, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return entry{}, false
	}
	want := sha256.Sum256(body)
	if string(sum) != hex.EncodeToString(want[:]) {
		return entry{}, false
	}
	var e entry
	if err := json.Unmarshal(body, &e); err != nil || e.Key == "" || len(e.Files) == 0 {
		return entry{}, false
	}
	return e, true
}

// maxEntries bounds the cache: one entry a project and executable, the
// oldest removed beyond it (usercache.Prune).
const maxEntries = 256

func writeEntry(name string, e entry) {
	body, err := json.Marshal(e)
	if err != nil {
		return
	}
	sum := sha256.Sum256(body)
	data := append([]byte(hex.EncodeToString(sum[:])+"\n"), body...)
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Close()); err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return
	}
	usercache.Prune(dir, maxEntries)
}

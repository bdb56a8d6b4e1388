package wine

// A prefix made from scratch costs 10-15 s, most of it wineboot --init
// copying Wine's ~630 MB of PE DLLs into system32. NewPrefix therefore makes
// one template per Wine installation, in the user's cache, and clones it:
// PE images and code-page tables as hard links, since Wine only ever reads
// them, and everything else (the registry, win.ini, .update-timestamp, which Wine rewrites in
// place or by rename) as copies. Proton makes its prefixes from a default
// one the same way.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// templateFormat changes whenever what a template holds changes, so that no
// template an older shmemgen made is cloned.
const templateFormat = "shmemgen wine prefix template 1"

// errNoCache says there is nowhere to keep a template: NewPrefix then makes
// every prefix from scratch.
var errNoCache = errors.New("wine: no writable user cache directory")

// staleBuild is how old an unfinished template build must be before another
// process removes it: older than any build that can still be running.
const staleBuild = 2 * (bootTimeout + toolTimeout)

// template returns the directory of the template prefix for this Wine
// installation, making it first if need be. Concurrent callers may each
// make one; the first to finish publishes it, by rename.
func template(wine string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", errNoCache
	}
	key, err := templateKey(wine)
	if err != nil {
		return "", err
	}
	parent := filepath.Join(cache, "shmemgen", "wineprefix")
	dir := filepath.Join(parent, key)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", errNoCache
	}
	removeOldTemplates(parent, key)
	tmp, err := os.MkdirTemp(parent, "new-")
	if err != nil {
		return "", errNoCache
	}
	p := &Prefix{dir: tmp, wine: wine}
	if err := p.init(); err != nil {
		p.Close()
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // another process published one first
		}
		return "", err
	}
	return dir, nil
}

// templateKey names a template after everything that shapes it: the Wine
// installation, the prefix's environment, the stub and the format.
func templateKey(wine string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	version, err := exec.CommandContext(ctx, wine, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("wine: %s --version: %w", wine, err)
	}
	stub, err := stubSource()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, part := range []string{templateFormat, wine, string(version), strings.Join((&Prefix{}).Env(), "\n"), string(stub)} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// removeOldTemplates removes the templates of other Wine installations or
// formats, and builds abandoned by processes that were killed: each is
// about 700 MB.
func removeOldTemplates(parent, key string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, "new-") {
			if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < staleBuild {
				continue
			}
		} else if name == key {
			continue
		}
		os.RemoveAll(filepath.Join(parent, name))
	}
}

// clonePrefix makes dst, an existing empty directory, a copy of the prefix
// src: what Wine only reads hard-linked where the file system allows it,
// all else copied.
func clonePrefix(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case rel == ".":
			return nil
		case d.IsDir():
			return os.Mkdir(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			// dosdevices' c: and z:, and the user folders' links into $HOME.
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a file, directory or symbolic link", path)
		case isReadOnly(path) && os.Link(path, target) == nil:
			return nil
		default:
			return copyFile(path, target)
		}
	})
}

// isReadOnly reports whether the file is one Wine maps and never writes: a
// program or library, or a code-page (NLS) table.
func isReadOnly(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".dll", ".exe", ".sys", ".drv", ".ocx", ".cpl", ".acm", ".ax", ".tlb", ".ds", ".msstyles", ".nls":
		return true
	}
	return false
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// wineboot compares the registry's and .update-timestamp's times with
	// Wine's to decide whether the prefix needs updating.
	return os.Chtimes(dst, info.ModTime(), info.ModTime())
}

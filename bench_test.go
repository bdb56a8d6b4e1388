package main

import (
	"io"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkNew is shmemgen new in process, as a user runs it on the
// default project: parse the flags, validate, render, plan and write,
// synced to disk, into a directory of its own each time. The whole
// process, start-up included, is go run ./internal/speedbench's to time.
func BenchmarkNew(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		out := filepath.Join(dir, strconv.Itoa(i))
		if code := run([]string{"shmemgen", "new", "--out", out}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("shmemgen new: exit %d", code)
		}
	}
}

// BenchmarkGenerateUpToDate is shmemgen generate in process on a project
// it finds up to date, as go generate runs it in every build.
func BenchmarkGenerateUpToDate(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "p")
	if code := run([]string{"shmemgen", "new", "--out", dir}, io.Discard, io.Discard); code != 0 {
		b.Fatalf("shmemgen new: exit %d", code)
	}
	for b.Loop() {
		if code := run([]string{"shmemgen", "generate", "--dir", dir}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("shmemgen generate: exit %d", code)
		}
	}
}

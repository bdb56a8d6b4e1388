// Command recordsetters drives the typed record's setters from Go, through
// its client package, against C: record_test.go builds it inside
// recordArgs' project (its module is example.com/record), beside the C
// program "recordfield". It holds the library while C writes a whole
// record and sets fields of it, then sets fields itself for C to read: on
// Windows the mapping lives only while a process has it.
//
// It prints what Go read of the record C changed, what Go's refused calls
// said, and what C read of the record Go changed, and exits 1 on an error.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unsafe"

	"example.com/record/client"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	lib, program := "shmem.dll", "recordfield.exe"
	if filepath.Ext(exe) == "" {
		lib, program = "libshmem.so", "recordfield"
	}
	d, err := client.Load(filepath.Join(dir, lib))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := d.Size(); err != nil { // set up, and hold the mapping
		log.Fatal(err)
	}
	c := func(mode string) string {
		out, err := exec.Command(filepath.Join(dir, program), mode).Output()
		if err != nil {
			log.Fatalf("recordfield %s: %v\n%s", mode, err, out)
		}
		return strings.TrimSpace(strings.ReplaceAll(string(out), "\r\n", "\n"))
	}

	fmt.Println("c " + c("cwrite"))
	fmt.Println("c " + c("cset"))
	r, err := d.ReadRecord()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print("go read: ")
	printRecord(&r)

	for _, step := range []struct {
		what string
		err  error
	}{
		{"SetCount", d.SetCount(99)},
		{"SetSamples(3)", d.SetSamples(3, []int32{-30, -40})},
		{"SetLabel", d.SetLabel("Go é")},
		{"SetBlob(0)", d.SetBlob(0, []byte{1, 2})},
		{"SetRatio", d.SetRatio(-0.5)},
		{"SetSamples(4) of 2", d.SetSamples(4, []int32{1, 2})},
		{"SetSamples(-1)", d.SetSamples(-1, nil)},
		{"SetSamples(5) of 0", d.SetSamples(5, nil)},
		{"SetLabel of 12", d.SetLabel("123456789012")},
		{"SetLabel with a NUL", d.SetLabel("a\x00b")},
		{"WriteRecordRange past the end", d.WriteRecordRange(uint64(unsafe.Sizeof(r)), []byte{0})},
	} {
		fmt.Printf("%s: %s\n", step.what, describe(step.err))
	}
	fmt.Println("c " + strings.ReplaceAll(c("print"), "\n", "\nc "))
}

// describe is nil, the status of a client error, or the error.
func describe(err error) string {
	var e *client.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &e) && e.Status == client.StatusBadArgument:
		return "BAD_ARGUMENT"
	}
	return err.Error()
}

// printRecord prints r as recordfield.c's print_record does.
func printRecord(r *client.Sample) {
	n := 0
	for n < len(r.Label) && r.Label[n] != 0 {
		n++
	}
	label := []rune(string(utf16.Decode(r.Label[:n])))
	for i, c := range label {
		if c >= 128 {
			label[i] = '?'
		}
	}
	fmt.Printf("count=%d temp=%g label=%q samples=%d,%d,%d,%d,%d ok=%d small=%d big=%d half=%d ratio=%g blob=%02x%02x%02x\n",
		r.Count, r.Temp, string(label), r.Samples[0], r.Samples[1], r.Samples[2], r.Samples[3], r.Samples[4],
		r.Ok, r.Small, r.Big, r.Half, r.Ratio, r.Blob[0], r.Blob[1], r.Blob[2])
}

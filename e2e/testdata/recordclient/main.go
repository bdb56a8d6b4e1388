// Command recordclient drives the typed record of record_test.go's project
// from Go, through its client package, against C: record_test.go builds it
// inside that project (its module is example.com/record). It loads the
// library beside itself, and holds it while the C program "record", also
// beside itself, writes a record and then reads one: on Windows the
// mapping lives only while a process has it.
//
// It prints what Go read of the record C wrote, then what C read of the
// record Go wrote, in the format record.c prints, and exits 1 on an error.
package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"example.com/record/client"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	lib, program := "shmem.dll", "record.exe"
	if filepath.Ext(exe) == "" {
		lib, program = "libshmem.so", "record"
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
			log.Fatalf("record %s: %v\n%s", mode, err, out)
		}
		return strings.TrimSpace(strings.ReplaceAll(string(out), "\r\n", "\n"))
	}

	fmt.Println("c " + c("cwrite"))
	r, err := d.ReadRecord()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("go read:")
	printRecord(&r)

	w := client.Sample{
		Count: 1, Temp: 0.1, Samples: [5]int32{5, 4, 3, 2, 1}, Ok: 1, Small: 127,
		Big: 1<<63 - 1, Half: 0, Ratio: -2.25, Blob: [3]uint8{1, 2, 3},
	}
	copy(w.Label[:], utf16.Encode([]rune("Go wrote")))
	if err := d.WriteRecord(&w); err != nil {
		log.Fatal(err)
	}
	fmt.Println("c " + c("print"))
}

// printRecord prints r as record.c's print_record does.
func printRecord(r *client.Sample) {
	fmt.Printf("count=%d big=%d small=%d half=%d ok=%d\n", r.Count, r.Big, r.Small, r.Half, r.Ok)
	fmt.Printf("samples=%d,%d,%d,%d,%d\n", r.Samples[0], r.Samples[1], r.Samples[2], r.Samples[3], r.Samples[4])
	n := 0
	for n < len(r.Label) && r.Label[n] != 0 {
		n++
	}
	fmt.Printf("temp=%.17g ratio=%g label=%q blob=%02x%02x%02x\n", r.Temp, r.Ratio, string(utf16.Decode(r.Label[:n])), r.Blob[0], r.Blob[1], r.Blob[2])
}

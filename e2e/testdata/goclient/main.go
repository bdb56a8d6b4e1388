// Command goclient drives the default project's Go client the ways it has
// failed, for client_fault_test.go, which builds it inside that project
// (its module is example.com/default). It loads the library beside itself
// and starts trapwriter, also beside itself.
//
// Usage:
//
//	goclient churn MS   for MS milliseconds, call Set, Get, WriteBytes,
//	                    ReadBytes and Wait with fresh buffers, from fresh
//	                    goroutines at varying stack depths, while other
//	                    goroutines churn the heap and "trapwriter slow 30"
//	                    holds the lock 30 ms at a time; check every result
//	goclient torn       set a string, let "trapwriter die" die half-way
//	                    through overwriting it, and Get it
//
// It prints what it saw and exits 1 if a check failed.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"example.com/default/client"
)

const (
	payloadSize = 4096
	// bytesOffset is where the byte checks write: past the strings, which
	// take at most 2*(7+160+1) bytes, and before trapwriter's stop byte
	// and the 64 bytes it writes.
	bytesOffset = 1024
	maxBytes    = 512
	stopOffset  = payloadSize - 65
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("goclient: ")
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	library, suffix := "shmem.dll", ".exe"
	if runtime.GOOS == "linux" {
		library, suffix = "libshmem.so", ""
	}
	dll, err := client.Load(filepath.Join(dir, library))
	if err != nil {
		log.Fatal(err)
	}
	writer := filepath.Join(dir, "trapwriter"+suffix)
	switch {
	case len(os.Args) == 3 && os.Args[1] == "churn":
		ms, err := strconv.Atoi(os.Args[2])
		if err != nil {
			log.Fatal(err)
		}
		os.Exit(churn(dll, writer, time.Duration(ms)*time.Millisecond))
	case len(os.Args) == 2 && os.Args[1] == "torn":
		os.Exit(torn(dll, writer))
	}
	fmt.Fprintln(os.Stderr, "usage: goclient churn MS | torn")
	os.Exit(2)
}

// churn is the test of issue 17, item 3: a buffer the client converted to
// a uintptr must live, and stay where it is, until the library returns.
func churn(dll *client.DLL, writer string, d time.Duration) int {
	// It gives up 10 s after this run should have ended, should this
	// program die without telling it to stop.
	holder := exec.Command(writer, "slow", "30", strconv.Itoa(int((d+10*time.Second)/time.Millisecond)))
	holder.Stderr = os.Stderr
	out, err := holder.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		log.Fatal(err)
	}
	lines := bufio.NewReader(out)
	if line, err := lines.ReadString('\n'); strings.TrimSpace(line) != "ready" {
		log.Fatalf("trapwriter: %q, %v", line, err)
	}

	debug.SetGCPercent(1)
	stop := make(chan struct{})
	var churners sync.WaitGroup
	for range 2 {
		churners.Go(func() { churnHeap(stop) })
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	generation, err := dll.Wait(ctx, 0)
	if err != nil {
		log.Fatalf("wait from 0: %v", err)
	}
	var calls, slow, failed int
	// One per kind of call: set, get, write bytes, read bytes, wait.
	var stacks [5]stack
	fail := func(format string, args ...any) {
		failed++
		if failed <= 10 {
			fmt.Printf("FAIL "+format+"\n", args...)
		}
	}
	for i, begin := 0, time.Now(); time.Since(begin) < d; i++ {
		calls++
		// Set with a fresh string: its UTF-16 copy is the client's own,
		// and only the library holds it once the call is made.
		s := fmt.Sprintf("%06d:", i) + strings.Repeat(string(rune('a'+i%26)), 100+i%60)
		var took time.Duration
		stacks[0].run(i, func() {
			t := time.Now()
			err = dll.Set(s)
			took = time.Since(t)
		})
		if took > 20*time.Millisecond {
			slow++
		}
		if err != nil {
			fail("set %d: %v", i, err)
		}
		var got string
		stacks[1].run(i, func() { got, err = dll.Get() })
		if err != nil || got != s {
			fail("get %d: %d characters, %.20q..., %v; want %d, %.20q...", i, len(got), got, err, len(s), s)
		}

		// WriteBytes with a fresh slice that nothing else refers to.
		n := 64 + i*37%(maxBytes-64)
		stacks[2].run(i, func() {
			p := make([]byte, n)
			pattern(p, i)
			err = dll.WriteBytes(bytesOffset, p)
		})
		if err != nil {
			fail("write bytes %d: %v", i, err)
		}
		// ReadBytes into an array that the compiler may keep on the
		// goroutine's stack.
		want := make([]byte, n)
		pattern(want, i)
		var same bool
		var head [8]byte
		stacks[3].run(i, func() {
			var q [maxBytes]byte
			err = dll.ReadBytes(bytesOffset, q[:n])
			same = string(q[:n]) == string(want)
			copy(head[:], q[:])
		})
		if err != nil || !same {
			fail("read bytes %d: %v, % x...; want % x...", i, err, head, want[:8])
		}

		// Wait: this loop wrote, so the generation has moved on.
		var g uint64
		stacks[4].run(i, func() { g, err = dll.Wait(ctx, generation) })
		if err != nil || g <= generation || g > generation+1<<20 {
			fail("wait %d from %d: %d, %v", i, generation, g, err)
		}
		generation = g
	}
	close(stop)
	churners.Wait()

	if err := dll.WriteBytes(stopOffset, []byte{1}); err != nil {
		log.Fatalf("stopping trapwriter: %v", err)
	}
	rest, _ := io.ReadAll(lines)
	if err := holder.Wait(); err != nil {
		fail("trapwriter: %v", err)
	}
	moves := 0
	for _, s := range stacks {
		moves += s.moves
	}
	fmt.Printf("rounds=%d slow_sets=%d stack_moves=%d failed=%d\n", calls, slow, moves, failed)
	fmt.Printf("trapwriter: %s", rest)
	if failed > 0 {
		return 1
	}
	return 0
}

// pattern fills p with bytes that depend on round, never 0.
func pattern(p []byte, round int) {
	for k := range p {
		p[k] = byte(1 + (round+k*7)%251)
	}
}

// maxDepth is the deepest a call is made, in frames of below (tens of
// bytes each): past a few of the sizes a goroutine's stack starts at and
// doubles to.
const maxDepth = 300

// stack runs one kind of call on fresh goroutines, below a depth of frames
// that varies from round to round, so that the call's frames cross the end
// of the goroutine's stack at a different point each time: where they
// cross it, the stack grows, and the runtime copies it elsewhere, between
// a uintptr conversion and the call into the library at some depths. It
// learns the depths at which the stack moved while the call ran, and goes
// back to them every other round.
type stack struct {
	hot   []int
	moves int
}

func (s *stack) run(round int, f func()) {
	depth := round * 7 % maxDepth
	if round%2 == 1 && len(s.hot) > 0 {
		depth = s.hot[round/2%len(s.hot)]
	}
	moved := make(chan bool)
	go func() { moved <- below(depth, f) }()
	if <-moved {
		s.moves++
		if !slices.Contains(s.hot, depth) {
			s.hot = append(s.hot, depth)
		}
	}
}

var sink byte

// below calls f under depth frames of its own, and reports whether the
// goroutine's stack moved while f ran: the address of a local, which stays
// on the stack, then changes.
//
//go:noinline
func below(depth int, f func()) bool {
	var pad [8]byte
	if depth == 0 {
		before := uintptr(unsafe.Pointer(&pad[0]))
		f()
		return uintptr(unsafe.Pointer(&pad[0])) != before
	}
	pad[depth%len(pad)] = byte(depth)
	moved := below(depth-1, f)
	sink += pad[depth%len(pad)]
	return moved
}

// churnHeap allocates and drops garbage until stop is closed, filling it
// with non-zero bytes, so that memory the collector frees is soon reused
// and overwritten; sizes near the client's buffers come first.
func churnHeap(stop <-chan struct{}) {
	sizes := []int{208, 256, 288, 320, 352, 384, 416, 448, 512, 640, 1024}
	var keep [64][]byte
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		b := make([]byte, sizes[i%len(sizes)])
		for k := range b {
			b[k] = 0xa5
		}
		keep[i%len(keep)] = b
		if i%1024 == 0 {
			runtime.Gosched()
		}
	}
}

// torn is the test of issue 17, item 4: a writer dies half-way through
// overwriting the string, and Get must return what is there and say that
// it may be half-written.
func torn(dll *client.DLL, writer string) int {
	const before = "before the writer died"
	if err := dll.Set(before); err != nil {
		log.Fatalf("set: %v", err)
	}
	cmd := exec.Command(writer, "die")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		log.Fatalf("trapwriter die: %v", err)
	}
	fmt.Printf("writer: exit=%d\n", exit.ExitCode())
	text, err := dll.Get()
	fmt.Printf("get: text=%q abandoned=%v\n", text, errors.Is(err, client.StatusAbandoned))
	fmt.Printf("get: err=%v\n", err)
	return 0
}

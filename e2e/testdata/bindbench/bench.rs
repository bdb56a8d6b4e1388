//! bench times the Rust binding (the sharedmem crate) from a program beside
//! the library, as e2e/testdata/bench.c times the library from C:
//!
//!   bench-rs pair N LEN   the mean cost of N set+get_into pairs of a
//!                         LEN-character string, read into a String reused
//!                         from pair to pair, in nanoseconds (pair_ns=)
//!   bench-rs call N       the mean cost of N size() calls (call_ns=)
//!   bench-rs record N     the mean cost of N read_record_into calls, in
//!                         nanoseconds (record_ns=): built with --cfg record
//!                         where the binding has the record
//!
//! Each loop runs N/10 times untimed first. The clock is the process's CPU
//! time, as in bench.c.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mem = sharedmem::SharedMem::load().unwrap_or_else(|e| fail(&e.to_string()));
    let n: u64 = args.get(2).and_then(|s| s.parse().ok()).filter(|&n| n > 0).unwrap_or_else(|| usage());
    match (args[1].as_str(), args.len()) {
        ("pair", 4) => {
            let len: usize = args[3].parse().unwrap_or_else(|_| usage());
            let text = "x".repeat(len);
            let mut got = String::new();
            let pair = || {
                mem.set(&text).unwrap_or_else(|e| fail(&e.to_string()));
                mem.get_into(&mut got).unwrap_or_else(|e| fail(&e.to_string()));
            };
            let ns = time(n, pair);
            if got != text {
                fail(&format!("read back {} characters, wrote {}", got.len(), len));
            }
            println!("pair_ns={:.1}", ns);
        }
        ("call", 3) => {
            let ns = time(n, || {
                mem.size().unwrap_or_else(|e| fail(&e.to_string()));
            });
            println!("call_ns={:.1}", ns);
        }
        ("record", 3) => record(&mem, n),
        _ => usage(),
    }
}

#[cfg(record)]
fn record(mem: &sharedmem::SharedMem, n: u64) {
    let mut r = sharedmem::Reading::default();
    r.count = 42;
    mem.write_record(&r).unwrap_or_else(|e| fail(&e.to_string()));
    let mut out = sharedmem::Reading::default();
    let ns = time(n, || mem.read_record_into(&mut out).unwrap_or_else(|e| fail(&e.to_string())));
    if out.count != 42 {
        fail("read back another record");
    }
    println!("record_ns={:.1}", ns);
}

#[cfg(not(record))]
fn record(_: &sharedmem::SharedMem, _: u64) {
    fail("built without the record");
}

/// time runs f n/10 times, then n times, and returns the mean of the
/// second run in nanoseconds.
fn time(n: u64, mut f: impl FnMut()) -> f64 {
    for _ in 0..n / 10 {
        f();
    }
    let start = cpu_ns();
    for _ in 0..n {
        f();
    }
    (cpu_ns() - start) / n as f64
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// cpu_ns is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID) in nanoseconds.
fn cpu_ns() -> f64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    unsafe { clock_gettime(2, &mut ts) };
    ts.sec as f64 * 1e9 + ts.nsec as f64
}

fn fail(msg: &str) -> ! {
    eprintln!("bench-rs: {msg}");
    std::process::exit(1)
}

fn usage() -> ! {
    eprintln!("usage: bench-rs pair N LEN | call N | record N");
    std::process::exit(2)
}

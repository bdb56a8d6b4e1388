// probe calls every method of the Rust binding and prints what each did, in
// the lines probe.py and Probe.cs print too (e2e TestBindingsLinux).
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn main() {
    let lib = sharedmem::SharedMem::load().expect("load");
    let text = "h\u{e9}\u{1F600}";
    println!("set {}", lib.set(text).unwrap());
    println!("length {}", lib.length().unwrap());
    println!("get {}", if lib.get().unwrap() == text { "ok" } else { "wrong" });
    println!("size {}", lib.size().unwrap());
    lib.write_bytes(4000, &[1, 2, 3]).unwrap();
    let mut b = [0u8; 3];
    lib.read_bytes(4000, &mut b).unwrap();
    println!("bytes {:02x}{:02x}{:02x}", b[0], b[1], b[2]);
    let mut two = [0u8; 2];
    match lib.read_bytes(lib.size().unwrap() - 1, &mut two) {
        Ok(()) => println!("read past end: no error"),
        Err(e) => println!("read past end 0x{:08x}", e.status),
    }
    let g = lib.wait(0, None).unwrap();
    match lib.wait(g, Some(Duration::from_millis(50))) {
        Ok(_) => println!("timeout: none"),
        Err(e) => println!("timeout {} {}", e.status, if e.status == sharedmem::ERROR_TIMEOUT { "True" } else { "False" }),
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        c.store(true, Ordering::Release);
    });
    match lib.wait_cancellable(g, None, &cancel) {
        Err(e) if e.status == sharedmem::CANCELLED => println!("cancelled"),
        other => println!("cancel: {other:?}"),
    }
    let writer = lib;
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        writer.write_bytes(0, b"x").unwrap();
    });
    println!("woken {}", lib.wait(g, Some(Duration::from_secs(5))).unwrap() - g);
    println!("set {}", lib.set(&"a".repeat(sharedmem::CAPACITY as usize + 5)).unwrap());
    println!("length {}", lib.length().unwrap());
    lib.set_utf16(&[0x61, 0xD83D]).unwrap(); // an unpaired surrogate goes through as it is
    println!("lone {}", if lib.get_utf16().unwrap() == [0x61, 0xD83D] && lib.get().unwrap() == "a\u{FFFD}" { "ok" } else { "wrong" });
    // around the first read's buffer of 256 units, and a pair across its end
    let ok = (250..260).all(|n| [("b".repeat(n)), "b".repeat(n) + "\u{1F600}"].iter().all(|t| lib.set(t).unwrap() && lib.get().unwrap() == *t));
    println!("boundary {}", if ok { "ok" } else { "wrong" });
    println!("set {}", lib.set("").unwrap());
    println!("empty {}", if lib.get().unwrap().is_empty() && lib.length().unwrap() == 0 { "ok" } else { "not empty" });
}

// abandoned lets a writer die half-way through overwriting the shared
// string ("trapwriter die", the program its argument names: "TORN" lands
// over the first four characters, then it dies) and reads what is left with
// the Rust binding (e2e TestBindingsLinux): get_into, get and get_utf16 must
// each fail with STATUS_ABANDONED and the torn text, get_into leaving its
// String as it was, for a short string (the first read's stack buffer) and
// one longer than that buffer (measured and read again); a set covers the
// string, which then reads clean.
use std::fmt::Debug;
use std::process::{Command, Stdio};

fn main() {
    let writer = std::env::args().nth(1).expect("usage: abandoned TRAPWRITER");
    let lib = sharedmem::SharedMem::load().expect("load");
    let long = format!("before the writer died{}", "-".repeat(300));
    for (name, before) in [("short", "before the writer died"), ("long", long.as_str())] {
        lib.set(before).unwrap();
        let status = Command::new(&writer).arg("die").stdout(Stdio::null()).status().expect("trapwriter die");
        println!("{name} writer exit {:?}", status.code());
        let torn = format!("TORN{}", &before[4..]);
        let mut text = String::from("untouched");
        let into = lib.get_into(&mut text);
        println!("{name} get_into {}", abandoned(&into, &torn));
        println!("{name} get_into kept {}", if text == "untouched" { "ok" } else { "changed" });
        println!("{name} get {}", abandoned(&lib.get(), &torn));
        println!("{name} get_utf16 {}", abandoned(&lib.get_utf16(), &torn));
    }
    lib.set("after").unwrap();
    let mut text = String::new();
    println!("after {:?} {:?}", lib.get_into(&mut text), text);
}

/// abandoned says "ok" when r is the error of a read told ABANDONED that
/// read torn, and what r is otherwise.
fn abandoned<T: Debug>(r: &Result<T, sharedmem::Error>, torn: &str) -> String {
    match r {
        Err(e) if e.status == sharedmem::STATUS_ABANDONED && e.text.as_deref() == Some(torn) => "ok".to_string(),
        Err(e) => format!("{e} text={:?}", e.text),
        Ok(v) => format!("Ok({v:?})"),
    }
}

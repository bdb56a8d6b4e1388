//! What parent-rs and child-rs share (a module of each, not a program:
//! cargo makes programs only of src/bin/*.rs and src/bin/*/main.rs).

use std::process::ExitCode;

/// unlink_main is --unlink: it removes the segment's name on Linux, so that
/// the next process creates it afresh.
pub fn unlink_main(who: &str) -> ExitCode {
    let result = sharedmem::SharedMem::load()
        .map_err(|e| e.to_string())
        .and_then(|lib| lib.unlink().map_err(|e| e.to_string()));
    if let Err(e) = result {
        eprintln!("{who}: {e}");
        return ExitCode::from(1);
    }
    if cfg!(windows) {
        println!("{who}: nothing to remove on Windows: a mapping goes away with its last handle");
    } else {
        println!(
            "{who}: removed {}; the next process creates it afresh",
            sharedmem::SEGMENT
        );
    }
    ExitCode::SUCCESS
}

//! child reads the string its parent wrote into shared memory through
//! the library, with the Rust binding (the sharedmem crate), and prints it,
//! as hosts/c/child.c does.
//!
//! Usage: child-rs [--next | --record | --unlink]
//!
//! With --next it first waits, up to a minute, for the next write, and
//! prints what that wrote. --record prints the typed record instead, as one
//! line of JSON, byte for byte as the C child does. --unlink does what
//! parent-rs --unlink does.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

mod hosts;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 2 && args[1] == "--unlink" {
        return hosts::unlink_main("child");
    }
    let record = args.len() == 2 && args[1] == "--record";
    if args.len() > 2 || (args.len() == 2 && !record && args[1] != "--next") {
        eprintln!("usage: child [--next | --record | --unlink]");
        return ExitCode::from(2);
    }
    let lib = match sharedmem::SharedMem::load() {
        Ok(lib) => lib,
        Err(e) => {
            eprintln!("child: {e}");
            return ExitCode::from(1);
        }
    };
    if record {
        return print_record(&lib);
    }
    if args.len() == 2 {
        // 0 returns the current generation at once; the next call waits for it to change.
        if let Err(e) = lib
            .wait(0, None)
            .and_then(|g| lib.wait(g, Some(Duration::from_secs(60))))
        {
            eprintln!("child: {e}");
            return ExitCode::from(1);
        }
    }
    let text = match lib.get() {
        Ok(text) => text,
        // Printed all the same, as the C child does.
        Err(sharedmem::Error {
            status: sharedmem::STATUS_ABANDONED,
            text: Some(text),
            ..
        }) => text,
        Err(e) => {
            eprintln!("child: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "Child process read from shared memory: {text}")
        .and_then(|_| out.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// print_record prints the record as one line of JSON; an abandoned one is
/// printed all the same, after saying so, as the C child does.
fn print_record(lib: &sharedmem::SharedMem) -> ExitCode {
    match lib.read_record_json() {
        Ok((json, abandoned)) => {
            if abandoned {
                eprintln!(
                    "child: {}",
                    sharedmem::status_text(sharedmem::STATUS_ABANDONED)
                );
            }
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{json}").and_then(|_| out.flush()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("child: {e}");
            ExitCode::from(1)
        }
    }
}

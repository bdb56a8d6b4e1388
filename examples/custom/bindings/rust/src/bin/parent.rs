//! parent writes a string into shared memory through the library, with the
//! Rust binding (the sharedmem crate), starts the child and waits for it; it
//! exits with the child's status, as hosts/c/parent.c does.
//!
//! Usage: parent-rs [CHILD_COMMAND_LINE [TEXT]]
//!        parent-rs --record JSON [CHILD_COMMAND_LINE]
//!        parent-rs --unlink
//!
//! CHILD_COMMAND_LINE defaults to child-rs beside this program, TEXT to
//! "This is a test string". On Linux a CHILD_COMMAND_LINE given is run by
//! /bin/sh -c, on Windows as CreateProcess parses it.
//!
//! --record writes the typed record from JSON (an object of its fields)
//! instead of the text, and starts the child with --record, which prints it
//! back as one line of JSON.

use std::process::{Command, ExitCode};

mod hosts;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 2 && args[1] == "--unlink" {
        return hosts::unlink_main("parent");
    }
    let record = args.len() > 1 && args[1] == "--record";
    if args.len() > if record { 4 } else { 3 } || (record && args.len() < 3) {
        eprintln!("usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --record JSON [CHILD_COMMAND_LINE]\n       parent --unlink");
        return ExitCode::from(2);
    }
    let lib = match sharedmem::SharedMem::load() {
        Ok(lib) => lib,
        Err(e) => {
            eprintln!("parent: {e}");
            return ExitCode::from(1);
        }
    };
    if record {
        let json = match args[2].to_str() {
            Some(json) => json,
            None => {
                eprintln!("parent: the record's JSON is not text");
                return ExitCode::from(1);
            }
        };
        if let Err(e) = lib.write_record_json(json) {
            eprintln!("parent: {e}");
            return ExitCode::from(1);
        }
        return run_child(args.get(3), " --record");
    }
    // An argument that is not valid Unicode reads with U+FFFD, as in the C parent.
    let text = args
        .get(2)
        .map_or("This is a test string".to_string(), |a| {
            a.to_string_lossy().into_owned()
        });
    println!("Process is writing to shared memory...");
    match lib.set(&text) {
        Ok(true) => {}
        Ok(false) => eprintln!(
            "parent: the text was cut to fit the mapping's {} characters",
            sharedmem::CAPACITY - 1
        ),
        Err(e) => {
            eprintln!("parent: {e}");
            return ExitCode::from(1);
        }
    }
    run_child(args.get(1), "")
}

/// run_child runs the child's command line, or the child beside this
/// program, with arg (" --record" or "") after it, and returns its status.
fn run_child(line: Option<&std::ffi::OsString>, arg: &str) -> ExitCode {
    let mut command = match line {
        #[cfg(windows)]
        Some(line) => {
            // The program is the first word, quoted or not, and the rest
            // goes as it is, as CreateProcess would take the line.
            use std::os::windows::process::CommandExt;
            let lossy = line.to_string_lossy();
            let line: &str = &lossy;
            let (program, rest) = match line.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
                None => line.split_once(' ').unwrap_or((line, "")),
            };
            let mut c = Command::new(program);
            c.raw_arg(format!("{}{}", rest.trim_start(), arg));
            c
        }
        #[cfg(not(windows))]
        Some(line) => {
            let mut line = line.clone();
            line.push(arg);
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg(line);
            c
        }
        None => match sharedmem::program_dir() {
            Ok(dir) => {
                let mut c = Command::new(dir.join(if cfg!(windows) {
                    "child-rs.exe"
                } else {
                    "child-rs"
                }));
                c.args(arg.split_whitespace());
                c
            }
            Err(e) => {
                eprintln!("parent: {e}");
                return ExitCode::from(1);
            }
        },
    };
    match command.status() {
        Ok(status) => ExitCode::from(exit_code(status) as u8),
        Err(e) => {
            eprintln!("parent: starting the child failed: {e}");
            ExitCode::from(1)
        }
    }
}

/// exit_code is the child's exit status, or 128 and its signal.
fn exit_code(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return 128 + sig;
        }
    }
    status.code().unwrap_or(1)
}

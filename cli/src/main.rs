//! `lambda-proxy`: lambda-proxy's command line.
//!
//! ```text
//! lambda-proxy check [--front-door NAME] [--strict] [--json] [FILE|-]
//! ```
//!
//! `check` says what a front door will do with a Lambda proxy response, for a function in any
//! language. Exit status: 0 when the front door delivers the response as meant (with `--strict`:
//! when it also meets lambda-proxy's strict contract), 1 when not, 2 when the input or the
//! arguments cannot be used.

use lambda_proxy_cli::check::{self, Extracted};
use lambda_proxy_cli::FrontDoor;
use std::io::{Read, Write};
use std::process::ExitCode;

/// The front doors, by the names `--front-door` takes: the table's, in its order.
fn front_doors() -> String {
    let names: Vec<_> = FrontDoor::ALL.iter().map(|d| d.name()).collect();
    names.join(", ")
}

fn usage() -> String {
    format!(
        "\
usage: lambda-proxy check [--front-door NAME] [--strict] [--json] [FILE|-]

Checks a Lambda proxy response (the JSON a function returned, or text containing it: a CloudWatch
log line, `aws lambda invoke` output, a pasted object) against what a front door accepts, and says
what the front door will do with each problem and how to fix it. Reads FILE, or standard input when
FILE is `-` or missing.

options:
  --front-door NAME  {} (default rest)
  --strict           also fail on warnings and on lambda-proxy's strict contract
  --json             print the report as JSON
  -h, --help         print this help
  -V, --version      print the version

exit status: 0 delivered as meant, 1 not (or not strict with --strict), 2 unusable input",
        front_doors()
    )
}

struct Options {
    front_door: FrontDoor,
    strict: bool,
    json: bool,
    file: Option<String>,
}

enum Parsed {
    Run(Options),
    Exit(ExitCode),
}

/// Text for standard output; a closed pipe (`lambda-proxy check .. | head -1`) ends the output
/// quietly, as for any command-line tool.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

fn parse(args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut options = Options {
        front_door: FrontDoor::RestApi,
        strict: false,
        json: false,
        file: None,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print(&usage());
                return Ok(Parsed::Exit(ExitCode::SUCCESS));
            }
            "-V" | "--version" => {
                print(&format!("lambda-proxy {}", env!("CARGO_PKG_VERSION")));
                return Ok(Parsed::Exit(ExitCode::SUCCESS));
            }
            "--strict" => options.strict = true,
            "--json" => options.json = true,
            "--front-door" => {
                let name = args
                    .next()
                    .ok_or_else(|| format!("--front-door needs a value: {}", front_doors()))?;
                options.front_door = name.parse().map_err(|e| format!("{e}"))?;
            }
            _ if arg.starts_with("--front-door=") => {
                let name = &arg["--front-door=".len()..];
                options.front_door = name.parse().map_err(|e| format!("{e}"))?;
            }
            "-" => set_file(&mut options, arg)?,
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg:?}")),
            _ => set_file(&mut options, arg)?,
        }
    }
    Ok(Parsed::Run(options))
}

fn set_file(options: &mut Options, file: String) -> Result<(), String> {
    if let Some(first) = &options.file {
        return Err(format!("give one input, not both {first:?} and {file:?}"));
    }
    options.file = Some(file);
    Ok(())
}

/// Reads at most one byte more than the checker accepts, so that a huge input is refused
/// without reading it all.
fn read(file: Option<&str>) -> Result<Vec<u8>, String> {
    let limit = u64::try_from(check::MAX_INPUT).unwrap_or(u64::MAX) + 1;
    let mut input = Vec::new();
    match file {
        None | Some("-") => std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut input)
            .map_err(|e| format!("cannot read standard input: {e}"))?,
        Some(path) => std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut input))
            .map_err(|e| format!("cannot read {path}: {e}"))?,
    };
    Ok(input)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("check") => check_command(args),
        Some("-h" | "--help") => {
            print("usage: lambda-proxy <command>\n\ncommands:\n  check  what a front door does with a Lambda proxy response (lambda-proxy check --help)");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            print(&format!("lambda-proxy {}", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!(
                "lambda-proxy: unknown command {other:?}: the command is `check`\n\n{}",
                usage()
            );
            ExitCode::from(2)
        }
        None => {
            eprintln!("lambda-proxy: give a command: `check`\n\n{}", usage());
            ExitCode::from(2)
        }
    }
}

fn check_command(args: impl Iterator<Item = String>) -> ExitCode {
    let options = match parse(args) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Exit(code)) => return code,
        Err(message) => {
            eprintln!("lambda-proxy check: {message}\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let input = match read(options.file.as_deref()) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("lambda-proxy check: {message}");
            return ExitCode::from(2);
        }
    };
    let extracted: Extracted = match check::extract(&input) {
        Ok(extracted) => extracted,
        Err(error) => {
            eprintln!("lambda-proxy check: {error}");
            return ExitCode::from(2);
        }
    };
    let found = extracted.found;
    let report = check::check_sized(&extracted.value, options.front_door, extracted.size);
    if options.json {
        #[derive(serde::Serialize)]
        struct Output<'a> {
            found: String,
            report: &'a check::Report,
        }
        let output = Output {
            found: found.to_string(),
            report: &report,
        };
        match serde_json::to_string_pretty(&output) {
            Ok(json) => print(&json),
            Err(error) => {
                eprintln!("lambda-proxy check: cannot write the report: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        if found != check::Found::WholeInput {
            print(&format!("response found {found}"));
        }
        print(&report.to_string());
    }
    let ok = report.accepted() && (!options.strict || report.strict_ok());
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

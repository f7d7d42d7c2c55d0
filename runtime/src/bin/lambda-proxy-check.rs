//! `lambda-proxy-check`: says what a front door will do with a Lambda proxy response, for a
//! function in any language.
//!
//! ```text
//! lambda-proxy-check [--front-door rest|http1|http2|url|alb|lattice|ws] [--strict] [--json] [FILE|-]
//! ```
//!
//! Exit status: 0 when the front door delivers the response as meant (with `--strict`: when it
//! also meets lambda-proxy's strict contract), 1 when not, 2 when the input or the arguments
//! cannot be used.

use lambda_proxy::check::{self, Extracted};
use lambda_proxy::FrontDoor;
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "\
usage: lambda-proxy-check [--front-door NAME] [--strict] [--json] [FILE|-]

Checks a Lambda proxy response (the JSON a function returned, or text containing it: a CloudWatch
log line, `aws lambda invoke` output, a pasted object) against what a front door accepts, and says
what the front door will do with each problem and how to fix it. Reads FILE, or standard input when
FILE is `-` or missing.

options:
  --front-door NAME  rest (default), http1, http2, url, alb, lattice, ws
  --strict           also fail on warnings and on lambda-proxy's strict contract
  --json             print the report as JSON
  -h, --help         print this help
  -V, --version      print the version

exit status: 0 delivered as meant, 1 not (or not strict with --strict), 2 unusable input";

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
                println!("{USAGE}");
                return Ok(Parsed::Exit(ExitCode::SUCCESS));
            }
            "-V" | "--version" => {
                println!("lambda-proxy-check {}", env!("CARGO_PKG_VERSION"));
                return Ok(Parsed::Exit(ExitCode::SUCCESS));
            }
            "--strict" => options.strict = true,
            "--json" => options.json = true,
            "--front-door" => {
                let name = args.next().ok_or(
                    "--front-door needs a value: rest, http1, http2, url, alb, lattice or ws",
                )?;
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
    let options = match parse(std::env::args().skip(1)) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Exit(code)) => return code,
        Err(message) => {
            eprintln!("lambda-proxy-check: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let input = match read(options.file.as_deref()) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("lambda-proxy-check: {message}");
            return ExitCode::from(2);
        }
    };
    let extracted: Extracted = match check::extract(&input) {
        Ok(extracted) => extracted,
        Err(error) => {
            eprintln!("lambda-proxy-check: {error}");
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
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("lambda-proxy-check: cannot write the report: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        if found != check::Found::WholeInput {
            println!("response found {found}");
        }
        println!("{report}");
    }
    let ok = report.accepted() && (!options.strict || report.strict_ok());
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

//! `lambda-proxy`: lambda-proxy's command line.
//!
//! ```text
//! lambda-proxy check [--front-door NAME] [--strict] [--json]
//!                    [--openapi DOCUMENT --request "METHOD /path"] [FILE|-]
//! lambda-proxy emf [--json] [FILE|-]
//! lambda-proxy serve [--front-door NAME] [--stage NAME] [--timeout SECONDS]
//!                    [--concurrency N | --max-concurrency N]
//!                    [--stream] [--port PORT] -- COMMAND [ARGS...]
//! ```
//!
//! `serve` runs any function behind a local port as its front door would (see
//! `lambda_proxy_cli::serve`).
//!
//! `emf` checks the CloudWatch embedded-metric-format documents of a log (lambda-proxy's metrics,
//! Powertools', any function's): exit status 0 when each is one CloudWatch turns into metrics, 1
//! when one is not, 2 when the input cannot be read or has no document.
//!
//! `check` says what a front door will do with a Lambda proxy response, for a function in any
//! language; with `--openapi`, also whether what the client receives keeps an OpenAPI 3.1
//! document's promise for the request. Exit status: 0 when the front door delivers the response
//! as meant (with `--strict`: when it also meets lambda-proxy's strict contract; with
//! `--openapi`: when it also keeps the document's), 1 when not, 2 when the input or the arguments
//! cannot be used.

use lambda_proxy_cli::check::{self, Extracted};
use lambda_proxy_cli::contract::{Contract, Received};
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
usage: lambda-proxy check [--front-door NAME] [--strict] [--json]
                          [--openapi DOCUMENT --request \"METHOD /path\"] [FILE|-]

Checks a Lambda proxy response (the JSON a function returned, or text containing it: a CloudWatch
log line, `aws lambda invoke` output, a pasted object) against what a front door accepts, and says
what the front door will do with each problem and how to fix it. Reads FILE, or standard input when
FILE is `-` or missing.

options:
  --front-door NAME  {} (default rest)
  --strict           also fail on warnings and on lambda-proxy's strict contract
  --openapi FILE     also check what the client receives against this OpenAPI 3.1 document (JSON)
  --request LINE     with --openapi: the request answered, \"GET /users/7\" (the path within the API)
  --json             print the report as JSON
  -h, --help         print this help
  -V, --version      print the version

exit status: 0 delivered as meant, 1 not (or not strict with --strict, or breaking the document
with --openapi), 2 unusable input",
        front_doors()
    )
}

struct Options {
    front_door: FrontDoor,
    strict: bool,
    json: bool,
    file: Option<String>,
    openapi: Option<String>,
    request: Option<(String, String)>,
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
        openapi: None,
        request: None,
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
            "--openapi" => {
                let file = args
                    .next()
                    .ok_or("--openapi needs a file: an OpenAPI 3.1 document in JSON")?;
                options.openapi = Some(file);
            }
            "--request" => {
                let line = args
                    .next()
                    .ok_or("--request needs the request line, \"GET /users/7\"")?;
                let (method, path) = line
                    .split_once(' ')
                    .filter(|(m, p)| !m.is_empty() && p.starts_with('/'))
                    .ok_or_else(|| {
                        format!(
                            "--request {line:?}: write the method and the path, \"GET /users/7\""
                        )
                    })?;
                // The query string is no part of the path a document's operations are found by.
                let path = path.trim().split('?').next().unwrap_or_default();
                options.request = Some((method.to_ascii_uppercase(), path.to_owned()));
            }
            "-" => set_file(&mut options, arg)?,
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg:?}")),
            _ => set_file(&mut options, arg)?,
        }
    }
    match (&options.openapi, &options.request) {
        (Some(_), None) => return Err("--openapi needs --request, the request answered".into()),
        (None, Some(_)) => return Err("--request goes with --openapi".into()),
        _ => {}
    }
    Ok(Parsed::Run(options))
}

/// The contract of `--openapi FILE`.
fn contract(file: &str) -> Result<Contract, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let document: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!("{file} is not a JSON document ({e}); write the OpenAPI document as JSON")
    })?;
    Contract::new(&document).map_err(|e| format!("{file}: {e}"))
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
        Some("emf") => emf_command(args),
        Some("serve") => serve_command(args),
        Some("-h" | "--help") => {
            print(COMMANDS);
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            print(&format!("lambda-proxy {}", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("lambda-proxy: unknown command {other:?}\n\n{COMMANDS}");
            ExitCode::from(2)
        }
        None => {
            eprintln!(
                "lambda-proxy: give a command: `check`, `emf` or `serve`\n\n{}",
                usage()
            );
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
    let broken: Option<Vec<String>> = match (&options.openapi, &options.request) {
        (Some(file), Some((method, path))) => match contract(file) {
            Ok(contract) => {
                let received = Received::of(&extracted.value, options.front_door);
                Some(contract.check(method, path, &received.answer()))
            }
            Err(message) => {
                eprintln!("lambda-proxy check: {message}");
                return ExitCode::from(2);
            }
        },
        _ => None,
    };
    if options.json {
        #[derive(serde::Serialize)]
        struct Output<'a> {
            found: String,
            report: &'a check::Report,
            #[serde(skip_serializing_if = "Option::is_none")]
            contract: Option<&'a Vec<String>>,
        }
        let output = Output {
            found: found.to_string(),
            report: &report,
            contract: broken.as_ref(),
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
        match &broken {
            Some(findings) if findings.is_empty() => {
                print("OpenAPI: the answer keeps the document's promise")
            }
            Some(findings) => {
                print(&format!(
                    "OpenAPI: the answer breaks the document's promise:\n  {}",
                    findings.join("\n  ")
                ));
            }
            None => {}
        }
    }
    let kept = broken.as_ref().is_none_or(Vec::is_empty);
    let ok = report.accepted() && (!options.strict || report.strict_ok()) && kept;
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The commands, for `lambda-proxy --help` and a missing or unknown command.
const COMMANDS: &str = "\
usage: lambda-proxy <command>

commands:
  check  what a front door does with a Lambda proxy response (lambda-proxy check --help)
  emf    whether a log's embedded-metric-format documents are CloudWatch's (lambda-proxy emf --help)
  serve  run any function behind a local port as its front door would (lambda-proxy serve --help)";

const SERVE_USAGE: &str = "\
usage: lambda-proxy serve [--front-door NAME] [--stage NAME] [--timeout SECONDS]
                          [--concurrency N | --max-concurrency N] [--stream]
                          [--binary-media-type TYPE]...
                          [--port PORT] [--function-name NAME] -- COMMAND [ARGS...]

Runs the function COMMAND starts (any language, any runtime loop: it gets AWS_LAMBDA_RUNTIME_API
and the other Lambda variables) behind 127.0.0.1:PORT, as the front door would: each request
becomes that front door's event, each answer is delivered by its rules, and what it would answer
on its own (a malformed envelope's 502, an answer over the size limit, the function's timeout,
the integration timeout, a process that exited) is answered as it would, with the reason printed.
One line per request on standard error.

options:
  --front-door NAME        rest, http1, http2 (or http), url, alb, alb-multi (default rest)
  --stage NAME             a REST API's stage (default prod; requests go to /NAME/...), or an
                           HTTP API's named stage
  --timeout SECONDS        the function's timeout, 1 to 900 (default 3, as Lambda's)
  --concurrency N          execution environments at once, one process each (default 1)
  --max-concurrency N      Lambda Managed Instances: one process serving N invocations at once
                           (AWS_LAMBDA_MAX_CONCURRENCY)
  --stream                 the front door streams answers (url, rest)
  --binary-media-type T    a REST API's binaryMediaTypes entry (repeatable)
  --port PORT              the port to listen on (default 9000; 0 picks a free one)
  --function-name NAME     AWS_LAMBDA_FUNCTION_NAME (default local)
  -h, --help               print this help";

fn serve_command(args: impl Iterator<Item = String>) -> ExitCode {
    let mut args = args.peekable();
    let mut options = lambda_proxy_cli::serve::Options::new(Vec::new());
    let mut port: u16 = 9000;
    let fail = |message: String| {
        eprintln!("lambda-proxy serve: {message}\n\n{SERVE_USAGE}");
        ExitCode::from(2)
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed: Result<(), String> = match arg.as_str() {
            "-h" | "--help" => {
                print(SERVE_USAGE);
                return ExitCode::SUCCESS;
            }
            "--" => {
                options.command = args.by_ref().collect();
                Ok(())
            }
            "--front-door" => value("--front-door").and_then(|name| {
                let name = match name.as_str() {
                    "http" => "http2".to_owned(),
                    "http-v1" => "http1".to_owned(),
                    _ => name,
                };
                name.parse::<FrontDoor>()
                    .map(|door| options.front_door = door)
                    .map_err(|_| format!("unknown front door {name:?}"))
            }),
            "--stage" => value("--stage").map(|stage| options.stage = Some(stage)),
            "--timeout" => value("--timeout").and_then(|t| {
                t.parse::<u64>()
                    .map(|t| options.timeout = std::time::Duration::from_secs(t))
                    .map_err(|_| format!("--timeout takes whole seconds, not {t:?}"))
            }),
            "--concurrency" => value("--concurrency").and_then(|n| match n.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => {
                    options.concurrency = n;
                    Ok(())
                }
                _ => Err(format!("--concurrency takes 1 to 1000, not {n:?}")),
            }),
            "--max-concurrency" => {
                value("--max-concurrency").and_then(|n| match n.parse::<usize>() {
                    Ok(n) if (1..=1000).contains(&n) => {
                        options.max_concurrency = Some(n);
                        Ok(())
                    }
                    _ => Err(format!("--max-concurrency takes 1 to 1000, not {n:?}")),
                })
            }
            "--stream" => {
                options.stream = true;
                Ok(())
            }
            "--binary-media-type" => {
                value("--binary-media-type").map(|t| options.binary_media_types.push(t))
            }
            "--port" => value("--port").and_then(|p| {
                p.parse::<u16>()
                    .map(|p| port = p)
                    .map_err(|_| format!("--port takes a port number, not {p:?}"))
            }),
            "--function-name" => value("--function-name").map(|n| options.function_name = n),
            other => Err(format!(
                "unknown option {other:?} (the command goes after `--`)"
            )),
        };
        if let Err(message) = parsed {
            return fail(message);
        }
    }
    if options.command.is_empty() {
        return fail("give the command that runs the function after `--`".to_owned());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("lambda-proxy serve: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let door = options.front_door;
        let under = match (door, &options.stage) {
            (FrontDoor::RestApi, stage) => format!("/{}", stage.as_deref().unwrap_or("prod")),
            (_, Some(stage)) if stage != "$default" => format!("/{stage}"),
            _ => String::new(),
        };
        let shape = match options.max_concurrency {
            Some(max) => format!("one managed-instance environment, {max} invocations at once"),
            None if options.concurrency == 1 => "1 environment at most".to_owned(),
            None => format!("{} environments at most", options.concurrency),
        };
        eprintln!(
            "lambda-proxy serve: {door} on http://{address}{under}/ (timeout {} s, {shape})",
            options.timeout.as_secs()
        );
        let serving = lambda_proxy_cli::serve::serve(options, listener, |line| eprintln!("{line}"));
        tokio::select! {
            served = serving => served,
            () = stopped() => Ok(()),
        }
    });
    // Dropping the runtime drops every environment, which stops its processes.
    drop(runtime);
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lambda-proxy serve: {error}");
            ExitCode::from(2)
        }
    }
}

/// Ctrl-C or SIGTERM: the gateway stops, and its functions' processes with it.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

const EMF_USAGE: &str = "\
usage: lambda-proxy emf [--json] [FILE|-]

Checks every CloudWatch embedded-metric-format document of a log (a line that is a JSON object
with `_aws`, or ends with one: a CloudWatch Logs export) against the specification's rules and
CloudWatch's limits: the directives, dimension sets of at most 30 names, at most 100 metrics and
100 values, units CloudWatch has, the members each name points at. Reads FILE, or standard input
when FILE is `-` or missing.

options:
  --json       print the findings as JSON
  -h, --help   print this help

exit status: 0 every document is valid, 1 one is not, 2 unusable input or no document";

/// `lambda-proxy emf`.
fn emf_command(args: impl Iterator<Item = String>) -> ExitCode {
    let mut json = false;
    let mut file: Option<String> = None;
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => {
                print(EMF_USAGE);
                return ExitCode::SUCCESS;
            }
            "--json" => json = true,
            _ if arg.starts_with('-') && arg != "-" => {
                eprintln!("lambda-proxy emf: unknown option {arg:?}\n\n{EMF_USAGE}");
                return ExitCode::from(2);
            }
            _ => {
                if let Some(first) = &file {
                    eprintln!("lambda-proxy emf: give one input, not both {first:?} and {arg:?}");
                    return ExitCode::from(2);
                }
                file = Some(arg);
            }
        }
    }
    let input = match read(file.as_deref()) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("lambda-proxy emf: {message}");
            return ExitCode::from(2);
        }
    };
    if input.len() > check::MAX_INPUT {
        eprintln!(
            "lambda-proxy emf: the input is larger than {} bytes; give a part of the log",
            check::MAX_INPUT
        );
        return ExitCode::from(2);
    }
    let log = String::from_utf8_lossy(&input);
    let documents = lambda_proxy_cli::emf::documents(&log);
    if documents.is_empty() {
        eprintln!("lambda-proxy emf: no embedded-metric-format document (a JSON object with `_aws`) in the input");
        return ExitCode::from(2);
    }
    let findings: Vec<(usize, Vec<String>)> = documents
        .iter()
        .map(|(line, document)| match document {
            Ok(document) => (*line, lambda_proxy_cli::emf::check(document)),
            Err(why) => (*line, vec![why.clone()]),
        })
        .collect();
    let invalid = findings.iter().filter(|(_, f)| !f.is_empty()).count();
    if json {
        let output: Vec<serde_json::Value> = findings
            .iter()
            .map(|(line, found)| serde_json::json!({ "line": line, "findings": found }))
            .collect();
        match serde_json::to_string_pretty(&output) {
            Ok(text) => print(&text),
            Err(error) => {
                eprintln!("lambda-proxy emf: cannot write the report: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        let mut text = String::new();
        for (line, found) in &findings {
            if found.is_empty() {
                text.push_str(&format!("line {line}: valid\n"));
            } else {
                text.push_str(&format!("line {line}: {} problem(s)\n", found.len()));
                for finding in found {
                    text.push_str(&format!("  - {finding}\n"));
                }
            }
        }
        text.push_str(&format!(
            "{} document(s), {} valid, {invalid} invalid",
            findings.len(),
            findings.len() - invalid
        ));
        print(&text);
    }
    if invalid == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

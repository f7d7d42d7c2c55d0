//! `lambda-proxy check` as a user runs it: exit codes, messages, and unusable input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], input: &[u8]) -> Output {
    run_command("check", args, input)
}

/// `lambda-proxy COMMAND ARGS`, with `input` on its standard input.
fn run_command(command: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-proxy"))
        .arg(command)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("stdin");
    // The checker may stop reading early (huge input): a broken pipe is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("the binary ends")
}

fn text(output: &Output) -> (i32, String, String) {
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_classic_object_body() {
    let (code, out, _) = text(&run(&[], br#"{"statusCode": 200, "body": {"id": 7}}"#));
    assert_eq!(code, 1);
    assert!(
        out.contains("error: $.body: body is an object, not a string"),
        "{out}"
    );
    assert!(out.contains("502"), "{out}");
    assert!(
        out.contains("JSON.stringify(body) / json.dumps(body) / serde_json::to_string(&body)"),
        "{out}"
    );
}

#[test]
fn a_valid_response_exits_0() {
    let ok = br#"{"statusCode": 201, "headers": {"content-type": "application/json"}, "body": "{\"id\":7}", "isBase64Encoded": false, "cookies": []}"#;
    let (code, out, _) = text(&run(&["--front-door", "http2", "--strict"], ok));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("valid, and meets the strict contract"),
        "{out}"
    );
}

#[test]
fn strict_fails_on_what_the_front_door_tolerates() {
    let tolerated = br#"{"statusCode": "201", "body": "created"}"#;
    assert_eq!(text(&run(&["--front-door", "rest"], tolerated)).0, 0);
    let (code, out, _) = text(&run(&["--front-door=rest", "--strict"], tolerated));
    assert_eq!(code, 1);
    assert!(
        out.contains("statusCode is the string \"201\", not a number"),
        "{out}"
    );
}

#[test]
fn front_doors_differ() {
    let with_description = br#"{"statusCode": 200, "statusDescription": "200 OK", "headers": {}, "body": "", "isBase64Encoded": false}"#;
    assert_eq!(text(&run(&["--front-door", "alb"], with_description)).0, 0);
    let (code, out, _) = text(&run(&["--front-door", "rest"], with_description));
    assert_eq!(code, 1);
    assert!(
        out.contains("`statusDescription` is not allowed in a response to API Gateway REST API"),
        "{out}"
    );
}

#[test]
fn finds_the_response_in_log_lines_and_invoke_output() {
    let log = b"2026-11-24T10:00:00.000Z a1b2 Endpoint response body before transformations: {\"statusCode\":200,\"body\":{\"a\":1}}\n";
    let (code, out, _) = text(&run(&[], log));
    assert_eq!(code, 1);
    assert!(out.starts_with("response found at byte"), "{out}");
    let invoke = b"{\n    \"StatusCode\": 200,\n    \"FunctionError\": \"Unhandled\",\n    \"ExecutedVersion\": \"$LATEST\"\n}\n{\"errorMessage\":\"boom\",\"errorType\":\"Error\"}";
    let (code, out, _) = text(&run(&[], invoke));
    assert_eq!(code, 1);
    assert!(out.contains("this is Lambda's error object"), "{out}");
}

#[test]
fn json_output_is_machine_readable() {
    let (code, out, _) = text(&run(&["--json"], br#"{"statusCode": 201.5, "body": ""}"#));
    assert_eq!(code, 0, "a warning alone does not fail without --strict");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(report["report"]["accepted"], true);
    assert_eq!(
        report["report"]["findings"][0]["code"],
        "status-not-integer"
    );
    assert_eq!(report["report"]["findings"][0]["severity"], "warning");
    assert_eq!(report["found"], "the whole input");
    // A member of the wrong JSON type is a malformed envelope, not an unconfirmed behaviour.
    let (code, out, _) = text(&run(&["--json"], br#"{"statusCode": 200, "body": 42}"#));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(report["report"]["findings"][0]["code"], "body-not-string");
    assert_eq!(report["report"]["findings"][0]["severity"], "error");
}

#[test]
fn unusable_input_exits_2_with_a_clear_message() {
    let cases: [(&[&str], &[u8], &str); 6] = [
        (&[], b"", "the input is empty"),
        (&[], b"  \n\t ", "the input is empty"),
        (&[], b"this is not json", "no JSON object found"),
        (&[], b"\xff\xfe\x00\x01binary", "not UTF-8 text"),
        (
            &["--front-door", "apigw"],
            b"{}",
            "unknown front door \"apigw\"",
        ),
        (&["--frobnicate"], b"{}", "unknown option \"--frobnicate\""),
    ];
    for (args, input, message) in cases {
        let (code, _, err) = text(&run(args, input));
        assert_eq!(code, 2, "{message}");
        assert!(err.contains(message), "{err}");
    }
    let (code, _, err) = text(&run(&["/nonexistent/response.json"], b""));
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read /nonexistent/response.json"),
        "{err}"
    );
}

#[test]
fn megabytes_of_input() {
    // A 7 MB response: too large for every front door.
    let big = format!(
        r#"{{"statusCode": 200, "body": "{}"}}"#,
        "x".repeat(7 << 20)
    );
    let (code, out, _) = text(&run(&["--front-door", "url"], big.as_bytes()));
    assert_eq!(code, 1);
    assert!(
        out.contains("delivers at most 6291456"),
        "{}",
        &out[..out.len().min(400)]
    );
    // More than the checker reads at all.
    let huge = vec![b' '; 65 << 20];
    let (code, _, err) = text(&run(&[], &huge));
    assert_eq!(code, 2);
    assert!(err.contains("larger than 67108864 bytes"), "{err}");
}

#[test]
fn help_and_version() {
    let (code, out, _) = text(&run(&["--help"], b""));
    assert_eq!(code, 0);
    assert!(out.starts_with("usage: lambda-proxy check"));
    assert!(
        out.contains("rest, http1, http2, url, alb, alb-multi, lattice, ws"),
        "{out}"
    );
    let (code, out, _) = text(&run(&["-V"], b""));
    assert_eq!(code, 0);
    assert!(out.starts_with("lambda-proxy 0."));
}

/// Every `$ lambda-proxy check ...` block of docs/troubleshooting.md shows the checker's real
/// output. `LAMBDA_PROXY_BLESS=1` rewrites the blocks with the current output.
#[test]
fn troubleshooting_guide_outputs_are_true() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("docs/troubleshooting.md");
    let doc = std::fs::read_to_string(&path).expect("docs/troubleshooting.md");
    let mut rewritten = String::new();
    let mut lines = doc.lines();
    let mut commands = 0;
    while let Some(line) = lines.next() {
        rewritten.push_str(line);
        rewritten.push('\n');
        if line != "```console" {
            continue;
        }
        let command = lines.next().expect("a command after ```console");
        let args: Vec<&str> = command
            .strip_prefix("$ lambda-proxy check")
            .expect("console blocks run lambda-proxy check")
            .split_whitespace()
            .collect();
        let mut shown = Vec::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            shown.push(line);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_lambda-proxy"))
            .arg("check")
            .args(&args)
            .current_dir(&root)
            .output()
            .expect("the checker runs");
        let actual = String::from_utf8(output.stdout).unwrap();
        if std::env::var_os("LAMBDA_PROXY_BLESS").is_none() {
            assert_eq!(shown.join("\n"), actual.trim_end(), "output of `{command}`");
        }
        rewritten.push_str(command);
        rewritten.push('\n');
        rewritten.push_str(&actual);
        rewritten.push_str("```\n");
        commands += 1;
    }
    assert_eq!(commands, 13, "every section shows the checker");
    if std::env::var_os("LAMBDA_PROXY_BLESS").is_some() {
        std::fs::write(&path, rewritten).unwrap();
    }
}

/// A reader that stops early (`| head -1`) ends the output quietly: no panic, no backtrace.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-proxy"))
        .args(["check", "--front-door", "alb"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Closed before the checker writes its report.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(br#"{"statusCode": 200, "body": {"id": 7}, "extra": 1}"#);
    drop(stdin);
    let output = child.wait_with_output().expect("the binary ends");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(1), "{err}");
}

/// The CORS mistakes browsers trip on, each its own finding, and a 405 without `Allow`.
#[test]
fn cors_and_allow_mistakes_fail_strict() {
    let cases: [(&str, &str); 6] = [
        (
            r#"{"statusCode": 200, "multiValueHeaders": {"access-control-allow-origin": ["https://a.example", "https://b.example"], "vary": ["origin"]}, "body": ""}"#,
            "cors-several-origins",
        ),
        (
            r#"{"statusCode": 200, "multiValueHeaders": {"access-control-allow-origin": ["https://a.example, https://b.example"], "vary": ["origin"]}, "body": ""}"#,
            "cors-several-origins",
        ),
        (
            r#"{"statusCode": 200, "multiValueHeaders": {"access-control-allow-origin": ["https://a.example"], "access-control-allow-credentials": ["True"], "vary": ["origin"]}, "body": ""}"#,
            "cors-credentials-not-true",
        ),
        (
            r#"{"statusCode": 200, "multiValueHeaders": {"access-control-allow-origin": ["https://a.example/"], "vary": ["origin"]}, "body": ""}"#,
            "cors-origin-not-an-origin",
        ),
        (
            r#"{"statusCode": 204, "multiValueHeaders": {"access-control-allow-origin": ["https://a.example"], "access-control-allow-credentials": ["true"], "access-control-allow-headers": ["*"], "vary": ["origin"]}}"#,
            "cors-wildcard-with-credentials",
        ),
        (
            r#"{"statusCode": 405, "multiValueHeaders": {"content-type": ["application/problem+json"]}, "body": "{}"}"#,
            "405-without-allow",
        ),
    ];
    for (response, code) in cases {
        let (status, out, _) = text(&run(
            &["--front-door", "rest", "--strict", "--json"],
            response.as_bytes(),
        ));
        assert_eq!(status, 1, "{response}: {out}");
        assert!(
            out.contains(&format!("\"code\": \"{code}\"")),
            "{response}: {out}"
        );
    }
    // The same answers, done right, pass.
    let fine = r#"{"statusCode": 405, "multiValueHeaders": {"allow": ["GET, HEAD, OPTIONS"], "access-control-allow-origin": ["https://a.example"], "access-control-allow-credentials": ["true"], "vary": ["origin"], "content-type": ["application/problem+json"]}, "body": "{}"}"#;
    let (status, out, _) = text(&run(&["--front-door", "rest", "--strict"], fine.as_bytes()));
    assert_eq!(status, 0, "{out}");
}

/// The users example's committed OpenAPI document.
fn crud_document() -> String {
    format!(
        "{}/../examples/openapi/crud.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn an_answer_checked_against_an_openapi_document() {
    let document = crud_document();
    let openapi = |request: &'static str| {
        let document = document.clone();
        move |input: &[u8]| {
            text(&run(
                &[
                    "--front-door",
                    "http2",
                    "--openapi",
                    &document,
                    "--request",
                    request,
                ],
                input,
            ))
        }
    };
    // A user, as the document promises (its CORS policy reflects the origin: `vary` on every
    // answer).
    let user = br#"{"statusCode": 200, "headers": {"content-type": "application/json", "vary": "origin"}, "body": "{\"id\":7,\"name\":\"Ada\"}", "isBase64Encoded": false, "cookies": []}"#;
    let (code, out, _) = openapi("GET /users/7")(user);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("OpenAPI: the answer keeps the document's promise"),
        "{out}"
    );
    // A valid envelope whose body the document refuses, and a status it does not list.
    let wrong = br#"{"statusCode": 200, "headers": {"content-type": "application/json", "vary": "origin"}, "body": "{\"id\":\"seven\",\"name\":\"Ada\"}", "isBase64Encoded": false, "cookies": []}"#;
    let (code, out, _) = openapi("GET /users/7")(wrong);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("valid, and meets"), "{out}");
    assert!(
        out.contains("OpenAPI: the answer breaks the document's promise"),
        "{out}"
    );
    assert!(
        out.contains("GET /users/{id}: the 200 answer's body: at /id"),
        "{out}"
    );
    let teapot = br#"{"statusCode": 418, "body": ""}"#;
    let (code, out, _) = openapi("DELETE /users/7")(teapot);
    assert_eq!(code, 1);
    assert!(out.contains("status 418 is not documented"), "{out}");
    // The findings in the JSON report.
    let (_, out, _) = text(&run(
        &[
            "--front-door",
            "http2",
            "--json",
            "--openapi",
            &document,
            "--request",
            "GET /users/7",
        ],
        wrong,
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["contract"].as_array().unwrap().len(), 1, "{report}");
    // Arguments that cannot be used.
    for args in [
        vec!["--openapi", document.as_str()],
        vec!["--request", "GET /users/7"],
        vec!["--openapi", document.as_str(), "--request", "users"],
        vec!["--openapi", "/nonexistent.json", "--request", "GET /"],
    ] {
        let (code, _, err) = text(&run(&args, user));
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

/// `lambda-proxy emf` on a log: its documents found among other lines, each judged.
#[test]
fn emf_checks_every_document_of_a_log() {
    let emf = |args: &[&str], input: &[u8]| text(&run_command("emf", args, input));
    let valid = r#"{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"shop","Dimensions":[["service"]],"Metrics":[{"Name":"orders","Unit":"Count"}]}]},"service":"orders","orders":1}"#;
    // Powertools' cold start document has a dimension whose member is missing here.
    let broken = r#"2026-12-07T10:00:00.000Z	c6af9ac6	{"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"shop","Dimensions":[["function_name"]],"Metrics":[{"Name":"ColdStart","Unit":"Count"}]}]},"ColdStart":1}"#;
    let log = format!("START RequestId: c6af9ac6\n{valid}\n{broken}\nEND RequestId: c6af9ac6\n");
    let (code, out, _) = emf(&[], log.as_bytes());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("line 2: valid"), "{out}");
    assert!(out.contains("line 3: 1 problem(s)"), "{out}");
    assert!(
        out.contains(r#"dimension "function_name" must be a member of the document"#),
        "{out}"
    );
    assert!(
        out.ends_with("2 document(s), 1 valid, 1 invalid\n"),
        "{out}"
    );
    let (code, out, _) = emf(&[], format!("{valid}\n").as_bytes());
    assert_eq!(
        (code, out.as_str()),
        (0, "line 1: valid\n1 document(s), 1 valid, 0 invalid\n")
    );
    let (code, out, _) = emf(&["--json"], log.as_bytes());
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report[0]["findings"], serde_json::json!([]));
    assert_eq!(report[1]["line"], 3);
    // No document, an unknown option, a missing file: unusable (2), said on stderr.
    let (code, _, err) = emf(&[], b"START\nEND\n");
    assert_eq!(code, 2);
    assert!(err.contains("no embedded-metric-format document"), "{err}");
    assert_eq!(emf(&["--strict"], b"").0, 2);
    let (code, _, err) = emf(&["/no/such/file"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /no/such/file"), "{err}");
    let (code, out, _) = emf(&["--help"], b"");
    assert_eq!(code, 0);
    assert!(out.starts_with("usage: lambda-proxy emf"), "{out}");
}

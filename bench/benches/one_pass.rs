//! The stretch goal of issue #6, measured before building it: how much a path of lambda-proxy's
//! own from the handler's value to the envelope could save on the response side. lambda_http
//! serializes the value to JSON text (the handler does), then escapes that text again into the
//! envelope's `body` string; one pass could write the value straight into the envelope, escaped.
//!
//! Both produce the same bytes (checked before timing). Group `one_pass`: the response side alone
//! (two passes, one pass, and their parts). Group `whole_rest`: a whole REST API invocation, event
//! bytes in and envelope bytes out, through lambda_http (the hand-optimized handler) and on the
//! own path as far as it can go around lambda_http and lambda_runtime; identical bytes again.
//!
//! `cargo bench -p lambda-proxy-bench --bench one_pass -- --warm-up-time 1 --measurement-time 3 --noplot`
//! (measure `whole_rest/lambda_http` and `whole_rest/own_path` in separate processes, with a
//! filter such as `'^whole_rest/own_path/10KB$'`: see bench/invocation.sh for why).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lambda_http::request::LambdaRequest;
use lambda_http::{Context, Request, RequestExt};
use lambda_proxy_bench::{deadline_in, event, invoke, optimized, page, Page, REQUEST_ID, SIZES};
use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};
use std::hint::black_box;
use std::io::{self, Write};
use std::time::Duration;

/// A REST API envelope with a JSON body, in the field order lambda_http writes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    status_code: u16,
    headers: Headers,
    multi_value_headers: MultiValueHeaders,
    body: &'a str,
    is_base64_encoded: bool,
}

/// lambda_http writes REST API headers in `multiValueHeaders` only.
#[derive(Serialize)]
struct Headers {}

#[derive(Serialize)]
struct MultiValueHeaders {
    #[serde(rename = "content-type")]
    content_type: [&'static str; 1],
}

/// Two passes, as lambda_http does it: the value to JSON text, then the text into the envelope.
fn two_pass(page: &Page) -> Vec<u8> {
    let body = serde_json::to_string(page).expect("serializes");
    serde_json::to_vec(&Envelope {
        status_code: 200,
        headers: Headers {},
        multi_value_headers: MultiValueHeaders {
            content_type: ["application/json"],
        },
        body: &body,
        is_base64_encoded: false,
    })
    .expect("serializes")
}

/// A serde_json formatter that writes JSON text already escaped as the contents of a JSON
/// string: quotes and the escapes of the inner text are escaped once more.
struct Escaped;

impl Formatter for Escaped {
    fn begin_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn end_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        // The inner escape (`\n`, `\"`, `\u001f`...) with its backslash escaped again.
        let inner: &[u8] = match escape {
            CharEscape::Quote => b"\\\\\\\"",
            CharEscape::ReverseSolidus => b"\\\\\\\\",
            CharEscape::Solidus => b"\\\\/",
            CharEscape::Backspace => b"\\\\b",
            CharEscape::FormFeed => b"\\\\f",
            CharEscape::LineFeed => b"\\\\n",
            CharEscape::CarriageReturn => b"\\\\r",
            CharEscape::Tab => b"\\\\t",
            CharEscape::AsciiControl(byte) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ];
                return writer.write_all(&code);
            }
        };
        writer.write_all(inner)
    }
}

/// One pass: the envelope written around the value, which is serialized straight into it.
fn one_pass(page: &Page) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(
        br#"{"statusCode":200,"headers":{},"multiValueHeaders":{"content-type":["application/json"]},"body":""#,
    );
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaped);
    page.serialize(&mut serializer).expect("serializes");
    out.extend_from_slice(br#"","isBase64Encoded":false}"#);
    out
}

/// The formatter escapes what serde_json escapes, once more: checked on awkward text.
fn check_formatter() {
    let awkward = ["a\"b\\c/", "\u{1}\u{1f}\u{7f}", "\n\t\r\u{8}\u{c}", "é ☃ 𝄞"];
    let inner = serde_json::to_string(&awkward).expect("serializes");
    let expected = serde_json::to_string(&inner).expect("serializes");
    let mut out = b"\"".to_vec();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaped);
    awkward.serialize(&mut serializer).expect("serializes");
    out.push(b'"');
    assert_eq!(String::from_utf8_lossy(&out), expected);
}

/// A whole invocation on a path of lambda-proxy's own, as far as it can go around lambda_http
/// and lambda_runtime: the same event parsing and `Request` (handlers need it), then the value
/// serialized straight into the envelope, handed over as a `RawValue` and written out as
/// lambda_runtime writes every response (`serde_json::to_vec`). REST API only, with the
/// response's headers known: a bound on what such a path could save, not an implementation.
async fn own_path(event: &[u8], page: Page) -> Vec<u8> {
    let payload: LambdaRequest = serde_json::from_slice(event).expect("the event parses");
    let mut context = Context::default();
    context.request_id = REQUEST_ID.to_owned();
    context.deadline = deadline_in(Duration::from_secs(30));
    let _origin = payload.request_origin();
    let request: Request = payload.into();
    let request = black_box(request.with_lambda_context(context));
    drop(request);
    let envelope = String::from_utf8(one_pass(&page)).expect("UTF-8");
    let raw = serde_json::value::RawValue::from_string(envelope).expect("valid JSON");
    serde_json::to_vec(&raw).expect("serializes")
}

fn whole(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let event = event("rest");
    let mut group = c.benchmark_group("whole_rest");
    for (size, n) in SIZES {
        let page = page(n);
        let lambda_http = rt.block_on(invoke(&event, move |req| optimized(req, page)));
        let own = rt.block_on(own_path(&event, page));
        assert_eq!(
            String::from_utf8_lossy(&lambda_http),
            String::from_utf8_lossy(&own),
            "the paths differ at {size}"
        );
        if n >= 1_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::new("lambda_http", size), &page, |b, &page| {
            b.to_async(&rt)
                .iter(|| invoke(black_box(&event), move |req| optimized(req, page)))
        });
        group.bench_with_input(BenchmarkId::new("own_path", size), &page, |b, &page| {
            b.to_async(&rt).iter(|| own_path(black_box(&event), page))
        });
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    check_formatter();
    let mut group = c.benchmark_group("one_pass");
    for (size, n) in SIZES {
        let page = page(n);
        assert_eq!(
            String::from_utf8_lossy(&two_pass(&page)),
            String::from_utf8_lossy(&one_pass(&page)),
            "the two paths differ at {size}"
        );
        if n >= 1_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::new("two_pass", size), &page, |b, page| {
            b.iter(|| two_pass(black_box(page)))
        });
        group.bench_with_input(BenchmarkId::new("one_pass", size), &page, |b, page| {
            b.iter(|| one_pass(black_box(page)))
        });
        group.bench_with_input(
            BenchmarkId::new("serialize_only", size),
            &page,
            |b, page| b.iter(|| serde_json::to_string(black_box(page)).expect("serializes")),
        );
        let text = serde_json::to_string(&page).expect("serializes");
        group.bench_with_input(BenchmarkId::new("escape_only", size), &text, |b, text| {
            b.iter(|| serde_json::to_vec(black_box(text)).expect("serializes"))
        });
        // lambda_runtime takes a `Serialize` response and serializes it with serde_json: finished
        // envelope bytes can only be handed to it as a `RawValue`, which checks them by parsing.
        let envelope = String::from_utf8(one_pass(&page)).expect("UTF-8");
        group.bench_with_input(
            BenchmarkId::new("raw_value_check", size),
            &envelope,
            |b, envelope| {
                b.iter_batched(
                    || envelope.clone(),
                    |envelope| serde_json::value::RawValue::from_string(envelope).expect("valid"),
                    criterion::BatchSize::SmallInput,
                )
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench, whole);
criterion_main!(benches);

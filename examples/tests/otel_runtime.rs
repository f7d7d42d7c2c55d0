//! The otel binary (the users service with `lambda_runtime`'s `OpenTelemetryLayer` added through
//! `Run::layer`) as Lambda runs it: each invocation is answered, exports one OpenTelemetry span
//! (`faas.invocation_id` its request id) and writes its access record, one at a time and with
//! four loops at once (Lambda Managed Instances).

#[allow(dead_code)]
mod process;

use lambda_proxy::testing::TestRequest;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invocation_is_a_span_and_an_access_record() {
    std::env::set_var("AWS_LAMBDA_MAX_CONCURRENCY", "4");
    let events: Vec<_> = (0..8)
        .map(|i| {
            let request = TestRequest::http_api().path(&format!("/users/{}", i % 3 + 1));
            (format!("req-{i}"), 3_000, request.event())
        })
        .collect();
    let served = process::serve("otel", env!("CARGO_BIN_EXE_otel"), events).await;
    for i in 0..8 {
        let id = format!("req-{i}");
        let envelope = served.envelope(&id);
        assert_eq!(envelope["statusCode"], 200, "{envelope}");
        // The access record, a JSON line, once.
        let records = served
            .stdout
            .lines()
            .filter(|line| {
                line.contains(r#""message":"access""#)
                    && line.contains(&format!(r#""request_id":"{id}""#))
            })
            .count();
        assert_eq!(records, 1, "access records of {id}: {}", served.stdout);
        // The span, as opentelemetry-stdout prints it: the invocation id among its attributes.
        let span = format!("faas.invocation_id: String(Owned(\"{id}\"))");
        assert_eq!(
            served.stdout.matches(&span).count(),
            1,
            "one span for {id}: {}",
            served.stdout
        );
    }
    // One cold start in the access records: the process's first invocation (OpenTelemetry's
    // layer counts one per loop).
    let cold = served
        .stdout
        .lines()
        .filter(|line| {
            line.contains(r#""message":"access""#) && line.contains(r#""cold_start":true"#)
        })
        .count();
    assert_eq!(cold, 1, "{}", served.stdout);
    assert!(served.max_in_flight > 1, "served one at a time");
}

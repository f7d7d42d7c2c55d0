//! The real `lambda_runtime` loop, driven through `lambda_proxy::run` against a small Runtime API
//! served on 127.0.0.1: ok, panic, timeout, oversize, serialization failure, bad header value,
//! ok again. Every invocation is answered on the `response` endpoint with a valid envelope, none
//! on the `error` endpoint, and the process is still serving at the end.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Body, HttpError, Request, Response};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the handler does, chosen by the `x-case` header.
#[proxy_handler]
async fn handler(req: Request) -> Result<Response<Body>, HttpError> {
    let case = req
        .headers()
        .get("x-case")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("ok")
        .to_owned();
    match case.as_str() {
        "panic" => panic!("boom"),
        "timeout" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Response::new(Body::from("late")))
        }
        "oversize" => Ok(Response::builder()
            .header("content-type", "text/plain")
            .body(Body::from("x".repeat(7 * 1024 * 1024)))
            .unwrap()),
        "bad-header" => {
            let mut response = Response::new(Body::from("ok"));
            let value = lambda_proxy::HeaderValue::from_bytes(b"\xff\xfe").unwrap();
            response.headers_mut().insert("x-from-user", value);
            Ok(response)
        }
        "unserializable" => {
            let map = BTreeMap::from([((1, 2), 3)]);
            let json = serde_json::to_string(&map)
                .map_err(|e| HttpError::internal_server_error("").with_source(e))?;
            Ok(Response::new(Body::from(json)))
        }
        _ => Ok(Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(r#"{"ok":true}"#))
            .unwrap()),
    }
}

/// Events handed out by `next`, and what came back.
#[derive(Default)]
struct RuntimeApi {
    /// Request id, deadline in ms from when `next` answers, event.
    events: Mutex<VecDeque<(String, u64, Value)>>,
    responses: Mutex<Vec<(String, Vec<u8>)>>,
    errors: Mutex<Vec<(String, Vec<u8>)>>,
    served: tokio::sync::Notify,
}

async fn serve(listener: TcpListener, api: Arc<RuntimeApi>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(connection(stream, api.clone()));
    }
}

/// One keep-alive connection: read requests, answer them; `next` with no event left never answers.
async fn connection(stream: TcpStream, api: Arc<RuntimeApi>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut length = 0;
        let mut chunked = false;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).await?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "transfer-encoding" => chunked = value.contains("chunked"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).await?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length, 0);
            reader.read_exact(&mut body).await?;
        }
        let stream = reader.get_mut();
        if method == "GET" && path.ends_with("/invocation/next") {
            let next = api.events.lock().unwrap().pop_front();
            let Some((id, deadline_in_ms, event)) = next else {
                // Nothing left: hold the request, as Lambda does between invocations.
                std::future::pending::<()>().await;
                return Ok(());
            };
            let deadline = now_ms() + deadline_in_ms;
            let payload = event.to_string();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: {id}\r\nlambda-runtime-deadline-ms: {deadline}\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:survival\r\nlambda-runtime-trace-id: Root=1-00000000-000000000000000000000000\r\ncontent-length: {}\r\n\r\n",
                payload.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(payload.as_bytes()).await?;
        } else {
            let id = path.split('/').nth(4).unwrap_or("").to_owned();
            if path.ends_with("/response") {
                api.responses.lock().unwrap().push((id, body));
            } else {
                api.errors.lock().unwrap().push((id, body));
            }
            api.served.notify_one();
            stream
                .write_all(
                    b"HTTP/1.1 202 Accepted\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}\n",
                )
                .await?;
        }
    }
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_survives_every_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let api = Arc::new(RuntimeApi::default());
    let cases = [
        ("ok", TestRequest::rest_api(), 200),
        ("panic", TestRequest::http_api(), 500),
        ("timeout", TestRequest::alb(), 504),
        ("oversize", TestRequest::function_url(), 500),
        ("unserializable", TestRequest::vpc_lattice(), 500),
        ("bad-header", TestRequest::websocket(), 200),
        ("ok", TestRequest::http_api_v1(), 200),
    ];
    {
        let mut events = api.events.lock().unwrap();
        for (i, (case, request, _)) in cases.iter().enumerate() {
            // A real deadline 2 s after `next` answers: the timeout case is cut at 1.8 s.
            let event = request.clone().header("x-case", case).event();
            events.push_back((format!("req-{i}"), 2_000, event));
        }
    }
    // This test binary has one test, so the process environment is this test's alone.
    std::env::set_var("AWS_LAMBDA_RUNTIME_API", address.to_string());
    std::env::set_var("AWS_LAMBDA_FUNCTION_NAME", "survival");
    std::env::set_var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128");
    std::env::set_var("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    let server = tokio::spawn(serve(listener, api.clone()));
    // The runtime loop on a thread of its own (its future is not `Send`), stopped on request.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runtime = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::select! {
                result = lambda_proxy::run(handler) => format!("the runtime loop ended: {result:?}"),
                _ = stopped => "still serving".to_owned(),
            }
        })
    });

    let all_answered = async {
        loop {
            let done = api.responses.lock().unwrap().len() + api.errors.lock().unwrap().len();
            if done == cases.len() {
                break;
            }
            api.served.notified().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all_answered)
        .await
        .expect("every invocation is answered within 60 s");
    // Still serving: the runtime is waiting on `next`, not finished or failed.
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    assert_eq!(runtime.join().unwrap(), "still serving");
    server.abort();

    assert!(
        api.errors.lock().unwrap().is_empty(),
        "posted to the error endpoint"
    );
    let responses = api.responses.lock().unwrap();
    for (i, (case, _, status)) in cases.iter().enumerate() {
        let (id, body) = &responses[i];
        assert_eq!(id, &format!("req-{i}"));
        let envelope: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["statusCode"], *status, "{case}: {envelope}");
        assert!(envelope["body"].is_string(), "{case}: {envelope}");
        assert!(body.len() < 6 * 1024 * 1024, "{case}");
        // The value that is not printable ASCII was dropped, and the header with it.
        let headers = format!("{} {}", envelope["headers"], envelope["multiValueHeaders"]);
        assert!(!headers.contains("x-from-user"), "{case}: {headers}");
        assert!(!String::from_utf8_lossy(body).contains("boom"), "{case}");
    }
}

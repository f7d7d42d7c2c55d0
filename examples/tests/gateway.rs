//! The examples behind the local gateway (`lambda_proxy_cli::serve`, what `lambda-proxy serve`
//! runs), through real HTTP: the crud binary as an HTTP API, and the stream binary behind a
//! function URL that streams, its events arriving at their pace and a failure after the first
//! item cutting the client's response short.

use lambda_proxy_cli::serve::{serve, Options};
use lambda_proxy_cli::FrontDoor;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `binary` as `front_door` on a free port; its port.
async fn gateway(binary: &str, front_door: FrontDoor, stream: bool) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut options = Options::new(vec![binary.to_owned()]);
    options.front_door = front_door;
    options.stream = stream;
    tokio::spawn(serve(options, listener, |line| eprintln!("{line}")));
    port
}

/// The raw HTTP/1.1 answer to `method path` (with `body`), and when each read of it arrived.
async fn raw(port: u16, method: &str, path: &str, body: &str) -> (String, Vec<Duration>) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let start = Instant::now();
    let (mut all, mut times) = (Vec::new(), Vec::new());
    let mut buffer = [0; 8192];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buffer))
            .await
            .expect("an answer within 30 s");
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                all.extend_from_slice(&buffer[..n]);
                times.push(start.elapsed());
            }
        }
    }
    (String::from_utf8_lossy(&all).into_owned(), times)
}

fn status(raw: &str) -> u16 {
    raw.split(' ').nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crud_example_as_an_http_api() {
    let port = gateway(env!("CARGO_BIN_EXE_crud"), FrontDoor::HttpApiV2, false).await;
    let (created, _) = raw(port, "POST", "/users", r#"{"name":"Grace"}"#).await;
    assert_eq!(status(&created), 201, "{created}");
    assert!(
        created.to_ascii_lowercase().contains("location: /users/"),
        "{created}"
    );
    let (listed, _) = raw(port, "GET", "/users", "").await;
    assert_eq!(status(&listed), 200, "{listed}");
    assert!(listed.contains("Grace"), "{listed}");
    let (bad, _) = raw(port, "GET", "/users/abc", "").await;
    assert_eq!(status(&bad), 400, "{bad}");
    assert!(bad.contains("application/problem+json"), "{bad}");
    let (missing, _) = raw(port, "GET", "/nowhere", "").await;
    assert_eq!(status(&missing), 404, "{missing}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_example_streams_behind_a_function_url() {
    let port = gateway(env!("CARGO_BIN_EXE_stream"), FrontDoor::FunctionUrl, true).await;
    // Started, so that the first request's timing is the stream's.
    let (user, _) = raw(port, "GET", "/users/1", "").await;
    assert_eq!(status(&user), 200, "{user}");

    let (count, times) = raw(port, "GET", "/count?n=3&ms=300", "").await;
    assert_eq!(status(&count), 200, "{count}");
    assert!(count.contains("content-type: text/event-stream"), "{count}");
    assert_eq!(count.matches("event: count").count(), 3, "{count}");
    assert!(
        count.ends_with("0\r\n\r\n"),
        "a complete chunked body: {count:?}"
    );
    // The events came as they were made, not at once at the end.
    assert!(times.len() >= 3, "{times:?}");
    let spread = *times.last().unwrap() - times[0];
    assert!(spread >= Duration::from_millis(400), "{times:?}");

    // After two items, the failure: those two, then the response cut short (no last chunk).
    let (late, _) = raw(port, "GET", "/fail-late", "").await;
    assert_eq!(status(&late), 200, "{late}");
    assert_eq!(late.matches("data: ").count(), 2, "{late}");
    assert!(
        !late.ends_with("0\r\n\r\n"),
        "the response must not end cleanly: {late:?}"
    );

    // Before the first item: the error's whole answer.
    let (early, _) = raw(port, "GET", "/fail-early", "").await;
    assert_eq!(status(&early), 503, "{early}");
}

//! The local Runtime API, driven the way a runtime loop drives Lambda's: over plain HTTP/1.1.

use lambda_proxy_cli::runtime_api::{Invocation, Outcome, RuntimeApi};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A keep-alive connection to the API, as a runtime holds one.
struct Client(BufReader<TcpStream>);

impl Client {
    async fn connect(api: &RuntimeApi) -> Client {
        Client(BufReader::new(
            TcpStream::connect(api.address()).await.unwrap(),
        ))
    }

    async fn send(&mut self, raw: &[u8]) {
        self.0.get_mut().write_all(raw).await.unwrap();
    }

    /// Reads one response: status, headers (names lowercased), body.
    async fn read(&mut self) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut line = String::new();
        self.0.read_line(&mut line).await.unwrap();
        let status = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.0.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).await.unwrap();
        (status, headers, body)
    }

    async fn next(&mut self) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.send(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nhost: x\r\n\r\n")
            .await;
        self.read().await
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    &headers.iter().find(|(n, _)| n == name).unwrap().1
}

#[tokio::test]
async fn an_invocation_goes_out_on_next_and_its_streamed_answer_comes_back_frame_by_frame() {
    let api = RuntimeApi::start().await.unwrap();
    let invoked = tokio::spawn(api.invoke(Invocation::new(
        "req-1",
        br#"{"hello":1}"#.to_vec(),
        Duration::from_secs(3),
    )));
    let mut client = Client::connect(&api).await;
    let (status, headers, body) = client.next().await;
    assert_eq!(status, 200);
    assert_eq!(body, br#"{"hello":1}"#);
    assert_eq!(header(&headers, "lambda-runtime-aws-request-id"), "req-1");
    assert_eq!(
        header(&headers, "lambda-runtime-invocation-id"),
        "inv-req-1"
    );
    let deadline: u128 = header(&headers, "lambda-runtime-deadline-ms")
        .parse()
        .unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    assert!(deadline > now.as_millis() + 2_000 && deadline <= now.as_millis() + 3_000);
    assert_eq!(api.in_flight(), 1);

    client
        .send(
            b"POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nhost: x\r\n\
              lambda-runtime-function-response-mode: streaming\r\ntransfer-encoding: chunked\r\n\
              trailer: Lambda-Runtime-Function-Error-Type\r\n\r\n3\r\nabc\r\n",
        )
        .await;
    let Some(Outcome::Response(response)) = invoked.await.unwrap() else {
        panic!("no response");
    };
    assert!(response.is_streamed());
    assert_eq!(response.request_id, "req-1");
    let reading = tokio::spawn(response.collect());
    tokio::time::sleep(Duration::from_millis(100)).await;
    client
        .send(b"2\r\nde\r\n0\r\nLambda-Runtime-Function-Error-Type: X.Y\r\n\r\n")
        .await;
    let (status, _, _) = client.read().await;
    assert_eq!(status, 202);
    let collected = reading.await.unwrap();
    assert_eq!(collected.body, b"abcde");
    assert_eq!(collected.chunks.len(), 2);
    assert!(collected.chunks[1].1 >= Duration::from_millis(90));
    assert_eq!(collected.error_type(), Some("X.Y"));
    assert!(!collected.broken);
    assert_eq!((api.in_flight(), api.max_in_flight()), (0, 1));
}

#[tokio::test]
async fn errors_unknown_ids_and_runtime_failures() {
    let api = RuntimeApi::start().await.unwrap();
    let invoked = tokio::spawn(api.invoke(Invocation::new(
        "req-2",
        b"{}".to_vec(),
        Duration::from_secs(3),
    )));
    let mut client = Client::connect(&api).await;
    client.next().await;
    let error = br#"{"errorType":"Oops","errorMessage":"no"}"#;
    client
        .send(
            format!(
                "POST /2018-06-01/runtime/invocation/req-2/error HTTP/1.1\r\nhost: x\r\n\
                 lambda-runtime-function-error-type: Oops\r\ncontent-length: {}\r\n\r\n",
                error.len()
            )
            .as_bytes(),
        )
        .await;
    client.send(error).await;
    assert_eq!(client.read().await.0, 202);
    let Some(Outcome::Error(posted)) = invoked.await.unwrap() else {
        panic!("no error");
    };
    assert_eq!(posted.error_type.as_deref(), Some("Oops"));
    assert_eq!(&posted.body[..], error);

    // Answered already: the id is no longer one the API waits for.
    client
        .send(b"POST /2018-06-01/runtime/invocation/req-2/response HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}")
        .await;
    let (status, _, body) = client.read().await;
    assert_eq!(status, 400);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("InvalidRequestID"));

    client
        .send(b"POST /2018-06-01/runtime/init/error HTTP/1.1\r\nhost: x\r\nlambda-runtime-function-error-type: Runtime.Init\r\ncontent-length: 2\r\n\r\n{}")
        .await;
    assert_eq!(client.read().await.0, 202);
    let errors = api.runtime_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].request_id, "init");
    assert_eq!(errors[0].error_type.as_deref(), Some("Runtime.Init"));

    client
        .send(b"GET /2018-06-01/runtime/restore/next HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    assert_eq!(client.read().await.0, 200);
    assert_eq!(api.restores(), 1);
    client
        .send(b"GET /2018-06-01/runtime/nothing HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    assert_eq!(client.read().await.0, 404);
}

#[tokio::test]
async fn a_reader_that_gave_up_does_not_stop_the_function_posting() {
    let api = RuntimeApi::start().await.unwrap();
    let invoked = api.invoke(Invocation::new(
        "req-3",
        b"{}".to_vec(),
        Duration::from_secs(3),
    ));
    let mut client = Client::connect(&api).await;
    let next = tokio::spawn(async move {
        client.next().await;
        client
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(invoked);
    let mut client = next.await.unwrap();
    // More frames than the API keeps waiting for a reader.
    let mut post = b"POST /2018-06-01/runtime/invocation/req-3/response HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..100 {
        post.extend_from_slice(b"1\r\nx\r\n");
    }
    post.extend_from_slice(b"0\r\n\r\n");
    client.send(&post).await;
    assert_eq!(client.read().await.0, 202);
}

#[tokio::test]
async fn an_unanswered_invocation_is_given_up_and_an_id_in_flight_is_refused() {
    let api = RuntimeApi::start().await.unwrap();
    let first = tokio::spawn(api.invoke(Invocation::new(
        "req-4",
        b"{}".to_vec(),
        Duration::from_millis(100),
    )));
    let mut client = Client::connect(&api).await;
    client.next().await;
    // The same id again, while the first is in flight: its invoker gets `None`.
    let again = api.invoke(Invocation::new(
        "req-4",
        b"{}".to_vec(),
        Duration::from_secs(3),
    ));
    let mut other = Client::connect(&api).await;
    let waiting = tokio::spawn(async move { other.next().await });
    let again = tokio::time::timeout(Duration::from_secs(5), again).await;
    assert!(again.expect("refused at once").is_none());
    // Unanswered a second past its deadline: given up, and a late answer refused.
    let given_up = tokio::time::timeout(Duration::from_secs(5), first).await;
    assert!(given_up.unwrap().unwrap().is_none());
    assert_eq!(api.in_flight(), 0);
    client
        .send(b"POST /2018-06-01/runtime/invocation/req-4/response HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}")
        .await;
    assert_eq!(client.read().await.0, 400);
    waiting.abort();
}

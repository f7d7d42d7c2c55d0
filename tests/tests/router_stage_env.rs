//! `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` changes the URI `lambda_http` builds, not the routes: a
//! binary of its own, since it sets the process environment.

use lambda_proxy::testing::TestRequest;
use lambda_proxy::{proxy_handler, Path, Router};

#[proxy_handler(route = "GET /users/{id}")]
async fn get_user(Path(id): Path<u64>) -> String {
    format!("user {id}")
}

#[tokio::test]
async fn the_ignore_stage_variable_changes_nothing() {
    // `lambda_http` puts the stage in the URI unless this variable is set; the router reads
    // the resource, so both settings route the same. The only test of this binary.
    for set in [false, true] {
        if set {
            // SAFETY: tests in this binary do not read the environment concurrently.
            unsafe { std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true") };
        }
        let envelope = TestRequest::rest_api()
            .path("/users/7")
            .invoke(Router::new().route(get_user).unwrap())
            .await;
        assert_eq!(envelope.body(), r#""user 7""#);
        let request = TestRequest::rest_api().path("/users/7").into_request();
        assert_eq!(lambda_proxy::front_door::path_in_api(&request), "/users/7");
    }
    // SAFETY: as above.
    unsafe { std::env::remove_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH") };
}

// `run` serves invocations concurrently on Lambda Managed Instances: state shared through an `Rc`
// cannot go to another thread.
use lambda_proxy::{proxy_handler, Request};
use std::rc::Rc;

#[proxy_handler]
async fn count(_req: Request, n: Rc<u64>) -> u64 {
    *n
}

fn main() {
    let n = Rc::new(1);
    let _ = lambda_proxy::run(move |req| count(req, n.clone()));
}

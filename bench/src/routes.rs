//! Twenty routes, the same in lambda-proxy's [`Router`] and in axum: what a team with one
//! function for a whole API would write. The measured route is `GET /items/{id}`, the eleventh,
//! which answers the benchmark's [`Page`]; the others answer a short string.

use crate::Page;
use lambda_proxy::router::RouteError;
use lambda_proxy::{proxy_handler, Path, Router, State};

/// Declares lambda-proxy handlers that answer their own name, and the list of them.
macro_rules! fillers {
    ($($name:ident = $route:literal;)*) => {
        $(
            #[doc = concat!("`", $route, "`")]
            #[proxy_handler(route = $route)]
            pub async fn $name() -> &'static str {
                stringify!($name)
            }
        )*
        /// The router with every filler route.
        fn with_fillers(router: Router<Page>) -> Result<Router<Page>, RouteError> {
            let router = router;
            $(let router = router.route($name)?;)*
            Ok(router)
        }
        /// The same filler routes in axum.
        fn axum_fillers(router: axum::Router<Page>) -> axum::Router<Page> {
            router$(.route(
                axum_path($route),
                axum_method($route)(|| async { axum::Json(stringify!($name)) }),
            ))*
        }
    };
}

fillers! {
    health = "GET /health";
    version = "GET /version";
    list_users = "GET /users";
    create_user = "POST /users";
    get_user = "GET /users/{id}";
    update_user = "PUT /users/{id}";
    delete_user = "DELETE /users/{id}";
    user_posts = "GET /users/{id}/posts";
    user_post = "GET /users/{id}/posts/{post}";
    list_items = "GET /items";
    create_item = "POST /items";
    update_item = "PATCH /items/{id}";
    delete_item = "DELETE /items/{id}";
    list_orders = "GET /orders";
    create_order = "POST /orders";
    get_order = "GET /orders/{id}";
    cancel_order = "POST /orders/{id}/cancel";
    order_lines = "GET /orders/{id}/lines";
    files = "GET /files/{*path}";
}

/// `GET /items/{id}`: the measured route, the page from the router's state.
#[proxy_handler(route = "GET /items/{id}")]
pub async fn get_item(Path(_id): Path<u64>, State(page): State<Page>) -> Page {
    page
}

/// The twenty routes in lambda-proxy.
///
/// # Panics
///
/// Never: the routes do not conflict (a test would fail first).
pub fn proxy_router(page: Page) -> Router<Page> {
    let router = Router::new().with_state(page);
    let router = with_fillers(router).expect("the routes do not conflict");
    router.route(get_item).expect("the routes do not conflict")
}

/// The twenty routes in axum 0.8, served by `lambda_http` as its docs show
/// (`lambda_http::run(app)`).
pub fn axum_router(page: Page) -> axum::Router {
    async fn get_item(
        axum::extract::Path(_id): axum::extract::Path<u64>,
        axum::extract::State(page): axum::extract::State<Page>,
    ) -> axum::Json<Page> {
        axum::Json(page)
    }
    axum_fillers(axum::Router::new())
        .route("/items/{id}", axum::routing::get(get_item))
        .with_state(page)
}

fn axum_path(route: &'static str) -> &'static str {
    route.split_once(' ').map_or(route, |(_, path)| path)
}

type MethodRouter = axum::routing::MethodRouter<Page>;

fn axum_method<H, T>(route: &str) -> fn(H) -> MethodRouter
where
    H: axum::handler::Handler<T, Page>,
    T: 'static,
{
    match route.split_once(' ').map_or("GET", |(method, _)| method) {
        "POST" => axum::routing::post,
        "PUT" => axum::routing::put,
        "PATCH" => axum::routing::patch,
        "DELETE" => axum::routing::delete,
        _ => axum::routing::get,
    }
}

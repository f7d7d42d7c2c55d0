use lambda_proxy::{proxy_handler, Json};

#[derive(serde::Deserialize)]
struct NewUser {
    name: String,
}

#[proxy_handler(route = "POST /users")]
async fn create(Json(user): Json<NewUser>, raw: String) -> String {
    format!("{} {raw}", user.name)
}

fn main() {}

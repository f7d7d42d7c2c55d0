use lambda_proxy::ResponseError;

#[derive(ResponseError)]
union Bits {
    a: u32,
    b: f32,
}

fn main() {}

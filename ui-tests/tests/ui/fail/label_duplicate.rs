#[perf::monitored(labels(region = "eu", tier = "gold", region = "us"))]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

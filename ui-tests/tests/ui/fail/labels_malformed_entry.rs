#[perf::monitored(labels(region: "eu"))]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

#[perf::monitored(labels(kind = "read", __name__ = "load"))]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

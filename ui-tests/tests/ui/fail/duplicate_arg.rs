#[perf::monitored(calls, latency, calls)]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

#[perf::monitored(latency = 1, nmae = "load", labels(result = "ok"), calls, calls)]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

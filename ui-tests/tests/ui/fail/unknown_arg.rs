#[perf::monitored(sample_rate = 10)]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

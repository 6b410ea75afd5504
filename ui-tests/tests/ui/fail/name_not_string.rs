#[perf::monitored(name = 5)]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

#[perf::monitored(crate = "perf")]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

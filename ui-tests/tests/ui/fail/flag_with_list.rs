#[perf::monitored(errors(Timeout, NotFound))]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

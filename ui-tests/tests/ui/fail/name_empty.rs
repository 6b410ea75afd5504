#[perf::monitored(name = "")]
fn load() -> u32 {
    1
}

#[perf::monitored(component = "  ")]
fn store() {}

fn main() {
    let _ = load();
    store();
}

#[perf::monitored(labels)]
fn load() -> u32 {
    1
}

#[perf::monitored(labels = "region=eu")]
fn store() {}

fn main() {
    let _ = load();
    store();
}

#[perf::monitored(labels(shard = 3, region = eu))]
fn load() -> u32 {
    1
}

fn main() {
    let _ = load();
}

#[perf::monitored]
const fn limit() -> u32 {
    64
}

fn main() {
    let _ = limit();
}

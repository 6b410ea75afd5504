#[perf::monitored(calls, slow = "250ms")]
fn checkout() {}

fn main() {
    checkout();
}

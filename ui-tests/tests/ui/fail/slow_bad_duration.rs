#[perf::monitored(slow = "250 millis")]
fn checkout() {}

fn main() {
    checkout();
}

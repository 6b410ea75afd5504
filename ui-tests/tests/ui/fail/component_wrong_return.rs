#[perf::health_check(component = "db")]
fn database() -> bool {
    true
}

fn main() {}

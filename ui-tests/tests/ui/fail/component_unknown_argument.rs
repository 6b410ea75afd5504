#[perf::health_check(componet = "db")]
fn database() -> perf::Health {
    perf::Health::Healthy
}

fn main() {}

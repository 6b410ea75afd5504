#[perf::health_check(component = "db", component = "cache")]
fn database() -> perf::Health {
    perf::Health::Healthy
}

fn main() {}

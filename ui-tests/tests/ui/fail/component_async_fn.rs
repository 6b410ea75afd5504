#[perf::health_check(component = "db")]
async fn database() -> perf::Health {
    perf::Health::Healthy
}

fn main() {}

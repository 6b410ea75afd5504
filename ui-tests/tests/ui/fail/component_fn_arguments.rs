#[perf::health_check(component = "db")]
fn database(timeout_ms: u64) -> perf::Health {
    let _ = timeout_ms;
    perf::Health::Healthy
}

struct Pool;

impl Pool {
    #[perf::health_check(component = "db")]
    fn check(&self) -> perf::Health {
        perf::Health::Healthy
    }
}

fn main() {}

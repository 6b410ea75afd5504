struct Probe;

impl perf::ComponentHealth for Probe {
    fn health(&self) -> perf::Health {
        perf::Health::Healthy
    }
}

#[perf::health_check(component = "db")]
static mut PROBE: Probe = Probe;

fn main() {}

#[perf::health_check(component = "", name = 5, crate = "perf")]
fn database() -> perf::Health {
    perf::Health::Healthy
}

fn main() {}

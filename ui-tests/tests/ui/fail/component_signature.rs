#[perf::health_check(component = "db")]
fn no_return() {}

#[perf::health_check(component = "db")]
fn generic<T: Default>() -> perf::Health {
    perf::Health::Healthy
}

#[perf::health_check(component = "db")]
unsafe fn unchecked() -> perf::Health {
    perf::Health::Healthy
}

fn main() {}

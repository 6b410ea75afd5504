#[perf::health_check(component = "db")]
struct Database;

fn main() {}

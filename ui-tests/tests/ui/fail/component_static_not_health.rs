#[perf::health_check(component = "db")]
static CONNECTIONS: u32 = 10;

fn main() {}

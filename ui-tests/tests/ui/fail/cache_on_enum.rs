use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
enum Sessions {
    Empty,
    Filled(HashMapCache<u32, String>),
}

fn main() {}

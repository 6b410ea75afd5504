use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(name = "sessions")]
struct Sessions {
    entries: HashMapCache<u32, String>,
}

fn main() {}

use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(store)]
struct Sessions {
    #[cache(store = true, capacity = 10)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

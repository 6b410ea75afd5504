use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
    #[cache(store)]
    backup: HashMapCache<u32, String>,
}

fn main() {}

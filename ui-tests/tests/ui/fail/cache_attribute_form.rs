use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache]
#[cache = "sessions"]
#[cache(name, capacity(10))]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

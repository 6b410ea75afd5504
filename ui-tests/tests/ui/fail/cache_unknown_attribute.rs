use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(nmae = "sessions", eviction = "lru")]
struct Sessions {
    #[cache(stor)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

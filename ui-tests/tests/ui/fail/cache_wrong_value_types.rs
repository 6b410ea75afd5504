use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(
    name = 5,
    capacity = "big",
    weigher = "len",
    target_hit_rate = "high",
    target_latency = 10,
    crate = "perf_cache"
)]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

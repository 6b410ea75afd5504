use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(name = "", target_hit_rate = 1.5, target_latency = "10 minutes")]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

#[derive(MonitoredCache)]
#[cache(target_hit_rate = 0, target_latency = "0ms")]
struct Logins {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

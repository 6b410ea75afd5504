use perf_cache::{HashMapCache, MonitoredCache};

#[derive(MonitoredCache)]
#[cache(name = "sessions", capacity = 10)]
#[cache(name = "logins")]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

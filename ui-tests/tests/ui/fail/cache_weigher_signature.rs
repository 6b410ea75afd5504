use perf_cache::{HashMapCache, MonitoredCache};

fn weigh(name: &String) -> usize {
    name.len()
}

#[derive(MonitoredCache)]
#[cache(capacity = 1024, weigher = weigh)]
struct Sessions {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
}

fn main() {}

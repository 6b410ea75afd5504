use std::collections::HashMap;

use perf_cache::MonitoredCache;

#[derive(MonitoredCache)]
struct Sessions {
    #[cache(store)]
    entries: HashMap<u32, String>,
}

fn main() {}

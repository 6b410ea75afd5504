use perf_cache::MonitoredCache;

#[derive(MonitoredCache)]
union Slots {
    small: u32,
    large: u64,
}

fn main() {}

//! Every attribute of `#[derive(MonitoredCache)]`: the store is built from them, and the
//! cache is listed in the snapshot before it is used.

use perf_cache::{CacheDefinition, HashMapCache, MonitoredCache};

const KIB: u64 = 1024;

fn weigh(_key: &u32, value: &String) -> u64 {
    value.len() as u64
}

#[derive(MonitoredCache)]
#[cache(name = "ui_profiles", capacity = 4 * KIB, weigher = weigh, target_hit_rate = 0.95, target_latency = "250us")]
struct Profiles {
    #[cache(store)]
    entries: HashMapCache<u32, String>,
    #[allow(dead_code)]
    region: &'static str,
}

fn main() {
    let listed = perf::snapshot().collectors.iter().any(|collector| collector.name == "ui_profiles");
    assert!(listed, "the cache is registered before any instance exists");

    let profiles = Profiles { entries: Profiles::new_store(), region: "eu" };
    profiles.entries.insert(1, "x".repeat(100));
    assert_eq!(profiles.entries.get(&1).map(|value| value.len()), Some(100));

    let stats = profiles.stats();
    assert_eq!(stats.capacity, Some(4096));
    assert_eq!(stats.weighted_size, 100);
    assert_eq!(stats.hits, 1);
    assert_eq!(profiles.cache_name(), "ui_profiles");

    let policy = profiles.health_policy();
    assert_eq!(policy.target_hit_rate(), 0.95);
    assert_eq!(policy.target_latency(), std::time::Duration::from_micros(250));
}

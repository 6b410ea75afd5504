struct Store;

#[perf::monitored]
impl Store {
    fn load(&self) -> u32 {
        1
    }

    #[monitored(skip, latency, name = "store.reset")]
    fn reset(&mut self) {}
}

fn main() {
    let mut store = Store;
    let _ = store.load();
    store.reset();
}

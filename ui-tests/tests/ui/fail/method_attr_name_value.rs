struct Store;

#[perf::monitored]
impl Store {
    #[monitored = "fast"]
    fn load(&self) -> u32 {
        1
    }
}

fn main() {
    let _ = Store.load();
}

struct Store;

#[perf::monitored(name = "store")]
impl Store {
    fn load(&self) -> u32 {
        1
    }
}

fn main() {
    let _ = Store.load();
}

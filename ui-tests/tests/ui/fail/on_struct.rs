/// A store.
#[perf::monitored]
pub struct Store {
    items: Vec<u32>,
}

fn main() {
    let store = Store { items: Vec::new() };
    let _ = store.items;
}

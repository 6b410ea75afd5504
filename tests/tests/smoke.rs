use std::sync::Arc;

#[derive(Debug, perf::ErrorKind)]
enum FetchError {
    Timeout,
    #[allow(dead_code)]
    NotFound(String),
}

#[perf::monitored]
fn fetch(key: u32) -> Result<u32, FetchError> {
    match key {
        0 => Err(FetchError::Timeout),
        1 => Err(FetchError::NotFound("x".into())),
        _ => Ok(key),
    }
}

struct Store {
    items: Vec<String>,
}

#[perf::monitored]
impl Store {
    fn first(&self) -> Option<&str> {
        self.items.first().map(String::as_str)
    }

    fn push(&mut self, item: &str) -> &mut Vec<String> {
        self.items.push(item.to_owned());
        &mut self.items
    }

    fn shared(self: Arc<Self>) -> usize {
        self.items.len()
    }

    #[monitored(skip)]
    fn hidden(&self) {}

    fn iter(&self) -> impl Iterator<Item = &String> + '_ {
        self.items.iter()
    }
}

#[test]
fn smoke() {
    fetch(0).unwrap_err();
    fetch(1).unwrap_err();
    fetch(5).unwrap();
    let site = perf::site("smoke::fetch").unwrap();
    assert_eq!(site.calls, 3);
    assert_eq!(site.errors, 2);
    assert_eq!(site.errors_by_kind.get("Timeout"), Some(&1));
    assert_eq!(site.errors_by_kind.get("NotFound"), Some(&1));

    let mut store = Store { items: vec![] };
    store.push("a");
    assert_eq!(store.first(), Some("a"));
    assert_eq!(store.iter().count(), 1);
    store.hidden();
    assert_eq!(Arc::new(store).shared(), 1);
    let names: Vec<_> = perf::sites().iter().map(|s| s.name).collect();
    assert!(names.contains(&"smoke::Store::first"));
    assert!(!names.contains(&"smoke::Store::hidden"));
}

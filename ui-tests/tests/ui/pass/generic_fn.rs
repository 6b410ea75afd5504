//! A generic function or method has one site for all its instantiations: the `static` inside
//! it is shared, whatever the type parameters.

use std::collections::BTreeMap;
use std::str::FromStr;

use perf_ui_tests::{site, site_names};

#[perf::monitored]
fn largest<T: PartialOrd + Copy>(items: &[T]) -> Option<T> {
    items.iter().copied().fold(None, |max, item| match max {
        Some(max) if max >= item => Some(max),
        _ => Some(item),
    })
}

#[perf::monitored]
fn parse_all<T>(texts: &[&str]) -> Result<Vec<T>, T::Err>
where
    T: FromStr,
{
    texts.iter().map(|text| text.parse()).collect()
}

struct Stack<T> {
    items: Vec<T>,
}

#[perf::monitored]
impl<T: Clone> Stack<T> {
    fn push(&mut self, item: T) {
        self.items.push(item);
    }

    fn peek(&self) -> Option<T> {
        self.items.last().cloned()
    }

    fn map<U, F: Fn(&T) -> U>(&self, convert: F) -> Vec<U> {
        self.items.iter().map(convert).collect()
    }
}

fn main() {
    assert_eq!(largest(&[3, 9, 4]), Some(9));
    assert_eq!(largest(&[0.5, -1.0]), Some(0.5));
    assert_eq!(largest::<char>(&[]), None);

    assert_eq!(parse_all::<u8>(&["1", "2"]), Ok(vec![1, 2]));
    assert!(parse_all::<u8>(&["1", "300"]).is_err());
    assert!(parse_all::<f32>(&["x"]).is_err());

    let mut numbers = Stack { items: Vec::new() };
    numbers.push(1u8);
    numbers.push(2u8);
    let mut words = Stack { items: Vec::new() };
    words.push("top".to_owned());
    assert_eq!(numbers.peek(), Some(2));
    assert_eq!(words.peek().as_deref(), Some("top"));
    assert_eq!(words.map(String::len), vec![3]);

    let largest = site(concat!(module_path!(), "::largest"));
    assert_eq!(largest.calls, 3);
    assert_eq!(largest.errors, 0);

    let parse_all = site(concat!(module_path!(), "::parse_all"));
    assert_eq!(parse_all.calls, 3);
    assert_eq!(parse_all.errors_by_kind, BTreeMap::from([("error".to_owned(), 2)]));

    assert_eq!(site(concat!(module_path!(), "::Stack::push")).calls, 3);
    assert_eq!(site(concat!(module_path!(), "::Stack::peek")).calls, 2);
    assert_eq!(site(concat!(module_path!(), "::Stack::map")).calls, 1);

    let expected = [
        concat!(module_path!(), "::Stack::map"),
        concat!(module_path!(), "::Stack::peek"),
        concat!(module_path!(), "::Stack::push"),
        concat!(module_path!(), "::largest"),
        concat!(module_path!(), "::parse_all"),
    ];
    assert_eq!(site_names(), expected);
}

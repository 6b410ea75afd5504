//! `#[perf::monitored]` on functions returning `impl Trait`, which the macro cannot name
//! inside the body, in return position alone and nested in a `Result`.

use std::fmt::Display;

use perf_ui_tests::site;

#[perf::monitored]
fn evens(limit: u32) -> impl Iterator<Item = u32> {
    (0..limit).filter(|number| number % 2 == 0)
}

#[perf::monitored]
fn adder(step: u32) -> impl Fn(u32) -> u32 {
    move |number| number + step
}

#[perf::monitored]
fn checked_label(value: i32) -> Result<impl Display, String> {
    if value < 0 {
        return Err(format!("{value} is negative"));
    }
    Ok(format!("#{value}"))
}

#[perf::monitored]
async fn squares(limit: u32) -> impl Iterator<Item = u32> {
    (1..=limit).map(|number| number * number)
}

struct Names(Vec<String>);

#[perf::monitored]
impl Names {
    fn starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.0.iter().filter(move |name| name.starts_with(prefix))
    }
}

fn main() {
    assert_eq!(evens(7).collect::<Vec<_>>(), [0, 2, 4, 6]);
    assert_eq!(adder(5)(1), 6);
    assert_eq!(checked_label(3).map(|label| label.to_string()), Ok("#3".to_owned()));
    assert!(checked_label(-3).is_err());
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime builds");
    assert_eq!(runtime.block_on(squares(3)).sum::<u32>(), 14);
    let names = Names(vec!["ada".to_owned(), "alan".to_owned(), "grace".to_owned()]);
    assert_eq!(names.starting_with("a").count(), 2);

    assert_eq!(site(concat!(module_path!(), "::evens")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::adder")).calls, 1);
    let label = site(concat!(module_path!(), "::checked_label"));
    assert_eq!(label.calls, 2);
    assert_eq!(label.errors, 1);
    assert_eq!(site(concat!(module_path!(), "::squares")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::Names::starting_with")).calls, 1);
}

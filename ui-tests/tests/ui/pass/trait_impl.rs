//! `#[perf::monitored]` on methods of a trait impl, one at a time or on the whole impl block,
//! and on a provided method of a trait.

use perf_ui_tests::{site, site_names};

trait Shape {
    fn area(&self) -> f64;
    fn scale(&mut self, factor: f64);
    fn sides() -> u32;

    #[perf::monitored]
    fn describe(&self) -> String {
        format!("{} sides, area {}", Self::sides(), self.area())
    }
}

struct Square(f64);

impl Shape for Square {
    #[perf::monitored]
    fn area(&self) -> f64 {
        self.0 * self.0
    }

    #[perf::monitored(calls)]
    fn scale(&mut self, factor: f64) {
        self.0 *= factor;
    }

    fn sides() -> u32 {
        4
    }
}

struct Triangle {
    base: f64,
    height: f64,
}

#[perf::monitored]
impl Shape for Triangle {
    fn area(&self) -> f64 {
        self.base * self.height / 2.0
    }

    fn scale(&mut self, factor: f64) {
        self.base *= factor;
        self.height *= factor;
    }

    fn sides() -> u32 {
        3
    }
}

fn main() {
    let mut square = Square(2.0);
    square.scale(1.5);
    assert_eq!(square.area(), 9.0);
    assert_eq!(square.describe(), "4 sides, area 9");

    let mut triangle = Triangle { base: 4.0, height: 3.0 };
    triangle.scale(2.0);
    assert_eq!(triangle.area(), 24.0);
    assert_eq!(Triangle::sides(), 3);
    assert_eq!(triangle.describe(), "3 sides, area 24");

    assert_eq!(site(concat!(module_path!(), "::area")).calls, 2);
    assert_eq!(site(concat!(module_path!(), "::scale")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::describe")).calls, 2);
    assert_eq!(site(concat!(module_path!(), "::Triangle::area")).calls, 2);
    assert_eq!(site(concat!(module_path!(), "::Triangle::scale")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::Triangle::sides")).calls, 2);

    let expected = [
        concat!(module_path!(), "::Triangle::area"),
        concat!(module_path!(), "::Triangle::scale"),
        concat!(module_path!(), "::Triangle::sides"),
        concat!(module_path!(), "::area"),
        concat!(module_path!(), "::describe"),
        concat!(module_path!(), "::scale"),
    ];
    assert_eq!(site_names(), expected);
}

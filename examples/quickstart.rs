//! A few monitored functions run for a moment, then a table printed from `perf::snapshot()`.
//!
//! Run with `cargo run --release --example quickstart`.

use std::time::{Duration, Instant};

#[derive(Debug, perf::ErrorKind)]
enum ParseError {
    Empty,
    NotANumber,
}

/// A sync, fallible function: errors are counted by variant.
#[perf::monitored]
fn parse_quantity(text: &str) -> Result<u32, ParseError> {
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    text.parse().map_err(|_| ParseError::NotANumber)
}

/// An async function: latency runs until the future completes.
#[perf::monitored(latency, errors, in_flight)]
async fn fetch_price(item: u32) -> Result<u64, String> {
    tokio::time::sleep(Duration::from_micros(200 + u64::from(item % 5) * 100)).await;
    if item.is_multiple_of(17) {
        return Err(format!("no price for item {item}"));
    }
    Ok(u64::from(item) * 3)
}

struct Cart {
    lines: Vec<(u32, u32)>,
}

/// Every method of the block is a site named `quickstart::Cart::<method>`.
#[perf::monitored]
impl Cart {
    fn add(&mut self, item: u32, quantity: u32) {
        self.lines.push((item, quantity));
    }

    fn total_quantity(&self) -> u32 {
        self.lines.iter().map(|(_, quantity)| quantity).sum()
    }

    #[monitored(skip)]
    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A method instrumented on its own, with a custom name and a label.
impl Cart {
    #[perf::monitored(name = "quickstart::checkout", labels(tier = "gold"))]
    fn checkout(&mut self) -> Result<u32, String> {
        if self.is_empty() {
            return Err("empty cart".to_owned());
        }
        let total = self.total_quantity();
        self.lines.clear();
        Ok(total)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let inputs = ["3", "", "12", "x", "7", "40"];
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut round = 0u32;
    while Instant::now() < deadline {
        round += 1;
        let mut cart = Cart { lines: Vec::new() };
        for (index, text) in inputs.iter().enumerate() {
            if let Ok(quantity) = parse_quantity(text) {
                cart.add(round + index as u32, quantity);
            }
        }
        let _ = fetch_price(round).await;
        let _ = cart.checkout();
        let _ = Cart { lines: Vec::new() }.checkout();
    }

    print_table(&perf::snapshot());
}

#[allow(clippy::print_stdout)]
fn print_table(snapshot: &perf::Snapshot) {
    println!("{:<34} {:>8} {:>7} {:>9} {:>9} {:>9}  errors by kind", "site", "calls", "errors", "p50", "p99", "max");
    for site in &snapshot.sites {
        let (p50, p99, max) = match &site.latency {
            Some(latency) => (format_nanos(latency.p50), format_nanos(latency.p99), format_nanos(latency.max)),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let kinds: Vec<String> = site.errors_by_kind.iter().map(|(kind, count)| format!("{kind}={count}")).collect();
        println!(
            "{:<34} {:>8} {:>7} {:>9} {:>9} {:>9}  {}",
            site.name,
            site.calls,
            site.errors,
            p50,
            p99,
            max,
            kinds.join(" ")
        );
    }
}

fn format_nanos(nanos: u64) -> String {
    match nanos {
        0..=999 => format!("{nanos}ns"),
        1_000..=999_999 => format!("{:.1}µs", nanos as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}ms", nanos as f64 / 1e6),
        _ => format!("{:.2}s", nanos as f64 / 1e9),
    }
}

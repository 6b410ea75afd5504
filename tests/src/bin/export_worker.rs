//! A worker process for the merge test: does a known share of some work, then writes perf's
//! JSON export of its state to a file.
//!
//! Usage: `export_worker FIRST END OUTPUT` handles the items `FIRST..END`.

use std::ops::Range;
use std::process::ExitCode;

#[derive(Debug, perf::ErrorKind)]
enum ParseError {
    Empty,
    TooLarge,
}

#[perf::monitored(latency, errors)]
fn parse(item: u32) -> Result<u32, ParseError> {
    match item % 50 {
        0 => Err(ParseError::Empty),
        49 => Err(ParseError::TooLarge),
        _ => Ok(item),
    }
}

fn work(items: Range<u32>) {
    let sizes = perf::histogram!("item_size_bytes");
    for item in items {
        let _ = parse(item);
        // Sizes spread over many buckets, from a few bytes to megabytes.
        sizes.record(u64::from(item).pow(3) % 5_000_000 + 1);
        perf::counter!("items_processed").increment();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, first, end, output] = args.as_slice() else {
        eprintln!("usage: export_worker FIRST END OUTPUT");
        return ExitCode::from(2);
    };
    let (Ok(first), Ok(end)) = (first.parse(), end.parse()) else {
        eprintln!("FIRST and END must be integers, got {first:?} and {end:?}");
        return ExitCode::from(2);
    };

    work(first..end);
    if let Err(error) = std::fs::write(output, perf::export::to_json(&perf::snapshot())) {
        eprintln!("failed to write {output}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

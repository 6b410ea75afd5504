use perf::ErrorKind;

#[derive(Debug, perf::ErrorKind)]
#[error_kind(name = "")]
struct QuotaExceeded;

#[derive(Debug, perf::ErrorKind)]
enum FetchError {
    #[error_kind(name = 408)]
    Timeout,
}

fn main() {
    let _ = QuotaExceeded.error_kind();
    let _ = FetchError::Timeout.error_kind();
}

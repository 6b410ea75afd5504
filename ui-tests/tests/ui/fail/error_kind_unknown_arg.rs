use perf::ErrorKind;

#[derive(Debug, perf::ErrorKind)]
enum FetchError {
    #[error_kind(label = "timeout")]
    Timeout,
    NotFound,
}

fn main() {
    let _ = FetchError::Timeout.error_kind();
    let _ = FetchError::NotFound.error_kind();
}

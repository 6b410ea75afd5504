use perf::ErrorKind;

#[derive(perf::ErrorKind)]
union Failure {
    code: u32,
    ratio: f32,
}

fn main() {
    let failure = Failure { code: 1 };
    let _ = failure.error_kind();
}

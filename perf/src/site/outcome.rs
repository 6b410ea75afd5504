//! How a monitored call's return value is classified as a success or an error.
//!
//! The macro checks, in this order: does the return type implement [`Classify`]? Is it a
//! `Result` whose error implements [`ErrorKind`]? Is it any other `Result`? Anything else is a
//! success. The order is resolved at compile time by method resolution on references of
//! decreasing depth ("autoref specialization"), so classification costs one branch on the
//! `Result` discriminant. Inside a generic function whose return type is a type parameter the
//! compiler cannot see these impls, so the value counts as a success.

/// The classification of one completed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded.
    Success,
    /// The call failed; the string is the error kind counted in the snapshot.
    Error(&'static str),
}

/// Lets a return type decide whether a call failed, for types other than `Result`.
///
/// ```
/// use perf::{Classify, Outcome};
///
/// struct Status(u16);
///
/// impl Classify for Status {
///     fn classify(&self) -> Outcome {
///         if self.0 >= 500 { Outcome::Error("server") } else { Outcome::Success }
///     }
/// }
///
/// #[perf::monitored]
/// fn handle() -> Status {
///     Status(503)
/// }
///
/// handle();
/// let site = perf::site(concat!(module_path!(), "::handle")).unwrap();
/// assert_eq!(site.errors, 1);
/// ```
pub trait Classify {
    /// Returns the outcome this value stands for.
    fn classify(&self) -> Outcome;
}

/// Names the kind of an error, so that errors are counted by kind: by variant name for an
/// enum with `#[derive(perf::ErrorKind)]`.
///
/// ```
/// #[derive(Debug, perf::ErrorKind)]
/// enum FetchError {
///     Timeout,
///     NotFound { path: String },
/// }
///
/// use perf::ErrorKind;
/// assert_eq!(FetchError::Timeout.error_kind(), "Timeout");
/// ```
pub trait ErrorKind {
    /// Returns the kind of this error, a short static name such as `"Timeout"`.
    fn error_kind(&self) -> &'static str;
}

/// Kind counted for an `Err` whose type does not implement [`ErrorKind`].
pub const DEFAULT_ERROR_KIND: &str = "error";

/// Kind counted for a panic inside a monitored call.
pub const PANIC_ERROR_KIND: &str = "panic";

#[doc(hidden)]
#[derive(Debug)]
pub struct Probe<'a, T: ?Sized>(pub &'a T);

impl<T: ?Sized> Clone for Probe<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Probe<'_, T> {}

#[doc(hidden)]
pub trait ClassifyByTrait {
    fn __perf_outcome(&self) -> Outcome;
}

impl<T: Classify + ?Sized> ClassifyByTrait for &&Probe<'_, T> {
    #[inline(always)]
    fn __perf_outcome(&self) -> Outcome {
        self.0.classify()
    }
}

#[doc(hidden)]
pub trait ClassifyKindedResult {
    fn __perf_outcome(&self) -> Outcome;
}

impl<T, E: ErrorKind> ClassifyKindedResult for &Probe<'_, Result<T, E>> {
    #[inline(always)]
    fn __perf_outcome(&self) -> Outcome {
        match self.0 {
            Ok(_) => Outcome::Success,
            Err(error) => Outcome::Error(error.error_kind()),
        }
    }
}

#[doc(hidden)]
pub trait ClassifyResult {
    fn __perf_outcome(&self) -> Outcome;
}

impl<T, E> ClassifyResult for Probe<'_, Result<T, E>> {
    #[inline(always)]
    fn __perf_outcome(&self) -> Outcome {
        match self.0 {
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Error(DEFAULT_ERROR_KIND),
        }
    }
}

#[doc(hidden)]
pub trait ClassifyAny {
    fn __perf_outcome(self) -> Outcome;
}

impl<T: ?Sized> ClassifyAny for Probe<'_, T> {
    #[inline(always)]
    fn __perf_outcome(self) -> Outcome {
        Outcome::Success
    }
}

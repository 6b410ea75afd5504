//! `#[perf::monitored]` on `unsafe fn`, free and inside a monitored impl block, and on an
//! `extern "C"` function.

use perf_ui_tests::site;

/// # Safety
///
/// `values` must point to at least `index + 1` initialized `u32` values.
#[perf::monitored]
unsafe fn read_at(values: *const u32, index: usize) -> u32 {
    // SAFETY: the caller guarantees that `values + index` is in bounds and initialized.
    unsafe { *values.add(index) }
}

#[perf::monitored]
extern "C" fn double(value: u32) -> u32 {
    value * 2
}

struct Bytes(Vec<u8>);

#[perf::monitored]
impl Bytes {
    /// # Safety
    ///
    /// `index` must be less than the number of bytes.
    unsafe fn get_unchecked(&self, index: usize) -> u8 {
        // SAFETY: the caller guarantees that `index` is in bounds.
        unsafe { *self.0.get_unchecked(index) }
    }
}

fn main() {
    let values = [4u32, 5, 6];
    // SAFETY: indexes 0 and 2 are within the three values.
    let (first, last) = unsafe { (read_at(values.as_ptr(), 0), read_at(values.as_ptr(), 2)) };
    assert_eq!((first, last), (4, 6));
    assert_eq!(double(21), 42);
    let bytes = Bytes(vec![7, 8]);
    // SAFETY: index 1 is within the two bytes.
    assert_eq!(unsafe { bytes.get_unchecked(1) }, 8);

    assert_eq!(site(concat!(module_path!(), "::read_at")).calls, 2);
    assert_eq!(site(concat!(module_path!(), "::double")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::Bytes::get_unchecked")).calls, 1);
}

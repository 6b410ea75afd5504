/// Aligns its value to 128 bytes, the prefetch pair of a modern x86 or the line of an Apple
/// core, so that neighbouring shards never share a cache line.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct Padded<T>(pub(crate) T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}

//! The log-linear bucket layout shared by every histogram.
//!
//! Values below 256 get a bucket each. Above, every power of two `[2^e, 2^(e+1))` is split into
//! 128 equal buckets, so a bucket is at most 1/128 (0.78%) of its lower bound wide. This is the
//! layout of an HdrHistogram with two significant digits, so a bucket folds into exactly one
//! `hdrhistogram` bucket and a quantile read back from it is within 0.78% of the true value.
//!
//! Buckets are grouped in blocks of 128: block 0 holds 0..128, block 1 holds 128..256, and
//! block `b >= 2` holds the octave `e = b + 6`. Values of 2^45 ns (about 9.8 hours) and above
//! are counted in the last bucket.

/// Buckets in one block (one octave above 256).
pub(crate) const BLOCK_LEN: usize = 128;

/// Number of blocks: octaves up to `2^45`.
pub(crate) const BLOCKS: usize = 39;

/// The largest value recorded exactly into its own bucket range; larger values are clamped.
pub(crate) const MAX_TRACKABLE: u64 = (1 << 45) - 1;

/// Returns `(block, slot)` of the bucket that counts `value`.
#[inline(always)]
pub(crate) fn locate(value: u64) -> (usize, usize) {
    let value = if value > MAX_TRACKABLE { MAX_TRACKABLE } else { value };
    if value < BLOCK_LEN as u64 {
        return (0, value as usize);
    }

    let exponent = 63 - value.leading_zeros();
    let shift = exponent - 7;
    let slot = ((value >> shift) as usize) - BLOCK_LEN;
    ((exponent - 6) as usize, slot)
}

/// Returns the lowest value counted by the bucket at `(block, slot)`.
pub(crate) fn lowest_value(block: usize, slot: usize) -> u64 {
    if block == 0 {
        return slot as u64;
    }

    let shift = block as u32 - 1;
    ((BLOCK_LEN + slot) as u64) << shift
}

/// Returns the highest value counted by the bucket at `(block, slot)`.
pub(crate) fn highest_value(block: usize, slot: usize) -> u64 {
    if block == 0 {
        return slot as u64;
    }

    let shift = block as u32 - 1;
    (((BLOCK_LEN + slot + 1) as u64) << shift) - 1
}

/// Flat index of a bucket, for sparse copies of a histogram.
#[inline]
pub(crate) fn flat_index(block: usize, slot: usize) -> u16 {
    (block * BLOCK_LEN + slot) as u16
}

/// Inverse of [`flat_index`].
#[inline]
pub(crate) fn split_index(index: u16) -> (usize, usize) {
    let index = index as usize;
    (index / BLOCK_LEN, index % BLOCK_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact() {
        for value in 0..256 {
            let (block, slot) = locate(value);
            assert_eq!(lowest_value(block, slot), value);
            assert_eq!(highest_value(block, slot), value);
        }
    }

    #[test]
    fn every_value_falls_inside_its_bucket() {
        let mut value = 1u64;
        while value < MAX_TRACKABLE {
            for probe in [value - 1, value, value + 1, value + value / 3] {
                let (block, slot) = locate(probe);
                assert!(block < BLOCKS, "block {block} of {probe}");
                assert!(lowest_value(block, slot) <= probe, "low bound of {probe}");
                assert!(highest_value(block, slot) >= probe, "high bound of {probe}");
            }
            value = value * 3 / 2 + 1;
        }
    }

    #[test]
    fn bucket_width_is_below_one_percent() {
        for block in 2..BLOCKS {
            for slot in 0..BLOCK_LEN {
                let low = lowest_value(block, slot);
                let width = highest_value(block, slot) - low + 1;
                assert!(width * 128 <= low, "bucket ({block}, {slot}) is {width} wide at {low}");
            }
        }
    }

    #[test]
    fn huge_values_are_clamped() {
        assert_eq!(locate(u64::MAX), locate(MAX_TRACKABLE));
        assert_eq!(locate(MAX_TRACKABLE).0, BLOCKS - 1);
    }

    #[test]
    fn flat_index_round_trips() {
        for block in 0..BLOCKS {
            for slot in [0, 1, 127] {
                assert_eq!(split_index(flat_index(block, slot)), (block, slot));
            }
        }
    }
}

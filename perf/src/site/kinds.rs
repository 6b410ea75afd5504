//! Per-site error counts by kind, without a lock.
//!
//! A site has a few slots, each claimed by the first error of a new kind. A thread that finds a
//! slot being claimed moves on instead of waiting, so the same kind can end up in two slots.
//! Readers add those together. Kinds past the last slot are counted as `other`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicU8, AtomicUsize, Ordering};

const SLOTS: usize = 8;

/// Kind under which errors are counted once every slot is taken.
pub const OVERFLOW_ERROR_KIND: &str = "other";

const EMPTY: u8 = 0;
const CLAIMING: u8 = 1;
const READY: u8 = 2;

#[derive(Debug)]
pub(crate) struct ErrorKinds {
    slots: [KindSlot; SLOTS],
    overflow: AtomicU64,
}

#[derive(Debug)]
struct KindSlot {
    state: AtomicU8,
    name: AtomicPtr<u8>,
    name_len: AtomicUsize,
    count: AtomicU64,
}

impl ErrorKinds {
    pub(crate) const fn new() -> Self {
        ErrorKinds { slots: [const { KindSlot::new() }; SLOTS], overflow: AtomicU64::new(0) }
    }

    pub(crate) fn count(&self, kind: &'static str) {
        for slot in &self.slots {
            match slot.state.load(Ordering::Acquire) {
                READY if slot.name() == kind => {
                    slot.count.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                EMPTY if slot.claim(kind) => {
                    slot.count.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                _ => continue,
            }
        }
        self.overflow.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn read(&self) -> BTreeMap<String, u64> {
        let mut kinds = BTreeMap::new();
        for slot in &self.slots {
            if slot.state.load(Ordering::Acquire) == READY {
                *kinds.entry(slot.name().to_owned()).or_insert(0) += slot.count.load(Ordering::Relaxed);
            }
        }

        let overflow = self.overflow.load(Ordering::Relaxed);
        if overflow > 0 {
            *kinds.entry(OVERFLOW_ERROR_KIND.to_owned()).or_insert(0) += overflow;
        }
        kinds
    }
}

impl KindSlot {
    const fn new() -> Self {
        KindSlot {
            state: AtomicU8::new(EMPTY),
            name: AtomicPtr::new(std::ptr::null_mut()),
            name_len: AtomicUsize::new(0),
            count: AtomicU64::new(0),
        }
    }

    fn claim(&self, kind: &'static str) -> bool {
        let claimed = self.state.compare_exchange(EMPTY, CLAIMING, Ordering::Acquire, Ordering::Relaxed);
        if claimed.is_err() {
            return false;
        }

        self.name.store(kind.as_ptr().cast_mut(), Ordering::Relaxed);
        self.name_len.store(kind.len(), Ordering::Relaxed);
        self.state.store(READY, Ordering::Release);
        true
    }

    /// Reads the name of a slot in the `READY` state.
    fn name(&self) -> &'static str {
        let pointer = self.name.load(Ordering::Relaxed);
        let len = self.name_len.load(Ordering::Relaxed);
        // SAFETY: the caller saw `READY` with acquire ordering, which the claiming thread
        // stored with release ordering after writing both halves of a `&'static str`, so
        // `pointer` and `len` describe a valid UTF-8 string that lives forever.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(pointer, len)) }
    }
}

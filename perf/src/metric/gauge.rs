use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// An integer value that goes up and down: queue length, open connections.
///
/// ```
/// let gauge = perf::Gauge::new();
/// gauge.set(10);
/// gauge.decrement();
/// assert_eq!(gauge.value(), 9);
/// ```
#[derive(Debug, Default)]
pub struct Gauge {
    value: AtomicI64,
}

/// A floating-point value that goes up and down: temperature, a ratio, a load average.
///
/// ```
/// let gauge = perf::FloatGauge::new();
/// gauge.set(0.5);
/// gauge.add(0.25);
/// assert_eq!(gauge.value(), 0.75);
/// ```
#[derive(Debug, Default)]
pub struct FloatGauge {
    bits: AtomicU64,
}

impl Gauge {
    /// Creates a gauge at zero.
    pub const fn new() -> Self {
        Gauge { value: AtomicI64::new(0) }
    }

    /// Sets the value.
    #[inline]
    pub fn set(&self, value: i64) {
        self.value.store(value, Ordering::Relaxed);
    }

    /// Adds `delta`, which may be negative.
    #[inline]
    pub fn add(&self, delta: i64) {
        self.value.fetch_add(delta, Ordering::Relaxed);
    }

    /// Adds one.
    #[inline]
    pub fn increment(&self) {
        self.add(1);
    }

    /// Subtracts one.
    #[inline]
    pub fn decrement(&self) {
        self.add(-1);
    }

    /// Returns the current value.
    pub fn value(&self) -> i64 {
        self.value.load(Ordering::Relaxed)
    }
}

impl FloatGauge {
    /// Creates a gauge at `0.0`.
    pub const fn new() -> Self {
        FloatGauge { bits: AtomicU64::new(0) }
    }

    /// Sets the value.
    #[inline]
    pub fn set(&self, value: f64) {
        self.bits.store(value.to_bits(), Ordering::Relaxed);
    }

    /// Adds `delta`, which may be negative.
    pub fn add(&self, delta: f64) {
        let _ = self
            .bits
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| Some((f64::from_bits(bits) + delta).to_bits()));
    }

    /// Returns the current value.
    pub fn value(&self) -> f64 {
        f64::from_bits(self.bits.load(Ordering::Relaxed))
    }
}

//! Clocks for telemetry. The audio thread reads a clock only while telemetry is switched on;
//! the [`Clock`] trait lets a test swap in a [`CountingClock`] and prove that it is never read
//! while telemetry is off.

use std::cell::Cell;
use std::time::Instant;

/// A monotonic time source in nanoseconds from an arbitrary origin.
pub trait Clock {
    /// Nanoseconds since this clock's origin. Must be cheap and make no system call on the
    /// platforms Octolane ships for (see [`MonotonicClock`]).
    fn now_ns(&self) -> u64;
}

/// The real clock: `std::time::Instant`, i.e. `clock_gettime(CLOCK_MONOTONIC)`, which Linux
/// serves from the vDSO without entering the kernel when the clock source is the TSC (the
/// host test `no_syscalls` checks this on the machine it runs on).
#[derive(Clone, Copy, Debug)]
pub struct MonotonicClock {
    origin: Instant,
}

impl MonotonicClock {
    /// A clock whose origin is now. Not realtime (call it off the audio thread).
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for MonotonicClock {
    #[inline]
    fn now_ns(&self) -> u64 {
        // 2^64 ns is 584 years: the cast cannot truncate in practice.
        self.origin.elapsed().as_nanos() as u64
    }
}

/// A fake clock for tests: counts its reads and advances by a fixed step on each one.
#[derive(Debug, Default)]
pub struct CountingClock {
    reads: Cell<u64>,
    step_ns: u64,
}

impl CountingClock {
    /// A clock that starts at 0 and advances `step_ns` per read.
    pub fn new(step_ns: u64) -> Self {
        Self {
            reads: Cell::new(0),
            step_ns,
        }
    }

    /// How many times the clock has been read.
    pub fn reads(&self) -> u64 {
        self.reads.get()
    }
}

impl Clock for CountingClock {
    fn now_ns(&self) -> u64 {
        let n = self.reads.get();
        self.reads.set(n + 1);
        n * self.step_ns
    }
}

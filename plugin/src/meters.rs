//! Audio → editor telemetry that fits in atomics: written once per block by the audio thread.

use atomic_float::AtomicF32;
use std::sync::atomic::{AtomicU32, Ordering};

/// Output peak levels and the sounding-voice count, published once per block.
#[derive(Default)]
pub struct Meters {
    /// Peak of the left output over the last block, linear.
    pub peak_left: AtomicF32,
    /// Peak of the right output over the last block, linear.
    pub peak_right: AtomicF32,
    /// Lanes (voices) sounding at the end of the last block.
    pub voices: AtomicU32,
}

impl Meters {
    /// Publish one block's figures. Wait-free.
    pub fn publish(&self, peak_left: f32, peak_right: f32, voices: u32) {
        self.peak_left.store(peak_left, Ordering::Relaxed);
        self.peak_right.store(peak_right, Ordering::Relaxed);
        self.voices.store(voices, Ordering::Relaxed);
    }
}

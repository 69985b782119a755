//! Audio → editor telemetry that fits in atomics: written once per block by the audio thread.

use atomic_float::AtomicF32;
use std::sync::atomic::{AtomicU32, Ordering};

/// Output peak levels and the sounding-voice count. Peaks accumulate (maximum) over every
/// process call until the editor takes them, so sub-blocks split at automation points and
/// blocks between two editor frames are all seen.
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
    /// Publish one block's figures. Lock-free (a compare-and-swap loop on each peak).
    pub fn publish(&self, peak_left: f32, peak_right: f32, voices: u32) {
        self.peak_left.fetch_max(peak_left, Ordering::Relaxed);
        self.peak_right.fetch_max(peak_right, Ordering::Relaxed);
        self.voices.store(voices, Ordering::Relaxed);
    }

    /// Take the peaks accumulated since the last call (left, right) and start over. For the
    /// editor thread.
    pub fn take_peaks(&self) -> (f32, f32) {
        (
            self.peak_left.swap(0.0, Ordering::Relaxed),
            self.peak_right.swap(0.0, Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_hold_the_maximum_until_taken() {
        let m = Meters::default();
        m.publish(0.5, 0.1, 3);
        m.publish(0.2, 0.4, 4);
        assert_eq!(m.take_peaks(), (0.5, 0.4));
        assert_eq!(m.take_peaks(), (0.0, 0.0));
        assert_eq!(m.voices.load(Ordering::Relaxed), 4);
    }
}

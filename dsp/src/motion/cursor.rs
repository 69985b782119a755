//! `LaneCursor`: evaluates a lane at a position that mostly moves forward, remembering the
//! current lap and segment so steady playback costs amortized O(1) whatever the point count.
//!
//! The cursor is driven by the lane's *unwrapped* position in beats (it keeps growing across
//! laps). Moving forward within reach steps segment by segment and wraps at the lap end, once
//! per crossing, at the exact position of each crossing. Anything else — a move backwards, a
//! move of more than a lap, a new curve or length, or more segments ahead than a binary search
//! costs — is a jump: the cursor re-finds lap and segment by binary search, O(log n).

use super::lane::LaneCurve;

/// The evaluation cursor of one lane.
#[derive(Clone, Debug, Default)]
pub struct LaneCursor {
    /// Active points (those before the lane end).
    n: usize,
    /// Lane length in beats.
    length: f64,
    /// Unwrapped beat where the current lap starts, and where it ends.
    lap_start: f64,
    lap_end: f64,
    /// Current segment (0…n) and its span in lap phase, `[lo, hi)`.
    seg: usize,
    lo: f64,
    hi: f64,
    /// Whether lap and segment are known (false after `reset`).
    placed: bool,
    /// Segment advances made in steady playback (cost accounting for tests).
    #[cfg(any(test, feature = "step-count"))]
    pub steps: u64,
    /// Comparisons made by binary searches, including the one that detects the jump.
    #[cfg(any(test, feature = "step-count"))]
    pub comparisons: u64,
    /// Binary searches (jumps) made.
    #[cfg(any(test, feature = "step-count"))]
    pub seeks: u64,
}

/// ⌈log₂ n⌉ for n ≥ 1 (0 for n ≤ 1).
fn ceil_log2(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()) as usize
}

impl LaneCursor {
    /// A cursor for `curve` in a lane of `length` beats; the first evaluation seeks.
    pub fn new(curve: &LaneCurve, length: f64) -> Self {
        let mut c = Self::default();
        c.reset(curve, length);
        c
    }

    /// Adopt a new curve or length: counts the active points (binary search, O(log n)) and
    /// makes the next evaluation seek. Allocation-free.
    pub fn reset(&mut self, curve: &LaneCurve, length: f64) {
        self.n = curve.points_within(length);
        self.length = length;
        self.placed = false;
    }

    /// Forget the position (the next evaluation seeks), e.g. after a transport jump. O(1).
    pub fn invalidate(&mut self) {
        self.placed = false;
    }

    /// Lane length in beats the cursor was reset for.
    pub fn length(&self) -> f64 {
        self.length
    }

    /// Position inside the current lap in beats, 0…length (valid after an evaluation).
    pub fn phase_of(&self, beat: f64) -> f64 {
        beat - self.lap_start
    }

    /// The lane's value at unwrapped position `beat`. Allocation-free; amortized O(1) per call
    /// in steady forward playback (one step per segment crossed), O(log n) on a jump.
    #[inline]
    pub fn value_at(&mut self, curve: &LaneCurve, beat: f64) -> f32 {
        if !beat.is_finite() {
            return curve.points()[0].value;
        }
        if !self.placed || beat < self.lap_start || beat >= self.lap_end + self.length {
            self.seek(curve, beat);
        } else {
            if beat >= self.lap_end {
                // Crossing the lane end: the next lap starts exactly there.
                self.lap_start = self.lap_end;
                self.lap_end = self.lap_start + self.length;
                self.set_segment(curve, 0);
                self.count_step();
            }
            let phase = beat - self.lap_start;
            if phase < self.lo {
                self.seek(curve, beat);
            } else if phase >= self.hi {
                self.step_to(curve, beat, phase);
            }
        }
        curve.segment_value(self.n, self.length, self.seg, beat - self.lap_start)
    }

    /// Step forward to the segment holding `phase`, or seek when it lies further ahead than a
    /// binary search would cost.
    fn step_to(&mut self, curve: &LaneCurve, beat: f64, phase: f64) {
        let reach = ceil_log2(self.n) + 2;
        let ahead = self.seg + reach;
        if ahead < self.n && phase >= curve.points()[ahead].beat {
            self.seek(curve, beat);
            return;
        }
        while phase >= self.hi && self.seg < self.n {
            self.set_segment(curve, self.seg + 1);
            self.count_step();
        }
    }

    /// Re-find lap and segment for `beat` by binary search.
    fn seek(&mut self, curve: &LaneCurve, beat: f64) {
        let length = self.length.max(f64::MIN_POSITIVE);
        let mut lap_start = (beat / length).floor() * length;
        if beat < lap_start {
            lap_start -= length;
        } else if beat >= lap_start + length {
            lap_start += length;
        }
        self.lap_start = lap_start;
        self.lap_end = lap_start + length;
        let phase = (beat - lap_start).max(0.0);
        // Binary search for the number of active points at or before `phase`.
        let points = curve.points();
        let (mut lo, mut hi) = (0, self.n);
        let mut comparisons = 1; // the test that found this to be a jump
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            comparisons += 1;
            if points[mid].beat <= phase {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.count_seek(comparisons);
        self.set_segment(curve, lo);
        self.placed = true;
    }

    fn set_segment(&mut self, curve: &LaneCurve, seg: usize) {
        let points = curve.points();
        self.seg = seg;
        self.lo = if seg == 0 { 0.0 } else { points[seg - 1].beat };
        self.hi = if seg >= self.n {
            f64::INFINITY
        } else {
            points[seg].beat
        };
    }

    #[inline(always)]
    fn count_step(&mut self) {
        #[cfg(any(test, feature = "step-count"))]
        {
            self.steps += 1;
        }
    }

    #[inline(always)]
    fn count_seek(&mut self, _comparisons: u64) {
        #[cfg(any(test, feature = "step-count"))]
        {
            self.comparisons += _comparisons;
            self.seeks += 1;
        }
    }
}

#[cfg(test)]
#[path = "cursor_tests.rs"]
mod tests;

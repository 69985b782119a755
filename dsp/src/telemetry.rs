//! Callback telemetry: the one fixed-size [`TelemetryRecord`] that the plugin's audio thread
//! and the stress harness both produce, and the wait-free [`TelemetryProducer`] that pushes it
//! into a pre-sized `rtrb` ring.
//!
//! While telemetry is off the producer reads no clock and pushes nothing. While it is on it
//! reads the clock twice per callback and pushes one record; when the ring is full the record
//! is dropped and counted, never waited for. The consumer end goes to the editor (or the
//! harness), which aggregates on its own thread (see [`crate::load_history`]).

use crate::clock::{Clock, MonotonicClock};
use rtrb::{Consumer, Producer, RingBuffer};

/// Records the plugin's ring holds: about 0.7 s of 64-frame blocks at 384 kHz, many seconds at
/// usual settings; the editor drains it every frame.
pub const TELEMETRY_RING_CAPACITY: usize = 4_096;

/// What one audio callback cost and carried. Fixed size, `Copy`, no heap. In the plugin a
/// callback is one `process()` call: with sample-accurate automation nice-plug splits a host
/// block at each parameter change, and each part is timed against its own duration.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TelemetryRecord {
    /// Wall time the callback took, in nanoseconds (saturates at ~4.3 s).
    pub duration_ns: u32,
    /// Frames the callback rendered.
    pub frames: u32,
    /// Sample rate of the stream, in Hz.
    pub sample_rate_hz: f32,
    /// Voices (lanes) sounding at the end of the callback.
    pub voices: u32,
    /// Note and MIDI events the callback received (the plugin counts translated events).
    pub events: u32,
    /// Motion-lane snapshots swapped in during the callback.
    pub lane_swaps: u32,
    /// Records dropped because the ring was full, counted since the ring was made.
    pub dropped: u32,
}

impl TelemetryRecord {
    /// The block's real-time budget (its duration in audio time), in nanoseconds.
    pub fn budget_ns(&self) -> f64 {
        if self.sample_rate_hz > 0.0 {
            f64::from(self.frames) * 1e9 / f64::from(self.sample_rate_hz)
        } else {
            0.0
        }
    }

    /// DSP load: callback time ÷ block duration (1.0 = the whole budget). 0 for an empty block.
    pub fn load(&self) -> f32 {
        let budget = self.budget_ns();
        if budget > 0.0 {
            (f64::from(self.duration_ns) / budget) as f32
        } else {
            0.0
        }
    }

    /// The block's duration in audio time, in seconds.
    pub fn audio_seconds(&self) -> f64 {
        self.budget_ns() * 1e-9
    }
}

/// The figures of one callback other than its duration, filled in by the audio thread.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BlockFigures {
    /// Frames rendered.
    pub frames: u32,
    /// Sample rate in Hz.
    pub sample_rate_hz: f32,
    /// Voices sounding at the end.
    pub voices: u32,
    /// Events received.
    pub events: u32,
    /// Lane snapshots swapped in.
    pub lane_swaps: u32,
}

/// A started timing: the clock reading at the start of a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallbackStart(u64);

/// The audio thread's end of the telemetry ring.
pub struct TelemetryProducer<C: Clock = MonotonicClock> {
    clock: C,
    ring: Producer<TelemetryRecord>,
    dropped: u32,
}

/// A telemetry ring of `capacity` records timed by `clock`: the producer for the audio thread
/// and the consumer for the thread that aggregates. Allocates (call it off the audio thread).
pub fn telemetry_ring<C: Clock>(
    capacity: usize,
    clock: C,
) -> (TelemetryProducer<C>, Consumer<TelemetryRecord>) {
    let (ring, consumer) = RingBuffer::new(capacity.max(1));
    let producer = TelemetryProducer {
        clock,
        ring,
        dropped: 0,
    };
    (producer, consumer)
}

impl<C: Clock> TelemetryProducer<C> {
    /// Starts timing a callback if `enabled`; reads the clock only then. Wait-free, O(1).
    #[inline]
    pub fn start(&self, enabled: bool) -> Option<CallbackStart> {
        enabled.then(|| CallbackStart(self.clock.now_ns()))
    }

    /// Finishes a callback started with [`start`](Self::start): reads the clock once and
    /// pushes one record, or counts it as dropped when the ring is full. Does nothing (reads no
    /// clock) for `None`. Wait-free, allocation-free, no system call.
    #[inline]
    pub fn finish(&mut self, start: Option<CallbackStart>, block: BlockFigures) {
        let Some(CallbackStart(t0)) = start else {
            return;
        };
        let elapsed = self.clock.now_ns().saturating_sub(t0);
        let record = TelemetryRecord {
            duration_ns: u32::try_from(elapsed).unwrap_or(u32::MAX),
            frames: block.frames,
            sample_rate_hz: block.sample_rate_hz,
            voices: block.voices,
            events: block.events,
            lane_swaps: block.lane_swaps,
            dropped: self.dropped,
        };
        if self.ring.push(record).is_err() {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Records dropped so far because the ring was full.
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// The clock this producer reads (tests inspect a [`crate::clock::CountingClock`]).
    pub fn clock(&self) -> &C {
        &self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::CountingClock;

    fn figures() -> BlockFigures {
        BlockFigures {
            frames: 480,
            sample_rate_hz: 48_000.0,
            voices: 3,
            events: 2,
            lane_swaps: 1,
        }
    }

    #[test]
    fn off_reads_no_clock_and_pushes_nothing() {
        let (mut producer, consumer) = telemetry_ring(16, CountingClock::new(1_000));
        for _ in 0..1_000 {
            let start = producer.start(false);
            producer.finish(start, figures());
        }
        assert_eq!(producer.clock().reads(), 0);
        assert_eq!(consumer.slots(), 0);
        assert_eq!(producer.dropped(), 0);
    }

    #[test]
    fn on_times_each_callback_into_one_record() {
        let (mut producer, mut consumer) = telemetry_ring(16, CountingClock::new(2_500_000));
        let start = producer.start(true);
        producer.finish(start, figures());
        assert_eq!(producer.clock().reads(), 2);
        let record = consumer.pop().expect("one record");
        assert!(consumer.pop().is_err());
        assert_eq!(record.duration_ns, 2_500_000);
        assert_eq!((record.frames, record.voices, record.events), (480, 3, 2));
        assert_eq!((record.lane_swaps, record.dropped), (1, 0));
        // 2.5 ms for a 10 ms block.
        assert!((record.load() - 0.25).abs() < 1e-6);
    }

    #[test]
    fn a_full_ring_drops_and_counts_instead_of_waiting() {
        let (mut producer, mut consumer) = telemetry_ring(4, CountingClock::new(10));
        for _ in 0..10 {
            let start = producer.start(true);
            producer.finish(start, figures());
        }
        assert_eq!(producer.dropped(), 6);
        let kept: Vec<_> = std::iter::from_fn(|| consumer.pop().ok()).collect();
        assert_eq!(kept.len(), 4);
        // Once there is room again, the next record reports the drops.
        let start = producer.start(true);
        producer.finish(start, figures());
        assert_eq!(consumer.pop().map(|r| r.dropped), Ok(6));
    }

    #[test]
    fn the_record_is_small_and_fixed_size() {
        assert_eq!(std::mem::size_of::<TelemetryRecord>(), 28);
    }

    #[test]
    fn empty_or_rateless_blocks_have_zero_load() {
        let r = TelemetryRecord {
            duration_ns: 5,
            ..Default::default()
        };
        assert_eq!(r.load(), 0.0);
        assert_eq!(r.budget_ns(), 0.0);
    }
}

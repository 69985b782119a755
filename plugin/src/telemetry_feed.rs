//! The editor's end of the telemetry ring. The audio thread owns the producer (inside the
//! plugin) and never touches this; the mutex only keeps the consumer `Sync` for the editor,
//! which locks it once per frame on the GUI thread.

use octolane_dsp::TelemetryRecord;
use octolane_dsp::load_history::LoadHistory;
use octolane_dsp::telemetry::{TELEMETRY_RING_CAPACITY, TelemetryProducer, telemetry_ring};
use rtrb::Consumer;
use std::sync::Mutex;

/// Telemetry records on their way to the editor.
pub struct TelemetryFeed {
    consumer: Mutex<Consumer<TelemetryRecord>>,
}

impl TelemetryFeed {
    /// A pre-sized ring: the producer for the audio thread, the feed for the editor.
    /// Allocates (call it off the audio thread).
    pub fn new() -> (TelemetryProducer, Self) {
        let (producer, consumer) = telemetry_ring(
            TELEMETRY_RING_CAPACITY,
            octolane_dsp::clock::MonotonicClock::new(),
        );
        let feed = Self {
            consumer: Mutex::new(consumer),
        };
        (producer, feed)
    }

    /// Moves every waiting record into `history`. GUI thread only; returns how many.
    pub fn drain_into(&self, history: &mut LoadHistory) -> usize {
        match self.consumer.lock() {
            Ok(mut consumer) => history.drain(&mut consumer),
            Err(poisoned) => history.drain(&mut poisoned.into_inner()),
        }
    }
}

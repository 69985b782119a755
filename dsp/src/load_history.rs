//! The editor-side aggregate of [`TelemetryRecord`]s: a 10-second load graph, percentiles of
//! the last second, and the count of blocks over 80 % of their budget.
//!
//! Time here is *audio* time (the frames the records cover), so the figures do not depend on
//! how often the editor drains the ring, and a test can feed records and check every number.
//! This runs on the editor thread: it may allocate (its buffers are bounded).

use crate::telemetry::TelemetryRecord;
use rtrb::Consumer;
use std::collections::VecDeque;

/// Audio time the load graph covers, in seconds.
pub const GRAPH_SECONDS: f64 = 10.0;
/// Points in the load graph; each holds the highest load of its slice of time.
pub const GRAPH_BINS: usize = 200;
/// Audio time the percentiles cover, in seconds.
pub const WINDOW_SECONDS: f64 = 1.0;
/// A block whose load exceeds this share of its budget counts as over budget.
pub const OVER_BUDGET_LOAD: f32 = 0.8;
/// Most records the percentile window keeps (a second of 16-frame blocks at 384 kHz is 24,000).
const WINDOW_CAP: usize = 32_768;

const BIN_SECONDS: f64 = GRAPH_SECONDS / GRAPH_BINS as f64;
/// Slack for sums of block durations that land a rounding error short of a boundary.
const EPSILON_S: f64 = 1e-9;

/// The figures the Performance panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadSummary {
    /// Median load over the last second (1.0 = the whole budget).
    pub p50: f32,
    /// 99th-percentile load over the last second.
    pub p99: f32,
    /// Highest load over the last second.
    pub max: f32,
    /// Blocks over [`OVER_BUDGET_LOAD`] since the last reset.
    pub over_budget: u64,
    /// Blocks seen since the last reset.
    pub blocks: u64,
    /// Voices sounding after the latest block.
    pub voices: u32,
    /// Mean events per block over the last second.
    pub events_per_block: f32,
    /// Records the audio thread dropped because the ring was full (as of the latest record).
    pub dropped: u32,
}

/// One record as the window keeps it.
#[derive(Clone, Copy, Debug)]
struct Entry {
    seconds: f64,
    load: f32,
    events: u32,
}

/// Aggregates telemetry records on the editor thread.
#[derive(Debug)]
pub struct LoadHistory {
    bins: VecDeque<f32>,
    bin_seconds: f64,
    bin_max: f32,
    window: VecDeque<Entry>,
    window_seconds: f64,
    scratch: Vec<f32>,
    over_budget: u64,
    blocks: u64,
    voices: u32,
    dropped: u32,
}

impl Default for LoadHistory {
    fn default() -> Self {
        Self {
            bins: VecDeque::with_capacity(GRAPH_BINS),
            bin_seconds: 0.0,
            bin_max: 0.0,
            window: VecDeque::with_capacity(1_024),
            window_seconds: 0.0,
            scratch: Vec::new(),
            over_budget: 0,
            blocks: 0,
            voices: 0,
            dropped: 0,
        }
    }
}

impl LoadHistory {
    /// Forgets everything (the panel calls it when the switch is turned on).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Pops every waiting record from `ring` and adds it. Returns how many were taken.
    pub fn drain(&mut self, ring: &mut Consumer<TelemetryRecord>) -> usize {
        let mut taken = 0;
        while let Ok(record) = ring.pop() {
            self.add(&record);
            taken += 1;
        }
        taken
    }

    /// Adds one record.
    pub fn add(&mut self, record: &TelemetryRecord) {
        let load = record.load();
        let seconds = record.audio_seconds();
        self.blocks += 1;
        if load > OVER_BUDGET_LOAD {
            self.over_budget += 1;
        }
        self.voices = record.voices;
        self.dropped = record.dropped;

        self.bin_max = self.bin_max.max(load);
        self.bin_seconds += seconds;
        while self.bin_seconds >= BIN_SECONDS - EPSILON_S {
            if self.bins.len() == GRAPH_BINS {
                self.bins.pop_front();
            }
            self.bins.push_back(self.bin_max);
            self.bin_seconds -= BIN_SECONDS;
            // A long block fills several bins with its load; a later bin starts afresh.
            if self.bin_seconds < BIN_SECONDS - EPSILON_S {
                self.bin_max = if self.bin_seconds > EPSILON_S {
                    load
                } else {
                    0.0
                };
            }
        }

        self.window.push_back(Entry {
            seconds,
            load,
            events: record.events,
        });
        self.window_seconds += seconds;
        while let Some(front) = self.window.front().copied() {
            let too_old = self.window_seconds - front.seconds >= WINDOW_SECONDS - EPSILON_S;
            if !(too_old || self.window.len() > WINDOW_CAP) {
                break;
            }
            self.window.pop_front();
            self.window_seconds -= front.seconds;
        }
    }

    /// The panel's figures now.
    pub fn summary(&mut self) -> LoadSummary {
        self.scratch.clear();
        self.scratch.extend(self.window.iter().map(|e| e.load));
        self.scratch.sort_unstable_by(f32::total_cmp);
        let events: u64 = self.window.iter().map(|e| u64::from(e.events)).sum();
        let events_per_block = if self.window.is_empty() {
            0.0
        } else {
            events as f32 / self.window.len() as f32
        };
        LoadSummary {
            p50: percentile(&self.scratch, 0.5).unwrap_or(0.0),
            p99: percentile(&self.scratch, 0.99).unwrap_or(0.0),
            max: self.scratch.last().copied().unwrap_or(0.0),
            over_budget: self.over_budget,
            blocks: self.blocks,
            voices: self.voices,
            events_per_block,
            dropped: self.dropped,
        }
    }

    /// The load graph, oldest point first: the highest load of each 50 ms of the last 10 s
    /// (fewer points until 10 s have been seen), then the slice in progress.
    pub fn graph(&self) -> impl Iterator<Item = f32> + '_ {
        let partial = (self.bin_seconds > EPSILON_S).then_some(self.bin_max);
        self.bins.iter().copied().chain(partial)
    }
}

/// The nearest-rank `q` quantile (0…1) of an ascending slice; `None` when it is empty.
pub fn percentile<T: Copy>(sorted: &[T], q: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 480-frame block at 48 kHz (10 ms) at `load`.
    fn block(load: f32, events: u32) -> TelemetryRecord {
        TelemetryRecord {
            duration_ns: (load * 10_000_000.0) as u32,
            frames: 480,
            sample_rate_hz: 48_000.0,
            voices: 7,
            events,
            lane_swaps: 0,
            dropped: 0,
        }
    }

    #[test]
    fn percentiles_cover_the_last_second_only() {
        let mut h = LoadHistory::default();
        // Two seconds at 0.9, then one second of 0.1 … 0.99 in steps of 0.01 (100 blocks).
        for _ in 0..200 {
            h.add(&block(0.9, 0));
        }
        for i in 0..100 {
            h.add(&block(0.1 + 0.009 * i as f32, 4));
        }
        let s = h.summary();
        assert!((s.p50 - (0.1 + 0.009 * 49.0)).abs() < 1e-3, "{s:?}");
        assert!((s.p99 - (0.1 + 0.009 * 98.0)).abs() < 1e-3, "{s:?}");
        assert!((s.max - (0.1 + 0.009 * 99.0)).abs() < 1e-3, "{s:?}");
        assert_eq!(s.events_per_block, 4.0);
        assert_eq!(s.voices, 7);
        assert_eq!(s.blocks, 300);
    }

    #[test]
    fn counts_blocks_over_eighty_percent_since_reset() {
        let mut h = LoadHistory::default();
        for load in [0.5, 0.81, 0.79, 1.5, 0.95] {
            h.add(&block(load, 0));
        }
        assert_eq!(h.summary().over_budget, 3);
        h.reset();
        h.add(&block(0.85, 0));
        assert_eq!(h.summary().over_budget, 1);
    }

    #[test]
    fn the_graph_holds_ten_seconds_of_peaks() {
        let mut h = LoadHistory::default();
        // 20 s of 10 ms blocks; the load is the second it belongs to / 100.
        for i in 0..2_000 {
            h.add(&block((i / 100) as f32 / 100.0, 0));
        }
        let graph: Vec<f32> = h.graph().collect();
        assert_eq!(graph.len(), GRAPH_BINS);
        assert!((graph[0] - 0.10).abs() < 1e-3, "oldest point is second 10");
        assert!((graph[GRAPH_BINS - 1] - 0.19).abs() < 1e-3);
        // Each 50 ms bin keeps the highest load in it.
        h.reset();
        for load in [0.1, 0.7, 0.2, 0.3, 0.1] {
            h.add(&block(load, 0));
        }
        assert_eq!(h.graph().collect::<Vec<_>>(), vec![0.7]);
    }

    #[test]
    fn empty_history_reports_zeros() {
        let mut h = LoadHistory::default();
        assert_eq!(h.summary(), LoadSummary::default());
        assert_eq!(h.graph().count(), 0);
    }

    #[test]
    fn drains_a_ring() {
        let (mut producer, mut consumer) = rtrb::RingBuffer::new(8);
        for _ in 0..5 {
            producer.push(block(0.2, 1)).unwrap();
        }
        let mut h = LoadHistory::default();
        assert_eq!(h.drain(&mut consumer), 5);
        assert_eq!(h.summary().blocks, 5);
    }

    #[test]
    fn nearest_rank_percentile() {
        let v: Vec<u32> = (1..=1000).collect();
        assert_eq!(percentile(&v, 0.5), Some(500));
        assert_eq!(percentile(&v, 0.999), Some(999));
        assert_eq!(percentile(&v, 1.0), Some(1000));
        assert_eq!(percentile(&v, 0.0), Some(1));
        assert_eq!(percentile::<u32>(&[], 0.5), None);
    }
}

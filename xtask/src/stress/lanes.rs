//! Motion lanes for the stress scenarios: eight enabled lanes of N points each, and the
//! editor's side of the snapshot exchange (new snapshots at 1 kHz, returned ones freed here).

use octolane_dsp::Patch;
use octolane_dsp::motion::{
    Curve, Destination, LANE_COUNT, LaneCurve, LanePoint, LaneSettings, LaneSnapshot,
    SnapshotSender, SyncMode,
};

/// Lane-snapshot sends per second in the editor storm.
pub const SNAPSHOT_RATE_HZ: f64 = 1_000.0;
/// Length of every stress lane, in beats.
const LENGTH_BEATS: f64 = 4.0;

/// A curve of `points` points over [`LENGTH_BEATS`]: a jagged zig-zag so every segment is
/// different, mixing linear, curved and step segments.
pub fn curve(points: usize, seed: u32) -> LaneCurve {
    let n = points.max(1);
    let points: Vec<LanePoint> = (0..n)
        .map(|i| {
            let beat = LENGTH_BEATS * i as f64 / n as f64;
            let value = ((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 8) as f32
                / (1u32 << 24) as f32;
            let shape = match i % 3 {
                0 => Curve::Linear,
                1 => Curve::Curved(0.5),
                _ => Curve::Step,
            };
            LanePoint::new(beat, value, shape)
        })
        .collect();
    LaneCurve::new(points).expect("a valid stress curve")
}

/// `patch` with all eight lanes enabled, spread over the destinations, transport-synced.
pub fn enable_all(patch: &Patch) -> Patch {
    const DESTINATIONS: [Destination; 4] = [
        Destination::Cutoff,
        Destination::Resonance,
        Destination::Pan,
        Destination::Osc2Level,
    ];
    let mut p = *patch;
    for (i, lane) in p.motion.iter_mut().enumerate() {
        *lane = LaneSettings {
            enabled: true,
            destination: DESTINATIONS[i % DESTINATIONS.len()],
            depth: 0.3,
            length_beats: LENGTH_BEATS,
            sync: SyncMode::Transport,
        };
    }
    p
}

/// A boxed snapshot for lane `lane` (allocated on the calling, non-audio thread).
pub fn snapshot(lane: usize, points: usize, serial: u64) -> Box<LaneSnapshot> {
    Box::new(LaneSnapshot {
        lane: lane % LANE_COUNT,
        curve: curve(points, serial as u32),
        serial,
    })
}

/// The editor thread's lane traffic: one snapshot per call, round-robin over the lanes.
pub struct LaneTraffic {
    sender: SnapshotSender,
    points: usize,
    sent: u64,
    refused: u64,
}

impl LaneTraffic {
    /// Traffic of `points`-point snapshots through `sender`.
    pub fn new(sender: SnapshotSender, points: usize) -> Self {
        Self {
            sender,
            points,
            sent: 0,
            refused: 0,
        }
    }

    /// Frees what came back, then sends the next snapshot (counted as refused if the ring is
    /// full).
    pub fn send_next(&mut self) {
        self.sender.free_returned();
        let next = snapshot(self.sent as usize, self.points, self.sent + 1);
        match self.sender.try_send(next) {
            Ok(()) => self.sent += 1,
            Err(_) => self.refused += 1,
        }
    }

    /// (sent, refused) so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.sent, self.refused)
    }
}

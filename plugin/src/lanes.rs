//! The motion lanes' points: kept here on the GUI/main side, saved in the plugin state
//! (`#[persist = "lanes"]`), and handed to the audio thread as immutable snapshots over the
//! `octolane_dsp` exchange. Also the playhead and value atomics the audio thread writes for
//! the editor.
//!
//! Locks here are taken only by the editor and the main thread (state save/load, activate);
//! the audio thread touches only its own exchange end (inside the engine) and the atomics.

use atomic_float::AtomicF32;
use nice_plug::params::persist::PersistentField;
use nice_plug::prelude::*;
use octolane_dsp::motion::{
    Curve, LANE_COUNT, LaneBank, LaneCurve, LanePoint, LaneSnapshot, SnapshotReceiver,
    SnapshotSender, snapshot_exchange,
};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Length of each snapshot ring.
pub const RING_CAPACITY: usize = 256;

/// One saved point: beat, value, curve ("step", "linear", "curved") and tension. Every field
/// is optional so that a damaged state still parses and can be repaired point by point
/// (serde_json writes NaN as `null`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedPoint {
    /// Position in beats.
    #[serde(default)]
    pub b: Option<f64>,
    /// Value, 0…1.
    #[serde(default)]
    pub v: Option<f32>,
    /// Curve kind of the segment after the point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    /// Tension of a curved segment, −1…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<f32>,
}

/// One saved lane.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedLane {
    /// The points, in any order.
    #[serde(default)]
    pub points: Vec<SavedPoint>,
}

/// Every lane as saved in the state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedLanes {
    /// Lanes 1…8.
    #[serde(default)]
    pub lanes: Vec<SavedLane>,
}

impl SavedPoint {
    fn from_point(p: &LanePoint) -> Self {
        let (c, t) = match p.curve {
            Curve::Step => ("step", None),
            Curve::Linear => ("linear", None),
            Curve::Curved(t) => ("curved", Some(t)),
        };
        Self {
            b: Some(p.beat),
            v: Some(p.value),
            c: (c != "linear").then(|| c.to_string()),
            t,
        }
    }

    fn to_point(&self) -> LanePoint {
        let curve = match self.c.as_deref() {
            Some("step") => Curve::Step,
            Some("curved") => Curve::Curved(self.t.unwrap_or(0.0)),
            _ => Curve::Linear,
        };
        LanePoint::new(
            self.b.unwrap_or(f64::NAN),
            self.v.unwrap_or(f32::NAN),
            curve,
        )
    }
}

impl SavedLanes {
    /// The saved form of the default curves (what a new instance starts with).
    pub fn defaults() -> Self {
        let curves: [LaneCurve; LANE_COUNT] = std::array::from_fn(|_| LaneCurve::default());
        Self::from_curves(&curves)
    }

    /// The saved form of `curves`.
    pub fn from_curves(curves: &[LaneCurve]) -> Self {
        Self {
            lanes: curves
                .iter()
                .map(|c| SavedLane {
                    points: c.points().iter().map(SavedPoint::from_point).collect(),
                })
                .collect(),
        }
    }
}

/// Playhead position and value of one lane, written by the audio thread once per block.
#[derive(Default)]
pub struct LanePlayhead {
    /// Position in the lap, 0…1 of the lane length.
    pub fraction: AtomicF32,
    /// The lane's value, 0…1.
    pub value: AtomicF32,
}

struct Outbox {
    sender: SnapshotSender,
    /// Newest snapshot per lane that did not fit in the ring yet.
    pending: [Option<Box<LaneSnapshot>>; LANE_COUNT],
}

/// The lanes' points and the sending end of the exchange.
pub struct LaneStore {
    curves: Mutex<[LaneCurve; LANE_COUNT]>,
    outbox: Mutex<Outbox>,
    receiver: Mutex<Option<SnapshotReceiver>>,
    serial: AtomicU64,
    /// Per-lane playheads for the editor.
    pub playheads: [LanePlayhead; LANE_COUNT],
    /// Increments on every change of the curves (edits and state loads).
    pub revision: AtomicU64,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Default for LaneStore {
    /// Default curves (the engine starts with the same ones) and a fresh exchange.
    fn default() -> Self {
        let (sender, receiver) = snapshot_exchange(RING_CAPACITY);
        Self {
            curves: Mutex::new(std::array::from_fn(|_| LaneCurve::default())),
            outbox: Mutex::new(Outbox {
                sender,
                pending: std::array::from_fn(|_| None),
            }),
            receiver: Mutex::new(Some(receiver)),
            serial: AtomicU64::new(1),
            playheads: std::array::from_fn(|_| LanePlayhead::default()),
            revision: AtomicU64::new(0),
        }
    }
}

impl LaneStore {
    /// The audio end of the exchange, once (the plugin hands it to its engine).
    pub fn take_receiver(&self) -> Option<SnapshotReceiver> {
        locked(&self.receiver).take()
    }

    /// A copy of lane `i`'s curve (GUI thread).
    pub fn curve(&self, i: usize) -> LaneCurve {
        locked(&self.curves).get(i).cloned().unwrap_or_default()
    }

    /// Replace lane `i`'s curve and send it to the audio thread (GUI or main thread).
    pub fn set_curve(&self, i: usize, curve: LaneCurve) {
        if i >= LANE_COUNT {
            return;
        }
        locked(&self.curves)[i] = curve.clone();
        self.revision.fetch_add(1, Ordering::Relaxed);
        let snapshot = Box::new(LaneSnapshot {
            lane: i,
            curve,
            serial: self.serial.fetch_add(1, Ordering::Relaxed),
        });
        let mut out = locked(&self.outbox);
        out.pending[i] = Some(snapshot);
        Self::flush(&mut out);
    }

    /// Free returned snapshots and retry pending ones (editor frames, activate).
    pub fn pump(&self) {
        Self::flush(&mut locked(&self.outbox));
    }

    fn flush(out: &mut Outbox) {
        out.sender.free_returned();
        for slot in 0..LANE_COUNT {
            if let Some(s) = out.pending[slot].take()
                && let Err(back) = out.sender.try_send(s)
            {
                out.pending[slot] = Some(back);
            }
        }
    }

    /// Take a saved state's lanes (main thread): each lane is validated and repaired, or
    /// refused (keeping its current curve), with the reason logged.
    pub fn load(&self, saved: &SavedLanes) {
        if saved.lanes.len() > LANE_COUNT {
            nice_log!(
                "Octolane: the state has {} lanes; ignoring all but the first {LANE_COUNT}",
                saved.lanes.len()
            );
        }
        for i in 0..LANE_COUNT {
            let Some(lane) = saved.lanes.get(i) else {
                self.set_curve(i, LaneCurve::default());
                continue;
            };
            let points: Vec<LanePoint> = lane.points.iter().map(SavedPoint::to_point).collect();
            match LaneCurve::repaired(&points) {
                Ok(r) => {
                    if let Some(reason) = &r.reason {
                        nice_log!("Octolane: repaired lane {} from the state: {reason}", i + 1);
                    }
                    self.set_curve(i, r.curve);
                }
                Err(reason) => {
                    nice_log!(
                        "Octolane: refused lane {} from the state ({reason}); keeping its curve",
                        i + 1
                    );
                }
            }
        }
    }

    /// Publish the lanes' playheads (audio thread, once per block). Wait-free.
    pub fn publish(&self, bank: &LaneBank) {
        for (i, head) in self.playheads.iter().enumerate() {
            if let Some(p) = bank.player(i) {
                head.fraction.store(p.lap_fraction(), Ordering::Relaxed);
                head.value.store(p.value(), Ordering::Relaxed);
            }
        }
    }
}

impl<'a> PersistentField<'a, SavedLanes> for Arc<LaneStore> {
    fn set(&self, new_value: SavedLanes) {
        self.load(&new_value);
    }

    fn map<F, R>(&self, f: F) -> R
    where
        F: Fn(&SavedLanes) -> R,
    {
        let saved = SavedLanes::from_curves(&*locked(&self.curves));
        f(&saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_survive_the_saved_form_bit_for_bit() {
        let curve = LaneCurve::new(vec![
            LanePoint::new(0.1, 0.123_456_79, Curve::Step),
            LanePoint::new(1.0 / 3.0, 0.9, Curve::Curved(-0.37)),
            LanePoint::new(2.5, 0.0, Curve::Linear),
        ])
        .unwrap();
        let saved = SavedLanes::from_curves(std::slice::from_ref(&curve));
        let json = serde_json::to_string(&saved).unwrap();
        let back: SavedLanes = serde_json::from_str(&json).unwrap();
        let store = LaneStore::default();
        store.load(&back);
        assert_eq!(store.curve(0), curve);
        assert_eq!(store.curve(1), LaneCurve::default());
    }

    #[test]
    fn broken_lanes_are_repaired_or_refused_never_a_panic() {
        let json = r#"{"lanes":[{"points":[{"b":3.0,"v":0.5},{"b":null,"v":0.1},{"b":1.0,"v":9.0,"c":"curved","t":5.0}]},{"points":[{"b":null}]},{}]}"#;
        let saved: SavedLanes = serde_json::from_str(json).unwrap();
        let store = LaneStore::default();
        let before = LaneCurve::new(vec![LanePoint::new(0.5, 0.5, Curve::Step)]).unwrap();
        store.set_curve(1, before.clone());
        store.load(&saved);
        let repaired = store.curve(0);
        assert_eq!(repaired.points().len(), 2);
        assert_eq!(
            repaired.points()[0],
            LanePoint::new(1.0, 1.0, Curve::Curved(1.0))
        );
        assert_eq!(store.curve(1), before, "a refused lane keeps its curve");
        assert_eq!(
            store.curve(2),
            LaneCurve::default(),
            "a lane without points is refused"
        );
    }
}

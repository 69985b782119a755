//! Lock-free hand-over of lane curves from the editor (or a state load) to the audio thread.
//!
//! The sending side pushes whole immutable [`LaneSnapshot`]s over one `rtrb` ring. At the
//! start of a block the audio thread drains a bounded number of them, installs the newest per
//! lane and sends every snapshot it does not keep — superseded ones and replaced ones — back
//! over a second ring, so that nothing is ever freed on the audio thread. When the return
//! ring is full, the audio thread parks snapshots in a holding area sized at construction and
//! stops draining while it is full; nothing is dropped.

use super::LANE_COUNT;
use super::lane::LaneCurve;
use rtrb::{Consumer, Producer, RingBuffer};

/// Most messages the audio thread takes from the ring per block.
pub const DRAIN_PER_BLOCK: usize = 64;
/// Snapshots the audio thread can park when the return ring is full.
pub const HOLDING_CAPACITY: usize = 2 * DRAIN_PER_BLOCK;

/// An immutable curve for one lane, as sent to the audio thread.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneSnapshot {
    /// Lane index, 0…[`LANE_COUNT`] − 1 (others are returned unused).
    pub lane: usize,
    /// The validated curve.
    pub curve: LaneCurve,
    /// Sender's sequence number (tests and diagnostics use it).
    pub serial: u64,
}

/// The GUI / main-thread end: sends snapshots, takes back the ones the audio thread is done
/// with (dropping them here frees them off the audio thread).
pub struct SnapshotSender {
    to_audio: Producer<Box<LaneSnapshot>>,
    returned: Consumer<Box<LaneSnapshot>>,
}

/// The audio-thread end.
pub struct SnapshotReceiver {
    from_gui: Consumer<Box<LaneSnapshot>>,
    to_gui: Producer<Box<LaneSnapshot>>,
    // Boxes, not values: parked snapshots keep their allocation so they can go back as is.
    #[allow(clippy::vec_box)]
    holding: Vec<Box<LaneSnapshot>>,
}

/// A connected pair of ends; `capacity` is the length of each ring (at least 1). Allocates
/// both rings and the holding area: call it off the audio thread.
pub fn snapshot_exchange(capacity: usize) -> (SnapshotSender, SnapshotReceiver) {
    let capacity = capacity.max(1);
    let (to_audio, from_gui) = RingBuffer::new(capacity);
    let (to_gui, returned) = RingBuffer::new(capacity);
    (
        SnapshotSender { to_audio, returned },
        SnapshotReceiver {
            from_gui,
            to_gui,
            holding: Vec::with_capacity(HOLDING_CAPACITY),
        },
    )
}

impl SnapshotSender {
    /// Queue a snapshot for the audio thread; gives it back when the ring is full. Wait-free.
    pub fn try_send(&mut self, snapshot: Box<LaneSnapshot>) -> Result<(), Box<LaneSnapshot>> {
        self.to_audio.push(snapshot).map_err(|e| match e {
            rtrb::PushError::Full(s) => s,
        })
    }

    /// Take back one snapshot the audio thread no longer uses, if any. Wait-free.
    pub fn take_returned(&mut self) -> Option<Box<LaneSnapshot>> {
        self.returned.pop().ok()
    }

    /// Free every returned snapshot now; returns how many. Call on the GUI or main thread.
    pub fn free_returned(&mut self) -> usize {
        let mut n = 0;
        while self.returned.pop().is_ok() {
            n += 1;
        }
        n
    }

    /// Free slots in the ring towards the audio thread.
    pub fn free_slots(&self) -> usize {
        self.to_audio.slots()
    }
}

impl SnapshotReceiver {
    /// Drain up to [`DRAIN_PER_BLOCK`] snapshots into `installed` (one slot per lane), newest
    /// wins; everything not kept goes back to the sender. Returns a bit mask of the lanes whose
    /// curve changed. Allocation-free, lock-free, never frees; O(`DRAIN_PER_BLOCK`).
    pub fn receive(&mut self, installed: &mut [Box<LaneSnapshot>; LANE_COUNT]) -> u32 {
        self.flush_holding();
        let mut changed = 0u32;
        for _ in 0..DRAIN_PER_BLOCK {
            // Each message gives back at most one snapshot: only take one while it can be kept.
            if self.holding.len() == self.holding.capacity() {
                break;
            }
            let Ok(incoming) = self.from_gui.pop() else {
                break;
            };
            let lane = incoming.lane;
            let old = match installed.get_mut(lane) {
                Some(slot) => {
                    changed |= 1 << lane;
                    std::mem::replace(slot, incoming)
                }
                None => incoming,
            };
            self.give_back(old);
        }
        changed
    }

    /// Snapshots parked because the return ring was full.
    pub fn held(&self) -> usize {
        self.holding.len()
    }

    /// Send `snapshot` back, or park it. The caller guarantees room in the holding area.
    fn give_back(&mut self, snapshot: Box<LaneSnapshot>) {
        if let Err(rtrb::PushError::Full(s)) = self.to_gui.push(snapshot) {
            // Within the capacity reserved at construction: no allocation. The guard in
            // `receive` makes the `else` unreachable; leaking beats freeing here.
            if self.holding.len() < self.holding.capacity() {
                self.holding.push(s);
            } else {
                std::mem::forget(s);
            }
        }
    }

    fn flush_holding(&mut self) {
        while let Some(s) = self.holding.pop() {
            if let Err(rtrb::PushError::Full(s)) = self.to_gui.push(s) {
                self.holding.push(s);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(lane: usize, serial: u64) -> Box<LaneSnapshot> {
        Box::new(LaneSnapshot {
            lane,
            curve: LaneCurve::default(),
            serial,
        })
    }

    #[test]
    fn newest_wins_and_a_full_return_ring_parks_instead_of_dropping() {
        let (mut tx, mut rx) = snapshot_exchange(4);
        let mut installed: [Box<LaneSnapshot>; LANE_COUNT] = std::array::from_fn(|i| snap(i, 0));
        for serial in 1..=4 {
            tx.try_send(snap(0, serial)).unwrap();
        }
        assert!(
            tx.try_send(snap(0, 99)).is_err(),
            "a full ring must give the snapshot back"
        );
        assert_eq!(rx.receive(&mut installed), 1);
        assert_eq!(installed[0].serial, 4);
        // The return ring (4) now holds 1, 2, 3 and the default; the next four are parked.
        for serial in 5..=8 {
            tx.try_send(snap(1, serial)).unwrap();
        }
        assert_eq!(rx.receive(&mut installed), 2);
        assert_eq!((installed[1].serial, rx.held()), (8, 4));
        let mut back: Vec<u64> =
            std::iter::from_fn(|| tx.take_returned().map(|s| s.serial)).collect();
        assert_eq!(rx.receive(&mut installed), 0);
        assert_eq!(rx.held(), 0);
        back.extend(std::iter::from_fn(|| tx.take_returned().map(|s| s.serial)));
        back.sort_unstable();
        assert_eq!(back, vec![0, 0, 1, 2, 3, 5, 6, 7]);
    }

    #[test]
    fn snapshots_for_unknown_lanes_go_straight_back() {
        let (mut tx, mut rx) = snapshot_exchange(8);
        let mut installed: [Box<LaneSnapshot>; LANE_COUNT] = std::array::from_fn(|i| snap(i, 0));
        tx.try_send(snap(LANE_COUNT + 3, 7)).unwrap();
        assert_eq!(rx.receive(&mut installed), 0);
        assert_eq!(tx.take_returned().map(|s| s.serial), Some(7));
    }
}

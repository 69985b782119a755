//! Bookkeeping for sounding lanes: which note each lane plays and how old it is, and the
//! stealing order (oldest released note first, then the oldest note).

/// What the allocator knows about one sounding lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LaneInfo {
    /// MIDI key the note was started with.
    pub key: u8,
    /// MIDI channel.
    pub channel: u8,
    /// Host note id, if the host gave one.
    pub note_id: Option<i32>,
    /// Note serial number: all lanes of one note share it; smaller is older.
    pub serial: u64,
    /// The key went up (the lane is releasing, or held by the pedal).
    pub released: bool,
    /// The key went up while the sustain pedal was down: release when the pedal lifts.
    pub sustained: bool,
    /// The lane is fading out after being stolen or choked.
    pub fading: bool,
}

impl LaneInfo {
    /// Whether a note-off/choke for (`key`, `channel`, `note_id`) addresses this lane.
    pub fn matches(&self, key: u8, channel: u8, note_id: Option<i32>) -> bool {
        match (note_id, self.note_id) {
            (Some(wanted), Some(mine)) if wanted >= 0 && mine >= 0 => wanted == mine,
            _ => {
                (key == crate::event::ANY || self.key == key)
                    && (channel == crate::event::ANY || self.channel == channel)
            }
        }
    }
}

/// Stealing order of a lane: (still held, serial). Released notes sort first, then older
/// notes; every lane of one note has the same key.
pub fn steal_key(lane: &LaneInfo) -> (bool, u64) {
    (!lane.released, lane.serial)
}

/// Number of lanes that count against the polyphony limit (everything not fading).
pub fn sounding(lanes: &[LaneInfo]) -> usize {
    lanes.iter().filter(|l| !l.fading).count()
}

/// The serial of the oldest fading lane, if any (the first to cut when lanes run out).
pub fn oldest_fading(lanes: &[LaneInfo]) -> Option<usize> {
    lanes
        .iter()
        .enumerate()
        .filter(|(_, l)| l.fading)
        .min_by_key(|(_, l)| l.serial)
        .map(|(i, _)| i)
}

/// Keys held down, most recent last (for mono/legato note priority). Fixed size.
#[derive(Clone, Debug)]
pub struct HeldKeys {
    keys: [u8; 128],
    len: usize,
}

impl Default for HeldKeys {
    fn default() -> Self {
        Self {
            keys: [0; 128],
            len: 0,
        }
    }
}

impl HeldKeys {
    /// A key went down (moved to the top if already held).
    pub fn press(&mut self, key: u8) {
        self.release(key);
        if self.len < self.keys.len() {
            self.keys[self.len] = key;
            self.len += 1;
        }
    }

    /// A key went up.
    pub fn release(&mut self, key: u8) {
        if let Some(pos) = self.keys[..self.len].iter().position(|k| *k == key) {
            self.keys.copy_within(pos + 1..self.len, pos);
            self.len -= 1;
        }
    }

    /// The most recently pressed key still held.
    pub fn latest(&self) -> Option<u8> {
        self.len.checked_sub(1).map(|i| self.keys[i])
    }

    /// Forget every key.
    pub fn clear(&mut self) {
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(serial: u64, released: bool, fading: bool) -> LaneInfo {
        LaneInfo {
            serial,
            released,
            fading,
            ..Default::default()
        }
    }

    #[test]
    fn steal_order_puts_released_notes_first_then_the_oldest() {
        let mut keys = [
            lane(1, false, false),
            lane(3, true, false),
            lane(2, true, false),
        ]
        .map(|l| steal_key(&l));
        keys.sort_unstable();
        assert_eq!(keys.map(|k| k.1), [2, 3, 1]);
        let lanes = [
            lane(4, false, false),
            lane(2, false, false),
            lane(1, true, true),
        ];
        assert_eq!(sounding(&lanes), 2);
        assert_eq!(oldest_fading(&lanes), Some(2));
    }

    #[test]
    fn note_ids_take_precedence_over_keys() {
        let l = LaneInfo {
            key: 60,
            channel: 0,
            note_id: Some(7),
            ..Default::default()
        };
        assert!(l.matches(61, 3, Some(7)));
        assert!(!l.matches(60, 0, Some(8)));
        assert!(l.matches(60, 0, None));
        assert!(l.matches(60, 0, Some(-1)));
    }

    #[test]
    fn held_keys_remember_order() {
        let mut h = HeldKeys::default();
        h.press(60);
        h.press(64);
        h.press(67);
        h.release(67);
        assert_eq!(h.latest(), Some(64));
        h.press(60);
        assert_eq!(h.latest(), Some(60));
        h.release(60);
        h.release(64);
        assert_eq!(h.latest(), None);
    }
}

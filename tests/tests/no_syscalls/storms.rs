//! The event storms the forbidden audio thread plays, generated ahead of time on the main
//! thread so that the audio thread only reads them.

use crate::common::{Rng, random_value};
use octolane_tests::{HostEvent, ParamInfo, TimedEvent};

/// Frames per block.
pub const BLOCK: u32 = 128;
/// Sample rate.
pub const RATE: f64 = 48_000.0;

/// Which storm to play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storm {
    /// Eight note-ons and eight note-offs per block: constant voice allocation and stealing.
    Notes,
    /// The note storm plus ~27 parameter changes per block (10,000 a second at 48 kHz),
    /// every parameter in turn, at random offsets: nice-plug splits each block at every one.
    Params,
}

impl Storm {
    /// Blocks each storm plays with system calls forbidden (a parameter-storm block is split
    /// into ~28 callbacks, so fewer are needed).
    pub fn blocks(self) -> usize {
        match self {
            Storm::Notes => 1_500,
            Storm::Params => 400,
        }
    }
}

/// `blocks` blocks of `storm`, each sorted by offset.
pub fn blocks(
    storm: Storm,
    params: &[ParamInfo],
    blocks: usize,
    seed: u64,
) -> Vec<Vec<TimedEvent>> {
    let mut rng = Rng::new(seed);
    let mut next_param = 0;
    let mut param_debt = 0.0;
    let per_block = 10_000.0 * f64::from(BLOCK) / RATE;
    (0..blocks)
        .map(|b| {
            let mut events = Vec::with_capacity(64);
            for i in 0..8u32 {
                let n = (b * 8) as u32 + i;
                let key = 36 + (n * 7 % 60) as u8;
                let offset = i * (BLOCK / 8);
                events.push(TimedEvent::new(
                    offset,
                    HostEvent::note_on(n as i32, key, 0.8),
                ));
                if n >= 24 {
                    let old = n - 24;
                    let old_key = 36 + (old * 7 % 60) as u8;
                    events.push(TimedEvent::new(
                        offset + 1,
                        HostEvent::note_off(old as i32, old_key),
                    ));
                }
            }
            if storm == Storm::Params {
                param_debt += per_block;
                while param_debt >= 1.0 {
                    param_debt -= 1.0;
                    let p = &params[next_param % params.len()];
                    next_param += 1;
                    let offset = (rng.next_u64() % u64::from(BLOCK)) as u32;
                    events.push(TimedEvent::new(
                        offset,
                        HostEvent::param(p.id, random_value(p, &mut rng)),
                    ));
                }
            }
            events.sort_by_key(|e| e.offset);
            events
        })
        .collect()
}

//! Shared helpers for the engine tests: the allocation trap and render utilities.
#![allow(dead_code)]

use assert_no_alloc::{AllocDisabler, assert_no_alloc};
use octolane_dsp::{Event, EventKind, Patch, Synth};

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

/// Note-on at `offset`.
pub fn on(offset: u32, key: u8, velocity: f32) -> Event {
    Event {
        offset,
        kind: EventKind::NoteOn {
            key,
            velocity,
            channel: 0,
            note_id: None,
        },
    }
}

/// Note-off at `offset`.
pub fn off(offset: u32, key: u8) -> Event {
    Event {
        offset,
        kind: EventKind::NoteOff {
            key,
            channel: 0,
            note_id: None,
        },
    }
}

/// Render `frames` samples with events at absolute sample times, in blocks whose sizes cycle
/// through `blocks`, with every `process` call inside the allocation trap.
pub fn render<E: Synth>(
    engine: &mut E,
    patch: &Patch,
    events: &[(u64, EventKind)],
    frames: usize,
    blocks: &[usize],
) -> (Vec<f32>, Vec<f32>) {
    let mut left = vec![0.0; frames];
    let mut right = vec![0.0; frames];
    let mut block_events = Vec::with_capacity(events.len());
    let mut pos = 0;
    let mut next = 0;
    let mut b = 0;
    while pos < frames {
        let len = blocks[b % blocks.len()].clamp(1, frames - pos);
        b += 1;
        block_events.clear();
        while next < events.len() && (events[next].0 as usize) < pos + len {
            let offset = (events[next].0 as usize).saturating_sub(pos) as u32;
            block_events.push(Event {
                offset,
                kind: events[next].1,
            });
            next += 1;
        }
        let (l, r) = (&mut left[pos..pos + len], &mut right[pos..pos + len]);
        assert_no_alloc(|| {
            engine.set_patch(patch);
            engine.process(&block_events, l, r);
        });
        pos += len;
    }
    (left, right)
}

/// Absolute-time note-on.
pub fn note_on(at: u64, key: u8, velocity: f32) -> (u64, EventKind) {
    (
        at,
        EventKind::NoteOn {
            key,
            velocity,
            channel: 0,
            note_id: None,
        },
    )
}

/// Absolute-time note-off.
pub fn note_off(at: u64, key: u8) -> (u64, EventKind) {
    (
        at,
        EventKind::NoteOff {
            key,
            channel: 0,
            note_id: None,
        },
    )
}

/// RMS of a signal.
pub fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// Largest absolute sample-to-sample difference in `x`.
pub fn max_step(x: &[f32]) -> f32 {
    x.windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f32::max)
}

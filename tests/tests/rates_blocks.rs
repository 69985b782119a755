//! Sample rates and block sizes: output is finite, a note starts exactly at its sample, and the
//! samples do not depend on how the host cuts the stream into blocks.

mod common;

use common::{first_difference, note, render_events, sorted};
use octolane_tests::{ScheduledEvent, StereoBuffer};

const BLOCKS: [u32; 4] = [1, 32, 512, 4096];

/// First note-on frame: not a multiple of any block size, so every block size splits it.
const ONSET: u64 = 1237;

/// How soon after its onset a note must be heard (an attack may start at an exact zero).
const ONSET_TOLERANCE: usize = 8;

fn song(rate: f64) -> (Vec<ScheduledEvent>, u64) {
    let frames = (0.3 * rate) as u64;
    let off = (0.15 * rate) as u64;
    let mut events = Vec::new();
    events.extend(note(60, 0.9, ONSET, off));
    events.extend(note(67, 0.6, ONSET + 4101, off + 777));
    (sorted(events), frames)
}

fn check_onset(out: &StereoBuffer, rate: f64, block: u32) {
    let first = out
        .first_nonzero_frame()
        .unwrap_or_else(|| panic!("{rate} Hz, block {block}: the note made no sound"));
    assert!(
        first >= ONSET as usize,
        "{rate} Hz, block {block}: sound at frame {first}, before the note-on at {ONSET}"
    );
    assert!(
        first < ONSET as usize + ONSET_TOLERANCE,
        "{rate} Hz, block {block}: first sound at frame {first}, note-on was at {ONSET}"
    );
}

/// Renders the song at `rate` with every block size: finite, on time, and bit-identical.
fn check_rate(rate: f64) {
    {
        let (events, frames) = song(rate);
        let mut reference: Option<(u32, StereoBuffer)> = None;
        for block in BLOCKS {
            let mut host = common::fresh();
            let out = render_events(&mut host, rate, block, &events, frames);
            assert_eq!(out.len() as u64, frames);
            assert!(
                out.all_finite(),
                "{rate} Hz, block {block}: non-finite output"
            );
            assert!(
                out.peak() > 1e-3,
                "{rate} Hz, block {block}: peak {} is too quiet for two notes",
                out.peak()
            );
            check_onset(&out, rate, block);
            match &reference {
                None => reference = Some((block, out)),
                Some((ref_block, ref_out)) => {
                    if let Some(i) = first_difference(ref_out, &out) {
                        panic!(
                            "{rate} Hz: block {block} differs from block {ref_block} from frame \
                             {i} (L {} vs {}, R {} vs {})",
                            out.left[i], ref_out.left[i], out.right[i], ref_out.right[i]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn at_44100_hz_every_block_size_is_finite_sample_accurate_and_identical() {
    check_rate(44_100.0);
}

#[test]
fn at_48000_hz_every_block_size_is_finite_sample_accurate_and_identical() {
    check_rate(48_000.0);
}

#[test]
fn at_96000_hz_every_block_size_is_finite_sample_accurate_and_identical() {
    check_rate(96_000.0);
}

#[test]
fn at_192000_hz_every_block_size_is_finite_sample_accurate_and_identical() {
    check_rate(192_000.0);
}

//! Saved state restores the sound exactly; damaged state is refused and changes nothing.

mod common;

use common::{Rng, first_difference, note, pid, random_value, render_events, sorted};
use octolane_tests::{HostError, HostEvent, PluginHost, ScheduledEvent, StereoBuffer};

const RATE: f64 = 48_000.0;
const BLOCK: u32 = 256;
const FRAMES: u64 = 24_000;

/// Random values for every writable parameter, kept audible: the output gain and first
/// oscillator stay up and the attack stays short enough to hear within the render.
fn random_patch(host: &mut PluginHost, seed: u64) -> Vec<(u32, f64)> {
    let mut rng = Rng::new(seed);
    let keep_default = ["gain", "cutoff", "amp_attack"].map(pid);
    let keep_max = ["osc1_level", "amp_sustain"].map(pid);
    host.params()
        .unwrap()
        .iter()
        .filter(|p| !p.flags.is_readonly() && !p.flags.is_bypass())
        .map(|p| {
            let value = if keep_default.contains(&p.id) {
                p.default
            } else if keep_max.contains(&p.id) {
                p.max
            } else {
                random_value(p, &mut rng)
            };
            (p.id, value)
        })
        .collect()
}

/// Sets `values` through CLAP parameter value events (params.flush on the inactive plugin) and
/// returns the values the plugin then holds (it may quantise: some continuous parameters snap to
/// steps such as whole semitones).
fn apply(host: &mut PluginHost, values: &[(u32, f64)]) -> Vec<(u32, f64)> {
    host.flush_params(values).unwrap();
    values
        .iter()
        .map(|&(id, _)| (id, host.get_value(id).unwrap()))
        .collect()
}

/// A short phrase that touches notes, pitch bend, mod wheel, pressure and sustain.
fn phrase() -> Vec<ScheduledEvent> {
    let mut events = Vec::new();
    events.extend(note(57, 0.8, 0, 9_000));
    events.extend(note(64, 0.5, 2_000, 12_000));
    events.push(ScheduledEvent::new(3_000, HostEvent::pitch_bend(0, 12_000)));
    events.push(ScheduledEvent::new(
        4_000,
        HostEvent::control_change(0, 1, 90),
    ));
    events.push(ScheduledEvent::new(
        5_000,
        HostEvent::channel_pressure(0, 70),
    ));
    events.push(ScheduledEvent::new(
        6_000,
        HostEvent::control_change(0, 64, 127),
    ));
    events.push(ScheduledEvent::new(
        15_000,
        HostEvent::control_change(0, 64, 0),
    ));
    sorted(events)
}

fn play(host: &mut PluginHost) -> StereoBuffer {
    let out = render_events(host, RATE, BLOCK, &phrase(), FRAMES);
    assert!(out.all_finite(), "non-finite output");
    assert!(out.peak() > 1e-4, "silent render (peak {})", out.peak());
    out
}

fn assert_same(a: &StereoBuffer, b: &StereoBuffer, what: &str) {
    if let Some(i) = first_difference(a, b) {
        panic!(
            "{what}: renders differ from frame {i} (L {} vs {})",
            a.left[i], b.left[i]
        );
    }
}

#[test]
fn saved_state_restores_every_param_and_the_exact_sound_in_a_fresh_instance() {
    let mut original = common::fresh();
    let requested = random_patch(&mut original, 7);
    let patch = apply(&mut original, &requested);
    let changed = patch
        .iter()
        .filter(|&&(id, v)| {
            let default = original.param(id).unwrap().default;
            (v - default).abs() > 1e-6
        })
        .count();
    assert!(
        changed * 2 > patch.len(),
        "randomising changed only {changed} params"
    );

    let state = original.save_state().unwrap();
    let mut restored = common::fresh();
    restored.load_state(&state).unwrap();
    for &(id, value) in &patch {
        let got = restored.get_value(id).unwrap();
        assert!(
            got == value,
            "parameter {id}: saved {value}, restored {got}"
        );
    }
    let a = play(&mut original);
    let b = play(&mut restored);
    assert_same(&a, &b, "original vs restored");
}

/// Loads `bad` into an instance holding a known patch: it must be refused, and the instance must
/// sound exactly like a twin that never saw it.
fn refused_without_side_effects(bad: &[u8], what: &str) {
    let mut victim = common::fresh();
    let requested = random_patch(&mut victim, 11);
    let patch = apply(&mut victim, &requested);
    let result = victim.load_state(bad);
    assert_eq!(
        result,
        Err(HostError::StateLoad),
        "{what} state ({} bytes) was not refused",
        bad.len()
    );
    let mut twin = common::fresh();
    assert_eq!(
        apply(&mut twin, &requested),
        patch,
        "the twin got a different patch"
    );
    for &(id, value) in &patch {
        let got = victim.get_value(id).unwrap();
        assert!(
            got == value,
            "{what}: parameter {id} changed from {value} to {got} by a refused state"
        );
    }
    let a = play(&mut victim);
    let b = play(&mut twin);
    assert_same(&a, &b, what);
}

/// A genuine saved state of a non-default patch.
fn good_state() -> Vec<u8> {
    let mut host = common::fresh();
    let requested = random_patch(&mut host, 23);
    apply(&mut host, &requested);
    let state = host.save_state().unwrap();
    assert!(state.len() > 16, "implausibly small state: {state:?}");
    state
}

#[test]
fn empty_state_is_refused() {
    refused_without_side_effects(&[], "empty");
}

#[test]
fn random_bytes_are_refused() {
    let mut rng = Rng::new(99);
    for len in [1, 7, 8, 64, 4096] {
        refused_without_side_effects(&rng.bytes(len), &format!("{len} random bytes"));
    }
}

#[test]
fn truncated_state_is_refused() {
    let state = good_state();
    for keep in [4, 8, state.len() / 2, state.len() - 1] {
        refused_without_side_effects(&state[..keep], &format!("truncated to {keep} bytes"));
    }
}

#[test]
fn bit_corrupted_state_is_refused() {
    let state = good_state();
    // Flip one bit where a reader must notice: the length prefix's top byte, the first byte
    // of the payload, a quote in the middle, and the last byte.
    let quote = state
        .iter()
        .enumerate()
        .skip(state.len() / 2)
        .find(|&(_, &b)| b == b'"')
        .map_or(state.len() / 2, |(i, _)| i);
    for (index, bit) in [(7, 0x40), (8, 0x01), (quote, 0x01), (state.len() - 1, 0x02)] {
        let mut bad = state.clone();
        bad[index] ^= bit;
        refused_without_side_effects(&bad, &format!("bit {bit:#x} of byte {index} flipped"));
    }
}

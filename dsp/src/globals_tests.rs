//! The per-tick globals: a still engine's ticks reused bit for bit (its free LFO still
//! running), any change reaching the next tick, and smoothers ramping until they settle.

use super::*;
use crate::patch::{FilterMode, Waveform};

fn settled(patch: &Patch) -> Globals {
    let mut g = Globals::new(patch, 48_000.0);
    for _ in 0..4 {
        tick(&mut g);
    }
    g
}

fn tick(g: &mut Globals) -> Tick {
    let mut out = Tick::default();
    g.tick(&mut out);
    out
}

#[test]
fn a_still_engine_repeats_its_outputs_and_keeps_the_free_lfo_running() {
    let mut g = settled(&Patch::default());
    let first = tick(&mut g);
    let phase = g.free_lfo_phase;
    let second = tick(&mut g);
    assert_eq!(format!("{first:?}"), format!("{second:?}"));
    assert_ne!(g.free_lfo_phase, phase);
}

#[test]
fn any_change_reaches_the_next_tick_of_a_still_engine() {
    let mut base = Patch::default();
    base.lfo.to_pitch_st = 1.5;
    base.voice.pressure_oct = 2.0;
    let mut g = settled(&base);
    let mut p = base;
    p.osc1.wave = Waveform::Triangle;
    p.filter.mode = FilterMode::Hp;
    g.set_patch(&p);
    let run = tick(&mut g).run;
    assert_eq!((run.wave1, run.mode), (Waveform::Triangle, FilterMode::Hp));

    g.bend = 0.5;
    assert_eq!(tick(&mut g).control.bend_st, 0.5 * p.voice.bend_range_st);
    assert!(p.voice.bend_range_st > 0.0);
    g.mod_wheel = 1.0;
    g.pressure = 1.0;
    let c = tick(&mut g).control;
    assert_eq!((c.vibrato_st, c.pressure_oct), (1.5, 2.0));

    let mut p2 = p;
    p2.lfo.sync = true;
    g.set_patch(&p2);
    let before = tick(&mut g).control.lfo_inc;
    g.tempo_bpm = 60.0;
    assert!(
        tick(&mut g).control.lfo_inc < before,
        "a slower tempo slows a synced LFO"
    );
}

#[test]
fn a_moving_smoother_ramps_until_it_settles() {
    let mut g = settled(&Patch::default());
    let mut p = Patch::default();
    p.osc2.level = 0.0;
    g.set_patch(&p);
    let run = tick(&mut g).run;
    assert!(run.level2.1 < 0.0, "level 2 ramps down: {:?}", run.level2);
    for _ in 0..2_000 {
        tick(&mut g);
    }
    assert_eq!(tick(&mut g).run.level2, (0.0, 0.0));
}

mod common;
use common::*;
use octolane_dsp::{Patch, SimdEngine};

#[test]
fn a_chord_sounds_and_ends() {
    let patch = Patch::default();
    let mut e = SimdEngine::new(48_000.0);
    let ev = [note_on(100, 60, 0.8), note_on(100, 64, 0.8), note_on(100, 67, 0.8), note_off(24_000, 60), note_off(24_000, 64), note_off(24_000, 67)];
    let (l, r) = render(&mut e, &patch, &ev, 48_000 * 4, &[512]);
    println!("rms {} {} active {}", rms(&l[..24000]), rms(&r[..24000]), e.active_voices());
    println!("peak {}", l.iter().fold(0f32, |a, b| a.max(b.abs())));
    assert!(l.iter().all(|v| v.is_finite()));
    assert!(l[..100].iter().all(|v| *v == 0.0));
    assert!(rms(&l[1000..24000]) > 0.01);
    assert_eq!(e.active_voices(), 0);
}

//! The kept source levels against fresh fills.

use super::*;

#[test]
fn kept_levels_are_the_levels_a_fresh_fill_gives() {
    // Steady levels are written once and kept; every run must still read exactly what
    // filling from scratch gives, through ramps, changes and runs of any length.
    let steady = |a: f32, b: f32, noise: f32| [(a, 0.0), (b, 0.0), (noise, 0.0)];
    let runs = [
        (steady(0.5, 0.25, 0.1), 0, 16),
        (steady(0.5, 0.25, 0.1), 3, 13),
        (steady(0.5, 0.25, 0.1), 0, 5),
        ([(0.5, 0.01), (0.25, 0.0), (0.1, -0.002)], 5, 11),
        (steady(0.66, 0.25, 0.1), 0, 16),
        (steady(0.66, 0.25, 0.0), 7, 9),
        (steady(0.5, 0.25, 0.1), 0, 16),
        ([(0.5, 0.0), (0.25, 0.0), (0.1, 0.003)], 0, 16),
        (steady(0.5, 0.25, 0.1), 2, 14),
    ];
    let mut kept = LevelRamps::<wide::f32x8>::default();
    for (k, ([level1, level2, noise], tick_pos, n)) in runs.into_iter().enumerate() {
        let run = RunParams {
            level1,
            level2,
            noise,
            tick_pos,
            ..RunParams::default()
        };
        let mut fresh = LevelRamps::<wide::f32x8>::default();
        let want: Vec<[[f32; 8]; 3]> = fresh
            .for_run(&run, n)
            .iter()
            .map(|l| l.map(|x| x.to_array()))
            .collect();
        let got: Vec<[[f32; 8]; 3]> = kept
            .for_run(&run, n)
            .iter()
            .map(|l| l.map(|x| x.to_array()))
            .collect();
        assert_eq!(got, want, "run {k}");
        let first = level1.0 + level1.1 * tick_pos as f32;
        assert_eq!(got[0][0][3], first, "run {k}");
    }
}

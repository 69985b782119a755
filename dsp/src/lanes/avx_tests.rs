//! `Avx8` against the portable `f32x8`, operation by operation, bit for bit.

use super::*;
use crate::limiter::output_run;
use wide::f32x8;

/// Whether the CPU runs these lanes (every test here needs it, and says when it skips).
fn runs() -> bool {
    let has = std::arch::is_x86_feature_detected!("avx2");
    if !has {
        eprintln!("skipped: this CPU has no AVX2");
    }
    has
}

/// Inputs for the lane operations: ordinary values of both signs, zeros of both signs,
/// subnormals, the largest floats, infinities and a NaN, in lanes that differ.
fn inputs() -> Vec<[f32; 8]> {
    let specials = [
        0.0,
        -0.0,
        1.0e-40,
        -1.0e-40,
        f32::MAX,
        f32::MIN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        0.5,
        -2.5,
        3.75,
        1.0e9,
        -7.0e-3,
    ];
    let mut rows = Vec::new();
    let mut x = 0x2545_f491_u32;
    for shift in 0..specials.len() {
        rows.push(std::array::from_fn(|i| {
            specials[(i + shift) % specials.len()]
        }));
    }
    for _ in 0..64 {
        rows.push(std::array::from_fn(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as i32 as f32) * 1.0e-6
        }));
    }
    rows
}

fn bits_of_avx(x: Avx8) -> [u32; 8] {
    x.to_array().map(f32::to_bits)
}

fn bits_of_wide(x: f32x8) -> [u32; 8] {
    x.to_array().map(f32::to_bits)
}

/// Assert that `$e` computes the same bits with `Avx8` and `f32x8` lanes for every
/// triple of input rows `$a`, `$b`, `$c` (filtered by `$keep`).
macro_rules! same_bits {
    ($what:literal, $keep:expr, |$a:ident, $b:ident, $c:ident| $e:expr) => {{
        let rows: Vec<[f32; 8]> = inputs().into_iter().filter($keep).collect();
        for (i, ra) in rows.iter().enumerate() {
            let (rb, rc) = (
                rows[(i * 7 + 3) % rows.len()],
                rows[(i * 5 + 1) % rows.len()],
            );
            let want = {
                let ($a, $b, $c) = (f32x8::new(*ra), f32x8::new(rb), f32x8::new(rc));
                bits_of_wide($e)
            };
            let got = {
                let ($a, $b, $c) = (
                    Avx8::from_array(*ra),
                    Avx8::from_array(rb),
                    Avx8::from_array(rc),
                );
                bits_of_avx($e)
            };
            assert_eq!(got, want, "{} of {ra:?}, {rb:?}, {rc:?}", $what);
        }
    }};
}

fn any_row(_: &[f32; 8]) -> bool {
    true
}

/// Whole numbers in −126…127 from any lanes (NaN to −126), what `exp2_int` takes.
fn whole_exponent<L: Lanes>(x: L) -> L {
    let scaled = (x * L::splat(1.0e-7)).max(L::splat(-126.0));
    scaled.min(L::splat(127.0)).floor()
}

#[test]
fn arithmetic_matches_the_portable_lanes_bit_for_bit() {
    if !runs() {
        return;
    }
    same_bits!("add", any_row, |a, b, _c| a + b);
    same_bits!("sub", any_row, |a, b, _c| a - b);
    same_bits!("mul", any_row, |a, b, _c| a * b);
    same_bits!("div", any_row, |a, b, _c| a / b);
    same_bits!("neg", any_row, |a, _b, _c| -a);
    same_bits!("min", any_row, |a, b, _c| Lanes::min(a, b));
    same_bits!("max", any_row, |a, b, _c| Lanes::max(a, b));
    same_bits!("abs", any_row, |a, _b, _c| Lanes::abs(a));
    same_bits!("sqrt", any_row, |a, _b, _c| Lanes::sqrt(a));
    same_bits!("floor", any_row, |a, _b, _c| Lanes::floor(a));
    same_bits!("mul_add", any_row, |a, b, c| Lanes::mul_add(a, b, c));
    same_bits!("neg_mul_add", any_row, |a, b, c| Lanes::neg_mul_add(
        a, b, c
    ));
    same_bits!("mul_sub", any_row, |a, b, c| Lanes::mul_sub(a, b, c));
    same_bits!("exp2_int", any_row, |a, _b, _c| Lanes::exp2_int(
        whole_exponent(a)
    ));
}

#[test]
fn masks_and_bits_match_the_portable_lanes_bit_for_bit() {
    if !runs() {
        return;
    }
    same_bits!("lt", any_row, |a, b, _c| Lanes::lt(a, b));
    same_bits!("le", any_row, |a, b, _c| Lanes::le(a, b));
    same_bits!("eq", any_row, |a, b, _c| Lanes::eq(a, b));
    same_bits!("select", any_row, |a, b, c| Lanes::select(
        Lanes::lt(a, b),
        b,
        c
    ));
    same_bits!("and", any_row, |a, b, _c| Lanes::and(a, b));
    same_bits!("or", any_row, |a, b, _c| Lanes::or(a, b));
    same_bits!("xor", any_row, |a, b, _c| Lanes::xor(a, b));
    same_bits!("add_bits", any_row, |a, b, _c| Lanes::add_bits(a, b));
    same_bits!("but_not", any_row, |a, b, _c| Lanes::but_not(a, b));
    same_bits!("sign_mask", any_row, |a, _b, _c| Lanes::sign_mask(a));
    same_bits!("lt_bits", any_row, |a, b, _c| Lanes::lt_bits(a, b));
    same_bits!("bits_to_float", any_row, |a, _b, _c| Lanes::bits_to_float(
        a
    ));
    same_bits!("float_to_bits", any_row, |a, _b, _c| Lanes::float_to_bits(
        a
    ));
    for row in inputs() {
        let (avx, portable) = (Avx8::from_array(row), f32x8::new(row));
        let (mask_avx, mask_portable) = (avx.lt(Avx8::splat(0.5)), portable.lt(f32x8::splat(0.5)));
        assert_eq!(
            mask_avx.bitmask(),
            mask_portable.bitmask(),
            "bitmask of {row:?}"
        );
        assert_eq!(mask_avx.any(), mask_portable.any(), "any of {row:?}");
        for (lane, value) in row.iter().enumerate() {
            assert_eq!(avx.lane(lane).to_bits(), value.to_bits());
        }
        let mut set = avx;
        set.set_lane(5, 42.0);
        assert_eq!(set.to_array()[5], 42.0);
        assert_eq!(bits_of_avx(set)[4], row[4].to_bits());
    }
}

#[test]
fn noise_follows_the_portable_generators() {
    if !runs() {
        return;
    }
    let (mut avx, mut portable) = (Avx8Bits::default(), wide::u32x8::default());
    for lane in 0..8 {
        let seed = 0x9E37_79B9_u32.wrapping_mul(lane as u32 + 1);
        Avx8::seed_noise(&mut avx, lane, seed);
        f32x8::seed_noise(&mut portable, lane, seed);
        assert_eq!(Avx8::noise_lane(&avx, lane), seed);
    }
    // From an odd start, as a note that begins on the low half of its seed's word.
    for n in 1..2_000 {
        let (a, p) = if n % 3 == 0 {
            (Avx8::noise(&mut avx), f32x8::noise(&mut portable))
        } else {
            (
                Avx8::audio_noise(&mut avx, n),
                f32x8::audio_noise(&mut portable, n),
            )
        };
        assert_eq!(bits_of_avx(a), bits_of_wide(p), "sample {n}");
    }
    assert_eq!(avx.to_array(), portable.to_array());
}

#[test]
fn rows_drain_as_the_portable_rows_do() {
    if !runs() {
        return;
    }
    for len in [0, 1, 3, 4, 5, 8, 9, 31, 32] {
        let rows: Vec<[f32; 8]> = inputs().into_iter().cycle().skip(14).take(len).collect();
        let mut avx: Vec<Avx8> = rows.iter().map(|r| Avx8::from_array(*r)).collect();
        let mut portable: Vec<f32x8> = rows.iter().map(|r| f32x8::new(*r)).collect();
        let (mut out_avx, mut out_portable) = (vec![1.0; len], vec![1.0; len]);
        Avx8::drain_rows(&mut avx, &mut out_avx);
        f32x8::drain_rows(&mut portable, &mut out_portable);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&out_avx), bits(&out_portable), "{len} rows");
        assert!(
            avx.iter().all(|r| r.to_array() == [0.0; 8]),
            "{len} rows cleared"
        );
    }
}

#[test]
fn the_output_stage_limits_as_the_portable_one_does() {
    if !runs() {
        return;
    }
    // Quiet, loud and broken samples, under a steady and a ramping gain, in runs that end
    // on a whole chunk and in the middle of one.
    let samples: Vec<f32> = inputs().concat().iter().map(|x| x * 1.0e-3).collect();
    for gain in [(0.8, 0.0), (0.5, 0.37), (2.0e6, -1.0e5)] {
        for (len, tick_pos) in [(16, 0), (11, 5), (3, 13)] {
            for start in (0..samples.len() - 2 * len).step_by(37) {
                let (left, right) = (&samples[start..start + len], &samples[start + len..]);
                let right = &right[..len];
                let (mut al, mut ar) = (left.to_vec(), right.to_vec());
                let (mut pl, mut pr) = (left.to_vec(), right.to_vec());
                let broken_avx = output_run::<Avx8>(gain, tick_pos, &mut al, &mut ar);
                let broken_portable = output_run::<f32x8>(gain, tick_pos, &mut pl, &mut pr);
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(broken_avx, broken_portable, "{gain:?} {len} {start}");
                assert_eq!(bits(&al), bits(&pl), "left {gain:?} {len} {start}");
                assert_eq!(bits(&ar), bits(&pr), "right {gain:?} {len} {start}");
            }
        }
    }
}

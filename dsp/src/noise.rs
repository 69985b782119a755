//! The per-voice white-noise generators: one xorshift32 per lane, seeded per note.

use std::ops::{BitXor, Shl, Shr};
use wide::{f32x8, i32x8, u32x8};

/// One xorshift32 step (shifts 13, 17, 5) of a word or of every lane of a vector.
#[inline(always)]
fn xorshift32<T>(mut x: T) -> T
where
    T: Copy + BitXor<Output = T> + Shl<i32, Output = T> + Shr<i32, Output = T>,
{
    x = x ^ (x << 13);
    x = x ^ (x >> 17);
    x ^ (x << 5)
}

/// 2⁻³¹: a full-range `i32` to −1 … 1 (the audio noise's unit).
pub const SCALE: f32 = 1.0 / 2_147_483_648.0;

/// The next sample in [−1, 1) with 23 bits of resolution: one step per sample (the LFO's
/// sample-and-hold). Allocation-free, O(1).
#[inline(always)]
pub fn white(state: &mut u32) -> f32 {
    *state = xorshift32(*state);
    f32::from_bits((*state >> 9) | 0x4000_0000) - 3.0
}

/// [`white`] in every lane.
#[inline(always)]
pub fn white_x8(state: &mut u32x8) -> f32x8 {
    *state = xorshift32(*state);
    let bits = (*state >> 9) | u32x8::splat(0x4000_0000);
    bytemuck::cast::<u32x8, f32x8>(bits) - f32x8::splat(3.0)
}

/// Audio-rate noise in units of [`SCALE`] for output sample `n`, two samples per step: an
/// even `n` steps the state and takes its high 16 bits, the odd `n` after it the low 16
/// (see `Lanes::audio_noise`). Allocation-free, O(1).
#[inline(always)]
pub fn paired(state: &mut u32, n: usize) -> f32 {
    let bits = if n.is_multiple_of(2) {
        *state = xorshift32(*state);
        *state & 0xFFFF_0000
    } else {
        *state << 16
    };
    bits as i32 as f32
}

/// [`paired`] in every lane.
#[inline(always)]
pub fn paired_x8(state: &mut u32x8, n: usize) -> f32x8 {
    let bits = if n.is_multiple_of(2) {
        *state = xorshift32(*state);
        *state & u32x8::splat(0xFFFF_0000)
    } else {
        *state << 16
    };
    bytemuck::cast::<u32x8, i32x8>(bits).round_float()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_noise_is_white_uniform_and_the_same_in_every_lane() {
        // Eight lanes of different seeds against the scalar generator, from an odd start
        // (a note that begins on the low half of its seed's word), then the statistics of
        // one long lane: uniform on −1 … 1 (mean 0, variance 1/3, every value inside), and
        // no correlation between samples, above all between the two halves of one word.
        let seeds: [u32; 8] = [1, 7, 0x1234_5678, 99, 0xDEAD_BEEF, 3, 1 << 31, 12_345];
        let mut lanes = u32x8::new(seeds);
        let mut scalars = seeds;
        let mut samples = Vec::new();
        for n in 1..200_001 {
            let simd = paired_x8(&mut lanes, n);
            for (lane, state) in scalars.iter_mut().enumerate() {
                let x = paired(state, n);
                assert_eq!(
                    simd.as_array()[lane].to_bits(),
                    x.to_bits(),
                    "sample {n}, lane {lane}"
                );
            }
            samples.push(f64::from(simd.as_array()[2] * SCALE));
        }
        assert!(samples.iter().all(|x| (-1.0..1.0).contains(x)));
        let len = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / len;
        let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / len;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((variance - 1.0 / 3.0).abs() < 0.01, "variance {variance}");
        for lag in 1..=8 {
            let sum: f64 = samples.windows(lag + 1).map(|w| w[0] * w[lag]).sum();
            let correlation = sum / (len - lag as f64) / variance;
            assert!(correlation.abs() < 0.01, "lag {lag}: {correlation}");
        }
        // The halves of one word: each odd sample against the even one before it (the
        // samples start at n = 1, so the words' pairs start at the second).
        let pairs: f64 = samples[1..].chunks_exact(2).map(|p| p[0] * p[1]).sum();
        let correlation = pairs / ((len - 1.0) / 2.0).floor() / variance;
        assert!(correlation.abs() < 0.01, "word halves: {correlation}");
    }
}

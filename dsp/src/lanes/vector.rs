//! The engine's lanes: eight voices per `f32x8`, with the SSE2 fallbacks of the portable build.

use super::{Lanes, Lanes8};
use crate::noise;
use wide::{f32x8, u32x8};

/// The lanes' bits as `i32` lanes.
#[inline(always)]
fn bits_x8(x: f32x8) -> wide::i32x8 {
    bytemuck::cast(x)
}

/// Lane-wise floor: one rounding instruction where SSE4.1 has it.
#[cfg(target_feature = "sse4.1")]
#[inline(always)]
fn floor_x8(x: f32x8) -> f32x8 {
    x.floor()
}

/// Lane-wise floor without SSE4.1, where `wide` falls back to libm per lane: truncation
/// through integers is exact for |x| < 2^31, which covers every value the kernels floor.
#[cfg(not(target_feature = "sse4.1"))]
#[inline(always)]
fn floor_x8(x: f32x8) -> f32x8 {
    let truncated = f32x8::from_i32x8(x.trunc_int());
    let above = truncated.simd_gt(x);
    truncated - f32x8::select(above, f32x8::splat(1.0), f32x8::splat(0.0))
}

/// Add the step correction of one `f32x4` half of `f32x8` lanes (see `Lanes::add_step_in`).
#[cfg(not(target_feature = "avx"))]
#[inline(always)]
fn add_step_half(
    halves: &mut [wide::f32x4],
    s: usize,
    half: usize,
    f: wide::f32x4,
    h: wide::f32x4,
) {
    for (i, value) in crate::blep::step_values(f, h).into_iter().enumerate() {
        let slot = &mut halves[(s - 2 + i) * 2 + half];
        *slot += value;
    }
}

impl Lanes8 for f32x8 {
    #[inline(always)]
    fn from_array(lanes: [f32; 8]) -> Self {
        f32x8::new(lanes)
    }
    #[inline(always)]
    fn to_array(self) -> [f32; 8] {
        f32x8::to_array(self)
    }
}

impl Lanes for f32x8 {
    const WIDTH: usize = 8;
    type Bits = u32x8;
    type Out8 = f32x8;

    // A build that targets AVX2 compiles the passes over the groups for these lanes already,
    // and they run faster inlined where they are called: measured in an x86-64-v3 build,
    // 1.5 % faster at 8 voices and 2 % at 64. With SSE2 they stay apart, as the trait's
    // defaults (and the scalar reference's, slower inlined) keep them.
    #[cfg(target_feature = "avx2")]
    native_methods! {
        #[inline(always)] []
        fn native();
        fn native3(a: A, b: B, c: C);
        fn native5(a: A, b: B, c: C, d: D, e: E);
    }

    #[inline(always)]
    fn splat(value: f32) -> Self {
        f32x8::splat(value)
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        self.fast_min(other)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        self.fast_max(other)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32x8::abs(self)
    }
    #[inline(always)]
    fn floor(self) -> Self {
        floor_x8(self)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32x8::sqrt(self)
    }
    #[inline(always)]
    fn lt(self, other: Self) -> Self {
        self.simd_lt(other)
    }
    #[inline(always)]
    fn le(self, other: Self) -> Self {
        self.simd_le(other)
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self {
        self.simd_eq(other)
    }
    #[inline(always)]
    fn select(self, if_true: Self, if_false: Self) -> Self {
        f32x8::select(self, if_true, if_false)
    }
    #[inline(always)]
    fn and(self, other: Self) -> Self {
        self & other
    }
    #[inline(always)]
    fn or(self, other: Self) -> Self {
        self | other
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        self ^ other
    }
    /// SSE2 works on an `f32x8` as two `f32x4` halves, and an edge nearly always falls in
    /// one lane: only the halves with crossed lanes are corrected, which halves the cost of
    /// the taps. Each lane computes what it would in the whole vector.
    #[cfg(not(target_feature = "avx"))]
    #[inline(always)]
    fn add_step_in<const N: usize>(
        buf: &mut [Self; N],
        s: usize,
        crossed: Self,
        f: Self,
        height: Self,
    ) {
        let bits = crossed.to_bitmask();
        let f: [wide::f32x4; 2] = bytemuck::cast(f);
        let h: [wide::f32x4; 2] = bytemuck::cast(crossed & height);
        let halves: &mut [wide::f32x4] = bytemuck::cast_slice_mut(buf.as_mut_slice());
        // The low half if it has a crossed lane, else the high one (without a branch).
        let low = bits & 0xF != 0;
        let first = usize::from(!low);
        add_step_half(halves, s, first, f[first], h[first]);
        if low && bits >> 4 != 0 {
            add_step_half(halves, s, 1, f[1], h[1]);
        }
    }
    #[inline(always)]
    fn mul_add(self, m: Self, a: Self) -> Self {
        // `wide` fuses exactly when the target has FMA, as the `f32` lanes do.
        f32x8::mul_add(self, m, a)
    }
    #[inline(always)]
    fn neg_mul_add(self, m: Self, a: Self) -> Self {
        f32x8::mul_neg_add(self, m, a)
    }
    #[inline(always)]
    fn mul_sub(self, m: Self, s: Self) -> Self {
        f32x8::mul_sub(self, m, s)
    }
    #[inline(always)]
    fn any(self) -> bool {
        // One test of the combined mask (`f32x8::any` tests the two SSE halves with two
        // branches).
        self.to_bitmask() != 0
    }
    #[inline(always)]
    fn bitmask(self) -> u32 {
        self.to_bitmask()
    }
    #[inline(always)]
    fn add_bits(self, other: Self) -> Self {
        bytemuck::cast(bits_x8(self) + bits_x8(other))
    }
    #[inline(always)]
    fn mul_bits(self, other: Self) -> Self {
        bytemuck::cast(bits_x8(self) * bits_x8(other))
    }
    #[inline(always)]
    fn sub_bits(self, other: Self) -> Self {
        bytemuck::cast(bits_x8(self) - bits_x8(other))
    }
    #[inline(always)]
    fn or_lanes(self) -> u32 {
        let [low, high]: [wide::u32x4; 2] = bytemuck::cast(self);
        (low | high)
            .to_array()
            .into_iter()
            .fold(0, |all, lane| all | lane)
    }
    #[inline(always)]
    fn but_not(self, other: Self) -> Self {
        bytemuck::cast(bits_x8(self) & !bits_x8(other))
    }
    #[inline(always)]
    fn sign_mask(self) -> Self {
        bytemuck::cast(bits_x8(self) >> 31u32)
    }
    #[inline(always)]
    fn lt_bits(self, other: Self) -> Self {
        bytemuck::cast(bits_x8(self).simd_lt(bits_x8(other)))
    }
    #[inline(always)]
    fn bits_to_float(self) -> Self {
        bits_x8(self).round_float()
    }
    #[inline(always)]
    fn float_to_bits(self) -> Self {
        bytemuck::cast(self.fast_round_int())
    }
    #[inline(always)]
    fn drain_rows(rows: &mut [Self], out: &mut [f32]) {
        crate::lane_sum::drain_rows(rows, out);
    }
    #[inline(always)]
    fn lane(self, index: usize) -> f32 {
        self.as_array()[index]
    }
    #[inline(always)]
    fn set_lane(&mut self, index: usize, value: f32) {
        self.as_mut_array()[index] = value;
    }
    #[inline(always)]
    fn exp2_int(self) -> Self {
        let bits = (self.trunc_int() + wide::i32x8::splat(127)) << 23;
        bytemuck::cast(bits)
    }
    #[inline(always)]
    fn noise(state: &mut u32x8) -> Self {
        noise::white_x8(state)
    }
    #[inline(always)]
    fn audio_noise(state: &mut u32x8, n: usize) -> Self {
        noise::paired_x8(state, n)
    }
    fn seed_noise(state: &mut u32x8, index: usize, seed: u32) {
        let mut lanes = state.to_array();
        lanes[index] = seed.max(1);
        *state = u32x8::new(lanes);
    }
    fn noise_lane(state: &u32x8, index: usize) -> u32 {
        state.to_array()[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blep::add_step;

    #[test]
    fn a_step_correction_reaches_exactly_the_crossed_lanes() {
        // Each lane of the SIMD correction equals the scalar correction of that lane when it
        // crossed, and leaves the lane's slots as they were when it did not: lanes in one
        // half, in both halves, all and none (SSE2 corrects the halves separately).
        let f = f32x8::new([0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.9, 1.0]);
        let height = f32x8::new([2.0, -2.0, 1.5, -0.5, 2.0, -2.0, 0.75, -1.0]);
        let start: [f32x8; 16] =
            std::array::from_fn(|slot| f32x8::splat(0.25) + f32x8::splat(slot as f32 * 0.125));
        let lane_sets: [&[usize]; 6] = [
            &[],
            &[0],
            &[6],
            &[1, 6],
            &[4, 5, 7],
            &[0, 1, 2, 3, 4, 5, 6, 7],
        ];
        for (case, lanes) in lane_sets.iter().enumerate() {
            let mut crossed = f32x8::splat(0.0);
            for &lane in *lanes {
                crossed.set_lane(lane, f32::from_bits(!0));
            }
            let s = 3 + case;
            let mut ring = start;
            f32x8::add_step_in(&mut ring, s, crossed, f, height);
            for lane in 0..8 {
                let mut want: [f32; 16] = std::array::from_fn(|slot| start[slot].lane(lane));
                if lanes.contains(&lane) {
                    add_step(&mut want, s, (f.lane(lane), height.lane(lane)));
                }
                for (slot, want) in want.iter().enumerate() {
                    assert_eq!(
                        ring[slot].lane(lane),
                        *want,
                        "case {case}, lane {lane}, slot {slot}"
                    );
                }
            }
        }
    }

    #[test]
    fn fused_arithmetic_is_the_same_in_every_lane_type() {
        // 1 + 2⁻²³ squared is 1 + 2⁻²² + 2⁻⁴⁶: one rounding keeps the 2⁻⁴⁶ that two
        // roundings lose, so the fused and unfused forms differ here. Both lane types must
        // take the same one, and it must be the one the build promises.
        let x = 1.0 + f32::EPSILON;
        let minus_one = -1.0 - 2.0 * f32::EPSILON;
        let scalar = Lanes::mul_add(x, x, minus_one);
        let simd = Lanes::mul_add(f32x8::splat(x), f32x8::splat(x), f32x8::splat(minus_one));
        assert_eq!(simd.lane(5).to_bits(), scalar.to_bits());
        let fused = cfg!(target_feature = "fma");
        assert_eq!(scalar, if fused { 2f32.powi(-46) } else { 0.0 });
        let negated =
            Lanes::neg_mul_add(f32x8::splat(x), f32x8::splat(-x), f32x8::splat(minus_one));
        assert_eq!(negated.lane(2).to_bits(), scalar.to_bits());
        assert_eq!(Lanes::neg_mul_add(3.0f32, 4.0, 20.0), 8.0);
        let plus_one = -minus_one;
        assert_eq!(Lanes::mul_sub(x, x, plus_one).to_bits(), scalar.to_bits());
        let subtracted = Lanes::mul_sub(f32x8::splat(x), f32x8::splat(x), f32x8::splat(plus_one));
        assert_eq!(subtracted.lane(7).to_bits(), scalar.to_bits());
    }

    #[test]
    fn floor_matches_the_scalar_floor() {
        for i in -4_000..4_000 {
            let x = i as f32 * 0.037 + 0.001;
            assert_eq!(
                Lanes::floor(f32x8::splat(x)).lane(3),
                x.floor(),
                "floor({x})"
            );
        }
    }
}

//! The scalar reference's lanes: one voice per `f32`, with the semantics of the x86 vector
//! instructions wherever IEEE arithmetic leaves a choice (`min`, `max`, rounding), so a
//! voice computes bit for bit what a lane of `f32x8` does.

use super::Lanes;
use crate::noise;

/// A lane mask of all ones or all zeros.
fn mask_f32(set: bool) -> f32 {
    if set { f32::from_bits(u32::MAX) } else { 0.0 }
}

impl Lanes for f32 {
    const WIDTH: usize = 1;
    type Bits = u32;
    // The reference's output stage runs eight samples at a time, as the engine's does.
    type Out8 = wide::f32x8;

    #[inline(always)]
    fn splat(value: f32) -> Self {
        value
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        // The semantics of x86 `minps`/`maxps`, so scalar and SIMD agree on every input.
        if self < other { self } else { other }
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if self > other { self } else { other }
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn floor(self) -> Self {
        f32::floor(self)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn lt(self, other: Self) -> Self {
        mask_f32(self < other)
    }
    #[inline(always)]
    fn le(self, other: Self) -> Self {
        mask_f32(self <= other)
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self {
        mask_f32(self == other)
    }
    #[inline(always)]
    fn select(self, if_true: Self, if_false: Self) -> Self {
        if self.to_bits() != 0 {
            if_true
        } else {
            if_false
        }
    }
    #[inline(always)]
    fn and(self, other: Self) -> Self {
        f32::from_bits(self.to_bits() & other.to_bits())
    }
    #[inline(always)]
    fn or(self, other: Self) -> Self {
        f32::from_bits(self.to_bits() | other.to_bits())
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        f32::from_bits(self.to_bits() ^ other.to_bits())
    }
    #[inline(always)]
    fn mul_add(self, m: Self, a: Self) -> Self {
        #[cfg(target_feature = "fma")]
        return f32::mul_add(self, m, a);
        #[cfg(not(target_feature = "fma"))]
        return self * m + a;
    }
    #[inline(always)]
    fn neg_mul_add(self, m: Self, a: Self) -> Self {
        // Negation is exact: one rounding of a − self·m when fused.
        #[cfg(target_feature = "fma")]
        return f32::mul_add(-self, m, a);
        #[cfg(not(target_feature = "fma"))]
        return a - self * m;
    }
    #[inline(always)]
    fn mul_sub(self, m: Self, s: Self) -> Self {
        #[cfg(target_feature = "fma")]
        return f32::mul_add(self, m, -s);
        #[cfg(not(target_feature = "fma"))]
        return self * m - s;
    }
    #[inline(always)]
    fn any(self) -> bool {
        self.to_bits() != 0
    }
    #[inline(always)]
    fn bitmask(self) -> u32 {
        self.to_bits() >> 31
    }
    #[inline(always)]
    fn add_bits(self, other: Self) -> Self {
        f32::from_bits(self.to_bits().wrapping_add(other.to_bits()))
    }
    #[inline(always)]
    fn mul_bits(self, other: Self) -> Self {
        f32::from_bits(self.to_bits().wrapping_mul(other.to_bits()))
    }
    #[inline(always)]
    fn sub_bits(self, other: Self) -> Self {
        f32::from_bits(self.to_bits().wrapping_sub(other.to_bits()))
    }
    #[inline(always)]
    fn or_lanes(self) -> u32 {
        self.to_bits()
    }
    #[inline(always)]
    fn but_not(self, other: Self) -> Self {
        f32::from_bits(self.to_bits() & !other.to_bits())
    }
    #[inline(always)]
    fn sign_mask(self) -> Self {
        f32::from_bits(((self.to_bits() as i32) >> 31) as u32)
    }
    #[inline(always)]
    fn lt_bits(self, other: Self) -> Self {
        mask_f32((self.to_bits() as i32) < (other.to_bits() as i32))
    }
    #[inline(always)]
    fn bits_to_float(self) -> Self {
        self.to_bits() as i32 as f32
    }
    #[inline(always)]
    fn float_to_bits(self) -> Self {
        // What `cvtps2dq` does in the default rounding mode, for values in range.
        f32::from_bits(self.round_ties_even() as i32 as u32)
    }
    #[inline(always)]
    fn drain_rows(rows: &mut [Self], out: &mut [f32]) {
        let n = rows.len().min(out.len());
        out[..n].copy_from_slice(&rows[..n]);
        rows[..n].fill(0.0);
    }
    #[inline(always)]
    fn lane(self, _index: usize) -> f32 {
        self
    }
    #[inline(always)]
    fn set_lane(&mut self, _index: usize, value: f32) {
        *self = value;
    }
    #[inline(always)]
    fn exp2_int(self) -> Self {
        f32::from_bits(((self as i32 + 127) as u32) << 23)
    }
    #[inline(always)]
    fn noise(state: &mut u32) -> Self {
        noise::white(state)
    }
    #[inline(always)]
    fn audio_noise(state: &mut u32, n: usize) -> Self {
        noise::paired(state, n)
    }
    fn seed_noise(state: &mut u32, _index: usize, seed: u32) {
        *state = seed.max(1);
    }
    fn noise_lane(state: &u32, _index: usize) -> u32 {
        *state
    }
}

//! The engine's lanes on AVX2: eight voices per `__m256`, for the path a portable build
//! takes at run time on CPUs that have AVX2 (see `simd_engine`).
//!
//! Every operation is the one `f32x8` performs in the portable (SSE2) build, done in one
//! instruction instead of two halves. `mul_add` and its kin are fused only where the build
//! itself targets FMA, as in the other lane types, never by the run-time choice: in a
//! portable build a lane computes bit for bit what a lane of `f32x8` and the scalar
//! reference compute, so the engine renders the same samples on every x86-64 CPU.
//!
//! The intrinsics are only valid on a CPU with AVX2, so [`Avx8`] is private to the crate
//! and only `simd_engine` makes values of it, after checking the CPU. Its methods become
//! single instructions where they are inlined into code compiled for AVX2, which
//! [`Lanes::native`] provides: the engine runs its blocks and primes its new voices inside
//! it. Called anywhere else (setting up a patch) they are calls to the intrinsics, still
//! correct on such a CPU.

use super::{Lanes, Lanes8};
use std::arch::x86_64::*;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// Eight voice lanes in one AVX register. Only valid on a CPU with AVX2.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Avx8(__m256);

/// Eight lanes of `u32` noise state in one AVX register. Only valid on a CPU with AVX2.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Avx8Bits(__m256i);

// `f32x8` of the portable build and `Avx8` hold the same eight lanes in the same order, so
// the mix can run the portable build's horizontal sums on the engine's rows.
const _: () = {
    assert!(size_of::<Avx8>() == size_of::<wide::f32x8>());
    assert!(align_of::<Avx8>() == align_of::<wide::f32x8>());
};

// SAFETY (every `unsafe` block in this file): the intrinsics need AVX and AVX2, which the
// CPU has, because `simd_engine` creates an `Avx8` engine only after checking for them.
// Apart from that requirement the intrinsics used here are plain arithmetic on registers.

impl Avx8 {
    /// The lanes' bits as `i32` lanes.
    #[inline(always)]
    fn bits(self) -> __m256i {
        unsafe { _mm256_castps_si256(self.0) }
    }
    /// `i32` lanes as the lanes' bits.
    #[inline(always)]
    fn from_bits(bits: __m256i) -> Self {
        Self(unsafe { _mm256_castsi256_ps(bits) })
    }
    /// Truncation to `i32` lanes as `f32x8::trunc_int` does it: NaN to 0, values from 2³¹
    /// up to `i32::MAX`.
    #[inline(always)]
    fn trunc_int(self) -> __m256i {
        unsafe {
            let non_nan = self.and(self.eq(self));
            let overflow = _mm256_cmp_ps::<_CMP_GE_OQ>(self.0, _mm256_set1_ps(2_147_483_648.0));
            _mm256_xor_si256(
                _mm256_castps_si256(overflow),
                _mm256_cvttps_epi32(non_nan.0),
            )
        }
    }
}

impl Lanes8 for Avx8 {
    #[inline(always)]
    fn from_array(lanes: [f32; 8]) -> Self {
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `__m256`.
        Self(unsafe { std::mem::transmute::<[f32; 8], __m256>(lanes) })
    }
    #[inline(always)]
    fn to_array(self) -> [f32; 8] {
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `f32`.
        unsafe { std::mem::transmute::<__m256, [f32; 8]>(self.0) }
    }
}

impl Avx8Bits {
    /// The eight lanes as an array.
    fn to_array(self) -> [u32; 8] {
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `u32`.
        unsafe { std::mem::transmute::<__m256i, [u32; 8]>(self.0) }
    }
    /// One xorshift32 step (shifts 13, 17, 5) in every lane, as `noise::white` takes it.
    #[inline(always)]
    fn xorshift32(self) -> Self {
        unsafe {
            let mut x = self.0;
            x = _mm256_xor_si256(x, _mm256_slli_epi32::<13>(x));
            x = _mm256_xor_si256(x, _mm256_srli_epi32::<17>(x));
            Self(_mm256_xor_si256(x, _mm256_slli_epi32::<5>(x)))
        }
    }
}

impl Default for Avx8 {
    #[inline(always)]
    fn default() -> Self {
        // From memory rather than `_mm256_setzero_ps`, so that clearing a voice costs no
        // calls outside AVX2 code.
        Self::from_array([0.0; 8])
    }
}

impl Default for Avx8Bits {
    #[inline(always)]
    fn default() -> Self {
        Self(unsafe { _mm256_setzero_si256() })
    }
}

/// The arithmetic operators, one AVX instruction each.
macro_rules! arithmetic {
    ($($trait:ident $method:ident $intrinsic:ident),*) => {$(
        impl $trait for Avx8 {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                Self(unsafe { $intrinsic(self.0, other.0) })
            }
        }
    )*};
}

arithmetic!(
    Add add _mm256_add_ps,
    Sub sub _mm256_sub_ps,
    Mul mul _mm256_mul_ps,
    Div div _mm256_div_ps
);

impl Neg for Avx8 {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        // Flips the sign bit, as `f32x8` does (so −0.0 comes from 0.0).
        self.xor(Self::splat(-0.0))
    }
}

impl Lanes for Avx8 {
    const WIDTH: usize = 8;
    type Bits = Avx8Bits;
    type Out8 = Avx8;

    native_methods! {
        #[target_feature(enable = "avx2")] [unsafe]
        fn native();
        fn native3(a: A, b: B, c: C);
        fn native5(a: A, b: B, c: C, d: D, e: E);
    }

    #[inline(always)]
    fn native_if_needed<R>(f: impl FnOnce() -> R) -> R {
        Self::native(f)
    }

    #[inline(always)]
    fn splat(value: f32) -> Self {
        Self(unsafe { _mm256_set1_ps(value) })
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        // `minps`: `other` wherever `self < other` fails, as `f32x8::fast_min`.
        Self(unsafe { _mm256_min_ps(self.0, other.0) })
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        Self(unsafe { _mm256_max_ps(self.0, other.0) })
    }
    #[inline(always)]
    fn abs(self) -> Self {
        self.and(Self::from_bits(unsafe { _mm256_set1_epi32(i32::MAX) }))
    }
    #[inline(always)]
    fn floor(self) -> Self {
        #[cfg(target_feature = "sse4.1")]
        return Self(unsafe { _mm256_floor_ps(self.0) });
        // As the build's `f32x8` floors without SSE4.1 (see `lanes::vector`), so that −0.0
        // floors to +0.0 on both paths.
        #[cfg(not(target_feature = "sse4.1"))]
        {
            let truncated = Self(unsafe { _mm256_cvtepi32_ps(self.trunc_int()) });
            truncated - self.lt(truncated).and(Self::splat(1.0))
        }
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        Self(unsafe { _mm256_sqrt_ps(self.0) })
    }
    #[inline(always)]
    fn lt(self, other: Self) -> Self {
        Self(unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(self.0, other.0) })
    }
    #[inline(always)]
    fn le(self, other: Self) -> Self {
        Self(unsafe { _mm256_cmp_ps::<_CMP_LE_OQ>(self.0, other.0) })
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self {
        Self(unsafe { _mm256_cmp_ps::<_CMP_EQ_OQ>(self.0, other.0) })
    }
    #[inline(always)]
    fn select(self, if_true: Self, if_false: Self) -> Self {
        // The kernels' masks are whole lanes of ones or zeros, where a blend on the sign
        // bit and the portable build's bitwise blend agree.
        Self(unsafe { _mm256_blendv_ps(if_false.0, if_true.0, self.0) })
    }
    #[inline(always)]
    fn and(self, other: Self) -> Self {
        Self(unsafe { _mm256_and_ps(self.0, other.0) })
    }
    #[inline(always)]
    fn or(self, other: Self) -> Self {
        Self(unsafe { _mm256_or_ps(self.0, other.0) })
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        Self(unsafe { _mm256_xor_ps(self.0, other.0) })
    }
    #[inline(always)]
    fn any(self) -> bool {
        self.bitmask() != 0
    }
    #[inline(always)]
    fn bitmask(self) -> u32 {
        unsafe { _mm256_movemask_ps(self.0) as u32 }
    }
    #[inline(always)]
    fn add_bits(self, other: Self) -> Self {
        Self::from_bits(unsafe { _mm256_add_epi32(self.bits(), other.bits()) })
    }
    #[inline(always)]
    fn mul_bits(self, other: Self) -> Self {
        Self::from_bits(unsafe { _mm256_mullo_epi32(self.bits(), other.bits()) })
    }
    #[inline(always)]
    fn sub_bits(self, other: Self) -> Self {
        Self::from_bits(unsafe { _mm256_sub_epi32(self.bits(), other.bits()) })
    }
    #[inline(always)]
    fn or_lanes(self) -> u32 {
        unsafe {
            let bits = self.bits();
            let four = _mm_or_si128(
                _mm256_castsi256_si128(bits),
                _mm256_extracti128_si256::<1>(bits),
            );
            let two = _mm_or_si128(four, _mm_shuffle_epi32::<0b01_00_11_10>(four));
            let one = _mm_or_si128(two, _mm_shuffle_epi32::<0b10_11_00_01>(two));
            _mm_cvtsi128_si32(one) as u32
        }
    }
    #[inline(always)]
    fn but_not(self, other: Self) -> Self {
        Self(unsafe { _mm256_andnot_ps(other.0, self.0) })
    }
    #[inline(always)]
    fn sign_mask(self) -> Self {
        Self::from_bits(unsafe { _mm256_srai_epi32::<31>(self.bits()) })
    }
    #[inline(always)]
    fn lt_bits(self, other: Self) -> Self {
        Self::from_bits(unsafe { _mm256_cmpgt_epi32(other.bits(), self.bits()) })
    }
    #[inline(always)]
    fn bits_to_float(self) -> Self {
        Self(unsafe { _mm256_cvtepi32_ps(self.bits()) })
    }
    #[inline(always)]
    fn float_to_bits(self) -> Self {
        Self::from_bits(unsafe { _mm256_cvtps_epi32(self.0) })
    }
    #[inline(always)]
    fn mul_add(self, m: Self, a: Self) -> Self {
        // Fused exactly where the build's `f32x8` and `f32` lanes are: never in a portable
        // build, always where the build itself targets FMA.
        #[cfg(target_feature = "fma")]
        return Self(unsafe { _mm256_fmadd_ps(self.0, m.0, a.0) });
        #[cfg(not(target_feature = "fma"))]
        return self * m + a;
    }
    #[inline(always)]
    fn neg_mul_add(self, m: Self, a: Self) -> Self {
        #[cfg(target_feature = "fma")]
        return Self(unsafe { _mm256_fnmadd_ps(self.0, m.0, a.0) });
        #[cfg(not(target_feature = "fma"))]
        return a - self * m;
    }
    #[inline(always)]
    fn mul_sub(self, m: Self, s: Self) -> Self {
        #[cfg(target_feature = "fma")]
        return Self(unsafe { _mm256_fmsub_ps(self.0, m.0, s.0) });
        #[cfg(not(target_feature = "fma"))]
        return self * m - s;
    }
    #[inline(always)]
    fn drain_rows(rows: &mut [Self], out: &mut [f32]) {
        // SAFETY: `Avx8` and `f32x8` have the same size, alignment and lane order (checked
        // above), and every bit pattern is valid for both.
        let rows = unsafe {
            std::slice::from_raw_parts_mut(rows.as_mut_ptr().cast::<wide::f32x8>(), rows.len())
        };
        // The sums of a build that targets AVX, which add a row's lanes in the order the
        // portable build's do. SAFETY: the CPU has AVX (see the top of this file).
        unsafe { crate::lane_sum::drain_rows_avx(rows, out) };
    }
    #[inline(always)]
    fn lane(self, index: usize) -> f32 {
        self.to_array()[index]
    }
    #[inline(always)]
    fn set_lane(&mut self, index: usize, value: f32) {
        // In place, as `f32x8` does it: a copy out and back would reload the whole register
        // right after a store to one lane of it, which stalls.
        // SAFETY: `Avx8` is eight `f32` lanes in one 32-byte value (`repr(transparent)`
        // over `__m256`), and every bit pattern is a valid `f32`.
        let lanes = unsafe { &mut *(self as *mut Self).cast::<[f32; 8]>() };
        lanes[index] = value;
    }
    #[inline(always)]
    fn exp2_int(self) -> Self {
        unsafe {
            let biased = _mm256_add_epi32(self.trunc_int(), _mm256_set1_epi32(127));
            Self::from_bits(_mm256_slli_epi32::<23>(biased))
        }
    }
    #[inline(always)]
    fn noise(state: &mut Avx8Bits) -> Self {
        *state = state.xorshift32();
        unsafe {
            let bits = _mm256_or_si256(
                _mm256_srli_epi32::<9>(state.0),
                _mm256_set1_epi32(0x4000_0000),
            );
            Self::from_bits(bits) - Self::splat(3.0)
        }
    }
    #[inline(always)]
    fn audio_noise(state: &mut Avx8Bits, n: usize) -> Self {
        let bits = if n.is_multiple_of(2) {
            *state = state.xorshift32();
            unsafe { _mm256_and_si256(state.0, _mm256_set1_epi32(0xFFFF_0000_u32 as i32)) }
        } else {
            unsafe { _mm256_slli_epi32::<16>(state.0) }
        };
        Self::from_bits(bits).bits_to_float()
    }
    fn seed_noise(state: &mut Avx8Bits, index: usize, seed: u32) {
        let mut lanes = state.to_array();
        lanes[index] = seed.max(1);
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `__m256i`.
        *state = Avx8Bits(unsafe { std::mem::transmute::<[u32; 8], __m256i>(lanes) });
    }
    fn noise_lane(state: &Avx8Bits, index: usize) -> u32 {
        state.to_array()[index]
    }
}

#[cfg(test)]
#[path = "avx_tests.rs"]
mod tests;

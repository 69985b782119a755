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

use super::Lanes;
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
    /// The eight lanes as an array.
    #[inline(always)]
    fn to_array(self) -> [f32; 8] {
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `f32`.
        unsafe { std::mem::transmute::<__m256, [f32; 8]>(self.0) }
    }
    /// Eight lanes from an array.
    #[inline(always)]
    fn from_array(lanes: [f32; 8]) -> Self {
        // SAFETY: both are 32 bytes, and every bit pattern is a valid `__m256`.
        Self(unsafe { std::mem::transmute::<[f32; 8], __m256>(lanes) })
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

    #[inline(always)]
    fn native<R>(f: impl FnOnce() -> R) -> R {
        /// `f`, under AVX2.
        #[target_feature(enable = "avx2")]
        fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        unsafe { with_avx2(f) }
    }
    #[inline(always)]
    fn native3<A, B, C, R>(f: impl FnOnce(A, B, C) -> R, a: A, b: B, c: C) -> R {
        /// `f(a, b, c)`, under AVX2.
        #[target_feature(enable = "avx2")]
        fn with_avx2<A, B, C, R>(f: impl FnOnce(A, B, C) -> R, a: A, b: B, c: C) -> R {
            f(a, b, c)
        }
        unsafe { with_avx2(f, a, b, c) }
    }
    #[inline(always)]
    fn native5<A, B, C, D, E, R>(
        f: impl FnOnce(A, B, C, D, E) -> R,
        a: A,
        b: B,
        c: C,
        d: D,
        e: E,
    ) -> R {
        /// `f(a, b, c, d, e)`, under AVX2.
        #[target_feature(enable = "avx2")]
        fn with_avx2<A, B, C, D, E, R>(
            f: impl FnOnce(A, B, C, D, E) -> R,
            a: A,
            b: B,
            c: C,
            d: D,
            e: E,
        ) -> R {
            f(a, b, c, d, e)
        }
        unsafe { with_avx2(f, a, b, c, d, e) }
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
        // The portable build's sums, so both paths add a row's lanes in the same order.
        crate::lane_sum::drain_rows(rows, out);
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
        Self::from_bits(bits).bits_to_float() * Self::splat(crate::noise::SCALE)
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
mod tests {
    use super::*;
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
            let (mask_avx, mask_portable) =
                (avx.lt(Avx8::splat(0.5)), portable.lt(f32x8::splat(0.5)));
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
}

//! The lane abstraction: the voice kernels are written once, generic over `Lanes`, and run
//! either eight voices per `f32x8` (the engine) or one voice per `f32` (the scalar reference).
//!
//! Every operation here is exact IEEE arithmetic or a polynomial built from it, and
//! `mul_add` is fused in both lane types or in neither (fused where the target has FMA, as
//! `-C target-cpu=x86-64-v3` does), so a lane of `f32x8` computes bit for bit what `f32`
//! computes in the same build.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// The [`Lanes`] methods `native`, `native3` and `native5` (see [`Lanes::native`]): each
/// calls its `f` with its arguments through a function of its own that carries the
/// attribute given first (`#[inline(never)]` for the trait's defaults, a target feature for
/// the AVX2 lanes, `#[inline(always)]` for `f32x8` in a build that targets AVX2), called
/// inside the block kind given next (`[]`, or `[unsafe]` for a target feature). Each method is named with its arguments, `fn native3(a: A, b: B, c: C);`.
macro_rules! native_methods {
    (#[$apart:meta] $call:tt $($(#[$doc:meta])* fn $name:ident $args:tt;)*) => {$(
        native_methods!(@one #[$apart] $call $(#[$doc])* fn $name $args;);
    )*};
    (@one #[$apart:meta] [$($unsafe:tt)?] $(#[$doc:meta])*
        fn $name:ident ($($a:ident: $A:ident),*);) => {
        $(#[$doc])*
        #[inline(always)]
        fn $name<$($A,)* R>(f: impl FnOnce($($A),*) -> R, $($a: $A),*) -> R {
            /// `f` with the arguments, apart.
            #[$apart]
            fn apart<$($A,)* R>(f: impl FnOnce($($A),*) -> R, $($a: $A),*) -> R {
                f($($a),*)
            }
            $($unsafe)? { apart(f, $($a),*) }
        }
    };
}

#[cfg(target_arch = "x86_64")]
mod avx;
mod scalar;
mod vector;

#[cfg(target_arch = "x86_64")]
pub(crate) use avx::Avx8;

/// A vector of voice lanes (or one scalar voice) with the operations the kernels need.
pub trait Lanes:
    Copy
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Send
    + Sync
    + 'static
{
    /// Number of voices side by side.
    const WIDTH: usize;

    native_methods! {
        #[inline(never)] []
        /// Run `f` as a function of its own, compiled for the instruction set these lanes
        /// are made of: the AVX2 lanes a portable build chooses at run time need this to
        /// become single instructions, and the others get the same function boundary, so
        /// both paths keep one structure (except `f32x8` in a build that targets AVX2,
        /// measured faster inlined). Pass an `#[inline(always)]` closure, and keep what
        /// it calls `#[inline(always)]` down to the lane operations: a call left out of
        /// line runs its lane operations as calls.
        fn native();
        /// [`Lanes::native`] for a pass over the groups, `f(a, b, c)`, whose arguments
        /// reach the function apart as its own parameters. A closure's captures lose what
        /// the compiler knows of parameters (references that do not alias), and with it
        /// the hoisting of the patch's constants out of the sample loops: measured, 5 %
        /// more instructions per block on the portable build.
        fn native3(a: A, b: B, c: C);
        /// [`Lanes::native3`] for passes of five arguments.
        fn native5(a: A, b: B, c: C, d: D, e: E);
    }

    /// [`Lanes::native`] for short work the build's own lanes run best in place: `f` is
    /// called right here for them, and only the AVX2 lanes put it in a function of its
    /// own. Measured on the mix and output stage of a run, a function boundary costs the
    /// portable build's SSE2 path 1.5 % more instructions per block.
    #[inline(always)]
    fn native_if_needed<R>(f: impl FnOnce() -> R) -> R {
        f()
    }

    /// Per-lane integer state for the noise generator.
    type Bits: Copy + Default + Send + Sync + 'static;
    /// The eight lanes the output stage (`limiter`) runs these lanes' mix on, eight output
    /// samples side by side: `f32x8`, or the AVX2 lanes where the voices run on them.
    type Out8: Lanes8;

    /// Every lane set to `value`.
    fn splat(value: f32) -> Self;
    /// A mask with every lane set.
    #[inline(always)]
    fn all_set() -> Self {
        let zero = Self::splat(0.0);
        zero.eq(zero)
    }
    /// Lane-wise minimum.
    fn min(self, other: Self) -> Self;
    /// Lane-wise maximum.
    fn max(self, other: Self) -> Self;
    /// Lane-wise absolute value.
    fn abs(self) -> Self;
    /// Lane-wise floor.
    fn floor(self) -> Self;
    /// Lane-wise square root (IEEE exact).
    fn sqrt(self) -> Self;
    /// Mask of lanes where `self < other`.
    fn lt(self, other: Self) -> Self;
    /// Mask of lanes where `self <= other`.
    fn le(self, other: Self) -> Self;
    /// Mask of lanes where `self == other`.
    fn eq(self, other: Self) -> Self;
    /// `if_true` where the mask is set, else `if_false`.
    fn select(self, if_true: Self, if_false: Self) -> Self;
    /// Lane-wise AND of two masks.
    fn and(self, other: Self) -> Self;
    /// Lane-wise OR of two masks.
    fn or(self, other: Self) -> Self;
    /// Lane-wise exclusive OR of two masks.
    fn xor(self, other: Self) -> Self;
    /// Whether any lane of the mask is set.
    fn any(self) -> bool;
    /// The lanes' sign bits, lane i in bit i: of a mask, the set lanes (nonzero exactly when
    /// [`Lanes::any`] is true).
    fn bitmask(self) -> u32;
    /// Lane-wise wrapping addition of the lanes' bits read as `i32` (the oscillators' integer
    /// phases, see `oscillator`).
    fn add_bits(self, other: Self) -> Self;
    /// Lane-wise wrapping multiplication of the lanes' bits read as `i32`.
    fn mul_bits(self, other: Self) -> Self;
    /// Lane-wise wrapping subtraction of the lanes' bits read as `i32`.
    fn sub_bits(self, other: Self) -> Self;
    /// The OR of every lane's bits: for lanes of bit sets, the bits set in any lane.
    fn or_lanes(self) -> u32;
    /// `self & !other` on the lanes' bits.
    fn but_not(self, other: Self) -> Self;
    /// Every bit of each lane set to the lane's sign bit: of bits read as `i32`, the mask of
    /// the negative lanes.
    fn sign_mask(self) -> Self;
    /// Mask of lanes where `self < other`, both read as `i32`.
    fn lt_bits(self, other: Self) -> Self;
    /// The lanes' bits read as `i32`, converted to floats (rounded to nearest).
    fn bits_to_float(self) -> Self;
    /// Floats in the `i32` range rounded to the nearest integer (ties to even), stored as
    /// the lanes' bits.
    fn float_to_bits(self) -> Self;
    /// `self · m + a`, fused (one rounding) where the target has FMA and two roundings
    /// where it has not: the same in every lane type of one build.
    fn mul_add(self, m: Self, a: Self) -> Self;
    /// `a − self · m`, fused exactly where [`Lanes::mul_add`] is.
    fn neg_mul_add(self, m: Self, a: Self) -> Self;
    /// `self · m − s`, fused exactly where [`Lanes::mul_add`] is.
    fn mul_sub(self, m: Self, s: Self) -> Self;
    /// Add the band-limiting correction of a step of `height` lying `f` samples before
    /// sample s + 1 (see `blep::add_step`) into the buffer of samples `buf`, in the lanes
    /// set in `crossed`: the others get nothing, or zeros.
    #[inline(always)]
    fn add_step_in<const N: usize>(
        buf: &mut [Self; N],
        s: usize,
        crossed: Self,
        f: Self,
        height: Self,
    ) {
        crate::blep::add_step(buf, s, (f, crossed.and(height)));
    }
    /// Write the sum of each row's lanes into `out` (as many as both slices hold), in an
    /// order of additions that depends on neither the row's place nor the slice's length,
    /// and clear those rows.
    fn drain_rows(rows: &mut [Self], out: &mut [f32]);
    /// One lane's value.
    fn lane(self, index: usize) -> f32;
    /// Replace one lane's value.
    fn set_lane(&mut self, index: usize, value: f32);
    /// 2^x for lanes holding whole numbers in −126…127 (exact).
    fn exp2_int(self) -> Self;
    /// Next white-noise sample in [−1, 1) from a per-lane xorshift32 state.
    fn noise(state: &mut Self::Bits) -> Self;
    /// White noise for output sample `n` in units of 2⁻³¹ (whole multiples of 2¹⁶ in
    /// [−2³¹, 2³¹): times `noise::SCALE`, exactly, it is noise in [−1, 1), and a caller
    /// folds that scale into its level), two samples from each xorshift32 step of the
    /// per-lane `state`: an even `n` steps it and takes the high 16 bits, the odd `n` after
    /// it takes the low 16. Half the generator's work per sample, at a resolution of 2⁻¹⁵
    /// (about 90 dB below the noise itself). Tied to the parity of the absolute sample
    /// position, so the sequence does not depend on block boundaries.
    fn audio_noise(state: &mut Self::Bits, n: usize) -> Self;
    /// Seed one lane of a noise state.
    fn seed_noise(state: &mut Self::Bits, index: usize, seed: u32);
    /// Read one lane of a noise state.
    fn noise_lane(state: &Self::Bits, index: usize) -> u32;
}

/// Eight `f32` lanes that come from and go to arrays: the lanes of the output stage.
pub trait Lanes8: Lanes {
    /// Eight lanes from an array, lane i from element i.
    fn from_array(lanes: [f32; 8]) -> Self;
    /// The eight lanes as an array.
    fn to_array(self) -> [f32; 8];
}

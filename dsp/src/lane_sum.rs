//! Horizontal sums of `f32x8` rows, the last step of the mix: one voice group's
//! accumulator per output sample becomes one sample. Summing a row on its own takes a
//! shuffle and an addition per step for every row; here the rows are transposed as they are
//! summed, eight rows per four steps with AVX and four per three steps with SSE2.
//!
//! Every build adds the lanes of a row in one order, ((l0 + l4) + (l2 + l6)) + ((l1 + l5) +
//! (l3 + l7)), whatever the row's place in the slice and the slice's length (a short batch is
//! padded with zero rows, which only fill the lanes of their own sums), so a sample's sum
//! does not depend on how the host split the block.

use wide::f32x8;

/// The sum of one row's lanes in the module's order (the reference the batches follow, and
/// the form for targets without x86 vector instructions).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn sum_row(row: f32x8) -> f32 {
    let l = row.to_array();
    ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))
}

/// Write the sum of each row's lanes into `out` (as many as both slices hold) and clear
/// those rows, which leaves accumulators ready for the next run: with the build's
/// instructions, eight rows at a time where it targets AVX, four with SSE2.
/// Allocation-free, O(rows).
#[inline(always)]
pub fn drain_rows(rows: &mut [f32x8], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    drain_batches(rows, out, batch::sums);
    #[cfg(not(target_arch = "x86_64"))]
    for (row, out) in rows.iter_mut().zip(out) {
        *out = sum_row(std::mem::take(row));
    }
}

/// [`drain_rows`] eight rows at a time in AVX registers, whatever the build targets (the
/// mix of the AVX2 lanes a portable build chooses at run time), in the same order of
/// additions. Its instructions become single AVX instructions where it is inlined into
/// code compiled for AVX.
///
/// # Safety
///
/// The CPU must have AVX.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn drain_rows_avx(rows: &mut [f32x8], out: &mut [f32]) {
    drain_batches(
        rows,
        out,
        #[inline(always)]
        // SAFETY: the caller guarantees AVX.
        |rows| unsafe { avx::sums(rows) },
    );
}

/// [`drain_rows`] with `sums`, which sums the lanes of `B` rows at once; a short batch at
/// the end is padded with zero rows.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn drain_batches<const B: usize>(
    rows: &mut [f32x8],
    out: &mut [f32],
    sums: impl Fn(&[f32x8; B]) -> [f32; B],
) {
    let n = rows.len().min(out.len());
    let mut rows = rows[..n].chunks_exact_mut(B);
    let mut out = out[..n].chunks_exact_mut(B);
    for (rows, out) in (&mut rows).zip(&mut out) {
        // A whole batch is cleared as one fixed-size block, which stays inline.
        if let Ok(rows) = <&mut [f32x8; B]>::try_from(rows) {
            out.copy_from_slice(&sums(rows));
            *rows = [f32x8::ZERO; B];
        }
    }
    let (rows, out) = (rows.into_remainder(), out.into_remainder());
    if !rows.is_empty() {
        let mut padded = [f32x8::ZERO; B];
        for (padded, row) in padded.iter_mut().zip(rows.iter_mut()) {
            *padded = std::mem::take(row);
        }
        for (out, sum) in out.iter_mut().zip(sums(&padded)) {
            *out = sum;
        }
    }
}

/// Eight rows at once in one AVX register each.
#[cfg(target_arch = "x86_64")]
mod avx {
    use std::arch::x86_64::*;
    use wide::f32x8;

    /// The sums of eight rows.
    ///
    /// # Safety
    ///
    /// The CPU must have AVX.
    #[inline(always)]
    pub unsafe fn sums(rows: &[f32x8; 8]) -> [f32; 8] {
        // SAFETY: `f32x8` and `__m256` are both eight `f32` lanes in 32 aligned bytes, and
        // every bit pattern is valid for both; the intrinsics need AVX, which the caller
        // guarantees.
        unsafe {
            // Read in place: copying the batch first cost 7 % at 8 voices when an
            // x86-64-v3 build summed with this function (session 17).
            let r = &*std::ptr::from_ref(rows).cast::<[__m256; 8]>();
            // Rows k and k + 4 share a register: the low half gets row k's l0+l4 … l3+l7,
            // the high half row k + 4's.
            #[inline(always)]
            unsafe fn halves(a: __m256, b: __m256) -> __m256 {
                // SAFETY: as for `sums`.
                unsafe {
                    _mm256_add_ps(
                        _mm256_permute2f128_ps::<0x20>(a, b),
                        _mm256_permute2f128_ps::<0x31>(a, b),
                    )
                }
            }
            let (a, b) = (halves(r[0], r[4]), halves(r[1], r[5]));
            let (c, d) = (halves(r[2], r[6]), halves(r[3], r[7]));
            // Per half: x0 + x2, then x1 + x3, of two rows, interleaved.
            let ab = _mm256_add_ps(_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b));
            let cd = _mm256_add_ps(_mm256_unpacklo_ps(c, d), _mm256_unpackhi_ps(c, d));
            let evens = _mm256_shuffle_ps::<0x44>(ab, cd);
            let odds = _mm256_shuffle_ps::<0xEE>(ab, cd);
            std::mem::transmute::<__m256, [f32; 8]>(_mm256_add_ps(evens, odds))
        }
    }
}

/// Eight rows at once in one AVX register each.
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
mod batch {
    use safe_arch::{add_m256, m256, permute2z_m256, shuffle_m256, unpack_hi_m256, unpack_lo_m256};
    use wide::f32x8;

    /// Rows per batch.
    pub const ROWS: usize = 8;

    /// The sums of eight rows.
    #[inline(always)]
    pub fn sums(rows: &[f32x8; ROWS]) -> [f32; ROWS] {
        let r = rows.map(|row| m256(bytemuck::cast(row)));
        // Rows k and k + 4 share a register: the low half gets row k's l0+l4 … l3+l7, the
        // high half row k + 4's.
        let halves = |a, b| add_m256(permute2z_m256::<0x20>(a, b), permute2z_m256::<0x31>(a, b));
        let (a, b) = (halves(r[0], r[4]), halves(r[1], r[5]));
        let (c, d) = (halves(r[2], r[6]), halves(r[3], r[7]));
        // Per half: x0 + x2, then x1 + x3, of two rows, interleaved.
        let ab = add_m256(unpack_lo_m256(a, b), unpack_hi_m256(a, b));
        let cd = add_m256(unpack_lo_m256(c, d), unpack_hi_m256(c, d));
        let evens = shuffle_m256::<0x44>(ab, cd);
        let odds = shuffle_m256::<0xEE>(ab, cd);
        bytemuck::cast(add_m256(evens, odds).0)
    }
}

/// Four rows at once, each in two SSE registers.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx")))]
mod batch {
    use safe_arch::{
        add_m128, m128, move_high_low_m128, move_low_high_m128, unpack_high_m128, unpack_low_m128,
    };
    use wide::f32x8;

    /// Rows per batch.
    pub const ROWS: usize = 4;

    /// The sums of four rows.
    #[inline(always)]
    pub fn sums(rows: &[f32x8; ROWS]) -> [f32; ROWS] {
        let halves: [[std::arch::x86_64::__m128; 2]; ROWS] = bytemuck::cast(*rows);
        // l0+l4 … l3+l7 of each row.
        let [a, b, c, d] = halves.map(|[low, high]| add_m128(m128(low), m128(high)));
        // x0 + x2, then x1 + x3, of two rows, interleaved.
        let ab = add_m128(unpack_low_m128(a, b), unpack_high_m128(a, b));
        let cd = add_m128(unpack_low_m128(c, d), unpack_high_m128(c, d));
        let evens = move_low_high_m128(ab, cd);
        let odds = move_high_low_m128(cd, ab);
        bytemuck::cast(add_m128(evens, odds).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_summed_in_the_one_order_wherever_it_lies() {
        // Lanes of very different sizes, so another order of additions rounds differently.
        let row = |k: usize| {
            f32x8::new(std::array::from_fn(|lane| {
                let sign = if (lane + k).is_multiple_of(3) {
                    -1.0
                } else {
                    1.0
                };
                sign * (1.0 + k as f32 * 0.37) * 10f32.powi((lane as i32 * 5 + k as i32) % 9 - 4)
            }))
        };
        let rows: Vec<f32x8> = (0..21).map(row).collect();
        for len in 0..=rows.len() {
            for start in 0..3.min(rows.len() - len + 1) {
                let mut out = vec![f32::NAN; len];
                let mut drained = rows.clone();
                drain_rows(&mut drained[start..start + len], &mut out);
                for (i, sum) in out.iter().enumerate() {
                    assert_eq!(
                        sum.to_bits(),
                        sum_row(rows[start + i]).to_bits(),
                        "{len} {i}"
                    );
                }
                // Exactly the summed rows are cleared.
                for (k, (row, was)) in drained.iter().zip(&rows).enumerate() {
                    let summed = (start..start + len).contains(&k);
                    let want = if summed { f32x8::ZERO } else { *was };
                    assert_eq!(row.to_array(), want.to_array(), "{len} {start} {k}");
                }
            }
        }
        // The order matters for these rows: a plain left-to-right sum differs somewhere.
        assert!(
            rows.iter()
                .any(|r| r.to_array().iter().sum::<f32>() != sum_row(*r))
        );
    }

    #[test]
    fn only_as_many_sums_as_both_slices_hold_are_written_and_cleared() {
        let mut rows = [f32x8::splat(1.0); 5];
        let mut out = [9.0f32; 7];
        drain_rows(&mut rows, &mut out);
        assert_eq!(out, [8.0, 8.0, 8.0, 8.0, 8.0, 9.0, 9.0]);
        let mut rows = [f32x8::splat(1.0); 5];
        let mut short = [0.0f32; 2];
        drain_rows(&mut rows, &mut short);
        assert_eq!(short, [8.0, 8.0]);
        assert_eq!(rows[1].to_array(), [0.0; 8]);
        assert_eq!(rows[2].to_array(), [1.0; 8]);
    }
}

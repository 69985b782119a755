//! Flush-to-zero for the duration of a render: subnormal floats are slow on x86 and can
//! appear in filter states that ring out on silence.

/// While alive, the current thread's x86 SSE unit flushes subnormal results and inputs to
/// zero (FTZ and DAZ); the previous mode comes back on drop. A no-op on other targets.
/// Reading and writing MXCSR are plain instructions: no system call, no allocation.
pub struct FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    saved: u32,
}

#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

#[cfg(target_arch = "x86_64")]
fn read_mxcsr() -> u32 {
    let mut csr = 0u32;
    // SAFETY: stmxcsr stores the 32-bit control register into the given, valid location.
    unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack)) };
    csr
}

#[cfg(target_arch = "x86_64")]
fn write_mxcsr(csr: u32) {
    // SAFETY: ldmxcsr loads a value read from MXCSR with only the FTZ/DAZ mode bits changed.
    unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, readonly)) };
}

impl FlushDenormals {
    /// Switch flush-to-zero on for this thread until the guard drops.
    #[inline]
    pub fn new() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            let saved = read_mxcsr();
            write_mxcsr(saved | FTZ_DAZ);
            Self { saved }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            Self {}
        }
    }
}

impl Default for FlushDenormals {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FlushDenormals {
    #[inline]
    fn drop(&mut self) {
        #[cfg(target_arch = "x86_64")]
        write_mxcsr(self.saved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;

    #[test]
    fn subnormals_flush_inside_the_guard_only() {
        let tiny = black_box(f32::MIN_POSITIVE);
        let half = black_box(0.5f32);
        assert!(
            (tiny * half).is_subnormal(),
            "precondition: normal mode keeps subnormals"
        );
        {
            let _guard = FlushDenormals::new();
            #[cfg(target_arch = "x86_64")]
            assert_eq!(black_box(tiny) * black_box(half), 0.0);
        }
        assert!(
            (black_box(tiny) * black_box(half)).is_subnormal(),
            "mode was not restored"
        );
    }
}

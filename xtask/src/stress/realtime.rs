//! Audio-thread scheduling for the harness: a DAW runs its audio thread under a real-time
//! policy, so the harness asks for one too and says whether it got it.

/// Asks for `SCHED_FIFO` (priority 70) for the calling thread; returns whether it was granted.
#[cfg(target_os = "linux")]
pub fn try_realtime() -> bool {
    // SAFETY: plain libc calls on the calling thread with a valid parameter block.
    unsafe {
        let param = libc::sched_param { sched_priority: 70 };
        libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) == 0
    }
}

/// Real-time scheduling is only requested on Linux.
#[cfg(not(target_os = "linux"))]
pub fn try_realtime() -> bool {
    false
}

//! A thread that is forbidden to make system calls.
//!
//! [`run_forbidden`] runs a job on a fresh thread. When the job calls [`Forbid::now`], a
//! seccomp filter is installed on that thread only (no TSYNC): from then on every system call
//! except `rt_sigreturn` (needed to return from the signal handler) and `pause` (used to park
//! the thread afterwards) traps with `SIGSYS` instead of running. The handler counts it,
//! records the call number and the address of the instruction that made it, and makes the call
//! return `-ENOSYS`. A seccomp filter can never be removed, and a dying thread makes system
//! calls (unmapping its stack, waking its joiner), so the thread never exits: it hands its
//! result back through an atomic cell and parks in `pause()` for the rest of the process.
//!
//! Everything the job owns when it returns is handed back too, so no heap memory is freed on
//! the filtered thread (`free` may call `munmap` or `madvise`).

use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};
use std::cell::UnsafeCell;
use std::collections::BTreeMap;
use std::ffi::CStr;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

/// Trapped calls whose number and address are kept for the report.
const KEPT: usize = 32;

static TRAPPED: AtomicU64 = AtomicU64::new(0);
static NUMBERS: [AtomicU64; KEPT] = [const { AtomicU64::new(0) }; KEPT];
static ADDRESSES: [AtomicU64; KEPT] = [const { AtomicU64::new(0) }; KEPT];
static HANDLER: Once = Once::new();
/// The text of the first trapped `write`, which usually says why the thread is writing.
static FIRST_WRITE: [AtomicU8; 240] = [const { AtomicU8::new(0) }; 240];
static FIRST_WRITE_LEN: AtomicU64 = AtomicU64::new(0);
/// The trap counters are process-wide: one forbidden thread at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The `SIGSYS` handler: async-signal-safe (atomics and a register write only).
extern "C" fn on_sigsys(_: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    let n = TRAPPED.fetch_add(1, Ordering::Relaxed) as usize;
    // SAFETY: for a seccomp SIGSYS the kernel fills siginfo's `_sigsys` member: the calling
    // instruction's address at byte 16 and the system call number at byte 24 (x86_64).
    let (address, number) = unsafe {
        let base = info.cast::<u8>();
        (
            base.add(16).cast::<u64>().read_unaligned(),
            base.add(24).cast::<i32>().read_unaligned(),
        )
    };
    if n < KEPT {
        NUMBERS[n].store(number as u64, Ordering::Relaxed);
        ADDRESSES[n].store(address, Ordering::Relaxed);
    }
    // SAFETY: `context` is the interrupted thread's ucontext; RAX is the call's return value,
    // RSI and RDX a write's buffer and length (the buffer is the writer's, still alive).
    unsafe {
        let uc = context.cast::<libc::ucontext_t>();
        let gregs = &mut (*uc).uc_mcontext.gregs;
        if number as i64 == libc::SYS_write && FIRST_WRITE_LEN.load(Ordering::Relaxed) == 0 {
            let buffer = gregs[libc::REG_RSI as usize] as *const u8;
            let len = (gregs[libc::REG_RDX as usize] as usize).min(FIRST_WRITE.len());
            for (i, slot) in FIRST_WRITE.iter().enumerate().take(len) {
                slot.store(buffer.add(i).read(), Ordering::Relaxed);
            }
            FIRST_WRITE_LEN.store(len as u64, Ordering::Relaxed);
        }
        gregs[libc::REG_RAX as usize] = -i64::from(libc::ENOSYS);
    }
}

fn install_handler() {
    HANDLER.call_once(|| {
        // SAFETY: a plain sigaction with an async-signal-safe handler.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigsys as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO;
            libc::sigemptyset(&mut action.sa_mask);
            assert_eq!(
                libc::sigaction(libc::SIGSYS, &action, std::ptr::null_mut()),
                0,
                "sigaction(SIGSYS) failed"
            );
        }
    });
}

/// The filter: trap everything but `rt_sigreturn` and `pause`.
fn filter() -> BpfProgram {
    let allowed: BTreeMap<i64, Vec<seccompiler::SeccompRule>> =
        [(libc::SYS_rt_sigreturn, vec![]), (libc::SYS_pause, vec![])]
            .into_iter()
            .collect();
    SeccompFilter::new(
        allowed,
        SeccompAction::Trap,
        SeccompAction::Allow,
        TargetArch::x86_64,
    )
    .and_then(TryInto::try_into)
    .expect("the seccomp filter compiles")
}

/// One system call the forbidden thread tried to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trapped {
    /// The system call number (x86_64).
    pub number: i64,
    /// Where it was made: `symbol+offset (object)`, as far as `dladdr` can tell.
    pub site: String,
}

/// What a forbidden run reports besides the job's own result.
#[derive(Debug)]
pub struct TrapReport {
    /// System calls trapped after [`Forbid::now`] (all of them, even past the kept ones).
    pub count: u64,
    /// The first of them, with their call sites.
    pub first: Vec<Trapped>,
    /// What the first trapped `write` tried to write, if any (printed with the report).
    #[allow(dead_code)]
    pub first_write: String,
}

/// Handed to the job: it calls [`Forbid::now`] when system calls become forbidden.
pub struct Forbid {
    program: BpfProgram,
    armed: AtomicBool,
}

impl Forbid {
    /// Installs the filter on the calling thread. Once only; panics (before forbidding) if the
    /// kernel refuses it.
    pub fn now(&self) {
        assert!(!self.armed.swap(true, Ordering::Relaxed), "forbidden twice");
        TRAPPED.store(0, Ordering::SeqCst);
        FIRST_WRITE_LEN.store(0, Ordering::SeqCst);
        seccompiler::apply_filter(&self.program).expect("seccomp filter installed");
    }
}

/// A one-shot hand-over from the forbidden thread: a flag and a slot, no lock, no allocation.
struct Handoff<T> {
    ready: AtomicBool,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the slot is written once by the worker before `ready` is released, and read only by
// the waiting thread after it acquires `ready`.
unsafe impl<T: Send> Sync for Handoff<T> {}

/// Runs `job` on a fresh thread; returns its result and what was trapped after it called
/// [`Forbid::now`]. The thread then parks for the life of the process. While waiting, the
/// calling thread runs `idle` every millisecond (a host serves the plugin's main-thread
/// callbacks there, as a DAW's event loop does).
pub fn run_forbidden<T, F>(job: F, mut idle: impl FnMut()) -> (T, TrapReport)
where
    T: Send + 'static,
    F: FnOnce(&Forbid) -> T + Send + 'static,
{
    let _serial = lock();
    install_handler();
    let forbid = Forbid {
        program: filter(),
        armed: AtomicBool::new(false),
    };
    let handoff = Arc::new(Handoff::<std::thread::Result<T>> {
        ready: AtomicBool::new(false),
        value: UnsafeCell::new(None),
    });
    let worker_handoff = handoff.clone();
    std::thread::Builder::new()
        .name("forbidden-audio".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&forbid)));
            // SAFETY: see `Handoff`.
            unsafe { *worker_handoff.value.get() = Some(result) };
            worker_handoff.ready.store(true, Ordering::Release);
            // Neither `forbid`, nor the hand-over, nor this thread is ever dropped.
            std::mem::forget(forbid);
            std::mem::forget(worker_handoff);
            loop {
                // SAFETY: pause() only sleeps; it is the one blocking call the filter allows.
                unsafe { libc::syscall(libc::SYS_pause) };
            }
        })
        .expect("spawn the forbidden thread");
    let start = Instant::now();
    while !handoff.ready.load(Ordering::Acquire) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the forbidden thread never finished (stuck retrying a trapped call?): {:#?}",
            report()
        );
        idle();
        std::thread::sleep(Duration::from_millis(1));
    }
    let report = report();
    // SAFETY: see `Handoff`.
    let result = unsafe { (*handoff.value.get()).take() }.expect("the worker left its result");
    match result {
        Ok(value) => (value, report),
        Err(panic) => {
            eprintln!("trapped before the panic: {report:#?}");
            std::panic::resume_unwind(panic)
        }
    }
}

fn lock() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn report() -> TrapReport {
    let count = TRAPPED.load(Ordering::SeqCst);
    let first = (0..(count as usize).min(KEPT))
        .map(|i| Trapped {
            number: NUMBERS[i].load(Ordering::Relaxed) as i64,
            site: describe(ADDRESSES[i].load(Ordering::Relaxed)),
        })
        .collect();
    let len = FIRST_WRITE_LEN.load(Ordering::SeqCst) as usize;
    let bytes: Vec<u8> = FIRST_WRITE[..len]
        .iter()
        .map(|b| b.load(Ordering::Relaxed))
        .collect();
    TrapReport {
        count,
        first,
        first_write: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `symbol+offset (object)` for a code address, via `dladdr`.
fn describe(address: u64) -> String {
    // SAFETY: dladdr only reads the loader's tables; the strings it returns are owned by them.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(address as *const libc::c_void, &mut info) == 0 {
            return format!("{address:#x}");
        }
        let name = |p: *const libc::c_char| {
            if p.is_null() {
                "?".to_string()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        };
        let offset = address.wrapping_sub(info.dli_saddr as u64);
        format!(
            "{}+{offset:#x} ({})",
            name(info.dli_sname),
            name(info.dli_fname)
        )
    }
}

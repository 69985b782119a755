//! The AVX2 entry points' calls, checked in a release build: `cargo xtask test` builds the
//! engine bench (`cargo bench --no-run`, the release profile's code) and fails if a function
//! through which the engine runs its passes on the run-time AVX2 lanes
//! (`<Avx8 as Lanes>::native…::apart`) calls a lane operation, an intrinsic, a closure or an
//! array's `map` out of line. Such a call is no error of the samples, which stay right, but
//! each lane operation inside it then runs as a call: once, an `array::map` in the control
//! tick made the portable build's AVX2 path slower than its SSE2 path. Only timing would
//! show it, and tests do not time; a debug build inlines differently and did not show it.

use crate::system;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The start of the name of every entry point checked.
const ENTRY: &str = "<octolane_dsp::lanes::avx::Avx8 as octolane_dsp::lanes::Lanes>::native";

/// Call targets an entry point must not have: what would run the lanes' work as calls.
const FORBIDDEN: [&str; 5] = [
    "core_arch",
    "{{closure}}",
    "<octolane_dsp::lanes::avx::Avx8 as ",
    "core::array::",
    "<core::iter::adapters::map::Map",
];

/// Builds the engine bench in the release profile and checks its entry points (see the
/// module's docs).
pub fn check_release() -> Result<()> {
    let mut cargo = system::cargo();
    cargo
        .args([
            "bench",
            "-p",
            "octolane-dsp",
            "--bench",
            "engine",
            "--no-run",
        ])
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped());
    let output = cargo.output().context("running cargo bench --no-run")?;
    if !output.status.success() {
        bail!("cargo bench --no-run failed ({})", output.status);
    }
    let messages = String::from_utf8_lossy(&output.stdout);
    let binary = bench_executable(&messages).context("no engine bench executable built")?;
    check(&binary)
}

/// The engine bench's executable in cargo's JSON messages.
fn bench_executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter(|m| m.contains(r#""reason":"compiler-artifact""#))
        .filter(|m| m.contains(r#""name":"engine""#) && m.contains(r#""kind":["bench"]"#))
        .find_map(|m| {
            let (_, rest) = m.split_once(r#""executable":""#)?;
            let (path, _) = rest.split_once('"')?;
            Some(PathBuf::from(path))
        })
}

/// Checks the entry points of the binary `binary` (see the module's docs).
pub fn check(binary: &Path) -> Result<()> {
    system::ensure_packages(&[("objdump", "binutils")])?;
    let output = Command::new("objdump")
        .args(["-d", "--no-show-raw-insn", "-C"])
        .arg(binary)
        .output()
        .with_context(|| format!("running objdump on {}", binary.display()))?;
    if !output.status.success() {
        bail!("objdump failed on {}", binary.display());
    }
    let listing = String::from_utf8_lossy(&output.stdout);
    let (entries, bad) = forbidden_calls(&listing);
    if entries == 0 {
        bail!("no AVX2 entry point ({ENTRY}…) in {}", binary.display());
    }
    if !bad.is_empty() {
        bail!(
            "{} out-of-line call(s) in the AVX2 entry points:\n  {}",
            bad.len(),
            bad.join("\n  ")
        );
    }
    eprintln!("{entries} AVX2 entry points, none calls a lane operation out of line");
    Ok(())
}

/// The number of entry points in an `objdump -d -C` listing and the forbidden calls in them,
/// each as "entry → target".
fn forbidden_calls(listing: &str) -> (usize, Vec<String>) {
    let (mut entries, mut bad) = (0, Vec::new());
    let mut current: Option<&str> = None;
    for line in listing.lines() {
        // A function starts with "address <name>:".
        if let Some(name) = line
            .strip_suffix(">:")
            .and_then(|head| head.split_once(" <"))
            .map(|(_, name)| name)
        {
            current = name.starts_with(ENTRY).then_some(name);
            entries += usize::from(current.is_some());
            continue;
        }
        let Some(entry) = current else {
            continue;
        };
        let Some((_, call)) = line.split_once("\tcall") else {
            continue;
        };
        // Another entry point is a function of its own by design.
        if FORBIDDEN.iter().any(|f| call.contains(f)) && !call.contains(ENTRY) {
            bad.push(format!("{entry} → {}", call.trim()));
        }
    }
    (entries, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_calls_that_run_lane_work_out_of_line() {
        let listing = "\
0000000000d0dfa0 <<octolane_dsp::lanes::avx::Avx8 as octolane_dsp::lanes::Lanes>::native::apart>:
  d0dfa0:\tpush   %rbp
  d0dfb0:\tcall   d0e000 <octolane_dsp::engine::Engine<L>::remove_lane>
  d0dfc0:\tcall   d0e100 <octolane_dsp::control::outputs::{{closure}}>
  d0dfd0:\tcall   *0x1234(%rip)        # 335808 <memset@GLIBC_2.2.5>

0000000000d10c10 <<octolane_dsp::lanes::avx::Avx8 as octolane_dsp::lanes::Lanes>::native5::apart>:
  d10c20:\tcall   d20000 <core::core_arch::x86::avx::_mm256_add_ps>
  d10c30:\tcall   d0dfa0 <<octolane_dsp::lanes::avx::Avx8 as octolane_dsp::lanes::Lanes>::native3::apart>

0000000000d20000 <octolane_dsp::engine::Engine<L>::remove_lane>:
  d20010:\tcall   d30000 <core::array::<impl [T; N]>::map>
";
        let (entries, bad) = forbidden_calls(listing);
        assert_eq!(entries, 2);
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].contains("{{closure}}") && bad[0].contains("native::apart"));
        assert!(bad[1].contains("_mm256_add_ps") && bad[1].contains("native5::apart"));
    }

    #[test]
    fn the_bench_executable_comes_from_its_artifact_message() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"wide"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bench"],"crate_types":["bin"],"name":"engine"},"executable":"/t/release/deps/engine-1f"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            bench_executable(messages),
            Some(PathBuf::from("/t/release/deps/engine-1f"))
        );
        assert_eq!(bench_executable(r#"{"reason":"build-finished"}"#), None);
    }

    #[test]
    fn a_listing_without_entry_points_has_none_to_check() {
        let listing = "0000000000001000 <main>:\n  1000:\tcall   2000 <core::array::map>\n";
        assert_eq!(forbidden_calls(listing), (0, Vec::new()));
    }
}

//! `cargo xtask test`: the project's full check, as CI runs it.
//!
//! 1. bundle the plugin in debug (nice-plug's allocation trap armed) and copy
//!    `Octolane.clap` to `target/debug-bundle/`, out of the way of later release bundles;
//! 2. `cargo test --workspace --no-fail-fast` with `OCTOLANE_CLAP` pointing at that copy;
//! 3. build the engine bench in release and check its AVX2 entry points for lane work left
//!    out of line (see `entry_calls`);
//! 4. `cargo clippy --workspace --all-targets -- -D warnings`;
//! 5. `cargo fmt --all -- --check`.
//!
//! Every step runs even when an earlier one failed (the tests are skipped without a bundle),
//! so one run reports everything; the exit status is non-zero if any step failed.

use crate::{bundle, entry_calls, system};
use anyhow::{Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What became of one step.
enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

/// Runs all steps, prints a summary, and fails naming the steps that failed.
pub fn test(extra_test_args: &[String]) -> Result<()> {
    system::ensure_packages(&[("cc", "build-essential")])?;
    let mut results: Vec<(&str, Outcome)> = Vec::new();
    let mut counts = TestCounts::default();

    let bundled = step("debug bundle", debug_bundle());
    let clap = match &bundled {
        Outcome::Passed => Some(debug_bundle_clap()),
        _ => None,
    };
    results.push(("debug bundle", bundled));

    let tests = match clap {
        Some(clap) => {
            let mut cargo = system::cargo();
            cargo
                .args(["test", "--workspace", "--no-fail-fast"])
                .args(extra_test_args)
                .env("OCTOLANE_CLAP", &clap);
            eprintln!("OCTOLANE_CLAP={}", clap.display());
            run_counted_tests(&mut cargo, &mut counts)
        }
        None => Outcome::Skipped("no debug bundle"),
    };
    results.push(("cargo test", tests));

    let entries = step("AVX2 entry points", entry_calls::check_release());
    results.push(("AVX2 entry points", entries));

    let mut clippy = system::cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    results.push(("cargo clippy", run_step("cargo clippy", &mut clippy)));

    let mut fmt = system::cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    results.push(("cargo fmt --check", run_step("cargo fmt --check", &mut fmt)));

    println!();
    println!("cargo xtask test summary:");
    let mut failed = Vec::new();
    for (name, outcome) in &results {
        match outcome {
            Outcome::Passed => println!("  {name:<18} ok"),
            Outcome::Failed(why) => {
                println!("  {name:<18} FAILED: {why}");
                failed.push(*name);
            }
            Outcome::Skipped(why) => {
                println!("  {name:<18} skipped ({why})");
                failed.push(*name);
            }
        }
    }
    // The plain closing line CI readers understand, summed over every test binary.
    println!(
        "tests: {} passed, {} failed, {} skipped",
        counts.passed, counts.failed, counts.ignored
    );
    if !failed.is_empty() {
        bail!("failed: {}", failed.join(", "));
    }
    Ok(())
}

/// `target/debug-bundle/Octolane.clap`.
fn debug_bundle_clap() -> PathBuf {
    bundle::clap_bundle(&system::target_dir().join("debug-bundle"))
}

/// Bundles in debug and copies the `.clap` aside.
fn debug_bundle() -> Result<()> {
    let bundled = bundle::bundle_plugin(false)?;
    let copy = debug_bundle_clap();
    bundle::replace_with_copy(&bundle::clap_bundle(&bundled), &copy)?;
    eprintln!("Debug bundle copied to {}", copy.display());
    Ok(())
}

/// Test counts summed over every test binary `cargo test` ran. A binary that dies before its
/// `test result:` line (a crash) counts its unfinished tests as failed.
#[derive(Default, Debug, PartialEq)]
struct TestCounts {
    passed: u64,
    failed: u64,
    ignored: u64,
    /// The binary whose tests are running: (announced, passed, failed, ignored) so far.
    running: Option<(u64, u64, u64, u64)>,
}

impl TestCounts {
    /// Reads one line of `cargo test`'s output.
    fn add_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result:") {
            self.running = None;
            self.add_result(rest);
        } else if let Some(count) = line
            .strip_prefix("running ")
            .and_then(|r| r.strip_suffix(" tests").or_else(|| r.strip_suffix(" test")))
            .and_then(|n| n.parse::<u64>().ok())
        {
            self.finish();
            self.running = Some((count, 0, 0, 0));
        } else if let (Some(running), true) = (&mut self.running, line.starts_with("test ")) {
            if line.ends_with("... ok") {
                running.1 += 1;
            } else if line.ends_with("... FAILED") {
                running.2 += 1;
            } else if line.contains("... ignored") {
                running.3 += 1;
            }
        }
    }

    /// Adds `9 passed; 0 failed; 1 ignored; …` from a `test result:` line.
    fn add_result(&mut self, counts: &str) {
        for part in counts.split([';', '.']) {
            let mut words = part.split_whitespace();
            let (Some(number), Some(label)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }

    /// Settles a binary that never printed its result: what did not pass or skip failed.
    fn finish(&mut self) {
        if let Some((announced, passed, _, ignored)) = self.running.take() {
            self.passed += passed;
            self.ignored += ignored;
            self.failed += announced.saturating_sub(passed + ignored);
        }
    }
}

/// Runs `cargo test`, passing its output through while counting results.
fn run_counted_tests(command: &mut Command, counts: &mut TestCounts) -> Outcome {
    let name = "cargo test --workspace";
    eprintln!();
    eprintln!("==> {name}");
    let child = command.stdout(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => return Outcome::Failed(format!("could not start {name}: {err}")),
    };
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = writeln!(out, "{line}");
            counts.add_line(&line);
        }
    }
    counts.finish();
    match child.wait() {
        Ok(status) if status.success() => Outcome::Passed,
        Ok(status) => Outcome::Failed(format!("{name} failed ({status})")),
        Err(err) => Outcome::Failed(format!("could not wait for {name}: {err}")),
    }
}

fn step(name: &str, result: Result<()>) -> Outcome {
    match result {
        Ok(()) => Outcome::Passed,
        Err(err) => {
            eprintln!("error: {name}: {err:#}");
            Outcome::Failed(format!("{err:#}"))
        }
    }
}

fn run_step(name: &str, command: &mut Command) -> Outcome {
    eprintln!();
    eprintln!("==> {name}");
    step(name, system::run(command, name))
}

#[cfg(test)]
mod tests {
    use super::TestCounts;

    #[test]
    fn sums_cargo_test_result_lines() {
        let mut counts = TestCounts::default();
        for line in [
            "running 10 tests",
            "test a ... ok",
            "test result: ok. 9 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "running 5 tests",
            "test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured",
        ] {
            counts.add_line(line);
        }
        counts.finish();
        assert_eq!((counts.passed, counts.failed, counts.ignored), (11, 3, 1));
    }

    #[test]
    fn a_crashed_binary_counts_its_unfinished_tests_as_failed() {
        let mut counts = TestCounts::default();
        for line in [
            "running 4 tests",
            "test one ... ok",
            "test two ... ignored, slow",
            "running 2 tests",
            "test three ... ok",
            "test four ... ok",
            "test result: ok. 2 passed; 0 failed; 0 ignored",
        ] {
            counts.add_line(line);
        }
        counts.finish();
        assert_eq!((counts.passed, counts.failed, counts.ignored), (3, 2, 1));
    }
}

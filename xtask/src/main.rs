//! `cargo xtask`: bundle, install, demo, compose, test, bench, screenshot, stress.
//!
//! Run `cargo xtask help` for the list. `bundle` (and `bundle-universal`, `known-packages`) go
//! to nice-plug-xtask; the rest are Octolane's own.

mod ardour;
mod bench;
mod bundle;
mod compose;
mod demo;
mod entry_calls;
mod install;
mod midi_part;
mod screenshot;
mod stress;
mod system;
mod test;

use anyhow::{Result, bail};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command>

  demo                       bundle (release), install, render assets/demo.mid to target/demo.wav
  test [-- <test args>]      debug bundle, cargo test --workspace, clippy, fmt --check
  bundle octolane [--release]
                             build target/bundled/Octolane.clap and Octolane.vst3/
  install                    copy the bundles into ~/.clap and ~/.vst3
  compose [path]             write the demo piece (default assets/demo.mid)
  bench [-- <criterion args>]
                             run the engine benchmark and tabulate its OCTOLANE: lines
  screenshot                 run the standalone app under Xvfb, save docs/screenshot.png
  stress [--quick]           release build; callback-time percentiles under load, jitter
                             under an editor storm, denormal tails, telemetry-off cost
  ardour                     bundle (release), install, and check the VST3 in Ardour 7
                             headless (scan, parameters, render, save/reload)
  help                       this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let Some(command) = args.first().map(String::as_str) else {
        eprint!("{USAGE}");
        bail!("missing command");
    };
    let rest = &args[1..];
    match command {
        "demo" => no_args(command, rest).and_then(|()| demo::demo()),
        "test" => test::test(after_separator(rest)),
        "install" => no_args(command, rest).and_then(|()| install::install()),
        "compose" => {
            let path = match rest {
                [] => system::workspace_root().join("assets").join("demo.mid"),
                [path] => std::path::PathBuf::from(path),
                _ => bail!("usage: cargo xtask compose [path]"),
            };
            compose::compose(&path)
        }
        "bench" => bench::bench(after_separator(rest)),
        "screenshot" => no_args(command, rest).and_then(|()| screenshot::screenshot()),
        "stress" => stress::stress(after_separator(rest)),
        "ardour" => no_args(command, rest).and_then(|()| ardour::ardour()),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        "bundle" | "bundle-universal" | "known-packages" => bundle::run_nice_plug_xtask(args),
        _ => {
            eprint!("{USAGE}");
            bail!("unknown command `{command}`")
        }
    }
}

/// Fails if a command that takes no arguments got some.
fn no_args(command: &str, rest: &[String]) -> Result<()> {
    if rest.is_empty() {
        Ok(())
    } else {
        bail!(
            "`cargo xtask {command}` takes no arguments (got {})",
            rest.join(" ")
        )
    }
}

/// The arguments after a leading `--`, or all of them.
fn after_separator(rest: &[String]) -> &[String] {
    match rest.first().map(String::as_str) {
        Some("--") => &rest[1..],
        _ => rest,
    }
}

//! `cargo xtask demo`: bundle (release), install, and render `assets/demo.mid` through the
//! bundled CLAP plugin to `target/demo.wav`, the way a DAW would play it.

use crate::{bundle, compose, install, system};
use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

/// Sample rate of the rendered demo.
const SAMPLE_RATE: u32 = 48_000;
/// Frames per `process()` call, as a typical DAW buffer.
const BLOCK_FRAMES: u32 = 512;
/// Resolution of the progress bar.
const PROGRESS_STEPS: u64 = 1000;

/// Runs the whole demo and prints the length, peak, RMS and speed of the render.
pub fn demo() -> Result<()> {
    let bundled = bundle::bundle_plugin(true)?;
    install::install()?;

    let root = system::workspace_root();
    let midi = root.join("assets").join("demo.mid");
    if midi.exists() {
        println!("Using {}", midi.display());
    } else {
        compose::compose(&midi)?;
    }

    let clap = bundle::clap_bundle(&bundled);
    let wav = system::target_dir().join("demo.wav");
    println!("Rendering through {} …", clap.display());
    let stats = render(&clap, &midi, &wav)?;

    let seconds = stats.frames as f64 / f64::from(stats.sample_rate.max(1));
    let speed = seconds / stats.elapsed.as_secs_f64().max(1e-9);
    println!();
    println!("Wrote {}", wav.display());
    println!(
        "  length  {seconds:.2} s ({} frames at {} Hz)",
        stats.frames, stats.sample_rate
    );
    println!("  peak    {}", dbfs(stats.peak));
    println!("  RMS     {}", dbfs(stats.rms));
    println!(
        "  speed   {speed:.1}x real time ({:.2} s to render, block {BLOCK_FRAMES})",
        stats.elapsed.as_secs_f64()
    );
    if stats.peak <= 0.0 {
        return Err(anyhow!(
            "the render is silent: the plugin produced no sound"
        ));
    }
    Ok(())
}

/// Renders with a progress bar on stderr.
fn render(clap: &Path, midi: &Path, wav: &Path) -> Result<octolane_tests::demo::RenderStats> {
    let bar = ProgressBar::new(PROGRESS_STEPS);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] [{wide_bar}] {percent:>3}%")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let mut progress = |fraction: f64| {
        let fraction = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        bar.set_position((fraction * PROGRESS_STEPS as f64).round() as u64);
    };
    let result = octolane_tests::demo::render_midi_to_wav(
        clap,
        midi,
        wav,
        SAMPLE_RATE,
        BLOCK_FRAMES,
        &mut progress,
    );
    match result {
        Ok(stats) => {
            bar.finish();
            Ok(stats)
        }
        Err(message) => {
            bar.abandon();
            Err(anyhow!("rendering {} failed: {message}", midi.display()))
        }
    }
}

/// A linear amplitude in dBFS (`-inf dBFS` for silence).
fn dbfs(amplitude: f32) -> String {
    if amplitude > 0.0 && amplitude.is_finite() {
        format!("{:.1} dBFS", 20.0 * f64::from(amplitude).log10())
    } else {
        "-inf dBFS".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::dbfs;

    #[test]
    fn formats_levels_in_dbfs() {
        assert_eq!(dbfs(1.0), "0.0 dBFS");
        assert_eq!(dbfs(0.5), "-6.0 dBFS");
        assert_eq!(dbfs(0.0), "-inf dBFS");
    }
}

//! Renders a MIDI file through the bundled plugin into a WAV file (used by `cargo xtask demo`).

use std::path::Path;
use std::time::Instant;

use crate::error::HostError;
use crate::host::PluginHost;
use crate::midi_file::MidiSong;
use crate::render::render_blocks;

/// Seconds rendered after the song's last event, so released notes can ring out.
pub const RELEASE_TAIL_SECONDS: f64 = 3.0;

/// Summary of a finished render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderStats {
    /// Frames written per channel.
    pub frames: u64,
    /// Sample rate of the WAV file.
    pub sample_rate: u32,
    /// Largest absolute sample.
    pub peak: f32,
    /// RMS over both channels.
    pub rms: f32,
    /// Wall-clock time the render took (for reporting only).
    pub elapsed: std::time::Duration,
}

/// Renders `midi_path` through the plugin at `clap_path` into a 32-bit float stereo WAV at
/// `wav_path`: all tracks merged, events placed sample-accurately by the file's tempo map, a
/// playing transport (tempo, beat position) with every block of `block_frames`, and
/// [`RELEASE_TAIL_SECONDS`] after the last event. `progress` receives the fraction done (0..=1)
/// after every block.
pub fn render_midi_to_wav(
    clap_path: &Path,
    midi_path: &Path,
    wav_path: &Path,
    sample_rate: u32,
    block_frames: u32,
    progress: &mut dyn FnMut(f64),
) -> Result<RenderStats, String> {
    render(
        clap_path,
        midi_path,
        wav_path,
        sample_rate,
        block_frames,
        progress,
    )
    .map_err(|e| e.to_string())
}

fn render(
    clap_path: &Path,
    midi_path: &Path,
    wav_path: &Path,
    sample_rate: u32,
    block_frames: u32,
    progress: &mut dyn FnMut(f64),
) -> Result<RenderStats, HostError> {
    let started_at = Instant::now();
    if sample_rate == 0 || block_frames == 0 {
        return Err(HostError::File(format!(
            "sample rate ({sample_rate}) and block size ({block_frames}) must be positive"
        )));
    }
    let song = MidiSong::load(midi_path)?;
    let rate = f64::from(sample_rate);
    let events = song.schedule(rate);
    let total_frames = ((song.end_seconds + RELEASE_TAIL_SECONDS) * rate).ceil() as u64;

    let mut host = PluginHost::load(clap_path, crate::PLUGIN_ID)?;
    let mut processor = host.activate(rate, 1, block_frames)?;
    processor.start_processing()?;

    let spec = hound::WavSpec {
        channels: 2,
        sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let wav_error = |e: hound::Error| HostError::File(format!("{}: {e}", wav_path.display()));
    let mut writer = hound::WavWriter::create(wav_path, spec).map_err(wav_error)?;

    let mut peak = 0.0f32;
    let mut sum_squares = 0.0f64;
    let mut non_finite = 0u64;
    let result = render_blocks(
        &mut processor,
        &events,
        total_frames,
        block_frames,
        Some(&song.tempo),
        &mut |start, block| {
            for (&l, &r) in block.left.iter().zip(block.right) {
                for s in [l, r] {
                    if s.is_finite() {
                        peak = peak.max(s.abs());
                        sum_squares += f64::from(s) * f64::from(s);
                    } else {
                        non_finite += 1;
                    }
                    writer.write_sample(s).map_err(wav_error)?;
                }
            }
            // Serve the plugin's main-thread requests between blocks, as a DAW's loop does.
            host.poll_main_thread();
            let done = start + block.left.len() as u64;
            progress(done as f64 / total_frames.max(1) as f64);
            Ok(())
        },
    );
    processor.stop_processing();
    host.deactivate(processor);
    result?;
    writer.finalize().map_err(wav_error)?;
    if non_finite > 0 {
        return Err(HostError::File(format!(
            "the plugin produced {non_finite} non-finite samples"
        )));
    }
    let samples = (2 * total_frames).max(1) as f64;
    Ok(RenderStats {
        frames: total_frames,
        sample_rate,
        peak,
        rms: (sum_squares / samples).sqrt() as f32,
        elapsed: started_at.elapsed(),
    })
}

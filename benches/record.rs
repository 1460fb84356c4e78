//! Recording benchmark: a 60-minute recording from a synthetic 48 kHz stereo f32 source (a
//! 1 kHz tone), fed in 10 ms callbacks far faster than real time through the app's own
//! `Feeder`, queue and writer thread (mono mix-down, header checkpoint every second, sync every
//! 5 s). Prints the samples dropped (target 0), the writer thread's CPU time as a share of the
//! audio's duration (target ≤ 1 %), and, as the named reference measured in the same run, the
//! CPU time of plain `hound::WavWriter` writing the same mono samples with no queue and no
//! checkpoints.
//!
//! Run: `cargo bench --bench record` (env `MINUTES`, default 60; `SPEED`, how many times real
//! time the source runs, default 400).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use cpal::Sample;
use recourse::audio::pipeline::{self, Feeder, Shared, thread_cpu_time};

const RATE: u32 = 48_000;
/// Frames per callback: 10 ms, as a sound server delivers them.
const CALLBACK: usize = 480;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One callback's worth of interleaved stereo: a 1 kHz tone at half scale.
fn callback_block(start_frame: u64) -> Vec<f32> {
    (0..CALLBACK as u64)
        .flat_map(|i| {
            let t = (start_frame + i) as f32 / RATE as f32;
            let v = 0.5 * (2.0 * std::f32::consts::PI * 1000.0 * t).sin();
            [v, v]
        })
        .collect()
}

/// One line of the performance table: what, ours, the reference, ratio, target, met.
pub type Row = (String, String, String, String, String, bool);

fn main() {
    measure();
}

/// Runs the benchmark, prints its report, returns its table rows.
pub fn measure() -> Vec<Row> {
    let minutes = env_number("MINUTES", 60);
    let speed = env_number("SPEED", 400).max(1);
    let total_frames = minutes * 60 * u64::from(RATE);
    let callbacks = total_frames / CALLBACK as u64;
    let dir = tempfile::tempdir().unwrap();
    // The 48 distinct blocks of one 480-frame cycle repeat exactly every 10 ms at 1 kHz, so
    // one block stands for all of them.
    let block = callback_block(0);

    // The app's path.
    let path = dir.path().join("recording.wav");
    let shared = Arc::new(Shared::default());
    let (producer, consumer) = pipeline::queue(RATE, 1);
    let mut feeder = Feeder::new(producer, 2, 1, Arc::clone(&shared));
    let writer = pipeline::spawn_writer(
        consumer,
        File::create(&path).unwrap(),
        RATE,
        1,
        Arc::clone(&shared),
    )
    .unwrap();
    let pace = Duration::from_secs_f64(CALLBACK as f64 / f64::from(RATE) / speed as f64);
    let started = Instant::now();
    for i in 0..callbacks {
        // Deliver on a schedule `speed` times faster than real time, as a sound card would
        // at that rate: the feeder never waits for the writer.
        let due = started + pace.mul_f64(i as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        feeder.push(&block);
    }
    shared.stop.store(true, Ordering::Release);
    let report = writer.join().unwrap().unwrap();
    let wall = started.elapsed();
    let dropped = shared.dropped_samples.load(Ordering::Relaxed);
    let audio = Duration::from_secs(minutes * 60);
    let share = report.cpu.as_secs_f64() / audio.as_secs_f64();
    let size = std::fs::metadata(&path).unwrap().len();

    // The reference: plain hound, same samples, same thread does everything.
    let reference_path = dir.path().join("reference.wav");
    let cpu_before = thread_cpu_time();
    {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: RATE,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let file = BufWriter::with_capacity(1 << 18, File::create(&reference_path).unwrap());
        let mut w = hound::WavWriter::new(file, spec).unwrap();
        let mono: Vec<i16> = block
            .chunks_exact(2)
            .map(|f| ((f[0] + f[1]) / 2.0).to_sample::<i16>())
            .collect();
        for _ in 0..callbacks {
            let mut out = w.get_i16_writer(mono.len() as u32);
            for &s in &mono {
                out.write_sample(s);
            }
            out.flush().unwrap();
        }
        w.finalize().unwrap();
    }
    let reference_cpu = thread_cpu_time().saturating_sub(cpu_before);

    println!(
        "recording benchmark: {minutes} min of 48 kHz stereo f32 → mono 16-bit WAV ({:.0} MiB), fed at {speed}× real time in 10 ms callbacks",
        size as f64 / (1 << 20) as f64
    );
    println!(
        "  fed in {:.1} s wall · {} frames written · {} header checkpoints · {} syncs",
        wall.as_secs_f64(),
        report.frames,
        report.flushes,
        report.syncs
    );
    println!("  dropped samples                 {dropped}   (target 0)");
    println!(
        "  writer CPU                      {:.3} s = {:.3} % of the audio's duration   (target ≤ 1 %)",
        report.cpu.as_secs_f64(),
        share * 100.0
    );
    println!(
        "  reference: plain hound::WavWriter, no queue, no checkpoints: {:.3} s CPU",
        reference_cpu.as_secs_f64()
    );
    println!(
        "  ratio writer / reference        {:.2}",
        report.cpu.as_secs_f64() / reference_cpu.as_secs_f64().max(1e-9)
    );
    assert_eq!(
        report.frames + dropped,
        callbacks * CALLBACK as u64,
        "every frame is written or counted as dropped"
    );
    let writer_ratio = report.cpu.as_secs_f64() / reference_cpu.as_secs_f64().max(1e-9);
    vec![
        (
            format!("{minutes}-min recording: samples dropped"),
            dropped.to_string(),
            "—".into(),
            "—".into(),
            "0".into(),
            dropped == 0,
        ),
        (
            format!("{minutes}-min recording: writer CPU"),
            format!("{:.3} % of the audio", share * 100.0),
            format!("plain hound {:.3} s CPU", reference_cpu.as_secs_f64()),
            format!("{writer_ratio:.2}"),
            "≤ 1 % of the audio".into(),
            share <= 0.01,
        ),
    ]
}

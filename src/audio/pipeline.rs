//! The path from the sound card to the disk: a `Feeder` that the audio callback calls, a
//! bounded lock-free queue, and a named writer thread that owns the WAV file.
//!
//! The callback only converts samples (mono mix-down, 16-bit) and pushes them into the queue; it
//! never blocks, allocates or touches a file. When the queue is full the samples are counted as
//! dropped (the count is shown and must stay 0). The writer flushes the WAV header at least once
//! a second, so a killed process leaves a readable file missing at most the last second, and
//! syncs the file to the disk every few seconds, for power loss.

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use cpal::{FromSample, Sample};

/// How often the WAV header is rewritten (what a kill -9 can lose).
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// How often the file is synced to the disk (what a power cut can lose).
pub const SYNC_EVERY: Duration = Duration::from_secs(5);
/// How much audio the queue holds while the writer is busy.
pub const QUEUE_SECONDS: usize = 20;
/// The most audio bytes one WAV file holds (its sizes are 32-bit), with room for the header
/// and the bookmark chunks: about 11 hours of 48 kHz mono.
const MAX_DATA_BYTES: u64 = u32::MAX as u64 - (16 << 20);
/// How often the input level is published (~20 times a second).
const LEVELS_PER_SECOND: u32 = 20;

/// What the callback, the writer and the user interface share.
#[derive(Debug, Default)]
pub struct Shared {
    /// Frames the callback received (written or dropped).
    pub frames_in: AtomicU64,
    /// Frames the writer wrote.
    pub frames_written: AtomicU64,
    /// Samples dropped because the queue was full. Must stay 0.
    pub dropped_samples: AtomicU64,
    /// The latest window's peak level, 0..=1, as `f32` bits.
    peak: AtomicU32,
    /// The latest window's RMS level, 0..=1, as `f32` bits.
    rms: AtomicU32,
    /// Set once no more samples will come: the writer drains the queue and finishes.
    pub stop: AtomicBool,
    /// Why recording failed (the device went away, the disk filled), once it did.
    pub failure: Mutex<Option<String>>,
}

impl Shared {
    /// The input level: (peak, RMS), each 0..=1.
    pub fn level(&self) -> (f32, f32) {
        (
            f32::from_bits(self.peak.load(Ordering::Relaxed)),
            f32::from_bits(self.rms.load(Ordering::Relaxed)),
        )
    }

    /// Records the first failure.
    pub fn fail(&self, why: String) {
        if let Ok(mut f) = self.failure.lock()
            && f.is_none()
        {
            *f = Some(why);
        }
    }

    /// The failure, if any.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }
}

/// Creates the queue for `channels_out` channels at `sample_rate`.
pub fn queue(sample_rate: u32, channels_out: u16) -> (rtrb::Producer<i16>, rtrb::Consumer<i16>) {
    rtrb::RingBuffer::new(sample_rate as usize * usize::from(channels_out) * QUEUE_SECONDS)
}

/// The callback's side: converts and enqueues, never blocks.
pub struct Feeder {
    producer: rtrb::Producer<i16>,
    channels_in: usize,
    channels_out: usize,
    shared: Arc<Shared>,
    /// Frames still to take before a set length is reached (`u64::MAX`: no limit).
    remaining: u64,
}

impl Feeder {
    /// A feeder taking `channels_in` interleaved channels and writing `channels_out` (1: the
    /// mean of all channels; 2: the first two).
    pub fn new(
        producer: rtrb::Producer<i16>,
        channels_in: u16,
        channels_out: u16,
        shared: Arc<Shared>,
    ) -> Feeder {
        Feeder {
            producer,
            channels_in: usize::from(channels_in.max(1)),
            channels_out: usize::from(channels_out.clamp(1, 2)),
            shared,
            remaining: u64::MAX,
        }
    }

    /// Takes no more than `frames` frames in all; later samples are ignored (not dropped).
    pub fn with_limit(mut self, frames: Option<u64>) -> Feeder {
        self.remaining = frames.unwrap_or(u64::MAX);
        self
    }

    /// Takes one callback's worth of interleaved samples.
    pub fn push<T>(&mut self, data: &[T])
    where
        T: Sample,
        f32: FromSample<T>,
    {
        let frames = (data.len() / self.channels_in).min(self.remaining as usize);
        self.remaining -= frames as u64;
        self.shared
            .frames_in
            .fetch_add(frames as u64, Ordering::Relaxed);
        let fit = (self.producer.slots() / self.channels_out).min(frames);
        if fit < frames {
            self.shared.dropped_samples.fetch_add(
                ((frames - fit) * self.channels_out) as u64,
                Ordering::Relaxed,
            );
        }
        if fit == 0 {
            return;
        }
        let Ok(chunk) = self.producer.write_chunk_uninit(fit * self.channels_out) else {
            return;
        };
        let (cin, cout) = (self.channels_in, self.channels_out);
        let samples = data.chunks_exact(cin).take(fit).flat_map(move |frame| {
            let first = frame[0].to_sample::<f32>();
            let (a, b) = if cout == 1 {
                let sum: f32 = frame.iter().map(|s| s.to_sample::<f32>()).sum();
                (sum / cin as f32, 0.0)
            } else {
                (first, frame.get(1).map_or(first, |s| s.to_sample::<f32>()))
            };
            [i16::from_sample(a), i16::from_sample(b)]
                .into_iter()
                .take(cout)
        });
        chunk.fill_from_iter(samples);
    }
}

/// What the writer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterReport {
    /// Frames written.
    pub frames: u64,
    /// CPU time the writer thread used.
    pub cpu: Duration,
    /// Header rewrites (checkpoints).
    pub flushes: u64,
    /// Syncs to the disk.
    pub syncs: u64,
}

/// Starts the writer thread on `file`, which must be empty and open for writing. A second
/// thread syncs the file to the disk every `SYNC_EVERY`, so a slow disk never holds up writing.
pub fn spawn_writer(
    mut consumer: rtrb::Consumer<i16>,
    file: File,
    sample_rate: u32,
    channels: u16,
    shared: Arc<Shared>,
) -> std::io::Result<JoinHandle<Result<WriterReport, String>>> {
    let sync_handle = file.try_clone()?;
    thread::Builder::new()
        .name("recording-writer".into())
        .spawn(move || {
            let syncer = Syncer::start(sync_handle, Arc::clone(&shared));
            let result = write_loop(&mut consumer, file, sample_rate, channels, &shared);
            let synced = syncer.finish();
            let result = result.and_then(|mut report| {
                report.syncs = synced?;
                Ok(report)
            });
            if let Err(e) = &result {
                shared.fail(e.clone());
            }
            result
        })
}

/// The thread that syncs the recording to the disk every few seconds, and once at the end.
struct Syncer {
    thread: Option<JoinHandle<Result<u64, String>>>,
    done: Arc<AtomicBool>,
}

impl Syncer {
    fn start(file: File, shared: Arc<Shared>) -> Syncer {
        let done = Arc::new(AtomicBool::new(false));
        let done_here = Arc::clone(&done);
        let thread = thread::Builder::new()
            .name("recording-sync".into())
            .spawn(move || {
                let mut syncs = 0;
                loop {
                    let finishing = done_here.load(Ordering::Acquire);
                    if let Err(e) = file.sync_data() {
                        let why = disk_error(e);
                        shared.fail(why.clone());
                        return Err(why);
                    }
                    syncs += 1;
                    if finishing {
                        return Ok(syncs);
                    }
                    thread::park_timeout(SYNC_EVERY);
                }
            })
            .ok();
        Syncer { thread, done }
    }

    /// Syncs once more (after the writer finished) and returns how many syncs there were.
    fn finish(self) -> Result<u64, String> {
        self.done.store(true, Ordering::Release);
        match self.thread {
            Some(t) => {
                t.thread().unpark();
                t.join()
                    .map_err(|_| "the recording's sync thread crashed".to_owned())?
            }
            None => Err("the recording's sync thread could not start".to_owned()),
        }
    }
}

fn disk_error(e: impl std::fmt::Display) -> String {
    format!(
        "the recording could not be written ({e}); everything up to the last second is kept and will be filed at the next start — free some disk space"
    )
}

fn write_loop(
    consumer: &mut rtrb::Consumer<i16>,
    file: File,
    sample_rate: u32,
    channels: u16,
    shared: &Shared,
) -> Result<WriterReport, String> {
    let cpu_start = thread_cpu_time();
    let spec = hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav =
        hound::WavWriter::new(BufWriter::with_capacity(1 << 18, file), spec).map_err(disk_error)?;
    wav.flush().map_err(disk_error)?;
    let ch = usize::from(channels);
    let window = (sample_rate / LEVELS_PER_SECOND).max(1) as usize * ch;
    let mut meter = Meter::default();
    let mut last_flush = Instant::now();
    let mut report = WriterReport {
        frames: 0,
        cpu: Duration::ZERO,
        flushes: 0,
        syncs: 0,
    };
    loop {
        // Read the flag before the queue: once it is set no more samples arrive, so a queue
        // seen empty after it is empty for good.
        let stopping = shared.stop.load(Ordering::Acquire);
        let room =
            (MAX_DATA_BYTES / 2).saturating_sub(report.frames * ch as u64) as usize / ch * ch;
        if room == 0 {
            // A WAV file cannot describe more; finish this one properly rather than wrap.
            shared.fail(format!(
                "the recording reached the largest size a WAV file can hold ({}); it was stopped there and is kept — start a new recording to go on",
                crate::model::duration_text(report.frames * 1000 / u64::from(sample_rate))
            ));
            break;
        }
        let available = (consumer.slots() / ch * ch).min(room);
        if available > 0 {
            let Ok(chunk) = consumer.read_chunk(available) else {
                continue;
            };
            let (a, b) = chunk.as_slices();
            let mut out = wav.get_i16_writer(available as u32);
            for &s in a.iter().chain(b) {
                out.write_sample(s);
            }
            out.flush().map_err(disk_error)?;
            meter.add(a, window, shared);
            meter.add(b, window, shared);
            chunk.commit_all();
            report.frames += (available / ch) as u64;
            shared
                .frames_written
                .store(report.frames, Ordering::Relaxed);
        } else if stopping {
            break;
        } else {
            thread::sleep(Duration::from_millis(5));
        }
        if last_flush.elapsed() >= FLUSH_EVERY {
            wav.flush().map_err(disk_error)?;
            report.flushes += 1;
            last_flush = Instant::now();
        }
    }
    wav.finalize().map_err(disk_error)?;
    report.cpu = thread_cpu_time().saturating_sub(cpu_start);
    Ok(report)
}

/// Peak and RMS over windows of samples.
#[derive(Default)]
struct Meter {
    n: usize,
    peak: u32,
    sum_sq: u64,
}

impl Meter {
    /// Adds samples, publishing the level each time a window fills.
    fn add(&mut self, mut samples: &[i16], window: usize, shared: &Shared) {
        while !samples.is_empty() {
            let take = (window - self.n).min(samples.len());
            let (now, rest) = samples.split_at(take);
            for &s in now {
                let v = s.unsigned_abs();
                self.peak = self.peak.max(u32::from(v));
                self.sum_sq += u64::from(v) * u64::from(v);
            }
            self.n += take;
            samples = rest;
            if self.n >= window {
                let peak = self.peak as f32 / 32768.0;
                let rms = ((self.sum_sq as f64 / self.n as f64).sqrt() / 32768.0) as f32;
                shared.peak.store(peak.to_bits(), Ordering::Relaxed);
                shared.rms.store(rms.to_bits(), Ordering::Relaxed);
                *self = Meter::default();
            }
        }
    }
}

/// CPU time used by the calling thread.
#[cfg(unix)]
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time used by the calling thread (not measured on this platform).
#[cfg(not(unix))]
pub fn thread_cpu_time() -> Duration {
    Duration::ZERO
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(channels_in: u16, channels_out: u16, input: &[f32]) -> (Vec<i16>, u64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.wav");
        let shared = Arc::new(Shared::default());
        let (tx, rx) = queue(8_000, channels_out);
        let mut feeder = Feeder::new(tx, channels_in, channels_out, Arc::clone(&shared));
        let writer = spawn_writer(
            rx,
            File::create(&path).unwrap(),
            8_000,
            channels_out,
            Arc::clone(&shared),
        )
        .unwrap();
        for chunk in input.chunks(64 * usize::from(channels_in)) {
            feeder.push(chunk);
        }
        shared.stop.store(true, Ordering::Release);
        let report = writer.join().unwrap().unwrap();
        let samples = hound::WavReader::open(&path)
            .unwrap()
            .into_samples::<i16>()
            .map(Result::unwrap)
            .collect();
        (samples, report.frames)
    }

    #[test]
    fn stereo_is_mixed_down_to_mono_by_default() {
        let input: Vec<f32> = (0..1000).flat_map(|_| [0.5f32, -0.25]).collect();
        let (samples, frames) = run(2, 1, &input);
        assert_eq!(frames, 1000);
        assert!(samples.iter().all(|&s| s == i16::from_sample(0.125f32)));
    }

    #[test]
    fn stereo_kept_when_asked() {
        let input: Vec<f32> = (0..10).flat_map(|_| [0.5f32, -0.25]).collect();
        let (samples, frames) = run(2, 2, &input);
        assert_eq!(frames, 10);
        assert_eq!(samples[0], i16::from_sample(0.5f32));
        assert_eq!(samples[1], i16::from_sample(-0.25f32));
    }

    #[test]
    fn the_level_follows_the_input() {
        let shared = Arc::new(Shared::default());
        let mut meter = Meter::default();
        let square: Vec<i16> = (0..800)
            .map(|i| if i % 2 == 0 { 16_384 } else { -16_384 })
            .collect();
        meter.add(&square, 400, &shared);
        let (peak, rms) = shared.level();
        assert!((peak - 0.5).abs() < 1e-3, "{peak}");
        assert!((rms - 0.5).abs() < 1e-3, "{rms}");
        meter.add(&[0; 400], 400, &shared);
        assert_eq!(shared.level(), (0.0, 0.0));
    }

    #[test]
    fn a_set_length_is_not_exceeded_and_not_counted_as_dropped() {
        let shared = Arc::new(Shared::default());
        let (tx, _rx) = rtrb::RingBuffer::new(1000);
        let mut feeder = Feeder::new(tx, 1, 1, Arc::clone(&shared)).with_limit(Some(150));
        feeder.push(&[0.1f32; 100]);
        feeder.push(&[0.1f32; 100]);
        assert_eq!(shared.frames_in.load(Ordering::Relaxed), 150);
        assert_eq!(shared.dropped_samples.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_full_queue_counts_what_it_drops() {
        let shared = Arc::new(Shared::default());
        let (tx, _rx) = rtrb::RingBuffer::new(100);
        let mut feeder = Feeder::new(tx, 1, 1, Arc::clone(&shared));
        feeder.push(&[0.1f32; 60]);
        feeder.push(&[0.1f32; 60]);
        assert_eq!(shared.dropped_samples.load(Ordering::Relaxed), 20);
        assert_eq!(shared.frames_in.load(Ordering::Relaxed), 120);
    }
}

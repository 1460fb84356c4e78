//! Playing a WAV recording back through the default output device, with pause and seek.
//!
//! A feeder thread reads the file with hound (never the whole file into memory), mixes it to
//! mono, resamples it linearly to the device's rate and pushes it into a lock-free queue; the
//! cpal callback only pops samples (or writes silence while paused). A seek asks the callback
//! to drop what is queued, then the feeder continues from the new place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SizedSample};

use super::{AudioError, QuietStderr};

const NO_SEEK: u64 = u64::MAX;

#[derive(Debug, Default)]
struct Shared {
    playing: AtomicBool,
    /// Set by the feeder when a seek starts; the callback empties the queue and clears it.
    flush: AtomicBool,
    /// A requested position in source frames, or `NO_SEEK`.
    seek_to: AtomicU64,
    /// The source frame the queued audio started from (after the last seek).
    base: AtomicU64,
    /// Output frames the callback played since the last seek.
    played: AtomicU64,
    /// The feeder reached the end of the file.
    eof: AtomicBool,
    stop: AtomicBool,
}

/// A recording being played.
pub struct Player {
    _stream: cpal::Stream,
    shared: Arc<Shared>,
    feeder: Option<JoinHandle<()>>,
    /// Source frames per second.
    pub sample_rate: u32,
    /// Source frames in all.
    pub frames: u64,
    /// Output frames per source frame.
    ratio: f64,
}

impl Player {
    /// Opens `path` (a WAV file) on the default output device, paused at the start.
    pub fn open(path: &Path) -> Result<Player, AudioError> {
        let reader = hound::WavReader::open(path).map_err(|e| {
            AudioError::Failed(format!(
                "cannot play {}: {e}; only WAV recordings play in the app — open others with your media player",
                path.display()
            ))
        })?;
        let spec = reader.spec();
        let frames = u64::from(reader.duration());
        drop(reader);
        let quiet = QuietStderr::new();
        let host = cpal::default_host();
        let device = host
            .default_output_device()
            .ok_or_else(|| AudioError::Failed("no speaker or headphones found".into()))?;
        let config = device.default_output_config().map_err(|e| {
            AudioError::Failed(format!(
                "the speaker cannot play ({e}); check the sound settings"
            ))
        })?;
        let out_rate = config.sample_rate();
        let out_channels = usize::from(config.channels().max(1));
        let ratio = f64::from(out_rate) / f64::from(spec.sample_rate.max(1));
        let shared = Arc::new(Shared {
            seek_to: AtomicU64::new(NO_SEEK),
            ..Shared::default()
        });
        let (producer, consumer) = rtrb::RingBuffer::<f32>::new(out_rate as usize / 2);
        let stream = build_output(
            &device,
            &config,
            consumer,
            out_channels,
            Arc::clone(&shared),
        )
        .and_then(|s| s.play().map(|()| s))
        .map_err(|e| AudioError::Failed(format!("the speaker cannot play ({e})")))?;
        drop(quiet);
        let feeder_shared = Arc::clone(&shared);
        let path: PathBuf = path.to_owned();
        let feeder = thread::Builder::new()
            .name("playback-feeder".into())
            .spawn(move || feed(&path, producer, ratio, &feeder_shared))
            .map_err(|e| AudioError::Failed(format!("cannot start playback: {e}")))?;
        Ok(Player {
            _stream: stream,
            shared,
            feeder: Some(feeder),
            sample_rate: spec.sample_rate,
            frames,
            ratio,
        })
    }

    /// Plays from the current place.
    pub fn play(&self) {
        if self.shared.eof.load(Ordering::Acquire) && self.position_ms() >= self.duration_ms() {
            self.seek_ms(0);
        }
        self.shared.playing.store(true, Ordering::Release);
    }

    /// Pauses.
    pub fn pause(&self) {
        self.shared.playing.store(false, Ordering::Release);
    }

    /// Whether it is playing (it stops by itself at the end).
    pub fn is_playing(&self) -> bool {
        self.shared.playing.load(Ordering::Acquire)
    }

    /// Moves to `ms` from the start.
    pub fn seek_ms(&self, ms: u64) {
        let frame = (ms * u64::from(self.sample_rate) / 1000).min(self.frames);
        self.shared.seek_to.store(frame, Ordering::Release);
        if let Some(f) = &self.feeder {
            f.thread().unpark();
        }
    }

    /// The place being played, in ms.
    pub fn position_ms(&self) -> u64 {
        let pending = self.shared.seek_to.load(Ordering::Acquire);
        let frame = if pending != NO_SEEK {
            pending
        } else {
            let played = self.shared.played.load(Ordering::Acquire) as f64 / self.ratio;
            (self.shared.base.load(Ordering::Acquire) + played as u64).min(self.frames)
        };
        frame * 1000 / u64::from(self.sample_rate.max(1))
    }

    /// The recording's length in ms.
    pub fn duration_ms(&self) -> u64 {
        self.frames * 1000 / u64::from(self.sample_rate.max(1))
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(f) = self.feeder.take() {
            f.thread().unpark();
            let _ = f.join();
        }
    }
}

/// The feeder: file → mono → device rate → queue.
fn feed(path: &Path, mut producer: rtrb::Producer<f32>, ratio: f64, shared: &Shared) {
    let Ok(mut reader) = hound::WavReader::open(path) else {
        shared.eof.store(true, Ordering::Release);
        return;
    };
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let bits = spec.bits_per_sample;
    let float = spec.sample_format == hound::SampleFormat::Float;
    let scale = 1.0 / (1u64 << (bits.clamp(1, 32) - 1)) as f32;
    let step = 1.0 / ratio;
    // Linear interpolation between `prev` and `next`, at `t` (0..1) of the way.
    let (mut prev, mut next, mut t) = (0.0f32, 0.0f32, 0.0f64);
    let mut frame = Vec::with_capacity(channels);
    loop {
        if shared.stop.load(Ordering::Acquire) {
            return;
        }
        let seek = shared.seek_to.load(Ordering::Acquire);
        if seek != NO_SEEK {
            shared.flush.store(true, Ordering::Release);
            // The callback drops what is queued and clears the flag (it runs while paused too).
            while shared.flush.load(Ordering::Acquire) && !shared.stop.load(Ordering::Acquire) {
                thread::sleep(Duration::from_millis(2));
            }
            let target = seek.min(u64::from(reader.duration()));
            if reader.seek(target as u32).is_err() {
                shared.eof.store(true, Ordering::Release);
            } else {
                shared.eof.store(false, Ordering::Release);
            }
            shared.base.store(target, Ordering::Release);
            shared.played.store(0, Ordering::Release);
            let _ =
                shared
                    .seek_to
                    .compare_exchange(seek, NO_SEEK, Ordering::AcqRel, Ordering::Acquire);
            (prev, next, t) = (0.0, 0.0, 1.0);
        }
        if shared.eof.load(Ordering::Acquire) || producer.slots() < 64 {
            thread::park_timeout(Duration::from_millis(10));
            continue;
        }
        // Produce up to 64 output samples.
        for _ in 0..64 {
            while t >= 1.0 {
                frame.clear();
                if float {
                    let mut it = reader.samples::<f32>();
                    frame.extend((0..channels).map_while(|_| it.next().and_then(Result::ok)));
                } else {
                    let mut it = reader.samples::<i32>();
                    frame.extend(
                        (0..channels).map_while(|_| {
                            it.next().and_then(Result::ok).map(|v| v as f32 * scale)
                        }),
                    );
                }
                if frame.len() < channels {
                    shared.eof.store(true, Ordering::Release);
                    break;
                }
                prev = next;
                next = frame.iter().sum::<f32>() / channels as f32;
                t -= 1.0;
            }
            if shared.eof.load(Ordering::Acquire) {
                break;
            }
            let _ = producer.push(prev + (next - prev) * t as f32);
            t += step;
        }
    }
}

fn build_output(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    consumer: rtrb::Consumer<f32>,
    channels: usize,
    shared: Arc<Shared>,
) -> Result<cpal::Stream, cpal::Error> {
    use cpal::SampleFormat as F;
    let stream_config = config.config();
    macro_rules! build {
        ($t:ty) => {{
            let mut consumer = consumer;
            let shared = Arc::clone(&shared);
            device.build_output_stream::<$t, _, _>(
                stream_config,
                move |out: &mut [$t], _: &cpal::OutputCallbackInfo| {
                    render(out, channels, &mut consumer, &shared)
                },
                |_e| {},
                Some(Duration::from_secs(5)),
            )
        }};
    }
    match config.sample_format() {
        F::I16 => build!(i16),
        F::I32 => build!(i32),
        F::U8 => build!(u8),
        F::U16 => build!(u16),
        F::F32 => build!(f32),
        F::F64 => build!(f64),
        other => Err(cpal::Error::with_message(
            cpal::ErrorKind::UnsupportedConfig,
            format!("sample format {other} cannot be played"),
        )),
    }
}

/// The output callback: queued mono samples to every channel, silence while paused.
fn render<T: SizedSample + FromSample<f32>>(
    out: &mut [T],
    channels: usize,
    consumer: &mut rtrb::Consumer<f32>,
    shared: &Shared,
) {
    if shared.flush.load(Ordering::Acquire) {
        while consumer.pop().is_ok() {}
        shared.flush.store(false, Ordering::Release);
    }
    let playing = shared.playing.load(Ordering::Acquire);
    let mut played = 0u64;
    for frame in out.chunks_mut(channels) {
        let v = if playing {
            match consumer.pop() {
                Ok(v) => {
                    played += 1;
                    v
                }
                Err(_) => 0.0,
            }
        } else {
            0.0
        };
        let s = T::from_sample(v);
        for slot in frame {
            *slot = s;
        }
    }
    shared.played.fetch_add(played, Ordering::AcqRel);
    if playing && played == 0 && shared.eof.load(Ordering::Acquire) && consumer.is_empty() {
        shared.playing.store(false, Ordering::Release);
    }
}

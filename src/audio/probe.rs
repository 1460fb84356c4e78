//! What can be read of a recording made elsewhere (a phone's call recorder): its duration,
//! sample rate and channels. m4a/3gp/mp4, mp3 and wav through symphonia's demuxers (no
//! decoding: the container's frame counts or the packets' durations); raw AMR by its frame
//! headers, which symphonia does not read.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::model::AudioInfo;

/// Packets read at most to add up a duration the container does not state (a VBR mp3 without
/// a Xing header): about five hours of mp3.
const MAX_PACKETS: usize = 700_000;

/// The facts of an audio file, or `None` when its format is not one we can read.
pub fn probe(path: &Path) -> Option<AudioInfo> {
    let mut head = [0u8; 12];
    let n = File::open(path).ok()?.read(&mut head).ok()?;
    if n == 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WAVE" {
        return wav(path);
    }
    if head[..n].starts_with(b"#!AMR-WB\n") {
        return amr(path, 9, &AMR_WB_SIZES, 16_000);
    }
    if head[..n].starts_with(b"#!AMR\n") {
        return amr(path, 6, &AMR_NB_SIZES, 8_000);
    }
    with_symphonia(path)
}

fn with_symphonia(path: &Path) -> Option<AudioInfo> {
    let file = File::open(path).ok()?;
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .ok()?;
    let mut format = probed.format;
    let track = format
        .default_track()
        .or_else(|| format.tracks().first())?
        .clone();
    let params = &track.codec_params;
    let sample_rate = params.sample_rate;
    let channels = params.channels.map(|c| c.count() as u16);
    let time_base = params
        .time_base
        .or_else(|| sample_rate.map(|r| symphonia::core::units::TimeBase::new(1, r)));
    let units = match params.n_frames {
        Some(n) => Some(n),
        None => {
            let mut total = 0u64;
            let mut packets = 0;
            while let Ok(packet) = format.next_packet() {
                if packet.track_id() == track.id {
                    total += packet.dur;
                }
                packets += 1;
                if packets >= MAX_PACKETS {
                    break;
                }
            }
            (total > 0).then_some(total)
        }
    };
    let duration_ms = units.zip(time_base).map(|(n, tb)| {
        let t = tb.calc_time(n);
        t.seconds * 1000 + (t.frac * 1000.0).round() as u64
    });
    Some(AudioInfo {
        duration_ms,
        sample_rate,
        channels,
        ..AudioInfo::default()
    })
}

/// A WAV's facts from its header, its length bounded by the bytes really there: a header may
/// claim 4 GiB of audio (a recorder killed before it wrote the size, or a crafted file).
fn wav(path: &Path) -> Option<AudioInfo> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut layout = super::wav::layout(&mut file).ok()?;
    layout.data_len = layout.data_len.min(len.saturating_sub(layout.data_start));
    Some(AudioInfo {
        duration_ms: Some(layout.duration_ms()),
        sample_rate: Some(layout.sample_rate),
        channels: Some(layout.channels),
        ..AudioInfo::default()
    })
}

/// Payload bytes of an AMR-NB frame by frame type (0..=15); 0 for no data.
const AMR_NB_SIZES: [usize; 16] = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0];
/// Payload bytes of an AMR-WB frame by frame type.
const AMR_WB_SIZES: [usize; 16] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];

/// Counts the 20 ms frames of a raw AMR file (RFC 4867 §5 storage format).
fn amr(path: &Path, header: usize, sizes: &[usize; 16], rate: u32) -> Option<AudioInfo> {
    let mut bytes = Vec::new();
    BufReader::new(File::open(path).ok()?)
        .read_to_end(&mut bytes)
        .ok()?;
    let mut at = header;
    let mut frames = 0u64;
    while at < bytes.len() {
        let kind = usize::from((bytes[at] >> 3) & 0x0f);
        at += 1 + sizes[kind];
        if at <= bytes.len() {
            frames += 1;
        }
    }
    Some(AudioInfo {
        duration_ms: Some(frames * 20),
        sample_rate: Some(rate),
        channels: Some(1),
        ..AudioInfo::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_duration_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("call.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for _ in 0..16_000 * 2 * 5 / 2 {
            w.write_sample(0i16).unwrap();
        }
        w.finalize().unwrap();
        let info = probe(&path).unwrap();
        assert_eq!(info.duration_ms, Some(2_500));
        assert_eq!(info.sample_rate, Some(16_000));
        assert_eq!(info.channels, Some(2));
    }

    #[test]
    fn amr_nb_counts_twenty_millisecond_frames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("call.amr");
        let mut bytes = b"#!AMR\n".to_vec();
        // 150 frames of mode 7 (12.2 kbit/s: 31 bytes) = 3 s.
        for _ in 0..150 {
            bytes.push(7 << 3 | 0x04);
            bytes.extend_from_slice(&[0u8; 31]);
        }
        std::fs::write(&path, bytes).unwrap();
        let info = probe(&path).unwrap();
        assert_eq!(info.duration_ms, Some(3_000));
        assert_eq!(info.sample_rate, Some(8_000));
    }

    #[test]
    fn a_text_file_is_not_audio() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.mp3");
        std::fs::write(&path, "not audio at all").unwrap();
        assert!(probe(&path).is_none());
    }
}

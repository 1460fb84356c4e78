//! Learning what a file is from its content: media type, evidence kind, and capture time.
//!
//! Reads at most the first [`INSPECT_BYTES`] of a file (magic numbers and EXIF live at the
//! front), so inspecting a 5 GB recording costs the same as a 5 KB screenshot. Nothing here
//! fails an import: a file we cannot classify is `other`, a broken EXIF block means no capture
//! time.

mod add;
pub mod fixtures;

pub use add::{AddError, AddOptions, AddedFile, add_file, preflight};

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, TimeZone, Utc};

use crate::model::EvidenceKind;

/// How much of a file is read to inspect it.
pub const INSPECT_BYTES: u64 = 1 << 20;

/// What the content says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The media type (`image/jpeg`, `application/pdf`, `text/plain`, …).
    pub media_type: String,
    /// The kind of evidence it most likely is.
    pub kind: EvidenceKind,
    /// When it was captured, from EXIF `DateTimeOriginal` (with `OffsetTimeOriginal` when
    /// present; otherwise read as this computer's local time).
    pub captured_at: Option<DateTime<Utc>>,
}

/// A byte count as people read it: `812 B`, `12.3 KiB`, `1.0 GiB`.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Inspects the file at `path`.
pub fn inspect_file(path: &Path) -> io::Result<Inspection> {
    let mut head = Vec::new();
    File::open(path)?
        .take(INSPECT_BYTES)
        .read_to_end(&mut head)?;
    Ok(inspect(&head))
}

/// An image file decoded and shrunk to fit `edge` × `edge` (aspect kept; never enlarged), for
/// thumbnails and report previews; `None` when it is not an image we can decode or is over
/// 64 MiB.
pub fn downscaled(path: &Path, edge: u32) -> Option<image::DynamicImage> {
    if std::fs::metadata(path).ok()?.len() > PREVIEW_MAX_FILE_BYTES {
        return None;
    }
    downscaled_bytes(&std::fs::read(path).ok()?, edge)
}

/// Image files larger than this get no preview or thumbnail (they are still evidence).
pub const PREVIEW_MAX_FILE_BYTES: u64 = 64 << 20;

/// The most memory one image's decoding may take. An 11000×11000 PNG is 470 KB on disk and
/// 363 MB decoded; an image needing more than this gets no preview, so building a packet or
/// reviewing one stays within a fixed budget whatever the images are.
pub const DECODE_BUDGET_BYTES: u64 = 96 << 20;

/// [`downscaled`] of an image held in memory, decoded within [`DECODE_BUDGET_BYTES`].
pub fn downscaled_bytes(bytes: &[u8], edge: u32) -> Option<image::DynamicImage> {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_BUDGET_BYTES);
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().ok()?;
    // Four bytes a pixel is the most any decoder here produces (RGBA8; 16-bit PNGs are larger,
    // and the decoder's own limit catches those).
    if u64::from(w) * u64::from(h) * 4 > DECODE_BUDGET_BYTES {
        return None;
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_BUDGET_BYTES);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    if image.width() <= edge && image.height() <= edge {
        return Some(image);
    }
    Some(image.thumbnail(edge, edge))
}

/// Inspects the first bytes of a file.
pub fn inspect(head: &[u8]) -> Inspection {
    let sniffed = phone_recorder_type(head)
        .map(str::to_owned)
        .or_else(|| infer::get(head).map(|t| t.mime_type().to_owned()));
    let media_type = sniffed.unwrap_or_else(|| text_media_type(head).to_owned());
    let captured_at = if media_type.starts_with("image/") {
        exif_capture_time(head)
    } else {
        None
    };
    let kind = kind_of(&media_type, head, captured_at.is_some() || has_camera(head));
    Inspection {
        media_type,
        kind,
        captured_at,
    }
}

fn kind_of(media_type: &str, head: &[u8], from_camera: bool) -> EvidenceKind {
    match media_type {
        t if t.starts_with("image/") => {
            // A camera writes EXIF; a screen capture (PNG from a phone or desktop) does not.
            if from_camera {
                EvidenceKind::Photo
            } else {
                EvidenceKind::Screenshot
            }
        }
        // Phone call recorders write m4a, amr, 3gp, mp3 or wav.
        t if t.starts_with("audio/") || t == "video/3gpp" || t == "video/3gpp2" => {
            EvidenceKind::Recording
        }
        "message/rfc822" => EvidenceKind::Email,
        "text/plain" if is_chat_export(head) => EvidenceKind::Chat,
        "application/pdf"
        | "application/rtf"
        | "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-excel"
        | "application/x-hwp"
        | "text/plain"
        | "text/html" => EvidenceKind::Document,
        _ => EvidenceKind::Other,
    }
}

/// The 3GPP containers phone call recorders write (`ftyp` brands `3gp4`, `3gp5`, `3g2a`, …),
/// which `infer` does not know.
fn phone_recorder_type(head: &[u8]) -> Option<&'static str> {
    if head.len() < 12 || &head[4..8] != b"ftyp" {
        return None;
    }
    match &head[8..11] {
        b"3gp" | b"3ge" | b"3gs" => Some("video/3gpp"),
        b"3g2" => Some("video/3gpp2"),
        _ => None,
    }
}

/// Text files get a type from their first lines: an email's headers, HTML, or plain text.
fn text_media_type(head: &[u8]) -> &'static str {
    if head.is_empty() {
        return "application/octet-stream";
    }
    let sample = &head[..head.len().min(8192)];
    let text = match std::str::from_utf8(sample) {
        Ok(t) => t,
        // A multi-byte character cut at the sample's end is still text.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            std::str::from_utf8(&sample[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return "application/octet-stream",
    };
    if text.contains('\0') {
        return "application/octet-stream";
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = start
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return "text/html";
    }
    const HEADERS: [&str; 6] = [
        "received:",
        "return-path:",
        "from:",
        "mime-version:",
        "delivered-to:",
        "message-id:",
    ];
    if HEADERS.iter().any(|h| lower.starts_with(h))
        && text
            .lines()
            .take(40)
            .any(|l| l.to_ascii_lowercase().starts_with("subject:"))
    {
        return "message/rfc822";
    }
    "text/plain"
}

/// KakaoTalk's and similar messengers' "export chat" text files.
fn is_chat_export(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let first = text.lines().next().unwrap_or("");
    first.contains("카카오톡 대화") || first.contains("KakaoTalk Chats") || first.contains("Talk_")
}

fn exif(head: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(head))
        .ok()
}

fn has_camera(head: &[u8]) -> bool {
    exif(head).is_some_and(|e| {
        e.get_field(exif::Tag::Make, exif::In::PRIMARY).is_some()
            || e.get_field(exif::Tag::Model, exif::In::PRIMARY).is_some()
    })
}

fn ascii_field(e: &exif::Exif, tag: exif::Tag) -> Option<String> {
    match &e.get_field(tag, exif::In::PRIMARY)?.value {
        exif::Value::Ascii(parts) => {
            let bytes = parts.first()?;
            Some(
                String::from_utf8_lossy(bytes)
                    .trim_end_matches('\0')
                    .trim()
                    .to_owned(),
            )
        }
        _ => None,
    }
}

/// EXIF `DateTimeOriginal`, falling back to `DateTime`. Absurd values (zeros, impossible
/// dates, years before photography or far ahead) give `None`.
fn exif_capture_time(head: &[u8]) -> Option<DateTime<Utc>> {
    let e = exif(head)?;
    let text = ascii_field(&e, exif::Tag::DateTimeOriginal)
        .or_else(|| ascii_field(&e, exif::Tag::DateTime))?;
    let naive = NaiveDateTime::parse_from_str(&text, "%Y:%m:%d %H:%M:%S").ok()?;
    let year = naive.format("%Y").to_string().parse::<i32>().ok()?;
    if !(1990..=2200).contains(&year) {
        return None;
    }
    let offset = ascii_field(&e, exif::Tag::OffsetTimeOriginal)
        .and_then(|o| {
            DateTime::parse_from_str(&format!("2000-01-01T00:00:00{o}"), "%Y-%m-%dT%H:%M:%S%:z")
                .ok()
        })
        .map(|d| *d.offset());
    let at = match offset {
        Some(offset) => FixedOffset::from_offset(&offset)
            .from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc),
        None => Local
            .from_local_datetime(&naive)
            .earliest()?
            .with_timezone(&Utc),
    };
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::fixtures::jpeg_with_exif;

    #[test]
    fn camera_jpeg_is_a_photo_with_its_capture_time() {
        let jpeg = jpeg_with_exif("2026:11:18 19:05:30", Some("+09:00"));
        let i = inspect(&jpeg);
        assert_eq!(i.media_type, "image/jpeg");
        assert_eq!(i.kind, EvidenceKind::Photo);
        assert_eq!(
            i.captured_at.map(crate::clock::to_stored).as_deref(),
            Some("2026-11-18T10:05:30Z")
        );
    }

    #[test]
    fn absurd_exif_dates_are_ignored() {
        for date in [
            "0000:00:00 00:00:00",
            "2026:13:45 99:00:00",
            "1850:01:01 00:00:00",
        ] {
            let i = inspect(&jpeg_with_exif(date, Some("+09:00")));
            assert_eq!(i.captured_at, None, "{date}");
            // Still a camera photo: the Make tag is there.
            assert_eq!(i.kind, EvidenceKind::Photo, "{date}");
        }
    }

    #[test]
    fn png_without_exif_is_a_screenshot() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
        let i = inspect(png);
        assert_eq!(i.media_type, "image/png");
        assert_eq!(i.kind, EvidenceKind::Screenshot);
    }

    #[test]
    fn text_kinds() {
        assert_eq!(inspect(b"%PDF-1.7\n...").kind, EvidenceKind::Document);
        let mail = "From: help@shop.example\nTo: me@example.com\nSubject: 환불 안내\n\n본문";
        let i = inspect(mail.as_bytes());
        assert_eq!(
            (i.media_type.as_str(), i.kind),
            ("message/rfc822", EvidenceKind::Email)
        );
        let chat = "가나다몰 고객센터 님과 카카오톡 대화\n저장한 날짜 : 2026-11-20\n";
        assert_eq!(inspect(chat.as_bytes()).kind, EvidenceKind::Chat);
        assert_eq!(inspect("그냥 메모".as_bytes()).kind, EvidenceKind::Document);
        assert_eq!(
            inspect(&[0u8, 159, 146, 150, 0, 1]).kind,
            EvidenceKind::Other
        );
        assert_eq!(inspect(b"").kind, EvidenceKind::Other);
    }

    #[test]
    fn phone_recordings_are_recordings() {
        let wav = b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0data\0\0\0\0";
        assert_eq!(inspect(wav).kind, EvidenceKind::Recording);
        // A phone's 3GPP call recording (ftyp brand 3gp4).
        let gp3 = b"\0\0\0\x1cftyp3gp4\0\0\x02\x003gp4isomiso2";
        assert_eq!(inspect(gp3).media_type, "video/3gpp");
        assert_eq!(inspect(gp3).kind, EvidenceKind::Recording);
        assert_eq!(
            inspect(b"#!AMR\n\x3c\0\0\0\0\0\0\0").kind,
            EvidenceKind::Recording
        );
        assert_eq!(
            inspect(b"ID3\x03\0\0\0\0\0\0").kind,
            EvidenceKind::Recording
        );
    }
}

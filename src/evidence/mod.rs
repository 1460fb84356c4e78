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

/// A file's first 8 KiB as text, if it is text: by its byte-order mark (UTF-8, UTF-16), as
/// UTF-8, or as code page 949 (Korean text saved on Windows) — a character cut at the
/// sample's end allowed, no control characters but whitespace.
fn head_text(head: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let sample = &head[..head.len().min(8192)];
    let cut = head.len() > sample.len();
    // Guessed code page 949 must look like text throughout; UTF-8 need only have no NUL.
    let mut guessed = false;
    let text: Cow<'_, str> = if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(sample) {
        encoding.decode_with_bom_removal(sample).0
    } else {
        match std::str::from_utf8(sample) {
            Ok(t) => Cow::Borrowed(t),
            Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
                Cow::Borrowed(std::str::from_utf8(&sample[..e.valid_up_to()]).ok()?)
            }
            Err(_) => {
                let euc = |bytes: &[u8]| {
                    encoding_rs::EUC_KR
                        .decode_without_bom_handling_and_without_replacement(bytes)
                        .map(|t| t.into_owned())
                };
                // A two-byte character cut at the end: one byte fewer decodes.
                let decoded = euc(sample)
                    .or_else(|| cut.then(|| euc(&sample[..sample.len() - 1])).flatten())?;
                guessed = true;
                Cow::Owned(decoded)
            }
        }
    };
    let controls = text.chars().any(|c| {
        c == '\0' || (guessed && c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    });
    (!text.is_empty() && !controls).then_some(text)
}

/// Text files get a type from their first lines: an email's headers, HTML, or plain text.
fn text_media_type(head: &[u8]) -> &'static str {
    let Some(text) = head_text(head) else {
        return "application/octet-stream";
    };
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
    let text = head_text(head).unwrap_or_default();
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
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

/// Whether an item's content is text a preview can show as such (chat logs, emails, pages,
/// notes).
pub fn is_text(media_type: &str) -> bool {
    media_type.starts_with("text/")
        || matches!(
            media_type,
            "message/rfc822" | "application/json" | "application/xml"
        )
}

/// How much of a text item a preview reads.
pub const TEXT_PREVIEW_BYTES: usize = 1 << 20;

/// A text file's start as readable text: how it was decoded, and whether the file goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPreview {
    /// The text (invalid sequences as U+FFFD).
    pub text: String,
    /// The encoding it was read in: `UTF-8`, `UTF-16LE`, `UTF-16BE`, or `EUC-KR` (which here
    /// means Windows code page 949, the superset Korean Windows writes).
    pub encoding: &'static str,
    /// The file is longer than what was read.
    pub cut: bool,
}

/// Decodes the start of a text file: by its byte-order mark if it has one; else as UTF-8 when
/// it is valid UTF-8 (a sequence cut off by the read limit excepted); else as code page 949,
/// which most Korean text saved on Windows is in; else as UTF-8 with replacement characters.
pub fn text_preview(bytes: &[u8], cut: bool) -> TextPreview {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_with_bom_removal(bytes);
        return TextPreview {
            text: text.into_owned(),
            encoding: encoding.name(),
            cut,
        };
    }
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // Only an incomplete sequence at the very end, where the read stopped.
        Err(e) => cut && e.error_len().is_none(),
    };
    if valid {
        return TextPreview {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
            cut,
        };
    }
    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    if !had_errors {
        return TextPreview {
            text: text.into_owned(),
            encoding: "EUC-KR",
            cut,
        };
    }
    TextPreview {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: "UTF-8",
        cut,
    }
}

/// [`text_preview`] of the first [`TEXT_PREVIEW_BYTES`] of a file.
pub fn read_text_preview(path: &Path) -> std::io::Result<TextPreview> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(TEXT_PREVIEW_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    let cut = bytes.len() > TEXT_PREVIEW_BYTES;
    bytes.truncate(TEXT_PREVIEW_BYTES);
    Ok(text_preview(&bytes, cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::fixtures::jpeg_with_exif;

    // Expected bytes from Python's codecs (`'안녕'.encode('euc-kr')`, `'똠방각하'.encode('cp949')`),
    // not from this code.
    #[test]
    fn korean_text_from_windows_reads_as_code_page_949() {
        let p = text_preview(&[0xbe, 0xc8, 0xb3, 0xe7], false);
        assert_eq!((p.text.as_str(), p.encoding), ("안녕", "EUC-KR"));
        // 똠 is outside KS X 1001: only code page 949 has it.
        let p = text_preview(&[0x8c, 0x63, 0xb9, 0xe6, 0xb0, 0xa2, 0xc7, 0xcf], false);
        assert_eq!((p.text.as_str(), p.encoding), ("똠방각하", "EUC-KR"));
    }

    #[test]
    fn a_chat_log_saved_on_korean_windows_is_text_and_a_chat() {
        // "카카오톡 대화\n박상담: 환불" in code page 949 (Python's `encode('cp949')`).
        let log = [
            196, 171, 196, 171, 191, 192, 197, 229, 32, 180, 235, 200, 173, 10, 185, 218, 187, 243,
            180, 227, 58, 32, 200, 175, 186, 210,
        ];
        let i = inspect(&log);
        assert_eq!(
            (i.media_type.as_str(), i.kind),
            ("text/plain", EvidenceKind::Chat)
        );
        // Binary that happens to decode (bytes 0x01–0x08 are "characters" in any code page)
        // is not taken for text; nor is a UTF-16 file without its byte-order mark.
        assert_eq!(
            inspect(&[0xb0, 0xa1, 0x01, 0x02, 0x03]).media_type,
            "application/octet-stream"
        );
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("카카오톡 대화".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(inspect(&utf16).kind, EvidenceKind::Chat);
    }

    #[test]
    fn utf8_and_byte_order_marks_win_and_a_cut_sequence_is_not_a_reason_to_guess() {
        let p = text_preview("안녕".as_bytes(), false);
        assert_eq!((p.text.as_str(), p.encoding), ("안녕", "UTF-8"));
        // The read stopped inside 녕 (EB 85 95): still UTF-8, the stub replaced.
        let p = text_preview(&"안녕".as_bytes()[..5], true);
        assert_eq!((p.text.as_str(), p.encoding), ("안\u{fffd}", "UTF-8"));
        let p = text_preview(&[0xef, 0xbb, 0xbf, b'h', b'i'], false);
        assert_eq!((p.text.as_str(), p.encoding), ("hi", "UTF-8"));
        let p = text_preview(&[0xff, 0xfe, 0x48, 0xc5], false);
        assert_eq!((p.text.as_str(), p.encoding), ("안", "UTF-16LE"));
        // Neither UTF-8 nor code page 949: shown with replacement characters, not dropped.
        let p = text_preview(&[b'a', 0xff, b'b'], false);
        assert_eq!((p.text.as_str(), p.encoding), ("a\u{fffd}b", "UTF-8"));
        assert!(is_text("text/plain") && is_text("message/rfc822") && !is_text("image/png"));
    }

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

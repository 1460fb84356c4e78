//! Reading a packet's ZIP without trusting it: names checked, every entry streamed and hashed
//! (nothing extracted, memory bounded), both headers of every entry read, and the archive's
//! layout checked so that no byte of the file sits outside an entry the verifier read.
//!
//! What a packet writer never produces but another tool (or a forger) may — bytes before the
//! first entry or after the end record, gaps between entries, a local name differing from the
//! central one, directories, names that collide on Windows or macOS — is reported as a finding
//! in words a reviewer understands; what is built to harm (names climbing out of the folder,
//! links, overlapping entries, bombs) is refused outright.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};

use sha2::Digest;
use unicode_normalization::UnicodeNormalization;
use zip::CompressionMethod;

use super::verify::VerifyError;
use crate::vault::Sha256;

/// Entries a packet may hold.
pub(super) const MAX_ENTRIES: usize = 100_000;
/// The most `manifest.json`, `SHA256SUMS` or `ledger.jsonl` may hold (they are read into memory).
pub(super) const MAX_META_BYTES: u64 = 64 << 20;
/// A deflated entry expanding more than this many times, past `BOMB_FLOOR` bytes, is a bomb.
const BOMB_RATIO: u64 = 200;
const BOMB_FLOOR: u64 = 64 << 20;

pub(super) fn hostile(what: impl Into<String>) -> VerifyError {
    VerifyError::Hostile(what.into())
}

/// An entry as read: its size and digest, and the bytes when asked for.
pub(super) struct EntryRead {
    pub size: u64,
    pub sha: Sha256,
    pub kept: Option<Vec<u8>>,
    pub damaged: Option<String>,
}

/// A name that would reach outside the folder it is extracted into, or is not plain.
pub(super) fn check_name(name: &str) -> Result<(), VerifyError> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.chars().any(char::is_control)
        || name.split('/').any(|part| part == "..")
        || (name.len() >= 2 && name.as_bytes()[1] == b':');
    if bad {
        return Err(hostile(format!(
            "entry name \"{}\" would reach outside the packet's folder",
            name.escape_debug()
        )));
    }
    Ok(())
}

/// Windows' reserved device names, with or without an extension and with any spaces before
/// it (`CON`, `nul.txt`, `AUX .tar.gz`, `COM1`, `LPT¹`): a file of such a name opens the
/// device instead.
pub(crate) fn is_reserved_on_windows(part: &str) -> bool {
    let stem = part
        .split('.')
        .next()
        .unwrap_or(part)
        .trim_end_matches(' ')
        .to_ascii_uppercase();
    let port_digit = |rest: &str| {
        matches!(
            rest,
            "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "0" | "¹" | "²" | "³"
        )
    };
    matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || stem.strip_prefix("COM").is_some_and(port_digit)
        || stem.strip_prefix("LPT").is_some_and(port_digit)
}

/// What makes a plain name unportable: it would extract differently (or not at all) on
/// Windows or macOS. `None` when it is portable.
pub(super) fn portability_problem(name: &str) -> Option<String> {
    let shown = name.escape_debug();
    if name.starts_with("./") || name.split('/').any(|p| p == "." || p.is_empty()) {
        return Some(format!(
            "\"{shown}\" has ./ or empty path parts: the packet was re-packed by another tool"
        ));
    }
    for part in name.split('/') {
        if part.ends_with('.') || part.ends_with(' ') {
            return Some(format!(
                "\"{shown}\" ends a name in a dot or space, which Windows drops when extracting"
            ));
        }
        if part.contains(':') {
            return Some(format!(
                "\"{shown}\" holds ':', which Windows reads as a hidden data stream"
            ));
        }
        if part
            .chars()
            .any(|c| matches!(c, '*' | '?' | '"' | '<' | '>' | '|'))
        {
            return Some(format!(
                "\"{shown}\" holds a character Windows does not allow in file names"
            ));
        }
        if is_reserved_on_windows(part) {
            return Some(format!(
                "\"{shown}\" uses a name Windows reserves for a device"
            ));
        }
    }
    if name.nfc().ne(name.chars()) {
        return Some(format!(
            "\"{shown}\" is not in Unicode NFC form: macOS would show it as another file's name"
        ));
    }
    None
}

/// The name two entries share when a Windows or macOS file system would extract them as one.
pub(super) fn collision_key(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .split('/')
        .map(|p| p.trim_end_matches(['.', ' ']).to_lowercase())
        .collect::<Vec<_>>()
        .join("/")
}

fn word(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn dword(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read_at(file: &File, at: u64, len: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; len];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(&mut buf, at).ok()?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < len {
            let n = file.seek_read(&mut buf[done..], at + done as u64).ok()?;
            if n == 0 {
                return None;
            }
            done += n;
        }
    }
    Some(buf)
}

/// What a format-2 writer puts in every entry's headers, for [`header_problem`] to hold them
/// to: the DOS time of `generated_at` and the Unix mode (`0o100644`, or `0o100755` for
/// `verify.sh`). `None` (format 1) checks only what unzip tools depend on.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeaderRule {
    /// (DOS time, DOS date).
    pub time: (u16, u16),
    /// The Unix mode in the high half of the external attributes.
    pub mode: u32,
}

/// The DOS (time, date) of an instant, as the packet writer stores it (UTC; years clamped to
/// what DOS dates hold; seconds halved).
pub(super) fn dos_time(at: chrono::DateTime<chrono::Utc>) -> (u16, u16) {
    use chrono::{Datelike, Timelike};
    let year = at.year().clamp(1980, 2107) as u16;
    let date = ((year - 1980) << 9) | ((at.month() as u16) << 5) | at.day() as u16;
    let time = ((at.hour() as u16) << 11) | ((at.minute() as u16) << 5) | (at.second() as u16 / 2);
    (time, date)
}

/// Whether a local header's sizes, read as a Zip64-aware reader reads them, are `sizes`
/// (uncompressed, compressed) as the central directory gives them; and whether it carries a
/// Zip64 field only where its 32-bit fields call for one.
fn zip64_sizes_agree(
    file: &File,
    local: u64,
    l: &[u8],
    name_len: usize,
    extra_len: usize,
    sizes: (u64, u64),
) -> bool {
    let Some(extra) = read_at(file, local + 30 + name_len as u64, extra_len) else {
        return false;
    };
    let mut zip64: Option<&[u8]> = None;
    let mut at = 0;
    while at + 4 <= extra.len() {
        let (id, len) = (word(&extra, at), usize::from(word(&extra, at + 2)));
        let Some(data) = extra.get(at + 4..at + 4 + len) else {
            return false;
        };
        if id == 0x0001 {
            zip64 = Some(data);
        }
        at += 4 + len;
    }
    let (usize32, csize32) = (u64::from(dword(l, 22)), u64::from(dword(l, 18)));
    let saturated = usize32 == 0xffff_ffff || csize32 == 0xffff_ffff;
    match (zip64, saturated) {
        (None, false) => (usize32, csize32) == sizes,
        (Some(z), true) if z.len() >= 16 => {
            let q = |at: usize| u64::from_le_bytes(z[at..at + 8].try_into().unwrap_or([0; 8]));
            (q(0), q(8)) == sizes
        }
        _ => false,
    }
}

/// The extra fields of a header, as (id, length) pairs; `None` when they do not parse.
fn extra_ids(extra: &[u8]) -> Option<Vec<u16>> {
    let mut ids = Vec::new();
    let mut at = 0;
    while at < extra.len() {
        if at + 4 > extra.len() {
            return None;
        }
        let (id, len) = (word(extra, at), usize::from(word(extra, at + 2)));
        at += 4 + len;
        if at > extra.len() {
            return None;
        }
        ids.push(id);
    }
    Some(ids)
}

/// What in an entry's two ZIP headers (central directory and local) is not what the packet
/// writer wrote, though the entry's bytes may hash right. Always: marked encrypted, asking for
/// a ZIP version no tool has, the headers disagreeing (compression, name, sizes, CRC, flags),
/// or the central name differing from the name `zip` reported (a "Unicode path" extra field
/// can make readers disagree on which file is which). With a `rule` (format 2), also: any
/// extra field but Zip64, a file comment, other flags, another entry time or mode. A damaged
/// or doctored copy can have any of these; a packet never does.
pub(super) fn header_problem(
    file: &File,
    central: u64,
    local: u64,
    name: &[u8],
    sizes: (u64, u64),
    rule: Option<HeaderRule>,
) -> Option<String> {
    let (Some(c), Some(l)) = (read_at(file, central, 46), read_at(file, local, 30)) else {
        return Some("its ZIP headers cannot be read (damaged)".into());
    };
    if c[..4] != *b"PK\x01\x02" || l[..4] != *b"PK\x03\x04" {
        return Some("its ZIP headers cannot be read (damaged)".into());
    }
    let (c_need, c_flags, c_method) = (word(&c, 6), word(&c, 8), word(&c, 10));
    let (l_need, l_flags, l_method) = (word(&l, 4), word(&l, 6), word(&l, 8));
    // Bit 0: encrypted; 6: strong encryption; 13: local header values masked (encrypted
    // central directory).
    const ENCRYPTED: u16 = 1 | 1 << 6 | 1 << 13;
    if (c_flags | l_flags) & ENCRYPTED != 0 {
        return Some(
            "its ZIP header marks it encrypted (a packet never is): unzip tools would ask for a password or skip it — the ZIP is damaged"
                .into(),
        );
    }
    // The low byte is the version times ten; APPNOTE 6.3 is the newest.
    let need = (c_need & 0xff).max(l_need & 0xff);
    if need > 63 {
        return Some(format!(
            "its ZIP header asks for ZIP version {}.{}, which no unzip tool has — the ZIP is damaged",
            need / 10,
            need % 10
        ));
    }
    if c_method != l_method {
        return Some(format!(
            "its two ZIP headers disagree on the compression ({c_method} and {l_method}): unzip tools would refuse it — the ZIP is damaged"
        ));
    }
    let (c_name_len, c_extra_len, c_comment_len) = (
        usize::from(word(&c, 28)),
        usize::from(word(&c, 30)),
        usize::from(word(&c, 32)),
    );
    let (l_name_len, l_extra_len) = (usize::from(word(&l, 26)), usize::from(word(&l, 28)));
    let (Some(c_name), Some(l_name)) = (
        read_at(file, central + 46, c_name_len),
        read_at(file, local + 30, l_name_len),
    ) else {
        return Some("its ZIP headers are cut short (damaged)".into());
    };
    if c_name != name {
        return Some(format!(
            "its central ZIP header names it \"{}\", but an extra field renames it: tools that ignore the field would extract another file — the ZIP was doctored",
            String::from_utf8_lossy(&c_name).escape_debug()
        ));
    }
    if l_name != c_name {
        return Some(format!(
            "its two ZIP headers give different names (the other is \"{}\"): tools that read the local header would extract another file — the ZIP was doctored",
            String::from_utf8_lossy(&l_name).escape_debug()
        ));
    }
    // CRC, compressed and uncompressed size: the local header must say what the central one
    // says (a streaming reader trusts the local one), in its 32-bit fields and, where those
    // say "see Zip64", in its Zip64 field.
    if c[16..28] != l[14..26] || !zip64_sizes_agree(file, local, &l, l_name_len, l_extra_len, sizes)
    {
        return Some(
            "its local ZIP header gives other sizes or another CRC than the central directory: a streaming unzip would read something else — the ZIP was doctored"
                .into(),
        );
    }
    if c_flags != l_flags {
        return Some("its two ZIP headers disagree on its flags — the ZIP was doctored".into());
    }
    let rule = rule?;
    let (Some(c_extra), Some(l_extra)) = (
        read_at(file, central + 46 + c_name_len as u64, c_extra_len),
        read_at(file, local + 30 + l_name_len as u64, l_extra_len),
    ) else {
        return Some("its ZIP headers are cut short (damaged)".into());
    };
    for extra in [&c_extra, &l_extra] {
        match extra_ids(extra) {
            None => return Some("its ZIP header holds a malformed extra field (damaged)".into()),
            Some(ids) => {
                if let Some(id) = ids.iter().find(|id| **id != 0x0001) {
                    return Some(format!(
                        "its ZIP header holds an extra field (id 0x{id:04x}) a packet never has: it was re-packed or doctored"
                    ));
                }
            }
        }
    }
    if c_comment_len != 0 {
        return Some(
            "its ZIP entry carries a comment, which a packet never has (unzip tools show it as if it were part of the packet)"
                .into(),
        );
    }
    if c_flags & !0x0800 != 0 {
        return Some(format!(
            "its ZIP flags are 0x{c_flags:04x}, which a packet never sets: it was re-packed or doctored"
        ));
    }
    let (c_time, l_time) = ((word(&c, 12), word(&c, 14)), (word(&l, 10), word(&l, 12)));
    if c_time != rule.time || l_time != rule.time {
        return Some(
            "its ZIP entry time is not the packet's build time (every entry of a packet has it): it was re-packed or doctored"
                .into(),
        );
    }
    let (made_by_os, internal, external) = (c[5], word(&c, 36), dword(&c, 38));
    if made_by_os != 3 || internal != 0 || external != rule.mode << 16 || word(&c, 34) != 0 {
        return Some(format!(
            "its ZIP file attributes (0x{external:08x}) are not the packet's (mode {:o}): it was re-packed or doctored",
            rule.mode
        ));
    }
    None
}

/// One entry's place in the file, for the layout check.
pub(super) struct Span {
    pub name: String,
    pub local: u64,
    pub data_start: u64,
    pub compressed: u64,
    pub central: u64,
    pub has_descriptor: bool,
}

/// Checks that the entries and the central directory fill the file exactly: the first entry at
/// byte 0, each one right after the one before, the central directory right after the last,
/// and the end record (with no comment) as the file's last bytes. Returns what does not hold.
pub(super) fn layout_problems(file: &File, file_len: u64, spans: &mut [Span]) -> Vec<String> {
    let mut out = Vec::new();
    spans.sort_by_key(|s| s.local);
    let mut at = 0u64;
    for s in spans.iter() {
        if s.has_descriptor {
            out.push(format!(
                "{} was written by a streaming ZIP tool (data descriptor): the packet was re-packed by another tool",
                s.name.escape_debug()
            ));
        }
        if s.local != at {
            if at == 0 {
                out.push(format!(
                    "{} bytes come before the ZIP's first entry (something was prepended)",
                    s.local
                ));
            } else {
                out.push(format!(
                    "{} bytes between entries are not part of any entry (before {})",
                    s.local.abs_diff(at),
                    s.name.escape_debug()
                ));
            }
        }
        at = s.data_start.saturating_add(s.compressed);
    }
    let mut central: Vec<u64> = spans.iter().map(|s| s.central).collect();
    central.sort_unstable();
    let cd_start = central.first().copied().unwrap_or(at);
    if cd_start != at {
        out.push(format!(
            "{} bytes between the last entry and the ZIP's directory are not part of any entry",
            cd_start.abs_diff(at)
        ));
    }
    // Walk the central headers to where the directory ends.
    let mut end = cd_start;
    for c in &central {
        if *c != end {
            out.push("the ZIP's directory has bytes that belong to no entry".into());
            break;
        }
        let Some(h) = read_at(file, *c, 46) else {
            out.push("the ZIP's directory is cut short".into());
            return out;
        };
        end = c + 46 + u64::from(word(&h, 28)) + u64::from(word(&h, 30)) + u64::from(word(&h, 32));
    }
    // What may follow: a Zip64 end record and locator (76 bytes), then the end record (22).
    // Every count, size and offset in them must be the directory's own: readers that trust
    // the Zip64 record and readers that do not must find the same entries (a Zip64 record
    // pointing at a directory hidden inside an evidence file showed other tools a fake packet).
    let rest = file_len.saturating_sub(end);
    let eocd_at = file_len.saturating_sub(22);
    let (count, cd_size) = (spans.len() as u64, end.saturating_sub(cd_start));
    let eocd = read_at(file, eocd_at, 22).filter(|e| e[..4] == *b"PK\x05\x06");
    let Some(e) = eocd else {
        out.push(if file_len > end + 22 {
            format!(
                "{} bytes follow the ZIP's end record or sit in its comment (something was appended)",
                file_len.saturating_sub(end + 22)
            )
        } else {
            "the ZIP's end record is not where it belongs (something was appended or cut)".into()
        });
        return out;
    };
    if word(&e, 20) != 0 || !(rest == 22 || rest == 22 + 76) {
        out.push(format!(
            "{} bytes follow the ZIP's directory or sit in its comment (something was appended)",
            rest.saturating_sub(22)
        ));
        return out;
    }
    let zip64 = rest == 22 + 76;
    // A 32-bit field may say "see the Zip64 record" (all ones) only when there is one.
    let fits = |field: u64, real: u64, ones: u64| field == real || (zip64 && field == ones);
    let same_32 = word(&e, 4) == 0
        && word(&e, 6) == 0
        && fits(u64::from(word(&e, 8)), count, 0xffff)
        && fits(u64::from(word(&e, 10)), count, 0xffff)
        && fits(u64::from(dword(&e, 12)), cd_size, 0xffff_ffff)
        && fits(u64::from(dword(&e, 16)), cd_start, 0xffff_ffff);
    let same_64 = !zip64
        || match (read_at(file, end, 56), read_at(file, end + 56, 20)) {
            (Some(r), Some(l)) => {
                let q = |b: &[u8], at: usize| {
                    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
                };
                r[..4] == *b"PK\x06\x06"
                    && q(&r, 4) == 44
                    && dword(&r, 16) == 0
                    && dword(&r, 20) == 0
                    && q(&r, 24) == count
                    && q(&r, 32) == count
                    && q(&r, 40) == cd_size
                    && q(&r, 48) == cd_start
                    && l[..4] == *b"PK\x06\x07"
                    && dword(&l, 4) == 0
                    && q(&l, 8) == end
                    && dword(&l, 16) == 1
            }
            _ => false,
        };
    if !(same_32 && same_64) {
        out.push(
            "the ZIP's end records do not describe its directory (another tool would read other entries): the ZIP was doctored"
                .into(),
        );
    }
    out
}

/// Whether the entry's general-purpose flags say a data descriptor follows its data.
pub(super) fn has_descriptor(file: &File, local: u64) -> bool {
    read_at(file, local, 8).is_none_or(|l| word(&l, 6) & (1 << 3) != 0)
}

/// The local header's data start as the header itself gives it.
pub(super) fn local_data_start(file: &File, local: u64) -> Option<u64> {
    let l = read_at(file, local, 30)?;
    (dword(&l, 0) == 0x0403_4b50)
        .then(|| local + 30 + u64::from(word(&l, 26)) + u64::from(word(&l, 28)))
}

/// An entry's bytes: as stored, or inflated by our own decoder.
enum Source<'a, R: Read> {
    Stored(zip::read::ZipFile<'a, R>),
    Deflated(flate2::read::DeflateDecoder<zip::read::ZipFile<'a, R>>),
}

impl<R: Read> Read for Source<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Stored(r) => r.read(buf),
            Source::Deflated(r) => r.read(buf),
        }
    }
}

/// Streams one entry: inflates it ourselves (never past its declared size), hashing.
pub(super) fn read_entry<R: Read>(
    entry: zip::read::ZipFile<'_, R>,
    name: &str,
    keep: bool,
) -> Result<EntryRead, VerifyError> {
    let declared = entry.size();
    let compressed = entry.compressed_size();
    let expected_crc = entry.crc32();
    let method = entry.compression();
    if keep && declared > MAX_META_BYTES {
        return Err(hostile(format!(
            "{} claims {declared} bytes; too large for a list",
            name.escape_debug()
        )));
    }
    match method {
        CompressionMethod::Stored if compressed != declared => {
            return Err(hostile(format!(
                "{} declares {declared} bytes but holds {compressed}",
                name.escape_debug()
            )));
        }
        CompressionMethod::Stored => {}
        CompressionMethod::Deflated => {
            if declared > BOMB_FLOOR && declared / compressed.max(1) > BOMB_RATIO {
                return Err(hostile(format!(
                    "{} expands {}× to {declared} bytes (a ZIP bomb)",
                    name.escape_debug(),
                    declared / compressed.max(1)
                )));
            }
        }
        other => {
            return Err(hostile(format!(
                "{} uses compression {other}, which packets never use",
                name.escape_debug()
            )));
        }
    }
    // Deflated data is inflated by our own decoder, which must use exactly the compressed
    // bytes the headers declare: bytes after the end of the deflate stream are hidden from
    // this read but not from a streaming unzip (a second local header can hide there).
    let mut source = match method {
        CompressionMethod::Deflated => Source::Deflated(flate2::read::DeflateDecoder::new(entry)),
        _ => Source::Stored(entry),
    };
    let mut hasher = sha2::Sha256::new();
    let mut crc = flate2::Crc::new();
    let mut kept = keep.then(Vec::new);
    let mut buf = vec![0u8; 256 << 10];
    let mut total = 0u64;
    let mut damaged = None;
    // Past the declared size only a CRC is kept, up to a bound, to tell a crafted entry (its
    // whole content matches its CRC) from a damaged one.
    let bound = declared.saturating_mul(2).saturating_add(1 << 20);
    loop {
        match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let chunk = &buf[..n];
                crc.update(chunk);
                let within = declared.saturating_sub(total).min(n as u64) as usize;
                hasher.update(&chunk[..within]);
                if let Some(k) = &mut kept {
                    k.extend_from_slice(&chunk[..within]);
                }
                total += n as u64;
                if total > bound {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                damaged = Some(format!("cannot be decompressed ({e})"));
                break;
            }
        }
    }
    if damaged.is_none()
        && total <= bound
        && let Source::Deflated(d) = &source
        && d.total_in() != compressed
    {
        damaged = Some(format!(
            "its compressed data ends after {} of the {compressed} bytes its headers declare: the rest is hidden from readers that trust the headers and seen by those that stream — the ZIP was doctored",
            d.total_in()
        ));
    }
    if total > declared {
        if damaged.is_none() && total <= bound && crc.sum() == expected_crc {
            return Err(hostile(format!(
                "{} holds {total} bytes but declares {declared}",
                name.escape_debug()
            )));
        }
        damaged = Some(format!(
            "decompresses to more than the {declared} bytes it declares (damaged)"
        ));
    }
    if damaged.is_none() && total < declared {
        damaged = Some(format!("holds {total} bytes, declares {declared}"));
    }
    // The content may still hash right; but a ZIP whose own checksum disagrees is damaged, and
    // the unzip tools a reviewer uses would refuse the entry.
    if damaged.is_none() && crc.sum() != expected_crc {
        damaged = Some(format!(
            "its CRC-32 in the ZIP ({expected_crc:08x}) does not match its content ({:08x}): the ZIP is damaged, and unzip tools will refuse this entry",
            crc.sum()
        ));
    }
    Ok(EntryRead {
        size: total,
        sha: Sha256(hasher.finalize().into()),
        kept: if damaged.is_none() { kept } else { None },
        damaged,
    })
}

/// `SHA256SUMS` lines: `<64 lowercase hex><two spaces or space-star><path>`; `None` when any
/// line is not one (read as bytes: a line is never cut inside a character).
pub(super) fn parse_sums(bytes: &[u8]) -> Option<BTreeMap<String, String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let b = line.as_bytes();
        if b.len() < 67
            || !b[..64]
                .iter()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        // The first 64 bytes are ASCII, so 64 is a character boundary.
        let (hash, rest) = line.split_at(64);
        let path = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))?;
        if out.insert(path.to_owned(), hash.to_owned()).is_some() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sums_line_with_a_character_across_byte_64_is_refused_not_a_panic() {
        let line = format!("{}가  report.pdf\n", "a".repeat(63));
        assert_eq!(parse_sums(line.as_bytes()), None);
        let good = format!("{}  report.pdf\n", "a".repeat(64));
        assert_eq!(parse_sums(good.as_bytes()).map(|m| m.len()), Some(1));
    }

    #[test]
    fn names_that_collide_or_do_not_travel_are_named() {
        assert_eq!(
            collision_key("evidence/A.jpg"),
            collision_key("evidence/a.JPG")
        );
        let nfd: String = "evidence/사진.jpg".nfd().collect();
        assert_eq!(collision_key(&nfd), collision_key("evidence/사진.jpg"));
        assert_eq!(
            collision_key("evidence/a.jpg."),
            collision_key("evidence/a.jpg")
        );
        assert!(portability_problem(&nfd).is_some());
        assert!(portability_problem("evidence/a.jpg.").is_some());
        assert!(portability_problem("evidence/con.txt").is_some());
        assert!(portability_problem("evidence/x:stream").is_some());
        assert!(
            portability_problem("./report.pdf")
                .unwrap()
                .contains("re-packed")
        );
        assert!(portability_problem("evidence/E001-photo-사진.jpg").is_none());
        assert!(portability_problem("evidence/E001-document-console.txt").is_none());
    }
}

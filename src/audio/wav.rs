//! WAV files beyond what hound writes: bookmarks as `cue ` + `LIST`/`adtl`/`labl` chunks that
//! other audio tools show as markers, and the repair of a file whose writer was killed.
//!
//! A recording's layout is `RIFF` · `WAVE` · `fmt ` · `data` [· `cue ` · `LIST`/`adtl`] ·
//! `LIST`/`INFO` (when it started, the software, the recording's own id). While it is
//! written, hound rewrites the two sizes at every flush, so after kill -9 the header describes
//! the audio up to the last flush and the bytes after it are whatever the buffer had written.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::model::Bookmark;

/// Where the parts of a WAV file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
    /// Bytes per frame (all channels).
    pub block_align: u16,
    /// Offset of the first audio byte.
    pub data_start: u64,
    /// The `data` chunk's size as the header states it.
    pub data_len: u64,
    /// The `RIFF` size as the header states it.
    pub riff_len: u64,
}

impl Layout {
    /// Frames in the `data` chunk.
    pub fn frames(&self) -> u64 {
        self.data_len / u64::from(self.block_align.max(1))
    }

    /// The audio's length in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.frames() * 1000 / u64::from(self.sample_rate.max(1))
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Reads the header chunks up to the start of `data`.
pub fn layout(file: &mut File) -> io::Result<Layout> {
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 12];
    file.read_exact(&mut head)
        .map_err(|_| invalid("too short to be a WAV file"))?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(invalid("not a RIFF/WAVE file"));
    }
    let riff_len = u64::from(u32_at(&head, 4));
    let mut pos = 12u64;
    let mut fmt: Option<(u16, u32, u16)> = None;
    while pos + 8 <= len {
        let mut chunk = [0u8; 8];
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut chunk)?;
        let size = u64::from(u32_at(&chunk, 4));
        match &chunk[0..4] {
            b"fmt " => {
                let mut body = [0u8; 16];
                file.read_exact(&mut body)
                    .map_err(|_| invalid("the WAV format chunk is cut short"))?;
                fmt = Some((u16_at(&body, 2), u32_at(&body, 4), u16_at(&body, 12)));
            }
            b"data" => {
                let (channels, sample_rate, block_align) =
                    fmt.ok_or_else(|| invalid("the WAV file has audio before its format"))?;
                if channels == 0 || sample_rate == 0 || block_align == 0 {
                    return Err(invalid("the WAV format chunk is not usable"));
                }
                return Ok(Layout {
                    sample_rate,
                    channels,
                    block_align,
                    data_start: pos + 8,
                    data_len: size,
                    riff_len,
                });
            }
            _ => {}
        }
        pos += 8 + size + (size & 1);
    }
    Err(invalid("the WAV file has no audio chunk"))
}

/// What `repair` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// The header already described the whole file.
    Intact,
    /// The sizes were rewritten from the file's length (and a torn last frame cut off).
    Repaired {
        /// Audio bytes the header described before.
        described: u64,
        /// Audio bytes it describes now.
        now: u64,
    },
}

/// Makes the header describe every whole frame the file holds, after a writer was killed.
/// A file that was finished (its `RIFF` size matches its length) is left as it is.
pub fn repair(path: &Path) -> io::Result<(Repair, Layout)> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let mut l = layout(&mut file)?;
    let available = len.saturating_sub(l.data_start);
    if l.riff_len + 8 == len && l.data_len <= available {
        return Ok((Repair::Intact, l));
    }
    // Bookmark chunks right after the described audio mean the writer finished and was killed
    // while appending them: the audio ends where the header says.
    let mut after = [0u8; 4];
    let finished = l.data_len <= available && {
        file.seek(SeekFrom::Start(l.data_start + l.data_len))?;
        file.read(&mut after)? == 4 && (&after == b"cue " || &after == b"LIST")
    };
    let align = u64::from(l.block_align);
    let data_len = if finished {
        l.data_len
    } else {
        let max = u64::from(u32::MAX) - l.data_start;
        available.min(max) / align * align
    };
    file.set_len(l.data_start + data_len)?;
    write_sizes(&mut file, l.data_start, data_len)?;
    file.sync_all()?;
    let described = l.data_len;
    l.data_len = data_len;
    l.riff_len = l.data_start + data_len - 8;
    Ok((
        Repair::Repaired {
            described,
            now: data_len,
        },
        l,
    ))
}

fn write_sizes(file: &mut File, data_start: u64, data_len: u64) -> io::Result<()> {
    let riff = u32::try_from(data_start + data_len - 8)
        .map_err(|_| invalid("the recording is larger than a WAV file can describe"))?;
    file.seek(SeekFrom::Start(4))?;
    file.write_all(&riff.to_le_bytes())?;
    file.seek(SeekFrom::Start(data_start - 4))?;
    file.write_all(&(data_len as u32).to_le_bytes())?;
    Ok(())
}

/// The frame a bookmark falls on.
fn frame_of(offset_ms: u64, sample_rate: u32) -> u32 {
    let frame = (u128::from(offset_ms) * u128::from(sample_rate) + 500) / 1000;
    u32::try_from(frame).unwrap_or(u32::MAX)
}

fn ms_of(frame: u32, sample_rate: u32) -> u64 {
    ((u128::from(frame) * 1000 + u128::from(sample_rate) / 2) / u128::from(sample_rate.max(1)))
        as u64
}

/// Writes what follows the audio of a finished WAV file, replacing anything there: the
/// `bookmarks` as a `cue ` chunk (one cue point per bookmark) and a `LIST`/`adtl` chunk with a
/// `labl` for each note, then `info` (`ICRD`, `ISFT`, `ICMT`, …) as a `LIST`/`INFO` chunk that
/// audio tools show as the file's properties. Nothing is written for neither.
pub fn write_tail(
    path: &Path,
    bookmarks: &[Bookmark],
    info: &[([u8; 4], String)],
) -> io::Result<()> {
    if bookmarks.is_empty() && info.is_empty() {
        return Ok(());
    }
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let l = layout(&mut file)?;
    let end = l.data_start + l.data_len + (l.data_len & 1);
    let mut out = Vec::new();
    if !bookmarks.is_empty() {
        push_cues(&mut out, bookmarks, l.sample_rate);
    }
    if !info.is_empty() {
        let mut list = b"INFO".to_vec();
        for (id, text) in info {
            let mut body = text.as_bytes().to_vec();
            body.push(0);
            push_chunk(&mut list, id, &body);
        }
        push_chunk(&mut out, b"LIST", &list);
    }
    file.set_len(end)?;
    file.seek(SeekFrom::Start(end))?;
    file.write_all(&out)?;
    let riff = u32::try_from(end + out.len() as u64 - 8)
        .map_err(|_| invalid("the recording is larger than a WAV file can describe"))?;
    file.seek(SeekFrom::Start(4))?;
    file.write_all(&riff.to_le_bytes())?;
    file.sync_all()
}

/// Writes `bookmarks` into a finished WAV file (see [`write_tail`]), with no `INFO`.
pub fn write_cues(path: &Path, bookmarks: &[Bookmark]) -> io::Result<()> {
    write_tail(path, bookmarks, &[])
}

fn push_cues(out: &mut Vec<u8>, bookmarks: &[Bookmark], sample_rate: u32) {
    let mut cue = Vec::new();
    cue.extend_from_slice(&(bookmarks.len() as u32).to_le_bytes());
    for (i, b) in bookmarks.iter().enumerate() {
        let id = i as u32 + 1;
        let frame = frame_of(b.offset_ms, sample_rate);
        cue.extend_from_slice(&id.to_le_bytes());
        cue.extend_from_slice(&frame.to_le_bytes());
        cue.extend_from_slice(b"data");
        cue.extend_from_slice(&0u32.to_le_bytes());
        cue.extend_from_slice(&0u32.to_le_bytes());
        cue.extend_from_slice(&frame.to_le_bytes());
    }
    push_chunk(out, b"cue ", &cue);
    let mut adtl = b"adtl".to_vec();
    for (i, b) in bookmarks.iter().enumerate() {
        if let Some(note) = &b.note {
            let mut labl = (i as u32 + 1).to_le_bytes().to_vec();
            labl.extend_from_slice(note.as_bytes());
            labl.push(0);
            push_chunk(&mut adtl, b"labl", &labl);
        }
    }
    if adtl.len() > 4 {
        push_chunk(out, b"LIST", &adtl);
    }
}

fn push_chunk(out: &mut Vec<u8>, id: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
}

/// A chunk's id and body.
type Chunk = ([u8; 4], Vec<u8>);

/// The `cue ` and `LIST` chunks of a WAV file, in file order; the audio is skipped over, not
/// read.
fn tail_chunks(path: &Path) -> io::Result<(Layout, Vec<Chunk>)> {
    let mut file = File::open(path)?;
    let l = layout(&mut file)?;
    let len = file.metadata()?.len();
    let mut out = Vec::new();
    let mut pos = 12u64;
    while pos + 8 <= len {
        let mut head = [0u8; 8];
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut head)?;
        let size = u64::from(u32_at(&head, 4));
        let id: [u8; 4] = [head[0], head[1], head[2], head[3]];
        if &id == b"cue " || &id == b"LIST" {
            let mut body = Vec::new();
            (&mut file).take(size).read_to_end(&mut body)?;
            out.push((id, body));
        }
        pos += 8 + size + (size & 1);
    }
    Ok((l, out))
}

/// The sub-chunks of a `LIST` body after its 4-byte type (id, body); a cut-short last one
/// keeps what is there.
fn sub_chunks(body: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut at = 4;
    std::iter::from_fn(move || {
        if at + 8 > body.len() {
            return None;
        }
        let size = u32_at(body, at + 4) as usize;
        let id = &body[at..at + 4];
        let sub = &body[at + 8..(at + 8).saturating_add(size).min(body.len())];
        at = at.saturating_add(8 + size + (size & 1));
        Some((id, sub))
    })
}

/// Text up to its terminating NUL.
fn c_text(bytes: &[u8]) -> String {
    let text = bytes.split(|&b| b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(text).into_owned()
}

/// The bookmarks a WAV file's `cue ` and `labl` chunks hold, in time order.
pub fn read_cues(path: &Path) -> io::Result<Vec<Bookmark>> {
    let (l, chunks) = tail_chunks(path)?;
    let mut cues: Vec<(u32, u32)> = Vec::new();
    let mut labels = std::collections::HashMap::new();
    for (id, body) in &chunks {
        match id {
            b"cue " if body.len() >= 4 => {
                let n = u32_at(body, 0) as usize;
                for i in 0..n {
                    let at = 4 + i * 24;
                    if at + 24 <= body.len() {
                        cues.push((u32_at(body, at), u32_at(body, at + 20)));
                    }
                }
            }
            b"LIST" if body.starts_with(b"adtl") => {
                for (sub, text) in sub_chunks(body) {
                    if sub == b"labl" && text.len() >= 4 {
                        labels.insert(u32_at(text, 0), c_text(&text[4..]));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<Bookmark> = cues
        .into_iter()
        .map(|(id, frame)| Bookmark {
            offset_ms: ms_of(frame, l.sample_rate),
            note: labels.remove(&id),
        })
        .collect();
    out.sort_by_key(|b| b.offset_ms);
    Ok(out)
}

/// The `LIST`/`INFO` entries of a WAV file (id, text), in file order.
pub fn read_info(path: &Path) -> io::Result<Vec<([u8; 4], String)>> {
    let (_, chunks) = tail_chunks(path)?;
    Ok(chunks
        .iter()
        .filter(|(id, body)| id == b"LIST" && body.starts_with(b"INFO"))
        .flat_map(|(_, body)| sub_chunks(body))
        .map(|(id, text)| ([id[0], id[1], id[2], id[3]], c_text(text)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(path: &Path, rate: u32, frames: u32) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..frames {
            w.write_sample(((i % 100) as i16 - 50) * 300).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn bookmarks_round_trip_and_hound_still_reads_the_audio() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        tone(&path, 44_100, 44_100 * 3);
        let marks = vec![
            Bookmark {
                offset_ms: 0,
                note: None,
            },
            Bookmark {
                offset_ms: 1_234,
                note: Some("금요일까지 연락 준다고 함".into()),
            },
            Bookmark {
                offset_ms: 2_999,
                note: Some("odd".into()),
            },
        ];
        write_cues(&path, &marks).unwrap();
        assert_eq!(read_cues(&path).unwrap(), marks);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), 44_100 * 3);
        // Writing again replaces, not appends.
        write_cues(&path, &marks[1..]).unwrap();
        assert_eq!(read_cues(&path).unwrap(), marks[1..]);
        assert_eq!(repair(&path).unwrap().0, Repair::Intact);
    }

    #[test]
    fn repair_takes_every_whole_frame_after_the_last_flush() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        tone(&path, 8_000, 8_000);
        // As if killed after the header was last written: 3 more frames and a torn one.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[1, 0, 2, 0, 3, 0, 9]).unwrap();
        drop(f);
        let (repair_result, l) = repair(&path).unwrap();
        assert_eq!(
            repair_result,
            Repair::Repaired {
                described: 16_000,
                now: 16_006
            }
        );
        assert_eq!(l.frames(), 8_003);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), 8_003);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 44 + 16_006);
    }

    #[test]
    fn repair_of_a_header_that_says_nothing_yet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        tone(&path, 8_000, 0);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[0u8; 1000]).unwrap();
        drop(f);
        let (_, l) = repair(&path).unwrap();
        assert_eq!(l.frames(), 500);
        assert_eq!(hound::WavReader::open(&path).unwrap().duration(), 500);
    }

    #[test]
    fn not_a_wav_file_is_an_error_not_a_guess() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        std::fs::write(&path, b"ID3 this is an mp3").unwrap();
        assert_eq!(
            repair(&path).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}

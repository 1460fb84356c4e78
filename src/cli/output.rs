//! Printing for people (aligned columns that respect wide Hangul characters) and for scripts
//! (`--json`, pretty-printed, one document per command).

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Pads `text` with spaces to `width` terminal columns (Hangul counts two).
pub fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width {
        text.to_owned()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

/// Cuts `text` to at most `width` columns, ending in `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Prints rows as columns aligned by display width; the last column is not padded.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let line = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c.clone()
                } else {
                    pad(c, widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    println!("{}", line(header.iter().map(|h| (*h).to_owned()).collect()));
    for row in rows {
        println!("{}", line(row.clone()));
    }
}

pub use crate::evidence::size_text as size;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_counts_double() {
        assert_eq!(pad("환불", 6), "환불  ");
        assert_eq!(clip("공기청정기 배송 지연", 9), "공기청정…");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(1 << 30), "1.0 GiB");
    }
}

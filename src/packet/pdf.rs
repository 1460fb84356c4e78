//! `report.pdf`: the report laid out on A4 with krilla, NanumGothic embedded (subset by krilla).
//!
//! Layout is done here: text is measured with the font's advance widths and wrapped at spaces,
//! or between any two characters when a word (a hash, a Hangul run) is wider than the line.
//! Pages are laid out first and drawn after, so each can say "page n / total".

use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use serde_json::Value;

const W: f32 = 595.0;
const H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = 790.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;

type Color = (u8, u8, u8);
const INK: Color = (29, 32, 36);
const MUTED: Color = (95, 102, 112);
const DANGER: Color = (179, 38, 30);
const LINE: Color = (217, 221, 227);
const BAND: Color = (29, 32, 36);
const TINT: Color = (242, 246, 252);

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Color,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Color,
    },
    Jpeg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        data: Arc<Vec<u8>>,
    },
}

/// Measures text with the font's advance widths.
struct Metrics {
    face: ttf_parser::Face<'static>,
    per_em: f32,
}

impl Metrics {
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .unwrap_or(self.face.units_per_em() / 2) as f32
            })
            .sum::<f32>()
            * size
            / self.per_em
    }

    /// Lines of at most `width` points.
    fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_inclusive(' ') {
                let candidate = format!("{line}{word}");
                if self.width(candidate.trim_end(), size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(line.trim_end().to_owned());
                    line.clear();
                }
                if self.width(word.trim_end(), size) <= width {
                    line.push_str(word);
                } else {
                    // A word wider than the line: break between characters.
                    for c in word.chars() {
                        let mut next = line.clone();
                        next.push(c);
                        if self.width(next.trim_end(), size) > width && !line.is_empty() {
                            lines.push(line.trim_end().to_owned());
                            line.clear();
                        }
                        line.push(c);
                    }
                }
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    m: Metrics,
}

impl Layout {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Makes room for `h` points, starting a page when needed.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, color: Color, text: &str) {
        if !text.is_empty() {
            self.ops().push(Op::Text {
                x,
                y,
                size,
                color,
                text: text.to_owned(),
            });
        }
    }

    /// A wrapped paragraph at `x`, `width` wide.
    fn para(&mut self, x: f32, width: f32, size: f32, color: Color, text: &str) {
        let lead = size * 1.45;
        for line in self.m.wrap(text, width, size) {
            self.room(lead);
            self.y += lead;
            let y = self.y - size * 0.3;
            self.text_at(x, y, size, color, &line);
        }
    }

    fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y += 22.0;
        let y = self.y;
        self.text_at(MARGIN, y, 13.0, INK, text);
        self.y += 6.0;
        let y = self.y;
        self.ops().push(Op::Rect {
            x: MARGIN,
            y,
            w: W - 2.0 * MARGIN,
            h: 0.6,
            color: LINE,
        });
        self.y += 4.0;
    }

    /// A row of cells, each wrapped in its column; the row moves to the next page whole when
    /// it does not fit (unless it is taller than a page).
    fn row(&mut self, columns: &[f32], cells: &[(&str, f32, Color)]) {
        let gap = 6.0;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(columns.windows(2))
            .map(|((text, size, _), c)| self.m.wrap(text, c[1] - c[0] - gap, *size))
            .collect();
        let height = wrapped
            .iter()
            .zip(cells)
            .map(|(l, (_, size, _))| l.len() as f32 * size * 1.4)
            .fold(0.0, f32::max)
            + 6.0;
        if height < BOTTOM - TOP {
            self.room(height);
        }
        let top = self.y;
        for ((lines, (_, size, color)), x) in wrapped.iter().zip(cells).zip(columns) {
            let mut y = top;
            for line in lines {
                y += size * 1.4;
                if y > BOTTOM {
                    self.new_page();
                    y = self.y + size * 1.4;
                }
                let ly = y - size * 0.3;
                self.text_at(*x, ly, *size, *color, line);
            }
        }
        self.y = top + height;
        let y = self.y - 3.0;
        self.ops().push(Op::Rect {
            x: MARGIN,
            y,
            w: W - 2.0 * MARGIN,
            h: 0.4,
            color: LINE,
        });
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Lays out and writes the PDF from the report's context (the same data as `report.html`).
pub fn render(
    ctx: &Value,
    letter: &str,
    previews: &[Option<super::report::Preview>],
) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(crate::fonts::NANUM_GOTHIC, 0)
        .map_err(|e| format!("the report font cannot be read ({e})"))?;
    let per_em = f32::from(face.units_per_em());
    let mut l = Layout {
        pages: Vec::new(),
        y: TOP,
        m: Metrics { face, per_em },
    };
    l.new_page();
    let t = &ctx["t"];
    let case = &ctx["case"];
    let full = W - 2.0 * MARGIN;

    // Title and cover letter.
    l.y += 10.0;
    let y = l.y;
    l.text_at(
        MARGIN,
        y,
        8.0,
        MUTED,
        &format!(
            "recourse · {} · {} {} ({})",
            s(t, "title"),
            s(t, "generated"),
            s(ctx, "generated_at"),
            s(ctx, "zone")
        ),
    );
    l.y += 8.0;
    l.para(MARGIN, full, 17.0, INK, s(case, "title"));
    l.y += 10.0;
    l.para(MARGIN, full, BODY, INK, letter.trim());

    // Summary.
    l.heading(s(t, "summary"));
    let mut facts: Vec<(String, String)> = Vec::new();
    let mut business = s(case, "company").to_owned();
    for k in ["company_contact", "company_address"] {
        if !s(case, k).is_empty() {
            business.push_str(" · ");
            business.push_str(s(case, k));
        }
    }
    facts.push((s(t, "business").into(), business));
    for (k, label) in [
        ("platform", "platform"),
        ("seller", "seller"),
        ("order", "order"),
        ("product", "product"),
        ("amount", "amount"),
    ] {
        if !s(case, k).is_empty() {
            facts.push((s(t, label).into(), s(case, k).into()));
        }
    }
    let dates: Vec<String> = case["dates"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| format!("{} {}", s(d, "label"), s(d, "value")))
                .collect()
        })
        .unwrap_or_default();
    if !dates.is_empty() {
        facts.push((s(t, "dates").into(), dates.join(" · ")));
    }
    facts.push((s(t, "category").into(), s(case, "category").into()));
    let mut wants = s(case, "wants").to_owned();
    if !s(ctx, "deadline").is_empty() {
        wants.push_str(&format!(" · {}", s(ctx, "deadline")));
    }
    facts.push((s(t, "wants").into(), wants));
    facts.push((s(t, "tier").into(), s(case, "tier").into()));
    let claimant = &ctx["claimant"];
    let who: Vec<&str> = ["name", "phone", "email", "address"]
        .iter()
        .map(|k| s(claimant, k))
        .filter(|v| !v.is_empty())
        .collect();
    facts.push((s(t, "applicant").into(), who.join(" · ")));
    for (k, v) in &facts {
        l.row(
            &[MARGIN, MARGIN + 110.0, W - MARGIN],
            &[(k, BODY, MUTED), (v, BODY, INK)],
        );
    }

    // Chronology.
    l.heading(s(t, "chronology"));
    let cols = [
        MARGIN,
        MARGIN + 18.0,
        MARGIN + 108.0,
        MARGIN + 185.0,
        MARGIN + 250.0,
        MARGIN + 305.0,
        W - MARGIN,
    ];
    l.row(
        &cols,
        &[
            ("#", SMALL, MUTED),
            (s(t, "time"), SMALL, MUTED),
            (s(t, "channel"), SMALL, MUTED),
            (s(t, "agent"), SMALL, MUTED),
            (s(t, "reference"), SMALL, MUTED),
            (s(t, "said"), SMALL, MUTED),
        ],
    );
    for c in ctx["contacts"].as_array().into_iter().flatten() {
        let mut said = s(c, "summary").to_owned();
        for (k, label) in [("claimed", "claimed"), ("offered", "offered")] {
            if !s(c, k).is_empty() {
                said.push_str(&format!("\n{}: {}", s(t, label), s(c, k)));
            }
        }
        said.push_str(&format!("\n{}: {}", s(t, "outcome"), s(c, "outcome")));
        if c["announced"].as_bool() == Some(true) {
            said.push_str(&format!(" · {}", s(t, "announced")));
        }
        let id = c["id"].to_string();
        let channel = format!(
            "{}\n{} · {}",
            s(c, "channel"),
            s(c, "direction"),
            s(c, "tier")
        );
        l.row(
            &cols,
            &[
                (&id, BODY, INK),
                (s(c, "time"), SMALL, INK),
                (&channel, SMALL, INK),
                (s(c, "agent"), SMALL, INK),
                (s(c, "reference"), SMALL, INK),
                (&said, BODY, INK),
            ],
        );
    }

    // Promises with the five answers.
    l.heading(s(t, "promises"));
    for p in ctx["promises"].as_array().into_iter().flatten() {
        l.room(60.0);
        let mut title = format!("#{} {} — {}", p["id"], s(p, "what"), s(p, "status"));
        if p["overdue"].as_bool() == Some(true) {
            title.push_str(&format!(" · {}", s(t, "overdue")));
        }
        l.y += 4.0;
        l.para(MARGIN, full, 10.5, INK, &title);
        let mut line = format!("{} {}", s(t, "due"), s(p, "due"));
        if !s(p, "by").is_empty() {
            line.push_str(&format!(" · {} {}", s(t, "promised_by"), s(p, "by")));
        }
        line.push_str(&format!(" · #{}", p["contact"]));
        if !s(p, "ended_note").is_empty() {
            line.push_str(&format!(" · {}", s(p, "ended_note")));
        }
        l.para(MARGIN, full, SMALL, MUTED, &line);
        l.y += 4.0;
        let cols = [MARGIN, MARGIN + 210.0, MARGIN + 420.0, W - MARGIN];
        for a in p["answers"].as_array().into_iter().flatten() {
            let color = match s(a, "code") {
                "refused" => DANGER,
                "vague" => (138, 90, 0),
                "clear" => (30, 122, 60),
                _ => MUTED,
            };
            l.row(
                &cols,
                &[
                    (s(a, "question"), SMALL, MUTED),
                    (s(a, "said"), BODY, INK),
                    (s(a, "assessment"), SMALL, color),
                ],
            );
        }
        if p["stalling"].as_bool() == Some(true) {
            l.para(MARGIN, full, BODY, DANGER, s(t, "stalling"));
        }
        l.y += 6.0;
    }

    // Evidence index.
    l.heading(s(t, "evidence"));
    for e in ctx["evidence"].as_array().into_iter().flatten() {
        l.room(48.0);
        let mut head = format!("{} · {}", s(e, "label"), s(e, "kind"));
        if !s(e, "captured").is_empty() {
            head.push_str(&format!(" · {} {}", s(t, "captured"), s(e, "captured")));
        }
        head.push_str(&format!(" · {} {}", s(t, "imported"), s(e, "imported")));
        if let Some(c) = e["contact"].as_i64() {
            head.push_str(&format!(" · {} #{c}", s(t, "contact")));
        }
        if !s(e, "retracted").is_empty() {
            head.push_str(&format!(" · {}: {}", s(t, "retracted"), s(e, "retracted")));
        }
        l.y += 3.0;
        l.para(MARGIN, full, BODY, INK, &head);
        l.para(
            MARGIN + 10.0,
            full - 10.0,
            SMALL,
            INK,
            &format!("{} ({})", s(e, "name"), s(e, "size")),
        );
        l.para(
            MARGIN + 10.0,
            full - 10.0,
            7.6,
            INK,
            &format!("SHA-256 {}", s(e, "sha256")),
        );
        l.para(MARGIN + 10.0, full - 10.0, 7.0, MUTED, s(e, "path"));
        if let Some(a) = e.get("audio").filter(|a| !a.is_null()) {
            let mut line = format!("{} {}", s(t, "duration"), s(a, "duration"));
            if a["recovered"].as_bool() == Some(true) {
                line.push_str(&format!(" · {}", s(t, "recovered")));
            }
            l.para(MARGIN + 10.0, full - 10.0, SMALL, MUTED, &line);
            for b in a["bookmarks"].as_array().into_iter().flatten() {
                l.para(
                    MARGIN + 20.0,
                    full - 20.0,
                    SMALL,
                    MUTED,
                    &format!("{} {} {}", s(t, "bookmarks"), s(b, "at"), s(b, "note")),
                );
            }
        }
        if !s(e, "note").is_empty() {
            l.para(MARGIN + 10.0, full - 10.0, SMALL, MUTED, s(e, "note"));
        }
    }

    // Image previews with a stamp band.
    let shown: Vec<(&Value, &super::report::Preview)> = ctx["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(previews)
        .filter_map(|(e, p)| p.as_ref().map(|p| (e, p)))
        .collect();
    if !shown.is_empty() {
        l.heading(s(t, "previews"));
        l.para(MARGIN, full, SMALL, MUTED, s(t, "preview_note"));
        let box_w = (full - 16.0) / 2.0;
        let mut col = 0;
        let mut row_h = 0.0f32;
        for (e, preview) in shown {
            let (pw, ph) = preview.size;
            let scale = (box_w / pw as f32).min(220.0 / ph as f32);
            let (w, h) = (pw as f32 * scale, ph as f32 * scale);
            let band = 14.0;
            if col == 0 {
                l.room(h + band + 12.0);
                l.y += 8.0;
            }
            let x = MARGIN + col as f32 * (box_w + 16.0);
            let y = l.y;
            l.ops().push(Op::Jpeg {
                x,
                y,
                w,
                h,
                data: Arc::new(preview.jpeg.clone()),
            });
            l.ops().push(Op::Rect {
                x,
                y: y + h,
                w,
                h: band,
                color: BAND,
            });
            let stamp = format!(
                "{} · {} · {}",
                s(e, "label"),
                s(e, "short"),
                if s(e, "captured").is_empty() {
                    s(e, "imported")
                } else {
                    s(e, "captured")
                }
            );
            l.text_at(x + 4.0, y + h + 10.0, 7.0, (255, 255, 255), &stamp);
            row_h = row_h.max(h + band);
            col += 1;
            if col == 2 {
                col = 0;
                l.y += row_h;
                row_h = 0.0;
            }
        }
        if col != 0 {
            l.y += row_h;
        }
    }

    // When and who (format 3).
    let proof = &ctx["proof"];
    if proof.is_object() {
        let pt = &proof["text"];
        l.room(120.0);
        l.heading(s(pt, "title"));
        l.para(
            MARGIN,
            full,
            BODY,
            INK,
            &format!("{}: {}", s(pt, "signed"), s(proof, "fingerprint")),
        );
        l.para(MARGIN, full, 8.5, MUTED, s(pt, "signed_note"));
        l.y += 4.0;
        l.para(MARGIN, full, BODY, INK, s(pt, "stamps"));
        let stamps = proof["stamps"].as_array().cloned().unwrap_or_default();
        if stamps.is_empty() {
            l.para(MARGIN + 8.0, full - 8.0, BODY, MUTED, s(pt, "no_stamps"));
        }
        for st in &stamps {
            let line = if st["problem"].is_string() {
                format!(
                    "{} ({}): {} — {}",
                    s(st, "label"),
                    s(st, "file"),
                    s(pt, "stamp_bad"),
                    s(st, "problem")
                )
            } else {
                format!(
                    "{} ({}): {} — TSA {}; {}",
                    s(st, "label"),
                    s(st, "file"),
                    s(pt, "stamp_line")
                        .replace("{covers}", &st["covers"].to_string())
                        .replace("{time}", s(st, "time")),
                    s(st, "tsa"),
                    s(st, "chain")
                )
            };
            l.para(MARGIN + 8.0, full - 8.0, BODY, INK, &line);
        }
        let receipts = proof["receipts"].as_array().cloned().unwrap_or_default();
        if !receipts.is_empty() {
            l.y += 4.0;
            l.para(MARGIN, full, BODY, INK, s(pt, "receipts"));
            for r in &receipts {
                let mut line =
                    format!("{} · {} #{}", s(r, "code"), s(pt, "given_in"), r["contact"]);
                if r["channel"].is_string() {
                    line.push_str(&format!(
                        " · {} · {}",
                        s(r, "channel"),
                        s(r, "contact_time")
                    ));
                }
                line.push_str(&format!(" · {} 1–{}", s(pt, "covers"), r["covers"]));
                if r["problem"].is_string() {
                    line.push_str(&format!(" — {}", s(r, "problem")));
                }
                l.para(MARGIN + 8.0, full - 8.0, BODY, INK, &line);
            }
            l.para(MARGIN, full, 8.5, MUTED, s(pt, "receipts_note"));
        }
        l.y += 4.0;
        l.para(MARGIN, full, 8.5, MUTED, s(pt, "verifier"));
        l.para(MARGIN, full, 8.0, INK, s(proof, "verifier_sha256"));
    }

    // Integrity (heading and box kept together).
    l.room(150.0);
    l.heading(s(t, "integrity"));
    let top = l.y;
    l.y += 6.0;
    let ledger = &ctx["ledger"];
    l.para(
        MARGIN + 8.0,
        full - 16.0,
        BODY,
        INK,
        &format!(
            "{}: {} {} · {}",
            s(t, "ledger"),
            ledger["length"],
            s(t, "entries"),
            s(t, "head")
        ),
    );
    l.para(MARGIN + 8.0, full - 16.0, 8.0, INK, s(ledger, "head"));
    let how = if proof.is_object() {
        if s(ctx, "lang") == "ko" {
            "압축을 푼 폴더에서 sha256sum -c SHA256SUMS 를 실행하면 각 파일이 목록의 해시와 같은지 확인할 수 있습니다. 브라우저로 verify.html 을 열어 묶음을 고르면 원장 사슬, 증거, 서명까지 이 컴퓨터 안에서 확인합니다. recourse verify 는 그 밖에 시각 인증 토큰을 확인하고 이 보고서가 원장에서 그대로 다시 만들어지는지도 확인합니다. 무결성은 파일이 원장에 기록된 그대로임을, 서명은 누구의 키로 만들었는지를, 시각 인증은 그 시각에 이미 있었음을 증명합니다. 어느 것도 내용이 사실인지는 증명하지 않습니다."
        } else {
            "In the unzipped folder, sha256sum -c SHA256SUMS checks each file against the list. Open verify.html in a browser and pick the packet: it checks the ledger chain, the evidence and the signature on this computer. recourse verify also checks the timestamp tokens and rebuilds this report to compare. Integrity proves the files are what the ledger recorded; the signature, whose key made it; a timestamp, that the record existed by its time. None of them proves that the content is true."
        }
    } else if s(ctx, "lang") == "ko" {
        "압축을 푼 폴더에서 sha256sum -c SHA256SUMS 를 실행하면 각 파일이 목록의 해시와 같은지 확인할 수 있습니다. recourse verify 는 기록 원장의 해시 사슬을 다시 계산하고, 각 증거 파일이 원장 기록과 같은지, 이 보고서가 원장에서 그대로 다시 만들어지는지도 확인합니다. 이것은 파일이 원장에 기록된 그대로임을 증명할 뿐, 언제 만들어졌는지(시각 인증 없음), 누가 만들었는지(서명 없음), 내용이 사실인지는 증명하지 않습니다."
    } else {
        "In the unzipped folder, sha256sum -c SHA256SUMS checks each file against the list; recourse verify also recomputes the ledger's hash chain, checks each evidence file against its ledger record and rebuilds this report to compare. This proves the files are what the ledger recorded — not when the packet was made (no trusted timestamp), who made it (no signature), or whether their content is true."
    };
    l.para(MARGIN + 8.0, full - 16.0, BODY, INK, how);
    l.y += 6.0;
    let bottom = l.y;
    if let Some(ops) = l.pages.last_mut() {
        // The tint goes under everything on the page (drawn first).
        ops.insert(
            0,
            Op::Rect {
                x: MARGIN,
                y: top,
                w: full,
                h: bottom - top,
                color: TINT,
            },
        );
    }

    draw(&l.pages, s(case, "title"), s(ctx, "lang") == "ko")
}

fn fill(c: Color) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(pages: &[Vec<Op>], title: &str, korean: bool) -> Result<Vec<u8>, String> {
    let font = Font::new(Arc::new(crate::fonts::NANUM_GOTHIC.to_vec()).into(), 0)
        .ok_or("the report font cannot be embedded")?;
    let mut document = Document::new();
    let total = pages.len();
    for (n, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(W, H).ok_or("bad page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        // Header and footer.
        surface.set_fill(Some(fill(MUTED)));
        surface.draw_text(
            Point::from_xy(MARGIN, 34.0),
            font.clone(),
            8.0,
            title,
            false,
            TextDirection::Auto,
        );
        let footer = if korean {
            format!("{} / {total} 쪽", n + 1)
        } else {
            format!("page {} / {total}", n + 1)
        };
        surface.draw_text(
            Point::from_xy(W - MARGIN - 60.0, H - 28.0),
            font.clone(),
            8.0,
            &footer,
            false,
            TextDirection::Auto,
        );
        let mut rule = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(MARGIN, 40.0, W - 2.0 * MARGIN, 0.5) {
            rule.push_rect(r);
        }
        if let Some(path) = rule.finish() {
            surface.set_fill(Some(fill(LINE)));
            surface.draw_path(&path);
        }
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    color,
                    text,
                } => {
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rect { x, y, w, h, color } => {
                    let mut pb = PathBuilder::new();
                    if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(r);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_fill(Some(fill(*color)));
                        surface.draw_path(&path);
                    }
                }
                Op::Jpeg { x, y, w, h, data } => {
                    let image = krilla::image::Image::from_jpeg(
                        Arc::new(data.as_ref().clone()).into(),
                        true,
                    )?;
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    if let Some(size) = Size::from_wh(*w, *h) {
                        surface.draw_image(image, size);
                    }
                    surface.pop();
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("cannot write the PDF ({e:?})"))
}

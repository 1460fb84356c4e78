//! Review mode: a packet opened read-only — the verdict banner first, then the case, the
//! contacts, the promises and the evidence as the packet's ledger states them. Nothing is
//! imported.

use serde_json::Value;

use super::{Command, ViewCtx};
use crate::gui::i18n::{Named, T, fill, question};
use crate::model::{Assessment, Channel, PromiseStatus, Question, Tier};
use crate::packet::review::Review;
use crate::packet::shown;
use crate::packet::verify::Verdict;

/// What the verdict proves and does not, in the UI's language: the four claims of
/// `VerifyReport::claims` (English from the core; Korean here).
fn claim_lines(
    report: &crate::packet::verify::VerifyReport,
    lang: crate::gui::i18n::Lang,
) -> Vec<(bool, String)> {
    let c = &report.claims;
    if lang != crate::gui::i18n::Lang::Ko {
        return [&c.files, &c.chain, &c.when, &c.who]
            .iter()
            .map(|claim| (claim.proven, shown(&claim.says)))
            .collect();
    }
    let l = &report.ledger;
    vec![
        (
            c.files.proven,
            if c.files.proven {
                format!(
                    "파일이 원장에 기록된 그대로입니다: 증거 {}개가 원장 기록과 같고, 나머지 파일도 원장에서 그대로 다시 만들어집니다",
                    l.evidence_entries
                )
            } else {
                "증명되지 않음: 원장에 기록된 것과 다른 파일이 있습니다 (위 목록)".to_owned()
            },
        ),
        (
            c.chain.proven,
            if c.chain.proven {
                format!(
                    "원장 사슬 {}개 항목이 끊김 없이 이어집니다 (마지막 해시 {})",
                    l.entries, l.head
                )
            } else {
                "원장 사슬이 온전하지 않습니다 (위의 문제)".to_owned()
            },
        ),
        (c.when.proven, when_ko(report)),
        (c.who.proven, who_ko(report)),
    ]
}

/// What a file's verdict means, in Korean, by the kind of file: the core's English detail
/// names hashes and headers, which the details fold keeps.
fn file_why_ko(f: &crate::packet::verify::FileVerdict) -> &'static str {
    match (f.verdict, f.path.as_str()) {
        (Verdict::Ok, _) => "",
        (Verdict::Altered, _) if f.evidence.is_some() => {
            "원장에 기록된 증거 파일과 다릅니다. 묶음이 만들어진 뒤 바뀌었거나 손상되었습니다."
        }
        (Verdict::Altered, "manifest.json" | "SHA256SUMS") => {
            "원장과 묶음 안의 파일로 만든 목록과 다릅니다. 목록을 고쳐 썼거나 목록에 있는 파일이 바뀌었습니다."
        }
        (Verdict::Altered, "manifest.sig") => {
            "서명이 목록(manifest.json)과 맞지 않습니다. 서명한 뒤 목록이 바뀌었거나 다른 키의 서명입니다."
        }
        (Verdict::Altered, "ledger.jsonl") => "원장 파일이 형식이 정한 모양과 다릅니다.",
        (Verdict::Altered, "report.pdf" | "report.html") => {
            "원장과 묶음 설정으로 만든 보고서와 다릅니다. 만들어진 뒤 바뀌었습니다."
        }
        (Verdict::Altered, _) => "원장이 말하는 내용과 다르거나 읽을 수 없습니다.",
        (Verdict::Missing, _) => "원장에 따르면 있어야 할 파일이 없습니다.",
        (Verdict::Extra, _) => "원장 어디에도 없는 파일입니다. 누군가 넣은 것입니다.",
        (Verdict::Unlisted, _) => "두 목록 가운데 하나에만 있습니다.",
        (Verdict::NotChecked, _) => {
            "내용을 원장에서 다시 만들어 확인하지 못했습니다(다른 버전이 만든 파일이거나, 보증할 원장이 없음)."
        }
    }
}

/// The "when" claim in Korean, from the verdict's timestamps.
fn when_ko(report: &crate::packet::verify::VerifyReport) -> String {
    let best = report
        .timestamps
        .iter()
        .filter(|t| t.valid)
        .max_by_key(|t| t.covers);
    match best {
        Some(t) => {
            let at = t
                .gen_time
                .as_deref()
                .and_then(|g| chrono::DateTime::parse_from_rfc3339(g).ok())
                .map(|g| crate::clock::show_local(g.with_timezone(&chrono::Utc)))
                .unwrap_or_default();
            let rest = if t.covers < report.ledger.entries {
                format!(
                    "; {}–{}번 항목은 시각 인증이 없습니다",
                    t.covers + 1,
                    report.ledger.entries
                )
            } else {
                String::new()
            };
            format!(
                "언제: 1–{}번 항목은 {at}에 이미 있었습니다 — 루트 인증서 SHA-256 {}인 TSA를 믿는 경우에만 (토큰이 밝힌 이름: {}; 이름은 토큰 스스로의 주장입니다){rest}",
                t.covers,
                t.root_sha256.as_deref().unwrap_or(""),
                shown(t.tsa.as_deref().unwrap_or(""))
            )
        }
        None => "언제: 증명되지 않음 (유효한 시각 인증 없음) — 처음부터 날짜를 꾸며 만든 묶음도 똑같아 보입니다".to_owned(),
    }
}

/// The "who" claim in Korean, from the verdict's sender key.
fn who_ko(report: &crate::packet::verify::VerifyReport) -> String {
    use crate::packet::verify::KeyRelation;
    let Some(s) = &report.sender else {
        if let Some(c) = &report.unsigned_but_known {
            return format!(
                "누가: 증명되지 않음 (형식 2 묶음은 서명되지 않습니다) — 가져온 사건 {} \"{}\"은(는) 키 {}(으)로 서명되어 왔습니다: 같은 보낸 사람이라는 근거가 없습니다",
                c.case_id.0,
                shown(&c.title),
                c.key.fingerprint()
            );
        }
        return if report.format == 2 {
            "누가: 증명되지 않음 (형식 2 묶음은 서명되지 않습니다)".to_owned()
        } else {
            "누가: 증명되지 않음 (서명 없음)".to_owned()
        };
    };
    if !s.signature_valid {
        return format!(
            "누가: 증명되지 않음 — manifest.sig 가 키 {}의 manifest.json 서명이 아닙니다",
            s.fingerprint
        );
    }
    let relation = match &s.relation {
        KeyRelation::Unknown => "아는 키와 비교하지 않았습니다".to_owned(),
        KeyRelation::New => "처음 보는 키입니다".to_owned(),
        KeyRelation::Own => "이 데이터 폴더의 내 키입니다".to_owned(),
        KeyRelation::SameCase { case_id, title } => {
            format!("가져온 사건 {case_id} \"{}\"의 키와 같습니다", shown(title))
        }
        KeyRelation::OtherThanCase {
            case_id,
            title,
            fingerprint,
        } => format!(
            "가져온 사건 {case_id} \"{}\"의 키({fingerprint})와 다른 키입니다: 같은 보낸 사람의 키가 아닙니다",
            shown(title)
        ),
        KeyRelation::SameAs { cases } => format!(
            "가져온 사건 {}의 키와 같습니다",
            cases
                .iter()
                .map(|(id, t)| format!("{id} \"{}\"", shown(t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("누가: 서명한 키 {} — {relation}", s.fingerprint)
}

/// A text field of a record from the packet, with control characters escaped (text from a
/// packet is never shown raw).
fn text(v: &serde_json::Map<String, Value>, key: &str) -> String {
    shown(v.get(key).and_then(Value::as_str).unwrap_or(""))
}

/// A stored time in local time with the zone; the text as is when it is not one.
fn when(v: &serde_json::Map<String, Value>, key: &str) -> String {
    let raw = text(v, key);
    crate::clock::parse_instant(&raw)
        .map(crate::clock::show_local)
        .unwrap_or(raw)
}

/// A vocabulary code by its name in the language, or the code when unknown.
fn named<C: std::str::FromStr + Named>(code: &str, lang: crate::gui::i18n::Lang) -> String {
    code.parse::<C>()
        .map(|c| c.name(lang).to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

pub fn ui(ui: &mut egui::Ui, ctx: &ViewCtx<'_>, r: &Review, out: &mut Vec<Command>) {
    let report = &r.report;
    let bad: Vec<_> = report
        .files
        .iter()
        .filter(|f| f.verdict != Verdict::Ok)
        .collect();
    let (color, banner) = if report.intact {
        (
            ctx.palette.success,
            fill(
                ctx.t(T::ReviewIntact),
                &[
                    &report.files.len().to_string(),
                    &report.ledger.entries.to_string(),
                ],
            ),
        )
    } else {
        (
            ctx.palette.danger,
            fill(
                ctx.t(T::ReviewNotIntact),
                &[&bad.len().to_string(), &report.files.len().to_string()],
            ),
        )
    };
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(
                    egui::RichText::new(&banner)
                        .strong()
                        .size(16.0)
                        .color(color),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(ctx.t(T::CloseReview)).clicked() {
                        out.push(Command::CloseReview);
                    }
                });
            });
            for f in &bad {
                let word = match f.verdict {
                    Verdict::Altered => ctx.t(T::VerdictAltered),
                    Verdict::Missing => ctx.t(T::VerdictMissing),
                    Verdict::Extra => ctx.t(T::VerdictExtra),
                    Verdict::Unlisted => ctx.t(T::VerdictUnlisted),
                    Verdict::NotChecked => ctx.t(T::VerdictNotChecked),
                    Verdict::Ok => "",
                };
                let label = f
                    .evidence
                    .map(|n| format!("{} ", crate::model::evidence_label(n)))
                    .unwrap_or_default();
                // The core explains in English; the Korean UI says what the verdict means
                // for this kind of file and keeps the exact words for the details below.
                let why = match ctx.lang {
                    crate::gui::i18n::Lang::Ko => Some(file_why_ko(f).to_owned()),
                    crate::gui::i18n::Lang::En => f.detail.as_deref().map(shown),
                };
                ui.label(
                    egui::RichText::new(format!(
                        "{word}: {label}{}{}",
                        shown(&f.path),
                        why.map(|d| format!(" — {d}")).unwrap_or_default()
                    ))
                    .color(ctx.palette.danger),
                );
            }
            let problems: Vec<&String> = report
                .ledger
                .problems
                .iter()
                .chain(&report.findings)
                .collect();
            if ctx.lang == crate::gui::i18n::Lang::Ko {
                if !problems.is_empty() {
                    ui.label(
                        egui::RichText::new(fill(
                            ctx.t(T::ReviewProblemsKo),
                            &[&problems.len().to_string()],
                        ))
                        .color(ctx.palette.danger),
                    );
                }
                let details: Vec<String> = bad
                    .iter()
                    .filter_map(|f| {
                        f.detail
                            .as_deref()
                            .map(|d| format!("{}: {}", shown(&f.path), shown(d)))
                    })
                    .chain(problems.iter().map(|p| shown(p)))
                    .collect();
                if !details.is_empty() {
                    egui::CollapsingHeader::new(ctx.t(T::ReviewDetailsInEnglish))
                        .id_salt("review-details-en")
                        .default_open(false)
                        .show(ui, |ui| {
                            for d in &details {
                                ui.label(egui::RichText::new(d).small().color(ctx.palette.danger));
                            }
                        });
                }
            } else {
                for p in problems {
                    ui.label(egui::RichText::new(shown(p)).color(ctx.palette.danger));
                }
            }
            // A packet of a case imported here, signed by another key than that case came
            // with, is never shown as the same sender: its "who" line is a warning.
            let other_key = report.unsigned_but_known.is_some()
                || report.sender.as_ref().is_some_and(|s| {
                    matches!(
                        s.relation,
                        crate::packet::verify::KeyRelation::OtherThanCase { .. }
                    )
                });
            let claims = claim_lines(report, ctx.lang);
            let last = claims.len().saturating_sub(1);
            for (i, (proven, says)) in claims.into_iter().enumerate() {
                let (mark, colour) = if i == last && other_key {
                    ("⚠", ctx.palette.warning)
                } else if proven {
                    ("✔", ctx.palette.success)
                } else {
                    ("○", ctx.palette.muted)
                };
                ui.label(
                    egui::RichText::new(format!("{mark} {says}"))
                        .small()
                        .color(colour),
                );
            }
            if let Some(sha) = &report.packet_sha256 {
                ui.label(
                    egui::RichText::new(format!("{} · SHA-256 {sha}", ctx.t(T::ReviewProves)))
                        .small()
                        .color(ctx.palette.muted),
                );
            }
        });
    ui.add_space(8.0);
    let case = &r.records.case;
    ui.heading(if case.is_empty() {
        shown(&report.case_title)
    } else {
        text(case, "title")
    });
    // Only the facts the case has: no dangling "·" for an absent platform or order number.
    let facts: Vec<String> = ["company", "platform", "order_number"]
        .iter()
        .map(|k| text(case, k))
        .filter(|t| !t.trim().is_empty())
        .collect();
    ui.label(egui::RichText::new(facts.join(" · ")).color(ctx.palette.muted));
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(6.0);
            ui.label(egui::RichText::new(ctx.t(T::TabContacts)).strong());
            for (id, c) in &r.records.contacts {
                let f = &c.fields;
                ui.label(format!(
                    "#{id}  {}  {} · {}  {}",
                    when(f, "started_at"),
                    named::<Channel>(&text(f, "channel"), ctx.lang),
                    named::<Tier>(&text(f, "tier"), ctx.lang),
                    text(f, "agent_name")
                ));
                ui.label(egui::RichText::new(text(f, "summary")).color(ctx.palette.muted));
            }
            ui.add_space(6.0);
            ui.label(egui::RichText::new(ctx.t(T::TabPromises)).strong());
            for (id, p) in &r.records.promises {
                let f = &p.fields;
                ui.label(format!(
                    "#{id}  {}  — {} · {}",
                    text(f, "what"),
                    when(f, "due_at"),
                    named::<PromiseStatus>(p.status.as_deref().unwrap_or(""), ctx.lang)
                ));
                if let Some(Value::Object(answers)) = f.get("answers") {
                    for q in Question::ALL {
                        let key = serde_json::to_value(q)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default();
                        let Some(a) = answers.get(&key) else { continue };
                        ui.label(
                            egui::RichText::new(format!(
                                "    {}  →  {} ({})",
                                question(q, ctx.lang).0,
                                a.get("said").and_then(Value::as_str).unwrap_or(""),
                                named::<Assessment>(
                                    a.get("assessment").and_then(Value::as_str).unwrap_or(""),
                                    ctx.lang
                                )
                            ))
                            .small()
                            .color(ctx.palette.muted),
                        );
                    }
                }
            }
            ui.add_space(6.0);
            ui.label(egui::RichText::new(ctx.t(T::TabEvidence)).strong());
            for (number, e) in &r.records.evidence {
                let f = &e.fields;
                let sha = text(f, "sha256");
                let verdict = r.evidence_verdicts.get(number).copied();
                let (mark, color) = match verdict {
                    Some(Verdict::Ok) => ("✔", ctx.palette.success),
                    Some(_) => ("✖", ctx.palette.danger),
                    None => ("?", ctx.palette.warning),
                };
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(mark).color(color));
                    ui.label(format!(
                        "E{number:03}  {}  {}",
                        named::<crate::model::EvidenceKind>(&text(f, "kind"), ctx.lang),
                        text(f, "original_name")
                    ));
                    ui.label(
                        egui::RichText::new(sha)
                            .monospace()
                            .small()
                            .color(ctx.palette.muted),
                    );
                });
            }
            if !ctx.review_images.is_empty() {
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    for (number, texture) in ctx.review_images {
                        let e = r.records.evidence.get(number);
                        let sha = e.map(|e| text(&e.fields, "sha256")).unwrap_or_default();
                        let taken = e
                            .map(|e| when(&e.fields, "captured_at"))
                            .unwrap_or_default();
                        let caption = [
                            format!("E{number:03}"),
                            sha.get(..12).unwrap_or("").to_owned(),
                            taken,
                        ]
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                        // A tile of a size known before it is drawn: a wrapping row can only
                        // move to the next line what it can measure first.
                        ui.allocate_ui(egui::vec2(228.0, 250.0), |ui| {
                            ui.vertical(|ui| {
                                let size = texture.size_vec2();
                                let scale = (220.0 / size.x).min(220.0 / size.y).min(1.0);
                                ui.add(egui::Image::new(texture).fit_to_exact_size(size * scale))
                                    .on_hover_text(&caption);
                                ui.label(egui::RichText::new(caption).small().monospace());
                            });
                        });
                    }
                });
            }
        });
}

//! The demo case `recourse --demo` opens: a fictional shop on a fictional open-market platform,
//! a late delivery and then a refused refund — three contacts, two promises (one broken), and
//! five pieces of evidence, all made here in code (no binary files in the repository).

use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use image::{Rgb, RgbImage};

use crate::datadir::DataDir;
use crate::evidence::{AddOptions, add_file, fixtures};
use crate::model::*;
use crate::money::Money;
use crate::vault::Control;

/// Fills a phone-screenshot-like image: a header bar, lines of "text", a highlighted box.
fn mock_screen(accent: [u8; 3], highlight_row: u32) -> RgbImage {
    let (w, h) = (360, 640);
    RgbImage::from_fn(w, h, |x, y| {
        if y < 56 {
            Rgb(accent)
        } else if (y - 56) / 40 == highlight_row && (70..w - 20).contains(&x) && (y - 56) % 40 < 30
        {
            Rgb([255, 236, 179])
        } else if (y - 56) % 40 < 14 && (20..w - 20 - (y / 7) % 90).contains(&x) {
            Rgb([200, 200, 205])
        } else {
            Rgb([250, 250, 252])
        }
    })
}

/// A photo-like image: a box with a dent, on a gradient.
fn mock_photo(dent: bool) -> RgbImage {
    RgbImage::from_fn(480, 360, |x, y| {
        let in_box = (120..360).contains(&x) && (90..290).contains(&y);
        let in_dent = dent && (250..330).contains(&x) && (110..170).contains(&y);
        if in_dent {
            Rgb([120, 85, 50])
        } else if in_box {
            Rgb([196, 154, 108])
        } else {
            let g = (180 + (x + y) / 12) as u8;
            Rgb([g, g, g.saturating_sub(10)])
        }
    })
}

/// A JPEG with a camera EXIF block (capture time in +09:00) spliced after its SOI marker.
fn photo_with_exif(image: &RgbImage, exif_date: &str) -> anyhow::Result<Vec<u8>> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82).encode_image(image)?;
    let exif = fixtures::jpeg_with_exif(exif_date, Some("+09:00"));
    // The fixture is SOI + APP1 + EOI: take its APP1 and put it right after this JPEG's SOI.
    let app1 = &exif[2..exif.len() - 2];
    let mut out = Vec::with_capacity(jpeg.len() + app1.len());
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(app1);
    out.extend_from_slice(&jpeg[2..]);
    Ok(out)
}

/// Creates the demo case in `dd`, with times relative to `now`; returns its id.
pub fn populate(dd: &mut DataDir, now: DateTime<Utc>) -> anyhow::Result<CaseId> {
    let day = |d: i64, h: i64| now - Duration::days(d) + Duration::hours(h);
    let case = dd.store.create_case(
        &CaseFields {
            title: "무선청소기 배송 지연 후 환불 거부".into(),
            company: "하늘쇼핑 (가상)".into(),
            company_contact: Some("고객센터 1588-0000 (가상)".into()),
            company_address: None,
            platform: Some("모두마켓 오픈마켓 (가상)".into()),
            seller: Some("반짝가전 (가상 판매자)".into()),
            order_number: Some("20261102-0048213".into()),
            product: Some("무선청소기 ZX-9".into()),
            amount: Some(Money::parse("289000", "KRW")?),
            dates: OrderDates {
                ordered: Some((now - Duration::days(21)).date_naive()),
                paid: Some((now - Duration::days(21)).date_naive()),
                delivered: Some((now - Duration::days(9)).date_naive()),
                return_sent: Some((now - Duration::days(8)).date_naive()),
                return_received: Some((now - Duration::days(7)).date_naive()),
                noticed: Some((now - Duration::days(8)).date_naive()),
                refunded: None,
                shipped: Some((now - Duration::days(20)).date_naive()),
                supply_agreed: None,
            },
            category: Category::Refund,
            wants: Some("전액 환불 (반품 완료)".into()),
            status: CaseStatus::Waiting,
            problems: vec![Problem::Damaged],
            payment_method: Some(PaymentMethod::CreditCard),
            installments: Some(3),
            claimant: Claimant {
                name: Some("김민지".into()),
                phone: Some("010-0000-0000".into()),
                email: None,
                address: None,
            },
        },
        day(21, 0),
    )?;

    let contact =
        |channel, tier, agent: &str, summary: &str, outcome, at: DateTime<Utc>| ContactFields {
            started_at: at,
            ended_at: Some(at + Duration::minutes(14)),
            channel,
            direction: Direction::Outgoing,
            tier,
            agent_name: Some(agent.into()),
            agent_id: None,
            reference: None,
            summary: summary.into(),
            claimed: None,
            offered: None,
            outcome,
            recording_announced: channel == Channel::Phone,
        };
    let mut first = contact(
        Channel::Phone,
        Tier::FirstLine,
        "이상담",
        "주문 후 열흘째 미발송. 판매자에게 확인 후 내일 문자 준다고 함.",
        Outcome::PromisedFollowUp,
        day(11, 2),
    );
    first.reference = Some("상담 A-77120".into());
    let c1 = dd.store.add_contact(case, &first, day(11, 2))?;
    let mut second = contact(
        Channel::Chat,
        Tier::FirstLine,
        "박상담",
        "파손 상태로 도착. 반품 접수했으나 환불은 '판매자 검수 후'라며 기한을 말하지 않음.",
        Outcome::PromisedFollowUp,
        day(8, 3),
    );
    second.claimed = Some("배송 중 파손은 고객이 입증해야 한다".into());
    let c2 = dd.store.add_contact(case, &second, day(8, 3))?;
    let mut third = contact(
        Channel::Phone,
        Tier::FirstLine,
        "최상담",
        "반품 회수 완료됐는데 환불 거부. '사용 흔적'이 있다고 함. 새 상담원이라 처음부터 다시 설명.",
        Outcome::Unresolved,
        day(2, 1),
    );
    third.offered = Some("포인트 5,000점".into());
    dd.store.add_contact(case, &third, day(2, 1))?;

    let answer = |said: &str, assessment| Answer {
        said: said.into(),
        assessment,
    };
    let p1 = dd.store.add_promise(
        case,
        &PromiseFields {
            contact_id: c1,
            promised_by: Some("이상담".into()),
            what: "판매자 확인 후 내일까지 발송 일정 문자 안내".into(),
            due_at: day(10, 2),
            answers: FiveAnswers {
                scope: answer("발송 여부", Assessment::Clear),
                method: answer("판매자 센터에 요청", Assessment::Vague),
                resolution: answer("확인되면 바로 발송될 거예요", Assessment::Vague),
                authority: answer("제가 결정할 수는 없어요", Assessment::Refused),
                continuity: Answer::default(),
            },
        },
        day(11, 2),
    )?;
    dd.store.end_promise(
        p1,
        PromiseStatus::Broken,
        Some("문자 없음. 이틀 뒤 파손된 상태로 도착."),
        day(9, 1),
    )?;
    dd.store.add_promise(
        case,
        &PromiseFields {
            contact_id: c2,
            promised_by: Some("박상담".into()),
            what: "반품 회수 후 3영업일 안에 환불".into(),
            due_at: day(1, 0),
            answers: FiveAnswers {
                scope: answer("회수 상품 검수", Assessment::Clear),
                method: answer("물류센터 검수팀", Assessment::Clear),
                resolution: answer("문제 없으면 환불돼요", Assessment::Vague),
                authority: answer("검수팀이 결정해요", Assessment::Refused),
                continuity: answer("다음엔 다른 상담원이 받을 수 있어요", Assessment::Refused),
            },
        },
        day(8, 3),
    )?;

    let files = tempfile::tempdir().context("cannot create a temp dir for the demo files")?;
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<std::path::PathBuf> {
        let path = files.path().join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    };
    let png = |img: RgbImage| -> anyhow::Result<Vec<u8>> {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)?;
        Ok(out.into_inner())
    };
    let items: Vec<(std::path::PathBuf, Option<ContactId>)> = vec![
        (write("주문내역.png", &png(mock_screen([3, 102, 214], 2))?)?, None),
        (write("배송조회_미발송.png", &png(mock_screen([46, 125, 50], 4))?)?, Some(c1)),
        (
            write(
                "택배상자_파손.jpg",
                &photo_with_exif(&mock_photo(true), &(now - Duration::days(9)).format("%Y:%m:%d 19:12:40").to_string())?,
            )?,
            Some(c2),
        ),
        (
            write(
                "제품_외관.jpg",
                &photo_with_exif(&mock_photo(false), &(now - Duration::days(9)).format("%Y:%m:%d 19:14:05").to_string())?,
            )?,
            Some(c2),
        ),
        (
            write(
                "상담채팅_기록.txt",
                "하늘쇼핑 고객센터 님과 카카오톡 대화\n박상담: 판매자 검수 후 환불됩니다.\n나: 언제까지인가요?\n박상담: 검수 일정은 말씀드리기 어렵습니다.\n"
                    .as_bytes(),
            )?,
            Some(c2),
        ),
    ];
    for (path, contact) in items {
        let options = AddOptions {
            kind: None,
            contact_id: contact,
            note: None,
            source: EvidenceSource::FileImport,
            captured_at: None,
            audio: None,
        };
        add_file(
            dd,
            case,
            Path::new(&path),
            &options,
            day(1, 5),
            &Control::default(),
        )?;
    }
    Ok(case)
}

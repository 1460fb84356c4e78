//! `verify.html` in a real browser: headless Debian Chromium, driven by Selenium through
//! `tests/browser/verify_html.py`, on a genuine packet and on forgeries a careful adversary
//! makes — each time the same verdict as `recourse verify`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::forgery::Forger;
use crate::util::Dir;

/// Whether the browser test can run here; in CI it must.
fn browser_available() -> bool {
    let ok = Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && Command::new("python3")
            .args(["-c", "import selenium"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: chromium, chromium-driver and selenium are installed by .ci/install-deps"
        );
        eprintln!(
            "skipped: chromium, chromedriver or python's selenium is missing (bash .ci/install-deps installs them)"
        );
    }
    ok
}

fn cli_verdict(d: &Dir, p: &Path) -> &'static str {
    match d.output(&["verify", p.to_str().unwrap()]).status.code() {
        Some(0) => "intact",
        Some(1) => "not-intact",
        _ => "error",
    }
}

#[test]
fn verify_html_gives_the_cli_s_verdict_on_genuine_and_forged_packets() {
    if !browser_available() {
        return;
    }
    let d = Dir::new();
    let (case, contact, _) = d.sample_case();
    let photo = d.file("파손 사진.png", &{
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    });
    let text = d.file("주문 내역.txt", "주문번호 2026111012345\n".as_bytes());
    d.ok(&[
        "evidence",
        "add",
        &case,
        photo.to_str().unwrap(),
        text.to_str().unwrap(),
        "--contact",
        &contact,
    ]);
    // The photo's kind and note changed after it came in (evidence.edited): its file keeps its
    // bytes, its name in the packet follows the new kind.
    d.ok(&[
        "evidence",
        "edit",
        &case,
        "E001",
        "--kind",
        "photo",
        "--note",
        "택배 상자 파손",
    ]);
    d.ok(&["receipt", &case, "--given-in", &contact]);
    let genuine = d.path().join("genuine.zip");
    d.ok(&["packet", "build", &case, "--out", genuine.to_str().unwrap()]);

    let mut packets: Vec<(String, PathBuf)> = vec![("genuine".into(), genuine.clone())];
    let mut forge = |name: &str, change: &dyn Fn(&mut Forger)| {
        let mut f = Forger::open(&genuine);
        change(&mut f);
        let path = d.path().join(format!("{name}.zip"));
        f.write(&path);
        packets.push((name.into(), path));
    };
    // 1. An evidence file's bytes replaced, both lists rewritten to agree.
    forge("evidence-replaced", &|f| {
        let n = f.name_of("evidence/E002");
        f.set(&n, "주문번호 9999999999999\n".as_bytes().to_vec());
        f.relist();
    });
    // 2. A ledger entry's summary rewritten, the chain rehashed, the lists rewritten and the
    // manifest re-signed with the forger's key.
    forge("chain-rewritten", &|f| {
        f.key = Some([3; 32]);
        let mut lines = f.ledger();
        let s = lines[1]["payload"]
            .as_str()
            .unwrap()
            .replace("내일", "모레");
        lines[1]["payload"] = s.into();
        f.set_ledger(&lines, true);
        f.relist();
    });
    // 3. A ledger line changed without rehashing.
    forge("line-changed", &|f| {
        let mut lines = f.ledger();
        lines[0]["at"] = "2026-11-01T00:00:00Z".into();
        f.set_ledger(&lines, false);
        f.relist();
    });
    // 4. An extra file, listed.
    forge("extra-file", &|f| {
        f.add("evidence/E009-photo-extra.png", vec![1, 2, 3]);
        f.relist();
    });
    // 5. An evidence file removed, lists rewritten.
    forge("evidence-missing", &|f| {
        let n = f.name_of("evidence/E001");
        f.entries.retain(|(name, _)| *name != n);
        f.relist();
    });
    // 6. The manifest changed after signing (another recipient), the lists made to agree.
    forge("manifest-changed", &|f| {
        let mut m = f.manifest();
        m["recipient"] = "mediation".into();
        f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
        f.relist();
    });
    // 7. Two evidence files swapped under each other's names.
    forge("evidence-swapped", &|f| {
        let a = f.name_of("evidence/E001");
        let b = f.name_of("evidence/E002");
        let (ba, bb) = (f.get(&a).to_vec(), f.get(&b).to_vec());
        f.set(&a, bb);
        f.set(&b, ba);
        f.relist();
    });
    // 8. The receipt code rewritten, rechained and re-signed.
    forge("receipt-forged", &|f| {
        f.key = Some([4; 32]);
        f.edit_payload("receipt.given", |p| {
            p["code"] = "RC-0000-1111-2222-3333-4444".into()
        });
        f.relist();
    });

    // 8b. The edit rewritten to move the photo onto the text file's bytes (its hash and size),
    // rechained and re-signed: an edit may change only contact, kind and note.
    forge("edit-moves-file", &|f| {
        f.key = Some([7; 32]);
        let text_sha = f.get(&f.name_of("evidence/E002")).to_vec();
        let text_sha = recourse::vault::Sha256::of(&text_sha).to_hex();
        f.edit_payload("evidence.edited", |p| {
            p["changes"]["sha256"] = serde_json::json!({ "from": null, "to": text_sha });
        });
        f.relist();
    });

    // 8c. The edit's note made a number, rechained and re-signed: no recourse reads that record.
    forge("edit-note-number", &|f| {
        f.key = Some([8; 32]);
        f.edit_payload("evidence.edited", |p| {
            p["changes"]["note"]["to"] = 5.into();
        });
        f.relist();
    });
    // 8d. Relabelled as made by 0.2.0 (which skipped evidence.edited), its page swapped in and
    // re-signed: read as 0.2.0 read it, the photo's file has the wrong name.
    forge("relabelled-0.2", &|f| {
        f.key = Some([9; 32]);
        let mut m = f.manifest();
        m["generator"] = "recourse 0.2.0".into();
        f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
        let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/verify-v4-0.2.html");
        f.set("verify.html", std::fs::read(old).unwrap());
        f.relist();
    });

    // 9. Two entries swapped in the ZIP, nothing else changed.
    forge("zip-order", &|f| {
        f.entries.swap(0, 1);
    });

    // 10. Format 4 relabelled as format 3, the format-3 page swapped in, re-signed with the
    // forger's key: the generator never wrote format 3, and the reports name another key.
    forge("relabelled-v3", &|f| {
        f.key = Some([5; 32]);
        let mut m = f.manifest();
        m["format"] = "recourse.packet.v3".into();
        f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
        let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/verify-v3.html");
        f.set("verify.html", std::fs::read(old).unwrap());
        f.relist();
    });
    // 11. A consumer-agency packet whose 1372 form asks for more, re-signed with the forger's
    // key: the page cannot rebuild the form, but the reports still name the real sender's key.
    let agency = d.path().join("agency.zip");
    d.ok(&[
        "packet",
        "build",
        &case,
        "--for",
        "consumer-agency",
        "--out",
        agency.to_str().unwrap(),
    ]);
    packets.push(("agency".into(), agency.clone()));
    {
        let mut f = Forger::open(&agency);
        f.key = Some([6; 32]);
        let mut form = String::from_utf8(f.get("1372-form.txt").to_vec()).unwrap();
        form.push_str("\n위자료 500만 원을 함께 청구합니다.\n");
        f.set("1372-form.txt", form.into_bytes());
        f.relist();
        let path = d.path().join("form-forged.zip");
        f.write(&path);
        packets.push(("form-forged".into(), path));
    }

    // The page as the packet carries it, and as `recourse verifier` writes it.
    let page = d.path().join("verify.html");
    let out = d.ok(&["verifier", "--out", page.to_str().unwrap()]);
    let x = d.path().join("x");
    assert!(
        Command::new("unzip")
            .args(["-q", genuine.to_str().unwrap(), "-d", x.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        std::fs::read(&page).unwrap(),
        std::fs::read(x.join("verify.html")).unwrap()
    );
    assert!(out.starts_with(&recourse::packet::verify_html_sha256()));

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify-html");
    let _ = std::fs::remove_dir_all(&shots);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/verify_html.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(x.join("verify.html"))
        .arg(&shots)
        .args(packets.iter().map(|(_, p)| p))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), packets.len());
    for ((name, path), line) in packets.iter().zip(&lines) {
        let cli = cli_verdict(&d, path);
        let page = line["verdict"].as_str().unwrap();
        println!(
            "{name:<20} cli {cli:<11} page {page:<11} {}",
            line["findings"]
        );
        assert_eq!(
            page, cli,
            "{name}: the page says {page}, the CLI {cli}: {line}"
        );
        if name == "genuine" || name == "agency" {
            assert_eq!(cli, "intact");
            let key = d.ok(&["key", "show"]);
            let fingerprint = line["fingerprint"].as_str().unwrap();
            assert!(key.contains(fingerprint), "{key} vs {fingerprint}");
        } else {
            assert_eq!(cli, "not-intact", "{name}");
        }
    }
    println!("screenshots in {}", shots.display());
}

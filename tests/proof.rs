//! Proofs of when and who, tried as a reviewer and a forger would: a real RFC 3161 TSA (a
//! throwaway CA and TSA certificate made with `openssl`, answering with `openssl ts -reply`
//! behind a loopback HTTP server this test starts), the sender key's signature checked with
//! `openssl pkeyutl`, and receipt codes against the chain.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::Dir;

/// A throwaway CA and TSA, made with openssl.
struct Tsa {
    dir: PathBuf,
}

impl Tsa {
    /// Makes a CA and a TSA certificate under `dir` (`name` tells two TSAs apart).
    fn new(dir: &Path, name: &str) -> Tsa {
        Tsa::with_root_digest(dir, name, "sha256")
    }

    /// [`Tsa::new`] with the root's self-signature made with `digest` (old roots use SHA-1).
    fn with_root_digest(dir: &Path, name: &str, digest: &str) -> Tsa {
        let dir = dir.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("tsa.cnf"),
            "[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = unused\n\
             [ ca_ext ]\nbasicConstraints = critical, CA:true\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n\
             [ tsa_ext ]\nbasicConstraints = critical, CA:false\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = critical, timeStamping\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n\
             [ tsa ]\ndefault_tsa = tsa_config\n\
             [ tsa_config ]\ndir = .\nserial = ./tsaserial\nsigner_cert = ./tsa.pem\ncerts = ./ca.pem\nsigner_key = ./tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\nordering = no\ntsa_name = no\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n",
        )
        .unwrap();
        std::fs::write(dir.join("tsaserial"), "01\n").unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("openssl is needed: bash .ci/install-deps");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let ca_subject = format!("/CN={name} Root CA/O=recourse tests");
        let tsa_subject = format!("/CN={name} TSA/O=recourse tests");
        let digest_flag = format!("-{digest}");
        run(&[
            "req",
            "-x509",
            &digest_flag,
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "3650",
            "-subj",
            &ca_subject,
            "-config",
            "tsa.cnf",
            "-extensions",
            "ca_ext",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-subj",
            &tsa_subject,
            "-config",
            "tsa.cnf",
        ]);
        run(&[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tsa.pem",
            "-days",
            "3650",
            "-extfile",
            "tsa.cnf",
            "-extensions",
            "tsa_ext",
        ]);
        Tsa { dir }
    }

    /// `openssl ts -reply` to a request, signed by this TSA's certificate and `key` (its own
    /// unless another is given), with the CA in the token.
    fn reply_with_key(&self, query: &[u8], key: &Path) -> Vec<u8> {
        let q = self.dir.join(format!("q-{}.tsq", std::process::id()));
        std::fs::write(&q, query).unwrap();
        let r = self.dir.join("r.tsr");
        let out = Command::new("openssl")
            .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
            .arg(&q)
            .arg("-inkey")
            .arg(key)
            .args(["-chain", "ca.pem", "-out"])
            .arg(&r)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&r).unwrap()
    }

    fn reply(&self, query: &[u8]) -> Vec<u8> {
        self.reply_with_key(query, &self.dir.join("tsa.key"))
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// Serves `answer(request body)` over HTTP on 127.0.0.1 for `count` requests; returns the
    /// URL.
    fn serve(
        answer: impl Fn(&[u8]) -> Vec<u8> + Send + 'static,
        count: usize,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tsr", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..count {
                let (mut s, _) = listener.accept().unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Headers, then Content-Length bytes of body.
                let (head_end, length) = loop {
                    let n = s.read(&mut chunk).unwrap();
                    assert!(n > 0, "the client closed before its request was whole");
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .map(|v| v.trim().parse().unwrap())
                            .unwrap_or(0);
                        break (i + 4, length);
                    }
                };
                while buf.len() < head_end + length {
                    let n = s.read(&mut chunk).unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                }
                seen.push(String::from_utf8_lossy(&buf[..head_end]).into_owned());
                let body = answer(&buf[head_end..head_end + length]);
                write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .unwrap();
                s.write_all(&body).unwrap();
            }
            seen
        });
        (url, handle)
    }
}

/// The token of the case's `n`th timestamp.added entry, and the hash of the entry it covers.
fn stored_token(d: &Dir, n: usize) -> (Vec<u8>, String) {
    use base64::Engine;
    let db = d.sqlite();
    let payloads: Vec<String> = db
        .prepare("SELECT payload FROM ledger WHERE kind = 'timestamp.added' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let p: serde_json::Value = serde_json::from_str(&payloads[n]).unwrap();
    let token = base64::engine::general_purpose::STANDARD
        .decode(p["token"].as_str().unwrap())
        .unwrap();
    let covers = p["covers"].as_u64().unwrap();
    let hash: String = db
        .query_row("SELECT hash FROM ledger WHERE seq = ?1", [covers], |r| {
            r.get(0)
        })
        .unwrap();
    (token, hash)
}

fn openssl_verifies(token: &[u8], digest: &str, ca: &Path, dir: &Path) -> bool {
    let t = dir.join("token.tst");
    std::fs::write(&t, token).unwrap();
    Command::new("openssl")
        .args(["ts", "-verify", "-token_in", "-in"])
        .arg(&t)
        .args(["-digest", digest, "-CAfile"])
        .arg(ca)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_real_tsa_over_loopback_gives_a_token_openssl_and_verify_accept() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let tsa = Tsa::new(d.path(), "Good");
    let answering = Tsa {
        dir: tsa.dir.clone(),
    };
    let (url, server) = Tsa::serve(move |q| answering.reply(q), 1);
    d.ok(&["settings", "--tsa-url", &url]);
    let out = d.ok(&["timestamp", &case]);
    assert!(out.contains("entries 1–3 existed by"), "{out}");
    assert!(out.contains("CN=Good TSA"), "{out}");
    let seen = server.join().unwrap();
    assert!(
        seen[0].contains("content-type: application/timestamp-query")
            || seen[0].contains("Content-Type: application/timestamp-query"),
        "{seen:?}"
    );

    // The stored token: openssl accepts it for the entry it covers, and for no other.
    let (token, hash) = stored_token(&d, 0);
    assert!(openssl_verifies(&token, &hash, &tsa.ca(), d.path()));
    let other = "00".repeat(32);
    assert!(!openssl_verifies(&token, &other, &tsa.ca(), d.path()));
    // Our offline check agrees on both.
    let head: recourse::vault::Sha256 = hash.parse().unwrap();
    let info = recourse::proof::tsa::check(&token, &head).unwrap();
    assert!(info.chain_complete, "{info:?}");
    assert_eq!(info.chain.len(), 2);
    let e = recourse::proof::tsa::check(&token, &other.parse().unwrap()).unwrap_err();
    assert!(e.0.contains("another hash"), "{e}");
    // Truncated anywhere: refused, never a panic.
    for cut in [0, 1, 10, token.len() / 2, token.len() - 1] {
        let e = recourse::proof::tsa::check(&token[..cut], &head).unwrap_err();
        assert!(!e.0.is_empty());
    }

    // The packet carries it, and verify says when (apart from integrity).
    let p = d.path().join("p.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(
        out.contains("proven    when: entries 1–3 existed by"),
        "{out}"
    );
    assert!(out.contains("certificate chain included"), "{out}");
    // Names are the token's claims: the root is named by the fingerprint openssl gives it.
    let fp = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(tsa.ca())
        .output()
        .unwrap();
    let fp = String::from_utf8_lossy(&fp.stdout);
    let fp = fp.trim().rsplit('=').next().unwrap();
    assert!(
        out.contains(&format!("root certificate SHA-256 {fp}")),
        "{fp}\n{out}"
    );
    assert!(out.contains("ok        timestamps/TS004.tst"), "{out}");
    // The token file in the packet is the token, and VERIFY.txt's command for it works.
    let x = d.path().join("x");
    assert!(
        Command::new("unzip")
            .args(["-q", p.to_str().unwrap(), "-d", x.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        std::fs::read(x.join("timestamps/TS004.tst")).unwrap(),
        token
    );
    let verify_txt = std::fs::read_to_string(x.join("VERIFY.txt")).unwrap();
    assert!(
        verify_txt.contains(&format!("-digest {hash}")),
        "{verify_txt}"
    );
}

#[test]
fn replies_that_do_not_answer_the_request_are_refused_and_named() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let good = Tsa::new(d.path(), "Good");
    let rogue = Tsa::new(d.path(), "Rogue");

    // By hand: a request kept, the TSA's reply imported.
    let tsq = d.path().join("head.tsq");
    d.ok(&["timestamp", &case, "--request-out", tsq.to_str().unwrap()]);
    let query = std::fs::read(&tsq).unwrap();
    // openssl reads the request as one.
    let text = Command::new("openssl")
        .args(["ts", "-query", "-in", tsq.to_str().unwrap(), "-text"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Hash Algorithm: sha256"), "{text}");
    assert!(text.contains("Certificate required: yes"), "{text}");
    assert!(text.contains("Nonce: 0x"), "{text}");

    // A wrong nonce: a reply to another request (same TSA, another hash and nonce).
    let other = d.file("other.txt", b"another document");
    let other_q = d.path().join("other.tsq");
    assert!(
        Command::new("openssl")
            .args([
                "ts",
                "-query",
                "-data",
                other.to_str().unwrap(),
                "-sha256",
                "-cert",
                "-out"
            ])
            .arg(&other_q)
            .status()
            .unwrap()
            .success()
    );
    let wrong = d.file("wrong.tsr", &good.reply(&std::fs::read(&other_q).unwrap()));
    let out = d.fails(
        2,
        &["timestamp", &case, "--import", wrong.to_str().unwrap()],
    );
    assert!(out.contains("answers no request"), "{out}");

    // Signed by another key than its certificate's: the signature is named.
    let forged = d.file(
        "forged.tsr",
        &good.reply_with_key(&query, &rogue.dir.join("tsa.key")),
    );
    let out = d.fails(
        2,
        &["timestamp", &case, "--import", forged.to_str().unwrap()],
    );
    assert!(out.contains("signature"), "{out}");

    // Truncated.
    let reply = good.reply(&query);
    let cut = d.file("cut.tsr", &reply[..reply.len() - 40]);
    let out = d.fails(2, &["timestamp", &case, "--import", cut.to_str().unwrap()]);
    assert!(out.contains("truncated"), "{out}");
    let junk = d.file("junk.tsr", b"not a reply at all");
    d.fails(2, &["timestamp", &case, "--import", junk.to_str().unwrap()]);

    // Nothing of that was recorded; the genuine reply is.
    let n: i64 = d
        .sqlite()
        .query_row(
            "SELECT count(*) FROM ledger WHERE kind = 'timestamp.added'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    let good_reply = d.file("good.tsr", &reply);
    let out = d.ok(&["timestamp", &case, "--import", good_reply.to_str().unwrap()]);
    assert!(out.contains("entries 1–3 existed by"), "{out}");
    // The request is answered once.
    let out = d.fails(
        2,
        &["timestamp", &case, "--import", good_reply.to_str().unwrap()],
    );
    assert!(out.contains("answers no request"), "{out}");

    // Over HTTP: a TSA answering with a reply to another request is refused.
    let answering = Tsa {
        dir: good.dir.clone(),
    };
    let other_query = std::fs::read(&other_q).unwrap();
    let (url, server) = Tsa::serve(move |_| answering.reply(&other_query), 1);
    d.ok(&["settings", "--tsa-url", &url]);
    let out = d.fails(2, &["timestamp", &case]);
    assert!(out.contains("another nonce"), "{out}");
    server.join().unwrap();
}

#[test]
fn a_forged_token_in_the_chain_is_a_finding() {
    // A forger who back-dates a chain cannot get a TSA to sign its head at the old time; they
    // can only put a token for some other hash into the chain, rechain and re-sign.
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let tsa = Tsa::new(d.path(), "Good");
    let tsq = d.path().join("head.tsq");
    d.ok(&["timestamp", &case, "--request-out", tsq.to_str().unwrap()]);
    let reply = d.file("r.tsr", &tsa.reply(&std::fs::read(&tsq).unwrap()));
    d.ok(&["timestamp", &case, "--import", reply.to_str().unwrap()]);
    d.ok(&[
        "contact",
        "add",
        &case,
        "--channel",
        "chat",
        "--tier",
        "first-line",
        "--summary",
        "다시 문의",
        "--agent",
        "박상담",
        "--at",
        "2026-11-19T10:00:00+09:00",
    ]);
    let p = d.path().join("p.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    d.ok(&["verify", p.to_str().unwrap()]);

    // Move the token to cover entry 2 instead of 3: rechained, relisted, re-signed.
    let mut f = crate::forgery::Forger::open(&p);
    f.key = Some([9; 32]);
    f.edit_payload("timestamp.added", |p| p["covers"] = 2.into());
    f.relist();
    let forged = d.path().join("forged.zip");
    f.write(&forged);
    let out = d.fails(1, &["verify", forged.to_str().unwrap()]);
    assert!(
        out.contains("the timestamp in entry 4 (over entry 2) proves nothing"),
        "{out}"
    );
    assert!(out.contains("another hash"), "{out}");
}

#[test]
fn the_signature_is_the_manifest_s_and_a_new_key_is_never_the_same_sender() {
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let p = d.path().join("p.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    let key = d.ok(&["key", "show"]);
    let fingerprint = key
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint "))
        .unwrap()
        .trim()
        .to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.data_dir().join("sender.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // openssl: the signature verifies, is exactly what openssl makes with the same key (Ed25519
    // is deterministic), and the fingerprint is SHA-256 of the raw key.
    let x = d.path().join("x");
    assert!(
        Command::new("unzip")
            .args(["-q", p.to_str().unwrap(), "-d", x.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    let verified = Command::new("openssl")
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "sender.pem",
            "-rawin",
            "-in",
            "manifest.json",
            "-sigfile",
            "manifest.sig",
        ])
        .current_dir(&x)
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let signed = Command::new("openssl")
        .args([
            "pkeyutl",
            "-sign",
            "-rawin",
            "-in",
            "manifest.json",
            "-inkey",
        ])
        .arg(d.data_dir().join("sender.key"))
        .current_dir(&x)
        .output()
        .unwrap();
    assert!(signed.status.success());
    assert_eq!(
        signed.stdout,
        std::fs::read(x.join("manifest.sig")).unwrap()
    );
    let sh = Command::new("sh")
        .arg("-c")
        .arg("openssl pkey -pubin -in sender.pem -outform DER | tail -c 32 | sha256sum")
        .current_dir(&x)
        .output()
        .unwrap();
    let digest = String::from_utf8_lossy(&sh.stdout);
    assert_eq!(
        digest[..32].to_uppercase(),
        fingerprint.replace('-', ""),
        "{digest}"
    );
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(
        out.contains(&format!(
            "who: signed by key {fingerprint}; this is your own key"
        )),
        "{out}"
    );

    // Another reader: the key is new to them. They import; a later packet of the same case
    // from another key is named as another key.
    let volunteer = Dir::new();
    let out = volunteer.ok(&["verify", p.to_str().unwrap()]);
    assert!(out.contains("this key is new to you"), "{out}");
    volunteer.ok(&["import", p.to_str().unwrap()]);
    let out = volunteer.ok(&["verify", p.to_str().unwrap()]);
    assert!(out.contains("the same key as case 1"), "{out}");

    // Re-signed with another key: the forger runs recourse on a copy of the data with their own
    // key (the reports print the fingerprint, so only a full rebuild is consistent). Intact —
    // and never the same sender.
    let forger = Dir::new();
    crate::forgery::copy_dir(&d.data_dir(), &forger.data_dir());
    std::fs::remove_file(forger.data_dir().join("sender.key")).unwrap();
    let resigned = forger.path().join("resigned.zip");
    let built_at = serde_json::from_slice::<serde_json::Value>(
        crate::forgery::Forger::open(&p).get("manifest.json"),
    )
    .unwrap()["generated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    forger.ok(&[
        "packet",
        "build",
        &case,
        "--generated-at",
        &built_at,
        "--out",
        resigned.to_str().unwrap(),
    ]);
    let other = forger
        .ok(&["key", "show"])
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint "))
        .unwrap()
        .trim()
        .to_owned();
    assert_ne!(other, fingerprint);
    let out = volunteer.ok(&["verify", resigned.to_str().unwrap()]);
    assert!(out.contains("verdict   INTACT"), "{out}");
    assert!(
        out.contains(&format!(
            "who: signed by key {other}; ANOTHER key than the one case 1"
        )),
        "{out}"
    );
    assert!(
        !out.contains(&fingerprint) || out.contains(&format!("({fingerprint})")),
        "{out}"
    );

    // The manifest changed after signing (an option rewritten, lists made to agree, the
    // signature kept): refused.
    let mut f = crate::forgery::Forger::open(&p);
    let mut m = f.manifest();
    m["recipient"] = "mediation".into();
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let changed = d.path().join("changed.zip");
    f.write(&changed);
    let out = d.fails(1, &["verify", changed.to_str().unwrap()]);
    assert!(out.contains("ALTERED   manifest.sig"), "{out}");
    assert!(out.contains("who: not proven"), "{out}");
    Dir::new().fails(2, &["import", changed.to_str().unwrap()]);
}

#[test]
fn known_answer_vectors_for_the_signed_bytes() {
    // Computed with openssl 3 (`openssl pkeyutl -sign -rawin`) from the PKCS#8 key of seed
    // 00 01 … 1f, not by this program.
    let key = recourse::proof::key::SenderKey::from_secret(std::array::from_fn(|i| i as u8));
    let message = b"{\n  \"format\": \"recourse.packet.v3\"\n}";
    assert_eq!(
        hex::encode(key.sign(message)),
        "ecf91e70cc4fe9c57eac7f31575cf84e622e6340742bf4049b873c461bec3ce646039d6dfb8fa50ad81248c5f7b8fe84a9618209560e9a8333b8b3a4d72aa406"
    );
    assert_eq!(
        hex::encode(key.public().0),
        "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    );
    assert_eq!(
        key.public().fingerprint(),
        "5647-5AA7-5463-474C-0285-DF5D-BF2B-CAB7"
    );
}

#[test]
fn receipt_codes_appear_in_the_report_and_a_false_one_is_a_finding() {
    let d = Dir::new();
    let (case, contact, _) = d.sample_case();
    let code = d.ok(&["receipt", &case]).trim().to_owned();
    assert!(code.starts_with("RC-") && code.len() == 27, "{code}");
    // The code is the hash prefix of the current head.
    let head: String = d
        .sqlite()
        .query_row(
            "SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(code.replace('-', "")[2..].to_lowercase(), head[..20]);
    d.ok(&[
        "receipt",
        &case,
        "--given-in",
        &contact,
        "--code",
        &code.to_lowercase(),
    ]);
    let bad = d.fails(
        2,
        &[
            "receipt",
            &case,
            "--given-in",
            &contact,
            "--code",
            "RC-0000-0000-0000-0000-0000",
        ],
    );
    assert!(bad.contains("names no entry"), "{bad}");
    let p = d.path().join("p.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(
        out.contains(&format!(
            "receipt   {code} given in contact {contact} names entry 3: ok"
        )),
        "{out}"
    );
    let x = d.path().join("x");
    assert!(
        Command::new("unzip")
            .args(["-q", p.to_str().unwrap(), "-d", x.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    let html = std::fs::read_to_string(x.join("report.html")).unwrap();
    assert!(html.contains(&code), "the report lists the code");
    let pdf = Command::new("pdftotext")
        .args([x.join("report.pdf").to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let pdf = String::from_utf8_lossy(&pdf.stdout).replace('\u{2010}', "-");
    assert!(pdf.contains(&code), "the PDF lists the code: {pdf}");

    // A forger rewrites the code (rechained, relisted, re-signed): the chain says otherwise.
    let mut f = crate::forgery::Forger::open(&p);
    f.key = Some([5; 32]);
    f.edit_payload("receipt.given", |p| {
        p["code"] = "RC-1234-5678-9ABC-DEF0-1234".into()
    });
    f.relist();
    let forged = d.path().join("forged.zip");
    f.write(&forged);
    let out = d.fails(1, &["verify", forged.to_str().unwrap()]);
    assert!(
        out.contains(
            "RC-1234-5678-9ABC-DEF0-1234 given in contact 1 names entry 3: DOES NOT MATCH"
        ),
        "{out}"
    );
    assert!(out.contains("it does not match entry 3"), "{out}");
}

#[test]
fn format_2_packets_still_verify_byte_for_byte_and_import() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packet-v2.zip");
    let d = Dir::new();
    let out = d.ok(&["verify", fixture.to_str().unwrap()]);
    assert!(out.contains("format 2"), "{out}");
    assert!(
        out.contains("ok        report.pdf"),
        "rebuilt byte for byte: {out}"
    );
    assert!(out.contains("verdict   INTACT"), "{out}");
    assert!(
        out.contains("who: not proven (format 2 packets are not signed)"),
        "{out}"
    );
    d.ok(&["import", fixture.to_str().unwrap()]);
    // Built again here, it is format 4 and signed.
    let p = d.path().join("again.zip");
    d.ok(&["packet", "build", "1", "--out", p.to_str().unwrap()]);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(
        out.contains("format 4") && out.contains("this is your own key"),
        "{out}"
    );
}

/// `tests/fixtures/packet-v3.zip` was made by recourse 0.1.0 at 6e91a3f (the last build of
/// format 3, with the cover letters of `templates/letter-*.txt`): a consumer-agency packet.
#[test]
fn format_3_packets_of_0_1_0_still_rebuild_byte_for_byte_and_import() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packet-v3.zip");
    let d = Dir::new();
    let out = d.ok(&["verify", fixture.to_str().unwrap()]);
    assert!(out.contains("format 3"), "{out}");
    for file in ["report.pdf", "report.html", "verify.html", "VERIFY.txt"] {
        assert!(
            out.contains(&format!("ok        {file}")),
            "{file} rebuilt byte for byte: {out}"
        );
    }
    assert!(!out.contains("1372-form.txt"), "{out}");
    assert!(out.contains("verdict   INTACT"), "{out}");
    d.ok(&["import", fixture.to_str().unwrap()]);
    // Built again for the same recipient, it is format 4, with the 1372 form, and the letter
    // no longer prints placeholders.
    let p = d.path().join("again.zip");
    d.ok(&[
        "packet",
        "build",
        "1",
        "--for",
        "consumer-agency",
        "--redact",
        "--out",
        p.to_str().unwrap(),
    ]);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(out.contains("format 4"), "{out}");
    assert!(out.contains("ok        1372-form.txt"), "{out}");
    let form = String::from_utf8(unzip_one(&p, "1372-form.txt")).unwrap();
    assert!(form.contains("이름: 김민지"), "{form}");
    // Redacted: the phone is withheld from the form and the letter.
    assert!(!form.contains("010-1234-5678"), "{form}");
    let html = String::from_utf8(unzip_one(&p, "report.html")).unwrap();
    assert!(!html.contains("010-1234-5678"), "redacted");
    assert!(
        !html.contains("(이름)") && !html.contains("(요구 사항)"),
        "placeholders"
    );
}

/// `tests/fixtures/packet-v4.zip` was made by recourse 0.2.0 (at 117b9af, the last build before
/// `evidence.edited`): format 4, its `verify.html` the page 0.2.0 carried. A later recourse
/// still rebuilds every derived file of it byte for byte, the page included.
#[test]
fn format_4_packets_of_0_2_0_still_rebuild_byte_for_byte_and_import() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packet-v4.zip");
    let d = Dir::new();
    let out = d.ok(&["verify", fixture.to_str().unwrap()]);
    assert!(out.contains("by recourse 0.2.0 · format 4"), "{out}");
    for file in ["report.pdf", "report.html", "verify.html", "VERIFY.txt"] {
        assert!(
            out.contains(&format!("ok        {file}")),
            "{file} rebuilt byte for byte: {out}"
        );
    }
    assert!(out.contains("verdict   INTACT"), "{out}");
    // Its page is 0.2.0's, not this build's.
    let page = unzip_one(&fixture, "verify.html");
    assert_eq!(page, recourse::packet::VERIFY_HTML_4_0_2.as_bytes());
    assert_ne!(page, recourse::packet::VERIFY_HTML.as_bytes());
    d.ok(&["import", fixture.to_str().unwrap()]);
    d.ok(&["fsck"]);
}

/// An item's contact, kind and note changed after it came in: the packet names its file by the
/// new kind, verifies intact, and imports elsewhere with the contact renumbered and fsck clean.
#[test]
fn an_edited_evidence_item_travels_in_a_packet_and_imports() {
    let d = Dir::new();
    let (case, contact, _) = d.sample_case();
    let text = d.file("상담.txt", "박상담: 검수 후 환불됩니다.\n".as_bytes());
    d.ok(&["evidence", "add", &case, text.to_str().unwrap()]);
    d.ok(&[
        "evidence",
        "edit",
        &case,
        "E001",
        "--kind",
        "chat",
        "--contact",
        &contact,
        "--note",
        "상담 채팅",
    ]);
    // Bad input: exit 2, nothing recorded.
    let bad = d.output(&["evidence", "edit", &case, "E001", "--contact", "999"]);
    assert_eq!(bad.status.code(), Some(2));
    let p = d.path().join("edited.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    let out = d.ok(&["verify", p.to_str().unwrap()]);
    assert!(out.contains("ok        E001 evidence/E001-chat-"), "{out}");
    assert!(out.contains("verdict   INTACT"), "{out}");
    let ledger = String::from_utf8(unzip_one(&p, "ledger.jsonl")).unwrap();
    assert!(ledger.contains("evidence.edited"), "{ledger}");
    // Elsewhere, after another case took contact ids 1.., the edit points at the new id.
    let other = Dir::new();
    other.sample_case();
    let new_case = other.ok(&["import", p.to_str().unwrap()]);
    other.ok(&["fsck"]);
    let shown = other.ok(&["case", "show", new_case.trim()]);
    assert!(shown.contains("note: 상담 채팅"), "{shown}");
    // The sample case here took contact 1; the imported contact is 2, and the item follows it.
    assert_eq!(contact, "1");
    assert!(
        shown.contains("chat · text/plain") && shown.contains("· contact #2"),
        "{shown}"
    );
}

fn unzip_one(zip: &Path, name: &str) -> Vec<u8> {
    let out = std::process::Command::new("unzip")
        .args(["-p", zip.to_str().unwrap(), name])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn an_old_root_signed_with_sha1_does_not_fail_an_honest_token() {
    // A root's self-signature carries no trust; many long-lived roots made it with SHA-1.
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let tsa = Tsa::with_root_digest(d.path(), "Legacy", "sha1");
    let tsq = d.path().join("head.tsq");
    d.ok(&["timestamp", &case, "--request-out", tsq.to_str().unwrap()]);
    let reply = d.file("r.tsr", &tsa.reply(&std::fs::read(&tsq).unwrap()));
    let out = d.ok(&["timestamp", &case, "--import", reply.to_str().unwrap()]);
    assert!(out.contains("certificate chain included"), "{out}");
    let (token, hash) = stored_token(&d, 0);
    assert!(openssl_verifies(&token, &hash, &tsa.ca(), d.path()));
}

#[test]
fn an_unsigned_packet_of_a_case_that_came_signed_says_so() {
    // A downgrade: the forger strips the signature and calls it format 2.
    let d = Dir::new();
    let (case, _, _) = d.sample_case();
    let p = d.path().join("p.zip");
    d.ok(&["packet", "build", &case, "--out", p.to_str().unwrap()]);
    let volunteer = Dir::new();
    volunteer.ok(&["import", p.to_str().unwrap()]);
    let mut f = crate::forgery::Forger::open(&p);
    f.entries.retain(|(n, _)| {
        !matches!(n.as_str(), "verify.html" | "sender.pem" | "manifest.sig")
            && !n.starts_with("timestamps/")
    });
    let mut m = f.manifest();
    m["format"] = "recourse.packet.v2".into();
    m.as_object_mut().unwrap().remove("sender");
    f.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    f.relist();
    let unsigned = d.path().join("unsigned.zip");
    f.write(&unsigned);
    let out = volunteer.output(&["verify", unsigned.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("format 2"), "{out}");
    assert!(out.contains("you imported came signed by key"), "{out}");
    assert!(
        out.contains("nothing shows this packet is from the same sender"),
        "{out}"
    );
}

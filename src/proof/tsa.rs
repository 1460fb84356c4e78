//! RFC 3161 trusted timestamps, made and checked offline.
//!
//! A token over a chain position proves that every entry up to it existed by the token's time
//! (`genTime`): its `messageImprint` is SHA-256 with the entry's 32-byte hash as the hashed
//! message, so `openssl ts -verify -digest <entry hash> -in TOKEN -token_in -CAfile ROOT` checks
//! it too. [`check`] does everything offline from the token alone: the CMS SignedData (one
//! signer), the signed attributes (content type, message digest of the TSTInfo), the ESS
//! signing-certificate attribute (v1 or v2) naming the signer's certificate, the signature
//! (RSA PKCS#1 v1.5 or ECDSA P-256/P-384, SHA-256/384/512), the signer's time-stamping key usage
//! and validity at `genTime`, and the certificate chain as far as the token includes it.
//! Whether the TSA is one to trust is the reviewer's decision; the check names it and its chain.
//! All ASN.1 goes through RustCrypto's `der`, `cms`, `x509-cert` and `x509-tsp`.

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{Int, ObjectIdentifier as Oid, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::GeneralNames;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::vault::Sha256;

const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
const ID_SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const CURVE_P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const CURVE_P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");

/// `ESSCertID` (RFC 2634 section 5.4.1): a SHA-1 hash of a certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertId {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificate` (RFC 2634 section 5.4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

/// `ESSCertIDv2` (RFC 5035 section 4): the hash algorithm is SHA-256 unless named.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<spki::AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2` (RFC 5035 section 3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

/// `IssuerSerial` (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct IssuerSerial {
    issuer: GeneralNames,
    serial_number: x509_cert::serial_number::SerialNumber,
}

/// A request for a token over one chain position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The DER `TimeStampReq` (what `openssl ts -query` writes, `application/timestamp-query`).
    pub der: Vec<u8>,
    /// Its nonce, hex: the reply must carry it back.
    pub nonce: String,
}

/// Why a token or a reply is refused. Each names what is wrong, for a finding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TokenProblem(pub String);

fn problem(text: impl Into<String>) -> TokenProblem {
    TokenProblem(text.into())
}

/// What a checked token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The time the TSA vouches the hash existed by.
    pub gen_time: DateTime<Utc>,
    /// The signing certificate's subject (RFC 4514).
    pub tsa: String,
    /// The chain from the signer up, subjects, as far as the token includes it.
    pub chain: Vec<String>,
    /// Whether the chain ends in a self-signed root the token includes.
    pub chain_complete: bool,
    /// The issuer the chain stops at when it is not complete.
    pub missing_issuer: Option<String>,
    /// The SHA-256 of the top certificate of the chain (the root when complete), `AB:CD:…`:
    /// what a reviewer who trusts a TSA compares with its published root.
    pub anchor_sha256: String,
    /// The nonce the TSA echoed, hex.
    pub nonce: Option<String>,
    /// The token's serial number, hex.
    pub serial: String,
    /// The TSA policy.
    pub policy: String,
}

/// A request for the position whose hash is `head` (SHA-256, a fresh 64-bit nonce, and the
/// TSA's certificate asked for, so the token can be checked offline).
pub fn request(head: &Sha256) -> Result<Request, TokenProblem> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| problem(format!("no random nonce ({e})")))?;
    // A positive INTEGER in its minimal form.
    nonce[0] = (nonce[0] & 0x7f) | 0x01;
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: imprint(head)?,
        req_policy: None,
        nonce: Some(Int::new(&nonce).map_err(der_problem)?),
        cert_req: true,
        extensions: None,
    };
    Ok(Request {
        der: req.to_der().map_err(der_problem)?,
        nonce: hex::encode(nonce),
    })
}

fn imprint(head: &Sha256) -> Result<MessageImprint, TokenProblem> {
    Ok(MessageImprint {
        hash_algorithm: spki::AlgorithmIdentifier {
            oid: ID_SHA256,
            parameters: Some(der::Any::from(der::asn1::Null)),
        },
        hashed_message: OctetString::new(head.0.to_vec()).map_err(der_problem)?,
    })
}

fn der_problem(e: der::Error) -> TokenProblem {
    problem(format!("not valid DER ({e})"))
}

/// The token of a TSA's reply (`TimeStampResp`, what `openssl ts -reply` writes); a bare token
/// (`TimeStampToken`) is taken as it is. A reply that refused is an error with the TSA's words.
pub fn token_of_reply(bytes: &[u8]) -> Result<Vec<u8>, TokenProblem> {
    if let Ok(resp) = TimeStampResp::from_der(bytes) {
        let status = resp.status.status as u8;
        // 0 granted, 1 granted with modifications.
        if status > 1 {
            let said = resp
                .status
                .status_string
                .as_ref()
                .map(|s| format!("{s:?}"))
                .unwrap_or_default();
            return Err(problem(format!(
                "the TSA refused the request (status {status}{}{said})",
                if said.is_empty() { "" } else { ": " }
            )));
        }
        let token = resp
            .time_stamp_token
            .ok_or_else(|| problem("the TSA's reply holds no token"))?;
        return token.to_der().map_err(der_problem);
    }
    ContentInfo::from_der(bytes)
        .map_err(|_| {
            problem("this is neither a timestamp reply (.tsr) nor a token: it is truncated or another file")
        })
        .and_then(|ci| ci.to_der().map_err(der_problem))
}

fn digest(alg: &Oid, data: &[u8]) -> Option<Vec<u8>> {
    use sha2::Digest;
    match *alg {
        ID_SHA256 => Some(sha2::Sha256::digest(data).to_vec()),
        ID_SHA384 => Some(sha2::Sha384::digest(data).to_vec()),
        ID_SHA512 => Some(sha2::Sha512::digest(data).to_vec()),
        ID_SHA1 => Some({
            use sha1::Digest as _;
            sha1::Sha1::digest(data).to_vec()
        }),
        _ => None,
    }
}

fn hash_name(alg: &Oid) -> String {
    match *alg {
        ID_SHA1 => "SHA-1".into(),
        ID_SHA256 => "SHA-256".into(),
        ID_SHA384 => "SHA-384".into(),
        ID_SHA512 => "SHA-512".into(),
        other => other.to_string(),
    }
}

/// Verifies `signature` over `message` with the key of `spki`, by signature algorithm `sig_alg`
/// (and `digest_alg` where the algorithm names only the key type, as CMS allows for RSA).
fn verify_signature(
    spki: &spki::SubjectPublicKeyInfoOwned,
    sig_alg: &Oid,
    digest_alg: Option<&Oid>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), TokenProblem> {
    let hash = match *sig_alg {
        SHA256_WITH_RSA | ECDSA_WITH_SHA256 => ID_SHA256,
        SHA384_WITH_RSA | ECDSA_WITH_SHA384 => ID_SHA384,
        SHA512_WITH_RSA | ECDSA_WITH_SHA512 => ID_SHA512,
        RSA_ENCRYPTION => *digest_alg.ok_or_else(|| problem("no digest algorithm is named"))?,
        other => {
            return Err(problem(format!(
                "the signature algorithm {other} is not one this version checks (RSA PKCS#1 v1.5, ECDSA P-256/P-384 with SHA-2)"
            )));
        }
    };
    if hash == ID_SHA1 {
        return Err(problem(
            "it is signed with SHA-1, which no longer proves anything",
        ));
    }
    let hashed = digest(&hash, message).ok_or_else(|| {
        problem(format!(
            "the digest algorithm {} is not one this version checks",
            hash_name(&hash)
        ))
    })?;
    let key_bytes = spki.subject_public_key.raw_bytes();
    let bad = || problem("the signature does not verify with the signer's certificate");
    match spki.algorithm.oid {
        RSA_ENCRYPTION => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            if !matches!(
                *sig_alg,
                RSA_ENCRYPTION | SHA256_WITH_RSA | SHA384_WITH_RSA | SHA512_WITH_RSA
            ) {
                return Err(bad());
            }
            let key = rsa::RsaPublicKey::from_pkcs1_der(key_bytes)
                .map_err(|_| problem("the signer's RSA key cannot be read"))?;
            let scheme = match hash {
                ID_SHA256 => rsa::Pkcs1v15Sign::new::<sha2_10::Sha256>(),
                ID_SHA384 => rsa::Pkcs1v15Sign::new::<sha2_10::Sha384>(),
                _ => rsa::Pkcs1v15Sign::new::<sha2_10::Sha512>(),
            };
            key.verify(scheme, &hashed, signature).map_err(|_| bad())
        }
        EC_PUBLIC_KEY => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            if !matches!(
                *sig_alg,
                ECDSA_WITH_SHA256 | ECDSA_WITH_SHA384 | ECDSA_WITH_SHA512
            ) {
                return Err(bad());
            }
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok());
            match curve {
                Some(CURVE_P256) => {
                    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                        .map_err(|_| problem("the signer's P-256 key cannot be read"))?;
                    let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| bad())
                }
                Some(CURVE_P384) => {
                    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                        .map_err(|_| problem("the signer's P-384 key cannot be read"))?;
                    let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| bad())
                }
                _ => Err(problem("the signer's elliptic curve is not P-256 or P-384")),
            }
        }
        other => Err(problem(format!(
            "the signer's key type {other} is not one this version checks"
        ))),
    }
}

/// A name as a reader expects it, most specific first (`CN=Test TSA, O=…`, as openssl shows
/// it), not RFC 4514's reversed order.
fn dn(name: &x509_cert::name::Name) -> String {
    name.0
        .iter()
        .map(|rdn| rdn.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn time_of(t: x509_cert::time::Time) -> DateTime<Utc> {
    DateTime::<Utc>::from(t.to_system_time())
}

fn within_validity(cert: &Certificate, at: DateTime<Utc>) -> bool {
    let v = &cert.tbs_certificate.validity;
    time_of(v.not_before) <= at && at <= time_of(v.not_after)
}

fn extension<'a>(cert: &'a Certificate, oid: &Oid) -> Option<&'a x509_cert::ext::Extension> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == *oid)
}

fn is_ca(cert: &Certificate) -> bool {
    extension(cert, &BASIC_CONSTRAINTS)
        .and_then(|e| {
            x509_cert::ext::pkix::BasicConstraints::from_der(e.extn_value.as_bytes()).ok()
        })
        .is_some_and(|b| b.ca)
}

fn verify_cert(cert: &Certificate, issuer: &Certificate) -> Result<(), TokenProblem> {
    let tbs = cert.tbs_certificate.to_der().map_err(der_problem)?;
    let sig = cert
        .signature
        .as_bytes()
        .ok_or_else(|| problem("a certificate's signature is not whole bytes"))?;
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm.oid,
        None,
        &tbs,
        sig,
    )
}

fn tst_info(token: &[u8]) -> Result<(SignedData, OctetString, TstInfo), TokenProblem> {
    let ci = ContentInfo::from_der(token)
        .map_err(|_| problem("the token is not a CMS ContentInfo: it is truncated or damaged"))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(problem("the token is not CMS SignedData"));
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|_| problem("the token's SignedData cannot be read"))?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(problem("the token does not hold a TSTInfo"));
    }
    let tst_der = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| problem("the token holds no TSTInfo"))?
        .decode_as::<OctetString>()
        .map_err(|_| problem("the token's TSTInfo is not an OCTET STRING"))?;
    let tst = TstInfo::from_der(tst_der.as_bytes())
        .map_err(|_| problem("the token's TSTInfo cannot be read"))?;
    Ok((sd, tst_der, tst))
}

/// The hashed message a token names and its nonce (hex), read without checking it: to find
/// the request a reply answers before [`check`] decides.
pub fn imprint_and_nonce(token: &[u8]) -> Result<(Vec<u8>, Option<String>), TokenProblem> {
    let (_, _, tst) = tst_info(token)?;
    Ok((
        tst.message_imprint.hashed_message.as_bytes().to_vec(),
        tst.nonce.as_ref().map(|n| hex::encode(n.as_bytes())),
    ))
}

/// Checks a token (a DER `TimeStampToken`) for the position whose hash is `head`, offline.
pub fn check(token: &[u8], head: &Sha256) -> Result<TokenInfo, TokenProblem> {
    let (sd, tst_der, tst) = tst_info(token)?;

    // What it timestamps.
    let mi = &tst.message_imprint;
    if mi.hash_algorithm.oid != ID_SHA256 {
        return Err(problem(format!(
            "the token timestamps a {} hash, not the SHA-256 entry hash",
            hash_name(&mi.hash_algorithm.oid)
        )));
    }
    if mi.hashed_message.as_bytes() != head.0 {
        return Err(problem(format!(
            "the token is for another hash ({}), not this entry's ({head})",
            hex::encode(mi.hashed_message.as_bytes())
        )));
    }
    let gen_time = DateTime::<Utc>::from(tst.gen_time.to_system_time());

    // Who signed it.
    let signers = sd.signer_infos.0.as_slice();
    let [si] = signers else {
        return Err(problem(format!(
            "the token has {} signers; a timestamp has one",
            signers.len()
        )));
    };
    let certs: Vec<&Certificate> = sd
        .certificates
        .as_ref()
        .map(|c| {
            c.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let signer = certs
        .iter()
        .copied()
        .find(|c| match &si.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                c.tbs_certificate.issuer == ias.issuer
                    && c.tbs_certificate.serial_number == ias.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                extension(c, &Oid::new_unwrap("2.5.29.14")).is_some_and(|e| {
                    x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(e.extn_value.as_bytes())
                        .is_ok_and(|k| k == *ski)
                })
            }
        })
        .ok_or_else(|| {
            problem(
                "the token does not include the TSA's certificate, so it cannot be checked offline",
            )
        })?;
    let signer_der = signer.to_der().map_err(der_problem)?;

    // The signed attributes.
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| problem("the token has no signed attributes"))?;
    let attr = |oid: Oid| attrs.iter().find(|a| a.oid == oid);
    let one_value = |a: &x509_cert::attr::Attribute| -> Option<der::Any> {
        match a.values.as_slice() {
            [v] => Some(v.clone()),
            _ => None,
        }
    };
    let ct = attr(ID_CONTENT_TYPE)
        .and_then(one_value)
        .and_then(|v| v.decode_as::<Oid>().ok());
    if ct != Some(ID_CT_TST_INFO) {
        return Err(problem(
            "the signed content-type attribute is missing or not TSTInfo",
        ));
    }
    let md = attr(ID_MESSAGE_DIGEST)
        .and_then(one_value)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| problem("the signed message-digest attribute is missing"))?;
    let want = digest(&si.digest_alg.oid, tst_der.as_bytes()).ok_or_else(|| {
        problem(format!(
            "the digest algorithm {} is not one this version checks",
            hash_name(&si.digest_alg.oid)
        ))
    })?;
    if md.as_bytes() != want.as_slice() {
        return Err(problem(
            "the signed message digest is not the TSTInfo's: the timestamp's content was changed",
        ));
    }
    let ess_ok = if let Some(a) = attr(ID_SIGNING_CERTIFICATE_V2) {
        let sc = one_value(a)
            .and_then(|v| v.decode_as::<SigningCertificateV2>().ok())
            .ok_or_else(|| problem("the ESS signing-certificate-v2 attribute cannot be read"))?;
        sc.certs.first().is_some_and(|id| {
            let alg = id.hash_algorithm.as_ref().map_or(ID_SHA256, |a| a.oid);
            alg != ID_SHA1
                && digest(&alg, &signer_der).is_some_and(|h| h == id.cert_hash.as_bytes())
        })
    } else if let Some(a) = attr(ID_SIGNING_CERTIFICATE) {
        let sc = one_value(a)
            .and_then(|v| v.decode_as::<SigningCertificate>().ok())
            .ok_or_else(|| problem("the ESS signing-certificate attribute cannot be read"))?;
        sc.certs.first().is_some_and(|id| {
            digest(&ID_SHA1, &signer_der).is_some_and(|h| h == id.cert_hash.as_bytes())
        })
    } else {
        return Err(problem(
            "the token has no ESS signing-certificate attribute naming the TSA's certificate",
        ));
    };
    if !ess_ok {
        return Err(problem(
            "the ESS signing-certificate attribute names another certificate than the one that signed",
        ));
    }
    let signed =
        SetOfVec::<x509_cert::attr::Attribute>::try_from(attrs.iter().cloned().collect::<Vec<_>>())
            .and_then(|s| s.to_der())
            .map_err(der_problem)?;
    verify_signature(
        &signer.tbs_certificate.subject_public_key_info,
        &si.signature_algorithm.oid,
        Some(&si.digest_alg.oid),
        &signed,
        si.signature.as_bytes(),
    )
    .map_err(|e| problem(format!("the TSA's signature: {e}")))?;

    // The signer is a time-stamping authority, valid at genTime.
    let eku = extension(signer, &EXT_KEY_USAGE).ok_or_else(|| {
        problem("the signer's certificate is not for time-stamping (no extended key usage)")
    })?;
    let usages = x509_cert::ext::pkix::ExtendedKeyUsage::from_der(eku.extn_value.as_bytes())
        .map_err(|_| problem("the signer's extended key usage cannot be read"))?;
    if !eku.critical || usages.0 != [KP_TIME_STAMPING] {
        return Err(problem(
            "the signer's certificate is not a time-stamping one (RFC 3161 asks for the one critical usage timeStamping)",
        ));
    }
    if !within_validity(signer, gen_time) {
        return Err(problem(
            "the TSA's certificate was not valid at the token's time",
        ));
    }

    // Its chain, as far as the token includes it. A root's self-signature proves nothing (its
    // trust comes from the reviewer, by its fingerprint), so it is not checked: old roots
    // signed with SHA-1 stay usable. Of several certificates with the issuer's name (a renewed
    // or cross-signed CA), the one whose key signed is the issuer.
    let mut chain = vec![dn(&signer.tbs_certificate.subject)];
    let mut current = signer;
    let mut complete = false;
    let mut missing_issuer = None;
    for _ in 0..8 {
        let tbs = &current.tbs_certificate;
        if tbs.issuer == tbs.subject {
            complete = true;
            break;
        }
        let candidates: Vec<&Certificate> = certs
            .iter()
            .copied()
            .filter(|c| c.tbs_certificate.subject == tbs.issuer && !std::ptr::eq(*c, current))
            .collect();
        if candidates.is_empty() {
            missing_issuer = Some(dn(&tbs.issuer));
            break;
        }
        let mut last_error = None;
        let issuer = candidates
            .into_iter()
            .find(|c| match verify_cert(current, c) {
                Ok(()) => true,
                Err(e) => {
                    last_error = Some(e);
                    false
                }
            });
        let Some(issuer) = issuer else {
            return Err(problem(format!(
                "the certificate of {} is not signed by its issuer {}: {}",
                dn(&tbs.subject),
                dn(&tbs.issuer),
                last_error.map(|e| e.0).unwrap_or_default()
            )));
        };
        if !is_ca(issuer) {
            return Err(problem(format!(
                "{} issued a certificate but is not a certificate authority",
                dn(&issuer.tbs_certificate.subject)
            )));
        }
        if !within_validity(issuer, gen_time) {
            return Err(problem(format!(
                "{} was not valid at the token's time",
                dn(&issuer.tbs_certificate.subject)
            )));
        }
        chain.push(dn(&issuer.tbs_certificate.subject));
        current = issuer;
    }
    // What the reviewer compares with the TSA's published root (`openssl x509 -noout
    // -fingerprint -sha256`): names are the token's own claims, a fingerprint is not.
    let anchor_sha256 = fingerprint_of(current)?;
    Ok(TokenInfo {
        gen_time,
        tsa: chain[0].clone(),
        chain,
        chain_complete: complete,
        missing_issuer,
        anchor_sha256,
        nonce: tst.nonce.as_ref().map(|n| hex::encode(n.as_bytes())),
        serial: hex::encode(tst.serial_number.as_bytes()),
        policy: tst.policy.to_string(),
    })
}

/// A certificate's SHA-256 as openssl prints it (`AB:CD:…`).
fn fingerprint_of(cert: &Certificate) -> Result<String, TokenProblem> {
    use sha2::Digest;
    let der = cert.to_der().map_err(der_problem)?;
    Ok(sha2::Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

/// The hex of an INTEGER nonce as [`request`] writes it, for comparing with [`TokenInfo::nonce`].
pub fn same_nonce(a: &str, b: &str) -> bool {
    a.trim_start_matches("00") == b.trim_start_matches("00")
}

/// The largest reply accepted from a TSA.
pub const MAX_REPLY_BYTES: u64 = 1 << 20;

/// A TSA address as the user gives it: `None` for "" (no TSA), else an http or https URL with
/// no spaces or control characters. The one rule the CLI, the app and [`post`] hold it to.
pub fn tsa_url(text: &str) -> Result<Option<String>, String> {
    let url = text.trim();
    if url.is_empty() {
        return Ok(None);
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!(
            "'{}' is not an http:// or https:// URL; give the TSA's address (e.g. https://freetsa.org/tsr) or \"\" for none",
            url.escape_debug()
        ));
    }
    if url.chars().any(|c| c.is_control() || c == ' ') {
        return Err("the TSA address holds spaces or control characters".into());
    }
    Ok(Some(url.to_owned()))
}

/// POSTs `request` to `url` (`application/timestamp-query`) and returns the reply's bytes: the
/// only network use recourse makes, and only when the user configured a TSA. Only the request
/// (a hash and a nonce) leaves the machine.
pub fn post(url: &str, request: &Request) -> Result<Vec<u8>, TokenProblem> {
    if tsa_url(url).map_err(problem)?.is_none() {
        return Err(problem("no TSA address is set"));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply")
        .send(&request.der[..])
        .map_err(|e| problem(format!("the TSA at {url} could not be reached ({e})")))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(problem(format!("the TSA at {url} answered HTTP {status}")));
    }
    resp.body_mut()
        .with_config()
        .limit(MAX_REPLY_BYTES)
        .read_to_vec()
        .map_err(|e| problem(format!("the TSA's reply could not be read ({e})")))
}

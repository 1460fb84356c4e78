//! The sender key: one Ed25519 key per data directory, made on first use, that signs every
//! packet's manifest. It says who built a packet — the same key as before, or another — never
//! that what the packet says is true.
//!
//! The key lives in `sender.key` in the data directory (PKCS#8 PEM, mode 0600, written once and
//! never replaced: a new key would make every earlier packet look like someone else's). Its
//! **fingerprint** is the first 16 bytes of SHA-256 over the raw 32-byte public key, in upper-case
//! hex, in groups of four joined by `-`: what a reviewer compares with the one the consumer gave
//! them earlier (`openssl pkey -pubin -in sender.pem -outform DER | tail -c 32 | sha256sum`
//! gives the same digits).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::Digest;

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "sender.key";

/// Why the sender key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("cannot use the sender key {path} ({source})")]
    Io {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is there but holds no Ed25519 key.
    #[error(
        "{0} is not an Ed25519 private key (PKCS#8 PEM); restore it from your backup — a new key would make your earlier packets look like someone else's"
    )]
    Damaged(PathBuf),
    /// The system could not give random bytes.
    #[error("the system gave no random bytes for a new key ({0})")]
    Random(String),
}

/// A public sender key as packets carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(pub [u8; 32]);

impl serde::Serialize for PublicKey {
    /// As its fingerprint and base64 key.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PublicKey", 2)?;
        st.serialize_field("fingerprint", &self.fingerprint())?;
        st.serialize_field("public_key", &self.to_base64())?;
        st.end()
    }
}

impl PublicKey {
    /// Standard base64 of the 32 raw bytes (the manifest's `sender.public_key`).
    pub fn to_base64(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// The key from the manifest's base64, when it is 32 bytes that form an Ed25519 point.
    pub fn from_base64(text: &str) -> Option<PublicKey> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?;
        let raw: [u8; 32] = bytes.try_into().ok()?;
        VerifyingKey::from_bytes(&raw).ok()?;
        let key = PublicKey(raw);
        // One text per key: no padding variants or trailing bits.
        (key.to_base64() == text).then_some(key)
    }

    /// The fingerprint (see the module docs).
    pub fn fingerprint(&self) -> String {
        let digest = sha2::Sha256::digest(self.0);
        let hex = hex::encode_upper(&digest[..16]);
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// `sender.pem`: the key as an SPKI PEM, which `openssl pkeyutl -verify -pubin` reads.
    pub fn pem(&self) -> String {
        VerifyingKey::from_bytes(&self.0)
            .ok()
            .and_then(|k| k.to_public_key_pem(LineEnding::LF).ok())
            .unwrap_or_default()
    }

    /// Whether `signature` (64 raw bytes) is this key's over `message` (strict RFC 8032
    /// verification: no malleable signatures, no weak keys).
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(&self.0) else {
            return false;
        };
        let Ok(sig) = Signature::from_slice(signature) else {
            return false;
        };
        key.verify_strict(message, &sig).is_ok() && key.verify(message, &sig).is_ok()
    }
}

/// The data directory's signing key.
pub struct SenderKey {
    key: SigningKey,
}

impl std::fmt::Debug for SenderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SenderKey({})", self.public().fingerprint())
    }
}

impl SenderKey {
    /// The key in `dir`, made (and written with mode 0600) when there is none yet.
    pub fn load_or_create(dir: &Path) -> Result<SenderKey, KeyError> {
        let path = dir.join(KEY_FILE);
        match SenderKey::load(&path)? {
            Some(k) => Ok(k),
            None => SenderKey::create(&path),
        }
    }

    /// The key at `path`, if the file exists.
    pub fn load(path: &Path) -> Result<Option<SenderKey>, KeyError> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(KeyError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let key = SigningKey::from_pkcs8_pem(&text).map_err(|_| KeyError::Damaged(path.into()))?;
        Ok(Some(SenderKey { key }))
    }

    /// A key from 32 secret bytes (tests and known-answer vectors).
    pub fn from_secret(secret: [u8; 32]) -> SenderKey {
        SenderKey {
            key: SigningKey::from_bytes(&secret),
        }
    }

    fn create(path: &Path) -> Result<SenderKey, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| KeyError::Random(e.to_string()))?;
        let key = SenderKey::from_secret(secret);
        // PKCS#8 v1 (RFC 8410's form, without the optional public key), which OpenSSL and
        // every other tool reads: the user can back it up and check a signature by hand.
        let pem = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: key.key.to_bytes(),
            public_key: None,
        }
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Random(e.to_string()))?;
        let io_err = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".sender-")
            .suffix(".key.tmp")
            .tempfile_in(dir)
            .map_err(io_err)?;
        // tempfile creates with mode 0600 on Unix.
        tmp.write_all(pem.as_bytes()).map_err(io_err)?;
        tmp.as_file().sync_all().map_err(io_err)?;
        match crate::osfile::persist(tmp, path, false) {
            Ok(_) => {}
            // Another process made one first: use that one.
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                return SenderKey::load(path)?.ok_or(KeyError::Damaged(path.into()));
            }
            Err(e) => return Err(io_err(e.error)),
        }
        let _ = crate::vault::sync_dir(dir);
        Ok(key)
    }

    /// Its public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.key.verifying_key().to_bytes())
    }

    /// The 64-byte Ed25519 signature of `message` (deterministic, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 section 7.1, test 1: the empty message.
    #[test]
    fn rfc8032_vector_1() {
        let secret: [u8; 32] =
            hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .unwrap()
                .try_into()
                .unwrap();
        let k = SenderKey::from_secret(secret);
        assert_eq!(
            hex::encode(k.public().0),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let sig = k.sign(b"");
        assert_eq!(
            hex::encode(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
        assert!(k.public().verifies(b"", &sig));
        assert!(!k.public().verifies(b"x", &sig));
    }

    #[test]
    fn base64_is_one_text_per_key() {
        let k = SenderKey::from_secret([7; 32]).public();
        assert_eq!(PublicKey::from_base64(&k.to_base64()), Some(k));
        assert_eq!(PublicKey::from_base64("AAAA"), None);
        assert!(k.pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
        let fp = k.fingerprint();
        assert_eq!(fp.len(), 39);
        assert_eq!(fp.matches('-').count(), 7);
    }

    #[cfg(unix)]
    #[test]
    fn made_once_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = SenderKey::load_or_create(dir.path()).unwrap();
        let b = SenderKey::load_or_create(dir.path()).unwrap();
        assert_eq!(a.public(), b.public());
        let mode = fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        assert!(matches!(
            SenderKey::load_or_create(dir.path()),
            Err(KeyError::Damaged(_))
        ));
    }
}

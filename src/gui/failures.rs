//! The failures of the app's background work — adding evidence, building, reviewing and
//! importing packets, timestamps, the data directory — in the UI's language.
//!
//! The core's errors speak English to the command line and often name a command to run; the
//! app says instead what happened and what to do *in the app*, and keeps only what cannot be
//! put into words here (a path, the system's own reason) as the detail.

use std::io;

use super::i18n::{Lang, store_error};
use crate::audio::AudioError;
use crate::datadir::DataDirError;
use crate::evidence::AddError;
use crate::packet::build::PacketError;
use crate::packet::import::ImportError;
use crate::packet::verify::VerifyError;
use crate::proof::key::KeyError;
use crate::proof::stamp::StampError;
use crate::vault::VaultError;

/// The system's reason for a failed read or write, as a Korean reader understands it.
fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "파일이나 폴더가 없음",
        K::PermissionDenied => "권한 없음",
        K::StorageFull => "디스크가 가득 참",
        K::ReadOnlyFilesystem => "읽기 전용 디스크",
        K::AlreadyExists => "이미 있음",
        K::Interrupted => "중단됨",
        K::UnexpectedEof => "파일이 중간에 끝남",
        K::InvalidData => "읽을 수 없는 내용",
        _ => return e.to_string(),
    };
    match e.raw_os_error() {
        Some(code) => format!("{said}, 시스템 오류 {code}"),
        None => said.to_owned(),
    }
}

/// `what` failed, with the system's reason as the detail in the UI's language (the reason's
/// kind, not a temporary file's path the user never chose).
pub fn io_failed(what: &str, e: &io::Error, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{what} (자세한 내용: {})", io_reason(e)),
        Lang::En => format!("{what} ({})", io::Error::from(e.kind())),
    }
}

/// `said` with the sentence saying what became of the work, before any bracketed detail (the
/// detail stays last: it is for whoever helps, not for the reader).
fn with_outcome(said: &str, outcome: &str) -> String {
    let detail = [" (파일:", " (자세한 내용:"]
        .iter()
        .filter_map(|mark| said.find(mark))
        .min();
    match detail {
        Some(at) => format!("{} {outcome}{}", &said[..at], &said[at..]),
        None => format!("{said} {outcome}"),
    }
}

/// Why evidence could not be stored or read back.
pub fn vault_error(e: &VaultError, lang: Lang) -> String {
    use VaultError as V;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        V::NotFound { path } => format!(
            "증거를 추가하지 못했습니다. 그런 파일이 없습니다. 파일이 옮겨졌는지 확인하세요. (파일: {})",
            path.display()
        ),
        V::IsDirectory { path } => format!(
            "증거를 추가하지 못했습니다. 폴더입니다. 폴더 안의 파일들을 고르세요. (파일: {})",
            path.display()
        ),
        V::NotAFile { path } => format!(
            "증거를 추가하지 못했습니다. 보통 파일이 아닙니다(파이프, 장치 등). 먼저 파일로 저장하세요. (파일: {})",
            path.display()
        ),
        V::Read { path, source } => format!(
            "증거를 추가하지 못했습니다. 파일을 읽을 수 없습니다({}). 읽기 권한을 확인하세요. (파일: {})",
            io_reason(source),
            path.display()
        ),
        V::Changed {
            path,
            expected,
            actual,
        } => format!(
            "증거를 추가하지 못했습니다. 읽는 동안 파일이 바뀌었습니다({expected}바이트 → {actual}바이트). 파일에 쓰는 프로그램이 끝난 뒤 다시 추가하세요. (파일: {})",
            path.display()
        ),
        V::DiskFull { path } => format!(
            "증거를 저장하지 못했습니다. 데이터 폴더가 있는 디스크가 가득 찼습니다. 공간을 비운 뒤 다시 추가하세요. (파일: {})",
            path.display()
        ),
        V::Write {
            action,
            path,
            source,
        } => format!(
            "증거를 저장하지 못했습니다({}). 데이터 폴더를 확인하세요. (자세한 내용: {action} {})",
            io_reason(source),
            path.display()
        ),
        V::Unreadable { path, source } => format!(
            "저장된 증거 파일을 읽을 수 없습니다({}). 디스크와 파일 권한을 확인하세요. (파일: {})",
            io_reason(source),
            path.display()
        ),
        V::Cancelled => "취소했습니다. 아무것도 추가하지 않았습니다.".to_owned(),
    }
}

/// Why a recording could not start, be played or be filed, said for the app (its messages
/// for the command line name `--device` and `recourse evidence add`).
pub fn audio_error(e: &AudioError, lang: Lang) -> String {
    use AudioError as A;
    let ko = lang == Lang::Ko;
    match e {
        A::NoDevice {
            wanted,
            available,
            detail,
        } => {
            let mut text = match (wanted, ko) {
                (Some(name), true) => format!("‘{name}’ 마이크를 찾지 못했습니다."),
                (None, true) => "마이크를 찾지 못했습니다.".to_owned(),
                (Some(name), false) => format!("No microphone called “{name}” was found."),
                (None, false) => "No microphone was found.".to_owned(),
            };
            text.push(' ');
            text.push_str(match (available.is_empty(), ko) {
                (true, true) => "마이크를 꽂거나 시스템 소리 설정에서 켠 뒤 다시 하세요. 휴대폰으로 녹음한 파일을 증거로 추가해도 됩니다.",
                (false, true) => "녹음 막대의 장치 목록에서 다른 마이크를 고르거나, 휴대폰으로 녹음한 파일을 증거로 추가하세요.",
                (true, false) => "Plug one in or enable it in the system's sound settings, then try again; or add a recording made on your phone as evidence.",
                (false, false) => "Pick another microphone from the recording bar's list, or add a recording made on your phone as evidence.",
            });
            if let Some(d) = detail {
                text.push_str(&detail_text(d, lang));
            }
            text
        }
        A::Stream { device, detail } if ko => format!(
            "‘{device}’ 마이크가 녹음을 시작하지 않습니다. 이 마이크를 쓰는 다른 프로그램을 닫거나 다른 마이크를 고르세요.{}",
            detail_text(detail, lang)
        ),
        A::Stream { device, detail } => format!(
            "The microphone “{device}” would not start recording. Close other programs using it, or pick another one.{}",
            detail_text(detail, lang)
        ),
        A::Failed(reason) if ko => {
            format!(
                "녹음이나 재생이 되지 않았습니다.{}",
                detail_text(reason, lang)
            )
        }
        A::Failed(reason) => format!(
            "Recording or playback did not work.{}",
            detail_text(reason, lang)
        ),
        A::Io { path, source, .. } if ko => format!(
            "녹음 파일을 쓰거나 읽지 못했습니다({}). 데이터 폴더의 디스크와 권한을 확인하세요. (파일: {})",
            io_reason(source),
            path.display()
        ),
        A::Io { path, source, .. } => format!(
            "Cannot write or read the recording file ({}). Check the data folder's disk and permissions. (file: {})",
            io::Error::from(source.kind()),
            path.display()
        ),
        // The sound is kept: the next start files it.
        A::Add(add) => with_outcome(
            &add_error(add, lang),
            if ko {
                "녹음은 보관되어 있고, 앱을 다시 열면 증거로 들어갑니다."
            } else {
                "The recording is kept and is filed as evidence when the app next starts."
            },
        ),
        A::Store(s) => store_error(s, lang),
    }
}

/// " (자세한 내용: …)" — the system's own words, last.
fn detail_text(detail: &str, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!(" (자세한 내용: {detail})"),
        Lang::En => format!(" (details: {detail})"),
    }
}

/// Why a file did not become evidence.
pub fn add_error(e: &AddError, lang: Lang) -> String {
    match e {
        AddError::Vault(v) => vault_error(v, lang),
        AddError::Store(s) => store_error(s, lang),
    }
}

/// Why the data directory could not be opened.
pub fn data_dir_error(e: &DataDirError, lang: Lang) -> String {
    use DataDirError as D;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        D::Create { path, source } => format!(
            "데이터 폴더를 만들 수 없습니다({}). 폴더의 권한을 확인하세요. (폴더: {})",
            io_reason(source),
            path.display()
        ),
        D::NoDefault => {
            "데이터를 둘 곳을 정할 수 없습니다(홈 폴더가 없음). RECOURSE_DATA_DIR 환경 변수로 폴더를 정하세요.".to_owned()
        }
        D::Store(s) => store_error(s, lang),
        D::Vault(v) => vault_error(v, lang),
    }
}

fn key_error(e: &KeyError) -> String {
    match e {
        KeyError::Io { path, source } => format!(
            "보낸 사람 키를 쓸 수 없습니다({}). (파일: {})",
            io_reason(source),
            path.display()
        ),
        KeyError::Damaged(path) => format!(
            "보낸 사람 키 파일이 손상되었습니다. 백업에서 되살리세요. 새 키를 만들면 예전에 보낸 묶음이 다른 사람의 것처럼 보입니다. (파일: {})",
            path.display()
        ),
        KeyError::Random(reason) => {
            format!("새 키에 쓸 난수를 시스템이 주지 않았습니다. (자세한 내용: {reason})")
        }
    }
}

/// Why no packet was built.
pub fn packet_error(e: &PacketError, lang: Lang) -> String {
    use PacketError as P;
    if lang == Lang::En {
        return e.to_string();
    }
    let said = match e {
        P::Store(s) => store_error(s, lang),
        P::Damaged { label, path } => format!(
            "증거 {label}의 저장된 파일이 기록된 SHA-256과 더 이상 맞지 않습니다. 원본 파일이 있으면 증거로 다시 추가하세요. 같은 파일이면 저장된 사본이 고쳐집니다. 원본이 없으면 데이터 폴더를 백업에서 되살리세요. (파일: {path})"
        ),
        P::Exists(path) => format!(
            "같은 이름의 묶음이 이미 있습니다. 잠시 뒤 다시 만드세요. (파일: {})",
            path.display()
        ),
        P::Io { path, source } => format!(
            "묶음 파일을 쓸 수 없습니다({}). 디스크 공간과 권한을 확인하세요. (파일: {})",
            io_reason(source),
            path.display()
        ),
        P::Cancelled => "취소했습니다.".to_owned(),
        P::Key(k) => key_error(k),
        P::Chain(reason) => format!(
            "이 사건의 기록(원장)을 다시 읽을 수 없습니다. 데이터 폴더의 백업을 확인하세요. (자세한 내용: {reason})"
        ),
        P::BuiltBeforeLastChange(when) => format!(
            "묶음 시각이 사건의 마지막 변경({when})보다 앞섭니다. 컴퓨터의 시계를 확인하세요."
        ),
        P::RedactionUnavailable(seq) => format!(
            "신청인의 전화번호, 이메일, 주소를 가릴 수 없습니다. 기록 {seq}번이 그 내용을 해시된 본문에 담고 있어(recourse 0.1에서 쓴 기록), 빼면 검토자가 확인하는 체인이 깨집니다. 가리지 않고 만들거나, 그 정보를 봐도 되는 사람에게만 보내세요."
        ),
    };
    with_outcome(&said, "묶음은 만들지 않았습니다.")
}

/// Why a packet could not be opened for review.
pub fn verify_error(e: &VerifyError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        // Its detail names a command line to run; the sentence says all a reader can do.
        VerifyError::Unreadable(_) => {
            "묶음을 읽을 수 없습니다. recourse가 만든 ZIP 파일인지, 끝까지 받아졌는지 확인하세요."
                .to_owned()
        }
        VerifyError::Hostile(detail) => format!(
            "이 파일은 읽는 사람을 해치거나 속이도록 만들어진 것으로 보여 열지 않았습니다. 보낸 사람에게 새 사본을 요청하세요. (자세한 내용: {detail})"
        ),
    }
}

/// Why a packet's case was not imported (nothing was changed).
pub fn import_error(e: &ImportError, lang: Lang) -> String {
    use ImportError as I;
    if lang == Lang::En {
        return e.to_string();
    }
    let said = match e {
        I::Verify(v) => verify_error(v, lang),
        I::NotIntact(detail) => format!(
            "묶음이 온전하지 않습니다. 보낸 사람에게 새 사본을 요청하세요. (자세한 내용: {detail})"
        ),
        I::Redacted => "가린 묶음입니다. 신청인의 전화번호, 이메일, 주소가 빠져 있어 사건을 온전히 되살릴 수 없습니다. 가리지 않은 묶음을 요청하세요.".to_owned(),
        I::ControlCharacter(at) => format!(
            "묶음의 사건에 제어 문자가 들어 있습니다. 보낸 사람에게 고쳐 달라고 하세요. (자세한 내용: {at})"
        ),
        I::OldFormat => "형식 1(recourse 0.1)의 묶음이라 가져오지 않습니다. 그 형식은 모든 파일을 기록에 묶어 확인하지 못합니다. 보낸 사람에게 이 버전으로 다시 만들어 달라고 하세요. 검토(열어 보기)는 됩니다.".to_owned(),
        I::AlreadyHere(id) => format!("이 사건은 이미 사건 {}(으)로 있습니다(같은 식별자).", id.0),
        I::Ledger(detail) => format!(
            "묶음의 기록을 다시 재생할 수 없습니다. (자세한 내용: {detail})"
        ),
        I::Store(s) => store_error(s, lang),
        I::Vault(v) => vault_error(v, lang),
        I::Io(detail) => format!("묶음을 읽거나 임시 파일을 쓰지 못했습니다. (자세한 내용: {detail})"),
    };
    with_outcome(&said, "아무것도 가져오지 않았습니다.")
}

/// Why no timestamp was recorded.
pub fn stamp_error(e: &StampError, lang: Lang) -> String {
    use StampError as S;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        S::NoTsa => "시각 인증 기관(TSA)이 정해지지 않았습니다. 위의 TSA 주소 칸에 주소를 넣으세요. 해시만 보내고, 정하기 전에는 어디에도 연결하지 않습니다.".to_owned(),
        S::Empty(_) => "이 사건에는 아직 인증할 기록이 없습니다.".to_owned(),
        S::Store(s) => store_error(s, lang),
        S::Token(detail) => format!(
            "시각 인증을 받지 못했습니다. 인터넷 연결과 TSA 주소를 확인하세요. 아무것도 기록하지 않았습니다. (자세한 내용: {detail})"
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::store::StoreError;

    /// Latin words outside the detail in brackets and the names a Korean text keeps.
    fn english_outside_detail(text: &str) -> Vec<String> {
        let said = text.split("(자세한 내용:").next().unwrap_or(text);
        let path = PathBuf::from("/data/vault/ab/cdef");
        let said = said.replace(&path.display().to_string(), "");
        said.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 3)
            .filter(|w| {
                ![
                    "SHA", "ZIP", "TSA", "RECOURSE", "DATA", "DIR", "recourse", "sqlite",
                ]
                .contains(w)
            })
            .map(str::to_owned)
            .collect()
    }

    fn io(kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, "some English reason")
    }

    #[test]
    fn every_background_failure_is_said_in_korean_without_a_command_to_run() {
        let p = || PathBuf::from("/data/vault/ab/cdef");
        let vault = || {
            vec![
                VaultError::NotFound { path: p() },
                VaultError::IsDirectory { path: p() },
                VaultError::NotAFile { path: p() },
                VaultError::Read {
                    path: p(),
                    source: io(io::ErrorKind::PermissionDenied),
                },
                VaultError::Changed {
                    path: p(),
                    expected: 10,
                    actual: 12,
                },
                VaultError::DiskFull { path: p() },
                VaultError::Write {
                    action: "rename",
                    path: p(),
                    source: io(io::ErrorKind::NotFound),
                },
                VaultError::Unreadable {
                    path: p(),
                    source: io(io::ErrorKind::InvalidData),
                },
                VaultError::Cancelled,
            ]
        };
        let mut texts: Vec<(String, String)> = Vec::new();
        for v in vault() {
            texts.push((v.to_string(), vault_error(&v, Lang::Ko)));
            let a = AddError::Vault(v);
            texts.push((a.to_string(), add_error(&a, Lang::Ko)));
        }
        for v in vault() {
            let i = ImportError::Vault(v);
            texts.push((i.to_string(), import_error(&i, Lang::Ko)));
        }
        let packets = vec![
            PacketError::Damaged {
                label: "E003".into(),
                path: "/data/vault/ab/cdef".into(),
            },
            PacketError::Exists(p()),
            PacketError::Io {
                path: p(),
                source: io(io::ErrorKind::StorageFull),
            },
            PacketError::Cancelled,
            PacketError::Key(KeyError::Damaged(p())),
            PacketError::Key(KeyError::Io {
                path: p(),
                source: io(io::ErrorKind::PermissionDenied),
            }),
            PacketError::BuiltBeforeLastChange("2026-11-20".into()),
            PacketError::RedactionUnavailable(4),
            PacketError::Store(StoreError::NotFound {
                what: "case",
                id: 3,
                hint: "list them with `recourse case list`",
            }),
            PacketError::Store(StoreError::TooNew {
                found: 9,
                supported: 8,
                path: p(),
            }),
            PacketError::Store(StoreError::NotOurs {
                found: 3,
                path: p(),
            }),
            PacketError::Store(StoreError::Corrupt {
                what: "contact",
                id: 4,
                reason: "bad JSON".into(),
            }),
        ];
        for e in packets {
            texts.push((e.to_string(), packet_error(&e, Lang::Ko)));
        }
        let imports = vec![
            ImportError::Verify(VerifyError::Unreadable("not a ZIP archive".into())),
            ImportError::Verify(VerifyError::Hostile("an entry named ../x".into())),
            ImportError::NotIntact("manifest.json differs".into()),
            ImportError::Redacted,
            ImportError::ControlCharacter("case.title".into()),
            ImportError::OldFormat,
            ImportError::AlreadyHere(crate::model::CaseId(2)),
            ImportError::Ledger("entry 3".into()),
            ImportError::Io("disk".into()),
        ];
        for e in imports {
            texts.push((e.to_string(), import_error(&e, Lang::Ko)));
        }
        for e in [
            StampError::NoTsa,
            StampError::Empty(1),
            StampError::Token("connection refused".into()),
        ] {
            texts.push((e.to_string(), stamp_error(&e, Lang::Ko)));
        }
        for e in [
            DataDirError::NoDefault,
            DataDirError::Create {
                path: p(),
                source: io(io::ErrorKind::PermissionDenied),
            },
        ] {
            texts.push((e.to_string(), data_dir_error(&e, Lang::Ko)));
        }
        for (en, ko) in &texts {
            assert!(
                english_outside_detail(ko).is_empty(),
                "English in {ko:?}: {:?}",
                english_outside_detail(ko)
            );
            assert!(
                !ko.contains('`') && !ko.contains("--"),
                "a command to run in {ko:?}"
            );
            assert!(ko.chars().any(|c| ('가'..='힣').contains(&c)), "{ko:?}");
            assert_ne!(en, ko);
            if let Some(at) = ko.find("(자세한 내용:") {
                let after = &ko[at + "(자세한 내용:".len()..];
                assert!(
                    !after.chars().any(|c| ('가'..='힣').contains(&c)),
                    "the detail comes last: {ko:?}"
                );
            }
        }
    }

    #[test]
    fn the_english_ui_keeps_the_core_s_words() {
        let e = ImportError::Redacted;
        assert_eq!(import_error(&e, Lang::En), e.to_string());
        let e = PacketError::Cancelled;
        assert_eq!(packet_error(&e, Lang::En), e.to_string());
    }

    #[test]
    fn a_system_reason_is_said_in_korean_with_its_code() {
        // Access denied: EACCES on Unix, ERROR_ACCESS_DENIED on Windows.
        let code = if cfg!(windows) { 5 } else { 13 };
        let e = io::Error::from_raw_os_error(code);
        assert_eq!(io_reason(&e), format!("권한 없음, 시스템 오류 {code}"));
    }
}

//! The names people read for the core's vocabularies, in Korean and English: shared by the app,
//! the packet's report and anything else that shows a case to a person.

use serde::{Deserialize, Serialize};

use crate::model::{
    Assessment, CaseStatus, Category, Channel, Direction, EvidenceKind, Outcome, PaymentMethod,
    Problem, PromiseStatus, Question, Tier,
};

/// A language people read recourse in: the app's, the CLI's (`--lang`) and a packet's report
/// (its manifest says `"ko"` or `"en"`). One type for all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
pub enum Lang {
    /// 한국어 (the default: Korean e-commerce first).
    #[default]
    #[serde(rename = "ko")]
    Ko,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Fills `{}` placeholders in order.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(values.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

/// Names of the core's vocabularies in a language.
pub trait Named {
    /// The name shown to people.
    fn name(self, lang: Lang) -> &'static str;
}

macro_rules! named {
    ($ty:ty { $($variant:ident => $ko:literal, $en:literal;)+ }) => {
        impl Named for $ty {
            fn name(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((<$ty>::$variant, Lang::Ko) => $ko, (<$ty>::$variant, Lang::En) => $en,)+
                }
            }
        }
    };
}

named!(CaseStatus {
    Open => "진행 중", "open";
    Waiting => "답변 대기", "waiting";
    Escalated => "상위 단계", "escalated";
    Resolved => "해결", "resolved";
    Abandoned => "포기", "abandoned";
});

named!(Category {
    DeliveryDelay => "배송 지연", "delivery delay";
    Defect => "불량·하자", "defect";
    Refund => "반품·환불", "return / refund";
    Exchange => "교환", "exchange";
    Cancellation => "주문 취소", "cancellation";
    Payment => "결제", "payment";
    OutOfStock => "품절", "out of stock";
    Compensation => "보상·포인트", "compensation";
    Other => "기타", "other";
});

named!(Problem {
    NotAsAdvertised => "표시·광고와 다름", "not as advertised";
    Damaged => "파손·불량", "damaged or faulty";
    WrongItem => "다른 상품이 옴", "wrong item";
    NotDelivered => "배송되지 않음", "not delivered";
    OutOfStock => "품절로 공급 불가", "cannot be supplied";
    RefundLate => "환불 지연·거부", "refund late or refused";
    ChangedMind => "단순 변심", "changed my mind";
});

named!(PaymentMethod {
    CreditCard => "신용카드", "credit card";
    DebitCard => "체크카드", "debit card";
    BankTransfer => "계좌이체·무통장 입금", "bank transfer";
    EasyPay => "간편결제", "easy pay";
    Phone => "휴대폰 결제", "phone bill";
    PayLater => "후불(받은 뒤 결제)", "pay later (on delivery)";
});

named!(Tier {
    FirstLine => "1차 상담", "first line";
    Supervisor => "상급자", "supervisor";
    Complaints => "민원실", "complaints";
    External => "외부 기관", "external body";
});

named!(Channel {
    Phone => "전화", "phone";
    Chat => "채팅", "chat";
    Email => "이메일", "email";
    App => "앱 문의", "in-app";
    Sms => "문자·메신저", "SMS / messenger";
    InPerson => "방문", "in person";
});

named!(Direction {
    Outgoing => "내가 연락", "I contacted them";
    Incoming => "회사가 연락", "they contacted me";
});

named!(Outcome {
    Unresolved => "미해결", "unresolved";
    PromisedFollowUp => "후속 연락 약속", "follow-up promised";
    Resolved => "해결", "resolved";
});

named!(Assessment {
    Clear => "분명함", "clear";
    Vague => "모호함", "vague";
    Refused => "답변 거부", "refused";
    NotAsked => "안 물어봄", "didn't ask";
});

named!(crate::letters::Kind {
    Complaints => "회사 민원실에 보내는 글", "To the company's complaints department";
    ConsumerAgency => "1372 소비자상담센터·한국소비자원 피해구제 신청", "To the 1372 centre and the Korea Consumer Agency";
    Mediation => "전자문서·전자거래분쟁조정위원회 조정 신청", "Mediation application (e-commerce dispute committee)";
    CardIssuer => "카드사에 보내는 할부 항변 통지서", "Card-installment defence notice to the card company";
    Withdrawal => "판매자에게 보내는 청약철회 통지서", "Written withdrawal to the seller";
    KcaForm => "1372 온라인 상담 신청서 항목", "The 1372 online form's fields";
});

named!(PromiseStatus {
    Pending => "대기", "pending";
    Kept => "지킴", "kept";
    Broken => "안 지킴", "broken";
    Withdrawn => "철회", "withdrawn";
});

named!(EvidenceKind {
    Screenshot => "화면 캡처", "screenshot";
    Photo => "사진", "photo";
    Recording => "녹음", "recording";
    Document => "문서", "document";
    Email => "이메일", "email";
    Chat => "대화 기록", "chat log";
    Other => "기타", "other";
});

named!(crate::model::EvidenceSource {
    FileImport => "파일에서 가져옴", "chosen from a file";
    DragDrop => "창에 끌어다 놓음", "dropped on the window";
    Clipboard => "클립보드에서 붙여 넣음", "pasted from the clipboard";
    ScreenCapture => "이 앱으로 화면 캡처", "captured by this app";
    Recording => "이 앱으로 녹음", "recorded by this app";
});

/// The five questions: the question, and a line to say it with.
pub fn question(q: Question, lang: Lang) -> (&'static str, &'static str) {
    match (q, lang) {
        (Question::Scope, Lang::Ko) => (
            "범위 — 정확히 무엇을 확인하나요?",
            "“정확히 어떤 내용을 확인하시는 건지 말씀해 주시겠어요?”",
        ),
        (Question::Scope, Lang::En) => (
            "Scope — what exactly will be checked?",
            "“What exactly are you going to check?”",
        ),
        (Question::Method, Lang::Ko) => (
            "방법 — 어떤 경로로, 어느 부서에 확인하나요?",
            "“판매자에게 전화로 하시나요, 메일로 하시나요? 내부라면 어느 부서인가요?”",
        ),
        (Question::Method, Lang::En) => (
            "Method — through which channel, which department?",
            "“Will you phone or email the seller? If it's internal, which department by name?”",
        ),
        (Question::Resolution, Lang::Ko) => (
            "해결 — 예상대로 확인되면 제 문제가 해결되나요?",
            "“확인 결과가 예상대로 나오면, 그걸로 제 문제가 해결되는 건가요?”",
        ),
        (Question::Resolution, Lang::En) => (
            "Resolution — if it checks out, is my problem solved?",
            "“If the check comes out as expected, does that actually solve my problem?”",
        ),
        (Question::Authority, Lang::Ko) => (
            "권한 — 그때 직접 해결해 줄 권한이 있나요?",
            "“그렇게 되면 상담원님께서 직접 처리해 주실 권한이 있으신가요?”",
        ),
        (Question::Authority, Lang::En) => (
            "Authority — can you resolve it yourself then?",
            "“When that happens, do you yourself have the authority to resolve it?”",
        ),
        (Question::Continuity, Lang::Ko) => (
            "연속성 — 답이 오면 같은 분과 다시 연결되나요?",
            "“결과가 나오면 다시 상담원님과 연결될 수 있나요? 직통 번호나 내선이 있나요?”",
        ),
        (Question::Continuity, Lang::En) => (
            "Continuity — can I reach you again when the reply comes?",
            "“When the answer comes, can I be put through to you again? Is there a direct line or extension?”",
        ),
    }
}

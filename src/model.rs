//! The domain: cases, contacts, promises and evidence, and the closed vocabularies they use.
//!
//! Every enum here has one stable lower-case text code (`first-line`, `not-asked`, …). That code
//! is what the database stores, what the command line accepts, what `--json` prints and what the
//! ledger hashes, so renaming a code is a format change: add a new one instead.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::vault::Sha256;

/// A closed vocabulary with one stable text code per value.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in the order a user would list them.
    const ALL: &'static [Self];
    /// The stable text code.
    fn code(self) -> &'static str;
    /// The codes of every value, for help texts and error messages.
    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.code()).collect()
    }
}

/// The error for a text that is not one of a vocabulary's codes.
#[derive(Debug, Clone, thiserror::Error)]
#[error("'{given}' is not a known {what}; use one of: {expected}")]
pub struct UnknownCode {
    /// What the vocabulary is called ("channel", "tier", …).
    pub what: &'static str,
    /// The text that was given.
    pub given: String,
    /// The accepted codes, comma-separated.
    pub expected: String,
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(Self::$variant),)+
                    _ => Err(UnknownCode {
                        what: $what,
                        given: s.to_owned(),
                        expected: Self::codes().join(", "),
                    }),
                }
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value.as_str()?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

code_enum!(
    /// Where a case stands.
    CaseStatus, "case status" {
        /// Being worked on.
        Open = "open",
        /// Waiting for the company to keep a promise.
        Waiting = "waiting",
        /// Taken past the first line (supervisor, complaints or an outside body).
        Escalated = "escalated",
        /// The consumer got what they needed.
        Resolved = "resolved",
        /// The consumer stopped pursuing it.
        Abandoned = "abandoned",
    }
);

code_enum!(
    /// What the dispute is about.
    Category, "category" {
        /// The goods did not arrive on time.
        DeliveryDelay = "delivery-delay",
        /// The goods are broken or not as described.
        Defect = "defect",
        /// A return or refund is refused or late.
        Refund = "refund",
        /// An exchange is refused or late.
        Exchange = "exchange",
        /// An order cancellation is refused or late.
        Cancellation = "cancellation",
        /// A wrong or double charge.
        Payment = "payment",
        /// The seller cancelled for lack of stock.
        OutOfStock = "out-of-stock",
        /// Compensation, points or coupons promised and not given.
        Compensation = "compensation",
        /// Anything else.
        Other = "other",
    }
);

code_enum!(
    /// What went wrong, as facts (a case may record several): the legal rules that apply follow
    /// these, not the one category (a wrong item filed as an exchange still has the 3-month
    /// window of art. 17(3)).
    Problem, "problem" {
        /// The goods differ from what the product page or advertisement said.
        NotAsAdvertised = "not-as-advertised",
        /// The goods arrived broken, faulty or damaged.
        Damaged = "damaged",
        /// Another item, size, colour or quantity came than was ordered.
        WrongItem = "wrong-item",
        /// The goods have not arrived (or came late).
        NotDelivered = "not-delivered",
        /// The seller said it cannot supply them (out of stock, discontinued).
        OutOfStock = "out-of-stock",
        /// A refund is late or refused.
        RefundLate = "refund-late",
        /// The consumer changed their mind (a withdrawal needs no reason within 7 days).
        ChangedMind = "changed-mind",
    }
);

impl Problem {
    /// The problems a category implies when the case records none: `defect` is goods not as
    /// contracted, `delivery-delay` goods not delivered, `out-of-stock` goods that cannot be
    /// supplied.
    pub fn implied_by(category: Category) -> &'static [Problem] {
        match category {
            Category::Defect => &[Problem::Damaged],
            Category::DeliveryDelay => &[Problem::NotDelivered],
            Category::OutOfStock => &[Problem::OutOfStock],
            _ => &[],
        }
    }
}

code_enum!(
    /// How the order was paid.
    PaymentMethod, "payment method" {
        /// A credit card, paid in full or in installments (the installments field says).
        CreditCard = "credit-card",
        /// A debit or check card (체크카드): never installments.
        DebitCard = "debit-card",
        /// A bank transfer or virtual account (무통장 입금).
        BankTransfer = "bank-transfer",
        /// An easy-pay service (Naver Pay, Kakao Pay, Toss …) or points.
        EasyPay = "easy-pay",
        /// Charged to a mobile phone bill.
        Phone = "phone-bill",
        /// Paid only on or after delivery (후불, 착불): not a prepaid order.
        PayLater = "pay-later",
    }
);

code_enum!(
    /// The rung of the escalation ladder a contact reached.
    Tier, "tier" {
        /// The service center's first-line agents.
        FirstLine = "first-line",
        /// A supervisor or team lead at the service center.
        Supervisor = "supervisor",
        /// The company's complaints department.
        Complaints = "complaints",
        /// A body outside the company: consumer agency, mediation, card issuer, court.
        External = "external",
    }
);

code_enum!(
    /// How a contact happened.
    Channel, "channel" {
        /// A phone call.
        Phone = "phone",
        /// A live chat.
        Chat = "chat",
        /// An email.
        Email = "email",
        /// The in-app help center or inquiry form.
        App = "app",
        /// SMS, KakaoTalk or another messenger.
        Sms = "sms",
        /// Face to face.
        InPerson = "in-person",
    }
);

code_enum!(
    /// Who started a contact.
    Direction, "direction" {
        /// The consumer called or wrote.
        Outgoing = "outgoing",
        /// The company called or wrote.
        Incoming = "incoming",
    }
);

code_enum!(
    /// How a contact ended.
    Outcome, "outcome" {
        /// Nothing was settled.
        Unresolved = "unresolved",
        /// The company promised to come back.
        PromisedFollowUp = "promised-follow-up",
        /// The problem was solved.
        Resolved = "resolved",
    }
);

code_enum!(
    /// How an answer to one of the five verification questions sounded.
    Assessment, "assessment" {
        /// A specific, checkable answer.
        Clear = "clear",
        /// An answer that commits to nothing.
        Vague = "vague",
        /// The agent would not answer.
        Refused = "refused",
        /// The question was not asked.
        NotAsked = "not-asked",
    }
);

code_enum!(
    /// Where a promise stands.
    PromiseStatus, "promise status" {
        /// Not yet due, or due and not yet judged.
        Pending = "pending",
        /// The company did what it said.
        Kept = "kept",
        /// The company did not.
        Broken = "broken",
        /// The company took it back, or it no longer matters.
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// What a piece of evidence is.
    EvidenceKind, "evidence kind" {
        /// A capture of a screen: an order page, a chat, an app message.
        Screenshot = "screenshot",
        /// A camera photo, e.g. of the product.
        Photo = "photo",
        /// An audio recording of a call.
        Recording = "recording",
        /// A PDF, receipt, invoice or other document.
        Document = "document",
        /// An email message.
        Email = "email",
        /// An exported chat log.
        Chat = "chat",
        /// Anything else.
        Other = "other",
    }
);

code_enum!(
    /// How a piece of evidence came in.
    EvidenceSource, "evidence source" {
        /// Chosen from a file (command line or file dialog).
        FileImport = "file-import",
        /// Dropped onto the window.
        DragDrop = "drag-drop",
        /// Pasted from the clipboard.
        Clipboard = "clipboard",
        /// Captured by the app from the screen.
        ScreenCapture = "screen-capture",
        /// Recorded by the app.
        Recording = "recording",
    }
);

code_enum!(
    /// Whose consent the law where the user lives asks for before a call is recorded.
    #[derive(Default)]
    RecordingConsent, "recording consent rule" {
        /// A participant may record their own call (Korea, most of the US, the UK): the app
        /// reminds the user to announce it, because an announced recording makes evasive
        /// answers harder.
        #[default]
        OneParty = "one-party",
        /// Every party must agree (e.g. California, Germany): the app refuses to record until
        /// the user confirms the agent was told.
        AllParty = "all-party",
    }
);

code_enum!(
    /// Whom an escalation packet is for: which cover letter and which fields come first.
    #[derive(Default)]
    Recipient, "packet recipient" {
        /// The company's complaints department (민원실).
        #[default]
        Complaints = "complaints",
        /// The Korea Consumer Agency's damage relief (1372 / 한국소비자원).
        ConsumerAgency = "consumer-agency",
        /// E-commerce dispute mediation (전자거래분쟁조정위원회).
        Mediation = "mediation",
    }
);

/// The five verification questions to ask when an agent promises a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Question {
    /// What exactly will be checked?
    Scope,
    /// How, through which channel or which department by name?
    Method,
    /// If the check comes out as expected, does that resolve the problem?
    Resolution,
    /// Does the agent have the authority to resolve it then?
    Authority,
    /// When the reply comes, can the consumer be connected back to the same agent?
    Continuity,
}

impl Question {
    /// The five, in the order they are asked.
    pub const ALL: [Question; 5] = [
        Question::Scope,
        Question::Method,
        Question::Resolution,
        Question::Authority,
        Question::Continuity,
    ];

    /// The stable text code, also the JSON key and the CLI flag name.
    pub fn code(self) -> &'static str {
        match self {
            Question::Scope => "scope",
            Question::Method => "method",
            Question::Resolution => "resolution",
            Question::Authority => "authority",
            Question::Continuity => "continuity",
        }
    }
}

/// One answer to a verification question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// What the agent said, in their words (empty when not asked).
    pub said: String,
    /// How the answer sounded.
    pub assessment: Assessment,
}

impl Default for Answer {
    fn default() -> Self {
        Answer {
            said: String::new(),
            assessment: Assessment::NotAsked,
        }
    }
}

/// The answers to the five questions, in question order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveAnswers {
    /// What exactly will be checked.
    pub scope: Answer,
    /// Through which channel or department.
    pub method: Answer,
    /// Whether the expected result resolves the problem.
    pub resolution: Answer,
    /// Whether the agent can resolve it.
    pub authority: Answer,
    /// Whether the consumer can be connected back.
    pub continuity: Answer,
}

impl FiveAnswers {
    /// The answer to one question.
    pub fn get(&self, q: Question) -> &Answer {
        match q {
            Question::Scope => &self.scope,
            Question::Method => &self.method,
            Question::Resolution => &self.resolution,
            Question::Authority => &self.authority,
            Question::Continuity => &self.continuity,
        }
    }

    /// The answer to one question, to change it.
    pub fn get_mut(&mut self, q: Question) -> &mut Answer {
        match q {
            Question::Scope => &mut self.scope,
            Question::Method => &mut self.method,
            Question::Resolution => &mut self.resolution,
            Question::Authority => &mut self.authority,
            Question::Continuity => &mut self.continuity,
        }
    }

    /// How many answers were vague or refused.
    pub fn evasive_count(&self) -> usize {
        Question::ALL
            .iter()
            .filter(|q| {
                matches!(
                    self.get(**q).assessment,
                    Assessment::Vague | Assessment::Refused
                )
            })
            .count()
    }

    /// Whether the promise looks like a delay rather than a plan: two or more evasive answers,
    /// or no clear answer on whether it resolves the problem or whether the agent can act.
    pub fn looks_like_stalling(&self) -> bool {
        self.evasive_count() >= 2
            || self.resolution.assessment != Assessment::Clear
            || self.authority.assessment != Assessment::Clear
    }
}

/// Newtype ids, so a contact id cannot be passed where a case id is meant.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value.as_i64().map($name)
            }
        }
    };
}

id_type!(
    /// A case's row id.
    CaseId
);
id_type!(
    /// A contact's row id.
    ContactId
);
id_type!(
    /// A promise's row id.
    PromiseId
);
id_type!(
    /// An evidence row's id (global; users see the per-case number `E001` instead).
    EvidenceId
);

/// The person the case is for. Every field is optional; a packet can redact phone, email and
/// address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claimant {
    /// Full name.
    pub name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// The calendar dates of an order that legal deadlines count from. Dates, not instants: the
/// law counts days as the consumer lived them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDates {
    /// When the order was placed.
    pub ordered: Option<NaiveDate>,
    /// When it was paid.
    pub paid: Option<NaiveDate>,
    /// When the goods arrived.
    pub delivered: Option<NaiveDate>,
    /// When the consumer sent the goods back.
    pub return_sent: Option<NaiveDate>,
    /// When the seller received them back.
    pub return_received: Option<NaiveDate>,
    /// When the consumer found the problem (e.g. that the goods differ from the advertisement).
    /// Absent from records written before it existed, so their ledger hashes still hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noticed: Option<NaiveDate>,
    /// When the refund was received (absent from older records, like `noticed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded: Option<NaiveDate>,
    /// When the seller shipped the goods (art. 15(1) is a duty to dispatch, not to deliver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped: Option<NaiveDate>,
    /// A supply date agreed with the seller (a pre-order, made to order): it replaces the
    /// statutory shipping deadline of art. 15(1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_agreed: Option<NaiveDate>,
}

/// The editable facts of a case (everything but ids and bookkeeping times).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFields {
    /// A short title the consumer recognises ("Late delivery of the air purifier").
    pub title: String,
    /// The company the dispute is with.
    pub company: String,
    /// A phone number, email or web form of the company.
    pub company_contact: Option<String>,
    /// The company's postal address.
    pub company_address: Option<String>,
    /// The mall or platform (Coupang, Naver Smart Store, 11st, …).
    pub platform: Option<String>,
    /// The seller, when it is not the platform itself.
    pub seller: Option<String>,
    /// The order number.
    pub order_number: Option<String>,
    /// What was bought.
    pub product: Option<String>,
    /// What was paid.
    pub amount: Option<Money>,
    /// The order's dates.
    pub dates: OrderDates,
    /// What the dispute is about.
    pub category: Category,
    /// What the consumer wants (refund, exchange, compensation, an apology, a fix).
    pub wants: Option<String>,
    /// Where the case stands.
    pub status: CaseStatus,
    /// The person the case is for.
    pub claimant: Claimant,
    /// What went wrong (none recorded: what the category implies, see [`Problem::implied_by`]).
    /// Always written, so that an edit back to none is on record.
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// How it was paid, if known.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Into how many installments a card payment was split (1: paid in full), if known.
    #[serde(default)]
    pub installments: Option<u32>,
}

impl CaseFields {
    /// What went wrong: the recorded problems, or what the category implies.
    pub fn facts(&self) -> Vec<Problem> {
        if self.problems.is_empty() {
            Problem::implied_by(self.category).to_vec()
        } else {
            self.problems.clone()
        }
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Row id, local to this data directory.
    pub id: CaseId,
    /// A random identifier that stays with the case across packets and imports; the ledger
    /// chain is bound to it.
    pub uid: String,
    /// The facts.
    #[serde(flatten)]
    pub fields: CaseFields,
    /// When the case was opened.
    pub created_at: DateTime<Utc>,
    /// When a field was last changed, if ever.
    pub edited_at: Option<DateTime<Utc>>,
}

/// The editable facts of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFields {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended, if known.
    pub ended_at: Option<DateTime<Utc>>,
    /// How.
    pub channel: Channel,
    /// Who started it.
    pub direction: Direction,
    /// The rung reached.
    pub tier: Tier,
    /// The agent's name as given.
    pub agent_name: Option<String>,
    /// The agent's employee or badge id.
    pub agent_id: Option<String>,
    /// A ticket, inquiry or reference number.
    pub reference: Option<String>,
    /// What happened, in the consumer's words.
    pub summary: String,
    /// What the company claimed (e.g. whose fault it was).
    pub claimed: Option<String>,
    /// What the company offered.
    pub offered: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Whether the consumer told the agent the call was being recorded.
    pub recording_announced: bool,
}

/// A record taken back by the consumer ("logged by mistake"). It stays in the database and the
/// ledger, marked, so the history is never rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    /// When it was retracted.
    pub at: DateTime<Utc>,
    /// Why, in the consumer's words.
    pub reason: String,
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Row id.
    pub id: ContactId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// The facts.
    #[serde(flatten)]
    pub fields: ContactFields,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    /// When it was last edited, if ever.
    pub edited_at: Option<DateTime<Utc>>,
    /// Set when the consumer took it back.
    pub retracted: Option<Retraction>,
}

/// The editable facts of a promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseFields {
    /// The contact in which it was made.
    pub contact_id: ContactId,
    /// Who promised (agent name), if known.
    pub promised_by: Option<String>,
    /// What was promised ("will check with the seller and text you").
    pub what: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The five verification questions and their answers.
    pub answers: FiveAnswers,
}

/// A promise as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// Row id.
    pub id: PromiseId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// The facts.
    #[serde(flatten)]
    pub fields: PromiseFields,
    /// Where it stands.
    pub status: PromiseStatus,
    /// When it was ended (kept, broken, withdrawn).
    pub ended_at: Option<DateTime<Utc>>,
    /// How it ended, in the consumer's words.
    pub end_note: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was last edited, if ever.
    pub edited_at: Option<DateTime<Utc>>,
}

impl Promise {
    /// Whether it is still pending past its due time.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status == PromiseStatus::Pending && self.fields.due_at < now
    }
}

/// What is known about a file when it becomes evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFields {
    /// The contact it belongs to, if any.
    pub contact_id: Option<ContactId>,
    /// What it is.
    pub kind: EvidenceKind,
    /// The file's SHA-256, which is also its name in the vault.
    pub sha256: Sha256,
    /// Its size.
    pub size_bytes: u64,
    /// Its name when it was imported (lossy UTF-8 if the name was not UTF-8).
    pub original_name: String,
    /// Its media type, sniffed from the content (`image/jpeg`, …).
    pub media_type: String,
    /// When it was captured, if known (EXIF, the recorder's clock, the screen-capture time).
    pub captured_at: Option<DateTime<Utc>>,
    /// How it came in.
    pub source: EvidenceSource,
    /// The consumer's note.
    pub note: Option<String>,
    /// For recordings: what is known of the sound (absent for other kinds, and absent from
    /// ledger payloads written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioInfo>,
}

/// What to change of an evidence item after it came in (its file never changes): only what is
/// given, so two windows changing different fields at once keep both changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceEdit {
    /// The contact it belongs to (`Some(None)`: none), when that changes.
    pub contact_id: Option<Option<ContactId>>,
    /// What it is, when that changes.
    pub kind: Option<EvidenceKind>,
    /// The consumer's note (`Some(None)` or blank: none), when that changes.
    pub note: Option<Option<String>>,
}

/// What is known of a recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioInfo {
    /// Its length in milliseconds, where it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Samples per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Channels (1 after the usual mono mix-down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<u16>,
    /// The input device it was recorded from (recordings made in the app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Set when the app was interrupted while recording and the file was repaired and filed at
    /// the next start.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
    /// Moments marked while recording, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookmarks: Vec<Bookmark>,
}

/// A moment marked in a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// Milliseconds from the start of the recording.
    pub offset_ms: u64,
    /// What happened then ("promised a callback by Friday").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `1:02:03` or `2:03`: a duration as people read it.
pub fn duration_text(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// An evidence row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Row id.
    pub id: EvidenceId,
    /// The case it belongs to.
    pub case_id: CaseId,
    /// The number within the case, shown as `E001`.
    pub number: u32,
    /// The facts.
    #[serde(flatten)]
    pub fields: EvidenceFields,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
    /// Set when the consumer took it back (the file stays in the vault).
    pub retracted: Option<Retraction>,
}

impl Evidence {
    /// The label users see: `E001`.
    pub fn label(&self) -> String {
        evidence_label(self.number)
    }
}

/// The label of the evidence numbered `number` within its case: `E001`, …, `E999`, `E1000`.
pub fn evidence_label(number: u32) -> String {
    format!("E{number:03}")
}

// What a whole case looks like to its readers (the CLI's `case show`, the app, the advisor,
// the packet): values, so the advisor is a pure function of them.

/// One field's change in an edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The value before.
    pub from: serde_json::Value,
    /// The value after.
    pub to: serde_json::Value,
}

/// An edit of a record, read back from the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    /// When it was made.
    pub at: String,
    /// What was edited: `case`, `contact` or `promise`.
    pub record: String,
    /// The record's id.
    pub id: i64,
    /// What changed, by field.
    pub changes: BTreeMap<String, Change>,
}

/// A promise with whether it is overdue now.
#[derive(Debug, Clone, Serialize)]
pub struct PromiseView {
    /// The promise.
    #[serde(flatten)]
    pub promise: Promise,
    /// Pending past its due time.
    pub overdue: bool,
    /// Looks like a delay rather than a plan (see `FiveAnswers::looks_like_stalling`).
    pub looks_like_stalling: bool,
}

/// Everything about one case, as `case show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// The highest tier any contact reached.
    pub tier: Tier,
    /// Contacts, oldest first.
    pub contacts: Vec<Contact>,
    /// Promises, by due time.
    pub promises: Vec<PromiseView>,
    /// Evidence, by number.
    pub evidence: Vec<Evidence>,
    /// Edits of the case and its records, oldest first, with what they replaced.
    pub edits: Vec<Edit>,
    /// The ledger's length and head hash.
    pub ledger: LedgerHead,
}

/// What the agenda needs of one case: see `Store::agenda_inputs`.
#[derive(Debug, Clone)]
pub struct AgendaInput {
    /// The case.
    pub case: Case,
    /// Its pending promises, by due time.
    pub promises: Vec<Promise>,
    /// The contacts those promises were made in.
    pub contacts: Vec<Contact>,
}

/// A case's ledger at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerHead {
    /// How many entries the chain has.
    pub length: u64,
    /// The last entry's hash (the genesis value when empty).
    pub head: crate::vault::Sha256,
}

/// The user's choices that change the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AdviceSettings {
    /// Days a case may stay open before the advisor suggests an outside body.
    pub escalate_external_after_days: u32,
}

impl Default for AdviceSettings {
    fn default() -> Self {
        AdviceSettings {
            escalate_external_after_days: 14,
        }
    }
}

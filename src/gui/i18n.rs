//! Every string the app shows, in Korean and English, in one table.
//!
//! Views never hold literals: they ask for a [`T`] key in the current [`Lang`]. Texts with
//! values use `{}` placeholders filled in order by [`fill`]. Adding a key without both languages
//! does not compile.

pub use crate::names::{Lang, Named, fill, question};

macro_rules! texts {
    ($($key:ident => $ko:literal, $en:literal;)+) => {
        /// A text key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum T { $($key),+ }

        impl T {
            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Ko) => $ko, (T::$key, Lang::En) => $en,)+
                }
            }
        }
    };
}

texts! {
    ImportAlreadyRunning => "증거를 추가하는 중입니다. 끝나기를 기다리거나 취소하세요.", "An import is already running; wait for it or cancel it.";
    ImportNotStarted => "추가를 시작하지 못했습니다.", "Cannot start the import.";
    CaptureFailed => "화면을 캡처하지 못했습니다. 시스템의 도구로 스크린샷을 찍어 Ctrl+V로 붙여 넣으세요.", "Cannot capture the screen; take a screenshot with your system's tool and paste it with Ctrl+V.";
    NoFrontWindow => "맨 앞 창을 알 수 없습니다. 찍을 창을 한 번 누른 뒤 다시 하거나, 전체 화면으로 찍으세요.", "Cannot tell which window is in front. Click the window to capture and try again, or capture the whole screen.";
    FrontIsRecourse => "맨 앞에 recourse 창이 있었습니다. 기다리는 동안 찍을 창을 눌러 앞으로 가져오세요.", "recourse itself was in front. While it counts down, click the window you want to capture.";
    CaptureCountdown => "{}초 뒤에 찍습니다. 찍을 창을 앞으로 가져오세요.", "Capturing in {} s: bring the window to capture to the front.";
    CaptureOptions => "캡처 방식", "Capture options";
    CancelCapture => "캡처 취소", "Cancel capture";
    CaptureWhole => "전체 화면", "Whole screen";
    CaptureFront => "맨 앞 창", "Window in front";
    CaptureNow => "바로", "Now";
    CaptureAfter => "{}초 뒤", "After {} s";
    CaptureUnavailable => "이 시스템에서는 아직 화면 캡처를 할 수 없습니다. 시스템의 도구로 스크린샷을 찍어 Ctrl+V로 붙여 넣으세요.", "Screen capture is not available on this system yet; take a screenshot with your system's tool and paste it with Ctrl+V.";
    ProofTitle => "언제와 누가: 서명, 시각 인증, 접수 코드", "When and who: signature, timestamps, receipt codes";
    ProofKey => "보낸 사람 키 지문 (모든 묶음에 서명): {}", "Sender key fingerprint (signs every packet): {}";
    ProofKeyHint => "회사나 조정 기관에 미리 알려 두면, 나중에 받은 묶음이 같은 사람의 것인지 확인할 수 있습니다.", "Give it to the company or the mediator early: they can then tell your later packets from anyone else's.";
    ProofStampsNone => "아직 시각 인증이 없습니다: 이 기록이 언제 있었는지는 증명되지 않습니다.", "No timestamp yet: when this record existed is not proven.";
    ProofStampLine => "{}: 1–{}번 항목은 {}에 이미 있었습니다 (TSA {})", "{}: entries 1–{} existed by {} (TSA {})";
    ProofStampBad => "{}: 아무것도 증명하지 않음 — {}", "{}: proves nothing — {}";
    ProofStampNow => "지금 시각 인증 받기", "Timestamp now";
    ProofStampRunning => "시각 인증을 받는 중…", "Getting a timestamp…";
    ProofStampNoTsa => "아래에서 시각 인증 기관(TSA) 주소를 먼저 정하세요. 정하기 전에는 recourse 가 어디에도 연결하지 않습니다.", "Choose a time-stamping authority (TSA) below first; until then recourse connects nowhere.";
    ProofStamped => "시각 인증을 받았습니다: 1–{}번 항목", "Timestamped: entries 1–{}";
    ProofReceipt => "지금 기록의 접수 코드: {}", "Receipt code of the record now: {}";
    ProofReceiptHint => "회사에 보내는 메시지에 붙여 넣으세요. 회사가 받은 메시지가 이 시점의 기록을 증명합니다.", "Paste it into your message to the company: their own inbox then proves the record at this moment.";
    ProofReceiptMessage => "내 분쟁 기록: {}", "My record of this dispute: {}";
    ProofReceiptCopy => "메시지로 복사", "Copy as a message";
    ProofReceiptRecord => "이 연락에서 보냈다고 기록", "Record as given in this contact";
    ProofReceiptRecorded => "접수 코드 {}을(를) 연락 #{}에 기록했습니다", "Recorded receipt code {} as given in contact #{}";
    ProofReceipts => "보낸 접수 코드: {}개", "Receipt codes given: {}";
    TsaSetting => "시각 인증 기관 (TSA)", "Time-stamping authority (TSA)";
    TsaSettingHint => "RFC 3161 주소 (예: https://freetsa.org/tsr). 해시만 보냅니다. 비워 두면 어디에도 연결하지 않습니다.", "An RFC 3161 address (e.g. https://freetsa.org/tsr). Only a hash is sent. Leave it empty and recourse connects nowhere.";
    TsaSave => "저장", "Save";
    TsaAuto => "바뀔 때마다 자동으로 시각 인증 (최대 {}분에 한 번)", "Timestamp after each change (at most every {} minutes)";
    AppTitle => "recourse — 고객센터 분쟁 기록", "recourse — dispute log";
    MenuFile => "파일", "File";
    MenuView => "보기", "View";
    MenuLanguage => "언어", "Language";
    Quit => "끝내기", "Quit";
    NewCase => "새 사건", "New case";
    EditCase => "사건 수정", "Edit case";
    EditCaseButton => "✏ 수정…", "✏ Edit…";
    DatesSection => "주문·배송 날짜", "Order dates";
    DatesHint => "법정 기한(청약철회, 배송, 환급)은 이 날짜로 계산합니다.", "Legal deadlines (withdrawal, shipping, refund) are counted from these dates.";
    DateOrdered => "주문일", "Ordered";
    DatePaid => "결제일", "Paid";
    DateDelivered => "배송 완료일", "Delivered";
    DateNoticed => "문제 발견일", "Problem noticed";
    DateReturnSent => "반품 발송일", "Return sent";
    DateReturnReceived => "반품 도착일", "Return received";
    DateRefunded => "환불일", "Refunded";
    DateShipped => "발송일", "Shipped";
    DateSupplyAgreed => "약정 공급일(예약·주문 제작)", "Agreed supply date (pre-order)";
    ProblemsSection => "무엇이 잘못되었나요 (해당하는 것 모두)", "What went wrong (all that apply)";
    ProblemsHint => "법정 기한과 권리는 유형이 아니라 이 사실로 정해집니다.", "The legal rules follow these facts, not the category.";
    PaymentSection => "결제", "Payment";
    PaymentMethodLabel => "결제 수단", "Paid by";
    PaymentUnknown => "모름", "not entered";
    Installments => "할부 개월 수 (일시불 1)", "Installments (1: in full)";
    PeopleSection => "신청인과 회사 (편지와 신청서에 들어갑니다)", "You and the company (for letters and forms)";
    ClaimantName => "신청인 이름", "Your name";
    ClaimantPhone => "신청인 전화", "Your phone";
    ClaimantEmail => "신청인 이메일", "Your email";
    ClaimantAddress => "신청인 주소", "Your address";
    CompanyContact => "회사 연락처", "Company contact";
    CompanyAddress => "회사 주소", "Company address";
    BadInstallments => "할부 개월 수 ‘{}’은(는) 숫자가 아닙니다. 3처럼 쓰세요(일시불은 1).", "Installments '{}' is not a number; write e.g. 3 (1 for paid in full).";
    BadDate => "{}: ‘{}’은(는) 날짜가 아닙니다. 2026-11-20처럼 쓰세요.", "{}: '{}' is not a date; write it like 2026-11-20.";
    Search => "검색", "Search";
    SearchHint => "제목, 회사, 상품, 주문번호", "title, company, product, order no.";
    AllStatuses => "모든 상태", "All statuses";
    FirstRunTitle => "이렇게 시작하세요", "How to start";
    FirstRunCase => "사건을 만드세요. 회사, 주문번호, 원하는 것(환불, 교환…)만 있으면 됩니다.", "Open a case: the company, the order number and what you want (a refund, an exchange…) are enough.";
    FirstRunContact => "방금 한 통화나 채팅을 기록하세요. 언제, 누구와, 무슨 말을 들었는지 적고, 약속을 받았다면 다섯 가지 질문으로 확인합니다.", "Log the call or chat you just had: when, with whom, what you were told; a promise is held to the five questions.";
    FirstRunEvidence => "주문 내역 화면을 증거로 넣으세요. 스크린샷을 Ctrl+V로 붙여 넣거나 파일을 창에 끌어다 놓습니다.", "Add the order page as evidence: paste a screenshot with Ctrl+V or drop the file on the window.";
    FirstRunDemoHint => "먼저 둘러보고 싶다면 예시 사건을 새 창에서 여세요. 예시는 따로 보관되어 내 기록과 섞이지 않습니다.", "To look around first, open the example case in a new window; it is kept apart and never mixes with your records.";
    FirstCase => "첫 사건 만들기", "Open your first case";
    PickDate => "{} — 달력에서 고르기", "{} — pick from a calendar";
    PreviousMonth => "지난달", "Previous month";
    NextMonth => "다음 달", "Next month";
    WeekdaysFromSunday => "일 월 화 수 목 금 토", "Su Mo Tu We Th Fr Sa";
    OpenDemo => "예시 사건 열어 보기", "Open the example case";
    DemoNotStarted => "예시 창을 열지 못했습니다", "Cannot open the example window";
    NoCaseSelected => "왼쪽에서 사건을 고르세요.", "Pick a case on the left.";
    OverdueBadge => "기한 지남 {}", "{} overdue";
    Company => "회사", "Company";
    Platform => "플랫폼", "Platform";
    PickPlatform => "플랫폼 — 목록에서 고르기 (목록에 없으면 직접 입력)", "Platform — pick from a list (or type any other)";
    Seller => "판매자", "Seller";
    Order => "주문번호", "Order no.";
    Product => "상품", "Product";
    Amount => "금액", "Amount";
    Currency => "통화", "Currency";
    Status => "상태", "Status";
    Category => "유형", "Category";
    Wants => "원하는 것", "What you want";
    Title => "제목", "Title";
    Ladder => "단계", "Ladder";
    TabTimeline => "타임라인", "Timeline";
    TabContacts => "연락 기록", "Contacts";
    TabPromises => "약속", "Promises";
    TabEvidence => "증거", "Evidence";
    RetractEvidence => "증거 취소…", "Retract…";
    RetractEvidenceHint => "취소해도 항목과 파일은 지워지지 않습니다. 원장에 취소와 이유가 남고, 묶음에는 취소된 증거로 들어갑니다.", "Retracting deletes nothing: the ledger records the retraction and its reason, and packets show the item as retracted.";
    RetractReason => "취소 이유", "Reason for retracting";
    RetractContact => "연락 취소…", "Retract…";
    EditEvidence => "고치기…", "Edit…";
    EditEvidenceHint => "파일과 해시는 그대로이고, 어느 연락의 것인지·종류·메모만 바뀝니다. 무엇을 바꿨는지는 원장에 남습니다.", "The file and its hash stay as they are; only the contact, the kind and the note change, and the ledger records each change.";
    EvidenceContact => "연락", "Contact";
    NoContact => "없음", "None";
    EvidenceEdited => "{}을(를) 고쳤습니다. 원장에 무엇을 바꿨는지 남았습니다.", "{} is changed; the ledger records what changed.";
    RetractContactNamed => "연락 #{} 취소…", "Retract contact #{}…";
    RetractContactHint => "취소해도 연락 기록은 지워지지 않습니다. 원장에 취소와 이유가 남고, 묶음과 조언에서는 취소된 연락으로 다룹니다.", "Retracting deletes nothing: the ledger records the retraction and its reason, and packets and advice treat the contact as retracted.";
    ContactRetracted => "연락 #{}을(를) 취소했습니다. 원장에 이유와 함께 남았습니다.", "Contact #{} is retracted; the ledger keeps it with the reason.";
    RetractReasonHint => "예: 다른 주문의 사진을 잘못 올림", "e.g. a photo of another order, added by mistake";
    RetractConfirm => "취소 기록", "Record the retraction";
    RetractKeep => "그만두기", "Keep it";
    RetractedOn => "{}에 취소함: {}", "Retracted {}: {}";
    EvidenceRetracted => "{}을(를) 취소했습니다. 원장에 이유와 함께 남았습니다.", "{} is retracted; the ledger keeps it with the reason.";
    Advisor => "다음 할 일", "Next steps";
    AdvisorNothing => "지금 급한 일은 없습니다.", "Nothing urgent right now.";
    AdvisorSay => "이렇게 말하세요:", "Say:";
    AdvisorCopySay => "말할 문장을 복사합니다", "Copy the words to say";
    AdvisorCode => "이 조언의 고정 코드: {}", "This advice's stable code: {}";
    AdvisorDoAnswers => "다섯 질문 답 기록", "Record the five answers";
    AdvisorDoBroken => "불이행으로 표시…", "Mark it broken…";
    AdvisorDoEscalate => "상급자 연락 기록", "Log the escalation call";
    AdvisorDoPacketComplaints => "민원실용 패킷 만들기", "Build a packet for complaints";
    AdvisorDoPacketAgency => "소비자원용 패킷 만들기", "Build a packet for the agency";
    AdvisorDoEvidence => "증거 추가…", "Add evidence…";
    AdvisorDoAnnounced => "녹음 고지함으로 표시", "Mark as announced";
    AdvisorDoRecord => "● 이 통화 녹음", "● Record this call";
    AdvisorDoClose => "해결로 종료", "Close as resolved";
    AdvisorMore => "그 밖에 {}건", "and {} more";
    LogContact => "연락 기록", "Log contact";
    Channel => "경로", "Channel";
    Direction => "방향", "Direction";
    Tier => "단계", "Tier";
    AgentName => "상담원 이름", "Agent name";
    AgentId => "상담원 ID", "Agent ID";
    Reference => "접수·문의 번호", "Reference no.";
    StartedAt => "시작", "Started";
    EndedAt => "끝", "Ended";
    TimeHint => "2026-11-20 14:30", "2026-11-20 14:30";
    Summary => "요약", "Summary";
    Claimed => "상대가 주장한 것", "What they claimed";
    Offered => "상대가 제안한 것", "What they offered";
    OutcomeLabel => "결과", "Outcome";
    RecordingAnnounced => "녹음 중이라고 알렸습니다", "I told them I am recording";
    TheyPromised => "후속 연락을 약속했습니다", "They promised a follow-up";
    Save => "저장", "Save";
    Cancel => "취소", "Cancel";
    Close => "닫기", "Close";
    EscalateAfter => "외부 기관 안내 시점", "When to suggest an outside body";
    EscalateAfterHint => "사건이 이만큼 해결되지 않으면 1372·분쟁조정을 안내합니다:", "After a case stays open this long, suggest 1372 or mediation:";
    DaysSuffix => "일", " days";
    FiveAsked => "다섯 질문 중 {}개 물음", "{} of the five questions asked";
    AskNext => "다음으로 물어보세요: {}", "Ask next: {}";
    AllAsked => "다섯 질문을 모두 물었습니다. 들은 답을 그대로 적어 두면 나중에 그 말 그대로 따질 수 있습니다.", "All five questions asked. Write down the answers as said: later you can hold them to their own words.";
    DueButton => "⏰ 기한 ({})", "⏰ Due ({})";
    DueTitle => "기한: 모든 사건의 약속과 법정 기한", "Due: promises and legal deadlines in every case";
    DueHint => "지난 것과 임박한 것이 먼저입니다. 앱이 켜져 있으면 약속 기한이 되었을 때와 법정 기한 하루 전에 알림을 보냅니다. 법정 기한은 법률 자문이 아닌 안내입니다.", "Overdue and imminent first. While the app runs it notifies you when a promise falls due and a day before a legal deadline. Legal deadlines are guidance, not legal advice.";
    DueNothing => "기한이 있는 약속이나 법정 기한이 없습니다.", "No pending promises or legal deadlines.";
    DueOverdue => "지남", "overdue";
    DueSoon => "임박", "due soon";
    DueUpcoming => "예정", "upcoming";
    DueOpenCase => "사건 {} 열기", "Open case {}";
    ExportCalendar => "📅 캘린더로 내보내기 (.ics)…", "📅 Export to calendar (.ics)…";
    CalendarSaveTitle => "캘린더 파일 저장", "Save the calendar file";
    CalendarWritten => "{}에 저장했습니다 ({}건). 휴대폰이나 컴퓨터의 캘린더에서 가져오세요.", "Saved {} ({} events). Import it into your phone's or computer's calendar.";
    ReminderMany => "recourse: 기한 {}건", "recourse: {} items due";
    ReminderManyBody => "기한 보기에서 확인하세요.", "Open the Due view to see them.";
    Edit => "고치기", "Edit";
    Edited => "고침 {}", "edited {}";
    WasBefore => "이전: {}", "before: {}";
    PromiseForm => "약속 기록", "Record a promise";
    WhatPromised => "약속한 내용", "What was promised";
    PromisedBy => "약속한 사람", "Promised by";
    Due => "기한", "Due";
    AnswerAsSaid => "들은 답변", "Answer as said";
    SayItLikeThis => "이렇게 물어보세요", "Say it like this";
    LooksLikeDelay => "이 약속은 계획이라기보다 시간 끌기로 보입니다: {}", "This promise looks like a delay rather than a plan: {}";
    DelayReasonEvasive => "모호하거나 거절된 답변 {}개", "{} vague or refused answers";
    DelayReasonResolution => "해결 여부가 분명하지 않음", "no clear answer on whether it resolves the problem";
    DelayReasonAuthority => "권한이 분명하지 않음", "no clear answer on authority";
    MarkKept => "지킴", "Kept";
    MarkBroken => "안 지킴", "Broken";
    MarkWithdrawn => "철회", "Withdrawn";
    EndNote => "메모", "Note";
    EndPromise => "약속 결과 기록", "End the promise";
    Overdue => "기한 지남", "overdue";
    NoContacts => "연락 기록이 없습니다.", "No contacts logged.";
    NoPromises => "약속이 없습니다.", "No promises recorded.";
    NoEvidence => "증거가 없습니다. 파일을 끌어다 놓거나 ‘가져오기’를 누르세요.", "No evidence yet. Drop files here or press “Import”.";
    ImportEvidence => "가져오기…", "Import…";
    PasteImage => "붙여넣기", "Paste";
    EvidenceList => "목록", "List";
    EvidenceGrid => "미리보기", "Grid";
    CaptureScreen => "화면 캡처", "Capture screen";
    MenuSettings => "설정", "Settings";
    TabPacket => "제출 묶음", "Packet";
    TabLetters => "편지·신청서", "Letters";
    LetterKind => "무엇을 쓸까요", "Which letter";
    DiscardQuestion => "쓴 내용을 버릴까요? 저장하지 않은 내용은 사라집니다.", "Discard what you typed? It has not been saved.";
    Discard => "버리기", "Discard";
    KeepWriting => "계속 쓰기", "Keep writing";
    ResizeCaseList => "사건 목록 너비 조절", "Resize the case list";
    ResizeAdvisor => "다음 할 일 너비 조절", "Resize the next steps";
    WindowName => "recourse — 상담 기록과 증거", "recourse — dispute records and evidence";
    ResizeEvidenceDetail => "증거 상세 높이 조절", "Resize the evidence details";
    ClipboardUnavailable => "클립보드를 읽을 수 없습니다", "The clipboard is not available";
    ClipboardNoImage => "클립보드에 이미지가 없습니다. 먼저 화면을 캡처하거나 이미지를 복사하세요.", "The clipboard holds no image; copy a screenshot first.";
    PasteNotSaved => "붙여 넣은 이미지를 저장하지 못했습니다", "Could not save the pasted image";
    RecordingRunning => "다른 통화를 녹음하고 있습니다. 먼저 멈추세요.", "Another call is being recorded; stop it first.";
    LetterLanguage => "언어", "Language";
    LetterCopy => "전체 복사", "Copy all";
    LetterSave => "텍스트 파일로 저장…", "Save as a text file…";
    LetterSaved => "{}에 저장했습니다.", "Saved {}.";
    LetterMissing => "사건에 입력하면 편지에 들어갈 것:", "Enter these in the case and the letter will include them:";
    LetterHint => "사건에 기록된 사실로만 씁니다. 보내기 전에 읽어 보고, 필요하면 고쳐 쓰세요. 법률 자문이 아닌 안내입니다.", "Written only from what the case records. Read it before you send it and change it as you need; it is guidance, not legal advice.";
    PacketIntro => "민원실이나 분쟁 기관에 낼 증거 묶음(ZIP)을 만듭니다: 보고서(PDF·HTML), 원본 증거, 목록과 해시, 기록 원장. 받는 쪽은 sha256sum만으로 확인할 수 있습니다.", "Builds the ZIP to hand to a complaints department or dispute body: the report (PDF and HTML), the original evidence, the file list with hashes and the ledger. Anyone can check it with sha256sum alone.";
    PacketFor => "받는 곳", "For";
    PacketLanguage => "보고서 언어", "Report language";
    PacketRedact => "전화번호·이메일·주소 가리기", "Leave out my phone, email and address";
    PacketDeadline => "회신 기한 (예: 2026-12-31)", "Reply deadline (e.g. 2026-12-31)";
    PacketZone => "보고서의 모든 시각은 {} 시간대로 표시됩니다 (설정 메뉴에서 바꿀 수 있습니다)", "Every time in the report is shown in {} (change it in the Settings menu)";
    ReportZone => "보고서 시간대", "Report time zone";
    PacketContents => "들어가는 것", "What goes in";
    PacketContentsLine => "연락 {}건, 약속 {}건, 증거 파일 {}개 ({})", "{} contacts, {} promises, {} evidence files ({})";
    PacketBuilding => "묶는 중…", "Building…";
    PacketBuild => "묶음 만들기", "Build packet";
    LastPacketCurrent => "마지막 묶음({}) 뒤로 바뀐 기록은 없습니다.", "Nothing the case says has changed since the last packet ({}).";
    LastPacketStale => "⚠ 마지막 묶음({}) 뒤로 바뀐 기록이 {}건 있습니다. 보내기 전에 묶음을 새로 만드세요.", "⚠ Since the last packet ({}), {} changes were recorded: build a new one before you send it.";
    PacketBuilt => "묶음을 만들었습니다", "Packet built";
    CopyPath => "경로 복사", "Copy path";
    SavePacketAs => "다른 곳에 저장…", "Save as…";
    SavePacketTitle => "묶음 사본을 저장할 곳", "Save a copy of the packet";
    PacketSaved => "묶음 사본을 저장하고 다시 읽어 해시를 확인했습니다:", "The copy is saved and read back against its hash:";
    BuildStopped => "묶음 만들기가 예기치 않게 멈췄습니다. 다시 만들어 보세요. 되풀이되면 이 창의 기록을 도움 줄 사람에게 보여 주세요.", "The packet build stopped unexpectedly. Try building it again; if it keeps happening, show this to whoever helps you.";
    ReviewStopped => "이 파일을 읽다가 멈췄습니다. recourse 묶음(ZIP)이 아니거나 손상된 파일입니다. 보낸 사람에게 다시 받으세요.", "Reading this file stopped: it is not a recourse packet (ZIP) or it is damaged. Ask the sender for it again.";
    ImportStopped => "가져오기가 예기치 않게 멈췄습니다. 이미 들어간 항목은 증거 목록에 있으니, 없는 파일만 다시 가져오세요.", "The import stopped unexpectedly. What went in is in the evidence list; add the missing files again.";
    DemoFailed => "예시 창이 오류로 닫혔습니다 (종료 코드 {}).", "The example window closed with an error (exit code {}).";
    PacketNotSaved => "묶음 사본을 저장하지 못했습니다", "Cannot save the copy";
    PacketChangedOnDisk => "묶음 파일이 만들어진 뒤 바뀌었습니다. 묶음을 새로 만드세요", "the packet file changed since it was built; build it again";
    OpenPacketsFolder => "폴더 열기", "Open folder";
    OpenWithSystem => "기본 앱으로 열기", "Open with the system's app";
    ViewLarge => "크게 보기", "View";
    ViewerNext => "다음 ▶", "Next ▶";
    ViewerPrevious => "◀ 이전", "◀ Previous";
    FitWindow => "창에 맞춤", "Fit to window";
    ActualSize => "원래 크기", "Actual size";
    ImagePixels => "{}×{} 픽셀", "{}×{} pixels";
    TextReadAs => "문자 인코딩 {}", "Encoding {}";
    TextCut => "처음 1 MiB만 보여 줍니다", "Only the first 1 MiB is shown";
    NoPreview => "이 항목은 여기서 미리 볼 수 없습니다. ‘기본 앱으로 열기’로 열어 보세요.", "This item cannot be previewed here. Use ‘Open with the system's app’.";
    Loading => "불러오는 중…", "Loading…";
    ViewerKeys => "화살표 키로 이전·다음, Esc로 닫기", "Arrow keys: previous/next; Esc closes";
    OpenFailed => "열지 못했습니다", "Cannot open it";
    OpenForReview => "검토로 열기", "Open for review";
    OpenPacket => "묶음 열어 검토…", "Open packet for review…";
    ChoosePacket => "검토할 묶음(ZIP) 고르기", "Choose a packet (ZIP) to review";
    CloseReview => "검토 닫기", "Close review";
    ImportPacket => "묶음을 사건으로 가져오기…", "Import packet as case…";
    PacketImported => "‘{}’ 사건을 가져왔습니다 (증거 {}개, 확인 완료).", "Imported “{}” (evidence: {}, verified).";
    ReviewIntact => "파일 {}개가 모두 일치합니다 · 기록 원장 {}항목 온전함", "All {} files match · ledger of {} entries intact";
    ReviewNotIntact => "온전하지 않음: 파일 {}/{}개가 다릅니다", "NOT INTACT: {} of {} files differ";
    ReviewProves => "파일이 기록된 그대로임을 증명합니다 (누가 만들었는지·내용이 사실인지는 아님)", "Proves the files are as recorded (not who made them or whether they are true)";
    VerdictAltered => "변경됨", "altered";
    ReviewProblemsKo => "원장 사슬이나 묶음 형식에 문제가 {}건 있습니다. 아래 세부 사항을 보세요.", "The ledger chain or the packet's form has {} problems.";
    ReviewDetailsInEnglish => "기술적 세부 사항 (영어 원문)", "Technical details";
    VerdictMissing => "없음", "missing";
    VerdictExtra => "목록에 없음", "extra";
    VerdictUnlisted => "한쪽 목록에만 있음", "unlisted";
    VerdictNotChecked => "확인 못 함", "not checked";
    PacketReviewing => "묶음을 확인하는 중…", "Checking the packet…";
    Microphone => "마이크", "Microphone";
    DefaultMicrophone => "시스템 기본 마이크", "System default";
    RefreshMicrophones => "마이크 목록 새로 고침", "Refresh the list";
    NoMicrophones => "마이크를 찾지 못했습니다", "No microphone found";
    ListingMicrophones => "마이크를 찾는 중…", "Looking for microphones…";
    ConsentRule => "통화 녹음 동의", "Recording consent";
    ConsentOneParty => "대화 당사자는 녹음 가능 (한국 등) — 알리도록 안내", "A participant may record (Korea, …) — remind me to announce it";
    ConsentAllParty => "모든 당사자의 동의 필요 — 알린 뒤에만 녹음", "Every party must agree — record only after I announce it";
    Record => "● 녹음", "● Record";
    RecordTitle => "통화 녹음 전에", "Before you record";
    RecordNotice => "상담원에게 먼저 알리세요: “이 통화는 기록을 위해 녹음하고 있습니다.” 녹음된다는 것을 알면 얼버무리는 답변이 줄어듭니다.", "Tell the agent first: “I am recording this call for my records.” Agents answer more carefully when they know.";
    RecordNoticeAllParty => "지금 설정은 ‘모든 당사자의 동의 필요’입니다. 알린 뒤에만 녹음할 수 있습니다.", "Your setting says every party must agree: you can record only after you tell them.";
    ToldThemRecord => "알렸습니다 — 녹음 시작", "I told them — record";
    RecordWithoutTelling => "알리지 않고 녹음", "Record without telling";
    Recording => "녹음 중", "Recording";
    RecordingStarting => "마이크를 여는 중…", "Opening the microphone…";
    RecordingFiling => "녹음 파일을 증거로 저장하는 중…", "Filing the recording as evidence…";
    RecordingOf => "연락 #{} · {}", "contact #{} · {}";
    Bookmark => "책갈피", "Bookmark";
    BookmarkNote => "책갈피 메모", "Bookmark note";
    BookmarkHint => "예: 금요일까지 연락 준다고 함", "e.g. promised a callback by Friday";
    StopRecording => "■ 정지", "■ Stop";
    Dropped => "누락된 샘플 {}", "{} samples dropped";
    Bookmarked => "{}에 책갈피를 남겼습니다.", "Bookmarked at {}.";
    RecordingFiled => "녹음 {}({})를 증거로 저장했습니다.", "Recording filed as {} ({}).";
    RemovedEmptyRecordings => "소리가 저장되기 전에 중단된 녹음 {}개를 지웠습니다. 저장할 내용이 없었습니다.", "Removed {} recording(s) interrupted before any sound was saved; there was nothing to file.";
    RecoveredRecording => "중단된 녹음을 복구해 {}(으)로 저장했습니다 ({} 분량, ‘중단 후 복구’로 표시).", "A recording interrupted by a crash was repaired and filed as {} ({} saved, marked “recovered after interruption”).";
    RecoveredFlag => "중단 후 복구됨", "recovered after interruption";
    Duration => "길이", "Duration";
    Device => "장치", "Device";
    Bookmarks => "책갈피", "Bookmarks";
    Play => "▶ 재생", "▶ Play";
    Pause => "⏸ 일시정지", "⏸ Pause";
    Position => "재생 위치", "Position";
    Importing => "가져오는 중 {}/{}", "Importing {}/{}";
    Imported => "{}개 파일을 증거로 추가했습니다.", "Added {} file(s) as evidence.";
    AlreadyEvidence => "{}은(는) 이미 증거 {}입니다.", "{} is already evidence {}.";
    Sha256 => "SHA-256", "SHA-256";
    Copy => "복사", "Copy";
    Reverify => "다시 검증", "Re-verify";
    ObjectMissing => "✖ 보관함에 이 파일이 없습니다. 원본 파일을 다시 추가하면 보관함이 제자리를 채웁니다.", "✖ The vault no longer holds this file. Adding the original file again puts it back.";
    Verified => "✔ 보관 파일이 해시와 일치합니다", "✔ The stored file matches its hash";
    Mismatch => "✖ 보관 파일이 바뀌었습니다: 지금 해시 {}", "✖ The stored file changed: it now hashes to {}";
    Kind => "종류", "Kind";
    Captured => "촬영·캡처", "Captured";
    ImportedAt => "가져옴", "Imported";
    Source => "출처", "Source";
    PastedNote => "붙여 넣은 그림은 앱이 새로 만든 PNG 파일입니다. 해시는 원래 파일의 것과 다릅니다. 원본 파일이 있으면 그 파일도 가져오세요.", "A pasted image is a new PNG the app made: its hash is not the original file's. If you have the original file, add it too.";
    FileName => "파일 이름", "File name";
    Size => "크기", "Size";
    LinkedContact => "연락", "Contact";
    Note => "메모", "Note";
    Retracted => "취소됨", "retracted";
    EvMade => "약속: {}", "Promise made: {}";
    EvDue => "약속 기한: {}", "Promise due: {}";
    EvEnded => "약속 {}: {}", "Promise {}: {}";
    EvEvidence => "증거 {} {}", "Evidence {} {}";
    EvEdit => "{} 고침: {}", "{} edited: {}";
    Error => "오류", "Error";
    NotLegalAdvice => "안내일 뿐 법률 자문이 아닙니다.", "Guidance, not legal advice.";
    Required => "필수", "required";
    Ledger => "원장 {}건 · {}", "Ledger {} entries · {}";
    Light => "밝게", "Light";
    Dark => "어둡게", "Dark";
    System => "시스템 따라", "Follow system";
    Theme => "테마", "Theme";
    ChooseFiles => "증거 파일 고르기", "Choose evidence files";
    DropHere => "여기에 놓으면 증거로 추가됩니다", "Drop to add as evidence";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_places_values_in_order() {
        assert_eq!(
            fill(T::Importing.get(Lang::En), &["2", "5"]),
            "Importing 2/5"
        );
        assert_eq!(
            fill(T::Importing.get(Lang::Ko), &["2", "5"]),
            "가져오는 중 2/5"
        );
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
    }
}

/// A refused amount, in the UI's language.
pub fn money_error(e: &crate::money::MoneyError, lang: Lang) -> String {
    use crate::money::MoneyError as M;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        M::Currency(c) => {
            format!("‘{c}’은(는) 통화 코드가 아닙니다. KRW, USD, EUR처럼 영문 세 글자로 쓰세요.")
        }
        M::Number(a) => format!(
            "‘{a}’은(는) 금액이 아닙니다. 39000이나 12.50처럼 숫자로만 쓰세요(통화 기호 없이)."
        ),
        M::Precision {
            amount,
            currency,
            digits: 0,
        } => {
            format!("‘{amount}’: {currency} 금액에는 소수점 아래가 없습니다. 정수로 쓰세요.")
        }
        M::Precision {
            amount,
            currency,
            digits,
        } => {
            format!("‘{amount}’: {currency} 금액은 소수점 아래 {digits}자리까지만 씁니다.")
        }
        M::Negative(a) => format!("‘{a}’은(는) 음수입니다. 낸 금액을 부호 없이 쓰세요."),
        M::Overflow(a) => format!("‘{a}’은(는) 너무 큰 금액입니다."),
    }
}

/// A refused date or time, in the UI's language.
pub fn time_error(e: &crate::clock::TimeError, lang: Lang) -> String {
    use crate::clock::TimeError as E;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        E::Date(t) => format!("‘{t}’은(는) 날짜가 아닙니다. 2026-11-20처럼 쓰세요."),
        E::Instant(t) => format!("‘{t}’은(는) 시각이 아닙니다. 2026-11-20 14:30처럼 쓰세요."),
        E::Ambiguous(t) => format!(
            "‘{t}’은(는) 이 시간대에서 한 순간으로 정해지지 않습니다(서머타임 전환). +09:00처럼 시차를 붙이세요."
        ),
    }
}

/// What the store refused, in the UI's language: a refusal of a field says what to change in
/// the form; other failures say what happened and keep the detail.
pub fn store_error(e: &crate::store::StoreError, lang: Lang) -> String {
    use crate::store::StoreError as S;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        S::Invalid { field, reason } if reason.contains("control character") => format!(
            "{}에 제어 문자가 들어 있습니다. 그 문자 없이 다시 입력하세요.",
            field_name(field)
        ),
        S::Invalid { field, reason } => match *field {
            "title" => "사건 제목을 입력하세요.".to_owned(),
            "company" => "회사 이름을 입력하세요.".to_owned(),
            "summary" => "무슨 일이 있었는지 한 문장으로 적으세요.".to_owned(),
            "what" => "무엇을 약속했는지 적으세요.".to_owned(),
            "reason" => "취소하는 이유를 적으세요.".to_owned(),
            "ended" => "연락이 끝난 시각이 시작 시각보다 앞섭니다. 두 시각을 확인하세요.".to_owned(),
            "supply_agreed" => "약정한 공급일이 주문일보다 앞섭니다. 두 날짜를 확인하세요.".to_owned(),
            "installments" if reason.contains("credit card") => {
                "할부는 신용카드 결제에만 있습니다. 결제 수단을 신용카드로 하거나 할부를 1(일시불)로 하세요.".to_owned()
            }
            "installments" => "할부 개월 수는 1(일시불)부터 120까지입니다.".to_owned(),
            "status" => "이미 끝난 약속입니다. 결과를 다시 기록할 수 없습니다.".to_owned(),
            "contact" => "약속은 이 사건의 연락에서 나온 것이어야 합니다.".to_owned(),
            "evidence" => "이미 취소된 증거입니다. 바뀐 것은 없습니다.".to_owned(),
            "retracted" => "그사이 다른 창이나 명령에서 이미 취소했습니다. 바뀐 것은 없습니다.".to_owned(),
            other => format!("{}을(를) 확인하세요. ({reason})", field_name(other)),
        },
        S::NotFound { .. } => {
            "찾는 기록이 없습니다. 다른 창이나 명령이 바꿨을 수 있어 지금의 기록을 다시 불러왔습니다.".to_owned()
        }
        S::Sqlite(e) => {
            use rusqlite::ErrorCode as C;
            match e.sqlite_error_code() {
                Some(C::DatabaseBusy | C::DatabaseLocked) => {
                    "다른 recourse(앱이나 명령)가 지금 데이터베이스에 쓰고 있습니다. 잠시 뒤 다시 하세요. 바뀐 것은 없습니다.".to_owned()
                }
                Some(C::DiskFull) => {
                    "데이터 폴더가 있는 디스크가 가득 찼습니다. 공간을 비운 뒤 다시 하세요. 바뀐 것은 없습니다.".to_owned()
                }
                Some(C::ReadOnly | C::CannotOpen | C::PermissionDenied) => {
                    "데이터베이스에 쓸 수 없습니다. 데이터 폴더의 권한을 확인하세요.".to_owned()
                }
                Some(C::DatabaseCorrupt | C::NotADatabase) => {
                    "데이터베이스 파일이 손상되었습니다. 백업에서 recourse.sqlite3 파일을 되살리세요.".to_owned()
                }
                _ => format!("저장하지 못했습니다. 데이터 폴더를 확인하세요. (자세한 내용: {e})"),
            }
        }
        S::Open { path, source } => format!(
            "데이터베이스를 열 수 없습니다. 데이터 폴더의 권한을 확인하세요. (자세한 내용: {source}: {})",
            path.display()
        ),
        S::TooNew { found, .. } => format!(
            "데이터베이스가 더 새 recourse로 쓰였습니다(스키마 {found}). recourse를 새 버전으로 올리세요."
        ),
        S::NotOurs { path, .. } => format!(
            "recourse가 쓴 데이터베이스가 아닙니다. 다른 데이터 폴더를 쓰세요: {}",
            path.display()
        ),
        S::Corrupt { what, id, reason } => format!(
            "데이터베이스의 기록 하나를 읽을 수 없습니다. 백업에서 recourse.sqlite3 파일을 되살리세요. (자세한 내용: {what} {id}: {reason})"
        ),
    }
}

/// A store field as a Korean reader names it.
fn field_name(field: &str) -> &'static str {
    match field {
        "title" => "제목",
        "company" => "회사",
        "company_contact" => "회사 연락처",
        "company_address" => "회사 주소",
        "platform" => "플랫폼",
        "seller" => "판매자",
        "order_number" => "주문번호",
        "product" => "상품",
        "wants" => "요구 사항",
        "claimant.name" => "신청인 이름",
        "claimant.phone" => "신청인 전화",
        "claimant.email" => "신청인 이메일",
        "claimant.address" => "신청인 주소",
        "agent_name" => "상담원 이름",
        "agent_id" => "상담원 ID",
        "reference" => "접수번호",
        "summary" => "요약",
        "claimed" => "회사의 주장",
        "offered" => "회사의 제안",
        "what" => "약속 내용",
        "promised_by" => "약속한 사람",
        "answers" => "다섯 질문의 답",
        "note" => "메모",
        "reason" => "이유",
        _ => "입력값",
    }
}

/// A record's field as the edit history names it ("agent_name" → "상담원 이름" / "agent name").
pub fn field_label(field: &str, lang: Lang) -> String {
    let ko = match field {
        "started_at" => "시작 시각",
        "ended_at" => "끝난 시각",
        "channel" => "경로",
        "direction" => "방향",
        "tier" => "단계",
        "outcome" => "결과",
        "recording_announced" => "녹음 고지",
        "contact_id" => "연락",
        "kind" => "종류",
        "due_at" => "기한",
        "amount" => "금액",
        "dates" => "날짜",
        "category" => "유형",
        "status" => "상태",
        "claimant" => "신청인",
        "problems" => "문제",
        "payment_method" => "결제 수단",
        "installments" => "할부",
        other => field_name(other),
    };
    if lang == Lang::Ko {
        if ko == "입력값" {
            return field.to_owned();
        }
        return ko.to_owned();
    }
    field.replace('_', " ")
}

/// A record kind in the edit history: "contact" → "연락".
pub fn record_label(record: &str, lang: Lang) -> &str {
    match (record, lang) {
        ("case", Lang::Ko) => "사건",
        ("contact", Lang::Ko) => "연락",
        ("promise", Lang::Ko) => "약속",
        ("evidence", Lang::Ko) => "증거",
        (other, _) => other,
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use crate::store::StoreError;

    /// Latin words of three letters or more: English left in a Korean message.
    fn english(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 3)
            .collect()
    }

    #[test]
    fn every_field_the_store_refuses_is_explained_in_korean() {
        // The fields the store's checks name (src/store/*.rs, `field: "…"`).
        for field in [
            "title",
            "company",
            "summary",
            "what",
            "reason",
            "ended",
            "supply_agreed",
            "installments",
            "status",
            "contact",
            "evidence",
        ] {
            let e = StoreError::Invalid {
                field,
                reason: "some English reason".into(),
            };
            let ko = store_error(&e, Lang::Ko);
            assert!(english(&ko).is_empty(), "{field}: {ko}");
            assert_eq!(store_error(&e, Lang::En), e.to_string());
        }
        let e = StoreError::Invalid {
            field: "agent_name",
            reason: "it holds the control character \\u{1b}; type the text without it".into(),
        };
        assert_eq!(
            store_error(&e, Lang::Ko),
            "상담원 이름에 제어 문자가 들어 있습니다. 그 문자 없이 다시 입력하세요."
        );
    }

    #[test]
    fn refused_amounts_and_times_are_explained_in_korean() {
        for text in ["만 원", "-5", "1.234", "99999999999999999999999"] {
            if let Err(e) = crate::money::Money::parse(text, "KRW") {
                let ko = money_error(&e, Lang::Ko);
                assert!(english(&ko).iter().all(|w| *w == "KRW"), "{text}: {ko}");
            }
        }
        let e = crate::money::Money::parse("1", "원화").unwrap_err();
        assert!(
            english(&money_error(&e, Lang::Ko))
                .iter()
                .all(|w| ["KRW", "USD", "EUR"].contains(w))
        );
        for text in ["어제", "2026-13-40", "오후 3시"] {
            let e = crate::clock::parse_instant(text).unwrap_err();
            let ko = time_error(&e, Lang::Ko);
            assert!(english(&ko).is_empty(), "{text}: {ko}");
        }
    }
}

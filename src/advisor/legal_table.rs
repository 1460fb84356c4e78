//! The legal scenario table: for each clause the advisor counts, cases on both sides of every
//! boundary, with the expected deadline derived by hand from the statute and the calendar —
//! never by running the program. Each row's comment is its derivation.
//!
//! The calendar used: weekdays from Python's `calendar` module; public holidays from
//! `assets/holidays-kr.csv` (checked against an independent calendar when it was made). The
//! law: E-Commerce Act arts. 15(1)–(2), 17(1), 17(3), 18(1)–(2), Decree art. 21-3; Installment
//! Transactions Act arts. 2, 16, Decree art. 11; Civil Act arts. 157 (the first day is not
//! counted), 160 (months end the day before the same day number, or on the month's last day)
//! and 161 (a period ending on a Saturday or holiday ends the next day). Sep 2026–Feb 2027:
//!
//! ```text
//!    November 2026          December 2026          January 2027           February 2027
//! Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su   Mo Tu We Th Fr Sa Su
//!                    1       1  2  3  4  5  6                1  2  3    1  2  3  4  5  6  7
//!  2  3  4  5  6  7  8    7  8  9 10 11 12 13    4  5  6  7  8  9 10    8  9 10 11 12 13 14
//!  9 10 11 12 13 14 15   14 15 16 17 18 19 20   11 12 13 14 15 16 17   15 16 17 18 19 20 21
//! 16 17 18 19 20 21 22   21 22 23 24 25 26 27   18 19 20 21 22 23 24   22 23 24 25 26 27 28
//! 23 24 25 26 27 28 29   28 29 30 31            25 26 27 28 29 30 31
//! 30
//! Holidays: 2026-09-24..26 Chuseok, 10-03 (Sat) with substitute 10-05, 10-09, 12-25;
//! 2027-01-01, 02-06..08 Seollal with substitute 02-09, 03-01. 2026-08-17 substitute for 08-15.
//! ```

use chrono::NaiveDate;

use super::legal::{DateField, Unsettled, deadlines, defence, defence_rule};
use crate::model::{Category, PaymentMethod, Problem};
use crate::money::Money;
use crate::store::test_support::{case_fields, t};

use DateField::{
    Delivered, Noticed, Ordered, Paid, Refunded, ReturnReceived, ReturnSent, Shipped, SupplyAgreed,
};

/// One expected deadline: the rule, its last day, the date it counts from, and the other
/// clock's last day when the right has two.
struct Exp {
    rule: &'static str,
    due: &'static str,
    from: DateField,
    other: Option<&'static str>,
}

const fn e(rule: &'static str, due: &'static str, from: DateField) -> Exp {
    Exp {
        rule,
        due,
        from,
        other: None,
    }
}

const fn e2(rule: &'static str, due: &'static str, from: DateField, other: &'static str) -> Exp {
    Exp {
        rule,
        due,
        from,
        other: Some(other),
    }
}

struct Row {
    name: &'static str,
    category: Category,
    problems: &'static [Problem],
    payment: Option<PaymentMethod>,
    installments: Option<u32>,
    /// Won.
    amount: Option<i64>,
    dates: &'static [(DateField, &'static str)],
    /// The day in Korea (noon).
    today: &'static str,
    expect: &'static [Exp],
    /// The card-installment defence: none, or open with these conditions unsettled.
    defence: Option<&'static [Unsettled]>,
}

const W7: &str = "withdrawal-7-days";
const W3M: &str = "withdrawal-not-as-contracted";
const SHIP: &str = "shipping-prepaid-3-business-days";
const SHIP7: &str = "shipping-7-days";
const AGREED: &str = "shipping-agreed-date";
const OOS: &str = "out-of-stock-refund-3-business-days";
const REFUND: &str = "refund-3-business-days";

const fn row(name: &'static str, category: Category) -> Row {
    Row {
        name,
        category,
        problems: &[],
        payment: None,
        installments: None,
        amount: Some(39_000),
        dates: &[],
        today: "2026-11-20",
        expect: &[],
        defence: None,
    }
}

use Category::{Cancellation, Compensation, DeliveryDelay, Exchange, Other, OutOfStock, Refund};
use Problem::{NotAsAdvertised, WrongItem};

const ROWS: &[Row] = &[
    // ── Art. 17(1): 7 days from the contract document or the delivery, the later ──
    Row {
        // Delivered Tue 10 Nov; day 1 = 11 Nov … day 7 = Tue 17 Nov, a business day.
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[e(W7, "2026-11-17", Delivered)],
        ..row("17(1) plain week", Other)
    },
    Row {
        // Delivered Sat 14 Nov → day 7 Sat 21 Nov → Sun 22 → Mon 23 Nov (art. 161).
        dates: &[(Delivered, "2026-11-14")],
        today: "2026-11-15",
        expect: &[e(W7, "2026-11-23", Delivered)],
        ..row("17(1) ending on a Saturday", Other)
    },
    Row {
        // Delivered Fri 13 Nov → Fri 20 Nov; today is the last day.
        dates: &[(Delivered, "2026-11-13")],
        today: "2026-11-20",
        expect: &[e(W7, "2026-11-20", Delivered)],
        ..row("17(1) last day is today", Other)
    },
    Row {
        // Delivered Sun 31 Jan 2027 → day 7 Sun 7 Feb (Seollal), 8 Feb Seollal, 9 Feb its
        // substitute → Wed 10 Feb.
        dates: &[(Delivered, "2027-01-31")],
        today: "2027-02-01",
        expect: &[e(W7, "2027-02-10", Delivered)],
        ..row("17(1) across Seollal and its substitute day", Other)
    },
    Row {
        // Delivered Fri 18 Dec → day 7 Fri 25 Dec (Christmas) → Sat, Sun → Mon 28 Dec.
        dates: &[(Delivered, "2026-12-18")],
        today: "2026-12-19",
        expect: &[e(W7, "2026-12-28", Delivered)],
        ..row("17(1) ending on Christmas", Other)
    },
    Row {
        // Sent back on 12 Nov: the right was used; no deadline is left (nothing came back yet).
        dates: &[(Delivered, "2026-11-10"), (ReturnSent, "2026-11-12")],
        today: "2026-11-13",
        expect: &[],
        ..row("17(1) used: the goods were sent back", Refund)
    },
    Row {
        // Document (order) 5 Nov is later than the delivery 3 Nov: counted from Thu 5 Nov →
        // Thu 12 Nov.
        dates: &[(Ordered, "2026-11-05"), (Delivered, "2026-11-03")],
        today: "2026-11-06",
        expect: &[e(W7, "2026-11-12", Ordered)],
        ..row("17(1) from the later of document and delivery", Other)
    },
    Row {
        // Not delivered and no fact of non-delivery: 17(1) has not started, no duty applies.
        dates: &[(Ordered, "2026-11-05")],
        today: "2026-11-06",
        expect: &[],
        ..row("17(1) not yet delivered", Other)
    },
    // ── Art. 17(3): 3 months from supply and 30 days from knowing; the first to end binds ──
    Row {
        // Delivered Tue 10 Nov. 3 months: counting starts 11 Nov, the day before 11 Feb 2027
        // is Wed 10 Feb. 30 days from knowing, not entered → from delivery: 10 Dec (Thu).
        // The right ends 10 Dec; 17(1) ends 17 Nov.
        problems: &[],
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[
            e(W7, "2026-11-17", Delivered),
            e2(W3M, "2026-12-10", Delivered, "2027-02-10"),
        ],
        ..row("17(3) defect, discovery not entered", Category::Defect)
    },
    Row {
        // Delivered Mon 10 Aug; 3 months: day before 11 Nov → Tue 10 Nov. Found 5 Nov: 30
        // days → Sat 5 Dec → Mon 7 Dec. The 3 months end first: passed by 20 Nov, though the
        // 30-day clock alone would leave 17 days. 17(1): 17 Aug is the substitute holiday for
        // Liberation Day → Tue 18 Aug.
        dates: &[(Delivered, "2026-08-10"), (Noticed, "2026-11-05")],
        today: "2026-11-20",
        expect: &[
            e(W7, "2026-08-18", Delivered),
            e2(W3M, "2026-11-10", Delivered, "2026-12-07"),
        ],
        ..row("17(3) found after three months: over", Category::Defect)
    },
    Row {
        // Delivered Tue 1 Sep; 3 months: day before 2 Dec → Tue 1 Dec. Found 10 Nov: 30 days
        // → Thu 10 Dec. Binding 1 Dec: 17 days left on 14 Nov, not 26. 17(1): Tue 8 Sep.
        dates: &[(Delivered, "2026-09-01"), (Noticed, "2026-11-10")],
        today: "2026-11-14",
        expect: &[
            e(W7, "2026-09-08", Delivered),
            e2(W3M, "2026-12-01", Delivered, "2026-12-10"),
        ],
        ..row(
            "17(3) three months end before the thirty days",
            Category::Defect,
        )
    },
    Row {
        // Delivered and found Mon 2 Nov: 30 days → Wed 2 Dec; 3 months → day before 3 Feb
        // 2027 → Tue 2 Feb. 17(1): Mon 9 Nov.
        dates: &[(Delivered, "2026-11-02"), (Noticed, "2026-11-02")],
        today: "2026-11-03",
        expect: &[
            e(W7, "2026-11-09", Delivered),
            e2(W3M, "2026-12-02", Noticed, "2027-02-02"),
        ],
        ..row("17(3) found on delivery", Category::Defect)
    },
    Row {
        // A wrong item filed as an exchange still has 17(3): as the defect row above.
        problems: &[WrongItem],
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[
            e(W7, "2026-11-17", Delivered),
            e2(W3M, "2026-12-10", Delivered, "2027-02-10"),
        ],
        ..row("17(3) a wrong item filed as an exchange", Exchange)
    },
    Row {
        // An exchange with no fact of a fault: only 17(1).
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[e(W7, "2026-11-17", Delivered)],
        ..row("17(3) not without a fact", Exchange)
    },
    Row {
        // Delivered Mon 30 Nov, found Tue 1 Dec. 3 months: counting from 1 Dec, the day before
        // 1 Mar 2027 is Sun 28 Feb → 1 Mar (holiday) → Tue 2 Mar. 30 days from 1 Dec → Thu 31
        // Dec. Binding 31 Dec. 17(1): Mon 7 Dec.
        problems: &[NotAsAdvertised],
        dates: &[(Delivered, "2026-11-30"), (Noticed, "2026-12-01")],
        today: "2026-12-02",
        expect: &[
            e(W7, "2026-12-07", Delivered),
            e2(W3M, "2026-12-31", Noticed, "2027-03-02"),
        ],
        ..row("17(3) not as advertised, month end on a Sunday", Refund)
    },
    Row {
        // Sent back 15 Nov: both withdrawal rights used.
        dates: &[(Delivered, "2026-11-10"), (ReturnSent, "2026-11-15")],
        today: "2026-11-16",
        expect: &[],
        ..row("17(3) used", Category::Defect)
    },
    Row {
        // Delivered Sat 31 Oct. 3 months: counting from 1 Nov, the day before 1 Feb 2027 is Sun
        // 31 Jan → Mon 1 Feb. Found 10 Jan 2027: 30 days → Tue 9 Feb (substitute holiday) →
        // Wed 10 Feb. Binding 1 Feb. 17(1): Sat 7 Nov → Mon 9 Nov.
        dates: &[(Delivered, "2026-10-31"), (Noticed, "2027-01-10")],
        today: "2027-01-15",
        expect: &[
            e(W7, "2026-11-09", Delivered),
            e2(W3M, "2027-02-01", Delivered, "2027-02-10"),
        ],
        ..row("17(3) both clocks roll", Category::Defect)
    },
    // ── Art. 15(1): a duty to ship, 3 business days from payment (prepaid) or 7 days ──
    Row {
        // Ordered Tue 22 Sep, payment not entered → taken as paid that day: 23 Sep (1),
        // Chuseok 24–26, Sun 27, 28 (2), 29 (3) → Tue 29 Sep.
        dates: &[(Ordered, "2026-09-22")],
        today: "2026-09-23",
        expect: &[e(SHIP, "2026-09-29", Ordered)],
        ..row("15(1) prepaid by default, over Chuseok", DeliveryDelay)
    },
    Row {
        // Ordered Fri 13 Nov, taken as paid: 16, 17, 18 → Wed 18 Nov.
        dates: &[(Ordered, "2026-11-13")],
        today: "2026-11-16",
        expect: &[e(SHIP, "2026-11-18", Ordered)],
        ..row("15(1) prepaid by default", DeliveryDelay)
    },
    Row {
        // Paid later (on delivery): 7 days from the order, Fri 13 Nov → Fri 20 Nov.
        payment: Some(PaymentMethod::PayLater),
        dates: &[(Ordered, "2026-11-13")],
        today: "2026-11-16",
        expect: &[e(SHIP7, "2026-11-20", Ordered)],
        ..row("15(1) not prepaid: 7 days", DeliveryDelay)
    },
    Row {
        // Paid Fri 20 Nov: 23, 24, 25 → Wed 25 Nov; a day late on the 26th.
        dates: &[(Ordered, "2026-11-20"), (Paid, "2026-11-20")],
        today: "2026-11-26",
        expect: &[e(SHIP, "2026-11-25", Paid)],
        ..row("15(1) missed", DeliveryDelay)
    },
    Row {
        // Shipped 24 Nov, in time, still in transit on the 27th: no missed duty.
        dates: &[(Paid, "2026-11-20"), (Shipped, "2026-11-24")],
        today: "2026-11-27",
        expect: &[],
        ..row("15(1) shipped in time, not yet arrived", DeliveryDelay)
    },
    Row {
        // Shipped on Fri 27 Nov, after Wed 25 Nov: the missed duty stays on record (2 days).
        dates: &[(Paid, "2026-11-20"), (Shipped, "2026-11-27")],
        today: "2026-11-28",
        expect: &[e(SHIP, "2026-11-25", Paid)],
        ..row("15(1) shipped late: on record", DeliveryDelay)
    },
    Row {
        // Delivered Fri 27 Nov with no ship date: a parcel may have left in time, so no missed
        // duty is claimed; 17(1) runs 27 Nov + 7 → Fri 4 Dec.
        dates: &[(Paid, "2026-11-20"), (Delivered, "2026-11-27")],
        today: "2026-11-28",
        expect: &[e(W7, "2026-12-04", Delivered)],
        ..row(
            "15(1) delivered late, ship date unknown: no claim",
            DeliveryDelay,
        )
    },
    Row {
        // Found 1 Nov, before the delivery on 10 Nov: nobody knows a fault before getting the
        // goods, so the 30 days run from Tue 10 Nov → Thu 10 Dec (not 1 Dec).
        dates: &[(Delivered, "2026-11-10"), (Noticed, "2026-11-01")],
        today: "2026-11-11",
        expect: &[
            e(W7, "2026-11-17", Delivered),
            e2(W3M, "2026-12-10", Delivered, "2027-02-10"),
        ],
        ..row(
            "17(3) a discovery date before the delivery",
            Category::Defect,
        )
    },
    Row {
        // A pre-order with an agreed date, Tue 15 Dec: it replaces the statutory 3 days.
        dates: &[(Paid, "2026-11-02"), (SupplyAgreed, "2026-12-15")],
        today: "2026-11-20",
        expect: &[e(AGREED, "2026-12-15", SupplyAgreed)],
        ..row("15(1) proviso: the agreed date", DeliveryDelay)
    },
    Row {
        // The agreed date passed two days ago, nothing shipped.
        dates: &[(Paid, "2026-11-02"), (SupplyAgreed, "2026-12-15")],
        today: "2026-12-17",
        expect: &[e(AGREED, "2026-12-15", SupplyAgreed)],
        ..row("15(1) proviso: the agreed date passed", DeliveryDelay)
    },
    Row {
        // Paid Wed 23 Dec: 24 (1), 25 Christmas, 26–27 weekend, 28 (2), 29 (3) → Tue 29 Dec.
        dates: &[(Paid, "2026-12-23")],
        today: "2026-12-24",
        expect: &[e(SHIP, "2026-12-29", Paid)],
        ..row("15(1) over Christmas", DeliveryDelay)
    },
    Row {
        // Ordered 16 Nov, paid by deposit Wed 18 Nov: 19, 20, 23 → Mon 23 Nov.
        payment: Some(PaymentMethod::BankTransfer),
        dates: &[(Ordered, "2026-11-16"), (Paid, "2026-11-18")],
        today: "2026-11-19",
        expect: &[e(SHIP, "2026-11-23", Paid)],
        ..row("15(1) from a later payment", DeliveryDelay)
    },
    Row {
        // Delivered Tue 24 Nov: the duty to ship is met; 17(1) runs to Tue 1 Dec.
        dates: &[(Paid, "2026-11-16"), (Delivered, "2026-11-24")],
        today: "2026-11-25",
        expect: &[e(W7, "2026-12-01", Delivered)],
        ..row("15(1) delivered", DeliveryDelay)
    },
    Row {
        // A refund case with no fact of non-delivery gets no shipping duty.
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[],
        ..row("15(1) only when not delivered is a fact", Refund)
    },
    // ── Art. 15(2): cannot supply → refund within 3 business days of payment ──
    Row {
        // Paid Fri 20 Nov: 23, 24, 25 → Wed 25 Nov; no shipping duty beside it.
        dates: &[(Paid, "2026-11-20")],
        today: "2026-11-24",
        expect: &[e(OOS, "2026-11-25", Paid)],
        ..row("15(2) out of stock", OutOfStock)
    },
    Row {
        // Only the order date: taken as paid that day, as above.
        dates: &[(Ordered, "2026-11-20")],
        today: "2026-11-24",
        expect: &[e(OOS, "2026-11-25", Ordered)],
        ..row("15(2) payment date taken as the order date", OutOfStock)
    },
    Row {
        // Refunded 24 Nov, in time.
        dates: &[(Paid, "2026-11-20"), (Refunded, "2026-11-24")],
        today: "2026-11-26",
        expect: &[],
        ..row("15(2) refunded in time", OutOfStock)
    },
    Row {
        // Out of stock as a fact of a cancellation: paid Fri 5 Feb 2027; 6–9 Feb Seollal and
        // weekend, 10 (1), 11 (2), 12 (3) → Fri 12 Feb.
        problems: &[Problem::OutOfStock],
        dates: &[(Paid, "2027-02-05")],
        today: "2027-02-08",
        expect: &[e(OOS, "2027-02-12", Paid)],
        ..row("15(2) as a fact, across Seollal", Cancellation)
    },
    Row {
        // Nothing was paid in advance: nothing to refund.
        payment: Some(PaymentMethod::PayLater),
        dates: &[(Ordered, "2026-11-20")],
        today: "2026-11-24",
        expect: &[],
        ..row("15(2) not prepaid", OutOfStock)
    },
    Row {
        // Delivered after all (Mon 23 Nov): the seller could supply, 15(2) does not hold; 17(1)
        // runs 23 Nov + 7 → Mon 30 Nov.
        dates: &[(Paid, "2026-11-20"), (Delivered, "2026-11-23")],
        today: "2026-11-30",
        expect: &[e(W7, "2026-11-30", Delivered)],
        ..row("15(2) disproved by delivery", OutOfStock)
    },
    // ── Art. 18(1)–(2): refund within 3 business days of getting the goods back ──
    Row {
        // The goods came back Thu 12 Nov: withdrawal is done, only the refund runs — 13 (1),
        // 16 (2), 17 (3) → Tue 17 Nov.
        dates: &[(Delivered, "2026-11-10"), (ReturnReceived, "2026-11-12")],
        today: "2026-11-13",
        expect: &[e(REFUND, "2026-11-17", ReturnReceived)],
        ..row(
            "18(1) the goods came back: no withdrawal left to offer",
            Refund,
        )
    },
    Row {
        // Back Fri 20 Nov: 23, 24, 25 → Wed 25 Nov.
        dates: &[(ReturnReceived, "2026-11-20")],
        today: "2026-11-24",
        expect: &[e(REFUND, "2026-11-25", ReturnReceived)],
        ..row("18(1) running", Refund)
    },
    Row {
        // Back Thu 24 Sep (Chuseok eve): 25, 26, 27 off, 28 (1), 29 (2), 30 (3) → Wed 30 Sep.
        dates: &[(ReturnReceived, "2026-09-24")],
        today: "2026-09-25",
        expect: &[e(REFUND, "2026-09-30", ReturnReceived)],
        ..row("18(1) over Chuseok", Refund)
    },
    Row {
        // Back Fri 2 Oct: 3–4 weekend, 5 substitute for National Foundation Day, 6 (1), 7 (2),
        // 8 (3) → Thu 8 Oct.
        dates: &[(ReturnReceived, "2026-10-02")],
        today: "2026-10-05",
        expect: &[e(REFUND, "2026-10-08", ReturnReceived)],
        ..row("18(1) over a substitute holiday", Refund)
    },
    Row {
        // Refunded on the last day: met in time.
        dates: &[(ReturnReceived, "2026-11-20"), (Refunded, "2026-11-25")],
        today: "2026-12-01",
        expect: &[],
        ..row("18(1) refunded on the last day", Refund)
    },
    Row {
        // Refunded 10 Dec, 15 days late: the deadline stays, for the interest.
        dates: &[(ReturnReceived, "2026-11-20"), (Refunded, "2026-12-10")],
        today: "2026-12-20",
        expect: &[e(REFUND, "2026-11-25", ReturnReceived)],
        ..row("18(2) refunded late", Refund)
    },
    // ── Past the holiday data ──
    Row {
        // Back Fri 25 Jan 2036: weekends only → 28, 29, 30 → Wed 30 Jan 2036 (the real date
        // is later: Seollal 2036 is not in the file). Flagged, see below.
        dates: &[(ReturnReceived, "2036-01-25")],
        today: "2036-01-26",
        expect: &[e(REFUND, "2036-01-30", ReturnReceived)],
        ..row("past 2035: weekends only, and said", Refund)
    },
    Row {
        // Delivered Fri 28 Dec 2035 → Fri 4 Jan 2036, counted into a year without data.
        dates: &[(Delivered, "2035-12-28")],
        today: "2035-12-29",
        expect: &[e(W7, "2036-01-04", Delivered)],
        ..row("past 2035: a calendar period", Other)
    },
    // ── Installment Transactions Act art. 16: ≥ 200,000 won, ≥ 3 installments ──
    Row {
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(3),
        amount: Some(289_000),
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[
            e(W7, "2026-11-17", Delivered),
            e2(W3M, "2026-12-10", Delivered, "2027-02-10"),
        ],
        defence: Some(&[]),
        ..row(
            "16 card, 3 installments, 289,000 won, defect",
            Category::Defect,
        )
    },
    Row {
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(2),
        amount: Some(289_000),
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[e(SHIP, "2026-11-19", Ordered)],
        // 16, then 17 (1), 18 (2), 19 (3) → Thu 19 Nov; two installments are not a plan the
        // Act covers (art. 2: three or more).
        defence: None,
        ..row("16 two installments: no", DeliveryDelay)
    },
    Row {
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(3),
        amount: Some(199_999),
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[e(SHIP, "2026-11-19", Ordered)],
        defence: None,
        ..row("16 one won short of 200,000: no", DeliveryDelay)
    },
    Row {
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(3),
        amount: Some(200_000),
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[e(SHIP, "2026-11-19", Ordered)],
        defence: Some(&[]),
        ..row("16 exactly 200,000: yes", DeliveryDelay)
    },
    Row {
        payment: Some(PaymentMethod::CreditCard),
        amount: Some(500_000),
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[e(SHIP, "2026-11-19", Ordered)],
        defence: Some(&[Unsettled::Installments]),
        ..row("16 installments not entered: conditional", DeliveryDelay)
    },
    Row {
        payment: Some(PaymentMethod::DebitCard),
        amount: Some(500_000),
        dates: &[(Ordered, "2026-11-16")],
        today: "2026-11-17",
        expect: &[e(SHIP, "2026-11-19", Ordered)],
        defence: None,
        ..row("16 a debit card: no", DeliveryDelay)
    },
    Row {
        // Withdrawn (sent back) with no fault recorded: art. 16(1)6.
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(6),
        amount: Some(500_000),
        dates: &[(Delivered, "2026-11-10"), (ReturnSent, "2026-11-12")],
        today: "2026-11-13",
        expect: &[],
        defence: Some(&[]),
        ..row("16 after a withdrawal", Refund)
    },
    Row {
        // Sent back on 20 Nov, after the 7 days (delivered Sun 1 Nov → Sun 8 Nov → Mon 9 Nov)
        // and with no fault recorded: not a lawful withdrawal, no reason to refuse (16(1)6).
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(3),
        amount: Some(300_000),
        dates: &[(Delivered, "2026-11-01"), (ReturnSent, "2026-11-20")],
        today: "2026-11-21",
        expect: &[],
        defence: None,
        ..row("16 a return after the window is no withdrawal", Refund)
    },
    Row {
        // No reason to refuse: a compensation dispute, nothing sent back.
        payment: Some(PaymentMethod::CreditCard),
        installments: Some(3),
        amount: Some(300_000),
        dates: &[(Delivered, "2026-11-10")],
        today: "2026-11-11",
        expect: &[e(W7, "2026-11-17", Delivered)],
        defence: None,
        ..row("16 no reason to refuse", Compensation)
    },
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fields(r: &Row) -> crate::model::CaseFields {
    let mut f = case_fields();
    f.category = r.category;
    f.problems = r.problems.to_vec();
    f.payment_method = r.payment;
    f.installments = r.installments;
    f.amount = r.amount.map(|won| Money {
        minor: won,
        currency: "KRW".into(),
    });
    for (field, d) in r.dates {
        let d = Some(day(d));
        let dates = &mut f.dates;
        match field {
            Ordered => dates.ordered = d,
            Paid => dates.paid = d,
            Shipped => dates.shipped = d,
            SupplyAgreed => dates.supply_agreed = d,
            Delivered => dates.delivered = d,
            Noticed => dates.noticed = d,
            ReturnSent => dates.return_sent = d,
            ReturnReceived => dates.return_received = d,
            Refunded => dates.refunded = d,
        }
    }
    f
}

#[test]
fn the_legal_table_holds_row_by_row() {
    assert!(ROWS.len() >= 40, "{} rows", ROWS.len());
    let mut failures = Vec::new();
    for r in ROWS {
        let f = fields(r);
        let now = t(&format!("{}T03:00:00Z", r.today));
        let got = deadlines(&f, now);
        let got_rows: Vec<(String, NaiveDate, DateField, Option<NaiveDate>)> = got
            .iter()
            .map(|d| {
                (
                    d.rule.clone(),
                    d.due,
                    d.start_field,
                    d.other.as_ref().map(|o| o.due),
                )
            })
            .collect();
        let want: Vec<(String, NaiveDate, DateField, Option<NaiveDate>)> = r
            .expect
            .iter()
            .map(|x| (x.rule.to_owned(), day(x.due), x.from, x.other.map(day)))
            .collect();
        if got_rows != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got_rows:?}", r.name));
        }
        for d in &got {
            if d.article.is_empty() || d.article_en.is_empty() {
                failures.push(format!("{}: {} has no article", r.name, d.rule));
            }
        }
        let got_defence = defence_rule()
            .and_then(|rule| defence(&f, rule))
            .map(|d| d.unsettled);
        if got_defence.as_deref() != r.defence {
            failures.push(format!(
                "{}: defence want {:?} got {got_defence:?}",
                r.name, r.defence
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn find<'a>(name: &str) -> &'a Row {
    ROWS.iter().find(|r| r.name == name).unwrap()
}

fn one(name: &str, rule: &str) -> super::legal::Deadline {
    let r = find(name);
    let now = t(&format!("{}T03:00:00Z", r.today));
    deadlines(&fields(r), now)
        .into_iter()
        .find(|d| d.rule == rule)
        .unwrap()
}

#[test]
fn the_binding_clock_and_what_was_assumed_are_on_record() {
    // 17(3), discovery not entered: the 30-day clock counts from delivery instead, and binds.
    let d = one("17(3) defect, discovery not entered", W3M);
    assert!(d.second_binds);
    assert_eq!(d.instead_of, Some(Noticed));
    // Found after three months: the 3-month clock binds and has passed (−10 days on 20 Nov).
    let d = one("17(3) found after three months: over", W3M);
    assert!(!d.second_binds);
    assert_eq!(d.days_left(t("2026-11-20T03:00:00Z")), -10);
    // Three months end first: 17 days left on 14 Nov (1 Dec − 14 Nov).
    let d = one("17(3) three months end before the thirty days", W3M);
    assert_eq!(d.days_left(t("2026-11-14T03:00:00Z")), 17);
    // A payment date not entered is said to be the order date.
    let d = one("15(1) prepaid by default", SHIP);
    assert_eq!(d.instead_of, Some(Paid));
    let d = one("15(1) from a later payment", SHIP);
    assert_eq!(d.instead_of, None);
}

#[test]
fn a_moved_deadline_names_every_day_off_it_passed() {
    // 31 Jan 2027 + 7 → Sun 7 Feb (Seollal), Mon 8 Feb (the day after), Tue 9 Feb (substitute).
    let d = one("17(1) across Seollal and its substitute day", W7);
    let off: Vec<(NaiveDate, Option<&str>)> = d
        .days_off
        .iter()
        .map(|o| (o.date, o.holiday.as_deref()))
        .collect();
    assert_eq!(
        off,
        [
            (day("2027-02-07"), Some("설날")),
            (day("2027-02-08"), Some("설날 다음날")),
            (day("2027-02-09"), Some("설날 대체 휴일")),
        ]
    );
    // A Saturday end: two weekend days, no holiday name.
    let d = one("17(1) ending on a Saturday", W7);
    assert_eq!(d.days_off.len(), 2);
    assert!(d.days_off.iter().all(|o| o.holiday.is_none()));
}

#[test]
fn a_count_past_the_holiday_data_says_so() {
    assert!(one("past 2035: weekends only, and said", REFUND).beyond_holiday_data);
    assert!(one("past 2035: a calendar period", W7).beyond_holiday_data);
    assert!(!one("18(1) running", REFUND).beyond_holiday_data);
}

#[test]
fn late_interest_is_counted_to_the_refund_day() {
    // 39,000 won, 15 days late (25 Nov → 10 Dec): 39,000 × 0.15 × 15 / 365 = 240.4 → 240.
    let d = one("18(2) refunded late", REFUND);
    assert_eq!(d.met_late_on, Some(day("2026-12-10")));
    assert_eq!(d.late_interest.unwrap().minor, 240);
}

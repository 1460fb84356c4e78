//! Cases: create, read, edit, list, and the full view `case show` prints.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::Value;

use super::{Store, StoreError, parse_opt_date, parse_opt_time, parse_time};
use crate::ledger::Event;
use crate::ledger::event::{self, CaseCreated};
use crate::model::*;
use crate::money::Money;

pub use crate::model::{AgendaInput, CaseDetail, Change, Edit, PromiseView};

/// The fields that differ between two versions of a record, compared on their JSON form.
pub(crate) fn diff<T: Serialize>(old: &T, new: &T) -> BTreeMap<String, Change> {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return BTreeMap::new();
    };
    new.into_iter()
        .filter_map(|(key, to)| {
            let from = old.get(&key).cloned().unwrap_or(Value::Null);
            (from != to).then_some((key, Change { from, to }))
        })
        .collect()
}

/// A line of `case list`.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// Row id.
    pub id: CaseId,
    /// Title.
    pub title: String,
    /// Company.
    pub company: String,
    /// Status.
    pub status: CaseStatus,
    /// Category.
    pub category: Category,
    /// Contacts logged.
    pub contacts: u64,
    /// Promises still pending.
    pub pending_promises: u64,
    /// Pending promises past their due time.
    pub overdue_promises: u64,
    /// Evidence items.
    pub evidence: u64,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// The order number, if entered (the list searches it).
    pub order_number: Option<String>,
    /// The product, if entered (the list searches it).
    pub product: Option<String>,
}

const CASE_COLUMNS: &str = "id, uid, title, company, company_contact, company_address, platform,
    seller, order_number, product, amount_minor, currency, ordered_on, paid_on, delivered_on,
    return_sent_on, return_received_on, category, wants, status, claimant_name, claimant_phone,
    claimant_email, claimant_address, created_at, edited_at, noticed_on, refunded_on, problems,
    payment_method, installments, shipped_on, supply_agreed_on";

/// A case row with its date, time and problem columns still as text: (case, dates, created,
/// edited, problems).
type RawCase = (Case, Vec<Option<String>>, String, Option<String>, String);

fn case_from_row(r: &Row<'_>) -> rusqlite::Result<RawCase> {
    let id: CaseId = r.get(0)?;
    let amount = match (
        r.get::<_, Option<i64>>(10)?,
        r.get::<_, Option<String>>(11)?,
    ) {
        (Some(minor), Some(currency)) => Some(Money { minor, currency }),
        _ => None,
    };
    let dates: Vec<Option<String>> = (12..17)
        .chain([26, 27, 31, 32])
        .map(|i| r.get(i))
        .collect::<Result<_, _>>()?;
    let case = Case {
        id,
        uid: r.get(1)?,
        fields: CaseFields {
            title: r.get(2)?,
            company: r.get(3)?,
            company_contact: r.get(4)?,
            company_address: r.get(5)?,
            platform: r.get(6)?,
            seller: r.get(7)?,
            order_number: r.get(8)?,
            product: r.get(9)?,
            amount,
            dates: OrderDates::default(),
            category: r.get(17)?,
            wants: r.get(18)?,
            status: r.get(19)?,
            claimant: Claimant {
                name: r.get(20)?,
                phone: r.get(21)?,
                email: r.get(22)?,
                address: r.get(23)?,
            },
            problems: Vec::new(),
            payment_method: r.get(29)?,
            installments: r.get(30)?,
        },
        created_at: Utc::now(),
        edited_at: None,
    };
    Ok((case, dates, r.get(24)?, r.get(25)?, r.get(28)?))
}

/// The problems column: codes joined by commas, empty for none.
fn problems_text(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_problems(id: i64, text: &str) -> Result<Vec<Problem>, StoreError> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse()
                .map_err(|e: crate::model::UnknownCode| StoreError::Corrupt {
                    what: "case",
                    id,
                    reason: e.to_string(),
                })
        })
        .collect()
}

fn finish_case((mut case, dates, created, edited, problems): RawCase) -> Result<Case, StoreError> {
    let id = case.id.0;
    let mut d = dates.into_iter().map(|t| parse_opt_date("case", id, t));
    let mut next = || d.next().transpose().map(Option::flatten);
    case.fields.dates = OrderDates {
        ordered: next()?,
        paid: next()?,
        delivered: next()?,
        return_sent: next()?,
        return_received: next()?,
        noticed: next()?,
        refunded: next()?,
        shipped: next()?,
        supply_agreed: next()?,
    };
    case.fields.problems = parse_problems(id, &problems)?;
    case.created_at = parse_time("case", id, &created)?;
    case.edited_at = parse_opt_time("case", id, edited)?;
    Ok(case)
}

fn validate(fields: &CaseFields) -> Result<(), StoreError> {
    if fields.title.trim().is_empty() {
        return Err(StoreError::Invalid {
            field: "title",
            reason: "a case needs a title; give --title".into(),
        });
    }
    if fields.company.trim().is_empty() {
        return Err(StoreError::Invalid {
            field: "company",
            reason: "a case needs the company's name; give --company".into(),
        });
    }
    // Control characters (ESC sequences, carriage returns, …) would travel into packets and
    // repaint a reviewer's terminal; one-line fields take none, free text takes line breaks.
    let c = &fields.claimant;
    let one_line: [(&'static str, Option<&str>); 9] = [
        ("title", Some(&fields.title)),
        ("company", Some(&fields.company)),
        ("company_contact", fields.company_contact.as_deref()),
        ("platform", fields.platform.as_deref()),
        ("seller", fields.seller.as_deref()),
        ("order_number", fields.order_number.as_deref()),
        ("product", fields.product.as_deref()),
        ("claimant.name", c.name.as_deref()),
        ("claimant.phone", c.phone.as_deref()),
    ];
    let free: [(&'static str, Option<&str>); 4] = [
        ("wants", fields.wants.as_deref()),
        ("company_address", fields.company_address.as_deref()),
        ("claimant.email", c.email.as_deref()),
        ("claimant.address", c.address.as_deref()),
    ];
    for (field, value, allow_newline) in one_line
        .iter()
        .map(|(f, v)| (*f, *v, false))
        .chain(free.iter().map(|(f, v)| (*f, *v, true)))
    {
        super::no_control(field, value, allow_newline)?;
    }
    if let Some(n) = fields.installments
        && !(1..=120).contains(&n)
    {
        return Err(StoreError::Invalid {
            field: "installments",
            reason: format!(
                "{n} installments is not a plan a card offers; give 1 (paid in full) to 120"
            ),
        });
    }
    let d = &fields.dates;
    if let (Some(agreed), Some(placed)) = (d.supply_agreed, d.ordered.or(d.paid))
        && agreed < placed
    {
        return Err(StoreError::Invalid {
            field: "supply_agreed",
            reason: format!(
                "the agreed supply date {agreed} is before the order ({placed}); a supply date is agreed when ordering — check both dates"
            ),
        });
    }
    if fields.installments.is_some_and(|n| n > 1)
        && fields
            .payment_method
            .is_some_and(|m| m != PaymentMethod::CreditCard)
    {
        return Err(StoreError::Invalid {
            field: "installments",
            reason: "only a credit card payment comes in installments; give --payment credit-card or --installments 1".into(),
        });
    }
    Ok(())
}

fn date_text(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Store {
    /// Opens a case; returns its id.
    pub fn create_case(
        &mut self,
        fields: &CaseFields,
        now: DateTime<Utc>,
    ) -> Result<CaseId, StoreError> {
        validate(fields)?;
        let uid = uuid::Uuid::new_v4().to_string();
        let tx = self.write()?;
        let id = CaseId(super::project::next_id(&tx, "cases")?);
        let event = Event::CaseCreated(CaseCreated {
            case: fields.clone(),
            uid,
        });
        super::apply(&tx, id, now, &event)?;
        tx.commit()?;
        Ok(id)
    }

    /// Reads a case.
    pub fn case(&self, id: CaseId) -> Result<Case, StoreError> {
        let raw = self
            .conn
            .prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"))?
            .query_row([id], case_from_row)
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "case",
                id: id.0,
                hint: "`recourse case list` shows the cases",
            })?;
        finish_case(raw)
    }

    /// Changes a case: what differs between `base` (the case as the caller read it) and
    /// `fields`, applied to the case as it is inside the write transaction, so an edit made
    /// meanwhile by another window or command is kept. Records what changed in the ledger and
    /// returns it (empty when nothing differed, and then nothing is written).
    pub fn edit_case(
        &mut self,
        id: CaseId,
        base: &CaseFields,
        fields: &CaseFields,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Change>, StoreError> {
        validate(fields)?;
        let tx = self.write()?;
        let current = read(&tx, id)?.ok_or(StoreError::NotFound {
            what: "case",
            id: id.0,
            hint: "`recourse case list` shows the cases",
        })?;
        let (merged, changes) = super::merge_edit(&current.fields, base, fields)?;
        if changes.is_empty() {
            return Ok(changes);
        }
        validate(&merged)?;
        let event = Event::CaseEdited(event::CaseEdited {
            changes: changes.clone(),
            id: Some(id),
        });
        super::apply(&tx, id, now, &event)?;
        tx.commit()?;
        Ok(changes)
    }

    /// Every case, newest first, with counts.
    pub fn list_cases(&self, now: DateTime<Utc>) -> Result<Vec<CaseSummary>, StoreError> {
        let now_text = crate::clock::to_stored(now);
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.title, c.company, c.status, c.category, c.created_at,
                (SELECT count(*) FROM contacts WHERE case_id = c.id),
                (SELECT count(*) FROM promises WHERE case_id = c.id AND status = 'pending'),
                (SELECT count(*) FROM promises WHERE case_id = c.id AND status = 'pending'
                    AND due_at < ?1),
                (SELECT count(*) FROM evidence WHERE case_id = c.id),
                c.order_number, c.product
             FROM cases c ORDER BY c.id DESC",
        )?;
        let rows = stmt.query_map([now_text], |r| {
            Ok((
                CaseSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    company: r.get(2)?,
                    status: r.get(3)?,
                    category: r.get(4)?,
                    created_at: Utc::now(),
                    contacts: r.get(6)?,
                    pending_promises: r.get(7)?,
                    overdue_promises: r.get(8)?,
                    evidence: r.get(9)?,
                    order_number: r.get(10)?,
                    product: r.get(11)?,
                },
                r.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (mut summary, created) = row?;
            summary.created_at = parse_time("case", summary.id.0, &created)?;
            Ok(summary)
        })
        .collect()
    }

    /// Everything about a case; `now` decides which promises are overdue.
    pub fn case_detail(&self, id: CaseId, now: DateTime<Utc>) -> Result<CaseDetail, StoreError> {
        let case = self.case(id)?;
        let contacts = self.contacts(id)?;
        let tier = contacts
            .iter()
            .filter(|c| c.retracted.is_none())
            .map(|c| c.fields.tier)
            .max()
            .unwrap_or(Tier::FirstLine);
        let promises = self
            .promises(id)?
            .into_iter()
            .map(|p| PromiseView {
                overdue: p.is_overdue(now),
                looks_like_stalling: p.fields.answers.looks_like_stalling(),
                promise: p,
            })
            .collect();
        let entries = self.ledger_for_replay(id)?;
        // Read through the one ledger parser: an evidence edit names its item by number.
        let edits = entries
            .iter()
            .filter_map(|e| {
                let (record, id, changes) = match Event::parse(&e.kind, &e.payload).ok()?? {
                    Event::CaseEdited(x) => ("case", x.id.map_or(id.0, |c| c.0), x.changes),
                    Event::ContactEdited(x) => ("contact", x.id.0, x.changes),
                    Event::PromiseEdited(x) => ("promise", x.id.0, x.changes),
                    Event::EvidenceEdited(x) => ("evidence", i64::from(x.number), x.changes),
                    _ => return None,
                };
                Some(Edit {
                    at: e.at.clone(),
                    record: record.to_owned(),
                    id,
                    changes,
                })
            })
            .collect();
        Ok(CaseDetail {
            case,
            tier,
            contacts,
            promises,
            evidence: self.evidence(id)?,
            edits,
            ledger: self.ledger_head(id)?,
        })
    }

    /// What the agenda needs of every case still being pursued (not resolved or abandoned), in
    /// three queries whatever the number of cases: the case, its pending promises by due time,
    /// and the contacts those promises were made in. Oldest case first.
    pub fn agenda_inputs(&self) -> Result<Vec<AgendaInput>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM cases
             WHERE status NOT IN ('resolved', 'abandoned') ORDER BY id"
        ))?;
        let rows = stmt.query_map([], case_from_row)?;
        let mut out: Vec<AgendaInput> = Vec::new();
        let mut at = BTreeMap::new();
        for raw in rows {
            let case = finish_case(raw?)?;
            at.insert(case.id, out.len());
            out.push(AgendaInput {
                case,
                promises: Vec::new(),
                contacts: Vec::new(),
            });
        }
        for p in self.pending_promises_of_open_cases()? {
            if let Some(&i) = at.get(&p.case_id) {
                out[i].promises.push(p);
            }
        }
        for c in self.contacts_with_pending_promises()? {
            if let Some(&i) = at.get(&c.case_id) {
                out[i].contacts.push(c);
            }
        }
        Ok(out)
    }

    /// Every case id, oldest first.
    pub fn case_ids(&self) -> Result<Vec<CaseId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM cases ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

/// A case read inside a caller's transaction (the projector's view of the row).
pub(super) fn read(conn: &rusqlite::Connection, id: CaseId) -> Result<Option<Case>, StoreError> {
    conn.prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"))?
        .query_row([id], case_from_row)
        .optional()?
        .map(finish_case)
        .transpose()
}

/// The case's row, if this build cannot read it: why.
pub(super) fn unreadable(
    conn: &rusqlite::Connection,
    id: CaseId,
) -> Result<Vec<(String, String)>, StoreError> {
    super::check::unreadable_in(
        conn,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"),
        id,
        |_| Ok("case".to_owned()),
        |r| {
            case_from_row(r)
                .map_err(StoreError::from)
                .and_then(finish_case)
        },
    )
}

pub(super) fn write_fields(
    tx: &rusqlite::Connection,
    id: CaseId,
    f: &CaseFields,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE cases SET title = ?2, company = ?3, company_contact = ?4, company_address = ?5,
            platform = ?6, seller = ?7, order_number = ?8, product = ?9, amount_minor = ?10,
            currency = ?11, ordered_on = ?12, paid_on = ?13, delivered_on = ?14,
            return_sent_on = ?15, return_received_on = ?16, category = ?17, wants = ?18,
            status = ?19, claimant_name = ?20, claimant_phone = ?21, claimant_email = ?22,
            claimant_address = ?23, noticed_on = ?24, refunded_on = ?25, problems = ?26,
            payment_method = ?27, installments = ?28, shipped_on = ?29, supply_agreed_on = ?30
         WHERE id = ?1",
        params![
            id,
            f.title,
            f.company,
            f.company_contact,
            f.company_address,
            f.platform,
            f.seller,
            f.order_number,
            f.product,
            f.amount.as_ref().map(|m| m.minor),
            f.amount.as_ref().map(|m| m.currency.clone()),
            date_text(f.dates.ordered),
            date_text(f.dates.paid),
            date_text(f.dates.delivered),
            date_text(f.dates.return_sent),
            date_text(f.dates.return_received),
            f.category,
            f.wants,
            f.status,
            f.claimant.name,
            f.claimant.phone,
            f.claimant.email,
            f.claimant.address,
            date_text(f.dates.noticed),
            date_text(f.dates.refunded),
            problems_text(&f.problems),
            f.payment_method,
            f.installments,
            date_text(f.dates.shipped),
            date_text(f.dates.supply_agreed),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[test]
    fn korean_fields_round_trip() {
        let (_dir, mut store) = store();
        let mut fields = case_fields();
        fields.dates.delivered = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap());
        fields.claimant.phone = Some("010-1234-5678".into());
        let id = store
            .create_case(&fields, t("2026-11-20T05:30:00Z"))
            .unwrap();
        let case = store.case(id).unwrap();
        assert_eq!(case.fields, fields);
        assert_eq!(case.created_at, t("2026-11-20T05:30:00Z"));
        assert_eq!(case.uid.len(), 36);
    }

    #[test]
    fn an_edit_keeps_what_it_replaced() {
        let (_dir, mut store) = store();
        let id = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        let mut fields = case_fields();
        fields.status = CaseStatus::Escalated;
        fields.wants = Some("환불 및 보상".into());
        let changes = store
            .edit_case(id, &case_fields(), &fields, t("2026-11-21T01:00:00Z"))
            .unwrap();
        assert_eq!(changes.keys().collect::<Vec<_>>(), ["status", "wants"]);

        let detail = store.case_detail(id, t("2026-11-21T02:00:00Z")).unwrap();
        assert_eq!(detail.case.edited_at, Some(t("2026-11-21T01:00:00Z")));
        assert_eq!(detail.edits.len(), 1);
        assert_eq!(
            detail.edits[0].changes["wants"].from,
            serde_json::json!("환불")
        );
        assert_eq!(
            detail.edits[0].changes["status"].to,
            serde_json::json!("escalated")
        );
        assert_eq!(detail.ledger.length, 2);

        // Editing to the same values writes nothing.
        assert!(
            store
                .edit_case(id, &fields, &fields, t("2026-11-22T01:00:00Z"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.ledger_head(id).unwrap().length, 2);
    }

    #[test]
    fn two_stale_edits_of_different_dates_and_claimant_fields_keep_both() {
        let (_dir, mut store) = store();
        let id = store
            .create_case(&case_fields(), t("2026-11-20T05:30:00Z"))
            .unwrap();
        // Two windows open the case at once; each changes one date and one claimant field.
        let base = store.case(id).unwrap().fields;
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d);
        let mut a = base.clone();
        a.dates.ordered = day(1);
        a.claimant.name = Some("홍길동".into());
        let mut b = base.clone();
        b.dates.paid = day(2);
        b.dates.noticed = day(5);
        b.claimant.phone = Some("010-1234-5678".into());
        let now = t("2026-11-21T01:00:00Z");
        store.edit_case(id, &base, &a, now).unwrap();
        let changes = store.edit_case(id, &base, &b, now).unwrap();
        assert_eq!(changes.keys().collect::<Vec<_>>(), ["claimant", "dates"]);
        let f = store.case(id).unwrap().fields;
        assert_eq!(
            (f.dates.ordered, f.dates.paid, f.dates.noticed),
            (day(1), day(2), day(5))
        );
        assert_eq!(f.claimant.name.as_deref(), Some("홍길동"));
        assert_eq!(f.claimant.phone.as_deref(), Some("010-1234-5678"));
        // An amount is one value: a currency change and a figure change from two windows do not
        // combine into an amount neither entered.
        let base = store.case(id).unwrap().fields;
        let (mut usd, mut more) = (base.clone(), base.clone());
        usd.amount = Some(crate::money::Money::parse("390.00", "USD").unwrap());
        more.amount = Some(crate::money::Money::parse("40000", "KRW").unwrap());
        store.edit_case(id, &base, &usd, now).unwrap();
        store.edit_case(id, &base, &more, now).unwrap();
        assert_eq!(store.case(id).unwrap().fields.amount, more.amount);
        // Clearing what the other window set is an edit too, and wins as the later write.
        let mut c = store.case(id).unwrap().fields;
        let seen = c.clone();
        c.dates.noticed = None;
        store.edit_case(id, &seen, &c, now).unwrap();
        assert_eq!(store.case(id).unwrap().fields.dates.noticed, None);
        assert_eq!(store.case(id).unwrap().fields.dates.paid, day(2));
    }

    #[test]
    fn a_missing_case_says_where_to_look() {
        let (_dir, store) = store();
        let err = store.case(CaseId(9)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "there is no case 9; `recourse case list` shows the cases"
        );
    }

    #[test]
    fn empty_title_is_refused() {
        let (_dir, mut store) = store();
        let mut fields = case_fields();
        fields.title = "  ".into();
        assert!(matches!(
            store.create_case(&fields, t("2026-11-20T05:30:00Z")),
            Err(StoreError::Invalid { field: "title", .. })
        ));
        assert!(store.case_ids().unwrap().is_empty());
    }
}

//! `#[derive(DbType)]` newtype columns: a generated integer key, a foreign key and a nullable
//! foreign key of a newtype, a text newtype with `max_length`, `unique` and `like`, a decimal
//! newtype with `numeric(p, s)`, arithmetic and `sum`; relationships and eager loading over
//! newtype keys, keyset pagination by one, selecting one on its own, and the migration
//! tooling reading the columns back as declared.

use orm::functions::sum;
use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

#[derive(DbType, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(i64);

#[derive(DbType, Debug, Clone, PartialEq)]
pub struct Email(String);

#[derive(DbType, Debug, Clone, Copy, PartialEq)]
pub struct Money {
    cents: Decimal,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "nt_accounts")]
pub struct Account {
    #[orm(primary_key, auto)]
    pub id: AccountId,
    #[orm(unique, max_length = 40)]
    pub email: Email,
    #[orm(numeric(12, 2))]
    pub balance: Money,
    #[orm(has_many(foreign_key = "owner_id"))]
    pub payments: HasMany<Payment>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "nt_payments")]
pub struct Payment {
    #[orm(primary_key)]
    pub id: i64,
    pub owner_id: AccountId,
    /// Who approved it, if anyone.
    pub approver_id: Option<AccountId>,
    #[orm(numeric(12, 2))]
    pub amount: Money,
    #[orm(belongs_to(foreign_key = "owner_id", on_delete = "cascade"))]
    pub owner: BelongsTo<Account>,
    #[orm(belongs_to(foreign_key = "approver_id", on_delete = "set_null"))]
    pub approver: BelongsTo<Option<Account>>,
}

fn money(text: &str) -> Money {
    Money {
        cents: text.parse().expect("a decimal"),
    }
}

async fn account(db: &Database, email: &str, balance: &str) -> Result<Account> {
    NewAccount {
        email: Email(email.into()),
        balance: money(balance),
    }
    .insert(db)
    .await
}

async fn pay(
    db: &Database,
    owner: AccountId,
    approver: Option<AccountId>,
    amount: &str,
) -> Result<Payment> {
    NewPayment {
        owner_id: owner,
        approver_id: approver,
        amount: money(amount),
    }
    .insert(db)
    .await
}

backend_tests! {
    async fn newtype_columns_round_trip_filter_and_aggregate(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Account, Payment];
        db.create_all(&schema).await?;
        let found = Migrator::new(Migrations::default())
            .check(db, &schema, &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);

        let ann = account(db, "ann@example.com", "10.50").await?;
        let bob = account(db, "bob@example.org", "0.25").await?;
        assert_ne!(ann.id, bob.id, "the database generated both keys");
        assert_eq!(Account::get(db, ann.id).await?, ann);
        assert_eq!(ann.balance, money("10.50"));

        let org = Account::query()
            .filter(Account::email.like("%.org"))
            .all(db)
            .await?;
        assert_eq!(org, std::slice::from_ref(&bob));
        let by_email = Account::query()
            .filter(Account::email.eq(Email("ann@example.com".into())))
            .one(db)
            .await?;
        assert_eq!(by_email.id, ann.id);
        let rich = Account::query()
            .filter(Account::balance.gt(money("1")))
            .all(db)
            .await?;
        assert_eq!(rich, std::slice::from_ref(&ann));

        pay(db, ann.id, None, "1.25").await?;
        pay(db, ann.id, Some(bob.id), "2.50").await?;
        pay(db, bob.id, Some(ann.id), "0.10").await?;
        let approved_by_bob = Payment::query()
            .filter(Payment::approver_id.eq(bob.id))
            .all(db)
            .await?;
        assert_eq!(approved_by_bob.len(), 1);
        assert_eq!(approved_by_bob[0].amount, money("2.50"));
        let unapproved = Payment::query()
            .filter(Payment::approver_id.is_null())
            .one(db)
            .await?;
        assert_eq!(unapproved.approver_id, None);

        // Aggregates and arithmetic over a decimal newtype keep its scale.
        let (owner, total): (AccountId, Option<Decimal>) = Payment::query()
            .filter(Payment::owner_id.eq(ann.id))
            .group_by(Payment::owner_id)
            .select((Payment::owner_id, sum(Payment::amount)))
            .one(db)
            .await?;
        assert_eq!((owner, total), (ann.id, Some("3.75".parse().unwrap())));
        Account::update()
            .filter(Account::id.eq(bob.id))
            .set(Account::balance, Account::balance + money("1.00"))
            .exec(db)
            .await?;
        let bob_now = Account::get(db, bob.id).await?;
        assert_eq!(bob_now.balance, money("1.25"));

        let owners: Vec<AccountId> = Payment::query()
            .order_by(Payment::id)
            .select(Payment::owner_id)
            .all(db)
            .await?;
        assert_eq!(owners, [ann.id, ann.id, bob.id]);
        let ids_in: Vec<AccountId> = Account::query()
            .filter(Account::id.in_list([bob.id]))
            .select(Account::id)
            .all(db)
            .await?;
        assert_eq!(ids_in, [bob.id]);
        Ok(())
    }

    async fn newtype_keys_carry_relationships_and_eager_loading(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Account, Payment]).await?;
        let ann = account(db, "ann@example.com", "1").await?;
        let bob = account(db, "bob@example.com", "1").await?;
        pay(db, ann.id, Some(bob.id), "1").await?;
        pay(db, ann.id, None, "2").await?;
        pay(db, bob.id, Some(ann.id), "3").await?;

        let (accounts, log) = orm::guard::count_statements(
            Account::query()
                .order_by(Account::id)
                .with(Account::payments.with(Payment::approver))
                .all(db),
        )
        .await;
        let accounts = accounts?;
        // The accounts, then their payments with each approver joined.
        log.assert_count(2);
        let ann_payments = accounts[0].payments.get()?;
        assert_eq!(ann_payments.len(), 2);
        let approvers: Vec<Option<AccountId>> = ann_payments
            .iter()
            .map(|p| p.approver.get().map(|a| a.map(|a| a.id)))
            .collect::<Result<_>>()?;
        assert!(approvers.contains(&Some(bob.id)) && approvers.contains(&None), "{approvers:?}");
        assert_eq!(accounts[1].payments.get()?.len(), 1);

        let payments = Payment::query().order_by(Payment::id).with(Payment::owner).all(db).await?;
        let owners: Vec<AccountId> = payments
            .iter()
            .map(|p| p.owner.get().map(|o| o.id))
            .collect::<Result<_>>()?;
        assert_eq!(owners, [ann.id, ann.id, bob.id]);

        // Deleting an account cascades (and sets NULL) over the newtype foreign keys.
        Account::delete().filter(Account::id.eq(ann.id)).exec(db).await?;
        let left: Vec<(AccountId, Option<AccountId>)> = Payment::query()
            .select((Payment::owner_id, Payment::approver_id))
            .all(db)
            .await?;
        assert_eq!(left, [(bob.id, None)]);
        Ok(())
    }

    async fn newtype_columns_keep_their_constraints(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Account, Payment]).await?;
        let ann = account(db, "ann@example.com", "1").await?;
        let duplicate = account(db, "ann@example.com", "2").await.expect_err("unique");
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation, "{duplicate}");
        let long = account(db, &format!("{}@example.com", "a".repeat(40)), "1")
            .await
            .expect_err("longer than max_length");
        assert_eq!(long.kind(), ErrorKind::Validation, "{long}");
        let orphan = pay(db, AccountId(ann.id.0 + 100), None, "1").await.expect_err("no such account");
        assert_eq!(orphan.kind(), ErrorKind::ForeignKeyViolation, "{orphan}");
        assert_eq!(Account::query().count(db).await?, 1);
        assert_eq!(Payment::query().count(db).await?, 0);
        Ok(())
    }

    async fn newtype_keys_page_by_keyset(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Account, Payment]).await?;
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(account(db, &format!("u{i}@example.com"), "0").await?.id);
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = Account::query().keyset(Account::id.asc(), cursor).limit(3).all(db).await?;
            let Some(last) = page.last() else { break };
            cursor = Some(last.id);
            seen.extend(page.iter().map(|a| a.id));
        }
        assert_eq!(seen, ids);
        Ok(())
    }
}
